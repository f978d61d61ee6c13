/**
 * The coordinators' report: one self-contained HTML file built from a merged report
 * (shared/statistics/merge.ts), for a funder to read and a coordinator to hand on.
 *
 * - Self-contained: Chart.js (its UMD build, from node_modules) and the figures are inside
 *   the file; it needs no network and asks for nothing. A Content-Security-Policy meta tag
 *   allows only the two scripts and the style sheet written here, by their SHA-256 hashes.
 * - Every chart has its figures beside it in a table, so the report reads without
 *   JavaScript, in print and with a screen reader.
 * - Every name that comes from a file (kiosk, site, file name, service id) is escaped.
 * - English. The report's texts are gathered in TEXT below, ready for a locales namespace
 *   when coordinators need other languages.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  SESSION_SECONDS_BUCKETS,
  WAIT_SECONDS_BUCKETS,
  dayNumber,
  daysBetween,
  isoWeekOf,
  type MergedCount,
  type MergedPercentiles,
  type MergedReport,
  type MergedSeriesPoint,
} from '../../shared/statistics';

/** A file that went into the report. */
export interface IncludedReportFile {
  /** Inside the folder the coordinator named (no home folders). */
  readonly path: string;
  readonly format: 'json' | 'csv';
  readonly kioskId: string;
  readonly kioskName: string;
  readonly site: string;
  readonly from: string;
  readonly to: string;
  readonly dayCount: number;
  readonly exportedAt: string;
  /** Where the export time came from: the export, or (CSV, which states none) the start of its last day. */
  readonly exportedAtSource: 'export' | 'period-end';
  /** Whether its days carry the duration and waiting-time histograms. */
  readonly histograms: boolean;
  /** As the export states it; null when it does not (CSV). */
  readonly suppressionThreshold: number | null;
}

export interface SkippedReportFile {
  readonly path: string;
  readonly reason: string;
}

export interface StatisticsReportInput {
  readonly report: MergedReport;
  readonly included: readonly IncludedReportFile[];
  readonly skipped: readonly SkippedReportFile[];
  readonly generatedAt: Date;
  readonly title: string;
  /** The merged CSV's file name, to point to it. */
  readonly csvFileName?: string;
  /** The Chart.js UMD build (loadChartJs). */
  readonly chartJs: string;
}

