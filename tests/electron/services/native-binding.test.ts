import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronSqliteBindingPath, resolveSqliteNativeBinding } from '../../../electron/services/native-binding';
import { openDatabase } from '../../../electron/services/sqlite-database';

let projectRoot: string;

beforeEach(() => {
  projectRoot = mkdtempSync(join(tmpdir(), 'epn-native-'));
});

afterEach(() => {
  rmSync(projectRoot, { recursive: true, force: true });
});

function placeElectronBuild(modulesVersion: string): string {
  const file = join(projectRoot, '.native', `electron-${modulesVersion}`, 'better_sqlite3.node');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, 'stand-in for a binary built by scripts/ensure-electron-native.mjs');
  return file;
}

describe('resolveSqliteNativeBinding', () => {
  it('leaves plain Node on better-sqlite3 default binary, even when an Electron build exists', () => {
    placeElectronBuild(process.versions.modules);
    expect(resolveSqliteNativeBinding({ electronVersion: undefined, modulesVersion: process.versions.modules, projectRoot })).toBeUndefined();
  });

  it('points Electron at the build for its own NODE_MODULE_VERSION', () => {
    placeElectronBuild('139');
    const expected = placeElectronBuild('150');
    expect(resolveSqliteNativeBinding({ electronVersion: '45.4.1', modulesVersion: '150', projectRoot })).toBe(expected);
  });

  it('returns undefined under Electron when no build exists for its ABI', () => {
    placeElectronBuild('139');
    expect(resolveSqliteNativeBinding({ electronVersion: '45.4.1', modulesVersion: '150', projectRoot })).toBeUndefined();
  });

  it('refuses a modules version that is not a number instead of building a path from it', () => {
    expect(() => electronSqliteBindingPath(projectRoot, '../../etc')).toThrow(/NODE_MODULE_VERSION such as "150"/);
  });

  it('lets the database open under plain Node with the default binary', () => {
    const nativeBinding = resolveSqliteNativeBinding({ electronVersion: process.versions.electron, modulesVersion: process.versions.modules, projectRoot });
    const db = openDatabase(join(projectRoot, 'test.sqlite'), { migrations: [], ...(nativeBinding === undefined ? {} : { nativeBinding }) });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
