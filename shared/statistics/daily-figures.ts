/**
 * Daily figures: what one kiosk's raw usage events of one (local) day add up to.
 *
 * The usage store hands the raw events of a day to `rollUpDay` and keeps the result for
 * good; the raw events themselves are deleted after the retention period. Periods
 * (`combineFigures`, period.ts) and exports (export-format.ts) are built from daily
 * figures only, never from raw events. docs/statistics.md describes every measure.
 */
import { z } from 'zod';
import type { SessionEndReason } from '../contract';
import type { LanguageCode } from '../languages';
import { LanguageCodeSchema, ServiceIdSchema } from '../config/schema';
import { AccessibilityOptionSchema, UsageEndReasonSchema, type AccessibilityOption, type UsageEvent } from '../usage-events';
import { DaySchema } from './calendar';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS, estimatePercentile, histogramOf, mergeHistograms, nearestRank } from './percentiles';

/** A raw event as the usage store keeps it and hands it over for the roll-up. */
export interface StoredEvent {
  /** The kiosk's local day, 'YYYY-MM-DD'. */
  readonly day: string;
  /** When, in epoch minutes (UTC). */
  readonly minute: number;
  /** Random per session, never reused, never exported. */
  readonly sessionKey: string;
  readonly event: UsageEvent;
}

