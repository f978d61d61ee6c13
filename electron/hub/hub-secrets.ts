/**
 * The hub's secrets: device credentials, pairing codes and the ids it hands out.
 *
 * A credential is `<deviceId>.<secret>` (shared/hub-api.ts, DEVICE_TOKEN_PATTERN). The hub
 * keeps only a hash of the secret and compares hashes in constant time, so neither a copy
 * of hub.sqlite nor the timing of refusals gives a working credential away.
 *
 * Pairing codes are short on purpose (read aloud, typed on a phone): they are protected by
 * their short life, their few uses and the hub's rate limit, and kept as a keyed hash.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { DEVICE_TOKEN_PATTERN, PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from '../../shared/hub-api';

/** Bytes of a hash or key kept by the hub (SHA-256). */
export const SECRET_HASH_BYTES = 32;
const HUB_ID_BYTES = 16;
/** 256 bits: 43 characters of base64url, as DEVICE_TOKEN_PATTERN expects. */
const DEVICE_SECRET_BYTES = 32;

/** A fresh id for a device or a help request: 16 random bytes, hex (HubIdSchema). */
export function randomHubId(): string {
  return randomBytes(HUB_ID_BYTES).toString('hex');
}

export interface DeviceCredential {
  readonly deviceId: string;
  /** `<deviceId>.<secret>`: handed to the device once, never stored. */
  readonly token: string;
  /** What the hub stores instead of the secret. */
  readonly secretHash: Buffer;
}

/**
 * SHA-256 of a device secret. A plain fast hash is right here, unlike for a PIN or a
 * password: the secret is 256 random bits, so there is nothing to guess from its hash,
 * however many hashes per second an attacker can compute. A slow hash would only make
 * every heartbeat cost the hub milliseconds of CPU.
 */
export function hashDeviceSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A new device id with its secret. */
export function createDeviceCredential(): DeviceCredential {
  const deviceId = randomHubId();
  const secret = randomBytes(DEVICE_SECRET_BYTES).toString('base64url');
  return { deviceId, token: `${deviceId}.${secret}`, secretHash: hashDeviceSecret(secret) };
}

/** The two halves of a well-formed token; null for anything else (never throws). */
export function parseDeviceToken(token: unknown): { readonly deviceId: string; readonly secret: string } | null {
  if (typeof token !== 'string' || !DEVICE_TOKEN_PATTERN.test(token)) return null;
  const dot = token.indexOf('.');
  return { deviceId: token.slice(0, dot), secret: token.slice(dot + 1) };
}

/** Whether `secret` hashes to `storedHash`, in time that does not depend on where they differ. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashDeviceSecret(secret);
  // Both are SHA-256 digests; a stored value of another length (a tampered file) matches nothing.
  if (storedHash.length !== candidate.length) return false;
  return timingSafeEqual(candidate, storedHash);
}

/** A random integer in [0, max): crypto.randomInt rejects and redraws instead of taking a modulo, so every letter is equally likely. */
export type RandomIndex = (max: number) => number;

/** "K7QM-RXHP": PAIRING_CODE_LENGTH letters of PAIRING_CODE_ALPHABET, written in two groups of four. */
export function generatePairingCode(randomIndex: RandomIndex = (max) => randomInt(max)): string {
  let compact = '';
  for (let position = 0; position < PAIRING_CODE_LENGTH; position += 1) {
    const letter = PAIRING_CODE_ALPHABET[randomIndex(PAIRING_CODE_ALPHABET.length)];
    if (letter === undefined) throw new RangeError('the random index fell outside the pairing code alphabet');
    compact += letter;
  }
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/** The per-database key of the pairing codes' hashes. */
export function newPairingCodeKey(): Buffer {
  return randomBytes(SECRET_HASH_BYTES);
}

/**
 * HMAC-SHA-256 of a normalized pairing code under the database's own random key. A code
 * has only 26^8 ≈ 2·10^11 values: a plain hash would let one table, computed once for
 * every hub, turn any stolen hub.sqlite into its live codes at a glance. With a key of its
 * own, each database needs a search of its own, and a code lives an hour at most, so a
 * copy of the file taken today gives no code worth anything tomorrow. The key stays in
 * the database so that a restart keeps the codes already shown working.
 */
export function hashPairingCode(code: string, key: Uint8Array): Buffer {
  return createHmac('sha256', key).update(code, 'utf8').digest();
}
