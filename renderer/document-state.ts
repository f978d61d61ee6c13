/**
 * What the page tells the outside about itself: the language and direction on
 * <html>, which screen is up (`data-screen`) and the visitor session's phase
 * (`data-session-phase`), which end-to-end tests and benchmarks wait for. Both appear
 * only once what they name is drawn and usable. The visitor's display settings are
 * there too, for the style sheet: `data-text-size` (100, 125, 150, 200) and
 * `data-contrast="high"` for strong colours.
 */
import type { SessionPhase } from '../shared/contract';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../shared/display-settings';
import { LANGUAGES, type LanguageCode } from '../shared/languages';

/**
 * The screen drawn. The idle warning is not a screen: it covers the launcher or the
 * service, so `data-screen` stays theirs while `data-session-phase` is `idle-warning`.
 */
export type ScreenName = 'welcome' | 'launcher' | 'service' | 'ending' | 'erased' | 'out-of-order' | 'statistics' | 'staff';

/** Marked once, the first time the welcome screen can be used: the launcher's time to interactive. */
export const INTERACTIVE_MARK = 'kiosk:interactive';

export function showDocumentState(
  root: HTMLElement,
  language: LanguageCode,
  screen: ScreenName | null,
  phase: SessionPhase | null = null,
  display: DisplaySettings = DEFAULT_DISPLAY,
): void {
  root.lang = language;
  root.dataset.textSize = String(display.textSize);
  if (display.highContrast) root.dataset.contrast = 'high';
  else delete root.dataset.contrast;
  root.dir = LANGUAGES.find((candidate) => candidate.code === language)?.direction ?? 'ltr';
  if (screen === null) delete root.dataset.screen;
  else root.dataset.screen = screen;
  if (phase === null) delete root.dataset.sessionPhase;
  else root.dataset.sessionPhase = phase;
}

export function markInteractiveOnce(): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(INTERACTIVE_MARK, 'mark').length > 0) return;
  performance.mark(INTERACTIVE_MARK);
}
