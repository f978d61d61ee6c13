/**
 * The visitor's path: welcome (choose a language) → launcher (choose a service) →
 * service (under the toolbar), with End session, Help and My files reachable from the
 * launcher and the service.
 *
 * The main side decides where the visitor session stands (shared/contract.ts,
 * SessionSnapshot) and these screens follow it: the welcome screen in the kiosk's
 * default language, the visitor's screens, the idle warning over them, "Erasing…",
 * "Everything … has been erased", or the out-of-order screen. The screens only feed
 * the main side: the language chosen, the visitor's activity, the end asked for,
 * cancelled or confirmed. Every call goes through the bridge and every failure ends
 * in a plain message, never a broken screen.
 */
import { useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { I18nContext, useTranslation } from 'react-i18next';
import type { i18n as I18n, TFunction } from 'i18next';
import { localize, type KioskConfig, type Service } from '../shared/config/schema';
import {
  eventChannels,
  type FileChooserOpened,
  type ServiceArea,
  type ServiceRefusal,
  type SessionPhase,
  type VisitorFile,
} from '../shared/contract';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../shared/display-settings';
import type { LanguageCode } from '../shared/languages';
import { useKioskBridge } from './bridge/bridge-context';
import { callSafely } from './bridge/call-safely';
import { useKioskConfig } from './bridge/use-kiosk-config';
import { EndSessionDialog } from './components/EndSessionDialog';
import { FilesChooserDialog } from './components/FilesChooserDialog';
import { FilesDialog } from './components/FilesDialog';
import { isCallOpen, useHelpCall } from './components/HelpCall';
import { HelpCallBanner } from './components/HelpCallBanner';
import { HelpDialog, type HelpFallback } from './components/HelpDialog';
import { IdleWarning } from './components/IdleWarning';
import { LengthWarningBanner } from './components/LengthWarningBanner';
import { ProblemNotice, type Problem } from './components/ProblemNotice';
import { RefusalNotice } from './components/RefusalNotice';
import { SpeechNotice } from './components/SpeechNotice';
import { DisplayContext, type DisplayControl, type SpeechAvailability } from './display/display-context';
import { listVoices, Speaker, speechAvailabilityFor } from './display/speech';
import { useSystemPrefersMoreContrast } from './display/system-contrast';
import { useReadAloud } from './display/use-read-aloud';
import { markInteractiveOnce, showDocumentState, type ScreenName } from './document-state';
import { currentLanguage, hasVisitorTexts, loadVisitorTexts } from './i18n/kiosk-i18n';
import { LauncherScreen } from './screens/LauncherScreen';
import { ServiceScreen, type ShownService } from './screens/ServiceScreen';
import { EndingScreen, ErasedScreen, OutOfOrderScreen } from './screens/SessionEndScreens';
import { WelcomeScreen } from './screens/WelcomeScreen';
import { useActivityReporting } from './session/activity-reporter';
import { remainingMs } from './session/countdown';
import { localNow, useSessionSnapshot, type ReceivedSnapshot } from './session/use-session-snapshot';

type VisitorScreen = { readonly name: 'launcher' } | { readonly name: 'service'; readonly service: Service; readonly shown: ShownService | null };

type Overlay =
  | { readonly kind: 'end-session'; readonly confirming: boolean }
  /** The call for help: what it shows is the call's own state (useHelpCall), kept across the launcher and services. */
  | { readonly kind: 'help' }
  | { readonly kind: 'files' }
  /** A service page asked for a file: "My files" offered (files:chooserOpened), answered once with files:choose. */
  | { readonly kind: 'file-chooser'; readonly request: FileChooserOpened; readonly sending: boolean; readonly failed: boolean }
  | null;

interface ShownRefusal {
  readonly serviceId: string;
  readonly refusal: ServiceRefusal;
}

export { CONFIG_RETRY_MS } from './bridge/use-kiosk-config';

/**
 * When a phase should have moved on (the countdown is over, the erased message has had
 * its time, a wipe takes long) and no push came, the screens ask the main side where
 * the session stands, this often, in case a push was lost.
 */
export const RESYNC_GRACE_MS = 1000;
export const RESYNC_INTERVAL_MS = 2000;

const LAUNCHER: VisitorScreen = { name: 'launcher' };
const FilesSchema = eventChannels['files:changed'];
const RefusedSchema = eventChannels['service:refused'];
const ChooserOpenedSchema = eventChannels['files:chooserOpened'];

/** The phases in which a visitor is at the kiosk and the launcher or a service is drawn. */
function visitorIsThere(phase: SessionPhase | null): boolean {
  return phase === 'active' || phase === 'idle-warning';
}

/** What `data-screen` says: the idle warning covers the visitor's screen, so that screen stays named. */
function screenOf(phase: SessionPhase | null, screen: VisitorScreen): ScreenName | null {
  switch (phase) {
    case null:
      return null;
    case 'active':
    case 'idle-warning':
      return screen.name;
    default:
      return phase;
  }
}

function useI18nInstance(): I18n {
  // The instance itself, not useTranslation's per-language wrapper: effects that hold it must not re-run on every language switch.
  const context = useContext(I18nContext);
  if (context === undefined || context === null) throw new Error('KioskApp: render it inside <I18nextProvider>');
  return context.i18n;
}

function openInNewTab(url: string): void {
  window.open(url, '_blank', 'noopener');
}

/** Milliseconds until the phase shown should have given way to the next one, or null when it lasts. */
function overdueInMs(received: ReceivedSnapshot, config: KioskConfig): number | null {
  const { snapshot } = received;
  const elapsed = localNow() - received.receivedAt;
  switch (snapshot.phase) {
    case 'idle-warning':
      return snapshot.countdownEndsAt === null ? null : remainingMs(snapshot.countdownEndsAt, received, localNow()) + RESYNC_GRACE_MS;
    case 'ending':
      return Math.max(0, RESYNC_INTERVAL_MS - elapsed);
    case 'erased':
      return Math.max(0, config.session.erasedMessageSeconds * 1000 + RESYNC_GRACE_MS - elapsed);
    default:
      return null;
  }
}

export interface KioskAppProps {
  /** Something outside the visitor screens (the staff PIN pad) is over them: they are inert meanwhile. */
  readonly covered?: boolean;
}

export function KioskApp({ covered: coveredFromOutside = false }: KioskAppProps = {}) {
  const bridge = useKioskBridge();
  const i18n = useI18nInstance();
  const { t } = useTranslation();

  const { config, unavailable: configUnavailable } = useKioskConfig(bridge);
  const session = useSessionSnapshot(bridge);
  const received = session.current;
  const snapshot = received?.snapshot ?? null;
  const phase = snapshot?.phase ?? null;
  const present = visitorIsThere(phase);

  const [screen, setScreen] = useState<VisitorScreen>(LAUNCHER);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [refusal, setRefusal] = useState<ShownRefusal | null>(null);
  const [files, setFiles] = useState<readonly VisitorFile[]>([]);
  const help = useHelpCall(bridge, present);
  const display = snapshot?.display ?? DEFAULT_DISPLAY;
  // The computer's own "more contrast" gives the same strong colours as the toolbar's switch (on every visitor screen, welcome included).
  const systemWantsStrongColours = useSystemPrefersMoreContrast();
  const [speech, setSpeech] = useState<SpeechAvailability>('unknown');
  const [speechNotice, setSpeechNotice] = useState<'no-voice' | 'no-speech' | null>(null);
  /** Said to screen readers (and read aloud) after a display change: "Text size: 150 %". */
  const [announcement, setAnnouncement] = useState('');
  const [listenFailed, setListenFailed] = useState(false);
  const [welcomeSpeaker] = useState(() => new Speaker());
  // Bumped when a language's texts have loaded, so the screens draw in it.
  const [, setTextsLoaded] = useState(0);
  const [textsFailed, setTextsFailed] = useState(false);

  // When the visitor is gone (the session is ending, erased, or back to welcome), nothing of theirs stays on the screens.
  const [wasPresent, setWasPresent] = useState(present);
  if (wasPresent !== present) {
    setWasPresent(present);
    if (!present) {
      setScreen(LAUNCHER);
      setOverlay(null);
      setProblem(null);
      setRefusal(null);
      setFiles([]);
      setSpeechNotice(null);
      setAnnouncement('');
    }
  }

  // The call is over (a helper closed it, it was cancelled, the session ended): its dialog closes.
  const [helpState, setHelpState] = useState(help.view.state);
  if (helpState !== help.view.state) {
    setHelpState(help.view.state);
    if (help.view.state === 'none' && overlay?.kind === 'help') setOverlay(null);
  }

  // The erased message speaks the language of the visitor who just left, even if the snapshot no longer names it.
  const [visitorLanguage, setVisitorLanguage] = useState<LanguageCode | null>(null);
  if (snapshot?.language != null && snapshot.language !== visitorLanguage) setVisitorLanguage(snapshot.language);

  // Read by event listeners and async steps that outlive the render they started in.
  const screenRef = useRef<VisitorScreen>(screen);
  const presentRef = useRef(present);
  const displayRef = useRef<DisplaySettings>(display);
  const actionPending = useRef(false);
  const beginning = useRef(false);
  useLayoutEffect(() => {
    screenRef.current = screen;
    presentRef.current = present;
    displayRef.current = display;
  }, [screen, present, display]);


  useEffect(
    () =>
      bridge.service.onRefused((payload) => {
        const parsed = RefusedSchema.safeParse(payload);
        if (!parsed.success || !presentRef.current) return;
        setRefusal(parsed.data);
        // The page is gone, and the main side dropped its file chooser with it.
        if (parsed.data.refusal === 'page-ended') {
          setOverlay((open) => (open?.kind === 'file-chooser' && open.request.serviceId === parsed.data.serviceId ? null : open));
        }
      }),
    [bridge],
  );

  useEffect(
    () =>
      bridge.files.onChooserOpened((payload) => {
        const parsed = ChooserOpenedSchema.safeParse(payload);
        if (parsed.success && presentRef.current) setOverlay({ kind: 'file-chooser', request: parsed.data, sending: false, failed: false });
      }),
    [bridge],
  );

  useEffect(() => {
    if (!present) return;
    let stopped = false;
    const unsubscribe = bridge.files.onChanged((payload) => {
      const parsed = FilesSchema.safeParse(payload);
      if (parsed.success && !stopped) setFiles(parsed.data);
    });
    void callSafely(() => bridge.files.list()).then((result) => {
      if (stopped || !result.ok) return;
      const parsed = FilesSchema.safeParse(result.value);
      if (parsed.success) setFiles(parsed.data);
    });
    return () => {
      stopped = true;
      unsubscribe();
    };
  }, [bridge, present]);

  const reportActivity = useCallback(() => {
    // A lost report costs at most an early warning, which the visitor answers; never a broken screen.
    void callSafely(() => bridge.session.activity());
  }, [bridge]);
  // On the erased message, a touch is the next visitor: the main side then shows the welcome screen at once.
  useActivityReporting(present ? 'visitor' : phase === 'erased' ? 'erased' : null, reportActivity);

  // Pushes are the rule; when a phase overstays its time, ask where the session stands.
  const { refresh } = session;
  useEffect(() => {
    if (received === null || config === null) return;
    const firstDelay = overdueInMs(received, config);
    if (firstDelay === null) return;
    let interval: ReturnType<typeof setInterval> | undefined;
    const timer = setTimeout(() => {
      void refresh();
      interval = setInterval(() => void refresh(), RESYNC_INTERVAL_MS);
    }, firstDelay);
    return () => {
      clearTimeout(timer);
      clearInterval(interval);
    };
  }, [received, config, refresh]);

  const language: LanguageCode =
    config === null
      ? currentLanguage(i18n)
      : phase === 'welcome' || phase === 'out-of-order' || phase === null
        ? config.languages.default
        : (snapshot?.language ?? visitorLanguage ?? config.languages.default);

  // The visitor screens' texts come per language (renderer/i18n/kiosk-i18n.ts); until the language's are here, "One moment".
  const textsReady = hasVisitorTexts(i18n, language);
  useEffect(() => {
    if (textsReady) return;
    let stopped = false;
    loadVisitorTexts(i18n, language).then(
      () => {
        if (!stopped) setTextsLoaded((count) => count + 1);
      },
      () => {
        if (!stopped) setTextsFailed(true);
      },
    );
    return () => {
      stopped = true;
    };
  }, [i18n, language, textsReady]);

  // Before the screen's DOM is painted, so no screen ever shows in the previous language.
  useLayoutEffect(() => {
    if (textsReady && currentLanguage(i18n) !== language) void i18n.changeLanguage(language);
  }, [i18n, language, textsReady]);

  const screenName = config === null || !textsReady ? null : screenOf(phase, screen);
  // In the same commit as the screen's DOM, so `data-screen` never names a screen that is not there yet.
  useLayoutEffect(() => {
    const shown = systemWantsStrongColours && !display.highContrast ? { ...display, highContrast: true } : display;
    showDocumentState(document.documentElement, language, screenName, screenName === null ? null : phase, shown);
    if (screenName === 'welcome') markInteractiveOnce();
  }, [language, screenName, phase, display, systemWantsStrongColours]);

  // Whether a voice speaks the visitor's language, asked as the session begins so that the answer is there when they press Read aloud.
  // Asked again when the system's voices change (they may come late), so a press never waits for them.
  useEffect(() => {
    if (!present) return;
    let stopped = false;
    const check = () => {
      void speechAvailabilityFor(language).then((availability) => {
        if (!stopped) setSpeech(availability);
      });
    };
    check();
    const synthesis = globalThis.speechSynthesis as SpeechSynthesis | undefined;
    synthesis?.addEventListener('voiceschanged', check);
    return () => {
      stopped = true;
      synthesis?.removeEventListener('voiceschanged', check);
    };
  }, [present, language]);

  // Reading aloud follows the layer in front of the visitor: the screen, a dialog, the help call's state, a notice.
  const layerKey = [screenName, phase, overlay?.kind, help.view.state, refusal?.refusal, problem, speechNotice].join('|');
  useReadAloud({ enabled: present && display.readAloud, language, layerKey });

  // The welcome screen's Listen stops as soon as a language is chosen, and its message goes with the screen.
  const [listenPhase, setListenPhase] = useState(phase);
  if (listenPhase !== phase) {
    setListenPhase(phase);
    if (phase !== 'welcome') setListenFailed(false);
  }
  useEffect(() => {
    if (phase !== 'welcome') welcomeSpeaker.stop();
  }, [phase, welcomeSpeaker]);

  const changeDisplay = useCallback(
    (next: DisplaySettings) => {
      void (async () => {
        const before = displayRef.current;
        if (next.readAloud && !before.readAloud) {
          const availability = speech === 'unknown' ? await speechAvailabilityFor(language) : speech;
          setSpeech(availability);
          if (availability !== 'available') {
            setSpeechNotice(availability);
            return;
          }
        }
        const result = await callSafely(() => bridge.display.set(next));
        if (!result.ok) {
          if (presentRef.current) setProblem('generic');
          return;
        }
        setAnnouncement(displayAnnouncement(before, result.value, t));
        // The push normally brings the new settings first; the question makes sure the screens follow if it was lost.
        void refresh();
      })();
    },
    [bridge, language, refresh, speech, t],
  );

  const reportArea = useCallback(
    (area: ServiceArea) => {
      // A lost area report is corrected by the next resize; it is not the visitor's concern.
      void callSafely(() => bridge.service.setArea(area));
    },
    [bridge],
  );

  /** One action at a time: a second press while the first is under way is ignored, not queued. */
  async function runAction(action: () => Promise<void>): Promise<void> {
    if (actionPending.current) return;
    actionPending.current = true;
    setProblem(null);
    try {
      await action();
    } finally {
      actionPending.current = false;
    }
  }

  if (config === null || received === null || snapshot === null || !textsReady) {
    return (
      <main className="loading">
        <p className="loading-message" role="status">
          {configUnavailable || session.unavailable || textsFailed ? t('problem', { ns: 'welcome' }) : t('loading', { ns: 'welcome' })}
        </p>
      </main>
    );
  }

  // Not one of the visitor's actions (runAction): the launcher, drawn as soon as the main side's push
  // arrives, must answer a tap at once, even before the answer to session.begin has come back.
  const chooseLanguage = async (code: LanguageCode) => {
    if (beginning.current) return;
    beginning.current = true;
    setProblem(null);
    welcomeSpeaker.stop();
    try {
      // The launcher then shows in the visitor's language from its first frame.
      const loaded = await loadVisitorTexts(i18n, code).then(
        () => true,
        () => false,
      );
      if (!loaded) {
        setProblem('generic');
        return;
      }
      const result = await callSafely(() => bridge.session.begin({ language: code }));
      if (!result.ok) {
        setProblem('generic');
        return;
      }
      // The push normally arrives first; the question makes sure the launcher shows even if it was lost.
      void refresh();
    } finally {
      beginning.current = false;
    }
  };

  const openService = async (service: Service) => {
    if (actionPending.current) return;
    setProblem(null);
    setScreen({ name: 'service', service, shown: null });
    const result = await callSafely(() => bridge.service.open({ serviceId: service.id }));
    const stillWanted = () => {
      const current = screenRef.current;
      return presentRef.current && current.name === 'service' && current.service.id === service.id;
    };
    if (!result.ok) {
      if (stillWanted()) {
        setScreen(LAUNCHER);
        setProblem('serviceUnavailable');
      }
      return;
    }
    if (!stillWanted()) return;
    const shown = result.value;
    // Opened right away while the tile press still counts as the visitor's gesture; the button is there if the browser refused.
    if (shown.presentation === 'new-tab') openInNewTab(shown.url);
    setScreen((current) => (current.name === 'service' && current.service.id === service.id ? { ...current, shown } : current));
  };

  const goHome = () =>
    runAction(async () => {
      const result = await callSafely(() => bridge.service.close());
      if (!result.ok) {
        setProblem('generic');
        return;
      }
      setScreen(LAUNCHER);
    });

  const goBack = () =>
    runAction(async () => {
      const result = await callSafely(() => bridge.service.back());
      if (!result.ok) setProblem('generic');
    });

  /** Help: a new call, or the open one shown again (never a second call). Not one of runAction's: Home and Back stay usable while it is sent. */
  const requestHelp = () => {
    setProblem(null);
    setOverlay({ kind: 'help' });
    if (isCallOpen(help.view)) return;
    const current = screenRef.current;
    const serviceId = current.name === 'service' ? current.service.id : null;
    void help.request({ serviceId, language }).then((shown) => {
      // The first attempt is over. When nobody was told, the visitor sees it even if they closed the dialog meanwhile.
      const nobodyTold = shown.state === 'no-channel' || shown.state === 'unreachable' || shown.state === 'failed';
      if (nobodyTold && presentRef.current) setOverlay((open) => open ?? { kind: 'help' });
    });
  };

  const askToEndSession = () => {
    setProblem(null);
    setOverlay({ kind: 'end-session', confirming: false });
    // The main side learns the question is up (it may hold the idle counter); the question works without it.
    void callSafely(() => bridge.session.requestEnd());
  };

  const cancelEndSession = () => {
    setOverlay(null);
    void callSafely(() => bridge.session.cancelEnd());
  };

  const confirmEndSession = () =>
    runAction(async () => {
      setOverlay({ kind: 'end-session', confirming: true });
      const result = await callSafely(() => bridge.session.end({}));
      if (!result.ok) {
        setOverlay(null);
        if (presentRef.current) setProblem('generic');
        return;
      }
      // "Erasing…", then the erased message, come as pushes; the question makes sure they show if one was lost.
      void refresh();
      setOverlay(null);
    });

  /** The visitor's answer to a page's file chooser; on failure the dialog stays, to try again or cancel. */
  const chooseFiles = (request: FileChooserOpened, names: readonly string[]) => {
    setOverlay({ kind: 'file-chooser', request, sending: true, failed: false });
    void callSafely(() => bridge.files.choose({ requestId: request.requestId, names: [...names] })).then((result) => {
      setOverlay((open) => {
        if (open?.kind !== 'file-chooser' || open.request.requestId !== request.requestId) return open;
        return result.ok ? null : { ...open, sending: false, failed: true };
      });
    });
  };

  /** Cancel sends nothing to the page; the dialog closes at once, whatever the main side answers. */
  const cancelFileChooser = (request: FileChooserOpened) => {
    setOverlay(null);
    void callSafely(() => bridge.files.choose({ requestId: request.requestId, names: [] }));
  };

  /** Listen: the invitation in each offered language, in that language's voice; said plainly when no voice could speak any. */
  const listenToWelcome = () => {
    void listVoices().then(() => {
      const parts = config.languages.offered.map((code) => {
        const say = i18n.getFixedT(code, 'welcome');
        return { text: `${say('chooseLanguage')}. ${say('start')}.`, language: code };
      });
      setListenFailed(welcomeSpeaker.speak(parts, { interrupt: true }) === 0);
    });
  };

  const stillHere = () => {
    void callSafely(() => bridge.session.activity()).then((result) => {
      if (result.ok) void refresh();
    });
  };

  const serviceLabel = (serviceId: string) => {
    const service = config.services.find((candidate) => candidate.id === serviceId);
    return service === undefined ? serviceId : localize(service.label, language, config.languages.default);
  };

  const idleWarning = phase === 'idle-warning';
  const shownOverlay = present && !idleWarning ? overlay : null;
  const shownRefusal = present && !idleWarning && shownOverlay === null ? refusal : null;
  const showFiles = files.length > 0 ? () => setOverlay({ kind: 'files' }) : undefined;
  const helpFallback: HelpFallback = {
    message: config.help.fallback.message === undefined ? undefined : localize(config.help.fallback.message, language, config.languages.default),
    phone: config.help.fallback.phone,
  };
  const helpCallOpen = present && isCallOpen(help.view);
  const shownSpeechNotice = present && !idleWarning ? speechNotice : null;
  const covered = coveredFromOutside || idleWarning || shownOverlay !== null || shownRefusal !== null || problem !== null || shownSpeechNotice !== null;
  const displayControl: DisplayControl | null = present ? { display, change: changeDisplay } : null;

  return (
    <DisplayContext value={displayControl}>
      <div className="screen" inert={covered} data-help-call={helpCallOpen ? 'open' : undefined}>
        {present && snapshot.lengthWarning && <LengthWarningBanner received={received} />}
        {helpCallOpen && shownOverlay?.kind !== 'help' && <HelpCallBanner view={help.view} onShow={() => setOverlay({ kind: 'help' })} />}
        {phase === 'welcome' && (
          <WelcomeScreen config={config} onChooseLanguage={(code) => void chooseLanguage(code)} onListen={listenToWelcome} listenFailed={listenFailed} />
        )}
        {present && screen.name === 'launcher' && (
          <LauncherScreen
            config={config}
            language={language}
            onOpenService={(service) => void openService(service)}
            onHelp={() => void requestHelp()}
            onEndSession={askToEndSession}
            onFiles={showFiles}
          />
        )}
        {present && screen.name === 'service' && (
          <ServiceScreen
            label={localize(screen.service.label, language, config.languages.default)}
            shown={screen.shown}
            covered={covered}
            onArea={reportArea}
            onHome={() => void goHome()}
            onBack={() => void goBack()}
            onHelp={() => void requestHelp()}
            onEndSession={askToEndSession}
            onOpenInNewTab={openInNewTab}
            onFiles={showFiles}
          />
        )}
        {phase === 'ending' && <EndingScreen />}
        {phase === 'erased' && <ErasedScreen />}
        {phase === 'out-of-order' && <OutOfOrderScreen config={config} />}
      </div>
      {idleWarning && <IdleWarning received={received} language={language} onStillHere={stillHere} />}
      {shownOverlay?.kind === 'end-session' && (
        <EndSessionDialog confirming={shownOverlay.confirming} onConfirm={() => void confirmEndSession()} onCancel={cancelEndSession} />
      )}
      {shownOverlay?.kind === 'help' && (
        <HelpDialog
          view={help.view}
          fallback={helpFallback}
          cancelling={help.cancelling}
          cancelFailed={help.cancelFailed}
          onCancel={() => void help.cancel()}
          onClose={() => setOverlay(null)}
        />
      )}
      {shownOverlay?.kind === 'files' && <FilesDialog files={files} language={language} onClose={() => setOverlay(null)} />}
      {shownOverlay?.kind === 'file-chooser' && (
        <FilesChooserDialog
          files={files}
          multiple={shownOverlay.request.multiple}
          serviceLabel={serviceLabel(shownOverlay.request.serviceId)}
          language={language}
          sending={shownOverlay.sending}
          failed={shownOverlay.failed}
          onChoose={(names) => chooseFiles(shownOverlay.request, names)}
          onCancel={() => cancelFileChooser(shownOverlay.request)}
        />
      )}
      {shownRefusal !== null && (
        <RefusalNotice
          refusal={shownRefusal.refusal}
          serviceLabel={serviceLabel(shownRefusal.serviceId)}
          onClose={() => {
            setRefusal(null);
            // The page is gone: the launcher is the only useful place left.
            if (shownRefusal.refusal === 'page-ended') void goHome();
          }}
        />
      )}
      {problem !== null && !idleWarning && shownOverlay === null && shownRefusal === null && (
        <ProblemNotice problem={problem} onDismiss={() => setProblem(null)} />
      )}
      {shownSpeechNotice !== null && <SpeechNotice reason={shownSpeechNotice} onClose={() => setSpeechNotice(null)} />}
      <p className="visually-hidden" role="status">
        {present ? announcement : ''}
      </p>
    </DisplayContext>
  );
}

/** What a display change says to screen readers, in the visitor's words. */
function displayAnnouncement(before: DisplaySettings, after: DisplaySettings, t: TFunction): string {
  if (before.textSize !== after.textSize) return t('display.textSizeNow', { size: after.textSize / 100 });
  if (before.highContrast !== after.highContrast) return after.highContrast ? t('display.strongColoursOn') : t('display.strongColoursOff');
  if (before.readAloud !== after.readAloud) return after.readAloud ? t('display.readAloudOn') : t('display.readAloudOff');
  return '';
}
