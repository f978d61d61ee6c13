/**
 * The kiosk's texts. Every locale file is bundled at build time (the kiosk works
 * offline and its Content-Security-Policy allows no fetching of scripts or data from
 * elsewhere), so switching language is immediate and never waits for the network.
 */
import { createInstance, type i18n as I18n, type Resource } from 'i18next';
import { LANGUAGE_CODES, SOURCE_LANGUAGE, isLanguageCode, type LanguageCode } from '../../shared/languages';

export const DEFAULT_NAMESPACE = 'common';

/**
 * Namespaces left out of the launcher's bundle: the staff screens' texts travel with
 * those screens' own chunk (renderer/staff/staff-texts.ts, renderer/staff/tiles/tiles-texts.ts
 * and renderer/statistics/statistics-texts.ts add them when the screen loads), and the
 * helpers' dashboard is a build of its own (renderer/dashboard/), so the visitor's
 * screens never download them. (The PIN pad's few texts are in common.json, staffEntry.*.)
 */
export const STAFF_NAMESPACES = ['stats', 'dashboard', 'staff', 'tiles'] as const;

const localeFiles = import.meta.glob<Record<string, unknown>>(
  ['../../locales/*/*.json', '!../../locales/*/stats.json', '!../../locales/*/dashboard.json', '!../../locales/*/staff.json', '!../../locales/*/tiles.json'],
  { eager: true, import: 'default' },
);

/** Turns `../../locales/<lang>/<namespace>.json` files into i18next resources, for the kiosk's languages only. */
export function bundledResources(): Resource {
  const resources: Resource = {};
  for (const [path, texts] of Object.entries(localeFiles)) {
    const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (match === null) continue;
    const [, language, namespace] = match;
    if (language === undefined || namespace === undefined || !isLanguageCode(language)) continue;
    (resources[language] ??= {})[namespace] = texts;
  }
  return resources;
}

export function createKioskI18n(initialLanguage: LanguageCode): I18n {
  const resources = bundledResources();
  const instance = createInstance();
  // With resources given inline and initAsync off, init finishes before it returns.
  void instance.init({
    resources,
    lng: initialLanguage,
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: LANGUAGE_CODES,
    ns: Object.keys(resources[SOURCE_LANGUAGE] ?? { [DEFAULT_NAMESPACE]: {} }),
    defaultNS: DEFAULT_NAMESPACE,
    initAsync: false,
    // React escapes what it renders; escaping here too would show "&amp;" to visitors.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  return instance;
}

/** The language of the PC's own settings when the kiosk offers it: used only until the configuration arrives. */
export function preferredLanguage(candidates: readonly string[], fallback: LanguageCode): LanguageCode {
  for (const candidate of candidates) {
    const base = candidate.toLowerCase().split('-')[0];
    if (isLanguageCode(base)) return base;
  }
  return fallback;
}

/** The language i18next is speaking, as one of the kiosk's languages. */
export function currentLanguage(instance: I18n): LanguageCode {
  const language = instance.resolvedLanguage ?? instance.language;
  return isLanguageCode(language) ? language : SOURCE_LANGUAGE;
}
