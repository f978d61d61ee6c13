/**
 * Numbers, durations, days and language names written the way the staff's language
 * writes them (Intl), so "1 234" in French and "1,234" in English, "12 Min. 30 Sek."
 * in German. Days are 'YYYY-MM-DD' of the kiosk's calendar: they are formatted as UTC
 * dates so that no time zone can move them to the day before.
 */
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { dayNumber } from '../../shared/statistics/calendar';

const MS_PER_DAY = 86_400_000;

export interface StatisticsFormatters {
  readonly locale: LanguageCode;
  count(value: number): string;
  /** "45 s", "12 min 30 s", "1 h 5 min". */
  duration(seconds: number): string;
  /** A day in a chart's axis: "Mon 3 Mar". */
  shortDay(day: string): string;
  /** A day in a sentence: "3 March 2025". */
  longDay(day: string): string;
  /** A run of days in a table: "3–9 Mar 2025". */
  dayRange(from: string, to: string): string;
  /** The name of a language, in the staff's language ("Dutch", "néerlandais" → "Néerlandais"). */
  languageName(code: string): string;
}

function dateOf(day: string): Date {
  return new Date(dayNumber(day) * MS_PER_DAY);
}

function capitalize(text: string, locale: string): string {
  return text.length === 0 ? text : text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

export function statisticsFormatters(locale: LanguageCode): StatisticsFormatters {
  const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const unit = (name: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: 0 });
  const hours = unit('hour');
  const minutes = unit('minute');
  const seconds = unit('second');
  const shortDay = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
  const longDay = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  const rangeDays = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' }) : null;

  return {
    locale,
    count: (value) => counts.format(value),
    duration(total) {
      const whole = Math.max(0, Math.round(total));
      if (whole < 60) return seconds.format(whole);
      if (whole < 3600) {
        const rest = whole % 60;
        const shown = minutes.format(Math.floor(whole / 60));
        return rest === 0 ? shown : `${shown} ${seconds.format(rest)}`;
      }
      const rest = Math.round((whole % 3600) / 60);
      const fullHours = Math.floor(whole / 3600) + (rest === 60 ? 1 : 0);
      const shown = hours.format(fullHours);
      return rest === 0 || rest === 60 ? shown : `${shown} ${minutes.format(rest)}`;
    },
    shortDay: (day) => shortDay.format(dateOf(day)),
    longDay: (day) => longDay.format(dateOf(day)),
    dayRange: (from, to) => (from === to ? rangeDays.format(dateOf(from)) : rangeDays.formatRange(dateOf(from), dateOf(to))),
    languageName(code) {
      const named = names?.of(code);
      if (named !== undefined && named !== code) return capitalize(named, locale);
      return LANGUAGES.find((language) => language.code === code)?.endonym ?? code;
    },
  };
}
