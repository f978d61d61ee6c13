import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUsageTables } from '../../../../electron/services/usage-migrations/001-create-usage-tables';
import { indexEventsByDay } from '../../../../electron/services/usage-migrations/002-index-events-by-day';
import { USAGE_MIGRATIONS } from '../../../../electron/services/usage-migrations';
import { openDatabase } from '../../../../electron/services/sqlite-database';
import { freshFolder } from '../fixtures/usage-test-kit';

let file: string;
let remove: () => void;

beforeEach(() => {
  const fresh = freshFolder('usage-migration-2');
  remove = fresh.remove;
  file = join(fresh.folder, 'usage.sqlite');
});

afterEach(() => remove());

/** A file at version 1 with a few rows in both tables, written by plain SQL. */
function fileAtVersion1(): void {
  const db = openDatabase(file, { migrations: [createUsageTables] });
  const insert = db.prepare("INSERT INTO usage_events (session_key, minute, day, type, language, service_id, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.run('b'.repeat(32), 29_000_001, '2025-01-05', 'session-started', 'de', null, null);
  insert.run('b'.repeat(32), 29_000_002, '2025-01-05', 'service-opened', null, 'itsme', null);
  insert.run(null, 29_000_900, '2025-01-06', 'help-cancelled', null, null, 12);
  db.prepare('INSERT INTO daily_figures (day, figures, rolled_up_at, last_event_id) VALUES (?, ?, ?, ?)').run('2025-01-05', '{"day":"2025-01-05","sessions":1}', 29_001_000, 2);
  db.close();
}

const contents = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return {
      events: db.prepare('SELECT * FROM usage_events ORDER BY id').all(),
      figures: db.prepare('SELECT * FROM daily_figures ORDER BY day').all(),
      sequence: db.prepare('SELECT * FROM sqlite_sequence').all(),
    };
  } finally {
    db.close();
  }
};

describe('usage migration 2: index the usage events by day', () => {
  it('is the second migration of usage.sqlite', () => {
    expect(USAGE_MIGRATIONS[1]).toBe(indexEventsByDay);
    expect(indexEventsByDay.version).toBe(2);
  });

  it('adds an index on (day, id) that the roll-up\'s queries use', () => {
    const db = openDatabase(file, { migrations: USAGE_MIGRATIONS });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect((db.pragma('index_info(usage_events_by_day)') as { name: string }[]).map((column) => column.name)).toEqual(['day', 'id']);
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((step) => step.detail).join('\n');
      expect(plan("SELECT * FROM usage_events WHERE day = '2025-01-06' ORDER BY id")).toMatch(/USING INDEX usage_events_by_day/);
      expect(plan("DELETE FROM usage_events WHERE day < '2025-01-06'")).toMatch(/usage_events_by_day/);
    } finally {
      db.close();
    }
  });

  it('keeps every row of a version-1 file as it was', () => {
    fileAtVersion1();
    const before = contents(file);
    expect(before.events).toHaveLength(3);
    const db = openDatabase(file, { migrations: USAGE_MIGRATIONS });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
    expect(contents(file)).toEqual(before);
  });
});
