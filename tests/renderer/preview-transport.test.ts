// @vitest-environment node
/**
 * The preview transport against a real HTTP server on loopback, speaking the agreed
 * protocol: POST /api/contract/<channel> with {"argument": …}, and server-sent events
 * on GET /api/events.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildKioskBridge } from '../../shared/bridge';
import type { EventChannel } from '../../shared/contract';
import { dispatchContractCall } from '../../shared/contract-dispatch';
import { createPreviewTransport, type ServerSentEventSourceConstructor } from '../../renderer/bridge/preview-transport';
import { createTestMainSide, parsedConfig } from './kiosk-harness';

interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

type Responder = (request: IncomingMessage, body: string, response: ServerResponse) => void | Promise<void>;

const STATUS_OF_ERROR: Record<string, number> = { 'invalid-argument': 400, 'unknown-channel': 400, 'refused-sender': 403, failed: 500 };

let server: Server;
let origin: string;
let received: ReceivedRequest[];
let respond: Responder;
const eventStreams = new Set<ServerResponse>();

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A preview server in miniature: the agreed routes over the real contract dispatcher, with a visitor session under way. */
async function contractResponder(): Promise<Responder> {
  const { handlers, booted, controller } = createTestMainSide({ presentation: 'frame' });
  await booted;
  await controller.begin('fr');
  return async (request, body, response) => {
    const match = /^\/api\/contract\/([^/?]+)$/.exec(request.url ?? '');
    if (request.method !== 'POST' || match === null) {
      response.writeHead(404).end();
      return;
    }
    const parsed = JSON.parse(body) as { argument?: unknown };
    const envelope = await dispatchContractCall(handlers, decodeURIComponent(match[1]!), parsed.argument);
    const status = envelope.ok ? 200 : STATUS_OF_ERROR[envelope.error.code]!;
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(envelope));
  };
}

beforeEach(async () => {
  received = [];
  respond = await contractResponder();
  server = createServer(async (request, response) => {
    if (request.method === 'GET' && request.url === '/api/events') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      response.write(': connected\n\n');
      eventStreams.add(response);
      request.on('close', () => eventStreams.delete(response));
      return;
    }
    const body = await readBody(request);
    received.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], body });
    await respond(request, body, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const stream of eventStreams) stream.end();
  eventStreams.clear();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const platform = { fetch: globalThis.fetch.bind(globalThis) };

describe('contract calls over HTTP', () => {
  it('posts the argument to the channel\'s URL and returns the value', async () => {
    const kiosk = buildKioskBridge(createPreviewTransport(origin, platform));
    const result = await kiosk.service.open({ serviceId: 'vdab' });

    expect(result).toEqual({ ok: true, value: { presentation: 'frame', url: 'https://www.vdab.be/' } });
    expect(received).toEqual([
      { method: 'POST', path: '/api/contract/service%3Aopen', contentType: 'application/json', body: '{"argument":{"serviceId":"vdab"}}' },
    ]);
  });

  it('sends an empty body object for a channel without argument', async () => {
    const kiosk = buildKioskBridge(createPreviewTransport(`${origin}/`, platform));
    const result = await kiosk.config.get();

    expect(result.ok && result.value.kiosk.name).toBe('EPN Kiosk');
    expect(received.map((request) => [request.path, request.body])).toEqual([['/api/contract/config%3Aget', '{}']]);
  });

  it('returns the server\'s refusal whatever the HTTP status', async () => {
    const kiosk = buildKioskBridge(createPreviewTransport(origin, platform));
    const result = await kiosk.service.open({ serviceId: 'Not An Id!' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('invalid-argument');

    respond = (_request, _body, response) => {
      response.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'refused-sender', message: 'not the kiosk' } }));
    };
    expect(await kiosk.session.end({})).toEqual({ ok: false, error: { code: 'refused-sender', message: 'not the kiosk' } });
  });

  it('answers "failed" when the body is not JSON or not an envelope', async () => {
    const kiosk = buildKioskBridge(createPreviewTransport(origin, platform));
    respond = (_request, _body, response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad gateway</h1>');
    };
    const notJson = await kiosk.service.back();
    expect(!notJson.ok && notJson.error.code).toBe('failed');
    expect(!notJson.ok && notJson.error.message).toContain('502');

    respond = (_request, _body, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":"yes"}');
    };
    const notEnvelope = await kiosk.service.back();
    expect(!notEnvelope.ok && notEnvelope.error.code).toBe('failed');
  });

  it('answers "failed" when the server cannot be reached', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const goneOrigin = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const kiosk = buildKioskBridge(createPreviewTransport(goneOrigin, platform));

    const result = await kiosk.help.request({ serviceId: null, language: 'fr' });
    expect(!result.ok && result.error.code).toBe('failed');
    expect(!result.ok && result.error.message).toContain('could not be reached');
  });
});

