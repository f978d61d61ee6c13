/**
 * Every visitor state (tests/e2e/support/visitor-states.ts) laid out on the screens EPNs
 * have — 1366×768, 1920×1080 and a portrait 1080×1920 touch screen — at normal and 200 %
 * text, in French (left to right) and Arabic (right to left):
 *
 * - no horizontal scrolling: the document is never wider than the window;
 * - no clipped text: an element with text of its own is not bigger inside than its box
 *   unless it can scroll that way, and its text is not cut by an ancestor that hides
 *   overflow (see `findLayoutProblems` for what counts and why);
 * - every button, link and field of a visitor screen is at least 64×64 px;
 * - nothing sits outside the window to the left or right.
 *
 * Also: the same checks on pseudo-localized texts (`?pseudo-locale`, texts 40 % longer) at
 * 200 %; the mirrored toolbar in Arabic; and each state at 1366×768 compared with its
 * committed screenshot in tests/reference/screenshots/ (tests/reference/README.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { TEXT_SIZES, type TextSize } from '../../shared/display-settings';
import { type LanguageCode } from '../../shared/languages';
import { expect, test } from './fixtures';
import { reachVisitorState, VISITOR_STATE_NAMES, VISITOR_STATES, type VisitorStateName } from './support/visitor-states';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOT_DIR = join(repositoryRoot, 'tests', 'reference', 'screenshots');

/** Arabic once its texts exist; until then English stands in, so the run still happens. */
const RTL_LANGUAGE: LanguageCode = existsSync(join(repositoryRoot, 'locales', 'ar', 'common.json')) ? 'ar' : 'en';
const LANGUAGES: readonly LanguageCode[] = ['fr', RTL_LANGUAGE];
const LARGEST: TextSize = 200;
const SIZES: readonly TextSize[] = [100, LARGEST];

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 1080, height: 1920 },
] as const;
const REFERENCE_VIEWPORT = VIEWPORTS[0];

/** WCAG 2.5.5 asks 44 px; the kiosk's visitors (seniors, shaky hands, gloves) get more. */
export const MIN_TARGET_PX = 64;

export interface LayoutProblem {
  readonly kind: 'horizontal-scroll' | 'clipped-text' | 'small-target' | 'outside-window';
  readonly element: string;
  readonly detail: string;
}

/**
 * Runs in the page. What counts as a problem, and why:
 *
 * - Horizontal scrolling: the document's scroll width beyond the window's width.
 * - Clipped text, for each rendered element with text of its own (a non-blank text node
 *   child): (1) its content is wider or taller than its box (scrollWidth > clientWidth,
 *   scrollHeight > clientHeight) in a direction it cannot scroll: the text is either cut
 *   (overflow hidden, an ellipsis; 1 px of rounding allowed) or spills over its neighbours
 *   (overflow visible; a fifth of the font size allowed, at least 4 px: a glyph's edge,
 *   not a word or a line); (2) a line of that text
 *   lies outside an ancestor that hides overflow without scrolling, or before the start of
 *   a scroll container (a centred dialog taller than the screen: its top cannot be scrolled
 *   to). Scroll containers (overflow auto or scroll) may otherwise hold more than they show:
 *   the visitor scrolls them (the launcher's tiles, a long dialog), so what lies beyond their
 *   end is not a failure, and the ancestors above them are not asked about it. Text read only
 *   by screen readers (a 1×1 px clipped box) is left out.
 * - Targets: every rendered button, link, field, checkbox and element with a button-like
 *   role is at least `minTarget` px wide and tall; a field inside its label counts with
 *   the label's box, which is what a finger presses.
 * - Outside the window: any rendered element whose box begins left of the window or ends
 *   right of it, unless it is inside something that scrolls sideways.
 *
 * Whatever is inert (the screen under a dialog) is checked in its own state, not twice.
 */
