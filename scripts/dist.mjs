#!/usr/bin/env node
// `npm run dist`: build the kiosk, then package it with electron-builder (electron-builder.yml).
// Needs internet access: electron-builder downloads Electron, its packaging tools and
// Electron's headers (or better-sqlite3's Electron prebuild) to rebuild better-sqlite3.
//
//   npm run dist                 Linux AppImage and .deb, and the Windows NSIS installer
//   npm run dist:linux           AppImage and .deb only
//   npm run dist:win             the NSIS installer only (build it on Windows: better-sqlite3 is native)
//   npm run dist -- <options>    more electron-builder options, for example a generic update feed:
//                                -c.publish.provider=generic -c.publish.url=https://updates.example.org/epn-kiosk/
//
// npm's `nodedir` setting (from an .npmrc) would make the native rebuild compile
// better-sqlite3 against Node's headers instead of Electron's: the package would then fail
// to open its database. It is removed from the environment here, and a `nodedir` left in an
// .npmrc stops the run with the fix.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = {
  all: ['--linux', 'AppImage', 'deb', '--win', 'nsis'],
  linux: ['--linux', 'AppImage', 'deb'],
  win: ['--win', 'nsis'],
};

const [which = 'all', ...extra] = process.argv.slice(2);
if (!(which in TARGETS)) {
  process.stderr.write(`dist: unknown target "${which}": use all, linux or win\n`);
  process.exit(2);
}

const env = { ...process.env };
for (const name of Object.keys(env)) {
  if (name.toLowerCase() === 'npm_config_nodedir') delete env[name];
}
const isWindows = process.platform === 'win32';
const npm = isWindows ? 'npm.cmd' : 'npm';
const npx = isWindows ? 'npx.cmd' : 'npx';

const nodedir = spawnSync(npm, ['config', 'get', 'nodedir'], { cwd: root, env, encoding: 'utf8', shell: isWindows });
const configured = (nodedir.stdout ?? '').trim();
if (nodedir.status === 0 && configured !== '' && configured !== 'undefined' && configured !== 'null' && process.env.EPN_DIST_ALLOW_NODEDIR !== '1') {
  process.stderr.write(
    `dist: npm's nodedir is set to ${configured} (in an .npmrc): better-sqlite3 would be rebuilt against those headers, not Electron's, and the packaged kiosk could not open its database. Remove nodedir from the .npmrc (\`npm config delete nodedir\`), or set EPN_DIST_ALLOW_NODEDIR=1 if it points at Electron's headers.\n`,
  );
  process.exit(1);
}

function run(command, args) {
  process.stdout.write(`\n=== ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', shell: isWindows });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(npm, ['run', '--silent', 'build']);
run(npx, ['electron-builder', ...TARGETS[which], '--publish', 'never', ...extra]);
process.stdout.write('\ndist: the packages are in release/\n');
