import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREVIEW_PORT, defaultPreviewDataDir, describeHelpChannels, parsePreviewArguments } from '../../../electron/preview/preview-cli';
import { HelpSettingsSchema } from '../../../shared/config/schema';
import { rawRequest } from './loopback-http';

const repositoryRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const cliPath = join(repositoryRoot, 'electron/preview/preview-cli.ts');

describe('parsePreviewArguments', () => {
  const defaults = { dataDir: '/home/staff/.config/EPN Kiosk/preview' };

  it('uses port 4173, the default data folder and the managed file when given nothing', () => {
    expect(parsePreviewArguments([], defaults)).toEqual({
      kind: 'run',
      options: { port: DEFAULT_PREVIEW_PORT, dataDir: defaults.dataDir, dataDirIsDefault: true, managedConfig: true, rendererDir: undefined },
    });
  });

  it('reads every option, in both spellings of a value', () => {
    expect(parsePreviewArguments(['--port=0', '--data-dir', '/tmp/preview', '--no-managed-config', '--renderer-dir=/tmp/renderer'], defaults)).toEqual({
      kind: 'run',
      options: { port: 0, dataDir: '/tmp/preview', dataDirIsDefault: false, managedConfig: false, rendererDir: '/tmp/renderer' },
    });
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535, not "abc"/],
    [['--port', '65536'], /--port must be a whole number/],
    [['--port', '-1'], /--port/],
    [['--port', '80.5'], /--port must be a whole number/],
    [['--port'], /--port/],
    [['--data-dir', ' '], /--data-dir must name a folder/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['somewhere'], /Unexpected argument 'somewhere'/],
  ])('refuses %j with a clear message', (argv, message) => {
    const parsed = parsePreviewArguments(argv, defaults);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' ? parsed.message : '').toMatch(message);
  });

  it('answers --help and -h', () => {
    expect(parsePreviewArguments(['--help'], defaults)).toEqual({ kind: 'help' });
    expect(parsePreviewArguments(['-h'], defaults)).toEqual({ kind: 'help' });
  });
});

describe('defaultPreviewDataDir', () => {
  it('lives under the account\'s application data on each system', () => {
    expect(defaultPreviewDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/EPN Kiosk/preview');
    expect(defaultPreviewDataDir('linux', { XDG_CONFIG_HOME: '/data/ana' }, '/home/ana')).toBe('/data/ana/EPN Kiosk/preview');
    expect(defaultPreviewDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/EPN Kiosk/preview');
    expect(defaultPreviewDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\EPN Kiosk\\preview');
  });
});

describe('describeHelpChannels', () => {
  it('says where the Help button\'s calls go, without a webhook\'s secrets', () => {
    expect(describeHelpChannels(HelpSettingsSchema.parse({}))).toBe('Help button: no hub or webhook in config.json ("help"), so the visitor is asked to call a helper in the room.');
    expect(
      describeHelpChannels(
        HelpSettingsSchema.parse({ hub: { url: 'http://192.168.1.10:8470', pairingCode: 'K7QM-RXHP' }, webhooks: [{ url: 'https://push.example.org/message?token=SECRET', format: 'gotify' }] }),
      ),
    ).toBe('Help button: calls go to the hub at http://192.168.1.10:8470 and the gotify webhook at https://push.example.org/message.');
  });
});

describe('the preview command', () => {
  let folder: string;
  let child: ChildProcessWithoutNullStreams | null = null;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'epn-preview-cli-'));
  });

  afterEach(() => {
    if (child !== null && child.exitCode === null) child.kill('SIGKILL');
    child = null;
    rmSync(folder, { recursive: true, force: true });
  });

  function start(args: string[]): { process: ChildProcessWithoutNullStreams; output: () => { stdout: string; stderr: string }; exited: Promise<number | null> } {
    const started = spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], { cwd: repositoryRoot, env: { ...process.env, NO_COLOR: '1' } });
    child = started;
    let stdout = '';
    let stderr = '';
    started.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    started.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolveExit) => started.on('exit', (code) => resolveExit(code)));
    return { process: started, output: () => ({ stdout, stderr }), exited };
  }

  it('exits with 2 and one clear line on a bad option', async () => {
    const run = start(['--port', 'many']);
    expect(await run.exited).toBe(2);
    const lines = run.output().stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^preview: --port must be a whole number/);
  });

  it('prints the data folder and the address, serves, and stops cleanly on Ctrl+C', async () => {
    const rendererDir = join(folder, 'renderer');
    const dataDir = join(folder, 'data', 'nested');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Renderer stand-in</title>');
    const run = start(['--port', '0', '--data-dir', dataDir, '--no-managed-config', '--renderer-dir', rendererDir]);

    const url = await new Promise<string>((resolveUrl, reject) => {
      const check = () => {
        const match = /open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/.exec(run.output().stdout);
        if (match !== null) resolveUrl(match[1]!);
      };
      run.process.stdout.on('data', check);
      run.exited.then((code) => reject(new Error(`the preview exited with ${code}: ${run.output().stderr}`)));
    });
    expect(run.output().stdout).toContain(`Preview data folder: ${dataDir}`);
    expect(run.output().stdout).toContain('Help button: no hub or webhook in config.json');
    expect(existsSync(dataDir)).toBe(true);

    const { port } = new URL(url);
    const page = await rawRequest(url, { headers: { host: `127.0.0.1:${port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Renderer stand-in');

    run.process.kill('SIGINT');
    expect(await run.exited).toBe(0);
    await expect(rawRequest(url, { headers: { host: `127.0.0.1:${port}` } })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('exits with 1 and says why when the renderer is not built', async () => {
    const run = start(['--port', '0', '--data-dir', join(folder, 'data'), '--no-managed-config', '--renderer-dir', join(folder, 'missing')]);
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toMatch(/^preview: the renderer is not built .*npm run build:renderer/m);
  });
});
