/**
 * The statistics screen's texts (`locales/<lang>/stats.json`), bundled with the screen's
 * own chunk rather than the launcher's (see STAFF_NAMESPACES in i18n/kiosk-i18n.ts), and
 * added to the app's i18next instance when the screen first shows.
 */
import type { i18n as I18n } from 'i18next';
import { isStaffLanguageCode } from '../../shared/languages';

export const STATISTICS_NAMESPACE = 'stats';

const textFiles = import.meta.glob<Record<string, unknown>>('../../locales/*/stats.json', { eager: true, import: 'default' });

/** Adds the statistics texts of every staff language (the only ones it exists in) to the instance (once; later calls change nothing). */
export function addStatisticsTexts(i18n: I18n): void {
  for (const [path, texts] of Object.entries(textFiles)) {
    const language = /\/locales\/([^/]+)\/stats\.json$/.exec(path)?.[1];
    if (language === undefined || !isStaffLanguageCode(language)) continue;
    if (!i18n.hasResourceBundle(language, STATISTICS_NAMESPACE)) i18n.addResourceBundle(language, STATISTICS_NAMESPACE, texts);
  }
}
