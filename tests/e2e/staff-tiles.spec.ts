/**
 * Staff add a tile and move it to the first place in the tiles editor, look at the unsaved
 * draft as a visitor, save, close staff mode; the next visitor finds the new tile first.
 * Against the browser preview; the staff screen speaks the kiosk's default language (French).
 */
import type { Page } from '@playwright/test';
import type { LanguageCode } from '../../shared/languages';
import { expect, languageButton, test } from './fixtures';
import { text } from './support/locales';

const LANGUAGE: LanguageCode = 'fr';
const PIN = '2468';
const NEW_TILE = { id: 'mon-cpas', label: 'Mon CPAS', startUrl: 'https://www.cpas-exemple.be/rendez-vous', host: 'www.cpas-exemple.be' };

/* The staff screen's namespaces are read from their own files, like the visitor's texts. */
const tiles = (key: string, values: Readonly<Record<string, string>> = {}) => text(LANGUAGE, key, values, 'tiles');
const staff = (key: string) => text(LANGUAGE, key, {}, 'staff');
const languageName = (code: LanguageCode) => new Intl.DisplayNames([LANGUAGE], { type: 'language' }).of(code) ?? code;

async function openStaffModeWithNewPin(page: Page): Promise<void> {
  await page.keyboard.press('Control+Alt+Shift+S');
  const pad = page.getByTestId('pin-pad');
  await expect(pad).toHaveAttribute('data-step', 'choose');
  // The pad's own buttons: Enter would press the focused digit key.
  const ok = pad.getByRole('button', { name: text(LANGUAGE, 'staffEntry.ok'), exact: true });
  await page.keyboard.type(PIN);
  await ok.click();
  await expect(pad).toHaveAttribute('data-step', 'confirm');
  await page.keyboard.type(PIN);
  await ok.click();
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'staff');
}

test('staff add a tile, move it first and see it as a visitor, then the next visitor finds it first', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await openStaffModeWithNewPin(page);

  const list = page.getByRole('list', { name: tiles('listLabel') });
  await expect(list.getByRole('listitem')).toHaveCount(kiosk.services.length);

  await page.getByRole('button', { name: tiles('add'), exact: true }).click();
  await expect(page.getByRole('heading', { name: tiles('form.addTitle') })).toBeFocused();
  await page.getByLabel(tiles('form.labelIn', { language: languageName('fr') }), { exact: true }).fill(NEW_TILE.label);
  await expect(page.getByLabel(tiles('form.id'), { exact: true })).toHaveValue(NEW_TILE.id);
  await expect(page.getByText(tiles('form.missingLanguage', { language: 'Deutsch', fallback: languageName('fr') }))).toBeVisible();
  await page.getByRole('radio', { name: tiles('icons.people') }).check();
  await page.getByLabel(tiles('form.startUrl'), { exact: true }).fill(NEW_TILE.startUrl);

  // Saving before any website is allowed is refused, with the reason beside the field.
  await page.getByRole('button', { name: tiles('form.save') }).click();
  await expect(page.getByRole('alert').filter({ hasText: tiles('form.invalid') })).toBeFocused();
  await expect(page.getByText(tiles('errors.domainsEmpty'))).toBeVisible();

  await page.getByRole('button', { name: tiles('form.allowStartHost', { host: NEW_TILE.host }) }).click();
  const tester = page.getByLabel(tiles('form.tester'), { exact: true });
  await tester.fill('https://www.google.com/');
  await expect(page.getByTestId('address-answer')).toHaveText(tiles('answer.host', { host: 'www.google.com' }));
  await tester.fill(`https://${NEW_TILE.host}/horaires`);
  await expect(page.getByTestId('address-answer')).toHaveText(tiles('answer.allowed'));
  await page.getByRole('button', { name: tiles('form.save') }).click();

  const rows = list.getByRole('listitem');
  await expect(rows).toHaveCount(kiosk.services.length + 1);
  await expect(rows.last()).toHaveAttribute('data-service-id', NEW_TILE.id);
  for (let position = kiosk.services.length; position >= 1; position -= 1) {
    await page.getByRole('button', { name: tiles('moveUpNamed', { tile: NEW_TILE.label }) }).click();
    await expect(page.getByText(tiles('moved', { tile: NEW_TILE.label, position: String(position), total: String(kiosk.services.length + 1) }))).toBeVisible();
  }
  await expect(rows.first()).toHaveAttribute('data-service-id', NEW_TILE.id);

  // The unsaved draft, as a visitor will see it.
  await page.getByRole('button', { name: staff('tiles.preview') }).click();
  const preview = page.getByRole('dialog', { name: tiles('preview.banner') });
  await expect(preview.locator('button[data-service-id]').first()).toHaveAttribute('data-service-id', NEW_TILE.id);
  await expect(preview.locator('button[data-service-id]').first()).toHaveAccessibleName(NEW_TILE.label);
  await preview.getByRole('button', { name: tiles('preview.close') }).click();
  await expect(preview).toBeHidden();

  await page.getByRole('button', { name: staff('save'), exact: true }).click();
  await expect(page.getByText(staff('saved'))).toBeVisible();
  await page.getByRole('button', { name: staff('close'), exact: true }).first().click();

  await expect(page.locator('html')).toHaveAttribute('data-screen', 'welcome');
  await languageButton(page, 'en').click();
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'launcher');
  const firstTile = page.locator('button[data-service-id]').first();
  await expect(firstTile).toHaveAttribute('data-service-id', NEW_TILE.id);
  // No English label was given: English visitors read the French one.
  await expect(firstTile).toHaveAccessibleName(NEW_TILE.label);
});
