/**
 * What the dashboard makes of the hub's events: the queue's order, which requests raise
 * the alert (and which must not), late and repeated events, the hub's clock, and kiosks
 * that went silent.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_LIVE_HUB,
  applyHelpRequest,
  applyHubEvent,
  hubTimeAt,
  isKioskOnline,
  kioskOrder,
  markAllSeen,
  queueOrder,
  waitingCount,
  type LiveHub,
} from '../../../renderer/dashboard/live-hub';
import { OFFLINE_AFTER_SECONDS, type HelpRequestView, type KioskView } from '../../../shared/hub-api';
import { HUB_TIME, helpRequest, kioskView } from './fake-hub';

function snapshot(hub: LiveHub, requests: HelpRequestView[], kiosks: KioskView[] = [], serverTime = HUB_TIME, receivedAt = 0): LiveHub {
  return applyHubEvent(hub, { type: 'snapshot', serverTime, kiosks, requests }, receivedAt);
}

function arrives(hub: LiveHub, request: HelpRequestView, serverTime = HUB_TIME, receivedAt = 0): LiveHub {
  return applyHubEvent(hub, { type: 'help-request', serverTime, request }, receivedAt);
}

describe('the queue', () => {
  it('puts the longest waiting first, whatever their state, and counts those nobody answered yet', () => {
    const newest = helpRequest({ kioskName: 'PC 1', createdAt: HUB_TIME - 10_000 });
    const oldest = helpRequest({ kioskName: 'PC 7', createdAt: HUB_TIME - 300_000, state: 'acknowledged', acknowledgedAt: HUB_TIME - 100_000, revision: 2 });
    const middle = helpRequest({ kioskName: 'PC 10', createdAt: HUB_TIME - 60_000 });
    const hub = snapshot(EMPTY_LIVE_HUB, [newest, oldest, middle]);
    expect(queueOrder(hub.requests.values()).map((request) => request.kioskName)).toEqual(['PC 7', 'PC 10', 'PC 1']);
    expect(waitingCount(hub.requests.values())).toBe(2);
  });

  it('keeps only open requests, and drops one when it is resolved or cancelled', () => {
    const request = helpRequest();
    let hub = snapshot(EMPTY_LIVE_HUB, [request, helpRequest({ state: 'resolved', revision: 3 })]);
    expect([...hub.requests.keys()]).toEqual([request.id]);
    hub = arrives(hub, { ...request, state: 'cancelled', closedAt: HUB_TIME, revision: 2 });
    expect(hub.requests.size).toBe(0);
  });

  it('ignores an event older than what it has (events and the answer to "I\'m coming" may cross)', () => {
    const request = helpRequest();
    let hub = snapshot(EMPTY_LIVE_HUB, [request]);
    const resolved = { ...request, state: 'resolved' as const, closedAt: HUB_TIME, revision: 3 };
    hub = applyHelpRequest(hub, resolved);
    hub = arrives(hub, { ...request, state: 'acknowledged', acknowledgedAt: HUB_TIME, revision: 2 });
    expect(hub.requests.size).toBe(0);
    const again = applyHelpRequest(hub, resolved);
    expect(again).toBe(hub);
  });
});

describe('the alert', () => {
  it('is not raised by the first snapshot: the helper has just opened the page and sees the queue', () => {
    const hub = snapshot(EMPTY_LIVE_HUB, [helpRequest()]);
    expect(hub.unseen).toEqual([]);
    expect(hub.arrivals).toBe(0);
  });

  it('is raised by each new waiting request, and lowered when it is answered or marked seen', () => {
    let hub = snapshot(EMPTY_LIVE_HUB, []);
    const first = helpRequest({ kioskName: 'PC 2' });
    const second = helpRequest({ kioskName: 'PC 4' });
    hub = arrives(hub, first);
    expect(hub.unseen).toEqual([first.id]);
    expect(hub.arrivals).toBe(1);
    hub = arrives(hub, second);
    expect(hub.unseen).toEqual([first.id, second.id]);
    expect(hub.arrivals).toBe(2);

    hub = arrives(hub, { ...first, state: 'acknowledged', acknowledgedAt: HUB_TIME, revision: 2 });
    expect(hub.unseen).toEqual([second.id]);
    expect(hub.arrivals).toBe(2);
    hub = markAllSeen(hub);
    expect(hub.unseen).toEqual([]);
  });

  it('is not raised again by a later event of the same request, nor by one that arrives already answered', () => {
    const request = helpRequest();
    let hub = arrives(snapshot(EMPTY_LIVE_HUB, []), request);
    hub = markAllSeen(hub);
    hub = arrives(hub, request);
    expect(hub.arrivals).toBe(1);
    hub = arrives(hub, helpRequest({ state: 'acknowledged', acknowledgedAt: HUB_TIME, revision: 2 }));
    expect(hub.arrivals).toBe(1);
    expect(hub.unseen).toEqual([]);
  });

  it('is raised after a reconnection for requests that arrived while the dashboard was cut off', () => {
    const known = helpRequest({ kioskName: 'PC 1' });
    let hub = snapshot(EMPTY_LIVE_HUB, [known]);
    const missed = helpRequest({ kioskName: 'PC 5' });
    hub = snapshot(hub, [known, missed]);
    expect(hub.unseen).toEqual([missed.id]);
    expect(hub.arrivals).toBe(1);
  });
});

describe('the clocks', () => {
  it('measure time on the hub\'s clock, moved on by this page\'s monotonic clock', () => {
    const hub = snapshot(EMPTY_LIVE_HUB, [], [], HUB_TIME, 5_000);
    expect(hub.clock).toEqual({ serverTime: HUB_TIME, receivedAt: 5_000 });
    expect(hubTimeAt(hub.clock!, 12_500)).toBe(HUB_TIME + 7_500);
    // A reading taken before the event arrived never moves the hub's time back.
    expect(hubTimeAt(hub.clock!, 4_000)).toBe(HUB_TIME);
    const later = applyHubEvent(hub, { type: 'kiosk', serverTime: HUB_TIME + 60_000, kiosk: kioskView() }, 6_000);
    expect(hubTimeAt(later.clock!, 7_000)).toBe(HUB_TIME + 61_000);
  });

  it('show a kiosk offline when the hub said so, or when it has been silent too long since', () => {
    const kiosk = kioskView({ lastSeenAt: HUB_TIME });
    expect(isKioskOnline(kiosk, HUB_TIME + OFFLINE_AFTER_SECONDS * 1000)).toBe(true);
    expect(isKioskOnline(kiosk, HUB_TIME + OFFLINE_AFTER_SECONDS * 1000 + 1)).toBe(false);
    expect(isKioskOnline({ ...kiosk, online: false }, HUB_TIME)).toBe(false);
    expect(isKioskOnline({ ...kiosk, lastSeenAt: null }, HUB_TIME)).toBe(false);
  });

  it('list kiosks by name as people count: PC 2 before PC 10', () => {
    expect(kioskOrder([kioskView({ name: 'PC 10' }), kioskView({ name: 'pc 2' }), kioskView({ name: 'Accueil' })]).map((kiosk) => kiosk.name)).toEqual(['Accueil', 'pc 2', 'PC 10']);
  });
});
