/**
 * The kiosk's own texts, read from locales/<lang>/<namespace>.json, so the tests look for
 * what a visitor reads rather than copies of it that would drift. Numbers are written as
 * the kiosk writes them ({{count, number}}: i18next's Intl formatter for the language).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type LanguageCode } from '../../../shared/languages';

const localesDir = fileURLToPath(new URL('../../../locales/', import.meta.url));
const cache = new Map<string, unknown>();

/**
 * The namespaces of locales/<lang>/: the welcome screen's texts, the other visitor
 * screens', and (in the staff languages only) the statistics screen's, the staff
 * screen's, the tiles editor's and the helpers' dashboard's.
 */
export type Namespace = 'welcome' | 'common' | 'stats' | 'staff' | 'tiles' | 'dashboard';

function resources(language: LanguageCode, namespace: Namespace): unknown {
  const cacheKey = `${language}/${namespace}`;
  let loaded = cache.get(cacheKey);
  if (loaded === undefined) {
    loaded = JSON.parse(readFileSync(`${localesDir}${language}/${namespace}.json`, 'utf8')) as unknown;
    cache.set(cacheKey, loaded);
  }
  return loaded;
}

/** The text of a key such as "endSession.confirm", with {{placeholders}} filled in (numbers formatted for the language). */
export function text(language: LanguageCode, key: string, values: Readonly<Record<string, string | number>> = {}, namespace: Namespace = 'common'): string {
  let node = resources(language, namespace);
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== 'string') throw new Error(`locales/${language}/${namespace}.json has no text at "${key}"`);
  return node.replace(/\{\{\s*(\w+)\s*(?:,\s*([^}]*?))?\s*\}\}/g, (_match, name: string, format: string | undefined) => {
    const value = values[name];
    if (value === undefined) throw new Error(`"${key}" in ${language} needs a value for {{${name}}}`);
    if (format === undefined) return String(value);
    if (format === 'number') return new Intl.NumberFormat(language).format(Number(value));
    throw new Error(`"${key}" in ${language}: this helper does not write the format "${format}" yet`);
  });
}

/** A text of the welcome screen (locales/<lang>/welcome.json). */
export function welcomeText(language: LanguageCode, key: string): string {
  return text(language, key, {}, 'welcome');
}

export function endonym(language: LanguageCode): string {
  return LANGUAGES.find((candidate) => candidate.code === language)!.endonym;
}

/** For names used in regular expressions. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A text of the statistics screen (locales/<lang>/stats.json). */
export function statsText(language: LanguageCode, key: string, values: Readonly<Record<string, string>> = {}): string {
  return text(language, key, values, 'stats');
}

/** A text of the staff screen (locales/<lang>/staff.json). */
export function staffText(language: LanguageCode, key: string, values: Readonly<Record<string, string>> = {}): string {
  return text(language, key, values, 'staff');
}
