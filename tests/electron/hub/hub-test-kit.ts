/**
 * A real hub for tests: startHub on 127.0.0.1, a system-chosen port, a fresh temporary
 * data folder (a real hub.sqlite), a tiny dashboard folder and a manual clock; devices
 * paired through the real POST /pairing; plain fetch for requests and a small reader of
 * the event stream. Shared by the hub's tests and by other engineers' hub-related tests.
 *
 *   const kit = await startTestHub();
 *   const staff = await kit.pair('staff');
 *   const kiosk = await kit.pair('kiosk');
 *   const answer = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody() });
 *   await kit.close();                          // also removes the folders
 *
 * Pairing goes through the real rate limit (10 claims a minute per address by default):
 * a test that pairs more devices passes `limits: { pairingAttemptsPerMinutePerAddress: … }`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, type HubServer, type HubServerOptions } from '../../../electron/hub/hub-server';
import { HUB_API_PREFIX, HubEventSchema, type CreateHelpRequest, type DeviceRole, type HeartbeatRequest, type HubEvent, type PairingClaimResponse } from '../../../shared/hub-api';
import { ManualClock } from '../../support/manual-clock';

export const TEST_DASHBOARD_HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dashboard test</title></head><body><h1>Dashboard test</h1></body></html>';

/** 32 random lowercase hexadecimal digits: a kioskId or a clientRequestId. */
export function randomHexId(): string {
  return randomBytes(16).toString('hex');
}

export interface PairedDevice {
  readonly deviceId: string;
  readonly role: DeviceRole;
  readonly token: string;
  readonly name: string;
  /** Kiosks: the statistics id they paired with. */
  readonly kioskId: string | null;
}

export interface TestHubOptions extends Partial<Omit<HubServerOptions, 'host' | 'now'>> {
  /** The clock the hub reads (default: a new ManualClock at 2025-01-06 09:00 UTC). */
  readonly clock?: ManualClock;
}

export interface TestHub {
  /** The running hub; a new object after restart(). */
  readonly hub: HubServer;
  /** "http://127.0.0.1:<port>" */
  readonly url: string;
  readonly dataDir: string;
  readonly dashboardDir: string;
  readonly clock: ManualClock;
  /** Every line the hub logged, across restarts. */
  readonly log: readonly string[];
  /** Pairs a device through POST /pairing with a code the hub issues. */
  pair(role: DeviceRole, device?: { readonly name?: string; readonly kioskId?: string; readonly site?: string }): Promise<PairedDevice>;
  /** Closes the hub and starts it again on the same data folder and port. */
  restart(): Promise<void>;
  /** Closes the hub (if running) and removes the temporary folders. */
  close(): Promise<void>;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'epn-hub-test-'));
  const ownDashboardDir = options.dashboardDir === undefined;
  const dashboardDir = options.dashboardDir ?? mkdtempSync(join(tmpdir(), 'epn-hub-dashboard-'));
  if (ownDashboardDir) writeFileSync(join(dashboardDir, 'index.html'), TEST_DASHBOARD_HTML);
  const clock = options.clock ?? new ManualClock();
  const log: string[] = [];
  const { clock: _clock, ...hubOptions } = options;
  const start = (port: number) =>
    startHub({ role: 'epn', site: 'EPN test', ...hubOptions, dataDir, dashboardDir, host: '127.0.0.1', port, now: () => clock.now(), log: (line) => log.push(line) });

  let hub: HubServer | null = await start(options.port ?? 0);
  let deviceCount = 0;
  const running = () => {
    if (hub === null) throw new Error('the test hub is closed');
    return hub;
  };

  return {
    get hub() {
      return running();
    },
    get url() {
      return running().url;
    },
    dataDir,
    dashboardDir,
    clock,
    log,
    async pair(role, device = {}) {
      deviceCount += 1;
      const issued = running().issuePairingCode(role);
      const name = device.name ?? `${role} ${deviceCount}`;
      const kioskId = role === 'kiosk' ? (device.kioskId ?? randomHexId()) : null;
      const answer = await hubFetch<PairingClaimResponse>(running().url, '/pairing', {
        json: { code: issued.code, name, ...(kioskId === null ? {} : { kioskId }), ...(device.site === undefined ? {} : { site: device.site }) },
      });
      if (answer.status !== 201) throw new Error(`pairing a ${role} failed: ${answer.status} ${answer.text}`);
      return { deviceId: answer.body.deviceId, role, token: answer.body.token, name, kioskId };
    },
    async restart() {
      const port = running().port;
      await running().close();
      hub = null;
      // One turn of the event loop lets fetch see its keep-alive connections closed; a restart
      // in the same turn would send the next request down a connection the old hub closed.
      await new Promise((resolve) => setImmediate(resolve));
      hub = await start(port);
    },
    async close() {
      await hub?.close();
      hub = null;
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      if (ownDashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
    },
  };
}

