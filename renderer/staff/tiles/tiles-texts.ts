/**
 * The tiles editor's texts (`locales/<lang>/tiles.json`), bundled with the staff screen's
 * chunk, never with the launcher's: the staff screen calls `addTilesTexts` when it loads.
 */
import type { i18n as I18n } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguageCode, isStaffLanguageCode, SOURCE_LANGUAGE, staffLanguageFor, type StaffLanguageCode } from '../../../shared/languages';
import type englishTexts from '../../../locales/en/tiles.json';

export const TILES_NAMESPACE = 'tiles';

const textFiles = import.meta.glob<Record<string, unknown>>('../../../locales/*/tiles.json', { eager: true, import: 'default' });

/** Adds the tiles editor's texts of every staff language (the only ones it exists in) to the instance (once; later calls change nothing). */
export function addTilesTexts(i18n: I18n): void {
  for (const [path, texts] of Object.entries(textFiles)) {
    const language = /\/locales\/([^/]+)\/tiles\.json$/.exec(path)?.[1];
    if (language === undefined || !isStaffLanguageCode(language)) continue;
    if (!i18n.hasResourceBundle(language, TILES_NAMESPACE)) i18n.addResourceBundle(language, TILES_NAMESPACE, texts);
  }
}

/* English is the source of the keys, as for the kiosk's own namespaces. */
type Leaves<T, Prefix extends string = ''> = T extends string
  ? Prefix
  : { [K in keyof T & string]: Leaves<T[K], Prefix extends '' ? K : `${Prefix}.${K}`> }[keyof T & string];

export type TilesTextKey = Leaves<typeof englishTexts>;
export type TilesTexts = (key: TilesTextKey, values?: Readonly<Record<string, string | number>>) => string;

type UntypedTranslate = (key: string, options: Record<string, unknown>) => string;

/**
 * The editor's `t()`, typed by the English file (renderer/i18n/i18next.d.ts types only
 * the launcher's namespaces), in the staff screen's language; also the kiosk's own
 * `t()` for the texts the launcher already has (theme names).
 */
export function useTilesTexts() {
  const { t: common, i18n } = useTranslation();
  const resolved = i18n.resolvedLanguage ?? i18n.language;
  const language: StaffLanguageCode = staffLanguageFor(isLanguageCode(resolved) ? resolved : SOURCE_LANGUAGE);
  const t = useCallback<TilesTexts>(
    (key, values) => (i18n.t.bind(i18n) as unknown as UntypedTranslate)(key, { ...values, ns: TILES_NAMESPACE, lng: language }),
    [i18n, language],
  );
  return { t, common, language, i18n } as const;
}
