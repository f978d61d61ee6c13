/**
 * The kiosk's anonymous usage log on SQLite (guide, sections 2.6 and 3.5; docs/statistics.md):
 * raw events for a limited time, daily figures for good, the statistics screen's figures and
 * the exports.
 *
 * `record()` is what the session, help, language and accessibility features call. It checks
 * the event against shared/usage-events.ts, stamps it with the minute and the kiosk's local
 * day, and queues it; nothing touches the disk in the caller's path. On the next turn of the
 * event loop (setImmediate) every queued event is written in one transaction with statements
 * prepared once. `record()` never throws and never waits.
 *
 * When the file cannot be written (full disk, read-only or missing folder, a lock held by
 * another program), the events stay in memory, up to a bound (the oldest go first, and are
 * counted), the write is tried again every `retryDelayMs`, and `health()` carries a warning
 * for staff. A file SQLite finds damaged is moved aside as `usage.sqlite.corrupt-<time>` and a
 * new one is started. A file written by a newer version of the kiosk is left untouched.
 *
 * Sessions: at `session-started` the store draws a random 128-bit key, stamps every event of
 * that session with it and forgets it at `session-ended`. It links the events of one visit
 * (the roll-up counts accessibility options per session with it) and nothing else: it is
 * never reused, never exported and goes with the raw events after the retention period.
 *
 * Roll-up and retention (`maintain()`, at start and then hourly): each day that is over is
 * rolled up into its daily figures (again when events arrive late for it); raw events older
 * than `statistics.retentionDays` are deleted, and only once their day's figures include them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KioskConfig } from '../../shared/config/schema';
import type { StatisticsExportFormat } from '../../shared/contract';
import { addDays, isValidDay } from '../../shared/statistics/calendar';
import { DailyFiguresSchema, combineFigures, rollUpDay, type DailyFigures, type StoredEvent } from '../../shared/statistics/daily-figures';
import { buildStatisticsExport, exportToCsv, exportToJson } from '../../shared/statistics/export-format';
import { summarizePeriod, type DateRange, type PeriodQuery, type PeriodSummary } from '../../shared/statistics/period';
import { UsageEventSchema, epochMinuteOf, roundUsageEvent, type UsageEvent } from '../../shared/usage-events';
import { fileNamePart } from './file-name-part';
import { systemClock, type Clock } from './clock';
import type { ConfigSource, StatisticsSource } from './kiosk-handlers';
import { loadKioskIdentity } from './kiosk-identity';
import { MigrationListError, NativeModuleError, openDatabase, type SqliteDatabase } from './sqlite-database';
import { USAGE_MIGRATIONS } from './usage-migrations';
import { createMemoryUsageLog, type UsageLog } from './usage-log';

export const USAGE_DATABASE_FILE_NAME = 'usage.sqlite';
/** Events kept in memory while the file cannot be written; beyond it the oldest are dropped (and counted). */
export const DEFAULT_USAGE_QUEUE_CAPACITY = 10_000;
/** How long the store waits before trying a failed write (or open) again. */
export const DEFAULT_USAGE_RETRY_DELAY_MS = 30_000;
/** Roll-up and retention run at start and then this often. */
export const USAGE_MAINTENANCE_INTERVAL_MS = 3_600_000;
/**
 * The most the file may grow to: a runaway caller must never fill a public PC's disk. A year
 * of a busy kiosk is a few megabytes; at the cap, writes fail like on a full disk.
 */
export const DEFAULT_USAGE_MAX_FILE_BYTES = 256 * 1024 * 1024;
/** A write waits this long for a lock held by another program (a backup tool), then is tried again later. */
export const DEFAULT_USAGE_BUSY_TIMEOUT_MS = 250;
/** Staff read the warning on the statistics screen (the contract allows 2000 characters). */
const MAX_WARNING_CHARS = 1_500;

export interface UsageStoreOptions {
  /** `<dataDir>/usage.sqlite`. Its folder is created when missing. */
  readonly file: string;
  /** The kiosk's name and site, and the statistics settings (retention, suppression threshold), read when used. */
  readonly config: ConfigSource;
  /** The kiosk's random identifier (electron/services/kiosk-identity.ts), written into exports. */
  readonly kioskId: string;
  /** A better-sqlite3 binary built for this runtime (electron/services/native-binding.ts); the default under Node. */
  readonly nativeBinding?: string;
  /** Wall-clock time, epoch milliseconds: when an event happened. Date.now unless a test fixes it. */
  readonly now?: () => number;
  /** The kiosk's local calendar day ('YYYY-MM-DD') at an instant; the machine's time zone unless a test fixes it. */
  readonly localDay?: (epochMs: number) => string;
  /** Timers for the retries and the hourly maintenance. */
  readonly clock?: Pick<Clock, 'setTimer'>;
  readonly log?: (line: string) => void;
  readonly queueCapacity?: number;
  readonly retryDelayMs?: number;
  readonly maintenanceIntervalMs?: number;
  readonly maxFileBytes?: number;
  readonly busyTimeoutMs?: number;
}

