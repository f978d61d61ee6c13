/**
 * Packaging smoke test: electron-builder packages the kiosk with the real
 * electron-builder.yml, as `--linux dir`, and the packaged file list is checked.
 *
 * THE OUTPUT IS NOT RUNNABLE. Electron's binary cannot be downloaded here, so the
 * "Electron distribution" is a stub (an empty script named `electron`, a version file);
 * better-sqlite3 is not rebuilt for Electron (npmRebuild: false: the package carries the
 * Node build of the checkout) and no fuses are flipped (the stub has no fuse wire; the
 * fuses are checked in fuses.test.ts). What this proves is the configuration: which files
 * go into app.asar, which stay unpacked, and that development files stay out.
 * The real packages come from `npm run dist` on a machine with internet access.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { Platform, build } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, readBuilderConfig } from './packaging-config';

const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const BUILT_FILES = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/dashboard/index.html'];

/** A stand-in for Electron's unpacked distribution: enough for electron-builder's dir target, nothing that runs. */
function makeStubElectron(folder: string): void {
  mkdirSync(path.join(folder, 'resources'), { recursive: true });
  const executable = path.join(folder, 'electron');
  writeFileSync(executable, '#!/bin/sh\necho "EPN Kiosk packaging smoke test: this is a stub, not Electron" >&2\nexit 1\n');
  chmodSync(executable, 0o755);
  writeFileSync(path.join(folder, 'version'), ELECTRON_VERSION);
  writeFileSync(path.join(folder, 'LICENSE'), 'stub Electron licence (packaging smoke test)\n');
  writeFileSync(path.join(folder, 'LICENSES.chromium.html'), '<p>stub (packaging smoke test)</p>\n');
}

describe('packaging smoke test: `--linux dir` with a stub Electron — the output is NOT runnable', () => {
  let workDir = '';
  let appOutDir = '';
  let asarFiles: string[] = [];
  let seconds = 0;

  beforeAll(async () => {
    if (!BUILT_FILES.every((file) => existsSync(path.join(PROJECT_ROOT, file)))) {
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
      if (result.status !== 0) throw new Error('npm run build failed: the smoke test packages dist/');
    }
    workDir = mkdtempSync(path.join(os.tmpdir(), 'epn-kiosk-package-smoke-'));
    const stub = path.join(workDir, 'electron-stub');
    makeStubElectron(stub);
    const config = readBuilderConfig();
    const started = Date.now();
    await build({
      projectDir: PROJECT_ROOT,
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      config: {
        ...config,
        electronDist: stub,
        electronVersion: ELECTRON_VERSION,
        // No rebuild for Electron's ABI (its headers are a download) and no fuses (the stub has no fuse wire).
        npmRebuild: false,
        electronFuses: null,
        directories: { ...(config.directories as object), output: path.join(workDir, 'release') },
      },
    });
    seconds = (Date.now() - started) / 1000;
    appOutDir = path.join(workDir, 'release', 'linux-unpacked');
    asarFiles = listPackage(path.join(appOutDir, 'resources', 'app.asar'), { isPack: false }).map((file) => file.split(path.sep).join('/'));
    process.stdout.write(`packaging smoke test: packaged in ${seconds.toFixed(1)} s, ${asarFiles.length} entries in app.asar (${appOutDir}; NOT runnable: stub Electron)\n`);
  }, 180_000);

  afterAll(() => {
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });

  it('names the executable epn-kiosk (the stub, renamed: not runnable)', () => {
    expect(existsSync(path.join(appOutDir, 'epn-kiosk'))).toBe(true);
  });

  it('packs the built app and package.json into app.asar', () => {
    for (const file of [...BUILT_FILES, 'package.json']) expect(asarFiles, file).toContain(`/${file}`);
    const packed = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(asarFiles).toContain(`/${packed.main}`);
  });

  it('leaves out source maps, TypeScript sources, tests, docs and the developer\'s .native build', () => {
    expect(asarFiles.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(asarFiles.filter((file) => /\.(ts|tsx|mts|cts)$/.test(file))).toEqual([]);
    expect(asarFiles.filter((file) => /^\/(tests|docs|electron|shared|renderer|scripts|build|bench|\.native|release)(\/|$)/.test(file))).toEqual([]);
    expect(asarFiles.filter((file) => /\/(\.native|tests?|__tests__)(\/|$)/.test(file))).toEqual([]);
    expect(asarFiles.filter((file) => /^\/[^/]+$/.test(file)).sort()).toEqual(['/dist', '/node_modules', '/package.json']);
  });

  it('carries production dependencies only', () => {
    for (const dependency of ['better-sqlite3', 'electron-updater', 'zod', 'fastify']) expect(asarFiles, dependency).toContain(`/node_modules/${dependency}`);
    for (const development of ['electron', 'electron-builder', 'vitest', 'typescript', 'vite', 'esbuild', '@playwright/test', 'eslint']) {
      expect(asarFiles, development).not.toContain(`/node_modules/${development}`);
    }
  });

  it('keeps better-sqlite3\'s native binary unpacked beside app.asar, without its sources', () => {
    expect(existsSync(path.join(appOutDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(asarFiles).toContain('/node_modules/better-sqlite3/lib/index.js');
    expect(asarFiles.filter((file) => file.startsWith('/node_modules/better-sqlite3/') && /\/(deps|src)\/|test_extension|\/obj(\.target)?\//.test(file))).toEqual([]);
  });

  it('takes well under a minute', () => {
    expect(seconds).toBeLessThan(60);
  });
});
