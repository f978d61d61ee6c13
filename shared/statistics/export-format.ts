/**
 * The statistics export: what leaves the PC, in JSON and CSV, with a schema version.
 * docs/statistics.md documents the format; every count in it has gone through
 * small-count suppression (suppression.ts). Pure: the caller writes the files.
 */
import { z } from 'zod';
import { eachDay, parseDay } from './calendar';
import { emptyDailyFigures, type DailyFigures } from './daily-figures';
import { DateRangeSchema, MAX_PERIOD_DAYS, type DateRange } from './period';
import { PublishedDailyFiguresSchema, SuppressionThresholdSchema, suppressCounts, type PublishedDailyFigures } from './suppression';
import { SESSION_END_REASONS, ACCESSIBILITY_OPTIONS } from '../usage-events';

export const STATISTICS_EXPORT_FORMAT = 'epn-kiosk-statistics';
export const STATISTICS_SCHEMA_VERSION = 1;

/** The kiosk's random identifier: 32 lowercase hexadecimal digits (electron/services/kiosk-identity.ts). */
export const KIOSK_ID_PATTERN = /^[0-9a-f]{32}$/;
export const KioskIdSchema = z.string({ error: 'must be the kiosk identifier (32 hexadecimal digits)' }).regex(KIOSK_ID_PATTERN, { error: 'must be the kiosk identifier: 32 lowercase hexadecimal digits' });

const EXPORTED_AT_PATTERN = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d{1,3})?)?Z$/;

/** When the export was made: ISO 8601 in UTC, to the minute ("2025-03-14T16:05Z"). */
export const ExportedAtSchema = z
  .string({ error: 'must be a time written YYYY-MM-DDTHH:MMZ (UTC), for example "2025-03-14T16:05Z"' })
  .refine((text) => {
    const match = EXPORTED_AT_PATTERN.exec(text);
    return match !== null && match[1] !== undefined && parseDay(match[1]) !== null;
  }, { error: 'must be a time written YYYY-MM-DDTHH:MMZ (UTC), for example "2025-03-14T16:05Z"' });

export const KioskLabelsSchema = z
  .object(
    {
      name: z.string({ error: 'must be a text: the kiosk name' }).min(1, { error: 'must not be empty' }).max(60, { error: 'must be at most 60 characters' }),
      site: z.string({ error: 'must be a text: the site (may be empty)' }).max(80, { error: 'must be at most 80 characters' }),
    },
    { error: 'must be the kiosk labels: {"name": "PC 3", "site": "EPN de Namur"}' },
  )
  .strict();
export type KioskLabels = z.infer<typeof KioskLabelsSchema>;

export const StatisticsExportSchema = z
  .object(
    {
      format: z.literal(STATISTICS_EXPORT_FORMAT, { error: `must be "${STATISTICS_EXPORT_FORMAT}"` }),
      schemaVersion: z.literal(STATISTICS_SCHEMA_VERSION, { error: `must be ${STATISTICS_SCHEMA_VERSION}` }),
      kioskId: KioskIdSchema,
      kiosk: KioskLabelsSchema,
      exportedAt: ExportedAtSchema,
      period: DateRangeSchema,
      suppressionThreshold: SuppressionThresholdSchema,
      days: z.array(PublishedDailyFiguresSchema, { error: 'must be a list of daily figures' }).max(MAX_PERIOD_DAYS, { error: `must hold at most ${MAX_PERIOD_DAYS} days` }),
    },
    { error: 'must be a statistics export (a JSON object)' },
  )
  .strict()
  .superRefine((value, context) => {
    let previous = '';
    value.days.forEach((figures, index) => {
      if (figures.day < value.period.from || figures.day > value.period.to) {
        context.addIssue({ code: 'custom', path: ['days', index, 'day'], message: `must be within the period ${value.period.from} to ${value.period.to}` });
      } else if (figures.day <= previous) {
        context.addIssue({ code: 'custom', path: ['days', index, 'day'], message: `must come after ${previous}: days are listed once each, in order` });
      }
      previous = figures.day > previous ? figures.day : previous;
    });
  });
export type StatisticsExport = z.infer<typeof StatisticsExportSchema>;

export type StatisticsExportProblemKind =
  /** The text is not JSON at all. */
  | 'not-json'
  /** JSON, but not an EPN Kiosk statistics export (no or another "format"). */
  | 'not-an-export'
  /** An EPN Kiosk statistics export of a schema version this program does not read. */
  | 'unknown-version'
  /** The right format and version, but a field is wrong. */
  | 'invalid';

export type StatisticsExportParse =
  | { readonly ok: true; readonly export: StatisticsExport }
  | { readonly ok: false; readonly kind: StatisticsExportProblemKind; readonly problems: readonly string[] };

function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

const MAX_PROBLEMS = 20;

