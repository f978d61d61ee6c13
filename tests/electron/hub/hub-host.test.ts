import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HubStartError, readTlsFiles, startHubFromSettings, startHubHost, type HubHost } from '../../../electron/hub/hub-host';
import type { HubHostSettings } from '../../../shared/config/schema';
import { HubInfoSchema, HUB_API_PREFIX } from '../../../shared/hub-api';
import { startTestHub, TEST_DASHBOARD_HTML, type TestHub } from './hub-test-kit';

const LOOPBACK_ONLY: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '192.0.2.10', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.10/24' }],
};

function settings(overrides: Partial<HubHostSettings> = {}): HubHostSettings {
  // Port 0 is below what the configuration accepts, and what a test needs: any free port.
  return { listen: 'lo', port: 0, upstream: null, ...overrides };
}

async function eventually(what: string, condition: () => boolean, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${deadlineMs} ms: ${what}`);
    await new Promise((resolveTick) => setTimeout(resolveTick, 10));
  }
}

async function startFailure(start: () => Promise<unknown>): Promise<HubStartError> {
  try {
    await start();
  } catch (error) {
    if (error instanceof HubStartError) return error;
    throw new Error(`expected a HubStartError, got ${String(error)}`);
  }
  throw new Error('expected the hub not to start');
}

describe('startHubFromSettings (the staff PC)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function folder(): string {
    const created = mkdtempSync(join(tmpdir(), 'hub-host-'));
    cleanups.push(() => rmSync(created, { recursive: true, force: true }));
    const dashboardDir = join(created, 'dashboard');
    mkdirSync(dashboardDir);
    writeFileSync(join(dashboardDir, 'index.html'), TEST_DASHBOARD_HTML);
    return created;
  }

  async function host(options: Partial<Parameters<typeof startHubFromSettings>[0]> & { dir?: string } = {}): Promise<{ host: HubHost; log: string[]; dir: string }> {
    const dir = options.dir ?? folder();
    const log: string[] = [];
    const started = await startHubFromSettings({
      settings: settings(),
      site: 'EPN de Namur',
      dataDir: join(dir, 'hub'),
      dashboardDir: join(dir, 'dashboard'),
      interfaces: LOOPBACK_ONLY,
      log: (line) => log.push(line),
      ...options,
    });
    cleanups.push(() => started.close());
    return { host: started, log, dir };
  }

  it('turns the configured interface into its address and starts an EPN hub for the site', async () => {
    const { host: started, dir } = await host();
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.dashboardUrl).toBe(`${started.url}/dashboard/`);
    expect(started.listen).toEqual({ address: '127.0.0.1', family: 'IPv4', interfaceName: 'lo', loopbackOnly: true });
    expect(started.forwarder).toBeNull();

    const info = HubInfoSchema.parse(await (await fetch(`${started.url}${HUB_API_PREFIX}/info`)).json());
    expect(info).toMatchObject({ role: 'epn', site: 'EPN de Namur' });
    const dashboard = await fetch(started.dashboardUrl);
    expect(await dashboard.text()).toContain('Dashboard test');
    // The data folder was made, with the hub's own database in it.
    expect(started.hub.store.listDevices()).toEqual([]);
    expect(() => mkdirSync(join(dir, 'hub'))).toThrow(/EEXIST/);
  });

  it('closes the hub: the port no longer answers, and closing twice is harmless', async () => {
    const { host: started } = await host();
    await started.close();
    await started.close();
    await expect(fetch(`${started.url}${HUB_API_PREFIX}/info`)).rejects.toThrow();
  });

  it('refuses every interface at once, naming the setting', async () => {
    const error = await startFailure(() => host({ settings: settings({ listen: '0.0.0.0' }) }));
    expect(error.message).toMatch(/^hub\.listen "0\.0\.0\.0": "0\.0\.0\.0" means every network interface/);
  });

  it('names the interfaces there are when the configured one is not', async () => {
    const error = await startFailure(() => host({ settings: settings({ listen: 'wlan0' }) }));
    expect(error.message).toContain('hub.listen "wlan0"');
    expect(error.message).toContain('The interfaces of this machine: lo (127.0.0.1), eth0 (192.0.2.10).');
  });

  it('says in one line that the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolveListen) => blocker.listen(0, '127.0.0.1', resolveListen));
    cleanups.push(() => new Promise<void>((resolveClose) => blocker.close(() => resolveClose())));
    const port = (blocker.address() as AddressInfo).port;
    const error = await startFailure(() => host({ settings: settings({ port }) }));
    expect(error.message).toContain(`port ${port}`);
    expect(error.message).toContain('already uses this port');
    expect(error.message).not.toContain('\n');
  });

  it('names the TLS file it cannot read', async () => {
    const dir = folder();
    const certFile = join(dir, 'missing-cert.pem');
    writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const error = await startFailure(() => host({ dir, settings: settings({ tlsCertFile: certFile, tlsKeyFile: join(dir, 'key.pem') }) }));
    expect(error.message).toBe(`cannot read the hub.tlsCertFile file ${certFile}: there is no such file`);
  });

  it('starts forwarding to the network hub when upstream is set, and stops it on close', async () => {
    const network: TestHub = await startTestHub({ role: 'network' });
    cleanups.push(() => network.close());
    const code = network.hub.issuePairingCode('hub').code;
    const { host: started, log } = await host({ settings: settings({ upstream: { url: network.url, pairingCode: code } }) });
    expect(started.forwarder).not.toBeNull();
    // The first round pairs at once, so the network's coordinator sees the EPN join.
    await eventually('the EPN hub paired with the network hub', () => network.hub.store.listDevices().some((device) => device.role === 'hub' && device.name === 'EPN de Namur'));
    await eventually('the forwarder is idle', () => started.forwarder!.status().state === 'idle');
    expect(log.join('\n')).toContain(`upstream ${network.url}: paired with the network hub`);
    await started.close();
    expect(started.forwarder!.status().state).toBe('stopped');
  });
});

describe('startHubHost', () => {
  it('refuses a data folder it cannot create, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-host-'));
    try {
      writeFileSync(join(dir, 'file'), 'not a folder');
      const dataDir = join(dir, 'file', 'hub');
      const error = await startFailure(() => startHubHost({ listen: '127.0.0.1', port: 0, role: 'epn', site: '', dataDir, log: () => {} }));
      expect(error.message).toContain(`cannot create the hub's data folder ${dataDir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readTlsFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-tls-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is null without files, and refuses one file alone', () => {
    expect(readTlsFiles(undefined, undefined)).toBeNull();
    expect(() => readTlsFiles(join(dir, 'cert.pem'), undefined, { tlsCertFile: '--tls-cert', tlsKeyFile: '--tls-key' })).toThrow('--tls-key is missing: HTTPS needs both the certificate and its private key');
  });

  it('refuses a file that holds no PEM, and spots swapped files', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    const key = join(dir, 'key-as-cert.pem');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect(() => readTlsFiles(text, key)).toThrow(`the TLS certificate file ${text} holds no PEM certificate`);
    expect(() => readTlsFiles(key, key)).toThrow('were the certificate and key swapped?');
    expect(() => readTlsFiles(join(dir, 'none.pem'), key)).toThrow('there is no such file');
    expect(() => readTlsFiles(dir, key)).toThrow('it is a folder');
  });
});
