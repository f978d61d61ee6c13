/**
 * WCAG 2.2 AA and the 7:1 contrast of the visitor screens, checked by axe-core
 * (tests/e2e/support/axe.ts) in every visitor state (tests/e2e/support/visitor-states.ts),
 * in French (left to right) and Arabic (right to left); the launcher, a service, the idle
 * warning and help again at 200 % text and in strong colours, set with the toolbar's own
 * buttons. Also: the launcher and the service toolbar by keyboard alone (every button
 * reached once, in reading order, with a visible focus; Enter and Space press), and the
 * idle countdown and the help status in named live regions.
 *
 * Each check's summary is test-results/axe/visitor-<state>-<language>[-…].json; with
 * UPDATE_REFERENCE=1 also tests/reference/axe/, the committed record (tests/reference/README.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { LanguageCode } from '../../shared/languages';
import { expect, test } from './fixtures';
import { AXE_REFERENCE_DIR, expectNoAxeViolations, type AxeSummary } from './support/axe';
import { acknowledgeOpenRequest, reachVisitorState, serviceLabel, VISITOR_STATE_NAMES, VISITOR_STATES, type VisitorStateName } from './support/visitor-states';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Arabic once its texts exist; until then English stands in, so the run still happens. */
const RTL_LANGUAGE: LanguageCode = existsSync(join(repositoryRoot, 'locales', 'ar', 'common.json')) ? 'ar' : 'en';
const LANGUAGES: readonly LanguageCode[] = ['fr', RTL_LANGUAGE];

/** Where the display options matter most: the two screens a visitor spends time on, and the two that interrupt them. */
const DISPLAY_STATES: readonly VisitorStateName[] = ['launcher', 'service', 'idle-warning', 'help-no-channel', 'help-banner'];

function axeName(state: VisitorStateName, language: LanguageCode, variant = ''): string {
  return `visitor-${state}-${language}${variant === '' ? '' : `-${variant}`}`;
}

/** Every check's failure is kept, so one run reports each variant of a state at once. */
async function collect(failures: string[], check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
}

for (const state of VISITOR_STATE_NAMES) {
  for (const language of LANGUAGES) {
    const withDisplay = DISPLAY_STATES.includes(state);
    const contrast = VISITOR_STATES[state].audience === 'visitor' ? ', 7:1 contrast' : '';
    test(`${state} in ${language}: no axe violation (WCAG 2.2 AA${contrast})${withDisplay ? ', also at 200 % text and in strong colours' : ''}`, async ({ page, kiosk }) => {
      const reached = await reachVisitorState(page, kiosk, state, language);
      const failures: string[] = [];
      try {
        await collect(failures, () => expectNoAxeViolations(page, axeName(state, language), reached.info.audience));
        if (withDisplay) {
          // With the toolbar's own buttons, on the same visit (the state is closed and opened again around them if it covers the toolbar).
          await reached.setTextSize(200);
          await expect(page.locator('html')).toHaveAttribute('data-text-size', '200');
          await collect(failures, () => expectNoAxeViolations(page, axeName(state, language, 'text-200'), 'visitor'));
          await reached.setStrongColours(true);
          await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
          await collect(failures, () => expectNoAxeViolations(page, axeName(state, language, 'text-200-strong-colours'), 'visitor'));
        }
      } finally {
        await reached.release();
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    });
  }
}

interface FocusStop {
  readonly index: number;
  readonly name: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly indicator: boolean;
}

/** Numbers every visible, enabled button in `scope` (document order) so the focus can be followed. */
async function numberButtons(page: Page, scope: string): Promise<string[]> {
  return page.locator(scope).first().evaluate((root) => {
    const buttons = Array.from(root.querySelectorAll('button')).filter((button) => !button.disabled && button.closest('[inert]') === null && button.getClientRects().length > 0);
    buttons.forEach((button, index) => {
      button.dataset.focusOrder = String(index);
    });
    return buttons.map((button) => (button.getAttribute('aria-label') ?? button.textContent ?? '').trim());
  });
}

/** Where the focus is after one more Tab (or Shift+Tab): its number, its box, and whether it shows (an outline or a ring). */
async function tab(page: Page, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<FocusStop | null> {
  await page.keyboard.press(key);
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement) || element.dataset.focusOrder === undefined) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
    return {
      index: Number(element.dataset.focusOrder),
      name: (element.getAttribute('aria-label') ?? element.textContent ?? '').trim(),
      left: box.left,
      right: box.right,
      top: box.top,
      bottom: box.bottom,
      indicator: outline || ring,
    };
  });
}

