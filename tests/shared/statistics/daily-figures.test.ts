/**
 * The roll-up of a day's raw events, and the sums of several days.
 */
import { describe, expect, it } from 'vitest';
import {
  DailyFiguresSchema,
  combineFigures,
  emptyDailyFigures,
  rollUpDay,
  type DailyFigures,
  type StoredEvent,
} from '../../../shared/statistics/daily-figures';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS, bucketIndex, histogramOf, nearestRank } from '../../../shared/statistics/percentiles';
import type { UsageEvent } from '../../../shared/usage-events';
import { randomDayEvents, seeded } from './generate';

const DAY = '2025-03-14';
let minute = 29_000_000;
function at(day: string, sessionKey: string, event: UsageEvent): StoredEvent {
  minute += 1;
  return { day, minute, sessionKey, event };
}

describe('rollUpDay', () => {
  it('gives an empty day for no events, valid for the schema', () => {
    const figures = rollUpDay(DAY, []);
    expect(figures).toEqual(emptyDailyFigures(DAY));
    expect(figures.sessionSeconds).toEqual({ total: 0, median: null, p90: null, histogram: new Array(SESSION_SECONDS_BUCKETS.length).fill(0) });
    expect(DailyFiguresSchema.parse(figures)).toEqual(figures);
  });

  it('counts every measure of a small day', () => {
    const events: StoredEvent[] = [
      at(DAY, 'a', { type: 'session-started', language: 'fr' }),
      at(DAY, 'a', { type: 'service-opened', serviceId: 'tax-on-web' }),
      at(DAY, 'a', { type: 'service-opened', serviceId: 'tax-on-web' }),
      at(DAY, 'a', { type: 'accessibility-on', option: 'larger-text' }),
      at(DAY, 'a', { type: 'accessibility-on', option: 'larger-text' }), // same session: counted once
      at(DAY, 'a', { type: 'help-requested', serviceId: 'tax-on-web' }),
      at(DAY, 'a', { type: 'help-acknowledged', waitSeconds: 45 }),
      at(DAY, 'a', { type: 'help-resolved', waitSeconds: 400 }),
      at(DAY, 'a', { type: 'session-ended', reason: 'visitor', durationSeconds: 900 }),
      at(DAY, '', { type: 'wipe-done', durationMs: 2000, verified: true, attempt: 1 }),
      at(DAY, 'b', { type: 'session-started', language: 'nl' }),
      at(DAY, 'b', { type: 'language-changed', language: 'fr' }),
      at(DAY, 'b', { type: 'accessibility-on', option: 'larger-text' }),
      at(DAY, 'b', { type: 'accessibility-on', option: 'read-aloud' }),
      at(DAY, 'b', { type: 'service-opened', serviceId: 'my-pension' }),
      at(DAY, 'b', { type: 'help-requested', serviceId: null }),
      at(DAY, 'b', { type: 'help-cancelled', waitSeconds: 30 }),
      at(DAY, 'b', { type: 'session-ended', reason: 'idle', durationSeconds: 61 }),
      at(DAY, '', { type: 'wipe-done', durationMs: 2000, verified: false, attempt: 1 }),
      at(DAY, '', { type: 'wipe-done', durationMs: 3000, verified: true, attempt: 2 }),
    ];
    const figures = rollUpDay(DAY, events);
    expect(figures).toEqual({
      day: DAY,
      sessions: 2,
      sessionSeconds: { total: 961, median: 61, p90: 900, histogram: histogramOf(SESSION_SECONDS_BUCKETS, [900, 61]) },
      endReasons: { visitor: 1, idle: 1 },
      serviceOpenings: { 'tax-on-web': 2, 'my-pension': 1 },
      help: { requests: 2, acknowledged: 1, resolved: 1, cancelled: 1, waitSeconds: { median: 45, p90: 45, histogram: histogramOf(WAIT_SECONDS_BUCKETS, [45]) } },
      languages: { fr: 1, nl: 1 },
      languageChanges: 1,
      accessibility: { 'larger-text': 2, 'read-aloud': 1 },
      wipes: { total: 3, unverified: 1 },
    });
    expect(figures.sessionSeconds.histogram[bucketIndex(SESSION_SECONDS_BUCKETS, 900)]).toBe(1);
    expect(DailyFiguresSchema.safeParse(figures).success).toBe(true);
  });

  it('ignores the events of other days: a session that crosses midnight starts on one day and ends on the next', () => {
    const events = [
      at('2025-03-13', 'late', { type: 'session-started', language: 'de' }),
      at('2025-03-14', 'late', { type: 'session-ended', reason: 'max-length', durationSeconds: 7200 }),
      at('2025-03-15', 'next', { type: 'session-started', language: 'en' }),
    ];
    const thirteenth = rollUpDay('2025-03-13', events);
    const fourteenth = rollUpDay('2025-03-14', events);
    expect(thirteenth.sessions).toBe(1);
    expect(thirteenth.languages).toEqual({ de: 1 });
    expect(thirteenth.sessionSeconds.median).toBeNull();
    expect(fourteenth.sessions).toBe(0);
    expect(fourteenth.endReasons).toEqual({ 'max-length': 1 });
    expect(fourteenth.sessionSeconds).toMatchObject({ total: 7200, median: 7200, p90: 7200 });
    expect(rollUpDay('2025-03-16', events)).toEqual(emptyDailyFigures('2025-03-16'));
  });

  it('takes the exact nearest-rank median and p90 of the day’s values', () => {
    const durations = [300, 10, 50, 7200, 600, 600, 45, 900, 1800, 20, 3000];
    const events = durations.map((durationSeconds, index) => at(DAY, `s${index}`, { type: 'session-ended', reason: 'visitor', durationSeconds }));
    const figures = rollUpDay(DAY, events);
    expect(figures.sessionSeconds.median).toBe(600); // rank 6 of 11
    expect(figures.sessionSeconds.p90).toBe(3000); // rank 10 of 11
    expect(figures.sessionSeconds.total).toBe(durations.reduce((a, b) => a + b, 0));
    const waits = [10, 20];
    const helped = rollUpDay(DAY, waits.map((waitSeconds) => at(DAY, 'x', { type: 'help-acknowledged', waitSeconds })));
    expect(helped.help.waitSeconds).toMatchObject({ median: 10, p90: 20 });
  });

  it('agrees with the measures recomputed from the events, over many generated days', () => {
    const random = seeded(11);
    for (let trial = 0; trial < 200; trial += 1) {
      const events = randomDayEvents(random, DAY);
      const figures = rollUpDay(DAY, events);
      const of = <T extends UsageEvent['type']>(type: T) => events.map((stored) => stored.event).filter((event): event is Extract<UsageEvent, { type: T }> => event.type === type);
      const ended = of('session-ended').map((event) => event.durationSeconds);
      expect(figures.sessions).toBe(of('session-started').length);
      expect(Object.values(figures.languages).reduce((a, b) => a + (b ?? 0), 0)).toBe(figures.sessions);
      expect(Object.values(figures.endReasons).reduce((a, b) => a + (b ?? 0), 0)).toBe(ended.length);
      expect(figures.sessionSeconds.histogram.reduce((a, b) => a + b, 0)).toBe(ended.length);
      expect(figures.sessionSeconds.median).toBe(nearestRank(ended, 0.5));
      expect(figures.help.waitSeconds.histogram.reduce((a, b) => a + b, 0)).toBe(figures.help.acknowledged);
      expect(Object.values(figures.serviceOpenings).reduce((a, b) => a + b, 0)).toBe(of('service-opened').length);
      expect(DailyFiguresSchema.safeParse(figures).success).toBe(true);
    }
  });
});

