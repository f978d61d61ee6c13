/**
 * Each test gets its own kiosk: a fresh data folder, two loopback "services" (one page
 * that allows framing, one with X-Frame-Options: DENY), a config.json listing them,
 * and the preview server started in this worker on a free port, its visitor sessions
 * timed by a ManualClock that the test moves (the idle warning without waiting minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { startPreviewServer, type PreviewServer } from '../../electron/preview/preview-server';
import { DEFAULT_SESSION_SETTINGS } from '../../shared/config/schema';
import type { LanguageCode } from '../../shared/languages';
import { ManualClock } from '../support/manual-clock';
import { htmlPage, startLoopbackServer, testConfig, writeConfigFile, type LoopbackServer, type TestService } from '../electron/preview/loopback-http';
import { endonym, escapeRegExp } from './support/locales';

export interface KioskService extends TestService {
  /** The heading of the service's page, to find inside the frame or the new tab. */
  readonly heading: string;
}

export interface Kiosk {
  readonly url: string;
  readonly dataDir: string;
  readonly server: PreviewServer;
  /** The clock of the preview's session controller: it moves only when the test says so. */
  readonly clock: ManualClock;
  /** The session timings of the test configuration (the defaults), in milliseconds. */
  readonly timings: { readonly idleMs: number; readonly warningMs: number; readonly erasedMs: number };
  /** Moves the session clock (its timers fire) and waits for any wipe this started. */
  advance(ms: number): Promise<void>;
  /** A page that allows framing, in theme "administration". */
  readonly frameable: KioskService;
  /** A second frameable service in the same theme, so grouping shows. */
  readonly sibling: KioskService;
  /** A page that refuses framing (X-Frame-Options: DENY), in theme "work". */
  readonly refusing: KioskService;
  readonly services: readonly KioskService[];
  /** The welcome screen, in the default language (French). */
  openWelcome(page: Page): Promise<void>;
  /** Writes a new config.json, as staff would. */
  writeConfig(config: unknown): void;
  configFor(services: readonly TestService[], kioskName?: string): ReturnType<typeof testConfig>;
}

const FRAMEABLE_HEADING = 'Frameable service page';
const SIBLING_HEADING = 'Second service page';
const REFUSING_HEADING = 'Protected service page';

export const test = base.extend<{ kiosk: Kiosk; pageProblems: void }>({
  // Every page of these tests must run under the preview's strict Content-Security-Policy
  // without a violation, and without an uncaught error.
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      await use();
      expect(problems, 'the page reported problems').toEqual([]);
    },
    { auto: true },
  ],
  // Playwright reads the fixtures a fixture needs from its first parameter's pattern: this one needs none.
  // eslint-disable-next-line no-empty-pattern
  kiosk: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epn-e2e-'));
    const servers: LoopbackServer[] = [];
    let server: PreviewServer | null = null;
    try {
      const open = await startLoopbackServer((request, response) => {
        const heading = request.url === '/second' ? SIBLING_HEADING : FRAMEABLE_HEADING;
        htmlPage(heading)(request, response);
      });
      servers.push(open);
      const refusingServer = await startLoopbackServer(htmlPage(REFUSING_HEADING, { 'x-frame-options': 'DENY' }));
      servers.push(refusingServer);

      const frameable: KioskService = {
        id: 'open-page',
        theme: 'administration',
        label: { fr: 'Page ouverte', nl: 'Open pagina', de: 'Offene Seite', en: 'Open page' },
        startUrl: open.url('/'),
        heading: FRAMEABLE_HEADING,
      };
      const sibling: KioskService = {
        id: 'second-page',
        theme: 'administration',
        label: { fr: 'Deuxième page', nl: 'Tweede pagina', de: 'Zweite Seite', en: 'Second page' },
        startUrl: open.url('/second'),
        heading: SIBLING_HEADING,
      };
      const refusing: KioskService = {
        id: 'protected-page',
        theme: 'work',
        label: { fr: 'Page protégée', nl: 'Beschermde pagina', de: 'Geschützte Seite', en: 'Protected page' },
        startUrl: refusingServer.url('/'),
        heading: REFUSING_HEADING,
      };
      const services = [frameable, sibling, refusing];
      writeConfigFile(dataDir, testConfig(services, 'PC 3'));

      const clock = new ManualClock();
      server = await startPreviewServer({ port: 0, dataDir, managedConfigPath: null, clock });
      const started = server;
      const url = server.url;
      await use({
        url,
        dataDir,
        server,
        clock,
        timings: {
          idleMs: DEFAULT_SESSION_SETTINGS.idleTimeoutSeconds * 1000,
          warningMs: DEFAULT_SESSION_SETTINGS.idleWarningSeconds * 1000,
          erasedMs: DEFAULT_SESSION_SETTINGS.erasedMessageSeconds * 1000,
        },
        async advance(ms) {
          clock.advance(ms);
          await started.controller.whenIdle();
        },
        frameable,
        sibling,
        refusing,
        services,
        async openWelcome(page) {
          await page.goto(url);
          await expect(page.locator('html')).toHaveAttribute('data-screen', 'welcome');
        },
        writeConfig: (config) => writeConfigFile(dataDir, config),
        configFor: (list, kioskName) => testConfig(list, kioskName),
      });
    } finally {
      await server?.close();
      await Promise.all(servers.map((service) => service.close()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** The welcome screen's button for a language: its name starts with the language's own name. */
export function languageButton(page: Page, language: LanguageCode) {
  return page.getByRole('button', { name: new RegExp(`^${escapeRegExp(endonym(language))}`) });
}

/** A launcher tile, found by its label in the visitor's language, on the page or within a theme's section. */
export function tile(scope: Page | Locator, service: TestService, language: LanguageCode) {
  return scope.getByRole('button', { name: service.label[language], exact: true });
}