/**
 * The focus visits every button once, in document order, each showing where it is, and
 * the order reads as the screen does: row by row from the top, and within a row along
 * the reading direction.
 */
function expectReadingOrder(stops: readonly FocusStop[], names: readonly string[], rtl: boolean): void {
  expect(stops.map((stop) => stop.index), `the buttons in order: ${names.join(' | ')}`).toEqual(names.map((_name, index) => index));
  for (const stop of stops) expect(stop.indicator, `"${stop.name}" shows the focus`).toBe(true);
  for (let index = 1; index < stops.length; index += 1) {
    const before = stops[index - 1]!;
    const after = stops[index]!;
    const overlap = Math.min(before.bottom, after.bottom) - Math.max(before.top, after.top);
    const sameRow = overlap > Math.min(before.bottom - before.top, after.bottom - after.top) / 2;
    if (sameRow) {
      expect(rtl ? after.right <= before.left + 1 : after.left >= before.right - 1, `"${after.name}" comes after "${before.name}" along the line`).toBe(true);
    } else {
      expect(after.top, `"${after.name}" is on a later row than "${before.name}"`).toBeGreaterThanOrEqual(before.bottom - 1);
    }
  }
}

for (const language of LANGUAGES) {
  test(`keyboard alone in ${language}: the launcher and the service toolbar, in reading order, with a visible focus; Enter and Space press`, async ({ page, kiosk }) => {
    const rtl = language === 'ar';
    const reached = await reachVisitorState(page, kiosk, 'launcher', language);
    try {
      const launcherButtons = await numberButtons(page, 'body');
      expect(launcherButtons.length).toBeGreaterThanOrEqual(kiosk.services.length + 2);
      const launcherStops: FocusStop[] = [];
      for (let press = 0; press < launcherButtons.length; press += 1) {
        const stop = await tab(page);
        expect(stop, `Tab ${press + 1} lands on a button of the launcher`).not.toBeNull();
        launcherStops.push(stop!);
      }
      expectReadingOrder(launcherStops, launcherButtons, rtl);

      // Enter and Space press the focused button: here the text size goes up a step each time.
      const bigger = page.getByRole('button', { name: reached.says('display.biggerText'), exact: true });
      await bigger.focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('html')).toHaveAttribute('data-text-size', '125');
      await page.keyboard.press('Space');
      await expect(page.locator('html')).toHaveAttribute('data-text-size', '150');

      const serviceTile = page.getByRole('button', { name: serviceLabel(kiosk.frameable, language), exact: true });
      await serviceTile.focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('html')).toHaveAttribute('data-screen', 'service');

      // The service has the focus (the page under the toolbar): Shift+Tab walks the toolbar back from its last button.
      const toolbarButtons = await numberButtons(page, '[role="toolbar"]');
      await expect(page.getByRole('main')).toBeFocused();
      const backwards: FocusStop[] = [];
      for (let press = 0; press < toolbarButtons.length; press += 1) {
        const stop = await tab(page, 'Shift+Tab');
        expect(stop, `Shift+Tab ${press + 1} lands on a button of the toolbar`).not.toBeNull();
        backwards.push(stop!);
      }
      const toolbarStops = backwards.reverse();
      // And Tab goes forward again from the first.
      await expect(page.getByRole('toolbar').getByRole('button').first()).toBeFocused();
      expect((await tab(page))?.index, 'Tab from the first toolbar button goes to the second').toBe(1);
      expectReadingOrder(toolbarStops, toolbarButtons, rtl);

      const help = page.getByRole('toolbar').getByRole('button', { name: reached.says('toolbar.help'), exact: true });
      await help.focus();
      await page.keyboard.press('Space');
      const dialog = page.getByRole('dialog', { name: reached.says('help.noChannelTitle') });
      await expect(dialog).toBeVisible();
      const close = dialog.getByRole('button', { name: reached.says('help.close') });
      await expect(close).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(dialog).toHaveCount(0);
      await expect(help).toBeFocused();
    } finally {
      await reached.release();
    }
  });
}

