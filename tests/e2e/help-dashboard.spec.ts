/**
 * The staff dashboard as a helper uses it, in Debian's Chromium, served by a real hub
 * (startHub on 127.0.0.1, a fresh data folder, the built dist/dashboard) under the hub's
 * Content-Security-Policy:
 *
 * 1. a phone pairs with a staff code typed in, another through the QR code's #pair= address;
 * 2. a visitor presses Help in the browser preview (a kiosk paired with the hub through
 *    its configuration); the dashboard shows the request with the kiosk's name; "I'm
 *    coming" turns the visitor's screen to "a helper is coming"; "Done" empties the queue;
 * 3. the queue against kiosks speaking the hub's API: order, waits, the kiosks' state,
 *    and answers the kiosk reads back;
 * 4. a device removed by a colleague goes back to the pairing screen;
 * 5. the statistics tab draws its charts and exports a file.
 *
 * Texts come from locales/fr/*.json (the browser speaks fr-BE), never copies.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startHub, type HubServer } from '../../electron/hub/hub-server';
import type { PreviewServer } from '../../electron/preview/preview-server';
import { HUB_API_PREFIX, type PairingClaimResponse } from '../../shared/hub-api';
import { rollUpDay } from '../../shared/statistics/daily-figures';
import { htmlPage, startLoopbackServer, testConfig, writeConfigFile, type LoopbackServer } from '../electron/preview/loopback-http';
import { localDayOf } from '../../renderer/statistics/periods';
import { escapeRegExp, text } from './support/locales';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const DASHBOARD_DIR = join(repositoryRoot, 'dist', 'dashboard');
const KIOSK_NAME = 'PC 3';
const SITE = 'EPN test';

/** A text of locales/fr/dashboard.json, with {{placeholders}} filled in. */
function dash(key: string, values: Readonly<Record<string, string>> = {}): string {
  return text('fr', key, values, 'dashboard');
}

interface Hub {
  readonly server: HubServer;
  readonly dashboardUrl: string;
}

const test = base.extend<{ hub: Hub; pageProblems: string[] }>({
  // eslint-disable-next-line no-empty-pattern -- this fixture needs no other fixture
  hub: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epn-e2e-hub-'));
    const server = await startHub({ dataDir, host: '127.0.0.1', port: 0, role: 'epn', site: SITE, dashboardDir: DASHBOARD_DIR });
    try {
      await use({ server, dashboardUrl: `${server.url}/dashboard/` });
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  // Every page of these tests must run under the hub's strict Content-Security-Policy without a violation or an uncaught error.
  pageProblems: [
    // eslint-disable-next-line no-empty-pattern -- this fixture needs no other fixture
    async ({}, use) => {
      const problems: string[] = [];
      await use(problems);
      expect(problems, 'the pages reported problems').toEqual([]);
    },
    { auto: true },
  ],
});

function watchForProblems(page: Page, problems: string[]): Page {
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return page;
}

/** A fresh browser profile: a phone of its own, with its own localStorage. */
async function newPhone(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'fr-BE', hasTouch: true, isMobile: true });
  return watchForProblems(await context.newPage(), problems);
}

async function expectLive(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'dashboard');
  await expect(page.getByRole('status').filter({ hasText: dash('connection.live') })).toBeVisible();
}

/** Pairs a phone by typing the code as a helper might: lower case, without its dash. */
async function pairByTyping(page: Page, hub: Hub, name: string): Promise<void> {
  const issued = hub.server.issuePairingCode('staff');
  await page.goto(hub.dashboardUrl);
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'pairing');
  await page.getByRole('textbox', { name: dash('pairing.code') }).fill(issued.code.replace('-', '').toLowerCase());
  await page.getByRole('textbox', { name: dash('pairing.name') }).fill(name);
  await page.getByRole('button', { name: dash('pairing.join') }).click();
  await expectLive(page);
}

