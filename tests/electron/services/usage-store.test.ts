import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_ID_FILE_NAME } from '../../../electron/services/kiosk-identity';
import { createMemoryUsageLog } from '../../../electron/services/usage-log';
import {
  USAGE_DATABASE_FILE_NAME,
  USAGE_MAINTENANCE_INTERVAL_MS,
  openKioskUsageLog,
  openUsageStore,
  statisticsExportFileName,
  type UsageStore,
  type UsageStoreOptions,
} from '../../../electron/services/usage-store';
import { USAGE_MIGRATIONS } from '../../../electron/services/usage-migrations';
import { parseStatisticsExportJson } from '../../../shared/statistics/export-format';
import type { UsageEvent } from '../../../shared/usage-events';
import { ManualClock } from '../../support/manual-clock';
import { TEST_KIOSK_ID, TestTime, brusselsWinterDay, freshFolder, readDatabase, savedFigures, storedRows, testConfig } from './fixtures/usage-test-kit';

let folder: string;
let remove: () => void;
let file: string;
let time: TestTime;
let clock: ManualClock;
let logLines: string[];
const stores: UsageStore[] = [];

beforeEach(() => {
  ({ folder, remove } = freshFolder('usage-store'));
  file = join(folder, USAGE_DATABASE_FILE_NAME);
  time = new TestTime('2025-01-06T09:00:00Z');
  clock = new ManualClock(time.ms);
  logLines = [];
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  remove();
});

function open(overrides: Partial<UsageStoreOptions> = {}): UsageStore {
  const store = openUsageStore({
    file,
    config: testConfig(),
    kioskId: TEST_KIOSK_ID,
    now: time.now,
    localDay: brusselsWinterDay,
    clock,
    log: (line) => logLines.push(line),
    ...overrides,
  });
  stores.push(store);
  return store;
}

const visit: UsageEvent[] = [
  { type: 'session-started', language: 'nl' },
  { type: 'service-opened', serviceId: 'myminfin' },
  { type: 'accessibility-on', option: 'larger-text' },
  { type: 'help-requested', serviceId: 'myminfin' },
  { type: 'help-acknowledged', waitSeconds: 42.4 },
  { type: 'help-resolved', waitSeconds: 300.5 },
  { type: 'language-changed', language: 'fr' },
  { type: 'session-ended', reason: 'visitor', durationSeconds: 612.6 },
  { type: 'wipe-done', durationMs: 1_499, verified: true, attempt: 1 },
];

