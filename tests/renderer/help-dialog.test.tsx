/**
 * The visitor's side of a call for help, over the harness' fake help desk: what each
 * state says in the visitor's language, the live region, one call at a time, cancel,
 * a helper's "I'm coming", the configured fallback when nobody can be reached, a failed
 * call told honestly, focus, and the call followed across screens, reloads and the
 * session's end.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import ar from '../../locales/ar/common.json';
import de from '../../locales/de/common.json';
import en from '../../locales/en/common.json';
import fr from '../../locales/fr/common.json';
import nl from '../../locales/nl/common.json';
import tr from '../../locales/tr/common.json';
import uk from '../../locales/uk/common.json';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { KioskRoot } from '../../renderer/KioskRoot';
import { HELP, parsedConfig, startTestKiosk, type HelpAnswer, type TestKioskOptions } from './kiosk-harness';

const TEXTS = { en, fr, nl, de, ar, tr, uk } as const satisfies Record<LanguageCode, typeof en>;
type Texts = typeof en;

const FALLBACK_PHONE = '+32 81 24 00 00';
const FALLBACK_MESSAGE = { fr: 'Levez la main : Julie, l’animatrice, va venir.', en: 'Raise your hand: Julie, our helper, will come.' };

function configWithFallback(fallback: { message?: Record<string, string>; phone?: string }) {
  return parsedConfig({ ...DEFAULT_CONFIG, help: { fallback } });
}

async function startAtLauncher(language: LanguageCode, options: TestKioskOptions = {}) {
  const user = userEvent.setup();
  const kiosk = startTestKiosk(options);
  const endonym = LANGUAGES.find((candidate) => candidate.code === language)!.endonym;
  await user.click(await screen.findByRole('button', { name: new RegExp(`^${endonym}`) }));
  await screen.findByRole('heading', { level: 1, name: TEXTS[language].launcher.title });
  return { user, kiosk, texts: TEXTS[language] };
}

function helpButton(texts: Texts): HTMLElement {
  return screen.getByRole('button', { name: texts.toolbar.help });
}

/** The screen behind the dialogs: inert while something covers it. */
function screenIsUsable(): boolean {
  return !document.querySelector('.screen')!.hasAttribute('inert');
}

function helpRequests(calls: readonly string[]): number {
  return calls.filter((channel) => channel === 'help:request').length;
}

/** The states that can follow a press of Help, with the words the visitor must read. */
const ANSWERED: ReadonlyArray<{
  readonly name: string;
  readonly answer: HelpAnswer;
  readonly role: 'dialog' | 'alertdialog';
  readonly title: (texts: Texts) => string;
  readonly says: (texts: Texts) => string[];
  readonly never: (texts: Texts) => string[];
  readonly canCancel: boolean;
}> = [
  {
    name: 'called (the hub took it)',
    answer: HELP.called,
    role: 'dialog',
    title: (texts) => texts.help.calledTitle,
    says: (texts) => [texts.help.calledMessage],
    never: (texts) => [texts.help.fallbackMessage, texts.help.toldTitle],
    canCancel: true,
  },
  {
    name: 'called (a webhook only)',
    answer: HELP.told,
    role: 'dialog',
    title: (texts) => texts.help.toldTitle,
    says: (texts) => [texts.help.toldMessage],
    // No promise that "a helper is coming" will be shown.
    never: (texts) => [texts.help.calledMessage, texts.help.comingTitle],
    canCancel: true,
  },
  {
    name: 'unreachable',
    answer: HELP.unreachable,
    role: 'alertdialog',
    title: (texts) => texts.help.unreachableTitle,
    says: (texts) => [texts.help.unreachableMessage, texts.help.fallbackMessage],
    never: (texts) => [texts.help.notSentMessage],
    canCancel: true,
  },
  {
    name: 'no channel',
    answer: HELP.noChannel,
    role: 'dialog',
    title: (texts) => texts.help.noChannelTitle,
    says: (texts) => [texts.help.noChannelMessage, texts.help.fallbackMessage],
    // Nothing is being tried: no "we keep trying", nothing to cancel.
    never: (texts) => [texts.help.unreachableMessage],
    canCancel: false,
  },
  {
    name: 'the call itself failed',
    answer: new Error('the help service threw'),
    role: 'alertdialog',
    title: (texts) => texts.help.unreachableTitle,
    says: (texts) => [texts.help.notSentMessage, texts.help.fallbackMessage],
    // Not retried, so not "we keep trying"; never the raw error.
    never: (texts) => [texts.help.unreachableMessage, texts.errors.generic, 'the help service threw'],
    canCancel: false,
  },
];

