/**
 * The configuration as staff change it from the staff screen: checked, saved safely,
 * applied at once, and recorded in a small change log (docs/configuration.md,
 * docs/managed-configuration.md).
 *
 * What is saved is the LOCAL file (`config.json`); the managed file belongs to the IT
 * department and is never written here. Keys the managed file sets are locked: a save
 * that would change one is refused. The local file keeps its own previous value for each
 * locked key, so that the day the IT department withdraws the managed file, the site's
 * own setting comes back rather than the one the IT department had imposed. When the
 * local file's own values would not make a valid file together with the staff's other
 * changes (the managed file sets `languages.offered` and staff pick a default language
 * only it offers, say), the values in force are written for the locked keys instead: the
 * local file must always be valid on its own.
 *
 * Writes are atomic with the previous file kept as `config.backup.json`
 * (electron/services/atomic-file.ts): a crash or a power cut during a save leaves the old
 * or the new file, never a broken one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigChangeSchema, MAX_CONFIG_IMPORT_CHARS, type ConfigChange, type ConfigCheckResult, type StaffConfigView } from '../../shared/contract';
import { changesLockedKey, configDiff, fieldPathSegments, sameValue, valueAtPath } from '../../shared/config/config-diff';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { parseKioskConfig, type ConfigProblem, type KioskConfig } from '../../shared/config/schema';
import { writeFileAtomically } from './atomic-file';
import { fileNamePart } from './file-name-part';
import { jsonSyntaxMessage, LOCAL_CONFIG_FILE_NAME, readJsonFile, resolveLocalConfig, type ConfigLoadProblem, type ConfigStore } from './config-store';
import type { StaffConfigEditor } from './kiosk-handlers';

export const CONFIG_BACKUP_FILE_NAME = 'config.backup.json';
export const CONFIG_CHANGE_LOG_FILE_NAME = 'config-changes.jsonl';
/** Enough to answer "what changed lately, and when"; a log that never grows beyond a few tens of kilobytes. */
export const MAX_CONFIG_CHANGES = 500;
/** ConfigChangeSchema's limits: an entry beyond them would be unreadable by the staff screen. */
const MAX_FIELDS_PER_CHANGE = 200;
const MAX_FIELD_CHARS = 200;
/** ConfigProblemSchema's limits. */
const MAX_PROBLEM_FIELD_CHARS = 500;
const MAX_PROBLEM_MESSAGE_CHARS = 2000;

export const LOCKED_KEY_MESSAGE = "is set by your organisation's IT department: ask them to change it";