describe('the usage store file', () => {
  it('is opened with WAL, synchronous = FULL and foreign keys, at the newest schema version', () => {
    const store = open();
    expect(store.diagnostics()).toEqual({
      file,
      open: true,
      schemaVersion: USAGE_MIGRATIONS.length,
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: 1,
      pendingEvents: 0,
      droppedEvents: 0,
      refusedEvents: 0,
    });
    // The journal mode is in the file itself: another connection sees it too.
    expect(readDatabase(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    expect(store.health()).toEqual({ ok: true });
  });

  it('refuses a database from a newer version with a clear message, leaves it byte for byte, and keeps events in memory', async () => {
    const newer = new Database(file);
    newer.exec('CREATE TABLE future (x INTEGER)');
    newer.pragma(`user_version = ${USAGE_MIGRATIONS.length + 5}`);
    newer.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const filesBefore = readdirSync(folder).sort();

    const store = open();
    store.record({ type: 'session-started', language: 'fr' });
    expect(await store.flush()).toEqual({ written: 0, pending: 1 });

    const health = store.health();
    expect(health.ok).toBe(false);
    expect(health.ok ? '' : health.warning).toMatch(/written by a newer version of EPN Kiosk .*schema version 7; this version knows up to 2.*left untouched/);
    expect(health.ok ? '' : health.warning).toMatch(/1 event\(s\) are waiting in memory/);
    expect(store.diagnostics()).toMatchObject({ open: false, pendingEvents: 1 });
    store.close();
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    expect(readdirSync(folder).sort()).toEqual(filesBefore);
  });
});

describe('recording', () => {
  it('writes nothing in the caller\'s turn: the event is committed on the next turn of the event loop', async () => {
    const store = open();
    store.record({ type: 'session-started', language: 'de' });
    expect(storedRows(file)).toEqual([]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(storedRows(file).map((row) => row.type)).toEqual(['session-started']);
  });

  it('writes the events of one turn together and answers flush with what was written', async () => {
    const store = open();
    for (const event of visit) store.record(event);
    expect(await store.flush()).toEqual({ written: visit.length, pending: 0 });
    expect(await store.flush()).toEqual({ written: 0, pending: 0 });
  });

  it('keeps each event in its own typed columns, times to the minute and durations to the second', async () => {
    const store = open();
    time.at('2025-01-06T09:15:42.900Z');
    for (const event of visit) store.record(event);
    await store.flush();
    const rows = storedRows(file).map(({ id: _id, session_key: _key, ...row }) => row);
    const minute = Math.floor(Date.parse('2025-01-06T09:15:00Z') / 60_000);
    const base = { minute, day: '2025-01-06', language: null, service_id: null, reason: null, seconds: null, option: null, verified: null, attempt: null };
    expect(rows).toEqual([
      { ...base, type: 'session-started', language: 'nl' },
      { ...base, type: 'service-opened', service_id: 'myminfin' },
      { ...base, type: 'accessibility-on', option: 'larger-text' },
      { ...base, type: 'help-requested', service_id: 'myminfin' },
      { ...base, type: 'help-acknowledged', seconds: 42 },
      { ...base, type: 'help-resolved', seconds: 301 },
      { ...base, type: 'language-changed', language: 'fr' },
      { ...base, type: 'session-ended', reason: 'visitor', seconds: 613 },
      { ...base, type: 'wipe-done', seconds: 1, verified: 1, attempt: 1 },
    ]);
  });

  it('stamps the kiosk\'s local day, not the UTC one', async () => {
    const store = open();
    time.at('2025-01-06T23:30:00Z'); // 00:30 on the 7th in Brussels
    store.record({ type: 'help-requested', serviceId: null });
    await store.flush();
    expect(storedRows(file).map((row) => row.day)).toEqual(['2025-01-07']);
  });

  it('links the events of one session with a random 128-bit key, a new one for each session, none outside a session', async () => {
    const store = open();
    store.record({ type: 'wipe-done', durationMs: 10, verified: true, attempt: 1 });
    for (let session = 0; session < 3; session += 1) {
      store.record({ type: 'session-started', language: 'fr' });
      store.record({ type: 'service-opened', serviceId: 'forem' });
      store.record({ type: 'session-ended', reason: 'idle', durationSeconds: 60 });
      store.record({ type: 'wipe-done', durationMs: 10, verified: true, attempt: 1 });
    }
    await store.flush();
    const keys = storedRows(file).map((row) => row.session_key);
    expect(keys[0]).toBeNull();
    const perSession = [keys.slice(1, 5), keys.slice(5, 9), keys.slice(9, 13)];
    for (const [started, opened, ended, wiped] of perSession) {
      expect(started).toMatch(/^[0-9a-f]{32}$/);
      expect(opened).toBe(started);
      expect(ended).toBe(started);
      expect(wiped).toBeNull();
    }
    expect(new Set(perSession.map((session) => session[0])).size).toBe(3);
  });

  it('refuses a malformed event without throwing and without writing its content anywhere, the log included', async () => {
    const store = open();
    const canary = 'https://canary.example/?q=secret-visitor-text';
    const hostile = [
      { type: 'service-opened', serviceId: canary },
      { type: 'service-opened', serviceId: 'myminfin', url: canary },
      { type: 'page-visited', url: canary },
      { type: 'session-started', language: canary },
      null,
    ];
    for (const event of hostile) expect(() => store.record(event as unknown as UsageEvent)).not.toThrow();
    store.record({ type: 'service-opened', serviceId: 'myminfin' });
    await store.flush();
    expect(storedRows(file).map((row) => row.service_id)).toEqual(['myminfin']);
    expect(logLines.filter((line) => line.includes('malformed'))).toHaveLength(hostile.length);
    expect(store.diagnostics()).toMatchObject({ refusedEvents: hostile.length, droppedEvents: 0 });
    expect(logLines.join('\n')).not.toContain('canary');
    const bytes = [file, `${file}-wal`].filter(existsSync).map((path) => readFileSync(path).toString('latin1')).join('');
    expect(bytes).not.toContain('canary');
  });

  it('keeps no reference to the caller\'s object', async () => {
    const store = open();
    const event = { type: 'service-opened', serviceId: 'forem' } as { type: 'service-opened'; serviceId: string };
    store.record(event);
    event.serviceId = 'itsme';
    await store.flush();
    expect(storedRows(file).map((row) => row.service_id)).toEqual(['forem']);
  });

  it('writes what is queued when closed, and ignores what comes after', () => {
    const store = open();
    store.record({ type: 'session-started', language: 'en' });
    store.close();
    store.record({ type: 'session-started', language: 'fr' });
    expect(storedRows(file).map((row) => row.language)).toEqual(['en']);
  });
});

describe('statistics from the store', () => {
  async function recordVisitsOn(store: UsageStore, iso: string, languages: readonly ('fr' | 'nl' | 'de' | 'en')[]): Promise<void> {
    time.at(iso);
    for (const language of languages) {
      store.record({ type: 'session-started', language });
      store.record({ type: 'service-opened', serviceId: 'myminfin' });
      store.record({ type: 'session-ended', reason: 'visitor', durationSeconds: 600 });
    }
    await store.flush();
  }

  it('sums rolled-up days and today\'s events that are not rolled up yet', async () => {
    const store = open();
    await recordVisitsOn(store, '2025-01-06T10:00:00Z', ['fr', 'fr', 'nl']);
    time.at('2025-01-07T10:00:00Z');
    expect(store.maintain().rolledUp).toEqual(['2025-01-06']);
    await recordVisitsOn(store, '2025-01-07T11:00:00Z', ['de']);

    const summary = store.summary({ from: '2025-01-06', to: '2025-01-08', groupBy: 'day' });
    expect(summary.storeWarning).toBeNull();
    expect(summary.sessions).toBe(4);
    expect(summary.series.map((bucket) => [bucket.key, bucket.sessions])).toEqual([
      ['2025-01-06', 3],
      ['2025-01-07', 1],
      ['2025-01-08', 0],
    ]);
    expect(summary.languages).toEqual([
      { language: 'fr', sessions: 2 },
      { language: 'de', sessions: 1 },
      { language: 'nl', sessions: 1 },
    ]);
    expect(summary.services).toEqual([{ serviceId: 'myminfin', openings: 4 }]);
    // Today is not saved as figures before it is over.
    expect([...savedFigures(file).keys()]).toEqual(['2025-01-06']);
  });

  it('includes events recorded in the same turn as the question', () => {
    const store = open();
    store.record({ type: 'session-started', language: 'fr' });
    expect(store.summary({ from: '2025-01-06', to: '2025-01-06', groupBy: 'day' }).sessions).toBe(1);
  });

  it('refuses a period the statistics cannot answer for', () => {
    const store = open();
    expect(() => store.summary({ from: '2025-01-07', to: '2025-01-06', groupBy: 'day' })).toThrow(/must not be before/);
  });

  it('exports JSON with the kiosk\'s labels, its identifier and the configured suppression threshold', async () => {
    const config = testConfig({ suppressionThreshold: 3 }, { name: 'PC 3', site: 'EPN de Namur' });
    const store = open({ config });
    await recordVisitsOn(store, '2025-01-06T10:00:00Z', ['fr', 'fr', 'fr', 'nl', 'nl', 'nl']);
    const file = store.exportFile({ from: '2025-01-06', to: '2025-01-07' }, 'json');
    expect(file.fileName).toBe('epn-kiosk-epn-de-namur-pc-3-2025-01-06-2025-01-07.json');
    expect(file.mediaType).toBe('application/json; charset=utf-8');
    const parsed = parseStatisticsExportJson(file.content);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.export.kioskId).toBe(TEST_KIOSK_ID);
    expect(parsed.export.kiosk).toEqual({ name: 'PC 3', site: 'EPN de Namur' });
    expect(parsed.export.suppressionThreshold).toBe(3);
    expect(parsed.export.exportedAt).toBe('2025-01-06T10:00Z');
    expect(parsed.export.days.map((day) => day.day)).toEqual(['2025-01-06', '2025-01-07']);
    expect(parsed.export.days[0]).toMatchObject({ sessions: 6, languages: { fr: 3, nl: 3 } });

    // The threshold is read from the configuration in force: at 4, three sessions in a language are too few.
    config.set({ suppressionThreshold: 4 });
    const stricter = parseStatisticsExportJson(store.exportFile({ from: '2025-01-06', to: '2025-01-06' }, 'json').content);
    if (!stricter.ok) throw new Error(stricter.problems.join('\n'));
    expect(stricter.export.suppressionThreshold).toBe(4);
    expect(stricter.export.days[0]).toMatchObject({ sessions: 6, languages: { fr: null, nl: null } });
  });

  it('exports CSV, and never a session key', async () => {
    const store = open();
    await recordVisitsOn(store, '2025-01-06T10:00:00Z', ['fr', 'fr', 'fr']);
    const exported = store.exportFile({ from: '2025-01-06', to: '2025-01-06' }, 'csv');
    expect(exported.fileName).toBe('epn-kiosk-epn-de-namur-pc-3-2025-01-06-2025-01-06.csv');
    expect(exported.mediaType).toBe('text/csv; charset=utf-8');
    expect(exported.content.split('\r\n')[0]).toBe('schema_version,kiosk_id,kiosk_name,site,day,measure,key,value');
    expect(exported.content).toContain(`1,${TEST_KIOSK_ID},PC 3,EPN de Namur,2025-01-06,sessions,,3`);
    const keys = storedRows(file).map((row) => row.session_key).filter((key): key is string => key !== null);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(exported.content).not.toContain(key);
  });

  it('names export files with letters, digits and dashes only', () => {
    expect(statisticsExportFileName({ name: 'PC n°3 / Accueil', site: 'EPN Liège — Sainte-Marguerite' }, { from: '2025-01-01', to: '2025-03-31' }, 'csv')).toBe(
      'epn-kiosk-epn-liege-sainte-marguerite-pc-n-3-accueil-2025-01-01-2025-03-31.csv',
    );
    expect(statisticsExportFileName({ name: '../../..', site: '' }, { from: '2025-01-01', to: '2025-01-01' }, 'json')).toBe('epn-kiosk-kiosk-2025-01-01-2025-01-01.json');
  });
});

describe('backups', () => {
  it('copies the database through SQLite\'s backup API into a new, consistent file', async () => {
    const store = open();
    for (const event of visit) store.record(event);
    const target = join(folder, 'backup.sqlite');
    await store.backupDatabase(target);
    const copied = readDatabase(target, (db) => ({
      integrity: db.pragma('integrity_check', { simple: true }),
      version: db.pragma('user_version', { simple: true }),
      types: (db.prepare('SELECT type FROM usage_events ORDER BY id').pluck().all() as string[]),
    }));
    expect(copied).toEqual({ integrity: 'ok', version: USAGE_MIGRATIONS.length, types: visit.map((event) => event.type) });
  });

  it('never replaces a file, nor the usage log itself', async () => {
    const store = open();
    const existing = join(folder, 'keep-me.sqlite');
    writeFileSync(existing, 'precious');
    await expect(store.backupDatabase(existing)).rejects.toThrow(/already exists/);
    expect(readFileSync(existing, 'utf8')).toBe('precious');
    await expect(store.backupDatabase(file)).rejects.toThrow(/is the usage log itself/);
  });
});

describe('maintenance on the injected timer', () => {
  it('rolls up at start and then every hour', async () => {
    time.at('2025-01-06T22:00:00Z');
    const store = open();
    store.record({ type: 'session-started', language: 'fr' });
    await store.flush();
    expect(savedFigures(file).size).toBe(0);
    // 23:00 UTC is midnight in Brussels: the 6th is over, and the next hourly run sees it.
    time.at('2025-01-06T23:30:00Z');
    clock.advance(USAGE_MAINTENANCE_INTERVAL_MS);
    expect([...savedFigures(file).keys()]).toEqual(['2025-01-06']);
    expect(savedFigures(file).get('2025-01-06')?.figures).toMatchObject({ day: '2025-01-06', sessions: 1 });
    expect(clock.pendingTimers()).toBe(1);
  });

  it('rolls up at start the days that ended while the kiosk was off', async () => {
    const first = open();
    first.record({ type: 'session-started', language: 'nl' });
    first.close();
    stores.splice(0);
    time.at('2025-01-09T08:00:00Z');
    open();
    expect([...savedFigures(file).keys()]).toEqual(['2025-01-06']);
  });
});

describe('openKioskUsageLog', () => {
  it('keeps usage.sqlite and the kiosk identifier in the data folder, the same identifier at every start', () => {
    const first = openKioskUsageLog({ dataDir: folder, config: testConfig(), now: time.now, clock, log: (line) => logLines.push(line) });
    expect(first.store).not.toBeNull();
    first.close();
    const kioskId = readFileSync(join(folder, KIOSK_ID_FILE_NAME), 'utf8').trim();
    expect(kioskId).toMatch(/^[0-9a-f]{32}$/);
    const second = openKioskUsageLog({ dataDir: folder, config: testConfig(), now: time.now, clock, log: (line) => logLines.push(line) });
    const exported = JSON.parse(second.statistics.exportFile({ from: '2025-01-06', to: '2025-01-06' }, 'json').content) as { kioskId: string };
    second.close();
    expect(exported.kioskId).toBe(kioskId);
    expect(existsSync(join(folder, USAGE_DATABASE_FILE_NAME))).toBe(true);
    expect(logLines).toEqual([]);
  });

  it('falls back to memory, with one line in the log, when SQLite\'s native module cannot be loaded', () => {
    const usage = openKioskUsageLog({
      dataDir: folder,
      config: testConfig(),
      nativeBinding: join(folder, 'missing', 'better_sqlite3.node'),
      now: time.now,
      clock,
      log: (line) => logLines.push(line),
    });
    expect(usage.store).toBeNull();
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatch(/^the usage log cannot use SQLite, events are kept in memory only: better-sqlite3's native module cannot be loaded/);
    expect(() => usage.usageLog.record({ type: 'session-started', language: 'fr' })).not.toThrow();
    const summary = usage.statistics.summary({ from: '2025-01-06', to: '2025-01-06', groupBy: 'day' });
    expect(summary.sessions).toBe(0);
    expect(summary.storeWarning).toMatch(/^Usage figures are not being saved on this kiosk: better-sqlite3's native module/);
    expect(() => usage.statistics.exportFile({ from: '2025-01-06', to: '2025-01-06' }, 'csv')).toThrow(/no export was made/);
    expect(existsSync(join(folder, USAGE_DATABASE_FILE_NAME))).toBe(false);
    usage.close();
  });

  it('records the same events as the in-memory log it replaces', async () => {
    const memory = createMemoryUsageLog({ now: time.now });
    const store = open();
    for (const event of visit) {
      memory.record(event);
      store.record(event);
    }
    await store.flush();
    expect(storedRows(file).map((row) => row.type)).toEqual(memory.events().map((entry) => entry.event.type));
  });
});
