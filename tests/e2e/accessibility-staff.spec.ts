/**
 * WCAG 2.2 AA on the staff side, checked by axe-core (tests/e2e/support/axe.ts) in every
 * state staff and helpers meet, with zero violations: the PIN pad (first PIN, PIN entry,
 * a wrong PIN, locked), each tab of the staff screen (tiles with the tile form and the
 * visitor preview, settings, statistics empty and with figures, configuration file with a
 * refused file, change log, PIN change), and the helpers' dashboard served by a real hub
 * (pairing, a waiting call, kiosks, devices with a pairing code and its QR code,
 * statistics). Also: the staff screen and the dashboard work by keyboard alone, each
 * control showing where the focus is.
 *
 * Screen names are the file names of test-results/axe/<name>.json: "staff-…" and
 * "dashboard-…", used once each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Browser, type Locator, type Page } from '@playwright/test';
import { startHub, type HubServer } from '../../electron/hub/hub-server';
import { HUB_API_PREFIX, type PairingClaimResponse } from '../../shared/hub-api';
import type { LanguageCode } from '../../shared/languages';
import { rollUpDay } from '../../shared/statistics/daily-figures';
import { localDayOf } from '../../renderer/statistics/periods';
import { expectNoAxeViolations } from './support/axe';
import { expect, languageButton, pinPad, STAFF_KEY_CHORD, STAFF_PIN, test, tile, typePin } from './fixtures';
import { escapeRegExp, staffText, statsText, text } from './support/locales';

const LANGUAGE: LanguageCode = 'fr';

const tiles = (key: string, values: Readonly<Record<string, string>> = {}) => text(LANGUAGE, key, values, 'tiles');
const dash = (key: string, values: Readonly<Record<string, string>> = {}) => text(LANGUAGE, key, values, 'dashboard');

function html(page: Page): Locator {
  return page.locator('html');
}

async function staffTab(page: Page, name: string): Promise<Locator> {
  await page.getByRole('tab', { name: staffText(LANGUAGE, `tabs.${name}`) }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel).toHaveAttribute('data-tab', name);
  return panel;
}

/**
 * Presses Tab `presses` times from where the focus is and checks that each control it lands
 * on shows a focus indicator (an outline or a ring drawn with box-shadow) and is not hidden
 * under a sticky bar (WCAG 2.4.7 and 2.4.11). Returns what was focused, in order, to check that the expected controls are reached.
 */
async function tabThrough(page: Page, presses: number): Promise<string[]> {
  const reached: string[] = [];
  for (let press = 0; press < presses; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      if (!(element instanceof HTMLElement) || element === document.body) return null;
      const style = getComputedStyle(element);
      // Chromium keeps a date field's focus in its day, month and year parts and highlights the part itself.
      const dateField = element instanceof HTMLInputElement && element.type === 'date';
      const outline = dateField || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2);
      const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
      // A checkbox or radio hidden behind its label shows its focus on the label.
      const label = element.id === '' ? null : document.querySelector<HTMLElement>(`label[for="${CSS.escape(element.id)}"]`);
      const labelRing = label !== null && getComputedStyle(label).boxShadow !== 'none';
      // Not hidden under a sticky bar: what is drawn at the middle of the control is the control (or its label).
      const shown = label ?? element;
      const box = shown.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      const unobscured = hit !== null && (shown.contains(hit) || hit.contains(shown) || element.contains(hit));
      const name = element.getAttribute('aria-label') ?? (element.textContent?.trim() || label?.textContent?.trim() || element.closest('label')?.textContent?.trim() || element.getAttribute('type') || '');
      return { description: `${element.tagName.toLowerCase()}${element.getAttribute('role') === null ? '' : `[role=${element.getAttribute('role')}]`} "${name.slice(0, 40)}"`, visible: outline || ring || labelRing, unobscured };
    });
    if (focused === null) continue;
    expect(focused.visible, `no visible focus on ${focused.description}`).toBe(true);
    expect(focused.unobscured, `${focused.description} is hidden under something else`).toBe(true);
    reached.push(focused.description);
  }
  return reached;
}

