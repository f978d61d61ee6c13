/**
 * The dashboard's side of the hub's HTTP API v1 (shared/hub-api.ts): typed calls whose
 * answers are checked against the API's schemas, and the live event stream.
 *
 * Every call resolves to a result, never throws: the screens say what went wrong in
 * plain words ("the hub cannot be reached", "this code has expired") and a 401 means
 * this device's credential is gone (revoked), which sends the dashboard back to pairing.
 *
 * The event stream is read with fetch() rather than EventSource, which cannot send the
 * Authorization header. It reconnects with a growing delay; every connection starts
 * with a snapshot, so nothing has to be replayed.
 */
import { z } from 'zod';
import {
  DeviceViewSchema,
  HUB_API_PREFIX,
  HelpRequestViewSchema,
  HubErrorSchema,
  HubEventSchema,
  HubStatisticsSummarySchema,
  PairingClaimResponseSchema,
  PairingCodeIssuedSchema,
  type DeviceRole,
  type DeviceView,
  type HelpRequestView,
  type HubEvent,
  type HubStatisticsSummary,
  type PairingClaimResponse,
  type PairingCodeIssued,
} from '../../shared/hub-api';

export type HubProblem =
  /** No answer at all: the hub is down, or this device is not on its network. */
  | { readonly kind: 'unreachable' }
  /** 401: no credential, or one the hub no longer knows (the device was removed). */
  | { readonly kind: 'unauthorized' }
  /** The hub answered with an error: 400, 403, 404, 409, 410, 429, 5xx… */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string }
  /** The hub answered something this dashboard does not understand (another version?). */
  | { readonly kind: 'unexpected'; readonly status: number };

export type HubResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: HubProblem };

export interface ExportedFile {
  readonly fileName: string;
  readonly mediaType: string;
  readonly content: string;
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface HubEventHandlers {
  onEvent(event: HubEvent): void;
  onConnectionChange(state: ConnectionState): void;
  /** The credential was refused: the stream stops for good. */
  onUnauthorized(): void;
}

export interface EventStreamOptions {
  /** Waits between attempts; the last one repeats. */
  readonly retryDelaysMs?: readonly number[];
  /**
   * A connection that says nothing (no event, no keep-alive comment) for this long is
   * taken as dead and replaced: a phone that changed Wi-Fi access point keeps a
   * half-open connection that never errors.
   */
  readonly silenceLimitMs?: number;
}

export interface HubEventStream {
  close(): void;
  /** Drops any wait and connects now (the network came back, the page became visible). */
  reconnectNow(): void;
}

export interface StaffHubClient {
  issuePairingCode(role: DeviceRole): Promise<HubResult<PairingCodeIssued>>;
  devices(): Promise<HubResult<DeviceView[]>>;
  revokeDevice(deviceId: string): Promise<HubResult<null>>;
  acknowledge(requestId: string): Promise<HubResult<HelpRequestView | null>>;
  resolve(requestId: string): Promise<HubResult<HelpRequestView | null>>;
  statisticsSummary(period: { readonly from: string; readonly to: string }): Promise<HubResult<HubStatisticsSummary>>;
  exportStatistics(query: { readonly from: string; readonly to: string; readonly format: 'csv' | 'json' }): Promise<HubResult<ExportedFile>>;
  openEvents(handlers: HubEventHandlers, options?: EventStreamOptions): HubEventStream;
}

export interface HubClient {
  /** The hub's origin, e.g. "http://192.168.1.10:8470". */
  readonly origin: string;
  claimPairingCode(claim: { readonly code: string; readonly name: string }): Promise<HubResult<PairingClaimResponse>>;
  withCredential(token: string): StaffHubClient;
}

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000];
/** The hub sends something at least every 20 s (a keep-alive comment); three times that is a dead line. */
export const DEFAULT_SILENCE_LIMIT_MS = 60_000;

/** GET /devices answers the list wrapped in an object, so it can grow fields later. */
const DeviceListSchema = z.object({ devices: z.array(DeviceViewSchema) }).strict().transform((answer) => answer.devices);

async function problemOf(response: Response): Promise<HubProblem> {
  if (response.status === 401) return { kind: 'unauthorized' };
  const body: unknown = await response.json().catch(() => null);
  const parsed = HubErrorSchema.safeParse(body);
  if (!parsed.success) return { kind: 'refused', status: response.status, code: 'unknown', message: response.statusText };
  return { kind: 'refused', status: response.status, code: parsed.data.error.code, message: parsed.data.error.message };
}

