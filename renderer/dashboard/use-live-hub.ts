/**
 * The live view of the hub for the screens: the stream opened while the dashboard is
 * shown, its events folded into a LiveHub, the connection state, and the hub's time
 * moving on every second.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { HelpRequestView, HubEvent } from '../../shared/hub-api';
import type { ConnectionState, EventStreamOptions, StaffHubClient } from './hub-client';
import { EMPTY_LIVE_HUB, applyHelpRequest, applyHubEvent, hubTimeAt, markAllSeen, type HubClockReading, type LiveHub } from './live-hub';

type Action =
  | { readonly type: 'event'; readonly event: HubEvent; readonly receivedAt: number }
  | { readonly type: 'request'; readonly request: HelpRequestView }
  | { readonly type: 'seen' };

function reduce(hub: LiveHub, action: Action): LiveHub {
  switch (action.type) {
    case 'event':
      return applyHubEvent(hub, action.event, action.receivedAt);
    case 'request':
      return applyHelpRequest(hub, action.request);
    case 'seen':
      return markAllSeen(hub);
  }
}

export interface LiveHubView {
  readonly hub: LiveHub;
  readonly connection: ConnectionState;
  /** The answer to "I'm coming" or "Done", shown at once without waiting for the stream. */
  applyRequest(request: HelpRequestView): void;
  markSeen(): void;
}

export function useLiveHub(client: StaffHubClient, monotonicNow: () => number, onUnauthorized: () => void, streamOptions?: EventStreamOptions): LiveHubView {
  const [hub, dispatch] = useReducer(reduce, EMPTY_LIVE_HUB);
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  useEffect(() => {
    const stream = client.openEvents(
      {
        onEvent: (event) => dispatch({ type: 'event', event, receivedAt: monotonicNow() }),
        onConnectionChange: setConnection,
        onUnauthorized,
      },
      streamOptions,
    );
    // A phone waking up or back on the Wi-Fi should not wait out a long back-off.
    const reconnect = () => {
      if (document.visibilityState === 'visible') stream.reconnectNow();
    };
    window.addEventListener('online', reconnect);
    document.addEventListener('visibilitychange', reconnect);
    return () => {
      window.removeEventListener('online', reconnect);
      document.removeEventListener('visibilitychange', reconnect);
      stream.close();
    };
  }, [client, monotonicNow, onUnauthorized, streamOptions]);

  const applyRequest = useCallback((request: HelpRequestView) => dispatch({ type: 'request', request }), []);
  const markSeen = useCallback(() => dispatch({ type: 'seen' }), []);
  return { hub, connection, applyRequest, markSeen };
}

export const TICK_MS = 1_000;

/** The hub's time, moved on every second (null until the hub has said what time it is). */
export function useHubNow(clock: HubClockReading | null, monotonicNow: () => number): number | null {
  const [now, setNow] = useState(monotonicNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(monotonicNow()), TICK_MS);
    return () => clearInterval(timer);
  }, [monotonicNow]);
  return clock === null ? null : hubTimeAt(clock, Math.max(now, clock.receivedAt));
}