function problemText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}: not part of schema version ${STATISTICS_SCHEMA_VERSION} of the statistics export`;
  }
  return issue.message;
}

/** Checks an untrusted value (a parsed JSON file) and names every wrong field. */
export function parseStatisticsExport(value: unknown): StatisticsExportParse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, kind: 'not-an-export', problems: ['not an EPN Kiosk statistics export: expected a JSON object'] };
  }
  const record = value as Record<string, unknown>;
  if (record.format !== STATISTICS_EXPORT_FORMAT) {
    const found = record.format === undefined ? 'missing' : JSON.stringify(record.format);
    return { ok: false, kind: 'not-an-export', problems: [`format: is ${found}, not "${STATISTICS_EXPORT_FORMAT}": this is not an EPN Kiosk statistics export`] };
  }
  if (record.schemaVersion !== STATISTICS_SCHEMA_VERSION) {
    const version = record.schemaVersion;
    if (typeof version === 'number' && Number.isInteger(version) && version > 0) {
      return {
        ok: false,
        kind: 'unknown-version',
        problems: [
          `schemaVersion: ${version} is not known: this program reads schema version ${STATISTICS_SCHEMA_VERSION} of the statistics export${version > STATISTICS_SCHEMA_VERSION ? '; the file comes from a newer EPN Kiosk, read it with that version' : ''}`,
        ],
      };
    }
    return { ok: false, kind: 'unknown-version', problems: [`schemaVersion: is ${version === undefined ? 'missing' : JSON.stringify(version)}, not a schema version (this program reads version ${STATISTICS_SCHEMA_VERSION})`] };
  }
  const parsed = StatisticsExportSchema.safeParse(value);
  if (parsed.success) return { ok: true, export: parsed.data };
  const problems = parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => `${pathText(issue.path) || '(the file)'}: ${problemText(issue)}`);
  if (parsed.error.issues.length > MAX_PROBLEMS) problems.push(`… and ${parsed.error.issues.length - MAX_PROBLEMS} more problems`);
  return { ok: false, kind: 'invalid', problems };
}

/** Parses the text of an export file, then checks it (parseStatisticsExport). */
export function parseStatisticsExportJson(text: string): StatisticsExportParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, kind: 'not-json', problems: [`not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return parseStatisticsExport(value);
}

export interface BuildStatisticsExportInput {
  readonly kioskId: string;
  readonly kiosk: KioskLabels;
  /** When the export is made: epoch milliseconds or an ISO 8601 time (written to the minute, UTC). */
  readonly exportedAt: number | string;
  readonly period: DateRange;
  readonly threshold: number;
  /** The kiosk's daily figures; days outside the period are left out, days of the period without figures are written as zeros. */
  readonly days: readonly DailyFigures[];
}

/** 'YYYY-MM-DDTHH:MMZ' of an instant (epoch milliseconds, or an ISO 8601 time with its offset). */
export function exportTimeOf(instant: number | string): string {
  const epochMs = typeof instant === 'string' && /T.*(Z|[+-]\d{2}:\d{2})$/.test(instant) ? Date.parse(instant) : typeof instant === 'number' ? instant : Number.NaN;
  if (!Number.isFinite(epochMs)) throw new RangeError(`an export time is epoch milliseconds or an ISO 8601 time with its offset, not ${String(instant)}`);
  return `${new Date(Math.floor(epochMs / 60_000) * 60_000).toISOString().slice(0, 16)}Z`;
}

/** The export of a period, every count suppressed as the threshold says. Throws a RangeError on bad input. */
export function buildStatisticsExport(input: BuildStatisticsExportInput): StatisticsExport {
  const checks: [string, z.ZodType, unknown][] = [
    ['kioskId', KioskIdSchema, input.kioskId],
    ['kiosk', KioskLabelsSchema, input.kiosk],
    ['period', DateRangeSchema, input.period],
    ['threshold', SuppressionThresholdSchema, input.threshold],
  ];
  for (const [name, schema, value] of checks) {
    const checked = schema.safeParse(value);
    if (!checked.success) throw new RangeError(`cannot export statistics: ${name} ${checked.error.issues[0]?.message ?? 'is invalid'}`);
  }
  const byDay = new Map<string, DailyFigures>();
  for (const figures of input.days) {
    if (figures.day >= input.period.from && figures.day <= input.period.to) byDay.set(figures.day, figures);
  }
  const days: PublishedDailyFigures[] = eachDay(input.period.from, input.period.to).map((day) => suppressCounts(byDay.get(day) ?? emptyDailyFigures(day), input.threshold));
  return {
    format: STATISTICS_EXPORT_FORMAT,
    schemaVersion: STATISTICS_SCHEMA_VERSION,
    kioskId: input.kioskId,
    kiosk: { name: input.kiosk.name, site: input.kiosk.site },
    exportedAt: exportTimeOf(input.exportedAt),
    period: { from: input.period.from, to: input.period.to },
    suppressionThreshold: input.threshold,
    days,
  };
}