function joinNumbers(values: readonly number[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}`;
}

/** Every text of the report (English). */
const TEXT = {
  language: 'en',
  locale: 'en-GB',
  period: (from: string, to: string, days: number) => `${from} to ${to} (${days} ${days === 1 ? 'day' : 'days'})`,
  noFigures: 'No figures: the files merged hold no days.',
  madeOn: (when: string, files: number) => `Made on ${when} from ${files} ${files === 1 ? 'export file' : 'export files'} with EPN Kiosk's statistics merge.`,
  csvBeside: (name: string) => `The same figures, for a spreadsheet: ${name}.`,
  overview: 'Overview',
  sites: 'EPN sites',
  kiosks: 'Kiosks',
  sessions: 'Sessions',
  sessionLength: 'Session length',
  helpRequests: 'Help requests',
  helpWait: 'Waiting time for help',
  kioskDays: 'Kiosk-days with figures',
  medianAndP90: (median: string, p90: string) => `half of them under ${median}; 9 in 10 under ${p90}`,
  medianDetail: (p90: string) => `median: half were shorter; 9 in 10 were shorter than ${p90}`,
  answered: (count: string) => `${count} answered by a helper`,
  noValue: 'not available',
  atLeast: 'at least',
  about: 'about',
  sessionsOverTime: (unit: 'week' | 'month') => `Sessions per ${unit}, whole network`,
  sessionsPerSite: 'Sessions per site',
  topServices: 'Most used services',
  languages: 'Languages chosen by visitors',
  waitTimes: 'Waiting time for help',
  sessionLengths: 'Session lengths',
  column: {
    week: 'Week starting',
    month: 'Month',
    days: 'Days',
    sessions: 'Sessions',
    site: 'Site',
    kiosks: 'Kiosks',
    help: 'Help requests',
    medianLength: 'Median session length',
    medianWait: 'Median wait for help',
    service: 'Service',
    openings: 'Times opened',
    language: 'Language',
    wait: 'Waiting time',
    requests: 'Requests answered',
    length: 'Length',
    kiosk: 'Kiosk',
    firstDay: 'First day',
    lastDay: 'Last day',
    file: 'File',
    format: 'Format',
    period: 'Period',
    exportedAt: 'Exported at',
    reason: 'Why it was left out',
  },
  chartShowsTop: (shown: number, total: number) => `The chart shows the ${shown} largest of ${total}; the table lists all.`,
  noSite: '(no site given)',
  noData: 'No figures for this chart.',
  partial: 'partly in the period',
  howToRead: 'How to read these figures',
  suppression: (thresholds: string) =>
    `Each kiosk protects its visitors before its figures leave the PC: a count that is small enough to point to a person (${thresholds}) is not written in the export, but marked “suppressed”. So are a few other counts that would let someone work a hidden one out from a total.`,
  suppressionThreshold: (values: readonly number[]) =>
    values.length === 0 ? 'below the threshold the kiosk is set to' : values.length === 1 ? `from 1 to ${values[0]! - 1}` : `from 1 to one below the kiosk's threshold, which was ${joinNumbers(values)} in these exports`,
  lowerBounds:
    'A hidden count is at least 1. Where a total includes hidden counts, this report counts each of them as 1 and shows the total as “at least” (≥): the real figure is that number or more. Totals without the sign are exact.',
  estimates:
    'Medians and 90th percentiles (“half of the sessions were shorter than…”, “9 in 10 were shorter than…”) over many days are worked out from time bands (for example 10 to 15 minutes), as the exports carry them; they are accurate to within their band. Where hidden counts were in those bands, each counted as 1.',
  duplicates: (count: number) => `${count} kiosk-${count === 1 ? 'day was' : 'days were'} found in more than one file (the same kiosk exported twice, or overlapping periods): each is counted once, from the most recent export.`,
  noDuplicates: 'No kiosk-day was found in more than one file.',
  csvNoHistograms: (count: number) =>
    `${count} CSV ${count === 1 ? 'export does' : 'exports do'} not carry the time bands: their sessions and help requests are in every total, but their session lengths and waiting times are not in the medians and 90th percentiles.`,
  csvExportTime:
    'A CSV export does not say when it was made: it is taken as made at the start of the last day it covers. So when the same kiosk and day are in a JSON export too, the JSON export counts, and of two CSV exports the one whose period ends later counts.',
  contents:
    'What these figures contain: sessions, how long they lasted and how they ended, which services were opened, help requests and how long visitors waited, the languages chosen. What they do not contain: names, web addresses, page titles, anything typed, IP addresses, or anything that links two visits or tells who a visitor was.',
  perSiteTable: 'Figures per site',
  kioskList: (count: number) => `Kiosks (${count})`,
  filesIncluded: (count: number) => `Files included (${count})`,
  filesSkipped: (count: number) => `Files left out (${count})`,
  noneSkipped: 'None: every file found was merged.',
  periodEnd: 'not stated: taken as the start of its last day',
  files: 'Files',
  chartLabel: (title: string) => `Chart: ${title}. The same figures are in the table beside it.`,
} as const;

