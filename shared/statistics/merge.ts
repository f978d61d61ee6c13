/**
 * Merging the statistics exports of many kiosks and sites into one report (the
 * coordinators' command builds its HTML and CSV from it). Pure.
 *
 * - A kiosk is its `kioskId`, never its name: two sites may both have a "PC 1".
 * - The same kiosk and day found in several exports counts once: the export with the
 *   latest `exportedAt` wins (on a tie, the first one added). A kiosk's name and site are
 *   taken from its latest export.
 * - A suppressed cell stays unknown. It is at least 1 (a 0 is never suppressed), so a sum
 *   that includes suppressed cells is a lower bound: known cells plus 1 per suppressed
 *   cell, flagged `atLeast`. A total of session seconds counts a suppressed day as 0.
 * - Medians and 90th percentiles: when a single kiosk-day has values and its figures are
 *   published, they are exact; otherwise they are estimated from the merged histogram
 *   (percentiles.ts), with each suppressed bucket counted as 1 and the result flagged
 *   `incomplete`.
 *
 * For a large network, add the exports one at a time (`createMerger`) and let each parsed
 * file go: only a compact copy of the winning daily figures is kept; `completeKiosk` lets
 * even that go once all of a kiosk's exports are in.
 */
import type { SessionEndReason } from '../contract';
import { ACCESSIBILITY_OPTIONS, SESSION_END_REASONS, type AccessibilityOption } from '../usage-events';
import { eachDay } from './calendar';
import { csvText, type StatisticsExport } from './export-format';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS, estimatePercentile } from './percentiles';
import type { PublishedDailyFigures } from './suppression';

/** A sum of published cells: exact, or (atLeast) a lower bound because suppressed cells were in it. */
export interface MergedCount {
  readonly value: number;
  readonly atLeast: boolean;
}

export interface MergedPercentiles {
  readonly median: number | null;
  readonly p90: number | null;
  /** True when estimated from the merged histogram rather than one day's exact figures. */
  readonly estimated: boolean;
  /** True when suppressed buckets were counted as 1 in the estimate. */
  readonly incomplete: boolean;
  readonly histogram: readonly MergedCount[];
}

export interface MergedFigures {
  /** How many kiosk-days are summed. */
  readonly kioskDays: number;
  readonly sessions: MergedCount;
  readonly sessionSeconds: MergedPercentiles & { readonly total: MergedCount };
  readonly endReasons: readonly { readonly reason: SessionEndReason; readonly count: MergedCount }[];
  /** Most openings first, then by id. */
  readonly services: readonly { readonly serviceId: string; readonly openings: MergedCount }[];
  readonly help: {
    readonly requests: MergedCount;
    readonly acknowledged: MergedCount;
    readonly resolved: MergedCount;
    readonly cancelled: MergedCount;
    readonly waitSeconds: MergedPercentiles;
  };
  /** Most sessions first, then by code. */
  readonly languages: readonly { readonly language: string; readonly sessions: MergedCount }[];
  readonly languageChanges: MergedCount;
  readonly accessibility: readonly { readonly option: AccessibilityOption; readonly sessions: MergedCount }[];
  readonly wipes: { readonly total: MergedCount; readonly unverified: MergedCount };
}

export interface MergedSeriesPoint {
  readonly day: string;
  readonly sessions: MergedCount;
  /** Kiosks with figures for that day. */
  readonly kiosks: number;
}

export interface MergedKiosk {
  readonly kioskId: string;
  readonly name: string;
  readonly site: string;
  /** The latest export's time. */
  readonly exportedAt: string;
  /** The first and last day of the figures kept for this kiosk. */
  readonly from: string;
  readonly to: string;
  readonly figures: MergedFigures;
}

export interface MergedSite {
  readonly site: string;
  readonly kioskCount: number;
  readonly figures: MergedFigures;
  readonly series: readonly MergedSeriesPoint[];
}

