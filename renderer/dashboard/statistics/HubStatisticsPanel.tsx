/**
 * The site's statistics on the dashboard: the last 7 or 30 days of all the hub's kiosks,
 * summed per day with small counts hidden by the hub, as key numbers and charts with
 * their tables, and the export files for the network coordinator.
 *
 * Loaded on demand with chart.js (React.lazy): a helper's phone opening the queue never
 * downloads them.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { Download } from 'lucide-react';
import type { HubStatisticsSummary } from '../../../shared/hub-api';
import { statisticsFormatters } from '../../statistics/formatting';
import { localDayOf, presetRange } from '../../statistics/periods';
import { saveFile } from '../../statistics/save-file';
import { useDashboardTexts } from '../dashboard-i18n';
import type { HubResult, StaffHubClient } from '../hub-client';
import { DayChart, type DayChartRow } from './DayChart';
import { hubDays, hubTotals, type DayFigure, type HubDay, type Total } from './hub-figures';
import './hub-statistics.css';

export interface HubStatisticsPanelProps {
  readonly client: StaffHubClient;
  /** The hub's time: "today" is the hub's day, as this device's calendar writes it. */
  readonly hubNow: number;
  readonly onUnauthorized: () => void;
}

const PERIODS = ['last7', 'last30'] as const;
const EXPORT_FORMATS = ['csv', 'json'] as const;
type Period = (typeof PERIODS)[number];
type Answer = { readonly key: string; readonly result: HubResult<HubStatisticsSummary> };
type ExportState = { readonly kind: 'working' } | { readonly kind: 'done'; readonly fileName: string } | { readonly kind: 'failed' } | null;

export default function HubStatisticsPanel({ client, hubNow, onUnauthorized }: HubStatisticsPanelProps) {
  const { t, language } = useDashboardTexts();
  const ids = { heading: useId(), figures: useId(), exports: useId() };
  const [period, setPeriod] = useState<Period>('last7');
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [exportState, setExportState] = useState<ExportState>(null);
  const format = useMemo(() => statisticsFormatters(language), [language]);

  const today = localDayOf(new Date(hubNow));
  const { from, to } = presetRange(period, today);
  const key = `${from}/${to}`;

  useEffect(() => {
    let stale = false;
    void client.statisticsSummary({ from, to }).then((result) => {
      if (stale) return;
      if (!result.ok && result.problem.kind === 'unauthorized') onUnauthorized();
      setAnswer({ key: `${from}/${to}`, result });
    });
    return () => {
      stale = true;
    };
  }, [client, from, to, attempt, onUnauthorized]);

  const current = answer?.key === key ? answer.result : null;
  const state = current === null ? 'loading' : current.ok ? 'ready' : 'failed';
  const summary = current?.ok === true ? current.value : null;

  const download = async (fileFormat: 'csv' | 'json') => {
    if (exportState?.kind === 'working') return;
    setExportState({ kind: 'working' });
    const result = await client.exportStatistics({ from, to, format: fileFormat });
    if (!result.ok) {
      if (result.problem.kind === 'unauthorized') onUnauthorized();
      setExportState({ kind: 'failed' });
      return;
    }
    try {
      saveFile(result.value);
      setExportState({ kind: 'done', fileName: result.value.fileName });
    } catch {
      setExportState({ kind: 'failed' });
    }
  };

  const total = (value: Total) => (value.atLeast ? t('statistics.atLeast', { value: format.count(value.value) }) : format.count(value.value));

  return (
    <section className="dash-section" aria-labelledby={ids.heading} data-testid="statistics-panel">
      <h2 id={ids.heading} className="dash-section-title">
        {t('statistics.heading')}
      </h2>
      <fieldset className="dash-choice">
        <legend>{t('statistics.period')}</legend>
        {PERIODS.map((option) => (
          <label key={option} className="dash-option">
            <input type="radio" name="dash-period" value={option} checked={period === option} onChange={() => setPeriod(option)} />
            <span>{t(`statistics.${option}`)}</span>
          </label>
        ))}
      </fieldset>

      <div className="dash-figures" aria-labelledby={ids.figures} aria-busy={state === 'loading'} data-state={state} role="region">
        <h3 id={ids.figures} className="dash-subtitle">
          {t('statistics.shown', { from: format.longDay(from), to: format.longDay(to) })}
        </h3>
        {state === 'loading' && <p role="status">{t('statistics.loading')}</p>}
        {state === 'failed' && (
          <div className="dash-notice dash-notice--problem" role="alert">
            <p>{t('statistics.loadFailed')}</p>
            <button type="button" className="dash-button" onClick={() => setAttempt((count) => count + 1)}>
              {t('statistics.retry')}
            </button>
          </div>
        )}
        {summary !== null && <Figures summary={summary} total={total} />}
      </div>

      <section className="dash-export" aria-labelledby={ids.exports}>
        <h3 id={ids.exports} className="dash-subtitle">
          {t('statistics.exportHeading')}
        </h3>
        {summary !== null && <p>{t('statistics.exportIntro', { threshold: format.count(summary.suppressionThreshold) })}</p>}
        <div className="dash-button-row">
          {EXPORT_FORMATS.map((option) => (
            <button key={option} type="button" className="dash-button dash-button--primary" disabled={exportState?.kind === 'working'} onClick={() => void download(option)}>
              <Download aria-hidden="true" className="dash-icon" />
              <span>{option === 'csv' ? t('statistics.exportCsv') : t('statistics.exportJson')}</span>
            </button>
          ))}
        </div>
        <p role="status" className="dash-status-line">
          {exportState?.kind === 'working' ? t('statistics.exporting') : exportState?.kind === 'done' ? t('statistics.exportDone', { fileName: exportState.fileName }) : ''}
        </p>
        {exportState?.kind === 'failed' && (
          <p className="dash-notice dash-notice--problem" role="alert">
            {t('statistics.exportFailed')}
          </p>
        )}
      </section>
    </section>
  );
}