export interface ConfigEditorOptions {
  readonly store: ConfigStore;
  /** The kiosk's data folder: the same one the store reads. */
  readonly dataDir: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

type ChangeSource = ConfigChange['source'];

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function problem(field: string, message: string): ConfigProblem {
  return { field: clip(field, MAX_PROBLEM_FIELD_CHARS), message: clip(message, MAX_PROBLEM_MESSAGE_CHARS) };
}

function refused(problems: readonly ConfigProblem[]): ConfigCheckResult {
  return { ok: false, problems: problems.map((item) => problem(item.field, item.message)) };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A store problem as staff read it: which file, then what is wrong. */
function viewProblem(loaded: ConfigLoadProblem): ConfigProblem {
  const which = loaded.source === 'managed' ? `The managed configuration file ${loaded.file}` : `The configuration file ${loaded.file}`;
  return problem(loaded.field, loaded.field === '' ? `${which} ${loaded.message}` : `${loaded.message} (in ${which.charAt(0).toLowerCase()}${which.slice(1)})`);
}

/** Sets (or, for `undefined`, removes) the value at a field path of a JSON-like copy, creating objects on the way. */
function putAtPath(root: PlainObject, path: string, value: unknown): void {
  const segments = fieldPathSegments(path);
  let current: unknown = root;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (typeof segment === 'number' || !isPlainObject(current)) return;
    if (last) {
      if (value === undefined) delete current[segment];
      else Object.defineProperty(current, segment, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    if (!isPlainObject(current[segment])) {
      if (value === undefined) return;
      current[segment] = {};
    }
    current = current[segment];
  }
}

function deepCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function configText(config: unknown): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** "PC 3 — Salle d'étude" → "pc-3-salle-d-etude": safe in a file name on every system. */
export function fileNameSlug(name: string): string {
  return fileNamePart(name) || 'kiosk';
}

function localDate(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Keeps an entry within the log's limits: a change too wide to list field by field is named by section. */
function boundedFields(fields: readonly string[]): string[] {
  let bounded = fields.map((field) => clip(field, MAX_FIELD_CHARS));
  if (bounded.length > MAX_FIELDS_PER_CHANGE) {
    bounded = [...new Set(bounded.map((field) => fieldPathSegments(field)[0]?.toString().replace(/ \(order\)$/, '') ?? field))];
  }
  return bounded.slice(0, MAX_FIELDS_PER_CHANGE);
}

// ---------------------------------------------------------------------------
// The change log: one JSON line per save, newest last on disk.

function createChangeLog(file: string, log: (line: string) => void) {
  const readAll = (): ConfigChange[] => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // No log yet (or an unreadable one): there is nothing to show, and saving must not depend on it.
      return [];
    }
    const changes: ConfigChange[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed = ConfigChangeSchema.safeParse(JSON.parse(line));
        if (parsed.success) changes.push(parsed.data);
      } catch {
        // A line cut short by a power cut during an append: the other entries are still good.
      }
    }
    return changes;
  };

  const endsWithNewline = (): boolean => {
    try {
      const text = readFileSync(file, 'utf8');
      return text === '' || text.endsWith('\n');
    } catch {
      return true;
    }
  };

  const append = (change: ConfigChange): void => {
    const line = `${JSON.stringify(change)}\n`;
    try {
      const existing = readAll();
      if (existing.length + 1 > MAX_CONFIG_CHANGES) {
        const kept = [...existing, change].slice(-MAX_CONFIG_CHANGES);
        writeFileAtomically(file, kept.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
        return;
      }
      // After a line cut short, start on a line of our own so the new entry stays readable.
      const bytes = Buffer.from(endsWithNewline() ? line : `\n${line}`, 'utf8');
      const descriptor = openSync(file, 'a', 0o644);
      try {
        let written = 0;
        while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written);
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    } catch (error) {
      // The settings are saved and applied; only their record is missing.
      log(`configuration: could not record the change in ${file}: ${describeError(error)}`);
    }
  };

  return { readAll, append };
}

// ---------------------------------------------------------------------------

export function createConfigEditor(options: ConfigEditorOptions): StaffConfigEditor & {
  /** `source` says where the configuration came from; left out, a configuration identical to the last file checked counts as an import. */
  save(config: unknown, source?: ChangeSource): ConfigCheckResult;
} {
  const { store, dataDir } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const localFile = join(dataDir, LOCAL_CONFIG_FILE_NAME);
  const backupFile = join(dataDir, CONFIG_BACKUP_FILE_NAME);
  const changeLog = createChangeLog(join(dataDir, CONFIG_CHANGE_LOG_FILE_NAME), log);
  /** The configuration of the last file staff checked: saving it unchanged is an import. */
  let lastCheckedFile: KioskConfig | null = null;

  const lockedProblems = (candidate: KioskConfig, messageSuffix = ''): ConfigProblem[] =>
    changesLockedKey(store.lockedKeys(), store.current(), candidate).map((field) => problem(field, `${LOCKED_KEY_MESSAGE}${messageSuffix}`));

  /**
   * The local file's content: the staff's configuration, with the local file's own
   * values for the locked keys when that is still a valid configuration on its own.
   */
  const localContentFor = (config: KioskConfig): KioskConfig => {
    const lockedKeys = store.lockedKeys();
    if (lockedKeys.length === 0) return config;
    const ownBase = resolveLocalConfig(dataDir).config;
    const candidate = deepCopy(config) as unknown as PlainObject;
    for (const path of lockedKeys) putAtPath(candidate, path, deepCopy(valueAtPath(ownBase, path)));
    const parsed = parseKioskConfig(candidate);
    if (parsed.ok) return parsed.config;
    log(`configuration: the site's own values for ${lockedKeys.join(', ')} no longer fit the other settings; the values set by the IT department are written to ${localFile} instead`);
    return config;
  };

  const save = (input: unknown, source?: ChangeSource): ConfigCheckResult => {
    const parsed = parseKioskConfig(input);
    if (!parsed.ok) return refused(parsed.problems);
    const config = parsed.config;
    const locked = lockedProblems(config);
    if (locked.length > 0) return refused(locked);

    const before = store.current();
    const text = configText(localContentFor(config));
    const onDisk = readJsonFile(localFile);
    if (onDisk.kind !== 'parsed' || onDisk.text !== text) {
      try {
        mkdirSync(dataDir, { recursive: true });
        writeFileAtomically(localFile, text, { backupPath: backupFile, mode: 0o644 });
      } catch (error) {
        log(`configuration: ${describeError(error)}`);
        return refused([problem('', `The settings could not be saved (${describeError(error)}). Nothing was changed: check that the disk is not full, then try again`)]);
      }
    }
    store.reload();

    const fields = configDiff(before, store.current());
    if (fields.length > 0) {
      const changeSource = source ?? (lastCheckedFile !== null && sameValue(lastCheckedFile, config) ? 'import' : 'staff-screen');
      changeLog.append({ at: Math.trunc(now()), source: changeSource, fields: boundedFields(fields) });
      log(`configuration: saved from the ${changeSource === 'import' ? 'imported file' : 'staff screen'}; changed ${fields.length} setting(s)`);
    }
    lastCheckedFile = null;
    return { ok: true, config: store.current() };
  };

  const checkFile = (text: string): ConfigCheckResult => {
    if (text.length > MAX_CONFIG_IMPORT_CHARS) {
      return refused([problem('', `The file is larger than ${Math.round(MAX_CONFIG_IMPORT_CHARS / 1024)} KB: a configuration is a few kilobytes, check that this is the right file`)]);
    }
    const withoutMark = text.replace(/^\uFEFF/, '');
    let value: unknown;
    try {
      value = JSON.parse(withoutMark) as unknown;
    } catch (error) {
      return refused([problem('', `The file ${jsonSyntaxMessage(withoutMark, error)}`)]);
    }
    const parsed = parseKioskConfig(value);
    if (!parsed.ok) return refused(parsed.problems);
    const locked = lockedProblems(parsed.config, ' (or give it, in the file, the value this kiosk shows)');
    if (locked.length > 0) return refused(locked);
    lastCheckedFile = parsed.config;
    return { ok: true, config: parsed.config };
  };

  const exportFile = (): { fileName: string; mediaType: string; content: string } => {
    const onDisk = readJsonFile(localFile);
    // A broken local file is exported as it is: it is what someone will be asked to fix.
    let content: string;
    if (onDisk.kind === 'parsed') content = onDisk.text;
    else if (onDisk.kind === 'absent') content = configText(DEFAULT_CONFIG);
    else {
      try {
        content = readFileSync(localFile, 'utf8');
      } catch {
        content = configText(resolveLocalConfig(dataDir).config);
      }
    }
    return {
      fileName: `epn-kiosk-config-${fileNameSlug(store.current().kiosk.name)}-${localDate(now())}.json`,
      mediaType: 'application/json',
      content,
    };
  };

  return {
    view: (): StaffConfigView => ({
      config: store.current(),
      lockedKeys: [...store.lockedKeys()],
      problems: store.problems().map(viewProblem),
    }),
    save,
    checkFile,
    exportFile,
    changeLog: () => changeLog.readAll().reverse(),
  };
}