async function send(fetcher: Fetcher, url: string, init: RequestInit): Promise<HubResult<Response>> {
  let response: Response;
  try {
    response = await fetcher(url, { cache: 'no-store', ...init });
  } catch {
    return { ok: false, problem: { kind: 'unreachable' } };
  }
  if (!response.ok) return { ok: false, problem: await problemOf(response) };
  return { ok: true, value: response };
}

async function jsonAnswer<T>(fetcher: Fetcher, url: string, init: RequestInit, schema: z.ZodType<T>): Promise<HubResult<T>> {
  const sent = await send(fetcher, url, init);
  if (!sent.ok) return sent;
  const body: unknown = await sent.value.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: { kind: 'unexpected', status: sent.value.status } };
}

/** `attachment; filename="epn-hub-2025-03-01.csv"` → the file name, when there is a safe one. */
export function fileNameOf(contentDisposition: string | null): string | null {
  if (contentDisposition === null) return null;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition)?.[1];
  let name: string | undefined;
  if (encoded !== undefined) {
    try {
      name = decodeURIComponent(encoded.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"([^"]*)"/i.exec(contentDisposition)?.[1] ?? /filename\s*=\s*([^;\s]+)/i.exec(contentDisposition)?.[1];
  if (name === undefined) return null;
  // A name only: never a path the browser could be asked to write elsewhere.
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base === '' || base === '.' || base === '..' ? null : base;
}

export function createHubClient(origin: string, fetcher: Fetcher = (input, init) => fetch(input, init)): HubClient {
  const api = (path: string) => `${origin}${HUB_API_PREFIX}${path}`;
  const jsonBody = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    origin,
    claimPairingCode: (claim) => jsonAnswer(fetcher, api('/pairing'), jsonBody(claim), PairingClaimResponseSchema),
    withCredential(token) {
      const authorization = { authorization: `Bearer ${token}` };
      const withAuthorization = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...authorization } });
      const transition = async (requestId: string, action: 'acknowledge' | 'resolve'): Promise<HubResult<HelpRequestView | null>> => {
        const sent = await send(fetcher, api(`/help-requests/${encodeURIComponent(requestId)}/${action}`), withAuthorization({ method: 'POST' }));
        if (!sent.ok) return sent;
        // The request as it now stands; should it not parse, the live stream brings it anyway.
        const parsed = HelpRequestViewSchema.safeParse(await sent.value.json().catch(() => undefined));
        return { ok: true, value: parsed.success ? parsed.data : null };
      };
      const period = (query: Record<string, string>) => new URLSearchParams(query).toString();

      return {
        issuePairingCode: (role) => jsonAnswer(fetcher, api('/pairing-codes'), withAuthorization(jsonBody({ role })), PairingCodeIssuedSchema),
        devices: () => jsonAnswer(fetcher, api('/devices'), withAuthorization(), DeviceListSchema),
        async revokeDevice(deviceId) {
          const sent = await send(fetcher, api(`/devices/${encodeURIComponent(deviceId)}`), withAuthorization({ method: 'DELETE' }));
          return sent.ok ? { ok: true, value: null } : sent;
        },
        acknowledge: (requestId) => transition(requestId, 'acknowledge'),
        resolve: (requestId) => transition(requestId, 'resolve'),
        statisticsSummary: ({ from, to }) =>
          jsonAnswer(fetcher, api(`/statistics/summary?${period({ from, to, groupBy: 'day' })}`), withAuthorization(), HubStatisticsSummarySchema),
        async exportStatistics({ from, to, format }) {
          const sent = await send(fetcher, api(`/statistics/export?${period({ from, to, format })}`), withAuthorization());
          if (!sent.ok) return sent;
          const response = sent.value;
          let content: string;
          try {
            content = await response.text();
          } catch {
            return { ok: false, problem: { kind: 'unreachable' } };
          }
          const mediaType = response.headers.get('content-type') ?? (format === 'csv' ? 'text/csv' : 'application/json');
          const fileName = fileNameOf(response.headers.get('content-disposition')) ?? `epn-statistics-${from}-${to}.${format}`;
          return { ok: true, value: { fileName, mediaType, content } };
        },
        openEvents: (handlers, options) => openEventStream(fetcher, api('/events'), authorization, handlers, options),
      };
    },
  };
}

/* ---------- The live stream ---------- */

export interface ServerSentMessage {
  readonly event: string;
  readonly data: string;
}

/**
 * Reads the text/event-stream format as it arrives in pieces (a piece may end in the
 * middle of a line, or between the two characters of a CRLF), following the WHATWG
 * rules: `event:` and `data:` fields, comments, a blank line ends a message.
 */
