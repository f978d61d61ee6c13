/**
 * A visitor's whole stay, in the browser preview: welcome → language → launcher →
 * a service in the frame → Home → a service that refuses framing (new tab) → Help →
 * End session (cancel, then confirm) → "everything has been erased" in the visitor's
 * language → welcome in the default language.
 */
import type { Locator, Page } from '@playwright/test';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { testConfig } from '../electron/preview/loopback-http';
import { expect, languageButton, test, tile, type Kiosk } from './fixtures';
import { endonym, escapeRegExp, text, welcomeText } from './support/locales';

const DEFAULT_LANGUAGE: LanguageCode = 'fr';
/** The languages the test kiosk offers, in the kiosk's order. */
const OFFERED = (testConfig([]).languages?.offered ?? []).flatMap((code) => LANGUAGES.filter((language) => language.code === code));

function html(page: Page): Locator {
  return page.locator('html');
}

function themeSection(page: Page, language: LanguageCode, themeId: string): Locator {
  return page.getByRole('region', { name: text(language, `themes.${themeId}`) });
}

async function expectWelcomeIn(page: Page, language: LanguageCode): Promise<void> {
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
  await expect(html(page)).toHaveAttribute('lang', language);
  await expect(html(page)).toHaveAttribute('dir', 'ltr');
  await expect(page.getByText(welcomeText(language, 'chooseLanguage'))).toBeVisible();
}

/** After the wipe: the erased message in the visitor's language, for the time the main side decides, then the welcome screen. */
async function expectErasedThenWelcome(page: Page, kiosk: Kiosk, language: LanguageCode): Promise<void> {
  await expect(html(page)).toHaveAttribute('data-screen', 'erased');
  await expect(html(page)).toHaveAttribute('lang', language);
  await expect(page.getByRole('heading', { level: 1, name: text(language, 'session.erased') })).toBeVisible();
  await expect(html(page)).toHaveAttribute('data-session-phase', 'erased');
  await kiosk.advance(kiosk.timings.erasedMs);
  await expectWelcomeIn(page, DEFAULT_LANGUAGE);
  await expect(html(page)).toHaveAttribute('data-session-phase', 'welcome');
}

async function expectLanguageChoice(page: Page): Promise<void> {
  const buttons = page.locator('button[lang]');
  // One button per offered language, in the configured order, each written in its own language.
  await expect(buttons).toHaveText(OFFERED.map(({ code }) => new RegExp(`^${escapeRegExp(endonym(code))}`)));
  for (const { code } of OFFERED) {
    const button = languageButton(page, code);
    await expect(button).toHaveAttribute('lang', code);
    await expect(button).toContainText(welcomeText(code, 'start'));
  }
}

async function expectLauncherIn(page: Page, kiosk: Kiosk, language: LanguageCode): Promise<void> {
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(html(page)).toHaveAttribute('lang', language);
  await expect(page.getByRole('heading', { level: 1, name: text(language, 'launcher.title') })).toBeVisible();

  const administration = themeSection(page, language, 'administration');
  await expect(administration.getByRole('heading', { level: 2 })).toHaveText(text(language, 'themes.administration'));
  await expect(administration.locator('button[data-service-id]')).toHaveCount(2);
  await expect(tile(administration, kiosk.frameable, language)).toHaveAttribute('data-service-id', kiosk.frameable.id);
  await expect(tile(administration, kiosk.sibling, language)).toHaveAttribute('data-service-id', kiosk.sibling.id);

  const work = themeSection(page, language, 'work');
  await expect(work.getByRole('heading', { level: 2 })).toHaveText(text(language, 'themes.work'));
  await expect(work.locator('button[data-service-id]')).toHaveCount(1);
  await expect(tile(work, kiosk.refusing, language)).toHaveAttribute('data-service-id', kiosk.refusing.id);
}

function toolbarButton(page: Page, language: LanguageCode, key: 'home' | 'back' | 'help' | 'endSession'): Locator {
  return page.getByRole('toolbar').getByRole('button', { name: text(language, `toolbar.${key}`), exact: true });
}

async function expectHonestHelp(page: Page, language: LanguageCode, openHelp: Locator): Promise<void> {
  await openHelp.click();
  const dialog = page.getByRole('dialog', { name: text(language, 'help.noChannelTitle') });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(text(language, 'help.noChannelMessage'));
  await dialog.getByRole('button', { name: text(language, 'help.close') }).click();
  await expect(dialog).toBeHidden();
}

