/**
 * Day arithmetic on 'YYYY-MM-DD' strings must not depend on the host's time zone: the
 * same checks run under several zones, including ones with daylight-saving changes and
 * offsets far from UTC.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  DaySchema,
  addDays,
  dayFromNumber,
  dayNumber,
  dayOfEpochMinute,
  daysBetween,
  daysInMonth,
  eachDay,
  isValidDay,
  isoWeekOf,
  isoWeekday,
  parseDay,
} from '../../../shared/statistics/calendar';

const ORIGINAL_TZ = process.env.TZ;
afterAll(() => {
  if (ORIGINAL_TZ === undefined) delete process.env.TZ;
  else process.env.TZ = ORIGINAL_TZ;
});

const ZONES = ['UTC', 'Europe/Brussels', 'America/St_Johns', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe'];

describe('parseDay', () => {
  it('accepts real calendar days only', () => {
    expect(parseDay('2025-03-14')).toEqual({ year: 2025, month: 3, day: 14 });
    expect(isValidDay('2024-02-29')).toBe(true);
    expect(isValidDay('2000-02-29')).toBe(true);
    for (const text of ['2025-02-29', '2100-02-29', '2025-13-01', '2025-00-10', '2025-01-00', '2025-04-31', '2025-1-01', '25-01-01', '2025-01-01T00:00', ' 2025-01-01', '1999-12-31', '3000-01-01', '']) {
      expect(isValidDay(text), text).toBe(false);
    }
    expect(isValidDay(20250101)).toBe(false);
  });

  it('knows the length of every month, leap years included', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((month) => daysInMonth(2023, month))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('gives DaySchema a message that shows the expected form', () => {
    const result = DaySchema.safeParse('14/03/2025');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/YYYY-MM-DD/);
  });
});

for (const zone of ZONES) {
  describe(`day arithmetic with the host in ${zone}`, () => {
    it('counts days from 1970-01-01 and back, across DST changes and year ends', () => {
      process.env.TZ = zone;
      expect(dayNumber('2000-01-01')).toBe(10_957);
      expect(dayFromNumber(10_957)).toBe('2000-01-01');
      expect(addDays('2025-03-29', 1)).toBe('2025-03-30');
      expect(addDays('2025-03-30', 1)).toBe('2025-03-31');
      expect(addDays('2025-10-26', 1)).toBe('2025-10-27');
      expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
      expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
      expect(daysBetween('2025-01-01', '2025-12-31')).toBe(364);
      expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
      expect(daysBetween('2025-03-31', '2025-03-01')).toBe(-30);
      const march = eachDay('2025-03-28', '2025-04-01');
      expect(march).toEqual(['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01']);
      expect(eachDay('2025-03-02', '2025-03-01')).toEqual([]);
      expect(eachDay('2025-03-02', '2025-03-02')).toEqual(['2025-03-02']);
    });

    it('round-trips every day of 2000 to 2040', () => {
      process.env.TZ = zone;
      const first = dayNumber('2000-01-01');
      const last = dayNumber('2040-12-31');
      let previous = '';
      for (let number = first; number <= last; number += 1) {
        const day = dayFromNumber(number);
        expect(day > previous).toBe(true);
        if (dayNumber(day) !== number) throw new Error(`${day} does not map back to ${number}`);
        previous = day;
      }
      expect(last - first + 1).toBe(41 * 365 + 11); // 11 leap days: 2000, 2004, …, 2040
    });

    it('finds ISO weeks, including weeks 53 and weeks that straddle a new year', () => {
      process.env.TZ = zone;
      expect(isoWeekOf('2021-01-03')).toMatchObject({ year: 2020, week: 53, key: '2020-W53', monday: '2020-12-28', sunday: '2021-01-03' });
      expect(isoWeekOf('2021-01-04')).toMatchObject({ key: '2021-W01', monday: '2021-01-04' });
      expect(isoWeekOf('2024-12-30')).toMatchObject({ year: 2025, week: 1, key: '2025-W01', monday: '2024-12-30', sunday: '2025-01-05' });
      expect(isoWeekOf('2026-12-31').key).toBe('2026-W53');
      expect(isoWeekOf('2027-01-03').key).toBe('2026-W53');
      expect(isoWeekOf('2027-01-04').key).toBe('2027-W01');
      expect(isoWeekOf('2025-03-30')).toMatchObject({ key: '2025-W13', monday: '2025-03-24', sunday: '2025-03-30' });
      expect(isoWeekday('2025-03-14')).toBe(5); // a Friday
      expect(isoWeekday('2025-03-16')).toBe(7); // a Sunday
      expect(isoWeekday('2025-03-17')).toBe(1); // a Monday
    });
  });
}

describe('isoWeekOf against the ordinal-date rule', () => {
  it('agrees on every day of 2001 to 2040', () => {
    process.env.TZ = 'Europe/Brussels';
    // ISO 8601: week = floor((ordinal − weekday + 10) / 7); 0 means the last week of the
    // previous year, and 53 means week 1 of the next year when that year has only 52.
    const weeksIn = (year: number) => {
      const jan1 = isoWeekday(`${year}-01-01`);
      const leap = daysInMonth(year, 2) === 29;
      return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
    };
    for (const day of eachDay('2001-01-01', '2040-12-31')) {
      const year = Number(day.slice(0, 4));
      const ordinal = daysBetween(`${year}-01-01`, day) + 1;
      let week = Math.floor((ordinal - isoWeekday(day) + 10) / 7);
      let weekYear = year;
      if (week === 0) {
        weekYear = year - 1;
        week = weeksIn(weekYear);
      } else if (week === 53 && weeksIn(year) === 52) {
        weekYear = year + 1;
        week = 1;
      }
      const found = isoWeekOf(day);
      if (found.year !== weekYear || found.week !== week) throw new Error(`${day}: expected ${weekYear}-W${week}, got ${found.key}`);
      expect(isoWeekday(found.monday)).toBe(1);
    }
  });
});

describe('dayOfEpochMinute', () => {
  it('gives the local day from the offset the caller knows', () => {
    const minute = (iso: string) => Date.parse(iso) / 60_000;
    expect(dayOfEpochMinute(minute('2025-03-14T23:30:00Z'), 0)).toBe('2025-03-14');
    expect(dayOfEpochMinute(minute('2025-03-14T23:30:00Z'), 60)).toBe('2025-03-15');
    expect(dayOfEpochMinute(minute('2025-03-14T22:59:00Z'), 60)).toBe('2025-03-14');
    expect(dayOfEpochMinute(minute('2025-03-14T23:00:00Z'), 60)).toBe('2025-03-15');
    expect(dayOfEpochMinute(minute('2025-03-15T02:00:00Z'), -180)).toBe('2025-03-14');
  });

  it('throws a clear error on a string that is not a day', () => {
    expect(() => dayNumber('2025-02-30')).toThrow(/not a day/);
  });
});
