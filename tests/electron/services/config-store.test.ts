import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LAST_GOOD_CONFIG_FILE_NAME,
  LOCAL_CONFIG_FILE_NAME,
  MANAGED_CONFIG_ENV,
  defaultManagedConfigPath,
  openConfigStore,
  type ConfigStore,
  type ConfigStoreOptions,
} from '../../../electron/services/config-store';
import type { ConfigSource } from '../../../electron/services/kiosk-handlers';
import { DEFAULT_CONFIG } from '../../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig } from '../../../shared/config/schema';

let root: string;
let dataDir: string;
let managedDir: string;
let localFile: string;
let lastGoodFile: string;
let managedFile: string;
let logLines: string[];
const stores: ConfigStore[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'epn-config-'));
  dataDir = join(root, 'data');
  managedDir = join(root, 'etc');
  mkdirSync(dataDir);
  mkdirSync(managedDir);
  localFile = join(dataDir, LOCAL_CONFIG_FILE_NAME);
  lastGoodFile = join(dataDir, LAST_GOOD_CONFIG_FILE_NAME);
  managedFile = join(managedDir, 'managed-config.json');
  logLines = [];
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(root, { recursive: true, force: true });
});

function open(options: Partial<ConfigStoreOptions> = {}): ConfigStore {
  const store = openConfigStore({ dataDir, managedConfigPath: managedFile, log: (line) => logLines.push(line), ...options });
  stores.push(store);
  return store;
}

function builtIn(): KioskConfig {
  const parsed = parseKioskConfig(DEFAULT_CONFIG);
  if (!parsed.ok) throw new Error('the built-in configuration must be valid');
  return parsed.config;
}

