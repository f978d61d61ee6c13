import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createUsageTables } from '../../../../electron/services/usage-migrations/001-create-usage-tables';
import { USAGE_MIGRATIONS } from '../../../../electron/services/usage-migrations';
import { openDatabase, type SqliteDatabase } from '../../../../electron/services/sqlite-database';
import { freshFolder } from '../fixtures/usage-test-kit';

let remove: () => void;
let db: SqliteDatabase;

beforeEach(() => {
  const fresh = freshFolder('usage-migration-1');
  remove = fresh.remove;
  db = openDatabase(join(fresh.folder, 'usage.sqlite'), { migrations: [createUsageTables] });
});

afterEach(() => {
  if (db.open) db.close();
  remove();
});

const columns = (table: string) =>
  (db.pragma(`table_xinfo(${table})`) as { name: string; type: string; notnull: number; pk: number; hidden: number }[]).map(({ name, type, notnull, pk, hidden }) => ({ name, type, notnull, pk, hidden }));

const insertEvent = (values: Record<string, unknown>) => {
  const row = { session_key: null, minute: 29_000_000, day: '2025-01-06', language: null, service_id: null, reason: null, seconds: null, option: null, verified: null, attempt: null, ...values };
  db.prepare(
    `INSERT INTO usage_events (session_key, minute, day, type, language, service_id, reason, seconds, option, verified, attempt)
     VALUES (@session_key, @minute, @day, @type, @language, @service_id, @reason, @seconds, @option, @verified, @attempt)`,
  ).run(row);
};

