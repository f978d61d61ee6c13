/**
 * The hub's storage: `<dataDir>/hub.sqlite`, its own file, apart from any kiosk's usage log.
 * Paired devices (secrets kept as hashes only), pairing codes (hashes only), kiosks' last
 * heartbeat, help requests and the kiosks' daily statistics with one running sum per day.
 * Everything a restart must not lose is committed before the HTTP answer goes out
 * (WAL, synchronous FULL).
 *
 * INTERFACE FIRST: the implementation (openHubStore) follows below the interface.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OFFLINE_AFTER_SECONDS, normalizePairingCode, type CreateHelpRequest, type DeviceRole, type HelpRequestState, type HelpRequestView, type HeartbeatRequest, type KioskActivity, type KioskView, type StatisticsUpload } from '../../shared/hub-api';
import type { LanguageCode } from '../../shared/languages';
import { DailyFiguresSchema, type DailyFigures } from '../../shared/statistics/daily-figures';
import type { KioskLabels } from '../../shared/statistics/export-format';
import { sumOfSameDay } from '../../shared/statistics/same-day-sum';
import { openDatabase, type SqliteDatabase } from '../services/sqlite-database';
import { HUB_MIGRATIONS } from './hub-migrations';
import { createDeviceCredential, generatePairingCode, hashPairingCode, newPairingCodeKey, parseDeviceToken, randomHubId, secretMatches, SECRET_HASH_BYTES } from './hub-secrets';

export const HUB_DATABASE_FILE_NAME = 'hub.sqlite';

export interface HubStoreOptions {
  /** Holds hub.sqlite. Created if missing. */
  readonly dataDir: string;
  /** better-sqlite3's native binding for Electron's ABI (the hub inside the staff PC's kiosk app); undefined under Node. */
  readonly nativeBinding?: string;
  /** Epoch milliseconds; tests pass a manual clock. */
  readonly now: () => number;
}

export interface StoredDevice {
  readonly deviceId: string;
  readonly role: DeviceRole;
  readonly name: string;
  readonly site: string;
  /** Kiosks only: the statistics id given at pairing; its uploads must carry this id. */
  readonly kioskId: string | null;
  readonly pairedAt: number;
  readonly lastSeenAt: number | null;
}

export interface IssuedPairingCode {
  /** "K7QM-RXHP": shown once; the store keeps a hash. */
  readonly code: string;
  readonly role: DeviceRole;
  readonly expiresAt: number;
  readonly usesLeft: number;
}

export type PairingClaim =
  | { readonly ok: true; readonly device: StoredDevice; /** `<deviceId>.<secret>`: shown once. */ readonly token: string }
  | {
      readonly ok: false;
      /** 'kiosk-id-required': a kiosk code claimed without the kiosk's statistics id; 'kiosk-id-refused': another code claimed with one. Neither spends a use. */
      readonly reason: 'unknown' | 'expired' | 'used-up' | 'kiosk-id-required' | 'kiosk-id-refused';
    };

export type HelpTransition = 'acknowledge' | 'resolve' | 'cancel';

export type TransitionResult =
  | { readonly ok: true; readonly request: HelpRequestView; /** False when the request already was in that state (a repeated "I'm coming"): nothing changed, no event. */ readonly changed: boolean }
  | { readonly ok: false; readonly reason: 'not-found' | 'final'; readonly request: HelpRequestView | null };

export interface KioskDays {
  readonly kioskId: string;
  readonly kiosk: KioskLabels;
  readonly days: readonly DailyFigures[];
}

export interface HubStore {
  /* Pairing and credentials */
  createPairingCode(role: DeviceRole, options: { readonly expiresAt: number; readonly maxUses: number }): IssuedPairingCode;
  /** `code` already normalized (normalizePairingCode). Each use creates a new device with its own secret. */
  claimPairingCode(code: string, device: { readonly name: string; readonly site: string; readonly kioskId: string | null }): PairingClaim;
  /** The device a `<deviceId>.<secret>` token belongs to, or null; the secret's hash is compared in constant time. Revoked devices are null. */
  authenticate(token: string): StoredDevice | null;
  /** Remembers when a device was last heard from (kept in memory, written at most once a minute per device). */
  touchDevice(deviceId: string): void;
  listDevices(): StoredDevice[];
  /** Takes a device's credential away for good (a lost phone). False when there was none. */
  revokeDevice(deviceId: string): boolean;

