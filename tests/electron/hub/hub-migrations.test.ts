import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUB_MIGRATIONS } from '../../../electron/hub/hub-migrations';
import { createHubTables } from '../../../electron/hub/hub-migrations/001-create-hub-tables';
import { checkMigrations, openDatabase, type SqliteDatabase } from '../../../electron/services/sqlite-database';
import { emptyDailyFigures } from '../../../shared/statistics/daily-figures';

let folder: string;
let db: SqliteDatabase;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-hub-migrations-'));
  db = openDatabase(join(folder, 'hub.sqlite'), { migrations: [createHubTables] });
});

afterEach(() => {
  if (db.open) db.close();
  rmSync(folder, { recursive: true, force: true });
});

const HEX = (digit: string) => digit.repeat(32);
const DEVICE = HEX('a');

function insertDevice(values: Record<string, unknown> = {}): void {
  db.prepare(
    `INSERT INTO devices (device_id, role, secret_hash, name, site, kiosk_id, paired_at, last_seen_at, activity, revoked_at)
     VALUES (@device_id, @role, @secret_hash, @name, @site, @kiosk_id, @paired_at, @last_seen_at, @activity, @revoked_at)`,
  ).run({ device_id: DEVICE, role: 'kiosk', secret_hash: Buffer.alloc(32, 1), name: 'PC 3', site: 'EPN de Namur', kiosk_id: HEX('b'), paired_at: 1, last_seen_at: null, activity: 'free', revoked_at: null, ...values });
}

function insertHelpRequest(values: Record<string, unknown> = {}): void {
  db.prepare(
    `INSERT INTO help_requests (id, kiosk_device_id, client_request_id, kiosk_name, site, service_id, language, state, created_at, acknowledged_at, closed_at, revision)
     VALUES (@id, @kiosk_device_id, @client_request_id, @kiosk_name, @site, @service_id, @language, @state, @created_at, @acknowledged_at, @closed_at, @revision)`,
  ).run({
    id: HEX('c'),
    kiosk_device_id: DEVICE,
    client_request_id: HEX('d'),
    kiosk_name: 'PC 3',
    site: '',
    service_id: 'tax-on-web',
    language: 'fr',
    state: 'waiting',
    created_at: 10,
    acknowledged_at: null,
    closed_at: null,
    revision: 1,
    ...values,
  });
}

function insertKioskDay(values: Record<string, unknown> = {}): void {
  const day = (values.day as string | undefined) ?? '2025-01-06';
  db.prepare(
    `INSERT INTO kiosk_days (kiosk_id, day, kiosk_name, site, figures, via_device_id, received_at, revision)
     VALUES (@kiosk_id, @day, @kiosk_name, @site, @figures, @via_device_id, @received_at, @revision)`,
  ).run({ kiosk_id: HEX('b'), day, kiosk_name: 'PC 3', site: '', figures: JSON.stringify(emptyDailyFigures(day)), via_device_id: DEVICE, received_at: 5, revision: 1, ...values });
}

describe('the hub migration list', () => {
  it('is numbered without gaps and starts with the creation of the tables', () => {
    expect(() => checkMigrations(HUB_MIGRATIONS)).not.toThrow();
    expect(HUB_MIGRATIONS[0]).toBe(createHubTables);
    expect(createHubTables.version).toBe(1);
  });
});

