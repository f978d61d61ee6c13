/**
 * Small builders for the export and merge tests.
 */
import { rollUpDay, type DailyFigures, type StoredEvent } from '../../../shared/statistics/daily-figures';
import type { UsageEvent } from '../../../shared/usage-events';

export const KIOSK_A = '0123456789abcdef0123456789abcdef';
export const KIOSK_B = 'fedcba9876543210fedcba9876543210';
export const KIOSK_C = 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb';

export interface DaySpec {
  sessions?: number;
  /** Session lengths, one per ended session (ended with reason 'visitor'). */
  durations?: number[];
  services?: Record<string, number>;
  waits?: number[];
  requests?: number;
  language?: 'fr' | 'nl' | 'de' | 'en';
}

/** A day's figures from a short description. */
export function dayFigures(day: string, spec: DaySpec): DailyFigures {
  const events: UsageEvent[] = [];
  for (let index = 0; index < (spec.sessions ?? 0); index += 1) events.push({ type: 'session-started', language: spec.language ?? 'fr' });
  for (const durationSeconds of spec.durations ?? []) events.push({ type: 'session-ended', reason: 'visitor', durationSeconds });
  for (const [serviceId, count] of Object.entries(spec.services ?? {})) for (let index = 0; index < count; index += 1) events.push({ type: 'service-opened', serviceId });
  for (let index = 0; index < (spec.requests ?? 0); index += 1) events.push({ type: 'help-requested', serviceId: null });
  for (const waitSeconds of spec.waits ?? []) events.push({ type: 'help-acknowledged', waitSeconds });
  return rollUpDay(
    day,
    events.map((event, index): StoredEvent => ({ day, minute: index, sessionKey: `k${index}`, event })),
  );
}

/** A minimal RFC 4180 reader, to check what the CSV writer produced. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += char;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}