describe('each state, in the visitor’s language', () => {
  describe.each(['fr', 'en'] as const)('%s', (language) => {
    it.each(ANSWERED)('$name', async ({ answer, role, title, says, never, canCancel }) => {
      const { user, kiosk, texts } = await startAtLauncher(language, { help: answer });
      await user.click(helpButton(texts));

      const dialog = await screen.findByRole(role, { name: title(texts) });
      for (const words of says(texts)) expect(dialog.textContent).toContain(words);
      for (const words of never(texts)) expect(dialog.textContent).not.toContain(words);
      expect(within(dialog).getByRole('status').textContent).toContain(title(texts));
      expect(within(dialog).getByRole('button', { name: texts.help.close })).toBeTruthy();
      expect(within(dialog).queryByRole('button', { name: texts.help.cancel }) !== null).toBe(canCancel);
      // Every action has its pictogram.
      for (const button of within(dialog).getAllByRole('button')) expect(button.querySelector('svg[aria-hidden="true"]')).not.toBeNull();
      expect(kiosk.help.requests).toEqual([{ serviceId: null, language }]);
    });

    it('"Calling a helper…" while the first attempt is under way, then "a helper has been called"', async () => {
      const { user, kiosk, texts } = await startAtLauncher(language, { help: HELP.called });
      const release = kiosk.help.hold();
      await user.click(helpButton(texts));

      const dialog = await screen.findByRole('dialog', { name: texts.help.callingTitle });
      expect(dialog.textContent).toContain(texts.help.callingMessage);
      expect(dialog.querySelector('.help-spinner')).not.toBeNull();

      await act(async () => release());
      await waitFor(() => expect(screen.getByRole('dialog', { name: texts.help.calledTitle })).toBe(dialog));
      expect(dialog.querySelector('.help-spinner')).toBeNull();
    });

    it('"A helper is coming": an open dialog changes, and the change is in its live region', async () => {
      const { user, kiosk, texts } = await startAtLauncher(language, { help: HELP.called });
      await user.click(helpButton(texts));
      const dialog = await screen.findByRole('dialog', { name: texts.help.calledTitle });
      const live = within(dialog).getByRole('status');
      expect(live.getAttribute('aria-live') ?? 'polite').toBe('polite');

      kiosk.pushHelp(HELP.coming);
      expect(screen.getByRole('dialog', { name: texts.help.comingTitle })).toBe(dialog);
      expect(within(dialog).getByRole('status')).toBe(live);
      expect(live.textContent).toContain(texts.help.comingTitle);
      expect(live.textContent).toContain(texts.help.comingMessage);
      expect(within(dialog).getByRole('button', { name: texts.help.cancel })).toBeTruthy();
    });
  });
});

