/**
 * The screens follow the visitor session the main side decides (the real session
 * controller on a ManualClock): the idle warning and its countdown, "I'm still here",
 * the automatic end, "Erasing…", the erased message, the out-of-order screen, the
 * maximum-length banner, refusals explained, "My files", and what the screens tell the
 * main side about the visitor's activity.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
import { buildKioskBridge } from '../../shared/bridge';
import { ServiceRefusalSchema, type ServiceRefusal } from '../../shared/contract';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { createKioskI18n } from '../../renderer/i18n/kiosk-i18n';
import { allVisitorTexts } from './support/all-texts';
import { FakeSpeech, voice } from './support/fake-speech';
import { KioskRoot } from '../../renderer/KioskRoot';
import { configWithLanguages, configWithSession, createTestMainSide, parsedConfig, startTestKiosk } from './kiosk-harness';

const TEXTS = { en, fr, nl, de, ar, tr, uk } as const satisfies Record<LanguageCode, typeof en>;
/** The welcome screen's texts (locales/<lang>/welcome.json, bundled with the launcher). */
const WELCOME = { en: enWelcome, fr: frWelcome, nl: nlWelcome, de: deWelcome, ar: arWelcome, tr: trWelcome, uk: ukWelcome } as const satisfies Record<LanguageCode, typeof enWelcome>;
const SETTINGS = parsedConfig().session;
const IDLE_MS = SETTINGS.idleTimeoutSeconds * 1000;
const WARNING_MS = SETTINGS.idleWarningSeconds * 1000;
const ERASED_MS = SETTINGS.erasedMessageSeconds * 1000;

const root = () => document.documentElement;
type User = ReturnType<typeof userEvent.setup>;
type Kiosk = ReturnType<typeof startTestKiosk>;

/** "This computer will be cleaned in 30 seconds." with i18next's plural rules, as the screens write it. */
function countdownText(language: LanguageCode, seconds: number): string {
  const forms = TEXTS[language].idle;
  return (seconds === 1 ? forms.countdown_one : forms.countdown_other).replace(/\{\{count[^}]*\}\}/, String(seconds));
}

async function chooseLanguage(user: User, code: LanguageCode) {
  const endonym = LANGUAGES.find((language) => language.code === code)!.endonym;
  await user.click(await screen.findByRole('button', { name: new RegExp(`^${endonym}`) }));
  await screen.findByRole('heading', { level: 1, name: TEXTS[code].launcher.title });
}

async function openTile(user: User, name: string) {
  await user.click(screen.getByRole('button', { name }));
  await screen.findByRole('toolbar');
}

/** No input for the whole idle timeout, on the main side's clock. */
async function waitForIdleWarning(kiosk: Kiosk, language: LanguageCode) {
  await kiosk.advance(IDLE_MS);
  return screen.findByRole('alertdialog', { name: TEXTS[language].idle.title });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the welcome screen follows the main side', () => {
  it('shows the welcome screen once the start-up wipe is done, and names the phase', async () => {
    const kiosk = startTestKiosk();
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(root().dataset.screen).toBe('welcome');
    expect(root().dataset.sessionPhase).toBe('welcome');
    expect(kiosk.sessions.wipes).toEqual(['boot']);
  });

  it('comes back to a session under way after the screens were reloaded', async () => {
    const main = createTestMainSide();
    await main.booted;
    await main.controller.begin('de');
    render(<KioskRoot bridge={buildKioskBridge(main.transport)} i18n={createKioskI18n('en', { resources: allVisitorTexts() })} />);

    await screen.findByRole('heading', { level: 1, name: de.launcher.title });
    expect(root().dataset.screen).toBe('launcher');
    expect(root().lang).toBe('de');
  });
});

