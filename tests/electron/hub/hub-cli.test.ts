import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultHubDataDir, HUB_USAGE, parseHubArguments, type HubCliOptions } from '../../../electron/hub/hub-cli';
import { HUB_API_OPERATIONS } from '../../../electron/hub/hub-openapi';
import { DEFAULT_HUB_PORT, HUB_API_PREFIX, HubInfoSchema, PAIRING_CODE_PATTERN } from '../../../shared/hub-api';

const PROJECT_ROOT = resolve(__dirname, '../../..');
const CLI = join(PROJECT_ROOT, 'electron/hub/hub-cli.ts');
const DEFAULTS = { dataDir: '/srv/default-hub' };

function run(argv: string[]): HubCliOptions {
  const parsed = parseHubArguments(argv, DEFAULTS);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}
function error(argv: string[]): string {
  const parsed = parseHubArguments(argv, DEFAULTS);
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('parseHubArguments', () => {
  it('has safe defaults: this machine only, the default port, an EPN hub', () => {
    expect(run([])).toEqual({
      dataDir: resolve('/srv/default-hub'),
      dataDirIsDefault: true,
      listen: '127.0.0.1',
      port: DEFAULT_HUB_PORT,
      role: 'epn',
      site: '',
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      upstream: null,
      suppressionThreshold: undefined,
      pairStaff: false,
    });
  });

  it('reads every option', () => {
    expect(
      run([
        '--data-dir', 'hub-data',
        '--listen', 'eth0',
        '--port', '9000',
        '--role', 'epn',
        '--site', '  EPN de Namur ',
        '--tls-cert', 'cert.pem',
        '--tls-key', 'key.pem',
        '--upstream', 'https://hub.reseau-epn.be/',
        '--upstream-code', 'k7qm rxhp',
        '--suppression-threshold', '5',
        '--pair-staff',
      ]),
    ).toEqual({
      dataDir: resolve('hub-data'),
      dataDirIsDefault: false,
      listen: 'eth0',
      port: 9000,
      role: 'epn',
      site: 'EPN de Namur',
      tlsCertFile: resolve('cert.pem'),
      tlsKeyFile: resolve('key.pem'),
      upstream: { url: 'https://hub.reseau-epn.be', pairingCode: 'K7QM-RXHP' },
      suppressionThreshold: 5,
      pairStaff: true,
    });
  });

  it('takes a network role, port 0 and an upstream without a code (already paired)', () => {
    expect(run(['--role', 'network', '--port', '0'])).toMatchObject({ role: 'network', port: 0 });
    expect(run(['--upstream', 'http://10.0.0.2:8470']).upstream).toEqual({ url: 'http://10.0.0.2:8470' });
  });

  it('asks for help', () => {
    expect(parseHubArguments(['--help'], DEFAULTS)).toEqual({ kind: 'help' });
    expect(parseHubArguments(['-h', '--port', 'x'], DEFAULTS)).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', '65536'], '--port must be a whole number from 0 to 65535'],
    [['--port', '80a'], '--port must be a whole number from 0 to 65535'],
    [['--role', 'central'], '--role must be "epn" (an EPN\'s hub) or "network"'],
    [['--tls-cert', 'cert.pem'], '--tls-cert needs --tls-key too'],
    [['--tls-key', 'key.pem'], '--tls-key needs --tls-cert too'],
    [['--upstream-code', 'K7QM-RXHP'], '--upstream-code needs --upstream <url>'],
    [['--upstream', 'ftp://hub.example'], '--upstream must be the network hub\'s address starting with http:// or https://'],
    [['--upstream', 'hub.example'], '--upstream must be the network hub\'s address'],
    [['--upstream', 'https://hub.example', '--upstream-code', 'K7QM-RXH0'], '--upstream-code must be the 8-character hub pairing code'],
    [['--suppression-threshold', '1'], '--suppression-threshold must be a whole number from 2 to 20'],
    [['--suppression-threshold', '3.5'], '--suppression-threshold must be a whole number from 2 to 20'],
    [['--site', 'x'.repeat(81)], '--site must be at most 80 characters'],
    [['--listen', '  '], '--listen must not be empty'],
    [['--data-dir', ''], '--data-dir must not be empty'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['--listen'], "Option '--listen <value>' argument missing"],
    [['eth0'], "Unexpected argument 'eth0'"],
  ])('refuses %j, saying what is wrong', (argv, message) => {
    expect(error(argv)).toContain(message);
  });

  it('names the per-user application data folder by default', () => {
    expect(defaultHubDataDir('linux', {}, '/home/anne')).toBe('/home/anne/.config/EPN Kiosk/hub');
    expect(defaultHubDataDir('linux', { XDG_CONFIG_HOME: '/data/cfg' }, '/home/anne')).toBe('/data/cfg/EPN Kiosk/hub');
    expect(defaultHubDataDir('darwin', {}, '/Users/anne')).toBe('/Users/anne/Library/Application Support/EPN Kiosk/hub');
    expect(defaultHubDataDir('win32', { APPDATA: 'C:\\Users\\anne\\AppData\\Roaming' }, 'C:\\Users\\anne')).toBe('C:\\Users\\anne\\AppData\\Roaming\\EPN Kiosk\\hub');
  });
});

describe('the hub documentation', () => {
  const guide = () => readFileSync(join(PROJECT_ROOT, 'docs/hub.md'), 'utf8');
  const options = [...HUB_USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((match) => match[1]!);

  it('lists every option of npm run hub, as the usage does', () => {
    expect(options).toEqual(['--listen', '--port', '--data-dir', '--role', '--site', '--tls-cert', '--tls-key', '--upstream', '--upstream-code', '--suppression-threshold', '--pair-staff', '--help']);
    for (const option of options) expect(guide(), option).toContain(`\`${option}`);
  });

  it('documents every route of the API', () => {
    const text = guide();
    for (const operation of HUB_API_OPERATIONS) {
      const path = `${HUB_API_PREFIX}${operation.path}`;
      expect(text, `${operation.method.toUpperCase()} ${path}`).toContain(`| ${operation.method.toUpperCase()} | \`${path}`);
    }
  });
});

/* ---------- A real run ---------- */

interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  waitFor(pattern: RegExp, deadlineMs?: number): Promise<RegExpMatchArray>;
  exit(deadlineMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(argv: string[]): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...argv], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((waiter) => waiter());
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  exited.then(notify, notify);
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    notify();
  });

  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
  return {
    child,
    output,
    waitFor(pattern, deadlineMs = 30_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match !== null) {
            cleanup();
            resolveMatch(match);
          } else if (hasExited) {
            cleanup();
            reject(new Error(`the hub exited before printing ${pattern}\n${output()}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${deadlineMs} ms\n${output()}`));
        }, deadlineMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    exit(deadlineMs = 15_000) {
      return Promise.race([
        exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the hub did not exit within ${deadlineMs} ms\n${output()}`)), deadlineMs).unref()),
      ]);
    },
  };
}

// Each run starts Node with tsx, which compiles the hub first: seconds, not milliseconds, on a busy machine.
describe('npm run hub, run for real', { timeout: 60_000 }, () => {
  const folders: string[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  function tempFolder(): string {
    const folder = mkdtempSync(join(tmpdir(), 'hub-cli-'));
    folders.push(folder);
    return folder;
  }

  it('starts, prints its addresses and a staff pairing code, answers, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(tempFolder(), 'hub');
    const cli = startCli(['--data-dir', dataDir, '--port', '0', '--site', 'EPN de Test']);
    children.push(cli.child);

    const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
    expect(cli.output()).toContain(`Hub data folder: ${dataDir} (from --data-dir)`);
    await cli.waitFor(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard\//);
    const [, code] = await cli.waitFor(/Staff pairing code \(no staff device is paired yet\): ([A-Z0-9]{4}-[A-Z0-9]{4})/);
    expect(code).toMatch(PAIRING_CODE_PATTERN);
    await cli.waitFor(new RegExp(`open ${url!.replace(/[.]/g, '\\.')}/dashboard/#pair=${code}`));
    // The QR code is drawn with block characters when the output is not a terminal.
    await cli.waitFor(/[█▀▄]{10,}/);

    const info = HubInfoSchema.parse(await (await fetch(`${url}${HUB_API_PREFIX}/info`)).json());
    expect(info).toMatchObject({ apiVersion: 1, role: 'epn', site: 'EPN de Test' });

    // The code printed is a real one: a phone can claim it.
    const claim = await fetch(`${url}${HUB_API_PREFIX}/pairing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Reception phone' }) });
    expect(claim.status).toBe(201);

    cli.child.kill('SIGTERM');
    await cli.waitFor(/Hub stopped\./);
    expect(await cli.exit()).toEqual({ code: 0, signal: null });
  });

  it('prints no staff code once a staff device is paired, unless asked with --pair-staff', async () => {
    const dataDir = join(tempFolder(), 'hub');
    const first = startCli(['--data-dir', dataDir, '--port', '0']);
    children.push(first.child);
    const [, url] = await first.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
    const [, code] = await first.waitFor(/Staff pairing code \(no staff device is paired yet\): (\S+)/);
    const claim = await fetch(`${url}${HUB_API_PREFIX}/pairing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Reception phone' }) });
    expect(claim.status).toBe(201);
    first.child.kill('SIGINT');
    expect(await first.exit()).toEqual({ code: 0, signal: null });

    const second = startCli(['--data-dir', dataDir, '--port', '0']);
    children.push(second.child);
    await second.waitFor(/Dashboard: /);
    second.child.kill('SIGTERM');
    await second.exit();
    expect(second.output()).not.toContain('Staff pairing code');

    const third = startCli(['--data-dir', dataDir, '--port', '0', '--pair-staff']);
    children.push(third.child);
    await third.waitFor(/Staff pairing code \(--pair-staff\): [A-Z0-9]{4}-[A-Z0-9]{4}/);
    third.child.kill('SIGTERM');
    expect(await third.exit()).toEqual({ code: 0, signal: null });
  });

  it('exits with 2, one line and the usage for a bad option', async () => {
    const cli = startCli(['--port', 'many']);
    children.push(cli.child);
    expect(await cli.exit()).toEqual({ code: 2, signal: null });
    expect(cli.output()).toContain('hub: --port must be a whole number from 0 to 65535 (0 lets the system choose), not "many"');
    expect(cli.output()).toContain('Usage: npm run hub -- [options]');
  });

  it('exits with 1 and one clear line when it cannot start', async () => {
    const dataDir = join(tempFolder(), 'hub');
    const cli = startCli(['--data-dir', dataDir, '--port', '0', '--listen', '0.0.0.0']);
    children.push(cli.child);
    expect(await cli.exit()).toEqual({ code: 1, signal: null });
    expect(cli.output()).toMatch(/hub: --listen "0\.0\.0\.0": "0\.0\.0\.0" means every network interface/);
  });
});
