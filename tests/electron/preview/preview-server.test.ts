import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PREVIEW_BODY_LIMIT_BYTES, startPreviewServer, type PreviewServer } from '../../../electron/preview/preview-server';
import type { KioskConfig } from '../../../shared/config/schema';
import { SessionSnapshotSchema, type SessionSnapshot } from '../../../shared/contract';
import { ManualClock } from '../../support/manual-clock';
import { hubFetch, startTestHub, type TestHub } from '../hub/hub-test-kit';
import { waitUntil } from '../services/fixtures/wait-until';
import {
  htmlPage,
  rawRequest,
  startLoopbackServer,
  testConfig,
  unusedPort,
  writeConfigFile,
  type LoopbackServer,
  type RawResponse,
  type TestService,
} from './loopback-http';

const LABELS = (name: string) => ({ fr: `${name} (fr)`, nl: `${name} (nl)`, de: `${name} (de)`, en: name, ar: `${name} (ar)`, tr: `${name} (tr)`, uk: `${name} (uk)` });

let rendererDir: string;
let dataDir: string;
let server: PreviewServer;
let clock: ManualClock;
let logLines: string[];
let logWaiters: { pattern: RegExp; resolve: (line: string) => void }[];
let services: Record<'frameable' | 'deny' | 'ancestorsNone' | 'redirectToDeny' | 'headRefused', LoopbackServer>;
let unreachablePort: number;

function onLog(line: string): void {
  logLines.push(line);
  for (const waiter of [...logWaiters]) {
    if (waiter.pattern.test(line)) {
      logWaiters.splice(logWaiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  }
}

/** Resolves with the first log line, past or future, that matches. */
function logLineMatching(pattern: RegExp): Promise<string> {
  const already = logLines.find((line) => pattern.test(line));
  if (already !== undefined) return Promise.resolve(already);
  return new Promise((resolve) => logWaiters.push({ pattern, resolve }));
}

function serviceList(): TestService[] {
  return [
    { id: 'frameable', theme: 'administration', label: LABELS('Frameable'), startUrl: services.frameable.url('/') },
    { id: 'deny', theme: 'administration', label: LABELS('Deny'), startUrl: services.deny.url('/') },
    { id: 'ancestors-none', theme: 'work', label: LABELS('Ancestors none'), startUrl: services.ancestorsNone.url('/') },
    { id: 'redirect-to-deny', theme: 'work', label: LABELS('Redirect'), startUrl: services.redirectToDeny.url('/start') },
    { id: 'head-refused', theme: 'work', label: LABELS('Head refused'), startUrl: services.headRefused.url('/') },
    { id: 'unreachable', theme: 'work', label: LABELS('Unreachable'), startUrl: `http://127.0.0.1:${unreachablePort}/` },
  ];
}

beforeAll(async () => {
  const redirectTarget = htmlPage('Refusing page', { 'x-frame-options': 'DENY' });
  services = {
    frameable: await startLoopbackServer(htmlPage('Frameable page')),
    deny: await startLoopbackServer(htmlPage('Refusing page', { 'x-frame-options': 'DENY' })),
    ancestorsNone: await startLoopbackServer(htmlPage('No ancestors page', { 'content-security-policy': "frame-ancestors 'none'" })),
    redirectToDeny: await startLoopbackServer((request, response) => {
      if (request.url === '/start') {
        response.writeHead(302, { location: '/final' });
        response.end();
      } else redirectTarget(request, response);
    }),
    headRefused: await startLoopbackServer((request, response) => {
      if (request.method === 'HEAD') {
        response.writeHead(405, { allow: 'GET' });
        response.end();
      } else htmlPage('GET only', { 'x-frame-options': 'DENY' })(request, response);
    }),
  };
  unreachablePort = await unusedPort();
});

afterAll(async () => {
  await Promise.all(Object.values(services).map((service) => service.close()));
});

beforeEach(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'epn-preview-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Renderer stand-in</title><p id="renderer">renderer</p>');
  dataDir = mkdtempSync(join(tmpdir(), 'epn-preview-data-'));
  writeConfigFile(dataDir, testConfig(serviceList()));
  logLines = [];
  logWaiters = [];
  clock = new ManualClock();
  server = await startPreviewServer({ port: 0, dataDir, rendererDir, managedConfigPath: null, log: onLog, clock });
});