export function exportToJson(statistics: StatisticsExport): string {
  return `${JSON.stringify(statistics, null, 2)}\n`;
}

/** What a suppressed value is written as in CSV. */
export const CSV_SUPPRESSED = 'suppressed';

/**
 * One CSV field: text a spreadsheet would run as a formula (starting with =, +, -, @, a tab
 * or a carriage return) gets a leading apostrophe; a field holding a comma, a quote or a
 * line break is quoted, with quotes doubled (RFC 4180).
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Lines joined with CRLF (RFC 4180), ending with one. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const CSV_HEADER = ['schema_version', 'kiosk_id', 'kiosk_name', 'site', 'day', 'measure', 'key', 'value'] as const;

/** Every measure of the CSV, in the order the rows come for each day. */
export const CSV_MEASURES = [
  'sessions',
  'session_seconds_total',
  'session_seconds_median',
  'session_seconds_p90',
  'end_reason',
  'service_openings',
  'help_requests',
  'help_acknowledged',
  'help_resolved',
  'help_cancelled',
  'help_wait_median',
  'help_wait_p90',
  'language',
  'language_changes',
  'accessibility',
  'wipes',
  'wipes_unverified',
] as const;
export type CsvMeasure = (typeof CSV_MEASURES)[number];

export interface MeasureRow {
  readonly measure: CsvMeasure;
  readonly key: string;
  /** A number, 'suppressed', or '' for a median or p90 of no values. */
  readonly value: string;
}

function countText(count: number | null): string {
  return count === null ? CSV_SUPPRESSED : String(count);
}

/** A median or p90: '' when there were no values, 'suppressed' when there were too few. */
function statisticText(value: number | null, histogram: readonly (number | null)[]): string {
  if (value !== null) return String(value);
  const hadValues = histogram.some((count) => count === null || count > 0);
  return hadValues ? CSV_SUPPRESSED : '';
}

function orderedKeys(record: Record<string, unknown>, order: readonly string[]): string[] {
  const rank = (key: string) => {
    const index = order.indexOf(key);
    return index === -1 ? order.length : index;
  };
  return Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The measures of one published day, as CSV rows (measure, key, value). */
export function measureRows(figures: PublishedDailyFigures): MeasureRow[] {
  const rows: MeasureRow[] = [];
  const add = (measure: CsvMeasure, key: string, value: string) => rows.push({ measure, key, value });
  const seconds = figures.sessionSeconds;
  const waits = figures.help.waitSeconds;
  add('sessions', '', countText(figures.sessions));
  add('session_seconds_total', '', seconds.total === null ? CSV_SUPPRESSED : String(seconds.total));
  add('session_seconds_median', '', statisticText(seconds.median, seconds.histogram));
  add('session_seconds_p90', '', statisticText(seconds.p90, seconds.histogram));
  for (const reason of orderedKeys(figures.endReasons, SESSION_END_REASONS)) add('end_reason', reason, countText(figures.endReasons[reason as keyof typeof figures.endReasons] ?? null));
  for (const serviceId of orderedKeys(figures.serviceOpenings, [])) add('service_openings', serviceId, countText(figures.serviceOpenings[serviceId] ?? null));
  add('help_requests', '', countText(figures.help.requests));
  add('help_acknowledged', '', countText(figures.help.acknowledged));
  add('help_resolved', '', countText(figures.help.resolved));
  add('help_cancelled', '', countText(figures.help.cancelled));
  add('help_wait_median', '', statisticText(waits.median, waits.histogram));
  add('help_wait_p90', '', statisticText(waits.p90, waits.histogram));
  for (const language of orderedKeys(figures.languages, [])) add('language', language, countText(figures.languages[language] ?? null));
  add('language_changes', '', countText(figures.languageChanges));
  for (const option of orderedKeys(figures.accessibility, ACCESSIBILITY_OPTIONS)) add('accessibility', option, countText(figures.accessibility[option as keyof typeof figures.accessibility] ?? null));
  add('wipes', '', countText(figures.wipes.total));
  add('wipes_unverified', '', countText(figures.wipes.unverified));
  return rows;
}

/** The CSV rows of an export, header first (unquoted: csvText quotes them). */
export function exportCsvRows(statistics: StatisticsExport): string[][] {
  const rows: string[][] = [[...CSV_HEADER]];
  const fixed = [String(statistics.schemaVersion), statistics.kioskId, statistics.kiosk.name, statistics.kiosk.site];
  for (const figures of statistics.days) {
    for (const row of measureRows(figures)) rows.push([...fixed, figures.day, row.measure, row.key, row.value]);
  }
  return rows;
}

/** One row per kiosk, day and measure: schema_version,kiosk_id,kiosk_name,site,day,measure,key,value. */
export function exportToCsv(statistics: StatisticsExport): string {
  return csvText(exportCsvRows(statistics));
}