function findLayoutProblems({ minTarget, checkTargets }: { minTarget: number; checkTargets: boolean }): LayoutProblem[] {
  const SPILL_MIN_PX = 4;
  const SPILL_EM = 0.2;
  const problems: LayoutProblem[] = [];
  const windowWidth = document.documentElement.clientWidth;
  const describe = (element: Element): string => {
    const classes = typeof element.className === 'string' && element.className.trim() !== '' ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
    const own = Array.from(element.childNodes)
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    const label = own !== '' ? own : (element.getAttribute('aria-label') ?? element.textContent ?? '').trim();
    return `<${element.tagName.toLowerCase()}${classes}>${label === '' ? '' : ` "${label.slice(0, 60)}"`}`;
  };
  const px = (value: number) => `${Math.round(value * 10) / 10}px`;

  const scrolling = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (scrolling > windowWidth) {
    problems.push({ kind: 'horizontal-scroll', element: '<html>', detail: `the document is ${px(scrolling)} wide in a ${px(windowWidth)} window` });
  }

  const scrollsX = (style: CSSStyleDeclaration) => style.overflowX === 'auto' || style.overflowX === 'scroll';
  const scrollsY = (style: CSSStyleDeclaration) => style.overflowY === 'auto' || style.overflowY === 'scroll';
  const rendered = (element: Element) => {
    if (element.getClientRects().length === 0) return false;
    const style = getComputedStyle(element);
    return style.visibility !== 'hidden' && style.visibility !== 'collapse';
  };
  const forScreenReadersOnly = (element: Element) => {
    for (let current: Element | null = element; current !== null && current !== document.body; current = current.parentElement) {
      const box = current.getBoundingClientRect();
      const style = getComputedStyle(current);
      if ((box.width <= 1 || box.height <= 1) && (style.overflow !== 'visible' || style.clipPath !== 'none')) return true;
    }
    return false;
  };
  const insideSidewaysScroller = (element: Element) => {
    for (let current = element.parentElement; current !== null && current !== document.documentElement; current = current.parentElement) {
      if (scrollsX(getComputedStyle(current)) && current.scrollWidth > current.clientWidth) return true;
    }
    return false;
  };

  const targets = 'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="switch"], [role="tab"], [role="menuitem"]';
  for (const element of Array.from(document.body.querySelectorAll('*'))) {
    if (element.closest('[inert]') !== null || !rendered(element) || forScreenReadersOnly(element)) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();

    if (box.width > 0 && (box.left < -1 || box.right > windowWidth + 1) && !insideSidewaysScroller(element)) {
      problems.push({ kind: 'outside-window', element: describe(element), detail: `from ${px(box.left)} to ${px(box.right)} in a ${px(windowWidth)} window` });
    }

    const ownText = Array.from(element.childNodes).filter((node): node is Text => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '');
    if (ownText.length > 0) {
      const boxed = style.display !== 'inline' && style.display !== 'contents' && element.clientWidth > 0;
      // A box that hides overflow cuts at once; one that does not lets a glyph's edge out harmlessly (a font's
      // ascent and descent often exceed a tight line height), but not a word or a line.
      const spill = Math.max(SPILL_MIN_PX, SPILL_EM * Number.parseFloat(style.fontSize));
      const slackX = style.overflowX === 'visible' ? spill : 1;
      const slackY = style.overflowY === 'visible' ? spill : 1;
      if (boxed && element.scrollWidth > element.clientWidth + slackX && !scrollsX(style)) {
        problems.push({ kind: 'clipped-text', element: describe(element), detail: `content ${px(element.scrollWidth)} wide in a box ${px(element.clientWidth)} wide (overflow-x: ${style.overflowX})` });
      }
      if (boxed && element.scrollHeight > element.clientHeight + slackY && !scrollsY(style)) {
        problems.push({ kind: 'clipped-text', element: describe(element), detail: `content ${px(element.scrollHeight)} tall in a box ${px(element.clientHeight)} tall (overflow-y: ${style.overflowY})` });
      }
      const range = document.createRange();
      const lines = ownText.flatMap((node) => {
        range.selectNodeContents(node);
        return Array.from(range.getClientRects()).filter((line) => line.width > 0);
      });
      // Up from the element: the first scroll container in each direction decides (beyond it the content is the
      // container's to scroll); an ancestor that hides overflow without scrolling cuts what lies outside it.
      let settledX = false;
      let settledY = false;
      for (let ancestor: Element | null = element; ancestor !== null && ancestor !== document.documentElement && !(settledX && settledY); ancestor = ancestor.parentElement) {
        const ancestorStyle = getComputedStyle(ancestor);
        const limit = ancestor.getBoundingClientRect();
        const rtl = ancestorStyle.direction === 'rtl';
        for (const line of lines) {
          let cut: string | null = null;
          if (!settledX && scrollsX(ancestorStyle)) {
            // Scrolling reaches from the start edge on; what lies before it (a centred box wider than its container) never shows.
            const beforeStart = rtl ? line.right > limit.right - ancestor.scrollLeft + 1 : line.left < limit.left - ancestor.scrollLeft - 1;
            if (beforeStart) cut = 'before the start of a scroll container, where scrolling cannot reach';
          } else if (!settledX && ancestorStyle.overflowX !== 'visible' && (line.left < limit.left - 1 || line.right > limit.right + 1)) {
            cut = `outside a box that hides overflow (overflow-x: ${ancestorStyle.overflowX})`;
          }
          if (cut === null && !settledY && scrollsY(ancestorStyle)) {
            if (line.top < limit.top - ancestor.scrollTop - 1) cut = 'above the top of a scroll container, where scrolling cannot reach';
          } else if (cut === null && !settledY && ancestorStyle.overflowY !== 'visible' && (line.top < limit.top - 1 || line.bottom > limit.bottom + 1)) {
            cut = `outside a box that hides overflow (overflow-y: ${ancestorStyle.overflowY})`;
          }
          if (cut !== null) {
            problems.push({
              kind: 'clipped-text',
              element: describe(element),
              detail: `a line (${px(line.left)}–${px(line.right)} × ${px(line.top)}–${px(line.bottom)}) is ${cut}: ${describe(ancestor)} (${px(limit.left)}–${px(limit.right)} × ${px(limit.top)}–${px(limit.bottom)})`,
            });
            settledX = true;
            settledY = true;
            break;
          }
        }
        if (scrollsX(ancestorStyle)) settledX = true;
        if (scrollsY(ancestorStyle)) settledY = true;
      }
    }

    if (checkTargets && element.matches(targets)) {
      const label = element.closest('label');
      const pressed = label !== null && label.getBoundingClientRect().width * label.getBoundingClientRect().height > box.width * box.height ? label.getBoundingClientRect() : box;
      if (pressed.width < minTarget - 0.5 || pressed.height < minTarget - 0.5) {
        problems.push({ kind: 'small-target', element: describe(element), detail: `${px(pressed.width)} × ${px(pressed.height)}, under ${minTarget} × ${minTarget}` });
      }
    }
  }
  return problems;
}