afterEach(async () => {
  await server.close();
  rmSync(rendererDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

function hostHeader(): string {
  return `127.0.0.1:${server.port}`;
}

interface CallOptions {
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
}

/** A contract call as the renderer makes it, with the headers a browser would send. */
function call(channel: string, argument?: unknown, options: CallOptions = {}): Promise<RawResponse> {
  const body = options.body ?? (argument === undefined ? '{}' : JSON.stringify({ argument }));
  return rawRequest(`${server.url}api/contract/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { host: hostHeader(), origin: server.url.slice(0, -1), 'content-type': 'application/json', ...options.headers },
    body,
  });
}

function envelopeOf(response: RawResponse): { ok: boolean; value?: unknown; error?: { code: string; message: string } } {
  return JSON.parse(response.body) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}


/** The usage events the preview stored in its data folder, oldest first. */
function storedUsage(folder: string) {
  const db = new Database(join(folder, 'usage.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT type, seconds, verified, attempt FROM usage_events ORDER BY id').all() as {
      type: string;
      seconds: number | null;
      verified: number | null;
      attempt: number | null;
    }[];
  } finally {
    db.close();
  }
}

describe('the preview server', () => {
  it('listens on 127.0.0.1 on the port the system chose', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers a valid call with the envelope of the contract', async () => {
    const response = await call('config:get');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    const envelope = envelopeOf(response);
    expect(envelope.ok).toBe(true);
    expect((envelope.value as KioskConfig).kiosk.name).toBe('PC test');
    expect((envelope.value as KioskConfig).services.map((service) => service.id)).toContain('frameable');
  });

  it('accepts a call without argument with no body at all', async () => {
    const response = await rawRequest(`${server.url}api/contract/service%3Aback`, { method: 'POST', headers: { host: hostHeader() } });
    expect(response.status).toBe(200);
    expect(envelopeOf(response)).toEqual({ ok: true, value: { wentBack: false } });
  });

  it('records the area and the visitor session in memory', async () => {
    expect((await call('service:setArea', { x: 0, y: 96, width: 1366, height: 672 })).status).toBe(200);
    expect(server.presenter.state().area).toEqual({ x: 0, y: 96, width: 1366, height: 672 });

    expect(envelopeOf(await call('session:begin', { language: 'nl' }))).toEqual({ ok: true, value: {} });
    expect(server.sessions.current()?.language).toBe('nl');
    expect(envelopeOf(await call('session:end', {}))).toEqual({ ok: true, value: { erased: true } });
    expect(server.sessions.current()).toBeNull();
    expect(server.sessions.endedCount()).toBe(1);
  });

  it('answers Help honestly when the configuration has no help channel', async () => {
    const response = await call('help:request', { serviceId: null, language: 'de' });
    expect(envelopeOf(response)).toEqual({ ok: true, value: { state: 'no-channel' } });
    expect(logLines.some((line) => /no help channel is set up/.test(line))).toBe(true);
    expect(envelopeOf(await call('help:get'))).toEqual({ ok: true, value: { state: 'no-channel' } });
    expect(envelopeOf(await call('help:cancel'))).toEqual({ ok: true, value: { state: 'none' } });
  });

  it('refuses an unknown channel with 400 unknown-channel', async () => {
    const response = await call('files:delete', { path: '/' });
    expect(response.status).toBe(400);
    expect(envelopeOf(response).error).toEqual({ code: 'unknown-channel', message: expect.stringContaining('"files:delete" is not a channel') });
  });

  it('refuses an invalid argument with 400 naming the field', async () => {
    const response = await call('service:setArea', { x: 0, y: -5, width: 100, height: 100 });
    expect(response.status).toBe(400);
    const { error } = envelopeOf(response);
    expect(error?.code).toBe('invalid-argument');
    expect(error?.message).toMatch(/^service:setArea: y: /);
    expect(server.presenter.state().area).toBeNull();
  });

  it('refuses a body with fields other than "argument"', async () => {
    const response = await call('config:get', undefined, { body: '{"argumnt": 1}' });
    expect(response.status).toBe(400);
    expect(envelopeOf(response).error?.message).toMatch(/unknown field\(s\) "argumnt"/);
  });

  it('refuses a call from a foreign origin with 403 refused-sender, and changes nothing', async () => {
    const response = await call('session:begin', { language: 'en' }, { headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
    expect(envelopeOf(response).error).toEqual({ code: 'refused-sender', message: expect.stringContaining('http://evil.example') });
    expect(server.sessions.current()).toBeNull();
  });

  it('refuses the other loopback origin and the opaque "null" origin', async () => {
    for (const origin of [`http://127.0.0.1:${server.port + 1}`, 'null', `https://127.0.0.1:${server.port}`]) {
      const response = await call('config:get', undefined, { headers: { origin } });
      expect(response.status, origin).toBe(403);
    }
  });

  it('accepts localhost as Host with its matching origin', async () => {
    const response = await call('config:get', undefined, { headers: { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` } });
    expect(response.status).toBe(200);
  });

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1']) {
      const response = await call('session:begin', { language: 'en' }, { headers: { host, origin: `http://${host}` } });
      expect(response.status, host).toBe(403);
      expect(envelopeOf(response).error?.code).toBe('refused-sender');
      expect(envelopeOf(response).error?.message).toMatch(/Host header/);
    }
    const staticFile = await rawRequest(server.url, { headers: { host: 'evil.example' } });
    expect(staticFile.status).toBe(403);
    expect(server.sessions.current()).toBeNull();
  });

  it('refuses an oversized body with 413 and a clear message', async () => {
    const response = await call('service:setArea', undefined, { body: JSON.stringify({ argument: 'x'.repeat(PREVIEW_BODY_LIMIT_BYTES) }) });
    expect(response.status).toBe(413);
    expect(envelopeOf(response).error?.message).toMatch(/larger than 16384 bytes/);
  });

  it('refuses a body that is not JSON with 415, or 400 when it claims to be JSON', async () => {
    const textPlain = await call('config:get', undefined, { body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(textPlain.status).toBe(415);
    expect(envelopeOf(textPlain).error?.message).toMatch(/Content-Type: application\/json/);

    const form = await call('session:begin', undefined, { body: 'language=en', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);

    const broken = await call('config:get', undefined, { body: '{"argument": ' });
    expect(broken.status).toBe(400);
    expect(envelopeOf(broken).error?.message).toMatch(/not valid JSON/);

    for (const body of ['[1, 2]', '"text"', 'null', '42']) {
      const response = await call('config:get', undefined, { body });
      expect(response.status, body).toBe(400);
      expect(envelopeOf(response).error?.message).toMatch(/must be a JSON object/);
    }
  });

  it('refuses prototype-pollution keys', async () => {
    const response = await call('session:begin', undefined, { body: '{"argument": {"language": "en", "__proto__": {"polluted": true}}}' });
    expect(response.status).toBe(400);
    expect(envelopeOf(response).error?.message).toMatch(/"__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(server.sessions.current()).toBeNull();
  });

  it('answers other methods on a channel with 405', async () => {
    const response = await rawRequest(`${server.url}api/contract/config%3Aget`, { headers: { host: hostHeader() } });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('answers an unknown API path with a 404 envelope', async () => {
    const response = await rawRequest(`${server.url}api/nothing-here`, { headers: { host: hostHeader() } });
    expect(response.status).toBe(404);
    expect(envelopeOf(response).ok).toBe(false);
  });

  it('keeps serving after a burst of bad requests', async () => {
    await call('session:begin', { language: 'fr' });
    const bad = await Promise.all([
      call('x', undefined, { body: '{' }),
      call('service:open', { serviceId: '../../etc' }),
      call('service:open', { serviceId: 'no-such-service' }),
      rawRequest(`${server.url}api/contract/%E0%A4%A`, { method: 'POST', headers: { host: hostHeader() } }),
      rawRequest(`${server.url}api/contract/${'a'.repeat(2000)}`, { method: 'POST', headers: { host: hostHeader() } }),
    ]);
    expect(bad.map((response) => response.status)).toEqual([400, 400, 500, 400, 414]);
    for (const response of bad) expect(envelopeOf(response).ok).toBe(false);
    const unknownService = envelopeOf(bad[2]!);
    expect(unknownService.error).toEqual({ code: 'failed', message: expect.stringContaining('no service "no-such-service"') });
    expect((await call('config:get')).status).toBe(200);
  });

  it('serves the renderer with a strict Content-Security-Policy and security headers', async () => {
    const response = await rawRequest(server.url, { headers: { host: hostHeader() } });
    expect(response.status).toBe(200);
    expect(response.body).toContain('Renderer stand-in');
    const policy = String(response.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    const frameSrc = policy.split('; ').find((directive) => directive.startsWith('frame-src '));
    expect(frameSrc?.split(' ').slice(1).sort()).toEqual(
      [services.frameable, services.deny, services.ancestorsNone, services.redirectToDeny, services.headRefused]
        .flatMap((service) => [`https://127.0.0.1:${service.port}`, `http://127.0.0.1:${service.port}`])
        .concat([`https://127.0.0.1:${unreachablePort}`, `http://127.0.0.1:${unreachablePort}`])
        .sort(),
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses dotfiles and unknown files', async () => {
    writeFileSync(join(rendererDir, '.secret'), 'secret');
    const dotfile = await rawRequest(`${server.url}.secret`, { headers: { host: hostHeader() } });
    expect(dotfile.status).not.toBe(200);
    expect(dotfile.body).not.toContain('secret');
    expect((await rawRequest(`${server.url}nothing.js`, { headers: { host: hostHeader() } })).status).toBe(404);
  });

  it('refuses to start when the renderer is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'epn-preview-empty-'));
    try {
      await expect(startPreviewServer({ port: 0, dataDir, rendererDir: empty, managedConfigPath: null })).rejects.toThrow(/npm run build:renderer/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says which port is taken when it cannot listen', async () => {
    await expect(startPreviewServer({ port: server.port, dataDir, rendererDir, managedConfigPath: null })).rejects.toThrow(
      new RegExp(`port ${server.port} on 127.0.0.1 is already in use`),
    );
  });
});

interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
}

/** Reads `GET /api/events` as a browser's EventSource would. */
function openEventStream(headers: Record<string, string> = {}): Promise<{
  response: IncomingMessage;
  next(event: string): Promise<ServerSentEvent>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const received: ServerSentEvent[] = [];
    const waiters: { event: string; resolve: (value: ServerSentEvent) => void }[] = [];
    let buffer = '';
    const outgoing: ClientRequest = httpRequest(`${server.url}api/events`, { headers: { host: hostHeader(), accept: 'text/event-stream', ...headers } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (event === undefined) continue;
          const waiter = waiters.find((candidate) => candidate.event === event);
          if (waiter !== undefined) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve({ event, data });
          } else received.push({ event, data });
        }
      });
      resolve({
        response,
        next: (event) => {
          const index = received.findIndex((candidate) => candidate.event === event);
          if (index !== -1) return Promise.resolve(received.splice(index, 1)[0]!);
          return new Promise((resolveEvent) => waiters.push({ event, resolve: resolveEvent }));
        },
        close: () => outgoing.destroy(),
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('configuration events', () => {
  it('pushes config:changed when a new valid config.json is written', async () => {
    const stream = await openEventStream();
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
      writeConfigFile(dataDir, testConfig(serviceList(), 'PC renamed'));
      const changed = await stream.next('config:changed');
      expect((JSON.parse(changed.data) as KioskConfig).kiosk.name).toBe('PC renamed');
      expect((envelopeOf(await call('config:get')).value as KioskConfig).kiosk.name).toBe('PC renamed');
    } finally {
      stream.close();
    }
  });

  it('keeps serving the last good configuration when config.json breaks', async () => {
    writeFileSync(join(dataDir, 'config.json'), '{ "schemaVersion": 1, "kiosk": ');
    const problem = await logLineMatching(/config\.json.*not valid JSON/);
    expect(problem).toMatch(/config\.json/);
    const response = await call('config:get');
    expect(response.status).toBe(200);
    expect((envelopeOf(response).value as KioskConfig).kiosk.name).toBe('PC test');
  });

  it('keeps serving the last good configuration when a field is wrong, and names it', async () => {
    const broken = { ...testConfig(serviceList()), languages: { offered: ['fr'], default: 'xx' } };
    writeConfigFile(dataDir, broken);
    const problem = await logLineMatching(/languages\.default/);
    expect(problem).toMatch(/languages\.default/);
    expect((envelopeOf(await call('config:get')).value as KioskConfig).languages.default).toBe('fr');
  });

  it('refuses an event stream to a foreign origin', async () => {
    const stream = await openEventStream({ origin: 'http://evil.example' });
    try {
      expect(stream.response.statusCode).toBe(403);
    } finally {
      stream.close();
    }
  });

  it('closes open event streams when the server closes', async () => {
    const stream = await openEventStream();
    const ended = new Promise<void>((resolve) => stream.response.on('end', () => resolve()));
    await server.close();
    await ended;
    expect(stream.response.complete).toBe(true);
  });
});

describe('opening a service in the preview', () => {
  beforeEach(async () => {
    expect((await call('session:begin', { language: 'en' })).status).toBe(200);
  });

  async function open(serviceId: string): Promise<{ status: number; value: unknown }> {
    const response = await call('service:open', { serviceId });
    const envelope = envelopeOf(response);
    return { status: response.status, value: envelope.ok ? envelope.value : envelope.error };
  }

  it('frames a page that allows framing', async () => {
    expect(await open('frameable')).toEqual({ status: 200, value: { presentation: 'frame', url: services.frameable.url('/') } });
    expect(server.presenter.state().open).toEqual({ serviceId: 'frameable', presentation: 'frame', url: services.frameable.url('/') });
  });

  it('opens a page with X-Frame-Options DENY in a new tab', async () => {
    expect(await open('deny')).toEqual({ status: 200, value: { presentation: 'new-tab', url: services.deny.url('/') } });
  });

  it("opens a page with frame-ancestors 'none' in a new tab", async () => {
    expect(await open('ancestors-none')).toEqual({ status: 200, value: { presentation: 'new-tab', url: services.ancestorsNone.url('/') } });
  });

  it('follows redirects and decides on the final page', async () => {
    expect(await open('redirect-to-deny')).toEqual({ status: 200, value: { presentation: 'new-tab', url: services.redirectToDeny.url('/start') } });
    expect(logLines.some((line) => /redirect-to-deny.*X-Frame-Options: DENY/.test(line))).toBe(true);
  });

  it('falls back to GET when HEAD is refused', async () => {
    expect(await open('head-refused')).toEqual({ status: 200, value: { presentation: 'new-tab', url: services.headRefused.url('/') } });
    expect(logLines.some((line) => /head-refused.*X-Frame-Options: DENY/.test(line))).toBe(true);
  });

  it('opens an unreachable service in a new tab', async () => {
    expect(await open('unreachable')).toEqual({ status: 200, value: { presentation: 'new-tab', url: `http://127.0.0.1:${unreachablePort}/` } });
    expect(logLines.some((line) => /unreachable.*could not be reached/.test(line))).toBe(true);
  });

  it('Home and End session forget the open service', async () => {
    await open('frameable');
    expect((await call('service:close')).status).toBe(200);
    expect(server.presenter.state().open).toBeNull();
    await open('frameable');
    await call('session:end', {});
    expect(server.presenter.state().open).toBeNull();
  });
});

describe('visitor sessions over HTTP', () => {
  async function valueOf(channel: string, argument?: unknown): Promise<unknown> {
    const response = await call(channel, argument);
    const envelope = envelopeOf(response);
    if (!envelope.ok) throw new Error(`${channel} failed with ${response.status}: ${envelope.error?.message}`);
    return envelope.value;
  }

  async function snapshot(): Promise<SessionSnapshot> {
    const value = await valueOf('session:get');
    const parsed = SessionSnapshotSchema.safeParse(value);
    if (!parsed.success) throw new Error(`session:get broke the contract: ${JSON.stringify(value)}`);
    return parsed.data;
  }

  /** The preview restarted on a configuration with these session timings. */
  async function restartWithSession(session: Record<string, unknown>): Promise<void> {
    await server.close();
    writeConfigFile(dataDir, { ...testConfig(serviceList()), session });
    clock = new ManualClock();
    server = await startPreviewServer({ port: 0, dataDir, rendererDir, managedConfigPath: null, log: onLog, clock });
  }

  it('wipes at start-up, before the first call, and shows the welcome screen', async () => {
    expect(server.sessions.wipeReasons()).toEqual(['boot']);
    expect(await snapshot()).toEqual({
      phase: 'welcome',
      at: clock.now(),
      language: null,
      countdownEndsAt: null,
      sessionEndsAt: null,
      lengthWarning: false,
      endReason: null,
      display: { textSize: 100, highContrast: false, readAloud: false },
    });
    await server.usageStore?.flush();
    expect(storedUsage(dataDir)).toEqual([{ type: 'wipe-done', seconds: 0, verified: 1, attempt: 1 }]);
  });

  it('says "My files" is empty: the preview has no downloads', async () => {
    expect(await valueOf('files:list')).toEqual([]);
  });

  it('refuses what needs a visitor on the welcome screen, with the reason, and changes nothing', async () => {
    for (const [channel, argument] of [
      ['service:open', { serviceId: 'frameable' }],
      ['session:requestEnd', undefined],
      ['session:cancelEnd', undefined],
      ['service:close', undefined],
      ['session:end', {}],
      ['display:set', { textSize: 150, highContrast: true, readAloud: false }],
    ] as const) {
      const response = await call(channel, argument);
      expect(response.status, channel).toBe(500);
      expect(envelopeOf(response).error?.message, channel).toMatch(new RegExp(`^${channel}: .*no visitor session has begun`));
    }
    expect(server.presenter.state().open).toBeNull();
    expect(server.sessions.endedCount()).toBe(0);
    expect((await snapshot()).phase).toBe('welcome');
  });

  it('pushes session:changed as the session moves, and takes activity, requestEnd and cancelEnd', async () => {
    const stream = await openEventStream();
    try {
      await valueOf('session:begin', { language: 'de' });
      const begun = SessionSnapshotSchema.parse(JSON.parse((await stream.next('session:changed')).data));
      expect(begun).toMatchObject({ phase: 'active', language: 'de', at: clock.now() });
      clock.advance(100_000);
      expect(await valueOf('session:activity')).toEqual({});
      expect(await valueOf('session:requestEnd')).toEqual({});
      expect(await valueOf('session:cancelEnd')).toEqual({});
      // Each of them was input: the idle counter starts from the last one.
      clock.advance(179_000);
      expect((await snapshot()).phase).toBe('active');
      clock.advance(1_000);
      const warned = SessionSnapshotSchema.parse(JSON.parse((await stream.next('session:changed')).data));
      expect(warned).toMatchObject({ phase: 'idle-warning', countdownEndsAt: clock.now() + 30_000 });
    } finally {
      stream.close();
    }
  });

  it('keeps the visitor\'s display settings as the kiosk does: answered, pushed, recorded, and the defaults again after the session', async () => {
    const stream = await openEventStream();
    const larger = { textSize: 200, highContrast: true, readAloud: false };
    try {
      await valueOf('session:begin', { language: 'fr' });
      expect(JSON.parse((await stream.next('session:changed')).data)).toMatchObject({ phase: 'active', display: { textSize: 100, highContrast: false, readAloud: false } });
      clock.advance(170_000);
      const response = await call('display:set', larger);
      expect(response.status).toBe(200);
      expect(envelopeOf(response)).toEqual({ ok: true, value: larger });
      const changed = SessionSnapshotSchema.parse(JSON.parse((await stream.next('session:changed')).data));
      expect(changed).toMatchObject({ phase: 'active', display: larger, at: clock.now() });
      expect((await snapshot()).display).toEqual(larger);
      // The change was input: the idle counter starts from it.
      clock.advance(179_000);
      expect((await snapshot()).phase).toBe('active');
      expect(await valueOf('session:end', {})).toEqual({ erased: true });
      expect(await snapshot()).toMatchObject({ phase: 'erased', display: { textSize: 100, highContrast: false, readAloud: false } });
    } finally {
      stream.close();
    }
    await server.usageStore?.flush();
    expect(storedUsage(dataDir).map((event) => event.type)).toEqual(['wipe-done', 'session-started', 'accessibility-on', 'accessibility-on', 'session-ended', 'wipe-done']);
  });

  it('refuses display settings the contract does not know with 400, naming the field', async () => {
    await valueOf('session:begin', { language: 'fr' });
    const response = await call('display:set', { textSize: 175, highContrast: false, readAloud: false });
    expect(response.status).toBe(400);
    expect(envelopeOf(response).error).toEqual({ code: 'invalid-argument', message: 'display:set: textSize: must be one of the text sizes in percent: 100, 125, 150, 200' });
    expect((await snapshot()).display).toEqual({ textSize: 100, highContrast: false, readAloud: false });
  });

  it('ends the session on the visitor\'s confirmation: ending, erased in their language, then welcome', async () => {
    const stream = await openEventStream();
    try {
      await valueOf('session:begin', { language: 'nl' });
      await valueOf('service:open', { serviceId: 'frameable' });
      expect(await valueOf('session:end', {})).toEqual({ erased: true });
      expect(server.presenter.state().open).toBeNull();
      expect(server.sessions.current()).toBeNull();
      expect(server.sessions.wipeReasons()).toEqual(['boot', 'visitor']);
      expect(await snapshot()).toMatchObject({ phase: 'erased', language: 'nl', endReason: 'visitor' });
      clock.advance(6_000);
      expect(await snapshot()).toMatchObject({ phase: 'welcome', language: null });
      const phases: string[] = [];
      for (let index = 0; index < 4; index += 1) phases.push((JSON.parse((await stream.next('session:changed')).data) as SessionSnapshot).phase);
      expect(phases).toEqual(['active', 'ending', 'erased', 'welcome']);
    } finally {
      stream.close();
    }
    await server.usageStore?.flush();
    expect(storedUsage(dataDir).map((event) => event.type)).toEqual(['wipe-done', 'session-started', 'service-opened', 'session-ended', 'wipe-done']);
  });

  it('opens staff mode over HTTP as the kiosk does: first PIN, status pushed over the event stream, statistics behind it', async () => {
    const refused = await call('stats:summary', { from: '2025-03-01', to: '2025-03-01', groupBy: 'day' });
    expect(envelopeOf(refused).error?.message).toBe('stats:summary: staff mode is closed: open it with the staff PIN to see the statistics');
    const stream = await openEventStream();
    try {
      expect(await valueOf('staff:setFirstPin', { pin: '482913' })).toMatchObject({ pinSet: true, open: true, closesAt: clock.now() + 5 * 60_000 });
      expect(JSON.parse((await stream.next('staff:changed')).data)).toMatchObject({ pinSet: true, open: true });
      expect(server.staff.status().open).toBe(true);
      expect(existsSync(join(dataDir, 'staff-pin.json'))).toBe(true);
      expect(await valueOf('stats:summary', { from: '2025-03-01', to: '2025-03-01', groupBy: 'day' })).toMatchObject({ sessions: 0 });
      expect(await valueOf('staff:close')).toMatchObject({ open: false });
      expect(JSON.parse((await stream.next('staff:changed')).data)).toMatchObject({ open: false });
    } finally {
      stream.close();
    }
  });

  it('ends the visitor\'s session with the wipe when staff mode opens during it', async () => {
    await valueOf('staff:setFirstPin', { pin: '482913' });
    await valueOf('staff:close');
    await valueOf('session:begin', { language: 'fr' });
    await valueOf('service:open', { serviceId: 'frameable' });
    expect(await valueOf('staff:open', { pin: '482913' })).toMatchObject({ ok: true, status: { open: true } });
    expect(server.sessions.wipeReasons()).toEqual(['boot', 'staff']);
    expect(server.presenter.state().open).toBeNull();
    expect(await snapshot()).toMatchObject({ phase: 'erased', endReason: 'staff' });
  });

  it('shows the idle warning after the configured timeout, then ends the session when the countdown is over', async () => {
    await restartWithSession({ idleTimeoutSeconds: 45, idleWarningSeconds: 10, erasedMessageSeconds: 4 });
    await valueOf('session:begin', { language: 'fr' });
    clock.advance(44_999);
    expect((await snapshot()).phase).toBe('active');
    clock.advance(1);
    expect(await snapshot()).toMatchObject({ phase: 'idle-warning', countdownEndsAt: clock.now() + 10_000 });
    clock.advance(10_000);
    await server.controller.whenIdle();
    expect(await snapshot()).toMatchObject({ phase: 'erased', endReason: 'idle', language: 'fr' });
    expect(server.sessions.wipeReasons()).toEqual(['boot', 'idle']);
    clock.advance(4_000);
    expect((await snapshot()).phase).toBe('welcome');
  });

  it('applies new session timings as soon as the configuration changes', async () => {
    await valueOf('session:begin', { language: 'en' });
    clock.advance(40_000);
    const stream = await openEventStream();
    try {
      writeConfigFile(dataDir, { ...testConfig(serviceList()), session: { idleTimeoutSeconds: 30 } });
      await stream.next('config:changed');
      expect((await snapshot()).phase).toBe('idle-warning');
    } finally {
      stream.close();
    }
  });
});

describe('the help call to a real hub', () => {
  let kit: TestHub;

  beforeEach(async () => {
    kit = await startTestHub();
    await server.close();
    writeConfigFile(dataDir, { ...testConfig(serviceList()), help: { hub: { url: kit.url, pairingCode: kit.hub.issuePairingCode('kiosk').code } } });
    clock = new ManualClock();
    server = await startPreviewServer({ port: 0, dataDir, rendererDir, managedConfigPath: null, log: onLog, clock });
  });

  afterEach(async () => {
    await server.close();
    await kit.close();
  });

  it('shows on the hub as a kiosk, sends the call there and pushes each state over the event stream', async () => {
    const staff = await kit.pair('staff');
    await waitUntil(() => kit.hub.store.listKiosks().some((kiosk) => kiosk.name === 'PC test' && kiosk.activity === 'free'), 'the preview\'s heartbeat on the hub');
    const stream = await openEventStream();
    try {
      expect(envelopeOf(await call('session:begin', { language: 'nl' })).ok).toBe(true);
      const answer = envelopeOf(await call('help:request', { serviceId: 'frameable', language: 'nl' }));
      expect(answer).toEqual({ ok: true, value: { state: 'called', requestedAt: clock.now(), canBeAcknowledged: true } });
      expect(JSON.parse((await stream.next('help:changed')).data)).toEqual({ state: 'calling', requestedAt: clock.now() });
      expect(JSON.parse((await stream.next('help:changed')).data)).toMatchObject({ state: 'called' });

      const [request] = kit.hub.store.openHelpRequests();
      expect(request).toMatchObject({ kioskName: 'PC test', serviceId: 'frameable', language: 'nl', state: 'waiting' });
      expect((await hubFetch(kit.url, `/help-requests/${request!.id}/acknowledge`, { token: staff.token, json: {} })).status).toBe(200);
      expect(JSON.parse((await stream.next('help:changed')).data)).toEqual({ state: 'coming', requestedAt: clock.now() });
      expect(server.help.status().state).toBe('coming');
      await waitUntil(() => kit.hub.store.listKiosks()[0]?.activity === 'in-session', 'the visitor to show on the hub');

      expect(envelopeOf(await call('help:cancel'))).toEqual({ ok: true, value: { state: 'none' } });
      expect(JSON.parse((await stream.next('help:changed')).data)).toEqual({ state: 'none' });
      await waitUntil(() => kit.hub.store.helpRequest(request!.id)?.state === 'cancelled', 'the hub to show the call withdrawn');
    } finally {
      stream.close();
    }
  });
});
