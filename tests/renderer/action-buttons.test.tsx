/**
 * The big buttons of the visitor's dialogs, notices and banners: each wears a pictogram
 * beside its words, hidden from screen readers, so the button's name is its words alone;
 * one action has one pictogram wherever it is offered; arrows and the paper plane turn
 * round in right-to-left languages.
 */
import { render, screen, within } from '@testing-library/react';
import type { i18n as I18n } from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import ar from '../../locales/ar/common.json';
import arWelcome from '../../locales/ar/welcome.json';
import en from '../../locales/en/common.json';
import enWelcome from '../../locales/en/welcome.json';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { DEFAULT_DISPLAY } from '../../shared/display-settings';
import { directionOf } from '../../shared/languages';
import { EndSessionDialog } from '../../renderer/components/EndSessionDialog';
import { FilesChooserDialog } from '../../renderer/components/FilesChooserDialog';
import { FilesDialog } from '../../renderer/components/FilesDialog';
import { HelpCallBanner } from '../../renderer/components/HelpCallBanner';
import { HelpDialog } from '../../renderer/components/HelpDialog';
import { IdleWarning } from '../../renderer/components/IdleWarning';
import { ProblemNotice } from '../../renderer/components/ProblemNotice';
import { RefusalNotice } from '../../renderer/components/RefusalNotice';
import { SpeechNotice } from '../../renderer/components/SpeechNotice';
import { createKioskI18n } from '../../renderer/i18n/kiosk-i18n';
import { ACTION_ICONS, TOOLBAR_ICONS, type ActionId } from '../../renderer/icons/icon-map';
import { ServiceScreen } from '../../renderer/screens/ServiceScreen';
import { WelcomeScreen } from '../../renderer/screens/WelcomeScreen';
import { localNow } from '../../renderer/session/use-session-snapshot';
import { parsedConfig } from './kiosk-harness';
import { allVisitorTexts } from './support/all-texts';

type Language = 'en' | 'ar';
type Texts = typeof en;
const TEXTS: Readonly<Record<Language, Texts>> = { en, ar };
const WELCOME_TEXTS = { en: enWelcome, ar: arWelcome } as const;

function textsIn(language: Language): I18n {
  return createKioskI18n(language, { resources: allVisitorTexts() });
}

/** As the app does: <html dir> follows the visitor's language, so the style sheet and the icons can turn round. */
function renderIn(language: Language, children: ReactNode) {
  document.documentElement.setAttribute('lang', language);
  document.documentElement.setAttribute('dir', directionOf(language));
  return render(<I18nextProvider i18n={textsIn(language)}>{children}</I18nextProvider>);
}

const nothing = () => {};
const FILE = { name: 'attestation.pdf', sizeBytes: 12_500, inProgress: false } as const;

interface Case {
  readonly name: string;
  readonly render: (language: Language) => ReactNode;
  /** The big buttons the visitor sees there, in screen order: their words and the action they do. */
  readonly buttons: (texts: Texts) => ReadonlyArray<readonly [label: string, action: ActionId]>;
}

const CASES: readonly Case[] = [
  {
    name: 'the end-session question',
    render: () => <EndSessionDialog onConfirm={nothing} onCancel={nothing} />,
    buttons: (texts) => [
      [texts.endSession.confirm, 'eraseAndFinish'],
      [texts.endSession.cancel, 'continue'],
    ],
  },
  {
    name: 'the idle warning',
    render: (language) => (
      <IdleWarning
        received={{
          snapshot: { phase: 'idle-warning', at: 0, language, countdownEndsAt: 30_000, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY },
          receivedAt: localNow(),
        }}
        language={language}
        onStillHere={nothing}
      />
    ),
    buttons: (texts) => [[texts.idle.stillHere, 'stillHere']],
  },
  {
    name: 'the help dialog of an open call',
    render: () => <HelpDialog view={{ state: 'called', canBeAcknowledged: true }} fallback={{}} cancelling={false} cancelFailed={false} onCancel={nothing} onClose={nothing} />,
    buttons: (texts) => [
      [texts.help.cancel, 'cancelCall'],
      [texts.help.close, 'close'],
    ],
  },
  {
    name: 'the banner of an open call',
    render: () => <HelpCallBanner view={{ state: 'coming' }} onShow={nothing} />,
    buttons: (texts) => [[texts.help.showCall, 'seeCall']],
  },
  {
    name: 'My files',
    render: (language) => <FilesDialog files={[FILE]} language={language} onClose={nothing} />,
    buttons: (texts) => [[texts.files.close, 'close']],
  },
  {
    name: 'the file chooser for several files',
    render: (language) => (
      <FilesChooserDialog files={[FILE]} multiple serviceLabel="MyMinfin" language={language} sending={false} failed={false} onChoose={nothing} onCancel={nothing} />
    ),
    buttons: (texts) => [
      [texts.files.chooser.send, 'send'],
      [texts.files.chooser.cancel, 'close'],
    ],
  },
  {
    name: 'the file chooser with no file yet',
    render: (language) => <FilesChooserDialog files={[]} multiple={false} serviceLabel="MyMinfin" language={language} sending={false} failed={false} onChoose={nothing} onCancel={nothing} />,
    buttons: (texts) => [[texts.files.chooser.close, 'close']],
  },
  {
    name: 'a refusal',
    render: () => <RefusalNotice refusal="outside-service" serviceLabel="MyMinfin" onClose={nothing} />,
    buttons: (texts) => [[texts.refusal.ok, 'ok']],
  },
  {
    name: 'a problem notice',
    render: () => <ProblemNotice problem="generic" onDismiss={nothing} />,
    buttons: (texts) => [[texts.errors.dismiss, 'ok']],
  },
  {
    name: 'the reading-aloud notice',
    render: () => <SpeechNotice reason="no-voice" onClose={nothing} />,
    buttons: (texts) => [[texts.display.ok, 'ok']],
  },
  {
    name: 'a service that opens in a new tab (preview)',
    render: () => (
      <ServiceScreen
        label="MyMinfin"
        shown={{ presentation: 'new-tab', url: 'https://example.org/' }}
        covered={false}
        onArea={nothing}
        onHome={nothing}
        onBack={nothing}
        onHelp={nothing}
        onEndSession={nothing}
        onOpenInNewTab={nothing}
      />
    ),
    buttons: (texts) => [[texts.preview.openInNewTab, 'openInNewTab']],
  },
];

