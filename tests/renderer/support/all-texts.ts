/**
 * Every visitor text of every language at once, for tests that render screens and read
 * them at once (the app itself loads `common` per language on demand: renderer/i18n/kiosk-i18n.ts).
 */
import type { Resource } from 'i18next';
import { isLanguageCode } from '../../../shared/languages';

const files = import.meta.glob<Record<string, unknown>>(['../../../locales/*/common.json', '../../../locales/*/welcome.json'], { eager: true, import: 'default' });

export function allVisitorTexts(): Resource {
  const resources: Resource = {};
  for (const [path, texts] of Object.entries(files)) {
    const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (match === null) continue;
    const [, language, namespace] = match;
    if (language === undefined || namespace === undefined || !isLanguageCode(language)) continue;
    (resources[language] ??= {})[namespace] = texts;
  }
  return resources;
}
