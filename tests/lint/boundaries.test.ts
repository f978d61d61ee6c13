/**
 * The folder boundaries of the guide (section 3) are held by lint rules; these tests lint
 * small snippets as if they lived at given paths, with the repository's own eslint.config.js.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repositoryRoot });
});

interface Finding {
  readonly ruleId: string | null;
  readonly severity: number;
  readonly message: string;
}

async function lintAt(relativePath: string, code: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repositoryRoot, relativePath) });
  if (result === undefined) throw new Error(`ESLint gave no result for ${relativePath}`);
  return result.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }));
}

/** The rules reporting an error; a parse failure or an ignored file shows up as null. */
async function errorRulesAt(relativePath: string, code: string): Promise<(string | null)[]> {
  const findings = await lintAt(relativePath, code);
  const unexpected = findings.filter((finding) => finding.severity !== 2);
  expect(unexpected).toEqual([]);
  return [...new Set(findings.map((finding) => finding.ruleId))].sort();
}

const importsElectron = "import { app } from 'electron';\nexport const application = app;\n";
const reExportsElectron = "export { BrowserWindow } from 'electron';\n";
const importsElectronTypes = "import type { BrowserWindow } from 'electron';\nexport type KioskWindow = BrowserWindow;\n";

describe("importing 'electron'", () => {
  it.each(['electron/services/usage-log.ts', 'electron/preview/preview-server.ts', 'renderer/app.tsx', 'renderer/bridge/kiosk.ts', 'shared/x.ts', 'shared/config/x.ts'])(
    'is an error in %s',
    async (file) => {
      expect(await errorRulesAt(file, importsElectron)).toEqual(['no-restricted-imports']);
      expect(await errorRulesAt(file, reExportsElectron)).toEqual(['no-restricted-imports']);
      expect(await errorRulesAt(file, importsElectronTypes)).toEqual(['no-restricted-imports']);
    },
  );

  it('names the rule of the guide in its message', async () => {
    const [finding] = await lintAt('electron/services/x.ts', importsElectron);
    expect(finding?.message).toContain('Only electron/shell/ may import');
  });

  it.each(['electron/shell/x.ts', 'electron/shell/kiosk-window.ts', 'electron/shell/views/service-view.ts'])('is allowed in %s', async (file) => {
    expect(await errorRulesAt(file, importsElectron)).toEqual([]);
    expect(await errorRulesAt(file, importsElectronTypes)).toEqual([]);
  });
});

describe('shared/ is pure: no Node, no DOM', () => {
  it.each([
    "import fs from 'node:fs';\nexport const files = fs;\n",
    "import fs from 'fs';\nexport const files = fs;\n",
    "import { readFile } from 'node:fs/promises';\nexport const read = readFile;\n",
    "import path from 'path';\nexport const join = path.join;\n",
    "import { createHash } from 'node:crypto';\nexport const hash = createHash;\n",
    "import { useState } from 'react';\nexport const state = useState;\n",
  ])('refuses the import in %j', async (code) => {
    expect(await errorRulesAt('shared/x.ts', code)).toEqual(['no-restricted-imports']);
  });

  it.each([
    'export const kioskWindow = window;\n',
    'export const environment = process.env;\n',
    'export const title = () => document.title;\n',
    'export const saved = () => localStorage.getItem("language");\n',
    'export const load = () => fetch("https://www.example.be/");\n',
    'export const later = (run: () => void) => setTimeout(run, 10);\n',
    'export const bytes = Buffer.from("kiosk");\n',
    'export const agent = () => navigator.userAgent;\n',
  ])('refuses the global in %j', async (code) => {
    expect(await errorRulesAt('shared/x.ts', code)).toEqual(['no-restricted-globals']);
  });

  it('refuses window and process in the same file, one finding each', async () => {
    const findings = await lintAt('shared/x.ts', 'export const both = [window.location, process.argv];\n');
    expect(findings.map((finding) => [finding.ruleId, finding.message.match(/'(\w+)'/)?.[1]])).toEqual([
      ['no-restricted-globals', 'window'],
      ['no-restricted-globals', 'process'],
    ]);
  });

  it.each(['shared/x.ts', 'shared/config/x.ts'])('refuses a relative import of electron/ or renderer/ from %s', async (file) => {
    const up = file.split('/').length - 1;
    const toRoot = '../'.repeat(up);
    expect(await errorRulesAt(file, `import { x } from '${toRoot}electron/services/kiosk-handlers';\nexport const y = x;\n`)).toEqual(['no-restricted-imports']);
    expect(await errorRulesAt(file, `import { x } from '${toRoot}renderer/app';\nexport const y = x;\n`)).toEqual(['no-restricted-imports']);
  });

  it('allows zod, other shared files and the WHATWG URL', async () => {
    const code = "import { z } from 'zod';\nimport { LANGUAGES } from './languages';\nexport const address = new URL('https://www.example.be/');\nexport const schema = z.string();\nexport const languages = LANGUAGES;\n";
    expect(await errorRulesAt('shared/x.ts', code)).toEqual([]);
  });

  it('the same Node import is fine on the main side', async () => {
    expect(await errorRulesAt('electron/services/x.ts', "import fs from 'node:fs';\nexport const files = fs;\n")).toEqual([]);
  });
});

