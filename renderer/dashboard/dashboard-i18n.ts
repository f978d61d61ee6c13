/**
 * The dashboard's texts (`locales/<lang>/dashboard.json`), bundled with the dashboard
 * only: the kiosk's own bundle never carries them, and this page never carries the
 * visitor screens' texts. Its language is the helper's choice, remembered on the device,
 * first guessed from the browser's languages; always one of the staff languages
 * (STAFF_LANGUAGE_CODES), the only ones with dashboard texts.
 */
import { createInstance, type i18n as I18n, type Resource } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { SOURCE_LANGUAGE, STAFF_LANGUAGE_CODES, isStaffLanguageCode, staffLanguageFor, type LanguageCode, type StaffLanguageCode } from '../../shared/languages';
import type englishTexts from '../../locales/en/dashboard.json';

export const DASHBOARD_NAMESPACE = 'dashboard';

const textFiles = import.meta.glob<Record<string, unknown>>('../../locales/*/dashboard.json', { eager: true, import: 'default' });

function dashboardResources(): Resource {
  const resources: Resource = {};
  for (const [path, texts] of Object.entries(textFiles)) {
    const language = /\/locales\/([^/]+)\/dashboard\.json$/.exec(path)?.[1];
    if (language === undefined || !isStaffLanguageCode(language)) continue;
    resources[language] = { [DASHBOARD_NAMESPACE]: texts };
  }
  return resources;
}

/** A kiosk language the dashboard does not speak (a visitor language such as Arabic) opens it in English. */
export function createDashboardI18n(language: LanguageCode): I18n {
  const instance = createInstance();
  // Resources inline and initAsync off: ready before this returns.
  void instance.init({
    resources: dashboardResources(),
    lng: staffLanguageFor(language),
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: STAFF_LANGUAGE_CODES,
    ns: [DASHBOARD_NAMESPACE],
    defaultNS: DASHBOARD_NAMESPACE,
    initAsync: false,
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  return instance;
}

/** The first of the browser's languages the dashboard speaks, else English. */
export function browserLanguage(candidates: readonly string[]): StaffLanguageCode {
  for (const candidate of candidates) {
    const base = candidate.toLowerCase().split('-')[0];
    if (isStaffLanguageCode(base)) return base;
  }
  return 'en';
}

export function languageOf(instance: I18n): StaffLanguageCode {
  const language = instance.resolvedLanguage ?? instance.language;
  return isStaffLanguageCode(language) ? language : 'en';
}

/* English is the source of the keys, as for the kiosk's own namespaces. */
type Leaves<T, Prefix extends string = ''> = T extends string
  ? Prefix
  : { [K in keyof T & string]: Leaves<T[K], Prefix extends '' ? K : `${Prefix}.${K}`> }[keyof T & string];
type WithoutPluralSuffix<Key extends string> = Key extends `${infer Base}_${'one' | 'other'}` ? Base : Key;

/** Every key of locales/en/dashboard.json, plural forms by their base name ("queue.count"). */
export type DashboardTextKey = WithoutPluralSuffix<Leaves<typeof englishTexts>>;
export type DashboardTexts = (key: DashboardTextKey, values?: Readonly<Record<string, string | number>>) => string;

type UntypedTranslate = (key: string, options: Record<string, unknown>) => string;

/**
 * The dashboard's `t()`, typed by the English file. The kiosk's i18next type declaration
 * (renderer/i18n/i18next.d.ts) lists only the kiosk's namespaces, so the keys are
 * checked here instead; the component still re-renders when the language changes.
 */
export function useDashboardTexts(): { readonly t: DashboardTexts; readonly language: StaffLanguageCode; readonly i18n: I18n } {
  const { i18n } = useTranslation();
  const language = languageOf(i18n);
  const t = useCallback<DashboardTexts>(
    (key, values) => (i18n.t.bind(i18n) as unknown as UntypedTranslate)(key, { ...values, ns: DASHBOARD_NAMESPACE, lng: language }),
    [i18n, language],
  );
  return { t, language, i18n };
}
