import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createDeviceCredential,
  generatePairingCode,
  hashDeviceSecret,
  hashPairingCode,
  newPairingCodeKey,
  parseDeviceToken,
  randomHubId,
  secretMatches,
} from '../../../electron/hub/hub-secrets';
import { DEVICE_TOKEN_PATTERN, HubIdSchema, PAIRING_CODE_ALPHABET, PAIRING_CODE_PATTERN, normalizePairingCode } from '../../../shared/hub-api';

describe('hub ids', () => {
  it('are 32 lowercase hexadecimal digits, never twice the same', () => {
    const ids = Array.from({ length: 200 }, randomHubId);
    for (const id of ids) expect(HubIdSchema.safeParse(id).success, id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('device credentials', () => {
  it('are <deviceId>.<secret> with a 43-character base64url secret, as the API expects', () => {
    const credential = createDeviceCredential();
    expect(credential.token).toMatch(DEVICE_TOKEN_PATTERN);
    expect(credential.token.startsWith(`${credential.deviceId}.`)).toBe(true);
    expect(credential.token.split('.')[1]).toHaveLength(43);
  });

  it('store the SHA-256 of the secret, not the secret', () => {
    const credential = createDeviceCredential();
    const secret = credential.token.split('.')[1]!;
    expect(credential.secretHash).toEqual(createHash('sha256').update(secret).digest());
    expect(credential.secretHash.toString('latin1')).not.toContain(secret);
  });

  it('are different every time', () => {
    const tokens = Array.from({ length: 100 }, () => createDeviceCredential().token);
    expect(new Set(tokens).size).toBe(100);
    expect(new Set(tokens.map((token) => token.split('.')[1])).size).toBe(100);
  });

  it('match their own hash only', () => {
    const credential = createDeviceCredential();
    const secret = credential.token.split('.')[1]!;
    expect(secretMatches(secret, credential.secretHash)).toBe(true);
    const sameLength = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(secretMatches(sameLength, credential.secretHash)).toBe(false);
    expect(secretMatches(secret, createDeviceCredential().secretHash)).toBe(false);
    expect(secretMatches('', credential.secretHash)).toBe(false);
  });

  it('match nothing against a stored hash of another length (a tampered file), without throwing', () => {
    const credential = createDeviceCredential();
    const secret = credential.token.split('.')[1]!;
    expect(secretMatches(secret, credential.secretHash.subarray(0, 31))).toBe(false);
    expect(secretMatches(secret, new Uint8Array(0))).toBe(false);
    expect(secretMatches(secret, Buffer.concat([credential.secretHash, Buffer.alloc(1)]))).toBe(false);
  });

  it('hash the secret as UTF-8 text, the same way every time', () => {
    expect(hashDeviceSecret('abc')).toEqual(hashDeviceSecret('abc'));
    expect(hashDeviceSecret('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('parseDeviceToken', () => {
  it('splits a well-formed token into its device id and secret', () => {
    const credential = createDeviceCredential();
    expect(parseDeviceToken(credential.token)).toEqual({ deviceId: credential.deviceId, secret: credential.token.slice(33) });
  });

  it.each([
    ['an empty string', ''],
    ['no dot', 'a'.repeat(76)],
    ['a short secret', `${'a'.repeat(32)}.${'b'.repeat(42)}`],
    ['a long secret', `${'a'.repeat(32)}.${'b'.repeat(44)}`],
    ['an upper-case device id', `${'A'.repeat(32)}.${'b'.repeat(43)}`],
    ['a short device id', `${'a'.repeat(31)}.${'b'.repeat(43)}`],
    ['base64 padding', `${'a'.repeat(32)}.${'b'.repeat(42)}=`],
    ['a Bearer prefix', `Bearer ${'a'.repeat(32)}.${'b'.repeat(43)}`],
    ['a trailing newline', `${'a'.repeat(32)}.${'b'.repeat(43)}\n`],
    ['two dots', `${'a'.repeat(32)}.${'b'.repeat(20)}.${'b'.repeat(22)}`],
  ])('refuses %s', (_what, token) => {
    expect(parseDeviceToken(token)).toBeNull();
  });

  it.each([null, undefined, 42, {}, ['a'], Symbol('token')])('refuses a value that is not text (%s) without throwing', (value) => {
    expect(parseDeviceToken(value)).toBeNull();
  });
});

describe('pairing codes', () => {
  it('are written XXXX-XXXX with letters of the alphabet and survive normalization unchanged', () => {
    for (let draw = 0; draw < 500; draw += 1) {
      const code = generatePairingCode();
      expect(code).toMatch(PAIRING_CODE_PATTERN);
      expect(normalizePairingCode(code)).toBe(code);
    }
  });

  it('use every letter of the alphabet (over many draws)', () => {
    const letters = new Set<string>();
    for (let draw = 0; draw < 500; draw += 1) for (const letter of generatePairingCode().replace('-', '')) letters.add(letter);
    expect([...letters].sort().join('')).toBe([...PAIRING_CODE_ALPHABET].sort().join(''));
  });

  it('ask the random source for an index below the alphabet size, letter by letter', () => {
    const asked: number[] = [];
    const indexes = [0, 1, 2, 3, 22, 23, 24, 25];
    const code = generatePairingCode((max) => {
      asked.push(max);
      return indexes[asked.length - 1]!;
    });
    expect(asked).toEqual(new Array<number>(8).fill(PAIRING_CODE_ALPHABET.length));
    expect(code).toBe('3456-VWXY');
  });

  it('refuse a random source that answers outside the alphabet', () => {
    expect(() => generatePairingCode(() => PAIRING_CODE_ALPHABET.length)).toThrow(RangeError);
  });

  it('are hashed with the database key: the same code gives another hash under another key', () => {
    const key = newPairingCodeKey();
    expect(key).toHaveLength(32);
    expect(hashPairingCode('K7QM-RXHP', key)).toEqual(hashPairingCode('K7QM-RXHP', Buffer.from(key)));
    expect(hashPairingCode('K7QM-RXHP', key)).not.toEqual(hashPairingCode('K7QM-RXHP', newPairingCodeKey()));
    expect(hashPairingCode('K7QM-RXHP', key)).not.toEqual(hashPairingCode('K7QM-RXHQ', key));
    expect(hashPairingCode('K7QM-RXHP', key)).not.toEqual(createHash('sha256').update('K7QM-RXHP').digest());
  });
});
