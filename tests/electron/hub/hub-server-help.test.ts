import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelpRequestListSchema, HelpRequestViewSchema, HubErrorSchema, type HelpRequestView, type HubError } from '../../../shared/hub-api';
import { helpRequestBody, hubFetch, randomHexId, startTestHub, type HubAnswer, type PairedDevice, type TestHub } from './hub-test-kit';

let kit: TestHub;
let staff: PairedDevice;
let kiosk: PairedDevice;

beforeEach(async () => {
  kit = await startTestHub();
  staff = await kit.pair('staff');
  kiosk = await kit.pair('kiosk', { name: 'PC 3' });
});

afterEach(async () => {
  await kit.close();
});

function errorOf(body: unknown): HubError['error'] {
  return HubErrorSchema.parse(body).error;
}

async function callHelp(device: PairedDevice = kiosk, body = helpRequestBody()): Promise<HelpRequestView> {
  const answer = await hubFetch(kit.url, '/help-requests', { token: device.token, json: body });
  expect(answer.status).toBe(201);
  return HelpRequestViewSchema.parse(answer.body);
}

function act(request: HelpRequestView, action: 'cancel' | 'acknowledge' | 'resolve', device: PairedDevice): Promise<HubAnswer<unknown>> {
  return hubFetch(kit.url, `/help-requests/${request.id}/${action}`, { method: 'POST', token: device.token });
}

/** Resolves once the hub has heard from the device at the current (just advanced) time: its request got past the credential check. */
async function heardFrom(device: PairedDevice, at: number): Promise<void> {
  for (;;) {
    const seen = kit.hub.store.listDevices().find((candidate) => candidate.deviceId === device.deviceId)?.lastSeenAt;
    if (seen === at) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a visitor calls for help', () => {
  it('creates a waiting request with the kiosk name, service and language, dated from the press', async () => {
    const request = await callHelp(kiosk, helpRequestBody({ serviceId: 'my-pension', language: 'nl', delayMs: 4_000 }));
    expect(request).toMatchObject({ kioskDeviceId: kiosk.deviceId, kioskName: 'PC 3', site: 'EPN test', serviceId: 'my-pension', language: 'nl', state: 'waiting', createdAt: kit.clock.now() - 4_000, acknowledgedAt: null, closedAt: null, revision: 1 });
  });

  it('answers a retried request with the one made the first time (200), creating nothing twice', async () => {
    const body = helpRequestBody();
    const first = await callHelp(kiosk, body);
    const retry = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: { ...body, delayMs: 9_000 } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first);
    const open = await hubFetch(kit.url, '/help-requests', { token: staff.token });
    expect(HelpRequestListSchema.parse(open.body).requests).toEqual([first]);
  });

  it('lists the open requests for staff, the longest waiting first', async () => {
    const second = await callHelp(kiosk, helpRequestBody({ delayMs: 0 }));
    const otherKiosk = await kit.pair('kiosk', { name: 'PC 4' });
    const first = await callHelp(otherKiosk, helpRequestBody({ delayMs: 60_000 }));
    const resolved = await callHelp(otherKiosk);
    expect((await act(resolved, 'resolve', staff)).status).toBe(200);
    const open = await hubFetch(kit.url, '/help-requests', { token: staff.token });
    expect(open.status).toBe(200);
    expect(HelpRequestListSchema.parse(open.body).requests.map((request) => request.id)).toEqual([first.id, second.id]);
  });
});

describe('who sees a help request', () => {
  it('shows a request to its kiosk and to staff, and to another kiosk as not found', async () => {
    const request = await callHelp();
    expect((await hubFetch(kit.url, `/help-requests/${request.id}`, { token: kiosk.token })).body).toEqual(request);
    expect((await hubFetch(kit.url, `/help-requests/${request.id}`, { token: staff.token })).body).toEqual(request);
    const stranger = await kit.pair('kiosk');
    const probed = await hubFetch(kit.url, `/help-requests/${request.id}`, { token: stranger.token });
    const missing = await hubFetch(kit.url, `/help-requests/${randomHexId()}`, { token: stranger.token });
    expect(probed.status).toBe(404);
    expect(missing.status).toBe(404);
    // Nothing tells an existing id of another kiosk from one that never existed.
    expect(errorOf(probed.body).message.replace(request.id, 'ID')).toBe(errorOf(missing.body).message.replace(/[0-9a-f]{32}/, 'ID'));
  });

  it('lets only its own kiosk cancel a request', async () => {
    const request = await callHelp();
    const stranger = await kit.pair('kiosk');
    expect((await act(request, 'cancel', stranger)).status).toBe(404);
    const cancelled = await act(request, 'cancel', kiosk);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', closedAt: kit.clock.now(), revision: 2 });
  });

  it('names a malformed id and a wrong revision', async () => {
    const malformed = await hubFetch(kit.url, '/help-requests/42', { token: staff.token });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.body).message).toMatch(/^id: must be an id given by the hub/);
    const request = await callHelp();
    const badRevision = await hubFetch(kit.url, `/help-requests/${request.id}?after=soon`, { token: kiosk.token });
    expect(badRevision.status).toBe(400);
    expect(errorOf(badRevision.body).message).toBe('after: must be a revision number');
    const unknownParameter = await hubFetch(kit.url, `/help-requests/${request.id}?since=1`, { token: kiosk.token });
    expect(unknownParameter.status).toBe(400);
    expect(errorOf(unknownParameter.body).message).toMatch(/^since: is not a query parameter of this request/);
  });
});

