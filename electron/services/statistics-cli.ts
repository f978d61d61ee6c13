/**
 * `npm run stats -- merge <files or folders…> --out report.html`: the coordinators' command.
 * It merges the statistics exports of many kiosks and sites (JSON and CSV, as the kiosks
 * write them: shared/statistics/export-format.ts) into one self-contained HTML report with
 * charts (statistics-report.ts) and one merged CSV. A hub's export (GET
 * /api/v1/statistics/export) is read too: a JSON array of kiosk exports, or one CSV with
 * the rows of many kiosks under one header. docs/statistics-merge.md tells
 * coordinators how to use it.
 *
 *   merge <files or folders…>  exports to merge; folders are searched recursively for *.json and *.csv
 *   --out <report.html>        where the report goes
 *   --csv <merged.csv>         where the merged CSV goes (default: beside the report, .csv)
 *   --title <text>             the report's title (default "EPN network statistics")
 *
 * Every file that cannot be read, is not an export, is malformed or has a schema version
 * this program does not read is named on stderr with the reason and skipped; the others
 * are merged. The merging itself (the same kiosk and day counted once, the latest export
 * winning; totals; lower bounds) is shared/statistics/merge.ts.
 *
 * Memory stays bounded: files are read one at a time and CSV files as a stream. A first
 * pass only notes which kiosks each file holds; the second pass then adds the exports
 * kiosk by kiosk, so the merger can let each kiosk's days go once its files are in.
 *
 * Exit codes: 0 when at least one file was merged, 1 when none was (nothing is written),
 * 2 on a usage error.
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { mkdir, open, opendir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DEFAULT_STATISTICS_SETTINGS } from '../../shared/config/schema';
import {
  CSV_HEADER,
  CSV_MEASURES,
  CSV_SUPPRESSED,
  MAX_PERIOD_DAYS,
  MERGED_CSV_HEADER,
  SESSION_SECONDS_BUCKETS,
  STATISTICS_EXPORT_FORMAT,
  STATISTICS_SCHEMA_VERSION,
  WAIT_SECONDS_BUCKETS,
  createMerger,
  mergedToCsv,
  parseStatisticsExport,
  type MergedReport,
  type StatisticsExport,
  type StatisticsMerger,
} from '../../shared/statistics';
import { writeFileAtomically } from './atomic-file';
import { buildStatisticsReportHtml, loadChartJs, type IncludedReportFile, type SkippedReportFile } from './statistics-report';

export type ExportFileFormat = 'json' | 'csv';

export const DEFAULT_REPORT_TITLE = 'EPN network statistics';

/** Larger than any real export (three years of one kiosk, pretty-printed, is under 2 MB). */
export const MAX_JSON_EXPORT_BYTES = 16 * 1024 * 1024;
/** No CSV record of an export comes near this; a longer one is not an export. */
export const MAX_CSV_RECORD_CHARS = 64 * 1024;

export const STATS_USAGE = `Usage: npm run stats -- merge <files or folders…> --out <report.html> [--csv <merged.csv>] [--title <text>]

  merge <files or folders…>  statistics exports of kiosks (.json or .csv); folders are searched recursively
  --out <report.html>        the HTML report to write (self-contained: charts and data inside)
  --csv <merged.csv>         the merged CSV to write (default: beside the report, named like it, .csv)
  --title <text>             the report's title (default "${DEFAULT_REPORT_TITLE}")
  --help                     show this help

Files that cannot be read or are not valid exports are named on stderr and skipped.
Exit code 0 when at least one file was merged, 1 when none was, 2 on a usage error.`;

export interface MergeCommandOptions {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly csv: string;
  readonly title: string;
}

export type StatsCliArguments =
  | { readonly kind: 'merge'; readonly options: MergeCommandOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** The merged CSV's default place: the report's path with .csv instead of .html. */
export function defaultCsvPath(out: string): string {
  const extension = extname(out);
  return extension === '' ? `${out}.csv` : `${out.slice(0, -extension.length)}.csv`;
}

export function parseStatsArguments(argv: readonly string[], cwd: string = process.cwd()): StatsCliArguments {
  let values: { out?: string; csv?: string; title?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        csv: { type: 'string' },
        title: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  if (values.help === true) return { kind: 'help' };
  const [command, ...inputs] = positionals;
  if (command === undefined) return { kind: 'error', message: 'no command: write "merge", then the exports to merge and --out <report.html>' };
  if (command !== 'merge') return { kind: 'error', message: `unknown command "${command}": the only command is "merge"` };
  if (inputs.length === 0) return { kind: 'error', message: 'merge needs at least one export file or folder' };
  if (inputs.some((input) => input.trim() === '')) return { kind: 'error', message: 'an empty name was given as an export file or folder' };
  if (values.out === undefined || values.out.trim() === '') return { kind: 'error', message: 'merge needs --out <report.html>: where to write the report' };
  if (values.csv !== undefined && values.csv.trim() === '') return { kind: 'error', message: '--csv must name a file' };
  const out = resolve(cwd, values.out);
  const csv = resolve(cwd, values.csv ?? defaultCsvPath(values.out));
  if (csv === out) return { kind: 'error', message: `--csv and --out name the same file (${out}): the report and the merged CSV need two files` };
  const title = values.title?.trim();
  if (title !== undefined && title.length > 200) return { kind: 'error', message: '--title must be at most 200 characters' };
  return { kind: 'merge', options: { inputs, out, csv, title: title === undefined || title === '' ? DEFAULT_REPORT_TITLE : title } };
}

// ---------------------------------------------------------------------------------------
// Finding the export files
// ---------------------------------------------------------------------------------------

/** A file to read: where it is, how to name it on stderr, and how to name it in the report. */
export interface ExportFileRef {
  readonly path: string;
  /** As the coordinator typed it, plus the path inside the folder they named. */
  readonly shown: string;
  /** Inside the folder they named, with that folder's own name first: no home folders in a report that is handed on. */
  readonly display: string;
  readonly format: ExportFileFormat;
}

export interface InputProblem {
  readonly shown: string;
  readonly display: string;
  readonly reason: string;
}

function formatOfName(name: string): ExportFileFormat | null {
  const extension = extname(name).toLowerCase();
  return extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : null;
}

function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    if (code === 'ENOENT') return 'not found';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a folder';
    if (code === 'ELOOP') return 'too many symbolic links';
  }
  return error instanceof Error ? error.message : String(error);
}