describe('usage migration 1: create the usage events and daily figures tables', () => {
  it('is the first migration of usage.sqlite', () => {
    expect(USAGE_MIGRATIONS[0]).toBe(createUsageTables);
    expect(createUsageTables.version).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('creates two STRICT tables (and SQLite\'s own sequence table, for ids that are never reused)', () => {
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name").all();
    expect(tables).toEqual([
      { name: 'daily_figures', strict: 1 },
      { name: 'sqlite_schema', strict: 0 },
      { name: 'sqlite_sequence', strict: 0 },
      { name: 'usage_events', strict: 1 },
    ]);
  });

  it('gives the raw events typed columns only', () => {
    expect(columns('usage_events')).toEqual([
      { name: 'id', type: 'INTEGER', notnull: 0, pk: 1, hidden: 0 },
      { name: 'session_key', type: 'TEXT', notnull: 0, pk: 0, hidden: 0 },
      { name: 'minute', type: 'INTEGER', notnull: 1, pk: 0, hidden: 0 },
      { name: 'day', type: 'TEXT', notnull: 1, pk: 0, hidden: 0 },
      { name: 'type', type: 'TEXT', notnull: 1, pk: 0, hidden: 0 },
      { name: 'language', type: 'TEXT', notnull: 0, pk: 0, hidden: 0 },
      { name: 'service_id', type: 'TEXT', notnull: 0, pk: 0, hidden: 0 },
      { name: 'reason', type: 'TEXT', notnull: 0, pk: 0, hidden: 0 },
      { name: 'seconds', type: 'INTEGER', notnull: 0, pk: 0, hidden: 0 },
      { name: 'option', type: 'TEXT', notnull: 0, pk: 0, hidden: 0 },
      { name: 'verified', type: 'INTEGER', notnull: 0, pk: 0, hidden: 0 },
      { name: 'attempt', type: 'INTEGER', notnull: 0, pk: 0, hidden: 0 },
    ]);
    expect(columns('daily_figures')).toEqual([
      { name: 'day', type: 'TEXT', notnull: 1, pk: 1, hidden: 0 },
      { name: 'figures', type: 'TEXT', notnull: 1, pk: 0, hidden: 0 },
      { name: 'rolled_up_at', type: 'INTEGER', notnull: 1, pk: 0, hidden: 0 },
      { name: 'last_event_id', type: 'INTEGER', notnull: 1, pk: 0, hidden: 0 },
    ]);
  });

  it('accepts one row of each event type with exactly its own fields', () => {
    const rows = [
      { type: 'session-started', language: 'fr', session_key: 'a'.repeat(32) },
      { type: 'language-changed', language: 'nl' },
      { type: 'session-ended', reason: 'max-length', seconds: 3_600 },
      { type: 'service-opened', service_id: 'belgium-be' },
      { type: 'help-requested', service_id: null },
      { type: 'help-requested', service_id: 'vdab' },
      { type: 'help-acknowledged', seconds: 30 },
      { type: 'help-resolved', seconds: 200 },
      { type: 'help-cancelled', seconds: 0 },
      { type: 'accessibility-on', option: 'high-contrast' },
      { type: 'wipe-done', seconds: 2, verified: 0, attempt: 3 },
    ];
    for (const row of rows) insertEvent(row);
    expect(db.prepare('SELECT count(*) FROM usage_events').pluck().get()).toBe(rows.length);
  });

  it('refuses an event with a field of another type, or without its own', () => {
    const refused = [
      { type: 'session-started' },
      { type: 'session-started', language: 'fr', service_id: 'vdab' },
      { type: 'service-opened' },
      { type: 'service-opened', service_id: 'vdab', seconds: 3 },
      { type: 'session-ended', reason: 'visitor' },
      { type: 'help-acknowledged' },
      { type: 'wipe-done', seconds: 1, verified: 1 },
      { type: 'accessibility-on', option: 'larger-text', language: 'fr' },
      { type: 'page-visited' },
    ];
    for (const row of refused) expect(() => insertEvent(row), JSON.stringify(row)).toThrow(/CHECK constraint failed/);
    expect(db.prepare('SELECT count(*) FROM usage_events').pluck().get()).toBe(0);
  });

  it('refuses values outside their ranges: day, minute, seconds, attempt, verified, reason, session key', () => {
    const base = { type: 'wipe-done', seconds: 1, verified: 1, attempt: 1 };
    for (const change of [
      { day: '2025-1-6' },
      { day: '06/01/2025' },
      { minute: -1 },
      { seconds: -1 },
      { seconds: 604_801 },
      { attempt: 0 },
      { attempt: 1_001 },
      { verified: 2 },
      { session_key: 'A'.repeat(32) },
      { session_key: 'a'.repeat(31) },
    ]) {
      expect(() => insertEvent({ ...base, ...change }), JSON.stringify(change)).toThrow(/CHECK constraint failed/);
    }
    expect(() => insertEvent({ type: 'session-ended', reason: 'tired', seconds: 1 })).toThrow(/CHECK constraint failed/);
    expect(() => insertEvent({ ...base, seconds: 1.5 })).toThrow(/cannot store REAL value in INTEGER column/);
  });

  it('keeps daily figures as a JSON object of their own day, in a small alphabet', () => {
    const save = db.prepare('INSERT INTO daily_figures (day, figures, rolled_up_at, last_event_id) VALUES (?, ?, 29000000, 1)');
    save.run('2025-01-06', JSON.stringify({ day: '2025-01-06', sessions: 3, serviceOpenings: { 'belgium-be': 2 }, median: null, histogram: [0, 1] }));
    expect(() => save.run('2025-01-07', JSON.stringify({ day: '2025-01-06' }))).toThrow(/CHECK constraint failed/);
    expect(() => save.run('2025-01-08', '[1, 2]')).toThrow(/CHECK constraint failed/);
    expect(() => save.run('2025-01-09', '{"day":"2025-01-09",')).toThrow(/CHECK constraint failed/);
    expect(() => save.run('2025-01-10', JSON.stringify({ day: '2025-01-10', sessions: 1.5 }))).toThrow(/CHECK constraint failed/);
    expect(() => save.run('2025-01-11', JSON.stringify({ day: '2025-01-11', padding: 'x'.repeat(70_000) }))).toThrow(/CHECK constraint failed/);
  });

  it('never hands out an id twice, even once every event has been deleted', () => {
    insertEvent({ type: 'help-requested' });
    insertEvent({ type: 'help-requested' });
    db.exec('DELETE FROM usage_events');
    insertEvent({ type: 'help-requested' });
    expect(db.prepare('SELECT id FROM usage_events').pluck().all()).toEqual([3]);
  });

  it('runs in one transaction: a file at version 0 with a table in the way stays at version 0', () => {
    const fresh = freshFolder('usage-migration-1-blocked');
    try {
      const path = join(fresh.folder, 'usage.sqlite');
      const blocker = new Database(path);
      blocker.exec('CREATE TABLE daily_figures (x INTEGER)');
      blocker.close();
      expect(() => openDatabase(path, { migrations: [createUsageTables] })).toThrow(/migration 1 .* failed and was rolled back/);
      const after = new Database(path, { readonly: true });
      expect(after.pragma('user_version', { simple: true })).toBe(0);
      expect(after.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual(['daily_figures']);
      after.close();
    } finally {
      fresh.remove();
    }
  });
});
