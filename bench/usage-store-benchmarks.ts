/**
 * The usage log's costs (electron/services/usage-store.ts) and the statistics of a whole
 * network's year.
 *
 * 1. Recording one event as the app does it: `record()` on a real store in a fresh folder of
 *    os.tmpdir() on this machine's disk, `synchronous = FULL`, then `await flush()`, which
 *    resolves after the write the store itself scheduled (setImmediate, one transaction):
 *    from the call to the committed event. And the time spent inside `record()` alone: what
 *    the caller (the session controller, on the main process) pays before it goes on.
 * 2. One kiosk-year of raw events in a real store: a year (2025) of realistic visits recorded
 *    day by day through `record()`, then `maintain()` at the start of 2026: every day rolled
 *    up from SQLite into daily figures, and the retention (90 days) applied. Then the staff
 *    screen's question for that year (`summary`, by week). Three kiosks of different
 *    busyness; the median is extrapolated to 1,600 kiosks (one core, one after another).
 * 3. A network of 1,600 kiosks over 365 days, about ten million events, generated in a child
 *    process: each kiosk-day's raw events are drawn (the same generator as 2), rolled up by
 *    `rollUpDay` (timed on its own), stored as daily figures JSON in SQLite (one row per
 *    kiosk and day, bulk inserts in transactions), and added as they arrive to the network's
 *    day sums (one row per day; counts and histograms add up exactly). Then, each in a child
 *    process of its own so its peak memory is its own: the year's statistics for all kiosks
 *    from the 365 day sums (the hub's query: SELECT, JSON.parse, summarizePeriod by week),
 *    and, for scale, the same year by scanning all 584,000 kiosk-day rows. Both must give
 *    the same summary, which is checked.
 *
 * Run alone: `node --import tsx bench/usage-store-benchmarks.ts`
 * Counts: BENCH_USAGE_EVENTS (default 2000, at least 1000), BENCH_NETWORK_KIOSKS (default 1600, at least 10).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openUsageStore } from '../electron/services/usage-store';
import { DEFAULT_CONFIG } from '../shared/config/default-config';
import { parseKioskConfig, type KioskConfig } from '../shared/config/schema';
import type { LanguageCode } from '../shared/languages';
import { dayOfEpochMinute, eachDay, isoWeekday } from '../shared/statistics/calendar';
import { rollUpDay, type DailyFigures, type StoredEvent } from '../shared/statistics/daily-figures';
import { sumOfSameDay } from '../shared/statistics/same-day-sum';
import { summarizePeriod, type PeriodSummary } from '../shared/statistics/period';
import type { AccessibilityOption, UsageEvent } from '../shared/usage-events';
import { describeMachine } from './machine';
import { pick, poisson, randomSource, type Random } from './synthetic-random';
import { median, percentile } from './statistics';
import { textTable } from './text-table';

const THIS_FILE = fileURLToPath(import.meta.url);
export const RECORD_TARGET_MS = 2;
export const YEAR_QUERY_TARGET_MS = 1000;
const YEAR = { from: '2025-01-01', to: '2025-12-31' } as const;
const KIOSK_ID = '0123456789abcdef0123456789abcdef';

function benchConfig(): KioskConfig {
  const parsed = parseKioskConfig({ ...DEFAULT_CONFIG, kiosk: { name: 'Bench PC', site: 'Bench' }, statistics: { retentionDays: 90, suppressionThreshold: 3 } });
  if (!parsed.ok) throw new Error('the benchmark configuration is invalid');
  return parsed.config;
}

// ---------------------------------------------------------------------------------------
// Realistic synthetic usage: the same kiosks on every run.


const SERVICES = [
  'myminfin', 'belgium-be', 'my-pension', 'mutualite', 'forem', 'vdab', 'actiris', 'sncb', 'stib', 'itsme', 'webmail', 'bank-belfius', 'bank-bnp', 'cpas-rendez-vous',
  'health-mycarenet', 'job-indeed', 'learning-digital', 'news', 'maps', 'translate', 'bpost', 'energy', 'housing', 'school', 'commune',
] as const;
const SERVICE_WEIGHTS = SERVICES.map((service, index) => [service, 1 / (index + 1)] as const);
const LANGUAGE_PROFILES: readonly (readonly (readonly [LanguageCode, number])[])[] = [
  [['fr', 84], ['en', 10], ['nl', 4], ['de', 2]],
  [['nl', 80], ['fr', 8], ['en', 12]],
  [['fr', 55], ['nl', 18], ['en', 27]],
  [['de', 70], ['fr', 25], ['en', 5]],
];
const END_REASONS = [['visitor', 70], ['idle', 26], ['crash', 1], ['staff', 1], ['boot', 2]] as const;
const OPTIONS: readonly (readonly [AccessibilityOption, number])[] = [['larger-text', 6], ['read-aloud', 3], ['high-contrast', 2]];

interface KioskProfile {
  readonly kiosk: number;
  /** Mean sessions on an open day. */
  readonly busy: number;
  readonly languages: readonly (readonly [LanguageCode, number])[];
  readonly openOnSaturday: boolean;
}