export interface MergedReport {
  /** First and last day with figures (null when there were none). */
  readonly from: string | null;
  readonly to: string | null;
  /** Exports added. */
  readonly exportCount: number;
  /** Kiosk-days found in more than one export; each counted once. */
  readonly duplicateKioskDays: number;
  /** The suppression thresholds the exports were made with, ascending. */
  readonly suppressionThresholds: readonly number[];
  /** By site, then name, then id. */
  readonly kiosks: readonly MergedKiosk[];
  /** By site label. */
  readonly sites: readonly MergedSite[];
  readonly network: { readonly kioskCount: number; readonly siteCount: number; readonly figures: MergedFigures; readonly series: readonly MergedSeriesPoint[] };
}

/*
 * Inside the merger, each kept kiosk-day is a short run of integers in its kiosk's pool:
 * [exported-at minute, number of cells, (field id, value) × cells], with -1 for a
 * suppressed value and zero counts left out. Field ids below FIXED_FIELDS are the fixed
 * measures; the others name a category (end reason, service, language, option) in a
 * table shared by the whole merge. A year of 1,600 kiosks then fits in a few hundred
 * megabytes, where the parsed objects would not.
 */
const DURATION_BUCKETS = SESSION_SECONDS_BUCKETS.length;
const WAIT_BUCKETS = WAIT_SECONDS_BUCKETS.length;
const FIELD = {
  sessions: 0,
  secondsTotal: 1,
  secondsMedian: 2,
  secondsP90: 3,
  durationBucket: 4,
  requests: 4 + DURATION_BUCKETS,
  acknowledged: 5 + DURATION_BUCKETS,
  resolved: 6 + DURATION_BUCKETS,
  cancelled: 7 + DURATION_BUCKETS,
  waitMedian: 8 + DURATION_BUCKETS,
  waitP90: 9 + DURATION_BUCKETS,
  waitBucket: 10 + DURATION_BUCKETS,
  languageChanges: 10 + DURATION_BUCKETS + WAIT_BUCKETS,
  wipes: 11 + DURATION_BUCKETS + WAIT_BUCKETS,
  unverified: 12 + DURATION_BUCKETS + WAIT_BUCKETS,
} as const;
const FIXED_FIELDS = 13 + DURATION_BUCKETS + WAIT_BUCKETS;
const SUPPRESSED = -1;

type CategoryKind = 'end-reason' | 'service' | 'language' | 'accessibility';

class CategoryTable {
  private readonly ids = new Map<CategoryKind, Map<string, number>>();
  readonly entries: { readonly kind: CategoryKind; readonly key: string }[] = [];

  idOf(kind: CategoryKind, key: string): number {
    let ofKind = this.ids.get(kind);
    if (!ofKind) {
      ofKind = new Map();
      this.ids.set(kind, ofKind);
    }
    let id = ofKind.get(key);
    if (id === undefined) {
      id = FIXED_FIELDS + this.entries.length;
      this.entries.push({ kind, key });
      ofKind.set(key, id);
    }
    return id;
  }

  entry(id: number): { readonly kind: CategoryKind; readonly key: string } | undefined {
    return this.entries[id - FIXED_FIELDS];
  }
}

function pushCount(cells: number[], field: number, value: number | null | undefined): void {
  if (value === undefined || value === 0) return;
  cells.push(field, value === null ? SUPPRESSED : value);
}

function pushStatistic(cells: number[], field: number, value: number | null): void {
  if (value !== null) cells.push(field, value);
}

function pushHistogram(cells: number[], firstField: number, histogram: readonly (number | null)[]): void {
  for (let index = 0; index < histogram.length; index += 1) pushCount(cells, firstField + index, histogram[index]);
}

function pushCategories(cells: number[], table: CategoryTable, kind: CategoryKind, values: Record<string, number | null | undefined>): void {
  for (const key in values) {
    const value = values[key];
    if (value !== undefined && value !== 0) pushCount(cells, table.idOf(kind, key), value);
  }
}

