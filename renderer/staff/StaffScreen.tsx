/**
 * The staff screen, shown after a right PIN in place of the visitor screens (its own
 * chunk: the launcher never downloads it). Tabs: Tiles (the tiles editor and "Preview as
 * a visitor" of the unsaved draft), Settings, Statistics (the statistics screen, its own
 * chunk again), Configuration file (export, import), Change log, PIN.
 *
 * Every change goes into one unsaved draft (tiles, settings, an imported file); "Save"
 * sends it whole to the main side, which checks it, writes it and applies it at once
 * (no restart); "Discard changes" goes back to what is saved. Keys the managed file sets
 * are locked. Input here keeps staff mode open (`staff.activity()`, at most every 5 s);
 * when it closes by itself, the screen goes at once and unsaved changes are lost.
 */
import { lazy, Suspense, useCallback, useContext, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { I18nContext, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { parseKioskConfig, type KioskConfig } from '../../shared/config/schema';
import { StaffConfigViewSchema, type StaffConfigView } from '../../shared/contract';
import { STAFF_LANGUAGE_CODES, endonymOf, isLanguageCode, isStaffLanguageCode, staffLanguageFor, type LanguageCode, type StaffLanguageCode } from '../../shared/languages';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';
import { showDocumentState } from '../document-state';
import { currentLanguage, loadVisitorTexts } from '../i18n/kiosk-i18n';
import { ACTIVITY_EVENTS, createActivityThrottle } from '../session/activity-reporter';
import { ChangeLogPanel } from './ChangeLogPanel';
import { ConfigFilePanel } from './ConfigFilePanel';
import { sameConfig, withLockedValues, type FieldProblem } from './config-paths';
import { ProblemList } from './fields';
import { PinChangePanel } from './PinChangePanel';
import { SettingsForm } from './SettingsForm';
import { addStaffTexts } from './staff-texts';
import { TilesEditor } from './tiles/TilesEditor';
import { addTilesTexts } from './tiles/tiles-texts';
import { VisitorPreview } from './tiles/VisitorPreview';
import './staff.css';

// Its own chunk again, with chart.js: opening staff mode does not download it until the tab is chosen.
const StatisticsScreen = lazy(() => import('../statistics/StatisticsScreen'));

/** At most one `staff.activity()` this often: staff mode closes after minutes, not seconds. */
export const STAFF_ACTIVITY_INTERVAL_MS = 5000;

export const STAFF_TABS = ['tiles', 'settings', 'statistics', 'file', 'changeLog', 'pin'] as const;
export type StaffTab = (typeof STAFF_TABS)[number];

export interface StaffScreenProps {
  /** "Close staff mode" was pressed. */
  readonly onClose: () => void;
}

function useI18nInstance(): I18n {
  const context = useContext(I18nContext);
  if (context === undefined || context === null) throw new Error('StaffScreen: render it inside <I18nextProvider>');
  return context.i18n;
}

export default function StaffScreen({ onClose }: StaffScreenProps) {
  const i18n = useI18nInstance();
  // Before the first text is looked up; adding them again changes nothing.
  useMemo(() => {
    addStaffTexts(i18n);
    addTilesTexts(i18n);
  }, [i18n]);
  // The staff screen may speak another language than the visitor screens (Arabic has no staff texts): they get theirs back after it.
  useEffect(() => {
    const visitorLanguage = currentLanguage(i18n);
    return () => {
      if (currentLanguage(i18n) !== visitorLanguage) void i18n.changeLanguage(visitorLanguage);
    };
  }, [i18n]);
  return <StaffContent i18n={i18n} onClose={onClose} />;
}

/**
 * Speaks a staff language: its own texts, and the visitor texts the staff screen shows too
 * (theme names, loaded per language), loaded first so no key ever shows raw.
 */
function speakStaffLanguage(i18n: I18n, language: StaffLanguageCode): void {
  if (currentLanguage(i18n) === language) return;
  void loadVisitorTexts(i18n, language)
    .catch(() => undefined)
    .then(() => i18n.changeLanguage(language));
}

type Loaded = { readonly state: 'loading' } | { readonly state: 'failed' } | { readonly state: 'ready'; readonly view: StaffConfigView };
type SaveOutcome = { readonly kind: 'saved' } | { readonly kind: 'refused'; readonly problems: readonly FieldProblem[] } | { readonly kind: 'invalid' } | { readonly kind: 'failed' } | null;

function StaffContent({ i18n, onClose }: { readonly i18n: I18n; readonly onClose: () => void }) {
  const bridge = useKioskBridge();
  const { t } = useTranslation('staff');
  const titleId = useId();
  const tabIds = useId();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState<KioskConfig | null>(null);
  const [draft, setDraft] = useState<KioskConfig | null>(null);
  const [tab, setTab] = useState<StaffTab>('tiles');
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome>(null);
  const [previewing, setPreviewing] = useState(false);
  const tabRefs = useRef(new Map<StaffTab, HTMLButtonElement>());

  useEffect(() => {
    let stale = false;
    void callSafely(() => bridge.staff.getConfig()).then((result) => {
      if (stale) return;
      const parsed = result.ok ? StaffConfigViewSchema.safeParse(result.value) : null;
      if (parsed === null || !parsed.success) {
        setLoaded({ state: 'failed' });
        return;
      }
      setLoaded({ state: 'ready', view: parsed.data });
      setSaved(parsed.data.config);
      setDraft(parsed.data.config);
      // The staff screen starts in the kiosk's default language, or English where staff texts do not exist in it.
      speakStaffLanguage(i18n, staffLanguageFor(parsed.data.config.languages.default));
    });
    return () => {
      stale = true;
    };
  }, [bridge, i18n, attempt]);

  // Input on the staff screen keeps staff mode open.
  useEffect(() => {
    const throttle = createActivityThrottle(() => void callSafely(() => bridge.staff.activity()), STAFF_ACTIVITY_INTERVAL_MS);
    const onInput = () => throttle.input();
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, onInput, { capture: true, passive: true });
    return () => {
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, onInput, { capture: true });
      throttle.dispose();
    };
  }, [bridge]);

  const language: StaffLanguageCode = staffLanguageFor(currentLanguage(i18n));
  // The statistics tab names the screen itself ("statistics"); every other tab is "staff".
  useLayoutEffect(() => {
    const root = document.documentElement;
    if (tab !== 'statistics') {
      showDocumentState(root, language, null);
      if (loaded.state === 'ready') root.dataset.screen = 'staff';
    }
  }, [language, tab, loaded.state]);
  useLayoutEffect(() => () => showDocumentState(document.documentElement, currentLanguage(i18n), null), [i18n]);

  const lockedKeys = loaded.state === 'ready' ? loaded.view.lockedKeys : [];
  const check = useMemo(() => (draft === null ? null : parseKioskConfig(draft)), [draft]);
  const problems: readonly FieldProblem[] = check === null || check.ok ? [] : check.problems;
  const changed = draft !== null && saved !== null && !sameConfig(draft, saved);

  const change = useCallback((next: KioskConfig) => {
    setDraft(next);
    setOutcome(null);
  }, []);

  const save = async () => {
    if (draft === null || saving) return;
    if (check !== null && !check.ok) {
      setOutcome({ kind: 'invalid' });
      return;
    }
    setSaving(true);
    setOutcome(null);
    const result = await callSafely(() => bridge.staff.saveConfig({ config: check?.ok ? check.config : draft }));
    setSaving(false);
    if (!result.ok) {
      setOutcome({ kind: 'failed' });
      return;
    }
    const answer = result.value;
    if (answer.ok) {
      setSaved(answer.config);
      setDraft(answer.config);
      setOutcome({ kind: 'saved' });
    } else {
      setOutcome({ kind: 'refused', problems: answer.problems });
    }
  };

  const discard = () => {
    setDraft(saved);
    setOutcome(null);
  };

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, current: StaffTab) => {
    const index = STAFF_TABS.indexOf(current);
    const next =
      event.key === 'ArrowRight' ? STAFF_TABS[(index + 1) % STAFF_TABS.length] : event.key === 'ArrowLeft' ? STAFF_TABS[(index - 1 + STAFF_TABS.length) % STAFF_TABS.length] : event.key === 'Home' ? STAFF_TABS[0] : event.key === 'End' ? STAFF_TABS[STAFF_TABS.length - 1] : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setTab(next);
    tabRefs.current.get(next)?.focus();
  };

  if (loaded.state !== 'ready' || draft === null || saved === null) {
    return (
      <main className="staff-screen staff-loading">
        {loaded.state === 'failed' ? (
          <div role="alert" className="staff-message staff-message-problem">
            <p>{t('loadFailed')}</p>
            <div className="staff-actions">
              <button type="button" className="staff-button" onClick={() => {
                setLoaded({ state: 'loading' });
                setAttempt((count) => count + 1);
              }}>
                {t('retry')}
              </button>
              <button type="button" className="staff-button" onClick={onClose}>
                {t('close')}
              </button>
            </div>
          </div>
        ) : (
          <p className="loading-message" role="status">
            {t('loading')}
          </p>
        )}
      </main>
    );
  }

  const context = { lockedKeys, problems };
  const site = saved.kiosk.site.trim();

  return (
    <div className="staff-screen" data-unsaved={changed ? 'true' : undefined}>
      <header className="staff-header">
        <div className="staff-heading">
          <h1 id={titleId} className="staff-title">
            {t('title')}
          </h1>
          <p className="staff-kiosk">{site === '' ? saved.kiosk.name : `${saved.kiosk.name} · ${site}`}</p>
        </div>
        {/* The statistics tab has its own language choice. */}
        {tab !== 'statistics' && (
        <label className="staff-language">
          <span>{t('language')}</span>
          <select
            className="staff-input"
            value={language}
            onChange={(event) => {
              const value = event.target.value;
              if (isStaffLanguageCode(value)) speakStaffLanguage(i18n, value);
            }}
          >
            {STAFF_LANGUAGE_CODES.map((code) => (
              <option key={code} value={code} lang={code}>
                {endonymOf(code)}
              </option>
            ))}
          </select>
        </label>
        )}
        <button type="button" className="staff-button staff-close" onClick={onClose}>
          {t('close')}
        </button>
      </header>
      <p className="staff-auto-close">{t('autoClose', { count: saved.staff.autoCloseMinutes })}</p>
      {loaded.view.problems.length > 0 && (
        <div className="staff-message staff-message-problem" role="status">
          <p>{t('diskProblems')}</p>
          <ProblemList problems={loaded.view.problems} />
        </div>
      )}

      <main className="staff-main" aria-labelledby={titleId}>
        <div className="staff-tabs" role="tablist" aria-label={t('sections')}>
          {STAFF_TABS.map((name) => (
            <button
              key={name}
              ref={(element) => {
                if (element === null) tabRefs.current.delete(name);
                else tabRefs.current.set(name, element);
              }}
              type="button"
              role="tab"
              id={`${tabIds}-tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`${tabIds}-panel`}
              tabIndex={tab === name ? 0 : -1}
              className={tab === name ? 'staff-tab staff-tab-selected' : 'staff-tab'}
              onClick={() => setTab(name)}
              onKeyDown={(event) => onTabKey(event, name)}
            >
              {t(`tabs.${name}`)}
            </button>
          ))}
        </div>

        <div className="staff-panel" role="tabpanel" id={`${tabIds}-panel`} aria-labelledby={`${tabIds}-tab-${tab}`} data-tab={tab}>
          {tab === 'tiles' && (
            <>
              <div className="staff-preview-bar">
                <button type="button" className="staff-button" onClick={() => setPreviewing(true)}>
                  {t('tiles.preview')}
                </button>
                <p className="staff-hint">{t('tiles.previewHint')}</p>
              </div>
              <TilesEditor config={draft} lockedKeys={lockedKeys} onChange={change} />
            </>
          )}
          {tab === 'settings' && <SettingsForm draft={draft} context={context} onChange={change} />}
          {tab === 'statistics' && (
            <Suspense
              fallback={
                <p className="loading-message" role="status">
                  {t('loading')}
                </p>
              }
            >
              <StatisticsScreen />
            </Suspense>
          )}
          {tab === 'file' && <ConfigFilePanel onLoaded={(config) => change(withLockedValues(config, saved, lockedKeys))} />}
          {tab === 'changeLog' && <ChangeLogPanel language={language} />}
          {tab === 'pin' && <PinChangePanel />}
        </div>
      </main>

      <footer className="staff-save-bar" aria-label={t('save')}>
        <p className={changed ? 'staff-unsaved' : 'staff-saved'} data-testid="unsaved-note">
          {changed ? t('unsaved') : t('allSaved')}
        </p>
        {outcome?.kind === 'saved' && (
          <p className="staff-message staff-message-ok" role="status">
            {t('saved')}
          </p>
        )}
        {outcome?.kind === 'failed' && (
          <p className="staff-message staff-message-problem" role="alert">
            {t('saveFailed')}
          </p>
        )}
        {(outcome?.kind === 'invalid' || outcome?.kind === 'refused') && (
          <div className="staff-message staff-message-problem" role="alert">
            <p>{outcome.kind === 'invalid' ? t('fixFirst') : t('saveRefused')}</p>
            <ProblemList problems={outcome.kind === 'invalid' ? problems : outcome.problems} />
          </div>
        )}
        <div className="staff-actions">
          <button type="button" className="staff-button" disabled={!changed || saving} onClick={discard}>
            {t('discard')}
          </button>
          <button type="button" className="staff-button staff-button-primary" disabled={!changed || saving} onClick={() => void save()}>
            {saving ? t('saving') : t('save')}
          </button>
        </div>
      </footer>

      {previewing && <VisitorPreview config={draft} language={isLanguageCode(draft.languages.default) ? draft.languages.default : (language satisfies LanguageCode)} onClose={() => setPreviewing(false)} />}
    </div>
  );
}
