import { createInstance } from 'i18next';
import frCommon from '../../locales/fr/common.json';
import frWelcome from '../../locales/fr/welcome.json';
import { createKioskI18n } from '../../renderer/i18n/kiosk-i18n';
import { describe, expect, it } from 'vitest';
import {
  PSEUDO_CLOSE,
  PSEUDO_LOCALE_NAME,
  PSEUDO_OPEN,
  extraLengthFor,
  isPseudoLocaleRequested,
  isPseudoLocalized,
  pseudoLocalePostProcessor,
  pseudoLocalize,
  segmentsOf,
} from '../../renderer/i18n/pseudo-localize';

const localeFiles = import.meta.glob<unknown>('../../locales/*/*.json', { eager: true, import: 'default' });

/** The text between the brackets. */
function inside(text: string): string {
  expect(text.startsWith(PSEUDO_OPEN), `${text} opens with ${PSEUDO_OPEN}`).toBe(true);
  expect(text.endsWith(PSEUDO_CLOSE), `${text} closes with ${PSEUDO_CLOSE}`).toBe(true);
  return text.slice(PSEUDO_OPEN.length, -PSEUDO_CLOSE.length);
}

/** Code points, as a person counts characters (each accented letter is one). */
function lengthOf(text: string): number {
  return [...text].length;
}