/** Opens the address a QR code carries and pairs there. */
async function pairByQrAddress(page: Page, address: string, name: string): Promise<void> {
  await page.goto(address);
  const codeField = page.getByRole('textbox', { name: dash('pairing.code') });
  await expect(codeField).toHaveValue(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  // The code is read once and taken out of the address, so it stays out of the history.
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.getByRole('textbox', { name: dash('pairing.name') })).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expectLive(page);
}

function tab(page: Page, key: string) {
  return page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(dash(key))}`) });
}

test('a phone pairs with a code typed in, another with the QR code shown on the dashboard', async ({ browser, hub, pageProblems }) => {
  const first = await newPhone(browser, pageProblems);
  await pairByTyping(first, hub, 'Téléphone accueil');
  await expect(first.getByRole('heading', { name: dash('queue.heading'), level: 2 })).toBeVisible();
  await expect(first.getByText(dash('queue.empty'))).toBeVisible();

  await tab(first, 'tabs.devices').click();
  await first.getByRole('button', { name: dash('devices.addPhone') }).click();
  const card = first.getByTestId('pairing-code');
  await expect(card.getByRole('img', { name: /QR/ })).toBeVisible();
  const code = (await card.getByTestId('pairing-code-value').textContent()) ?? '';
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(card.getByTestId('pair-address')).toHaveText(hub.dashboardUrl);

  const second = await newPhone(browser, pageProblems);
  await pairByQrAddress(second, `${hub.dashboardUrl}#pair=${code}`, 'Téléphone étage');
  const devices = hub.server.store.listDevices().map((device) => `${device.role}: ${device.name}`);
  expect(devices.sort()).toEqual(['staff: Téléphone accueil', 'staff: Téléphone étage']);

  // A staff code pairs one device only.
  const third = await newPhone(browser, pageProblems);
  await third.goto(`${hub.dashboardUrl}#pair=${code}`);
  await third.getByRole('textbox', { name: dash('pairing.name') }).fill('Téléphone de trop');
  await third.getByRole('button', { name: dash('pairing.join') }).click();
  await expect(third.getByRole('alert')).toHaveText(dash('pairing.problem.codeUsedUp'));
});

interface VisitorKiosk {
  readonly preview: PreviewServer;
  close(): Promise<void>;
}