/** Appends the (field, value) cells of a published day; zero counts are left out. */
function encodeDay(figures: PublishedDailyFigures, table: CategoryTable, cells: number[]): void {
  const seconds = figures.sessionSeconds;
  const help = figures.help;
  pushCount(cells, FIELD.sessions, figures.sessions);
  pushCount(cells, FIELD.secondsTotal, seconds.total);
  pushStatistic(cells, FIELD.secondsMedian, seconds.median);
  pushStatistic(cells, FIELD.secondsP90, seconds.p90);
  pushHistogram(cells, FIELD.durationBucket, seconds.histogram);
  pushCount(cells, FIELD.requests, help.requests);
  pushCount(cells, FIELD.acknowledged, help.acknowledged);
  pushCount(cells, FIELD.resolved, help.resolved);
  pushCount(cells, FIELD.cancelled, help.cancelled);
  pushStatistic(cells, FIELD.waitMedian, help.waitSeconds.median);
  pushStatistic(cells, FIELD.waitP90, help.waitSeconds.p90);
  pushHistogram(cells, FIELD.waitBucket, help.waitSeconds.histogram);
  pushCount(cells, FIELD.languageChanges, figures.languageChanges);
  pushCount(cells, FIELD.wipes, figures.wipes.total);
  pushCount(cells, FIELD.unverified, figures.wipes.unverified);
  pushCategories(cells, table, 'end-reason', figures.endReasons);
  pushCategories(cells, table, 'service', figures.serviceOpenings);
  pushCategories(cells, table, 'language', figures.languages);
  pushCategories(cells, table, 'accessibility', figures.accessibility);
}

function isDurationBucket(field: number): boolean {
  return field >= FIELD.durationBucket && field < FIELD.durationBucket + DURATION_BUCKETS;
}

function isWaitBucket(field: number): boolean {
  return field >= FIELD.waitBucket && field < FIELD.waitBucket + WAIT_BUCKETS;
}

/** Where one statistic's days stand: how many had values, and the exact figures of the last one. */
class PercentileState {
  daysWithValues = 0;
  median: number | null = null;
  p90: number | null = null;

  add(hasValues: boolean, median: number | null, p90: number | null): void {
    if (!hasValues) return;
    this.daysWithValues += 1;
    this.median = median;
    this.p90 = p90;
  }
}

/** Sums of kiosk-days: known values and suppressed cells per field. */
class FiguresAccumulator {
  private kioskDays = 0;
  private readonly known: number[] = [];
  private readonly hidden: number[] = [];
  private readonly durations = new PercentileState();
  private readonly waits = new PercentileState();

  constructor(private readonly table: CategoryTable) {}

  clone(): FiguresAccumulator {
    const copy = new FiguresAccumulator(this.table);
    copy.kioskDays = this.kioskDays;
    copy.known.push(...Array.from(this.known, (value) => value ?? 0));
    copy.hidden.push(...Array.from(this.hidden, (value) => value ?? 0));
    Object.assign(copy.durations, this.durations);
    Object.assign(copy.waits, this.waits);
    return copy;
  }

  /** Adds the day encoded at `offset` of `pool`. */
  add(pool: Int32Array, offset: number): void {
    this.kioskDays += 1;
    const cellCount = pool[offset + 1] ?? 0;
    let durationValues = false;
    let waitValues = false;
    let durationMedian: number | null = null;
    let durationP90: number | null = null;
    let waitMedian: number | null = null;
    let waitP90: number | null = null;
    for (let index = 0; index < cellCount; index += 1) {
      const field = pool[offset + 2 + 2 * index] ?? 0;
      const value = pool[offset + 3 + 2 * index] ?? 0;
      if (field === FIELD.secondsMedian) durationMedian = value;
      else if (field === FIELD.secondsP90) durationP90 = value;
      else if (field === FIELD.waitMedian) waitMedian = value;
      else if (field === FIELD.waitP90) waitP90 = value;
      else {
        if (isDurationBucket(field)) durationValues = true;
        else if (isWaitBucket(field)) waitValues = true;
        if (value === SUPPRESSED) this.hidden[field] = (this.hidden[field] ?? 0) + 1;
        else this.known[field] = (this.known[field] ?? 0) + value;
      }
    }
    this.durations.add(durationValues, durationMedian, durationP90);
    this.waits.add(waitValues, waitMedian, waitP90);
  }

