/**
 * Logging never blocks or crashes the kiosk: a damaged file, a folder that cannot be used,
 * a full disk and a lock held by another program each leave record() working, the events in
 * memory (bounded) until they can be written, and a warning for staff.
 *
 * How each condition is made, for real, on any machine (the tests run as root here, and
 * chmod does not stop root):
 * - damaged file: garbage written over a real file, or over its pages after the header;
 * - unusable folder: the data folder's path goes through a regular file (ENOTDIR), which
 *   refuses root too; the test later replaces that file with a folder;
 * - full disk: the store's own size cap (maxFileBytes, i.e. PRAGMA max_page_count) makes
 *   SQLite answer SQLITE_FULL exactly as a full disk does; space is then freed by deleting
 *   rows through another connection;
 * - a lock: another connection holds a write transaction (SQLITE_BUSY).
 */
import Database from 'better-sqlite3';
import { mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_USAGE_RETRY_DELAY_MS, USAGE_DATABASE_FILE_NAME, openUsageStore, type UsageStore, type UsageStoreOptions } from '../../../electron/services/usage-store';
import type { UsageEvent } from '../../../shared/usage-events';
import { ManualClock } from '../../support/manual-clock';
import { TEST_KIOSK_ID, TestTime, brusselsWinterDay, freshFolder, readDatabase, storedRows, testConfig } from './fixtures/usage-test-kit';

let folder: string;
let remove: () => void;
let time: TestTime;
let clock: ManualClock;
let logLines: string[];
const stores: UsageStore[] = [];

beforeEach(() => {
  ({ folder, remove } = freshFolder('usage-resilience'));
  time = new TestTime('2025-01-06T09:00:00Z');
  clock = new ManualClock(time.ms);
  logLines = [];
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  remove();
});

function open(file: string, overrides: Partial<UsageStoreOptions> = {}): UsageStore {
  const store = openUsageStore({ file, config: testConfig(), kioskId: TEST_KIOSK_ID, now: time.now, localDay: brusselsWinterDay, clock, log: (line) => logLines.push(line), ...overrides });
  stores.push(store);
  return store;
}

const opened = (index: number): UsageEvent => ({ type: 'service-opened', serviceId: `service-${index}` });

function warningOf(store: UsageStore): string {
  const health = store.health();
  return health.ok ? '' : health.warning;
}

describe('a damaged file', () => {
  it('full of garbage is moved aside as usage.sqlite.corrupt-<time>, untouched, and a new file is started', async () => {
    const file = join(folder, USAGE_DATABASE_FILE_NAME);
    const garbage = Buffer.alloc(64 * 1024, 0);
    for (let index = 0; index < garbage.length; index += 1) garbage[index] = (index * 7919 + 13) % 251;
    writeFileSync(file, garbage);

    const store = open(file);
    store.record(opened(1));
    expect(await store.flush()).toEqual({ written: 1, pending: 0 });

    const aside = join(folder, `${USAGE_DATABASE_FILE_NAME}.corrupt-20250106T090000Z`);
    expect(readdirSync(folder)).toContain(`${USAGE_DATABASE_FILE_NAME}.corrupt-20250106T090000Z`);
    expect(readFileSync(aside).equals(garbage)).toBe(true);
    expect(storedRows(file).map((row) => row.service_id)).toEqual(['service-1']);
    expect(warningOf(store)).toMatch(/The usage log was damaged \(file is not a database\); it was moved aside as .*usage\.sqlite\.corrupt-20250106T090000Z and a new one was started/);
    expect(store.summary({ from: '2025-01-06', to: '2025-01-06', groupBy: 'day' }).storeWarning).toBe(warningOf(store));
  });

  it('whose pages are damaged behind a good header is found at opening and moved aside too', async () => {
    const file = join(folder, USAGE_DATABASE_FILE_NAME);
    const first = open(file);
    for (let index = 0; index < 500; index += 1) first.record(opened(index));
    await first.flush();
    first.close();
    stores.splice(0);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);
    const descriptor = openSync(file, 'r+');
    // Page 1 (the header and the schema) stays; the tables' pages become noise.
    writeSync(descriptor, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);
    closeSync(descriptor);

    const store = open(file);
    store.record(opened(1000));
    expect(await store.flush()).toEqual({ written: 1, pending: 0 });
    expect(readdirSync(folder).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
    expect(storedRows(file).map((row) => row.service_id)).toEqual(['service-1000']);
    expect(warningOf(store)).toMatch(/The usage log was damaged/);
  });
});