  /* Kiosks */
  recordHeartbeat(deviceId: string, heartbeat: HeartbeatRequest): KioskView;
  listKiosks(): KioskView[];
  kiosk(deviceId: string): KioskView | null;

  /* Help requests */
  /** Idempotent on (kiosk, clientRequestId): `created` is false when it was seen before. createdAt = now - delayMs. */
  createHelpRequest(kioskDeviceId: string, request: CreateHelpRequest): { readonly request: HelpRequestView; readonly created: boolean };
  helpRequest(id: string): HelpRequestView | null;
  /** Waiting and acknowledged requests, the longest waiting first. */
  openHelpRequests(): HelpRequestView[];
  transitionHelpRequest(id: string, transition: HelpTransition): TransitionResult;

  /* Statistics */
  /** Replaces each (kioskId, day) it carries; keeps the day's running sum right. `viaDeviceId` is the uploader (kiosk or downstream hub). */
  storeUpload(upload: StatisticsUpload, viaDeviceId: string): { readonly stored: number; readonly replaced: number };
  /** The sum of all kiosks per day with figures in [from, to], in day order, from the running sums. */
  daySums(from: string, to: string): DailyFigures[];
  /** How many distinct kiosks have figures in [from, to]. */
  kioskCount(from: string, to: string): number;
  /** Every kiosk's own days in [from, to] (for exports), kiosks in id order, days in order. */
  kioskDays(from: string, to: string): KioskDays[];
  /** The kiosks with days in [from, to], in id order: with kioskDaysOf, an export reads one kiosk at a time, never a network's year at once. */
  kioskIdsWithDays(from: string, to: string): string[];
  /** One kiosk's days in [from, to], or null when it has none (or none readable). */
  kioskDaysOf(kioskId: string, from: string, to: string): KioskDays | null;
  /** Kiosk-days stored or replaced since they were last forwarded upstream, grouped by kiosk, at most `maxDays` days in all. */
  pendingForward(maxDays: number): KioskDays[];
  /** Marks those kiosk-days forwarded, unless they were replaced again meanwhile. */
  markForwarded(batch: readonly KioskDays[]): void;

  close(): void;
}

/* ---------- Implementation ---------- */

/**
 * A device's last-seen time is written to the file at most this often. Heartbeats come
 * every 10 s from up to 500 kiosks, and with synchronous = FULL every write is an fsync:
 * writing each one would make the disk, not the network, the hub's limit. The newest time
 * is kept in memory and every view reads it from there, so helpers see no difference.
 * The price: after a crash or a power cut, a kiosk may show as last seen up to a minute
 * earlier than it really was (a clean close writes them all), until its next heartbeat.
 */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

/** hub_meta's key for the pairing codes' HMAC key (hub-secrets.ts, hashPairingCode). */
const PAIRING_CODE_KEY = 'pairing-code-key';
/** Drawing a code that is already live is a 1-in-10^11 event; this many in a row means the random source is broken. */
const PAIRING_CODE_DRAWS = 10;

const HELP_TRANSITION_TARGETS: Record<HelpTransition, HelpRequestState> = { acknowledge: 'acknowledged', resolve: 'resolved', cancel: 'cancelled' };
const FINAL_STATES: ReadonlySet<HelpRequestState> = new Set(['resolved', 'cancelled']);

/** "PC 2" before "PC 10", "pc 3" next to "PC 3". */
const deviceNameOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

interface DeviceRow {
  readonly deviceId: string;
  readonly role: DeviceRole;
  readonly name: string;
  readonly site: string;
  readonly kioskId: string | null;
  readonly pairedAt: number;
  readonly lastSeenAt: number | null;
  readonly activity: KioskActivity;
}

interface HelpRequestRow {
  readonly id: string;
  readonly kioskDeviceId: string;
  readonly clientRequestId: string;
  readonly kioskName: string;
  readonly site: string;
  readonly serviceId: string | null;
  readonly language: LanguageCode;
  readonly state: HelpRequestState;
  readonly createdAt: number;
  readonly acknowledgedAt: number | null;
  readonly closedAt: number | null;
  readonly revision: number;
}

interface KioskDayRow {
  readonly kioskId: string;
  readonly day: string;
  readonly kioskName: string;
  readonly site: string;
  readonly figures: string;
  readonly receivedAt: number;
  readonly revision: number;
}