function configNamed(name: string, site = ''): Record<string, unknown> {
  return { ...structuredClone(DEFAULT_CONFIG), kiosk: { name, site } };
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

describe('openConfigStore: the local file', () => {
  it('runs on the built-in configuration when there is no file, without a problem', () => {
    const store = open();
    expect(store.current()).toEqual(builtIn());
    expect(store.problems()).toEqual([]);
    expect(store.lockedKeys()).toEqual([]);
    expect(existsSync(lastGoodFile)).toBe(false);
  });

  it('reads a valid local file and keeps its exact text as the last good one', () => {
    const text = `${JSON.stringify(configNamed('PC 3', 'EPN de Namur'), null, 4)}\n`;
    writeFileSync(localFile, text);
    const store = open();
    expect(store.current().kiosk).toEqual({ name: 'PC 3', site: 'EPN de Namur', role: 'visitor' });
    expect(store.problems()).toEqual([]);
    expect(readFileSync(lastGoodFile, 'utf8')).toBe(text);
  });

  it('accepts a file saved with a byte-order mark', () => {
    writeFileSync(localFile, `\uFEFF${JSON.stringify(configNamed('PC BOM'))}`);
    expect(open().current().kiosk.name).toBe('PC BOM');
  });

  it('keeps running on the last good configuration when the local file becomes invalid, naming the field and the fix', () => {
    writeJson(localFile, configNamed('PC good'));
    open().close();
    writeJson(localFile, { ...configNamed('PC good'), kiosk: { name: '' } });

    const store = open();
    expect(store.current().kiosk.name).toBe('PC good');
    expect(store.problems()).toEqual([
      { source: 'local', file: localFile, field: 'kiosk.name', message: expect.stringContaining('must not be empty') },
    ]);
    expect(logLines).toContain(`configuration ${localFile}: kiosk.name: must not be empty: give the PC a name helpers will recognise, for example "PC 3"`);
    expect(logLines.some((line) => line.includes(`runs on the last good configuration (${lastGoodFile})`))).toBe(true);
    expect(JSON.parse(readFileSync(lastGoodFile, 'utf8'))).toEqual(configNamed('PC good'));
  });

  it('falls back to the built-in configuration when there is no last good one', () => {
    writeJson(localFile, { ...configNamed('PC x'), services: 'none' });
    const store = open();
    expect(store.current()).toEqual(builtIn());
    expect(store.problems()).toEqual([{ source: 'local', file: localFile, field: 'services', message: 'must be a list of services' }]);
    expect(logLines.some((line) => line.includes('runs on the built-in configuration'))).toBe(true);
  });

  it('reports a last good file that is no longer valid, and uses the built-in configuration', () => {
    writeFileSync(localFile, '{');
    writeJson(lastGoodFile, { schemaVersion: 0 });
    const store = open();
    expect(store.current()).toEqual(builtIn());
    expect(store.problems().map((problem) => [problem.file, problem.field])).toEqual([
      [localFile, ''],
      [lastGoodFile, 'schemaVersion'],
      [lastGoodFile, 'kiosk'],
      [lastGoodFile, 'languages'],
      [lastGoodFile, 'themes'],
      [lastGoodFile, 'services'],
    ]);
  });

  it.each([
    ['a missing comma', '{\n  "schemaVersion": 1\n  "kiosk": {}\n}', 'at line 3, column 3', 'a comma "," between fields'],
    ['a trailing comma', '{\n  "schemaVersion": 1,\n}', 'at line 3, column 1', 'a field name in double quotes'],
    ['single quotes', "{\n  'kiosk': 1\n}", 'at line 2, column 3', 'double quotes: JSON does not accept single quotes'],
    ['an unfinished file', '{\n  "kiosk": {\n    "name": "PC 1"', 'at the end of the file (line 3)', 'a comma "," between fields or a closing brace'],
    ['a Windows path with single backslashes', '{"path": "C:\\Users"}', 'at line 1, column 10', 'a valid escape after the backslash'],
    ['text after the end', '{}\n}', 'at line 2, column 1', 'the end of the file'],
  ])('locates %s by line and column', (_what, text, where, expected) => {
    writeFileSync(localFile, text);
    const [problem] = open().problems();
    expect(problem).toMatchObject({ source: 'local', file: localFile, field: '' });
    expect(problem!.message).toContain(`is not valid JSON ${where}: expected ${expected}`);
  });

  it('says so when the file is empty', () => {
    writeFileSync(localFile, '  \n');
    expect(open().problems()[0]!.message).toMatch(/^is empty: write the configuration in it, or delete the file/);
  });

  it('refuses a file far too large to be a configuration', () => {
    writeFileSync(localFile, Buffer.alloc(6 * 1024 * 1024, 0x20));
    const store = open();
    expect(store.current()).toEqual(builtIn());
    expect(store.problems()[0]!.message).toContain('is larger than 5 MB');
  });

  it('reports a folder where the file should be', () => {
    mkdirSync(localFile);
    expect(open().problems()[0]!.message).toContain('is a folder, not a file');
  });

  it('keeps running when the last good copy cannot be written', () => {
    mkdirSync(join(lastGoodFile, 'blocked'), { recursive: true });
    writeJson(localFile, configNamed('PC 12'));
    const store = open();
    expect(store.current().kiosk.name).toBe('PC 12');
    expect(logLines.some((line) => line.startsWith(`configuration: could not keep a copy of the last good configuration in ${lastGoodFile}`))).toBe(true);
  });

  it('can serve as the ConfigSource of the kiosk handlers', () => {
    writeJson(localFile, configNamed('PC source'));
    const source: ConfigSource = open();
    expect(source.current().kiosk.name).toBe('PC source');
  });
});

describe('openConfigStore: the managed file', () => {
  it('overrides the local file key by key and lists the locked keys', () => {
    writeJson(localFile, configNamed('PC 1', 'Local site'));
    writeJson(managedFile, { kiosk: { site: 'EPN de Namur' }, languages: { offered: ['fr', 'de'], default: 'de' } });
    const store = open();
    expect(store.current().kiosk).toEqual({ name: 'PC 1', site: 'EPN de Namur', role: 'visitor' });
    expect(store.current().languages).toEqual({ offered: ['fr', 'de'], default: 'de' });
    expect([...store.lockedKeys()].sort()).toEqual(['kiosk.site', 'languages.default', 'languages.offered']);
    expect(store.problems()).toEqual([]);
    // The last good copy is the local file only: the managed values are not baked into it.
    expect(JSON.parse(readFileSync(lastGoodFile, 'utf8')).kiosk.site).toBe('Local site');
  });

  it('applies over the built-in configuration when there is no local file', () => {
    writeJson(managedFile, { kiosk: { name: 'Managed PC' } });
    const store = open();
    expect(store.current()).toEqual({ ...builtIn(), kiosk: { name: 'Managed PC', site: '', role: 'visitor' } });
    expect(store.lockedKeys()).toEqual(['kiosk.name']);
  });

  it('is found through EPN_KIOSK_MANAGED_CONFIG when no path is given', () => {
    writeJson(managedFile, { kiosk: { name: 'From env' } });
    const previous = process.env[MANAGED_CONFIG_ENV];
    process.env[MANAGED_CONFIG_ENV] = managedFile;
    try {
      expect(open({ managedConfigPath: undefined }).current().kiosk.name).toBe('From env');
    } finally {
      if (previous === undefined) delete process.env[MANAGED_CONFIG_ENV];
      else process.env[MANAGED_CONFIG_ENV] = previous;
    }
  });

  it('is not read at all with managedConfigPath: null', () => {
    writeJson(managedFile, { kiosk: { name: 'Managed' } });
    const store = open({ managedConfigPath: null });
    expect(store.current().kiosk.name).toBe(builtIn().kiosk.name);
    expect(store.lockedKeys()).toEqual([]);
  });

  it('is ignored with a problem when it is not JSON', () => {
    writeJson(localFile, configNamed('PC local'));
    writeFileSync(managedFile, '{"kiosk": {"name": "PC managed"},}');
    const store = open();
    expect(store.current().kiosk.name).toBe('PC local');
    expect(store.lockedKeys()).toEqual([]);
    expect(store.problems()).toEqual([
      {
        source: 'managed',
        file: managedFile,
        field: '',
        message: expect.stringMatching(/is not valid JSON at line 1, column 34: expected a field name in double quotes.*; until then the managed file is ignored$/),
      },
    ]);
  });

  it('is ignored as a whole when it makes the configuration invalid', () => {
    writeJson(localFile, configNamed('PC local'));
    writeJson(managedFile, { kiosk: { name: 'PC managed' }, languages: { default: 'es' } });
    const store = open();
    expect(store.current().kiosk.name).toBe('PC local');
    expect(store.lockedKeys()).toEqual([]);
    expect(store.problems()).toEqual([
      {
        source: 'managed',
        file: managedFile,
        field: 'languages.default',
        message: expect.stringMatching(/^must be one of the kiosk's languages: fr, nl, de, en, ar, tr, uk \(set by the managed file, which is ignored until this is fixed\)$/),
      },
    ]);
    expect(logLines.some((line) => line.startsWith(`managed configuration ${managedFile}: languages.default: must be one of`))).toBe(true);
  });

  it('names unknown top-level keys and still applies the rest', () => {
    writeJson(managedFile, { kisok: { name: 'typo' }, kiosk: { site: 'Gent' } });
    const store = open();
    expect(store.current().kiosk.site).toBe('Gent');
    expect(store.problems()).toEqual([{ source: 'managed', file: managedFile, field: 'kisok', message: expect.stringContaining('not a setting of the kiosk') }]);
  });

  it('reports a managed file and a local file problem together', () => {
    writeFileSync(localFile, '[]');
    writeFileSync(managedFile, '');
    const sources = open().problems().map((problem) => problem.source);
    expect(sources).toEqual(['local', 'managed']);
  });
});

describe('openConfigStore: reload, listeners and the log', () => {
  it('tells listeners only when the configuration in force changes', () => {
    writeJson(localFile, configNamed('PC 1'));
    const store = open();
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));

    expect(store.reload()).toEqual({ changed: false });
    // Same content, other key order and layout: not a change.
    const reordered = configNamed('PC 1');
    writeFileSync(localFile, JSON.stringify(Object.fromEntries(Object.entries(reordered).reverse())));
    expect(store.reload()).toEqual({ changed: false });

    writeJson(localFile, configNamed('PC 2'));
    expect(store.reload()).toEqual({ changed: true });
    expect(heard).toEqual(['PC 2']);
  });

  it('does not tell listeners when a broken file leaves the last good configuration in force', () => {
    writeJson(localFile, configNamed('PC 1'));
    const store = open();
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));
    writeFileSync(localFile, '{ broken');
    expect(store.reload()).toEqual({ changed: false });
    expect(store.current().kiosk.name).toBe('PC 1');
    expect(store.problems()).toHaveLength(1);
    expect(heard).toEqual([]);
  });

  it('logs each problem once until the problems change', () => {
    writeJson(localFile, { ...configNamed('PC 1'), kiosk: { name: '' } });
    const store = open();
    const countFor = (field: string) => logLines.filter((line) => line.includes(`: ${field}: `)).length;
    expect(countFor('kiosk.name')).toBe(1);
    store.reload();
    store.reload();
    expect(countFor('kiosk.name')).toBe(1);

    writeJson(localFile, configNamed('PC 1'));
    store.reload();
    writeJson(localFile, { ...configNamed('PC 1'), kiosk: { name: '' } });
    store.reload();
    expect(countFor('kiosk.name')).toBe(2);
  });

  it('keeps telling the other listeners when one throws, and stops after unsubscribe', () => {
    const store = open();
    const heard: string[] = [];
    store.onChange(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = store.onChange((config) => heard.push(config.kiosk.name));
    writeJson(localFile, configNamed('PC 5'));
    store.reload();
    unsubscribe();
    writeJson(localFile, configNamed('PC 6'));
    store.reload();
    expect(heard).toEqual(['PC 5']);
    expect(logLines.some((line) => line.includes('a listener failed on a configuration change: listener bug'))).toBe(true);
  });

  it('does nothing once closed', () => {
    const store = open();
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));
    store.close();
    writeJson(localFile, configNamed('PC 7'));
    expect(store.reload()).toEqual({ changed: false });
    expect(heard).toEqual([]);
  });
});

