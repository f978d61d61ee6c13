#!/usr/bin/env node
/**
 * Makes sure a better-sqlite3 binary built for the installed Electron exists in
 * `.native/electron-<NODE_MODULE_VERSION>/better_sqlite3.node`, next to (never in
 * place of) the Node build in node_modules that the tests use. `npm start` runs it
 * before launching Electron; it needs the internet the first time (prebuilt binary
 * or Electron's headers). Why and how: electron/services/native-binding.ts.
 *
 *   node scripts/ensure-electron-native.mjs [--force]
 *
 * Prints one line on success, one line (and a log file) on failure, exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';
export const NATIVE_FOLDER_NAME = '.native';
export const SQLITE_BINARY_NAME = 'better_sqlite3.node';
export const STAMP_FILE_NAME = 'better_sqlite3.json';
export const BUILD_LOG_NAME = 'build.log';

export class EnsureNativeError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EnsureNativeError';
  }
}

/** Same place as electronSqliteBindingPath() in electron/services/native-binding.ts (a test holds them together). */
export function nativeBindingPath(projectRoot, modulesVersion) {
  return join(projectRoot, NATIVE_FOLDER_NAME, `electron-${modulesVersion}`, SQLITE_BINARY_NAME);
}

export function readInstalledVersion(projectRoot, packageName) {
  const file = join(projectRoot, 'node_modules', packageName, 'package.json');
  try {
    const version = JSON.parse(readFileSync(file, 'utf8')).version;
    if (typeof version === 'string' && version !== '') return version;
  } catch {
    // Reported below with the fix.
  }
  throw new EnsureNativeError(`${packageName} is not installed (no ${relative(projectRoot, file)}): run "npm install" first`);
}

/**
 * Electron's NODE_MODULE_VERSION, found without running Electron where possible:
 * the `abi_version` file the electron package ships, else node-abi's table, else
 * the Electron binary itself run as Node.
 */
export function findElectronModulesVersion({ projectRoot, electronVersion, env = process.env }) {
  const electronFolder = join(projectRoot, 'node_modules', 'electron');
  try {
    const fromPackage = readFileSync(join(electronFolder, 'abi_version'), 'utf8').trim();
    if (/^\d+$/.test(fromPackage)) return { modulesVersion: fromPackage, source: 'node_modules/electron/abi_version' };
  } catch {
    // Older electron packages do not ship it.
  }
  try {
    const nodeAbi = createRequire(join(projectRoot, 'package.json'))('node-abi');
    const fromTable = String(nodeAbi.getAbi(electronVersion, 'electron'));
    if (/^\d+$/.test(fromTable)) return { modulesVersion: fromTable, source: 'node-abi' };
  } catch {
    // node-abi missing, or too old to know this Electron.
  }
  try {
    const executable = join(electronFolder, 'dist', readFileSync(join(electronFolder, 'path.txt'), 'utf8').trim());
    if (existsSync(executable)) {
      const run = spawnSync(executable, ['-p', 'process.versions.modules'], { env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: 60_000 });
      const fromBinary = (run.stdout ?? '').trim();
      if (run.status === 0 && /^\d+$/.test(fromBinary)) return { modulesVersion: fromBinary, source: 'electron binary' };
    }
  } catch {
    // No binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
  }
  throw new EnsureNativeError(
    `cannot tell which NODE_MODULE_VERSION Electron ${electronVersion} uses (no node_modules/electron/abi_version, node-abi does not know it, no Electron binary): reinstall electron with "npm install"`,
  );
}

/**
 * What `npm start` passes down about npm's settings (npm_config_*) and about our own
 * package (npm_package_*): node-gyp and prebuild-install read both as if they were
 * about the package they build, and let them override their command line.
 */
const BUILD_SETTING_PATTERN = /^(npm_config_|npm_package_)/i;
/** npm settings the downloads still need (proxies, certificates) and the compiler choice on Windows. */
const KEPT_NPM_SETTINGS = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'no_proxy', 'cafile', 'ca', 'strict_ssl', 'local_address', 'python', 'msvs_version', 'cache']);

/**
 * The environment for the build: the caller's, without the npm settings that would
 * change the target. Above all `nodedir` (an `.npmrc` on this kind of machine sets
 * nodedir=/usr): node-gyp would compile against Node's headers instead of Electron's
 * and produce a binary Electron refuses. Removing the variables is the only reliable
 * way, since they win over command-line flags.
 */
