/**
 * Small-count suppression: what may leave the PC. docs/statistics.md states the rules;
 * in short, with threshold k:
 *
 * 1. Primary: a count from 1 to k − 1 is suppressed (published as null). 0 stays 0.
 * 2. Statistics of values (total, median and p90 of session lengths; median and p90 of
 *    help waits) are suppressed when fewer than k values are behind them.
 * 3. Complementary: in every group of cells whose total is published, a suppressed cell
 *    must not be recomputable from the total and the other cells. When a group has
 *    exactly one suppressed cell, or when its suppressed cells must all be 1 (the total
 *    minus the published cells equals their number), the smallest non-zero published
 *    cell of the group is suppressed too (ties: the first by name or bucket order); when
 *    no cell is left to suppress, the total is suppressed. A suppressed total whose
 *    parts are all published would be their sum: then its smallest non-zero part is
 *    suppressed. This is repeated until nothing changes.
 *
 * Groups: languages = sessions; end reasons against sessions; the session-length
 * histogram against sessions; end reasons and the session-length histogram against each
 * other (both add up to the sessions that ended); help acknowledged, resolved and
 * cancelled against help requests; the wait histogram = acknowledged; service openings;
 * accessibility options (these last two have no published total, and are treated as if
 * they had one: one suppressed opening is never left alone).
 */
import { z } from 'zod';
import { ServiceIdSchema } from '../config/schema';
import { AccessibilityOptionSchema, UsageEndReasonSchema } from '../usage-events';
import { DaySchema } from './calendar';
import { CountSchema, type DailyFigures } from './daily-figures';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS } from './percentiles';

export const MIN_SUPPRESSION_THRESHOLD = 2;
export const MAX_SUPPRESSION_THRESHOLD = 20;

export const SuppressionThresholdSchema = z
  .number({ error: 'must be a number, for example 3' })
  .int({ error: 'must be a whole number' })
  .min(MIN_SUPPRESSION_THRESHOLD, { error: `must be at least ${MIN_SUPPRESSION_THRESHOLD}` })
  .max(MAX_SUPPRESSION_THRESHOLD, { error: `must be at most ${MAX_SUPPRESSION_THRESHOLD}` });

/** The largest count one kiosk can publish for one day: far above any real day (a PC sees at most a few hundred sessions). */
export const MAX_PUBLISHED_COUNT = 1_000_000;
/** The largest number of seconds one kiosk can publish for one day (a total of session lengths). */
export const MAX_PUBLISHED_SECONDS = 2_000_000_000;

/** A published count: a number, or null when suppressed. */
const PublishedCountSchema = CountSchema.max(MAX_PUBLISHED_COUNT, { error: `must be at most ${MAX_PUBLISHED_COUNT} for one kiosk and day` }).nullable();
/** A published statistic in seconds: null when suppressed or when there was no value. */
const PublishedSecondsSchema = CountSchema.max(MAX_PUBLISHED_SECONDS, { error: `must be at most ${MAX_PUBLISHED_SECONDS} seconds for one kiosk and day` }).nullable();

/** A language code as exports write it (ISO 639-1 or 639-3; a later kiosk may speak more languages). */
export const LanguageTagSchema = z.string().regex(/^[a-z]{2,3}$/, { error: 'must be a language code such as "fr"' });

const publishedHistogram = (bounds: readonly number[], what: string) =>
  z
    .array(PublishedCountSchema, { error: `must be a list of ${bounds.length} counts or nulls (the ${what} histogram)` })
    .length(bounds.length, { error: `must have exactly ${bounds.length} buckets (the ${what} histogram)` });

/** Daily figures as they leave the PC: every count a number or null (suppressed). */
export const PublishedDailyFiguresSchema = z
  .object({
    day: DaySchema,
    sessions: PublishedCountSchema,
    sessionSeconds: z
      .object({
        total: PublishedSecondsSchema,
        median: PublishedSecondsSchema,
        p90: PublishedSecondsSchema,
        histogram: publishedHistogram(SESSION_SECONDS_BUCKETS, 'session length'),
      })
      .strict(),
    endReasons: z.partialRecord(UsageEndReasonSchema, PublishedCountSchema),
    serviceOpenings: z.record(ServiceIdSchema, PublishedCountSchema),
    help: z
      .object({
        requests: PublishedCountSchema,
        acknowledged: PublishedCountSchema,
        resolved: PublishedCountSchema,
        cancelled: PublishedCountSchema,
        waitSeconds: z
          .object({ median: PublishedSecondsSchema, p90: PublishedSecondsSchema, histogram: publishedHistogram(WAIT_SECONDS_BUCKETS, 'help waiting time') })
          .strict(),
      })
      .strict(),
    languages: z.record(LanguageTagSchema, PublishedCountSchema),
    languageChanges: PublishedCountSchema,
    accessibility: z.partialRecord(AccessibilityOptionSchema, PublishedCountSchema),
    wipes: z.object({ total: PublishedCountSchema, unverified: PublishedCountSchema }).strict(),
  })
  .strict();