  /** A suppressed count is at least 1; a suppressed total of seconds at least 0. */
  private count(field: number, suppressedAs = 1): MergedCount {
    const hidden = this.hidden[field] ?? 0;
    return { value: (this.known[field] ?? 0) + hidden * suppressedAs, atLeast: hidden > 0 };
  }

  private percentiles(state: PercentileState, bounds: readonly number[], firstBucket: number): MergedPercentiles {
    const histogram = bounds.map((_, index) => this.count(firstBucket + index));
    if (state.daysWithValues === 0) return { median: null, p90: null, estimated: false, incomplete: false, histogram };
    if (state.daysWithValues === 1 && state.median !== null && state.p90 !== null) {
      return { median: state.median, p90: state.p90, estimated: false, incomplete: false, histogram };
    }
    const values = histogram.map((count) => count.value);
    return {
      median: estimatePercentile(bounds, values, 0.5),
      p90: estimatePercentile(bounds, values, 0.9),
      estimated: true,
      incomplete: histogram.some((count) => count.atLeast),
      histogram,
    };
  }

  private categories(kind: CategoryKind, order: readonly string[] = []): [string, MergedCount][] {
    const found: [string, MergedCount][] = [];
    const last = Math.max(this.known.length, this.hidden.length);
    for (let field = FIXED_FIELDS; field < last; field += 1) {
      const entry = this.table.entry(field);
      if (!entry || entry.kind !== kind) continue;
      const count = this.count(field);
      if (count.value > 0) found.push([entry.key, count]);
    }
    const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
    return found.sort((a, b) => b[1].value - a[1].value || rank(a[0]) - rank(b[0]) || compareText(a[0], b[0]));
  }

  result(): MergedFigures {
    return {
      kioskDays: this.kioskDays,
      sessions: this.count(FIELD.sessions),
      sessionSeconds: { ...this.percentiles(this.durations, SESSION_SECONDS_BUCKETS, FIELD.durationBucket), total: this.count(FIELD.secondsTotal, 0) },
      endReasons: this.categories('end-reason', SESSION_END_REASONS).map(([reason, count]) => ({ reason: reason as SessionEndReason, count })),
      services: this.categories('service').map(([serviceId, openings]) => ({ serviceId, openings })),
      help: {
        requests: this.count(FIELD.requests),
        acknowledged: this.count(FIELD.acknowledged),
        resolved: this.count(FIELD.resolved),
        cancelled: this.count(FIELD.cancelled),
        waitSeconds: this.percentiles(this.waits, WAIT_SECONDS_BUCKETS, FIELD.waitBucket),
      },
      languages: this.categories('language').map(([language, sessions]) => ({ language, sessions })),
      languageChanges: this.count(FIELD.languageChanges),
      accessibility: this.categories('accessibility', ACCESSIBILITY_OPTIONS).map(([option, sessions]) => ({ option: option as AccessibilityOption, sessions })),
      wipes: { total: this.count(FIELD.wipes), unverified: this.count(FIELD.unverified) },
    };
  }
}

interface KioskEntry {
  name: string;
  site: string;
  exportedAt: string;
  exportedAtMs: number;
  /** Day → offset of its record in the pool. */
  readonly days: Map<string, number>;
  pool: Int32Array;
  used: number;
}

/** Appends the records (already laid out as [minute, cells, pairs…] runs) to the kiosk's pool, growing it to fit exactly. */
function store(kiosk: KioskEntry, records: readonly number[]): number {
  const offset = kiosk.used;
  const needed = kiosk.used + records.length;
  if (needed > kiosk.pool.length) {
    const grown = new Int32Array(needed);
    grown.set(kiosk.pool.subarray(0, kiosk.used));
    kiosk.pool = grown;
  }
  kiosk.pool.set(records, offset);
  kiosk.used = needed;
  return offset;
}