describe('hub migration 1: create the devices, pairing codes, help requests and statistics tables', () => {
  it('brings the file to version 1', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('creates STRICT tables only, the kiosk days without rowid', () => {
    const tables = db.prepare("SELECT name, strict, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    expect(tables).toEqual([
      { name: 'day_sums', strict: 1, wr: 0 },
      { name: 'devices', strict: 1, wr: 0 },
      { name: 'help_requests', strict: 1, wr: 0 },
      { name: 'hub_meta', strict: 1, wr: 0 },
      { name: 'kiosk_days', strict: 1, wr: 1 },
      { name: 'pairing_codes', strict: 1, wr: 0 },
    ]);
  });

  it('indexes open help requests and pending kiosk-days with partial indexes', () => {
    const indexes = db.prepare("SELECT name, tbl_name AS tableName, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string; tableName: string; sql: string }[];
    expect(indexes.map(({ name, tableName }) => [name, tableName])).toEqual([
      ['help_requests_open', 'help_requests'],
      ['kiosk_days_by_day', 'kiosk_days'],
      ['kiosk_days_to_forward', 'kiosk_days'],
    ]);
    expect(indexes[0]!.sql).toMatch(/WHERE state IN \('waiting', 'acknowledged'\)/);
    expect(indexes[2]!.sql).toMatch(/WHERE forwarded_revision < revision/);
  });

  it('keeps no column for a secret in clear: devices and codes hold 32-byte hashes', () => {
    const columnsOf = (table: string) => (db.pragma(`table_info(${table})`) as { name: string; type: string }[]).map(({ name, type }) => `${name} ${type}`);
    expect(columnsOf('devices')).toEqual([
      'device_id TEXT',
      'role TEXT',
      'secret_hash BLOB',
      'name TEXT',
      'site TEXT',
      'kiosk_id TEXT',
      'paired_at INTEGER',
      'last_seen_at INTEGER',
      'activity TEXT',
      'revoked_at INTEGER',
    ]);
    expect(columnsOf('pairing_codes')).toEqual(['code_hash BLOB', 'role TEXT', 'created_at INTEGER', 'expires_at INTEGER', 'uses_left INTEGER']);
    expect(() => insertDevice({ secret_hash: Buffer.alloc(31) })).toThrow(/CHECK constraint failed/);
    expect(() => insertDevice({ secret_hash: 'a'.repeat(32) })).toThrow(/cannot store TEXT value in BLOB column/);
    const insertCode = db.prepare('INSERT INTO pairing_codes (code_hash, role, created_at, expires_at, uses_left) VALUES (?, ?, ?, ?, ?)');
    expect(() => insertCode.run('K7QM-RXHP', 'kiosk', 1, 2, 1)).toThrow(/cannot store TEXT value in BLOB column/);
    expect(() => insertCode.run(Buffer.alloc(32), 'kiosk', 5, 5, 1)).toThrow(/CHECK constraint failed/);
    expect(() => insertCode.run(Buffer.alloc(32), 'kiosk', 1, 5, -1)).toThrow(/CHECK constraint failed/);
    expect(() => insertCode.run(Buffer.alloc(32), 'admin', 1, 5, 1)).toThrow(/CHECK constraint failed/);
    insertCode.run(Buffer.alloc(32), 'staff', 1, 5, 1);
  });

  it('accepts a device of each role and refuses values the API would refuse', () => {
    insertDevice();
    insertDevice({ device_id: HEX('1'), role: 'staff', kiosk_id: null, site: '', activity: 'free' });
    insertDevice({ device_id: HEX('2'), role: 'hub', kiosk_id: null, revoked_at: 9, last_seen_at: 3 });
    for (const [change, what] of [
      [{ device_id: HEX('A') }, 'an upper-case id'],
      [{ device_id: 'a'.repeat(31) }, 'a short id'],
      [{ role: 'admin' }, 'an unknown role'],
      [{ name: '' }, 'an empty name'],
      [{ name: 'x'.repeat(61) }, 'a long name'],
      [{ site: 'x'.repeat(81) }, 'a long site'],
      [{ activity: 'asleep' }, 'an unknown activity'],
      [{ kiosk_id: 'not-hex' }, 'a malformed statistics id'],
      [{ role: 'staff' }, 'a statistics id on a staff device'],
      [{ paired_at: '2025-01-06' }, 'a date in text'],
    ] as const) {
      const another = { device_id: HEX('3') };
      expect(() => insertDevice({ ...another, ...change }), what).toThrow(/constraint failed|cannot store/);
    }
    expect(db.prepare('SELECT count(*) FROM devices').pluck().get()).toBe(3);
  });

  it('keeps each help request state consistent with its times, and one request per kiosk and client id', () => {
    insertDevice();
    insertHelpRequest();
    insertHelpRequest({ id: HEX('e'), client_request_id: HEX('f'), state: 'acknowledged', acknowledged_at: 11, revision: 2, service_id: null });
    insertHelpRequest({ id: HEX('1'), client_request_id: HEX('2'), state: 'resolved', closed_at: 12, revision: 2 });
    insertHelpRequest({ id: HEX('3'), client_request_id: HEX('4'), state: 'cancelled', acknowledged_at: 11, closed_at: 12, revision: 3 });
    for (const [change, what] of [
      [{ client_request_id: HEX('d') }, 'the same client id again'],
      [{ state: 'acknowledged' }, 'acknowledged without a time'],
      [{ state: 'waiting', closed_at: 3 }, 'waiting but closed'],
      [{ state: 'resolved' }, 'resolved without a time'],
      [{ state: 'acknowledged', acknowledged_at: 3, closed_at: 4 }, 'acknowledged and closed'],
      [{ state: 'lost' }, 'an unknown state'],
      [{ revision: 0 }, 'revision 0'],
      [{ language: 'FR' }, 'an upper-case language'],
      [{ service_id: 'https://evil.example' }, 'a URL as service id'],
      [{ kiosk_device_id: HEX('9') }, 'an unknown kiosk'],
    ] as const) {
      const another = { id: HEX('5'), client_request_id: HEX('6') };
      expect(() => insertHelpRequest({ ...another, ...change }), what).toThrow(/constraint failed/);
    }
    // The kiosk's own clientRequestId may be reused by another kiosk.
    insertDevice({ device_id: HEX('7'), kiosk_id: null });
    insertHelpRequest({ id: HEX('8'), kiosk_device_id: HEX('7') });
    expect(db.prepare('SELECT count(*) FROM help_requests').pluck().get()).toBe(5);
  });

  it('keeps one row per kiosk and day, of daily figures of that very day, and counts nothing twice', () => {
    insertDevice();
    insertKioskDay();
    insertKioskDay({ day: '2025-01-07' });
    for (const [change, what] of [
      [{}, 'the same kiosk and day again'],
      [{ day: '2025-01-08', figures: JSON.stringify(emptyDailyFigures('2025-01-09')) }, 'figures of another day'],
      [{ day: '2025-01-08', figures: '{"day":"2025-01-08"' }, 'broken JSON'],
      [{ day: '2025-01-08', figures: '[]' }, 'not an object'],
      [{ day: '2025-01-08', figures: '{"day":"2025-01-08","note":"see https://example.com/a b"}' }, 'a URL or a sentence'],
      [{ day: '2025-1-8' }, 'a malformed day'],
      [{ day: '2025-01-08', via_device_id: HEX('9') }, 'an unknown uploader'],
      [{ day: '2025-01-08', revision: 0 }, 'revision 0'],
    ] as const) {
      expect(() => insertKioskDay(change), what).toThrow(/constraint failed/);
    }
    expect(() => db.prepare(`UPDATE kiosk_days SET forwarded_revision = 2 WHERE day = '2025-01-06'`).run()).toThrow(/CHECK constraint failed/);
    const insertSum = db.prepare('INSERT INTO day_sums (day, figures, kiosk_count) VALUES (?, ?, ?)');
    expect(() => insertSum.run('2025-01-06', JSON.stringify(emptyDailyFigures('2025-01-06')), 0)).toThrow(/CHECK constraint failed/);
    insertSum.run('2025-01-06', JSON.stringify(emptyDailyFigures('2025-01-06')), 2);
    expect(() => insertSum.run('2025-01-06', JSON.stringify(emptyDailyFigures('2025-01-06')), 2)).toThrow(/UNIQUE constraint failed/);
  });

  it('is rolled back whole when it fails half-way: the file stays at version 0 with no table', () => {
    const file = join(folder, 'half.sqlite');
    const failing = { ...createHubTables, up: (target: SqliteDatabase) => {
      createHubTables.up(target);
      throw new Error('power cut');
    } };
    expect(() => openDatabase(file, { migrations: [failing] })).toThrow(/rolled back/);
    const reopened = openDatabase(file, { migrations: [] });
    try {
      expect(reopened.pragma('user_version', { simple: true })).toBe(0);
      expect(reopened.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    } finally {
      reopened.close();
    }
  });
});
