/**
 * The visitor's display buttons through the real session controller (the kiosk harness):
 * text size in steps and back, strong colours, reading aloud in the visitor's language
 * with an honest message when no voice speaks it, the welcome screen's Listen, and the
 * next visitor starting from the defaults.
 */
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import en from '../../../locales/en/common.json';
import nl from '../../../locales/nl/common.json';
import enWelcome from '../../../locales/en/welcome.json';
import frWelcome from '../../../locales/fr/welcome.json';
import nlWelcome from '../../../locales/nl/welcome.json';
import { LANGUAGES, type LanguageCode } from '../../../shared/languages';
import { configWithLanguages, startTestKiosk } from '../kiosk-harness';
import { FakeSpeech, voice } from '../support/fake-speech';

const root = () => document.documentElement;
type User = ReturnType<typeof userEvent.setup>;

async function chooseLanguage(user: User, code: LanguageCode, title: string) {
  const endonym = LANGUAGES.find((language) => language.code === code)!.endonym;
  await user.click(await screen.findByRole('button', { name: new RegExp(`^${endonym}`) }));
  await screen.findByRole('heading', { level: 1, name: title });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('text size', () => {
  it('goes up a step each press to 200 %, then back to normal, and is told to screen readers', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await chooseLanguage(user, 'en', en.launcher.title);
    expect(root().dataset.textSize).toBe('100');

    for (const [size, label] of [['125', en.display.biggerText], ['150', en.display.biggerText], ['200', en.display.biggerText]] as const) {
      await user.click(screen.getByRole('button', { name: label }));
      await waitFor(() => expect(root().dataset.textSize).toBe(size));
    }
    expect(kiosk.controller.snapshot().display.textSize).toBe(200);
    await waitFor(() => expect(screen.getAllByRole('status').some((status) => status.textContent === en.display.textSizeNow.replace('{{size, number(style: percent)}}', '200%'))).toBe(true));

    // At the largest size the same button says what its press does now.
    await user.click(screen.getByRole('button', { name: en.display.normalText }));
    await waitFor(() => expect(root().dataset.textSize).toBe('100'));
  });

  it('starts from normal for the next visitor', async () => {
    const user = userEvent.setup();
    startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await chooseLanguage(user, 'en', en.launcher.title);
    await user.click(screen.getByRole('button', { name: en.display.biggerText }));
    await user.click(screen.getByRole('button', { name: en.display.strongColours }));
    await waitFor(() => expect(root().dataset.contrast).toBe('high'));
    expect(root().dataset.textSize).toBe('125');

    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    await user.click(await screen.findByRole('button', { name: en.endSession.confirm }));
    await waitFor(() => expect(root().dataset.sessionPhase).toBe('erased'));
    expect(root().dataset.textSize).toBe('100');
    expect(root().dataset.contrast).toBeUndefined();
  });
});

describe('strong colours', () => {
  it('follow the computer\'s own "more contrast" on every visitor screen, the welcome screen included', async () => {
    const listeners = new Set<() => void>();
    let prefersMore = true;
    vi.stubGlobal('matchMedia', (media: string) => ({
      media,
      get matches() {
        return media === '(prefers-contrast: more)' && prefersMore;
      },
      addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
      removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
    }));
    startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await screen.findByRole('button', { name: enWelcome.listen });
    await waitFor(() => expect(root().dataset.contrast).toBe('high'));

    prefersMore = false;
    act(() => listeners.forEach((listener) => listener()));
    await waitFor(() => expect(root().dataset.contrast).toBeUndefined());
  });

  it('is a switch: pressed, then not', async () => {
    const user = userEvent.setup();
    startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await chooseLanguage(user, 'en', en.launcher.title);
    const strong = screen.getByRole('button', { name: en.display.strongColours });
    expect(strong.getAttribute('aria-pressed')).toBe('false');
    await user.click(strong);
    await waitFor(() => expect(screen.getByRole('button', { name: en.display.strongColours }).getAttribute('aria-pressed')).toBe('true'));
    expect(root().dataset.contrast).toBe('high');
    await user.click(screen.getByRole('button', { name: en.display.strongColours }));
    await waitFor(() => expect(root().dataset.contrast).toBeUndefined());
  });
});