function kioskProfile(kiosk: number): KioskProfile {
  const random = randomSource(1_000_003 * (kiosk + 1));
  return { kiosk, busy: 1 + random() * 5.5, languages: LANGUAGE_PROFILES[kiosk % LANGUAGE_PROFILES.length]!, openOnSaturday: random() < 0.5 };
}

/**
 * One kiosk-day's raw events, as the store would hand them to the roll-up: closed on
 * Sundays (and on Saturdays for half the kiosks); a boot wipe each open morning; visits of
 * about 18 minutes (log-normal), one to three services, help in one visit in seven, language
 * changes and accessibility options now and then, a wipe after each visit.
 */
function kioskDayEvents(profile: KioskProfile, day: string, random: Random): StoredEvent[] {
  const weekday = isoWeekday(day);
  if (weekday === 7 || (weekday === 6 && !profile.openOnSaturday)) return [];
  const events: StoredEvent[] = [];
  let minute = Math.floor(Date.parse(`${day}T08:30:00Z`) / 60_000);
  const push = (sessionKey: string, event: UsageEvent) => events.push({ day, minute, sessionKey, event });
  push('', { type: 'wipe-done', durationMs: 1000, verified: true, attempt: 1 });
  const sessions = poisson(random, profile.busy);
  for (let session = 0; session < sessions; session += 1) {
    minute += 5 + Math.floor(random() * 40);
    const key = `${profile.kiosk}-${day}-${session}`;
    push(key, { type: 'session-started', language: pick(random, profile.languages) });
    const opened = 1 + Math.floor(random() * 3);
    let lastService: string = SERVICES[0];
    for (let index = 0; index < opened; index += 1) {
      lastService = pick(random, SERVICE_WEIGHTS);
      push(key, { type: 'service-opened', serviceId: lastService });
    }
    if (random() < 0.05) push(key, { type: 'language-changed', language: pick(random, profile.languages) });
    if (random() < 0.08) push(key, { type: 'accessibility-on', option: pick(random, OPTIONS) });
    if (random() < 0.15) {
      push(key, { type: 'help-requested', serviceId: random() < 0.8 ? lastService : null });
      const wait = Math.min(3600, Math.round(-150 * Math.log(1 - random())));
      if (random() < 0.9) {
        push(key, { type: 'help-acknowledged', waitSeconds: wait });
        if (random() < 0.95) push(key, { type: 'help-resolved', waitSeconds: wait + 120 });
      } else {
        push(key, { type: 'help-cancelled', waitSeconds: wait });
      }
    }
    const seconds = Math.min(10_800, Math.max(20, Math.round(1080 * Math.exp(0.8 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())))));
    minute += Math.round(seconds / 60);
    push(key, { type: 'session-ended', reason: seconds >= 7200 ? 'max-length' : pick(random, END_REASONS), durationSeconds: seconds });
    const verified = random() >= 0.001;
    push('', { type: 'wipe-done', durationMs: 800 + Math.floor(random() * 1500), verified, attempt: 1 });
    if (!verified) push('', { type: 'wipe-done', durationMs: 1200, verified: true, attempt: 2 });
  }
  return events;
}

// ---------------------------------------------------------------------------------------
// 1. Recording.

