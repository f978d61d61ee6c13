import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_ID_FILE_NAME, loadKioskIdentity } from '../../../electron/services/kiosk-identity';
import { freshFolder } from './fixtures/usage-test-kit';

let folder: string;
let remove: () => void;
let logLines: string[];

beforeEach(() => {
  ({ folder, remove } = freshFolder('kiosk-identity'));
  logLines = [];
});

afterEach(() => remove());

const log = (line: string) => logLines.push(line);

describe('the kiosk identifier', () => {
  it('is drawn once, kept in <dataDir>/kiosk-id, and read back at every start', () => {
    const first = loadKioskIdentity(folder, log);
    expect(first.kioskId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.persisted).toBe(true);
    expect(readFileSync(join(folder, KIOSK_ID_FILE_NAME), 'utf8')).toBe(`${first.kioskId}\n`);
    expect(loadKioskIdentity(folder, log)).toEqual(first);
    expect(logLines).toEqual([]);
  });

  it('differs from one kiosk to the next', () => {
    const other = join(folder, 'other-kiosk');
    expect(loadKioskIdentity(folder, log).kioskId).not.toBe(loadKioskIdentity(other, log).kioskId);
  });

  it('is replaced, with a line in the log, when the file holds something else', () => {
    writeFileSync(join(folder, KIOSK_ID_FILE_NAME), 'PC-3 at the library\n');
    const identity = loadKioskIdentity(folder, log);
    expect(identity.kioskId).toMatch(/^[0-9a-f]{32}$/);
    expect(readFileSync(join(folder, KIOSK_ID_FILE_NAME), 'utf8')).toBe(`${identity.kioskId}\n`);
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatch(/does not hold a kiosk identifier/);
  });

  it('holds for this run only, without throwing, when the folder cannot be written', () => {
    const blocker = join(folder, 'blocked');
    writeFileSync(blocker, '');
    const identity = loadKioskIdentity(join(blocker, 'data'), log);
    expect(identity).toMatchObject({ persisted: false });
    expect(identity.kioskId).toMatch(/^[0-9a-f]{32}$/);
    expect(logLines.at(-1)).toMatch(/could not be kept in .*: this run uses one of its own/);
  });

  it('creates the data folder on the first start', () => {
    const fresh = join(folder, 'new', 'data');
    expect(loadKioskIdentity(fresh, log).persisted).toBe(true);
    mkdirSync(fresh, { recursive: true });
    expect(readFileSync(join(fresh, KIOSK_ID_FILE_NAME), 'utf8')).toMatch(/^[0-9a-f]{32}\n$/);
  });
});