for (const language of ['en', 'nl', 'fr', 'de'] as const) {
  test(`a visitor's whole stay, in ${endonym(language)}`, async ({ page, context, kiosk }) => {
    await kiosk.openWelcome(page);
    await expectWelcomeIn(page, DEFAULT_LANGUAGE);
    await expectLanguageChoice(page);

    await languageButton(page, language).click();
    await expectLauncherIn(page, kiosk, language);
    expect(kiosk.server.sessions.current()?.language).toBe(language);

    // A service that allows framing opens under the toolbar.
    await tile(page, kiosk.frameable, language).click();
    await expect(html(page)).toHaveAttribute('data-screen', 'service');
    for (const key of ['home', 'back', 'help', 'endSession'] as const) {
      await expect(toolbarButton(page, language, key)).toBeVisible();
    }
    const frame = page.locator('iframe');
    await expect(frame).toHaveAttribute('title', kiosk.frameable.label[language]);
    await expect(frame).toHaveAttribute('src', kiosk.frameable.startUrl);
    await expect(page.frameLocator('iframe').getByRole('heading', { name: kiosk.frameable.heading })).toBeVisible();
    await expect(page.getByText(text(language, 'preview.frameNotice'))).toBeVisible();

    // Back has nowhere to go in the preview; the visitor stays on the service.
    await toolbarButton(page, language, 'back').click();
    await expect(html(page)).toHaveAttribute('data-screen', 'service');

    await toolbarButton(page, language, 'home').click();
    await expectLauncherIn(page, kiosk, language);
    expect(kiosk.server.presenter.state().open).toBeNull();

    // A service that refuses framing: the preview says so and opens it in a new tab.
    const firstTab = context.waitForEvent('page');
    await tile(page, kiosk.refusing, language).click();
    await expect(page.getByTestId('new-tab-notice')).toContainText(text(language, 'preview.newTabNotice'));
    const opened = await firstTab;
    await opened.waitForURL(kiosk.refusing.startUrl);
    await expect(opened.getByRole('heading', { name: kiosk.refusing.heading })).toBeVisible();
    await opened.close();

    const secondTab = context.waitForEvent('page');
    await page.getByRole('button', { name: text(language, 'preview.openInNewTab') }).click();
    const reopened = await secondTab;
    await reopened.waitForURL(kiosk.refusing.startUrl);
    await reopened.close();

    await expectHonestHelp(page, language, toolbarButton(page, language, 'help'));
    await expect(html(page)).toHaveAttribute('data-screen', 'service');

    // End session asks first; "No, continue" keeps the visitor where they were.
    await toolbarButton(page, language, 'endSession').click();
    const confirmation = page.getByRole('alertdialog');
    await expect(confirmation).toContainText(text(language, 'endSession.question'));
    await expect(confirmation).toContainText(text(language, 'endSession.explanation'));
    await confirmation.getByRole('button', { name: text(language, 'endSession.cancel') }).click();
    await expect(confirmation).toBeHidden();
    await expect(html(page)).toHaveAttribute('data-screen', 'service');
    await expect(page.getByTestId('new-tab-notice')).toBeVisible();
    expect(kiosk.server.sessions.current()?.language).toBe(language);

    // "Yes, erase and finish": the erased message in the visitor's language, then the welcome screen in the default language.
    await toolbarButton(page, language, 'endSession').click();
    await page.getByRole('alertdialog').getByRole('button', { name: text(language, 'endSession.confirm') }).click();
    await expectErasedThenWelcome(page, kiosk, language);
    await expectLanguageChoice(page);
    expect(kiosk.server.sessions.current()).toBeNull();
    expect(kiosk.server.sessions.endedCount()).toBe(1);
  });
}

test('Help and End session from the launcher', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await languageButton(page, 'de').click();
  await expectLauncherIn(page, kiosk, 'de');
  const topBar = page.getByRole('navigation', { name: text('de', 'launcher.topBarLabel') });

  await expectHonestHelp(page, 'de', topBar.getByRole('button', { name: text('de', 'toolbar.help') }));
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');

  await topBar.getByRole('button', { name: text('de', 'toolbar.endSession') }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: text('de', 'endSession.cancel') }).click();
  await expectLauncherIn(page, kiosk, 'de');

  await topBar.getByRole('button', { name: text('de', 'toolbar.endSession') }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: text('de', 'endSession.confirm') }).click();
  await expectErasedThenWelcome(page, kiosk, 'de');
});

test('the welcome screen fits 1366×768 without scroll bars, with large text', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  const fit = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
  }));
  expect(fit.innerWidth).toBe(1366);
  expect(fit.innerHeight).toBe(768);
  expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
  expect(fit.scrollHeight).toBeLessThanOrEqual(fit.innerHeight);

  const smallestText = await page.evaluate(() => {
    let smallest = Number.POSITIVE_INFINITY;
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const hasOwnText = Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '');
      if (!hasOwnText || (element as HTMLElement).offsetParent === null) continue;
      smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(element).fontSize));
    }
    return smallest;
  });
  expect(Number.parseFloat(await page.evaluate(() => getComputedStyle(document.body).fontSize))).toBeGreaterThanOrEqual(20);
  expect(smallestText).toBeGreaterThanOrEqual(20);
});

test('launcher tiles are at least 160 px tall', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await languageButton(page, 'fr').click();
  await expectLauncherIn(page, kiosk, 'fr');
  const tiles = page.locator('button[data-service-id]');
  await expect(tiles).toHaveCount(kiosk.services.length);
  for (const box of await tiles.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().height))) {
    expect(box).toBeGreaterThanOrEqual(160);
  }
});

test('a new configuration written by staff reaches an open welcome screen', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await expect(page.getByText('PC 3', { exact: true })).toBeVisible();

  kiosk.writeConfig(kiosk.configFor(kiosk.services, 'PC 7'));
  await expect(page.getByText('PC 7', { exact: true })).toBeVisible();
  await expect(page.getByText('PC 3', { exact: true })).toHaveCount(0);
});
