/**
 * The configuration in force, read from the kiosk's local file and the system-wide
 * managed file (docs/configuration.md). A bad file never stops the kiosk: each
 * problem is reported with the file, the field and the fix, and the kiosk runs on
 * the last good configuration or, failing that, the built-in one.
 *
 * Order of precedence: managed file over local file, key by key
 * (shared/config/managed-merge.ts). When the merge makes an invalid configuration,
 * the managed file is the cause (the local one was valid on its own) and is set
 * aside as a whole rather than half-applied.
 */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { mkdirSync, readFileSync, statSync, unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import { basename, dirname, join, win32 } from 'node:path';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { mergeManagedConfig } from '../../shared/config/managed-merge';
import { parseKioskConfig, type ConfigProblem, type KioskConfig } from '../../shared/config/schema';
import { writeFileAtomically } from './atomic-file';

export interface ConfigLoadProblem {
  readonly source: 'local' | 'managed';
  readonly file: string;
  /** The field at fault, for example "services[2].startUrl"; empty for the file as a whole. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export interface ConfigStore {
  /** The configuration in force (satisfies ConfigSource of electron/services/kiosk-handlers.ts). */
  current(): KioskConfig;
  /** Problems found by the last load; empty when both files are fine or absent. */
  problems(): readonly ConfigLoadProblem[];
  /** Field paths imposed by the managed file, which staff may not change. */
  lockedKeys(): readonly string[];
  /** Reads both files again; listeners hear of it when the configuration in force changed. */
  reload(): { changed: boolean };
  /** Called with the new configuration each time the one in force changes. Returns an unsubscribe function. */
  onChange(listener: (config: KioskConfig) => void): () => void;
  /** Stops watching the files. */
  close(): void;
}

export interface ConfigStoreOptions {
  /** The kiosk's data folder: holds config.json and config.last-good.json. */
  readonly dataDir: string;
  /** The managed file; `undefined` for the platform's usual place, `null` for none. */
  readonly managedConfigPath?: string | null;
  /** Follow changes to both files while the kiosk runs. */
  readonly watch?: boolean;
  readonly log?: (line: string) => void;
}

export const LOCAL_CONFIG_FILE_NAME = 'config.json';
export const LAST_GOOD_CONFIG_FILE_NAME = 'config.last-good.json';
export const MANAGED_CONFIG_ENV = 'EPN_KIOSK_MANAGED_CONFIG';

/** Editors and fleet tools write a file in several steps; one reload after they settle is enough. */
const WATCH_DEBOUNCE_MS = 200;
/** How often a managed file whose folder does not exist yet is looked for. */
const MANAGED_POLL_INTERVAL_MS = 2_000;
/** A configuration is a few kilobytes; anything this large is the wrong file. */
const MAX_CONFIG_BYTES = 5 * 1024 * 1024;
/** Bounds the syntax checker's recursion, like MAX_DEPTH in managed-merge.ts. */

export function defaultManagedConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[MANAGED_CONFIG_ENV];
  if (override !== undefined && override.trim() !== '') return override;
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return win32.join(programData, 'EPN Kiosk', 'managed-config.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/EPN Kiosk/managed-config.json';
  return '/etc/epn-kiosk/managed-config.json';
}

// ---------------------------------------------------------------------------
// Reading a file

export type FileRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'parsed'; readonly value: unknown; readonly text: string }
  | { readonly kind: 'unusable'; readonly message: string };

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function readProblem(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return "cannot be read (permission denied): give the kiosk's user account permission to read it";
    case 'EISDIR':
      return 'is a folder, not a file: put the configuration file itself at this place';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)}): check the disk and the file`;
  }
}

const VALUE_EXPECTED = 'a value (text in double quotes, a number, true, false, null, an object or a list)';
const IN_THE_TEXT_STARTING_HERE = 'in the text that starts there';

/** What staff read for each of jsonc-parser's errors (by printParseErrorCode's name): what was expected there. */
const EXPECTED_BY_ERROR: Readonly<Record<string, string>> = {
  InvalidSymbol: VALUE_EXPECTED,
  InvalidNumberFormat: 'a valid number',
  PropertyNameExpected: 'a field name in double quotes (no comma after the last field)',
  ValueExpected: VALUE_EXPECTED,
  ColonExpected: 'a colon ":" after the field name',
  CommaExpected: 'a comma "," between fields or items',
  CloseBraceExpected: 'a comma "," between fields or a closing brace "}"',
  CloseBracketExpected: 'a comma "," between items or a closing bracket "]"',
  EndOfFileExpected: 'the end of the file: there is something after the last closing brace',
  InvalidCommentToken: 'no comment: JSON does not accept comments',
  UnexpectedEndOfComment: 'the end of the comment (JSON does not accept comments)',
  UnexpectedEndOfString: 'the closing double quote of the text',
  UnexpectedEndOfNumber: 'a valid number',
  InvalidUnicode: `four hexadecimal digits after \\u, ${IN_THE_TEXT_STARTING_HERE}`,
  InvalidEscapeCharacter: `a valid escape after the backslash (\\", \\\\, \\n or \\uXXXX), ${IN_THE_TEXT_STARTING_HERE}; to write a Windows path, double each backslash`,
  InvalidCharacter: `the closing double quote before the end of the line, ${IN_THE_TEXT_STARTING_HERE}`,
};

