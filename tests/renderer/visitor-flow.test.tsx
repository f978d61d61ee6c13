import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ar from '../../locales/ar/common.json';
import de from '../../locales/de/common.json';
import en from '../../locales/en/common.json';
import fr from '../../locales/fr/common.json';
import nl from '../../locales/nl/common.json';
import tr from '../../locales/tr/common.json';
import uk from '../../locales/uk/common.json';
import arWelcome from '../../locales/ar/welcome.json';
import deWelcome from '../../locales/de/welcome.json';
import enWelcome from '../../locales/en/welcome.json';
import frWelcome from '../../locales/fr/welcome.json';
import nlWelcome from '../../locales/nl/welcome.json';
import trWelcome from '../../locales/tr/welcome.json';
import ukWelcome from '../../locales/uk/welcome.json';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { localize } from '../../shared/config/schema';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { CONFIG_RETRY_MS } from '../../renderer/App';
import { INTERACTIVE_MARK } from '../../renderer/document-state';
import { configWithLanguages, HELP, parsedConfig, startTestKiosk } from './kiosk-harness';

const TEXTS = { en, fr, nl, de, ar, tr, uk } as const satisfies Record<LanguageCode, typeof en>;
/** The welcome screen's texts (locales/<lang>/welcome.json, bundled with the launcher). */
const WELCOME = { en: enWelcome, fr: frWelcome, nl: nlWelcome, de: deWelcome, ar: arWelcome, tr: trWelcome, uk: ukWelcome } as const satisfies Record<LanguageCode, typeof enWelcome>;

const root = () => document.documentElement;

async function chooseLanguage(user: ReturnType<typeof userEvent.setup>, code: LanguageCode) {
  const endonym = LANGUAGES.find((language) => language.code === code)!.endonym;
  await user.click(await screen.findByRole('button', { name: new RegExp(`^${endonym}`) }));
  await screen.findByRole('heading', { level: 1, name: TEXTS[code].launcher.title });
}

async function openTile(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole('button', { name }));
  await screen.findByRole('toolbar');
}

beforeEach(() => {
  performance.clearMarks(INTERACTIVE_MARK);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('welcome screen', () => {
  it('marks no screen until the configuration has arrived', async () => {
    startTestKiosk();
    expect(root().dataset.screen).toBeUndefined();
    expect(performance.getEntriesByName(INTERACTIVE_MARK)).toHaveLength(0);
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(root().dataset.screen).toBe('welcome');
  });

  it('says so plainly while the configuration cannot be read, and tries again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const kiosk = startTestKiosk({ configUnreadable: true, startLanguage: 'nl' });
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(screen.getByRole('status').textContent).toBe(WELCOME.nl.problem);
      expect(root().dataset.screen).toBeUndefined();

      kiosk.makeConfigReadable();
      await act(() => vi.advanceTimersByTimeAsync(CONFIG_RETRY_MS - 1));
      expect(root().dataset.screen).toBeUndefined();
      await act(() => vi.advanceTimersByTimeAsync(1));
    } finally {
      vi.useRealTimers();
    }
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(root().dataset.screen).toBe('welcome');
  });

  it('offers each language in its own language, in the configured order, in the default language otherwise', async () => {
    startTestKiosk({ config: configWithLanguages(['nl', 'fr', 'de', 'en'], 'nl'), startLanguage: 'en' });
    const group = await screen.findByRole('group', { name: WELCOME.nl.chooseLanguage });
    const buttons = within(group).getAllByRole('button');

    expect(buttons.map((button) => button.getAttribute('lang'))).toEqual(['nl', 'fr', 'de', 'en']);
    for (const button of buttons) {
      const code = button.getAttribute('lang') as LanguageCode;
      const endonym = LANGUAGES.find((language) => language.code === code)!.endonym;
      expect(within(group).getByRole('button', { name: new RegExp(`^${endonym}`) })).toBe(button);
      expect(button.textContent).toContain(WELCOME[code].start);
    }
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(WELCOME.nl.title);
    expect(screen.getByText(DEFAULT_CONFIG.kiosk.name)).toBeTruthy();
    expect(root().lang).toBe('nl');
    expect(root().dir).toBe('ltr');
    expect(root().dataset.screen).toBe('welcome');
    expect(performance.getEntriesByName(INTERACTIVE_MARK, 'mark')).toHaveLength(1);
  });

  it('offers only the configured languages', async () => {
    startTestKiosk({ config: configWithLanguages(['de', 'fr'], 'de') });
    const group = await screen.findByRole('group', { name: WELCOME.de.chooseLanguage });
    expect(within(group).getAllByRole('button').map((button) => button.getAttribute('lang'))).toEqual(['de', 'fr']);
  });

  it('stays on the welcome screen with a plain message when the session cannot begin', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    kiosk.sessions.begin = async () => {
      throw new Error('session store unavailable');
    };
    await user.click(await screen.findByRole('button', { name: /^English/ }));

    expect((await screen.findByRole('alert')).textContent).toContain(fr.errors.generic);
    expect(root().dataset.screen).toBe('welcome');
  });
});

