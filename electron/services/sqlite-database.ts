/**
 * Opens a SQLite file the way every database of the kiosk is opened (guide, section
 * 3.5): write-ahead log with `synchronous = FULL`, because public PCs lose power and
 * a committed event must survive it; foreign keys enforced; numbered migrations,
 * each in one transaction with the `user_version` it brings, so a file is always
 * at one known version and never half-migrated.
 *
 * Migrations are code, never edited once shipped: a fix is a new migration.
 */
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export interface Migration {
  /** 1 for the first migration, then 2, 3… without gaps. Stored as the file's `user_version`. */
  readonly version: number;
  /** A few words for error messages, for example "create events table". */
  readonly name: string;
  /** Runs inside the migration's transaction; throwing rolls the whole migration back. */
  readonly up: (db: SqliteDatabase) => void;
}

export interface OpenDatabaseOptions {
  readonly migrations: readonly Migration[];
  /** Path of a better-sqlite3 binary built for this runtime (electron/services/native-binding.ts). */
  readonly nativeBinding?: string;
  /** Reads only: no migration is run, and the file must already be at the newest version. */
  readonly readonly?: boolean;
  /** How long a statement waits for another connection's lock before failing. */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export class MigrationListError extends Error {
  constructor(message: string) {
    super(`invalid migration list: ${message}`);
    this.name = 'MigrationListError';
  }
}

export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly newestKnownVersion: number,
  ) {
    super(
      `this database was written by a newer version of EPN Kiosk (${file} is at schema version ${fileVersion}; this version knows up to ${newestKnownVersion}). ` +
        'It was left untouched: install the newer version of EPN Kiosk again, or move the file aside to start a new one.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export class DatabaseNotMigratedError extends Error {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly newestKnownVersion: number,
  ) {
    super(
      `${file} is at schema version ${fileVersion} but this version of EPN Kiosk needs ${newestKnownVersion}, and it was opened read-only: ` +
        'open it once for writing (start the kiosk) so its migrations run.',
    );
    this.name = 'DatabaseNotMigratedError';
  }
}

export class MigrationFailedError extends Error {
  constructor(
    readonly file: string,
    readonly migration: Migration,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `migration ${migration.version} ("${migration.name}") of ${file} failed and was rolled back, the file stays at version ${migration.version - 1}: ${reason}`,
      { cause },
    );
    this.name = 'MigrationFailedError';
  }
}

export class NativeModuleError extends Error {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `better-sqlite3's native module cannot be loaded by this runtime (${reason}). ` +
        'For the Electron app run "node scripts/ensure-electron-native.mjs"; for the tests under Node run "npm rebuild better-sqlite3".',
      { cause },
    );
    this.name = 'NativeModuleError';
  }
}

/** Refuses a list that would leave files at ambiguous versions. Checked before any file is touched. */
export function checkMigrations(migrations: readonly Migration[]): void {
  const seen = new Map<number, string>();
  for (const migration of migrations) {
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw new MigrationListError(`"${migration.name}" has version ${String(migration.version)}: versions are whole numbers from 1`);
    }
    if (migration.name.trim() === '') {
      throw new MigrationListError(`migration ${migration.version} has no name: give it a few words saying what it does`);
    }
    const other = seen.get(migration.version);
    if (other !== undefined) {
      throw new MigrationListError(`version ${migration.version} is used twice ("${other}" and "${migration.name}"): give each migration its own number`);
    }
    seen.set(migration.version, migration.name);
  }
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      const missing = Array.from({ length: migrations.length }, (_, position) => position + 1).find((version) => !seen.has(version));
      throw new MigrationListError(
        missing !== undefined && missing < migration.version
          ? `version ${missing} is missing (the list goes on with ${migration.version}, "${migration.name}"): migrations are numbered 1, 2, 3… without gaps`
          : `"${migration.name}" (version ${migration.version}) is listed at position ${index + 1}: list migrations in order of their versions`,
      );
    }
  });
}

function isNativeModuleFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /NODE_MODULE_VERSION|Could not locate the bindings file|Cannot find module .*\.node|invalid ELF header|not a valid Win32 application|Module did not self-register|wrong ELF class/i.test(message);
}

function openConnection(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  try {
    return new Database(file, {
      readonly: options.readonly === true,
      fileMustExist: options.readonly === true,
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    });
  } catch (error) {
    if (isNativeModuleFailure(error)) throw new NativeModuleError(error);
    throw error;
  }
}

function userVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function configure(db: SqliteDatabase, file: string, readonly: boolean): void {
  if (!readonly) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new Error(`${file} could not be switched to write-ahead logging (journal mode stays "${String(mode)}"): keep the data folder on a local disk, not a network share`);
    }
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function migrate(db: SqliteDatabase, file: string, migrations: readonly Migration[]): void {
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      // Read again under the write lock: another process may have migrated the file since it was opened.
      if (userVersion(db) >= migration.version) return;
      migration.up(db);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new Error(`it leaves ${violations.length} row(s) whose foreign keys point nowhere (PRAGMA foreign_key_check)`);
      }
      // user_version lives in the file header, written by this same transaction: both land or neither.
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply.immediate();
    } catch (error) {
      throw new MigrationFailedError(file, migration, error);
    }
  }
}

/**
 * Opens (creating it if needed) and migrates a database file. Throws, having closed
 * the file, when the migration list is wrong, when the file comes from a newer
 * version of the kiosk (left byte for byte as it was), or when a migration fails
 * (rolled back).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  checkMigrations(options.migrations);
  const newest = options.migrations.length;
  const readonly = options.readonly === true;
  const db = openConnection(file, options);
  try {
    // Checked before anything is written: switching to WAL alone would rewrite the header of a newer file.
    const version = userVersion(db);
    if (version > newest) throw new DatabaseTooNewError(file, version, newest);
    if (readonly && version < newest) throw new DatabaseNotMigratedError(file, version, newest);
    configure(db, file, readonly);
    if (!readonly && version < newest) migrate(db, file, options.migrations.slice(version));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