describe('helpers answer', () => {
  it('acknowledges, then resolves; a repeated acknowledgement changes nothing', async () => {
    const request = await callHelp();
    kit.clock.advance(30_000);
    const acknowledged = await act(request, 'acknowledge', staff);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ state: 'acknowledged', acknowledgedAt: kit.clock.now(), revision: 2 });
    const again = await act(request, 'acknowledge', staff);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(acknowledged.body);
    kit.clock.advance(60_000);
    const resolved = await act(request, 'resolve', staff);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: 'resolved', closedAt: kit.clock.now(), revision: 3 });
  });

  it('refuses to change a closed request with 409 and a message', async () => {
    const request = await callHelp();
    expect((await act(request, 'resolve', staff)).status).toBe(200);
    for (const [action, device] of [['acknowledge', staff], ['cancel', kiosk]] as const) {
      const refused = await act(request, action, device);
      expect(refused.status, action).toBe(409);
      expect(errorOf(refused.body)).toEqual({ code: 'conflict', message: expect.stringMatching(/^this help request is already resolved, so it cannot be/) });
    }
    const cancelled = await callHelp();
    expect((await act(cancelled, 'cancel', kiosk)).status).toBe(200);
    const late = await act(cancelled, 'resolve', staff);
    expect(late.status).toBe(409);
    expect(errorOf(late.body).message).toMatch(/already cancelled/);
  });

  it('takes no body on a transition, or an empty one', async () => {
    const request = await callHelp();
    const withEmpty = await hubFetch(kit.url, `/help-requests/${request.id}/acknowledge`, { token: staff.token, json: {} });
    expect(withEmpty.status).toBe(200);
    const withBody = await hubFetch(kit.url, `/help-requests/${request.id}/resolve`, { token: staff.token, json: { note: 'done' } });
    expect(withBody.status).toBe(400);
    expect(errorOf(withBody.body).message).toMatch(/takes no body/);
  });
});

describe('the kiosk waits for an answer (long poll)', () => {
  it('answers at once when the request is already newer than the revision given', async () => {
    const request = await callHelp();
    const answer = await hubFetch(kit.url, `/help-requests/${request.id}?after=0`, { token: kiosk.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(request);
  });

  it('answers at once for a closed request, which will not change again', async () => {
    const request = await callHelp();
    const cancelled = await act(request, 'cancel', kiosk);
    const answer = await hubFetch(kit.url, `/help-requests/${request.id}?after=5`, { token: kiosk.token });
    expect(answer.body).toEqual(cancelled.body);
  });

  it('is woken by "I\'m coming"', async () => {
    const request = await callHelp();
    kit.clock.advance(1_000);
    const poll = hubFetch(kit.url, `/help-requests/${request.id}?after=${request.revision}`, { token: kiosk.token });
    await heardFrom(kiosk, kit.clock.now());
    expect((await act(request, 'acknowledge', staff)).status).toBe(200);
    const answer = await poll;
    expect(answer.status).toBe(200);
    expect(HelpRequestViewSchema.parse(answer.body)).toMatchObject({ id: request.id, state: 'acknowledged', revision: 2 });
  });

  it('is released with the request as it is when the hub closes', async () => {
    const request = await callHelp();
    kit.clock.advance(1_000);
    const poll = hubFetch(kit.url, `/help-requests/${request.id}?after=${request.revision}`, { token: kiosk.token });
    await heardFrom(kiosk, kit.clock.now());
    // Let the poll reach its wait: nothing answers it before the hub closes but the release.
    await new Promise((resolve) => setImmediate(resolve));
    await kit.hub.close();
    const answer = await poll;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(request);
  });
});