const NUMBER = new Intl.NumberFormat(TEXT.locale, { maximumFractionDigits: 0 });
const MONTH = new Intl.DateTimeFormat(TEXT.locale, { timeZone: 'UTC', month: 'short', year: 'numeric' });
const DAY = new Intl.DateTimeFormat(TEXT.locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const LANGUAGE_NAMES = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([TEXT.locale], { type: 'language', fallback: 'none' }) : null;

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** JSON that can sit inside a <script> element: no "<", ">" or "&" that could close it or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy of the report: nothing but the inline scripts and style sheet given, by hash. */
export function contentSecurityPolicy(scripts: readonly string[], styles: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${styles.map(sha256).join(' ')}`,
    "img-src 'none'",
    "connect-src 'none'",
    "font-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

function assertInlineSafe(what: string, source: string): void {
  if (/<\/script|<!--/i.test(source)) throw new Error(`${what} holds "</script" or "<!--" and cannot be put inside the report`);
}

/** The Chart.js UMD build, from node_modules, without its source-map comment (the report asks for nothing). */
export function loadChartJs(): string {
  let file: string;
  try {
    file = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  } catch {
    throw new Error('chart.js is not installed: run "npm install" in the EPN Kiosk folder');
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`chart.js has no UMD build at ${file}: reinstall it with "npm install"`);
  }
  if (!/^\/\*!\s*\n \* Chart\.js v4\./.test(source)) throw new Error(`${file} is not the Chart.js 4 UMD build`);
  const stripped = source.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  assertInlineSafe('The Chart.js build', stripped);
  return stripped;
}

// ---------------------------------------------------------------------------------------
// Figures as text
// ---------------------------------------------------------------------------------------

export function formatCount(count: MergedCount): string {
  return count.atLeast ? `≥ ${NUMBER.format(count.value)}` : NUMBER.format(count.value);
}

function countInWords(count: MergedCount): string {
  return count.atLeast ? `${TEXT.atLeast} ${NUMBER.format(count.value)}` : NUMBER.format(count.value);
}

/** "45 s", "4 min 30 s", "31 min" (to the minute from 10 minutes on), "1 h 05 min". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 600) {
    const rest = whole % 60;
    return rest === 0 ? `${Math.floor(whole / 60)} min` : `${Math.floor(whole / 60)} min ${rest} s`;
  }
  if (whole < 3570) return `${Math.round(whole / 60)} min`;
  const minutes = Math.round((whole % 3600) / 60);
  const hours = Math.floor(whole / 3600) + (minutes === 60 ? 1 : 0);
  return minutes === 0 || minutes === 60 ? `${hours} h` : `${hours} h ${String(minutes).padStart(2, '0')} min`;
}

function percentileText(value: number | null, percentiles: MergedPercentiles): string {
  if (value === null) return TEXT.noValue;
  return percentiles.estimated ? `${TEXT.about} ${formatDuration(value)}` : formatDuration(value);
}

function dateOf(day: string): Date {
  return new Date(dayNumber(day) * 86_400_000);
}

export function languageName(code: string): string {
  const named = LANGUAGE_NAMES?.of(code);
  return named !== undefined && named !== code ? `${named} (${code})` : code;
}

function siteName(site: string): string {
  return site.trim() === '' ? TEXT.noSite : site;
}

/** Lower bound of each bucket as a band: "under 1 min", "1 min – 2 min", …, "3 h or more". */
export function bandLabels(bounds: readonly number[]): string[] {
  return bounds.map((lower, index) => {
    const upper = bounds[index + 1];
    if (upper === undefined) return `${formatDuration(lower)} or more`;
    if (lower === 0) return `under ${formatDuration(upper)}`;
    return `${formatDuration(lower)} – ${formatDuration(upper)}`;
  });
}

// ---------------------------------------------------------------------------------------
// Sessions over time
// ---------------------------------------------------------------------------------------

export interface TimeBucket {
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** True when the week or month is only partly inside the period. */
  readonly partial: boolean;
  readonly sessions: MergedCount;
}

/** Up to this many days, sessions are shown per week; beyond, per month. */
export const WEEKLY_UP_TO_DAYS = 190;

/** The network's daily sessions summed per ISO week (short periods) or per calendar month. */
export function sessionsOverTime(series: readonly MergedSeriesPoint[]): { unit: 'week' | 'month'; buckets: TimeBucket[] } {
  const unit = series.length <= WEEKLY_UP_TO_DAYS ? 'week' : 'month';
  const buckets: { key: string; label: string; from: string; to: string; days: number; full: number; value: number; atLeast: boolean }[] = [];
  for (const point of series) {
    let key: string;
    let label: string;
    let full: number;
    if (unit === 'week') {
      const week = isoWeekOf(point.day);
      key = week.key;
      label = DAY.format(dateOf(week.monday));
      full = 7;
    } else {
      key = point.day.slice(0, 7);
      label = MONTH.format(dateOf(`${key}-01`));
      const [year, month] = key.split('-').map(Number) as [number, number];
      full = new Date(Date.UTC(year, month, 0)).getUTCDate();
    }
    let bucket = buckets[buckets.length - 1];
    if (bucket === undefined || bucket.key !== key) {
      bucket = { key, label, from: point.day, to: point.day, days: 0, full, value: 0, atLeast: false };
      buckets.push(bucket);
    }
    bucket.to = point.day;
    bucket.days += 1;
    bucket.value += point.sessions.value;
    bucket.atLeast ||= point.sessions.atLeast;
  }
  return {
    unit,
    buckets: buckets.map((bucket) => ({
      label: bucket.label,
      from: bucket.from,
      to: bucket.to,
      days: bucket.days,
      partial: bucket.days < bucket.full,
      sessions: { value: bucket.value, atLeast: bucket.atLeast },
    })),
  };
}

// ---------------------------------------------------------------------------------------
// Charts and tables
// ---------------------------------------------------------------------------------------

/** What the page's script draws: one bar chart per entry. */
interface ChartData {
  readonly id: string;
  readonly title: string;
  readonly horizontal: boolean;
  readonly labels: readonly string[];
  readonly values: readonly number[];
  /** Which values are lower bounds. */
  readonly atLeast: readonly boolean[];
}

interface Table {
  readonly head: readonly string[];
  /** Cells as text (escaped when written); the first column is a row header. */
  readonly rows: readonly (readonly string[])[];
  /** Columns holding numbers (right-aligned). */
  readonly numeric: readonly number[];
}

function tableHtml(table: Table, caption: string): string {
  const head = table.head.map((cell, index) => `<th scope="col"${table.numeric.includes(index) ? ' class="num"' : ''}>${escapeHtml(cell)}</th>`).join('');
  const rows = table.rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, index) => (index === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td${table.numeric.includes(index) ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`))
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function chartSection(chart: ChartData, table: Table, note?: string): string {
  const empty = chart.values.length === 0;
  return `<section class="chart" aria-labelledby="${chart.id}-title">
<h2 id="${chart.id}-title">${escapeHtml(chart.title)}</h2>
${note === undefined ? '' : `<p class="note">${escapeHtml(note)}</p>\n`}<div class="pair">
<figure class="chart-box" data-chart="${chart.id}">${empty ? `<p class="empty">${escapeHtml(TEXT.noData)}</p>` : `<canvas id="${chart.id}" role="img" aria-label="${escapeHtml(TEXT.chartLabel(chart.title))}"></canvas>`}</figure>
<div class="table-box">${tableHtml(table, chart.title)}</div>
</div>
</section>`;
}