test('the PIN pad: the first PIN, the PIN typed on the keyboard, a wrong PIN and the locked pad', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await page.keyboard.press(STAFF_KEY_CHORD);
  const pad = pinPad(page);
  await expect(pad).toHaveAttribute('data-step', 'choose');
  await expectNoAxeViolations(page, 'staff-pin-choose', 'staff');

  // The keyboard's digits, Enter on the pad itself.
  await page.keyboard.type(STAFF_PIN);
  // The dots say how many digits were typed.
  await expect(pad.getByRole('status').first()).toHaveAccessibleName(text(LANGUAGE, 'staffEntry.digits_other', { count: STAFF_PIN.length }));
  await pad.getByRole('button', { name: text(LANGUAGE, 'staffEntry.ok'), exact: true }).press('Enter');
  await expect(pad).toHaveAttribute('data-step', 'confirm');
  await expectNoAxeViolations(page, 'staff-pin-confirm', 'staff');
  await typePin(page, STAFF_PIN);
  await expect(html(page)).toHaveAttribute('data-screen', 'staff');
  await page.getByRole('button', { name: staffText(LANGUAGE, 'close') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');

  await page.keyboard.press(STAFF_KEY_CHORD);
  await expect(pad).toHaveAttribute('data-step', 'enter');
  await expectNoAxeViolations(page, 'staff-pin-entry', 'staff');
  await typePin(page, '0000');
  await expect(pad.getByRole('alert')).toHaveText(text(LANGUAGE, 'staffEntry.wrongPin_one', { count: 1 }));
  await expectNoAxeViolations(page, 'staff-pin-wrong', 'staff');
  for (let attempt = 2; attempt <= 4; attempt += 1) await typePin(page, '0000');
  await expect(pad).toHaveAttribute('data-locked', 'true');
  await expectNoAxeViolations(page, 'staff-pin-throttled', 'staff');
});

test('every tab of the staff screen, the tile form and the visitor preview', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await page.keyboard.press(STAFF_KEY_CHORD);
  const pad = pinPad(page);
  await expect(pad).toHaveAttribute('data-step', 'choose');
  // The whole way in by keyboard: digits, then Enter while the focus is on no key.
  for (const step of ['choose', 'confirm']) {
    await expect(pad).toHaveAttribute('data-step', step);
    await page.keyboard.type(STAFF_PIN);
    await pad.getByRole('button', { name: text(LANGUAGE, 'staffEntry.ok'), exact: true }).focus();
    await page.keyboard.press('Enter');
  }
  await expect(html(page)).toHaveAttribute('data-screen', 'staff');

  const tilesPanel = page.getByRole('tabpanel');
  await expect(tilesPanel).toHaveAttribute('data-tab', 'tiles');
  await expect(tilesPanel.getByRole('list', { name: tiles('listLabel') }).getByRole('listitem')).toHaveCount(kiosk.services.length);
  await expectNoAxeViolations(page, 'staff-tiles', 'staff');

  // Keyboard: from the tab list, every control of the tiles tab is reached with a visible focus.
  await page.getByRole('tab', { name: staffText(LANGUAGE, 'tabs.tiles') }).focus();
  const reached = await tabThrough(page, 12);
  expect(reached.some((name) => name.includes(staffText(LANGUAGE, 'tiles.preview')))).toBe(true);

  await page.getByRole('button', { name: tiles('add'), exact: true }).click();
  await expect(page.getByRole('heading', { name: tiles('form.addTitle') })).toBeFocused();
  await page.getByRole('button', { name: tiles('form.save') }).click();
  await expect(page.getByRole('alert').filter({ hasText: tiles('form.invalid') })).toBeFocused();
  await expectNoAxeViolations(page, 'staff-tile-form', 'staff');
  await page.getByRole('button', { name: tiles('form.cancel'), exact: true }).click();

  await page.getByRole('button', { name: staffText(LANGUAGE, 'tiles.preview') }).click();
  const preview = page.getByRole('dialog', { name: tiles('preview.banner') });
  await expect(preview.locator('button[data-service-id]')).toHaveCount(kiosk.services.length);
  await expectNoAxeViolations(page, 'staff-tiles-preview', 'staff');
  await page.keyboard.press('Escape');
  await expect(preview).toBeHidden();

  const settings = await staffTab(page, 'settings');
  await expect(settings.locator('[data-field="kiosk.name"]').getByRole('textbox')).toHaveValue('PC 3');
  await expectNoAxeViolations(page, 'staff-settings', 'staff');
  await settings.locator('[data-field="kiosk.name"]').getByRole('textbox').focus();
  await tabThrough(page, 15);
  // A saved change, for the change log below.
  await settings.locator('[data-field="kiosk.name"]').getByRole('textbox').fill('PC 3 accueil');
  await page.getByRole('button', { name: staffText(LANGUAGE, 'save'), exact: true }).click();
  await expect(page.getByText(staffText(LANGUAGE, 'saved'))).toBeVisible();
  await expectNoAxeViolations(page, 'staff-settings-saved', 'staff');

  const file = await staffTab(page, 'file');
  const broken = JSON.stringify({ schemaVersion: 1, kiosk: { name: '' }, languages: { offered: ['fr'], default: 'xx' }, themes: [], services: [] });
  await file.getByLabel(staffText(LANGUAGE, 'file.choose')).setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await expect(page.getByTestId('import-problems')).toBeVisible();
  await expectNoAxeViolations(page, 'staff-config-file-error', 'staff');
  await page.getByRole('tab', { name: staffText(LANGUAGE, 'tabs.file') }).focus();
  await tabThrough(page, 4);

  const changeLog = await staffTab(page, 'changeLog');
  await expect(changeLog.locator('[data-state="ready"]').getByRole('row')).toHaveCount(2);
  await expectNoAxeViolations(page, 'staff-change-log', 'staff');

  const pin = await staffTab(page, 'pin');
  await expect(pin.getByLabel(staffText(LANGUAGE, 'pin.current'))).toBeVisible();
  await expectNoAxeViolations(page, 'staff-pin-change', 'staff');
  await page.getByRole('tab', { name: staffText(LANGUAGE, 'tabs.pin') }).focus();
  const pinControls = await tabThrough(page, 6);
  expect(pinControls.filter((name) => name.startsWith('input'))).toHaveLength(3);

  await page.getByRole('tab', { name: staffText(LANGUAGE, 'tabs.statistics') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'statistics');
  await expect(page.locator('.stats-figures')).toHaveAttribute('data-state', /^(ready|empty)$/);
  await expectNoAxeViolations(page, 'staff-statistics-empty', 'staff');
});

test('the statistics tab with a visitor\'s figures', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await languageButton(page, 'nl').click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await tile(page, kiosk.frameable, 'nl').click();
  await expect(page.frameLocator('iframe').getByRole('heading', { name: kiosk.frameable.heading })).toBeVisible();
  await page.getByRole('toolbar').getByRole('button', { name: text('nl', 'toolbar.endSession'), exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: text('nl', 'endSession.confirm') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'erased');
  await kiosk.advance(kiosk.timings.erasedMs);
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');

  await page.keyboard.press(STAFF_KEY_CHORD);
  await typePin(page, STAFF_PIN);
  await typePin(page, STAFF_PIN);
  await page.getByRole('tab', { name: staffText(LANGUAGE, 'tabs.statistics') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'statistics');
  const day = (offsetDays: number) => new Date(kiosk.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  await page.getByRole('radio', { name: statsText(LANGUAGE, 'period.custom') }).check();
  await page.getByLabel(statsText(LANGUAGE, 'period.from')).fill(day(-1));
  await page.getByLabel(statsText(LANGUAGE, 'period.to')).fill(day(1));
  await expect(page.locator('.stats-figures')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('key-sessions').getByRole('definition')).toHaveText('1');
  await expectNoAxeViolations(page, 'staff-statistics', 'staff');
  await page.getByRole('tab', { name: staffText(LANGUAGE, 'tabs.statistics') }).focus();
  const statisticsControls = await tabThrough(page, 14);
  expect(statisticsControls.some((name) => name.includes(statsText(LANGUAGE, 'export.csv')))).toBe(true);
});

// ---------------------------------------------------------------------------------------
// The helpers' dashboard, served by a real hub.

const DASHBOARD_DIR = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'dashboard');
const SITE = 'EPN test';

const hubTest = base.extend<{ hub: HubServer }>({
  // eslint-disable-next-line no-empty-pattern -- this fixture needs no other fixture
  hub: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epn-e2e-hub-'));
    const server = await startHub({ dataDir, host: '127.0.0.1', port: 0, role: 'epn', site: SITE, dashboardDir: DASHBOARD_DIR });
    try {
      await use(server);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

async function hubCall(hub: HubServer, path: string, token: string | null, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

/** A kiosk named `name` paired with the hub, in a session, one day of figures sent, a visitor waiting for help. */
async function kioskWaitingForHelp(hub: HubServer, name: string): Promise<void> {
  const kioskId = 'cd'.repeat(16);
  const { token } = (await hubCall(hub, '/pairing', null, { code: hub.issuePairingCode('kiosk').code, name, kioskId })) as unknown as PairingClaimResponse;
  await hubCall(hub, '/heartbeat', token, { name, site: SITE, activity: 'in-session', appVersion: '0.1.0' });
  const today = localDayOf(new Date());
  let minute = 29_000_000;
  const events = [1, 2, 3, 4].flatMap((index) => [
    { day: today, minute: (minute += 1), sessionKey: `s${index}`, event: { type: 'session-started' as const, language: 'nl' as const } },
    { day: today, minute: (minute += 1), sessionKey: `s${index}`, event: { type: 'session-ended' as const, reason: 'visitor' as const, durationSeconds: 420 } },
  ]);
  await hubCall(hub, '/statistics/uploads', token, { kioskId, kiosk: { name, site: SITE }, days: [rollUpDay(today, events)] });
  await hubCall(hub, '/help-requests', token, { clientRequestId: 'ef'.repeat(16), serviceId: 'my-minfin', language: 'nl', delayMs: 65_000 });
}

/** The staff PC's browser; `problems` collects what the page reports under the hub's strict Content-Security-Policy. */
async function staffComputer(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-BE', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return page;
}

function dashboardTab(page: Page, key: string): Locator {
  return page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(dash(key))}`) });
}

hubTest('the dashboard: pairing, a waiting call, the kiosks, a pairing code with its QR code, the statistics', async ({ browser, hub }) => {
  await kioskWaitingForHelp(hub, 'PC 5');
  const problems: string[] = [];
  const page = await staffComputer(browser, problems);
  await page.goto(`${hub.url}/dashboard/`);
  await expect(html(page)).toHaveAttribute('data-screen', 'pairing');
  await expectNoAxeViolations(page, 'dashboard-pairing', 'staff');

  // Paired by keyboard alone.
  await page.getByRole('textbox', { name: dash('pairing.code') }).focus();
  await page.keyboard.type(hub.issuePairingCode('staff').code);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: dash('pairing.name') })).toBeFocused();
  await page.keyboard.type('PC du personnel');
  await page.keyboard.press('Enter');
  await expect(html(page)).toHaveAttribute('data-screen', 'dashboard');

  const request = page.getByTestId('help-queue').getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'PC 5' }) });
  await expect(request).toContainText(dash('queue.waitingState'));
  await expectNoAxeViolations(page, 'dashboard-queue', 'staff');
  await page.getByRole('tab', { selected: true }).focus();
  const reached = await tabThrough(page, 8);
  expect(reached.some((name) => name.includes(dash('queue.coming')))).toBe(true);

  await dashboardTab(page, 'tabs.kiosks').click();
  await expect(page.getByTestId('kiosk-list').getByRole('listitem')).toHaveCount(1);
  await expectNoAxeViolations(page, 'dashboard-kiosks', 'staff');

  await dashboardTab(page, 'tabs.devices').click();
  await page.getByRole('button', { name: dash('devices.addPhone') }).click();
  const card = page.getByTestId('pairing-code');
  await expect(card.getByRole('img', { name: /QR/ })).toBeVisible();
  await expectNoAxeViolations(page, 'dashboard-devices', 'staff');

  await dashboardTab(page, 'tabs.statistics').click();
  await expect(page.locator('[data-state]').first()).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('key-sessions')).toContainText('4');
  await expectNoAxeViolations(page, 'dashboard-statistics', 'staff');
  expect(problems, 'the dashboard reported problems').toEqual([]);
});
