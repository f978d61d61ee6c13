/**
 * The browser preview's transport: each contract call is a POST to the preview
 * server, and main-side events arrive as server-sent events. The same contract and
 * the same main-side handlers as in Electron, carried over HTTP instead of IPC.
 *
 *   POST <origin>/api/contract/<channel, URL-encoded>   body {"argument": <value>}
 *   GET  <origin>/api/events                            event: <channel>, data: <JSON>
 *
 * Whatever happens (server down, HTTP error, broken body), invoke answers with an
 * envelope and never throws: the screens show a plain message, never a crash.
 */
import type { BridgeTransport } from '../../shared/bridge';
import type { ContractError, ContractErrorCode, Envelope, EventChannel, InvokeChannel } from '../../shared/contract';

interface ServerSentEventSource {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type ServerSentEventSourceConstructor = new (url: string) => ServerSentEventSource;

export interface PreviewTransportPlatform {
  readonly fetch: typeof fetch;
  /** Absent where the platform has no EventSource: calls still work, events do not arrive. */
  readonly EventSource?: ServerSentEventSourceConstructor | undefined;
}

const ERROR_CODES: readonly ContractErrorCode[] = ['unknown-channel', 'invalid-argument', 'refused-sender', 'failed'];

function failed(message: string): Envelope<never> {
  return { ok: false, error: { code: 'failed', message } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isContractError(value: unknown): value is ContractError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return ERROR_CODES.includes(code as ContractErrorCode) && typeof message === 'string';
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  if (candidate.ok === true) return 'value' in candidate;
  return candidate.ok === false && isContractError(candidate.error);
}

function platformOfThisPage(): PreviewTransportPlatform {
  return {
    fetch: globalThis.fetch.bind(globalThis),
    EventSource: typeof globalThis.EventSource === 'function' ? globalThis.EventSource : undefined,
  };
}

export function createPreviewTransport(origin: string, platform: PreviewTransportPlatform = platformOfThisPage()): BridgeTransport {
  const base = origin.replace(/\/+$/, '');
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  const forwarders = new Map<EventChannel, (event: MessageEvent<string>) => void>();
  let source: ServerSentEventSource | null = null;

  function openSource(EventSourceImpl: ServerSentEventSourceConstructor): ServerSentEventSource {
    source ??= new EventSourceImpl(`${base}/api/events`);
    return source;
  }

  function closeSourceWhenUnused(): void {
    if (listeners.size > 0 || source === null) return;
    source.close();
    source = null;
  }

  return {
    async invoke(channel: InvokeChannel, argument: unknown): Promise<Envelope<unknown>> {
      let response: Response;
      try {
        response = await platform.fetch(`${base}/api/contract/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(argument === undefined ? {} : { argument }),
          cache: 'no-store',
        });
      } catch (error) {
        return failed(`${channel}: the preview server could not be reached (${describe(error)})`);
      }
      let body: unknown;
      try {
        body = JSON.parse(await response.text());
      } catch (error) {
        return failed(`${channel}: the preview server answered HTTP ${response.status} with a body that is not JSON (${describe(error)})`);
      }
      if (!isEnvelope(body)) {
        return failed(`${channel}: the preview server answered HTTP ${response.status} with JSON that is not a contract envelope`);
      }
      return body;
    },

    subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void {
      const EventSourceImpl = platform.EventSource;
      if (EventSourceImpl === undefined) return () => {};

      let channelListeners = listeners.get(event);
      if (channelListeners === undefined) {
        channelListeners = new Set();
        listeners.set(event, channelListeners);
        const forward = (message: MessageEvent<string>) => {
          let payload: unknown;
          try {
            payload = JSON.parse(message.data);
          } catch {
            return; // A broken event is dropped; the next valid one redraws the screens.
          }
          for (const current of [...(listeners.get(event) ?? [])]) current(payload);
        };
        forwarders.set(event, forward);
        openSource(EventSourceImpl).addEventListener(event, forward);
      }
      channelListeners.add(listener);

      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        const current = listeners.get(event);
        current?.delete(listener);
        if (current !== undefined && current.size === 0) {
          listeners.delete(event);
          const forward = forwarders.get(event);
          forwarders.delete(event);
          if (forward !== undefined) source?.removeEventListener(event, forward);
          closeSourceWhenUnused();
        }
      };
    },
  };
}
