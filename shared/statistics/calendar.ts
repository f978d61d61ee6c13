/**
 * Calendar arithmetic on 'YYYY-MM-DD' day strings, independent of the host's time zone:
 * a day is turned into a count of days since 1970-01-01 with Date.UTC and back with the
 * getUTC… methods, never with local-time methods, so a kiosk in Brussels and a
 * coordinator's laptop anywhere agree on every day, week and period.
 */
import { z } from 'zod';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Years a statistics day may fall in. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2999;

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The parts of a 'YYYY-MM-DD' day, or null when it is not a real calendar day in FIRST_YEAR..LAST_YEAR. */
export function parseDay(text: string): CalendarDate | null {
  const match = DAY_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isValidDay(text: unknown): text is string {
  return typeof text === 'string' && parseDay(text) !== null;
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (UTC, so no time zone can shift it).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A 'YYYY-MM-DD' day: a real calendar day between 2000 and 2999. */
export const DaySchema = z
  .string({ error: 'must be a day written YYYY-MM-DD, for example "2025-03-14"' })
  .refine((text) => parseDay(text) !== null, { error: `must be a real calendar day written YYYY-MM-DD between ${FIRST_YEAR} and ${LAST_YEAR}, for example "2025-03-14"` });

function requireDay(text: string): CalendarDate {
  const parts = parseDay(text);
  if (!parts) throw new RangeError(`"${text}" is not a day written YYYY-MM-DD`);
  return parts;
}

/** Days since 1970-01-01 (day 0). Throws a RangeError on a string that is not a day. */
export function dayNumber(text: string): number {
  const { year, month, day } = requireDay(text);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The 'YYYY-MM-DD' day of a day number (days since 1970-01-01). */
export function dayFromNumber(number: number): string {
  if (!Number.isInteger(number)) throw new RangeError(`a day number is a whole number, not ${number}`);
  const date = new Date(number * MS_PER_DAY);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

export function addDays(day: string, count: number): string {
  return dayFromNumber(dayNumber(day) + count);
}

/** How many days from `from` to `to` (0 for the same day, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Every day from `from` to `to`, both included (empty when `to` is before `from`). */
export function eachDay(from: string, to: string): string[] {
  const first = dayNumber(from);
  const last = dayNumber(to);
  const days: string[] = [];
  for (let number = first; number <= last; number += 1) days.push(dayFromNumber(number));
  return days;
}

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export function isoWeekday(day: string): number {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  return ((((dayNumber(day) + 3) % 7) + 7) % 7) + 1;
}

export interface IsoWeek {
  /** The ISO week-numbering year (may differ from the calendar year around 1 January). */
  readonly year: number;
  readonly week: number;
  /** 'YYYY-Www', for example '2025-W01'. */
  readonly key: string;
  /** Its Monday and Sunday, 'YYYY-MM-DD'. */
  readonly monday: string;
  readonly sunday: string;
}

/** The ISO 8601 week a day belongs to (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(day: string): IsoWeek {
  const number = dayNumber(day);
  const monday = number - (isoWeekday(day) - 1);
  const thursday = monday + 3;
  const year = new Date(thursday * MS_PER_DAY).getUTCFullYear();
  const firstDay = Date.UTC(year, 0, 1) / MS_PER_DAY;
  const week = Math.floor((thursday - firstDay) / 7) + 1;
  return { year, week, key: `${pad(year, 4)}-W${pad(week, 2)}`, monday: dayFromNumber(monday), sunday: dayFromNumber(monday + 6) };
}

/**
 * The local day of an instant given in epoch minutes (UTC), for a place whose offset from
 * UTC at that instant is `utcOffsetMinutes` (Brussels: 60 in winter, 120 in summer). The
 * caller, which knows the time zone, passes the offset; this stays pure.
 */
export function dayOfEpochMinute(epochMinute: number, utcOffsetMinutes: number): string {
  return dayFromNumber(Math.floor((epochMinute + utcOffsetMinutes) / 1440));
}
