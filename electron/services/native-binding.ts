/**
 * Which better-sqlite3 binary this process loads.
 *
 * better-sqlite3 is a native module, compiled for one ABI (NODE_MODULE_VERSION).
 * The tests run it under Node; the app runs it under Electron, whose ABI differs
 * (Electron 45 is NODE_MODULE_VERSION 150, Node 20 is 115). One checkout holds both
 * builds side by side:
 *
 * - `node_modules/better-sqlite3/build/Release/better_sqlite3.node` — the Node build
 *   made by `npm install`. Nothing of ours ever rebuilds it, so the tests keep working.
 * - `.native/electron-<NODE_MODULE_VERSION>/better_sqlite3.node` — the Electron build,
 *   made by `scripts/ensure-electron-native.mjs`, which `npm start` runs before
 *   launching Electron. It copies the better-sqlite3 package to a temporary folder and
 *   builds there (`prebuild-install --runtime=electron`, else `node-gyp rebuild` against
 *   Electron's headers, with npm's `nodedir` setting removed from the environment:
 *   an `.npmrc` `nodedir` silently makes node-gyp compile against Node's headers).
 *   A `better_sqlite3.json` stamp next to the binary records the better-sqlite3
 *   version it was built from, so an upgrade rebuilds it.
 *
 * The main process passes `process.versions.electron` and `process.versions.modules`
 * to {@link resolveSqliteNativeBinding} and hands the result to `openDatabase`
 * (electron/services/sqlite-database.ts) as `nativeBinding`. Under plain Node (tests,
 * the preview, the hub) there is no Electron version and the default binary is used.
 * A packaged app has its modules rebuilt for Electron by the packager and no
 * `.native` folder, so it uses the default too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_FOLDER_NAME = '.native';
export const SQLITE_BINARY_NAME = 'better_sqlite3.node';

export interface NativeRuntime {
  /** `process.versions.electron`: undefined under plain Node. */
  readonly electronVersion: string | undefined;
  /** `process.versions.modules`: the runtime's NODE_MODULE_VERSION. */
  readonly modulesVersion: string;
  /** The folder holding package.json and `.native/`. */
  readonly projectRoot: string;
}

/** Where the Electron build for one ABI lives; scripts/ensure-electron-native.mjs writes to the same place. */
export function electronSqliteBindingPath(projectRoot: string, modulesVersion: string): string {
  if (!/^\d+$/.test(modulesVersion)) {
    throw new TypeError(`modulesVersion must be a NODE_MODULE_VERSION such as "150" (process.versions.modules), not "${modulesVersion}"`);
  }
  return join(projectRoot, NATIVE_FOLDER_NAME, `electron-${modulesVersion}`, SQLITE_BINARY_NAME);
}

/**
 * The better-sqlite3 binary to load, or `undefined` for better-sqlite3's own default
 * (plain Node, or an Electron build that is not there: opening the database then
 * fails with a message saying which script builds it).
 */
export function resolveSqliteNativeBinding({ electronVersion, modulesVersion, projectRoot }: NativeRuntime): string | undefined {
  if (electronVersion === undefined || electronVersion === '') return undefined;
  const candidate = electronSqliteBindingPath(projectRoot, modulesVersion);
  return existsSync(candidate) ? candidate : undefined;
}