export interface HubAnswer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The JSON answer (undefined when the answer is not JSON). */
  readonly body: T;
}

export interface HubFetchOptions {
  readonly method?: string;
  /** Sent as "Authorization: Bearer <token>". */
  readonly token?: string;
  /** Sent as JSON with "Content-Type: application/json". */
  readonly json?: unknown;
  /** A raw body, sent as it is (with the headers given). */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A request to the hub. `path` is below /api/v1 ("/help-requests"), except "/",
 * "/dashboard…" and "/api/…", which are taken from the root. The method is POST when a
 * body is given, else GET; redirects are not followed.
 */
export async function hubFetch<T = unknown>(hubUrl: string, path: string, options: HubFetchOptions = {}): Promise<HubAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const target = path.startsWith('/api/') || path.startsWith('/dashboard') || path === '/' ? `${hubUrl}${path}` : `${hubUrl}${HUB_API_PREFIX}${path}`;
  const response = await fetch(target, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

/** A valid POST /help-requests body, with a fresh clientRequestId unless given. */
export function helpRequestBody(overrides: Partial<CreateHelpRequest> = {}): CreateHelpRequest {
  return { clientRequestId: randomHexId(), serviceId: 'tax-on-web', language: 'fr', delayMs: 0, ...overrides };
}

/** A valid POST /heartbeat body. */
export function heartbeatBody(overrides: Partial<HeartbeatRequest> = {}): HeartbeatRequest {
  return { name: 'PC 3', site: 'EPN test', activity: 'free', appVersion: '0.1.0', ...overrides };
}

/**
 * A dashboard's view of GET /api/v1/events, read with fetch() streaming and the
 * Authorization header as the real dashboard does. Events are checked against
 * HubEventSchema as they arrive.
 */
export class HubEventReader {
  readonly #events: HubEvent[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly #abort = new AbortController();
  #ended = false;
  #failure: Error | null = null;
  /** Comment lines seen (the keep-alive). */
  comments = 0;

  private constructor() {}

  /** Opens the stream; resolves once the answer's head has arrived (status 200 expected). */
  static async open(hubUrl: string, token: string): Promise<HubEventReader> {
    const reader = new HubEventReader();
    const response = await fetch(`${hubUrl}${HUB_API_PREFIX}/events`, { headers: { authorization: `Bearer ${token}` }, signal: reader.#abort.signal });
    if (response.status !== 200 || response.body === null) throw new Error(`the event stream answered ${response.status}: ${await response.text()}`);
    void reader.#read(response.body);
    return reader;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The next event not yet taken that matches, waiting for it if needed; rejects if the stream ends first. */
  async next(matches: (event: HubEvent) => boolean = () => true): Promise<HubEvent> {
    for (;;) {
      const index = this.#events.findIndex(matches);
      if (index !== -1) return this.#events.splice(index, 1)[0]!;
      if (this.#failure) throw this.#failure;
      if (this.#ended) throw new Error('the event stream ended before the event came');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves when the hub ends the stream. */
  async end(): Promise<void> {
    while (!this.#ended) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  close(): void {
    this.#abort.abort();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          this.#take(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#failure = error instanceof Error ? error : new Error(String(error));
    }
    this.#ended = true;
    this.#wake();
  }

  #take(block: string): void {
    let type: string | null = null;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments += 1;
      else if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (data === '') return;
    const event = HubEventSchema.parse(JSON.parse(data));
    if (type !== event.type) throw new Error(`the event line says "${type}" but the data is a ${event.type} event`);
    this.#events.push(event);
    this.#wake();
  }
}
