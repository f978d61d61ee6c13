/**
 * The real-Electron suite's fixture: whether an Electron binary is installed, and a kiosk
 * launched by Playwright's `_electron` on a fresh data folder for each test.
 *
 * Where no binary is installed (npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1) every test
 * is reported skipped with the reason; the same check as `npm start` decides it
 * (scripts/start.mjs), without ever triggering the electron package's download.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { _electron as electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { MANAGED_CONFIG_ENV } from '../../electron/services/config-store';
import { UNSAFE_ALLOW_DEBUGGING_SWITCH } from '../../electron/shell/command-line';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const mainScript = path.join(repositoryRoot, 'dist', 'electron', 'main.cjs');

type ElectronBinary = { available: true; executable: string } | { available: false; missing: string };

const { locateElectronBinary } = (await import(pathToFileURL(path.join(repositoryRoot, 'scripts', 'start.mjs')).href)) as {
  locateElectronBinary: (root?: string, env?: NodeJS.ProcessEnv) => ElectronBinary;
};

export const electronBinary = locateElectronBinary(repositoryRoot);

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

export const SKIPPED_WITHOUT_ELECTRON = electronBinary.available
  ? ''
  : `${capitalized(electronBinary.missing)}: the real-Electron tests need it; run \`npm install\` with internet access and without ELECTRON_SKIP_BINARY_DOWNLOAD to run them`;

export interface LaunchedKiosk {
  readonly app: ElectronApplication;
  /** The launcher's page (the kiosk window's webContents). */
  readonly launcher: Page;
  readonly dataDir: string;
}

export function freshDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'epn-kiosk-electron-e2e-'));
}

/**
 * The kiosk as `npm start` runs it, plus the one switch that lets Playwright attach
 * (Playwright always adds --inspect and --remote-debugging-port, which the kiosk
 * otherwise refuses).
 */
export async function launchKiosk(dataDir: string): Promise<LaunchedKiosk> {
  const app = await electron.launch({
    args: [mainScript, `--data-dir=${dataDir}`, UNSAFE_ALLOW_DEBUGGING_SWITCH],
    cwd: repositoryRoot,
    // A managed configuration on the test machine must not change what the tests see.
    env: { ...process.env, [MANAGED_CONFIG_ENV]: path.join(dataDir, 'no-managed-config.json') } as Record<string, string>,
  });
  const launcher = await app.firstWindow();
  return { app, launcher, dataDir };
}

export const test = base.extend<{ kiosk: LaunchedKiosk }>({
  // Playwright reads the fixtures a fixture needs from its first parameter's pattern: this one needs none.
  // eslint-disable-next-line no-empty-pattern
  kiosk: async ({}, use) => {
    const dataDir = freshDataDir();
    let launched: LaunchedKiosk | undefined;
    try {
      launched = await launchKiosk(dataDir);
      await use(launched);
    } finally {
      await launched?.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