export interface RecordingFigures {
  readonly folder: string;
  readonly fileSystem: string;
  /** performance.now() from record() to the resolution of flush(): committed. */
  readonly committedMs: number[];
  /** performance.now() around record() alone. */
  readonly recordMs: number[];
}

/** The file system holding `path`, from /proc/mounts (Linux); 'unknown' elsewhere. */
function fileSystemOf(path: string): string {
  try {
    let best = { mount: '', text: 'unknown' };
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [device, mount, type] = line.split(' ');
      if (device === undefined || mount === undefined || type === undefined) continue;
      if ((path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) && mount.length >= best.mount.length) best = { mount, text: `${type} on ${device}, mounted at ${mount}` };
    }
    return best.text;
  } catch {
    return 'unknown';
  }
}

const VISIT: readonly UsageEvent[] = [
  { type: 'session-started', language: 'fr' },
  { type: 'service-opened', serviceId: 'myminfin' },
  { type: 'help-requested', serviceId: 'myminfin' },
  { type: 'help-acknowledged', waitSeconds: 95 },
  { type: 'service-opened', serviceId: 'belgium-be' },
  { type: 'session-ended', reason: 'visitor', durationSeconds: 1100 },
  { type: 'wipe-done', durationMs: 1200, verified: true, attempt: 1 },
];

