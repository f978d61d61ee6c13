/**
 * The real-Electron suite (Playwright `_electron`): what only Electron can show. Runs
 * wherever an Electron binary is installed (on Linux, with a display: under `xvfb-run`
 * on a headless machine) and reports every test skipped, with the reason, where none is.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  // Each test starts a whole Electron; one at a time on two cores.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: `${repositoryRoot}test-results/electron-e2e-artifacts`,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
});