describe('openConfigStore: watching the files', () => {
  it('follows an edit of the local file', async () => {
    writeJson(localFile, configNamed('PC 1'));
    const store = open({ watch: true });
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));
    writeJson(localFile, configNamed('PC 2'));
    await waitFor(() => heard.length > 0);
    expect(heard).toEqual(['PC 2']);
    expect(store.current().kiosk.name).toBe('PC 2');
  });

  it('follows an editor that replaces the file by renaming a new one over it', async () => {
    writeJson(localFile, configNamed('PC 1'));
    const store = open({ watch: true });
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));
    const swap = join(dataDir, '.config.json.swp');
    writeJson(swap, configNamed('PC renamed'));
    renameSync(swap, localFile);
    await waitFor(() => heard.length > 0);
    expect(heard).toEqual(['PC renamed']);
  });

  it('follows the managed file, and calls listeners once for a burst of writes', async () => {
    writeJson(localFile, configNamed('PC 1'));
    const store = open({ watch: true });
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.site));
    writeFileSync(managedFile, '{"kiosk": {');
    writeJson(managedFile, { kiosk: { site: 'Half' } });
    writeJson(managedFile, { kiosk: { site: 'Brugge' } });
    await waitFor(() => heard.length > 0);
    await new Promise((wait) => setTimeout(wait, 400));
    expect(heard).toEqual(['Brugge']);
    expect(store.lockedKeys()).toEqual(['kiosk.site']);
  });

  it('notices a managed file deployed later into a folder that did not exist', async () => {
    const laterFolder = join(root, 'later', 'epn-kiosk');
    const store = open({ watch: true, managedConfigPath: join(laterFolder, 'managed-config.json') });
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));
    // Well after the store has settled, so only its periodic check can see the new file.
    await new Promise((wait) => setTimeout(wait, 700));
    mkdirSync(laterFolder, { recursive: true });
    writeJson(join(laterFolder, 'managed-config.json'), { kiosk: { name: 'Deployed' } });
    await waitFor(() => heard.length > 0, 8_000);
    expect(heard).toEqual(['Deployed']);
  }, 10_000);

  it('stops following the files once closed', async () => {
    writeJson(localFile, configNamed('PC 1'));
    const store = open({ watch: true });
    const heard: string[] = [];
    store.onChange((config) => heard.push(config.kiosk.name));
    store.close();
    writeJson(localFile, configNamed('PC 2'));
    await new Promise((wait) => setTimeout(wait, 500));
    expect(heard).toEqual([]);
    expect(store.current().kiosk.name).toBe('PC 1');
  });
});

