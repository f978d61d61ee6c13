/**
 * The visitor's path: welcome (choose a language) → launcher (choose a service) →
 * service (under the toolbar), with End session and Help reachable from the launcher
 * and the service. Every call to the main side goes through the bridge and every
 * failure ends in a plain message, never a broken screen.
 */
import { useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { I18nContext, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { KioskConfigSchema, localize, type KioskConfig, type Service } from '../shared/config/schema';
import type { HelpOutcome, ServiceArea } from '../shared/contract';
import type { LanguageCode } from '../shared/languages';
import { useKioskBridge } from './bridge/bridge-context';
import { callSafely } from './bridge/call-safely';
import { EndSessionDialog } from './components/EndSessionDialog';
import { HelpDialog } from './components/HelpDialog';
import { ProblemNotice, type Problem } from './components/ProblemNotice';
import { markInteractiveOnce, showDocumentState, type ScreenName } from './document-state';
import { currentLanguage } from './i18n/kiosk-i18n';
import { LauncherScreen } from './screens/LauncherScreen';
import { ServiceScreen, type ShownService } from './screens/ServiceScreen';
import { WelcomeScreen } from './screens/WelcomeScreen';

type Screen =
  | { readonly name: 'welcome' }
  | { readonly name: 'launcher' }
  | { readonly name: 'service'; readonly service: Service; readonly shown: ShownService | null };

type Overlay = { readonly kind: 'end-session' } | { readonly kind: 'help'; readonly outcome: HelpOutcome } | null;

/** How long to wait before asking again for a configuration the main side could not give. */
export const CONFIG_RETRY_MS = 3000;

const WELCOME: Screen = { name: 'welcome' };
const LAUNCHER: Screen = { name: 'launcher' };

function useI18nInstance(): I18n {
  // The instance itself, not useTranslation's per-language wrapper: effects that hold it must not re-run on every language switch.
  const context = useContext(I18nContext);
  if (context === undefined || context === null) throw new Error('KioskApp: render it inside <I18nextProvider>');
  return context.i18n;
}

function openInNewTab(url: string): void {
  window.open(url, '_blank', 'noopener');
}

export function KioskApp() {
  const bridge = useKioskBridge();
  const i18n = useI18nInstance();
  const { t } = useTranslation();
  const language = currentLanguage(i18n);

  const [config, setConfig] = useState<KioskConfig | null>(null);
  const [configUnavailable, setConfigUnavailable] = useState(false);
  const [screen, setScreen] = useState<Screen>(WELCOME);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  // Read by event listeners and async steps that outlive the render they started in.
  const screenRef = useRef<Screen>(screen);
  const actionPending = useRef(false);
  useLayoutEffect(() => {
    screenRef.current = screen;
  }, [screen]);

  useEffect(() => {
    let stopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const result = await callSafely(() => bridge.config.get());
      if (stopped) return;
      if (!result.ok) {
        setConfigUnavailable(true);
        retryTimer = setTimeout(() => void load(), CONFIG_RETRY_MS);
        return;
      }
      await i18n.changeLanguage(result.value.languages.default);
      if (stopped) return;
      setConfig(result.value);
      setConfigUnavailable(false);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
    };
  }, [bridge, i18n]);

  useEffect(
    () =>
      bridge.config.onChanged((payload) => {
        const parsed = KioskConfigSchema.safeParse(payload);
        if (!parsed.success) return;
        // Nobody is using the kiosk on the welcome screen: it follows the new default language at once.
        if (screenRef.current.name === 'welcome') void i18n.changeLanguage(parsed.data.languages.default);
        setConfig(parsed.data);
      }),
    [bridge, i18n],
  );

  const screenName: ScreenName | null = config === null ? null : screen.name;
  // In the same commit as the screen's DOM, so `data-screen` never names a screen that is not there yet.
  useLayoutEffect(() => {
    showDocumentState(document.documentElement, language, screenName);
    if (screenName === 'welcome') markInteractiveOnce();
  }, [language, screenName]);

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

  if (config === null) {
    return (
      <main className="loading">
        <p className="loading-message" role="status">
          {configUnavailable ? t('errors.generic') : t('app.loading')}
        </p>
      </main>
    );
  }
  const loadedConfig = config;

  const chooseLanguage = (code: LanguageCode) =>
    runAction(async () => {
      const result = await callSafely(() => bridge.session.begin({ language: code }));
      if (!result.ok) {
        setProblem('generic');
        return;
      }
      await i18n.changeLanguage(code);
      setScreen(LAUNCHER);
    });

  const openService = async (service: Service) => {
    if (actionPending.current) return;
    setProblem(null);
    setScreen({ name: 'service', service, shown: null });
    const result = await callSafely(() => bridge.service.open({ serviceId: service.id }));
    const stillWanted = () => {
      const current = screenRef.current;
      return current.name === 'service' && current.service.id === service.id;
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

  const requestHelp = () =>
    runAction(async () => {
      const current = screenRef.current;
      const serviceId = current.name === 'service' ? current.service.id : null;
      const result = await callSafely(() => bridge.help.request({ serviceId, language }));
      if (!result.ok) {
        setProblem('generic');
        return;
      }
      setOverlay({ kind: 'help', outcome: result.value });
    });

  const confirmEndSession = () =>
    runAction(async () => {
      const result = await callSafely(() => bridge.session.end({}));
      setOverlay(null);
      if (!result.ok) {
        setProblem('generic');
        return;
      }
      await i18n.changeLanguage(loadedConfig.languages.default);
      setScreen(WELCOME);
    });

  const askToEndSession = () => {
    setProblem(null);
    setOverlay({ kind: 'end-session' });
  };
  const closeOverlay = () => setOverlay(null);
  const covered = overlay !== null || problem !== null;

  return (
    <>
      <div className="screen" inert={covered}>
        {screen.name === 'welcome' && <WelcomeScreen config={config} onChooseLanguage={(code) => void chooseLanguage(code)} />}
        {screen.name === 'launcher' && (
          <LauncherScreen
            config={config}
            language={language}
            onOpenService={(service) => void openService(service)}
            onHelp={() => void requestHelp()}
            onEndSession={askToEndSession}
          />
        )}
        {screen.name === 'service' && (
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
          />
        )}
      </div>
      {overlay?.kind === 'end-session' && <EndSessionDialog onConfirm={() => void confirmEndSession()} onCancel={closeOverlay} />}
      {overlay?.kind === 'help' && <HelpDialog outcome={overlay.outcome} onClose={closeOverlay} />}
      {problem !== null && overlay === null && <ProblemNotice problem={problem} onDismiss={() => setProblem(null)} />}
    </>
  );
}