export function createServerSentEventReader(onMessage: (message: ServerSentMessage) => void): { push(text: string): void } {
  let buffer = '';
  let eventType = '';
  let data: string[] = [];
  let skipLeadingLineFeed = false;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: eventType === '' ? 'message' : eventType, data: data.join('\n') });
      eventType = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventType = value;
    else if (field === 'data') data.push(value);
  };

  return {
    push(text) {
      let chunk = text;
      if (skipLeadingLineFeed && chunk.startsWith('\n')) chunk = chunk.slice(1);
      skipLeadingLineFeed = false;
      buffer += chunk;
      for (;;) {
        const end = buffer.search(/[\r\n]/);
        if (end === -1) break;
        const completed = buffer.slice(0, end);
        if (buffer[end] === '\r') {
          if (end + 1 === buffer.length) {
            skipLeadingLineFeed = true;
            buffer = '';
          } else {
            buffer = buffer.slice(buffer[end + 1] === '\n' ? end + 2 : end + 1);
          }
        } else {
          buffer = buffer.slice(end + 1);
        }
        line(completed);
      }
    },
  };
}

function openEventStream(
  fetcher: Fetcher,
  url: string,
  authorization: Readonly<Record<string, string>>,
  handlers: HubEventHandlers,
  options: EventStreamOptions = {},
): HubEventStream {
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const silenceLimit = options.silenceLimitMs ?? DEFAULT_SILENCE_LIMIT_MS;
  let closed = false;
  let failures = 0;
  let everLive = false;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let state: ConnectionState | null = null;

  const announce = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    handlers.onConnectionChange(next);
  };

  const stopWaiting = () => {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
  };
  const scheduleRetry = () => {
    if (closed) return;
    announce(everLive ? 'reconnecting' : 'connecting');
    const delay = retryDelays[Math.min(failures, retryDelays.length - 1)] ?? 1_000;
    failures += 1;
    stopWaiting();
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
  };

  const connect = async () => {
    if (closed) return;
    const attempt = new AbortController();
    controller = attempt;
    let silenceTimer: ReturnType<typeof setTimeout> | null = null;
    const stopSilenceWatch = () => {
      if (silenceTimer !== null) clearTimeout(silenceTimer);
      silenceTimer = null;
    };
    const watchSilence = () => {
      stopSilenceWatch();
      silenceTimer = setTimeout(() => attempt.abort(), silenceLimit);
    };
    let response: Response;
    try {
      watchSilence();
      response = await fetcher(url, { headers: { ...authorization, accept: 'text/event-stream' }, cache: 'no-store', signal: attempt.signal });
    } catch {
      stopSilenceWatch();
      if (controller === attempt) scheduleRetry();
      return;
    }
    if (closed || controller !== attempt) {
      stopSilenceWatch();
      attempt.abort();
      return;
    }
    if (response.status === 401) {
      stopSilenceWatch();
      closed = true;
      handlers.onUnauthorized();
      return;
    }
    if (!response.ok || response.body === null) {
      stopSilenceWatch();
      await response.body?.cancel().catch(() => undefined);
      scheduleRetry();
      return;
    }

    const reader = createServerSentEventReader((message) => {
      let parsed: ReturnType<typeof HubEventSchema.safeParse>;
      try {
        parsed = HubEventSchema.safeParse(JSON.parse(message.data));
      } catch {
        return;
      }
      // An event this version does not know is skipped, not fatal: the next snapshot is the truth.
      if (!parsed.success || closed || controller !== attempt) return;
      if (parsed.data.type === 'snapshot') {
        failures = 0;
        everLive = true;
        announce('live');
      }
      handlers.onEvent(parsed.data);
    });
    const decoder = new TextDecoder();
    const body = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await body.read();
        if (done) break;
        watchSilence();
        reader.push(decoder.decode(value, { stream: true }));
        if (closed || controller !== attempt) break;
      }
    } catch {
      // Aborted, or the connection broke: either way, a new one follows.
    } finally {
      stopSilenceWatch();
      body.cancel().catch(() => undefined);
    }
    if (!closed && controller === attempt) scheduleRetry();
  };

  announce('connecting');
  void connect();

  return {
    close() {
      closed = true;
      stopWaiting();
      controller?.abort();
    },
    reconnectNow() {
      if (closed) return;
      if (retryTimer === null && state === 'live') return;
      stopWaiting();
      controller?.abort();
      controller = null;
      failures = 0;
      void connect();
    },
  };
}
