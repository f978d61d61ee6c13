import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { electronSqliteBindingPath } from '../../electron/services/native-binding';

interface BuildStep {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

interface BuildPlan {
  target: string;
  stampFile: string;
  packageCopy: string;
  builtBinary: string;
  stamp: Record<string, string>;
  steps: BuildStep[];
}

/** The script's exports, typed here because it is plain JavaScript run by Node before any build. */
interface EnsureElectronNativeScript {
  ELECTRON_HEADERS_URL: string;
  EnsureNativeError: new (message: string) => Error;
  nativeBindingPath(projectRoot: string, modulesVersion: string): string;
  readInstalledVersion(projectRoot: string, packageName: string): string;
  findElectronModulesVersion(options: { projectRoot: string; electronVersion: string; env?: NodeJS.ProcessEnv }): { modulesVersion: string; source: string };
  buildEnvironment(env: NodeJS.ProcessEnv): Record<string, string>;
  planElectronNativeBuild(options: {
    projectRoot: string;
    electronVersion: string;
    modulesVersion: string;
    betterSqlite3Version: string;
    workDir: string;
    env?: NodeJS.ProcessEnv;
    platform?: string;
    arch?: string;
    homeDir?: string;
    execPath?: string;
  }): BuildPlan;
  isUpToDate(plan: BuildPlan): boolean;
  interpretLoadAttempt(output: string, hostModulesVersion: string): { builtFor: string | null; detail: string };
  checkBinaryAbi(file: string, expectedModulesVersion: string): { ok: true; note: string } | { ok: false; message: string };
  ensureElectronNative(options: { projectRoot: string; force?: boolean; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): { path: string; built: boolean };
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const scriptPath = join(projectRoot, 'scripts', 'ensure-electron-native.mjs');
const scriptUrl = pathToFileURL(scriptPath).href;
let script: EnsureElectronNativeScript;
let folder: string;

beforeAll(async () => {
  script = (await import(scriptUrl)) as EnsureElectronNativeScript;
});

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-ensure-native-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const nodeBuild = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

/** A project folder with just the package.json files the script reads. */
function fakeProject(options: { electron?: string; abiVersion?: string; betterSqlite3?: string } = {}): string {
  const root = join(folder, 'project');
  const write = (relativePath: string, text: string) => {
    mkdirSync(dirname(join(root, relativePath)), { recursive: true });
    writeFileSync(join(root, relativePath), text);
  };
  write('package.json', '{"name": "fake"}');
  if (options.electron !== undefined) write('node_modules/electron/package.json', JSON.stringify({ version: options.electron }));
  if (options.abiVersion !== undefined) write('node_modules/electron/abi_version', options.abiVersion);
  if (options.betterSqlite3 !== undefined) write('node_modules/better-sqlite3/package.json', JSON.stringify({ version: options.betterSqlite3 }));
  return root;
}

describe('the Electron binary location', () => {
  it('is the same for the script and for the app', () => {
    expect(script.nativeBindingPath('/srv/kiosk', '150')).toBe(electronSqliteBindingPath('/srv/kiosk', '150'));
    expect(script.nativeBindingPath(projectRoot, '150')).toBe(join(projectRoot, '.native', 'electron-150', 'better_sqlite3.node'));
  });
});

describe('finding versions', () => {
  it('reads the installed Electron version and its NODE_MODULE_VERSION without running Electron', () => {
    const electronVersion = script.readInstalledVersion(projectRoot, 'electron');
    expect(electronVersion).toBe(JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'electron', 'package.json'), 'utf8')).version);
    const found = script.findElectronModulesVersion({ projectRoot, electronVersion });
    expect(found.source).toBe('node_modules/electron/abi_version');
    expect(found.modulesVersion).toBe(readFileSync(join(projectRoot, 'node_modules', 'electron', 'abi_version'), 'utf8').trim());
    expect(found.modulesVersion).not.toBe(process.versions.modules);
  });

  it("falls back to node-abi's table when the electron package has no abi_version", () => {
    const root = fakeProject({ electron: '45.4.1' });
    symlinkSync(join(projectRoot, 'node_modules', 'node-abi'), join(root, 'node_modules', 'node-abi'), 'junction');
    const nodeAbi = createRequire(import.meta.url)('node-abi') as { getAbi(target: string, runtime: string): string };
    expect(script.findElectronModulesVersion({ projectRoot: root, electronVersion: '45.4.1' })).toEqual({
      modulesVersion: nodeAbi.getAbi('45.4.1', 'electron'),
      source: 'node-abi',
    });
  });

  it('explains when the version cannot be found', () => {
    const root = fakeProject({ electron: '45.4.1' });
    expect(() => script.findElectronModulesVersion({ projectRoot: root, electronVersion: '45.4.1' })).toThrow(/cannot tell which NODE_MODULE_VERSION Electron 45\.4\.1 uses/);
  });