describe('DailyFiguresSchema', () => {
  it('refuses a histogram of the wrong length, a negative count and an unknown language', () => {
    const good = emptyDailyFigures(DAY);
    expect(DailyFiguresSchema.safeParse({ ...good, sessionSeconds: { ...good.sessionSeconds, histogram: [0] } }).success).toBe(false);
    expect(DailyFiguresSchema.safeParse({ ...good, sessions: -1 }).success).toBe(false);
    expect(DailyFiguresSchema.safeParse({ ...good, languages: { xx: 1 } }).success).toBe(false);
    expect(DailyFiguresSchema.safeParse({ ...good, day: '2025-02-30' }).success).toBe(false);
    expect(DailyFiguresSchema.safeParse({ ...good, url: 'https://example.org' }).success).toBe(false);
  });
});

describe('combineFigures', () => {
  function dayWith(day: string, durations: number[], waits: number[] = []): DailyFigures {
    return rollUpDay(day, [
      ...durations.map((durationSeconds, index) => at(day, `${day}-${index}`, { type: 'session-started', language: index % 2 ? 'fr' : 'nl' })),
      ...durations.map((durationSeconds, index) => at(day, `${day}-${index}`, { type: 'session-ended', reason: index % 3 ? 'visitor' : 'idle', durationSeconds })),
      ...durations.map((_, index) => at(day, `${day}-${index}`, { type: 'service-opened', serviceId: index % 2 ? 'bank' : 'cpas' })),
      ...waits.map((waitSeconds) => at(day, 'h', { type: 'help-acknowledged', waitSeconds })),
    ]);
  }

  it('is zero for no days', () => {
    const none = combineFigures([]);
    expect(none.dayCount).toBe(0);
    expect(none.sessions).toBe(0);
    expect(none.sessionSeconds).toMatchObject({ total: 0, median: null, p90: null, estimated: false });
  });

  it('sums counts and histograms', () => {
    const a = dayWith('2025-03-10', [100, 200, 300], [20]);
    const b = dayWith('2025-03-11', [4000, 50], [40, 700]);
    const combined = combineFigures([a, b]);
    expect(combined.dayCount).toBe(2);
    expect(combined.sessions).toBe(5);
    expect(combined.sessionSeconds.total).toBe(4650);
    expect(combined.sessionSeconds.histogram).toEqual(histogramOf(SESSION_SECONDS_BUCKETS, [100, 200, 300, 4000, 50]));
    expect(combined.endReasons).toEqual({ idle: 2, visitor: 3 });
    expect(combined.serviceOpenings).toEqual({ cpas: 3, bank: 2 });
    expect(combined.languages).toEqual({ nl: 3, fr: 2 });
    expect(combined.help.acknowledged).toBe(3);
    expect(combined.help.waitSeconds.histogram).toEqual(histogramOf(WAIT_SECONDS_BUCKETS, [20, 40, 700]));
  });

  it('keeps the exact percentiles when one day has values, and estimates them from the histogram otherwise', () => {
    const one = dayWith('2025-03-10', [100, 200, 7000]);
    const quiet = dayWith('2025-03-11', []);
    const alone = combineFigures([one, quiet]);
    expect(alone.sessionSeconds).toMatchObject({ median: 200, p90: 7000, estimated: false });

    const other = dayWith('2025-03-12', [130, 150]);
    const both = combineFigures([one, quiet, other]);
    // Values 100, 130, 150, 200, 7000: median rank 3 falls in [120, 300), which holds 130, 150 and 200.
    expect(both.sessionSeconds.estimated).toBe(true);
    expect(both.sessionSeconds.median).toBe(Math.round(120 + (180 * (3 - 1 - 0.5)) / 3));
    expect(both.sessionSeconds.p90).toBe(Math.round(5400 + (1800 * (5 - 4 - 0.5)) / 1));
    expect(both.help.waitSeconds).toMatchObject({ median: null, p90: null, estimated: false });
  });
});
