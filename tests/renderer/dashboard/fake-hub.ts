/**
 * A hub in memory for the dashboard's jsdom tests: a fetch() that answers the routes the
 * dashboard calls, with bodies typed (and checked) against shared/hub-api.ts, and event
 * streams the test feeds one event at a time. The real hub is driven by the Playwright
 * test (tests/e2e/help-dashboard.spec.ts); this one lets a test choose every answer.
 */
import {
  DeviceViewSchema,
  HUB_API_PREFIX,
  HelpRequestViewSchema,
  HubEventSchema,
  HubStatisticsSummarySchema,
  PairingClaimResponseSchema,
  PairingCodeIssuedSchema,
  type DeviceView,
  type HelpRequestView,
  type HubError,
  type HubEvent,
  type HubStatisticsSummary,
  type KioskView,
  type PairingCodeIssued,
} from '../../../shared/hub-api';
import type { Fetcher } from '../../../renderer/dashboard/hub-client';
import type { StoredCredential } from '../../../renderer/dashboard/device-storage';

export const STAFF_TOKEN = `${'a'.repeat(32)}.${'S'.repeat(43)}`;
export const STAFF_DEVICE_ID = 'a'.repeat(32);
export const HUB_ORIGIN = 'http://192.168.1.10:8470';
/** The hub's clock in these tests: Friday 7 March 2025, 10:00 UTC. */
export const HUB_TIME = Date.UTC(2025, 2, 7, 10, 0, 0);

export const STAFF_CREDENTIAL: StoredCredential = { token: STAFF_TOKEN, deviceId: STAFF_DEVICE_ID, role: 'staff', site: 'EPN de Namur', hubRole: 'epn' };

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly body: unknown;
}

type Answer = { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> } | 'network-error';

let idCounter = 0;
/** A fresh hub id (32 hexadecimal digits). */
export function hubId(): string {
  idCounter += 1;
  return idCounter.toString(16).padStart(32, '0');
}

export function kioskView(overrides: Partial<KioskView> = {}): KioskView {
  return { deviceId: hubId(), name: 'PC 1', site: 'EPN de Namur', activity: 'free', online: true, lastSeenAt: HUB_TIME - 5_000, ...overrides };
}

export function helpRequest(overrides: Partial<HelpRequestView> = {}): HelpRequestView {
  return {
    id: hubId(),
    kioskDeviceId: hubId(),
    kioskName: 'PC 1',
    site: 'EPN de Namur',
    serviceId: 'tax-on-web',
    language: 'fr',
    state: 'waiting',
    createdAt: HUB_TIME - 60_000,
    acknowledgedAt: null,
    closedAt: null,
    revision: 1,
    ...overrides,
  };
}

export function hubError(code: string, message = code): HubError {
  return { error: { code, message } };
}

interface OpenStream {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  closed: boolean;
}

export class FakeHub {
  readonly calls: RecordedCall[] = [];
  serverTime = HUB_TIME;
  kiosks: KioskView[] = [];
  requests: HelpRequestView[] = [];
  devices: DeviceView[] = [DeviceViewSchema.parse({ deviceId: STAFF_DEVICE_ID, role: 'staff', name: 'Reception phone', site: 'EPN de Namur', pairedAt: HUB_TIME - 86_400_000, lastSeenAt: HUB_TIME })];
  summary: HubStatisticsSummary | null = null;
  /** What POST /pairing answers (default: a staff credential). */
  pairingAnswer: Answer = {
    status: 201,
    body: PairingClaimResponseSchema.parse({ deviceId: STAFF_DEVICE_ID, role: 'staff', token: STAFF_TOKEN, hub: { apiVersion: 1, role: 'epn', site: 'EPN de Namur', serverTime: HUB_TIME } }),
  };
  /** What GET /events answers: a stream (with a snapshot first), or this answer. */
  eventsAnswer: Answer | 'stream' = 'stream';
  /** Answers by "METHOD /path" that replace the built-in ones. */
  readonly overrides = new Map<string, Answer>();
  readonly #streams: OpenStream[] = [];
  readonly #encoder = new TextEncoder();

  get openStreams(): number {
    return this.#streams.filter((stream) => !stream.closed).length;
  }

  get streamsOpened(): number {
    return this.#streams.length;
  }

  snapshot(): HubEvent {
    return HubEventSchema.parse({ type: 'snapshot', serverTime: this.serverTime, kiosks: this.kiosks, requests: this.requests });
  }

