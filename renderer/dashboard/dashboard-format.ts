/**
 * How the dashboard writes times, waits and service ids in the helper's language (Intl).
 */
import type { LanguageCode } from '../../shared/languages';

/**
 * A service id as a helper reads it: "tax-on-web" → "Tax on web". The hub knows no
 * catalogue (each kiosk has its own configuration), so the id is all there is.
 */
export function readableServiceId(serviceId: string): string {
  const words = serviceId.split(/[-_.]+/).filter((word) => word !== '');
  const text = words.join(' ');
  return text === '' ? serviceId : text.charAt(0).toUpperCase() + text.slice(1);
}

/** An instant of the hub's clock on this device's clock, to show it as a time of day: only the difference between the two clocks is trusted. */
export function onThisDeviceClock(hubInstant: number, hubNow: number): number {
  return Date.now() + (hubInstant - hubNow);
}

export interface DashboardFormatters {
  /** A wait that grows every second: "45 s", "3 min 05 s", "1 h 12 min". */
  wait(milliseconds: number): string;
  /** "2 min ago", "just now", "yesterday". */
  ago(milliseconds: number): string;
  /** "in 9 min". */
  inFuture(milliseconds: number): string;
  /** A clock time, "14:32". */
  time(epochMilliseconds: number): string;
  /** A date, "3 Mar 2025". */
  date(epochMilliseconds: number): string;
  count(value: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function dashboardFormatters(language: LanguageCode): DashboardFormatters {
  const unit = (name: 'hour' | 'minute' | 'second', minimumIntegerDigits = 1) =>
    new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'short', minimumIntegerDigits });
  const hours = unit('hour');
  const minutes = unit('minute');
  const seconds = unit('second');
  const paddedSeconds = unit('second', 2);
  const paddedMinutes = unit('minute', 2);
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' });
  const clock = new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' });
  const day = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric' });
  const counts = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });

  const relativeTo = (signed: number) => {
    const size = Math.abs(signed);
    const sign = Math.sign(signed) || 1;
    if (size < 45_000) return relative.format(0, 'second');
    if (size < HOUR) return relative.format(sign * Math.round(size / MINUTE), 'minute');
    if (size < DAY) return relative.format(sign * Math.round(size / HOUR), 'hour');
    return relative.format(sign * Math.round(size / DAY), 'day');
  };

  return {
    wait(milliseconds) {
      const total = Math.max(0, Math.floor(milliseconds / 1000));
      if (total < 60) return seconds.format(total);
      if (total < 3600) return `${minutes.format(Math.floor(total / 60))} ${paddedSeconds.format(total % 60)}`;
      return `${hours.format(Math.floor(total / 3600))} ${paddedMinutes.format(Math.floor((total % 3600) / 60))}`;
    },
    ago: (milliseconds) => relativeTo(-Math.max(0, milliseconds)),
    inFuture: (milliseconds) => relativeTo(Math.max(0, milliseconds)),
    time: (instant) => clock.format(new Date(instant)),
    date: (instant) => day.format(new Date(instant)),
    count: (value) => counts.format(value),
  };
}
