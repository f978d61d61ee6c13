import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DASHBOARD_CONTENT_SECURITY_POLICY, startHub } from '../../../electron/hub/hub-server';
import { HUB_API_OPERATIONS } from '../../../electron/hub/hub-openapi';
import { HUB_API_PREFIX, HubErrorSchema, HubInfoSchema, type DeviceRole, type HubError } from '../../../shared/hub-api';
import { emptyDailyFigures } from '../../../shared/statistics/daily-figures';
import { rawRequest, unusedPort } from '../preview/loopback-http';
import { heartbeatBody, helpRequestBody, hubFetch, randomHexId, startTestHub, TEST_DASHBOARD_HTML, type PairedDevice, type TestHub } from './hub-test-kit';

let kit: TestHub;
let staff: PairedDevice;
let kiosk: PairedDevice;

beforeEach(async () => {
  kit = await startTestHub();
  staff = await kit.pair('staff');
  kiosk = await kit.pair('kiosk');
});

afterEach(async () => {
  await kit.close();
});

function errorOf(body: unknown): HubError['error'] {
  return HubErrorSchema.parse(body).error;
}

const ROLE_NAMES: Record<DeviceRole, string> = { kiosk: 'a kiosk', staff: 'a staff device', hub: 'a downstream hub' };

/** A concrete address for an operation's path, with made-up ids. */
function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, randomHexId());
}

