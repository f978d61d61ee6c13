/**
 * The statistics of a period, as the staff's statistics screen shows them: a series of
 * sessions per day or per ISO week (every bucket present, zeros included), durations,
 * end reasons, top services, help and its waiting times, languages, accessibility
 * options and wipes. Built from daily figures only. Pure.
 */
import { z } from 'zod';
import type { SessionEndReason } from '../contract';
import type { LanguageCode } from '../languages';
import { LanguageCodeSchema, ServiceIdSchema } from '../config/schema';
import { AccessibilityOptionSchema, UsageEndReasonSchema, type AccessibilityOption } from '../usage-events';
import { DaySchema, addDays, daysBetween, eachDay, isoWeekOf, parseDay } from './calendar';
import { CountSchema, combineFigures, type DailyFigures } from './daily-figures';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS } from './percentiles';

/** The longest period the statistics answer for: three years, one of them a leap year. */
export const MAX_PERIOD_DAYS = 3 * 365 + 1;

const dateRangeShape = { from: DaySchema, to: DaySchema };

function checkRange(range: { from: string; to: string }, context: z.core.$RefinementCtx): void {
  if (!parseDay(range.from) || !parseDay(range.to)) return; // already reported by DaySchema
  const span = daysBetween(range.from, range.to);
  if (span < 0) context.addIssue({ code: 'custom', path: ['to'], message: `must not be before "from" (${range.from})` });
  else if (span + 1 > MAX_PERIOD_DAYS) context.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_PERIOD_DAYS} days (three years) after "from", counting both days` });
}

/** A period of days, both included: from ≤ to, at most three years. */
export const DateRangeSchema = z.object(dateRangeShape, { error: 'must be a period: {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}' }).strict().superRefine(checkRange);
export type DateRange = z.infer<typeof DateRangeSchema>;

export const GroupBySchema = z.enum(['day', 'week'], { error: 'must be "day" or "week"' });
export type GroupBy = z.infer<typeof GroupBySchema>;

/** What the statistics screen asks for: a period and how to group its series. */
export const PeriodQuerySchema = z
  .object({ ...dateRangeShape, groupBy: GroupBySchema }, { error: 'must be a period and a grouping: {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "groupBy": "day"}' })
  .strict()
  .superRefine(checkRange);
export type PeriodQuery = z.infer<typeof PeriodQuerySchema>;

const secondsOrNull = z.number().int().min(0).nullable();

export const PeriodSummarySchema = z
  .object({
    from: DaySchema,
    to: DaySchema,
    groupBy: GroupBySchema,
    /** Days in the period (to − from + 1). */
    dayCount: z.number().int().min(1),
    /** Sessions started per day or per ISO week, in order, every bucket present. A week is clipped to the period. */
    series: z.array(z.object({ key: z.string(), from: DaySchema, to: DaySchema, sessions: CountSchema }).strict()),
    sessions: CountSchema,
    sessionSeconds: z
      .object({ total: CountSchema, median: secondsOrNull, p90: secondsOrNull, estimated: z.boolean(), histogram: z.array(CountSchema).length(SESSION_SECONDS_BUCKETS.length) })
      .strict(),
    /** Non-zero entries only, most frequent first (ties by name), here and in the lists below. */
    endReasons: z.array(z.object({ reason: UsageEndReasonSchema, count: CountSchema }).strict()),
    services: z.array(z.object({ serviceId: ServiceIdSchema, openings: CountSchema }).strict()),
    help: z
      .object({
        requests: CountSchema,
        acknowledged: CountSchema,
        resolved: CountSchema,
        cancelled: CountSchema,
        waitSeconds: z
          .object({ median: secondsOrNull, p90: secondsOrNull, estimated: z.boolean(), histogram: z.array(CountSchema).length(WAIT_SECONDS_BUCKETS.length) })
          .strict(),
      })
      .strict(),
    languages: z.array(z.object({ language: LanguageCodeSchema, sessions: CountSchema }).strict()),
    languageChanges: CountSchema,
    accessibility: z.array(z.object({ option: AccessibilityOptionSchema, sessions: CountSchema }).strict()),
    wipes: z.object({ total: CountSchema, unverified: CountSchema }).strict(),
  })
  .strict();
export type PeriodSummary = z.infer<typeof PeriodSummarySchema>;

/** Non-zero entries, most frequent first, ties by key. */
export function rankEntries<K extends string>(record: Partial<Record<K, number>>): [K, number][] {
  return (Object.entries(record) as [K, number | undefined][])
    .filter((entry): entry is [K, number] => entry[1] !== undefined && entry[1] > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function requireRange(query: PeriodQuery): void {
  const checked = PeriodQuerySchema.safeParse(query);
  if (!checked.success) {
    const problem = checked.error.issues[0];
    throw new RangeError(`not a period the statistics can answer for: ${problem ? `${problem.path.join('.') || 'period'} ${problem.message}` : 'invalid'}`);
  }
}

/**
 * The statistics of [from, to] (both included) from daily figures; days outside the period
 * are ignored, days without figures count as zero. Throws a RangeError on a period that
 * PeriodQuerySchema refuses.
 */
export function summarizePeriod(days: readonly DailyFigures[], query: PeriodQuery): PeriodSummary {
  requireRange(query);
  const { from, to, groupBy } = query;
  const inPeriod = days.filter((figures) => figures.day >= from && figures.day <= to);
  const sessionsByDay = new Map<string, number>();
  for (const figures of inPeriod) sessionsByDay.set(figures.day, (sessionsByDay.get(figures.day) ?? 0) + figures.sessions);

  const series: PeriodSummary['series'] = [];
  if (groupBy === 'day') {
    for (const day of eachDay(from, to)) series.push({ key: day, from: day, to: day, sessions: sessionsByDay.get(day) ?? 0 });
  } else {
    let monday = isoWeekOf(from).monday;
    while (monday <= to) {
      const week = isoWeekOf(monday);
      const first = week.monday < from ? from : week.monday;
      const last = week.sunday > to ? to : week.sunday;
      let sessions = 0;
      for (const day of eachDay(first, last)) sessions += sessionsByDay.get(day) ?? 0;
      series.push({ key: week.key, from: first, to: last, sessions });
      monday = addDays(monday, 7);
    }
  }

  const combined = combineFigures(inPeriod);
  return {
    from,
    to,
    groupBy,
    dayCount: daysBetween(from, to) + 1,
    series,
    sessions: combined.sessions,
    sessionSeconds: {
      total: combined.sessionSeconds.total,
      median: combined.sessionSeconds.median,
      p90: combined.sessionSeconds.p90,
      estimated: combined.sessionSeconds.estimated,
      histogram: combined.sessionSeconds.histogram,
    },
    endReasons: rankEntries<SessionEndReason>(combined.endReasons).map(([reason, count]) => ({ reason, count })),
    services: rankEntries<string>(combined.serviceOpenings).map(([serviceId, openings]) => ({ serviceId, openings })),
    help: {
      requests: combined.help.requests,
      acknowledged: combined.help.acknowledged,
      resolved: combined.help.resolved,
      cancelled: combined.help.cancelled,
      waitSeconds: { ...combined.help.waitSeconds },
    },
    languages: rankEntries<LanguageCode>(combined.languages).map(([language, sessions]) => ({ language, sessions })),
    languageChanges: combined.languageChanges,
    accessibility: rankEntries<AccessibilityOption>(combined.accessibility).map(([option, sessions]) => ({ option, sessions })),
    wipes: combined.wipes,
  };
}
