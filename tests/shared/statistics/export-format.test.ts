/**
 * The export: built with suppression, read back with every problem named, written as
 * JSON and as CSV that a spreadsheet reads safely.
 */
import { describe, expect, it } from 'vitest';
import { eachDay } from '../../../shared/statistics/calendar';
import {
  CSV_HEADER,
  CSV_MEASURES,
  STATISTICS_SCHEMA_VERSION,
  StatisticsExportSchema,
  buildStatisticsExport,
  csvField,
  exportTimeOf,
  exportToCsv,
  exportToJson,
  parseStatisticsExport,
  parseStatisticsExportJson,
  type StatisticsExport,
} from '../../../shared/statistics/export-format';
import { KIOSK_A, dayFigures, readCsv } from './fixtures';

const EXPORTED_AT = Date.UTC(2025, 3, 1, 16, 5, 59, 999);

function sampleExport(changes: Partial<Parameters<typeof buildStatisticsExport>[0]> = {}): StatisticsExport {
  return buildStatisticsExport({
    kioskId: KIOSK_A,
    kiosk: { name: 'PC 3', site: 'EPN de Namur' },
    exportedAt: EXPORTED_AT,
    period: { from: '2025-03-01', to: '2025-03-07' },
    threshold: 3,
    days: [
      dayFigures('2025-02-28', { sessions: 50 }),
      dayFigures('2025-03-01', { sessions: 8, durations: [100, 200, 300, 400, 500, 600, 700, 800], services: { 'tax-on-web': 6, cpas: 1, bank: 4 }, requests: 3, waits: [30, 60, 90] }),
      dayFigures('2025-03-03', { sessions: 2, durations: [50, 55] }),
      dayFigures('2025-03-08', { sessions: 50 }),
    ],
    ...changes,
  });
}

describe('buildStatisticsExport', () => {
  it('covers every day of the period, zeros for days without figures, nothing outside', () => {
    const statistics = sampleExport();
    expect(statistics.days.map((figures) => figures.day)).toEqual(eachDay('2025-03-01', '2025-03-07'));
    expect(statistics.days[1]?.sessions).toBe(0);
    expect(statistics).toMatchObject({ format: 'epn-kiosk-statistics', schemaVersion: 1, kioskId: KIOSK_A, kiosk: { name: 'PC 3', site: 'EPN de Namur' }, suppressionThreshold: 3, period: { from: '2025-03-01', to: '2025-03-07' } });
    expect(StatisticsExportSchema.safeParse(statistics).success).toBe(true);
  });

  it('writes the export time in UTC, to the minute', () => {
    expect(sampleExport().exportedAt).toBe('2025-04-01T16:05Z');
    expect(exportTimeOf(Date.UTC(2025, 0, 1, 0, 0, 0))).toBe('2025-01-01T00:00Z');
    expect(Date.parse(exportTimeOf(EXPORTED_AT))).toBe(Date.UTC(2025, 3, 1, 16, 5));
    expect(exportTimeOf('2025-04-01T18:05:59+02:00')).toBe('2025-04-01T16:05Z');
    expect(sampleExport({ exportedAt: '2025-04-01T16:05:30.250Z' }).exportedAt).toBe('2025-04-01T16:05Z');
    expect(() => exportTimeOf('2025-04-01 16:05')).toThrow(RangeError);
    expect(() => exportTimeOf(Number.NaN)).toThrow(RangeError);
  });

  it('suppresses small counts with the threshold given', () => {
    const first = sampleExport().days[0];
    expect(first?.sessions).toBe(8);
    expect(first?.serviceOpenings).toEqual({ 'tax-on-web': 6, cpas: null, bank: null });
    expect(first?.help.waitSeconds.median).toBe(60);
    const third = sampleExport().days[2];
    expect(third?.sessions).toBeNull();
    expect(third?.sessionSeconds).toMatchObject({ total: null, median: null, p90: null });
    const lenient = sampleExport({ threshold: 2 }).days[2];
    expect(lenient?.sessions).toBe(2);
    expect(lenient?.sessionSeconds.median).toBe(50);
  });

  it('refuses a bad kiosk id, period or threshold with the field named', () => {
    expect(() => sampleExport({ kioskId: 'PC 3' })).toThrow(/kioskId/);
    expect(() => sampleExport({ period: { from: '2025-03-07', to: '2025-03-01' } })).toThrow(/period/);
    expect(() => sampleExport({ threshold: 1 })).toThrow(/threshold/);
    expect(() => sampleExport({ kiosk: { name: '', site: '' } })).toThrow(/kiosk/);
  });
});