/**
 * Where a text stops being JSON, and what was expected there (jsonc-parser, the parser
 * behind VS Code's JSON support, in strict JSON mode). JSON.parse's own messages differ
 * between Node versions and some give no position; staff need a line and a column.
 */
function locateJsonSyntaxError(text: string): { offset: number; expected: string } | null {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return null;
  const name = printParseErrorCode(first.error);
  if (text[first.offset] === "'" && name !== 'PropertyNameExpected') {
    return { offset: first.offset, expected: 'double quotes: JSON does not accept single quotes' };
  }
  return { offset: first.offset, expected: EXPECTED_BY_ERROR[name] ?? VALUE_EXPECTED };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** What is wrong with a text that is not JSON, with the line and column (for files staff import too). */
export function jsonSyntaxMessage(text: string, parseError: unknown): string {
  if (text.trim() === '') return 'is empty: write the configuration in it, or delete the file to use the built-in configuration';
  const location = locateJsonSyntaxError(text);
  if (location === null) {
    return `is not valid JSON (${parseError instanceof Error ? parseError.message : String(parseError)}): check its syntax`;
  }
  const { line, column } = lineAndColumn(text, location.offset);
  const where = location.offset >= text.length ? `at the end of the file (line ${line})` : `at line ${line}, column ${column}`;
  return `is not valid JSON ${where}: expected ${location.expected}. Fix the file there: a missing comma, quote or brace is the usual cause`;
}

/** Reads a configuration file: absent, parsed JSON with its text, or a message saying why it cannot be used. */
export function readJsonFile(file: string): FileRead {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES) {
      return { kind: 'unusable', message: `is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB: a configuration is a few kilobytes, check that this is the right file` };
    }
    bytes = readFileSync(file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'unusable', message: readProblem(error) };
  }
  // Notepad and some fleet tools save UTF-8 with a byte-order mark, which JSON.parse refuses.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { kind: 'parsed', value: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { kind: 'unusable', message: jsonSyntaxMessage(text, error) };
  }
}

// ---------------------------------------------------------------------------
// Deciding the configuration in force

interface Resolution {
  readonly config: KioskConfig;
  readonly lockedKeys: readonly string[];
  readonly problems: readonly ConfigLoadProblem[];
  /** The exact text of a valid local file, to keep as the last good one. */
  readonly validLocalText: string | null;
  /** What the configuration in force is built on. */
  readonly basis: 'local' | 'last-good' | 'built-in';
}

export function builtInConfig(): KioskConfig {
  const parsed = parseKioskConfig(DEFAULT_CONFIG);
  if (!parsed.ok) throw new Error(`the built-in configuration is invalid:\n${parsed.problems.map((p) => `${p.field}: ${p.message}`).join('\n')}`);
  return parsed.config;
}

function tag(source: ConfigLoadProblem['source'], file: string, problems: readonly ConfigProblem[]): ConfigLoadProblem[] {
  return problems.map((problem) => ({ source, file, field: problem.field, message: problem.message }));
}

