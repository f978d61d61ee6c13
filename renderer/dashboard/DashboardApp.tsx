/**
 * The staff dashboard, served by the EPN hub at /dashboard/ for helpers' phones and the
 * staff PC: pairing when this device has no credential, then the live help queue with
 * its alert, the kiosks, the devices and the site's statistics.
 *
 * Everything from outside (the hub client, the device's storage, the sound, the clocks)
 * comes in as props, so tests render the real screens over fakes.
 */
import { Suspense, lazy, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { ChartColumn, LifeBuoy, Monitor, Smartphone } from 'lucide-react';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import type { HelpRequestView } from '../../shared/hub-api';
import { createAlertSound, type AlertSound } from './alert-sound';
import { dashboardFormatters } from './dashboard-format';
import { useDashboardTexts, type DashboardTextKey } from './dashboard-i18n';
import type { DeviceStorage, StoredCredential } from './device-storage';
import type { EventStreamOptions, HubClient, HubResult, StaffHubClient } from './hub-client';
import { kioskOrder, queueOrder, waitingCount } from './live-hub';
import { useHubNow, useLiveHub } from './use-live-hub';
import { ConnectionBadge, DashboardHeader, SoundSwitch } from './components/DashboardHeader';
import { DevicesPanel } from './components/DevicesPanel';
import { HelpQueue } from './components/HelpQueue';
import { KioskList } from './components/KioskList';
import { NewRequestAlert } from './components/NewRequestAlert';
import { PairingScreen } from './components/PairingScreen';

const HubStatisticsPanel = lazy(() => import('./statistics/HubStatisticsPanel'));

export interface DashboardAppProps {
  readonly client: HubClient;
  readonly i18n: I18n;
  readonly storage: DeviceStorage;
  /** A code read from the address (#pair=…, a scanned QR code), already taken out of it. */
  readonly codeFromAddress?: string | null;
  /** The dashboard's own address, without fragment: the QR code's target when the hub gives none. */
  readonly dashboardAddress: string;
  readonly alertSound?: AlertSound;
  /** A clock that only moves forward (performance.now()); tests pass their own. */
  readonly monotonicNow?: () => number;
  readonly streamOptions?: EventStreamOptions;
}

const defaultMonotonicNow = () => performance.now();

export function DashboardApp({ i18n, ...props }: DashboardAppProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <DashboardRoot {...props} />
    </I18nextProvider>
  );
}

function DashboardRoot({ client, storage, codeFromAddress = null, dashboardAddress, alertSound, monotonicNow = defaultMonotonicNow, streamOptions }: Omit<DashboardAppProps, 'i18n'>) {
  const { t, language, i18n } = useDashboardTexts();
  const [credential, setCredential] = useState<StoredCredential | null>(() => storage.credential());
  const [revoked, setRevoked] = useState(false);
  const sound = useMemo(() => alertSound ?? createAlertSound(), [alertSound]);

  useLayoutEffect(() => {
    const root = document.documentElement;
    root.lang = language;
    root.dir = LANGUAGES.find((candidate) => candidate.code === language)?.direction ?? 'ltr';
    root.dataset.screen = credential === null ? 'pairing' : 'dashboard';
    return () => {
      delete root.dataset.screen;
    };
  }, [language, credential]);

  useEffect(() => {
    if (credential === null) document.title = t('app.documentTitle');
  }, [credential, t]);

  const changeLanguage = useCallback(
    (next: LanguageCode) => {
      storage.saveLanguage(next);
      void i18n.changeLanguage(next);
    },
    [i18n, storage],
  );

  const paired = useCallback(
    (next: StoredCredential) => {
      storage.saveCredential(next);
      setRevoked(false);
      setCredential(next);
    },
    [storage],
  );

  const lostCredential = useCallback(() => {
    storage.forgetCredential();
    setCredential(null);
    setRevoked(true);
  }, [storage]);

  if (credential === null) {
    return (
      <div className="dash-app">
        <DashboardHeader site={null} onLanguageChange={changeLanguage} />
        <PairingScreen client={client} onPaired={paired} codeFromAddress={codeFromAddress} revoked={revoked} />
      </div>
    );
  }
  return (
    <LiveDashboard
      key={credential.token}
      client={client}
      credential={credential}
      storage={storage}
      sound={sound}
      monotonicNow={monotonicNow}
      streamOptions={streamOptions}
      dashboardAddress={dashboardAddress}
      onLanguageChange={changeLanguage}
      onUnauthorized={lostCredential}
    />
  );
}