const DEVICE_COLUMNS = `device_id AS deviceId, role, name, site, kiosk_id AS kioskId, paired_at AS pairedAt, last_seen_at AS lastSeenAt, activity`;
const HELP_COLUMNS = `id, kiosk_device_id AS kioskDeviceId, client_request_id AS clientRequestId, kiosk_name AS kioskName, site, service_id AS serviceId,
  language, state, created_at AS createdAt, acknowledged_at AS acknowledgedAt, closed_at AS closedAt, revision`;
const KIOSK_DAY_COLUMNS = `kiosk_id AS kioskId, day, kiosk_name AS kioskName, site, figures, received_at AS receivedAt, revision`;

function prepareStatements(db: SqliteDatabase) {
  return {
    meta: db.prepare<{ key: string }, { value: Buffer }>(`SELECT value FROM hub_meta WHERE key = @key`),
    addMeta: db.prepare<{ key: string; value: Buffer }>(`INSERT INTO hub_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING`),

    insertDevice: db.prepare<{ deviceId: string; role: DeviceRole; secretHash: Buffer; name: string; site: string; kioskId: string | null; pairedAt: number }>(
      `INSERT INTO devices (device_id, role, secret_hash, name, site, kiosk_id, paired_at) VALUES (@deviceId, @role, @secretHash, @name, @site, @kioskId, @pairedAt)`,
    ),
    activeDevice: db.prepare<{ deviceId: string }, DeviceRow & { secretHash: Buffer }>(
      `SELECT ${DEVICE_COLUMNS}, secret_hash AS secretHash FROM devices WHERE device_id = @deviceId AND revoked_at IS NULL`,
    ),
    activeDevices: db.prepare<[], DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE revoked_at IS NULL`),
    activeKiosks: db.prepare<[], DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE revoked_at IS NULL AND role = 'kiosk'`),
    revokeDevice: db.prepare<{ deviceId: string; revokedAt: number }>(`UPDATE devices SET revoked_at = @revokedAt WHERE device_id = @deviceId AND revoked_at IS NULL`),
    writeLastSeen: db.prepare<{ deviceId: string; lastSeenAt: number }>(`UPDATE devices SET last_seen_at = @lastSeenAt WHERE device_id = @deviceId AND revoked_at IS NULL`),
    writeKioskState: db.prepare<{ deviceId: string; name: string; site: string; activity: KioskActivity; lastSeenAt: number }>(
      `UPDATE devices SET name = @name, site = @site, activity = @activity, last_seen_at = @lastSeenAt WHERE device_id = @deviceId`,
    ),

    purgeExpiredCodes: db.prepare<{ now: number }>(`DELETE FROM pairing_codes WHERE expires_at <= @now`),
    insertCode: db.prepare<{ codeHash: Buffer; role: DeviceRole; createdAt: number; expiresAt: number; usesLeft: number }>(
      `INSERT INTO pairing_codes (code_hash, role, created_at, expires_at, uses_left) VALUES (@codeHash, @role, @createdAt, @expiresAt, @usesLeft)
       ON CONFLICT (code_hash) DO NOTHING`,
    ),
    code: db.prepare<{ codeHash: Buffer }, { role: DeviceRole; expiresAt: number; usesLeft: number }>(
      `SELECT role, expires_at AS expiresAt, uses_left AS usesLeft FROM pairing_codes WHERE code_hash = @codeHash`,
    ),
    useCode: db.prepare<{ codeHash: Buffer }>(`UPDATE pairing_codes SET uses_left = uses_left - 1 WHERE code_hash = @codeHash AND uses_left > 0`),

    insertHelpRequest: db.prepare<HelpRequestRow>(
      `INSERT INTO help_requests (id, kiosk_device_id, client_request_id, kiosk_name, site, service_id, language, state, created_at, acknowledged_at, closed_at, revision)
       VALUES (@id, @kioskDeviceId, @clientRequestId, @kioskName, @site, @serviceId, @language, @state, @createdAt, @acknowledgedAt, @closedAt, @revision)`,
    ),
    helpRequest: db.prepare<{ id: string }, HelpRequestRow>(`SELECT ${HELP_COLUMNS} FROM help_requests WHERE id = @id`),
    helpRequestOfClient: db.prepare<{ kioskDeviceId: string; clientRequestId: string }, HelpRequestRow>(
      `SELECT ${HELP_COLUMNS} FROM help_requests WHERE kiosk_device_id = @kioskDeviceId AND client_request_id = @clientRequestId`,
    ),
    openHelpRequests: db.prepare<[], HelpRequestRow>(`SELECT ${HELP_COLUMNS} FROM help_requests WHERE state IN ('waiting', 'acknowledged') ORDER BY created_at, rowid`),
    updateHelpRequest: db.prepare<{ id: string; state: HelpRequestState; acknowledgedAt: number | null; closedAt: number | null; revision: number }>(
      `UPDATE help_requests SET state = @state, acknowledged_at = @acknowledgedAt, closed_at = @closedAt, revision = @revision WHERE id = @id`,
    ),

    kioskDay: db.prepare<{ kioskId: string; day: string }, KioskDayRow>(`SELECT ${KIOSK_DAY_COLUMNS} FROM kiosk_days WHERE kiosk_id = @kioskId AND day = @day`),
    insertKioskDay: db.prepare<{ kioskId: string; day: string; kioskName: string; site: string; figures: string; viaDeviceId: string; receivedAt: number }>(
      `INSERT INTO kiosk_days (kiosk_id, day, kiosk_name, site, figures, via_device_id, received_at, revision)
       VALUES (@kioskId, @day, @kioskName, @site, @figures, @viaDeviceId, @receivedAt, 1)`,
    ),
    replaceKioskDay: db.prepare<{ kioskId: string; day: string; kioskName: string; site: string; figures: string; viaDeviceId: string; receivedAt: number }>(
      `UPDATE kiosk_days SET kiosk_name = @kioskName, site = @site, figures = @figures, via_device_id = @viaDeviceId, received_at = @receivedAt, revision = revision + 1
        WHERE kiosk_id = @kioskId AND day = @day`,
    ),
    figuresOfDay: db.prepare<{ day: string }, { figures: string }>(`SELECT figures FROM kiosk_days WHERE day = @day`),
    saveDaySum: db.prepare<{ day: string; figures: string; kioskCount: number }>(
      `INSERT INTO day_sums (day, figures, kiosk_count) VALUES (@day, @figures, @kioskCount)
       ON CONFLICT (day) DO UPDATE SET figures = excluded.figures, kiosk_count = excluded.kiosk_count`,
    ),
    daySum: db.prepare<{ day: string }, { figures: string; kioskCount: number }>(`SELECT figures, kiosk_count AS kioskCount FROM day_sums WHERE day = @day`),
    deleteDaySum: db.prepare<{ day: string }>(`DELETE FROM day_sums WHERE day = @day`),
    daySums: db.prepare<{ from: string; to: string }, { day: string; figures: string }>(`SELECT day, figures FROM day_sums WHERE day BETWEEN @from AND @to ORDER BY day`),
    kioskCount: db.prepare<{ from: string; to: string }, number>(`SELECT count(DISTINCT kiosk_id) FROM kiosk_days WHERE day BETWEEN @from AND @to`).pluck(),
    kioskDays: db.prepare<{ from: string; to: string }, KioskDayRow>(`SELECT ${KIOSK_DAY_COLUMNS} FROM kiosk_days WHERE day BETWEEN @from AND @to ORDER BY kiosk_id, day`),
    kioskIdsWithDays: db
      .prepare<{ from: string; to: string }, string>(`SELECT DISTINCT kiosk_id FROM kiosk_days WHERE day BETWEEN @from AND @to ORDER BY kiosk_id`)
      .pluck(),
    daysOfKiosk: db.prepare<{ kioskId: string; from: string; to: string }, KioskDayRow>(
      `SELECT ${KIOSK_DAY_COLUMNS} FROM kiosk_days WHERE kiosk_id = @kioskId AND day BETWEEN @from AND @to ORDER BY day`,
    ),
    toForward: db.prepare<[], KioskDayRow>(`SELECT ${KIOSK_DAY_COLUMNS} FROM kiosk_days WHERE forwarded_revision < revision ORDER BY kiosk_id, day`),
    markForwardedAtRevision: db.prepare<{ kioskId: string; day: string; revision: number }>(
      `UPDATE kiosk_days SET forwarded_revision = revision WHERE kiosk_id = @kioskId AND day = @day AND revision = @revision`,
    ),
    markForwardedIfSameFigures: db.prepare<{ kioskId: string; day: string; figures: string }>(
      `UPDATE kiosk_days SET forwarded_revision = revision WHERE kiosk_id = @kioskId AND day = @day AND figures = @figures`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** A row's figures, or null when the text is not daily figures of that day (only a tampered file holds such a row: it is skipped, never fatal). */
function parseFigures(text: string, day: string): DailyFigures | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const checked = DailyFiguresSchema.safeParse(value);
  return checked.success && checked.data.day === day ? checked.data : null;
}

function helpRequestView(row: HelpRequestRow): HelpRequestView {
  return {
    id: row.id,
    kioskDeviceId: row.kioskDeviceId,
    kioskName: row.kioskName,
    site: row.site,
    serviceId: row.serviceId,
    language: row.language,
    state: row.state,
    createdAt: row.createdAt,
    acknowledgedAt: row.acknowledgedAt,
    closedAt: row.closedAt,
    revision: row.revision,
  };
}

function byName<T extends { readonly name: string; readonly deviceId: string }>(items: T[]): T[] {
  return items.sort((a, b) => deviceNameOrder.compare(a.name, b.name) || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}

/** Kiosk-day rows (ordered by kiosk, then day) as one group per kiosk, with the labels of its most recently received row. */
function groupByKiosk(rows: Iterable<{ readonly row: KioskDayRow; readonly figures: DailyFigures }>): KioskDays[] {
  const groups: { kioskId: string; kiosk: KioskLabels; newest: KioskDayRow; days: DailyFigures[] }[] = [];
  for (const { row, figures } of rows) {
    let group = groups.at(-1);
    if (group === undefined || group.kioskId !== row.kioskId) {
      group = { kioskId: row.kioskId, kiosk: { name: row.kioskName, site: row.site }, newest: row, days: [] };
      groups.push(group);
    }
    // Rows come day by day, so on equal reception times the later day wins.
    if (row.receivedAt >= group.newest.receivedAt) {
      group.newest = row;
      group.kiosk = { name: row.kioskName, site: row.site };
    }
    group.days.push(figures);
  }
  return groups.map(({ kioskId, kiosk, days }) => ({ kioskId, kiosk, days }));
}

function requireWholeNumber(value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be a whole number of at least ${min}, not ${String(value)}`);
}

/**
 * Opens (creating or migrating) `<dataDir>/hub.sqlite`. Throws when the file cannot be
 * used (a newer version's file, a failed migration, better-sqlite3 not built for this
 * runtime): the hub cannot serve without its storage, so it must not start half-way.
 */
export function openHubStore(options: HubStoreOptions): HubStore {
  const now = options.now;
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(join(options.dataDir, HUB_DATABASE_FILE_NAME), {
    migrations: HUB_MIGRATIONS,
    ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
  });
  let statements: Statements;
  let pairingCodeKey: Buffer;
  try {
    statements = prepareStatements(db);
    statements.addMeta.run({ key: PAIRING_CODE_KEY, value: newPairingCodeKey() });
    const stored = statements.meta.get({ key: PAIRING_CODE_KEY })?.value;
    if (stored === undefined || stored.length !== SECRET_HASH_BYTES) throw new Error(`${HUB_DATABASE_FILE_NAME} holds no usable pairing code key (hub_meta "${PAIRING_CODE_KEY}")`);
    pairingCodeKey = stored;
  } catch (error) {
    db.close();
    throw error;
  }

  /** The newest time each device was heard from; ahead of the file by up to LAST_SEEN_WRITE_INTERVAL_MS. */
  const lastSeen = new Map<string, number>();
  /** When each device's last-seen time was last written to the file. */
  const lastSeenWrittenAt = new Map<string, number>();
  /** The revision each kiosk-day handed out by pendingForward had when it was read. */
  const forwardedRevisions = new WeakMap<DailyFigures, { readonly kioskId: string; readonly revision: number }>();
  let closed = false;

  const lastSeenOf = (row: DeviceRow): number | null => lastSeen.get(row.deviceId) ?? row.lastSeenAt;

  function storedDevice(row: DeviceRow): StoredDevice {
    return { deviceId: row.deviceId, role: row.role, name: row.name, site: row.site, kioskId: row.kioskId, pairedAt: row.pairedAt, lastSeenAt: lastSeenOf(row) };
  }

  function kioskView(row: DeviceRow): KioskView {
    const lastSeenAt = lastSeenOf(row);
    return {
      deviceId: row.deviceId,
      name: row.name,
      site: row.site,
      activity: row.activity,
      online: lastSeenAt !== null && now() - lastSeenAt <= OFFLINE_AFTER_SECONDS * 1000,
      lastSeenAt,
    };
  }

  function activeKiosk(deviceId: string): DeviceRow & { secretHash: Buffer } {
    const row = statements.activeDevice.get({ deviceId });
    if (row === undefined || row.role !== 'kiosk') throw new RangeError(`no kiosk with the id ${deviceId} is paired with this hub`);
    return row;
  }

  function touchDevice(deviceId: string): void {
    const at = now();
    const writtenAt = lastSeenWrittenAt.get(deviceId);
    if (writtenAt !== undefined && at - writtenAt < LAST_SEEN_WRITE_INTERVAL_MS) {
      lastSeen.set(deviceId, at);
      return;
    }
    // Only devices the file knows are remembered, so a stray id cannot grow the maps.
    if (statements.writeLastSeen.run({ deviceId, lastSeenAt: at }).changes === 0) return;
    lastSeen.set(deviceId, at);
    lastSeenWrittenAt.set(deviceId, at);
  }

  const createCode = db.transaction((role: DeviceRole, expiresAt: number, usesLeft: number, createdAt: number): IssuedPairingCode => {
    statements.purgeExpiredCodes.run({ now: createdAt });
    for (let draw = 0; draw < PAIRING_CODE_DRAWS; draw += 1) {
      const code = generatePairingCode();
      const inserted = statements.insertCode.run({ codeHash: hashPairingCode(code, pairingCodeKey), role, createdAt, expiresAt, usesLeft });
      if (inserted.changes === 1) return { code, role, expiresAt, usesLeft };
    }
    throw new Error(`no unused pairing code was found in ${PAIRING_CODE_DRAWS} draws: the random source is not random`);
  });

  const claimCode = db.transaction((code: string, device: { readonly name: string; readonly site: string; readonly kioskId: string | null }, at: number): PairingClaim => {
    const codeHash = hashPairingCode(code, pairingCodeKey);
    const found = statements.code.get({ codeHash });
    if (found === undefined) return { ok: false, reason: 'unknown' };
    if (at >= found.expiresAt) return { ok: false, reason: 'expired' };
    if (found.usesLeft <= 0) return { ok: false, reason: 'used-up' };
    // Checked before the use is spent: a mistaken claim must not burn a one-use staff code.
    if (found.role === 'kiosk' && device.kioskId === null) return { ok: false, reason: 'kiosk-id-required' };
    if (found.role !== 'kiosk' && device.kioskId !== null) return { ok: false, reason: 'kiosk-id-refused' };
    statements.useCode.run({ codeHash });
    const credential = createDeviceCredential();
    const row: DeviceRow = {
      deviceId: credential.deviceId,
      role: found.role,
      name: device.name,
      site: device.site,
      kioskId: device.kioskId,
      pairedAt: at,
      lastSeenAt: null,
      activity: 'free',
    };
    statements.insertDevice.run({ deviceId: row.deviceId, role: row.role, secretHash: credential.secretHash, name: row.name, site: row.site, kioskId: row.kioskId, pairedAt: at });
    return { ok: true, device: storedDevice(row), token: credential.token };
  });

  const createRequest = db.transaction((kioskDeviceId: string, request: CreateHelpRequest, at: number) => {
    const seen = statements.helpRequestOfClient.get({ kioskDeviceId, clientRequestId: request.clientRequestId });
    if (seen !== undefined) return { request: helpRequestView(seen), created: false };
    const kiosk = activeKiosk(kioskDeviceId);
    const row: HelpRequestRow = {
      id: randomHubId(),
      kioskDeviceId,
      clientRequestId: request.clientRequestId,
      kioskName: kiosk.name,
      site: kiosk.site,
      serviceId: request.serviceId,
      language: request.language,
      state: 'waiting',
      createdAt: Math.max(0, at - request.delayMs),
      acknowledgedAt: null,
      closedAt: null,
      revision: 1,
    };
    statements.insertHelpRequest.run(row);
    return { request: helpRequestView(row), created: true };
  });

  const transition = db.transaction((id: string, change: HelpTransition, at: number): TransitionResult => {
    const row = statements.helpRequest.get({ id });
    if (row === undefined) return { ok: false, reason: 'not-found', request: null };
    const target = HELP_TRANSITION_TARGETS[change];
    // A repeated "I'm coming", "Done" or cancel (a retry after a lost answer) changes nothing and is not an error.
    if (row.state === target) return { ok: true, request: helpRequestView(row), changed: false };
    if (FINAL_STATES.has(row.state)) return { ok: false, reason: 'final', request: helpRequestView(row) };
    const next: HelpRequestRow = {
      ...row,
      state: target,
      acknowledgedAt: change === 'acknowledge' ? at : row.acknowledgedAt,
      closedAt: change === 'acknowledge' ? null : at,
      revision: row.revision + 1,
    };
    statements.updateHelpRequest.run({ id, state: next.state, acknowledgedAt: next.acknowledgedAt, closedAt: next.closedAt, revision: next.revision });
    return { ok: true, request: helpRequestView(next), changed: true };
  });

  /** A day's sum from all its kiosk rows: exact whatever came before, at the cost of reading every row of the day. */
  function recomputeDaySum(day: string): void {
    const sum = sumOfSameDay(day);
    let kioskCount = 0;
    for (const { figures } of statements.figuresOfDay.iterate({ day })) {
      const parsed = parseFigures(figures, day);
      if (parsed === null) continue;
      sum.add(parsed);
      kioskCount += 1;
    }
    if (kioskCount === 0) statements.deleteDaySum.run({ day });
    else statements.saveDaySum.run({ day, figures: JSON.stringify(sum.result()), kioskCount });
  }

  /**
   * Adds a kiosk-day new to the hub to its day's sum without reading the day's other rows.
   * Exact, because sumOfSameDay composes: a sum added as if it were one kiosk gives what
   * adding each of its kiosks gives (counts and histograms add up; the one case where a
   * kiosk's own median is kept, a single kiosk with values, stays that case). The test
   * "keep every day sum equal to…" holds this against sumOfSameDay over the rows.
   *
   * This keeps a kiosk's history upload (up to MAX_UPLOAD_DAYS days) and a network hub's
   * forwarded batches at one small read per day, however many kiosks the hub holds.
   */
  function addToDaySum(figures: DailyFigures): void {
    const saved = statements.daySum.get({ day: figures.day });
    const previous = saved === undefined ? null : parseFigures(saved.figures, figures.day);
    if (saved === undefined || previous === null) {
      recomputeDaySum(figures.day);
      return;
    }
    const sum = sumOfSameDay(figures.day);
    sum.add(previous);
    sum.add(figures);
    statements.saveDaySum.run({ day: figures.day, figures: JSON.stringify(sum.result()), kioskCount: saved.kioskCount + 1 });
  }

  const storeUploadInOneTransaction = db.transaction((upload: StatisticsUpload, viaDeviceId: string, receivedAt: number) => {
    let stored = 0;
    let replaced = 0;
    for (const figures of upload.days) {
      const values = { kioskId: upload.kioskId, day: figures.day, kioskName: upload.kiosk.name, site: upload.kiosk.site, figures: JSON.stringify(figures), viaDeviceId, receivedAt };
      const existing = statements.kioskDay.get({ kioskId: upload.kioskId, day: figures.day });
      if (existing === undefined) {
        statements.insertKioskDay.run(values);
        addToDaySum(figures);
        stored += 1;
        continue;
      }
      replaced += 1;
      // The same figures again (a retry after a lost answer) write nothing and are not forwarded again.
      if (existing.figures === values.figures && existing.kioskName === values.kioskName && existing.site === values.site) continue;
      statements.replaceKioskDay.run(values);
      // A running sum cannot take the replaced figures back out (a median is not subtracted): the day is summed again from its rows.
      if (existing.figures !== values.figures) recomputeDaySum(figures.day);
    }
    return { stored, replaced };
  });

  const markForwardedInOneTransaction = db.transaction((batch: readonly KioskDays[]) => {
    for (const group of batch) {
      for (const figures of group.days) {
        const read = forwardedRevisions.get(figures);
        if (read !== undefined && read.kioskId === group.kioskId) {
          statements.markForwardedAtRevision.run({ kioskId: group.kioskId, day: figures.day, revision: read.revision });
        } else {
          // Not an object pendingForward handed out (the caller copied it): forwarded if the row still holds exactly these figures.
          statements.markForwardedIfSameFigures.run({ kioskId: group.kioskId, day: figures.day, figures: JSON.stringify(figures) });
        }
      }
    }
  });

  const writeLastSeenTimes = db.transaction(() => {
    for (const [deviceId, at] of lastSeen) {
      if (lastSeenWrittenAt.get(deviceId) !== at) statements.writeLastSeen.run({ deviceId, lastSeenAt: at });
    }
  });

  function* parsedRows(rows: Iterable<KioskDayRow>): Generator<{ row: KioskDayRow; figures: DailyFigures }> {
    for (const row of rows) {
      const figures = parseFigures(row.figures, row.day);
      if (figures !== null) yield { row, figures };
    }
  }

  return {
    createPairingCode(role, { expiresAt, maxUses }) {
      const createdAt = now();
      requireWholeNumber(maxUses, 'maxUses', 1);
      requireWholeNumber(expiresAt, 'expiresAt', createdAt + 1);
      return createCode.immediate(role, expiresAt, maxUses, createdAt);
    },

    claimPairingCode(code, device) {
      const normalized = normalizePairingCode(code);
      if (normalized === null) return { ok: false, reason: 'unknown' };
      return claimCode.immediate(normalized, device, now());
    },

    authenticate(token) {
      const parts = parseDeviceToken(token);
      if (parts === null) return null;
      const row = statements.activeDevice.get({ deviceId: parts.deviceId });
      if (row === undefined || !secretMatches(parts.secret, row.secretHash)) return null;
      return storedDevice(row);
    },

    touchDevice,

    listDevices() {
      return byName(statements.activeDevices.all().map(storedDevice));
    },

    revokeDevice(deviceId) {
      const revoked = statements.revokeDevice.run({ deviceId, revokedAt: now() }).changes === 1;
      lastSeen.delete(deviceId);
      lastSeenWrittenAt.delete(deviceId);
      return revoked;
    },

    recordHeartbeat(deviceId, heartbeat) {
      const row = activeKiosk(deviceId);
      const at = now();
      if (row.name !== heartbeat.name || row.site !== heartbeat.site || row.activity !== heartbeat.activity) {
        // The change is written anyway: its last-seen time rides along for free.
        statements.writeKioskState.run({ deviceId, name: heartbeat.name, site: heartbeat.site, activity: heartbeat.activity, lastSeenAt: at });
        lastSeen.set(deviceId, at);
        lastSeenWrittenAt.set(deviceId, at);
      } else {
        touchDevice(deviceId);
      }
      return kioskView({ ...row, name: heartbeat.name, site: heartbeat.site, activity: heartbeat.activity });
    },

    listKiosks() {
      return byName(statements.activeKiosks.all().map(kioskView));
    },

    kiosk(deviceId) {
      const row = statements.activeDevice.get({ deviceId });
      return row === undefined || row.role !== 'kiosk' ? null : kioskView(row);
    },

    createHelpRequest(kioskDeviceId, request) {
      return createRequest.immediate(kioskDeviceId, request, now());
    },

    helpRequest(id) {
      const row = statements.helpRequest.get({ id });
      return row === undefined ? null : helpRequestView(row);
    },

    openHelpRequests() {
      return statements.openHelpRequests.all().map(helpRequestView);
    },

    transitionHelpRequest(id, change) {
      return transition.immediate(id, change, now());
    },

    storeUpload(upload, viaDeviceId) {
      return storeUploadInOneTransaction.immediate(upload, viaDeviceId, now());
    },

    daySums(from, to) {
      const sums: DailyFigures[] = [];
      for (const row of statements.daySums.iterate({ from, to })) {
        const figures = parseFigures(row.figures, row.day);
        if (figures !== null) sums.push(figures);
      }
      return sums;
    },

    kioskCount(from, to) {
      return statements.kioskCount.get({ from, to }) ?? 0;
    },

    kioskDays(from, to) {
      return groupByKiosk(parsedRows(statements.kioskDays.iterate({ from, to })));
    },

    kioskIdsWithDays(from, to) {
      return statements.kioskIdsWithDays.all({ from, to });
    },

    kioskDaysOf(kioskId, from, to) {
      return groupByKiosk(parsedRows(statements.daysOfKiosk.iterate({ kioskId, from, to })))[0] ?? null;
    },

    pendingForward(maxDays) {
      requireWholeNumber(maxDays, 'maxDays', 1);
      const taken: { row: KioskDayRow; figures: DailyFigures }[] = [];
      // Iterated, not LIMITed: a row skipped as unreadable must not take the place of a good one.
      for (const entry of parsedRows(statements.toForward.iterate())) {
        taken.push(entry);
        forwardedRevisions.set(entry.figures, { kioskId: entry.row.kioskId, revision: entry.row.revision });
        if (taken.length >= maxDays) break;
      }
      return groupByKiosk(taken);
    },

    markForwarded(batch) {
      markForwardedInOneTransaction.immediate(batch);
    },

    close() {
      if (closed) return;
      closed = true;
      try {
        writeLastSeenTimes.immediate();
      } finally {
        db.close();
      }
    },
  };
}