export type UsageStoreHealth = { readonly ok: true } | { readonly ok: false; readonly warning: string };

export interface FlushResult {
  /** Events committed by this write. */
  readonly written: number;
  /** Events still waiting in memory (the file could not be written). */
  readonly pending: number;
}

export interface MaintenanceReport {
  /** Days whose figures were (re)computed and saved. */
  readonly rolledUp: readonly string[];
  /** Raw events deleted by the retention. */
  readonly deletedEvents: number;
}

/** What IT sees of the usage log's file (and what the tests check the connection with). */
export interface UsageStoreDiagnostics {
  readonly file: string;
  /** False while the file cannot be opened: events then wait in memory. */
  readonly open: boolean;
  /** The file's `user_version`, i.e. the last migration it went through; null when not open. */
  readonly schemaVersion: number | null;
  readonly journalMode: string | null;
  /** 2 is FULL. */
  readonly synchronous: number | null;
  readonly foreignKeys: number | null;
  readonly pendingEvents: number;
  /** Events lost because the memory queue was full. */
  readonly droppedEvents: number;
  /** Malformed events refused (a bug in a caller: the log names which field). */
  readonly refusedEvents: number;
}

/** The kiosk's own daily figures, unsuppressed: for its hub (statistics-upload.ts), never for an export. */
export interface DailyFiguresSource {
  /** Figures of the days of `range` that have any (both ends included), in day order; days not rolled up yet are computed from their events. Never throws. */
  dailyFigures(range: DateRange): DailyFigures[];
}

export interface UsageStore extends UsageLog, StatisticsSource, DailyFiguresSource {
  /** Resolves after the next write attempt, with what it wrote and what still waits. Never rejects. */
  flush(): Promise<FlushResult>;
  /** Whether staff should be told something about the usage log. */
  health(): UsageStoreHealth;
  /** Rolls up the days that are over and applies the retention now (it also runs at start and hourly). Never throws. */
  maintain(): MaintenanceReport;
  /** A consistent copy of the database in a new file, through SQLite's backup API (never a file copy). */
  backupDatabase(toFile: string): Promise<void>;
  /** The file, its version and the connection's settings. */
  diagnostics(): UsageStoreDiagnostics;
  /** Writes what it can, stops the timers and closes the file. Events recorded afterwards are ignored. */
  close(): void;
}

/** The machine's local calendar day at an instant. */
export function machineLocalDay(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}


/** `epn-kiosk-<site>-<kiosk>-<from>-<to>.<csv|json>`, with nothing but [a-z0-9-.] in it. */
export function statisticsExportFileName(kiosk: { readonly name: string; readonly site: string }, range: DateRange, format: StatisticsExportFormat): string {
  const parts = ['epn-kiosk', fileNamePart(kiosk.site), fileNamePart(kiosk.name) || 'kiosk', range.from, range.to].filter((part) => part !== '');
  return `${parts.join('-')}.${format}`;
}

const MEDIA_TYPES: Record<StatisticsExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** better-sqlite3's SqliteError code (SQLITE_FULL, SQLITE_CORRUPT…), also when wrapped as a cause; or a Node error code. */
function errorCodeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (typeof current === 'object' && 'code' in current && typeof (current as { code: unknown }).code === 'string') return (current as { code: string }).code;
    current = typeof current === 'object' && 'cause' in current ? (current as { cause: unknown }).cause : undefined;
  }
  return undefined;
}

function isCorruption(error: unknown): boolean {
  if (error instanceof DamagedDatabaseError) return true;
  const code = errorCodeOf(error);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (code?.startsWith('SQLITE_CORRUPT_') ?? false);
}

function isConstraint(error: unknown): boolean {
  return errorCodeOf(error)?.startsWith('SQLITE_CONSTRAINT') ?? false;
}

class DamagedDatabaseError extends Error {
  constructor(check: unknown) {
    super(`SQLite's integrity check failed (${String(check)})`);
    this.name = 'DamagedDatabaseError';
  }
}

