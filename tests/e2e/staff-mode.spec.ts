/**
 * Staff mode in the browser preview, over the real staff mode (PIN file, throttle),
 * configuration store and editor: the first PIN chosen after the key chord, the corner
 * taps, wrong PINs until the pad locks, a managed key shown locked, a broken file refused
 * with its problems, a saved setting applied without a restart, and staff mode closing
 * by itself (the preview's ManualClock).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openStaffMode, pinPad, STAFF_KEY_CHORD, STAFF_PIN, test, typePin } from './fixtures';
import { staffText, text } from './support/locales';

const LANGUAGE = 'fr';

function html(page: Page): Locator {
  return page.locator('html');
}

function field(page: Page, path: string): Locator {
  return page.locator(`[data-field="${path}"]`);
}

async function tab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: staffText(LANGUAGE, `tabs.${name}`) }).click();
}

async function closeStaffMode(page: Page): Promise<void> {
  await page.getByRole('button', { name: staffText(LANGUAGE, 'close') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
}

test('first start: the key chord asks for a new PIN; then five taps in the corner and the PIN open staff mode', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await expect(pinPad(page)).toHaveCount(0);

  await page.keyboard.press(STAFF_KEY_CHORD);
  await expect(pinPad(page).getByRole('heading', { name: text(LANGUAGE, 'staffEntry.choosePin') })).toBeVisible();
  await typePin(page, STAFF_PIN);
  await expect(pinPad(page).getByRole('heading', { name: text(LANGUAGE, 'staffEntry.confirmPin') })).toBeVisible();
  await typePin(page, STAFF_PIN);
  await expect(html(page)).toHaveAttribute('data-screen', 'staff');
  await expect(page.getByRole('heading', { level: 1, name: staffText(LANGUAGE, 'title') })).toBeVisible();
  await closeStaffMode(page);

  // Four taps do nothing; the fifth within three seconds opens the pad, now asking for the PIN.
  for (let tap = 0; tap < 4; tap += 1) await page.mouse.click(10, 10);
  await expect(pinPad(page)).toHaveCount(0);
  await page.mouse.click(10, 10);
  await expect(pinPad(page).getByRole('heading', { name: text(LANGUAGE, 'staffEntry.enterPin') })).toBeVisible();
  await typePin(page, STAFF_PIN);
  await expect(html(page)).toHaveAttribute('data-screen', 'staff');
});

test('wrong PINs are counted, then the pad is locked and refuses until the wait is over', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await openStaffMode(page);
  await closeStaffMode(page);

  await page.keyboard.press(STAFF_KEY_CHORD);
  const pad = pinPad(page);
  await expect(pad).toHaveAttribute('data-step', 'enter');
  await typePin(page, '0000');
  await expect(pad.getByRole('alert')).toHaveText(text(LANGUAGE, 'staffEntry.wrongPin_one', { count: '1' }));
  for (let attempt = 2; attempt <= 3; attempt += 1) {
    await typePin(page, '0000');
    await expect(pad.getByRole('alert')).toHaveText(text(LANGUAGE, 'staffEntry.wrongPin_other', { count: String(attempt) }));
  }
  await typePin(page, '0000');
  await expect(pad).toHaveAttribute('data-locked', 'true');
  await expect(pad.getByRole('timer')).toHaveText(text(LANGUAGE, 'staffEntry.throttled', { time: '0:30' }));
  await expect(pad.getByRole('button', { name: '5', exact: true })).toBeDisabled();
  await expect(pad.getByRole('button', { name: text(LANGUAGE, 'staffEntry.ok'), exact: true })).toBeDisabled();
  // Even the right PIN asked directly is refused while locked.
  const refused = await page.request.post(`${kiosk.url}api/contract/${encodeURIComponent('staff:open')}`, { data: { argument: { pin: STAFF_PIN } } });
  expect(await refused.json()).toMatchObject({ ok: true, value: { ok: false, reason: 'throttled' } });

  await kiosk.advance(30_000);
  await expect(pad).not.toHaveAttribute('data-locked', 'true');
  await typePin(page, STAFF_PIN);
  await expect(html(page)).toHaveAttribute('data-screen', 'staff');
});

test.describe('with a managed configuration file', () => {
  test.use({ kioskOptions: { withFormService: false, managedConfig: { kiosk: { site: 'Ville de Namur' } } } });

  test('a key the managed file sets is shown locked with the note and cannot be changed', async ({ page, kiosk }) => {
    await kiosk.openWelcome(page);
    await openStaffMode(page);
    await tab(page, 'settings');
    const site = field(page, 'kiosk.site');
    await expect(site.getByLabel(staffText(LANGUAGE, 'settings.kiosk.site'))).toBeDisabled();
    await expect(site.getByLabel(staffText(LANGUAGE, 'settings.kiosk.site'))).toHaveValue('Ville de Namur');
    await expect(site.getByText(staffText(LANGUAGE, 'locked'))).toBeVisible();
    await expect(field(page, 'kiosk.name').getByLabel(staffText(LANGUAGE, 'settings.kiosk.name'))).toBeEnabled();
  });
});

test('a broken configuration file is refused with its problems listed, and the settings stay as they were', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await openStaffMode(page);
  await tab(page, 'file');
  const broken = JSON.stringify({ schemaVersion: 1, kiosk: { name: '' }, languages: { offered: ['fr'], default: 'xx' }, themes: [], services: [] });
  await page.getByLabel(staffText(LANGUAGE, 'file.choose')).setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  const problems = page.getByTestId('import-problems');
  await expect(problems).toBeVisible();
  await expect(problems).toContainText(staffText(LANGUAGE, 'file.refused', { fileName: 'broken.json' }));
  await expect(problems.getByRole('listitem').filter({ hasText: /^kiosk\.name: / })).toHaveCount(1);
  await expect(problems.getByRole('listitem').filter({ hasText: /^languages\.default: / })).toHaveCount(1);
  await expect(page.getByTestId('unsaved-note')).toHaveText(staffText(LANGUAGE, 'allSaved'));

  await tab(page, 'settings');
  await expect(field(page, 'kiosk.name').getByRole('textbox')).toHaveValue('PC 3');
});

test('a saved setting applies at once, without a restart', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await openStaffMode(page);
  await tab(page, 'settings');
  const idle = field(page, 'session.idleTimeoutSeconds').getByRole('spinbutton');
  await idle.fill('60');
  await expect(page.getByTestId('unsaved-note')).toHaveText(staffText(LANGUAGE, 'unsaved'));
  await page.getByRole('button', { name: staffText(LANGUAGE, 'save'), exact: true }).click();
  await expect(page.getByText(staffText(LANGUAGE, 'saved'))).toBeVisible();
  await closeStaffMode(page);

  // A visitor now gets the warning after 60 s without input (no restart of the preview).
  await page.getByRole('button', { name: /^English/ }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await kiosk.advance(59_999);
  await expect(html(page)).toHaveAttribute('data-session-phase', 'active');
  await kiosk.advance(1);
  await expect(html(page)).toHaveAttribute('data-session-phase', 'idle-warning');
});

test('staff mode closes by itself after minutes without input, back to the welcome screen', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await openStaffMode(page);
  await tab(page, 'settings');
  await field(page, 'kiosk.name').getByRole('textbox').fill('Jamais enregistré');
  // The default: 5 minutes.
  await kiosk.advance(5 * 60_000);
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
  await expect(page.getByRole('tab')).toHaveCount(0);
  const status = await page.request.post(`${kiosk.url}api/contract/${encodeURIComponent('staff:status')}`, { data: {} });
  expect(await status.json()).toMatchObject({ ok: true, value: { open: false } });
});
