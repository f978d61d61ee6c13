#!/usr/bin/env node
// `npm start`: build the kiosk and launch it in Electron.
//
// The Electron binary is checked first, before the build, so a machine without it hears
// so at once, in one line, with the fix. npm installs Electron's package without its
// binary when ELECTRON_SKIP_BINARY_DOWNLOAD=1 is set (the case on machines that reach
// the npm registry only). This check never asks the electron package itself: its
// index.js tries to download the binary when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where the Electron binary is, the way node_modules/electron/index.js finds it
 * (path.txt, or ELECTRON_OVERRIDE_DIST_PATH), without its download fallback.
 *
 * @param {string} root the project folder
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ available: true, executable: string } | { available: false, missing: string }}
 */
export function locateElectronBinary(root = projectRoot, env = process.env) {
  let packageDir;
  try {
    packageDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { available: false, missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relativeExecutable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined && override !== '') {
    const executable = path.join(override, relativeExecutable ?? 'electron');
    return existsSync(executable)
      ? { available: true, executable }
      : { available: false, missing: `ELECTRON_OVERRIDE_DIST_PATH names ${override}, which holds no Electron binary` };
  }
  if (relativeExecutable === undefined || relativeExecutable === '') {
    return { available: false, missing: 'the Electron binary is not installed (node_modules/electron came without it: installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed)' };
  }
  const executable = path.join(packageDir, 'dist', relativeExecutable);
  return existsSync(executable)
    ? { available: true, executable }
    : { available: false, missing: `the Electron binary ${path.relative(root, executable)} is missing` };
}

export function missingBinaryMessage(missing) {
  return `EPN Kiosk cannot start: ${missing}. Run \`npm install\` with internet access and without ELECTRON_SKIP_BINARY_DOWNLOAD, or try the kiosk in a browser with \`npm run preview\`.`;
}

/** Runs npm the way it was started (npm_execpath), else the npm on the PATH. */
function runNpm(args) {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli !== undefined && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
  return spawnSync(command, commandArgs, { cwd: projectRoot, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm.cmd' });
}

function exitOnFailure(result, what) {
  if (result.error !== undefined) {
    process.stderr.write(`EPN Kiosk cannot start: ${what} could not run (${result.error.message}).\n`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.stderr.write(`EPN Kiosk cannot start: ${what} failed; see the messages above.\n`);
    process.exit(result.status ?? 1);
  }
}

function main() {
  const binary = locateElectronBinary();
  if (!binary.available) {
    process.stderr.write(`${missingBinaryMessage(binary.missing)}\n`);
    process.exit(1);
  }

  exitOnFailure(runNpm(['run', '--silent', 'build']), 'the build (npm run build)');

  // better-sqlite3 for Electron's ABI, next to Node's own build (see electron/services/native-binding.ts).
  const ensureNative = path.join(projectRoot, 'scripts', 'ensure-electron-native.mjs');
  if (existsSync(ensureNative)) {
    exitOnFailure(spawnSync(process.execPath, [ensureNative], { cwd: projectRoot, stdio: 'inherit' }), 'preparing better-sqlite3 for Electron (scripts/ensure-electron-native.mjs)');
  }

  const env = { ...process.env };
  // Set, it would make Electron run our main file as a plain Node script.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary.executable, [projectRoot, ...process.argv.slice(2)], { cwd: projectRoot, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    process.stderr.write(`EPN Kiosk cannot start: Electron did not launch (${error.message}).\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main();
}