export const CountSchema = z
  .number({ error: 'must be a count' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' });

const secondsValue = z
  .number({ error: 'must be a number of seconds' })
  .int({ error: 'must be a whole number of seconds' })
  .min(0, { error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' });

const histogramSchema = (bounds: readonly number[], what: string) =>
  z.array(CountSchema, { error: `must be a list of ${bounds.length} counts (the ${what} histogram)` }).length(bounds.length, { error: `must have exactly ${bounds.length} buckets (the ${what} histogram)` });

export const DailyFiguresSchema = z
  .object({
    day: DaySchema,
    /** Sessions started that day. */
    sessions: CountSchema,
    /** Of the sessions that ended that day. */
    sessionSeconds: z
      .object({ total: secondsValue, median: secondsValue.nullable(), p90: secondsValue.nullable(), histogram: histogramSchema(SESSION_SECONDS_BUCKETS, 'session length') })
      .strict(),
    endReasons: z.partialRecord(UsageEndReasonSchema, CountSchema),
    /** Openings per service id. */
    serviceOpenings: z.record(ServiceIdSchema, CountSchema),
    help: z
      .object({
        requests: CountSchema,
        acknowledged: CountSchema,
        resolved: CountSchema,
        cancelled: CountSchema,
        /** Wait until a helper acknowledged. */
        waitSeconds: z
          .object({ median: secondsValue.nullable(), p90: secondsValue.nullable(), histogram: histogramSchema(WAIT_SECONDS_BUCKETS, 'help waiting time') })
          .strict(),
      })
      .strict(),
    /** Sessions started per language. */
    languages: z.partialRecord(LanguageCodeSchema, CountSchema),
    languageChanges: CountSchema,
    /** Sessions in which the option was turned on (at least once). */
    accessibility: z.partialRecord(AccessibilityOptionSchema, CountSchema),
    wipes: z.object({ total: CountSchema, unverified: CountSchema }).strict(),
  })
  .strict();

export type DailyFigures = z.infer<typeof DailyFiguresSchema>;

/** A day on which nothing happened. */
export function emptyDailyFigures(day: string): DailyFigures {
  return {
    day,
    sessions: 0,
    sessionSeconds: { total: 0, median: null, p90: null, histogram: new Array<number>(SESSION_SECONDS_BUCKETS.length).fill(0) },
    endReasons: {},
    serviceOpenings: {},
    help: { requests: 0, acknowledged: 0, resolved: 0, cancelled: 0, waitSeconds: { median: null, p90: null, histogram: new Array<number>(WAIT_SECONDS_BUCKETS.length).fill(0) } },
    languages: {},
    languageChanges: 0,
    accessibility: {},
    wipes: { total: 0, unverified: 0 },
  };
}

function increment<K extends string>(record: Partial<Record<K, number>>, key: K, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/**
 * The figures of `day` from the raw events (events of other days are ignored). Pure.
 * Medians and 90th percentiles are exact (nearest rank, see percentiles.ts).
 */
export function rollUpDay(day: string, events: readonly StoredEvent[]): DailyFigures {
  const figures = emptyDailyFigures(day);
  const durations: number[] = [];
  const waits: number[] = [];
  const accessibilitySessions = new Map<AccessibilityOption, Set<string>>();
  const endReasons: Partial<Record<SessionEndReason, number>> = {};
  const languages: Partial<Record<LanguageCode, number>> = {};
  const serviceOpenings: Record<string, number> = {};
  for (const stored of events) {
    if (stored.day !== day) continue;
    const event = stored.event;
    switch (event.type) {
      case 'session-started':
        figures.sessions += 1;
        increment(languages, event.language);
        break;
      case 'session-ended':
        durations.push(Math.max(0, Math.round(event.durationSeconds)));
        increment(endReasons, event.reason);
        break;
      case 'service-opened':
        increment(serviceOpenings, event.serviceId);
        break;
      case 'help-requested':
        figures.help.requests += 1;
        break;
      case 'help-acknowledged':
        figures.help.acknowledged += 1;
        waits.push(Math.max(0, Math.round(event.waitSeconds)));
        break;
      case 'help-resolved':
        figures.help.resolved += 1;
        break;
      case 'help-cancelled':
        figures.help.cancelled += 1;
        break;
      case 'language-changed':
        figures.languageChanges += 1;
        break;
      case 'accessibility-on': {
        const sessions = accessibilitySessions.get(event.option) ?? new Set<string>();
        sessions.add(stored.sessionKey);
        accessibilitySessions.set(event.option, sessions);
        break;
      }
      case 'wipe-done':
        figures.wipes.total += 1;
        if (!event.verified) figures.wipes.unverified += 1;
        break;
    }
  }
  figures.sessionSeconds = {
    total: durations.reduce((sum, value) => sum + value, 0),
    median: nearestRank(durations, 0.5),
    p90: nearestRank(durations, 0.9),
    histogram: histogramOf(SESSION_SECONDS_BUCKETS, durations),
  };
  figures.help.waitSeconds = { median: nearestRank(waits, 0.5), p90: nearestRank(waits, 0.9), histogram: histogramOf(WAIT_SECONDS_BUCKETS, waits) };
  figures.endReasons = endReasons;
  figures.languages = languages;
  figures.serviceOpenings = serviceOpenings;
  for (const [option, sessions] of accessibilitySessions) figures.accessibility[option] = sessions.size;
  return figures;
}

/** Figures summed over several days. */
export interface PeriodFigures {
  /** How many daily figures were combined. */
  dayCount: number;
  sessions: number;
  sessionSeconds: { total: number; median: number | null; p90: number | null; histogram: number[]; /** True when median and p90 come from the merged histogram. */ estimated: boolean };
  endReasons: Partial<Record<SessionEndReason, number>>;
  serviceOpenings: Record<string, number>;
  help: {
    requests: number;
    acknowledged: number;
    resolved: number;
    cancelled: number;
    waitSeconds: { median: number | null; p90: number | null; histogram: number[]; estimated: boolean };
  };
  languages: Partial<Record<LanguageCode, number>>;
  languageChanges: number;
  accessibility: Partial<Record<AccessibilityOption, number>>;
  wipes: { total: number; unverified: number };
}

function sumRecords<K extends string>(records: readonly Partial<Record<K, number>>[]): Partial<Record<K, number>> {
  const sum: Partial<Record<K, number>> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record) as [K, number | undefined][]) {
      if (value !== undefined) increment(sum, key, value);
    }
  }
  return sum;
}

function count(histogram: readonly number[]): number {
  return histogram.reduce((sum, value) => sum + value, 0);
}

/**
 * Percentiles of a period: exact when only one day has values (that day's exact figures),
 * otherwise estimated from the merged histogram.
 */
function periodPercentiles(
  bounds: readonly number[],
  parts: readonly { median: number | null; p90: number | null; histogram: readonly number[] }[],
): { median: number | null; p90: number | null; histogram: number[]; estimated: boolean } {
  const histogram = mergeHistograms(bounds.length, parts.map((part) => part.histogram));
  const withValues = parts.filter((part) => count(part.histogram) > 0);
  const only = withValues[0];
  if (withValues.length === 1 && only) return { median: only.median, p90: only.p90, histogram, estimated: false };
  if (withValues.length === 0) return { median: null, p90: null, histogram, estimated: false };
  return { median: estimatePercentile(bounds, histogram, 0.5), p90: estimatePercentile(bounds, histogram, 0.9), histogram, estimated: true };
}

/** Sums of several days' figures, with merged histograms (each day should appear once). Pure. */
export function combineFigures(days: readonly DailyFigures[]): PeriodFigures {
  const sum = (pick: (figures: DailyFigures) => number) => days.reduce((total, figures) => total + pick(figures), 0);
  const sessionSeconds = periodPercentiles(SESSION_SECONDS_BUCKETS, days.map((figures) => figures.sessionSeconds));
  const waitSeconds = periodPercentiles(WAIT_SECONDS_BUCKETS, days.map((figures) => figures.help.waitSeconds));
  return {
    dayCount: days.length,
    sessions: sum((figures) => figures.sessions),
    sessionSeconds: { ...sessionSeconds, total: sum((figures) => figures.sessionSeconds.total) },
    endReasons: sumRecords(days.map((figures) => figures.endReasons)),
    serviceOpenings: sumRecords<string>(days.map((figures) => figures.serviceOpenings)) as Record<string, number>,
    help: {
      requests: sum((figures) => figures.help.requests),
      acknowledged: sum((figures) => figures.help.acknowledged),
      resolved: sum((figures) => figures.help.resolved),
      cancelled: sum((figures) => figures.help.cancelled),
      waitSeconds,
    },
    languages: sumRecords(days.map((figures) => figures.languages)),
    languageChanges: sum((figures) => figures.languageChanges),
    accessibility: sumRecords(days.map((figures) => figures.accessibility)),
    wipes: { total: sum((figures) => figures.wipes.total), unverified: sum((figures) => figures.wipes.unverified) },
  };
}