  /** Sends an event to every open stream, as the hub broadcasts it. */
  push(event: HubEvent): void {
    const checked = HubEventSchema.parse(event);
    this.write(`event: ${checked.type}\ndata: ${JSON.stringify(checked)}\n\n`);
  }

  /** Raw text on every open stream (keep-alive comments, broken lines…). */
  write(text: string): void {
    for (const stream of this.#streams) if (!stream.closed) stream.controller.enqueue(this.#encoder.encode(text));
  }

  /** The connection drops (the hub restarted, the Wi-Fi went away). */
  dropStreams(): void {
    for (const stream of this.#streams) {
      if (stream.closed) continue;
      stream.closed = true;
      stream.controller.close();
    }
  }

  readonly fetch: Fetcher = async (input, init = {}) => {
    const url = new URL(input);
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const path = url.pathname.startsWith(HUB_API_PREFIX) ? url.pathname.slice(HUB_API_PREFIX.length) : url.pathname;
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    this.calls.push({ method, path: `${path}${url.search}`, authorization: headers.get('authorization'), body });
    const answer = this.overrides.get(`${method} ${path}`) ?? this.#answer(method, path, url.searchParams, init.signal ?? null);
    if (answer instanceof Response) return answer;
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(answer.body === undefined ? null : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };

  #answer(method: string, path: string, query: URLSearchParams, signal: AbortSignal | null): Answer | Response {
    if (method === 'POST' && path === '/pairing') return this.pairingAnswer;
    if (method === 'GET' && path === '/events') return this.eventsAnswer === 'stream' ? this.#openStream(signal) : this.eventsAnswer;
    if (method === 'POST' && path === '/pairing-codes') {
      const issued: PairingCodeIssued = PairingCodeIssuedSchema.parse({
        code: 'K7QM-RXHP',
        role: 'staff',
        expiresAt: this.serverTime + 10 * 60_000,
        usesLeft: 1,
        pairUrl: `${HUB_ORIGIN}/dashboard/#pair=K7QM-RXHP`,
      });
      return { status: 201, body: issued };
    }
    if (method === 'GET' && path === '/devices') return { status: 200, body: { devices: this.devices } };
    const device = /^\/devices\/([0-9a-f]{32})$/.exec(path);
    if (method === 'DELETE' && device !== null) {
      this.devices = this.devices.filter((candidate) => candidate.deviceId !== device[1]);
      return { status: 204 };
    }
    const transition = /^\/help-requests\/([0-9a-f]{32})\/(acknowledge|resolve)$/.exec(path);
    if (method === 'POST' && transition !== null) {
      const found = this.requests.find((request) => request.id === transition[1]);
      if (found === undefined) return { status: 404, body: hubError('not-found') };
      const changed = HelpRequestViewSchema.parse({
        ...found,
        state: transition[2] === 'acknowledge' ? 'acknowledged' : 'resolved',
        acknowledgedAt: transition[2] === 'acknowledge' ? this.serverTime : found.acknowledgedAt,
        closedAt: transition[2] === 'resolve' ? this.serverTime : null,
        revision: found.revision + 1,
      });
      this.requests = this.requests.map((request) => (request.id === changed.id ? changed : request)).filter((request) => request.state === 'waiting' || request.state === 'acknowledged');
      return { status: 200, body: changed };
    }
    if (method === 'GET' && path === '/statistics/summary') {
      if (this.summary === null) return { status: 500, body: hubError('internal') };
      return { status: 200, body: HubStatisticsSummarySchema.parse({ ...this.summary, from: query.get('from'), to: query.get('to') }) };
    }
    if (method === 'GET' && path === '/statistics/export') {
      const format = query.get('format');
      return {
        status: 200,
        body: format === 'csv' ? 'schema_version,kiosk_id\n' : '[]\n',
        headers: { 'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json', 'content-disposition': `attachment; filename="epn-hub-namur-${query.get('from')}-${query.get('to')}.${format}"` },
      };
    }
    return { status: 404, body: hubError('not-found') };
  }

  #openStream(signal: AbortSignal | null): Response {
    let opened!: OpenStream;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        opened = { controller, closed: false };
      },
      cancel: () => {
        opened.closed = true;
      },
    });
    this.#streams.push(opened);
    signal?.addEventListener('abort', () => {
      if (opened.closed) return;
      opened.closed = true;
      opened.controller.error(new DOMException('aborted', 'AbortError'));
    });
    const first = this.snapshot();
    opened.controller.enqueue(this.#encoder.encode(`event: snapshot\ndata: ${JSON.stringify(first)}\n\n`));
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  }
}