export function buildEnvironment(env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (BUILD_SETTING_PATTERN.test(key)) {
      const setting = key.replace(BUILD_SETTING_PATTERN, '').toLowerCase();
      if (!key.toLowerCase().startsWith('npm_config_') || !KEPT_NPM_SETTINGS.has(setting)) continue;
    }
    clean[key] = value;
  }
  return clean;
}

function resolveBin(projectRoot, packageName, relativeBin) {
  const file = join(projectRoot, 'node_modules', packageName, relativeBin);
  return existsSync(file) ? file : null;
}

/**
 * Everything the build will do, computed without side effects: the target paths,
 * and the two ways to obtain the binary, tried in order, each run in `packageCopy`.
 */
export function planElectronNativeBuild({
  projectRoot,
  electronVersion,
  modulesVersion,
  betterSqlite3Version,
  workDir,
  env = process.env,
  platform = process.platform,
  arch = process.arch,
  homeDir = homedir(),
  execPath = process.execPath,
}) {
  const target = nativeBindingPath(projectRoot, modulesVersion);
  const packageCopy = join(workDir, 'better-sqlite3');
  const buildEnv = buildEnvironment(env);
  const steps = [];
  const prebuildInstall = resolveBin(projectRoot, 'prebuild-install', 'bin.js');
  if (prebuildInstall !== null) {
    steps.push({
      name: 'prebuild-install',
      command: execPath,
      args: [prebuildInstall, '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--platform=${platform}`],
      cwd: packageCopy,
      env: buildEnv,
    });
  }
  const nodeGyp = resolveBin(projectRoot, 'node-gyp', join('bin', 'node-gyp.js')) ?? (env.npm_config_node_gyp && existsSync(env.npm_config_node_gyp) ? env.npm_config_node_gyp : null);
  if (nodeGyp !== null) {
    steps.push({
      name: 'node-gyp',
      command: execPath,
      args: [
        nodeGyp,
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${arch}`,
        `--dist-url=${ELECTRON_HEADERS_URL}`,
        // Electron's headers in their own cache, never mixed with Node's.
        `--devdir=${join(homeDir, '.electron-gyp')}`,
      ],
      cwd: packageCopy,
      env: buildEnv,
    });
  }
  return {
    target,
    stampFile: join(dirname(target), STAMP_FILE_NAME),
    logFile: join(dirname(target), BUILD_LOG_NAME),
    sourcePackage: join(projectRoot, 'node_modules', 'better-sqlite3'),
    packageCopy,
    builtBinary: join(packageCopy, 'build', 'Release', SQLITE_BINARY_NAME),
    stamp: { betterSqlite3Version, electronVersion, modulesVersion, platform, arch },
    steps,
  };
}

/** Whether the binary there was built from the same better-sqlite3 for the same ABI and machine. */
export function isUpToDate(plan) {
  if (!existsSync(plan.target)) return false;
  try {
    const stamp = JSON.parse(readFileSync(plan.stampFile, 'utf8'));
    return ['betterSqlite3Version', 'modulesVersion', 'platform', 'arch'].every((key) => stamp[key] === plan.stamp[key]);
  } catch {
    return false;
  }
}

/**
 * Reads what Node said when asked to load a binary: Node loads only binaries of its
 * own ABI, and names the ABI of any other in its refusal.
 */
export function interpretLoadAttempt(output, hostModulesVersion) {
  const text = String(output).trim();
  if (text === 'loaded') return { builtFor: hostModulesVersion, detail: text };
  const match = /NODE_MODULE_VERSION (\d+)/.exec(text);
  return { builtFor: match === null ? null : match[1], detail: text };
}

/** Refuses a binary built for the wrong ABI, the mistake `nodedir` makes silently. */
export function checkBinaryAbi(file, expectedModulesVersion) {
  const probe = "try { process.dlopen({ exports: {} }, process.argv[1]); console.log('loaded'); } catch (error) { console.log(String(error && error.message)); }";
  const run = spawnSync(process.execPath, ['-e', probe, file], { encoding: 'utf8', timeout: 60_000 });
  const { builtFor, detail } = interpretLoadAttempt(`${run.stdout ?? ''}`, process.versions.modules);
  if (builtFor === null) return { ok: true, note: `could not confirm its ABI under Node (${detail.split('\n')[0]})` };
  if (builtFor !== expectedModulesVersion) {
    return {
      ok: false,
      message: `the binary built is for NODE_MODULE_VERSION ${builtFor}, not Electron's ${expectedModulesVersion}${builtFor === process.versions.modules ? ' (it was built against Node\'s headers: check that no "nodedir" is set in .npmrc)' : ''}`,
    };
  }
  return { ok: true, note: `NODE_MODULE_VERSION ${builtFor} confirmed` };
}

function copyPackageSources(plan) {
  const excluded = [join(plan.sourcePackage, 'build'), join(plan.sourcePackage, 'node_modules')];
  cpSync(plan.sourcePackage, plan.packageCopy, {
    recursive: true,
    // The Node build stays where it is and is never mistaken for the result.
    filter: (source) => !excluded.some((folder) => source === folder || source.startsWith(folder + sep)),
  });
}

function runStep(step, logFile) {
  const descriptor = openSync(logFile, 'a');
  try {
    writeFileSync(descriptor, `\n$ ${[step.command, ...step.args].join(' ')}\n  (in ${step.cwd})\n`);
    const run = spawnSync(step.command, step.args, { cwd: step.cwd, env: step.env, stdio: ['ignore', descriptor, descriptor] });
    if (run.error !== undefined) writeFileSync(descriptor, `${run.error.message}\n`);
    return run.status === 0;
  } finally {
    closeSync(descriptor);
  }
}

function installBinary(plan) {
  const staging = `${plan.target}.${process.pid}.tmp`;
  cpSync(plan.builtBinary, staging);
  renameSync(staging, plan.target);
  writeFileSync(plan.stampFile, `${JSON.stringify(plan.stamp, null, 2)}\n`);
}

export function ensureElectronNative({ projectRoot, force = false, env = process.env, log = (line) => console.log(line) }) {
  const electronVersion = readInstalledVersion(projectRoot, 'electron');
  const betterSqlite3Version = readInstalledVersion(projectRoot, 'better-sqlite3');
  const { modulesVersion } = findElectronModulesVersion({ projectRoot, electronVersion, env });
  const workDir = mkdtempSync(join(tmpdir(), 'epn-kiosk-native-'));
  try {
    const plan = planElectronNativeBuild({ projectRoot, electronVersion, modulesVersion, betterSqlite3Version, workDir, env });
    if (!force && isUpToDate(plan)) {
      log(`better-sqlite3 for Electron ${electronVersion} (NODE_MODULE_VERSION ${modulesVersion}) is ready: ${relative(projectRoot, plan.target)}`);
      return { path: plan.target, built: false };
    }
    if (plan.steps.length === 0) {
      throw new EnsureNativeError('neither prebuild-install nor node-gyp is installed: run "npm install" first');
    }
    mkdirSync(dirname(plan.target), { recursive: true });
    writeFileSync(plan.logFile, `better-sqlite3 ${betterSqlite3Version} for Electron ${electronVersion} (NODE_MODULE_VERSION ${modulesVersion}), ${plan.stamp.platform}-${plan.stamp.arch}\n`);
    log(`building better-sqlite3 for Electron ${electronVersion} (NODE_MODULE_VERSION ${modulesVersion}); the first time this can take a few minutes…`);
    copyPackageSources(plan);

    const failures = [];
    for (const step of plan.steps) {
      rmSync(join(plan.packageCopy, 'build'), { recursive: true, force: true });
      if (!runStep(step, plan.logFile) || !existsSync(plan.builtBinary)) {
        failures.push(step.name);
        continue;
      }
      const abi = checkBinaryAbi(plan.builtBinary, modulesVersion);
      writeFileSync(plan.logFile, `${step.name}: ${abi.ok ? abi.note : abi.message}\n`, { flag: 'a' });
      if (!abi.ok) {
        failures.push(`${step.name} (${abi.message})`);
        continue;
      }
      installBinary(plan);
      log(`better-sqlite3 for Electron ${electronVersion} ready (${step.name}): ${relative(projectRoot, plan.target)}`);
      return { path: plan.target, built: true };
    }
    throw new EnsureNativeError(
      `could not build better-sqlite3 for Electron ${electronVersion}: ${failures.join(', then ')} failed (is the internet reachable for the prebuilt binary or Electron's headers? is a C++ compiler installed?); details in ${relative(projectRoot, plan.logFile)}`,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function main() {
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    ensureElectronNative({ projectRoot, force: process.argv.includes('--force') });
  } catch (error) {
    const reason = error instanceof EnsureNativeError ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`ensure-electron-native: ${reason}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) main();
