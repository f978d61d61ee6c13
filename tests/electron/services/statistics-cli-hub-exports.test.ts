/**
 * The merge command reads a hub's statistics export (GET /api/v1/statistics/export): a
 * JSON array of kiosk exports, or one CSV holding many kiosks' rows under one header,
 * alongside kiosks' own files, each kiosk-day counted once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeStatisticsFiles, parseStatisticsCsvExports, runStatsCli, summaryLine, type StatsCliIo } from '../../../electron/services/statistics-cli';
import { buildStatisticsExport, csvText, CSV_HEADER, eachDay, emptyDailyFigures, exportCsvRows, exportToCsv, exportToJson, type StatisticsExport } from '../../../shared/statistics';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-stats-hub-exports-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function kioskId(number: number): string {
  return number.toString(16).padStart(32, '0');
}

function exportOf(number: number, sessions: number, exportedAt = '2025-02-01T08:00Z', site = 'EPN de Namur'): StatisticsExport {
  return buildStatisticsExport({
    kioskId: kioskId(number),
    kiosk: { name: `PC ${number}`, site },
    exportedAt,
    period: { from: '2025-01-06', to: '2025-01-07' },
    threshold: 3,
    days: eachDay('2025-01-06', '2025-01-07').map((day) => ({ ...emptyDailyFigures(day), sessions, languages: { fr: sessions }, endReasons: { visitor: sessions } })),
  });
}

/** A hub's CSV export: every kiosk's rows under one header. */
function hubCsv(exports: readonly StatisticsExport[]): string {
  return csvText([[...CSV_HEADER], ...exports.flatMap((statistics) => exportCsvRows(statistics).slice(1))]);
}

/** A hub's JSON export: an array of kiosk exports. */
function hubJson(exports: readonly StatisticsExport[]): string {
  return `[\n${exports.map((statistics) => exportToJson(statistics).trimEnd()).join(',\n')}\n]\n`;
}

function write(name: string, content: string): void {
  writeFileSync(join(folder, name), content);
}

function sessionsOf(run: Awaited<ReturnType<typeof mergeStatisticsFiles>>): Record<string, number | null> {
  return Object.fromEntries(run.report.kiosks.map((kiosk) => [kiosk.kioskId, kiosk.figures.sessions.value]));
}

describe('a hub export in the merge', () => {
  it('reads a JSON array of kiosk exports', async () => {
    write('hub.json', hubJson([exportOf(1, 5), exportOf(2, 7)]));
    const run = await mergeStatisticsFiles([folder]);
    expect(run.skipped).toEqual([]);
    expect(run.included.map((file) => [file.path.split('/').pop(), file.kioskId])).toEqual([
      ['hub.json', kioskId(1)],
      ['hub.json', kioskId(2)],
    ]);
    expect(sessionsOf(run)).toEqual({ [kioskId(1)]: 10, [kioskId(2)]: 14 });
    expect(summaryLine(run)).toMatch(/^merged 1 file, skipped 0 files: 2 kiosks, 1 site, 2 days/);
  });

  it('reads a CSV with the rows of many kiosks under one header', async () => {
    write('hub.csv', hubCsv([exportOf(1, 5), exportOf(2, 7), exportOf(3, 9)]));
    const run = await mergeStatisticsFiles([folder]);
    expect(run.skipped).toEqual([]);
    expect(sessionsOf(run)).toEqual({ [kioskId(1)]: 10, [kioskId(2)]: 14, [kioskId(3)]: 18 });
    expect(summaryLine(run)).toMatch(/^merged 1 file, skipped 0 files: 3 kiosks/);
  });

  it("counts a kiosk-day once when both the hub's export and the kiosk's own file hold it, the later export winning, whatever order the files come in", async () => {
    // "a-…" comes before "hub.…" in name order: the kiosk's own file is found first.
    write('a-pc1.json', exportToJson(exportOf(1, 4, '2025-01-20T08:00Z')));
    write('hub.csv', hubCsv([exportOf(1, 5), exportOf(2, 7)]));
    write('hub.json', hubJson([exportOf(2, 7), exportOf(3, 3)]));
    write('z-pc3.csv', exportToCsv(exportOf(3, 3)));
    const run = await mergeStatisticsFiles([folder]);
    expect(run.skipped).toEqual([]);
    // PC 1: the hub's CSV states no export time, so it dates from its last day (2025-01-07), before the kiosk's own export.
    expect(sessionsOf(run)).toEqual({ [kioskId(1)]: 8, [kioskId(2)]: 14, [kioskId(3)]: 6 });
    expect(run.report.network.kioskCount).toBe(3);
  });

  it('runs as the command, naming one file for a hub export', async () => {
    write('hub.csv', hubCsv([exportOf(1, 5), exportOf(2, 7)]));
    let stdout = '';
    let stderr = '';
    const io: StatsCliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), now: () => new Date('2025-02-02T10:00:00Z'), cwd: folder };
    expect(await runStatsCli(['merge', 'hub.csv', '--out', 'report.html'], io)).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^stats: merged 1 file, skipped 0 files: 2 kiosks, 1 site, 2 days/);
    expect(readFileSync(join(folder, 'report.csv'), 'utf8')).toContain(kioskId(2));
  });
});

describe('a hub export that cannot be merged is named and skipped whole', () => {
  it('skips a JSON array with one bad export, naming it', async () => {
    const bad = { ...exportOf(2, 7), kioskId: 'not-a-kiosk' };
    write('hub.json', `[${JSON.stringify(exportOf(1, 5))},${JSON.stringify(bad)}]`);
    const run = await mergeStatisticsFiles([folder]);
    expect(run.included).toEqual([]);
    expect(run.skipped).toEqual([{ path: expect.stringMatching(/hub\.json$/), reason: expect.stringMatching(/^\[1\]: not a valid export: kioskId: /) }]);
  });

  it('skips an empty array', async () => {
    write('hub.json', '[]');
    const run = await mergeStatisticsFiles([folder]);
    expect(run.skipped).toEqual([{ path: expect.stringMatching(/hub\.json$/), reason: 'an empty list: no exports in it' }]);
  });

  it("skips a CSV whose rows of one kiosk are wrong, naming that kiosk", async () => {
    const text = hubCsv([exportOf(1, 5), exportOf(2, 7)]).replace(new RegExp(`(${kioskId(2)},[^\\r]*,2025-01-07,sessions,,)7`), '$1seven');
    const parsed = parseStatisticsCsvExports(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/sessions is "seven", not a count/);
    write('hub.csv', text);
    const run = await mergeStatisticsFiles([folder]);
    expect(run.included).toEqual([]);
    expect(run.skipped).toHaveLength(1);
  });

  it('names the kiosk whose rows are incomplete', () => {
    const text = hubCsv([exportOf(1, 5), exportOf(2, 7)]).replace(new RegExp(`[^\\n]*${kioskId(2)}[^\\n]*2025-01-07,language_changes[^\\n]*\\n`), '');
    const parsed = parseStatisticsCsvExports(text);
    expect(!parsed.ok && parsed.reason).toMatch(new RegExp(`^the rows of kiosk ${kioskId(2)}: not a valid export: days\\[1\\] \\(2025-01-07\\)\\.languageChanges`));
  });
});
