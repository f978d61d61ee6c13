/**
 * The kiosk's texts. Everything is bundled at build time, never fetched from elsewhere
 * (the kiosk works offline and its Content-Security-Policy allows no outside data):
 *
 * - `welcome` (the welcome screen and the loading message) for every language, in the
 *   launcher's own script: the welcome screen invites each visitor in their language;
 * - `common` (every other visitor screen) in one small chunk per language, loaded when
 *   that language is needed (the kiosk's default language as the configuration arrives,
 *   a visitor's language as they choose it, before their launcher shows). A kiosk
 *   offering seven languages loads the one or two it speaks, not all seven.
 */
import { createInstance, type i18n as I18n, type Resource, type ResourceLanguage } from 'i18next';
import type { Module } from 'i18next';
import { LANGUAGE_CODES, SOURCE_LANGUAGE, isLanguageCode, type LanguageCode } from '../../shared/languages';

export const DEFAULT_NAMESPACE = 'common';
export const WELCOME_NAMESPACE = 'welcome';

/**
 * Namespaces left out of the launcher's bundle: the staff screens' texts travel with
 * those screens' own chunk (renderer/staff/staff-texts.ts, renderer/staff/tiles/tiles-texts.ts
 * and renderer/statistics/statistics-texts.ts add them when the screen loads), and the
 * helpers' dashboard is a build of its own (renderer/dashboard/), so the visitor's
 * screens never download them. (The PIN pad's few texts are in common.json, staffEntry.*.)
 */
export const STAFF_NAMESPACES = ['stats', 'dashboard', 'staff', 'tiles'] as const;

const welcomeFiles = import.meta.glob<Record<string, unknown>>('../../locales/*/welcome.json', { eager: true, import: 'default' });
const commonFiles = import.meta.glob<Record<string, unknown>>('../../locales/*/common.json', { import: 'default' });

function languageOfPath(path: string): LanguageCode | null {
  const language = /\/locales\/([^/]+)\/[^/]+\.json$/.exec(path)?.[1];
  return language !== undefined && isLanguageCode(language) ? language : null;
}

/** The welcome screen's texts of every kiosk language, as i18next resources. */
export function welcomeResources(): Resource {
  const resources: Resource = {};
  for (const [path, texts] of Object.entries(welcomeFiles)) {
    const language = languageOfPath(path);
    if (language !== null) resources[language] = { [WELCOME_NAMESPACE]: texts };
  }
  return resources;
}

export interface KioskI18nOptions {
  /**
   * Resources given whole, for tests that render screens at once (tests build them from
   * the locale files); without it, only the welcome texts are there at start.
   */
  readonly resources?: Resource;
  /** i18next modules to use, such as the pseudo-locale post-processor of the preview's layout checks. */
  readonly modules?: readonly Module[];
  /** Post-processors applied to every text (their names). */
  readonly postProcess?: readonly string[];
}

export function createKioskI18n(initialLanguage: LanguageCode, options: KioskI18nOptions = {}): I18n {
  const resources = options.resources ?? welcomeResources();
  const instance = createInstance();
  for (const module of options.modules ?? []) instance.use(module);
  // With resources given inline and initAsync off, init finishes before it returns.
  void instance.init({
    resources,
    lng: initialLanguage,
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: LANGUAGE_CODES,
    ns: [DEFAULT_NAMESPACE, WELCOME_NAMESPACE],
    defaultNS: DEFAULT_NAMESPACE,
    initAsync: false,
    // React escapes what it renders; escaping here too would show "&amp;" to visitors.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    ...(options.postProcess === undefined ? {} : { postProcess: [...options.postProcess] }),
  });
  return instance;
}

export function hasVisitorTexts(instance: I18n, language: LanguageCode): boolean {
  return instance.hasResourceBundle(language, DEFAULT_NAMESPACE);
}

const loading = new WeakMap<I18n, Map<LanguageCode, Promise<void>>>();

/**
 * Makes sure the visitor screens' texts of `language` are in the instance: at once when
 * they are, else after their chunk has loaded (a local file: milliseconds). A failed load
 * is forgotten so that the next call tries again.
 */
export function loadVisitorTexts(instance: I18n, language: LanguageCode): Promise<void> {
  if (hasVisitorTexts(instance, language)) return Promise.resolve();
  const pending = loading.get(instance) ?? new Map<LanguageCode, Promise<void>>();
  loading.set(instance, pending);
  const already = pending.get(language);
  if (already !== undefined) return already;
  const load = commonFiles[`../../locales/${language}/common.json`];
  if (load === undefined) return Promise.reject(new Error(`no locales/${language}/common.json in the build`));
  const promise = load().then(
    (texts) => {
      pending.delete(language);
      if (!hasVisitorTexts(instance, language)) instance.addResourceBundle(language, DEFAULT_NAMESPACE, texts as ResourceLanguage);
    },
    (error: unknown) => {
      pending.delete(language);
      throw error;
    },
  );
  pending.set(language, promise);
  return promise;
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
