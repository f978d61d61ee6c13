/**
 * The kiosk's statistics upload: figures from a real usage store (usage.sqlite) sent to a
 * real hub (hub.sqlite), both in temporary folders. Finished days only, the same days
 * sent twice counted once, and the retries while the hub is down on a manual clock.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../../shared/usage-events';
import { claimHubCredential, createHubCredentialKeeper } from '../../../electron/services/hub-credential';
import { startStatisticsUpload, type StatisticsUploader } from '../../../electron/services/statistics-upload';
import { USAGE_DATABASE_FILE_NAME, openKioskUsageLog, openUsageStore, type UsageStore } from '../../../electron/services/usage-store';
import { ManualClock } from '../../support/manual-clock';
import { startTestHub, type TestHub } from '../hub/hub-test-kit';
import { unusedPort } from '../preview/loopback-http';
import { TEST_KIOSK_ID, TestTime, brusselsWinterDay, freshFolder, testConfig } from './fixtures/usage-test-kit';
import { waitUntil } from './fixtures/wait-until';

let folder: string;
let remove: () => void;
let kits: TestHub[];
let stores: UsageStore[];
let uploaders: StatisticsUploader[];

beforeEach(() => {
  ({ folder, remove } = freshFolder('statistics-upload'));
  kits = [];
  stores = [];
  uploaders = [];
});

afterEach(async () => {
  for (const uploader of uploaders) uploader.close();
  for (const store of stores) store.close();
  await Promise.all(kits.map((kit) => kit.close()));
  remove();
});

async function hub(options: { port?: number; dataDir?: string } = {}): Promise<TestHub> {
  const kit = await startTestHub(options);
  kits.push(kit);
  return kit;
}

const visit = (language: 'fr' | 'nl', seconds: number): UsageEvent[] => [
  { type: 'session-started', language },
  { type: 'service-opened', serviceId: 'myminfin' },
  { type: 'help-requested', serviceId: 'myminfin' },
  { type: 'help-acknowledged', waitSeconds: 90 },
  { type: 'session-ended', reason: 'visitor', durationSeconds: seconds },
];

/**
 * A usage store with visits on 4 and 5 January and one today, 6 January 2025 (Brussels).
 * Its own timers (hourly roll-up) run on a clock of their own, so the uploader's clock
 * holds the uploader's timers only.
 */
async function storeWithVisits(time: TestTime): Promise<UsageStore> {
  const store = openUsageStore({ file: join(folder, USAGE_DATABASE_FILE_NAME), config: testConfig(), kioskId: TEST_KIOSK_ID, now: time.now, localDay: brusselsWinterDay, clock: new ManualClock(time.ms), log: () => {} });
  stores.push(store);
  time.at('2025-01-04T10:00:00Z');
  for (const event of visit('fr', 600)) store.record(event);
  await store.flush();
  time.at('2025-01-05T14:00:00Z');
  for (const event of [...visit('nl', 300), ...visit('fr', 1200)]) store.record(event);
  await store.flush();
  time.at('2025-01-06T09:00:00Z');
  for (const event of visit('nl', 60)) store.record(event);
  await store.flush();
  return store;
}

function uploader(kit: TestHub | { url: string }, store: { dailyFigures: UsageStore['dailyFigures'] }, clock: ManualClock, pairingCode: string | undefined, lines: string[]): StatisticsUploader {
  const credentials = createHubCredentialKeeper({
    file: join(folder, 'hub-credential.json'),
    settings: () => ({ hubUrl: kit.url, pairingCode, name: 'PC 3', site: 'EPN de Namur' }),
    kioskId: TEST_KIOSK_ID,
    log: (line) => lines.push(line),
  });
  const started = startStatisticsUpload({
    hubUrl: () => kit.url,
    credentials,
    figures: store,
    kioskId: TEST_KIOSK_ID,
    kiosk: () => ({ name: 'PC 3', site: 'EPN de Namur' }),
    clock,
    localDay: brusselsWinterDay,
    log: (line) => lines.push(line),
  });
  uploaders.push(started);
  return started;
}

