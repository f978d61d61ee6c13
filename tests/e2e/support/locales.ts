/**
 * The kiosk's own texts, read from locales/<lang>/common.json, so the tests look for
 * what a visitor reads rather than copies of it that would drift.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type LanguageCode } from '../../../shared/languages';

const localesDir = fileURLToPath(new URL('../../../locales/', import.meta.url));
const cache = new Map<LanguageCode, unknown>();

function resources(language: LanguageCode): unknown {
  let loaded = cache.get(language);
  if (loaded === undefined) {
    loaded = JSON.parse(readFileSync(`${localesDir}${language}/common.json`, 'utf8')) as unknown;
    cache.set(language, loaded);
  }
  return loaded;
}

/** The text of a key such as "endSession.confirm", with {{placeholders}} filled in. */
export function text(language: LanguageCode, key: string, values: Readonly<Record<string, string>> = {}): string {
  let node = resources(language);
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== 'string') throw new Error(`locales/${language}/common.json has no text at "${key}"`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`"${key}" in ${language} needs a value for {{${name}}}`);
    return value;
  });
}

export function endonym(language: LanguageCode): string {
  return LANGUAGES.find((candidate) => candidate.code === language)!.endonym;
}

/** For names used in regular expressions. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