describe('defaultManagedConfigPath', () => {
  it('is under /etc on Linux', () => {
    expect(defaultManagedConfigPath('linux', {})).toBe('/etc/epn-kiosk/managed-config.json');
  });

  it('is under %ProgramData% on Windows', () => {
    expect(defaultManagedConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\EPN Kiosk\\managed-config.json');
    expect(defaultManagedConfigPath('win32', {})).toBe('C:\\ProgramData\\EPN Kiosk\\managed-config.json');
  });

  it('is under /Library/Application Support on macOS', () => {
    expect(defaultManagedConfigPath('darwin', {})).toBe('/Library/Application Support/EPN Kiosk/managed-config.json');
  });

  it('follows EPN_KIOSK_MANAGED_CONFIG on every platform, unless it is blank', () => {
    expect(defaultManagedConfigPath('linux', { [MANAGED_CONFIG_ENV]: '/srv/kiosk.json' })).toBe('/srv/kiosk.json');
    expect(defaultManagedConfigPath('win32', { [MANAGED_CONFIG_ENV]: 'E:\\kiosk.json' })).toBe('E:\\kiosk.json');
    expect(defaultManagedConfigPath('linux', { [MANAGED_CONFIG_ENV]: ' ' })).toBe('/etc/epn-kiosk/managed-config.json');
  });
});

describe('docs/configuration.md', () => {
  const examples = [...readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it('shows a complete local file the kiosk accepts as it is', () => {
    const complete = examples.find((text) => text.includes('"services"'))!;
    writeFileSync(localFile, complete);
    const store = open();
    expect(store.problems()).toEqual([]);
    expect(store.current().services.map((service) => service.id)).toEqual(['myminfin', 'leforem', 'sncb', 'commune-agenda']);
  });

  it('shows a managed file that locks the fields the text says', () => {
    const managed = examples.find((text) => !text.includes('"services"'))!;
    writeFileSync(managedFile, managed);
    const store = open();
    expect(store.problems()).toEqual([]);
    expect([...store.lockedKeys()].sort()).toEqual(['kiosk.site', 'languages.offered']);
  });
});