export type PublishedDailyFigures = z.infer<typeof PublishedDailyFiguresSchema>;

interface Cell {
  readonly value: number;
  /** Tie-break among cells of equal value: the first by this name. */
  readonly name: string;
  suppressed: boolean;
}

type GroupTotal =
  /** A published (or suppressed) cell. */
  | { readonly kind: 'cell'; readonly cell: Cell }
  /** Not published anywhere, but protected as if it were. */
  | { readonly kind: 'implicit' }
  /** Not published, but known when every cell of the other partition is published. */
  | { readonly kind: 'other-partition'; readonly cells: readonly Cell[] };

interface Group {
  readonly parts: readonly Cell[];
  readonly total: GroupTotal;
}

function cellOf(value: number, name: string): Cell {
  return { value, name, suppressed: false };
}

function sumOf(cells: readonly Cell[]): number {
  return cells.reduce((sum, cell) => sum + cell.value, 0);
}

function smallestPublished(cells: readonly Cell[]): Cell | undefined {
  let best: Cell | undefined;
  for (const cell of cells) {
    if (cell.suppressed || cell.value === 0) continue;
    if (!best || cell.value < best.value || (cell.value === best.value && cell.name < best.name)) best = cell;
  }
  return best;
}

/** One pass of the complementary rule over a group; true when it suppressed a cell. */
function protect(group: Group): boolean {
  const suppressed = group.parts.filter((cell) => cell.suppressed);
  const published = group.parts.filter((cell) => !cell.suppressed);
  const { total } = group;

  if (total.kind === 'cell' && total.cell.suppressed) {
    // A suppressed total is the sum of its parts when they are all published.
    if (suppressed.length === 0 && total.cell.value > 0 && sumOf(group.parts) === total.cell.value) {
      const part = smallestPublished(group.parts);
      if (part) {
        part.suppressed = true;
        return true;
      }
    }
    return false;
  }
  if (suppressed.length === 0) return false;

  // The group's total: its value, or null for an implicit total (protected, value unknown).
  let known: number | null;
  if (total.kind === 'cell') known = total.cell.value;
  else if (total.kind === 'implicit') known = null;
  else if (total.cells.some((cell) => cell.suppressed)) return false; // not known: nothing can be recomputed from it
  else known = sumOf(total.cells);

  const remainder = known === null ? null : known - sumOf(published);
  const disclosed = suppressed.length === 1 || (remainder !== null && remainder === suppressed.length);
  if (!disclosed) return false;

  const next = smallestPublished(group.parts);
  if (next) {
    next.suppressed = true;
    return true;
  }
  // Nothing left in the group: hide the total, when the group really adds up to it.
  const exact = known !== null && sumOf(group.parts) === known;
  if (!exact) return false;
  if (total.kind === 'cell') {
    total.cell.suppressed = true;
    return true;
  }
  if (total.kind === 'other-partition') {
    const other = smallestPublished(total.cells);
    if (other) {
      other.suppressed = true;
      return true;
    }
  }
  return false;
}

function recordCells<K extends string>(prefix: string, record: Partial<Record<K, number>>): Map<K, Cell> {
  const cells = new Map<K, Cell>();
  for (const [key, value] of Object.entries(record) as [K, number | undefined][]) {
    if (value !== undefined) cells.set(key, cellOf(value, `${prefix}.${key}`));
  }
  return cells;
}

function histogramCells(prefix: string, histogram: readonly number[]): Cell[] {
  // Bucket names sort in bucket order.
  return histogram.map((value, index) => cellOf(value, `${prefix}.${String(index).padStart(3, '0')}`));
}

function publish(cell: Cell): number | null {
  return cell.suppressed ? null : cell.value;
}

