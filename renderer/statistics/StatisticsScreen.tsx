/**
 * The staff's statistics screen: the kiosk's anonymous figures for a period, as key
 * numbers and charts (sessions per day or week, most used services, help waiting times,
 * languages), each chart with its figures in a table beside it, and the export of the
 * period as CSV or JSON for the network coordinator.
 *
 * Reached at the address #statistics (renderer/staff-address.ts); the staff entry behind
 * the PIN comes with the staff-administration issue. Loaded as its own chunk with
 * chart.js and its texts, so the visitor screens never download them.
 */
import { useCallback, useContext, useEffect, useId, useLayoutEffect, useMemo, useState } from 'react';
import { I18nContext, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { localize, type KioskConfig } from '../../shared/config/schema';
import type { Envelope, StatisticsExportFormat, StatisticsSummary } from '../../shared/contract';
import { STAFF_LANGUAGE_CODES, endonymOf, isStaffLanguageCode, staffLanguageFor, type StaffLanguageCode } from '../../shared/languages';
import { WAIT_SECONDS_BUCKETS } from '../../shared/statistics/percentiles';
import type { GroupBy } from '../../shared/statistics/period';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';
import { useKioskConfig } from '../bridge/use-kiosk-config';
import { showDocumentState } from '../document-state';
import { currentLanguage, loadVisitorTexts } from '../i18n/kiosk-i18n';
import { BarChartFigure, type ChartRow } from './BarChartFigure';
import { statisticsFormatters, type StatisticsFormatters } from './formatting';
import { PERIOD_PRESETS, checkDays, localDayOf, presetRange, type PeriodCheck, type PeriodPreset } from './periods';
import { saveFile } from './save-file';
import { addStatisticsTexts } from './statistics-texts';
import './statistics.css';

/** How many services the chart draws; the table lists them all. */
export const TOP_SERVICES = 10;
const GROUPINGS: readonly GroupBy[] = ['day', 'week'];
const EXPORT_FORMATS: readonly StatisticsExportFormat[] = ['csv', 'json'];
/** How long to wait before asking again for a configuration the main side could not give. */

function useI18nInstance(): I18n {
  const context = useContext(I18nContext);
  if (context === undefined || context === null) throw new Error('StatisticsScreen: render it inside <I18nextProvider>');
  return context.i18n;
}

export default function StatisticsScreen() {
  const i18n = useI18nInstance();
  // Before the first text is looked up; adding them again changes nothing.
  useMemo(() => addStatisticsTexts(i18n), [i18n]);
  return <StatisticsContent i18n={i18n} />;
}

type Answer = { readonly key: string; readonly result: Envelope<StatisticsSummary> };
type ExportOutcome = { readonly kind: 'done'; readonly fileName: string } | { readonly kind: 'failed' } | null;

function queryKey(period: PeriodCheck, groupBy: GroupBy): string | null {
  return period.ok ? `${period.from}/${period.to}/${groupBy}` : null;
}

function StatisticsContent({ i18n }: { readonly i18n: I18n }) {
  const bridge = useKioskBridge();
  const { t } = useTranslation('stats');
  const ids = { title: useId(), figures: useId(), exports: useId(), warning: useId(), help: useId() };

  const { config, unavailable: configUnavailable } = useKioskConfig(bridge);
  const [chosenLanguage, setChosenLanguage] = useState<StaffLanguageCode | null>(null);
  const [today] = useState(() => localDayOf(new Date()));
  const [preset, setPreset] = useState<PeriodPreset>('last7');
  const [customDays, setCustomDays] = useState(() => presetRange('last7', today));
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [shown, setShown] = useState<StatisticsSummary | null>(null);
  const [exporting, setExporting] = useState<StatisticsExportFormat | null>(null);
  const [exportOutcome, setExportOutcome] = useState<ExportOutcome>(null);


  // Staff read their figures in a staff language (the statistics texts exist in those only): the kiosk's, else English.
  const language: StaffLanguageCode = chosenLanguage ?? staffLanguageFor(config === null ? currentLanguage(i18n) : config.languages.default);
  const format = useMemo(() => statisticsFormatters(language), [language]);

  useLayoutEffect(() => {
    // The staff screen around this one also shows visitor texts (theme names): they come per language, so they load first.
    if (currentLanguage(i18n) !== language) {
      const switchLanguage = () => i18n.changeLanguage(language);
      void loadVisitorTexts(i18n, language).then(switchLanguage, switchLanguage);
    }
    const root = document.documentElement;
    showDocumentState(root, language, config === null ? null : 'statistics');
    return () => showDocumentState(root, language, null);
  }, [i18n, language, config]);

  const period: PeriodCheck = preset === 'custom' ? checkDays(customDays.from, customDays.to) : { ok: true, ...presetRange(preset, today) };
  const key = queryKey(period, groupBy);
  const from = period.ok ? period.from : null;
  const to = period.ok ? period.to : null;

  useEffect(() => {
    if (from === null || to === null) return;
    let stale = false;
    const asked = `${from}/${to}/${groupBy}`;
    void callSafely(() => bridge.stats.summary({ from, to, groupBy })).then((result) => {
      if (stale) return;
      setAnswer({ key: asked, result });
      if (result.ok) setShown(result.value);
    });
    return () => {
      stale = true;
    };
  }, [bridge, from, to, groupBy, attempt]);

  const current = answer !== null && answer.key === key ? answer.result : null;
  const state: 'loading' | 'ready' | 'failed' = current === null ? 'loading' : current.ok ? 'ready' : 'failed';

  const choosePreset = (next: PeriodPreset) => {
    // The dates start from the period on screen, so "Dates I choose" begins from something sensible.
    if (next === 'custom' && period.ok) setCustomDays({ from: period.from, to: period.to });
    setPreset(next);
  };

  const download = async (format: StatisticsExportFormat) => {
    if (!period.ok || exporting !== null) return;
    const range = { from: period.from, to: period.to };
    setExporting(format);
    setExportOutcome(null);
    const result = await callSafely(() => bridge.stats.export({ ...range, format }));
    setExporting(null);
    if (!result.ok) {
      setExportOutcome({ kind: 'failed' });
      return;
    }
    try {
      saveFile(result.value);
      setExportOutcome({ kind: 'done', fileName: result.value.fileName });
    } catch {
      setExportOutcome({ kind: 'failed' });
    }
  };

  if (config === null) {
    return (
      <div className="loading">
        <p className="loading-message" role="status">
          {configUnavailable ? t('errors.load') : t('loading')}
        </p>
      </div>
    );
  }

  const site = config.kiosk.site.trim();
  const threshold = config.statistics.suppressionThreshold;
  const periodProblem = period.ok ? null : period.problem;

  return (
    <div className="stats-screen">
      <header className="stats-header">
        <div>
          <h1 id={ids.title} className="stats-title">
            {t('title')}
          </h1>
          <p className="stats-kiosk">{site === '' ? config.kiosk.name : `${config.kiosk.name} · ${site}`}</p>
        </div>
        <label className="stats-language">
          <span>{t('language')}</span>
          <select
            value={language}
            onChange={(event) => {
              const value = event.target.value;
              if (isStaffLanguageCode(value)) setChosenLanguage(value);
            }}
          >
            {STAFF_LANGUAGE_CODES.map((code) => (
              <option key={code} value={code} lang={code}>
                {endonymOf(code)}
              </option>
            ))}
          </select>
        </label>
      </header>

      {/* A region, not a main landmark: the screen is drawn inside the staff screen's main. */}
      <section className="stats-main" aria-labelledby={ids.title}>
        {shown?.storeWarning != null && (
          <section className="stats-warning" role="status" aria-labelledby={ids.warning}>
            <h2 id={ids.warning} className="stats-warning-title">
              {t('warning.title')}
            </h2>
            <p>{t('warning.message')}</p>
            <p className="stats-warning-details">{t('warning.details', { details: shown.storeWarning })}</p>
          </section>
        )}

        <section className="stats-controls" aria-label={t('period.heading')}>
          <fieldset className="stats-choice">
            <legend>{t('period.legend')}</legend>
            {PERIOD_PRESETS.map((option) => (
              <label key={option} className="stats-option">
                <input type="radio" name="stats-period" value={option} checked={preset === option} onChange={() => choosePreset(option)} />
                <span>{t(`period.${option}`)}</span>
              </label>
            ))}
          </fieldset>
          {preset === 'custom' && (
            <div className="stats-dates">
              <label className="stats-date">
                <span>{t('period.from')}</span>
                <input type="date" value={customDays.from} max={today} onChange={(event) => setCustomDays((days) => ({ ...days, from: event.target.value }))} />
              </label>
              <label className="stats-date">
                <span>{t('period.to')}</span>
                <input type="date" value={customDays.to} max={today} onChange={(event) => setCustomDays((days) => ({ ...days, to: event.target.value }))} />
              </label>
            </div>
          )}
          {periodProblem !== null && (
            <p className="stats-problem" role="alert">
              {t(`period.problem.${periodProblem}`)}
            </p>
          )}
          <fieldset className="stats-choice">
            <legend>{t('groupBy.legend')}</legend>
            {GROUPINGS.map((option) => (
              <label key={option} className="stats-option">
                <input type="radio" name="stats-group-by" value={option} checked={groupBy === option} onChange={() => setGroupBy(option)} />
                <span>{t(`groupBy.${option}`)}</span>
              </label>
            ))}
          </fieldset>
        </section>

        <section className="stats-figures" aria-labelledby={ids.figures} aria-busy={state === 'loading'} data-state={periodProblem === null ? state : 'waiting'}>
          <h2 id={ids.figures} className="stats-section-title">
            {shown === null ? t('loading') : t('period.shown', { from: format.longDay(shown.from), to: format.longDay(shown.to) })}
          </h2>
          {state === 'failed' && periodProblem === null && (
            <div className="stats-problem" role="alert">
              <p>{t('errors.load')}</p>
              <button type="button" className="stats-button" onClick={() => setAttempt((count) => count + 1)}>
                {t('errors.retry')}
              </button>
            </div>
          )}
          {shown !== null && <Figures summary={shown} config={config} format={format} helpHeadingId={ids.help} />}
        </section>

        <section className="stats-export" aria-labelledby={ids.exports}>
          <h2 id={ids.exports} className="stats-section-title">
            {t('export.heading')}
          </h2>
          <p>{t('export.intro', { threshold: format.count(threshold) })}</p>
          <div className="stats-export-buttons">
            {EXPORT_FORMATS.map((option) => (
              <button key={option} type="button" className="stats-button stats-button--primary" disabled={!period.ok || exporting !== null} onClick={() => void download(option)}>
                {t(`export.${option}`)}
              </button>
            ))}
          </div>
          <p className="stats-export-status" role="status">
            {exporting !== null ? t('export.preparing') : exportOutcome?.kind === 'done' ? t('export.done', { fileName: exportOutcome.fileName }) : ''}
          </p>
          {exportOutcome?.kind === 'failed' && (
            <p className="stats-problem" role="alert">
              {t('export.failed')}
            </p>
          )}
        </section>
      </section>
    </div>
  );
}

interface FiguresProps {
  readonly summary: StatisticsSummary;
  readonly config: KioskConfig;
  readonly format: StatisticsFormatters;
  readonly helpHeadingId: string;
}

function Figures({ summary, config, format, helpHeadingId }: FiguresProps) {
  const { t } = useTranslation('stats');
  const language = format.locale;

  const seconds = useCallback(
    (value: number | null, estimated: boolean) => {
      if (value === null) return t('keys.none');
      const written = format.duration(value);
      return estimated ? t('keys.about', { value: written }) : written;
    },
    [format, t],
  );

  const sessionRows = useMemo<ChartRow[]>(
    () =>
      summary.series.map((bucket) =>
        summary.groupBy === 'day'
          ? { label: format.shortDay(bucket.from), tableLabel: format.longDay(bucket.from), value: bucket.sessions }
          : {
              label: t('charts.weekLabel', { week: String(Number(bucket.key.slice(-2))) }),
              tableLabel: `${t('charts.weekLabel', { week: String(Number(bucket.key.slice(-2))) })} (${format.dayRange(bucket.from, bucket.to)})`,
              value: bucket.sessions,
            },
      ),
    [summary.series, summary.groupBy, format, t],
  );

  const serviceRows = useMemo<ChartRow[]>(
    () =>
      summary.services.map(({ serviceId, openings }) => {
        const service = config.services.find((candidate) => candidate.id === serviceId);
        return { label: service === undefined ? serviceId : localize(service.label, language, config.languages.default), value: openings };
      }),
    [summary.services, config, language],
  );

  const waitRows = useMemo<ChartRow[]>(
    () =>
      summary.help.waitSeconds.histogram.map((count, index) => {
        const lower = WAIT_SECONDS_BUCKETS[index] ?? 0;
        const upper = WAIT_SECONDS_BUCKETS[index + 1];
        const label =
          upper === undefined
            ? t('charts.bucketOver', { from: format.duration(lower) })
            : t('charts.bucketRange', { from: format.duration(lower), to: format.duration(upper) });
        return { label, value: count };
      }),
    [summary.help.waitSeconds.histogram, format, t],
  );

  const languageRows = useMemo<ChartRow[]>(
    () => summary.languages.map(({ language: code, sessions }) => ({ label: format.languageName(code), value: sessions })),
    [summary.languages, format],
  );

  const { sessionSeconds, help } = summary;
  const estimated = (sessionSeconds.estimated && sessionSeconds.median !== null) || (help.waitSeconds.estimated && help.waitSeconds.median !== null);

  return (
    <>
      <dl className="stats-keys">
        <KeyNumber testId="key-sessions" label={t('keys.sessions')} value={format.count(summary.sessions)} />
        <KeyNumber testId="key-median" label={t('keys.medianDuration')} term={t('keys.medianTerm')} value={seconds(sessionSeconds.median, sessionSeconds.estimated)} />
        <KeyNumber testId="key-p90" label={t('keys.p90Duration')} term={t('keys.p90Term')} value={seconds(sessionSeconds.p90, sessionSeconds.estimated)} />
        <KeyNumber testId="key-help" label={t('keys.helpRequests')} value={format.count(help.requests)} />
      </dl>
      {estimated && <p className="stats-note">{t('keys.estimatedNote')}</p>}

      <div className="stats-grid">
        <BarChartFigure
          name="sessions"
          title={summary.groupBy === 'day' ? t('charts.sessionsPerDay') : t('charts.sessionsPerWeek')}
          rows={sessionRows}
          labelHeading={summary.groupBy === 'day' ? t('charts.dayColumn') : t('charts.weekColumn')}
          valueHeading={t('charts.sessionsColumn')}
          locale={language}
          formatValue={format.count}
        />
        <BarChartFigure
          name="services"
          title={t('charts.topServices')}
          rows={serviceRows}
          labelHeading={t('charts.serviceColumn')}
          valueHeading={t('charts.openingsColumn')}
          horizontal
          locale={language}
          formatValue={format.count}
          chartLimit={TOP_SERVICES}
          note={serviceRows.length > TOP_SERVICES ? t('charts.topServicesNote', { count: TOP_SERVICES }) : undefined}
        />
        <section className="stats-help" aria-labelledby={helpHeadingId}>
          <h3 id={helpHeadingId} className="stats-help-title">
            {t('help.heading')}
          </h3>
          <dl className="stats-keys stats-keys--small">
            <KeyNumber testId="help-requests" label={t('help.requests')} value={format.count(help.requests)} />
            <KeyNumber testId="help-answered" label={t('help.answered')} value={format.count(help.acknowledged)} />
            <KeyNumber testId="help-median" label={t('help.medianWait')} term={t('keys.medianTerm')} value={seconds(help.waitSeconds.median, help.waitSeconds.estimated)} />
            <KeyNumber testId="help-p90" label={t('help.p90Wait')} term={t('keys.p90Term')} value={seconds(help.waitSeconds.p90, help.waitSeconds.estimated)} />
          </dl>
          <BarChartFigure
            name="help-waits"
            title={t('charts.helpWaits')}
            rows={help.acknowledged === 0 ? [] : waitRows}
            labelHeading={t('charts.waitColumn')}
            valueHeading={t('charts.requestsColumn')}
            horizontal
            locale={language}
            formatValue={format.count}
          />
        </section>
        <BarChartFigure
          name="languages"
          title={t('charts.languages')}
          rows={languageRows}
          labelHeading={t('charts.languageColumn')}
          valueHeading={t('charts.sessionsColumn')}
          locale={language}
          formatValue={format.count}
        />
      </div>
    </>
  );
}

function KeyNumber({ testId, label, term, value }: { readonly testId: string; readonly label: string; readonly term?: string; readonly value: string }) {
  return (
    <div className="stats-key" data-testid={testId}>
      <dt className="stats-key-label">
        {label}
        {term !== undefined && <span className="stats-key-term"> {term}</span>}
      </dt>
      <dd className="stats-key-value">{value}</dd>
    </div>
  );
}
