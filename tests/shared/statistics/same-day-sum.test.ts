import { describe, expect, it } from 'vitest';
import { combineFigures, emptyDailyFigures, rollUpDay, type DailyFigures, type StoredEvent } from '../../../shared/statistics/daily-figures';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS, estimatePercentile } from '../../../shared/statistics/percentiles';
import { sumOfSameDay } from '../../../shared/statistics/same-day-sum';
import { randomDayEvents, seeded } from './generate';

const DAY = '2026-03-10';

/** Each kiosk's events get their own session keys, as on separate PCs. */
function kioskEvents(random: () => number, kiosk: number): StoredEvent[] {
  return randomDayEvents(random, DAY).map((stored) => ({ ...stored, sessionKey: `k${kiosk}-${stored.sessionKey}` }));
}

function sumOf(figures: readonly DailyFigures[]): DailyFigures {
  const sum = sumOfSameDay(DAY);
  for (const kioskDay of figures) sum.add(kioskDay);
  return sum.result();
}

describe('the figures of many kiosks on one day', () => {
  it.each([1, 2, 7])('adds every count of %i kiosks exactly, as if one kiosk had recorded all their events', (seed) => {
    const random = seeded(seed);
    const perKiosk = Array.from({ length: 12 }, (_, kiosk) => kioskEvents(random, kiosk));
    const summed = sumOf(perKiosk.map((events) => rollUpDay(DAY, events)));
    const together = rollUpDay(DAY, perKiosk.flat());

    expect(summed.sessions).toBe(together.sessions);
    expect(summed.sessionSeconds.total).toBe(together.sessionSeconds.total);
    expect(summed.sessionSeconds.histogram).toEqual(together.sessionSeconds.histogram);
    expect(summed.endReasons).toEqual(together.endReasons);
    expect(summed.serviceOpenings).toEqual(together.serviceOpenings);
    expect(summed.help).toMatchObject({
      requests: together.help.requests,
      acknowledged: together.help.acknowledged,
      resolved: together.help.resolved,
      cancelled: together.help.cancelled,
    });
    expect(summed.help.waitSeconds.histogram).toEqual(together.help.waitSeconds.histogram);
    expect(summed.languages).toEqual(together.languages);
    expect(summed.languageChanges).toBe(together.languageChanges);
    expect(summed.accessibility).toEqual(together.accessibility);
    expect(summed.wipes).toEqual(together.wipes);
  });

  it('estimates the median and 90th percentile from the summed histograms when several kiosks have values', () => {
    const random = seeded(11);
    const kioskDays = Array.from({ length: 5 }, (_, kiosk) => rollUpDay(DAY, kioskEvents(random, kiosk)));
    const summed = sumOf(kioskDays);
    const combined = combineFigures(kioskDays);
    expect(summed.sessionSeconds.median).toBe(estimatePercentile(SESSION_SECONDS_BUCKETS, summed.sessionSeconds.histogram, 0.5));
    expect(summed.sessionSeconds.p90).toBe(estimatePercentile(SESSION_SECONDS_BUCKETS, summed.sessionSeconds.histogram, 0.9));
    expect(summed.help.waitSeconds.median).toBe(estimatePercentile(WAIT_SECONDS_BUCKETS, summed.help.waitSeconds.histogram, 0.5));
    // The same estimate combineFigures gives for the same kiosk-days.
    expect(summed.sessionSeconds.median).toBe(combined.sessionSeconds.median);
    expect(summed.help.waitSeconds.p90).toBe(combined.help.waitSeconds.p90);
  });

  it('keeps the exact median and 90th percentile when a single kiosk had values that day', () => {
    const random = seeded(5);
    let busy = rollUpDay(DAY, kioskEvents(random, 1));
    for (let attempt = 0; busy.sessionSeconds.median === null; attempt += 1) busy = rollUpDay(DAY, kioskEvents(random, attempt + 2));
    const summed = sumOf([emptyDailyFigures(DAY), busy, emptyDailyFigures(DAY)]);
    expect(summed.sessionSeconds.median).toBe(busy.sessionSeconds.median);
    expect(summed.sessionSeconds.p90).toBe(busy.sessionSeconds.p90);
  });

  it('gives an empty day with no percentile when nothing was added', () => {
    expect(sumOf([])).toEqual(emptyDailyFigures(DAY));
  });

  it('refuses figures of another day rather than mixing days', () => {
    const sum = sumOfSameDay(DAY);
    expect(() => sum.add(emptyDailyFigures('2026-03-11'))).toThrow(/2026-03-11.*2026-03-10/);
    expect(sum.result()).toEqual(emptyDailyFigures(DAY));
  });

  it('hands out copies: adding more later does not change a result already taken', () => {
    const random = seeded(3);
    const sum = sumOfSameDay(DAY);
    sum.add(rollUpDay(DAY, kioskEvents(random, 1)));
    const first = sum.result();
    const firstCopy = structuredClone(first);
    sum.add(rollUpDay(DAY, kioskEvents(random, 2)));
    expect(first).toEqual(firstCopy);
  });
});
