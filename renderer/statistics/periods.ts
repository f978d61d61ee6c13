/**
 * The periods staff can pick: the last 7 days, the last 30 days, this year (each up to
 * and including today), or two days of their choosing. Days are 'YYYY-MM-DD' of the
 * PC's own calendar, the one the kiosk files its figures under.
 */
import { addDays, daysBetween, isValidDay } from '../../shared/statistics/calendar';
import { MAX_PERIOD_DAYS } from '../../shared/statistics/period';

export const PERIOD_PRESETS = ['last7', 'last30', 'thisYear', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface DayRange {
  readonly from: string;
  readonly to: string;
}

export type PeriodCheck =
  | ({ readonly ok: true } & DayRange)
  /** `missing`: a day is empty or not a day; `order`: the last day is before the first; `too-long`: more than three years. */
  | { readonly ok: false; readonly problem: 'missing' | 'order' | 'too-long' };

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The 'YYYY-MM-DD' day of an instant on this PC's calendar. */
export function localDayOf(instant: Date): string {
  return `${pad(instant.getFullYear(), 4)}-${pad(instant.getMonth() + 1, 2)}-${pad(instant.getDate(), 2)}`;
}

/** The days of a preset, up to and including `today`. */
export function presetRange(preset: Exclude<PeriodPreset, 'custom'>, today: string): DayRange {
  switch (preset) {
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** Whether two days typed by staff make a period the statistics can show. */
export function checkDays(from: string, to: string): PeriodCheck {
  if (!isValidDay(from) || !isValidDay(to)) return { ok: false, problem: 'missing' };
  const span = daysBetween(from, to);
  if (span < 0) return { ok: false, problem: 'order' };
  if (span + 1 > MAX_PERIOD_DAYS) return { ok: false, problem: 'too-long' };
  return { ok: true, from, to };
}