function Figures({ summary, total }: { readonly summary: HubStatisticsSummary; readonly total: (value: Total) => string }) {
  const { t, language } = useDashboardTexts();
  const format = useMemo(() => statisticsFormatters(language), [language]);
  const days = useMemo(() => hubDays(summary), [summary]);
  const totals = useMemo(() => hubTotals(summary), [summary]);
  const rowsOf = useMemo(
    () => (pick: (day: HubDay) => DayFigure): DayChartRow[] => days.map((day) => ({ label: format.shortDay(day.day), tableLabel: format.longDay(day.day), figure: pick(day) })),
    [days, format],
  );
  const sessionRows = useMemo(() => rowsOf((day) => day.sessions), [rowsOf]);
  const requestRows = useMemo(() => rowsOf((day) => day.helpRequests), [rowsOf]);
  const waitRows = useMemo(() => rowsOf((day) => day.medianWait), [rowsOf]);
  const anyHidden = [sessionRows, requestRows, waitRows].some((rows) => rows.some((row) => row.figure.kind === 'hidden')) || totals.sessions.atLeast || totals.helpRequests.atLeast || totals.answered.atLeast;

  return (
    <>
      <p>{t('statistics.kioskCount', { count: summary.kioskCount })}</p>
      <dl className="dash-keys">
        <div className="dash-key" data-testid="key-sessions">
          <dt>{t('statistics.sessions')}</dt>
          <dd>{total(totals.sessions)}</dd>
        </div>
        <div className="dash-key" data-testid="key-help-requests">
          <dt>{t('statistics.helpRequests')}</dt>
          <dd>{total(totals.helpRequests)}</dd>
        </div>
        <div className="dash-key" data-testid="key-answered">
          <dt>{t('statistics.answered')}</dt>
          <dd>{total(totals.answered)}</dd>
        </div>
      </dl>
      {anyHidden && <p className="dash-note">{t('statistics.hiddenNote', { threshold: format.count(summary.suppressionThreshold) })}</p>}
      <div className="dash-figure-grid">
        <DayChart name="sessions" title={t('statistics.sessionsPerDay')} rows={sessionRows} valueHeading={t('statistics.sessionsColumn')} locale={language} formatValue={format.count} />
        <DayChart name="help-requests" title={t('statistics.requestsPerDay')} rows={requestRows} valueHeading={t('statistics.requestsColumn')} locale={language} formatValue={format.count} />
        <DayChart name="median-wait" title={t('statistics.medianWaitPerDay')} rows={waitRows} valueHeading={t('statistics.waitColumn')} locale={language} formatValue={format.duration} />
      </div>
    </>
  );
}
