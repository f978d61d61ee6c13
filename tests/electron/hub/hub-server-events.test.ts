import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_SECONDS, HeartbeatResponseSchema, HelpRequestViewSchema, HubErrorSchema, OFFLINE_AFTER_SECONDS, type HubEvent } from '../../../shared/hub-api';
import { heartbeatBody, helpRequestBody, HubEventReader, hubFetch, startTestHub, type PairedDevice, type TestHub } from './hub-test-kit';

let kit: TestHub;
let staff: PairedDevice;
let kiosk: PairedDevice;
const readers: HubEventReader[] = [];

beforeEach(async () => {
  kit = await startTestHub();
  staff = await kit.pair('staff');
  kiosk = await kit.pair('kiosk', { name: 'PC 3' });
});

afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await kit.close();
});

async function openStream(token = staff.token): Promise<HubEventReader> {
  const reader = await HubEventReader.open(kit.url, token);
  readers.push(reader);
  return reader;
}

function ofType<T extends HubEvent['type']>(type: T): (event: HubEvent) => event is Extract<HubEvent, { type: T }> {
  return (event): event is Extract<HubEvent, { type: T }> => event.type === type;
}

async function heartbeat(device: PairedDevice, overrides: Parameters<typeof heartbeatBody>[0] = {}): Promise<void> {
  const answer = await hubFetch(kit.url, '/heartbeat', { token: device.token, json: heartbeatBody({ name: device.name, ...overrides }) });
  expect(answer.status).toBe(200);
  expect(HeartbeatResponseSchema.parse(answer.body)).toEqual({ serverTime: kit.clock.now(), heartbeatSeconds: HEARTBEAT_SECONDS });
}

describe('GET /events', () => {
  it('starts with a snapshot of the kiosks and the open requests', async () => {
    await heartbeat(kiosk, { activity: 'in-session' });
    const waiting = HelpRequestViewSchema.parse((await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody() })).body);
    const reader = await openStream();
    const first = await reader.next();
    expect(first).toEqual({
      type: 'snapshot',
      serverTime: kit.clock.now(),
      kiosks: [{ deviceId: kiosk.deviceId, name: 'PC 3', site: 'EPN test', activity: 'in-session', online: true, lastSeenAt: kit.clock.now() }],
      requests: [waiting],
    });
  });

  it('sends a new help request to every dashboard, once, after the snapshot', async () => {
    const dashboards = [await openStream(), await openStream(), await openStream()];
    for (const reader of dashboards) expect((await reader.next()).type).toBe('snapshot');
    const body = helpRequestBody();
    const created = HelpRequestViewSchema.parse((await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: body })).body);
    expect((await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: body })).status).toBe(200);
    const marker = HelpRequestViewSchema.parse((await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody() })).body);
    for (const reader of dashboards) {
      expect(await reader.next()).toEqual({ type: 'help-request', serverTime: kit.clock.now(), request: created });
      // The retried POST sent nothing: the next event is the marker's.
      expect(await reader.next()).toEqual({ type: 'help-request', serverTime: kit.clock.now(), request: marker });
    }
  });

  it('sends every change of a request: acknowledged, resolved, cancelled', async () => {
    const reader = await openStream();
    await reader.next(ofType('snapshot'));
    const request = HelpRequestViewSchema.parse((await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody() })).body);
    await hubFetch(kit.url, `/help-requests/${request.id}/acknowledge`, { method: 'POST', token: staff.token });
    await hubFetch(kit.url, `/help-requests/${request.id}/acknowledge`, { method: 'POST', token: staff.token });
    await hubFetch(kit.url, `/help-requests/${request.id}/resolve`, { method: 'POST', token: staff.token });
    const states: string[] = [];
    for (let count = 0; count < 3; count += 1) {
      const event = await reader.next(ofType('help-request'));
      if (event.type === 'help-request') states.push(`${event.request.state}@${event.request.revision}`);
    }
    expect(states).toEqual(['waiting@1', 'acknowledged@2', 'resolved@3']);
  });

  it('tells dashboards when a kiosk comes online, changes activity or name, and not when nothing changed', async () => {
    const reader = await openStream();
    await reader.next(ofType('snapshot'));
    await heartbeat(kiosk);
    kit.clock.advance(HEARTBEAT_SECONDS * 1000);
    await heartbeat(kiosk);
    await heartbeat(kiosk, { activity: 'in-session' });
    await heartbeat(kiosk, { activity: 'in-session', name: 'PC 3 (window)' });
    const seen: string[] = [];
    for (let count = 0; count < 3; count += 1) {
      const event = await reader.next(ofType('kiosk'));
      if (event.type === 'kiosk') seen.push(`${event.kiosk.name}:${event.kiosk.activity}:${event.kiosk.online}`);
    }
    expect(seen).toEqual(['PC 3:free:true', 'PC 3:in-session:true', 'PC 3 (window):in-session:true']);
  });

  it('tells dashboards when a kiosk goes silent and shows offline', async () => {
    await heartbeat(kiosk);
    const reader = await openStream();
    const snapshot = await reader.next(ofType('snapshot'));
    expect(snapshot.type === 'snapshot' && snapshot.kiosks[0]?.online).toBe(true);
    kit.clock.advance((OFFLINE_AFTER_SECONDS + 1) * 1000);
    const event = await reader.next(ofType('kiosk'));
    expect(event).toMatchObject({ type: 'kiosk', kiosk: { deviceId: kiosk.deviceId, online: false } });
  });

  it('is for staff only, with the credential in the header', async () => {
    const anonymous = await hubFetch(kit.url, '/events');
    expect(anonymous.status).toBe(401);
    const byKiosk = await hubFetch(kit.url, '/events', { token: kiosk.token });
    expect(byKiosk.status).toBe(403);
  });

  it('sends the stream with the API security headers and no caching', async () => {
    const response = await fetch(`${kit.url}/api/v1/events`, { headers: { authorization: `Bearer ${staff.token}` } });
    try {
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    } finally {
      await response.body?.cancel();
    }
  });

  it('refuses streams beyond the limit with 503, and takes one again when a dashboard leaves', async () => {
    const limited = await startTestHub({ limits: { maxEventStreams: 2 } });
    try {
      const phone = await limited.pair('staff');
      const first = await HubEventReader.open(limited.url, phone.token);
      const second = await HubEventReader.open(limited.url, phone.token);
      await first.next();
      await second.next();
      const third = await hubFetch(limited.url, '/events', { token: phone.token });
      expect(third.status).toBe(503);
      expect(HubErrorSchema.parse(third.body).error).toEqual({ code: 'too-many-streams', message: expect.stringMatching(/too many dashboards are connected \(2\)/) });
      first.close();
      let again: HubEventReader | null = null;
      // The hub notices the closed connection on its own time: try until it has.
      while (again === null) {
        try {
          again = await HubEventReader.open(limited.url, phone.token);
        } catch (error) {
          expect(String(error)).toMatch(/answered 503/);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      expect((await again.next()).type).toBe('snapshot');
      second.close();
      again.close();
    } finally {
      await limited.close();
    }
  });

  it('ends every stream when the hub closes', async () => {
    const reader = await openStream();
    await reader.next(ofType('snapshot'));
    await kit.hub.close();
    await reader.end();
    expect(reader.ended).toBe(true);
  });
});