describe('launcher', () => {
  it('shows the catalogue in Dutch, grouped by theme in the configured order, tiles named by their label', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'nl');

    expect(kiosk.sessions.begun).toEqual(['nl']);
    expect(root().lang).toBe('nl');
    expect(root().dataset.screen).toBe('launcher');

    const config = parsedConfig();
    const themesWithServices = config.themes.filter((theme) => config.services.some((service) => service.theme === theme.id));
    const sections = screen.getAllByRole('region');
    expect(sections.map((section) => within(section).getByRole('heading', { level: 2 }).textContent)).toEqual(
      themesWithServices.map((theme) => nl.themes[theme.id as keyof typeof nl.themes]),
    );
    themesWithServices.forEach((theme, index) => {
      const tiles = within(sections[index]!).getAllByRole('button');
      const expected = config.services.filter((service) => service.theme === theme.id);
      expect(tiles.map((tile) => tile.dataset.serviceId)).toEqual(expected.map((service) => service.id));
      tiles.forEach((tile, tileIndex) => {
        const label = localize(expected[tileIndex]!.label, 'nl', config.languages.default);
        expect(within(sections[index]!).getByRole('button', { name: label })).toBe(tile);
      });
    });
    expect(screen.getByRole('button', { name: 'Mijn belastingen' }).textContent).toContain('MyMinfin');
    expect(screen.getByRole('button', { name: nl.toolbar.help })).toBeTruthy();
    expect(screen.getByRole('button', { name: nl.toolbar.endSession })).toBeTruthy();
  });

  it('uses a theme label from the configuration and leaves out themes without services', async () => {
    const user = userEvent.setup();
    startTestKiosk({
      config: parsedConfig({
        ...DEFAULT_CONFIG,
        themes: [
          { id: 'commune', icon: 'building', label: { fr: 'Ma commune', en: 'My town' } },
          { id: 'health', icon: 'health' },
          { id: 'work', icon: 'job' },
        ],
        services: [
          { ...DEFAULT_CONFIG.services[0], theme: 'commune' },
          { ...DEFAULT_CONFIG.services[3], theme: 'work' },
        ],
      }),
    });
    await chooseLanguage(user, 'en');

    expect(screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent)).toEqual(['My town', en.themes.work]);
  });

  it('redraws with a new configuration pushed by the main side', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    // One listener for the visitor screens, one for the staff entry (its key chord and corner taps): none left over.
    expect(kiosk.subscriberCount('config:changed')).toBe(2);

    const renamed = parsedConfig({
      ...DEFAULT_CONFIG,
      services: [{ ...DEFAULT_CONFIG.services[0], label: { en: 'Taxes online', fr: 'Impôts en ligne' } }],
    });
    act(() => kiosk.changeConfig(renamed));

    expect(await screen.findByRole('button', { name: 'Taxes online' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'My pension' })).toBeNull();
    expect(root().lang).toBe('en');
  });
});

