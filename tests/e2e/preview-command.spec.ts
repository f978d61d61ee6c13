/**
 * `npm run preview` itself, as staff start it: the command (electron/preview/preview-cli.ts,
 * which npm runs once the renderer is built; the global setup built it) in a child
 * process, on a free port, with a fresh data folder and so the built-in catalogue.
 * The flow must work in every language the kiosk speaks.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig } from '../../shared/config/schema';
import { LANGUAGES } from '../../shared/languages';
import { languageButton } from './fixtures';
import { endonym, escapeRegExp, text } from './support/locales';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

function builtInCatalogue(): KioskConfig {
  const parsed = parseKioskConfig(DEFAULT_CONFIG);
  if (!parsed.ok) throw new Error('the built-in configuration must be valid');
  return parsed.config;
}

interface PreviewCommand {
  readonly url: string;
  readonly dataDir: string;
}

const test = base.extend<{ previewCommand: PreviewCommand }>({
  // eslint-disable-next-line no-empty-pattern -- this fixture needs no other fixture
  previewCommand: async ({}, use) => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'epn-e2e-cli-')), 'data');
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      ['--import', 'tsx', 'electron/preview/preview-cli.ts', '--port', '0', '--data-dir', dataDir, '--no-managed-config'],
      { cwd: repositoryRoot, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const match = /open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/.exec(stdout);
          if (match !== null) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`npm run preview exited with ${code} before serving:\n${stdout}${stderr}`)));
      });
      expect(stdout).toContain(`Preview data folder: ${dataDir}`);
      await use({ url, dataDir });
      child.kill('SIGINT');
      expect(await exited, `the preview should stop cleanly on Ctrl+C:\n${stderr}`).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  },
});

const catalogue = builtInCatalogue();

for (const { code: language } of LANGUAGES) {
  test(`npm run preview serves the built-in catalogue in ${endonym(language)}`, async ({ page, previewCommand }) => {
    await page.goto(previewCommand.url);
    const root = page.locator('html');
    await expect(root).toHaveAttribute('data-screen', 'welcome');
    await expect(root).toHaveAttribute('lang', catalogue.languages.default);
    await expect(page.locator('button[lang]')).toHaveText(catalogue.languages.offered.map((code) => new RegExp(`^${escapeRegExp(endonym(code))}`)));

    await languageButton(page, language).click();
    await expect(root).toHaveAttribute('data-screen', 'launcher');
    await expect(root).toHaveAttribute('lang', language);
    await expect(page.getByRole('heading', { level: 1, name: text(language, 'launcher.title') })).toBeVisible();

    for (const theme of catalogue.themes) {
      const services = catalogue.services.filter((service) => service.theme === theme.id);
      if (services.length === 0) continue;
      const section = page.getByRole('region', { name: text(language, `themes.${theme.id}`) });
      await expect(section.locator('button[data-service-id]')).toHaveCount(services.length);
      for (const service of services) {
        const label = service.label[language];
        expect(label, `${service.id} has a label in ${language}`).toBeDefined();
        await expect(section.getByRole('button', { name: label, exact: true })).toHaveAttribute('data-service-id', service.id);
      }
    }

    await page.getByRole('button', { name: text(language, 'toolbar.endSession') }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: text(language, 'endSession.confirm') }).click();
    await expect(root).toHaveAttribute('data-screen', 'welcome');
    await expect(root).toHaveAttribute('lang', catalogue.languages.default);
  });
}