export interface StatisticsMerger {
  /**
   * Adds one export (already checked with parseStatisticsExport); keeps only what the report
   * needs. Throws an Error for a kiosk already completed.
   */
  add(statistics: StatisticsExport): void;
  /**
   * Says every export of this kiosk has been added: its days are summed into the site and
   * network totals and let go. An export of it added later is refused.
   */
  completeKiosk(kioskId: string): void;
  /** The report of everything added so far (it may be asked for again after more exports). */
  report(): MergedReport;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class SeriesAccumulator {
  private readonly days = new Map<string, { known: number; hidden: number; kiosks: number }>();

  clone(): SeriesAccumulator {
    const copy = new SeriesAccumulator();
    for (const [day, point] of this.days) copy.days.set(day, { ...point });
    return copy;
  }

  add(day: string, pool: Int32Array, offset: number): void {
    let point = this.days.get(day);
    if (!point) {
      point = { known: 0, hidden: 0, kiosks: 0 };
      this.days.set(day, point);
    }
    point.kiosks += 1;
    const cellCount = pool[offset + 1] ?? 0;
    for (let index = 0; index < cellCount; index += 1) {
      if (pool[offset + 2 + 2 * index] !== FIELD.sessions) continue;
      const value = pool[offset + 3 + 2 * index] ?? 0;
      if (value === SUPPRESSED) point.hidden += 1;
      else point.known += value;
      break;
    }
  }

  /** Every day from `from` to `to`, zeros included. */
  result(from: string | null, to: string | null): MergedSeriesPoint[] {
    if (from === null || to === null) return [];
    return eachDay(from, to).map((day) => {
      const point = this.days.get(day);
      if (!point) return { day, sessions: { value: 0, atLeast: false }, kiosks: 0 };
      return { day, sessions: { value: point.known + point.hidden, atLeast: point.hidden > 0 }, kiosks: point.kiosks };
    });
  }
}

interface Totals {
  readonly network: FiguresAccumulator;
  readonly networkSeries: SeriesAccumulator;
  readonly sites: Map<string, { figures: FiguresAccumulator; series: SeriesAccumulator; kioskCount: number }>;
  from: string | null;
  to: string | null;
}

function emptyTotals(table: CategoryTable): Totals {
  return { network: new FiguresAccumulator(table), networkSeries: new SeriesAccumulator(), sites: new Map(), from: null, to: null };
}

function cloneTotals(totals: Totals): Totals {
  const sites = new Map<string, { figures: FiguresAccumulator; series: SeriesAccumulator; kioskCount: number }>();
  for (const [label, site] of totals.sites) sites.set(label, { figures: site.figures.clone(), series: site.series.clone(), kioskCount: site.kioskCount });
  return { network: totals.network.clone(), networkSeries: totals.networkSeries.clone(), sites, from: totals.from, to: totals.to };
}

/** Sums one kiosk's kept days into the totals; its own figures, or null when it kept no day. */
function foldKiosk(kioskId: string, kiosk: KioskEntry, totals: Totals, table: CategoryTable): MergedKiosk | null {
  let site = totals.sites.get(kiosk.site);
  if (!site) {
    site = { figures: new FiguresAccumulator(table), series: new SeriesAccumulator(), kioskCount: 0 };
    totals.sites.set(kiosk.site, site);
  }
  site.kioskCount += 1;
  const own = new FiguresAccumulator(table);
  let first: string | null = null;
  let last: string | null = null;
  for (const [day, offset] of kiosk.days) {
    own.add(kiosk.pool, offset);
    site.figures.add(kiosk.pool, offset);
    totals.network.add(kiosk.pool, offset);
    site.series.add(day, kiosk.pool, offset);
    totals.networkSeries.add(day, kiosk.pool, offset);
    if (first === null || day < first) first = day;
    if (last === null || day > last) last = day;
  }
  if (first === null || last === null) return null;
  if (totals.from === null || first < totals.from) totals.from = first;
  if (totals.to === null || last > totals.to) totals.to = last;
  return { kioskId, name: kiosk.name, site: kiosk.site, exportedAt: kiosk.exportedAt, from: first, to: last, figures: own.result() };
}

export function createMerger(): StatisticsMerger {
  const kiosks = new Map<string, KioskEntry>();
  const table = new CategoryTable();
  const thresholds = new Set<number>();
  let exportCount = 0;
  let duplicateKioskDays = 0;
  // Kiosks completed so far: summed into `settled`, their own figures kept.
  const settled = emptyTotals(table);
  const settledKiosks = new Map<string, MergedKiosk | null>();

  return {
    add(statistics) {
      if (settledKiosks.has(statistics.kioskId)) {
        throw new Error(`kiosk ${statistics.kioskId} was already completed: add all of a kiosk's exports before completing it`);
      }
      exportCount += 1;
      thresholds.add(statistics.suppressionThreshold);
      const exportedAtMs = Date.parse(statistics.exportedAt);
      const exportedAtMinute = Math.floor(exportedAtMs / 60_000);
      let kiosk = kiosks.get(statistics.kioskId);
      if (!kiosk) {
        kiosk = { name: statistics.kiosk.name, site: statistics.kiosk.site, exportedAt: statistics.exportedAt, exportedAtMs, days: new Map(), pool: new Int32Array(0), used: 0 };
        kiosks.set(statistics.kioskId, kiosk);
      } else if (exportedAtMs > kiosk.exportedAtMs) {
        kiosk.name = statistics.kiosk.name;
        kiosk.site = statistics.kiosk.site;
        kiosk.exportedAt = statistics.exportedAt;
        kiosk.exportedAtMs = exportedAtMs;
      }
      // Lay out the days this export wins, then store them in one piece.
      const records: number[] = [];
      const placed: [string, number][] = [];
      for (const figures of statistics.days) {
        const kept = kiosk.days.get(figures.day);
        if (kept !== undefined) {
          duplicateKioskDays += 1;
          // The latest export wins; on a tie (the same minute), the one added first stays.
          if (exportedAtMinute <= (kiosk.pool[kept] ?? 0)) continue;
        }
        // [minute, number of cells, pairs…]: the count is filled in once the pairs are known.
        placed.push([figures.day, records.length]);
        const start = records.length;
        records.push(exportedAtMinute, 0);
        encodeDay(figures, table, records);
        records[start + 1] = (records.length - start - 2) / 2;
      }
      const offset = store(kiosk, records);
      for (const [day, at] of placed) kiosk.days.set(day, offset + at);
    },

    completeKiosk(kioskId) {
      const kiosk = kiosks.get(kioskId);
      if (!kiosk) return;
      settledKiosks.set(kioskId, foldKiosk(kioskId, kiosk, settled, table));
      kiosks.delete(kioskId);
    },

    report() {
      const totals = cloneTotals(settled);
      const merged: MergedKiosk[] = [];
      for (const kiosk of settledKiosks.values()) if (kiosk) merged.push(kiosk);
      for (const [kioskId, kiosk] of kiosks) {
        const own = foldKiosk(kioskId, kiosk, totals, table);
        if (own) merged.push(own);
      }
      const { from, to } = totals;
      merged.sort((a, b) => compareText(a.site, b.site) || compareText(a.name, b.name) || compareText(a.kioskId, b.kioskId));
      const siteList: MergedSite[] = [...totals.sites.entries()]
        .sort((a, b) => compareText(a[0], b[0]))
        .map(([label, site]) => ({ site: label, kioskCount: site.kioskCount, figures: site.figures.result(), series: site.series.result(from, to) }));
      return {
        from,
        to,
        exportCount,
        duplicateKioskDays,
        suppressionThresholds: [...thresholds].sort((a, b) => a - b),
        kiosks: merged,
        sites: siteList,
        network: { kioskCount: kiosks.size + settledKiosks.size, siteCount: totals.sites.size, figures: totals.network.result(), series: totals.networkSeries.result(from, to) },
      };
    },
  };
}

/** Merges exports (see the top of this file). */
export function mergeExports(exports: readonly StatisticsExport[]): MergedReport {
  const merger = createMerger();
  for (const statistics of exports) merger.add(statistics);
  return merger.report();
}

export const MERGED_CSV_HEADER = ['scope', 'site', 'kiosk_id', 'kiosk_name', 'day', 'measure', 'key', 'value', 'at_least'] as const;

function countCells(count: MergedCount): [string, string] {
  return [String(count.value), count.atLeast ? 'yes' : 'no'];
}

function statisticCells(value: number | null): [string, string] {
  return [value === null ? '' : String(value), 'no'];
}

/** measure, key, value, at_least rows of merged figures. */
function figureRows(figures: MergedFigures): [string, string, string, string][] {
  const rows: [string, string, string, string][] = [];
  const count = (measure: string, key: string, value: MergedCount) => rows.push([measure, key, ...countCells(value)]);
  const statistic = (measure: string, value: number | null) => rows.push([measure, '', ...statisticCells(value)]);
  rows.push(['kiosk_days', '', String(figures.kioskDays), 'no']);
  count('sessions', '', figures.sessions);
  count('session_seconds_total', '', figures.sessionSeconds.total);
  statistic('session_seconds_median', figures.sessionSeconds.median);
  statistic('session_seconds_p90', figures.sessionSeconds.p90);
  for (const entry of figures.endReasons) count('end_reason', entry.reason, entry.count);
  for (const entry of figures.services) count('service_openings', entry.serviceId, entry.openings);
  count('help_requests', '', figures.help.requests);
  count('help_acknowledged', '', figures.help.acknowledged);
  count('help_resolved', '', figures.help.resolved);
  count('help_cancelled', '', figures.help.cancelled);
  statistic('help_wait_median', figures.help.waitSeconds.median);
  statistic('help_wait_p90', figures.help.waitSeconds.p90);
  for (const entry of figures.languages) count('language', entry.language, entry.sessions);
  count('language_changes', '', figures.languageChanges);
  for (const entry of figures.accessibility) count('accessibility', entry.option, entry.sessions);
  count('wipes', '', figures.wipes.total);
  count('wipes_unverified', '', figures.wipes.unverified);
  return rows;
}

/**
 * The merged CSV, header first (unquoted: csvText quotes them). Scopes: 'network', 'site'
 * and 'kiosk'. For the network and each site, one 'sessions' row per day; for the network,
 * each site and each kiosk, every measure over the whole period, with the day column
 * holding the period as 'from/to' (ISO 8601 interval).
 */
export function mergedCsvRows(report: MergedReport): string[][] {
  const rows: string[][] = [[...MERGED_CSV_HEADER]];
  if (report.from === null || report.to === null) return rows;
  const period = `${report.from}/${report.to}`;
  for (const point of report.network.series) rows.push(['network', '', '', '', point.day, 'sessions', '', ...countCells(point.sessions)]);
  rows.push(['network', '', '', '', period, 'kiosks', '', String(report.network.kioskCount), 'no']);
  for (const row of figureRows(report.network.figures)) rows.push(['network', '', '', '', period, ...row]);
  for (const site of report.sites) {
    for (const point of site.series) rows.push(['site', site.site, '', '', point.day, 'sessions', '', ...countCells(point.sessions)]);
    rows.push(['site', site.site, '', '', period, 'kiosks', '', String(site.kioskCount), 'no']);
    for (const row of figureRows(site.figures)) rows.push(['site', site.site, '', '', period, ...row]);
  }
  for (const kiosk of report.kiosks) {
    const kioskPeriod = `${kiosk.from}/${kiosk.to}`;
    for (const row of figureRows(kiosk.figures)) rows.push(['kiosk', kiosk.site, kiosk.kioskId, kiosk.name, kioskPeriod, ...row]);
  }
  return rows;
}

/** The merged CSV as text (CRLF, quoted, formula-safe). */
export function mergedToCsv(report: MergedReport): string {
  return csvText(mergedCsvRows(report));
}