describe('one call at a time, kept across screens', () => {
  it('closing keeps the call open; Help shows it again instead of calling again, from a service too', async () => {
    const { user, kiosk, texts } = await startAtLauncher('fr', { help: HELP.called });
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('dialog', { name: texts.help.calledTitle });
    await user.click(within(dialog).getByRole('button', { name: texts.help.close }));
    expect(screen.queryByRole('dialog')).toBeNull();

    // The screen says a call is open, announced politely, with a way back to it.
    const banner = screen.getByTestId('help-banner');
    expect(within(banner).getByRole('status').textContent).toBe(texts.help.calledTitle);
    expect(document.querySelector('.screen')?.getAttribute('data-help-call')).toBe('open');

    await user.click(helpButton(texts));
    expect(await screen.findByRole('dialog', { name: texts.help.calledTitle })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: texts.help.close }));

    // On a service, the same call, and Help still sends nothing new.
    await user.click(screen.getByRole('button', { name: 'Mes impôts' }));
    await screen.findByRole('toolbar');
    expect(screen.getByTestId('help-banner')).toBeTruthy();
    await user.click(helpButton(texts));
    expect(await screen.findByRole('dialog', { name: texts.help.calledTitle })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: texts.help.close }));

    await user.click(within(screen.getByTestId('help-banner')).getByRole('button', { name: texts.help.showCall }));
    expect(await screen.findByRole('dialog', { name: texts.help.calledTitle })).toBeTruthy();
    expect(helpRequests(kiosk.calls)).toBe(1);
    expect(kiosk.help.requests).toHaveLength(1);
  });

  it('a second press while the first call is being sent sends nothing more', async () => {
    const { user, kiosk, texts } = await startAtLauncher('en', { help: HELP.called });
    const release = kiosk.help.hold();
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('dialog', { name: texts.help.callingTitle });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(screen.getByTestId('help-banner')).getByRole('status').textContent).toBe(texts.help.callingTitle);

    await user.click(helpButton(texts));
    expect(await screen.findByRole('dialog', { name: texts.help.callingTitle })).not.toBe(dialog);
    await act(async () => release());
    await screen.findByRole('dialog', { name: texts.help.calledTitle });
    expect(helpRequests(kiosk.calls)).toBe(1);
  });

  it('the banner follows the call while the dialog is closed: "a helper is coming"', async () => {
    const { user, kiosk, texts } = await startAtLauncher('en', { help: HELP.called });
    await user.click(helpButton(texts));
    await user.click(await screen.findByRole('button', { name: texts.help.close }));
    kiosk.pushHelp(HELP.coming);
    expect(within(screen.getByTestId('help-banner')).getByRole('status').textContent).toBe(texts.help.comingTitle);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('after a reload of the screens, the open call is asked for and shown, not sent again', async () => {
    const { user, kiosk, texts } = await startAtLauncher('fr', { help: HELP.called });
    await user.click(helpButton(texts));
    await screen.findByRole('dialog', { name: texts.help.calledTitle });
    kiosk.view.unmount();
    const gets = kiosk.calls.filter((channel) => channel === 'help:get').length;

    render(<KioskRoot bridge={kiosk.bridge} i18n={kiosk.i18n} />);
    await screen.findByRole('heading', { level: 1, name: texts.launcher.title });
    await waitFor(() => expect(within(screen.getByTestId('help-banner')).getByRole('status').textContent).toBe(texts.help.calledTitle));
    expect(kiosk.calls.filter((channel) => channel === 'help:get').length).toBeGreaterThan(gets);

    await user.click(helpButton(texts));
    expect(await screen.findByRole('dialog', { name: texts.help.calledTitle })).toBeTruthy();
    expect(helpRequests(kiosk.calls)).toBe(1);
  });
});

