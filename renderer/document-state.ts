/**
 * What the page tells the outside about itself: the language and direction on
 * <html>, and which screen is up (`data-screen`), which end-to-end tests and
 * benchmarks wait for. `data-screen` appears only once a screen can be used.
 */
import { LANGUAGES, type LanguageCode } from '../shared/languages';

export type ScreenName = 'welcome' | 'launcher' | 'service';

/** Marked once, the first time the welcome screen can be used: the launcher's time to interactive. */
export const INTERACTIVE_MARK = 'kiosk:interactive';

export function showDocumentState(root: HTMLElement, language: LanguageCode, screen: ScreenName | null): void {
  root.lang = language;
  root.dir = LANGUAGES.find((candidate) => candidate.code === language)?.direction ?? 'ltr';
  if (screen === null) delete root.dataset.screen;
  else root.dataset.screen = screen;
}

export function markInteractiveOnce(): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(INTERACTIVE_MARK, 'mark').length > 0) return;
  performance.mark(INTERACTIVE_MARK);
}
