import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  DatabaseNotMigratedError,
  DatabaseTooNewError,
  MigrationFailedError,
  MigrationListError,
  NativeModuleError,
  checkMigrations,
  openDatabase,
  type Migration,
  type SqliteDatabase,
} from '../../../electron/services/sqlite-database';

let folder: string;
let file: string;
const opened: SqliteDatabase[] = [];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-sqlite-'));
  file = join(folder, 'usage.sqlite');
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(folder, { recursive: true, force: true });
});

function open(migrations: readonly Migration[], options: { readonly?: boolean; busyTimeoutMs?: number } = {}): SqliteDatabase {
  const db = openDatabase(file, { migrations, ...options });
  opened.push(db);
  return db;
}

function tableNames(db: SqliteDatabase): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
}

/** Reads a file's header and tables with a plain connection, outside the code under test. */
function inspect(path: string): { userVersion: number; journalMode: string; tables: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      userVersion: db.pragma('user_version', { simple: true }) as number,
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      tables: tableNames(db),
    };
  } finally {
    db.close();
  }
}

const createSessions: Migration = {
  version: 1,
  name: 'create sessions',
  up: (db) => db.exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_minute INTEGER NOT NULL)'),
};
const createEvents: Migration = {
  version: 2,
  name: 'create events',
  up: (db) => db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id), kind TEXT NOT NULL)'),
};