test('the idle countdown is a named timer with a polite live region', async ({ page, kiosk }) => {
  const reached = await reachVisitorState(page, kiosk, 'idle-warning', 'fr');
  try {
    const warning = page.getByRole('alertdialog', { name: reached.says('idle.title') });
    await expect(warning).toBeVisible();
    const timer = warning.getByRole('timer');
    await expect(timer).toHaveCount(1);
    await expect(timer).toContainText(/\d/);
    // The dialog's description is the countdown, so it is read with the dialog's name when it opens.
    await expect(warning).toHaveAccessibleDescription(/\d/);
    // What screen readers hear while it counts: a polite, atomic region saying the time left.
    const live = warning.locator('[aria-live="polite"]');
    await expect(live).toHaveCount(1);
    await expect(live).toHaveAttribute('aria-atomic', 'true');
    await expect(live).toContainText(/\d/);
  } finally {
    await reached.release();
  }
});

test('the help status is a live region that changes in place when a helper says "I\'m coming"', async ({ page, kiosk }) => {
  const reached = await reachVisitorState(page, kiosk, 'help-called', 'fr');
  try {
    await expect(page.getByRole('dialog', { name: reached.says('help.calledTitle') })).toBeVisible();
    const status = page.locator('[data-help-state]');
    await expect(status).toHaveAttribute('role', 'status');
    await expect(status).toContainText(reached.says('help.calledTitle'));
    const region = await status.elementHandle();
    await acknowledgeOpenRequest(reached.hub!);
    const coming = page.getByRole('dialog', { name: reached.says('help.comingTitle') });
    await expect(coming).toBeVisible();
    await expect(status).toContainText(reached.says('help.comingTitle'));
    // The same element, its words changed: a region replaced by a new one is not reliably announced.
    expect(await region!.evaluate((element) => element.isConnected && element.getAttribute('data-help-state'))).toBe('coming');

    await coming.getByRole('button', { name: reached.says('help.close') }).click();
    await expect(page.getByTestId('help-banner').getByRole('status')).toHaveText(reached.says('help.comingTitle'));
  } finally {
    await reached.release();
  }
});

test('the committed axe results cover every visitor state and hold no violation', () => {
  test.skip(process.env.UPDATE_REFERENCE === '1', 'the reference set is being written by this run');
  const expected = [
    ...VISITOR_STATE_NAMES.flatMap((state) => LANGUAGES.map((language) => axeName(state, language))),
    ...DISPLAY_STATES.flatMap((state) => LANGUAGES.flatMap((language) => [axeName(state, language, 'text-200'), axeName(state, language, 'text-200-strong-colours')])),
  ];
  const missing = expected.filter((name) => !existsSync(join(AXE_REFERENCE_DIR, `${name}.json`)));
  expect(missing, `missing in tests/reference/axe/ (UPDATE_REFERENCE=1 writes them): ${missing.join(', ')}`).toEqual([]);
  for (const name of expected) {
    const summary = JSON.parse(readFileSync(join(AXE_REFERENCE_DIR, `${name}.json`), 'utf8')) as AxeSummary;
    expect(summary.screen).toBe(name);
    expect(summary.violations, `tests/reference/axe/${name}.json`).toEqual([]);
    if (summary.audience === 'visitor' && summary.contrastMeasured) expect(summary.passedRules.concat(summary.needsReview.map((rule) => rule.rule)), name).toContain('color-contrast-enhanced');
  }
});
