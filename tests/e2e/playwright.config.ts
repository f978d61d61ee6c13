/**
 * End-to-end tests: Chromium driving the browser preview (tests/e2e/README.md).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/chromium';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  // Two cores: one browser per core at most.
  workers: 2,
  fullyParallel: true,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: `${repositoryRoot}test-results/e2e-artifacts`,
  // The committed reference screenshots (tests/reference/README.md): one file per name given
  // to toHaveScreenshot, the same on every machine; rewritten only with UPDATE_REFERENCE=1.
  snapshotPathTemplate: '{testDir}/../reference/screenshots/{arg}{ext}',
  updateSnapshots: process.env.UPDATE_REFERENCE === '1' ? 'changed' : 'none',
  reporter: [['list'], ['json', { outputFile: `${repositoryRoot}test-results/e2e.json` }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1366, height: 768 },
    locale: 'fr-BE',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