function countRows<T>(entries: readonly T[], label: (entry: T) => string, count: (entry: T) => MergedCount): { labels: string[]; values: number[]; atLeast: boolean[] } {
  return {
    labels: entries.map(label),
    values: entries.map((entry) => count(entry).value),
    atLeast: entries.map((entry) => count(entry).atLeast),
  };
}

/** Bars in the sites chart: beyond, a chart is no longer read at a glance (the table lists all). */
const MAX_SITE_BARS = 30;
const TOP_SERVICES = 15;

function overviewCard(label: string, value: string, detail?: string): string {
  return `<div class="card"><dt>${escapeHtml(label)}</dt><dd><span class="value">${escapeHtml(value)}</span>${detail === undefined ? '' : `<span class="detail">${escapeHtml(detail)}</span>`}</dd></div>`;
}


// ---------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5562; --line: #d5dbe1; --accent: #1f5f99; --paper: #ffffff; --band: #f3f6f9; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); line-height: 1.45; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; }
h1 { font-size: 2rem; margin: 0 0 4px; }
h2 { font-size: 1.35rem; margin: 0 0 10px; }
h3 { font-size: 1.1rem; margin: 18px 0 8px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 22px; }
header .period { font-size: 1.2rem; font-weight: 600; margin: 0 0 6px; }
header p { margin: 2px 0; color: var(--muted); }
section { margin: 0 0 34px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; margin: 0; }
.card { background: var(--band); border-radius: 8px; padding: 12px 14px; }
.card dt { font-size: 0.9rem; color: var(--muted); }
.card dd { margin: 2px 0 0; }
.card .value { display: block; font-size: 1.55rem; font-weight: 700; }
.card .detail { display: block; font-size: 0.9rem; color: var(--muted); }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; align-items: start; }
@media (max-width: 860px) { .pair { grid-template-columns: 1fr; } }
.chart-box { position: relative; height: 340px; margin: 0; }
.chart-box .empty { color: var(--muted); }
.table-box { max-height: 420px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll { max-height: 520px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 6px 8px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--band); }
tbody th { font-weight: 400; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { color: var(--muted); margin: 0 0 8px; }
.about p { max-width: 75ch; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; font-size: 1.1rem; }
code { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; }
  .table-box, .scroll { max-height: none; overflow: visible; border: none; }
  section, .pair { break-inside: avoid; }
  details { display: block; }
}
`;

/** Draws the charts from the data block; marks <html data-charts="drawn"> when done. */
const BOOTSTRAP = `(function () {
  'use strict';
  var root = document.documentElement;
  try {
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var Chart = window.Chart;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#1b1f24';
    var numbers = new Intl.NumberFormat(data.locale, { maximumFractionDigits: 0 });
    var drawn = 0;
    data.charts.forEach(function (chart) {
      var canvas = document.getElementById(chart.id);
      if (!canvas) return;
      if (chart.horizontal) canvas.parentNode.style.height = Math.max(200, 60 + chart.labels.length * 26) + 'px';
      var valueAxis = { beginAtZero: true, ticks: { precision: 0, callback: function (value) { return numbers.format(value); } }, grid: { color: '#e3e8ed' } };
      var labelAxis = { grid: { display: false }, ticks: { autoSkip: !chart.horizontal } };
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: chart.labels,
          datasets: [{
            label: chart.title,
            data: chart.values,
            backgroundColor: '#1f5f99',
          }],
        },
        options: {
          indexAxis: chart.horizontal ? 'y' : 'x',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          locale: data.locale,
          scales: chart.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return (chart.atLeast[item.dataIndex] ? data.atLeast + ' ' : '') + numbers.format(item.parsed[chart.horizontal ? 'x' : 'y']);
                },
              },
            },
          },
        },
      });
      drawn += 1;
    });
    root.setAttribute('data-charts', 'drawn');
    root.setAttribute('data-chart-count', String(drawn));
  } catch (error) {
    root.setAttribute('data-charts', 'failed');
    throw error;
  }
})();
`;

/** The whole report as one HTML document. */
export function buildStatisticsReportHtml(input: StatisticsReportInput): string {
  const { report, included, skipped } = input;
  const network = report.network.figures;
  const charts: ChartData[] = [];
  const sections: string[] = [];
  const hasDays = report.from !== null && report.to !== null;
  const periodText = hasDays ? TEXT.period(report.from!, report.to!, daysBetween(report.from!, report.to!) + 1) : TEXT.noFigures;
  const generated = `${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

  // Overview.
  const sessionSeconds = network.sessionSeconds;
  const waits = network.help.waitSeconds;
  const cards = [
    overviewCard(TEXT.sites, NUMBER.format(report.network.siteCount)),
    overviewCard(TEXT.kiosks, NUMBER.format(report.network.kioskCount)),
    overviewCard(TEXT.sessions, countInWords(network.sessions)),
    overviewCard(TEXT.sessionLength, percentileText(sessionSeconds.median, sessionSeconds), sessionSeconds.p90 === null ? undefined : TEXT.medianDetail(percentileText(sessionSeconds.p90, sessionSeconds))),
    overviewCard(TEXT.helpRequests, countInWords(network.help.requests), TEXT.answered(countInWords(network.help.acknowledged))),
    overviewCard(TEXT.helpWait, percentileText(waits.median, waits), waits.p90 === null ? undefined : TEXT.medianDetail(percentileText(waits.p90, waits))),
    overviewCard(TEXT.kioskDays, NUMBER.format(network.kioskDays)),
  ];
  sections.push(`<section aria-labelledby="overview-title">\n<h2 id="overview-title">${escapeHtml(TEXT.overview)}</h2>\n<dl class="cards">\n${cards.join('\n')}\n</dl>\n</section>`);

  // Sessions over time.
  const overTime = sessionsOverTime(report.network.series);
  {
    const chart: ChartData = {
      id: 'chart-sessions-over-time',
      title: TEXT.sessionsOverTime(overTime.unit),
      horizontal: false,
      labels: overTime.buckets.map((bucket) => bucket.label),
      values: overTime.buckets.map((bucket) => bucket.sessions.value),
      atLeast: overTime.buckets.map((bucket) => bucket.sessions.atLeast),
    };
    charts.push(chart);
    sections.push(
      chartSection(chart, {
        head: [overTime.unit === 'week' ? TEXT.column.week : TEXT.column.month, TEXT.column.days, TEXT.column.sessions],
        rows: overTime.buckets.map((bucket) => [bucket.partial ? `${bucket.label} (${TEXT.partial})` : bucket.label, String(bucket.days), formatCount(bucket.sessions)]),
        numeric: [1, 2],
      }),
    );
  }

  // Sessions per site: the largest in the chart, all in the table.
  {
    const bySessions = [...report.sites].sort((a, b) => b.figures.sessions.value - a.figures.sessions.value || (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
    const shown = bySessions.slice(0, MAX_SITE_BARS);
    const chart: ChartData = { id: 'chart-sessions-per-site', title: TEXT.sessionsPerSite, horizontal: true, ...countRows(shown, (site) => siteName(site.site), (site) => site.figures.sessions) };
    charts.push(chart);
    sections.push(
      chartSection(
        chart,
        {
          head: [TEXT.column.site, TEXT.column.kiosks, TEXT.column.sessions, TEXT.column.help],
          rows: bySessions.map((site) => [siteName(site.site), NUMBER.format(site.kioskCount), formatCount(site.figures.sessions), formatCount(site.figures.help.requests)]),
          numeric: [1, 2, 3],
        },
        bySessions.length > shown.length ? TEXT.chartShowsTop(shown.length, bySessions.length) : undefined,
      ),
    );
  }

  // Top services.
  {
    const services = network.services;
    const top = services.slice(0, TOP_SERVICES);
    const chart: ChartData = { id: 'chart-top-services', title: TEXT.topServices, horizontal: true, ...countRows(top, (entry) => entry.serviceId, (entry) => entry.openings) };
    charts.push(chart);
    sections.push(
      chartSection(
        chart,
        { head: [TEXT.column.service, TEXT.column.openings], rows: services.map((entry) => [entry.serviceId, formatCount(entry.openings)]), numeric: [1] },
        services.length > top.length ? TEXT.chartShowsTop(top.length, services.length) : undefined,
      ),
    );
  }

  // Languages.
  {
    const chart: ChartData = {
      id: 'chart-languages',
      title: TEXT.languages,
      horizontal: true,
      ...countRows(network.languages, (entry) => languageName(entry.language), (entry) => entry.sessions),
    };
    charts.push(chart);
    sections.push(chartSection(chart, { head: [TEXT.column.language, TEXT.column.sessions], rows: network.languages.map((entry) => [languageName(entry.language), formatCount(entry.sessions)]), numeric: [1] }));
  }

  // Waiting times and session lengths, by band.
  for (const [id, title, bounds, percentiles, column, countColumn] of [
    ['chart-help-waits', TEXT.waitTimes, WAIT_SECONDS_BUCKETS, waits, TEXT.column.wait, TEXT.column.requests],
    ['chart-session-lengths', TEXT.sessionLengths, SESSION_SECONDS_BUCKETS, sessionSeconds, TEXT.column.length, TEXT.column.sessions],
  ] as const) {
    const labels = bandLabels(bounds);
    const empty = percentiles.histogram.every((count) => count.value === 0 && !count.atLeast);
    const chart: ChartData = {
      id,
      title,
      horizontal: false,
      labels: empty ? [] : labels,
      values: empty ? [] : percentiles.histogram.map((count) => count.value),
      atLeast: empty ? [] : percentiles.histogram.map((count) => count.atLeast),
    };
    charts.push(chart);
    const summary = percentiles.median === null || percentiles.p90 === null ? undefined : TEXT.medianAndP90(percentileText(percentiles.median, percentiles), percentileText(percentiles.p90, percentiles));
    sections.push(
      chartSection(chart, { head: [column, countColumn], rows: empty ? [] : labels.map((label, index) => [label, formatCount(percentiles.histogram[index]!)]), numeric: [1] }, summary === undefined ? undefined : `${title}: ${summary}.`),
    );
  }

  // How to read.
  const jsonThresholds = [...new Set(included.filter((file) => file.suppressionThreshold !== null).map((file) => file.suppressionThreshold!))].sort((a, b) => a - b);
  const csvWithoutHistograms = included.filter((file) => !file.histograms).length;
  const csvWithoutTime = included.some((file) => file.exportedAtSource === 'period-end');
  const about = [
    TEXT.suppression(TEXT.suppressionThreshold(jsonThresholds)),
    TEXT.lowerBounds,
    TEXT.estimates,
    report.duplicateKioskDays > 0 ? TEXT.duplicates(report.duplicateKioskDays) : TEXT.noDuplicates,
    ...(csvWithoutHistograms > 0 ? [TEXT.csvNoHistograms(csvWithoutHistograms)] : []),
    ...(csvWithoutTime ? [TEXT.csvExportTime] : []),
    TEXT.contents,
  ];
  sections.push(`<section class="about" aria-labelledby="about-title">\n<h2 id="about-title">${escapeHtml(TEXT.howToRead)}</h2>\n${about.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}\n</section>`);

  // Per site, per kiosk.
  sections.push(
    `<section aria-labelledby="sites-title">\n<h2 id="sites-title">${escapeHtml(TEXT.perSiteTable)}</h2>\n<div class="scroll">${tableHtml(
      {
        head: [TEXT.column.site, TEXT.column.kiosks, TEXT.column.sessions, TEXT.column.medianLength, TEXT.column.help, TEXT.column.medianWait],
        rows: report.sites.map((site) => [
          siteName(site.site),
          NUMBER.format(site.kioskCount),
          formatCount(site.figures.sessions),
          percentileText(site.figures.sessionSeconds.median, site.figures.sessionSeconds),
          formatCount(site.figures.help.requests),
          percentileText(site.figures.help.waitSeconds.median, site.figures.help.waitSeconds),
        ]),
        numeric: [1, 2, 3, 4, 5],
      },
      TEXT.perSiteTable,
    )}</div>\n</section>`,
  );
  sections.push(
    `<section aria-labelledby="kiosks-title">\n<details>\n<summary id="kiosks-title">${escapeHtml(TEXT.kioskList(report.kiosks.length))}</summary>\n<div class="scroll">${tableHtml(
      {
        head: [TEXT.column.kiosk, TEXT.column.site, TEXT.column.firstDay, TEXT.column.lastDay, TEXT.column.sessions, TEXT.column.help],
        rows: report.kiosks.map((kiosk) => [kiosk.name, siteName(kiosk.site), kiosk.from, kiosk.to, formatCount(kiosk.figures.sessions), formatCount(kiosk.figures.help.requests)]),
        numeric: [4, 5],
      },
      TEXT.kioskList(report.kiosks.length),
    )}</div>\n</details>\n</section>`,
  );

  // Files.
  const includedTable = tableHtml(
    {
      head: [TEXT.column.file, TEXT.column.format, TEXT.column.kiosk, TEXT.column.site, TEXT.column.period, TEXT.column.exportedAt],
      rows: included.map((file) => [
        file.path,
        file.format.toUpperCase(),
        file.kioskName,
        siteName(file.site),
        `${file.from} – ${file.to}`,
        file.exportedAtSource === 'period-end' ? `${file.exportedAt} (${TEXT.periodEnd})` : file.exportedAt,
      ]),
      numeric: [],
    },
    TEXT.filesIncluded(included.length),
  );
  const skippedBlock =
    skipped.length === 0
      ? `<p>${escapeHtml(TEXT.noneSkipped)}</p>`
      : `<div class="scroll">${tableHtml({ head: [TEXT.column.file, TEXT.column.reason], rows: skipped.map((file) => [file.path, file.reason]), numeric: [] }, TEXT.filesSkipped(skipped.length))}</div>`;
  sections.push(
    `<section aria-labelledby="files-title">\n<h2 id="files-title">${escapeHtml(TEXT.files)}</h2>
<details id="files-skipped"${skipped.length > 0 ? ' open' : ''}>\n<summary>${escapeHtml(TEXT.filesSkipped(skipped.length))}</summary>\n${skippedBlock}\n</details>
<details id="files-included"${included.length <= 20 ? ' open' : ''}>\n<summary>${escapeHtml(TEXT.filesIncluded(included.length))}</summary>\n<div class="scroll">${includedTable}</div>\n</details>\n</section>`,
  );

  const data = jsonForScript({ locale: TEXT.locale, atLeast: TEXT.atLeast, charts });
  assertInlineSafe('The report script', BOOTSTRAP);
  const policy = contentSecurityPolicy([input.chartJs, BOOTSTRAP], [STYLE]);
  const headerLines = [
    `<p class="period">${escapeHtml(periodText)}</p>`,
    `<p>${escapeHtml(TEXT.madeOn(generated, included.length))}</p>`,
    ...(input.csvFileName === undefined ? [] : [`<p>${escapeHtml(TEXT.csvBeside(input.csvFileName))}</p>`]),
  ];
  return `<!doctype html>
<html lang="${TEXT.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(hasDays ? `${input.title}, ${report.from} to ${report.to}` : input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
${headerLines.join('\n')}
</header>
<main>
${sections.join('\n\n')}
</main>
<script type="application/json" id="report-data">${data}</script>
<script>${input.chartJs}</script>
<script>${BOOTSTRAP}</script>
</body>
</html>
`;
}
