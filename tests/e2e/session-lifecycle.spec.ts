/**
 * The visitor session in the browser preview, timed by the preview's session controller
 * on a ManualClock the tests move: the idle warning after the configured inactivity, its
 * countdown, "I'm still here", the automatic end, the manual end with its confirmation,
 * the erased message and the welcome screen after it, and activity that postpones the
 * warning. The tests wait for what the page announces (html[data-screen],
 * html[data-session-phase], roles and names) and for the calls it makes, never for time.
 */
import type { Locator, Page, Response } from '@playwright/test';
import type { LanguageCode } from '../../shared/languages';
import { expect, languageButton, test, tile, type Kiosk } from './fixtures';
import { text, welcomeText } from './support/locales';

const DEFAULT_LANGUAGE: LanguageCode = 'fr';

function html(page: Page): Locator {
  return page.locator('html');
}

/** The page's next call of a contract channel, answered. */
function nextCall(page: Page, channel: string): Promise<Response> {
  const path = `/api/contract/${encodeURIComponent(channel)}`;
  return page.waitForResponse((response) => new URL(response.url()).pathname === path && response.request().method() === 'POST');
}

function countdown(language: LanguageCode, seconds: number): string {
  return text(language, seconds === 1 ? 'idle.countdown_one' : 'idle.countdown_other', { count: String(seconds) });
}

async function startVisit(page: Page, kiosk: Kiosk, language: LanguageCode): Promise<void> {
  await kiosk.openWelcome(page);
  await languageButton(page, language).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(html(page)).toHaveAttribute('data-session-phase', 'active');
}

async function openFramedService(page: Page, kiosk: Kiosk, language: LanguageCode): Promise<void> {
  // The press on the tile is the visitor's first input on the launcher: reported at once. It must reach the
  // main side before the test moves the clock, or it would count as activity at the later time.
  const reported = nextCall(page, 'session:activity');
  await tile(page, kiosk.frameable, language).click();
  await reported;
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  await expect(page.frameLocator('iframe').getByRole('heading', { name: kiosk.frameable.heading })).toBeVisible();
}

function idleWarning(page: Page, language: LanguageCode): Locator {
  return page.getByRole('alertdialog', { name: text(language, 'idle.title') });
}

async function expectErasedThenWelcome(page: Page, kiosk: Kiosk, language: LanguageCode): Promise<void> {
  await expect(html(page)).toHaveAttribute('data-screen', 'erased');
  await expect(page.getByRole('heading', { level: 1, name: text(language, 'session.erased') })).toBeVisible();
  await expect(html(page)).toHaveAttribute('lang', language);
  await kiosk.advance(kiosk.timings.erasedMs);
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
  await expect(html(page)).toHaveAttribute('lang', DEFAULT_LANGUAGE);
  await expect(page.getByText(welcomeText(DEFAULT_LANGUAGE, 'chooseLanguage'))).toBeVisible();
}

test('the idle warning appears after the configured inactivity, counts down, and "I\'m still here" brings the screen back as it was', async ({ page, kiosk }) => {
  await startVisit(page, kiosk, 'en');
  await openFramedService(page, kiosk, 'en');

  await kiosk.advance(kiosk.timings.idleMs - 1);
  expect(kiosk.server.controller.snapshot().phase).toBe('active');
  await expect(html(page)).toHaveAttribute('data-session-phase', 'active');
  await expect(idleWarning(page, 'en')).toHaveCount(0);

  await kiosk.advance(1);
  await expect(html(page)).toHaveAttribute('data-session-phase', 'idle-warning');
  const warning = idleWarning(page, 'en');
  await expect(warning).toBeVisible();
  // The warning covers the service; the screen under it is still the service.
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  const timer = warning.getByRole('timer');
  await expect(timer).toContainText(countdown('en', 30));
  // It counts down in the page's own time while the session clock stands still.
  await expect(timer).toContainText(countdown('en', 29));
  const stillHere = warning.getByRole('button', { name: text('en', 'idle.stillHere') });
  await expect(stillHere).toBeFocused();
  const box = await stillHere.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(100);

  const answered = nextCall(page, 'session:activity');
  await stillHere.click();
  await answered;
  await expect(html(page)).toHaveAttribute('data-session-phase', 'active');
  await expect(warning).toHaveCount(0);
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  await expect(page.locator('iframe')).toHaveAttribute('src', kiosk.frameable.startUrl);
  await expect(page.frameLocator('iframe').getByRole('heading', { name: kiosk.frameable.heading })).toBeVisible();
  expect(kiosk.server.controller.snapshot().phase).toBe('active');
  expect(kiosk.server.sessions.current()?.language).toBe('en');
});

