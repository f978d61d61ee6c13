/**
 * The coordinators' HTML report (electron/services/statistics-report.ts), built from real
 * merges of real exports: self-contained, a policy that allows only its own inline code,
 * every name from a file escaped, and the figures a funder needs with their tables.
 * tests/e2e/statistics-report.spec.ts opens one in Chromium.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bandLabels,
  buildStatisticsReportHtml,
  contentSecurityPolicy,
  escapeHtml,
  formatDuration,
  jsonForScript,
  loadChartJs,
  sessionsOverTime,
  type IncludedReportFile,
  type StatisticsReportInput,
} from '../../../electron/services/statistics-report';
import {
  SESSION_SECONDS_BUCKETS,
  WAIT_SECONDS_BUCKETS,
  buildStatisticsExport,
  eachDay,
  emptyDailyFigures,
  histogramOf,
  mergeExports,
  nearestRank,
  type DailyFigures,
  type StatisticsExport,
} from '../../../shared/statistics';

const chartJs = loadChartJs();

function day(date: string, sessions: number, helpRequests: number): DailyFigures {
  const figures = emptyDailyFigures(date);
  const durations = Array.from({ length: sessions }, (_, index) => 300 + 120 * index);
  const waits = Array.from({ length: helpRequests }, (_, index) => 20 + 45 * index);
  figures.sessions = sessions;
  figures.sessionSeconds = { total: durations.reduce((a, b) => a + b, 0), median: nearestRank(durations, 0.5), p90: nearestRank(durations, 0.9), histogram: histogramOf(SESSION_SECONDS_BUCKETS, durations) };
  figures.endReasons = { visitor: sessions };
  figures.serviceOpenings = sessions === 0 ? {} : { 'tax-on-web': sessions, 'my-pension': Math.ceil(sessions / 2) };
  figures.languages = sessions === 0 ? {} : { fr: sessions };
  figures.help = {
    requests: helpRequests,
    acknowledged: helpRequests,
    resolved: helpRequests,
    cancelled: 0,
    waitSeconds: { median: nearestRank(waits, 0.5), p90: nearestRank(waits, 0.9), histogram: histogramOf(WAIT_SECONDS_BUCKETS, waits) },
  };
  figures.wipes = { total: sessions, unverified: 0 };
  return figures;
}

function exportOf(id: number, name: string, site: string, from: string, to: string, sessions: (index: number) => number): StatisticsExport {
  return buildStatisticsExport({
    kioskId: id.toString(16).padStart(32, '0'),
    kiosk: { name, site },
    exportedAt: `${to}T18:00Z`,
    period: { from, to },
    threshold: 3,
    days: eachDay(from, to).map((date, index) => day(date, sessions(index), sessions(index) >= 6 ? 3 : 0)),
  });
}

function included(statistics: StatisticsExport, path: string): IncludedReportFile {
  return {
    path,
    format: 'json',
    kioskId: statistics.kioskId,
    kioskName: statistics.kiosk.name,
    site: statistics.kiosk.site,
    from: statistics.period.from,
    to: statistics.period.to,
    dayCount: statistics.days.length,
    exportedAt: statistics.exportedAt,
    exportedAtSource: 'export',
    histograms: true,
    suppressionThreshold: statistics.suppressionThreshold,
  };
}

const HOSTILE_NAME = '<script>alert(1)</script>';
const HOSTILE_SITE = '"><img src=x onerror=alert(2)>';

function reportInput(exports: readonly StatisticsExport[], overrides: Partial<StatisticsReportInput> = {}): StatisticsReportInput {
  return {
    report: mergeExports(exports),
    included: exports.map((statistics, index) => included(statistics, `exports/pc-${index}.json`)),
    skipped: [{ path: 'exports/<b>bold</b>.json', reason: 'not valid JSON (Unexpected end of JSON input): truncated or damaged?' }],
    generatedAt: new Date('2026-01-15T09:30:00Z'),
    title: 'Réseau EPN & partenaires',
    csvFileName: 'report.csv',
    chartJs,
    ...overrides,
  };
}

/** The document with the contents of every <script> and <style> taken out: what the browser shows as markup. */
function markupOnly(html: string): string {
  return html.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2').replace(/(<style>)[\s\S]*?(<\/style>)/g, '$1$2');
}

