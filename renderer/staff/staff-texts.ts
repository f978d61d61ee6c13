/**
 * The staff screen's texts (`locales/<lang>/staff.json`), bundled with the staff screen's
 * own chunk rather than the launcher's (see STAFF_NAMESPACES in i18n/kiosk-i18n.ts), and
 * added to the app's i18next instance when the screen first shows.
 */
import type { i18n as I18n } from 'i18next';
import { isStaffLanguageCode } from '../../shared/languages';

export const STAFF_NAMESPACE = 'staff';

const textFiles = import.meta.glob<Record<string, unknown>>('../../locales/*/staff.json', { eager: true, import: 'default' });

/** Adds the staff screen's texts of every staff language (the only ones it exists in) to the instance (once; later calls change nothing). */
export function addStaffTexts(i18n: I18n): void {
  for (const [path, texts] of Object.entries(textFiles)) {
    const language = /\/locales\/([^/]+)\/staff\.json$/.exec(path)?.[1];
    if (language === undefined || !isStaffLanguageCode(language)) continue;
    if (!i18n.hasResourceBundle(language, STAFF_NAMESPACE)) i18n.addResourceBundle(language, STAFF_NAMESPACE, texts);
  }
}
