/**
 * Anonymity by construction: whatever the code above the store tries, no column of
 * usage.sqlite can hold an address, a page title, an IP address or typed text. This test
 * reads the schema of the file the store really creates, so a new column, a new table or a
 * loosened CHECK fails it.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE_DATABASE_FILE_NAME, openUsageStore } from '../../../electron/services/usage-store';
import { ManualClock } from '../../support/manual-clock';
import { TEST_KIOSK_ID, TestTime, brusselsWinterDay, freshFolder, testConfig } from './fixtures/usage-test-kit';

let file: string;
let remove: () => void;
let db: Database.Database;

beforeEach(() => {
  const fresh = freshFolder('usage-anonymity');
  remove = fresh.remove;
  file = join(fresh.folder, USAGE_DATABASE_FILE_NAME);
  const time = new TestTime();
  openUsageStore({ file, config: testConfig(), kioskId: TEST_KIOSK_ID, now: time.now, localDay: brusselsWinterDay, clock: new ManualClock(time.ms) }).close();
  db = new Database(file);
});

afterEach(() => {
  db.close();
  remove();
});

/** Every column the file may have, with a valid value for it. Anything else in the file fails the test. */
const EXPECTED: Record<string, Record<string, { type: string; valid: unknown }>> = {
  usage_events: {
    id: { type: 'INTEGER', valid: null },
    session_key: { type: 'TEXT', valid: '0123456789abcdef0123456789abcdef' },
    minute: { type: 'INTEGER', valid: 29_000_000 },
    day: { type: 'TEXT', valid: '2025-01-06' },
    type: { type: 'TEXT', valid: 'wipe-done' },
    language: { type: 'TEXT', valid: null },
    service_id: { type: 'TEXT', valid: null },
    reason: { type: 'TEXT', valid: null },
    seconds: { type: 'INTEGER', valid: 4 },
    option: { type: 'TEXT', valid: null },
    verified: { type: 'INTEGER', valid: 1 },
    attempt: { type: 'INTEGER', valid: 1 },
  },
  daily_figures: {
    day: { type: 'TEXT', valid: '2025-01-06' },
    figures: { type: 'TEXT', valid: '{"day":"2025-01-06","sessions":2,"serviceOpenings":{"belgium-be":2},"median":null}' },
    rolled_up_at: { type: 'INTEGER', valid: 29_000_000 },
    last_event_id: { type: 'INTEGER', valid: 7 },
  },
};

/** For the typed columns of one event type each: the type whose row lets that column be set. */
const ROW_FOR_COLUMN: Record<string, Record<string, unknown>> = {
  language: { type: 'session-started', language: 'fr', seconds: null, verified: null, attempt: null },
  service_id: { type: 'service-opened', service_id: 'vdab', seconds: null, verified: null, attempt: null },
  reason: { type: 'session-ended', reason: 'idle', verified: null, attempt: null },
  option: { type: 'accessibility-on', option: 'read-aloud', seconds: null, verified: null, attempt: null },
};

const HOSTILE_TEXTS = [
  'https://canary.example/path?q=visitor',
  'canary.example',
  'Jean Dupont',
  '192.168.1.20',
  'mozilla/5.0',
  'user@example.org',
  'a'.repeat(200),
];

function tables(): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
}

function columnsOf(table: string): { name: string; type: string; hidden: number }[] {
  return db.pragma(`table_xinfo(${table})`) as { name: string; type: string; hidden: number }[];
}

function validRow(table: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(EXPECTED[table]!).map(([column, { valid }]) => [column, valid]));
}

function tryInsert(table: string, row: Record<string, unknown>): string | null {
  const names = Object.keys(row);
  const statement = db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((name) => `@${name}`).join(', ')})`);
  const savepoint = db.transaction(() => statement.run(row));
  try {
    savepoint();
    // Only a probe: leave the table as it was.
    db.prepare(`DELETE FROM ${table}`).run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('the schema of usage.sqlite', () => {
  it('has the expected tables and columns, and nothing else', () => {
    expect(tables()).toEqual(Object.keys(EXPECTED).sort());
    for (const table of tables()) {
      const actual = columnsOf(table).map(({ name, type, hidden }) => ({ name, type, hidden }));
      const expected = Object.entries(EXPECTED[table]!).map(([name, { type }]) => ({ name, type, hidden: 0 }));
      expect(actual, table).toEqual(expected);
    }
    // SQLite's own table: it names our table and counts its ids.
    expect(db.prepare('SELECT name FROM sqlite_sequence').pluck().all()).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type IN ('view', 'trigger')").pluck().get()).toBe(0);
  });

  it('is STRICT everywhere, so no column takes a value of another type', () => {
    const strict = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    expect(strict).toEqual(tables().map((name) => ({ name, strict: 1 })));
  });

  it('bounds every TEXT column with a CHECK of its own: a length or a closed list of values', () => {
    for (const table of tables()) {
      const sql = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string;
      const checks = [...sql.matchAll(/CHECK \(/g)].length;
      expect(checks, table).toBeGreaterThan(0);
      for (const column of columnsOf(table).filter((candidate) => candidate.type === 'TEXT')) {
        expect(sql, `${table}.${column.name} has no length bound nor list of values`).toMatch(new RegExp(`length\\(${column.name}\\)|\\b${column.name} IN \\(`));
      }
    }
  });

  it('accepts the valid rows the probes start from', () => {
    for (const table of tables()) expect(tryInsert(table, validRow(table)), table).toBeNull();
    for (const [column, row] of Object.entries(ROW_FOR_COLUMN)) expect(tryInsert('usage_events', { ...validRow('usage_events'), ...row }), column).toBeNull();
  });

  it('refuses an address, a name, an IP address, a user agent, an e-mail or a long text in every column', () => {
    for (const table of tables()) {
      for (const column of columnsOf(table)) {
        for (const hostile of HOSTILE_TEXTS) {
          const row = { ...validRow(table), ...(table === 'usage_events' ? ROW_FOR_COLUMN[column.name] : {}), [column.name]: hostile };
          const refusal = tryInsert(table, row);
          expect(refusal, `${table}.${column.name} accepted ${JSON.stringify(hostile.slice(0, 40))}`).toMatch(/^SQLITE_(CONSTRAINT|MISMATCH)/);
        }
      }
    }
    // Inside the figures' JSON too: a value or a key that is an address.
    for (const hostile of ['{"day":"2025-01-06","note":"https://canary.example/"}', '{"day":"2025-01-06","canary.example":1}', '{"day":"2025-01-06","note":"Jean Dupont"}']) {
      expect(tryInsert('daily_figures', { ...validRow('daily_figures'), figures: hostile }), hostile).toBe('SQLITE_CONSTRAINT_CHECK');
    }
    expect(db.prepare('SELECT count(*) FROM usage_events').pluck().get()).toBe(0);
  });
});
