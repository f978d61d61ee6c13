/**
 * The visitor's side of a call for help, in the browser preview with its real help
 * service: with no help channel the visitor is asked to find a helper in the room (the
 * kiosk's own words, or the configuration's with a help line's number); with an EPN hub
 * that cannot be reached the visitor is told so honestly, shown the fallback and the
 * number, and can cancel. The whole flow with a hub and a helper's dashboard ("a helper
 * is coming") has its own end-to-end test.
 */
import { createServer } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import type { LanguageCode } from '../../shared/languages';
import { expect, languageButton, test, tile, type Kiosk } from './fixtures';
import { text } from './support/locales';

const PHONE = '+32 81 24 00 00';
const FALLBACK_MESSAGE = { fr: 'Levez la main : Julie, l’animatrice, va venir.', nl: 'Steek uw hand op: Julie, de begeleider, komt naar u toe.' };

function html(page: Page): Locator {
  return page.locator('html');
}

/** A loopback port nothing listens on: the port of a server that was just closed. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port for the probe server');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** Writes help settings with the help line into the test's configuration and waits until the preview runs on them. */
async function configureHelp(kiosk: Kiosk, help: { hub?: { url: string; pairingCode?: string }; fallback: { message?: Record<string, string>; phone: string } }): Promise<void> {
  kiosk.writeConfig({ ...kiosk.configFor(kiosk.services, 'PC 3'), help });
  await expect.poll(() => kiosk.server.configStore.current().help.fallback.phone).toBe(help.fallback.phone);
}

async function startVisit(page: Page, kiosk: Kiosk, language: LanguageCode): Promise<void> {
  await kiosk.openWelcome(page);
  await languageButton(page, language).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(page.getByRole('heading', { level: 1, name: text(language, 'launcher.title') })).toBeVisible();
}

function toolbarHelp(page: Page, language: LanguageCode): Locator {
  return page.getByRole('toolbar').getByRole('button', { name: text(language, 'toolbar.help'), exact: true });
}

function topBarHelp(page: Page, language: LanguageCode): Locator {
  return page.getByRole('navigation', { name: text(language, 'launcher.topBarLabel') }).getByRole('button', { name: text(language, 'toolbar.help'), exact: true });
}

test('no help channel: the visitor is asked to find a helper in the room, in their language', async ({ page, kiosk }) => {
  await startVisit(page, kiosk, 'nl');
  await tile(page, kiosk.frameable, 'nl').click();
  await expect(html(page)).toHaveAttribute('data-screen', 'service');

  await toolbarHelp(page, 'nl').click();
  const dialog = page.getByRole('dialog', { name: text('nl', 'help.noChannelTitle') });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(text('nl', 'help.noChannelMessage'));
  await expect(dialog).toContainText(text('nl', 'help.fallbackMessage'));
  // Nothing is being tried, so nothing is promised and nothing can be cancelled.
  await expect(dialog).not.toContainText(text('nl', 'help.unreachableMessage'));
  await expect(dialog.getByRole('button', { name: text('nl', 'help.cancel') })).toHaveCount(0);
  await expect(dialog.getByTestId('help-phone')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: text('nl', 'help.close') })).toBeFocused();

  await dialog.getByRole('button', { name: text('nl', 'help.close') }).click();
  await expect(dialog).toBeHidden();
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  await expect(toolbarHelp(page, 'nl')).toBeFocused();
  await expect(page.getByTestId('help-banner')).toHaveCount(0);
});

test('no help channel, with the configured words and help line', async ({ page, kiosk }) => {
  await configureHelp(kiosk, { fallback: { message: FALLBACK_MESSAGE, phone: PHONE } });
  await startVisit(page, kiosk, 'nl');

  await topBarHelp(page, 'nl').click();
  const dialog = page.getByRole('dialog', { name: text('nl', 'help.noChannelTitle') });
  await expect(dialog).toContainText(FALLBACK_MESSAGE.nl);
  await expect(dialog).not.toContainText(text('nl', 'help.fallbackMessage'));
  await expect(dialog).toContainText(text('nl', 'help.phoneLabel'));
  await expect(dialog.getByTestId('help-phone')).toHaveText(PHONE);
  // Plain text, big: nothing that leads out of the kiosk.
  await expect(dialog.locator('a')).toHaveCount(0);
});

test('the hub cannot be reached: told honestly, with the help line, and Cancel returns to the launcher', async ({ page, kiosk }) => {
  const port = await closedLoopbackPort();
  await configureHelp(kiosk, { hub: { url: `http://127.0.0.1:${port}`, pairingCode: 'K7QM-RXHP' }, fallback: { phone: PHONE } });
  await startVisit(page, kiosk, 'en');

  await topBarHelp(page, 'en').click();
  const dialog = page.getByRole('alertdialog', { name: text('en', 'help.unreachableTitle') });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(text('en', 'help.unreachableMessage'));
  await expect(dialog).toContainText(text('en', 'help.fallbackMessage'));
  await expect(dialog).toContainText(text('en', 'help.phoneLabel'));
  await expect(dialog.getByTestId('help-phone')).toHaveText(PHONE);
  await expect(dialog.getByRole('status')).toContainText(text('en', 'help.unreachableTitle'));

  // Closing keeps the call: the screen says it is open, and Help shows it again.
  await dialog.getByRole('button', { name: text('en', 'help.close') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('help-banner').getByRole('status')).toHaveText(text('en', 'help.unreachableTitle'));
  await topBarHelp(page, 'en').click();
  await expect(dialog).toBeVisible();

  await dialog.getByRole('button', { name: text('en', 'help.cancel') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('help-banner')).toHaveCount(0);
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(page.getByRole('heading', { level: 1, name: text('en', 'launcher.title') })).toBeVisible();
  await expect(topBarHelp(page, 'en')).toBeFocused();
});