  it('explains a package that is not installed', () => {
    const root = fakeProject();
    expect(() => script.readInstalledVersion(root, 'electron')).toThrow(script.EnsureNativeError);
    expect(() => script.readInstalledVersion(root, 'electron')).toThrow(/electron is not installed.*run "npm install" first/);
  });
});

describe('the build environment', () => {
  it("removes npm's nodedir, every other build setting and our own package's details, whatever their case, and keeps the rest", () => {
    const env = script.buildEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/staff',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      npm_config_target: '20.0.0',
      npm_config_runtime: 'node',
      npm_config_disturl: 'https://nodejs.org/dist',
      npm_config_build_from_source: 'true',
      npm_package_config_node_gyp_nodedir: '/usr',
      npm_package_name: 'epn-kiosk',
      npm_package_resolved: 'git+https://example.org/epn-kiosk.git',
      npm_config_https_proxy: 'http://proxy:3128',
      npm_config_python: '/usr/bin/python3',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/staff',
      npm_config_https_proxy: 'http://proxy:3128',
      npm_config_python: '/usr/bin/python3',
    });
  });
});

describe('the build plan', () => {
  const planFor = (env: NodeJS.ProcessEnv = {}) =>
    script.planElectronNativeBuild({
      projectRoot,
      electronVersion: '45.4.1',
      modulesVersion: '150',
      betterSqlite3Version: '12.11.1',
      workDir: folder,
      env: { ...env, PATH: process.env.PATH },
      platform: 'linux',
      arch: 'x64',
      homeDir: '/home/staff',
    });

  it('tries prebuild-install for Electron first, then node-gyp against Electron headers, both in a copy of the package', () => {
    const plan = planFor({ npm_config_nodedir: '/usr' });
    expect(plan.target).toBe(join(projectRoot, '.native', 'electron-150', 'better_sqlite3.node'));
    expect(plan.packageCopy).toBe(join(folder, 'better-sqlite3'));
    expect(plan.builtBinary).toBe(join(folder, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    expect(plan.steps.map((step) => step.name)).toEqual(['prebuild-install', 'node-gyp']);

    const [prebuild, nodeGyp] = plan.steps;
    expect(prebuild!.command).toBe(process.execPath);
    expect(prebuild!.args).toEqual([
      join(projectRoot, 'node_modules', 'prebuild-install', 'bin.js'),
      '--runtime=electron',
      '--target=45.4.1',
      '--arch=x64',
      '--platform=linux',
    ]);
    expect(nodeGyp!.args).toEqual([
      join(projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      'rebuild',
      '--release',
      '--runtime=electron',
      '--target=45.4.1',
      '--arch=x64',
      '--dist-url=https://electronjs.org/headers',
      '--devdir=/home/staff/.electron-gyp',
    ]);
    for (const step of plan.steps) {
      expect(step.cwd).toBe(plan.packageCopy);
      expect(step.env).not.toHaveProperty('npm_config_nodedir');
    }
    expect(plan.stamp).toEqual({ betterSqlite3Version: '12.11.1', electronVersion: '45.4.1', modulesVersion: '150', platform: 'linux', arch: 'x64' });
  });

  it('never points a step at the Node build in node_modules', () => {
    for (const step of planFor().steps) {
      expect(step.cwd.startsWith(join(projectRoot, 'node_modules'))).toBe(false);
    }
  });

  it('counts a binary as ready only with a stamp of the same better-sqlite3, ABI and machine', () => {
    const root = fakeProject();
    const plan = script.planElectronNativeBuild({
      projectRoot: root,
      electronVersion: '45.4.1',
      modulesVersion: '150',
      betterSqlite3Version: '12.11.1',
      workDir: folder,
      platform: 'linux',
      arch: 'x64',
    });
    expect(script.isUpToDate(plan)).toBe(false);
    mkdirSync(dirname(plan.target), { recursive: true });
    writeFileSync(plan.target, 'binary');
    expect(script.isUpToDate(plan)).toBe(false);
    writeFileSync(plan.stampFile, JSON.stringify({ ...plan.stamp, electronVersion: '45.0.0' }));
    expect(script.isUpToDate(plan)).toBe(true);
    writeFileSync(plan.stampFile, JSON.stringify({ ...plan.stamp, betterSqlite3Version: '12.10.0' }));
    expect(script.isUpToDate(plan)).toBe(false);
  });
});

describe('checking the ABI of a built binary', () => {
  it("recognises the Node build as Node's, with the nodedir hint", () => {
    const result = script.checkBinaryAbi(nodeBuild, '150');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      `the binary built is for NODE_MODULE_VERSION ${process.versions.modules}, not Electron's 150 (it was built against Node's headers: check that no "nodedir" is set in .npmrc)`,
    );
  });

  it('accepts a binary of the expected ABI', () => {
    expect(script.checkBinaryAbi(nodeBuild, process.versions.modules)).toEqual({ ok: true, note: `NODE_MODULE_VERSION ${process.versions.modules} confirmed` });
  });

  it("reads the ABI named in Node's refusal of another runtime's binary", () => {
    const refusal =
      "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 150. This version of Node.js requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing";
    expect(script.interpretLoadAttempt(refusal, '115').builtFor).toBe('150');
    expect(script.interpretLoadAttempt('loaded\n', '115').builtFor).toBe('115');
    expect(script.interpretLoadAttempt('/x/better_sqlite3.node: undefined symbol: foo', '115').builtFor).toBeNull();
  });
});

describe('ensureElectronNative', () => {
  it('does nothing when the binary is ready', () => {
    const root = fakeProject({ electron: '45.4.1', abiVersion: '150', betterSqlite3: '12.11.1' });
    const target = join(root, '.native', 'electron-150', 'better_sqlite3.node');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, 'binary');
    writeFileSync(
      join(dirname(target), 'better_sqlite3.json'),
      JSON.stringify({ betterSqlite3Version: '12.11.1', electronVersion: '45.4.1', modulesVersion: '150', platform: process.platform, arch: process.arch }),
    );
    const lines: string[] = [];
    expect(script.ensureElectronNative({ projectRoot: root, log: (line) => lines.push(line) })).toEqual({ path: target, built: false });
    expect(lines).toEqual([`better-sqlite3 for Electron 45.4.1 (NODE_MODULE_VERSION 150) is ready: ${join('.native', 'electron-150', 'better_sqlite3.node')}`]);
    expect(readFileSync(target, 'utf8')).toBe('binary');
  });

  it('explains in one line when there is nothing to build with', () => {
    const root = fakeProject({ electron: '45.4.1', abiVersion: '150', betterSqlite3: '12.11.1' });
    const env = { PATH: process.env.PATH ?? '' };
    expect(() => script.ensureElectronNative({ projectRoot: root, env, log: () => undefined })).toThrow(/^neither prebuild-install nor node-gyp is installed: run "npm install" first$/);
    expect(existsSync(join(root, '.native', 'electron-150', 'better_sqlite3.node'))).toBe(false);
  });

  it('prints one line and exits with 1 when run on a project where it cannot work', () => {
    const root = fakeProject();
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts', 'ensure-electron-native.mjs'), readFileSync(scriptPath));
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-electron-native.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('ensure-electron-native: electron is not installed (no node_modules/electron/package.json): run "npm install" first\n');
  });
});

const hasPython = ['python3', 'python'].some((name) => spawnSync(name, ['--version']).status === 0);

describe('the node-gyp step against a local headers server', () => {
  /**
   * Runs the planned node-gyp command (configure only: nothing is compiled) with its
   * dist-url pointed at a server on loopback, and returns the paths node-gyp asked for.
   */
  async function headerRequestsOf(chooseEnv: (planned: Record<string, string>, given: Record<string, string>) => Record<string, string>): Promise<string[]> {
    const given = { PATH: process.env.PATH ?? '', HOME: folder, npm_config_nodedir: '/usr' };
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const { port } = server.address() as AddressInfo;
      const plan = script.planElectronNativeBuild({
        projectRoot,
        electronVersion: '45.4.1',
        modulesVersion: '150',
        betterSqlite3Version: '12.11.1',
        workDir: folder,
        env: given,
        homeDir: folder,
      });
      const step = plan.steps.find((candidate) => candidate.name === 'node-gyp')!;
      mkdirSync(step.cwd, { recursive: true });
      writeFileSync(join(step.cwd, 'binding.gyp'), '{"targets": [{"target_name": "probe", "sources": ["probe.cc"]}]}');
      const args = step.args.map((arg) => (arg === 'rebuild' ? 'configure' : arg.startsWith('--dist-url=') ? `--dist-url=http://127.0.0.1:${port}` : arg));
      await new Promise<void>((finished) => {
        const child = spawn(step.command, args, { cwd: step.cwd, env: chooseEnv(step.env, given), stdio: 'ignore' });
        child.on('exit', () => finished());
      });
      return requests;
    } finally {
      server.close();
    }
  }

  it.skipIf(!hasPython)("asks for Electron's headers even when npm's nodedir is set", async () => {
    const requests = await headerRequestsOf((planned) => planned);
    expect(requests).toContain('/v45.4.1/node-v45.4.1-headers.tar.gz');
  }, 60_000);

  it.skipIf(!hasPython)('would silently use the nodedir headers if the setting were passed through (the trap)', async () => {
    const requests = await headerRequestsOf((_planned, given) => given);
    expect(requests).toEqual([]);
  }, 60_000);
});