const TABS = ['queue', 'kiosks', 'statistics', 'devices'] as const;
type Tab = (typeof TABS)[number];
const TAB_ICONS = { queue: LifeBuoy, kiosks: Monitor, statistics: ChartColumn, devices: Smartphone } as const;
const TAB_TEXT: Readonly<Record<Tab, DashboardTextKey>> = { queue: 'tabs.queue', kiosks: 'tabs.kiosks', statistics: 'tabs.statistics', devices: 'tabs.devices' };

interface LiveDashboardProps {
  readonly client: HubClient;
  readonly credential: StoredCredential;
  readonly storage: DeviceStorage;
  readonly sound: AlertSound;
  readonly monotonicNow: () => number;
  readonly streamOptions: EventStreamOptions | undefined;
  readonly dashboardAddress: string;
  readonly onLanguageChange: (language: LanguageCode) => void;
  readonly onUnauthorized: () => void;
}

function LiveDashboard({ client, credential, storage, sound, monotonicNow, streamOptions, dashboardAddress, onLanguageChange, onUnauthorized }: LiveDashboardProps) {
  const { t, language } = useDashboardTexts();
  const staff: StaffHubClient = useMemo(() => client.withCredential(credential.token), [client, credential.token]);
  const { hub, connection, applyRequest, markSeen } = useLiveHub(staff, monotonicNow, onUnauthorized, streamOptions);
  const hubNow = useHubNow(hub.clock, monotonicNow);
  const format = useMemo(() => dashboardFormatters(language), [language]);
  const [tab, setTab] = useState<Tab>('queue');
  const queueHeading = useRef<HTMLHeadingElement>(null);
  const tabIds = useId();

  const requests = useMemo(() => queueOrder(hub.requests.values()), [hub.requests]);
  const kiosks = useMemo(() => kioskOrder(hub.kiosks.values()), [hub.kiosks]);
  const waiting = waitingCount(requests);
  const unseen = useMemo(() => hub.unseen.flatMap((id) => hub.requests.get(id) ?? []), [hub.unseen, hub.requests]);

  useEffect(() => {
    document.title = waiting === 0 ? t('app.documentTitle') : t('app.documentTitleWaiting', { count: waiting });
  }, [waiting, t]);

  /* The sound: wanted or not is remembered; whether the browser lets it play is asked at each visit. */
  const [soundWanted, setSoundWanted] = useState(() => storage.soundWanted());
  const [soundAllowed, setSoundAllowed] = useState(() => sound.isAllowed());
  const toggleSound = async () => {
    const next = !soundWanted;
    setSoundWanted(next);
    storage.saveSoundWanted(next);
    if (next) setSoundAllowed(await sound.allow());
  };
  useEffect(() => {
    if (!soundWanted || soundAllowed || !sound.supported) return;
    // After a reload the browser wants a new touch before it plays anything.
    const allowOnTouch = () => void sound.allow().then(setSoundAllowed);
    document.addEventListener('pointerdown', allowOnTouch);
    document.addEventListener('keydown', allowOnTouch);
    return () => {
      document.removeEventListener('pointerdown', allowOnTouch);
      document.removeEventListener('keydown', allowOnTouch);
    };
  }, [soundWanted, soundAllowed, sound]);
  const playedArrivals = useRef(hub.arrivals);
  useEffect(() => {
    if (hub.arrivals === playedArrivals.current) return;
    playedArrivals.current = hub.arrivals;
    if (soundWanted) sound.play();
  }, [hub.arrivals, soundWanted, sound]);

  const answer = useCallback(
    async (request: HelpRequestView, kind: 'acknowledge' | 'resolve'): Promise<HubResult<unknown>> => {
      const result = kind === 'acknowledge' ? await staff.acknowledge(request.id) : await staff.resolve(request.id);
      if (result.ok && result.value !== null) applyRequest(result.value);
      if (!result.ok && result.problem.kind === 'unauthorized') onUnauthorized();
      return result;
    },
    [staff, applyRequest, onUnauthorized],
  );

  const showQueue = () => {
    setTab('queue');
    markSeen();
    // After the tab has been drawn.
    requestAnimationFrame(() => queueHeading.current?.focus());
  };

  const moveBetweenTabs = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const index = TABS.indexOf(tab);
    const next = event.key === 'Home' ? TABS[0] : event.key === 'End' ? TABS[TABS.length - 1] : TABS[(index + step + TABS.length) % TABS.length];
    if (next === undefined) return;
    setTab(next);
    document.getElementById(`${tabIds}-tab-${next}`)?.focus();
  };

  const hubAddress = client.origin;

  return (
    <div className="dash-app" data-connection={connection}>
      <DashboardHeader site={credential.site} onLanguageChange={onLanguageChange}>
        <ConnectionBadge state={connection} />
        <SoundSwitch wanted={soundWanted} allowed={soundAllowed} supported={sound.supported} onToggle={() => void toggleSound()} />
      </DashboardHeader>
      {soundWanted && !soundAllowed && sound.supported && <p className="dash-banner-line">{t('sound.tapToAllow')}</p>}
      {connection === 'reconnecting' && <p className="dash-banner-line dash-banner-line--problem">{t('connection.reconnectingHint')}</p>}
      <NewRequestAlert requests={unseen} arrivals={hub.arrivals} onShow={showQueue} onSeen={markSeen} />

      <div className="dash-tabs" role="tablist" aria-label={t('tabs.label')} onKeyDown={moveBetweenTabs}>
        {TABS.map((option) => {
          const Icon = TAB_ICONS[option];
          const selected = option === tab;
          return (
            <button
              key={option}
              id={`${tabIds}-tab-${option}`}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={`${tabIds}-panel`}
              tabIndex={selected ? 0 : -1}
              className="dash-tab"
              onClick={() => setTab(option)}
            >
              <Icon aria-hidden="true" className="dash-icon" />
              <span>{t(TAB_TEXT[option])}</span>
              {option === 'queue' && waiting > 0 && <span className="dash-tab-count">{format.count(waiting)}</span>}
            </button>
          );
        })}
      </div>

      <main id={`${tabIds}-panel`} className="dash-main" role="tabpanel" aria-labelledby={`${tabIds}-tab-${tab}`} data-tab={tab}>
        {tab === 'queue' && <HelpQueue requests={requests} hubNow={hubNow} format={format} onAnswer={answer} headingRef={queueHeading} />}
        {tab === 'kiosks' && <KioskList kiosks={kiosks} hubNow={hubNow} format={format} />}
        {tab === 'devices' && (
          <DevicesPanel
            client={staff}
            hubRole={credential.hubRole}
            ownDeviceId={credential.deviceId}
            dashboardAddress={dashboardAddress}
            hubAddress={hubAddress}
            hubNow={hubNow}
            format={format}
            onUnauthorized={onUnauthorized}
          />
        )}
        {tab === 'statistics' && (
          <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
            {hubNow === null ? <p role="status">{t('app.loading')}</p> : <HubStatisticsPanel client={staff} hubNow={hubNow} onUnauthorized={onUnauthorized} />}
          </Suspense>
        )}
      </main>
    </div>
  );
}
