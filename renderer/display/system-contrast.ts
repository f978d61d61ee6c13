/**
 * Whether the operating system asks for more contrast (`prefers-contrast: more`): the
 * visitor screens then take their strong colours as if the toolbar switch were on, so the
 * style sheet has one strong-colour theme, keyed on `data-contrast="high"`.
 * (Forced colours — Windows' contrast themes — are a different thing: the style sheet
 * answers them with the system's own colours.)
 */
import { useSyncExternalStore } from 'react';

const MORE_CONTRAST = '(prefers-contrast: more)';

function query(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(MORE_CONTRAST) : null;
}

function subscribe(onChange: () => void): () => void {
  const list = query();
  list?.addEventListener('change', onChange);
  return () => list?.removeEventListener('change', onChange);
}

export function useSystemPrefersMoreContrast(): boolean {
  return useSyncExternalStore(subscribe, () => query()?.matches ?? false);
}
