/**
 * The hub's fan-out pieces on their own: long-poll waiters, event streams on a real HTTP
 * server (a dashboard that stops reading is cut off, the others keep going), and the
 * parsing of credentials.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerTokenOf, roleRefusal, unauthenticatedMessage } from '../../../electron/hub/hub-auth';
import { eventChunk, HelpRequestWaiters, HubEventStreams, MAX_UNSENT_EVENT_BYTES } from '../../../electron/hub/hub-events';
import type { HelpRequestView, HubEvent } from '../../../shared/hub-api';

function requestView(id: string, revision: number): HelpRequestView {
  return { id, kioskDeviceId: 'b'.repeat(32), kioskName: 'PC 3', site: '', serviceId: null, language: 'fr', state: 'waiting', createdAt: 0, acknowledgedAt: null, closedAt: null, revision };
}

const A = 'a'.repeat(32);
const C = 'c'.repeat(32);

describe('HelpRequestWaiters', () => {
  it('wakes a waiter when its request reaches a newer revision, not before', async () => {
    const waiters = new HelpRequestWaiters();
    const wait = waiters.wait(A, 2, 60_000);
    let outcome: string | null = null;
    void wait.outcome.then((value) => (outcome = value));
    waiters.notify(requestView(A, 2));
    waiters.notify(requestView(C, 9));
    await Promise.resolve();
    expect(outcome).toBeNull();
    expect(waiters.size).toBe(1);
    waiters.notify(requestView(A, 3));
    expect(await wait.outcome).toBe('changed');
    expect(waiters.size).toBe(0);
  });

  it('lets a waiter go when its time is up, when abandoned, and all at once when released', async () => {
    const waiters = new HelpRequestWaiters();
    expect(await waiters.wait(A, 1, 1).outcome).toBe('timeout');
    const abandoned = waiters.wait(A, 1, 60_000);
    abandoned.abandon();
    expect(await abandoned.outcome).toBe('abandoned');
    const first = waiters.wait(A, 1, 60_000);
    const second = waiters.wait(C, 1, 60_000);
    expect(waiters.size).toBe(2);
    waiters.releaseAll();
    expect(await Promise.all([first.outcome, second.outcome])).toEqual(['released', 'released']);
    expect(waiters.size).toBe(0);
  });
});

describe('HubEventStreams', () => {
  let server: Server | null = null;
  const clients: IncomingMessage[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await new Promise<void>((resolve) => {
      if (server === null) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
    server = null;
  });

  /** A real server whose every request becomes a stream of `streams`, for device `device` (the path). */
  async function serve(streams: HubEventStreams): Promise<string> {
    server = createServer((incoming, response: ServerResponse) => {
      streams.open(response, (incoming.url ?? '/').slice(1), { 'content-type': 'text/event-stream' }, ': first\n\n');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function connect(url: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const outgoing = request(url, (response) => {
        clients.push(response);
        resolve(response);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  function untilSize(streams: HubEventStreams, size: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (streams.size === size ? resolve() : setImmediate(check));
      check();
    });
  }

  it('writes one serialized chunk to every stream', async () => {
    const streams = new HubEventStreams({ maxStreams: 10 });
    const url = await serve(streams);
    const readers = [await connect(`${url}/${A}`), await connect(`${url}/${C}`)];
    await untilSize(streams, 2);
    const event: HubEvent = { type: 'help-request', serverTime: 5, request: requestView(A, 1) };
    const received = readers.map(
      (reader) =>
        new Promise<string>((resolve) => {
          let text = '';
          reader.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('\n\nevent:') || text.endsWith('}\n\n')) resolve(text);
          });
        }),
    );
    streams.broadcast(event);
    for (const text of await Promise.all(received)) expect(text).toBe(`: first\n\n${eventChunk(event)}`);
    expect(eventChunk(event)).toBe(`event: help-request\ndata: ${JSON.stringify(event)}\n\n`);
  });

  it('cuts off a dashboard that stops reading, and keeps serving the others', async () => {
    const streams = new HubEventStreams({ maxStreams: 10 });
    const url = await serve(streams);
    const stalled = await connect(`${url}/${A}`);
    stalled.pause();
    const reading = await connect(`${url}/${C}`);
    let readBytes = 0;
    reading.on('data', (chunk: Buffer) => (readBytes += chunk.length));
    await untilSize(streams, 2);
    const event: HubEvent = { type: 'kiosk', serverTime: 1, kiosk: { deviceId: A, name: 'x'.repeat(60), site: 'y'.repeat(80), activity: 'free', online: true, lastSeenAt: 1 } };
    // Far more than the socket buffers and the backlog allowance hold.
    let sent = 0;
    while (streams.size === 2 && sent < 200_000) {
      streams.broadcast(event);
      sent += 1;
      if (sent % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(streams.size).toBe(1);
    expect(sent * eventChunk(event).length).toBeGreaterThan(MAX_UNSENT_EVENT_BYTES);
    const before = readBytes;
    streams.broadcast(event);
    await new Promise<void>((resolve) => {
      const check = () => (readBytes > before ? resolve() : setImmediate(check));
      check();
    });
  });

  it('says when it is full, and ends the streams of one device or all', async () => {
    const streams = new HubEventStreams({ maxStreams: 2 });
    const url = await serve(streams);
    const first = await connect(`${url}/${A}`);
    await connect(`${url}/${C}`);
    await untilSize(streams, 2);
    expect(streams.full).toBe(true);
    const ended = new Promise<void>((resolve) => first.on('end', resolve).resume());
    streams.closeDevice(A);
    await ended;
    expect(streams.size).toBe(1);
    expect(streams.full).toBe(false);
    streams.closeAll();
    expect(streams.size).toBe(0);
  });
});

describe('credentials in the Authorization header', () => {
  it('reads "Bearer <token>", the scheme in any case', () => {
    expect(bearerTokenOf('Bearer abc.def')).toEqual({ ok: true, token: 'abc.def' });
    expect(bearerTokenOf('bearer  abc.def ')).toEqual({ ok: true, token: 'abc.def' });
  });

  it('tells a missing credential from a malformed one', () => {
    expect(bearerTokenOf(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(bearerTokenOf('  ')).toEqual({ ok: false, reason: 'missing' });
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(300)}`]) expect(bearerTokenOf(header), header).toEqual({ ok: false, reason: 'malformed' });
  });

  it('says how to pair in every 401 message', () => {
    for (const reason of ['missing', 'malformed', 'unknown'] as const) expect(unauthenticatedMessage(reason)).toMatch(/pair this device with a code from the staff dashboard/);
  });

  it('names the kind of device a route needs', () => {
    expect(roleRefusal('staff', ['staff'])).toBeNull();
    expect(roleRefusal('kiosk', ['staff'])).toMatch(/^only a staff device may do this, and this credential belongs to a kiosk/);
    expect(roleRefusal('staff', ['kiosk', 'hub'])).toMatch(/^only a kiosk or a downstream hub may do this/);
  });
});