function toDisplay(path: string): string {
  return path.split(sep).join('/');
}

/**
 * The export files the inputs name, one at a time: files as given (when .json or .csv),
 * folders searched recursively, each folder's entries in name order. The same file named
 * twice comes once; `exclude` (the outputs of this run) never comes. Only one folder's
 * entry names are held at a time, never the contents of files.
 */
export async function* findExportFiles(
  inputs: readonly string[],
  onProblem: (problem: InputProblem) => void,
  exclude: ReadonlySet<string> = new Set(),
  cwd: string = process.cwd(),
): AsyncGenerator<ExportFileRef> {
  const seen = new Set<string>();
  const visitedFolders = new Set<string>();
  for (const input of inputs) {
    const absolute = resolve(cwd, input);
    const rootName = basename(absolute) || absolute;
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      onProblem({ shown: input, display: rootName, reason: errorText(error) });
      continue;
    }
    if (info.isFile()) {
      const format = formatOfName(absolute);
      if (format === null) {
        onProblem({ shown: input, display: rootName, reason: 'not a .json or .csv file' });
        continue;
      }
      const real = await realpath(absolute);
      if (seen.has(real) || exclude.has(real)) continue;
      seen.add(real);
      yield { path: absolute, shown: input, display: rootName, format };
      continue;
    }
    if (!info.isDirectory()) {
      onProblem({ shown: input, display: rootName, reason: 'neither a file nor a folder' });
      continue;
    }
    let found = 0;
    const walk = async function* (folder: string): AsyncGenerator<ExportFileRef> {
      let real: string;
      try {
        real = await realpath(folder);
      } catch (error) {
        onProblem({ shown: join(input, relative(absolute, folder)), display: toDisplay(join(rootName, relative(absolute, folder))), reason: errorText(error) });
        return;
      }
      if (visitedFolders.has(real)) return; // a link back to a folder already searched
      visitedFolders.add(real);
      const names: { name: string; kind: 'file' | 'folder' | 'other' }[] = [];
      try {
        for await (const entry of await opendir(folder)) {
          let kind: 'file' | 'folder' | 'other' = entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : 'other';
          if (entry.isSymbolicLink()) {
            try {
              const target = await stat(join(folder, entry.name));
              kind = target.isFile() ? 'file' : target.isDirectory() ? 'folder' : 'other';
            } catch {
              kind = 'other';
            }
          }
          if (kind === 'folder' || (kind === 'file' && formatOfName(entry.name) !== null)) names.push({ name: entry.name, kind });
        }
      } catch (error) {
        onProblem({ shown: join(input, relative(absolute, folder)), display: toDisplay(join(rootName, relative(absolute, folder))), reason: `cannot list the folder: ${errorText(error)}` });
        return;
      }
      names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const { name, kind } of names) {
        const path = join(folder, name);
        if (kind === 'folder') {
          yield* walk(path);
          continue;
        }
        let realFile: string;
        try {
          realFile = await realpath(path);
        } catch {
          realFile = path;
        }
        if (exclude.has(realFile)) continue;
        found += 1; // named already through another input or link: still an export in this folder
        if (seen.has(realFile)) continue;
        seen.add(realFile);
        const inside = relative(absolute, path);
        yield { path, shown: join(input, inside), display: toDisplay(join(rootName, inside)), format: formatOfName(name)! };
      }
    };
    yield* walk(absolute);
    if (found === 0) onProblem({ shown: input, display: rootName, reason: 'no .json or .csv files in this folder' });
  }
}

// ---------------------------------------------------------------------------------------
// Reading one export
// ---------------------------------------------------------------------------------------

export interface ReadExportNotes {
  /**
   * Where the export time came from: the export itself, or, for a CSV export (which states
   * none), the start of its last day (csvExportTime).
   */
  readonly exportedAtSource: 'export' | 'period-end';
  /** Whether the days carry the session-length and waiting-time histograms (a CSV may not). */
  readonly histograms: boolean;
  /** The suppression threshold the export states (a CSV does not). */
  readonly suppressionThreshold: number | null;
}

export type ReadExportResult = { readonly ok: true; readonly export: StatisticsExport; readonly notes: ReadExportNotes } | { readonly ok: false; readonly reason: string };

/** One export read from a file. */
export interface ReadExport {
  readonly export: StatisticsExport;
  readonly notes: ReadExportNotes;
}

/** What a file holds: one export (a kiosk's own file) or several (a hub's export); a file with one bad export is skipped whole. */
export type ReadExportsResult = { readonly ok: true; readonly exports: readonly ReadExport[] } | { readonly ok: false; readonly reason: string };

const MAX_REASONS = 3;

function problemsText(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_REASONS).join('; ');
  return problems.length > MAX_REASONS ? `${shown} (and ${problems.length - MAX_REASONS} more)` : shown;
}