const year = [
  exportOf(1, HOSTILE_NAME, HOSTILE_SITE, '2025-01-01', '2025-12-31', (index) => (index % 7 === 6 ? 0 : 4 + (index % 5))),
  exportOf(2, 'PC 2', 'EPN de Namur', '2025-01-01', '2025-12-31', (index) => (index % 7 === 6 ? 0 : 2 + (index % 9))),
];

describe('buildStatisticsReportHtml', () => {
  const html = buildStatisticsReportHtml(reportInput(year));
  const markup = markupOnly(html);

  it('escapes every name that comes from a file', () => {
    expect(markup).not.toContain(HOSTILE_NAME);
    expect(markup).not.toContain('<img');
    expect(markup).not.toContain('<b>bold</b>');
    expect(markup).toContain(escapeHtml(HOSTILE_NAME));
    expect(markup).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(markup).toContain('exports/&lt;b&gt;bold&lt;/b&gt;.json');
    expect(markup).toContain('<h1>Réseau EPN &amp; partenaires</h1>');
    // Exactly the three scripts written: the data, Chart.js, the page's own.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>&]/);
    const parsed = JSON.parse(data) as { charts: { labels: string[] }[] };
    expect(parsed.charts.flatMap((chart) => chart.labels)).toContain(HOSTILE_SITE);
  });

  it('is self-contained: nothing to load, a policy that allows only its own inline script and style by hash', () => {
    // No element that loads anything, and no address at all.
    expect(markup).not.toMatch(/<[a-z][^>]*\s(?:src|href|action|srcset|data|poster)\s*=/i);
    expect(markup).not.toMatch(/<(?:link|iframe|object|embed|img|base|form)\b/i);
    expect(markup).not.toMatch(/https?:|url\(/i);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(2);
    expect(styles).toHaveLength(1);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(policy).toBe(contentSecurityPolicy(scripts, styles));
    expect(policy).toContain(`script-src ${scripts.map(hash).join(' ')};`);
    expect(policy).toContain(`style-src ${styles.map(hash).join(' ')};`);
    expect(policy).toMatch(/^default-src 'none'; /);
    expect(policy).not.toContain('unsafe');
    expect(scripts[0]).toBe(chartJs);
    // The policy comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('states the period, the counts and the totals a funder asks for', () => {
    const report = mergeExports(year);
    expect(markup).toContain('2025-01-01 to 2025-12-31 (365 days)');
    expect(markup).toMatch(/<dt>EPN sites<\/dt><dd><span class="value">2<\/span>/);
    expect(markup).toMatch(/<dt>Kiosks<\/dt><dd><span class="value">2<\/span>/);
    const sessions = report.network.figures.sessions;
    expect(markup).toContain(`<dt>Sessions</dt><dd><span class="value">${sessions.atLeast ? 'at least ' : ''}${sessions.value.toLocaleString('en-GB')}</span>`);
    const median = report.network.figures.sessionSeconds.median!;
    expect(markup).toMatch(new RegExp(`<dt>Session length</dt><dd><span class="value">(about )?${formatDuration(median)}</span>`));
    expect(markup).toContain('<dt>Help requests</dt>');
    expect(markup).toContain('<dt>Waiting time for help</dt>');
    expect(markup).toContain('Made on 2026-01-15 09:30 UTC from 2 export files');
  });

  it('draws each chart beside a table holding the same figures', () => {
    const ids = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids).toEqual(['chart-sessions-over-time', 'chart-sessions-per-site', 'chart-top-services', 'chart-languages', 'chart-help-waits', 'chart-session-lengths']);
    const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { charts: { id: string; title: string; labels: string[]; values: number[] }[] };
    for (const chart of data.charts) {
      const section = new RegExp(`<section class="chart" aria-labelledby="${chart.id}-title">([\\s\\S]*?)</section>`).exec(markup)![1]!;
      const rows = [...section.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((match) => match[1]!.replace(/ \(partly in the period\)$/, ''));
      // Every bar is a row of the table beside it, in the same order (a chart may show only the largest).
      const bars = chart.labels.map(escapeHtml);
      expect(bars.length, chart.id).toBeGreaterThan(0);
      expect(rows.slice(0, bars.length), chart.id).toEqual(bars);
    }
    // Monthly over a year: twelve months, from January.
    const overTime = data.charts.find((chart) => chart.id === 'chart-sessions-over-time')!;
    expect(overTime.title).toBe('Sessions per month, whole network');
    expect(overTime.labels).toHaveLength(12);
    expect(overTime.labels[0]).toBe('Jan 2025');
    const report = mergeExports(year);
    expect(overTime.values.reduce((a, b) => a + b, 0)).toBe(report.network.series.reduce((sum, point) => sum + point.sessions.value, 0));
  });

  it('draws the 30 busiest sites of a large network and lists them all in the table', () => {
    const sites = Array.from({ length: 35 }, (_, index) => exportOf(100 + index, 'PC 1', `EPN ${String(index).padStart(2, '0')}`, '2025-05-05', '2025-05-06', () => 3 + index));
    const page = buildStatisticsReportHtml(reportInput(sites));
    const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(page)![1]!) as { charts: { id: string; labels: string[]; values: number[] }[] };
    const chart = data.charts.find((entry) => entry.id === 'chart-sessions-per-site')!;
    expect(chart.labels).toEqual(Array.from({ length: 30 }, (_, index) => `EPN ${String(34 - index).padStart(2, '0')}`));
    expect(chart.values).toEqual(Array.from({ length: 30 }, (_, index) => 2 * (3 + 34 - index)));
    expect(page).toContain('The chart shows the 30 largest of 35; the table lists all.');
    const table = /<caption>Sessions per site<\/caption>([\s\S]*?)<\/table>/.exec(markupOnly(page))![1]!;
    expect(table.match(/<tr><th scope="row">/g)).toHaveLength(35);
  });

  it('explains suppression and lower bounds in plain words, and lists the files included and left out', () => {
    expect(markup).toContain('How to read these figures');
    expect(markup).toContain('(from 1 to 2)');
    expect(markup).toContain('A hidden count is at least 1');
    expect(markup).toMatch(/<th scope="row">exports\/pc-0\.json<\/th><td>JSON<\/td><td>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/td>/);
    expect(markup).toContain('<summary>Files left out (1)</summary>');
    expect(markup).toContain('<summary>Files included (2)</summary>');
    expect(markup).toContain('truncated or damaged?');
    expect(markup).toContain('No kiosk-day was found in more than one file.');
  });

  it('marks lower bounds with ≥ where suppressed counts are in a total', () => {
    // Two sessions a day: every daily count is hidden, so every total is a lower bound.
    const quiet = exportOf(3, 'PC 3', 'Petite EPN', '2025-03-03', '2025-03-09', () => 2);
    const quietHtml = markupOnly(buildStatisticsReportHtml(reportInput([quiet])));
    expect(mergeExports([quiet]).network.figures.sessions).toEqual({ value: 7, atLeast: true });
    expect(quietHtml).toContain('<dt>Sessions</dt><dd><span class="value">at least 7</span>');
    expect(quietHtml).toMatch(/<th scope="row">Petite EPN<\/th><td class="num">1<\/td><td class="num">≥ 7<\/td>/);
    // A week: sessions per week, labelled by its Monday.
    expect(quietHtml).toContain('Sessions per week, whole network');
    expect(quietHtml).toContain('<th scope="row">3 Mar 2025</th><td class="num">7</td><td class="num">≥ 7</td>');
  });

  it('says so when CSV exports without histograms or export times are in', () => {
    const statistics = year[1]!;
    const html2 = markupOnly(buildStatisticsReportHtml(reportInput([statistics], { included: [{ ...included(statistics, 'pc.csv'), format: 'csv', histograms: false, exportedAtSource: 'period-end', suppressionThreshold: null }] })));
    expect(html2).toContain('1 CSV export does not carry the time bands');
    expect(html2).toContain('A CSV export does not say when it was made');
    expect(html2).toContain('(not stated: taken as the start of its last day)');
    expect(html2).toContain('below the threshold the kiosk is set to');
  });

  it('still makes a page when the exports hold no days, saying which charts have no figures', () => {
    const empty = buildStatisticsExport({ kioskId: 'f'.repeat(32), kiosk: { name: 'PC 9', site: 'EPN' }, exportedAt: '2025-01-02T00:00Z', period: { from: '2025-01-01', to: '2025-01-01' }, threshold: 3, days: [] });
    const emptyReport = mergeExports([{ ...empty, days: [] }]);
    const page = markupOnly(buildStatisticsReportHtml(reportInput([], { report: emptyReport, included: [] })));
    expect(page).toContain('No figures: the files merged hold no days.');
    for (const id of ['chart-sessions-over-time', 'chart-top-services', 'chart-languages', 'chart-help-waits', 'chart-session-lengths']) {
      expect(page).toContain(`<figure class="chart-box" data-chart="${id}"><p class="empty">No figures for this chart.</p></figure>`);
    }
    expect(page).toContain('<dt>Sessions</dt><dd><span class="value">0</span>');
  });
});

