/**
 * Every language speaks every text it must: a key missing or extra in any language
 * versus English (the source), an empty text, a plural form the language does not use or
 * lacks, or a placeholder that differs from English fails here, before a visitor meets a
 * raw key, an English fallback or a blank button.
 *
 * Visitor namespaces (common, welcome) exist for every kiosk language; the staff
 * namespaces (staff, stats, tiles, dashboard) for the staff languages only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInstance, type ResourceLanguage } from 'i18next';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_THEME_IDS } from '../../shared/config/schema';
import { ServiceRefusalSchema } from '../../shared/contract';
import { LANGUAGE_CODES, SOURCE_LANGUAGE, STAFF_LANGUAGE_CODES, type LanguageCode } from '../../shared/languages';
import { CSV_SUPPRESSED } from '../../shared/statistics/export-format';

const LOCALES = fileURLToPath(new URL('../../locales/', import.meta.url));

const VISITOR_NAMESPACES = ['common', 'welcome'] as const;
const STAFF_NAMESPACES = ['dashboard', 'staff', 'stats', 'tiles'] as const;

/**
 * The longest sentence a visitor may read, in words: plain language (CEFR A2) means short
 * sentences with one idea each. The longest today has 17 words (French endSession.explanation).
 */
const MAX_SENTENCE_WORDS = 18;

/** Keys of common.json the screens, the preview server and the end-to-end tests agreed on (renderer/README.md). */
const AGREED_KEYS = [
  'launcher.title',
  ...BUILT_IN_THEME_IDS.map((id) => `themes.${id}`),
  'service.loading',
  'errors.generic',
  'errors.serviceUnavailable',
  'toolbar.home',
  'toolbar.back',
  'toolbar.help',
  'toolbar.endSession',
  ...['groupLabel', 'biggerText', 'normalText', 'textSizeNow', 'strongColours', 'strongColoursOn', 'strongColoursOff', 'readAloud', 'readAloudOn', 'readAloudOff', 'noVoice', 'noSpeech', 'ok', 'changeFailed'].map(
    (key) => `display.${key}`,
  ),
  'preview.frameNotice',
  'preview.newTabNotice',
  'preview.openInNewTab',
  'endSession.question',
  'endSession.explanation',
  'endSession.confirm',
  'endSession.cancel',
  'help.callingTitle',
  'help.calledTitle',
  'help.calledMessage',
  'help.toldTitle',
  'help.comingTitle',
  'help.unreachableTitle',
  'help.unreachableMessage',
  'help.noChannelTitle',
  'help.noChannelMessage',
  'help.fallbackMessage',
  'help.phoneLabel',
  'help.cancel',
  'help.close',
  'idle.title',
  'idle.countdown_one',
  'idle.countdown_other',
  'idle.explanation',
  'idle.stillHere',
  'session.erasing',
  'session.erased',
  'session.lengthWarning_one',
  'session.lengthWarning_other',
  'files.button',
  'files.inProgress',
  // Every refusal the main side can report has its own title and message.
  ...ServiceRefusalSchema.options.flatMap((refusal) => [`refusal.${refusal}.title`, `refusal.${refusal}.message`]),
  'refusal.ok',
];

/** Keys of the welcome screen (locales/<lang>/welcome.json), the only texts bundled with the launcher. */
// The screens shown before anyone chose a language: the welcome and loading screens, and the out-of-order screen (every offered language at once).
const AGREED_WELCOME_KEYS = ['title', 'chooseLanguage', 'start', 'listen', 'noVoice', 'loading', 'problem', 'outOfOrderTitle', 'outOfOrderMessage'];

/** Keys of the statistics screen (locales/<lang>/stats.json) the renderer tests and end-to-end tests read. */
const AGREED_STATS_KEYS = [
  'title',
  'language',
  ...['last7', 'last30', 'thisYear', 'custom', 'from', 'to', 'shown', 'problem.missing', 'problem.order', 'problem.too-long'].map((key) => `period.${key}`),
  'groupBy.day',
  'groupBy.week',
  'keys.sessions',
  'keys.medianDuration',
  'keys.p90Duration',
  'keys.helpRequests',
  'keys.about',
  'charts.alt',
  'charts.sessionsPerDay',
  'charts.sessionsPerWeek',
  'charts.topServices',
  'charts.helpWaits',
  'charts.languages',
  'charts.languageColumn',
  'charts.sessionsColumn',
  'export.csv',
  'export.json',
  'export.intro',
  'export.done',
  'export.failed',
  'warning.title',
  'warning.message',
  'warning.details',
  'errors.load',
  'errors.retry',
];