describe('cancel and the end of a call', () => {
  it('"Cancel my call" calls help:cancel, closes the dialog and gives focus back to Help', async () => {
    const { user, kiosk, texts } = await startAtLauncher('fr', { help: HELP.unreachable });
    const help = helpButton(texts);
    await user.click(help);
    const dialog = await screen.findByRole('alertdialog', { name: texts.help.unreachableTitle });
    // Focus starts on Close, the safe choice.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: texts.help.close }));

    await user.click(within(dialog).getByRole('button', { name: texts.help.cancel }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(kiosk.calls).toContain('help:cancel');
    expect(kiosk.help.cancelCount).toBe(1);
    expect(kiosk.help.current).toEqual({ state: 'none' });
    expect(screen.queryByTestId('help-banner')).toBeNull();
    expect(document.querySelector('.screen')?.hasAttribute('data-help-call')).toBe(false);
    expect(screenIsUsable()).toBe(true);
    expect(document.activeElement).toBe(helpButton(texts));

    // The next press is a new call.
    await user.click(helpButton(texts));
    await screen.findByRole('alertdialog', { name: texts.help.unreachableTitle });
    expect(helpRequests(kiosk.calls)).toBe(2);
  });

  it('can cancel while the call is being sent', async () => {
    const { user, kiosk, texts } = await startAtLauncher('en', { help: HELP.called });
    const release = kiosk.help.hold();
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('dialog', { name: texts.help.callingTitle });
    await user.click(within(dialog).getByRole('button', { name: texts.help.cancel }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await act(async () => release());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByTestId('help-banner')).toBeNull();
    expect(kiosk.help.current).toEqual({ state: 'none' });
  });

  it('says so when the call could not be cancelled, and keeps it shown', async () => {
    const { user, kiosk, texts } = await startAtLauncher('en', { help: HELP.called });
    kiosk.help.cancelFailure = new Error('the hub did not answer');
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('dialog', { name: texts.help.calledTitle });
    await user.click(within(dialog).getByRole('button', { name: texts.help.cancel }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(texts.errors.generic);
    expect(dialog.textContent).not.toContain('the hub did not answer');
    expect(screen.getByRole('dialog', { name: texts.help.calledTitle })).toBe(dialog);
  });

  it('closes when a helper closes the call ("Done")', async () => {
    const { user, kiosk, texts } = await startAtLauncher('fr', { help: HELP.called });
    await user.click(helpButton(texts));
    await screen.findByRole('dialog', { name: texts.help.calledTitle });
    kiosk.pushHelp(HELP.coming);
    expect(screenIsUsable()).toBe(false);
    kiosk.pushHelp({ state: 'none' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screenIsUsable()).toBe(true);
    expect(screen.queryByTestId('help-banner')).toBeNull();
    expect(document.activeElement).toBe(helpButton(texts));
  });

  it('leaves nothing of the call to the next visitor', async () => {
    const { user, kiosk, texts } = await startAtLauncher('en', { help: HELP.called });
    await user.click(helpButton(texts));
    await user.click(await screen.findByRole('button', { name: texts.help.close }));
    expect(screen.getByTestId('help-banner')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: texts.toolbar.endSession }));
    await user.click(await screen.findByRole('button', { name: texts.endSession.confirm }));
    await screen.findByRole('heading', { level: 1, name: texts.session.erased });
    expect(kiosk.help.current).toEqual({ state: 'none' });
    await kiosk.advance(parsedConfig().session.erasedMessageSeconds * 1000);

    await user.click(await screen.findByRole('button', { name: /^Nederlands/ }));
    await screen.findByRole('heading', { level: 1, name: nl.launcher.title });
    expect(screen.queryByTestId('help-banner')).toBeNull();
    await user.click(helpButton(nl));
    await screen.findByRole('dialog', { name: nl.help.calledTitle });
    expect(kiosk.help.requests).toEqual([
      { serviceId: null, language: 'en' },
      { serviceId: null, language: 'nl' },
    ]);
  });
});

describe('when nobody can be reached: the configured fallback', () => {
  it('shows the configured words in the visitor’s language, and the phone number', async () => {
    const { user, texts } = await startAtLauncher('en', {
      help: HELP.unreachable,
      config: configWithFallback({ message: FALLBACK_MESSAGE, phone: FALLBACK_PHONE }),
    });
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('alertdialog', { name: texts.help.unreachableTitle });
    expect(dialog.textContent).toContain(FALLBACK_MESSAGE.en);
    expect(dialog.textContent).not.toContain(texts.help.fallbackMessage);
    expect(dialog.textContent).toContain(`${texts.help.phoneLabel} ${FALLBACK_PHONE}`);
    expect(within(dialog).getByTestId('help-phone').textContent).toBe(FALLBACK_PHONE);
    // Plain text: nothing to follow out of the kiosk.
    expect(dialog.querySelector('a')).toBeNull();
  });

  it('uses the default language’s words when the visitor’s language has none', async () => {
    const { user, texts } = await startAtLauncher('nl', {
      help: HELP.noChannel,
      config: configWithFallback({ message: FALLBACK_MESSAGE }),
    });
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('dialog', { name: texts.help.noChannelTitle });
    expect(dialog.textContent).toContain(FALLBACK_MESSAGE.fr);
    expect(within(dialog).queryByTestId('help-phone')).toBeNull();
  });

  it('shows the phone number with the kiosk’s own words when only a number is configured, also when the call failed', async () => {
    const { user, texts } = await startAtLauncher('fr', {
      help: new Error('no help service'),
      config: configWithFallback({ phone: FALLBACK_PHONE }),
    });
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('alertdialog', { name: texts.help.unreachableTitle });
    expect(dialog.textContent).toContain(texts.help.notSentMessage);
    expect(dialog.textContent).toContain(texts.help.fallbackMessage);
    expect(within(dialog).getByTestId('help-phone').textContent).toBe(FALLBACK_PHONE);
    expect(screen.queryByRole('alert')).toBeNull();

    // Nothing reached the helpers: closing leaves no call open, and Help tries again.
    await user.click(within(dialog).getByRole('button', { name: texts.help.close }));
    expect(screen.queryByTestId('help-banner')).toBeNull();
  });

  it('turns into "called" when the hub comes back', async () => {
    const { user, kiosk, texts } = await startAtLauncher('en', { help: HELP.unreachable });
    await user.click(helpButton(texts));
    const dialog = await screen.findByRole('alertdialog', { name: texts.help.unreachableTitle });
    kiosk.pushHelp(HELP.called);
    expect(screen.getByRole('dialog', { name: texts.help.calledTitle })).toBe(dialog);
    expect(dialog.textContent).not.toContain(texts.help.fallbackMessage);
  });
});
