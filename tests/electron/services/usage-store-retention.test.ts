/**
 * Roll-up and retention at their boundaries. Days are the kiosk's local days (Brussels in
 * winter, UTC+1, fixed for the tests). With a retention of R days, the raw events of a day
 * that is R days old are kept, those of a day R + 1 days old are deleted, and only once that
 * day's saved figures include them.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE_DATABASE_FILE_NAME, openUsageStore, type UsageStore, type UsageStoreOptions } from '../../../electron/services/usage-store';
import { addDays } from '../../../shared/statistics/calendar';
import { ManualClock } from '../../support/manual-clock';
import { TEST_KIOSK_ID, TestTime, brusselsWinterDay, freshFolder, savedFigures, storedRows, testConfig } from './fixtures/usage-test-kit';

let file: string;
let remove: () => void;
let time: TestTime;
let logLines: string[];
const stores: UsageStore[] = [];

beforeEach(() => {
  const fresh = freshFolder('usage-retention');
  remove = fresh.remove;
  file = join(fresh.folder, USAGE_DATABASE_FILE_NAME);
  time = new TestTime('2024-09-01T10:00:00Z');
  logLines = [];
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  remove();
});

function open(overrides: Partial<UsageStoreOptions> = {}): UsageStore {
  const store = openUsageStore({
    file,
    config: testConfig({ retentionDays: 90 }),
    kioskId: TEST_KIOSK_ID,
    now: time.now,
    localDay: brusselsWinterDay,
    clock: new ManualClock(time.ms),
    log: (line) => logLines.push(line),
    ...overrides,
  });
  stores.push(store);
  return store;
}

/** Noon, local time (UTC+1), of a day. */
const noonOf = (day: string) => `${day}T11:00:00Z`;

async function sessionsOn(store: UsageStore, day: string, count: number): Promise<void> {
  time.at(noonOf(day));
  for (let index = 0; index < count; index += 1) {
    store.record({ type: 'session-started', language: 'fr' });
    store.record({ type: 'session-ended', reason: 'visitor', durationSeconds: 300 + index });
  }
  await store.flush();
}

const rawDays = () => [...new Set(storedRows(file).map((row) => row.day))];
const sessionsSaved = (day: string) => savedFigures(file).get(day)?.figures.sessions;

describe('the roll-up', () => {
  it('does not roll up a day before it is over, and does once it is', async () => {
    const store = open();
    await sessionsOn(store, '2025-01-06', 2);
    time.at('2025-01-06T22:59:00Z'); // 23:59 local
    expect(store.maintain().rolledUp).toEqual([]);
    expect(savedFigures(file).size).toBe(0);
    time.at('2025-01-06T23:00:00Z'); // midnight local: the 6th is over
    expect(store.maintain().rolledUp).toEqual(['2025-01-06']);
    expect(sessionsSaved('2025-01-06')).toBe(2);
    // Nothing new: nothing to do.
    expect(store.maintain().rolledUp).toEqual([]);
  });

  it('rolls up a day again when events arrive late for it', async () => {
    const store = open();
    await sessionsOn(store, '2025-01-06', 2);
    time.at(noonOf('2025-01-07'));
    expect(store.maintain().rolledUp).toEqual(['2025-01-06']);
    expect(sessionsSaved('2025-01-06')).toBe(2);

    // A late event of the 6th (written after a disk failure, or after the clock was put back).
    await sessionsOn(store, '2025-01-06', 1);
    time.at(noonOf('2025-01-07'));
    expect(store.maintain().rolledUp).toEqual(['2025-01-06']);
    expect(sessionsSaved('2025-01-06')).toBe(3);
    const saved = savedFigures(file).get('2025-01-06')!;
    expect(saved.lastEventId).toBe(Math.max(...storedRows(file).map((row) => row.id)));
    expect(saved.figures.sessionSeconds).toMatchObject({ total: 300 + 301 + 300, median: 300 });
  });

  it('adds late events to the saved figures of a day whose raw events are already gone', async () => {
    const store = open();
    await sessionsOn(store, '2024-09-01', 3);
    time.at(noonOf('2024-12-15'));
    store.maintain();
    expect(rawDays()).toEqual([]);
    expect(sessionsSaved('2024-09-01')).toBe(3);

    await sessionsOn(store, '2024-09-01', 1);
    time.at(noonOf('2024-12-15'));
    expect(store.maintain()).toEqual({ rolledUp: ['2024-09-01'], deletedEvents: 2 });
    expect(savedFigures(file).get('2024-09-01')?.figures).toMatchObject({ sessions: 4, sessionSeconds: { total: 300 + 301 + 302 + 300 }, endReasons: { visitor: 4 } });
  });
});