describe('idle warning', () => {
  it('appears over the service after the idle timeout, in the visitor\'s language, with a countdown', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ presentation: 'kiosk-view' });
    await chooseLanguage(user, 'nl');
    await openTile(user, 'Mijn pensioen');

    await kiosk.advance(IDLE_MS - 1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(root().dataset.sessionPhase).toBe('active');

    await kiosk.advance(1);
    const warning = await screen.findByRole('alertdialog', { name: nl.idle.title });
    // The ManualClock reads January 2025 and this page's clock something else entirely: only the difference counts.
    expect(within(warning).getByRole('timer').textContent).toBe(`${countdownText('nl', 30)} ${nl.idle.explanation}`);
    expect(warning.getAttribute('aria-describedby')).toBe(within(warning).getByRole('timer').id);
    expect(document.activeElement).toBe(within(warning).getByRole('button', { name: nl.idle.stillHere }));
    expect(root().dataset.sessionPhase).toBe('idle-warning');
    expect(root().dataset.screen).toBe('service');
    // The warning covers the screen: the service view steps aside and the page behind is out of reach.
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 0, width: 0, height: 0 }));
    expect(document.querySelector('.screen')!.hasAttribute('inert')).toBe(true);
  });

  it('counts down in the page\'s own time', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    const warning = await waitForIdleWarning(kiosk, 'en');
    const timer = within(warning).getByRole('timer');
    expect(timer.textContent).toContain(countdownText('en', 30));

    // The main side's clock stands still; the page's own clock moves on.
    await waitFor(() => expect(timer.textContent).toContain(countdownText('en', 29)), { timeout: 2500 });
    expect(kiosk.controller.snapshot().phase).toBe('idle-warning');
  });

  it('"I\'m still here" brings back the screen as it was', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'fr');
    await openTile(user, 'Ma santé');
    const warning = await waitForIdleWarning(kiosk, 'fr');
    kiosk.calls.length = 0;

    await user.click(within(warning).getByRole('button', { name: fr.idle.stillHere }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(kiosk.calls).toContain('session:activity');
    expect(kiosk.controller.snapshot().phase).toBe('active');
    expect(root().dataset.sessionPhase).toBe('active');
    expect(root().dataset.screen).toBe('service');
    expect(screen.getByTitle('Ma santé')).toBeTruthy();
    expect(document.querySelector('.screen')!.hasAttribute('inert')).toBe(false);

    // The idle counter started again from the answer.
    await kiosk.advance(IDLE_MS - 1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('brings back the end-session question that was open under it', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    expect(screen.getByRole('alertdialog', { name: en.endSession.question })).toBeTruthy();

    const warning = await waitForIdleWarning(kiosk, 'en');
    expect(screen.queryByRole('alertdialog', { name: en.endSession.question })).toBeNull();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(warning.isConnected).toBe(false));
    expect(screen.getByRole('alertdialog', { name: en.endSession.question })).toBeTruthy();
  });

  it('ends the session when the countdown runs out: "Erasing…", the erased message, then the welcome screen', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ config: configWithLanguages(['fr', 'nl', 'de', 'en'], 'nl') });
    await chooseLanguage(user, 'de');
    await openTile(user, 'Meine Steuern');
    await waitForIdleWarning(kiosk, 'de');
    const release = kiosk.sessions.hold();

    // The wipe is held: the clock moves on, the wipe is not waited for.
    act(() => kiosk.clock.advance(WARNING_MS));
    await screen.findByRole('heading', { level: 1, name: de.session.erasing });
    expect(root().dataset.screen).toBe('ending');
    expect(root().dataset.sessionPhase).toBe('ending');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByRole('toolbar')).toBeNull();

    await act(async () => {
      release();
      await kiosk.controller.whenIdle();
    });
    await screen.findByRole('heading', { level: 1, name: de.session.erased });
    expect(root().dataset.screen).toBe('erased');
    expect(root().lang).toBe('de');
    expect(screen.getByText(de.session.goodbye)).toBeTruthy();
    expect(kiosk.sessions.wipes).toEqual(['boot', 'idle']);
    expect(kiosk.presenter.closeCount).toBe(1);

    await kiosk.advance(ERASED_MS);
    await screen.findByRole('heading', { level: 1, name: WELCOME.nl.title });
    expect(root().lang).toBe('nl');
    expect(root().dataset.sessionPhase).toBe('welcome');

    // The next visitor starts on the launcher, not on the last visitor's service.
    await chooseLanguage(user, 'en');
    expect(root().dataset.screen).toBe('launcher');
  });

  it('is read aloud in the visitor\'s voice when they turned reading aloud on, with the countdown\'s announcements, not every tick', async () => {
    const speech = new FakeSpeech([voice('fr-FR', false), voice('nl-BE', true), voice('en-GB', false)]);
    speech.install();
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'nl');
    await user.click(screen.getByRole('button', { name: nl.display.readAloud }));
    await waitFor(() => expect(speech.spoken.length).toBeGreaterThan(0));
    const before = speech.spoken.length;

    await waitForIdleWarning(kiosk, 'nl');
    await waitFor(() => expect(speech.spoken.slice(before).map((utterance) => utterance.text)).toContain(nl.idle.title));
    const warning = speech.spoken.slice(before);
    expect(warning.every((utterance) => utterance.voice?.lang === 'nl-BE')).toBe(true);
    expect(warning.map((utterance) => utterance.text)).toContain(`${countdownText('nl', 30)} ${nl.idle.explanation}`);
    // Not again at every tick of the countdown.
    const afterWarning = speech.spoken.length;
    await waitFor(() => expect(screen.getByRole('timer').textContent).toContain(countdownText('nl', 29)), { timeout: 2500 });
    expect(speech.spoken.slice(afterWarning).map((utterance) => utterance.text)).not.toContain(`${countdownText('nl', 29)} ${nl.idle.explanation}`);

    const cancelledBefore = speech.cancelled;
    await user.click(screen.getByRole('button', { name: nl.idle.stillHere }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(speech.cancelled).toBeGreaterThan(cancelledBefore);
  });

  it('says nothing aloud when the visitor did not turn reading aloud on', async () => {
    const speech = new FakeSpeech([voice('de-DE', true)]);
    speech.install();
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'de');
    await waitForIdleWarning(kiosk, 'de');
    await waitFor(() => expect(screen.getByRole('timer').textContent).toContain(countdownText('de', 29)), { timeout: 2500 });
    expect(speech.spoken).toHaveLength(0);
  });
});