export async function measureRecording(events: number, warmUp = 200): Promise<RecordingFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'epn-bench-usage-'));
  const store = openUsageStore({ file: join(folder, 'usage.sqlite'), config: { current: benchConfig }, kioskId: KIOSK_ID });
  try {
    const committedMs: number[] = [];
    const recordMs: number[] = [];
    for (let index = 0; index < warmUp + events; index += 1) {
      const event = VISIT[index % VISIT.length]!;
      const started = performance.now();
      store.record(event);
      const recorded = performance.now();
      const result = await store.flush();
      const committed = performance.now();
      if (result.pending !== 0 || result.written !== 1) throw new Error(`the event was not committed alone: ${JSON.stringify(result)} ${JSON.stringify(store.health())}`);
      if (index >= warmUp) {
        recordMs.push(recorded - started);
        committedMs.push(committed - started);
      }
    }
    const synchronous = store.diagnostics().synchronous;
    if (synchronous !== 2) throw new Error(`the store runs with synchronous = ${synchronous}, not FULL (2)`);
    return { folder: tmpdir(), fileSystem: fileSystemOf(resolve(folder)), committedMs, recordMs };
  } finally {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// 2. One kiosk-year in a real store.

export interface KioskYearFigures {
  readonly kiosk: number;
  readonly events: number;
  readonly rolledUpDays: number;
  readonly deletedEvents: number;
  /** maintain(): roll-up of every day of the year from SQLite, and the retention. */
  readonly maintainMs: number;
  /** summary() of the year by week, from the store's own daily figures. */
  readonly summaryMs: number[];
  readonly fileBytes: number;
}

const utcDay = (epochMs: number) => dayOfEpochMinute(Math.floor(epochMs / 60_000), 0);

export async function measureKioskYear(kiosk: number): Promise<KioskYearFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'epn-bench-kiosk-year-'));
  let now = Date.parse(`${YEAR.from}T08:00:00Z`);
  const file = join(folder, 'usage.sqlite');
  const store = openUsageStore({ file, config: { current: benchConfig }, kioskId: KIOSK_ID, now: () => now, localDay: utcDay });
  try {
    const profile = kioskProfile(kiosk);
    const random = randomSource(77 + kiosk);
    let events = 0;
    for (const day of eachDay(YEAR.from, YEAR.to)) {
      for (const stored of kioskDayEvents(profile, day, random)) {
        now = stored.minute * 60_000;
        store.record(stored.event);
        events += 1;
      }
      const result = await store.flush();
      if (result.pending !== 0) throw new Error(`the kiosk-year could not be written: ${JSON.stringify(store.health())}`);
    }
    now = Date.parse('2026-01-01T08:00:00Z');
    const started = performance.now();
    const report = store.maintain();
    const maintainMs = performance.now() - started;
    const summaryMs: number[] = [];
    let sessions = 0;
    for (let run = 0; run < 21; run += 1) {
      const before = performance.now();
      sessions = store.summary({ from: YEAR.from, to: YEAR.to, groupBy: 'week' }).sessions;
      if (run > 0) summaryMs.push(performance.now() - before);
    }
    if (sessions === 0) throw new Error('the kiosk-year has no sessions');
    return { kiosk, events, rolledUpDays: report.rolledUp.length, deletedEvents: report.deletedEvents, maintainMs, summaryMs, fileBytes: statSync(file).size };
  } finally {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// 3. The network's year, in child processes.

interface GenerateResult {
  readonly kiosks: number;
  readonly kioskDays: number;
  readonly events: number;
  readonly rollUpSeconds: number;
  readonly networkAddSeconds: number;
  readonly totalSeconds: number;
  readonly fileBytes: number;
  readonly maxRssBytes: number;
}

interface QueryResult {
  readonly rows: number;
  readonly runsMs: number[];
  readonly sessions: number;
  readonly digest: string;
  readonly maxRssBytes: number;
}

function generateNetwork(file: string, kiosks: number): GenerateResult {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE kiosk_days (day TEXT NOT NULL, kiosk_id TEXT NOT NULL, figures TEXT NOT NULL CHECK (json_valid(figures)), PRIMARY KEY (day, kiosk_id)) STRICT, WITHOUT ROWID;
    CREATE TABLE network_days (day TEXT PRIMARY KEY, figures TEXT NOT NULL CHECK (json_valid(figures))) STRICT;
  `);
  const insert = db.prepare<{ kioskId: string; day: string; figures: string }>('INSERT INTO kiosk_days (kiosk_id, day, figures) VALUES (@kioskId, @day, @figures)');
  const days = eachDay(YEAR.from, YEAR.to);
  const sums = new Map(days.map((day) => [day, sumOfSameDay(day)]));
  let events = 0;
  let rollUpMs = 0;
  let addMs = 0;
  let kioskDays = 0;
  const writeDay = db.transaction((rows: readonly { kioskId: string; day: string; figures: string }[]) => {
    for (const row of rows) insert.run(row);
  });
  // Day by day, kiosk by kiosk within a day: rows arrive in the table's key order, as a hub receives them.
  const network = Array.from({ length: kiosks }, (_, kiosk) => ({
    profile: kioskProfile(kiosk),
    random: randomSource(77 + kiosk),
    kioskId: createHash('sha256').update(`kiosk ${kiosk}`).digest('hex').slice(0, 32),
  }));
  for (const day of days) {
    const sum = sums.get(day)!;
    const rows: { kioskId: string; day: string; figures: string }[] = [];
    for (const { profile, random, kioskId } of network) {
      const raw = kioskDayEvents(profile, day, random);
      events += raw.length;
      const before = performance.now();
      const figures = rollUpDay(day, raw);
      const rolled = performance.now();
      sum.add(figures);
      addMs += performance.now() - rolled;
      rollUpMs += rolled - before;
      rows.push({ kioskId, day, figures: JSON.stringify(figures) });
      kioskDays += 1;
    }
    writeDay(rows);
  }
  const saveDay = db.prepare<{ day: string; figures: string }>('INSERT INTO network_days (day, figures) VALUES (@day, @figures)');
  db.transaction(() => {
    for (const [day, sum] of sums) saveDay.run({ day, figures: JSON.stringify(sum.result()) });
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    kiosks,
    kioskDays,
    events,
    rollUpSeconds: rollUpMs / 1000,
    networkAddSeconds: addMs / 1000,
    totalSeconds: (performance.now() - started) / 1000,
    fileBytes: statSync(file).size,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** The year's statistics for the whole network: every row of `table` for the year, parsed and summarized by week. */
function yearQuery(file: string, table: 'network_days' | 'kiosk_days', runs: number): QueryResult {
  const db = new Database(file, { readonly: true });
  try {
    const select = db.prepare<{ from: string; to: string }, string>(`SELECT figures FROM ${table} WHERE day BETWEEN @from AND @to`).pluck();
    const runsMs: number[] = [];
    let summary: PeriodSummary | null = null;
    let rows = 0;
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      const texts = select.all(YEAR);
      const days = texts.map((text) => JSON.parse(text) as DailyFigures);
      summary = summarizePeriod(days, { ...YEAR, groupBy: 'week' });
      runsMs.push(performance.now() - started);
      rows = texts.length;
    }
    if (summary === null) throw new Error('no run');
    return {
      rows,
      runsMs,
      sessions: summary.sessions,
      digest: createHash('sha256').update(JSON.stringify(summary)).digest('hex'),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    db.close();
  }
}

const RESULT_PREFIX = 'USAGE-BENCH-RESULT ';

/** Runs one phase of 3 in a child process of its own (Node + tsx), so that its peak memory is its own. */
function runPhase<T>(phase: string, args: readonly string[]): Promise<T> {
  return new Promise((resolvePhase, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--phase', phase, ...args], { cwd: dirname(dirname(THIS_FILE)), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) reject(new Error(`the ${phase} phase failed (exit ${code}):\n${stderr}${stdout}`));
      else resolvePhase(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}

export interface NetworkFigures {
  readonly generated: GenerateResult;
  readonly fromDaySums: QueryResult;
  readonly scan: QueryResult;
}

export async function measureNetworkYear(kiosks: number): Promise<NetworkFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'epn-bench-network-'));
  try {
    const file = join(folder, 'network.sqlite');
    const generated = await runPhase<GenerateResult>('generate', [file, String(kiosks)]);
    const fromDaySums = await runPhase<QueryResult>('query-day-sums', [file]);
    const scan = await runPhase<QueryResult>('query-scan', [file]);
    if (fromDaySums.digest !== scan.digest) throw new Error('the year from the day sums differs from the year scanned from every kiosk-day: the day sums are wrong');
    return { generated, fromDaySums, scan };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// Together.

export interface UsageStoreFigures {
  readonly recording: RecordingFigures;
  readonly kioskYears: readonly KioskYearFigures[];
  readonly network: NetworkFigures;
}

function countFromEnvironment(name: string, fallback: number, minimum: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be a whole number of at least ${minimum}, not "${raw}"`);
  return value;
}