/** "days[3].sessions: …" → "days[3] (2025-01-04).sessions: …", so a coordinator can find the day. */
function withDays(problems: readonly string[], days: readonly { day: unknown }[] | undefined): string[] {
  if (days === undefined) return [...problems];
  return problems.map((problem) =>
    problem.replace(/^days\[(\d+)\]/, (whole, index: string) => {
      const day = days[Number(index)]?.day;
      return typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${whole} (${day})` : whole;
    }),
  );
}

function decodeText(bytes: Buffer): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.includes(0)) return { ok: false, reason: 'binary data, not a text export' };
  if (!isUtf8(bytes)) return { ok: false, reason: 'not UTF-8 text: not an export' };
  const text = bytes.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

async function readJsonValue(path: string): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > MAX_JSON_EXPORT_BYTES) return { ok: false, reason: `too large for an export (${(info.size / 1e6).toFixed(0)} MB)` };
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, reason: `cannot read it: ${errorText(error)}` };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  if (decoded.text.trim() === '') return { ok: false, reason: 'empty file (only blank space)' };
  try {
    return { ok: true, value: JSON.parse(decoded.text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not valid JSON (${message}): truncated or damaged?` };
  }
}

function checkedExport(value: unknown): { ok: true; export: StatisticsExport } | { ok: false; reason: string } {
  const parsed = parseStatisticsExport(value);
  if (parsed.ok) return { ok: true, export: parsed.export };
  const days = typeof value === 'object' && value !== null && Array.isArray((value as { days?: unknown }).days) ? ((value as { days: { day: unknown }[] }).days) : undefined;
  const lead = parsed.kind === 'unknown-version' ? 'unknown schema version' : parsed.kind === 'not-an-export' ? 'not a statistics export' : 'not a valid export';
  return { ok: false, reason: `${lead}: ${problemsText(withDays(parsed.problems, days))}` };
}

function jsonNotes(statistics: StatisticsExport): ReadExportNotes {
  return { exportedAtSource: 'export', histograms: true, suppressionThreshold: statistics.suppressionThreshold };
}

/** Reads and checks a JSON export. */
export async function readJsonExport(path: string): Promise<ReadExportResult> {
  const read = await readJsonValue(path);
  if (!read.ok) return read;
  const checked = checkedExport(read.value);
  if (!checked.ok) return checked;
  return { ok: true, export: checked.export, notes: jsonNotes(checked.export) };
}

/** Checks a parsed JSON file: one export, or an array of them (a hub's export). */
export function checkedJsonExports(value: unknown): ReadExportsResult {
  if (!Array.isArray(value)) {
    const checked = checkedExport(value);
    return checked.ok ? { ok: true, exports: [{ export: checked.export, notes: jsonNotes(checked.export) }] } : checked;
  }
  if (value.length === 0) return { ok: false, reason: 'an empty list: no exports in it' };
  const exports: ReadExport[] = [];
  for (const [index, item] of value.entries()) {
    const checked = checkedExport(item);
    if (!checked.ok) return { ok: false, reason: `[${index}]: ${checked.reason}` };
    exports.push({ export: checked.export, notes: jsonNotes(checked.export) });
  }
  return { ok: true, exports };
}

/** Reads and checks a JSON file holding one export or an array of them. */
export async function readJsonExports(path: string): Promise<ReadExportsResult> {
  const read = await readJsonValue(path);
  return read.ok ? checkedJsonExports(read.value) : read;
}

// ---------------------------------------------------------------------------------------
// CSV exports, read back into the same structure
// ---------------------------------------------------------------------------------------

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/**
 * RFC 4180 records from text that arrives in chunks: fields separated by commas, records
 * by CRLF or LF; a quoted field may hold commas, quotes (doubled) and line breaks. Lines
 * without a quote (nearly all of an export) are split directly; only records with quotes
 * are read character by character.
 */
export class CsvRecordReader {
  private buffer = '';
  /** 1-based line where the buffer starts. */
  private line = 1;

  /** Feeds text; calls onRecord for each complete record, with the line it starts on. */
  push(text: string, onRecord: (record: string[], line: number) => void): void {
    this.buffer = this.buffer === '' ? text : this.buffer + text;
    this.drain(onRecord, false);
  }

  /** The end of the text: the last record, if no line break followed it. */
  finish(onRecord: (record: string[], line: number) => void): void {
    this.drain(onRecord, true);
  }

  private drain(onRecord: (record: string[], line: number) => void, atEnd: boolean): void {
    const text = this.buffer;
    let start = 0;
    if (text.indexOf('"') === -1) {
      // No quote at all: every line is a record (the last one may be cut by the chunk).
      const lines = text.split('\n');
      const complete = atEnd ? lines.length : lines.length - 1;
      for (let index = 0; index < complete; index += 1) {
        const line = lines[index]!;
        if (line.length > MAX_CSV_RECORD_CHARS) throw new CsvFormatError(`line ${this.line}: a line longer than ${MAX_CSV_RECORD_CHARS} characters is not part of an export`);
        if (atEnd && index === lines.length - 1 && line === '') break;
        onRecord((line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line).split(','), this.line);
        this.line += 1;
      }
      this.buffer = atEnd ? '' : lines[lines.length - 1]!;
      if (this.buffer.length > MAX_CSV_RECORD_CHARS) throw new CsvFormatError(`line ${this.line}: a record longer than ${MAX_CSV_RECORD_CHARS} characters is not part of an export`);
      return;
    }
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      const quote = text.indexOf('"', start);
      if (quote === -1 || (newline !== -1 && quote > newline)) {
        if (newline === -1 && !atEnd) break;
        const end = newline === -1 ? text.length : newline;
        if (end - start > MAX_CSV_RECORD_CHARS) throw new CsvFormatError(`line ${this.line}: a line longer than ${MAX_CSV_RECORD_CHARS} characters is not part of an export`);
        const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        onRecord(text.slice(start, lineEnd).split(','), this.line);
        this.line += 1;
        start = end + 1;
        continue;
      }
      const quoted = this.quotedRecord(text, start, atEnd);
      if (quoted === null) break;
      onRecord(quoted.record, this.line);
      this.line += quoted.lines;
      start = quoted.next;
    }
    this.buffer = start === 0 ? text : text.slice(start);
    if (this.buffer.length > MAX_CSV_RECORD_CHARS) throw new CsvFormatError(`line ${this.line}: a record longer than ${MAX_CSV_RECORD_CHARS} characters is not part of an export`);
  }

  /** One record that holds quotes, from `start`; null when the text ends before it does (more may come). */
  private quotedRecord(text: string, start: number, atEnd: boolean): { record: string[]; next: number; lines: number } | null {
    const record: string[] = [];
    let index = start;
    let lines = 1;
    for (;;) {
      let field = '';
      if (index < text.length && text[index] === '"') {
        index += 1;
        for (;;) {
          const close = text.indexOf('"', index);
          if (close === -1) {
            if (atEnd) throw new CsvFormatError(`line ${this.line}: a quoted field is never closed (is the file cut short?)`);
            return null;
          }
          const part = text.slice(index, close);
          for (let at = part.indexOf('\n'); at !== -1; at = part.indexOf('\n', at + 1)) lines += 1;
          field += part;
          if (close + 1 < text.length && text[close + 1] === '"') {
            field += '"';
            index = close + 2;
            continue;
          }
          if (close + 1 >= text.length && !atEnd) return null; // a doubled quote may follow in the next chunk
          index = close + 1;
          break;
        }
      } else {
        let end = index;
        while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') {
          if (text[end] === '"') throw new CsvFormatError(`line ${this.line + lines - 1}: a quote in the middle of an unquoted field`);
          end += 1;
        }
        field = text.slice(index, end);
        index = end;
      }
      record.push(field);
      if (index >= text.length) return atEnd ? { record, next: index, lines } : null;
      const char = text[index];
      if (char === ',') {
        index += 1;
        continue;
      }
      if (char === '\r' && index + 1 >= text.length && !atEnd) return null;
      if (char === '\r' && text[index + 1] === '\n') return { record, next: index + 2, lines };
      if (char === '\n') return { record, next: index + 1, lines };
      throw new CsvFormatError(`line ${this.line + lines - 1}: text after the closing quote of a field`);
    }
  }
}

