/**
 * Languages the kiosk can speak. A language is offered to visitors only when its
 * locale folder is complete (a test checks every folder against English).
 * Each name is written in its own language: a visitor looks for their language,
 * not for a flag or a translation of its name.
 */
export const LANGUAGES = [
  { code: 'fr', endonym: 'Français', direction: 'ltr' },
  { code: 'nl', endonym: 'Nederlands', direction: 'ltr' },
  { code: 'de', endonym: 'Deutsch', direction: 'ltr' },
  { code: 'en', endonym: 'English', direction: 'ltr' },
  // For the newcomers EPNs serve: the visitor screens speak these too, the staff screens do not (STAFF_LANGUAGE_CODES).
  { code: 'ar', endonym: 'العربية', direction: 'rtl' },
  { code: 'tr', endonym: 'Türkçe', direction: 'ltr' },
  { code: 'uk', endonym: 'Українська', direction: 'ltr' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
export type TextDirection = (typeof LANGUAGES)[number]['direction'];

export const LANGUAGE_CODES = LANGUAGES.map((language) => language.code) as [LanguageCode, ...LanguageCode[]];

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && (LANGUAGE_CODES as readonly string[]).includes(value);
}

export function endonymOf(code: LanguageCode): string {
  return LANGUAGES.find((language) => language.code === code)?.endonym ?? code;
}

/** English is the source language: the last resort when a text lacks a translation. */
export const SOURCE_LANGUAGE: LanguageCode = 'en';

/**
 * The languages of the staff screens, the statistics and the helpers' dashboard (their
 * locale files exist in these only): the team's languages, not the visitors'.
 */
export const STAFF_LANGUAGE_CODES = ['fr', 'nl', 'de', 'en'] as const satisfies readonly LanguageCode[];
export type StaffLanguageCode = (typeof STAFF_LANGUAGE_CODES)[number];

export function isStaffLanguageCode(value: unknown): value is StaffLanguageCode {
  return typeof value === 'string' && (STAFF_LANGUAGE_CODES as readonly string[]).includes(value);
}

/** The staff screens speak the kiosk's language when they can, English otherwise. */
export function staffLanguageFor(code: LanguageCode): StaffLanguageCode {
  return isStaffLanguageCode(code) ? code : 'en';
}

export function directionOf(code: LanguageCode): TextDirection {
  return LANGUAGES.find((language) => language.code === code)?.direction ?? 'ltr';
}
