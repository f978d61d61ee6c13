/**
 * Each test gets its own kiosk: a fresh data folder, two loopback "services" (one page
 * that allows framing, one with X-Frame-Options: DENY), a config.json listing them,
 * and the preview server started in this worker on a free port, its visitor sessions
 * timed by a ManualClock that the test moves (the idle warning without waiting minutes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { startPreviewServer, type PreviewServer } from '../../electron/preview/preview-server';
import { DEFAULT_SESSION_SETTINGS } from '../../shared/config/schema';
import type { LanguageCode } from '../../shared/languages';
import { ManualClock } from '../support/manual-clock';
import { htmlPage, startLoopbackServer, testConfig, writeConfigFile, type LoopbackServer, type TestService } from '../electron/preview/loopback-http';
import { endonym, escapeRegExp, text } from './support/locales';

export interface KioskService extends TestService {
  /** The heading of the service's page, to find inside the frame or the new tab. */
  readonly heading: string;
}

/** Per spec file, with `test.use({ kioskOptions: { … } })`. */
export interface KioskOptions {
  /** Adds the "form" service (a page with text fields that shows what it was sent), in theme "everyday". */
  readonly withFormService: boolean;
  /**
   * A managed configuration file (a partial configuration, as an IT department deploys it),
   * written beside the data folder and given to the preview: its keys are locked for staff.
   */
  readonly managedConfig?: Record<string, unknown> | null;
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
  /** The form service, when the spec asked for it (KioskOptions.withFormService). */
  readonly form: KioskService | null;
  /** Where every loopback service of this kiosk listens, "127.0.0.1:<port>". */
  readonly serviceHosts: readonly string[];
  /** The managed configuration file given to the preview, or null. */
  readonly managedConfigPath: string | null;
  /** The welcome screen, in the default language (French). */
  openWelcome(page: Page): Promise<void>;
  /** Writes a new config.json, as staff would. */
  writeConfig(config: unknown): void;
  configFor(services: readonly TestService[], kioskName?: string): ReturnType<typeof testConfig>;
}

const FRAMEABLE_HEADING = 'Frameable service page';
const SIBLING_HEADING = 'Second service page';
const REFUSING_HEADING = 'Protected service page';
export const FORM_HEADING = 'Form service page';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * A page with two text fields (one sent with the form, one never sent) that writes what
 * it received into its title and its text, as many real sites do with a search.
 */
const formPage: RequestListener = (request, response) => {
  const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('q') ?? '';
  const shown = query === '' ? '' : `<p id="received">You searched for: ${escapeHtml(query)}</p>`;
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(query === '' ? FORM_HEADING : `${query} – ${FORM_HEADING}`)}</title></head>` +
      `<body><h1>${FORM_HEADING}</h1>${shown}` +
      '<form method="get" action="/form"><label>Search <input id="search" name="q" autocomplete="on"></label>' +
      '<label>Notes <textarea id="notes"></textarea></label><button type="submit">Send</button></form></body></html>',
  );
};

export const test = base.extend<{ kiosk: Kiosk; pageProblems: void; kioskOptions: KioskOptions }>({
  kioskOptions: [{ withFormService: false, managedConfig: null }, { option: true }],
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
  kiosk: async ({ kioskOptions }, use) => {
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
        label: { fr: 'Page ouverte', nl: 'Open pagina', de: 'Offene Seite', en: 'Open page', ar: 'صفحة مفتوحة', tr: 'Açık sayfa', uk: 'Відкрита сторінка' },
        startUrl: open.url('/'),
        heading: FRAMEABLE_HEADING,
      };
      const sibling: KioskService = {
        id: 'second-page',
        theme: 'administration',
        label: { fr: 'Deuxième page', nl: 'Tweede pagina', de: 'Zweite Seite', en: 'Second page', ar: 'الصفحة الثانية', tr: 'İkinci sayfa', uk: 'Друга сторінка' },
        startUrl: open.url('/second'),
        heading: SIBLING_HEADING,
      };
      const refusing: KioskService = {
        id: 'protected-page',
        theme: 'work',
        label: { fr: 'Page protégée', nl: 'Beschermde pagina', de: 'Geschützte Seite', en: 'Protected page', ar: 'صفحة محمية', tr: 'Korumalı sayfa', uk: 'Захищена сторінка' },
        startUrl: refusingServer.url('/'),
        heading: REFUSING_HEADING,
      };
      let form: KioskService | null = null;
      if (kioskOptions.withFormService) {
        const formServer = await startLoopbackServer(formPage);
        servers.push(formServer);
        form = {
          id: 'form-page',
          theme: 'everyday',
          label: { fr: 'Formulaire', nl: 'Formulier', de: 'Formular', en: 'Form', ar: 'استمارة', tr: 'Form', uk: 'Форма' },
          startUrl: formServer.url('/form'),
          heading: FORM_HEADING,
        };
      }
      const services = form === null ? [frameable, sibling, refusing] : [frameable, sibling, refusing, form];
      writeConfigFile(dataDir, testConfig(services, 'PC 3'));
      let managedConfigPath: string | null = null;
      if (kioskOptions.managedConfig != null) {
        managedConfigPath = join(dataDir, 'managed-config.json');
        writeFileSync(managedConfigPath, JSON.stringify(kioskOptions.managedConfig, null, 2));
      }

      const clock = new ManualClock();
      server = await startPreviewServer({ port: 0, dataDir, managedConfigPath, clock });
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
        form,
        serviceHosts: servers.map((service) => `127.0.0.1:${service.port}`),
        managedConfigPath,
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

/** The staff PIN the staff helpers choose on first start. */
export const STAFF_PIN = '2468';

/** The staff key chord of the test configuration (the default), on the physical S key. */
export const STAFF_KEY_CHORD = 'Control+Alt+Shift+KeyS';

/** The PIN pad, found by the test id the pad carries. */
export function pinPad(page: Page): Locator {
  return page.getByTestId('pin-pad');
}

/** Types a PIN on the pad's own keys and presses OK (texts of `language`, common.json staffEntry.*). */
export async function typePin(page: Page, pin: string, language: LanguageCode = 'fr'): Promise<void> {
  const pad = pinPad(page);
  for (const digit of pin) await pad.getByRole('button', { name: digit, exact: true }).click();
  await pad.getByRole('button', { name: text(language, 'staffEntry.ok'), exact: true }).click();
}

/**
 * Opens staff mode from the visitor screens with the key chord: on a kiosk without a PIN,
 * chooses `pin` and confirms it; otherwise types it. Resolves once the staff screen is up
 * (`html[data-screen=staff]`).
 */
export async function openStaffMode(page: Page, pin = STAFF_PIN, language: LanguageCode = 'fr'): Promise<void> {
  await page.keyboard.press(STAFF_KEY_CHORD);
  const pad = pinPad(page);
  await expect(pad).toBeVisible();
  if ((await pad.getAttribute('data-step')) === 'choose') {
    await typePin(page, pin, language);
    await expect(pad).toHaveAttribute('data-step', 'confirm');
  }
  await typePin(page, pin, language);
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'staff');
}