describe('reading aloud', () => {
  it('reads the screen in the visitor\'s voice once turned on, then each new dialog, and stops when turned off', async () => {
    const speech = new FakeSpeech([voice('en-GB'), voice('nl-BE', true)]).install();
    const user = userEvent.setup();
    startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await chooseLanguage(user, 'nl', nl.launcher.title);
    expect(speech.spoken).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: nl.display.readAloud }));
    await waitFor(() => expect(speech.texts()).toContain(nl.launcher.title));
    expect(speech.spoken.every((utterance) => utterance.voice?.lang === 'nl-BE')).toBe(true);
    expect(screen.getByRole('button', { name: nl.display.readAloud }).getAttribute('aria-pressed')).toBe('true');
    // Every tile label is among what was read.
    const tiles = document.querySelectorAll<HTMLButtonElement>('button.tile');
    expect(tiles.length).toBeGreaterThan(0);
    for (const tile of tiles) expect(speech.texts().some((text) => text.startsWith(tile.getAttribute('aria-label')!))).toBe(true);

    const before = speech.spoken.length;
    await user.click(screen.getByRole('button', { name: nl.toolbar.endSession }));
    await waitFor(() => expect(speech.texts().slice(before)).toContain(nl.endSession.question));
    await user.click(screen.getByRole('button', { name: nl.endSession.cancel }));

    await user.click(await screen.findByRole('button', { name: nl.display.readAloud }));
    await waitFor(() => expect(screen.getByRole('button', { name: nl.display.readAloud }).getAttribute('aria-pressed')).toBe('false'));
    const silentFrom = speech.spoken.length;
    const cancelledBefore = speech.cancelled;
    await user.click(screen.getByRole('button', { name: nl.toolbar.endSession }));
    await screen.findByRole('alertdialog', { name: nl.endSession.question });
    expect(speech.spoken.length).toBe(silentFrom);
    expect(speech.cancelled).toBeGreaterThanOrEqual(cancelledBefore);
  });

  it('says plainly when no voice speaks the visitor\'s language, and stays off', async () => {
    const speech = new FakeSpeech([voice('fr-BE'), voice('de-DE')]).install();
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await chooseLanguage(user, 'nl', nl.launcher.title);

    await user.click(screen.getByRole('button', { name: nl.display.readAloud }));
    const notice = await screen.findByRole('alertdialog', { name: nl.display.readAloud });
    expect(notice.textContent).toContain(nl.display.noVoice);
    expect(kiosk.controller.snapshot().display.readAloud).toBe(false);
    expect(speech.spoken).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: nl.display.ok }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByRole('button', { name: nl.display.readAloud }).getAttribute('aria-pressed')).toBe('false');
  });

  it('says so too where the computer has no speech at all', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('speechSynthesis', undefined);
    startTestKiosk({ config: configWithLanguages(['en', 'nl'], 'en') });
    await chooseLanguage(user, 'en', en.launcher.title);
    await user.click(screen.getByRole('button', { name: en.display.readAloud }));
    expect((await screen.findByRole('alertdialog', { name: en.display.readAloud })).textContent).toContain(en.display.noSpeech);
  });
});

describe('the welcome screen\'s Listen', () => {
  it('reads the invitation of each offered language in that language\'s own voice', async () => {
    const speech = new FakeSpeech([voice('fr-BE'), voice('nl-BE'), voice('en-GB')]).install();
    const user = userEvent.setup();
    startTestKiosk({ config: configWithLanguages(['fr', 'nl', 'en'], 'fr') });
    await user.click(await screen.findByRole('button', { name: frWelcome.listen }));
    await waitFor(() => expect(speech.spoken).toHaveLength(3));
    expect(speech.spoken.map((utterance) => utterance.voice?.lang)).toEqual(['fr-BE', 'nl-BE', 'en-GB']);
    expect(speech.spoken[1]!.text).toContain(nlWelcome.chooseLanguage);
    expect(speech.spoken[2]!.text).toContain(enWelcome.start);
  });

  it('says plainly when no voice can speak any of them', async () => {
    new FakeSpeech([voice('es-ES')]).install();
    const user = userEvent.setup();
    startTestKiosk({ config: configWithLanguages(['fr', 'nl', 'en'], 'fr') });
    await user.click(await screen.findByRole('button', { name: frWelcome.listen }));
    await waitFor(() => expect(screen.getByText(frWelcome.noVoice)).toBeTruthy());
    act(() => undefined);
  });
});