/** The browser preview of a kiosk named PC 3, its help going to the hub, paired through its configuration. */
async function startVisitorKiosk(hub: Hub): Promise<VisitorKiosk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epn-e2e-kiosk-'));
  const services: LoopbackServer[] = [];
  const site = await startLoopbackServer(htmlPage('Tax page'));
  services.push(site);
  const config = testConfig(
    [{ id: 'tax-on-web', theme: 'administration', label: { fr: 'Impôts', nl: 'Belastingen', de: 'Steuern', en: 'Taxes', ar: 'الضرائب', tr: 'Vergiler', uk: 'Податки' }, startUrl: site.url('/') }],
    KIOSK_NAME,
  );
  const kioskCode = hub.server.issuePairingCode('kiosk').code;
  writeConfigFile(dataDir, { ...config, kiosk: { name: KIOSK_NAME, site: SITE }, help: { hub: { url: hub.server.url, pairingCode: kioskCode } } });
  // Loaded here, not at the top: the other tests of this file do not need the preview.
  const { startPreviewServer } = await import('../../electron/preview/preview-server');
  const preview = await startPreviewServer({ port: 0, dataDir, managedConfigPath: null });
  return {
    preview,
    async close() {
      await preview.close();
      await Promise.all(services.map((service) => service.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('a visitor\'s call reaches the dashboard; "I\'m coming" reaches the visitor; "Done" clears the queue', async ({ browser, page, hub, pageProblems }) => {
  const kiosk = await startVisitorKiosk(hub);
  try {
    const helper = await newPhone(browser, pageProblems);
    await pairByTyping(helper, hub, 'Téléphone accueil');
    watchForProblems(page, pageProblems);

    await page.goto(kiosk.preview.url);
    await expect(page.locator('html')).toHaveAttribute('data-screen', 'welcome');
    await page.getByRole('button', { name: /^Français/ }).click();
    await expect(page.locator('html')).toHaveAttribute('data-screen', 'launcher');
    await page.getByRole('button', { name: text('fr', 'toolbar.help'), exact: true }).click();
    await expect(page.getByText(text('fr', 'help.calledTitle')).first()).toBeVisible();

    // The helper's phone: the alert, and the request with the kiosk's name, the visitor's language.
    const alert = helper.getByTestId('new-request-alert');
    await expect(alert).toContainText(dash('alert.newRequest', { kiosk: KIOSK_NAME }));
    await expect(helper).toHaveTitle(dash('app.documentTitleWaiting', { count: '1' }));
    const request = helper.getByTestId('help-queue').getByRole('listitem').filter({ has: helper.getByRole('heading', { name: KIOSK_NAME }) });
    await expect(request).toContainText(dash('queue.waitingState'));
    await expect(request).toContainText('Français');
    await expect(request.getByTestId('waiting-time')).toContainText(dash('queue.waitingFor', { duration: '' }).trim());

    await request.getByRole('button', { name: dash('queue.coming') }).click();
    await expect(request).toContainText(dash('queue.acknowledgedState'));
    await expect(alert).toBeHidden();
    await expect(page.getByText(text('fr', 'help.comingTitle')).first()).toBeVisible();

    await request.getByRole('button', { name: dash('queue.done') }).click();
    await expect(helper.getByText(dash('queue.empty'))).toBeVisible();
    await expect(helper).toHaveTitle(dash('app.documentTitle'));

    await tab(helper, 'tabs.kiosks').click();
    const kioskCard = helper.getByTestId('kiosk-list').getByRole('listitem').filter({ has: helper.getByRole('heading', { name: KIOSK_NAME }) });
    await expect(kioskCard).toContainText(dash('kiosks.online'));
  } finally {
    await kiosk.close();
  }
});

/** A kiosk speaking the hub's API directly, as the kiosk's help client does. */
async function apiKiosk(hub: Hub, name: string) {
  const kioskId = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const call = async (path: string, token: string | null, body?: unknown) => {
    const response = await fetch(`${hub.server.url}${HUB_API_PREFIX}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const paired = (await call('/pairing', null, { code: hub.server.issuePairingCode('kiosk').code, name, kioskId })) as unknown as PairingClaimResponse;
  return {
    heartbeat: (activity: 'free' | 'in-session' | 'out-of-order') => call('/heartbeat', paired.token, { name, site: SITE, activity, appVersion: '0.1.0' }),
    askForHelp: async (delayMs: number) => {
      const clientRequestId = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
      const created = await call('/help-requests', paired.token, { clientRequestId, serviceId: 'my-minfin', language: 'nl', delayMs });
      return created.id as string;
    },
    request: (id: string) => call(`/help-requests/${id}`, paired.token),
  };
}

test('the queue follows the real hub: the longest waiting first, the kiosks\' state, answers the kiosk can read', async ({ browser, hub, pageProblems }) => {
  const helper = await newPhone(browser, pageProblems);
  await pairByTyping(helper, hub, 'Téléphone accueil');
  const five = await apiKiosk(hub, 'PC 5');
  const two = await apiKiosk(hub, 'PC 2');
  await five.heartbeat('in-session');
  await two.heartbeat('out-of-order');
  const recent = await two.askForHelp(0);
  // Pressed a minute and a half ago, delivered late: it has waited longest.
  const older = await five.askForHelp(90_000);

  const cards = helper.getByTestId('help-queue').getByRole('listitem');
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0).getByRole('heading')).toHaveText('PC 5');
  await expect(cards.nth(1).getByRole('heading')).toHaveText('PC 2');
  await expect(cards.nth(0)).toContainText('Nederlands');
  await expect(cards.nth(0)).toContainText('My minfin');
  await expect(cards.nth(0).getByTestId('waiting-time')).toContainText(/1\s*min/);
  await expect(helper.getByTestId('new-request-alert')).toContainText(dash('alert.newRequests_other', { count: '2' }));

  await cards.nth(1).getByRole('button', { name: dash('queue.coming') }).click();
  await expect(cards.nth(1)).toContainText(dash('queue.acknowledgedState'));
  expect((await two.request(recent)).state).toBe('acknowledged');
  await cards.nth(0).getByRole('button', { name: dash('queue.done') }).click();
  await expect(cards).toHaveCount(1);
  expect((await five.request(older)).state).toBe('resolved');

  await tab(helper, 'tabs.kiosks').click();
  const kiosks = helper.getByTestId('kiosk-list').getByRole('listitem');
  await expect(kiosks.nth(0)).toContainText('PC 2');
  await expect(kiosks.nth(0)).toContainText(dash('kiosks.outOfOrder'));
  await expect(kiosks.nth(1)).toContainText(dash('kiosks.inSession'));
});

test('a device removed by a colleague goes back to the pairing screen and says why', async ({ browser, hub, pageProblems }) => {
  const lost = await newPhone(browser, pageProblems);
  await pairByTyping(lost, hub, 'Téléphone perdu');
  const colleague = await newPhone(browser, pageProblems);
  await pairByTyping(colleague, hub, 'Téléphone accueil');

  await tab(colleague, 'tabs.devices').click();
  const device = colleague.getByRole('listitem').filter({ has: colleague.getByRole('heading', { name: 'Téléphone perdu' }) });
  await device.getByRole('button', { name: new RegExp(escapeRegExp(dash('devices.remove'))) }).click();
  await device.getByRole('button', { name: dash('devices.removeConfirm') }).click();
  await expect(colleague.getByText(dash('devices.removed', { name: 'Téléphone perdu' }))).toBeVisible();

  await expect(lost.locator('html')).toHaveAttribute('data-screen', 'pairing');
  await expect(lost.getByText(dash('pairing.revoked'))).toBeVisible();
  // Reloading does not bring the old credential back.
  await lost.reload();
  await expect(lost.locator('html')).toHaveAttribute('data-screen', 'pairing');
});

test('the statistics tab draws the site\'s figures and exports them', async ({ browser, hub, pageProblems }) => {
  // One kiosk's day, uploaded as a paired kiosk does.
  const kioskCode = hub.server.issuePairingCode('kiosk').code;
  const kioskId = 'ab'.repeat(16);
  const pairing = await fetch(`${hub.server.url}${HUB_API_PREFIX}/pairing`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: kioskCode, name: KIOSK_NAME, kioskId }),
  });
  expect(pairing.status).toBe(201);
  const { token } = (await pairing.json()) as PairingClaimResponse;
  const today = localDayOf(new Date());
  let minute = 29_000_000;
  const events = [1, 2, 3, 4, 5].flatMap((index) => [
    { day: today, minute: (minute += 1), sessionKey: `s${index}`, event: { type: 'session-started' as const, language: 'fr' as const } },
    { day: today, minute: (minute += 1), sessionKey: `s${index}`, event: { type: 'session-ended' as const, reason: 'visitor' as const, durationSeconds: 600 } },
  ]);
  const upload = await fetch(`${hub.server.url}${HUB_API_PREFIX}/statistics/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ kioskId, kiosk: { name: KIOSK_NAME, site: SITE }, days: [rollUpDay(today, events)] }),
  });
  expect(upload.status).toBe(200);

  const staffPc = watchForProblems(await (await browser.newContext({ locale: 'fr-BE', acceptDownloads: true })).newPage(), pageProblems);
  await pairByTyping(staffPc, hub, 'PC du personnel');
  await tab(staffPc, 'tabs.statistics').click();
  await expect(staffPc.locator('[data-state]').first()).toHaveAttribute('data-state', 'ready');
  await expect(staffPc.getByTestId('key-sessions')).toContainText('5');
  const chart = staffPc.getByTestId('chart-sessions');
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(chart.getByRole('row')).toHaveCount(8);

  const download = staffPc.waitForEvent('download');
  await staffPc.getByRole('button', { name: dash('statistics.exportCsv') }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^epn-hub-epn-test-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const content = readFileSync((await file.path())!, 'utf8');
  expect(content).toContain(kioskId);
});