test('when the countdown runs out, the session ends by itself: erased message, then welcome in the default language', async ({ page, kiosk }) => {
  await startVisit(page, kiosk, 'nl');
  await openFramedService(page, kiosk, 'nl');

  await kiosk.advance(kiosk.timings.idleMs);
  await expect(idleWarning(page, 'nl')).toBeVisible();
  await kiosk.advance(kiosk.timings.warningMs);

  await expectErasedThenWelcome(page, kiosk, 'nl');
  expect(kiosk.server.sessions.wipeReasons()).toEqual(['boot', 'idle']);
  expect(kiosk.server.sessions.current()).toBeNull();
  expect(kiosk.server.presenter.state().open).toBeNull();
  await expect(page.locator('iframe')).toHaveCount(0);
});

test('End session asks first: "No, continue" keeps the visit, "Yes, erase and finish" erases it', async ({ page, kiosk }) => {
  await startVisit(page, kiosk, 'de');
  await openFramedService(page, kiosk, 'de');
  const endSession = page.getByRole('toolbar').getByRole('button', { name: text('de', 'toolbar.endSession'), exact: true });

  const requested = nextCall(page, 'session:requestEnd');
  await endSession.click();
  await requested;
  const question = page.getByRole('alertdialog', { name: text('de', 'endSession.question') });
  await expect(question).toBeVisible();
  const cancelled = nextCall(page, 'session:cancelEnd');
  await question.getByRole('button', { name: text('de', 'endSession.cancel') }).click();
  await cancelled;
  await expect(question).toHaveCount(0);
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  expect(kiosk.server.controller.snapshot().phase).toBe('active');

  await endSession.click();
  const ended = nextCall(page, 'session:end');
  await question.getByRole('button', { name: text('de', 'endSession.confirm') }).click();
  expect(await (await ended).json()).toEqual({ ok: true, value: { erased: true } });
  await expectErasedThenWelcome(page, kiosk, 'de');
  expect(kiosk.server.sessions.wipeReasons()).toEqual(['boot', 'visitor']);
  expect(kiosk.server.sessions.endedCount()).toBe(1);
});

test('a touch on the erased message brings the welcome screen at once', async ({ page, kiosk }) => {
  await startVisit(page, kiosk, 'en');
  await page.getByRole('navigation').getByRole('button', { name: text('en', 'toolbar.endSession') }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: text('en', 'endSession.confirm') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'erased');

  await page.getByRole('heading', { level: 1, name: text('en', 'session.erased') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
  await expect(html(page)).toHaveAttribute('lang', DEFAULT_LANGUAGE);
  expect(kiosk.server.controller.snapshot().phase).toBe('welcome');
});

test('activity inside the launcher postpones the idle warning', async ({ page, kiosk }) => {
  await startVisit(page, kiosk, 'fr');
  await kiosk.advance(kiosk.timings.idleMs - 10_000);

  // The visitor scrolls the catalogue (one wheel event, so one report): the page tells the main side.
  const reported = nextCall(page, 'session:activity');
  await page.getByRole('main').hover();
  await page.mouse.wheel(0, 300);
  await reported;

  // Without it, the warning would show now.
  await kiosk.advance(10_000);
  expect(kiosk.server.controller.snapshot().phase).toBe('active');
  await expect(html(page)).toHaveAttribute('data-session-phase', 'active');
  await expect(idleWarning(page, 'fr')).toHaveCount(0);

  // The idle counter started again from the scroll: the warning is due a full timeout after it.
  await kiosk.advance(kiosk.timings.idleMs - 10_000 - 1);
  expect(kiosk.server.controller.snapshot().phase).toBe('active');

  await kiosk.advance(1);
  await expect(idleWarning(page, 'fr')).toBeVisible();
  await expect(idleWarning(page, 'fr').getByRole('timer')).toContainText(countdown('fr', 30));
});