describe('openDatabase', () => {
  it('sets WAL, synchronous = FULL, foreign keys and a busy timeout on a real file', () => {
    const db = open([createSessions], { busyTimeoutMs: 2_500 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(2_500);
    expect(existsSync(`${file}-wal`)).toBe(true);
    db.close();
    expect(inspect(file).journalMode).toBe('wal');
  });

  it('uses the default busy timeout when none is given', () => {
    const db = open([]);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(DEFAULT_BUSY_TIMEOUT_MS);
  });

  it('enforces foreign keys', () => {
    const db = open([createSessions, createEvents]);
    expect(() => db.prepare("INSERT INTO events (session_id, kind) VALUES (42, 'x')").run()).toThrow(/FOREIGN KEY/);
  });

  it('applies migrations in order, each once, and records the version', () => {
    const calls: number[] = [];
    const tracked = (migration: Migration): Migration => ({ ...migration, up: (db) => (calls.push(migration.version), migration.up(db)) });

    const first = open([tracked(createSessions)]);
    expect(first.pragma('user_version', { simple: true })).toBe(1);
    first.close();

    const second = open([tracked(createSessions), tracked(createEvents)]);
    expect(second.pragma('user_version', { simple: true })).toBe(2);
    expect(tableNames(second)).toEqual(['events', 'sessions']);
    second.close();

    open([tracked(createSessions), tracked(createEvents)]).close();
    expect(calls).toEqual([1, 2]);
  });

  it('runs migrations in order: a later one sees what an earlier one made', () => {
    const seed: Migration = { version: 3, name: 'seed', up: (db) => db.prepare('INSERT INTO sessions (started_minute) VALUES (1)').run() };
    const db = open([createSessions, createEvents, seed]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
  });

  it('rolls a failing migration back entirely: no partial table, user_version unchanged', () => {
    open([createSessions]).close();
    const failing: Migration = {
      version: 2,
      name: 'half done',
      up: (db) => {
        db.exec('CREATE TABLE half (id INTEGER PRIMARY KEY)');
        db.exec('INSERT INTO half DEFAULT VALUES');
        throw new Error('disk said no');
      },
    };
    let thrown: unknown;
    try {
      open([createSessions, failing]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MigrationFailedError);
    expect((thrown as Error).message).toMatch(/migration 2 \("half done"\).*rolled back.*stays at version 1.*disk said no/);
    expect(inspect(file)).toMatchObject({ userVersion: 1, tables: ['sessions'] });
  });

  it('rolls back a migration that leaves dangling foreign keys', () => {
    const dangling: Migration = {
      version: 3,
      name: 'dangling',
      up: (db) => {
        db.pragma('defer_foreign_keys = ON');
        db.exec("INSERT INTO events (session_id, kind) VALUES (99, 'orphan')");
      },
    };
    expect(() => open([createSessions, createEvents, dangling])).toThrow(/migration 3 \("dangling"\).*foreign keys point nowhere/);
    expect(inspect(file).userVersion).toBe(2);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
    check.close();
  });

  it('refuses a database from a newer version and leaves its bytes untouched', () => {
    const newer = new Database(file);
    newer.exec('CREATE TABLE future (x)');
    newer.pragma('user_version = 7');
    newer.close();
    const before = readFileSync(file);

    let thrown: unknown;
    try {
      open([createSessions, createEvents]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DatabaseTooNewError);
    expect((thrown as Error).message).toMatch(/^this database was written by a newer version of EPN Kiosk .*schema version 7.*knows up to 2.*left untouched/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(inspect(file)).toEqual({ userVersion: 7, journalMode: 'delete', tables: ['future'] });
  });

  it('refuses a newer database already in WAL mode without changing it', () => {
    const newer = new Database(file);
    newer.pragma('journal_mode = WAL');
    newer.exec('CREATE TABLE future (x)');
    newer.pragma('user_version = 3');
    newer.close();
    const before = readFileSync(file);
    expect(() => open([createSessions])).toThrow(DatabaseTooNewError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('opens read-only without migrating, and refuses a file not yet at the newest version', () => {
    open([createSessions]).close();
    expect(() => open([createSessions, createEvents], { readonly: true })).toThrow(DatabaseNotMigratedError);
    expect(inspect(file).userVersion).toBe(1);
    const reader = open([createSessions], { readonly: true });
    expect(reader.readonly).toBe(true);
    expect(() => reader.exec('CREATE TABLE nope (x)')).toThrow(/readonly/);
  });

  it('refuses to create a file when opened read-only', () => {
    expect(() => open([], { readonly: true })).toThrow();
    expect(existsSync(file)).toBe(false);
  });

  it('loads the binary given as nativeBinding', () => {
    const requireHere = createRequire(import.meta.url);
    const nodeBuild = join(dirname(requireHere.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const db = openDatabase(file, { migrations: [createSessions], nativeBinding: nodeBuild });
    opened.push(db);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('explains a missing native binary and creates no file', () => {
    let thrown: unknown;
    try {
      openDatabase(file, { migrations: [], nativeBinding: join(folder, 'missing', 'better_sqlite3.node') });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NativeModuleError);
    expect((thrown as Error).message).toContain('scripts/ensure-electron-native.mjs');
    expect(existsSync(file)).toBe(false);
  });
});

describe('checkMigrations', () => {
  const migration = (version: number, name = `step ${version}`): Migration => ({ version, name, up: () => undefined });

  it('accepts an empty list and a contiguous one', () => {
    expect(() => checkMigrations([])).not.toThrow();
    expect(() => checkMigrations([migration(1), migration(2), migration(3)])).not.toThrow();
  });

  it('refuses a gap, naming the missing version', () => {
    expect(() => checkMigrations([migration(1), migration(3)])).toThrow(/version 2 is missing.*without gaps/);
    expect(() => checkMigrations([migration(2)])).toThrow(/version 1 is missing/);
  });

  it('refuses a duplicate, naming both migrations', () => {
    expect(() => checkMigrations([migration(1, 'a'), migration(2, 'b'), migration(2, 'c')])).toThrow(/version 2 is used twice \("b" and "c"\)/);
  });

  it('refuses versions out of order, zero, fractions and missing names', () => {
    expect(() => checkMigrations([migration(2), migration(1)])).toThrow(/in order of their versions/);
    expect(() => checkMigrations([migration(0)])).toThrow(MigrationListError);
    expect(() => checkMigrations([migration(1.5)])).toThrow(/whole numbers from 1/);
    expect(() => checkMigrations([migration(1, ' ')])).toThrow(/has no name/);
  });

  it('is checked before the file is created', () => {
    expect(() => openDatabase(file, { migrations: [migration(1), migration(1)] })).toThrow(MigrationListError);
    expect(existsSync(file)).toBe(false);
  });
});
