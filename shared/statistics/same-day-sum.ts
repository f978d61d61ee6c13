/**
 * The figures of many kiosks on one calendar day, summed as they arrive: a site's or a
 * network's day. Streaming on purpose: a network hub adds each kiosk-day once and keeps
 * one running sum per day, so a year of a 1,600-kiosk network is queried from 365 rows
 * instead of 584,000 (bench/usage-store-benchmarks.ts measures both).
 *
 * Counts and histogram buckets add up exactly. Medians and 90th percentiles cannot be
 * added: they come from the summed histograms (percentiles.ts), except for a day with a
 * single kiosk with values, whose exact figures are kept.
 */
import { emptyDailyFigures, type DailyFigures } from './daily-figures';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS, estimatePercentile } from './percentiles';

export interface SameDaySum {
  /** Adds one kiosk's figures of this day. Figures of another day are refused. */
  add(figures: DailyFigures): void;
  /** The sum so far, as the figures of one day. */
  result(): DailyFigures;
}

function addRecord(into: Record<string, number | undefined>, from: Readonly<Record<string, number | undefined>>): void {
  for (const [key, value] of Object.entries(from)) {
    if (value !== undefined) into[key] = (into[key] ?? 0) + value;
  }
}

function addHistogram(into: number[], from: readonly number[]): void {
  from.forEach((count, index) => {
    into[index] = (into[index] ?? 0) + count;
  });
}

function hasValues(histogram: readonly number[]): boolean {
  return histogram.some((count) => count > 0);
}

export function sumOfSameDay(day: string): SameDaySum {
  const sum = emptyDailyFigures(day);
  let lastSessionsWithValues: DailyFigures['sessionSeconds'] | null = null;
  let sessionKiosksWithValues = 0;
  let lastWaitsWithValues: DailyFigures['help']['waitSeconds'] | null = null;
  let waitKiosksWithValues = 0;

  return {
    add(figures) {
      if (figures.day !== day) throw new RangeError(`figures of ${figures.day} cannot be added to the sum of ${day}`);
      sum.sessions += figures.sessions;
      sum.sessionSeconds.total += figures.sessionSeconds.total;
      addHistogram(sum.sessionSeconds.histogram, figures.sessionSeconds.histogram);
      addRecord(sum.endReasons, figures.endReasons);
      addRecord(sum.serviceOpenings, figures.serviceOpenings);
      sum.help.requests += figures.help.requests;
      sum.help.acknowledged += figures.help.acknowledged;
      sum.help.resolved += figures.help.resolved;
      sum.help.cancelled += figures.help.cancelled;
      addHistogram(sum.help.waitSeconds.histogram, figures.help.waitSeconds.histogram);
      addRecord(sum.languages, figures.languages);
      sum.languageChanges += figures.languageChanges;
      addRecord(sum.accessibility, figures.accessibility);
      sum.wipes.total += figures.wipes.total;
      sum.wipes.unverified += figures.wipes.unverified;
      if (hasValues(figures.sessionSeconds.histogram)) {
        sessionKiosksWithValues += 1;
        lastSessionsWithValues = figures.sessionSeconds;
      }
      if (hasValues(figures.help.waitSeconds.histogram)) {
        waitKiosksWithValues += 1;
        lastWaitsWithValues = figures.help.waitSeconds;
      }
    },
    result() {
      const exactSessions = sessionKiosksWithValues === 1 ? lastSessionsWithValues : null;
      const exactWaits = waitKiosksWithValues === 1 ? lastWaitsWithValues : null;
      return {
        ...sum,
        sessionSeconds: {
          ...sum.sessionSeconds,
          histogram: [...sum.sessionSeconds.histogram],
          median: exactSessions?.median ?? estimatePercentile(SESSION_SECONDS_BUCKETS, sum.sessionSeconds.histogram, 0.5),
          p90: exactSessions?.p90 ?? estimatePercentile(SESSION_SECONDS_BUCKETS, sum.sessionSeconds.histogram, 0.9),
        },
        endReasons: { ...sum.endReasons },
        serviceOpenings: { ...sum.serviceOpenings },
        help: {
          ...sum.help,
          waitSeconds: {
            histogram: [...sum.help.waitSeconds.histogram],
            median: exactWaits?.median ?? estimatePercentile(WAIT_SECONDS_BUCKETS, sum.help.waitSeconds.histogram, 0.5),
            p90: exactWaits?.p90 ?? estimatePercentile(WAIT_SECONDS_BUCKETS, sum.help.waitSeconds.histogram, 0.9),
          },
        },
        languages: { ...sum.languages },
        accessibility: { ...sum.accessibility },
        wipes: { ...sum.wipes },
      };
    },
  };
}
