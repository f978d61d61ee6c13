/**
 * callHub against real HTTP(S) servers on 127.0.0.1 that answer as a hub would, or as a
 * hub never should: the three kinds of failure, and never a throw.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HeartbeatResponseSchema } from '../../../shared/hub-api';
import { MAX_HUB_ANSWER_BYTES, callHub, normalizeHubUrl } from '../../../electron/services/hub-http';
import { startLoopbackServer, unusedPort, type LoopbackServer } from '../preview/loopback-http';

interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A server that records each request and answers with `respond`. */
async function startRecordingServer(respond: (request: SeenRequest, response: ServerResponse) => void): Promise<LoopbackServer & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = await startLoopbackServer((request, response) => {
    void readBody(request).then((body) => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      seen.push(entry);
      respond(entry, response);
    });
  });
  return Object.assign(server, { seen });
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(respond: (request: SeenRequest, response: ServerResponse) => void) {
  const server = await startRecordingServer(respond);
  servers.push(server);
  return server;
}

describe('normalizeHubUrl', () => {
  it('keeps scheme, host, port and a proxy prefix, without a trailing slash, query or fragment', () => {
    expect(normalizeHubUrl('http://192.168.1.10:8470')).toBe('http://192.168.1.10:8470');
    expect(normalizeHubUrl('http://192.168.1.10:8470/')).toBe('http://192.168.1.10:8470');
    expect(normalizeHubUrl(' HTTPS://Hub.Example.org/epn/ ')).toBe('https://hub.example.org/epn');
    expect(normalizeHubUrl('http://hub.local/?x=1#top')).toBe('http://hub.local');
  });

  it('refuses what is not an http(s) address, or carries a password', () => {
    for (const url of ['', 'hub.local:8470', 'ftp://hub.local', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:secret@hub.local']) {
      expect(normalizeHubUrl(url)).toBeNull();
    }
  });
});

describe('callHub', () => {
  it('sends the method, the path, the bearer token and a JSON body, and returns the checked answer', async () => {
    const hub = await serve((_request, response) => json(response, 200, { serverTime: 1_700_000_000_000, heartbeatSeconds: 10 }));
    const result = await callHub(`${hub.origin}/`, { method: 'POST', path: '/api/v1/heartbeat', token: 'secret-token', body: { name: 'PC 3' }, answer: HeartbeatResponseSchema });
    expect(result).toEqual({ ok: true, status: 200, value: { serverTime: 1_700_000_000_000, heartbeatSeconds: 10 } });
    expect(hub.seen).toHaveLength(1);
    expect(hub.seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/heartbeat', body: '{"name":"PC 3"}' });
    expect(hub.seen[0]!.headers.authorization).toBe('Bearer secret-token');
    expect(hub.seen[0]!.headers['content-type']).toBe('application/json');
    expect(hub.seen[0]!.headers.accept).toBe('application/json');
  });

  it('sends no body, content type or credential when none is given, and keeps the query string', async () => {
    const hub = await serve((_request, response) => json(response, 200, { ok: 1 }));
    const result = await callHub(hub.origin, { method: 'GET', path: '/api/v1/help-requests/abc?after=3', answer: z.object({ ok: z.number() }) });
    expect(result.ok).toBe(true);
    expect(hub.seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/help-requests/abc?after=3', body: '' });
    expect(hub.seen[0]!.headers.authorization).toBeUndefined();
    expect(hub.seen[0]!.headers['content-type']).toBeUndefined();
  });

  it('keeps a reverse proxy\'s path prefix', async () => {
    const hub = await serve((_request, response) => json(response, 200, {}));
    await callHub(`${hub.origin}/epn/`, { method: 'GET', path: '/api/v1/health', answer: z.object({}) });
    expect(hub.seen[0]!.url).toBe('/epn/api/v1/health');
  });

  it('reports a refusal with the message of the hub\'s error body', async () => {
    const hub = await serve((_request, response) => json(response, 409, { error: { code: 'final', message: 'the request is already resolved' } }));
    const result = await callHub(hub.origin, { method: 'POST', path: '/api/v1/help-requests/x/cancel', answer: z.unknown() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe('refused');
    expect(result.status).toBe(409);
    expect(result.message).toContain('the request is already resolved');
    expect(result.message).toContain('final');
  });

  it('reports a refusal without a hub error body by its status', async () => {
    const hub = await serve((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<h1>Bad gateway</h1>');
    });
    const result = await callHub(hub.origin, { method: 'GET', path: '/api/v1/health', answer: z.unknown() });
    expect(result).toMatchObject({ ok: false, kind: 'refused', status: 502 });
    if (!result.ok) expect(result.message).toContain('status 502');
  });

  it('reports a closed port as unreachable', async () => {
    const port = await unusedPort();
    const result = await callHub(`http://127.0.0.1:${port}`, { method: 'GET', path: '/api/v1/health', answer: z.unknown() });
    expect(result).toMatchObject({ ok: false, kind: 'unreachable', status: null });
    if (!result.ok) expect(result.message).toMatch(/ECONNREFUSED/);
  });

  it('reports a hub that does not answer in time as unreachable', async () => {
    const hub = await serve(() => {
      // Never answers.
    });
    const result = await callHub(hub.origin, { method: 'GET', path: '/api/v1/health', answer: z.unknown(), timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!result.ok) expect(result.message).toContain('no answer within 200 ms');
  });

  it('reports a call abandoned by its caller as unreachable', async () => {
    let answered = () => {};
    const arrived = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const hub = await serve(() => answered());
    const controller = new AbortController();
    const pending = callHub(hub.origin, { method: 'GET', path: '/api/v1/help-requests/x?after=1', answer: z.unknown(), signal: controller.signal, timeoutMs: 60_000 });
    await arrived;
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!result.ok) expect(result.message).toContain('abandoned');
  });

  it('reports an answer that is not JSON, or not the API\'s, as invalid', async () => {
    const html = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Router login</title>');
    });
    const notJson = await callHub(html.origin, { method: 'GET', path: '/api/v1/health', answer: z.unknown() });
    expect(notJson).toMatchObject({ ok: false, kind: 'invalid-answer', status: 200 });
    if (!notJson.ok) expect(notJson.message).toContain('not JSON');

    const other = await serve((_request, response) => json(response, 200, { serverTime: 'yesterday', heartbeatSeconds: 10 }));
    const wrongShape = await callHub(other.origin, { method: 'POST', path: '/api/v1/heartbeat', answer: HeartbeatResponseSchema });
    expect(wrongShape).toMatchObject({ ok: false, kind: 'invalid-answer', status: 200 });
    if (!wrongShape.ok) expect(wrongShape.message).toContain('serverTime');
  });

  it('refuses an answer far larger than any hub sends', async () => {
    const hub = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`"${'x'.repeat(MAX_HUB_ANSWER_BYTES + 10)}"`);
    });
    const result = await callHub(hub.origin, { method: 'GET', path: '/api/v1/health', answer: z.string() });
    expect(result).toMatchObject({ ok: false, kind: 'invalid-answer' });
    if (!result.ok) expect(result.message).toContain('larger than');
  });

  it('does not follow a redirect away from the hub', async () => {
    const elsewhere = await serve((_request, response) => json(response, 200, {}));
    const hub = await serve((_request, response) => {
      response.writeHead(302, { location: `${elsewhere.origin}/api/v1/health` });
      response.end();
    });
    const result = await callHub(hub.origin, { method: 'GET', path: '/api/v1/health', answer: z.object({}) });
    expect(result.ok).toBe(false);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('refuses a path outside the API and an address that is not a hub\'s, without sending anything', async () => {
    const hub = await serve((_request, response) => json(response, 200, {}));
    const outside = await callHub(hub.origin, { method: 'GET', path: '/admin', answer: z.unknown() });
    expect(outside).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!outside.ok) expect(outside.message).toContain('/api/v1/');
    const badBase = await callHub('ftp://hub.local', { method: 'GET', path: '/api/v1/health', answer: z.unknown() });
    expect(badBase).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(hub.seen).toHaveLength(0);
  });

  it('never throws: a body that cannot be JSON, or a fetch that throws, come back as failures', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const hub = await serve((_request, response) => json(response, 200, {}));
    await expect(callHub(hub.origin, { method: 'POST', path: '/api/v1/heartbeat', body: circular, answer: z.unknown() })).resolves.toMatchObject({ ok: false, kind: 'unreachable' });
    const throwingFetch = (() => {
      throw new TypeError('no network stack');
    }) as unknown as typeof fetch;
    const result = await callHub(hub.origin, { method: 'GET', path: '/api/v1/health', answer: z.unknown(), fetch: throwingFetch });
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!result.ok) expect(result.message).toContain('no network stack');
  });
});

describe('callHub to a hub with a self-signed certificate', () => {
  let folder: string;
  let certificate: string;
  let server: HttpsServer;
  let origin: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hub-http-tls-'));
    const keyFile = join(folder, 'key.pem');
    const certFile = join(folder, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    certificate = readFileSync(certFile, 'utf8');
    server = createHttpsServer({ key: readFileSync(keyFile), cert: certificate }, (request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ serverTime: 1, heartbeatSeconds: 10, sawToken: request.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(folder, { recursive: true, force: true });
  });

  it('trusts the hub when given its certificate', async () => {
    const answer = z.object({ serverTime: z.number(), heartbeatSeconds: z.number(), sawToken: z.string().nullable() });
    const result = await callHub(origin, { method: 'POST', path: '/api/v1/heartbeat', token: 'tok', body: {}, answer, ca: certificate });
    expect(result).toEqual({ ok: true, status: 200, value: { serverTime: 1, heartbeatSeconds: 10, sawToken: 'Bearer tok' } });
  });

  it('refuses the same hub without it', async () => {
    const result = await callHub(origin, { method: 'GET', path: '/api/v1/health', answer: z.unknown() });
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!result.ok) expect(result.message).toMatch(/certificate/i);
  });
});