describe('the retention of raw events (90 days)', () => {
  it('keeps the raw events of days 89 and 90 before today and deletes those of day 91, keeping every day\'s figures', async () => {
    const today = '2025-01-06';
    const store = open();
    for (const age of [91, 90, 89]) await sessionsOn(store, addDays(today, -age), 1);
    time.at(noonOf(today));
    const report = store.maintain();
    expect(report.rolledUp).toEqual([addDays(today, -91), addDays(today, -90), addDays(today, -89)]);
    expect(report.deletedEvents).toBe(2);
    expect(rawDays()).toEqual([addDays(today, -90), addDays(today, -89)]);
    expect([...savedFigures(file).keys()]).toEqual([addDays(today, -91), addDays(today, -90), addDays(today, -89)]);

    // A day later, day 90 has become day 91.
    time.at(noonOf(addDays(today, 1)));
    expect(store.maintain().deletedEvents).toBe(2);
    expect(rawDays()).toEqual([addDays(today, -89)]);
    // The figures stay, and the statistics still count those days.
    expect(store.summary({ from: addDays(today, -91), to: today, groupBy: 'day' }).sessions).toBe(3);
  });

  it('follows the retention in the configuration in force', async () => {
    const config = testConfig({ retentionDays: 90 });
    const store = open({ config });
    await sessionsOn(store, '2024-12-20', 1);
    time.at(noonOf('2025-01-06'));
    expect(store.maintain().deletedEvents).toBe(0);
    config.set({ retentionDays: 7 });
    expect(store.maintain().deletedEvents).toBe(2);
    expect(rawDays()).toEqual([]);
  });

  it('never deletes the raw events of a day whose figures could not be saved, nor events a day\'s saved figures do not include', async () => {
    const store = open();
    await sessionsOn(store, '2024-09-01', 1);
    await sessionsOn(store, '2024-09-02', 1);
    time.at(noonOf('2024-09-03'));
    store.maintain();
    // Late events for the 2nd, then saving figures fails for the 1st (new) and for the 2nd (update).
    await sessionsOn(store, '2024-09-02', 1);
    await sessionsOn(store, '2024-09-04', 1);
    const other = new Database(file);
    other.exec(`
      CREATE TRIGGER refuse_update BEFORE UPDATE ON daily_figures WHEN old.day = '2024-09-02' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
      CREATE TRIGGER refuse_insert BEFORE INSERT ON daily_figures WHEN new.day = '2024-09-04' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
    `);
    other.close();

    time.at(noonOf('2025-06-01'));
    const report = store.maintain();
    expect(report.rolledUp).toEqual([]);
    expect(logLines.filter((line) => line.includes('could not be saved'))).toHaveLength(2);
    const left = storedRows(file).map((row) => `${row.day} ${row.type}`);
    // The 1st: rolled up and old, deleted. The 2nd: its first session (in the saved figures) deleted, the late one kept. The 4th: all kept.
    expect(left).toEqual(['2024-09-02 session-started', '2024-09-02 session-ended', '2024-09-04 session-started', '2024-09-04 session-ended']);
    expect(report.deletedEvents).toBe(4);
    expect(sessionsSaved('2024-09-02')).toBe(1);
  });
});