/** An event waiting to be written: stamped when it was recorded. */
interface PendingEvent {
  readonly sessionKey: string | null;
  readonly minute: number;
  readonly day: string;
  readonly event: UsageEvent;
}

/** A row of usage_events, as the named parameters of the insert and as read back. */
interface EventRow {
  readonly sessionKey: string | null;
  readonly minute: number;
  readonly day: string;
  readonly type: UsageEvent['type'];
  readonly language: string | null;
  readonly serviceId: string | null;
  readonly reason: string | null;
  readonly seconds: number | null;
  readonly option: string | null;
  readonly verified: number | null;
  readonly attempt: number | null;
}

function rowOf({ sessionKey, minute, day, event }: PendingEvent): EventRow {
  const row: EventRow = { sessionKey, minute, day, type: event.type, language: null, serviceId: null, reason: null, seconds: null, option: null, verified: null, attempt: null };
  switch (event.type) {
    case 'session-started':
    case 'language-changed':
      return { ...row, language: event.language };
    case 'session-ended':
      return { ...row, reason: event.reason, seconds: event.durationSeconds };
    case 'service-opened':
    case 'help-requested':
      return { ...row, serviceId: event.serviceId };
    case 'help-acknowledged':
    case 'help-resolved':
    case 'help-cancelled':
      return { ...row, seconds: event.waitSeconds };
    case 'accessibility-on':
      return { ...row, option: event.option };
    case 'wipe-done':
      return { ...row, seconds: Math.round(event.durationMs / 1000), verified: event.verified ? 1 : 0, attempt: event.attempt };
  }
}

/** The event a stored row holds, checked again against the schema (a row edited by hand is skipped). */
function eventOf(row: EventRow): UsageEvent | null {
  let candidate: unknown;
  switch (row.type) {
    case 'session-started':
    case 'language-changed':
      candidate = { type: row.type, language: row.language };
      break;
    case 'session-ended':
      candidate = { type: row.type, reason: row.reason, durationSeconds: row.seconds };
      break;
    case 'service-opened':
      candidate = { type: row.type, serviceId: row.serviceId };
      break;
    case 'help-requested':
      candidate = { type: row.type, serviceId: row.serviceId };
      break;
    case 'help-acknowledged':
    case 'help-resolved':
    case 'help-cancelled':
      candidate = { type: row.type, waitSeconds: row.seconds };
      break;
    case 'accessibility-on':
      candidate = { type: row.type, option: row.option };
      break;
    case 'wipe-done':
      candidate = { type: row.type, durationMs: (row.seconds ?? -1) * 1000, verified: row.verified === 1, attempt: row.attempt };
      break;
    default:
      return null;
  }
  const checked = UsageEventSchema.safeParse(candidate);
  return checked.success ? checked.data : null;
}

const EVENT_COLUMNS = `session_key AS sessionKey, minute, day, type, language, service_id AS serviceId, reason, seconds, option, verified, attempt`;