/**
 * Node 20 has no EventSource. This is the smallest reader of the server-sent-event
 * stream format that the transport needs (named events, data lines, close), over a
 * real streamed fetch: the stand-in for the browser's own.
 */
class StreamedEventSource {
  static readonly opened: StreamedEventSource[] = [];
  readonly listeners = new Map<string, Set<(event: MessageEvent<string>) => void>>();
  closed = false;
  private readonly abort = new AbortController();
  readonly connected: Promise<void>;

  constructor(readonly url: string) {
    StreamedEventSource.opened.push(this);
    this.connected = this.read();
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  removeEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.get(type)?.delete(listener);
  }

  close() {
    this.closed = true;
    this.abort.abort();
  }

  private async read(): Promise<void> {
    const response = await fetch(this.url, { signal: this.abort.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    const pump = async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffered += value;
          let end: number;
          while ((end = buffered.indexOf('\n\n')) !== -1) {
            this.deliver(buffered.slice(0, end));
            buffered = buffered.slice(end + 2);
          }
        }
      } catch {
        // Aborted by close().
      }
    };
    void pump();
  }

  private deliver(block: string) {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0) return;
    const event = new MessageEvent<string>(type, { data: data.join('\n') });
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

function sendEvent(event: EventChannel | string, data: string) {
  for (const stream of eventStreams) stream.write(`event: ${event}\ndata: ${data}\n\n`);
}

async function until(condition: () => boolean) {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('events over server-sent events', () => {
  beforeEach(() => {
    StreamedEventSource.opened.length = 0;
  });

  it('delivers each named event\'s JSON payload to its listeners through one stream, and closes it when nobody listens', async () => {
    const transport = createPreviewTransport(origin, { ...platform, EventSource: StreamedEventSource as unknown as ServerSentEventSourceConstructor });
    const kiosk = buildKioskBridge(transport);
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = kiosk.config.onChanged((config) => first.push(config.kiosk.name));
    const stopSecond = kiosk.config.onChanged((config) => second.push(config.kiosk.name));

    expect(StreamedEventSource.opened.map((source) => source.url)).toEqual([`${origin}/api/events`]);
    await StreamedEventSource.opened[0]!.connected;
    await until(() => eventStreams.size === 1);

    const config = parsedConfig();
    sendEvent('other:event', '{"ignored":true}');
    sendEvent('config:changed', 'not json');
    sendEvent('config:changed', JSON.stringify({ ...config, kiosk: { ...config.kiosk, name: 'PC 3' } }));
    await until(() => first.length === 1 && second.length === 1);
    expect(first).toEqual(['PC 3']);
    expect(second).toEqual(['PC 3']);

    stopFirst();
    stopFirst();
    sendEvent('config:changed', JSON.stringify({ ...config, kiosk: { ...config.kiosk, name: 'PC 4' } }));
    await until(() => second.length === 2);
    expect(first).toEqual(['PC 3']);
    expect(StreamedEventSource.opened[0]!.closed).toBe(false);

    stopSecond();
    expect(StreamedEventSource.opened[0]!.closed).toBe(true);
  });

  it('still makes calls, without events, where the platform has no EventSource', async () => {
    const kiosk = buildKioskBridge(createPreviewTransport(origin, platform));
    const unsubscribe = kiosk.config.onChanged(() => undefined);
    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
    expect((await kiosk.config.get()).ok).toBe(true);
  });
});
