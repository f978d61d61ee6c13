/**
 * The site's figures as the hub publishes them (the sum of all its kiosks per day, small
 * counts suppressed, shared/statistics/suppression.ts) turned into what the statistics
 * tab shows. A suppressed count is unknown but at least 1 (a 0 is never suppressed): a
 * total that includes one is a lower bound, "at least", as in the coordinators' report
 * (shared/statistics/merge.ts).
 */
import { eachDay } from '../../../shared/statistics/calendar';
import type { HubStatisticsSummary } from '../../../shared/hub-api';

/** A sum of published counts: exact, or (atLeast) a lower bound because hidden counts were in it. */
export interface Total {
  readonly value: number;
  readonly atLeast: boolean;
}

export function totalOf(counts: Iterable<number | null>): Total {
  let value = 0;
  let atLeast = false;
  for (const count of counts) {
    if (count === null) {
      value += 1;
      atLeast = true;
    } else {
      value += count;
    }
  }
  return { value, atLeast };
}

/** A published figure of one day: a value, hidden (suppressed), or none at all (nothing to measure). */
export type DayFigure = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'hidden' } | { readonly kind: 'none' };

export interface HubDay {
  readonly day: string;
  readonly sessions: DayFigure;
  readonly helpRequests: DayFigure;
  /** Seconds: half of the visitors helped that day waited at most this long. */
  readonly medianWait: DayFigure;
}

const count = (value: number | null): DayFigure => (value === null ? { kind: 'hidden' } : { kind: 'value', value });

/** Every day of the period, in order; a day without figures is a day with none of anything. */
export function hubDays(summary: HubStatisticsSummary): HubDay[] {
  const published = new Map(summary.days.map((figures) => [figures.day, figures]));
  return eachDay(summary.from, summary.to).map((day) => {
    const figures = published.get(day);
    if (figures === undefined) return { day, sessions: { kind: 'value', value: 0 }, helpRequests: { kind: 'value', value: 0 }, medianWait: { kind: 'none' } };
    const { median } = figures.help.waitSeconds;
    // No median because nobody was answered that day, or because it is hidden.
    const medianWait: DayFigure = median !== null ? { kind: 'value', value: median } : figures.help.acknowledged === 0 ? { kind: 'none' } : { kind: 'hidden' };
    return { day, sessions: count(figures.sessions), helpRequests: count(figures.help.requests), medianWait };
  });
}

export interface HubTotals {
  readonly sessions: Total;
  readonly helpRequests: Total;
  readonly answered: Total;
}

export function hubTotals(summary: HubStatisticsSummary): HubTotals {
  return {
    sessions: totalOf(summary.days.map((figures) => figures.sessions)),
    helpRequests: totalOf(summary.days.map((figures) => figures.help.requests)),
    answered: totalOf(summary.days.map((figures) => figures.help.acknowledged)),
  };
}
