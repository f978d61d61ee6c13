/**
 * `npm start` on a machine without the Electron binary must say so in one line, with the
 * fix, and exit 1: no stack trace, no build output first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const startScript = path.join(root, 'scripts', 'start.mjs');

interface ElectronBinary {
  available: boolean;
  executable?: string;
  missing?: string;
}
const { locateElectronBinary } = (await import(pathToFileURL(startScript).href)) as {
  locateElectronBinary: (root?: string, env?: NodeJS.ProcessEnv) => ElectronBinary;
};

const emptyDist = mkdtempSync(path.join(tmpdir(), 'epn-kiosk-no-electron-'));
afterAll(() => rmSync(emptyDist, { recursive: true, force: true }));

function runStart(env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [startScript], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function expectOneLineRefusal(status: number | null, output: string) {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(status).toBe(1);
  const line = lines[0]!;
  expect(line).toMatch(/^EPN Kiosk cannot start: /);
  expect(line).toContain('`npm install`');
  expect(line).toContain('without ELECTRON_SKIP_BINARY_DOWNLOAD');
  expect(line).toContain('`npm run preview`');
  expect(output).not.toMatch(/\n\s+at /);
  expect(output).not.toMatch(/Error:/);
}

describe('npm start without an Electron binary', () => {
  it('refuses in one line when the binary it is pointed at does not exist', () => {
    const { status, output } = runStart({ ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist });
    expectOneLineRefusal(status, output);
    expect(output).toContain(emptyDist);
  });

  const installedHere = locateElectronBinary(root, { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' });
  it.skipIf(installedHere.available)('refuses in one line as installed here (with ELECTRON_SKIP_BINARY_DOWNLOAD=1)', () => {
    const env = { ...process.env };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const { status, output } = runStart(env);
    expectOneLineRefusal(status, output);
    expect(output).toContain('the Electron binary is not installed');
  });
});

describe('locateElectronBinary', () => {
  it('finds nothing where the override folder is empty, and says which folder', () => {
    const found = locateElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: emptyDist });
    expect(found.available).toBe(false);
    expect(found.missing).toContain(emptyDist);
  });

  it('says the package is missing for a project without node_modules', () => {
    const found = locateElectronBinary(emptyDist, {});
    expect(found).toEqual({ available: false, missing: 'the electron package is not installed' });
  });
});
