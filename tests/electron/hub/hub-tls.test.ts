import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubStartError, startHubHost, type HubHost } from '../../../electron/hub/hub-host';
import { callHub } from '../../../electron/services/hub-http';
import { HubInfoSchema, HUB_API_PREFIX } from '../../../shared/hub-api';
import { TEST_DASHBOARD_HTML } from './hub-test-kit';

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const OPENSSL_MISSING = openssl.error !== undefined || openssl.status !== 0;
if (OPENSSL_MISSING) {
  console.warn('hub-tls tests skipped: the openssl command is not installed here, and it is what makes the self-signed test certificate (apt-get install openssl)');
}

/** The command docs/hub.md gives sites, with a short life and a P-256 key so tests are quick. */
function makeSelfSignedCertificate(folder: string, name: string): { certFile: string; keyFile: string } {
  const certFile = join(folder, `${name}-cert.pem`);
  const keyFile = join(folder, `${name}-key.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=EPN hub test', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'pipe' },
  );
  return { certFile, keyFile };
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

function getOverHttps(url: string, ca: string | undefined): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const outgoing = httpsRequest(url, { ca, timeout: 5_000 }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      incoming.on('end', () => resolveAnswer({ status: incoming.statusCode ?? 0, body }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 5 s')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function getOverPlainHttp(url: string): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const outgoing = httpRequest(url, { timeout: 5_000 }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      incoming.on('end', () => resolveAnswer({ status: incoming.statusCode ?? 0, body }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 5 s')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe.skipIf(OPENSSL_MISSING)('the hub over TLS (self-signed certificate made with openssl)', () => {
  let folder: string;
  let certificate: { certFile: string; keyFile: string };
  let host: HubHost;
  const log: string[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hub-tls-'));
    certificate = makeSelfSignedCertificate(folder, 'hub');
    const dashboardDir = join(folder, 'dashboard');
    mkdirSync(dashboardDir);
    writeFileSync(join(dashboardDir, 'index.html'), TEST_DASHBOARD_HTML);
    host = await startHubHost({
      listen: '127.0.0.1',
      port: 0,
      role: 'epn',
      site: 'EPN TLS',
      dataDir: join(folder, 'hub'),
      dashboardDir,
      tlsCertFile: certificate.certFile,
      tlsKeyFile: certificate.keyFile,
      log: (line) => log.push(line),
    });
  });
  afterAll(async () => {
    await host?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('serves https, and a client that trusts the certificate gets the API', async () => {
    expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await getOverHttps(`${host.url}${HUB_API_PREFIX}/info`, readFileSync(certificate.certFile, 'utf8'));
    expect(answer.status).toBe(200);
    expect(HubInfoSchema.parse(JSON.parse(answer.body))).toMatchObject({ site: 'EPN TLS' });
    expect(host.hub.issuePairingCode('staff').pairUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dashboard\/#pair=/);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(getOverHttps(`${host.url}${HUB_API_PREFIX}/info`, undefined)).rejects.toThrow(/self[- ]signed/i);
  });

  it('gives nothing to plain http on the same port', async () => {
    const plainUrl = `${host.url.replace(/^https:/, 'http:')}${HUB_API_PREFIX}/info`;
    // Node's TLS server drops a connection that does not begin with a TLS handshake.
    await expect(getOverPlainHttp(plainUrl)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('is reached by the kiosks\' client with the certificate as its trust (callHub ca)', async () => {
    const answer = await callHub(host.url, { method: 'GET', path: `${HUB_API_PREFIX}/info`, answer: HubInfoSchema, ca: readFileSync(certificate.certFile, 'utf8') });
    expect(answer).toMatchObject({ ok: true, status: 200, value: { site: 'EPN TLS' } });
  });

  it('is trusted by a Node process started with NODE_EXTRA_CA_CERTS, as docs/hub.md tells EPN hubs forwarding to a self-signed network hub', async () => {
    const script = `fetch(process.argv[1]).then(async (r) => { console.log(r.status, await r.text()); }, (e) => { console.log('failed', String(e.cause ?? e)); process.exitCode = 3; });`;
    const child = spawn(process.execPath, ['-e', script, `${host.url}${HUB_API_PREFIX}/info`], { env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.certFile } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    expect(output).toMatch(/^200 \{"apiVersion":1/);
    expect(code).toBe(0);
  });
});

describe.skipIf(OPENSSL_MISSING)('TLS files that do not belong together', () => {
  it('are refused at start, naming both files', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hub-tls-pair-'));
    try {
      const first = makeSelfSignedCertificate(folder, 'first');
      const second = makeSelfSignedCertificate(folder, 'second');
      const start = startHubHost({ listen: '127.0.0.1', port: 0, role: 'epn', site: '', dataDir: join(folder, 'hub'), tlsCertFile: first.certFile, tlsKeyFile: second.keyFile, log: () => {} });
      await expect(start).rejects.toBeInstanceOf(HubStartError);
      await expect(start).rejects.toThrow(`the TLS certificate ${first.certFile} and the TLS key ${second.keyFile} cannot be used together`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