describe('a service under the toolbar', () => {
  it('shows a framed service with the toolbar, and Home returns to the launcher', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ presentation: 'frame' });
    await chooseLanguage(user, 'en');
    await openTile(user, 'My taxes');

    expect(root().dataset.screen).toBe('service');
    const toolbar = screen.getByRole('toolbar');
    // Home and Back first, the visitor's display buttons, then Help and End session: every button, in this order.
    const expected = [en.toolbar.home, en.toolbar.back, en.display.biggerText, en.display.strongColours, en.display.readAloud, en.toolbar.help, en.toolbar.endSession];
    expect(within(toolbar).getAllByRole('button')).toEqual(expected.map((name) => within(toolbar).getByRole('button', { name })));
    const frame = await screen.findByTitle('My taxes');
    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('src')).toBe(DEFAULT_CONFIG.services[0].startUrl);
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms allow-popups');
    expect(screen.getByText(en.preview.frameNotice)).toBeTruthy();
    expect(kiosk.presenter.opened).toEqual(['myminfin']);

    await user.click(within(toolbar).getByRole('button', { name: en.toolbar.home }));
    await screen.findByRole('heading', { level: 1, name: en.launcher.title });
    expect(root().dataset.screen).toBe('launcher');
    expect(kiosk.presenter.closeCount).toBe(1);
    expect(screen.queryByRole('toolbar')).toBeNull();
  });

  it('tells that the service opens in a new tab, opens it at once and again on request', async () => {
    const user = userEvent.setup();
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    startTestKiosk({ presentation: 'new-tab' });
    await chooseLanguage(user, 'fr');
    await openTile(user, 'Ma pension');

    const notice = await screen.findByTestId('new-tab-notice');
    expect(notice.textContent).toContain(fr.preview.newTabNotice);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(opened).toHaveBeenLastCalledWith('https://www.mypension.be/', '_blank', 'noopener');

    await user.click(within(notice).getByRole('button', { name: fr.preview.openInNewTab }));
    expect(opened).toHaveBeenCalledTimes(2);
    expect(opened).toHaveBeenLastCalledWith('https://www.mypension.be/', '_blank', 'noopener');
    expect(screen.queryByTitle('Ma pension')).toBeNull();
  });

  it('leaves the area empty for a view the kiosk draws itself, and reports where that area is', async () => {
    const user = userEvent.setup();
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 130.4, 1366, 637.6));
    const kiosk = startTestKiosk({ presentation: 'kiosk-view' });
    await chooseLanguage(user, 'en');
    await openTile(user, 'My pension');

    await waitFor(() => expect(screen.queryByText(en.service.loading)).toBeNull());
    const area = screen.getByRole('main');
    expect(area.children).toHaveLength(0);
    expect(screen.queryByTestId('new-tab-notice')).toBeNull();
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 130, width: 1366, height: 638 }));

    // The view is drawn above the page: it steps aside while a dialog must be seen, and comes back after.
    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 0, width: 0, height: 0 }));
    await user.click(screen.getByRole('button', { name: en.endSession.cancel }));
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 130, width: 1366, height: 638 }));
  });

  it('asks the main side to go back', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'de');
    await openTile(user, 'Meine Steuern');

    await user.click(screen.getByRole('button', { name: de.toolbar.back }));
    await waitFor(() => expect(kiosk.presenter.backCount).toBe(1));
    expect(root().dataset.screen).toBe('service');
  });

  it('returns to the launcher with a plain message when the service cannot open', async () => {
    const user = userEvent.setup();
    startTestKiosk({ failOpen: true });
    await chooseLanguage(user, 'en');
    await user.click(screen.getByRole('button', { name: 'My taxes' }));

    expect((await screen.findByRole('alert')).textContent).toContain(en.errors.serviceUnavailable);
    expect(root().dataset.screen).toBe('launcher');
  });
});

describe('end session', () => {
  it('keeps everything as it was when the visitor answers "No, continue"', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    await openTile(user, 'My health');
    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));

    const dialog = screen.getByRole('alertdialog', { name: en.endSession.question });
    expect(dialog.textContent).toContain(en.endSession.explanation);
    expect(within(dialog).getByRole('button', { name: 'Yes, erase and finish' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'No, continue' }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(root().dataset.screen).toBe('service');
    expect(screen.getByTitle('My health')).toBeTruthy();
    expect(kiosk.sessions.endCount).toBe(0);
    expect(kiosk.presenter.closeCount).toBe(0);
  });

  it('erases, says so in the visitor\'s language, then shows the welcome screen in the default language', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ config: configWithLanguages(['fr', 'nl', 'de', 'en'], 'fr') });
    await chooseLanguage(user, 'en');
    await openTile(user, 'My e-mails');
    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    await user.click(screen.getByRole('button', { name: 'Yes, erase and finish' }));

    await screen.findByRole('heading', { level: 1, name: en.session.erased });
    expect(root().dataset.screen).toBe('erased');
    expect(root().dataset.sessionPhase).toBe('erased');
    expect(root().lang).toBe('en');
    expect(kiosk.sessions.wipes).toEqual(['boot', 'visitor']);
    expect(kiosk.presenter.closeCount).toBe(1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByRole('toolbar')).toBeNull();

    // The main side decides when the message has been shown long enough.
    await kiosk.advance(parsedConfig().session.erasedMessageSeconds * 1000 - 1);
    expect(root().dataset.screen).toBe('erased');
    await kiosk.advance(1);
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(root().dataset.screen).toBe('welcome');
    expect(root().dataset.sessionPhase).toBe('welcome');
    expect(root().lang).toBe('fr');
    expect(screen.getByRole('group', { name: WELCOME.fr.chooseLanguage })).toBeTruthy();
  });

  it('can be ended from the launcher too', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'nl');
    await user.click(screen.getByRole('button', { name: nl.toolbar.endSession }));
    await user.click(screen.getByRole('button', { name: nl.endSession.confirm }));

    await screen.findByRole('heading', { level: 1, name: nl.session.erased });
    expect(kiosk.sessions.endCount).toBe(1);
    await kiosk.advance(parsedConfig().session.erasedMessageSeconds * 1000);
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
  });

  it('tells the main side when the question opens and when it is answered "No, continue"', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'fr');
    kiosk.calls.length = 0;
    await user.click(screen.getByRole('button', { name: fr.toolbar.endSession }));
    await waitFor(() => expect(kiosk.calls).toContain('session:requestEnd'));
    await user.click(screen.getByRole('button', { name: fr.endSession.cancel }));
    await waitFor(() => expect(kiosk.calls).toContain('session:cancelEnd'));
    expect(kiosk.calls).not.toContain('session:end');
    expect(kiosk.calls.indexOf('session:requestEnd')).toBeLessThan(kiosk.calls.indexOf('session:cancelEnd'));
    expect(kiosk.controller.snapshot().phase).toBe('active');
  });
});