export async function measureUsageStore(): Promise<UsageStoreFigures> {
  const recording = await measureRecording(countFromEnvironment('BENCH_USAGE_EVENTS', 2000, 1000));
  const kioskYears: KioskYearFigures[] = [];
  for (const kiosk of [3, 11, 42]) kioskYears.push(await measureKioskYear(kiosk));
  const network = await measureNetworkYear(countFromEnvironment('BENCH_NETWORK_KIOSKS', 1600, 10));
  return { recording, kioskYears, network };
}

const ms = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`);
const seconds = (value: number) => `${value.toFixed(1)} s`;
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const mark = (value: number, target: number) => (value <= target ? 'pass' : 'OVER');
const thousands = (value: number) => value.toLocaleString('en-US');

/** The figures as printed rows: measure, figure, target, mark. */
export function usageStoreRows(figures: UsageStoreFigures): [string, string, string, string][] {
  const { recording, kioskYears, network } = figures;
  const count = recording.committedMs.length;
  const committedP99 = percentile(recording.committedMs, 99);
  const recordP99 = percentile(recording.recordMs, 99);
  const maintain = median(kioskYears.map((year) => year.maintainMs));
  const kioskSummary = median(kioskYears.flatMap((year) => year.summaryMs));
  const kioskEvents = median(kioskYears.map((year) => year.events));
  const { generated, fromDaySums, scan } = network;
  const daySums = median(fromDaySums.runsMs);
  return [
    [`Usage event, record() → committed (synchronous = FULL, own transaction), median of ${count}`, ms(median(recording.committedMs)), '', ''],
    ['Usage event, record() → committed, p99', ms(committedP99), `≤ ${RECORD_TARGET_MS} ms`, mark(committedP99, RECORD_TARGET_MS)],
    ['Usage event, inside record() (what the caller waits), median', ms(median(recording.recordMs)), '', ''],
    ['Usage event, inside record(), p99', ms(recordP99), `≤ ${RECORD_TARGET_MS} ms`, mark(recordP99, RECORD_TARGET_MS)],
    ['Usage event, inside record(), longest', ms(Math.max(...recording.recordMs)), '', ''],
    [`One kiosk-year (${thousands(kioskEvents)} raw events) rolled up from SQLite + retention, maintain(), median of ${kioskYears.length} kiosks`, ms(maintain), '', ''],
    [`  … extrapolated to ${thousands(generated.kiosks)} kiosks, one after another on one core`, seconds((maintain * generated.kiosks) / 1000), '', ''],
    ['A kiosk\'s statistics screen: the year by week from its own store, summary(), median', ms(kioskSummary), '', ''],
    [`Network year: ${thousands(generated.events)} raw events of ${thousands(generated.kioskDays)} kiosk-days rolled up (rollUpDay)`, seconds(generated.rollUpSeconds), '', ''],
    ['  … each kiosk-day added to the network\'s day sums as it arrives', seconds(generated.networkAddSeconds), '', ''],
    ['  … generation, roll-up and bulk insert in SQLite, all told; peak memory', `${seconds(generated.totalSeconds)}; ${mib(generated.maxRssBytes)}`, '', ''],
    [`Year's statistics of all ${thousands(generated.kiosks)} kiosks from the ${fromDaySums.rows} day sums, median of ${fromDaySums.runsMs.length}`, ms(daySums), `≤ ${YEAR_QUERY_TARGET_MS} ms`, mark(daySums, YEAR_QUERY_TARGET_MS)],
    ['  … peak memory of that process', mib(fromDaySums.maxRssBytes), '', ''],
    [`For scale: the same year scanning all ${thousands(scan.rows)} kiosk-day rows (same result)`, ms(scan.runsMs[0]!), '', ''],
    ['  … peak memory of that process', mib(scan.maxRssBytes), '', ''],
  ];
}