/** The readable text again: accents taken off, doubled letters and the filler removed. */
function unaccented(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

function everyText(node: unknown, found: string[] = []): string[] {
  if (typeof node === 'string') found.push(node);
  else if (typeof node === 'object' && node !== null) for (const value of Object.values(node)) everyText(value, found);
  return found;
}

describe('pseudoLocalize', () => {
  it('accents every unaccented Latin letter, upper and lower case, one code point each', () => {
    const alphabet = 'bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ';
    const body = inside(pseudoLocalize(alphabet));
    const word = body.split(' ')[0]!;
    expect(word).not.toMatch(/[A-Za-z]/);
    expect(lengthOf(word)).toBe(alphabet.length);
    // Each is the letter with a mark, so it stays readable; q and Q have no such form and take a hook.
    expect(unaccented(word)).toBe(alphabet.replace('q', 'ʠ').replace('Q', 'Ɋ'));
    for (const vowel of 'aeiouyAEIOUY') {
      const accented = inside(pseudoLocalize(vowel)).split(' ')[0]!;
      expect(accented, vowel).not.toMatch(/[A-Za-z]/);
      expect(new Set(unaccented(accented)), vowel).toEqual(new Set([vowel]));
    }
  });

  it('gives lower- and upper-case letters distinct accented forms, case kept', () => {
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
      const lower = inside(pseudoLocalize(letter))[0]!;
      const upper = inside(pseudoLocalize(letter.toUpperCase()))[0]!;
      expect(lower, letter).not.toBe(upper);
      expect(lower.toLowerCase(), letter).toBe(lower);
      expect(upper, letter.toUpperCase()).not.toMatch(/[a-z]/);
    }
  });

  it('keeps a, e… recognisable: á, ë', () => {
    expect(inside(pseudoLocalize('a'))[0]).toBe('á');
    expect(inside(pseudoLocalize('e'))[0]).toBe('ë');
    expect(unaccented(inside(pseudoLocalize('Help')))).toMatch(/^He+lp ~+$/);
  });

  it('leaves letters that are already accented, other scripts, digits and punctuation as they are', () => {
    for (const text of ['é à ç ü ñ ß', 'مساعدة', 'Допомога', '12 345,67 € ?!', '日本語']) {
      const body = inside(pseudoLocalize(text));
      expect(body.startsWith(text.replace(/([aeiouy])/g, '$1')), text).toBe(true);
    }
    expect(inside(pseudoLocalize('مساعدة'))).toBe('مساعدة ~~~');
  });

  it('makes texts about 40 % longer, at least 2 characters, within the brackets', () => {
    for (const text of ['OK', 'Aide', 'Accueil', 'Terminer la session', 'Tout ce que vous avez fait sur cet ordinateur a été effacé.', 'x'.repeat(200)]) {
      const body = inside(pseudoLocalize(text));
      const extra = lengthOf(body) - lengthOf(text);
      const wanted = Math.max(2, Math.ceil(lengthOf(text) * 0.4));
      expect(extra, text).toBeGreaterThanOrEqual(wanted);
      // The filler's separating spaces come on top; nothing else.
      expect(extra, text).toBeLessThanOrEqual(wanted + 1 + Math.ceil(wanted / 6));
    }
    expect(extraLengthFor(0)).toBe(2);
    expect(extraLengthFor(1)).toBe(2);
    expect(extraLengthFor(5)).toBe(2);
    expect(extraLengthFor(6)).toBe(3);
    expect(extraLengthFor(100)).toBe(40);
  });

  it('lengthens words by doubling vowels spread over the text, then adds a filler that can wrap', () => {
    const result = inside(pseudoLocalize('Terminer la session maintenant'));
    const words = result.split(' ');
    // Several words grew, not only the last one.
    const grown = ['Terminer', 'la', 'session', 'maintenant'].filter((word, index) => lengthOf(words[index]!) > word.length);
    expect(grown.length).toBeGreaterThanOrEqual(3);
    // The filler comes in groups of at most 6, so a line can break between them.
    const filler = words.slice(4);
    expect(filler.length).toBeGreaterThan(0);
    for (const group of filler) expect(group).toMatch(/^~{1,6}$/);
  });

  it('is deterministic and idempotent', () => {
    const once = pseudoLocalize('Appeler un animateur');
    expect(pseudoLocalize('Appeler un animateur')).toBe(once);
    expect(pseudoLocalize(once)).toBe(once);
    expect(isPseudoLocalized(once)).toBe(true);
    expect(isPseudoLocalized('Appeler')).toBe(false);
  });

  it('leaves empty and blank texts as they are (an empty live region stays empty)', () => {
    expect(pseudoLocalize('')).toBe('');
    expect(pseudoLocalize('   ')).toBe('   ');
    expect(pseudoLocalize('\n')).toBe('\n');
  });

  it('keeps {{placeholders}} exactly, with i18next formats and the unescaped form', () => {
    for (const placeholder of ['{{count}}', '{{ service }}', '{{size, number(style: percent)}}', '{{- name}}', '{{time, datetime}}']) {
      const result = pseudoLocalize(`Encore ${placeholder} secondes`);
      expect(result, placeholder).toContain(placeholder);
      expect(result).not.toContain('Encore');
    }
    expect(pseudoLocalize('{{count}}')).toBe(`${PSEUDO_OPEN}{{count}} ~~${PSEUDO_CLOSE}`);
  });

  it('keeps $t(…) nesting exactly, with options, nested parentheses and quotes', () => {
    for (const nesting of ['$t(help.title)', '$t(idle.countdown, {"count": 3})', "$t(a, {'text': 'x (y) z'})", '$t(b, {"nested": "$t(c)"})', '$t(x, {"q": "a \\" ) b"})']) {
      const result = pseudoLocalize(`Voir ${nesting} ici`);
      expect(result, nesting).toContain(nesting);
      expect(result).toContain('Ṽöí');
    }
    // An opening that never closes is text, not a token.
    expect(pseudoLocalize('cost $t(abc')).not.toContain('abc');
  });

  it('keeps HTML-like tags exactly: numbered, named, closing, self-closing, with attributes', () => {
    for (const tag of ['<0>', '</0>', '<strong>', '</strong>', '<br/>', '<br />', '<1 />', '<a href="x">']) {
      const result = pseudoLocalize(`avant ${tag} après`);
      expect(result, tag).toContain(tag);
    }
    const result = pseudoLocalize('Press <0>Help</0> now');
    expect(result).toContain('<0>');
    expect(result).toContain('</0>');
    expect(result).not.toContain('Help');
    // A lone "<" in a sentence is text.
    expect(inside(pseudoLocalize('a < b'))).toMatch(/^á+ < ḃ/);
  });

  it('keeps character entities', () => {
    const result = pseudoLocalize('Tom &amp; Jerry &#8230; &#x2026; &nbsp;');
    for (const entity of ['&amp;', '&#8230;', '&#x2026;', '&nbsp;']) expect(result).toContain(entity);
  });

  it('counts only the readable text for the extra length', () => {
    const bare = inside(pseudoLocalize('Bonjour'));
    const withTokens = inside(pseudoLocalize('Bonjour{{name}}<0></0>$t(x)'));
    expect(withTokens.replace('{{name}}<0></0>$t(x)', '')).toBe(bare);
  });

  it('cuts a text into readable and kept parts that join back to the text', () => {
    const text = 'Il reste {{count}} <0>minutes</0>, $t(a, {"b": "(c)"}) &amp; fin';
    const segments = segmentsOf(text);
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(segments.filter((segment) => segment.kept).map((segment) => segment.text)).toEqual(['{{count}}', '<0>', '</0>', '$t(a, {"b": "(c)"})', '&amp;']);
  });

  it('turns every text of every locale file into a bracketed text that keeps its tokens', () => {
    const tokens = /\{\{[^{}]*\}\}|\$t\([^)]*\)|<\/?[A-Za-z0-9][^<>]*>/g;
    let checked = 0;
    for (const [file, texts] of Object.entries(localeFiles)) {
      for (const text of everyText(texts)) {
        if (text.trim() === '') continue;
        const result = pseudoLocalize(text);
        expect(isPseudoLocalized(result), `${file}: ${text}`).toBe(true);
        expect(result.match(tokens) ?? [], `${file}: ${text}`).toEqual(text.match(tokens) ?? []);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('pseudoLocalePostProcessor', () => {
  it('is an i18next post-processor named "pseudo-locale"', () => {
    expect(pseudoLocalePostProcessor.type).toBe('postProcessor');
    expect(pseudoLocalePostProcessor.name).toBe(PSEUDO_LOCALE_NAME);
    expect(PSEUDO_LOCALE_NAME).toBe('pseudo-locale');
  });

  it('pseudo-localizes what t() returns, after values and nested texts are filled in', () => {
    const i18n = createInstance();
    i18n.use(pseudoLocalePostProcessor);
    void i18n.init({
      lng: 'en',
      initAsync: false,
      postProcess: [PSEUDO_LOCALE_NAME],
      interpolation: { escapeValue: false },
      resources: {
        en: {
          translation: {
            help: 'Help',
            seconds_one: '{{count}} second left',
            seconds_other: '{{count}} seconds left',
            nested: 'Press $t(help)',
            tagged: 'Press <0>{{label}}</0>',
          },
        },
      },
    });
    // Keys of this test's own resources, not the kiosk's typed ones.
    const t = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;
    expect(t('help')).toBe(pseudoLocalize('Help'));
    expect(t('seconds', { count: 5 })).toBe(pseudoLocalize('5 seconds left'));
    expect(t('seconds', { count: 1 })).toBe(pseudoLocalize('1 second left'));
    expect(inside(t('nested'))).toContain('Ĥë');
    const tagged = t('tagged', { label: 'OK' });
    expect(tagged).toContain('<0>');
    expect(tagged).toContain('</0>');
    expect(tagged).toContain('ÖĶ');
    // Without the option, the same instance's texts are untouched.
    expect(t('help', { postProcess: [] })).toBe('Help');
  });

  it('works through the kiosk\'s own i18n set-up (createKioskI18n with modules and postProcess), the welcome texts included', () => {
    const i18n = createKioskI18n('fr', {
      resources: { fr: { common: frCommon, welcome: frWelcome } },
      modules: [pseudoLocalePostProcessor],
      postProcess: [PSEUDO_LOCALE_NAME],
    });
    expect(i18n.t('toolbar.help')).toBe(pseudoLocalize(frCommon.toolbar.help));
    expect(i18n.getFixedT('fr', 'welcome')('start')).toBe(pseudoLocalize(frWelcome.start));
  });

  it('passes anything that is not a string through', () => {
    const notText = { some: 'object' } as unknown as string;
    expect(pseudoLocalePostProcessor.process(notText)).toBe(notText);
  });
});

describe('isPseudoLocaleRequested', () => {
  it('is true for ?pseudo-locale, with or without a value and among other parameters', () => {
    expect(isPseudoLocaleRequested('?pseudo-locale')).toBe(true);
    expect(isPseudoLocaleRequested('?pseudo-locale=1')).toBe(true);
    expect(isPseudoLocaleRequested('?a=b&pseudo-locale')).toBe(true);
  });

  it('is false otherwise', () => {
    expect(isPseudoLocaleRequested('')).toBe(false);
    expect(isPseudoLocaleRequested('?')).toBe(false);
    expect(isPseudoLocaleRequested('?pseudo')).toBe(false);
    expect(isPseudoLocaleRequested('?locale=pseudo-locale')).toBe(false);
  });
});