describe('activity on the screens', () => {
  it('postpones the idle warning', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    await kiosk.advance(IDLE_MS - 10_000);

    kiosk.calls.length = 0;
    await user.keyboard('{Tab}');
    await waitFor(() => expect(kiosk.calls).toContain('session:activity'));
    await kiosk.advance(10_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await kiosk.advance(IDLE_MS - 10_000);
    await screen.findByRole('alertdialog', { name: en.idle.title });
  });

  it('is reported at most once every 2 seconds, the last input included', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    kiosk.calls.length = 0;
    const activityCalls = () => kiosk.calls.filter((channel) => channel === 'session:activity').length;

    const main = screen.getByRole('main');
    for (let index = 0; index < 5; index += 1) main.dispatchEvent(new WheelEvent('wheel', { bubbles: true }));
    expect(activityCalls()).toBe(1);
    // The inputs of the quiet time are reported once at its end.
    await waitFor(() => expect(activityCalls()).toBe(2), { timeout: 3000 });
    expect(activityCalls()).toBe(2);
  });

  it('is not reported on the welcome screen, where no session has begun', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await screen.findByRole('group', { name: WELCOME.fr.chooseLanguage });
    await user.keyboard('{Tab}');
    await user.pointer({ keys: '[MouseLeft]', target: screen.getByRole('heading', { level: 1 }) });
    expect(kiosk.calls).not.toContain('session:activity');
  });
});

