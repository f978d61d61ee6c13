/**
 * A period's statistics for the staff screen: every day or week present, ranking of
 * services and languages, the edges of the period and of the allowed range.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/statistics/calendar';
import { emptyDailyFigures, rollUpDay, type DailyFigures, type StoredEvent } from '../../../shared/statistics/daily-figures';
import { DateRangeSchema, MAX_PERIOD_DAYS, PeriodQuerySchema, PeriodSummarySchema, rankEntries, summarizePeriod } from '../../../shared/statistics/period';
import type { UsageEvent } from '../../../shared/usage-events';

function day(date: string, sessions: number, extra: UsageEvent[] = []): DailyFigures {
  const events: StoredEvent[] = [];
  for (let index = 0; index < sessions; index += 1) {
    events.push({ day: date, minute: index, sessionKey: `${date}-${index}`, event: { type: 'session-started', language: 'fr' } });
    events.push({ day: date, minute: index, sessionKey: `${date}-${index}`, event: { type: 'session-ended', reason: 'visitor', durationSeconds: 600 } });
  }
  for (const event of extra) events.push({ day: date, minute: 0, sessionKey: 'x', event });
  return rollUpDay(date, events);
}

describe('DateRangeSchema', () => {
  it('takes one day, and up to three years counting both ends', () => {
    expect(DateRangeSchema.safeParse({ from: '2025-03-14', to: '2025-03-14' }).success).toBe(true);
    const longest = { from: '2024-01-01', to: addDays('2024-01-01', MAX_PERIOD_DAYS - 1) };
    expect(DateRangeSchema.safeParse(longest).success).toBe(true);
    const tooLong = DateRangeSchema.safeParse({ from: '2024-01-01', to: addDays('2024-01-01', MAX_PERIOD_DAYS) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]).toMatchObject({ path: ['to'] });
    expect(tooLong.error?.issues[0]?.message).toMatch(/three years/);
  });

  it('refuses an end before the start, a false day and an extra field', () => {
    const reversed = DateRangeSchema.safeParse({ from: '2025-03-14', to: '2025-03-13' });
    expect(reversed.success).toBe(false);
    expect(reversed.error?.issues[0]?.message).toMatch(/not be before/);
    expect(DateRangeSchema.safeParse({ from: '2025-02-29', to: '2025-03-13' }).success).toBe(false);
    expect(DateRangeSchema.safeParse({ from: '2025-03-01', to: '2025-03-13', kiosk: 'x' }).success).toBe(false);
    expect(PeriodQuerySchema.safeParse({ from: '2025-03-01', to: '2025-03-13', groupBy: 'month' }).success).toBe(false);
    expect(PeriodQuerySchema.safeParse({ from: '2025-03-01', to: '2025-03-13', groupBy: 'week' }).success).toBe(true);
  });
});

describe('summarizePeriod', () => {
  it('lists every day of the period, zeros included, and ignores days outside it', () => {
    const days = [day('2025-02-28', 9), day('2025-03-01', 2), day('2025-03-03', 5), day('2025-03-05', 7)];
    const summary = summarizePeriod(days, { from: '2025-03-01', to: '2025-03-04', groupBy: 'day' });
    expect(summary.series).toEqual([
      { key: '2025-03-01', from: '2025-03-01', to: '2025-03-01', sessions: 2 },
      { key: '2025-03-02', from: '2025-03-02', to: '2025-03-02', sessions: 0 },
      { key: '2025-03-03', from: '2025-03-03', to: '2025-03-03', sessions: 5 },
      { key: '2025-03-04', from: '2025-03-04', to: '2025-03-04', sessions: 0 },
    ]);
    expect(summary.sessions).toBe(7);
    expect(summary.dayCount).toBe(4);
    expect(summary.sessionSeconds).toMatchObject({ total: 7 * 600, estimated: true });
    expect(PeriodSummarySchema.parse(summary)).toEqual(summary);
  });

  it('groups by ISO week, clipping the first and last week to the period, across a new year', () => {
    const days = [day('2024-12-29', 1), day('2024-12-30', 2), day('2025-01-05', 3), day('2025-01-06', 4), day('2025-01-07', 8)];
    const summary = summarizePeriod(days, { from: '2024-12-29', to: '2025-01-06', groupBy: 'week' });
    expect(summary.series).toEqual([
      { key: '2024-W52', from: '2024-12-29', to: '2024-12-29', sessions: 1 },
      { key: '2025-W01', from: '2024-12-30', to: '2025-01-05', sessions: 5 },
      { key: '2025-W02', from: '2025-01-06', to: '2025-01-06', sessions: 4 },
    ]);
    expect(summary.sessions).toBe(10);
  });

  it('has one bucket for a one-day period and a week of zeros for a week without figures', () => {
    expect(summarizePeriod([], { from: '2025-03-14', to: '2025-03-14', groupBy: 'day' }).series).toEqual([{ key: '2025-03-14', from: '2025-03-14', to: '2025-03-14', sessions: 0 }]);
    const weeks = summarizePeriod([], { from: '2025-03-10', to: '2025-03-23', groupBy: 'week' });
    expect(weeks.series.map((point) => [point.key, point.sessions])).toEqual([
      ['2025-W11', 0],
      ['2025-W12', 0],
    ]);
    expect(weeks.sessionSeconds).toMatchObject({ total: 0, median: null, p90: null });
    expect(weeks.services).toEqual([]);
  });

  it('ranks services by openings, ties by id, and lists only what happened', () => {
    const opened = (serviceId: string, times: number): UsageEvent[] => Array.from({ length: times }, () => ({ type: 'service-opened', serviceId }));
    const days = [day('2025-03-10', 1, [...opened('tax-on-web', 3), ...opened('cpas', 1)]), day('2025-03-11', 1, [...opened('bank', 4), ...opened('cpas', 3)])];
    const summary = summarizePeriod(days, { from: '2025-03-10', to: '2025-03-11', groupBy: 'day' });
    expect(summary.services).toEqual([
      { serviceId: 'bank', openings: 4 },
      { serviceId: 'cpas', openings: 4 },
      { serviceId: 'tax-on-web', openings: 3 },
    ]);
    expect(summary.endReasons).toEqual([{ reason: 'visitor', count: 2 }]);
    expect(summary.languages).toEqual([{ language: 'fr', sessions: 2 }]);
    expect(rankEntries({ a: 0, b: 2, c: 2, d: 5 })).toEqual([
      ['d', 5],
      ['b', 2],
      ['c', 2],
    ]);
  });

  it('carries help, waits, accessibility and wipes through', () => {
    const events: UsageEvent[] = [
      { type: 'help-requested', serviceId: null },
      { type: 'help-requested', serviceId: 'cpas' },
      { type: 'help-acknowledged', waitSeconds: 90 },
      { type: 'help-resolved', waitSeconds: 500 },
      { type: 'help-cancelled', waitSeconds: 10 },
      { type: 'accessibility-on', option: 'high-contrast' },
      { type: 'wipe-done', durationMs: 1000, verified: false, attempt: 1 },
      { type: 'language-changed', language: 'de' },
    ];
    const summary = summarizePeriod([day('2025-03-10', 1, events)], { from: '2025-03-10', to: '2025-03-10', groupBy: 'day' });
    expect(summary.help).toMatchObject({ requests: 2, acknowledged: 1, resolved: 1, cancelled: 1, waitSeconds: { median: 90, p90: 90, estimated: false } });
    expect(summary.accessibility).toEqual([{ option: 'high-contrast', sessions: 1 }]);
    expect(summary.wipes).toEqual({ total: 1, unverified: 1 });
    expect(summary.languageChanges).toBe(1);
  });

  it('refuses a period the schema refuses', () => {
    expect(() => summarizePeriod([emptyDailyFigures('2025-03-10')], { from: '2025-03-11', to: '2025-03-10', groupBy: 'day' })).toThrow(RangeError);
    expect(() => summarizePeriod([], { from: '2020-01-01', to: '2025-01-01', groupBy: 'week' })).toThrow(/three years/);
  });

  it('answers for a full three-year period with every day and every week', () => {
    const from = '2023-01-01';
    const to = addDays(from, MAX_PERIOD_DAYS - 1);
    const byDay = summarizePeriod([day(from, 1), day(to, 2)], { from, to, groupBy: 'day' });
    expect(byDay.series).toHaveLength(MAX_PERIOD_DAYS);
    expect(byDay.series[0]?.sessions).toBe(1);
    expect(byDay.series.at(-1)?.sessions).toBe(2);
    const byWeek = summarizePeriod([day(from, 1), day(to, 2)], { from, to, groupBy: 'week' });
    expect(byWeek.series.reduce((sum, point) => sum + point.sessions, 0)).toBe(3);
    expect(byWeek.series[0]?.from).toBe(from);
    expect(byWeek.series.at(-1)?.to).toBe(to);
    // Consecutive weeks: each starts the day after the previous one ends.
    for (let index = 1; index < byWeek.series.length; index += 1) expect(byWeek.series[index]?.from).toBe(addDays(byWeek.series[index - 1]?.to ?? '', 1));
  });
});