describe('a folder that cannot be used', () => {
  it('keeps the kiosk going with events in memory, warns staff, and writes them all once the folder works', async () => {
    // The data folder's parent is a regular file: creating or opening anything under it fails with ENOTDIR, even for root.
    const blocker = join(folder, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const file = join(blocker, 'data', USAGE_DATABASE_FILE_NAME);

    const store = open(file);
    for (let index = 0; index < 5; index += 1) expect(() => store.record(opened(index))).not.toThrow();
    expect(await store.flush()).toEqual({ written: 0, pending: 5 });
    expect(warningOf(store)).toMatch(/^The usage log cannot be opened \(ENOTDIR.*\): events are kept in memory and written once it can be\. 5 event\(s\) are waiting in memory\.$/);
    expect(store.summary({ from: '2025-01-06', to: '2025-01-06', groupBy: 'day' })).toMatchObject({ sessions: 0, storeWarning: warningOf(store) });
    expect(() => store.exportFile({ from: '2025-01-06', to: '2025-01-06' }, 'csv')).toThrow(/no export was made: the usage log cannot be read now/);
    expect(logLines.filter((line) => line.includes('cannot be opened'))).toHaveLength(1);

    // Events recorded meanwhile wait for the retry timer, not for each record().
    store.record(opened(5));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(store.diagnostics().pendingEvents).toBe(6);

    rmSync(blocker);
    mkdirSync(join(blocker, 'data'), { recursive: true });
    clock.advance(DEFAULT_USAGE_RETRY_DELAY_MS);
    expect(store.health()).toEqual({ ok: true });
    expect(storedRows(file).map((row) => row.service_id)).toEqual(['service-0', 'service-1', 'service-2', 'service-3', 'service-4', 'service-5']);
    expect(logLines.at(-1)).toMatch(/is open again; 6 event\(s\) kept in memory are being written/);
  });

  it('keeps at most queueCapacity events, the newest, and tells staff how many were lost', async () => {
    const blocker = join(folder, 'blocked');
    writeFileSync(blocker, '');
    const file = join(blocker, USAGE_DATABASE_FILE_NAME);
    const store = open(file, { queueCapacity: 4 });
    for (let index = 0; index < 10; index += 1) store.record(opened(index));
    expect(await store.flush()).toEqual({ written: 0, pending: 4 });
    expect(warningOf(store)).toMatch(/4 event\(s\) are waiting in memory\. 6 event\(s\) were lost because the usage log could not be written for too long\.$/);

    rmSync(blocker);
    mkdirSync(blocker);
    expect(await store.flush()).toEqual({ written: 4, pending: 0 });
    expect(storedRows(file).map((row) => row.service_id)).toEqual(['service-6', 'service-7', 'service-8', 'service-9']);
    // The loss stays known to staff after the recovery.
    expect(warningOf(store)).toBe('6 event(s) were lost because the usage log could not be written for too long.');
  });
});

describe('a full disk', () => {
  it('keeps events in memory while SQLite answers "full", and writes them once space is freed', async () => {
    const file = join(folder, USAGE_DATABASE_FILE_NAME);
    const store = open(file, { maxFileBytes: 16 * 4096 });
    let index = 0;
    let last = { written: 0, pending: 0 };
    while (last.pending === 0 && index < 20_000) {
      for (let burst = 0; burst < 50; burst += 1) store.record(opened((index += 1)));
      last = await store.flush();
    }
    expect(last).toEqual({ written: 0, pending: 50 });
    expect(warningOf(store)).toMatch(/^The usage log could not be written \(database or disk is full\): events are kept in memory and written once it can be\. 50 event\(s\) are waiting in memory\.$/);
    const committed = storedRows(file).length;
    expect(committed).toBe(index - 50);
    expect(() => store.record(opened((index += 1)))).not.toThrow();

    // Space is freed (here by deleting rows through another connection); the retry writes what waited.
    const other = new Database(file);
    other.prepare('DELETE FROM usage_events WHERE id <= ?').run(committed - 10);
    other.close();
    clock.advance(DEFAULT_USAGE_RETRY_DELAY_MS);
    expect(store.health()).toEqual({ ok: true });
    const ids = storedRows(file).map((row) => Number(row.service_id?.replace('service-', '')));
    expect(ids.slice(-51)).toEqual(Array.from({ length: 51 }, (_, offset) => index - 50 + offset));
  });
});

describe('a lock held by another program', () => {
  it('waits a moment, keeps the events, and writes them at the next try', async () => {
    const file = join(folder, USAGE_DATABASE_FILE_NAME);
    const store = open(file, { busyTimeoutMs: 20 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    store.record(opened(1));
    expect(await store.flush()).toEqual({ written: 0, pending: 1 });
    expect(warningOf(store)).toMatch(/could not be written \(database is locked\)/);
    other.exec('COMMIT');
    other.close();
    clock.advance(DEFAULT_USAGE_RETRY_DELAY_MS);
    expect(store.health()).toEqual({ ok: true });
    expect(readDatabase(file, (db) => db.prepare('SELECT service_id FROM usage_events').pluck().all())).toEqual(['service-1']);
  });
});