/**
 * Measures a CSV export may carry besides CSV_MEASURES: the two histograms, one row per
 * bucket, keyed by the bucket's lower bound in seconds (for example
 * `session_seconds_histogram,600,12`). Schema version 1 CSV exports do not write them yet;
 * without them a CSV day has empty histograms (see ReadExportNotes.histograms).
 */
export const CSV_HISTOGRAM_MEASURES = { session_seconds_histogram: SESSION_SECONDS_BUCKETS, help_wait_histogram: WAIT_SECONDS_BUCKETS } as const;

const FORMULA_PREFIXED = /^'[=+\-@\t\r]/;

/** Undoes the apostrophe the export puts before text a spreadsheet would run as a formula. */
export function unprefixCsvText(text: string): string {
  return FORMULA_PREFIXED.test(text) ? text.slice(1) : text;
}

interface DayDraft {
  day: string;
  sessions?: number | null;
  sessionSeconds: { total?: number | null; median?: number | null; p90?: number | null; histogram: (number | null)[] };
  endReasons: Record<string, number | null>;
  serviceOpenings: Record<string, number | null>;
  help: {
    requests?: number | null;
    acknowledged?: number | null;
    resolved?: number | null;
    cancelled?: number | null;
    waitSeconds: { median?: number | null; p90?: number | null; histogram: (number | null)[] };
  };
  languages: Record<string, number | null>;
  languageChanges?: number | null;
  accessibility: Record<string, number | null>;
  wipes: { total?: number | null; unverified?: number | null };
}

/** The draft of a day, with the fields the CSV must fill still undefined (so a missing row is named by the export's checks). */
function draftOf(day: string): DayDraft {
  return {
    day,
    sessionSeconds: { histogram: new Array<number | null>(SESSION_SECONDS_BUCKETS.length).fill(0) },
    endReasons: {},
    serviceOpenings: {},
    help: { waitSeconds: { histogram: new Array<number | null>(WAIT_SECONDS_BUCKETS.length).fill(0) } },
    languages: {},
    accessibility: {},
    wipes: {},
  };
}

const KEYED_MEASURES = new Set<string>(['end_reason', 'service_openings', 'language', 'accessibility', ...Object.keys(CSV_HISTOGRAM_MEASURES)]);
const KNOWN_MEASURES = new Set<string>([...CSV_MEASURES, ...Object.keys(CSV_HISTOGRAM_MEASURES)]);

/** A count cell: a whole number, or null for "suppressed"; throws naming the line otherwise. */
function countCell(value: string, measure: string, line: number): number | null {
  if (value === CSV_SUPPRESSED) return null;
  let valid = value.length > 0 && value.length <= 15;
  for (let index = 0; valid && index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    valid = code >= 48 && code <= 57;
  }
  if (!valid) throw new CsvFormatError(`line ${line}: ${measure} is "${value.length > 20 ? `${value.slice(0, 20)}…` : value}", not a count or "${CSV_SUPPRESSED}"`);
  return Number(value);
}

/** A median or p90 cell: empty when there were no values. */
function statisticCell(value: string, measure: string, line: number): number | null {
  return value === '' ? null : countCell(value, measure, line);
}

function givenTwice(measure: string, key: string, day: string, line: number): CsvFormatError {
  return new CsvFormatError(`line ${line}: ${measure}${key === '' ? '' : ` ${key}`} of ${day} is given twice`);
}

function setOnce<T extends object, K extends keyof T>(target: T, field: K, value: T[K], measure: string, day: string, line: number): void {
  if (target[field] !== undefined) throw givenTwice(measure, '', day, line);
  target[field] = value;
}

function setKeyOnce(record: Record<string, number | null>, key: string, value: number | null, measure: string, day: string, line: number): void {
  if (Object.hasOwn(record, key)) throw givenTwice(measure, key, day, line);
  record[key] = value;
}

/**
 * Builds a statistics export from the records of a CSV export (header first), as they
 * come. The result then goes through parseStatisticsExport like a JSON file, so both
 * formats meet the same checks.
 */
export class StatisticsCsvAssembler {
  private header = false;
  private kioskId: string | null = null;
  /** The name and site as written in the first row (compared raw on the next rows). */
  private rawName = '';
  private rawSite = '';
  private readonly days = new Map<string, DayDraft>();
  /** Histogram buckets already given, per day: "<day> <measure> <bucket>". */
  private readonly histogramCells = new Set<string>();
  private sawHistogram = false;
  private rows = 0;