describe('after the wipe', () => {
  it('a touch on the erased message brings the welcome screen at once', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    await user.click(screen.getByRole('button', { name: en.endSession.confirm }));
    await screen.findByRole('heading', { level: 1, name: en.session.erased });

    await user.click(screen.getByRole('heading', { level: 1 }));
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(root().dataset.screen).toBe('welcome');
    expect(kiosk.clock.pendingTimers()).toBe(0);
  });

  it('shows the out-of-order screen for staff when the wipe cannot be verified', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ config: configWithLanguages(['de', 'fr', 'en'], 'de') });
    await chooseLanguage(user, 'en');
    kiosk.sessions.verified = false;
    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    await user.click(screen.getByRole('button', { name: en.endSession.confirm }));

    await screen.findByRole('heading', { level: 1, name: WELCOME.de.outOfOrderTitle });
    expect(root().dataset.screen).toBe('out-of-order');
    expect(root().dataset.sessionPhase).toBe('out-of-order');
    expect(root().lang).toBe('de');
    expect(screen.getByText(WELCOME.de.outOfOrderMessage)).toBeTruthy();
    const others = screen.getAllByRole('listitem');
    expect(others.map((item) => item.getAttribute('lang'))).toEqual(['fr', 'en']);
    expect(others[0]!.textContent).toBe(`${WELCOME.fr.outOfOrderTitle} ${WELCOME.fr.outOfOrderMessage}`);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(kiosk.sessions.wipes.filter((reason) => reason === 'visitor').length).toBeGreaterThan(1);
  });

  it('closes the end-session question when the session ends another way', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'fr');
    await user.click(screen.getByRole('button', { name: fr.toolbar.endSession }));
    // The session ends while the question is open (here: a confirmation from elsewhere, as a double tap would send).
    await act(async () => {
      await kiosk.controller.confirmEnd();
    });
    await screen.findByRole('heading', { level: 1, name: fr.session.erased });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});

describe('maximum session length', () => {
  it('shows a banner with the minutes left, above the screen, without blocking it', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ config: configWithSession({ maxSessionMinutes: 30, maxSessionWarningMinutes: 5, idleTimeoutSeconds: 3600 }) });
    await chooseLanguage(user, 'fr');
    expect(screen.queryByTestId('length-warning')).toBeNull();

    // Activity keeps the visitor from the idle warning; the maximum length comes anyway.
    await kiosk.advance(25 * 60_000);
    const banner = await screen.findByTestId('length-warning');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toBe(fr.session.lengthWarning_other.replace(/\{\{count[^}]*\}\}/, '5'));
    expect(document.querySelector('.screen')!.hasAttribute('inert')).toBe(false);
    await openTile(user, 'Ma pension');
    expect(screen.getByTestId('length-warning')).toBeTruthy();

    // The minutes come from the snapshot (sessionEndsAt - at), not from this page's clock: screens drawn again later say 1.
    await kiosk.advance(4 * 60_000);
    expect(screen.getByTestId('length-warning').textContent).toBe(fr.session.lengthWarning_other.replace(/\{\{count[^}]*\}\}/, '5'));
    kiosk.view.unmount();
    render(<KioskRoot bridge={kiosk.bridge} i18n={createKioskI18n('en')} />);
    expect((await screen.findByTestId('length-warning')).textContent).toBe(fr.session.lengthWarning_one.replace(/\{\{count[^}]*\}\}/, '1'));

    await kiosk.advance(60_000);
    await screen.findByRole('heading', { level: 1, name: fr.session.erased });
    expect(kiosk.sessions.wipes).toEqual(['boot', 'max-length']);
  });
});