describe('parseStatisticsExport', () => {
  it('reads back what was written, through JSON', () => {
    const statistics = sampleExport();
    const text = exportToJson(statistics);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parseStatisticsExportJson(text);
    expect(parsed).toEqual({ ok: true, export: statistics });
  });

  it('says clearly when a file is not JSON or not an export', () => {
    expect(parseStatisticsExportJson('{"format": ')).toMatchObject({ ok: false, kind: 'not-json' });
    expect(parseStatisticsExport([1, 2])).toMatchObject({ ok: false, kind: 'not-an-export' });
    const other = parseStatisticsExport({ format: 'something-else', schemaVersion: 1 });
    expect(other).toMatchObject({ ok: false, kind: 'not-an-export' });
    if (!other.ok) expect(other.problems[0]).toMatch(/^format: is "something-else", not "epn-kiosk-statistics"/);
    const missing = parseStatisticsExport({ schemaVersion: 1 });
    if (!missing.ok) expect(missing.problems[0]).toMatch(/^format: is missing/);
  });

  it('names an unknown schema version apart from other problems', () => {
    const newer = parseStatisticsExport({ ...sampleExport(), schemaVersion: 2, somethingNew: true });
    expect(newer).toMatchObject({ ok: false, kind: 'unknown-version' });
    if (!newer.ok) {
      expect(newer.problems).toHaveLength(1);
      expect(newer.problems[0]).toMatch(/^schemaVersion: 2 is not known: this program reads schema version 1/);
      expect(newer.problems[0]).toMatch(/newer EPN Kiosk/);
    }
    const text = parseStatisticsExport({ ...sampleExport(), schemaVersion: '1' });
    expect(text).toMatchObject({ ok: false, kind: 'unknown-version' });
    expect(STATISTICS_SCHEMA_VERSION).toBe(1);
  });

  it('names each wrong field with its path', () => {
    const statistics = sampleExport();
    const broken = JSON.parse(exportToJson(statistics)) as Record<string, unknown> & { days: Record<string, unknown>[] };
    broken.days[2] = { ...broken.days[2], sessions: -4 };
    broken.exportedAt = '01/04/2025 16:05';
    broken.kiosk = { name: 'PC 3', site: 'EPN', owner: 'Jane' };
    const parsed = parseStatisticsExport(broken);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.kind).toBe('invalid');
      const text = parsed.problems.join('\n');
      expect(text).toMatch(/^days\[2\]\.sessions: must not be negative/m);
      expect(text).toMatch(/^exportedAt: must be a time written YYYY-MM-DDTHH:MMZ/m);
      expect(text).toMatch(/^kiosk: unknown field "owner"/m);
    }
  });

  it('refuses days outside the period, repeated days and extra fields that could carry anything', () => {
    const statistics = sampleExport();
    const outside = { ...statistics, days: [...statistics.days, { ...statistics.days[0], day: '2025-03-09' }] };
    const result = parseStatisticsExport(outside);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(/days\[7\]\.day: must be within the period 2025-03-01 to 2025-03-07/);
    const repeated = { ...statistics, days: [statistics.days[0], statistics.days[0]] };
    const second = parseStatisticsExport(repeated);
    if (!second.ok) expect(second.problems.join('\n')).toMatch(/days\[1\]\.day: must come after 2025-03-01/);
    expect(second.ok).toBe(false);
    expect(parseStatisticsExport({ ...statistics, visitors: ['Jane'] }).ok).toBe(false);
    expect(parseStatisticsExport({ ...statistics, days: [{ ...statistics.days[0], urls: ['https://bank.example'] }] }).ok).toBe(false);
  });

  it('keeps the list of problems short for a badly broken file', () => {
    const statistics = sampleExport({ period: { from: '2025-01-01', to: '2025-03-31' } });
    const broken = { ...statistics, days: statistics.days.map((figures) => ({ ...figures, sessions: 'many' })) };
    const parsed = parseStatisticsExport(broken);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toHaveLength(21);
      expect(parsed.problems.at(-1)).toMatch(/and 70 more problems/);
    }
  });
});