function prepareStatements(db: SqliteDatabase) {
  const insert = db.prepare<EventRow>(
    `INSERT INTO usage_events (session_key, minute, day, type, language, service_id, reason, seconds, option, verified, attempt)
     VALUES (@sessionKey, @minute, @day, @type, @language, @serviceId, @reason, @seconds, @option, @verified, @attempt)`,
  );
  return {
    /** Every event of a batch in one transaction: all are committed, or none. */
    insertAll: db.transaction((batch: readonly PendingEvent[]) => {
      for (const pending of batch) insert.run(rowOf(pending));
    }),
    /** Days of [from, to] with raw events their saved figures do not include yet (or no saved figures at all). */
    pendingDays: db.prepare<{ from: string; to: string }, { day: string; lastId: number }>(
      `SELECT e.day AS day, max(e.id) AS lastId
         FROM usage_events AS e LEFT JOIN daily_figures AS f ON f.day = e.day
        WHERE e.day BETWEEN @from AND @to AND e.id > coalesce(f.last_event_id, 0)
        GROUP BY e.day ORDER BY e.day`,
    ),
    dayEvents: db.prepare<{ day: string }, EventRow & { id: number }>(`SELECT id, ${EVENT_COLUMNS} FROM usage_events WHERE day = @day ORDER BY id`),
    savedFigures: db.prepare<{ day: string }, { figures: string; lastEventId: number }>(`SELECT figures, last_event_id AS lastEventId FROM daily_figures WHERE day = @day`),
    figuresBetween: db.prepare<{ from: string; to: string }, { day: string; figures: string }>(`SELECT day, figures FROM daily_figures WHERE day BETWEEN @from AND @to ORDER BY day`),
    saveFigures: db.prepare<{ day: string; figures: string; rolledUpAt: number; lastEventId: number }>(
      `INSERT INTO daily_figures (day, figures, rolled_up_at, last_event_id) VALUES (@day, @figures, @rolledUpAt, @lastEventId)
       ON CONFLICT (day) DO UPDATE SET figures = excluded.figures, rolled_up_at = excluded.rolled_up_at, last_event_id = excluded.last_event_id`,
    ),
    /** Raw events of days before the cutoff, only those their day's saved figures include. */
    deleteRolledUpBefore: db.prepare<{ cutoff: string }>(
      `DELETE FROM usage_events
        WHERE day < @cutoff
          AND id <= coalesce((SELECT f.last_event_id FROM daily_figures AS f WHERE f.day = usage_events.day), -1)`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** Days before this one are none: the lower bound of "every day so far". */
const EARLIEST_DAY = '0000-00-00';

/** Two sets of figures of the same day as one (late events for a day whose raw events are gone). */
function mergeDayFigures(day: string, parts: readonly DailyFigures[]): DailyFigures {
  const combined = combineFigures(parts);
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  return {
    day,
    sessions: combined.sessions,
    sessionSeconds: {
      total: combined.sessionSeconds.total,
      median: round(combined.sessionSeconds.median),
      p90: round(combined.sessionSeconds.p90),
      histogram: combined.sessionSeconds.histogram,
    },
    endReasons: combined.endReasons,
    serviceOpenings: combined.serviceOpenings,
    help: {
      requests: combined.help.requests,
      acknowledged: combined.help.acknowledged,
      resolved: combined.help.resolved,
      cancelled: combined.help.cancelled,
      waitSeconds: { median: round(combined.help.waitSeconds.median), p90: round(combined.help.waitSeconds.p90), histogram: combined.help.waitSeconds.histogram },
    },
    languages: combined.languages,
    languageChanges: combined.languageChanges,
    accessibility: combined.accessibility,
    wipes: combined.wipes,
  };
}

/** `usage.sqlite.corrupt-20250106T090000Z`: a name Windows accepts too. */
function asideName(file: string, epochMs: number): string {
  const stamp = new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  let candidate = `${file}.corrupt-${stamp}`;
  for (let counter = 2; existsSync(candidate); counter += 1) candidate = `${file}.corrupt-${stamp}-${counter}`;
  return candidate;
}

/**
 * Opens (creating or migrating) the usage log at `options.file` and runs the first roll-up.
 * Throws only when this build of the kiosk cannot use SQLite at all (its native module does
 * not load, or the migration list is wrong): the caller then keeps events in memory
 * ({@link openKioskUsageLog}). A file that cannot be opened for any other reason leaves the
 * store running on memory, with a warning, trying again every `retryDelayMs`.
 */
export function openUsageStore(options: UsageStoreOptions): UsageStore {
  const file = resolve(options.file);
  const now = options.now ?? Date.now;
  const localDay = options.localDay ?? machineLocalDay;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const capacity = options.queueCapacity ?? DEFAULT_USAGE_QUEUE_CAPACITY;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_USAGE_RETRY_DELAY_MS;
  const maintenanceIntervalMs = options.maintenanceIntervalMs ?? USAGE_MAINTENANCE_INTERVAL_MS;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_USAGE_MAX_FILE_BYTES;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`the usage log keeps at least 1 event in memory, not ${capacity}`);

  let db: SqliteDatabase | null = null;
  let statements: Statements | null = null;
  let queue: PendingEvent[] = [];
  let sessionKey: string | null = null;
  /** What stops the store from writing now, for staff; null when it writes. */
  let problem: string | null = null;
  /** Things staff should know even once writing works again. */
  const notices: string[] = [];
  let dropped = 0;
  let refused = 0;
  let closed = false;
  let scheduledWrite: NodeJS.Immediate | null = null;
  let cancelRetry: (() => void) | null = null;
  let cancelMaintenance: (() => void) | null = null;
  let waiters: ((result: FlushResult) => void)[] = [];

  function setProblem(text: string): void {
    if (text !== problem) log(`usage log: ${text}`);
    problem = text;
  }

  function closeConnection(): void {
    statements = null;
    if (db !== null) {
      try {
        db.close();
      } catch {
        // Already unusable: nothing more to release.
      }
      db = null;
    }
  }

  /** Moves a damaged file (and its -wal and -shm) aside so a new one can start. */
  function setAside(cause: unknown): boolean {
    closeConnection();
    const aside = asideName(file, now());
    try {
      if (existsSync(file)) renameSync(file, aside);
      for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${aside}${suffix}`);
    } catch (error) {
      setProblem(`the usage log ${file} is damaged (${describe(cause)}) and could not be moved aside (${describe(error)}): events are kept in memory until it can be replaced`);
      return false;
    }
    const notice = `The usage log was damaged (${describe(cause)}); it was moved aside as ${aside} and a new one was started: figures saved before ${new Date(now()).toISOString().slice(0, 16)}Z are in that file, not in the new one.`;
    notices.push(notice);
    log(`usage log: ${notice}`);
    return true;
  }

  function tryOpen(allowSetAside = true): boolean {
    if (db !== null) return true;
    let opened: SqliteDatabase | null = null;
    try {
      mkdirSync(dirname(file), { recursive: true });
      opened = openDatabase(file, { migrations: USAGE_MIGRATIONS, nativeBinding: options.nativeBinding, busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_USAGE_BUSY_TIMEOUT_MS });
      const pageSize = opened.pragma('page_size', { simple: true }) as number;
      opened.pragma(`max_page_count = ${Math.max(16, Math.floor(maxFileBytes / pageSize))}`);
      const check = opened.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new DamagedDatabaseError(check);
      statements = prepareStatements(opened);
      db = opened;
      if (problem !== null) log(`usage log: ${file} is open again; ${queue.length} event(s) kept in memory are being written`);
      problem = null;
      return true;
    } catch (error) {
      if (opened?.open === true) opened.close();
      statements = null;
      if (error instanceof NativeModuleError || error instanceof MigrationListError) throw error;
      if (isCorruption(error) && allowSetAside) {
        return setAside(error) && tryOpen(false);
      }
      setProblem(`the usage log cannot be opened (${describe(error)}): events are kept in memory and written once it can be`);
      return false;
    }
  }

  function armRetry(): void {
    if (closed || cancelRetry !== null) return;
    cancelRetry = clock.setTimer(() => {
      cancelRetry = null;
      settle(safeWrite());
    }, retryDelayMs);
  }

  function insertAll(batch: readonly PendingEvent[]): void {
    if (statements === null) throw new Error('the usage log is not open');
    statements.insertAll(batch);
  }

  /** Writes every queued event in one transaction; on failure keeps them and arms a retry. Synchronous. */
  function writeQueued(allowSetAside = true): FlushResult {
    if (queue.length === 0) return { written: 0, pending: 0 };
    if (!tryOpen()) {
      armRetry();
      return { written: 0, pending: queue.length };
    }
    const batch = queue;
    try {
      insertAll(batch);
      queue = queue.slice(batch.length);
      return { written: batch.length, pending: queue.length };
    } catch (error) {
      if (isConstraint(error)) return writeOneByOne(batch);
      if (isCorruption(error) && allowSetAside) {
        if (setAside(error) && tryOpen(false)) return writeQueued(false);
        armRetry();
        return { written: 0, pending: queue.length };
      }
      closeConnection();
      setProblem(`the usage log could not be written (${describe(error)}): events are kept in memory and written once it can be`);
      armRetry();
      return { written: 0, pending: queue.length };
    }
  }

  /** A batch refused by a CHECK: each event on its own, so one the schema lets through but the file refuses does not hold back the others. */
  function writeOneByOne(batch: readonly PendingEvent[]): FlushResult {
    let written = 0;
    for (const [index, pending] of batch.entries()) {
      try {
        insertAll([pending]);
        written += 1;
      } catch (error) {
        if (!isConstraint(error)) {
          // The disk failed half-way: what was not written stays queued.
          queue = queue.slice(index);
          closeConnection();
          setProblem(`the usage log could not be written (${describe(error)}): events are kept in memory and written once it can be`);
          armRetry();
          return { written, pending: queue.length };
        }
        refused += 1;
        log(`usage log: a ${pending.event.type} event was refused by the file's checks and dropped (${describe(error)})`);
      }
    }
    queue = queue.slice(batch.length);
    return { written, pending: queue.length };
  }

  function settle(result: FlushResult): void {
    const waiting = waiters;
    waiters = [];
    for (const resolveWaiter of waiting) resolveWaiter(result);
  }

  function scheduleWrite(evenWhileFailing: boolean): void {
    if (closed || scheduledWrite !== null) return;
    if (!evenWhileFailing && cancelRetry !== null) return; // the retry timer writes
    scheduledWrite = setImmediate(() => {
      scheduledWrite = null;
      settle(safeWrite());
    });
  }

  /** writeQueued, for timers: whatever goes wrong is a warning, never an uncaught error. */
  function safeWrite(): FlushResult {
    try {
      return writeQueued();
    } catch (error) {
      setProblem(`the usage log failed unexpectedly (${describe(error)}): events are kept in memory`);
      armRetry();
      return { written: 0, pending: queue.length };
    }
  }

  /** The figures of one day from what the file holds, without saving them. */
  function figuresOfDay(current: Statements, day: string): { figures: DailyFigures; lastEventId: number } {
    const rows = current.dayEvents.all({ day });
    const stored: StoredEvent[] = [];
    let lastEventId = 0;
    for (const row of rows) {
      lastEventId = Math.max(lastEventId, row.id);
      const event = eventOf(row);
      if (event !== null) stored.push({ day: row.day, minute: row.minute, sessionKey: row.sessionKey ?? '', event });
    }
    const fresh = rollUpDay(day, stored);
    const saved = current.savedFigures.get({ day });
    if (saved === undefined) return { figures: fresh, lastEventId };
    lastEventId = Math.max(lastEventId, saved.lastEventId);
    // The saved figures' raw events are still here: recomputing from all of them is exact.
    if (rows.some((row) => row.id <= saved.lastEventId)) return { figures: fresh, lastEventId };
    // They are gone (retention): what arrived late is added to what was saved.
    const parsed = DailyFiguresSchema.safeParse(JSON.parse(saved.figures));
    return { figures: parsed.success ? mergeDayFigures(day, [parsed.data, fresh]) : fresh, lastEventId };
  }

  /** Daily figures of [from, to]: saved ones, and those of days with events not rolled up yet (today included). */
  function figuresBetween(from: string, to: string): DailyFigures[] {
    settle(writeQueued());
    const connection = db;
    const current = statements;
    if (connection === null || current === null) return [];
    return connection.transaction(() => {
      const byDay = new Map<string, DailyFigures>();
      for (const row of current.figuresBetween.all({ from, to })) {
        const parsed = DailyFiguresSchema.safeParse(JSON.parse(row.figures));
        if (parsed.success) byDay.set(row.day, parsed.data);
        else log(`usage log: the saved figures of ${row.day} are not valid and are left out: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      }
      for (const { day } of current.pendingDays.all({ from, to })) byDay.set(day, figuresOfDay(current, day).figures);
      return [...byDay.values()];
    })();
  }

  function maintain(): MaintenanceReport {
    const report: { rolledUp: string[]; deletedEvents: number } = { rolledUp: [], deletedEvents: 0 };
    if (closed) return report;
    try {
      settle(writeQueued());
      const connection = db;
      const current = statements;
      if (connection === null || current === null) return report;
      const today = localDay(now());
      if (!isValidDay(today)) throw new RangeError(`the clock gives the day "${today}", which is not a day the statistics know`);
      const rolledUpAt = epochMinuteOf(now());
      const retentionDays = options.config.current().statistics.retentionDays;
      // One transaction (one sync to the disk) for the whole run; each day in a savepoint of its own.
      const saveDay = connection.transaction((day: string) => {
        const { figures, lastEventId } = figuresOfDay(current, day);
        current.saveFigures.run({ day, figures: JSON.stringify(figures), rolledUpAt, lastEventId });
      });
      connection.transaction(() => {
        for (const { day } of current.pendingDays.all({ from: EARLIEST_DAY, to: addDays(today, -1) })) {
          if (!isValidDay(day)) continue;
          try {
            saveDay(day);
            report.rolledUp.push(day);
          } catch (error) {
            if (isCorruption(error)) throw error;
            // That day keeps its raw events (the retention only deletes what saved figures include) and is tried again.
            log(`usage log: the figures of ${day} could not be saved and are tried again within the hour: ${describe(error)}`);
          }
        }
        report.deletedEvents = current.deleteRolledUpBefore.run({ cutoff: addDays(today, -retentionDays) }).changes;
      }).immediate();
    } catch (error) {
      // Nothing of this run was kept: say so.
      report.rolledUp = [];
      report.deletedEvents = 0;
      if (isCorruption(error)) {
        if (setAside(error)) tryOpen(false);
      } else {
        log(`usage log: the roll-up or the retention failed and is tried again within the hour: ${describe(error)}`);
      }
    }
    return report;
  }

  function armMaintenance(): void {
    if (closed) return;
    cancelMaintenance = clock.setTimer(() => {
      cancelMaintenance = null;
      maintain();
      armMaintenance();
    }, maintenanceIntervalMs);
  }

  function warning(): string | null {
    const parts: string[] = [];
    if (problem !== null) parts.push(`${problem[0]?.toUpperCase() ?? ''}${problem.slice(1)}. ${queue.length} event(s) are waiting in memory.`);
    if (notices.length > 2) parts.push(`The usage log was found damaged ${notices.length} times since the kiosk started; the last two:`);
    parts.push(...notices.slice(-2));
    if (dropped > 0) parts.push(`${dropped} event(s) were lost because the usage log could not be written for too long.`);
    if (parts.length === 0) return null;
    const text = parts.join(' ');
    return text.length <= MAX_WARNING_CHARS ? text : `${text.slice(0, MAX_WARNING_CHARS - 1)}…`;
  }

  function record(event: UsageEvent): void {
    try {
      if (closed) return;
      // Durations to the second first (a caller's 612.6 s is kept as 613 s), then the schema decides.
      const rounded: unknown = typeof event === 'object' && event !== null && typeof event.type === 'string' ? roundUsageEvent(event) : event;
      const checked = UsageEventSchema.safeParse(rounded);
      if (!checked.success) {
        refused += 1;
        const issue = checked.error.issues[0];
        // The path and the rule only: the value itself might be what must never be kept.
        log(`usage log: a malformed usage event was refused (${issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : 'invalid'})`);
        return;
      }
      const at = now();
      const usage = checked.data;
      if (usage.type === 'session-started') sessionKey = randomBytes(16).toString('hex');
      queue.push({ sessionKey, minute: epochMinuteOf(at), day: localDay(at), event: usage });
      if (usage.type === 'session-ended') sessionKey = null;
      if (queue.length > capacity) {
        const excess = queue.length - capacity;
        queue.splice(0, excess);
        dropped += excess;
      }
      scheduleWrite(false);
    } catch {
      // A usage figure is never worth a crash: this one event is lost, and counted.
      dropped += 1;
    }
  }

  function summary(query: PeriodQuery): PeriodSummary & { storeWarning: string | null } {
    let days: DailyFigures[] = [];
    try {
      days = figuresBetween(query.from, query.to);
    } catch (error) {
      log(`usage log: the figures could not be read: ${describe(error)}`);
      const result = summarizePeriod([], query);
      return { ...result, storeWarning: [warning(), `The figures could not be read (${describe(error)}).`].filter((part) => part !== null).join(' ') };
    }
    return { ...summarizePeriod(days, query), storeWarning: warning() };
  }

  function dailyFigures(range: DateRange): DailyFigures[] {
    try {
      return figuresBetween(range.from, range.to).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    } catch (error) {
      log(`usage log: the daily figures could not be read: ${describe(error)}`);
      return [];
    }
  }

  function exportFile(range: DateRange, format: StatisticsExportFormat): { fileName: string; mediaType: string; content: string } {
    const days = figuresBetween(range.from, range.to);
    if (db === null) throw new Error(`no export was made: the usage log cannot be read now (${problem ?? 'it is not open'})`);
    const config: KioskConfig = options.config.current();
    const statistics = buildStatisticsExport({
      kioskId: options.kioskId,
      kiosk: { name: config.kiosk.name, site: config.kiosk.site },
      exportedAt: now(),
      period: { from: range.from, to: range.to },
      threshold: config.statistics.suppressionThreshold,
      days,
    });
    return {
      fileName: statisticsExportFileName(config.kiosk, range, format),
      mediaType: MEDIA_TYPES[format],
      content: format === 'csv' ? exportToCsv(statistics) : exportToJson(statistics),
    };
  }

  async function backupDatabase(toFile: string): Promise<void> {
    const target = resolve(toFile);
    if (target === file || target.startsWith(`${file}-`)) throw new Error(`${target} is the usage log itself: choose another file for the backup`);
    if (existsSync(target)) throw new Error(`${target} already exists: a backup never replaces a file, choose a new name`);
    settle(writeQueued());
    const connection = db;
    if (connection === null) throw new Error(`no backup was made: the usage log is not open (${problem ?? 'closed'})`);
    await connection.backup(target);
  }

  function close(): void {
    if (closed) return;
    closed = true;
    cancelRetry?.();
    cancelRetry = null;
    cancelMaintenance?.();
    cancelMaintenance = null;
    if (scheduledWrite !== null) clearImmediate(scheduledWrite);
    scheduledWrite = null;
    let result: FlushResult = { written: 0, pending: queue.length };
    try {
      result = writeQueued();
    } catch (error) {
      log(`usage log: the last write failed: ${describe(error)}`);
    }
    if (result.pending > 0) log(`usage log: ${result.pending} event(s) could not be written before closing and are lost`);
    settle(result);
    closeConnection();
  }

  function diagnostics(): UsageStoreDiagnostics {
    const connection = db;
    const counts = { pendingEvents: queue.length, droppedEvents: dropped, refusedEvents: refused };
    if (connection === null) return { file, open: false, schemaVersion: null, journalMode: null, synchronous: null, foreignKeys: null, ...counts };
    return {
      file,
      open: true,
      schemaVersion: connection.pragma('user_version', { simple: true }) as number,
      journalMode: connection.pragma('journal_mode', { simple: true }) as string,
      synchronous: connection.pragma('synchronous', { simple: true }) as number,
      foreignKeys: connection.pragma('foreign_keys', { simple: true }) as number,
      ...counts,
    };
  }

  tryOpen();
  maintain();
  armMaintenance();

  return {
    record,
    flush() {
      if (closed) return Promise.resolve({ written: 0, pending: queue.length });
      return new Promise<FlushResult>((resolveFlush) => {
        waiters.push(resolveFlush);
        scheduleWrite(true);
      });
    },
    health() {
      const text = warning();
      return text === null ? { ok: true } : { ok: false, warning: text };
    },
    maintain,
    summary,
    dailyFigures,
    exportFile,
    backupDatabase,
    diagnostics,
    close,
  };
}

/** The usage log a kiosk runs with: the SQLite store, or events in memory when SQLite cannot be used at all. */
export interface KioskUsageLog {
  readonly usageLog: UsageLog;
  readonly statistics: StatisticsSource;
  /** For the hub's statistics upload; none when the events are kept in memory only. */
  readonly figures: DailyFiguresSource;
  /** Null when the events are kept in memory only. */
  readonly store: UsageStore | null;
  close(): void;
}

export interface KioskUsageLogOptions {
  /** The kiosk's data folder: holds usage.sqlite and kiosk-id. */
  readonly dataDir: string;
  /** The kiosk's identifier when the caller has loaded it already (kiosk-identity.ts); else read from the data folder. */
  readonly kioskId?: string;
  readonly config: ConfigSource;
  readonly nativeBinding?: string;
  readonly now?: () => number;
  readonly clock?: Pick<Clock, 'setTimer'>;
  readonly log: (line: string) => void;
}

/** Statistics when there is no store: zeros, and the reason for staff. */
function unavailableStatistics(reason: string): StatisticsSource {
  const storeWarning = `Usage figures are not being saved on this kiosk: ${reason}. Visitors are not affected.`;
  return {
    summary: (query) => ({ ...summarizePeriod([], query), storeWarning }),
    exportFile: () => {
      throw new Error(`no export was made: usage figures are not being saved on this kiosk (${reason})`);
    },
  };
}

/**
 * Composes the usage log for the kiosk or the preview: `<dataDir>/usage.sqlite` with the
 * kiosk's identifier; when SQLite cannot be used at all, one line in the log and the events
 * in memory, so visitors are served regardless.
 */
export function openKioskUsageLog(options: KioskUsageLogOptions): KioskUsageLog {
  const kioskId = options.kioskId ?? loadKioskIdentity(options.dataDir, options.log).kioskId;
  try {
    const store = openUsageStore({
      file: join(options.dataDir, USAGE_DATABASE_FILE_NAME),
      config: options.config,
      kioskId,
      nativeBinding: options.nativeBinding,
      now: options.now,
      clock: options.clock,
      log: options.log,
    });
    return { usageLog: store, statistics: store, figures: store, store, close: () => store.close() };
  } catch (error) {
    const reason = describe(error);
    options.log(`the usage log cannot use SQLite, events are kept in memory only: ${reason}`);
    const memory = createMemoryUsageLog(options.now === undefined ? {} : { now: options.now });
    // Events in memory are not rolled up into days: there is nothing to upload until SQLite works again.
    return { usageLog: memory, statistics: unavailableStatistics(reason), figures: { dailyFigures: () => [] }, store: null, close: () => {} };
  }
}