/** Two animation frames: the layout after a resize, and what React and the resize observers redrew from it. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

async function layoutProblemsAt(page: Page, state: VisitorStateName): Promise<LayoutProblem[]> {
  await nextFrames(page);
  return page.evaluate(findLayoutProblems, { minTarget: MIN_TARGET_PX, checkTargets: VISITOR_STATES[state].audience === 'visitor' });
}

function listProblems(where: string, problems: readonly LayoutProblem[]): string[] {
  return problems.map((problem) => `${where}: ${problem.kind} ${problem.element}: ${problem.detail}`);
}

/** Each check's failure is kept, so one run reports every problem of a state at once. */
async function collect(failures: string[], label: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function screenshotName(state: VisitorStateName, language: LanguageCode, size: TextSize): string {
  return `${state}-${language}-${size}.png`;
}

async function checkEveryViewport(page: Page, state: VisitorStateName, where: string, failures: string[]): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    failures.push(...listProblems(`${where} at ${viewport.width}×${viewport.height}`, await layoutProblemsAt(page, state)));
  }
  await page.setViewportSize(REFERENCE_VIEWPORT);
}

for (const state of VISITOR_STATE_NAMES) {
  for (const language of LANGUAGES) {
    test(`${state} in ${language}: fits every screen at 100 % and 200 % text, and matches its reference screenshots`, async ({ page, kiosk }) => {
      const reached = await reachVisitorState(page, kiosk, state, language);
      const failures: string[] = [];
      try {
        for (const size of SIZES) {
          if (size !== 100) await reached.setTextSize(size);
          await checkEveryViewport(page, state, `${state} ${language} ${size} %`, failures);
          // The pointer rests where the last press was (often over a tile now): away from everything, no hover shows.
          // A move is not an input the kiosk counts (renderer/session/activity-reporter.ts).
          await page.mouse.move(0, 0);
          await nextFrames(page);
          await collect(failures, `screenshot ${screenshotName(state, language, size)}`, () =>
            expect(page).toHaveScreenshot(screenshotName(state, language, size), {
              mask: reached.info.changing(page),
              animations: 'disabled',
              caret: 'hide',
              // Anti-aliasing differs a little between runs; a moved or missing label is far more.
              maxDiffPixelRatio: 0.002,
              threshold: 0.2,
            }),
          );
        }
      } finally {
        await reached.release();
      }
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }
}

/** States whose texts are long or many: where 40 % longer words overflow first. */
const PSEUDO_STATES: readonly VisitorStateName[] = ['welcome', 'launcher', 'service', 'idle-warning', 'erased', 'help-unreachable', 'help-banner', 'file-chooser-multiple', 'refusal'];

test.describe('pseudo-localized texts (?pseudo-locale)', () => {
  for (const state of PSEUDO_STATES) {
    test(`${state}: texts 40 % longer still fit every screen at 200 %`, async ({ page, kiosk }) => {
      const reached = await reachVisitorState(page, kiosk, state, 'fr', { pseudo: true });
      const failures: string[] = [];
      try {
        // The preview pseudo-localizes only when renderer/main.tsx wires the post-processor: a page in plain French would prove nothing.
        await expect(page.locator('body'), 'the preview shows pseudo-localized texts with ?pseudo-locale').toContainText('⟦');
        await reached.setTextSize(LARGEST);
        await checkEveryViewport(page, state, `${state} pseudo-locale ${LARGEST} %`, failures);
      } finally {
        await reached.release();
      }
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }
});

interface Box {
  readonly left: number;
  readonly right: number;
}

async function boxOf(page: Page, name: string, scope: 'toolbar' | 'navigation' | 'banner'): Promise<Box> {
  const box = await page.getByRole(scope).getByRole('button', { name, exact: true }).boundingBox();
  expect(box, `${name} is on the screen`).not.toBeNull();
  return { left: box!.x, right: box!.x + box!.width };
}

/** How far the first line of an element's text starts from its box's start edge, in the reading direction. */
async function textGapFromStart(page: Page, selector: string): Promise<{ direction: string; textAlign: string; gapFromStart: number; gapFromEnd: number }> {
  return page.locator(selector).first().evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const line = range.getClientRects()[0]!;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const rtl = style.direction === 'rtl';
    return {
      direction: style.direction,
      textAlign: style.textAlign,
      gapFromStart: rtl ? box.right - line.right : line.left - box.left,
      gapFromEnd: rtl ? line.left - box.left : box.right - line.right,
    };
  });
}

for (const language of LANGUAGES) {
  test(`the toolbar and the texts follow the reading direction in ${language}`, async ({ page, kiosk }) => {
    const rtl = language === 'ar';
    const reached = await reachVisitorState(page, kiosk, 'launcher', language);
    try {
      await expect(page.locator('html')).toHaveAttribute('dir', rtl ? 'rtl' : 'ltr');
      // The launcher's title starts at the reading direction's start: right in Arabic, left in French.
      const title = await textGapFromStart(page, 'h1');
      expect(title.direction).toBe(rtl ? 'rtl' : 'ltr');
      expect(title.gapFromStart, `the title hugs the ${rtl ? 'right' : 'left'} edge of its box`).toBeLessThan(2);
      expect(title.gapFromEnd).toBeGreaterThan(title.gapFromStart);
      const themeTitle = await textGapFromStart(page, 'section h2');
      expect(themeTitle.gapFromStart, `theme titles start on the ${rtl ? 'right' : 'left'}`).toBeLessThan(themeTitle.gapFromEnd + 1);
      // The top bar: the title on the start side, Help and End session on the end side.
      const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
      const endSession = await boxOf(page, reached.says('toolbar.endSession'), 'navigation');
      if (rtl) expect(endSession.right).toBeLessThan(heading!.x);
      else expect(endSession.left).toBeGreaterThan(heading!.x + heading!.width);

      await page.locator(`button[data-service-id="${kiosk.frameable.id}"]`).click();
      await expect(page.locator('html')).toHaveAttribute('data-screen', 'service');
      const home = await boxOf(page, reached.says('toolbar.home'), 'toolbar');
      const back = await boxOf(page, reached.says('toolbar.back'), 'toolbar');
      const help = await boxOf(page, reached.says('toolbar.help'), 'toolbar');
      const end = await boxOf(page, reached.says('toolbar.endSession'), 'toolbar');
      const all = await page.getByRole('toolbar').getByRole('button').evaluateAll((buttons) => buttons.map((button) => button.getBoundingClientRect()).map((box) => ({ left: box.left, right: box.right })));
      const leftmost = Math.min(...all.map((box) => box.left));
      const rightmost = Math.max(...all.map((box) => box.right));
      if (rtl) {
        // Home, Back at the right edge, in that order from the right; Help, End session at the left, End last.
        expect(home.right).toBe(rightmost);
        expect(back.right).toBeLessThanOrEqual(home.left);
        expect(end.left).toBe(leftmost);
        expect(help.left).toBeGreaterThanOrEqual(end.right);
        expect(help.right).toBeLessThan(back.left);
      } else {
        expect(home.left).toBe(leftmost);
        expect(back.left).toBeGreaterThanOrEqual(home.right);
        expect(end.right).toBe(rightmost);
        expect(help.right).toBeLessThanOrEqual(end.left);
        expect(help.left).toBeGreaterThan(back.right);
      }
    } finally {
      await reached.release();
    }
  });
}

test('the committed reference screenshots cover every visitor state in both directions at both sizes', () => {
  test.skip(process.env.UPDATE_REFERENCE === '1', 'the reference set is being written by this run');
  const missing = VISITOR_STATE_NAMES.flatMap((state) => LANGUAGES.flatMap((language) => SIZES.map((size) => screenshotName(state, language, size)))).filter(
    (name) => !existsSync(join(SCREENSHOT_DIR, name)),
  );
  expect(missing, `missing in tests/reference/screenshots/ (UPDATE_REFERENCE=1 writes them): ${missing.join(', ')}`).toEqual([]);
  expect(TEXT_SIZES).toContain(LARGEST);
});