describe('the usage store\'s daily figures', () => {
  it('gives the days of a range that have figures, in order, today included when asked', async () => {
    const time = new TestTime();
    const store = await storeWithVisits(time);
    expect(store.dailyFigures({ from: '2024-12-01', to: '2025-01-05' }).map((figures) => [figures.day, figures.sessions])).toEqual([
      ['2025-01-04', 1],
      ['2025-01-05', 2],
    ]);
    expect(store.dailyFigures({ from: '2025-01-06', to: '2025-01-06' }).map((figures) => figures.sessions)).toEqual([1]);
    expect(store.dailyFigures({ from: '2025-02-01', to: '2025-02-28' })).toEqual([]);
  });

  it('gives none when SQLite cannot be used and events are kept in memory', () => {
    const usage = openKioskUsageLog({ dataDir: folder, config: testConfig(), kioskId: TEST_KIOSK_ID, nativeBinding: join(folder, 'no-such-binding.node'), log: () => {} });
    expect(usage.store).toBeNull();
    expect(usage.figures.dailyFigures({ from: '2025-01-01', to: '2025-01-31' })).toEqual([]);
    usage.close();
  });
});

describe('startStatisticsUpload', () => {
  it('sends the finished days at start, never today; the same days sent again are counted once', async () => {
    const time = new TestTime();
    const clock = new ManualClock(time.ms);
    const store = await storeWithVisits(time);
    const kit = await hub();
    const lines: string[] = [];
    const sending = uploader(kit, store, clock, kit.hub.issuePairingCode('kiosk').code, lines);

    await waitUntil(() => kit.hub.store.kioskDays('2025-01-01', '2025-01-31').length === 1 && clock.pendingTimers() === 1, 'the first upload');
    const [kiosk] = kit.hub.store.kioskDays('2025-01-01', '2025-01-31');
    expect(kiosk!.kioskId).toBe(TEST_KIOSK_ID);
    expect(kiosk!.kiosk).toEqual({ name: 'PC 3', site: 'EPN de Namur' });
    expect(kiosk!.days.map((figures) => [figures.day, figures.sessions, figures.help.acknowledged])).toEqual([
      ['2025-01-04', 1, 1],
      ['2025-01-05', 2, 2],
    ]);
    // The next round comes an hour later.
    expect(clock.nextDueAt()! - clock.now()).toBe(3_600_000);

    expect(await sending.uploadNow()).toEqual({ kind: 'sent', days: 2, stored: 0, replaced: 2 });
    expect(kit.hub.store.daySums('2025-01-01', '2025-01-31').map((figures) => [figures.day, figures.sessions])).toEqual([
      ['2025-01-04', 1],
      ['2025-01-05', 2],
    ]);
    expect(kit.hub.store.kioskCount('2025-01-01', '2025-01-31')).toBe(1);
    expect(lines.filter((line) => line.startsWith('statistics upload'))).toEqual([]);
  });

  it('sends a day once it is over, and the earlier days again in place of what the hub had', async () => {
    const time = new TestTime();
    const clock = new ManualClock(time.ms);
    const store = await storeWithVisits(time);
    const kit = await hub();
    const sending = uploader(kit, store, clock, kit.hub.issuePairingCode('kiosk').code, []);
    await waitUntil(() => kit.hub.store.kioskDays('2025-01-01', '2025-01-31').length === 1, 'the first upload');
    await waitUntil(() => clock.pendingTimers() === 1, 'the first round to be over');
    time.at('2025-01-07T08:00:00Z');
    clock.advanceTo(time.ms);
    // The hourly rounds of the 6th ran on the way; this one is on the 7th, when the 6th is over.
    await waitUntil(() => clock.pendingTimers() === 1, 'the hourly rounds to be over');
    expect(await sending.uploadNow()).toEqual({ kind: 'sent', days: 3, stored: 1, replaced: 2 });
    expect(kit.hub.store.daySums('2025-01-01', '2025-01-31').map((figures) => [figures.day, figures.sessions])).toEqual([
      ['2025-01-04', 1],
      ['2025-01-05', 2],
      ['2025-01-06', 1],
    ]);
  });

  it('skips quietly when there are no figures yet', async () => {
    const time = new TestTime();
    const clock = new ManualClock(time.ms);
    const kit = await hub();
    const empty = openUsageStore({ file: join(folder, USAGE_DATABASE_FILE_NAME), config: testConfig(), kioskId: TEST_KIOSK_ID, now: time.now, localDay: brusselsWinterDay, clock: new ManualClock(time.ms), log: () => {} });
    stores.push(empty);
    const sending = uploader(kit, empty, clock, kit.hub.issuePairingCode('kiosk').code, []);
    expect(await sending.uploadNow()).toEqual({ kind: 'skipped', reason: 'no figures yet' });
    expect(kit.hub.store.kioskCount('2000-01-01', '2100-01-01')).toBe(0);
  });

  it('retries on the background schedule while the hub is down, with one log line, and sends once it is back', async () => {
    const time = new TestTime();
    const clock = new ManualClock(time.ms);
    const store = await storeWithVisits(time);
    const port = await unusedPort();
    const dataDir = join(folder, 'hub-data');
    const before = await hub({ port, dataDir });
    const paired = await claimHubCredential({ file: join(folder, 'hub-credential.json'), hubUrl: before.url, code: before.hub.issuePairingCode('kiosk').code, name: 'PC 3', site: '', kioskId: TEST_KIOSK_ID });
    expect(paired.ok).toBe(true);
    await before.close();
    const lines: string[] = [];
    uploader({ url: `http://127.0.0.1:${port}` }, store, clock, undefined, lines);

    const delays: number[] = [];
    await waitUntil(() => clock.pendingTimers() === 1, 'the first retry to be armed');
    delays.push(clock.nextDueAt()! - clock.now());
    for (let retry = 1; retry <= 3; retry += 1) {
      const due = clock.nextDueAt()!;
      clock.advanceTo(due);
      await waitUntil(() => clock.pendingTimers() === 1 && clock.nextDueAt()! > due, `retry ${retry} to arm the next`);
      delays.push(clock.nextDueAt()! - clock.now());
    }
    expect(delays).toEqual([10_000, 30_000, 60_000, 300_000]);
    // One line per kind of problem (a connection the hub closed, then refused connections), not one per attempt.
    const failures = lines.filter((line) => line.startsWith('statistics upload'));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThanOrEqual(2);

    const after = await hub({ port, dataDir });
    clock.advanceTo(clock.nextDueAt()!);
    await waitUntil(() => after.hub.store.kioskDays('2025-01-01', '2025-01-31').length === 1, 'the upload to reach the hub');
    await waitUntil(() => clock.pendingTimers() === 1 && clock.nextDueAt()! - clock.now() === 3_600_000, 'the hourly round to be armed');
  });

  it('says clearly when the hub refuses the figures of a kiosk that paired under another id', async () => {
    const time = new TestTime();
    const clock = new ManualClock(time.ms);
    const store = await storeWithVisits(time);
    const kit = await hub();
    // Paired under another statistics id (the kiosk-id file was replaced since).
    const other = await kit.pair('kiosk', { kioskId: 'fedcba9876543210fedcba9876543210' });
    writeFileSync(join(folder, 'hub-credential.json'), JSON.stringify({ hubUrl: kit.url, deviceId: other.deviceId, role: 'kiosk', token: other.token, pairedAt: 1 }));
    const lines: string[] = [];
    const sending = uploader(kit, store, clock, undefined, lines);
    await waitUntil(() => lines.some((line) => line.startsWith('statistics upload')), 'the refusal to be logged');
    expect(lines.find((line) => line.startsWith('statistics upload'))).toContain('kioskId');
    expect(await sending.uploadNow()).toMatchObject({ kind: 'failed' });
    expect(kit.hub.store.kioskCount('2000-01-01', '2100-01-01')).toBe(0);
  });
});