describe('refusals', () => {
  const refusalsThatKeepThePage = ServiceRefusalSchema.options.filter((refusal) => refusal !== 'page-ended');

  it.each(refusalsThatKeepThePage)('explains "%s" in the visitor\'s language and keeps the visitor where they were', async (refusal: ServiceRefusal) => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'nl');
    await openTile(user, 'Mijn belastingen');

    kiosk.refuse('myminfin', refusal);
    const notice = await screen.findByRole('alertdialog', { name: nl.refusal[refusal].title });
    expect(notice.textContent).toContain(nl.refusal[refusal].message.replace('{{service}}', 'Mijn belastingen'));
    expect(document.activeElement).toBe(within(notice).getByRole('button', { name: nl.refusal.ok }));

    await user.click(within(notice).getByRole('button', { name: nl.refusal.ok }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(root().dataset.screen).toBe('service');
    expect(screen.getByTitle('Mijn belastingen')).toBeTruthy();
  });

  it('explains a page that stopped working and, once read, brings the visitor back to the launcher', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'nl');
    await openTile(user, 'Mijn belastingen');

    kiosk.refuse('myminfin', 'page-ended');
    const notice = await screen.findByRole('alertdialog', { name: nl.refusal['page-ended'].title });
    expect(notice.textContent).toContain(nl.refusal['page-ended'].message.replace('{{service}}', 'Mijn belastingen'));

    await user.click(within(notice).getByRole('button', { name: nl.refusal.ok }));
    await waitFor(() => expect(root().dataset.screen).toBe('launcher'));
    expect(screen.queryByTitle('Mijn belastingen')).toBeNull();
  });

  it('says an address is not part of the service, by the service\'s name', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'en');
    await openTile(user, 'My pension');
    kiosk.refuse('mypension', 'outside-service');
    const notice = await screen.findByRole('alertdialog');
    expect(notice.textContent).toContain('This page is not part of My pension. You stay here.');
  });

  it('are not shown when no visitor is there', async () => {
    const kiosk = startTestKiosk();
    await screen.findByRole('group', { name: WELCOME.fr.chooseLanguage });
    kiosk.refuse('myminfin', 'print');
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});

describe('My files', () => {
  it('appears only with files, lists them with sizes in the visitor\'s language, and is gone after the session', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await chooseLanguage(user, 'fr');
    await openTile(user, 'Mes impôts');
    const toolbar = screen.getByRole('toolbar');
    expect(within(toolbar).queryByRole('button', { name: fr.files.button })).toBeNull();

    kiosk.setFiles([
      { name: 'avertissement-extrait-de-role.pdf', sizeBytes: 12_500, inProgress: false },
      { name: 'attestation.pdf', sizeBytes: 1_200_000, inProgress: false },
      { name: 'formulaire.pdf', sizeBytes: 0, inProgress: true },
    ]);
    await user.click(await within(toolbar).findByRole('button', { name: fr.files.button }));

    const dialog = screen.getByRole('dialog', { name: fr.files.title });
    const items = within(dialog).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      `avertissement-extrait-de-role.pdf${new Intl.NumberFormat('fr', { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 }).format(12.5)}`,
      `attestation.pdf${new Intl.NumberFormat('fr', { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(1.2)}`,
      `formulaire.pdf${fr.files.inProgress}`,
    ]);
    expect(items[0]!.textContent).toContain('12,5');
    await user.click(within(dialog).getByRole('button', { name: fr.files.close }));

    await user.click(within(toolbar).getByRole('button', { name: fr.toolbar.endSession }));
    await user.click(screen.getByRole('button', { name: fr.endSession.confirm }));
    kiosk.files.current = [];
    await screen.findByRole('heading', { level: 1, name: fr.session.erased });
    await kiosk.advance(ERASED_MS);
    await chooseLanguage(user, 'en');
    expect(screen.queryByRole('button', { name: en.files.button })).toBeNull();
  });

  it('asks for the files when the session begins', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    kiosk.files.current = [{ name: 'ticket.pdf', sizeBytes: 800, inProgress: false }];
    await chooseLanguage(user, 'en');
    await user.click(await screen.findByRole('button', { name: en.files.button }));
    expect(within(screen.getByRole('dialog')).getByRole('listitem').textContent).toBe(
      `ticket.pdf${new Intl.NumberFormat('en', { style: 'unit', unit: 'byte', maximumFractionDigits: 1 }).format(800)}`,
    );
  });
});
