/**
 * Every language speaks every text: a key missing or extra in any language versus
 * English (the source), an empty text, or a placeholder that differs from English
 * fails here, before a visitor meets a raw key or a blank button.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_THEME_IDS } from '../../shared/config/schema';
import { ServiceRefusalSchema } from '../../shared/contract';
import { LANGUAGE_CODES, SOURCE_LANGUAGE } from '../../shared/languages';
import { CSV_SUPPRESSED } from '../../shared/statistics/export-format';

const LOCALES = fileURLToPath(new URL('../../locales/', import.meta.url));

/** Keys the screens, the preview server and the end-to-end tests agreed on (renderer/README.md). */
const AGREED_KEYS = [
  'welcome.title',
  'welcome.chooseLanguage',
  'welcome.start',
  'launcher.title',
  ...BUILT_IN_THEME_IDS.map((id) => `themes.${id}`),
  'service.loading',
  'errors.generic',
  'errors.serviceUnavailable',
  'toolbar.home',
  'toolbar.back',
  'toolbar.help',
  'toolbar.endSession',
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
  'session.outOfOrderTitle',
  'session.outOfOrderMessage',
  'files.button',
  'files.inProgress',
  // Every refusal the main side can report has its own title and message.
  ...ServiceRefusalSchema.options.flatMap((refusal) => [`refusal.${refusal}.title`, `refusal.${refusal}.message`]),
  'refusal.ok',
];

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

function namespacesOf(language: string): string[] {
  return readdirSync(join(LOCALES, language))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function textsOf(language: string, namespace: string): Texts {
  return flatten(JSON.parse(readFileSync(join(LOCALES, language, `${namespace}.json`), 'utf8')));
}

function placeholdersOf(text: unknown): string[] {
  return typeof text === 'string' ? [...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((match) => match[1]!).sort() : [];
}

const sourceNamespaces = namespacesOf(SOURCE_LANGUAGE);
const otherLanguages = LANGUAGE_CODES.filter((code) => code !== SOURCE_LANGUAGE);

describe('locale files', () => {
  it('exist for every kiosk language, and only for those', () => {
    const folders = readdirSync(LOCALES).filter((entry) => statSync(join(LOCALES, entry)).isDirectory());
    expect(folders.sort()).toEqual([...LANGUAGE_CODES].sort());
    expect(sourceNamespaces).toContain('common');
  });

  it('has the agreed keys in English', () => {
    const english = textsOf(SOURCE_LANGUAGE, 'common');
    const missing = AGREED_KEYS.filter((key) => !english.has(key));
    expect(missing).toEqual([]);
  });

  it('has the agreed keys of the statistics screen in English', () => {
    expect(sourceNamespaces).toContain('stats');
    const english = textsOf(SOURCE_LANGUAGE, 'stats');
    expect(AGREED_STATS_KEYS.filter((key) => !english.has(key))).toEqual([]);
  });

  it('tells staff, in every language, the word exports write for a suppressed count, and the threshold', () => {
    for (const language of LANGUAGE_CODES) {
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
    it('has the same namespaces as English', () => {
      expect(namespacesOf(language)).toEqual(sourceNamespaces);
    });

    it.each(sourceNamespaces)('has a non-empty text for every key of %s, and nothing else', (namespace) => {
      const texts = textsOf(language, namespace);
      const empty = [...texts].filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key);
      expect.soft(empty, 'keys whose text is empty or not a text').toEqual([]);
      if (language === SOURCE_LANGUAGE) return;

      const english = textsOf(SOURCE_LANGUAGE, namespace);
      const missing = [...english.keys()].filter((key) => !texts.has(key));
      const extra = [...texts.keys()].filter((key) => !english.has(key));
      expect.soft(missing, `keys in ${SOURCE_LANGUAGE} but missing in ${language}`).toEqual([]);
      expect.soft(extra, `keys in ${language} but not in ${SOURCE_LANGUAGE}`).toEqual([]);
      const mismatched = [...english].filter(([key, text]) => placeholdersOf(text).join() !== placeholdersOf(texts.get(key)).join()).map(([key]) => key);
      expect(mismatched, 'keys whose {{placeholders}} differ from English').toEqual([]);
    });
  });

  it('counts with {{count}} in both plural forms, and names the service where a page was refused', () => {
    for (const language of LANGUAGE_CODES) {
      const texts = textsOf(language, 'common');
      for (const key of ['idle.countdown_one', 'idle.countdown_other', 'session.lengthWarning_one', 'session.lengthWarning_other']) {
        expect(placeholdersOf(texts.get(key)), `${language} ${key}`).toEqual(['count']);
      }
      expect(placeholdersOf(texts.get('refusal.outside-service.message')), language).toEqual(['service']);
    }
  });

  it('is translated, not copied from English, for the visitor-facing questions', () => {
    const english = textsOf(SOURCE_LANGUAGE, 'common');
    for (const language of otherLanguages) {
      const texts = textsOf(language, 'common');
      const copied = [
        'welcome.title',
        'welcome.start',
        'launcher.title',
        'endSession.question',
        'endSession.confirm',
        'help.noChannelMessage',
        'idle.title',
        'idle.countdown_other',
        'idle.stillHere',
        'session.erased',
        'session.outOfOrderTitle',
        'files.button',
        'refusal.outside-service.message',
        'refusal.file-picker.message',
      ].filter(
        (key) => texts.get(key) === english.get(key),
      );
      expect(copied, `${language} texts identical to English`).toEqual([]);

      const englishStats = textsOf(SOURCE_LANGUAGE, 'stats');
      const stats = textsOf(language, 'stats');
      const copiedStats = ['title', 'period.last7', 'period.custom', 'keys.medianDuration', 'charts.topServices', 'export.intro', 'warning.message', 'errors.load'].filter(
        (key) => stats.get(key) === englishStats.get(key),
      );
      expect(copiedStats, `${language} statistics texts identical to English`).toEqual([]);
    }
  });
});
