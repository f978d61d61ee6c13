/**
 * The staff PIN, kept in `<dataDir>/staff-pin.json` (readable by this account only) as a
 * slow salted hash: scrypt from node:crypto (Node's own implementation over OpenSSL), a
 * fresh random 16-byte salt for every PIN, compared in constant time. The file never holds
 * the PIN itself. The throttle's state (shared/staff-throttle.ts) is kept in the same file,
 * so restarting the PC does not give a guesser fresh tries.
 *
 * A missing file means no PIN is set yet: the PIN pad asks staff to choose one. A file that
 * is there but cannot be read or understood keeps the pad LOCKED (no PIN opens it, and no
 * "first PIN" can be set over it), and the log says what to do: someone with the PC's
 * administrator rights deletes the file, and the kiosk asks for a new PIN. Treating a
 * damaged file as "no PIN" would let anyone who can damage it (a full disk, a bad sector,
 * a visitor who found a way to the file) choose a new PIN.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NO_FAILED_ATTEMPTS, type StaffThrottleState } from '../../shared/staff-throttle';
import { writeFileAtomically } from './atomic-file';

export const STAFF_PIN_FILE_NAME = 'staff-pin.json';

export interface ScryptCost {
  /** CPU and memory cost: a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/**
 * Measured on the 2-core build machine (Node 20): one check with N = 2^15, r = 8, p = 1
 * takes about 80 ms (2^14: 47 ms, 2^16: 163 ms) and 32 MiB of memory. Unnoticeable for
 * staff at the pad, and the throttle bounds guessing at the kiosk anyway; the cost is for
 * someone who copied the file and guesses offline.
 */
export const STAFF_PIN_SCRYPT_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for the cost above, and scrypt refuses to reach it. */
function maxMemoryFor(cost: ScryptCost): number {
  return 2 * 128 * cost.N * cost.r;
}

const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'must be base64' });

const StoredPinFileSchema = z
  .object({
    version: z.literal(1),
    pin: z
      .object({
        algorithm: z.literal('scrypt'),
        N: z
          .number()
          .int()
          .min(2 ** 10)
          .max(2 ** 20)
          .refine((value) => (value & (value - 1)) === 0, { error: 'must be a power of two' }),
        r: z.number().int().min(1).max(32),
        p: z.number().int().min(1).max(16),
        salt: Base64Schema,
        hash: Base64Schema,
      })
      .strict(),
    throttle: z
      .object({
        failedAttempts: z.number().int().min(0),
        lastFailureAt: z.number().int().nullable(),
      })
      .strict(),
  })
  .strict();
type StoredPinFile = z.infer<typeof StoredPinFileSchema>;

export type StaffPinFileState = { readonly kind: 'none' } | { readonly kind: 'set' } | { readonly kind: 'damaged'; readonly problem: string };

export interface StaffPinStore {
  readonly file: string;
  /** Whether a PIN is set; 'damaged' keeps the pad locked until the file is deleted. */
  state(): StaffPinFileState;
  throttle(): StaffThrottleState;
  /** Keeps a new PIN (hashed) and clears the throttle. Throws when the file cannot be written; the previous PIN then stays. */
  setPin(pin: string): Promise<void>;
  /** True only for the PIN set; false when none is set or the file is damaged. Changes nothing. */
  verify(pin: string): Promise<boolean>;
  /** Keeps the throttle's state. A failed write is logged; the state still holds until the kiosk restarts. */
  saveThrottle(throttle: StaffThrottleState): void;
}

export interface StaffPinStoreOptions {
  readonly dataDir: string;
  readonly log: (line: string) => void;
  /** For tests that hash many PINs; a kiosk always uses STAFF_PIN_SCRYPT_COST. */
  readonly cost?: ScryptCost;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function scryptHash(pin: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: maxMemoryFor(cost) };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, length, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

type Loaded = { kind: 'none' } | { kind: 'set'; stored: StoredPinFile } | { kind: 'damaged'; problem: string };

function load(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'none' };
    return { kind: 'damaged', problem: `it cannot be read (${describe(error)})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'damaged', problem: 'it is not valid JSON' };
  }
  const checked = StoredPinFileSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { kind: 'damaged', problem: `its field "${issue?.path.join('.') ?? ''}" ${issue?.message ?? 'is wrong'}` };
  }
  if (Buffer.from(checked.data.pin.salt, 'base64').length < SALT_BYTES || Buffer.from(checked.data.pin.hash, 'base64').length < 16) {
    return { kind: 'damaged', problem: 'its salt or hash is too short' };
  }
  return { kind: 'set', stored: checked.data };
}

export function openStaffPinStore(options: StaffPinStoreOptions): StaffPinStore {
  const file = join(options.dataDir, STAFF_PIN_FILE_NAME);
  const cost = options.cost ?? STAFF_PIN_SCRYPT_COST;
  const { log } = options;
  let loaded = load(file);
  // Wrong PINs typed while the file is damaged are counted here only.
  let throttle: StaffThrottleState = loaded.kind === 'set' ? loaded.stored.throttle : NO_FAILED_ATTEMPTS;

  const damagedAdvice = (problem: string) =>
    `the staff PIN file ${file} is damaged (${problem}): no PIN opens staff mode until someone with the PC's administrator rights deletes that file; the kiosk then asks for a new PIN`;
  if (loaded.kind === 'damaged') log(damagedAdvice(loaded.problem));

  function write(stored: StoredPinFile): void {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileAtomically(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }

  return {
    file,
    state() {
      if (loaded.kind === 'damaged') return { kind: 'damaged', problem: loaded.problem };
      return { kind: loaded.kind };
    },
    throttle: () => throttle,
    async setPin(pin) {
      const salt = randomBytes(SALT_BYTES);
      const hash = await scryptHash(pin, salt, cost, HASH_BYTES);
      const stored: StoredPinFile = {
        version: 1,
        pin: { algorithm: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64'), hash: hash.toString('base64') },
        throttle: { ...NO_FAILED_ATTEMPTS },
      };
      write(stored);
      loaded = { kind: 'set', stored };
      throttle = NO_FAILED_ATTEMPTS;
    },
    async verify(pin) {
      if (loaded.kind === 'damaged') {
        log(damagedAdvice(loaded.problem));
        return false;
      }
      if (loaded.kind !== 'set') return false;
      const { pin: stored } = loaded.stored;
      const expected = Buffer.from(stored.hash, 'base64');
      let actual: Buffer;
      try {
        actual = await scryptHash(pin, Buffer.from(stored.salt, 'base64'), stored, expected.length);
      } catch (error) {
        log(`the staff PIN could not be checked: ${describe(error)}`);
        return false;
      }
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
    saveThrottle(next) {
      throttle = { failedAttempts: next.failedAttempts, lastFailureAt: next.lastFailureAt };
      if (loaded.kind !== 'set') return;
      const stored: StoredPinFile = { ...loaded.stored, throttle: { ...throttle } };
      try {
        write(stored);
        loaded = { kind: 'set', stored };
      } catch (error) {
        log(`the count of wrong staff PINs could not be saved (${describe(error)}); it holds until the kiosk restarts`);
      }
    },
  };
}
