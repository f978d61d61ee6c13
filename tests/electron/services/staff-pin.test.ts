/**
 * The staff PIN on disk: a real scrypt hash in a real file in a temporary folder.
 * Most tests use the kiosk's own scrypt cost; the many-hash ones use a lower one.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAFF_PIN_FILE_NAME, STAFF_PIN_SCRYPT_COST, openStaffPinStore, type ScryptCost } from '../../../electron/services/staff-pin';
import { afterWrongPin, NO_FAILED_ATTEMPTS } from '../../../shared/staff-throttle';

const LOW_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };
const NOW = Date.UTC(2025, 0, 6, 9, 0, 0);

let folder: string;
let dataDir: string;
let lines: string[];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-staff-pin-'));
  dataDir = join(folder, 'data');
  lines = [];
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const open = (cost?: ScryptCost) => openStaffPinStore({ dataDir, log: (line) => lines.push(line), ...(cost === undefined ? {} : { cost }) });
const pinFile = () => join(dataDir, STAFF_PIN_FILE_NAME);
const stored = () => JSON.parse(readFileSync(pinFile(), 'utf8')) as { pin: { salt: string; hash: string; N: number; r: number; p: number }; throttle: unknown };

describe('the staff PIN store', () => {
  it('has no PIN while the file is missing, and verifies nothing', async () => {
    const store = open();
    expect(store.state()).toEqual({ kind: 'none' });
    expect(store.throttle()).toEqual(NO_FAILED_ATTEMPTS);
    expect(await store.verify('1234')).toBe(false);
    expect(existsSync(pinFile())).toBe(false);
  });

  it('verifies the PIN set, with the kiosk\'s own scrypt cost', async () => {
    const store = open();
    await store.setPin('482913');
    expect(store.state()).toEqual({ kind: 'set' });
    expect(await store.verify('482913')).toBe(true);
    expect(stored().pin).toMatchObject({ N: STAFF_PIN_SCRYPT_COST.N, r: STAFF_PIN_SCRYPT_COST.r, p: STAFF_PIN_SCRYPT_COST.p });
  });

  it('refuses a wrong PIN, including one a digit off, a prefix, a longer one and the empty string', async () => {
    const store = open();
    await store.setPin('482913');
    for (const wrong of ['482914', '48291', '4829130', '', '0000', '482913 ']) expect(await store.verify(wrong), wrong).toBe(false);
  });

  it('draws a new salt for every PIN, so the same PIN twice gives two different hashes', async () => {
    const store = open(LOW_COST);
    await store.setPin('1234');
    const first = stored().pin;
    await store.setPin('1234');
    const second = stored().pin;
    expect(Buffer.from(first.salt, 'base64')).toHaveLength(16);
    expect(second.salt).not.toBe(first.salt);
    expect(second.hash).not.toBe(first.hash);
    expect(await store.verify('1234')).toBe(true);
  });

  it('never writes the PIN in clear, in any encoding', async () => {
    const store = open(LOW_COST);
    const pin = '90817263';
    await store.setPin(pin);
    store.saveThrottle(afterWrongPin(NO_FAILED_ATTEMPTS, NOW));
    const bytes = readFileSync(pinFile());
    for (const encoded of [pin, Buffer.from(pin).toString('base64'), Buffer.from(pin).toString('hex'), Buffer.from(pin, 'utf16le').toString('latin1')]) {
      expect(bytes.includes(Buffer.from(encoded, 'latin1')), encoded).toBe(false);
    }
    expect(Object.keys(stored()).sort()).toEqual(['pin', 'throttle', 'version']);
  });

  it.skipIf(process.platform === 'win32')('keeps the file readable by this account only', async () => {
    const store = open(LOW_COST);
    await store.setPin('1234');
    expect(statSync(pinFile()).mode & 0o777).toBe(0o600);
    store.saveThrottle(afterWrongPin(NO_FAILED_ATTEMPTS, NOW));
    expect(statSync(pinFile()).mode & 0o777).toBe(0o600);
  });

  it('keeps the count of wrong PINs across a restart, and a new PIN clears it', async () => {
    const first = open(LOW_COST);
    await first.setPin('1234');
    let throttle = NO_FAILED_ATTEMPTS;
    for (let index = 0; index < 5; index += 1) throttle = afterWrongPin(throttle, NOW + index);
    first.saveThrottle(throttle);

    const restarted = open(LOW_COST);
    expect(restarted.throttle()).toEqual({ failedAttempts: 5, lastFailureAt: NOW + 4 });
    expect(await restarted.verify('1234')).toBe(true);

    await restarted.setPin('5678');
    expect(restarted.throttle()).toEqual(NO_FAILED_ATTEMPTS);
    expect(open(LOW_COST).throttle()).toEqual(NO_FAILED_ATTEMPTS);
    expect(await open(LOW_COST).verify('1234')).toBe(false);
    expect(await open(LOW_COST).verify('5678')).toBe(true);
  });

  it('verifies with the cost written in the file, so a PIN set at one cost still opens after the cost changes', async () => {
    await open(LOW_COST).setPin('1234');
    expect(await open(STAFF_PIN_SCRYPT_COST).verify('1234')).toBe(true);
  });

  describe('a damaged file', () => {
    const damaged: readonly [string, string][] = [
      ['an empty file', ''],
      ['text that is not JSON', 'not json {'],
      ['JSON of another shape', '{"pin": "1234"}'],
      ['a PIN in clear in place of the hash', JSON.stringify({ version: 1, pin: { algorithm: 'scrypt', N: 32768, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==', hash: '1234' }, throttle: { failedAttempts: 0, lastFailureAt: null } })],
      ['an absurd cost', JSON.stringify({ version: 1, pin: { algorithm: 'scrypt', N: 3, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==', hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, throttle: { failedAttempts: 0, lastFailureAt: null } })],
      ['a negative count of wrong PINs', JSON.stringify({ version: 1, pin: { algorithm: 'scrypt', N: 32768, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==', hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, throttle: { failedAttempts: -1, lastFailureAt: null } })],
    ];

    for (const [what, text] of damaged) {
      it(`keeps the pad locked and says what to do: ${what}`, async () => {
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(pinFile(), text);
        const store = open(LOW_COST);
        expect(store.state()).toMatchObject({ kind: 'damaged' });
        expect(await store.verify('1234')).toBe(false);
        expect(lines.join('\n')).toContain(pinFile());
        expect(lines.join('\n')).toMatch(/deletes that file/);
        // Nothing rewrites it behind staff's back: the evidence stays for IT.
        store.saveThrottle(afterWrongPin(NO_FAILED_ATTEMPTS, NOW));
        expect(readFileSync(pinFile(), 'utf8')).toBe(text);
      });
    }

    it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('counts a file it may not read as damaged, not as missing', () => {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(pinFile(), '{}');
      chmodSync(pinFile(), 0o000);
      expect(open(LOW_COST).state()).toMatchObject({ kind: 'damaged' });
    });

    it('sets a new PIN once the file is deleted', async () => {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(pinFile(), 'garbage');
      expect(open(LOW_COST).state().kind).toBe('damaged');
      rmSync(pinFile());
      const store = open(LOW_COST);
      expect(store.state()).toEqual({ kind: 'none' });
      await store.setPin('2468');
      expect(await store.verify('2468')).toBe(true);
    });
  });

  it('keeps the count in memory and logs when the file cannot be written', async () => {
    const store = open(LOW_COST);
    await store.setPin('1234');
    const before = readFileSync(pinFile(), 'utf8');
    // A folder where the temporary file must go makes every write fail, whoever runs the test.
    rmSync(dataDir, { recursive: true });
    writeFileSync(dataDir, 'not a folder');
    store.saveThrottle({ failedAttempts: 4, lastFailureAt: NOW });
    expect(store.throttle()).toEqual({ failedAttempts: 4, lastFailureAt: NOW });
    expect(lines.join('\n')).toMatch(/could not be saved/);
    expect(before).toContain('"failedAttempts": 0');
  });
});
