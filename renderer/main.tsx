import { createRoot } from 'react-dom/client';
import { SOURCE_LANGUAGE } from '../shared/languages';
import { getKioskBridge } from './bridge/kiosk-bridge';
import { createKioskI18n, loadVisitorTexts, preferredLanguage, type KioskI18nOptions } from './i18n/kiosk-i18n';
import { KioskRoot } from './KioskRoot';
import './styles/kiosk.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html must contain <div id="root">');

/**
 * The browser preview's layout checks (tests/e2e/layout.spec.ts) ask for pseudo-localized
 * texts with `?pseudo-locale`; only the preview (no Electron preload) listens, and the
 * post-processor is a chunk of its own that the kiosk never loads.
 */
async function i18nOptions(): Promise<KioskI18nOptions> {
  if (window.kiosk !== undefined || !new URLSearchParams(window.location.search).has('pseudo-locale')) return {};
  const { pseudoLocalePostProcessor, PSEUDO_LOCALE_NAME } = await import('./i18n/pseudo-localize');
  return { modules: [pseudoLocalePostProcessor], postProcess: [PSEUDO_LOCALE_NAME] };
}

void i18nOptions().then((options) => {
  const startLanguage = preferredLanguage(navigator.languages, SOURCE_LANGUAGE);
  const i18n = createKioskI18n(startLanguage, options);
  // Most kiosks speak their PC's language by default: its texts start loading with the configuration.
  loadVisitorTexts(i18n, startLanguage).catch(() => undefined);
  createRoot(container).render(<KioskRoot bridge={getKioskBridge()} i18n={i18n} />);
});