function resolveLocal(localFile: string, lastGoodFile: string): Omit<Resolution, 'lockedKeys'> {
  const local = readJsonFile(localFile);
  if (local.kind === 'absent') return { config: builtInConfig(), problems: [], validLocalText: null, basis: 'built-in' };

  const problems: ConfigLoadProblem[] = [];
  if (local.kind === 'parsed') {
    const parsed = parseKioskConfig(local.value);
    if (parsed.ok) return { config: parsed.config, problems: [], validLocalText: local.text, basis: 'local' };
    problems.push(...tag('local', localFile, parsed.problems));
  } else {
    problems.push({ source: 'local', file: localFile, field: '', message: local.message });
  }

  const lastGood = readJsonFile(lastGoodFile);
  if (lastGood.kind === 'parsed') {
    const parsed = parseKioskConfig(lastGood.value);
    if (parsed.ok) return { config: parsed.config, problems, validLocalText: null, basis: 'last-good' };
    // A last good file from an older format is no longer good; say so, since the built-in configuration takes over.
    problems.push(...tag('local', lastGoodFile, parsed.problems));
  } else if (lastGood.kind === 'unusable') {
    problems.push({ source: 'local', file: lastGoodFile, field: '', message: lastGood.message });
  }
  return { config: builtInConfig(), problems, validLocalText: null, basis: 'built-in' };
}

/**
 * The local configuration the kiosk runs on before the managed file is applied: the
 * local file if valid, else the last good copy, else the built-in one.
 */
export function resolveLocalConfig(dataDir: string): { config: KioskConfig; basis: 'local' | 'last-good' | 'built-in' } {
  const local = resolveLocal(join(dataDir, LOCAL_CONFIG_FILE_NAME), join(dataDir, LAST_GOOD_CONFIG_FILE_NAME));
  return { config: local.config, basis: local.basis };
}

function resolve(localFile: string, lastGoodFile: string, managedFile: string | null): Resolution {
  const local = resolveLocal(localFile, lastGoodFile);
  const managed = managedFile === null ? ({ kind: 'absent' } as const) : readJsonFile(managedFile);
  if (managed.kind === 'absent' || managedFile === null) return { ...local, lockedKeys: [] };
  if (managed.kind === 'unusable') {
    return {
      ...local,
      lockedKeys: [],
      problems: [...local.problems, { source: 'managed', file: managedFile, field: '', message: `${managed.message}; until then the managed file is ignored` }],
    };
  }

  const merge = mergeManagedConfig(local.config, managed.value);
  const managedProblems = tag('managed', managedFile, merge.problems);
  const parsed = parseKioskConfig(merge.merged);
  if (!parsed.ok) {
    const ignored = tag('managed', managedFile, parsed.problems).map((problem) => ({
      ...problem,
      message: `${problem.message} (set by the managed file, which is ignored until this is fixed)`,
    }));
    return { ...local, lockedKeys: [], problems: [...local.problems, ...managedProblems, ...ignored] };
  }
  return { ...local, config: parsed.config, lockedKeys: merge.lockedKeys, problems: [...local.problems, ...managedProblems] };
}