function publishRecord<K extends string>(cells: Map<K, Cell>): Partial<Record<K, number | null>> {
  const record: Partial<Record<K, number | null>> = {};
  for (const [key, cell] of cells) record[key] = publish(cell);
  return record;
}

function requireThreshold(threshold: number): void {
  if (!SuppressionThresholdSchema.safeParse(threshold).success) {
    throw new RangeError(`the suppression threshold must be a whole number from ${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD}, not ${threshold}`);
  }
}

/** The day's figures as they may be published with threshold k (see the top of this file). Pure. */
export function suppressCounts(figures: DailyFigures, threshold: number): PublishedDailyFigures {
  requireThreshold(threshold);
  const sessions = cellOf(figures.sessions, 'sessions');
  const durationBuckets = histogramCells('session-seconds', figures.sessionSeconds.histogram);
  const endReasons = recordCells('end-reason', figures.endReasons);
  const services = recordCells('service', figures.serviceOpenings);
  const languages = recordCells('language', figures.languages);
  const accessibility = recordCells('accessibility', figures.accessibility);
  const requests = cellOf(figures.help.requests, 'help.requests');
  const acknowledged = cellOf(figures.help.acknowledged, 'help.acknowledged');
  const resolved = cellOf(figures.help.resolved, 'help.resolved');
  const cancelled = cellOf(figures.help.cancelled, 'help.cancelled');
  const waitBuckets = histogramCells('wait-seconds', figures.help.waitSeconds.histogram);
  const languageChanges = cellOf(figures.languageChanges, 'language-changes');
  const wipes = cellOf(figures.wipes.total, 'wipes');
  const unverified = cellOf(figures.wipes.unverified, 'wipes.unverified');

  const endReasonCells = [...endReasons.values()];
  const counts: Cell[] = [
    sessions,
    ...durationBuckets,
    ...endReasonCells,
    ...services.values(),
    ...languages.values(),
    ...accessibility.values(),
    requests,
    acknowledged,
    resolved,
    cancelled,
    ...waitBuckets,
    languageChanges,
    wipes,
    unverified,
  ];
  for (const cell of counts) cell.suppressed = cell.value >= 1 && cell.value < threshold;

  const groups: Group[] = [
    { parts: [...languages.values()], total: { kind: 'cell', cell: sessions } },
    { parts: endReasonCells, total: { kind: 'cell', cell: sessions } },
    { parts: durationBuckets, total: { kind: 'cell', cell: sessions } },
    { parts: endReasonCells, total: { kind: 'other-partition', cells: durationBuckets } },
    { parts: durationBuckets, total: { kind: 'other-partition', cells: endReasonCells } },
    { parts: [acknowledged, resolved, cancelled], total: { kind: 'cell', cell: requests } },
    { parts: waitBuckets, total: { kind: 'cell', cell: acknowledged } },
    { parts: [...services.values()], total: { kind: 'implicit' } },
    { parts: [...accessibility.values()], total: { kind: 'implicit' } },
  ];
  let changed = true;
  while (changed) {
    changed = false;
    for (const group of groups) if (protect(group)) changed = true;
  }

  const ended = figures.sessionSeconds.histogram.reduce((sum, value) => sum + value, 0);
  const waited = figures.help.waitSeconds.histogram.reduce((sum, value) => sum + value, 0);
  const durationsShown = ended === 0 || ended >= threshold;
  const waitsShown = waited === 0 || waited >= threshold;
  return {
    day: figures.day,
    sessions: publish(sessions),
    sessionSeconds: {
      total: durationsShown ? figures.sessionSeconds.total : null,
      median: durationsShown ? figures.sessionSeconds.median : null,
      p90: durationsShown ? figures.sessionSeconds.p90 : null,
      histogram: durationBuckets.map(publish),
    },
    endReasons: publishRecord(endReasons),
    serviceOpenings: publishRecord(services) as Record<string, number | null>,
    help: {
      requests: publish(requests),
      acknowledged: publish(acknowledged),
      resolved: publish(resolved),
      cancelled: publish(cancelled),
      waitSeconds: {
        median: waitsShown ? figures.help.waitSeconds.median : null,
        p90: waitsShown ? figures.help.waitSeconds.p90 : null,
        histogram: waitBuckets.map(publish),
      },
    },
    languages: publishRecord(languages) as Record<string, number | null>,
    languageChanges: publish(languageChanges),
    accessibility: publishRecord(accessibility),
    wipes: { total: publish(wipes), unverified: publish(unverified) },
  };
}
