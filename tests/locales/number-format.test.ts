/**
 * Numbers in visitor texts are written the language's way through i18next's own
 * formatter (`{{count, number}}`, `{{size, number(style: percent)}}`, i18next's built-in
 * Intl formatter): digit grouping, decimal and percent signs follow the language.
 *
 * Arabic: the digits are whatever the platform's Intl gives for "ar". Today's CLDR (Node
 * and Chromium alike) writes Western digits (1,234 and 150‎%‎), which most Arabic
 * readers in Belgium (many from the Maghreb) use; Arabic-Indic digits (١٬٢٣٤) would be
 * right too, so both are accepted, as long as the text is what Intl writes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInstance, type i18n as I18n } from 'i18next';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES, type LanguageCode } from '../../shared/languages';

const LOCALES = fileURLToPath(new URL('../../locales/', import.meta.url));

function visitorTexts(language: LanguageCode): I18n {
  const read = (namespace: string) => JSON.parse(readFileSync(`${LOCALES}${language}/${namespace}.json`, 'utf8')) as Record<string, unknown>;
  const i18n = createInstance();
  // The kiosk's own options (renderer/i18n/kiosk-i18n.ts): no fallback here, so a missing text shows as its key.
  void i18n.init({
    lng: language,
    fallbackLng: false,
    resources: { [language]: { common: read('common'), welcome: read('welcome') } },
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return i18n;
}

/** Digits as a reader sees them, whichever digit set the language writes. */
function westernDigits(text: string): string {
  return text.replace(/[٠-٩]/g, (digit) => String(digit.charCodeAt(0) - 0x0660));
}

/** The text with its invisible direction marks removed (Arabic percent signs carry some). */
function visible(text: string): string {
  return text.replace(/[\u200e\u200f\u061c]/g, '');
}

describe('numbers in visitor texts', () => {
  it.each(LANGUAGE_CODES)('%s: counts are grouped the language\'s way', (language) => {
    const i18n = visitorTexts(language);
    const grouped = new Intl.NumberFormat(language).format(1234);
    for (const key of ['idle.countdown', 'session.lengthWarning', 'staffEntry.digits', 'staffEntry.wrongPin'] as const) {
      const text = i18n.t(key, { count: 1234 });
      expect(text, `${language} ${key}`).toContain(grouped);
      expect(text, `${language} ${key}`).not.toContain('1234');
      expect(i18n.t(key, { count: 5 }), `${language} ${key}`).toMatch(/5|٥/);
    }
  });

  it('writes the grouping each language expects', () => {
    const countdown = (language: LanguageCode) => visible(visitorTexts(language).t('idle.countdown', { count: 1234 }));
    expect(countdown('en')).toContain('1,234');
    expect(countdown('de')).toContain('1.234');
    expect(countdown('nl')).toContain('1.234');
    expect(countdown('tr')).toContain('1.234');
    expect(countdown('fr')).toMatch(/1[\u202f\u00a0 ]234/);
    expect(countdown('uk')).toMatch(/1[\u202f\u00a0 ]234/);
    expect(westernDigits(countdown('ar'))).toMatch(/1[,٬]234/);
  });

  it.each(LANGUAGE_CODES)('%s: the text size reads as a percentage', (language) => {
    const i18n = visitorTexts(language);
    const text = i18n.t('display.textSizeNow', { size: 1.5 });
    expect(text).toContain(new Intl.NumberFormat(language, { style: 'percent' }).format(1.5));
    expect(westernDigits(visible(text))).toMatch(/150\s?%|%150|150\s?٪|٪150/);
    expect(text).not.toContain('{{');
    expect(westernDigits(visible(i18n.t('display.textSizeNow', { size: 2 })))).toMatch(/200/);
  });

  it('puts the percent sign where each language puts it', () => {
    const size = (language: LanguageCode) => visible(visitorTexts(language).t('display.textSizeNow', { size: 1.25 }));
    expect(size('en')).toBe('Text size: 125%');
    expect(size('fr')).toMatch(/^Taille du texte\s:\s125[\u202f\u00a0]%$/);
    expect(size('de')).toMatch(/^Schriftgröße: 125[\u202f\u00a0]%$/);
    expect(size('tr')).toBe('Yazı boyutu: %125');
  });
});