/** Key order in a file is not a change: compares configurations by content. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function problemKey(problem: ConfigLoadProblem): string {
  return `${problem.source}\u0000${problem.file}\u0000${problem.field}\u0000${problem.message}`;
}

export function describeLoadProblem(problem: ConfigLoadProblem): string {
  const what = problem.source === 'managed' ? 'managed configuration' : 'configuration';
  return `${what} ${problem.file}: ${problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`}`;
}

// ---------------------------------------------------------------------------
// The store

export function openConfigStore(options: ConfigStoreOptions): ConfigStore {
  const log = options.log ?? (() => undefined);
  const localFile = join(options.dataDir, LOCAL_CONFIG_FILE_NAME);
  const lastGoodFile = join(options.dataDir, LAST_GOOD_CONFIG_FILE_NAME);
  const managedFile = options.managedConfigPath === undefined ? defaultManagedConfigPath() : options.managedConfigPath;

  const listeners = new Set<(config: KioskConfig) => void>();
  let state: Resolution = { config: builtInConfig(), lockedKeys: [], problems: [], validLocalText: null, basis: 'built-in' };
  let reportedFallback: Resolution['basis'] | null = null;
  let stateKey = canonicalJson(state.config);
  let reportedProblems = new Set<string>();
  let lastGoodText: string | null = null;
  let closed = false;

  const rememberLastGood = (text: string) => {
    if (lastGoodText === null) {
      const existing = readJsonFile(lastGoodFile);
      lastGoodText = existing.kind === 'parsed' ? existing.text : '';
    }
    if (text === lastGoodText) return;
    try {
      mkdirSync(options.dataDir, { recursive: true });
      writeFileAtomically(lastGoodFile, text);
      lastGoodText = text;
    } catch (error) {
      // The kiosk runs on the configuration it has; only the fallback for a later bad file is stale.
      log(`configuration: could not keep a copy of the last good configuration in ${lastGoodFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const load = (): boolean => {
    let next: Resolution;
    try {
      next = resolve(localFile, lastGoodFile, managedFile);
    } catch (error) {
      // Reading is meant to turn every bad file into a problem; anything else must not take the kiosk down either.
      log(`configuration: unexpected error while reading the configuration, keeping the one in force: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    }
    const nextReported = new Set(next.problems.map(problemKey));
    for (const problem of next.problems) {
      if (!reportedProblems.has(problemKey(problem))) log(describeLoadProblem(problem));
    }
    reportedProblems = nextReported;
    const localBroken = next.problems.some((problem) => problem.source === 'local');
    const fallback = localBroken ? next.basis : null;
    if (fallback !== null && fallback !== reportedFallback) {
      const basis = fallback === 'last-good' ? `the last good configuration (${lastGoodFile})` : 'the built-in configuration';
      log(`configuration: the kiosk runs on ${basis} until ${localFile} is fixed`);
    }
    reportedFallback = fallback;
    if (next.validLocalText !== null) rememberLastGood(next.validLocalText);

    const nextKey = canonicalJson(next.config);
    const changed = nextKey !== stateKey;
    state = next;
    stateKey = nextKey;
    return changed;
  };

  const notify = () => {
    for (const listener of [...listeners]) {
      try {
        listener(state.config);
      } catch (error) {
        log(`configuration: a listener failed on a configuration change: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  const reload = (): { changed: boolean } => {
    if (closed) return { changed: false };
    const changed = load();
    if (changed) notify();
    return { changed };
  };

  load();

  const watchers: FSWatcher[] = [];
  const polledFiles: string[] = [];
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const scheduleReload = () => {
    if (closed) return;
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      reload();
    }, WATCH_DEBOUNCE_MS);
  };

  const pollFile = (file: string) => {
    watchFile(file, { interval: MANAGED_POLL_INTERVAL_MS, persistent: false }, scheduleReload);
    polledFiles.push(file);
  };

  /**
   * Watches folders rather than files: editors and deployment tools replace a file
   * by renaming a new one over it, which a watch on the old file would miss.
   */
  const watchFolder = (folder: string, files: readonly string[]) => {
    const names = new Set(files.map((file) => basename(file)));
    try {
      const watcher = watch(folder, { persistent: false }, (_event, changed) => {
        // Some platforms do not say which entry changed; reloading costs little.
        if (changed === null || names.has(changed.toString())) scheduleReload();
      });
      watcher.on('error', (error) => {
        log(`configuration: stopped watching ${folder} (${error.message}); checking its files every ${MANAGED_POLL_INTERVAL_MS / 1000} s instead`);
        watcher.close();
        files.forEach(pollFile);
      });
      watchers.push(watcher);
    } catch {
      // The folder does not exist (yet): an IT department may deploy the managed file later.
      files.forEach(pollFile);
    }
  };

  if (options.watch === true) {
    const filesByFolder = new Map<string, string[]>();
    for (const file of managedFile === null ? [localFile] : [localFile, managedFile]) {
      filesByFolder.set(dirname(file), [...(filesByFolder.get(dirname(file)) ?? []), file]);
    }
    filesByFolder.forEach((files, folder) => watchFolder(folder, files));
  }

  return {
    current: () => state.config,
    problems: () => state.problems,
    lockedKeys: () => state.lockedKeys,
    reload,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (debounce !== undefined) clearTimeout(debounce);
      for (const watcher of watchers) watcher.close();
      for (const file of polledFiles) unwatchFile(file, scheduleReload);
      watchers.length = 0;
      polledFiles.length = 0;
      listeners.clear();
    },
  };
}
