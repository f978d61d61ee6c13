/**
 * What the dashboard knows of the room, built from the hub's live events: the kiosks,
 * the open help requests, the hub's clock, and which requests arrived while a helper was
 * watching (those raise the alert). Pure, so every ordering and reconnection case is
 * tested without a browser.
 */
import { OFFLINE_AFTER_SECONDS, type HelpRequestView, type HubEvent, type KioskView } from '../../shared/hub-api';

/**
 * The hub's clock as last heard: its time then, and this page's monotonic time then
 * (performance.now()). Waits are measured on the hub's clock moved on by this page's
 * monotonic time, so a phone whose own clock is wrong still shows the right wait.
 */
export interface HubClockReading {
  readonly serverTime: number;
  readonly receivedAt: number;
}

export interface LiveHub {
  readonly kiosks: ReadonlyMap<string, KioskView>;
  /** Waiting and acknowledged requests only. */
  readonly requests: ReadonlyMap<string, HelpRequestView>;
  /** The last revision seen of every request since the last snapshot, closed ones included, so a late event cannot bring a closed request back. */
  readonly revisions: ReadonlyMap<string, number>;
  readonly clock: HubClockReading | null;
  readonly snapshotCount: number;
  /** Requests that arrived while the dashboard was watching and that nobody has answered or marked seen, in order of arrival. */
  readonly unseen: readonly string[];
  /** Goes up by one each time new requests arrive: the sound plays when it changes. */
  readonly arrivals: number;
}

export const EMPTY_LIVE_HUB: LiveHub = {
  kiosks: new Map(),
  requests: new Map(),
  revisions: new Map(),
  clock: null,
  snapshotCount: 0,
  unseen: [],
  arrivals: 0,
};

function isOpen(request: HelpRequestView): boolean {
  return request.state === 'waiting' || request.state === 'acknowledged';
}

function stillUnseen(unseen: readonly string[], requests: ReadonlyMap<string, HelpRequestView>): string[] {
  return unseen.filter((id) => requests.get(id)?.state === 'waiting');
}

/**
 * One event from the stream. `receivedAt` is this page's monotonic time when it arrived.
 * The first snapshot raises no alert (the helper has just opened the page and sees the
 * queue); a later one (after a reconnection) does, for waiting requests not known before.
 */
export function applyHubEvent(hub: LiveHub, event: HubEvent, receivedAt: number): LiveHub {
  const clock: HubClockReading = { serverTime: event.serverTime, receivedAt };
  switch (event.type) {
    case 'snapshot': {
      const requests = new Map(event.requests.filter(isOpen).map((request) => [request.id, request]));
      const arrived = hub.snapshotCount === 0 ? [] : [...requests.values()].filter((request) => request.state === 'waiting' && !hub.requests.has(request.id)).map((request) => request.id);
      return {
        kiosks: new Map(event.kiosks.map((kiosk) => [kiosk.deviceId, kiosk])),
        requests,
        revisions: new Map(event.requests.map((request) => [request.id, request.revision])),
        clock,
        snapshotCount: hub.snapshotCount + 1,
        unseen: stillUnseen([...hub.unseen, ...arrived], requests),
        arrivals: hub.arrivals + (arrived.length > 0 ? 1 : 0),
      };
    }
    case 'kiosk': {
      const kiosks = new Map(hub.kiosks);
      kiosks.set(event.kiosk.deviceId, event.kiosk);
      return { ...hub, kiosks, clock };
    }
    case 'help-request': {
      const changed = applyHelpRequest(hub, event.request);
      return { ...changed, clock };
    }
  }
}

/** A request as it now stands, from the stream or from the answer to "I'm coming" / "Done". */
export function applyHelpRequest(hub: LiveHub, request: HelpRequestView): LiveHub {
  const known = hub.revisions.get(request.id);
  if (known !== undefined && known >= request.revision) return hub;
  const revisions = new Map(hub.revisions);
  revisions.set(request.id, request.revision);
  const requests = new Map(hub.requests);
  const isNew = known === undefined && request.state === 'waiting' && hub.snapshotCount > 0;
  if (isOpen(request)) requests.set(request.id, request);
  else requests.delete(request.id);
  const unseen = stillUnseen(isNew ? [...hub.unseen, request.id] : hub.unseen, requests);
  return { ...hub, requests, revisions, unseen, arrivals: hub.arrivals + (isNew ? 1 : 0) };
}

/** The helper pressed "Seen" on the alert. */
export function markAllSeen(hub: LiveHub): LiveHub {
  return hub.unseen.length === 0 ? hub : { ...hub, unseen: [] };
}

/** The hub's time now, from the last reading and this page's monotonic clock. */
export function hubTimeAt(clock: HubClockReading, monotonicNow: number): number {
  return clock.serverTime + Math.max(0, monotonicNow - clock.receivedAt);
}

/** The queue: the longest waiting first, whatever their state, as the helpers walk it. */
export function queueOrder(requests: Iterable<HelpRequestView>): HelpRequestView[] {
  return [...requests].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function waitingCount(requests: Iterable<HelpRequestView>): number {
  let count = 0;
  for (const request of requests) if (request.state === 'waiting') count += 1;
  return count;
}

/**
 * Online as the hub said when it last spoke of the kiosk, and not silent for longer
 * than the hub allows since: if the hub's "offline" event is late or lost, the
 * dashboard does not go on showing a dead PC as online.
 */
export function isKioskOnline(kiosk: KioskView, hubNow: number): boolean {
  return kiosk.online && kiosk.lastSeenAt !== null && hubNow - kiosk.lastSeenAt <= OFFLINE_AFTER_SECONDS * 1000;
}

const names = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** "PC 2" before "PC 10". */
export function kioskOrder(kiosks: Iterable<KioskView>): KioskView[] {
  return [...kiosks].sort((a, b) => names.compare(a.name, b.name) || (a.deviceId < b.deviceId ? -1 : 1));
}