/** The drawing of a rendered pictogram, to compare two buttons' pictograms. */
function drawingIn(button: HTMLElement): string {
  const svg = button.querySelector('svg');
  expect(svg, `${button.textContent} has a pictogram`).not.toBeNull();
  return svg!.innerHTML;
}

function drawingOf(icon: (typeof ACTION_ICONS)[ActionId]): string {
  const Icon = icon;
  const { container, unmount } = render(<Icon />);
  const drawing = container.querySelector('svg')!.innerHTML;
  unmount();
  return drawing;
}

describe.each(['en', 'ar'] as const)('action buttons in %s', (language) => {
  const texts = TEXTS[language];

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s: a hidden pictogram at the start of each button, and the words alone as its name', (_, testCase) => {
    renderIn(language, testCase.render(language));
    for (const [label, action] of testCase.buttons(texts)) {
      // Found by its exact words: the pictogram adds nothing to the name screen readers hear.
      const button = screen.getByRole('button', { name: label });
      expect(button.classList.contains('big-button')).toBe(true);
      const svg = button.querySelector('svg');
      expect(svg, `${label} has a pictogram`).not.toBeNull();
      expect(svg!.getAttribute('aria-hidden')).toBe('true');
      expect(svg!.getAttribute('focusable')).toBe('false');
      // Before the words in the markup: on the start side in both directions (the layout is mirrored in right-to-left).
      expect(button.firstElementChild).toBe(svg);
      // The drawing of the action, wherever it is offered.
      expect(drawingIn(button), label).toBe(drawingOf(ACTION_ICONS[action]));
      // In the text's colour, so both themes and forced colours hold.
      expect(svg!.getAttribute('stroke')).toBe('currentColor');
    }
  });

  it('the welcome screen’s Listen wears the read-aloud pictogram', () => {
    renderIn(language, <WelcomeScreen config={parsedConfig(DEFAULT_CONFIG)} onChooseLanguage={nothing} onListen={nothing} />);
    const listen = screen.getByRole('button', { name: WELCOME_TEXTS[language].listen });
    expect(listen.querySelector('svg[aria-hidden="true"]')).not.toBeNull();
    expect(drawingIn(listen)).toBe(drawingOf(ACTION_ICONS.listen));
  });
});

describe('pictograms that point', () => {
  it('"No, continue" (an arrow back) is marked to turn round in right-to-left; "Yes, erase and finish" (an eraser) is not', () => {
    renderIn('ar', <EndSessionDialog onConfirm={nothing} onCancel={nothing} />);
    const dialog = screen.getByRole('alertdialog');
    const turning = (label: string) => within(dialog).getByRole('button', { name: label }).querySelector('svg')!.classList.contains('action-button-icon--directional');
    expect(turning(ar.endSession.cancel)).toBe(true);
    expect(turning(ar.endSession.confirm)).toBe(false);
  });

  it('"See my call" opens what Help opens, with the same pictogram', () => {
    renderIn('en', <HelpCallBanner view={{ state: 'called', canBeAcknowledged: true }} onShow={nothing} />);
    expect(drawingIn(screen.getByRole('button', { name: en.help.showCall }))).toBe(drawingOf(TOOLBAR_ICONS.help));
  });
});
