/**
 * The kiosk's own identifier: 128 random bits written once to `<dataDir>/kiosk-id` and
 * read back at every start. It names the PC in its statistics exports, so a coordinator
 * who merges the same export twice counts it once; it says nothing about the PC or its
 * visitors (no host name, no address, no serial number), and changing the kiosk's name
 * or site in the configuration keeps it.
 *
 * Never throws: a file that cannot be read or written gives an identifier for this run
 * only, and the caller is told so (exports of this run then carry an identifier the
 * next run will not repeat).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KIOSK_ID_PATTERN } from '../../shared/statistics/export-format';
import { writeFileAtomically } from './atomic-file';

export const KIOSK_ID_FILE_NAME = 'kiosk-id';

export interface KioskIdentity {
  readonly kioskId: string;
  /** False when the identifier could not be kept in the data folder and holds for this run only. */
  readonly persisted: boolean;
}

export function newKioskId(): string {
  return randomBytes(16).toString('hex');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** Reads `<dataDir>/kiosk-id`, creating it on the first start (or when what it holds is not an identifier). */
export function loadKioskIdentity(dataDir: string, log: (line: string) => void = () => {}): KioskIdentity {
  const file = join(dataDir, KIOSK_ID_FILE_NAME);
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (KIOSK_ID_PATTERN.test(stored)) return { kioskId: stored, persisted: true };
    log(`${file} does not hold a kiosk identifier (32 hexadecimal digits): a new one is written, and exports from now on carry it`);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') log(`${file} could not be read (${describe(error)}): a new kiosk identifier is written`);
  }
  const kioskId = newKioskId();
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileAtomically(file, `${kioskId}\n`, { mode: 0o644 });
    return { kioskId, persisted: true };
  } catch (error) {
    log(`the kiosk identifier could not be kept in ${file} (${describe(error)}): this run uses one of its own`);
    return { kioskId, persisted: false };
  }
}