  /** Throws CsvFormatError naming the line on anything that is not a row of an export. */
  add(record: readonly string[], line: number): void {
    if (!this.header) {
      this.checkHeader(record);
      this.header = true;
      return;
    }
    if (record.length === 1 && record[0] === '') return; // a blank line
    if (record.length !== CSV_HEADER.length) throw new CsvFormatError(`line ${line}: ${record.length} fields, not ${CSV_HEADER.length} (${CSV_HEADER.join(',')})`);
    const version = record[0]!;
    if (version !== '1') this.refuseVersion(version, line);
    const kioskId = record[1]!;
    if (this.kioskId === null) {
      this.kioskId = kioskId;
      this.rawName = record[2]!;
      this.rawSite = record[3]!;
    } else if (kioskId !== this.kioskId) {
      throw new CsvFormatError(`line ${line}: rows of a second kiosk (${kioskId}); a kiosk export holds one kiosk`);
    } else if (record[2] !== this.rawName || record[3] !== this.rawSite) {
      throw new CsvFormatError(`line ${line}: the kiosk's name or site differs from the first row's`);
    }
    const day = record[4]!;
    const measure = record[5]!;
    const key = record[6]!;
    if (!KNOWN_MEASURES.has(measure)) throw new CsvFormatError(`line ${line}: unknown measure "${measure.length > 40 ? `${measure.slice(0, 40)}…` : measure}"`);
    if (KEYED_MEASURES.has(measure) !== (key !== '')) {
      throw new CsvFormatError(KEYED_MEASURES.has(measure) ? `line ${line}: the measure ${measure} needs a key` : `line ${line}: the measure ${measure} takes no key`);
    }
    let draft = this.days.get(day);
    if (draft === undefined) {
      if (this.days.size >= MAX_PERIOD_DAYS) throw new CsvFormatError(`line ${line}: more than ${MAX_PERIOD_DAYS} days: an export covers at most three years`);
      draft = draftOf(day);
      this.days.set(day, draft);
    }
    this.rows += 1;
    this.apply(draft, measure, key, record[7]!, line);
  }

  /** The export as a plain value, for parseStatisticsExport. */
  result(): { value: unknown; histograms: boolean } {
    if (!this.header) throw new CsvFormatError('empty file');
    if (this.kioskId === null || this.rows === 0) throw new CsvFormatError('a header but no rows: no figures to merge');
    const days = [...this.days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    return {
      value: {
        format: STATISTICS_EXPORT_FORMAT,
        schemaVersion: STATISTICS_SCHEMA_VERSION,
        kioskId: this.kioskId,
        kiosk: { name: unprefixCsvText(this.rawName), site: unprefixCsvText(this.rawSite) },
        exportedAt: csvExportTime(days[days.length - 1]!.day),
        period: { from: days[0]!.day, to: days[days.length - 1]!.day },
        // A CSV export does not state it; only the merger's list of thresholds sees this, and the report shows CSV files' as not stated.
        suppressionThreshold: DEFAULT_STATISTICS_SETTINGS.suppressionThreshold,
        days,
      },
      histograms: this.sawHistogram,
    };
  }

  private refuseVersion(version: string, line: number): never {
    if (/^\d+$/.test(version)) {
      throw new CsvFormatError(
        `schema_version ${version} is not known: this program reads schema version ${STATISTICS_SCHEMA_VERSION} of the statistics export${Number(version) > STATISTICS_SCHEMA_VERSION ? '; the file comes from a newer EPN Kiosk, read it with that version' : ''}`,
      );
    }
    throw new CsvFormatError(`line ${line}: schema_version is "${version.length > 20 ? `${version.slice(0, 20)}…` : version}", not a schema version`);
  }

  private checkHeader(record: readonly string[]): void {
    const found = record.join(',');
    if (found === CSV_HEADER.join(',')) return;
    if (found === MERGED_CSV_HEADER.join(',')) throw new CsvFormatError('a merged CSV made by this command, not a kiosk export');
    if (found.trim() === '') throw new CsvFormatError('the first line is blank, not the header of a statistics export');
    const shown = found.length > 80 ? `${found.slice(0, 80)}…` : found;
    throw new CsvFormatError(`not a statistics export: the first line is "${shown}", not ${CSV_HEADER.join(',')}`);
  }

  private apply(draft: DayDraft, measure: string, key: string, value: string, line: number): void {
    const day = draft.day;
    switch (measure) {
      case 'sessions':
        return setOnce(draft, 'sessions', countCell(value, measure, line), measure, day, line);
      case 'session_seconds_total':
        return setOnce(draft.sessionSeconds, 'total', countCell(value, measure, line), measure, day, line);
      case 'session_seconds_median':
        return setOnce(draft.sessionSeconds, 'median', statisticCell(value, measure, line), measure, day, line);
      case 'session_seconds_p90':
        return setOnce(draft.sessionSeconds, 'p90', statisticCell(value, measure, line), measure, day, line);
      case 'end_reason':
        return setKeyOnce(draft.endReasons, key, countCell(value, measure, line), measure, day, line);
      case 'service_openings':
        return setKeyOnce(draft.serviceOpenings, key, countCell(value, measure, line), measure, day, line);
      case 'help_requests':
        return setOnce(draft.help, 'requests', countCell(value, measure, line), measure, day, line);
      case 'help_acknowledged':
        return setOnce(draft.help, 'acknowledged', countCell(value, measure, line), measure, day, line);
      case 'help_resolved':
        return setOnce(draft.help, 'resolved', countCell(value, measure, line), measure, day, line);
      case 'help_cancelled':
        return setOnce(draft.help, 'cancelled', countCell(value, measure, line), measure, day, line);
      case 'help_wait_median':
        return setOnce(draft.help.waitSeconds, 'median', statisticCell(value, measure, line), measure, day, line);
      case 'help_wait_p90':
        return setOnce(draft.help.waitSeconds, 'p90', statisticCell(value, measure, line), measure, day, line);
      case 'language':
        return setKeyOnce(draft.languages, key, countCell(value, measure, line), measure, day, line);
      case 'language_changes':
        return setOnce(draft, 'languageChanges', countCell(value, measure, line), measure, day, line);
      case 'accessibility':
        return setKeyOnce(draft.accessibility, key, countCell(value, measure, line), measure, day, line);
      case 'wipes':
        return setOnce(draft.wipes, 'total', countCell(value, measure, line), measure, day, line);
      case 'wipes_unverified':
        return setOnce(draft.wipes, 'unverified', countCell(value, measure, line), measure, day, line);
      case 'session_seconds_histogram':
      case 'help_wait_histogram': {
        const bounds = measure === 'session_seconds_histogram' ? SESSION_SECONDS_BUCKETS : WAIT_SECONDS_BUCKETS;
        const index = bounds.findIndex((bound) => String(bound) === key);
        if (index === -1) throw new CsvFormatError(`line ${line}: ${measure} has no bucket starting at "${key}" (buckets: ${bounds.join(', ')})`);
        const cell = `${draft.day} ${measure} ${index}`;
        if (this.histogramCells.has(cell)) throw givenTwice(measure, key, day, line);
        this.histogramCells.add(cell);
        const histogram = measure === 'session_seconds_histogram' ? draft.sessionSeconds.histogram : draft.help.waitSeconds.histogram;
        histogram[index] = countCell(value, measure, line);
        this.sawHistogram = true;
        return;
      }
      default:
        throw new CsvFormatError(`line ${line}: unknown measure "${measure}"`);
    }
  }
}

/**
 * The export time given to a CSV export, which states none: the start (00:00 UTC) of its
 * last day, the earliest it can have been made. So the same days exported in JSON win
 * (their export time is that or later), and of two CSV exports of overlapping periods the
 * one that ends later wins. A file's date is not used: copying a file changes it.
 */
export function csvExportTime(lastDay: string): string {
  return `${lastDay}T00:00Z`;
}

/** Parses the whole text of a CSV export (for tests and small files; the command streams). */
export function parseStatisticsCsv(text: string): ReadExportResult {
  const reader = new CsvRecordReader();
  const assembler = new StatisticsCsvAssembler();
  try {
    const onRecord = (record: string[], line: number) => assembler.add(record, line);
    reader.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, onRecord);
    reader.finish(onRecord);
    return assembled(assembler);
  } catch (error) {
    if (error instanceof CsvFormatError) return { ok: false, reason: csvReason(error) };
    throw error;
  }
}