type Texts = Map<string, unknown>;

function flatten(value: unknown, prefix = '', into: Texts = new Map()): Texts {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix === '' ? key : `${prefix}.${key}`, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

function readJson(language: string, namespace: string): unknown {
  return JSON.parse(readFileSync(join(LOCALES, language, `${namespace}.json`), 'utf8'));
}

function namespacesOf(language: string): string[] {
  return readdirSync(join(LOCALES, language))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function textsOf(language: string, namespace: string): Texts {
  return flatten(readJson(language, namespace));
}

/** Each {{placeholder}} with its format, as written ("count, number"), spaces normalised. */
function placeholdersOf(text: unknown): string[] {
  return typeof text === 'string' ? [...text.matchAll(/\{\{([^}]*)\}\}/g)].map((match) => match[1]!.trim().replace(/\s*,\s*/g, ', ').replace(/\s+/g, ' ')).sort() : [];
}

const PLURAL_SUFFIX = /^(.*)_(zero|one|two|few|many|other)$/;

/** i18next's plural categories for a language, the ones Intl.PluralRules gives it. */
function pluralCategoriesOf(language: string): string[] {
  return [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
}

/** A key's base name when it is a plural form ("idle.countdown" for "idle.countdown_one"); English decides which keys are plural. */
function pluralBaseOf(key: string, english: Texts): string | null {
  const base = PLURAL_SUFFIX.exec(key)?.[1];
  return base !== undefined && english.has(`${base}_other`) ? base : null;
}

/** The keys a language must have for English's keys: the same, but each plural with that language's own forms. */
function expectedKeys(language: string, english: Texts): string[] {
  const keys = new Set<string>();
  for (const key of english.keys()) {
    const base = pluralBaseOf(key, english);
    if (base === null) keys.add(key);
    else for (const category of pluralCategoriesOf(language)) keys.add(`${base}_${category}`);
  }
  return [...keys].sort();
}

/** The English text a key of another language translates (its `_other` form for a plural). */
function englishCounterpart(key: string, english: Texts): unknown {
  const base = pluralBaseOf(key, english);
  return base === null ? english.get(key) : english.get(`${base}_other`);
}

/** Sentences as a reader meets them: ended by . ! ? ؟ or …, or by the end of the text. */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?؟…])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function wordCount(sentence: string): number {
  return sentence.split(/\s+/).filter((word) => /[\p{L}\p{N}{]/u.test(word)).length;
}

function namespacesFor(language: LanguageCode): string[] {
  const staff = (STAFF_LANGUAGE_CODES as readonly string[]).includes(language);
  return [...VISITOR_NAMESPACES, ...(staff ? STAFF_NAMESPACES : [])].sort();
}

const otherLanguages = LANGUAGE_CODES.filter((code) => code !== SOURCE_LANGUAGE);

describe('locale files', () => {
  it('exist for every kiosk language, and only for those listed in shared/languages.ts', () => {
    const folders = readdirSync(LOCALES).filter((entry) => statSync(join(LOCALES, entry)).isDirectory());
    expect(folders.sort()).toEqual([...LANGUAGE_CODES].sort());
  });

  it('give English every namespace, and staff languages are kiosk languages', () => {
    expect(namespacesOf(SOURCE_LANGUAGE)).toEqual([...VISITOR_NAMESPACES, ...STAFF_NAMESPACES].sort());
    expect(STAFF_LANGUAGE_CODES).toContain(SOURCE_LANGUAGE);
    for (const code of STAFF_LANGUAGE_CODES) expect(LANGUAGE_CODES).toContain(code);
  });

  it('has the agreed keys in English', () => {
    const english = textsOf(SOURCE_LANGUAGE, 'common');
    expect(AGREED_KEYS.filter((key) => !english.has(key))).toEqual([]);
    const welcome = textsOf(SOURCE_LANGUAGE, 'welcome');
    expect(AGREED_WELCOME_KEYS.filter((key) => !welcome.has(key))).toEqual([]);
    expect([...welcome.keys()].sort()).toEqual([...AGREED_WELCOME_KEYS].sort());
  });

  it('keeps the welcome screen\'s texts out of common.json (they are bundled with the launcher, common is not)', () => {
    for (const language of LANGUAGE_CODES) {
      const common = textsOf(language, 'common');
      expect([...common.keys()].filter((key) => key.startsWith('welcome.') || key === 'app.loading'), language).toEqual([]);
    }
  });

  it('has the agreed keys of the statistics screen in English', () => {
    const english = textsOf(SOURCE_LANGUAGE, 'stats');
    expect(AGREED_STATS_KEYS.filter((key) => !english.has(key))).toEqual([]);
  });

  it('tells staff, in every staff language, the word exports write for a suppressed count, and the threshold', () => {
    for (const language of STAFF_LANGUAGE_CODES) {
      const intro = textsOf(language, 'stats').get('export.intro');
      expect(intro, language).toContain(`${CSV_SUPPRESSED}`);
      expect(placeholdersOf(intro), language).toEqual(['threshold']);
      expect(placeholdersOf(textsOf(language, 'stats').get('warning.details')), language).toEqual(['details']);
    }
  });

  it('has the agreed wording for the end-session answers', () => {
    expect(textsOf('en', 'common').get('endSession.confirm')).toBe('Yes, erase and finish');
    expect(textsOf('en', 'common').get('endSession.cancel')).toBe('No, continue');
    expect(textsOf('fr', 'common').get('endSession.confirm')).toBe('Oui, tout effacer et terminer');
    expect(textsOf('fr', 'common').get('endSession.cancel')).toBe('Non, continuer');
  });

  describe.each(LANGUAGE_CODES)('%s', (language) => {
    it('has the visitor namespaces, and the staff namespaces only if it is a staff language', () => {
      expect(namespacesOf(language)).toEqual(namespacesFor(language));
    });

    it.each(namespacesFor(language))('has a non-empty text for every key of %s, each plural in its own forms, and nothing else', (namespace) => {
      const texts = textsOf(language, namespace);
      const empty = [...texts].filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key);
      expect.soft(empty, 'keys whose text is empty or not a text').toEqual([]);

      const english = textsOf(SOURCE_LANGUAGE, namespace);
      const expected = expectedKeys(language, english);
      const actual = [...texts.keys()].sort();
      expect.soft(expected.filter((key) => !texts.has(key)), `keys ${language} lacks (plural forms: ${pluralCategoriesOf(language).join(', ')})`).toEqual([]);
      expect.soft(actual.filter((key) => !expected.includes(key)), `keys in ${language} that English has not, or plural forms ${language} does not use`).toEqual([]);

      const mismatched = actual
        .filter((key) => expected.includes(key))
        .filter((key) => placeholdersOf(texts.get(key)).join() !== placeholdersOf(englishCounterpart(key, english)).join());
      expect(mismatched, 'keys whose {{placeholders}} (names and formats) differ from English').toEqual([]);
    });
  });

  it('finds every plural form in the language itself for the counts a screen can show', () => {
    const counts = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 100, 101, 102, 111, 1_000_000, 1.5];
    for (const language of LANGUAGE_CODES) {
      const i18n = createInstance();
      const resources = Object.fromEntries(namespacesFor(language).map((namespace) => [namespace, readJson(language, namespace)])) as ResourceLanguage;
      void i18n.init({ lng: language, fallbackLng: false, resources: { [language]: resources }, initAsync: false, interpolation: { escapeValue: false } });
      for (const namespace of namespacesFor(language)) {
        const english = textsOf(SOURCE_LANGUAGE, namespace);
        const bases = new Set([...english.keys()].map((key) => pluralBaseOf(key, english)).filter((base) => base !== null));
        for (const base of bases) {
          for (const count of counts) {
            const text = i18n.t(base, { ns: namespace, count });
            expect(text, `${language} ${namespace}:${base} for ${count}`).not.toBe(base);
            expect(text, `${language} ${namespace}:${base} for ${count}`).not.toContain('{{');
          }
        }
      }
    }
  });

  it('counts with {{count, number}} in every plural form, and names the service where a page was refused', () => {
    for (const language of LANGUAGE_CODES) {
      const texts = textsOf(language, 'common');
      const countKeys = [...texts.keys()].filter((key) => /^(idle\.countdown|session\.lengthWarning|staffEntry\.digits|staffEntry\.wrongPin)_/.test(key));
      expect(countKeys.length, language).toBeGreaterThanOrEqual(4 * 2);
      for (const key of countKeys) expect(placeholdersOf(texts.get(key)), `${language} ${key}`).toEqual(['count, number']);
      expect(placeholdersOf(texts.get('display.textSizeNow')), language).toEqual(['size, number(style: percent)']);
      expect(placeholdersOf(texts.get('refusal.outside-service.message')), language).toEqual(['service']);
    }
  });

  it('formats every number a text shows ({{count}} included) for the language, in every namespace', () => {
    for (const language of LANGUAGE_CODES) {
      for (const namespace of namespacesFor(language)) {
        const plain = [...textsOf(language, namespace)].filter(([, text]) => placeholdersOf(text).includes('count')).map(([key]) => key);
        expect(plain, `${language} ${namespace}: {{count}} without ", number"`).toEqual([]);
      }
    }
  });

  it('keeps every visitor sentence short (plain language)', () => {
    const long: string[] = [];
    for (const language of LANGUAGE_CODES) {
      for (const namespace of VISITOR_NAMESPACES) {
        for (const [key, text] of textsOf(language, namespace)) {
          if (typeof text !== 'string') continue;
          for (const sentence of sentencesOf(text)) {
            if (wordCount(sentence) > MAX_SENTENCE_WORDS) long.push(`${language} ${namespace}:${key} (${wordCount(sentence)} words): ${sentence}`);
          }
        }
      }
    }
    expect(long).toEqual([]);
  });

  it('can tell a long sentence from two short ones', () => {
    expect(sentencesOf('One two. Three four? Five… Six')).toEqual(['One two.', 'Three four?', 'Five…', 'Six']);
    expect(sentencesOf('هل ما زلت هنا؟ نعم.')).toEqual(['هل ما زلت هنا؟', 'نعم.']);
    expect(wordCount('Your time ends in {{count, number}} minutes.')).toBe(7);
    expect(wordCount(Array.from({ length: MAX_SENTENCE_WORDS + 1 }, () => 'word').join(' '))).toBeGreaterThan(MAX_SENTENCE_WORDS);
  });

  it('is translated, not copied from English, for the visitor-facing questions', () => {
    const english = textsOf(SOURCE_LANGUAGE, 'common');
    const englishWelcome = textsOf(SOURCE_LANGUAGE, 'welcome');
    for (const language of otherLanguages) {
      const texts = textsOf(language, 'common');
      const copied = [
        'launcher.title',
        'endSession.question',
        'endSession.confirm',
        'help.noChannelMessage',
        'idle.title',
        'idle.countdown_other',
        'idle.stillHere',
        'session.erased',
        'files.button',
        'display.biggerText',
        'display.noVoice',
        'refusal.outside-service.message',
        'refusal.file-picker.message',
      ].filter((key) => texts.get(key) === english.get(key));
      expect(copied, `${language} texts identical to English`).toEqual([]);

      const welcome = textsOf(language, 'welcome');
      const copiedWelcome = AGREED_WELCOME_KEYS.filter((key) => welcome.get(key) === englishWelcome.get(key));
      expect(copiedWelcome, `${language} welcome texts identical to English`).toEqual([]);
    }

    for (const language of STAFF_LANGUAGE_CODES.filter((code) => code !== SOURCE_LANGUAGE)) {
      const englishStats = textsOf(SOURCE_LANGUAGE, 'stats');
      const stats = textsOf(language, 'stats');
      const copiedStats = ['title', 'period.last7', 'period.custom', 'keys.medianDuration', 'charts.topServices', 'export.intro', 'warning.message', 'errors.load'].filter(
        (key) => stats.get(key) === englishStats.get(key),
      );
      expect(copiedStats, `${language} statistics texts identical to English`).toEqual([]);
    }
  });

  it('invites each visitor to start in their own language, naming it in that language', () => {
    const starts = Object.fromEntries(LANGUAGE_CODES.map((language) => [language, textsOf(language, 'welcome').get('start')]));
    expect(starts).toMatchObject({ ar: 'ابدأ بالعربية', tr: 'Türkçe başla', uk: 'Почати українською' });
    expect(new Set(Object.values(starts)).size).toBe(LANGUAGE_CODES.length);
  });

  it('writes Ukrainian in Ukrainian letters, not Russian ones', () => {
    const russianOnly = /[ыэъё]/i;
    const texts = [...VISITOR_NAMESPACES].flatMap((namespace) => [...textsOf('uk', namespace)].map(([key, text]) => [key, String(text)] as const));
    expect(texts.filter(([, text]) => russianOnly.test(text)).map(([key]) => key)).toEqual([]);
  });
});