export function usageStoreNotes(figures: UsageStoreFigures): string[] {
  const { recording, kioskYears, network } = figures;
  const year = kioskYears[0]!;
  return [
    `Usage log: a real store (electron/services/usage-store.ts) in ${recording.folder} (${recording.fileSystem}); each event is recorded, then flush() resolves after the store's own setImmediate write; 200 warm-up events. The write runs on the main process after the caller has gone on; the visitor's screen is drawn by the renderer and does not wait for it.`,
    `Kiosk-years: kiosks 3, 11, 42 of the synthetic network, ${kioskYears.map((kiosk) => thousands(kiosk.events)).join(', ')} events, recorded day by day in 2025, maintain() on 2026-01-01: ${year.rolledUpDays} days rolled up and ${thousands(year.deletedEvents)} raw events past the 90-day retention deleted (kiosk 3); file ${(year.fileBytes / 1e6).toFixed(1)} MB.`,
    `Network: ${network.generated.kiosks} kiosks × 365 days of 2025 in a child process, ${(network.generated.fileBytes / 1e6).toFixed(0)} MB of SQLite (kiosk-day figures as JSON and 365 day sums), in a temporary folder removed afterwards. Queries in child processes of their own: SELECT, JSON.parse, summarizePeriod by week; peak memory is the child's process.resourceUsage().maxRSS. The scan's summary equals the day sums' summary (checked).`,
  ];
}


async function runAlone(): Promise<void> {
  const machine = describeMachine('not used');
  const started = performance.now();
  const figures = await measureUsageStore();
  const lines = [
    `EPN Kiosk usage-log benchmarks, ${new Date().toISOString()}`,
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.system}, load average ${machine.loadAverage} at start; Node ${machine.node}`,
    '',
    textTable(usageStoreRows(figures)),
    '',
    ...usageStoreNotes(figures),
    `Took ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function runChildPhase(phase: string, args: readonly string[]): Promise<void> {
  const [file, kiosks] = args;
  if (file === undefined) throw new Error('no database file given');
  let result: unknown;
  if (phase === 'generate') {
    if (existsSync(file)) throw new Error(`${file} already exists`);
    result = generateNetwork(file, Number(kiosks));
  } else if (phase === 'query-day-sums') result = yearQuery(file, 'network_days', 5);
  else if (phase === 'query-scan') result = yearQuery(file, 'kiosk_days', 1);
  else throw new Error(`unknown phase ${phase}`);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE) {
  const phaseAt = process.argv.indexOf('--phase');
  const work = phaseAt === -1 ? runAlone() : runChildPhase(process.argv[phaseAt + 1] ?? '', process.argv.slice(phaseAt + 2));
  work.catch((error: unknown) => {
    process.stderr.write(`usage-store benchmarks: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