describe('exportToCsv', () => {
  it('writes one row per day and measure, with the fixed header', () => {
    const statistics = sampleExport();
    const rows = readCsv(exportToCsv(statistics));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows[0]?.join(',')).toBe('schema_version,kiosk_id,kiosk_name,site,day,measure,key,value');
    const body = rows.slice(1);
    for (const row of body) expect(row).toHaveLength(8);
    const first = body.filter((row) => row[4] === '2025-03-01');
    const value = (measure: string, key = '') => first.find((row) => row[5] === measure && row[6] === key)?.[7];
    expect(value('sessions')).toBe('8');
    expect(value('session_seconds_total')).toBe('3600');
    expect(value('session_seconds_median')).toBe('400');
    expect(value('session_seconds_p90')).toBe('800');
    expect(value('service_openings', 'tax-on-web')).toBe('6');
    expect(value('service_openings', 'cpas')).toBe('suppressed');
    expect(value('help_requests')).toBe('3');
    expect(value('help_wait_median')).toBe('60');
    expect(value('language', 'fr')).toBe('8');
    expect(value('end_reason', 'visitor')).toBe('8');
    // Every measure of the format appears (no accessibility option was turned on), and no other.
    expect(new Set(body.map((row) => row[5]))).toEqual(new Set(CSV_MEASURES.filter((measure) => measure !== 'accessibility')));
    expect(body.every((row) => row[0] === '1' && row[1] === KIOSK_A && row[2] === 'PC 3' && row[3] === 'EPN de Namur')).toBe(true);
  });

  it('writes "suppressed" for a hidden value and leaves a median of no values empty', () => {
    const rows = readCsv(exportToCsv(sampleExport())).slice(1);
    const of = (day: string, measure: string) => rows.find((row) => row[4] === day && row[5] === measure)?.[7];
    expect(of('2025-03-03', 'sessions')).toBe('suppressed');
    expect(of('2025-03-03', 'session_seconds_median')).toBe('suppressed');
    expect(of('2025-03-03', 'session_seconds_total')).toBe('suppressed');
    expect(of('2025-03-02', 'session_seconds_median')).toBe('');
    expect(of('2025-03-02', 'sessions')).toBe('0');
    expect(of('2025-03-02', 'help_wait_p90')).toBe('');
  });

  it('quotes names with commas, quotes and line breaks', () => {
    const statistics = sampleExport({ kiosk: { name: 'PC 3, "upstairs"', site: 'EPN\nNamur' } });
    const text = exportToCsv(statistics);
    expect(text).toContain(',"PC 3, ""upstairs""","EPN\nNamur",');
    const rows = readCsv(text);
    expect(rows[1]?.slice(2, 4)).toEqual(['PC 3, "upstairs"', 'EPN\nNamur']);
  });

  it('turns names a spreadsheet would run as formulas into plain text', () => {
    const statistics = sampleExport({ kiosk: { name: '=HYPERLINK("http://x.example","click")', site: '+32 81 00 00' } });
    const rows = readCsv(exportToCsv(statistics));
    expect(rows[1]?.[2]).toBe('\'=HYPERLINK("http://x.example","click")');
    expect(rows[1]?.[3]).toBe("'+32 81 00 00");
    for (const risky of ['-2+3', '@SUM(A1:A2)', '\tx', '\rx', '=1']) expect(csvField(risky).replace(/^"/, '').startsWith("'")).toBe(true);
    for (const plain of ['PC 3', 'EPN de Namur', '', '3', 'a=b']) expect(csvField(plain)).toBe(plain);
  });

  it('ends every line with CRLF', () => {
    const text = exportToCsv(sampleExport());
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').length - 1).toBe(readCsv(text).length);
  });
});
