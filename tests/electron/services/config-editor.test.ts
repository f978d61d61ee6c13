import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_BACKUP_FILE_NAME,
  CONFIG_CHANGE_LOG_FILE_NAME,
  LOCKED_KEY_MESSAGE,
  MAX_CONFIG_CHANGES,
  createConfigEditor,
  fileNameSlug,
} from '../../../electron/services/config-editor';
import { LOCAL_CONFIG_FILE_NAME, openConfigStore, type ConfigStore } from '../../../electron/services/config-store';
import { ConfigChangeSchema, ConfigCheckResultSchema, StaffConfigViewSchema, type ConfigCheckResult } from '../../../shared/contract';
import { DEFAULT_CONFIG } from '../../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig } from '../../../shared/config/schema';

let root: string;
let dataDir: string;
let localFile: string;
let backupFile: string;
let changeLogFile: string;
let managedFile: string;
let logLines: string[];
const stores: ConfigStore[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'epn-config-editor-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir);
  mkdirSync(join(root, 'etc'));
  localFile = join(dataDir, LOCAL_CONFIG_FILE_NAME);
  backupFile = join(dataDir, CONFIG_BACKUP_FILE_NAME);
  changeLogFile = join(dataDir, CONFIG_CHANGE_LOG_FILE_NAME);
  managedFile = join(root, 'etc', 'managed-config.json');
  logLines = [];
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(root, { recursive: true, force: true });
});

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function configNamed(name: string, site = ''): KioskConfig {
  const parsed = parseKioskConfig({ ...structuredClone(DEFAULT_CONFIG), kiosk: { name, site } });
  if (!parsed.ok) throw new Error(`test configuration refused: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

/** A clock the test sets. */
function clock(start = Date.UTC(2025, 2, 14, 10, 0, 0)) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

function setUp(options: { now?: () => number } = {}) {
  const store = openConfigStore({ dataDir, managedConfigPath: managedFile, log: (line) => logLines.push(line) });
  stores.push(store);
  const editor = createConfigEditor({ store, dataDir, now: options.now, log: (line) => logLines.push(line) });
  return { store, editor };
}

function expectOk(result: ConfigCheckResult): KioskConfig {
  expect(ConfigCheckResultSchema.safeParse(result).success).toBe(true);
  if (!result.ok) throw new Error(`expected the configuration to be accepted: ${JSON.stringify(result.problems)}`);
  return result.config;
}

function expectProblems(result: ConfigCheckResult): { field: string; message: string }[] {
  expect(ConfigCheckResultSchema.safeParse(result).success).toBe(true);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.problems;
}

function filesIn(folder: string): string[] {
  return readdirSync(folder).sort();
}

describe('createConfigEditor: view', () => {
  it('shows the configuration in force, the locked keys and the problems of the files', () => {
    writeJson(localFile, configNamed('PC 3'));
    writeJson(managedFile, { kiosk: { site: 'EPN de Namur' }, idleTimeout: 5 });
    const { editor, store } = setUp();
    const view = editor.view();
    expect(StaffConfigViewSchema.safeParse(view).success).toBe(true);
    expect(view.config).toEqual(store.current());
    expect(view.config.kiosk).toMatchObject({ name: 'PC 3', site: 'EPN de Namur' });
    expect(view.lockedKeys).toEqual(['kiosk.site']);
    expect(view.problems).toEqual([{ field: 'idleTimeout', message: expect.stringContaining(`(in the managed configuration file ${managedFile})`) as unknown }]);
  });

  it('names the file in a problem about a whole file', () => {
    writeFileSync(localFile, '{ "schemaVersion": 1,, }');
    const { editor } = setUp();
    const [problem] = editor.view().problems;
    expect(problem?.field).toBe('');
    expect(problem?.message).toMatch(new RegExp(`^The configuration file .*${LOCAL_CONFIG_FILE_NAME} is not valid JSON at line 1, column`));
  });
});

describe('createConfigEditor: save', () => {
  it('applies a saved configuration at once: the store has it and its listeners hear of it', () => {
    const { editor, store } = setUp();
    const heard: KioskConfig[] = [];
    store.onChange((config) => heard.push(config));
    const saved = expectOk(editor.save(configNamed('PC 5', 'EPN de Liège')));
    expect(saved.kiosk.name).toBe('PC 5');
    expect(store.current().kiosk).toMatchObject({ name: 'PC 5', site: 'EPN de Liège' });
    expect(heard.map((config) => config.kiosk.name)).toEqual(['PC 5']);
    expect(readJson(localFile)).toMatchObject({ kiosk: { name: 'PC 5', site: 'EPN de Liège' } });
  });

  it('keeps the previous local file as config.backup.json and leaves no temporary file', () => {
    writeJson(localFile, configNamed('PC 1'));
    const previousText = readFileSync(localFile, 'utf8');
    const { editor } = setUp();
    expectOk(editor.save(configNamed('PC 2')));
    expect(readFileSync(backupFile, 'utf8')).toBe(previousText);
    expectOk(editor.save(configNamed('PC 3')));
    expect(readJson(backupFile)).toMatchObject({ kiosk: { name: 'PC 2' } });
    expect(readJson(localFile)).toMatchObject({ kiosk: { name: 'PC 3' } });
    expect(filesIn(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('makes no backup when there was no local file to keep', () => {
    const { editor } = setUp();
    expectOk(editor.save(configNamed('PC 2')));
    expect(existsSync(backupFile)).toBe(false);
  });

  it('refuses an invalid configuration with each problem, and writes nothing', () => {
    writeJson(localFile, configNamed('PC 1'));
    const before = readFileSync(localFile, 'utf8');
    const { editor, store } = setUp();
    const invalid = { ...configNamed('PC 1'), kiosk: { name: '' }, session: { idleTimeoutSeconds: 5 } };
    const problems = expectProblems(editor.save(invalid));
    expect(problems.map((problem) => problem.field).sort()).toEqual(['kiosk.name', 'session.idleTimeoutSeconds']);
    expect(problems.every((problem) => problem.message.length > 0)).toBe(true);
    expect(readFileSync(localFile, 'utf8')).toBe(before);
    expect(existsSync(backupFile)).toBe(false);
    expect(existsSync(changeLogFile)).toBe(false);
    expect(store.current().kiosk.name).toBe('PC 1');
    expect(expectProblems(editor.save('not a configuration'))).toEqual([{ field: '', message: 'must be an object (the whole configuration file)' }]);
  });

  it('refuses a change to a locked key, naming it, and writes nothing', () => {
    writeJson(localFile, configNamed('PC 1', 'Bibliothèque'));
    writeJson(managedFile, { kiosk: { site: 'EPN de Namur' }, languages: { offered: ['fr', 'nl'] } });
    const { editor, store } = setUp();
    const before = readFileSync(localFile, 'utf8');
    const edited = structuredClone(store.current());
    edited.kiosk.site = 'Ailleurs';
    edited.kiosk.name = 'PC 2';
    expect(expectProblems(editor.save(edited))).toEqual([{ field: 'kiosk.site', message: LOCKED_KEY_MESSAGE }]);
    expect(readFileSync(localFile, 'utf8')).toBe(before);
    expect(store.current().kiosk.name).toBe('PC 1');
  });

  it('keeps the local file\'s own value for a locked key, so it comes back when the managed file goes', () => {
    writeJson(localFile, configNamed('PC 1', 'Bibliothèque'));
    writeJson(managedFile, { kiosk: { site: 'EPN de Namur' } });
    const { editor, store } = setUp();
    const edited = structuredClone(store.current());
    edited.kiosk.name = 'PC 2';
    const saved = expectOk(editor.save(edited));
    expect(saved.kiosk).toMatchObject({ name: 'PC 2', site: 'EPN de Namur' });
    expect(readJson(localFile)).toMatchObject({ kiosk: { name: 'PC 2', site: 'Bibliothèque' } });

    rmSync(managedFile);
    store.reload();
    expect(store.current().kiosk).toMatchObject({ name: 'PC 2', site: 'Bibliothèque' });
  });

  it('writes the values in force for locked keys when the local ones would not fit the other changes', () => {
    writeJson(localFile, { ...configNamed('PC 1'), languages: { offered: ['fr'], default: 'fr' } });
    writeJson(managedFile, { languages: { offered: ['fr', 'nl'] } });
    const { editor, store } = setUp();
    const edited = structuredClone(store.current());
    edited.languages.default = 'nl';
    const saved = expectOk(editor.save(edited));
    expect(saved.languages).toEqual({ offered: ['fr', 'nl'], default: 'nl' });
    // Alone, the local file must still be a valid configuration.
    expect(parseKioskConfig(readJson(localFile)).ok).toBe(true);
    expect(readJson(localFile)).toMatchObject({ languages: { offered: ['fr', 'nl'], default: 'nl' } });
    expect(store.problems()).toEqual([]);
  });

  it('replaces a broken local file, which is kept as the backup', () => {
    writeFileSync(localFile, '{ broken');
    const { editor, store } = setUp();
    expect(store.problems()).not.toEqual([]);
    expectOk(editor.save(configNamed('PC 4')));
    expect(readFileSync(backupFile, 'utf8')).toBe('{ broken');
    expect(store.problems()).toEqual([]);
    expect(store.current().kiosk.name).toBe('PC 4');
  });

  it('says the save failed and changes nothing when the file cannot be written', () => {
    writeJson(localFile, configNamed('PC 1'));
    const { editor, store } = setUp();
    // A folder in the place of the backup makes the atomic write fail before its rename.
    mkdirSync(backupFile);
    writeFileSync(join(backupFile, 'occupied'), '');
    const problems = expectProblems(editor.save(configNamed('PC 2')));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/could not be saved .*Nothing was changed/);
    expect(readJson(localFile)).toMatchObject({ kiosk: { name: 'PC 1' } });
    expect(store.current().kiosk.name).toBe('PC 1');
    expect(existsSync(changeLogFile)).toBe(false);
  });
});

describe('createConfigEditor: checkFile', () => {
  it('names the line and column of a syntax error, and changes nothing', () => {
    writeJson(localFile, configNamed('PC 1'));
    const { editor, store } = setUp();
    const before = filesIn(dataDir).map((name) => readFileSync(join(dataDir, name), 'utf8'));
    const problems = expectProblems(editor.checkFile('{\n  "schemaVersion": 1\n  "kiosk": {}\n}'));
    expect(problems).toEqual([{ field: '', message: expect.stringMatching(/^The file is not valid JSON at line 3, column 3: expected a comma/) as unknown }]);
    expect(filesIn(dataDir).map((name) => readFileSync(join(dataDir, name), 'utf8'))).toEqual(before);
    expect(store.current().kiosk.name).toBe('PC 1');
  });

  it('says an empty file is empty', () => {
    const { editor } = setUp();
    expect(expectProblems(editor.checkFile('  '))[0]?.message).toMatch(/^The file is empty/);
  });

  it('returns a valid file\'s configuration without saving it (a byte-order mark is accepted)', () => {
    const { editor, store } = setUp();
    const config = expectOk(editor.checkFile(`\uFEFF${JSON.stringify(configNamed('PC 8'))}`));
    expect(config.kiosk.name).toBe('PC 8');
    expect(existsSync(localFile)).toBe(false);
    expect(store.current().kiosk.name).not.toBe('PC 8');
  });

  it('lists every rule a file breaks', () => {
    const { editor } = setUp();
    const problems = expectProblems(editor.checkFile(JSON.stringify({ ...configNamed('PC 8'), languages: { offered: ['fr'], default: 'nl' }, extra: 1 })));
    expect(problems.map((problem) => problem.field).sort()).toEqual(['', 'languages.default']);
  });

  it('reports a locked key the file sets differently, and accepts one it leaves as in force', () => {
    writeJson(managedFile, { kiosk: { site: 'EPN de Namur' } });
    const { editor } = setUp();
    const problems = expectProblems(editor.checkFile(JSON.stringify(configNamed('PC 8', 'Ailleurs'))));
    expect(problems).toEqual([{ field: 'kiosk.site', message: expect.stringContaining(LOCKED_KEY_MESSAGE) as unknown }]);
    expectOk(editor.checkFile(JSON.stringify(configNamed('PC 8', 'EPN de Namur'))));
  });

  it('refuses a file larger than an import may be', () => {
    const { editor } = setUp();
    expect(expectProblems(editor.checkFile(' '.repeat(1024 * 1024 + 1)))[0]?.message).toMatch(/larger than/);
  });
});

describe('createConfigEditor: exportFile', () => {
  it('gives the built-in configuration when there is no local file', () => {
    const { editor } = setUp({ now: clock().now });
    const file = editor.exportFile();
    expect(file.mediaType).toBe('application/json');
    expect(file.fileName).toMatch(/^epn-kiosk-config-epn-kiosk-2025-03-1[45]\.json$/);
    expect(parseKioskConfig(JSON.parse(file.content)).ok).toBe(true);
  });

  it('gives the local file\'s exact text, named after the kiosk and the day', () => {
    const day = new Date(2025, 5, 9, 12, 0, 0).getTime();
    writeJson(localFile, configNamed('Salle d\'étude — PC 3'));
    const { editor } = setUp({ now: () => day });
    const file = editor.exportFile();
    expect(file.content).toBe(readFileSync(localFile, 'utf8'));
    expect(file.fileName).toBe('epn-kiosk-config-salle-d-etude-pc-3-2025-06-09.json');
  });

  it('makes a safe slug of any name', () => {
    expect(fileNameSlug('PC 3')).toBe('pc-3');
    expect(fileNameSlug('../../etc')).toBe('etc');
    expect(fileNameSlug('计算机')).toBe('kiosk');
    expect(fileNameSlug('x'.repeat(80))).toHaveLength(40);
  });
});

describe('createConfigEditor: change log', () => {
  it('records what changed and when, newest first, never the values', () => {
    const time = clock();
    const { editor, store } = setUp({ now: time.now });
    expectOk(editor.save(configNamed('PC 1', 'Secret Site')));
    time.advance(60_000);
    const next = structuredClone(store.current());
    next.session.idleTimeoutSeconds = 240;
    next.services.reverse();
    expectOk(editor.save(next));
    const changes = editor.changeLog();
    expect(changes).toEqual([
      { at: time.now(), source: 'staff-screen', fields: ['session.idleTimeoutSeconds', 'services (order)'] },
      { at: time.now() - 60_000, source: 'staff-screen', fields: ['kiosk.name', 'kiosk.site'] },
    ]);
    expect(changes.every((change) => ConfigChangeSchema.safeParse(change).success)).toBe(true);
    expect(readFileSync(changeLogFile, 'utf8')).not.toContain('Secret');
  });

  it('records nothing for a save that changes nothing', () => {
    writeJson(localFile, configNamed('PC 1'));
    const { editor, store } = setUp();
    expectOk(editor.save(structuredClone(store.current())));
    expect(editor.changeLog()).toEqual([]);
  });

  it('records a checked file saved as it is as an import', () => {
    const { editor } = setUp();
    const imported = expectOk(editor.checkFile(JSON.stringify(configNamed('PC 9'))));
    expectOk(editor.save(imported));
    expectOk(editor.save(configNamed('PC 10')));
    expect(editor.changeLog().map((change) => change.source)).toEqual(['staff-screen', 'import']);
  });

  it(`keeps only the last ${MAX_CONFIG_CHANGES} changes`, () => {
    const time = clock();
    const { editor } = setUp({ now: time.now });
    const old = Array.from({ length: MAX_CONFIG_CHANGES }, (_, index) => JSON.stringify({ at: index, source: 'staff-screen', fields: ['kiosk.name'] }));
    writeFileSync(changeLogFile, `${old.join('\n')}\n`);
    expectOk(editor.save(configNamed('PC 1')));
    const changes = editor.changeLog();
    expect(changes).toHaveLength(MAX_CONFIG_CHANGES);
    expect(changes[0]?.at).toBe(time.now());
    expect(changes.at(-1)?.at).toBe(1);
    expect(readFileSync(changeLogFile, 'utf8').trim().split('\n')).toHaveLength(MAX_CONFIG_CHANGES);
  });

  it('skips unreadable lines and keeps a new entry readable after a line cut short', () => {
    const { editor } = setUp({ now: () => 42 });
    writeFileSync(changeLogFile, `${JSON.stringify({ at: 1, source: 'import', fields: ['services'] })}\nnot json\n{"at": "x"}\n{"at": 2, "source": "staff-scr`);
    expectOk(editor.save(configNamed('PC 1')));
    expect(editor.changeLog()).toEqual([
      { at: 42, source: 'staff-screen', fields: ['kiosk.name'] },
      { at: 1, source: 'import', fields: ['services'] },
    ]);
  });
});