function csvReason(error: CsvFormatError): string {
  return error.message.startsWith('schema_version') ? `unknown schema version: ${error.message}` : error.message === 'empty file' ? error.message : `not a valid CSV export: ${error.message}`;
}

function assembled(assembler: StatisticsCsvAssembler): ReadExportResult {
  const { value, histograms } = assembler.result();
  const checked = checkedExport(value);
  if (!checked.ok) return checked;
  return { ok: true, export: checked.export, notes: { exportedAtSource: 'period-end', histograms, suppressionThreshold: null } };
}

/**
 * The records of a CSV file, streamed; null when it was read to the end, else why not.
 * A CsvFormatError thrown by `onRecord` ends the reading with its message.
 */
async function streamCsvRecords(path: string, onRecord: (record: string[], line: number) => void): Promise<string | null> {
  const reader = new CsvRecordReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
      const bytes = chunk as Buffer;
      if (bytes.includes(0)) return 'binary data, not a text export';
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        return 'not UTF-8 text: not an export';
      }
      if (first && text !== '') {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      reader.push(text, onRecord);
    }
    try {
      reader.push(decoder.decode(), onRecord);
    } catch {
      return 'not UTF-8 text: not an export';
    }
    reader.finish(onRecord);
    return null;
  } catch (error) {
    if (error instanceof CsvFormatError) return csvReason(error);
    return `cannot read it: ${errorText(error)}`;
  }
}

/** Streams a CSV export and builds it back (its export time: csvExportTime). */
export async function readCsvExport(path: string): Promise<ReadExportResult> {
  const assembler = new StatisticsCsvAssembler();
  const problem = await streamCsvRecords(path, (record, line) => assembler.add(record, line));
  if (problem !== null) return { ok: false, reason: problem };
  try {
    return assembled(assembler);
  } catch (error) {
    if (error instanceof CsvFormatError) return { ok: false, reason: csvReason(error) };
    throw error;
  }
}

/** The most kiosks one CSV file may hold: far above a network's hub export. */
export const MAX_CSV_KIOSKS = 100_000;

/**
 * A CSV that may hold the rows of several kiosks under one header (a hub's export, every
 * kiosk's rows one after another): each kiosk's rows are assembled apart, as if each had
 * come in its own file.
 */
export class StatisticsCsvSplitter {
  private header: readonly string[] | null = null;
  private readonly kiosks = new Map<string, StatisticsCsvAssembler>();

  /** Throws CsvFormatError naming the line on anything that is not a row of an export. */
  add(record: readonly string[], line: number): void {
    if (this.header === null) {
      new StatisticsCsvAssembler().add(record, line); // checks the header
      this.header = [...record];
      return;
    }
    if (record.length === 1 && record[0] === '') return; // a blank line
    const kioskId = record[1] ?? '';
    let assembler = this.kiosks.get(kioskId);
    if (assembler === undefined) {
      if (this.kiosks.size >= MAX_CSV_KIOSKS) throw new CsvFormatError(`line ${line}: more than ${MAX_CSV_KIOSKS} kiosks in one file`);
      assembler = new StatisticsCsvAssembler();
      assembler.add(this.header, 1);
      this.kiosks.set(kioskId, assembler);
    }
    assembler.add(record, line);
  }

  /** Every kiosk's export, in the order the kiosks first appear; the file fails whole when one kiosk's rows do. */
  result(): ReadExportsResult {
    if (this.header === null) throw new CsvFormatError('empty file');
    if (this.kiosks.size === 0) throw new CsvFormatError('a header but no rows: no figures to merge');
    const exports: ReadExport[] = [];
    for (const [kioskId, assembler] of this.kiosks) {
      const read = assembled(assembler);
      if (!read.ok) return { ok: false, reason: this.kiosks.size > 1 ? `the rows of kiosk ${kioskId.slice(0, 40)}: ${read.reason}` : read.reason };
      exports.push({ export: read.export, notes: read.notes });
    }
    return { ok: true, exports };
  }
}

function splitResult(splitter: StatisticsCsvSplitter): ReadExportsResult {
  try {
    return splitter.result();
  } catch (error) {
    if (error instanceof CsvFormatError) return { ok: false, reason: csvReason(error) };
    throw error;
  }
}

/** Parses the whole text of a CSV holding one kiosk's rows or several kiosks' (for tests and small files; the command streams). */
export function parseStatisticsCsvExports(text: string): ReadExportsResult {
  const reader = new CsvRecordReader();
  const splitter = new StatisticsCsvSplitter();
  try {
    const onRecord = (record: string[], line: number) => splitter.add(record, line);
    reader.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, onRecord);
    reader.finish(onRecord);
  } catch (error) {
    if (error instanceof CsvFormatError) return { ok: false, reason: csvReason(error) };
    throw error;
  }
  return splitResult(splitter);
}

/** Streams a CSV holding one kiosk's rows or several kiosks' and builds each export back. */
export async function readCsvExports(path: string): Promise<ReadExportsResult> {
  const splitter = new StatisticsCsvSplitter();
  const problem = await streamCsvRecords(path, (record, line) => splitter.add(record, line));
  return problem === null ? splitResult(splitter) : { ok: false, reason: problem };
}

