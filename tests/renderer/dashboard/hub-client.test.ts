/**
 * The dashboard's hub client: the event-stream reader against the text/event-stream
 * rules, the live stream's connection states and reconnection, and the typed calls'
 * answers (over a fake hub's fetch).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHubClient, createServerSentEventReader, fileNameOf, type ConnectionState, type ServerSentMessage } from '../../../renderer/dashboard/hub-client';
import type { HubEvent } from '../../../shared/hub-api';
import { FakeHub, HUB_ORIGIN, STAFF_TOKEN, helpRequest, hubError, kioskView } from './fake-hub';

function readAll(pieces: readonly string[]): ServerSentMessage[] {
  const messages: ServerSentMessage[] = [];
  const reader = createServerSentEventReader((message) => messages.push(message));
  for (const piece of pieces) reader.push(piece);
  return messages;
}

describe('the event-stream reader', () => {
  it('reads events whatever way the text is cut into pieces', () => {
    const text = 'event: kiosk\ndata: {"a":1}\n\n: still here\n\nevent: help-request\ndata: {"b":2}\n\n';
    const whole = readAll([text]);
    expect(whole).toEqual([
      { event: 'kiosk', data: '{"a":1}' },
      { event: 'help-request', data: '{"b":2}' },
    ]);
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(readAll([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(readAll([...text])).toEqual(whole);
  });

  it('accepts CRLF and CR line ends, even with a CRLF split between two pieces', () => {
    expect(readAll(['event: kiosk\r\ndata: x\r', '\n\r', '\n'])).toEqual([{ event: 'kiosk', data: 'x' }]);
    expect(readAll(['data: y\r\r'])).toEqual([{ event: 'message', data: 'y' }]);
  });

  it('joins several data lines, skips comments and unknown fields, and waits for the blank line', () => {
    expect(readAll(['data: one\ndata:two\nid: 7\nretry: 10\n: note\n'])).toEqual([]);
    expect(readAll(['data: one\ndata:two\nid: 7\n\n'])).toEqual([{ event: 'message', data: 'one\ntwo' }]);
    expect(readAll(['event: kiosk\n\n'])).toEqual([]);
  });
});

describe('the file name of an export', () => {
  it('is taken from Content-Disposition, never as a path', () => {
    expect(fileNameOf('attachment; filename="epn-hub-namur-2025-03-01-2025-03-07.csv"')).toBe('epn-hub-namur-2025-03-01-2025-03-07.csv');
    expect(fileNameOf("attachment; filename*=UTF-8''stats%20mars.json")).toBe('stats mars.json');
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameOf('attachment; filename=".."')).toBeNull();
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });
});

interface Watcher {
  readonly events: HubEvent[];
  readonly states: ConnectionState[];
  unauthorized: number;
}

function watch(hub: FakeHub, options: { retryDelaysMs?: number[]; silenceLimitMs?: number } = {}) {
  const watcher: Watcher = { events: [], states: [], unauthorized: 0 };
  const stream = createHubClient(HUB_ORIGIN, hub.fetch)
    .withCredential(STAFF_TOKEN)
    .openEvents(
      {
        onEvent: (event) => watcher.events.push(event),
        onConnectionChange: (state) => watcher.states.push(state),
        onUnauthorized: () => {
          watcher.unauthorized += 1;
        },
      },
      { retryDelaysMs: options.retryDelaysMs ?? [5], silenceLimitMs: options.silenceLimitMs ?? 60_000 },
    );
  return { watcher, stream };
}

describe('the live stream', () => {
  let close: (() => void) | null = null;
  afterEach(() => {
    close?.();
    close = null;
    vi.useRealTimers();
  });

  it('is live once the snapshot arrives, then passes on each event, checked against the schema', async () => {
    const hub = new FakeHub();
    hub.kiosks = [kioskView({ name: 'PC 3' })];
    const { watcher, stream } = watch(hub);
    close = () => stream.close();
    expect(watcher.states).toEqual(['connecting']);
    await vi.waitFor(() => expect(watcher.states).toEqual(['connecting', 'live']));
    expect(watcher.events[0]?.type).toBe('snapshot');
    expect(hub.calls[0]).toMatchObject({ method: 'GET', path: '/events', authorization: `Bearer ${STAFF_TOKEN}` });

    const request = helpRequest({ kioskName: 'PC 3' });
    hub.write('data: {"type":"help-request","serverTime":1}\n\n');
    hub.write('data: not json\n\n');
    hub.push({ type: 'help-request', serverTime: hub.serverTime, request });
    await vi.waitFor(() => expect(watcher.events).toHaveLength(2));
    expect(watcher.events[1]).toEqual({ type: 'help-request', serverTime: hub.serverTime, request });
  });

  it('says "reconnecting" when the connection drops, and is live again with the next snapshot', async () => {
    const hub = new FakeHub();
    const { watcher, stream } = watch(hub);
    close = () => stream.close();
    await vi.waitFor(() => expect(watcher.states.at(-1)).toBe('live'));
    hub.dropStreams();
    await vi.waitFor(() => expect(watcher.states).toEqual(['connecting', 'live', 'reconnecting', 'live']));
    expect(hub.streamsOpened).toBe(2);
    expect(watcher.events.map((event) => event.type)).toEqual(['snapshot', 'snapshot']);
  });

  it('keeps trying while the hub cannot be reached, waiting longer each time', async () => {
    vi.useFakeTimers();
    const hub = new FakeHub();
    hub.eventsAnswer = 'network-error';
    const { watcher, stream } = watch(hub, { retryDelaysMs: [1_000, 5_000] });
    close = () => stream.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(hub.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(hub.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(hub.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(hub.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(hub.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(hub.calls).toHaveLength(4);
    // Never live yet: still "connecting", not "reconnecting".
    expect(watcher.states).toEqual(['connecting']);

    hub.eventsAnswer = 'stream';
    stream.reconnectNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(watcher.states).toEqual(['connecting', 'live']);
  });

  it('replaces a connection that has gone silent (no event, no keep-alive)', async () => {
    vi.useFakeTimers();
    const hub = new FakeHub();
    const { watcher, stream } = watch(hub, { silenceLimitMs: 30_000, retryDelaysMs: [10] });
    close = () => stream.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(watcher.states).toEqual(['connecting', 'live']);
    await vi.advanceTimersByTimeAsync(20_000);
    hub.write(': still here\n\n');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(hub.streamsOpened).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(watcher.states).toContain('reconnecting');
    await vi.advanceTimersByTimeAsync(10);
    expect(hub.streamsOpened).toBe(2);
    expect(watcher.states.at(-1)).toBe('live');
  });

  it('stops for good when the hub no longer knows the credential (401)', async () => {
    const hub = new FakeHub();
    hub.eventsAnswer = { status: 401, body: hubError('unauthenticated') };
    const { watcher, stream } = watch(hub);
    close = () => stream.close();
    await vi.waitFor(() => expect(watcher.unauthorized).toBe(1));
    stream.reconnectNow();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(hub.calls).toHaveLength(1);
  });

  it('closes its connection when closed', async () => {
    const hub = new FakeHub();
    const { watcher, stream } = watch(hub);
    await vi.waitFor(() => expect(watcher.states.at(-1)).toBe('live'));
    stream.close();
    await vi.waitFor(() => expect(hub.openStreams).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(hub.streamsOpened).toBe(1);
  });
});

describe('the calls', () => {
  it('send the credential and check the answers', async () => {
    const hub = new FakeHub();
    const request = helpRequest();
    hub.requests = [request];
    const staff = createHubClient(HUB_ORIGIN, hub.fetch).withCredential(STAFF_TOKEN);

    const acknowledged = await staff.acknowledge(request.id);
    expect(acknowledged).toMatchObject({ ok: true, value: { id: request.id, state: 'acknowledged', revision: 2 } });
    expect(hub.calls.at(-1)).toMatchObject({ method: 'POST', path: `/help-requests/${request.id}/acknowledge`, authorization: `Bearer ${STAFF_TOKEN}`, body: undefined });

    const devices = await staff.devices();
    expect(devices.ok && devices.value.map((device) => device.name)).toEqual(['Reception phone']);

    const issued = await staff.issuePairingCode('kiosk');
    expect(issued.ok).toBe(true);
    expect(hub.calls.at(-1)).toMatchObject({ method: 'POST', path: '/pairing-codes', body: { role: 'kiosk' } });
  });

  it('say what went wrong: unreachable, refused with the hub\'s code, unauthorized, or an answer not understood', async () => {
    const hub = new FakeHub();
    const client = createHubClient(HUB_ORIGIN, hub.fetch);
    const staff = client.withCredential(STAFF_TOKEN);

    hub.pairingAnswer = 'network-error';
    expect(await client.claimPairingCode({ code: 'K7QM-RXHP', name: 'Phone' })).toEqual({ ok: false, problem: { kind: 'unreachable' } });
    hub.pairingAnswer = { status: 404, body: hubError('pairing-code-expired', 'this pairing code has expired') };
    expect(await client.claimPairingCode({ code: 'K7QM-RXHP', name: 'Phone' })).toEqual({
      ok: false,
      problem: { kind: 'refused', status: 404, code: 'pairing-code-expired', message: 'this pairing code has expired' },
    });
    hub.overrides.set('GET /devices', { status: 401, body: hubError('unauthenticated') });
    expect(await staff.devices()).toEqual({ ok: false, problem: { kind: 'unauthorized' } });
    hub.overrides.set('GET /devices', { status: 200, body: { devices: [{ name: 'no id' }] } });
    expect(await staff.devices()).toEqual({ ok: false, problem: { kind: 'unexpected', status: 200 } });
  });

  it('fetch an export with the credential and hand back the file', async () => {
    const hub = new FakeHub();
    const staff = createHubClient(HUB_ORIGIN, hub.fetch).withCredential(STAFF_TOKEN);
    const file = await staff.exportStatistics({ from: '2025-03-01', to: '2025-03-07', format: 'csv' });
    expect(file).toEqual({ ok: true, value: { fileName: 'epn-hub-namur-2025-03-01-2025-03-07.csv', mediaType: 'text/csv; charset=utf-8', content: 'schema_version,kiosk_id\n' } });
    expect(hub.calls.at(-1)).toMatchObject({ path: '/statistics/export?from=2025-03-01&to=2025-03-07&format=csv', authorization: `Bearer ${STAFF_TOKEN}` });
  });
});
