import { describe, expect, it } from 'vitest';
import en from '../../locales/en/common.json';
import nl from '../../locales/nl/common.json';
import { LANGUAGE_CODES } from '../../shared/languages';
import { bundledResources, createKioskI18n, currentLanguage, preferredLanguage } from '../../renderer/i18n/kiosk-i18n';

describe('the kiosk\'s texts', () => {
  it('bundles the common texts of every kiosk language', () => {
    const resources = bundledResources();
    expect(Object.keys(resources).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const code of LANGUAGE_CODES) expect(Object.keys(resources[code]!)).toContain('common');
  });

  it('is ready at once and switches language without waiting', async () => {
    const i18n = createKioskI18n('en');
    expect(i18n.isInitialized).toBe(true);
    expect(i18n.t('toolbar.home')).toBe(en.toolbar.home);
    await i18n.changeLanguage('nl');
    expect(currentLanguage(i18n)).toBe('nl');
    expect(i18n.t('toolbar.home')).toBe(nl.toolbar.home);
  });

  it('types keys from the English file', () => {
    const t = createKioskI18n('en').getFixedT('en');
    expect(t('endSession.confirm')).toBe('Yes, erase and finish');
    // tsc -p tsconfig.renderer.json fails if this line compiles: unknown keys are type errors.
    // @ts-expect-error -- 'nonexistent.key' is not a key of locales/en/common.json
    expect(t('nonexistent.key')).toBe('nonexistent.key');
  });

  it('starts in the PC\'s own language when the kiosk speaks it', () => {
    expect(preferredLanguage(['nl-BE', 'fr-BE'], 'en')).toBe('nl');
    expect(preferredLanguage(['es-ES', 'DE'], 'en')).toBe('de');
    expect(preferredLanguage(['es-ES'], 'fr')).toBe('fr');
    expect(preferredLanguage([], 'fr')).toBe('fr');
  });
});