describe('report helpers', () => {
  it('formats durations as a reader says them', () => {
    expect([0, 45, 60, 272, 599, 600, 1871, 3569, 3570, 3600, 3900, 7199].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '4 min 32 s',
      '9 min 59 s',
      '10 min',
      '31 min',
      '59 min',
      '1 h',
      '1 h',
      '1 h 05 min',
      '2 h',
    ]);
  });

  it('names the time bands of the histograms', () => {
    expect(bandLabels(WAIT_SECONDS_BUCKETS)[0]).toBe('under 30 s');
    expect(bandLabels(WAIT_SECONDS_BUCKETS)[1]).toBe('30 s – 1 min');
    expect(bandLabels(SESSION_SECONDS_BUCKETS).at(-1)).toBe('3 h or more');
    expect(bandLabels(SESSION_SECONDS_BUCKETS)).toHaveLength(SESSION_SECONDS_BUCKETS.length);
  });

  it('sums days into ISO weeks for short periods and months for long ones, marking partial ones', () => {
    const point = (dayText: string, value: number, atLeast = false) => ({ day: dayText, sessions: { value, atLeast }, kiosks: 1 });
    const short = sessionsOverTime(eachDay('2025-03-05', '2025-03-17').map((dayText, index) => point(dayText, index + 1, index === 6)));
    expect(short.unit).toBe('week');
    expect(short.buckets.map((bucket) => [bucket.label, bucket.days, bucket.partial, bucket.sessions.value, bucket.sessions.atLeast])).toEqual([
      ['3 Mar 2025', 5, true, 1 + 2 + 3 + 4 + 5, false],
      ['10 Mar 2025', 7, false, 6 + 7 + 8 + 9 + 10 + 11 + 12, true],
      ['17 Mar 2025', 1, true, 13, false],
    ]);
    const long = sessionsOverTime(eachDay('2025-01-15', '2025-12-31').map((dayText) => point(dayText, 1)));
    expect(long.unit).toBe('month');
    expect(long.buckets[0]).toMatchObject({ label: 'Jan 2025', days: 17, partial: true });
    expect(long.buckets[1]).toMatchObject({ label: 'Feb 2025', days: 28, partial: false });
    expect(long.buckets).toHaveLength(12);
  });

  it('keeps JSON inside a script element from closing it', () => {
    const text = jsonForScript({ name: '</script><script>alert(1)</script><!--', line: '\u2028' });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ name: '</script><script>alert(1)</script><!--', line: '\u2028' });
  });

  it('inlines the Chart.js 4 UMD build without its source-map comment', () => {
    expect(chartJs.startsWith('/*!\n * Chart.js v4.')).toBe(true);
    expect(chartJs).not.toContain('sourceMappingURL');
    expect(chartJs).toContain('window.Chart=');
  });
});