describe('renderer/ reaches the main side only through window.kiosk', () => {
  it.each([
    ['renderer/x.tsx', '../electron/services/kiosk-handlers'],
    ['renderer/x.ts', '../electron/shell/preload'],
    ['renderer/screens/launcher.tsx', '../../electron/services/kiosk-handlers'],
    ['renderer/screens/parts/tile.tsx', '../../../electron/shell/ipc-binding'],
  ])('refuses a relative import from %s into %s', async (file, target) => {
    const findings = await lintAt(file, `import { something } from '${target}';\nexport const used = something;\n`);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['no-restricted-imports']);
    expect(findings[0]?.message).toContain('window.kiosk');
  });

  it.each(["import fs from 'node:fs';\nexport const files = fs;\n", "import os from 'os';\nexport const system = os;\n"])('refuses Node modules: %j', async (code) => {
    expect(await errorRulesAt('renderer/x.tsx', code)).toEqual(['no-restricted-imports']);
  });

  it('refuses process', async () => {
    expect(await errorRulesAt('renderer/x.tsx', 'export const environment = process.env;\n')).toEqual(['no-restricted-globals']);
  });

  it('allows shared/ and the DOM', async () => {
    const code = "import { INVOKE_CHANNELS } from '../shared/contract';\nexport const channels = INVOKE_CHANNELS;\nexport const title = () => document.title;\n";
    expect(await errorRulesAt('renderer/x.tsx', code)).toEqual([]);
  });
});

describe('raw ipcMain / ipcRenderer', () => {
  const usesIpcMain = "import { ipcMain } from 'electron';\nipcMain.handle('service:open', () => null);\n";
  const usesIpcRenderer = "import { ipcRenderer } from 'electron';\nexport const call = () => ipcRenderer.invoke('service:open');\n";
  const reachesIpcRenderer = 'export const call = () => (globalThis as unknown as { ipcRenderer: { send(channel: string): void } }).ipcRenderer.send("x");\n';

  it.each(['electron/shell/kiosk-window.ts', 'electron/shell/service-views.ts', 'electron/shell/x.ts'])('is an error in %s, a shell file like the others', async (file) => {
    expect(await errorRulesAt(file, usesIpcMain)).toEqual(['no-restricted-syntax']);
    expect(await errorRulesAt(file, usesIpcRenderer)).toEqual(['no-restricted-syntax']);
  });

  it.each(['electron/services/x.ts', 'shared/x.ts', 'renderer/x.tsx'])('is an error in %s (next to the electron import error)', async (file) => {
    expect(await errorRulesAt(file, usesIpcMain)).toEqual(['no-restricted-imports', 'no-restricted-syntax']);
    expect(await errorRulesAt(file, usesIpcRenderer)).toEqual(['no-restricted-imports', 'no-restricted-syntax']);
  });

  it.each(['renderer/x.tsx', 'shared/x.ts', 'electron/services/x.ts', 'tests/x.test.ts', 'scripts/x.ts'])('is an error when reached without an import, in %s', async (file) => {
    expect(await errorRulesAt(file, reachesIpcRenderer)).toEqual(['no-restricted-syntax']);
  });

  it('says where raw IPC belongs', async () => {
    const findings = await lintAt('electron/shell/x.ts', usesIpcMain);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding.message).toContain('electron/shell/ipc-binding.ts');
  });

  it.each(['electron/shell/ipc-binding.ts', 'electron/shell/preload.ts'])('is allowed in %s, the contract binding', async (file) => {
    expect(await errorRulesAt(file, usesIpcMain)).toEqual([]);
    expect(await errorRulesAt(file, usesIpcRenderer)).toEqual([]);
  });
});