/** How much of a JSON file the first pass reads to find its kiosk. */
const JSON_HEAD_BYTES = 1024;
/** The first lines of a JSON export as exportToJson writes them, up to the kiosk id. */
const CANONICAL_JSON_START = /^\uFEFF?\s*\{\s*"format"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*"schemaVersion"\s*:\s*-?\d+\s*,\s*"kioskId"\s*:\s*"([0-9a-f]{32})"/;

/** Reads and checks an export file of either format: one kiosk's export, or a hub's export of several kiosks. */
export function readExportFile(path: string, format: ExportFileFormat): Promise<ReadExportsResult> {
  return format === 'json' ? readJsonExports(path) : readCsvExports(path);
}

/** The kiosks a parsed JSON file names (one export or an array of them); null when it does not name them all. */
function jsonKioskIds(value: unknown): string[] | null {
  const ids = new Set<string>();
  for (const item of Array.isArray(value) ? value : [value]) {
    const kioskId = typeof item === 'object' && item !== null ? (item as { kioskId?: unknown }).kioskId : undefined;
    if (typeof kioskId !== 'string') return null;
    ids.add(kioskId);
  }
  return ids.size > 0 ? [...ids] : null;
}

/**
 * Which kiosks a file holds, read cheaply, to add the exports kiosk by kiosk: a kiosk's
 * JSON export names its kiosk in its first bytes; other JSON files are parsed; a CSV's
 * kiosk column is read through (a hub's export holds many kiosks). Null when the first
 * pass cannot tell; problems are left to the full read.
 */
async function kiosksOfFile(file: ExportFileRef): Promise<{ ok: true; kioskIds: readonly string[] | null } | { ok: false; reason: string }> {
  if (file.format === 'json') {
    let head = '';
    try {
      const handle = await open(file.path, 'r');
      try {
        const buffer = Buffer.alloc(JSON_HEAD_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, JSON_HEAD_BYTES, 0);
        head = buffer.toString('utf8', 0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      return { ok: false, reason: `cannot read it: ${errorText(error)}` };
    }
    const match = CANONICAL_JSON_START.exec(head);
    if (match !== null) return { ok: true, kioskIds: [match[1]!] };
    const read = await readJsonValue(file.path);
    if (!read.ok) return read;
    return { ok: true, kioskIds: jsonKioskIds(read.value) };
  }
  const reader = new CsvRecordReader();
  const kioskIds = new Set<string>();
  let records = 0;
  const onRecord = (record: string[]) => {
    records += 1;
    if (records > 1 && record.length > 1) kioskIds.add(record[1]!);
  };
  const stream = createReadStream(file.path, { highWaterMark: 64 * 1024, encoding: 'utf8' });
  try {
    for await (const chunk of stream) reader.push(chunk as string, onRecord);
    reader.finish(onRecord);
  } catch (error) {
    if (!(error instanceof CsvFormatError)) return { ok: false, reason: `cannot read it: ${errorText(error)}` };
  } finally {
    stream.destroy();
  }
  return { ok: true, kioskIds: kioskIds.size > 0 ? [...kioskIds] : null };
}

// ---------------------------------------------------------------------------------------
// Reading a file for the merge
// ---------------------------------------------------------------------------------------

/** A file read and checked for the merge, with its size and time when it was read. */
export type MergeRead = (ReadExportsResult & { readonly ok: true; readonly size: number; readonly mtimeMs: number }) | { readonly ok: false; readonly reason: string };

/** Reads and checks a file, then notes its size and time (to tell a file that changed since the first pass). */
export async function readForMerge(path: string, format: ExportFileFormat): Promise<MergeRead> {
  const read = await readExportFile(path, format);
  if (!read.ok) return read;
  try {
    const info = await stat(path);
    return { ...read, size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    return { ok: false, reason: `cannot read it: ${errorText(error)}` };
  }
}

// ---------------------------------------------------------------------------------------
// The merge
// ---------------------------------------------------------------------------------------

export interface MergeRun {
  readonly report: MergedReport;
  readonly included: readonly IncludedReportFile[];
  readonly skipped: readonly SkippedReportFile[];
}

export interface MergeFilesOptions {
  /** Called for each file or folder skipped, as soon as it is known. */
  readonly onSkip?: (shown: string, reason: string) => void;
  /** Files never to read (the outputs of this run). */
  readonly exclude?: readonly string[];
  /** What relative inputs are relative to (default: the current folder). */
  readonly cwd?: string;
}

interface PlannedFile {
  readonly file: ExportFileRef;
  readonly size: number;
  readonly mtimeMs: number;
  /** The kiosks the first pass found, or null. */
  readonly kioskIds: readonly string[] | null;
  /** The kiosks whose last file this is: they are complete once it is in. */
  readonly completes: readonly string[];
}

/** Files whose reading is started before the one being added is done: the disk works while the processor parses. */
const READ_AHEAD = 2;

/**
 * Reads every export the inputs name and merges them. A first pass notes which kiosks each
 * file holds; the second reads and checks each file fully and adds the exports kiosk by
 * kiosk, telling the merger when a kiosk is complete, so only one kiosk's days (besides
 * those of files holding many kiosks, read first) and a few files read ahead are in
 * memory at a time.
 */
export async function mergeStatisticsFiles(inputs: readonly string[], options: MergeFilesOptions = {}): Promise<MergeRun> {
  const cwd = options.cwd ?? process.cwd();
  const skipped: SkippedReportFile[] = [];
  const skip = (shown: string, display: string, reason: string) => {
    skipped.push({ path: display, reason });
    options.onSkip?.(shown, reason);
  };
  const exclude = new Set<string>();
  for (const path of options.exclude ?? []) {
    const absolute = resolve(cwd, path);
    exclude.add(absolute);
    try {
      exclude.add(await realpath(absolute));
    } catch {
      // not written yet
    }
  }

  // First pass: which kiosks each file holds. Files of many kiosks (hubs' exports) come
  // first, then each kiosk's own files in the order the kiosks first appear.
  type Found = Omit<PlannedFile, 'completes'>;
  const manyKiosks: Found[] = [];
  const byKiosk = new Map<string, Found[]>();
  const unknownKiosk: Found[] = [];
  for await (const file of findExportFiles(inputs, (problem) => skip(problem.shown, problem.display, problem.reason), exclude, cwd)) {
    let info;
    try {
      info = await stat(file.path);
    } catch (error) {
      skip(file.shown, file.display, `cannot read it: ${errorText(error)}`);
      continue;
    }
    const kiosks = await kiosksOfFile(file);
    if (!kiosks.ok) {
      skip(file.shown, file.display, kiosks.reason);
      continue;
    }
    const entry: Found = { file, size: info.size, mtimeMs: info.mtimeMs, kioskIds: kiosks.kioskIds };
    const [only, ...others] = kiosks.kioskIds ?? [];
    if (only === undefined) {
      unknownKiosk.push(entry);
      continue;
    }
    if (others.length > 0) {
      manyKiosks.push(entry);
      continue;
    }
    let group = byKiosk.get(only);
    if (!group) {
      group = [];
      byKiosk.set(only, group);
    }
    group.push(entry);
  }
  // Files whose kiosk the first pass could not tell are not valid exports; the full read says why.
  const ordered = [...manyKiosks, ...[...byKiosk.values()].flat(), ...unknownKiosk];
  byKiosk.clear();
  const lastFileOf = new Map<string, number>();
  ordered.forEach((entry, index) => entry.kioskIds?.forEach((kioskId) => lastFileOf.set(kioskId, index)));
  const completedAt = new Map<number, string[]>();
  for (const [kioskId, index] of lastFileOf) completedAt.set(index, [...(completedAt.get(index) ?? []), kioskId]);
  const plan: PlannedFile[] = ordered.map((entry, index) => ({ ...entry, completes: completedAt.get(index) ?? [] }));

  // Second pass: kiosk by kiosk, the next file's reading started before this one is added.
  const merger: StatisticsMerger = createMerger();
  const included: IncludedReportFile[] = [];
  const ahead: Promise<MergeRead>[] = [];
  let next = 0;
  for (const planned of plan) {
    while (next < plan.length && ahead.length < READ_AHEAD) {
      const file = plan[next]!.file;
      ahead.push(readForMerge(file.path, file.format));
      next += 1;
    }
    const read = await ahead.shift()!;
    const { file } = planned;
    const readIds = read.ok ? [...new Set(read.exports.map((entry) => entry.export.kioskId))] : [];
    if (!read.ok) skip(file.shown, file.display, read.reason);
    else if (read.size !== planned.size || read.mtimeMs !== planned.mtimeMs) skip(file.shown, file.display, 'the file changed while it was being merged: run the merge again');
    else if (planned.kioskIds !== null && (readIds.length !== planned.kioskIds.length || readIds.some((kioskId) => !planned.kioskIds!.includes(kioskId)))) {
      skip(
        file.shown,
        file.display,
        planned.kioskIds.length === 1 && readIds.length === 1
          ? `not a valid export: it names two kiosks (kioskId ${planned.kioskIds[0]} first, then ${readIds[0]})`
          : 'not a valid export: its kiosks read differently the second time (was it changed meanwhile?): run the merge again',
      );
    } else {
      for (const { export: statistics, notes } of read.exports) {
        try {
          merger.add(statistics);
        } catch (error) {
          skip(file.shown, file.display, `cannot be merged: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        included.push({
          path: file.display,
          format: file.format,
          kioskId: statistics.kioskId,
          kioskName: statistics.kiosk.name,
          site: statistics.kiosk.site,
          from: statistics.period.from,
          to: statistics.period.to,
          dayCount: statistics.days.length,
          exportedAt: statistics.exportedAt,
          ...notes,
        });
      }
    }
    for (const kioskId of planned.completes) merger.completeKiosk(kioskId);
  }
  return { report: merger.report(), included, skipped };
}

// ---------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------

export interface StatsCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now: () => Date;
  readonly cwd: string;
}

const defaultIo: StatsCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
  cwd: process.cwd(),
};

function plural(count: number, one: string, other = `${one}s`): string {
  return `${count} ${count === 1 ? one : other}`;
}

/** One line: what was merged. */
export function summaryLine(run: MergeRun): string {
  const { report } = run;
  const days = report.network.series.length;
  const period = report.from === null || report.to === null ? 'no days with figures' : `${plural(days, 'day')} (${report.from} to ${report.to})`;
  // A hub's export is one file holding many kiosks' exports.
  const files = new Set(run.included.map((file) => file.path)).size;
  return `merged ${plural(files, 'file')}, skipped ${plural(run.skipped.length, 'file')}: ${plural(report.network.kioskCount, 'kiosk')}, ${plural(report.network.siteCount, 'site')}, ${period}`;
}

export async function runStatsCli(argv: readonly string[], io: StatsCliIo = defaultIo): Promise<number> {
  const parsed = parseStatsArguments(argv, io.cwd);
  if (parsed.kind === 'help') {
    io.stdout(`${STATS_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`stats: ${parsed.message}\n\n${STATS_USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  let chartJs: string;
  try {
    chartJs = loadChartJs();
  } catch (error) {
    io.stderr(`stats: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const run = await mergeStatisticsFiles(options.inputs, {
    cwd: io.cwd,
    exclude: [options.out, options.csv],
    onSkip: (shown, reason) => io.stderr(`stats: skipped ${shown}: ${reason}\n`),
  });
  if (run.included.length === 0) {
    io.stderr(`stats: ${summaryLine(run)}. No export could be merged: nothing written.\n`);
    return 1;
  }
  const html = buildStatisticsReportHtml({
    report: run.report,
    included: run.included,
    skipped: run.skipped,
    generatedAt: io.now(),
    title: options.title,
    csvFileName: basename(options.csv),
    chartJs,
  });
  try {
    await mkdir(dirname(options.out), { recursive: true });
    await mkdir(dirname(options.csv), { recursive: true });
    writeFileAtomically(options.out, html);
    writeFileAtomically(options.csv, mergedToCsv(run.report));
  } catch (error) {
    io.stderr(`stats: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  io.stdout(`stats: ${summaryLine(run)}. Report: ${options.out}. Merged CSV: ${options.csv}.\n`);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runStatsCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`stats: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