describe('help', () => {
  it('sends the open service and the language, and says honestly that nobody was told', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ help: HELP.noChannel });
    await chooseLanguage(user, 'de');
    await openTile(user, 'Meine Rente');
    await user.click(screen.getByRole('button', { name: de.toolbar.help }));

    const dialog = await screen.findByRole('dialog', { name: de.help.noChannelTitle });
    expect(dialog.textContent).toContain(de.help.noChannelMessage);
    expect(dialog.textContent).toContain(de.help.fallbackMessage);
    expect(kiosk.help.requests).toEqual([{ serviceId: 'mypension', language: 'de' }]);

    await user.click(within(dialog).getByRole('button', { name: de.help.close }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(root().dataset.screen).toBe('service');
  });

  it('sends no service from the launcher and tells when a helper was called', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ help: HELP.called });
    await chooseLanguage(user, 'fr');
    await user.click(screen.getByRole('button', { name: fr.toolbar.help }));

    const dialog = await screen.findByRole('dialog', { name: fr.help.calledTitle });
    expect(dialog.textContent).toContain(fr.help.calledMessage);
    expect(kiosk.help.requests).toEqual([{ serviceId: null, language: 'fr' }]);
  });

  it('tells honestly, not with a raw error, when the help call fails, and the service stays usable', async () => {
    const user = userEvent.setup();
    startTestKiosk({ help: new Error('helpers unreachable') });
    await chooseLanguage(user, 'en');
    await openTile(user, 'My taxes');
    await user.click(screen.getByRole('button', { name: en.toolbar.help }));

    const dialog = await screen.findByRole('alertdialog', { name: en.help.unreachableTitle });
    expect(dialog.textContent).toContain(en.help.fallbackMessage);
    expect(dialog.textContent).not.toContain(en.errors.generic);
    expect(dialog.textContent).not.toContain('helpers unreachable');

    await user.click(within(dialog).getByRole('button', { name: en.help.close }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(root().dataset.screen).toBe('service');
    expect(screen.getByRole('toolbar')).toBeTruthy();
  });
});

describe('keyboard', () => {
  it('reaches a language with Tab and chooses it with Enter', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await screen.findByRole('group', { name: WELCOME.fr.chooseLanguage });

    await user.tab();
    expect(document.activeElement?.getAttribute('lang')).toBe('fr');
    await user.tab();
    expect(document.activeElement?.getAttribute('lang')).toBe('nl');
    await user.keyboard('{Enter}');

    await screen.findByRole('heading', { level: 1, name: nl.launcher.title });
    expect(kiosk.sessions.begun).toEqual(['nl']);
  });

  it('puts focus on "No, continue" in the end-session question, keeps it inside, and Escape cancels', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    const endButton = screen.getByRole('button', { name: en.toolbar.endSession });
    await user.click(endButton);

    const cancel = screen.getByRole('button', { name: en.endSession.cancel });
    const confirm = screen.getByRole('button', { name: en.endSession.confirm });
    expect(document.activeElement).toBe(cancel);
    await user.tab();
    expect(document.activeElement).toBe(confirm);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(cancel);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(endButton);
    expect(kiosk.sessions.endCount).toBe(0);
  });
});