describe('credentials', () => {
  it('answers 401 without a credential, saying how to pair', async () => {
    const answer = await hubFetch(kit.url, '/help-requests');
    expect(answer.status).toBe(401);
    expect(errorOf(answer.body)).toEqual({ code: 'unauthenticated', message: expect.stringMatching(/needs a device credential: pair this device with a code from the staff dashboard/) });
  });

  it('answers 401 for a malformed header and for a well-formed token the hub does not know', async () => {
    const basic = await hubFetch(kit.url, '/kiosks', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
    expect(errorOf(basic.body).message).toMatch(/not "Bearer <token>"/);
    const forged = `${staff.deviceId}.${'A'.repeat(43)}`;
    const unknown = await hubFetch(kit.url, '/kiosks', { token: forged });
    expect(unknown.status).toBe(401);
    expect(errorOf(unknown.body).message).toMatch(/not valid here/);
  });

  it('gives each route only to the kinds of devices it names (403 naming the kind needed)', async () => {
    const hubDevice = await kit.pair('hub');
    const tokens: Record<DeviceRole, string> = { kiosk: kiosk.token, staff: staff.token, hub: hubDevice.token };
    let checked = 0;
    for (const operation of HUB_API_OPERATIONS) {
      if (operation.access === 'anyone') continue;
      for (const role of ['kiosk', 'staff', 'hub'] as const) {
        if (operation.access.includes(role)) continue;
        const answer = await hubFetch(kit.url, `${HUB_API_PREFIX}${concretePath(operation.path)}`, { method: operation.method.toUpperCase(), token: tokens[role] });
        const what = `${role} on ${operation.method.toUpperCase()} ${operation.path}`;
        expect(answer.status, what).toBe(403);
        expect(errorOf(answer.body).code, what).toBe('forbidden');
        const message = errorOf(answer.body).message;
        expect(message, what).toMatch(/^only /);
        for (const allowed of operation.access) expect(message.split(' may do this')[0], what).toContain(ROLE_NAMES[allowed]);
        expect(message, what).toContain(`this credential belongs to ${ROLE_NAMES[role]}`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('locks an address out after too many wrong credentials, even with a right one', async () => {
    const guarded = await startTestHub({ limits: { failedAuthPerMinutePerAddress: 3 } });
    try {
      const phone = await guarded.pair('staff');
      expect((await hubFetch(guarded.url, '/kiosks', { token: phone.token })).status).toBe(200);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await hubFetch(guarded.url, '/kiosks', { token: `${randomHexId()}.${'B'.repeat(43)}` })).status).toBe(401);
      }
      const locked = await hubFetch(guarded.url, '/kiosks', { token: phone.token });
      expect(locked.status).toBe(429);
      expect(errorOf(locked.body)).toEqual({ code: 'rate-limited', message: expect.stringMatching(/wrong or missing credential/) });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      // Routes open to anyone are not credential guesses.
      expect((await hubFetch(guarded.url, '/info')).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('limits each device to its budget of requests a minute, without touching other devices', async () => {
    const limited = await startTestHub({ limits: { requestsPerMinutePerDevice: 3 } });
    try {
      const phone = await limited.pair('staff');
      const other = await limited.pair('staff');
      for (let request = 0; request < 3; request += 1) expect((await hubFetch(limited.url, '/kiosks', { token: phone.token })).status).toBe(200);
      const refused = await hubFetch(limited.url, '/kiosks', { token: phone.token });
      expect(refused.status).toBe(429);
      expect(errorOf(refused.body)).toEqual({ code: 'rate-limited', message: expect.stringMatching(/more than 3 requests in a minute: wait \d+ seconds?/) });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await hubFetch(limited.url, '/kiosks', { token: other.token })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('request bodies', () => {
  it('refuses malformed JSON with 400', async () => {
    const answer = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, body: '{"clientRequestId": ', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toEqual({ code: 'invalid-request', message: expect.stringMatching(/not valid JSON/) });
  });

  it('refuses the keys prototype pollution relies on', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const answer = await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, body: `{"name":"PC","${key}":{"polluted":true}}`, headers: { 'content-type': 'application/json' } });
      expect(answer.status, key).toBe(400);
      expect(errorOf(answer.body).message).toContain(`"${key}"`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names an unknown field', async () => {
    const answer = await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, json: { ...heartbeatBody(), colour: 'blue' } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toMatch(/^colour: is not a field of this request/);
  });

  it('names a field of the wrong type, with its full path', async () => {
    const day = emptyDailyFigures('2025-01-06');
    const upload = { kioskId: kiosk.kioskId, kiosk: { name: 'PC 1', site: '' }, days: [day, day, day, { ...emptyDailyFigures('2025-01-09'), sessions: 2.5 }].map((figures, index) => ({ ...figures, day: `2025-01-0${index + 6}` })) };
    const answer = await hubFetch(kit.url, '/statistics/uploads', { token: kiosk.token, json: upload });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toBe('days[3].sessions: must be a whole number');

    const wrongType = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: { ...helpRequestBody(), delayMs: 'soon' } });
    expect(wrongType.status).toBe(400);
    expect(errorOf(wrongType.body).message).toBe('delayMs: must be a number of milliseconds');
  });

  it('refuses a body that is not an object, and a missing one', async () => {
    const array = await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, json: [heartbeatBody()] });
    expect(array.status).toBe(400);
    expect(errorOf(array.body).message).toMatch(/must be a JSON object/);
    const none = await hubFetch(kit.url, '/heartbeat', { method: 'POST', token: kiosk.token });
    expect(none.status).toBe(400);
    expect(errorOf(none.body).message).toMatch(/needs a JSON body/);
  });

  it('names a query parameter on a route that takes none', async () => {
    const answer = await hubFetch(kit.url, '/kiosks?online=true', { token: staff.token });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toMatch(/^online: is not a query parameter of this request/);
  });

  it('refuses what is not JSON with 415', async () => {
    const answer = await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, body: 'name=PC', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(answer.status).toBe(415);
    expect(errorOf(answer.body)).toEqual({ code: 'unsupported-media-type', message: expect.stringMatching(/must be JSON sent with "Content-Type: application\/json"/) });
  });

  it('refuses an oversized body with 413, and lets statistics uploads be larger', async () => {
    const huge = await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, json: { ...heartbeatBody(), padding: 'x'.repeat(20 * 1024) } });
    expect(huge.status).toBe(413);
    expect(errorOf(huge.body)).toEqual({ code: 'body-too-large', message: expect.stringMatching(/larger than 16384 bytes/) });

    const days = Array.from({ length: 60 }, (_, index) => emptyDailyFigures(`2025-0${1 + Math.floor(index / 28)}-${String(1 + (index % 28)).padStart(2, '0')}`));
    const upload = { kioskId: kiosk.kioskId, kiosk: { name: 'PC 1', site: '' }, days };
    expect(JSON.stringify(upload).length).toBeGreaterThan(16 * 1024);
    const accepted = await hubFetch(kit.url, '/statistics/uploads', { token: kiosk.token, json: upload });
    expect(accepted.status).toBe(200);

    const small = await startTestHub({ limits: { uploadBodyBytes: 20 * 1024 } });
    try {
      const smallKiosk = await small.pair('kiosk');
      const refused = await hubFetch(small.url, '/statistics/uploads', { token: smallKiosk.token, json: { ...upload, kioskId: smallKiosk.kioskId } });
      expect(refused.status).toBe(413);
      expect(errorOf(refused.body).message).toMatch(/larger than 20480 bytes.*send fewer days per upload/);
    } finally {
      await small.close();
    }
  });
});

describe('origins and headers', () => {
  it('refuses a request from a page of another origin, and changes nothing', async () => {
    const answer = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody(), headers: { origin: 'http://evil.example' } });
    expect(answer.status).toBe(403);
    expect(errorOf(answer.body)).toEqual({ code: 'cross-origin', message: expect.stringMatching(/requests from pages of "http:\/\/evil.example" are refused/) });
    const open = await hubFetch<{ requests: unknown[] }>(kit.url, '/help-requests', { token: staff.token });
    expect(open.body.requests).toEqual([]);
  });

  it("accepts the hub's own origin", async () => {
    const answer = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody(), headers: { origin: kit.url } });
    expect(answer.status).toBe(201);
  });

  it('sends no CORS headers, not even to a preflight', async () => {
    const preflight = await rawRequest(`${kit.url}${HUB_API_PREFIX}/help-requests`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(403);
    const answers = [preflight.headers, (await hubFetch(kit.url, '/info')).headers];
    for (const headers of answers) {
      const names: string[] = [];
      if (headers instanceof Headers) headers.forEach((_value, name) => names.push(name));
      else names.push(...Object.keys(headers));
      expect(names.filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('sends the security headers on API answers, refusals included', async () => {
    for (const answer of [await hubFetch(kit.url, '/info'), await hubFetch(kit.url, '/kiosks'), await hubFetch(kit.url, '/nothing-here')]) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(answer.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 404 HubError for an unknown route, with or without the API prefix', async () => {
    for (const path of [`${HUB_API_PREFIX}/nothing-here`, '/api/v2/info']) {
      const answer = await hubFetch(kit.url, path);
      expect(answer.status).toBe(404);
      expect(errorOf(answer.body)).toEqual({ code: 'not-found', message: expect.stringMatching(/there is no GET .* on this hub/) });
    }
  });

  it('refuses a broken percent-escape with a HubError', async () => {
    const answer = await rawRequest(`${kit.url}${HUB_API_PREFIX}/help-requests/%E0%A4%A`, { headers: { authorization: `Bearer ${staff.token}` } });
    expect(answer.status).toBe(400);
    expect(errorOf(JSON.parse(answer.body)).code).toBe('invalid-request');
  });
});

describe('the dashboard', () => {
  it('redirects / to /dashboard/ and serves it with its content security policy', async () => {
    const root = await hubFetch(kit.url, '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard/');
    const page = await hubFetch(kit.url, '/dashboard/');
    expect(page.status).toBe(200);
    expect(page.text).toBe(TEST_DASHBOARD_HTML);
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('says how to build the dashboard when it is missing', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'epn-hub-no-dashboard-'));
    const bare = await startTestHub({ dashboardDir: emptyDir });
    try {
      const answer = await hubFetch(bare.url, '/dashboard/');
      expect(answer.status).toBe(503);
      expect(errorOf(answer.body).message).toMatch(/run "npm run build:dashboard"/);
    } finally {
      await bare.close();
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

describe('listening', () => {
  it('binds exactly the address it is given', async () => {
    expect(new URL(kit.url).hostname).toBe('127.0.0.1');
    expect(kit.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('says clearly when the port is taken', async () => {
    await expect(startHub({ dataDir: kit.dataDir, host: '127.0.0.1', port: kit.hub.port, role: 'epn', site: '' })).rejects.toThrow(
      `the hub cannot listen on 127.0.0.1 port ${kit.hub.port}: another program (or another hub) already uses this port`,
    );
  });

  it('says clearly when the address is not one of this computer', async () => {
    const port = await unusedPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'epn-hub-not-here-'));
    try {
      // 192.0.2.0/24 is reserved for documentation: no machine has it.
      await expect(startHub({ dataDir, host: '192.0.2.7', port, role: 'epn', site: '' })).rejects.toThrow(`the hub cannot listen on 192.0.2.7 port ${port}: 192.0.2.7 is not an address of this computer`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a site name that is too long and a wrong suppression threshold before binding anything', async () => {
    await expect(startHub({ dataDir: kit.dataDir, host: '127.0.0.1', port: 0, role: 'epn', site: 'x'.repeat(81) })).rejects.toThrow(/the hub's site must be at most 80 characters/);
    await expect(startHub({ dataDir: kit.dataDir, host: '127.0.0.1', port: 0, role: 'epn', site: '', suppressionThreshold: 1 })).rejects.toThrow(/suppression threshold must be at least 2/);
  });

  const openssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((path) => existsSync(path));
  it.skipIf(openssl === undefined)('serves https when given a certificate (skipped where openssl is not installed)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'epn-hub-tls-'));
    try {
      const keyFile = join(folder, 'key.pem');
      const certFile = join(folder, 'cert.pem');
      execFileSync(openssl!, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const cert = readFileSync(certFile);
      const secure = await startTestHub({ tls: { cert, key: readFileSync(keyFile) } });
      try {
        expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          const outgoing = httpsRequest(`${secure.url}${HUB_API_PREFIX}/info`, { ca: cert }, (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve(text));
          });
          outgoing.on('error', reject);
          outgoing.end();
        });
        expect(HubInfoSchema.parse(JSON.parse(body)).apiVersion).toBe(1);
        const issued = secure.hub.issuePairingCode('staff');
        expect(issued.pairUrl).toBe(`${secure.url}/dashboard/#pair=${issued.code}`);
      } finally {
        await secure.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
