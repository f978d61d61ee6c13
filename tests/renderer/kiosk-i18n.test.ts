import { describe, expect, it } from 'vitest';
import en from '../../locales/en/common.json';
import nl from '../../locales/nl/common.json';
import enWelcome from '../../locales/en/welcome.json';
import arWelcome from '../../locales/ar/welcome.json';
import { LANGUAGE_CODES } from '../../shared/languages';
import {
  createKioskI18n,
  currentLanguage,
  hasVisitorTexts,
  loadVisitorTexts,
  preferredLanguage,
  welcomeResources,
} from '../../renderer/i18n/kiosk-i18n';
import { allVisitorTexts } from './support/all-texts';

describe('the kiosk\'s texts', () => {
  it('bundles the welcome texts of every kiosk language, and nothing else at start', () => {
    const resources = welcomeResources();
    expect(Object.keys(resources).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const code of LANGUAGE_CODES) expect(Object.keys(resources[code]!)).toEqual(['welcome']);
    const i18n = createKioskI18n('en');
    expect(i18n.t('welcome:title')).toBe(enWelcome.title);
    expect(i18n.getFixedT('ar', 'welcome')('start')).toBe(arWelcome.start);
    for (const code of LANGUAGE_CODES) expect(hasVisitorTexts(i18n, code)).toBe(false);
  });

  it('loads a language\'s visitor texts on demand, once, and then speaks it', async () => {
    const i18n = createKioskI18n('en');
    const first = loadVisitorTexts(i18n, 'nl');
    expect(loadVisitorTexts(i18n, 'nl')).toBe(first);
    await first;
    expect(hasVisitorTexts(i18n, 'nl')).toBe(true);
    expect(hasVisitorTexts(i18n, 'fr')).toBe(false);
    await i18n.changeLanguage('nl');
    expect(i18n.t('toolbar.home')).toBe(nl.toolbar.home);
    // Already there: nothing to wait for.
    await expect(loadVisitorTexts(i18n, 'nl')).resolves.toBeUndefined();
  });

  it('every language\'s visitor texts can be loaded', async () => {
    const i18n = createKioskI18n('en');
    await Promise.all(LANGUAGE_CODES.map((code) => loadVisitorTexts(i18n, code)));
    for (const code of LANGUAGE_CODES) expect(i18n.getFixedT(code)('toolbar.help')).not.toBe('toolbar.help');
  });

  it('with every text given, is ready at once and switches language without waiting', async () => {
    const i18n = createKioskI18n('en', { resources: allVisitorTexts() });
    expect(i18n.isInitialized).toBe(true);
    expect(i18n.t('toolbar.home')).toBe(en.toolbar.home);
    await i18n.changeLanguage('nl');
    expect(currentLanguage(i18n)).toBe('nl');
    expect(i18n.t('toolbar.home')).toBe(nl.toolbar.home);
  });

  it('types keys from the English file', () => {
    const t = createKioskI18n('en', { resources: allVisitorTexts() }).getFixedT('en');
    expect(t('endSession.confirm')).toBe(en.endSession.confirm);
    // tsc -p tsconfig.renderer.json fails if this line compiles: unknown keys are type errors.
    // @ts-expect-error -- 'nonexistent.key' is not a key of locales/en/common.json
    expect(t('nonexistent.key')).toBe('nonexistent.key');
  });

  it('formats the text size as a percentage in the visitor\'s language', () => {
    const i18n = createKioskI18n('en', { resources: allVisitorTexts() });
    expect(i18n.getFixedT('en')('display.textSizeNow', { size: 1.5 })).toContain('150%');
    expect(i18n.getFixedT('fr')('display.textSizeNow', { size: 2 })).toMatch(/200\s%/u);
  });

  it('starts in the PC\'s own language when the kiosk speaks it', () => {
    expect(preferredLanguage(['nl-BE', 'fr-BE'], 'en')).toBe('nl');
    expect(preferredLanguage(['es-ES', 'DE'], 'en')).toBe('de');
    expect(preferredLanguage(['tr-TR'], 'fr')).toBe('tr');
    expect(preferredLanguage(['es-ES'], 'fr')).toBe('fr');
    expect(preferredLanguage([], 'fr')).toBe('fr');
  });
});
