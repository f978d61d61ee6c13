/**
 * The EPN hub's HTTP server: help calls from kiosks to helpers' dashboards, pairing of
 * devices, and the kiosks' anonymous daily statistics. It runs headless (`npm run hub`)
 * or inside the kiosk app on the staff PC, on the one address the configuration names.
 *
 *   /api/v1/…        the API (hub-openapi.ts lists every route; GET /api/v1/openapi.json serves it)
 *   /dashboard/…     the staff dashboard, built into dist/dashboard
 *   /                redirects to /dashboard/
 *
 * Security, in the order a request meets it: a request from a page of another origin is
 * refused (403) before anything else; an address that recently sent too many wrong
 * credentials is refused (429) even with a right one; the bearer credential is checked
 * (401) and its kind (403); each device has a request budget per minute (429); the body
 * must be JSON (415), small (413) and match its strict schema (400, naming the field).
 * No CORS headers are ever sent. Every answer that refuses is HubError JSON.
 *
 * Nothing an answer reports is lost by a restart: the store commits before the answer
 * goes out, and dashboards get a fresh snapshot when they reconnect.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import { formatFieldPath } from '../../shared/config/schema';
import {
  CreateHelpRequestSchema,
  CreatePairingCodeRequestSchema,
  DEVICE_PAIRING_CODE_MINUTES,
  HEARTBEAT_SECONDS,
  HUB_API_PREFIX,
  HUB_API_VERSION,
  HeartbeatRequestSchema,
  HelpRequestPollQuerySchema,
  HubIdSchema,
  HubRoleSchema,
  HubStatisticsExportQuerySchema,
  HubStatisticsQuerySchema,
  LONG_POLL_SECONDS,
  PairingClaimRequestSchema,
  STAFF_PAIRING_CODE_MINUTES,
  SiteNameSchema,
  StatisticsUploadSchema,
  type DeviceRole,
  type DeviceView,
  type HelpRequestView,
  type HubError,
  type HubEvent,
  type HubInfo,
  type HubRole,
  type HubStatisticsSummary,
  type KioskView,
  type PairingClaimResponse,
  type PairingCodeIssued,
} from '../../shared/hub-api';
import { eachDay, isoWeekOf } from '../../shared/statistics/calendar';
import { emptyDailyFigures, type DailyFigures } from '../../shared/statistics/daily-figures';
import { buildStatisticsExport, csvText, CSV_HEADER, exportCsvRows, exportToJson } from '../../shared/statistics/export-format';
import { DateRangeSchema } from '../../shared/statistics/period';
import { sumOfSameDay } from '../../shared/statistics/same-day-sum';
import { SuppressionThresholdSchema, suppressCounts, type PublishedDailyFigures } from '../../shared/statistics/suppression';
import { bearerTokenOf, roleRefusal, unauthenticatedMessage, type RouteAccess } from './hub-auth';
import { eventChunk, HelpRequestWaiters, HubEventStreams } from './hub-events';
import { HUB_ERROR_CODES, hubOpenApiJson, type HubErrorCode } from './hub-openapi';
import { fileNamePart } from '../services/file-name-part';
import { API_CONTENT_SECURITY_POLICY, RequestBodyError, SECURITY_HEADERS, parseJsonBody } from '../services/http-hardening';
import { openHubStore, type HelpTransition, type HubStore, type KioskDays, type StoredDevice } from './hub-store';

export interface HubLimits {
  /** Largest request body, except statistics uploads. */
  readonly bodyBytes: number;
  /** Largest statistics upload (MAX_UPLOAD_DAYS days of figures). */
  readonly uploadBodyBytes: number;
  readonly requestsPerMinutePerDevice: number;
  readonly pairingAttemptsPerMinutePerAddress: number;
  /** After this many refused credentials from one address, every request from it is refused for the rest of the minute. */
  readonly failedAuthPerMinutePerAddress: number;
  readonly maxEventStreams: number;
}

/**
 * A kiosk sends 6 heartbeats and a few long polls a minute, a dashboard a handful of
 * clicks; 600 leaves room for bursts. Ten pairing attempts a minute let a room of PCs be
 * paired one after another by hand while making guessing an 8-letter code hopeless.
 */
export const DEFAULT_HUB_LIMITS: HubLimits = {
  bodyBytes: 16 * 1024,
  uploadBodyBytes: 2 * 1024 * 1024,
  requestsPerMinutePerDevice: 600,
  pairingAttemptsPerMinutePerAddress: 10,
  failedAuthPerMinutePerAddress: 20,
  maxEventStreams: 200,
};

export interface HubServerOptions {
  readonly dataDir: string;
  /** An IP address to bind, already resolved (the CLI resolves interface names). */
  readonly host: string;
  /** 0 lets the system choose. */
  readonly port: number;
  readonly role: HubRole;
  readonly site: string;
  /** Smallest count the hub's statistics and exports show (default 3, like kiosks). */
  readonly suppressionThreshold?: number;
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** The built dashboard (index.html, assets/); default <repo>/dist/dashboard. When missing, /dashboard/ answers 503 saying to run "npm run build:dashboard". */
  readonly dashboardDir?: string;
  readonly now?: () => number;
  readonly nativeBinding?: string;
  readonly limits?: Partial<HubLimits>;
  readonly log?: (line: string) => void;
}

/** A route the server answers, as fastify registered it ("/api/v1/help-requests/:id"). */
export interface HubRoute {
  readonly method: string;
  readonly url: string;
}

export interface HubServer {
  /** For example "http://127.0.0.1:8470", no trailing slash; https:// with tls. */
  readonly url: string;
  readonly port: number;
  readonly store: HubStore;
  /** Every route registered, for the check that the OpenAPI document lists exactly these. */
  readonly routes: readonly HubRoute[];
  /** A pairing code as POST /pairing-codes makes one (the CLI prints one for the first staff device). */
  issuePairingCode(role: DeviceRole): PairingCodeIssued;
  /** Called after statistics were stored (the upstream forwarder listens). Returns the unsubscribe function. */
  onStatisticsStored(listener: () => void): () => void;
  close(): Promise<void>;
}

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dist/dashboard/', import.meta.url));

export const DEFAULT_SUPPRESSION_THRESHOLD = 3;
/** Kiosk and hub codes pair a whole room of PCs in one go. */
export const DEVICE_PAIRING_CODE_USES = 100;
/** Keeps idle event streams open through proxies and phones' network stacks. */
export const EVENT_STREAM_KEEP_ALIVE_MS = 15_000;
/** How often the hub looks for kiosks that went silent, to tell dashboards they are offline. */
export const OFFLINE_CHECK_MS = 2_000;

const MINUTE_MS = 60_000;

export const DASHBOARD_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const API_HEADERS = { ...SECURITY_HEADERS, 'content-security-policy': API_CONTENT_SECURITY_POLICY, 'cache-control': 'no-store' } as const;

/* ---------- Refusals ---------- */

/** A refusal a handler or hook throws; the error handler answers it as HubError JSON. */
class HubRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = HUB_ERROR_CODES[code];
  }
}


function hubError(code: HubErrorCode, message: string): HubError {
  return { error: { code, message } };
}

interface RequestErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
}

interface Answer {
  readonly status: number;
  readonly body: HubError;
  readonly headers: Readonly<Record<string, string>>;
}

/** What fastify or a handler refused, as the HubError a client gets. */
function describeError(error: unknown, request: FastifyRequest, defaultBodyLimit: number): Answer {
  if (error instanceof HubRefusal) return { status: error.status, body: hubError(error.code, error.message), headers: error.headers };
  if (error instanceof RequestBodyError) return { status: 400, body: hubError('invalid-request', error.message), headers: {} };
  const { code, statusCode, message } = (typeof error === 'object' && error !== null ? error : {}) as RequestErrorLike;
  const text = typeof message === 'string' ? message : String(error);
  const answer = (errorCode: HubErrorCode, errorMessage: string): Answer => ({ status: HUB_ERROR_CODES[errorCode], body: hubError(errorCode, errorMessage), headers: {} });
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions?.bodyLimit ?? defaultBodyLimit;
      return answer('body-too-large', `the request body is larger than ${limit} bytes, the most this request takes${request.url.includes('/statistics/uploads') ? ': send fewer days per upload' : ''}`);
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const received = request.headers['content-type'];
      const what = received === undefined ? 'none' : `"${String(received).slice(0, 80)}"`;
      return answer('unsupported-media-type', `the request body must be JSON sent with "Content-Type: application/json" (this request's Content-Type: ${what})`);
    }
    case 'FST_ERR_BAD_URL':
      return answer('invalid-request', 'the address has a broken percent-escape (such as "%E0%A4%A")');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return answer('not-found', 'a part of the address is far too long to name anything on this hub');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return answer('invalid-request', 'the request body does not match its Content-Length');
    default:
      break;
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: hubError('invalid-request', `the request was refused: ${text.slice(0, 300)}`), headers: {} };
  }
  return answer('internal', `the hub could not answer: ${text.slice(0, 300)}`);
}

/* ---------- Validation ---------- */

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const MAX_ISSUES_SHOWN = 3;
/** Issues that, for a field absent from the request, mean it is missing. */
const MISSING_VALUE_ISSUES = new Set<string>(['invalid_type', 'invalid_value', 'invalid_union']);

/** "days[3].sessions: must be a whole number"; several problems joined with "; ". */
function issuesText(issues: readonly z.core.$ZodIssue[], input: unknown, what: 'field' | 'query parameter' | 'address part'): string {
  const texts = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((key) => formatFieldPath([...issue.path, key]));
      return `${names.join(', ')}: ${names.length > 1 ? `are not ${what}s` : `is not a ${what}`} of this request: remove ${names.length > 1 ? 'them' : 'it'} or check the spelling`;
    }
    const field = formatFieldPath(issue.path) || 'the request';
    const missing = MISSING_VALUE_ISSUES.has(issue.code) && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    return missing ? `${field}: is missing; it ${issue.message}` : `${field}: ${issue.message}`;
  });
  if (issues.length > MAX_ISSUES_SHOWN) texts.push(`and ${issues.length - MAX_ISSUES_SHOWN} more problems`);
  return texts.join('; ');
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined) throw new HubRefusal('invalid-request', 'this request needs a JSON body (Content-Type: application/json): see /api/v1/openapi.json for its fields');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HubRefusal('invalid-request', 'the request body must be a JSON object: see /api/v1/openapi.json for its fields');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HubRefusal('invalid-request', issuesText(parsed.error.issues, body, 'field'));
  return parsed.data;
}

function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse({ ...(query as object) });
  if (!parsed.success) throw new HubRefusal('invalid-request', issuesText(parsed.error.issues, query, 'query parameter'));
  return parsed.data;
}

const IdParamsSchema = z.object({ id: HubIdSchema }).strict();
const NoQuerySchema = z.object({}).strict();
const DeviceIdParamsSchema = z.object({ deviceId: HubIdSchema }).strict();

function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse({ ...(params as object) });
  if (!parsed.success) throw new HubRefusal('invalid-request', issuesText(parsed.error.issues, params, 'address part'));
  return parsed.data;
}

/** Transitions and cancellations carry nothing: no body, or `{}`. */
function requireNoBody(body: unknown): void {
  if (body === undefined) return;
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0) return;
  throw new HubRefusal('invalid-request', 'this request takes no body: send none, or {}');
}

/** A period the statistics answer for: from ≤ to, at most three years. */
function checkPeriod(from: string, to: string): void {
  const checked = DateRangeSchema.safeParse({ from, to });
  if (!checked.success) throw new HubRefusal('invalid-request', issuesText(checked.error.issues, { from, to }, 'query parameter'));
}

/* ---------- Small pieces ---------- */

function hostForUrl(host: string): string {
  // IPv6 literals go in brackets; a link-local address's zone ("%eth0") is escaped in a URL.
  return host.includes(':') ? `[${host.replace('%', '%25')}]` : host;
}

function listenErrorMessage(error: unknown, host: string, port: number): string | null {
  const code = (error as { code?: unknown }).code;
  const where = `${hostForUrl(host)} port ${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `the hub cannot listen on ${where}: another program (or another hub) already uses this port. Stop it, or choose another port in the hub settings (or with --port)`;
    case 'EADDRNOTAVAIL':
      return `the hub cannot listen on ${where}: ${host} is not an address of this computer (any more). Check that the network cable or Wi-Fi is connected, or name another address or interface in the hub settings (or with --listen)`;
    case 'EACCES':
      return `the hub cannot listen on ${where}: this account may not use that port. Choose a port above 1023 in the hub settings (or with --port)`;
    default:
      return null;
  }
}


function exportFileName(site: string, from: string, to: string, format: 'csv' | 'json'): string {
  const parts = ['epn-hub', fileNamePart(site), from, to].filter((part) => part !== '');
  return `${parts.join('-')}.${format}`;
}

function deviceView(device: StoredDevice): DeviceView {
  return { deviceId: device.deviceId, role: device.role, name: device.name, site: device.site, pairedAt: device.pairedAt, lastSeenAt: device.lastSeenAt };
}

/** Whether a dashboard would show the kiosk differently (a newer lastSeenAt alone is not news). */
function kioskViewChanged(before: KioskView | undefined, after: KioskView): boolean {
  return before === undefined || before.online !== after.online || before.activity !== after.activity || before.name !== after.name || before.site !== after.site;
}

const FINAL_STATES = new Set<HelpRequestView['state']>(['resolved', 'cancelled']);

const TRANSITION_WORDS: Record<HelpTransition, string> = { acknowledge: 'acknowledged', resolve: 'resolved', cancel: 'cancelled' };

const PAIRING_REFUSALS = {
  unknown: ['pairing-code-unknown', 'this pairing code is not known to this hub (mistyped, or made by another hub): ask for a new code on the staff dashboard'],
  expired: ['pairing-code-expired', 'this pairing code has expired: ask for a new code on the staff dashboard'],
  'used-up': ['pairing-code-used-up', 'this pairing code has already been used as many times as it may: ask for a new code on the staff dashboard'],
  'kiosk-id-required': ['invalid-request', 'kioskId: is missing; a kiosk pairs with its statistics identifier (32 hexadecimal digits)'],
  'kiosk-id-refused': ['invalid-request', 'kioskId: only kiosks send one, and this is not a kiosk pairing code'],
} as const satisfies Record<string, readonly [HubErrorCode, string]>;

function checkedLimits(partial: Partial<HubLimits> | undefined): HubLimits {
  const limits = { ...DEFAULT_HUB_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`hub limit ${name} must be a whole number of 1 or more, not ${String(value)}`);
  }
  return limits;
}

function checkedOption<S extends z.ZodType>(name: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RangeError(`the hub's ${name} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

/* ---------- The server ---------- */

export async function startHub(options: HubServerOptions): Promise<HubServer> {
  const role = checkedOption('role', HubRoleSchema, options.role);
  const site = checkedOption('site', SiteNameSchema, options.site);
  const threshold = checkedOption('suppression threshold', SuppressionThresholdSchema, options.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD);
  const limits = checkedLimits(options.limits);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const dashboardDir = options.dashboardDir ?? DEFAULT_DASHBOARD_DIR;
  const scheme = options.tls ? 'https' : 'http';

  mkdirSync(options.dataDir, { recursive: true });
  const store = openHubStore({ dataDir: options.dataDir, nativeBinding: options.nativeBinding, now });

  const events = new HubEventStreams({ maxStreams: limits.maxEventStreams });
  const waiters = new HelpRequestWaiters();
  const statisticsListeners = new Set<() => void>();
  const devices = new WeakMap<FastifyRequest, StoredDevice>();
  const routes: HubRoute[] = [];
  /** Long polls waiting, until their answer has gone out: close() lets them answer before it cuts the connections. */
  const pollsAnswering = new Set<Promise<void>>();
  let url = '';
  let closed = false;

  // What dashboards were last told about each kiosk: a heartbeat or the offline check emits only differences.
  const shownKiosks = new Map<string, KioskView>();
  let timers: NodeJS.Timeout[] = [];

  const info = (): HubInfo => ({ apiVersion: HUB_API_VERSION, role, site, serverTime: now() });

  const emitKioskIfChanged = (view: KioskView) => {
    if (!kioskViewChanged(shownKiosks.get(view.deviceId), view)) return;
    shownKiosks.set(view.deviceId, view);
    events.broadcast({ type: 'kiosk', serverTime: now(), kiosk: view });
  };

  const emitHelpRequest = (request: HelpRequestView) => {
    events.broadcast({ type: 'help-request', serverTime: now(), request });
    waiters.notify(request);
  };

  const issuePairingCode = (codeRole: DeviceRole): PairingCodeIssued => {
    const staff = codeRole === 'staff';
    const minutes = staff ? STAFF_PAIRING_CODE_MINUTES : DEVICE_PAIRING_CODE_MINUTES;
    const issued = store.createPairingCode(codeRole, { expiresAt: now() + minutes * MINUTE_MS, maxUses: staff ? 1 : DEVICE_PAIRING_CODE_USES });
    return { code: issued.code, role: issued.role, expiresAt: issued.expiresAt, usesLeft: issued.usesLeft, pairUrl: staff ? `${url}/dashboard/#pair=${issued.code}` : null };
  };

  const serverOptions = {
    logger: false,
    bodyLimit: limits.bodyBytes,
    // At close, every connection goes at once (close() has let the long polls answer first): a client's idle keep-alive connection must not hold a restart back.
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 100 },
    // Addresses the router cannot read never reach the hooks: answer them here, in the same form.
    frameworkErrors: (error: unknown, request: unknown, reply: unknown) => {
      const answer = describeError(error, request as FastifyRequest, limits.bodyBytes);
      return (reply as FastifyReply).code(answer.status).headers({ ...API_HEADERS, ...answer.headers }).send(answer.body);
    },
  };
  const app = (options.tls ? fastify({ ...serverOptions, https: { cert: options.tls.cert, key: options.tls.key } }) : fastify(serverOptions)) as unknown as FastifyInstance;

  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  // JSON only. An empty body is a request without one.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  await app.register(fastifyRateLimit, { global: false });
  const deviceLimiter = app.createRateLimit({ max: limits.requestsPerMinutePerDevice, timeWindow: MINUTE_MS, keyGenerator: (request) => devices.get(request)?.deviceId ?? request.ip });
  const pairingLimiter = app.createRateLimit({ max: limits.pairingAttemptsPerMinutePerAddress, timeWindow: MINUTE_MS });
  const failedAuthLimiter = app.createRateLimit({ max: limits.failedAuthPerMinutePerAddress, timeWindow: MINUTE_MS });

  const tooMany = (message: string, retryAfterSeconds: number) =>
    new HubRefusal('rate-limited', `${message}: wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`, { 'retry-after': String(Math.max(1, retryAfterSeconds)) });

  // A page on the Wi-Fi must not make a helper's browser act on the hub: only the hub's own pages may call it.
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const own = `${scheme}://${request.headers.host ?? ''}`.toLowerCase();
    if (origin.toLowerCase() !== own) {
      throw new HubRefusal('cross-origin', `requests from pages of "${origin.slice(0, 100)}" are refused: only the hub's own dashboard (${own}) may call the hub`);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.startsWith('/dashboard/') && reply.statusCode < 400) {
      reply.header('content-security-policy', DASHBOARD_CONTENT_SECURITY_POLICY);
    } else {
      reply.headers({ 'content-security-policy': API_CONTENT_SECURITY_POLICY, 'cache-control': 'no-store' });
    }
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const answer = describeError(error, request, limits.bodyBytes);
    if (answer.status >= 500) log(`hub error on ${request.method} ${request.url.slice(0, 200)}: ${answer.body.error.message}`);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(hubError('not-found', `there is no ${request.method} ${request.url.slice(0, 200)} on this hub: the API is described at ${HUB_API_PREFIX}/openapi.json`)),
  );

  /** The hook that lets a request through only with a credential of an allowed kind, within its budget. */
  const guard = (access: RouteAccess) => async (request: FastifyRequest) => {
    if (access === 'anyone') return;
    // Checked before the credential: a guesser locked out learns nothing, even from a right guess.
    const failures = await failedAuthLimiter(request, { increment: false });
    if (!failures.isAllowed && failures.remaining === 0) {
      throw tooMany('too many requests with a wrong or missing credential came from this address; a device that keeps being refused needs to be paired again', failures.ttlInSeconds);
    }
    const bearer = bearerTokenOf(request.headers.authorization);
    const device = bearer.ok ? store.authenticate(bearer.token) : null;
    if (device === null) {
      await failedAuthLimiter(request);
      throw new HubRefusal('unauthenticated', unauthenticatedMessage(bearer.ok ? 'unknown' : bearer.reason));
    }
    const refusal = roleRefusal(device.role, access);
    if (refusal !== null) throw new HubRefusal('forbidden', refusal);
    devices.set(request, device);
    store.touchDevice(device.deviceId);
    const budget = await deviceLimiter(request);
    if (!budget.isAllowed && budget.isExceeded) throw tooMany(`this device sent more than ${budget.max} requests in a minute`, budget.ttlInSeconds);
  };

  const deviceOf = (request: FastifyRequest): StoredDevice => {
    const device = devices.get(request);
    if (!device) throw new HubRefusal('unauthenticated', unauthenticatedMessage('missing'));
    return device;
  };

  type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;
  interface ApiRouteOptions {
    readonly bodyLimit?: number;
    /** Replaces the credential check (pairing has its own guard). */
    readonly onRequest?: (request: FastifyRequest) => Promise<void>;
    /** The handler reads the query with its schema; other routes refuse any query parameter. */
    readonly takesQuery?: boolean;
  }
  const api = (method: 'GET' | 'POST' | 'DELETE', path: string, access: RouteAccess, handler: Handler, routeOptions: ApiRouteOptions = {}) => {
    app.route({
      method,
      // Paths are written as the OpenAPI document writes them ("{id}"); fastify's router says ":id".
      url: `${HUB_API_PREFIX}${path.replace(/\{(\w+)\}/g, ':$1')}`,
      exposeHeadRoute: false,
      ...(routeOptions.bodyLimit === undefined ? {} : { bodyLimit: routeOptions.bodyLimit }),
      onRequest: routeOptions.onRequest ?? guard(access),
      handler: async (request, reply) => {
        if (routeOptions.takesQuery !== true) parseQuery(NoQuerySchema, request.query);
        return handler(request, reply);
      },
    });
  };

  /** A help request the device may see: a kiosk only its own; anything else is "not found". */
  const visibleRequest = (id: string, device: StoredDevice): HelpRequestView => {
    const found = store.helpRequest(id);
    if (found === null || (device.role === 'kiosk' && found.kioskDeviceId !== device.deviceId)) {
      throw new HubRefusal('not-found', device.role === 'kiosk' ? `this kiosk has no help request ${id}` : `there is no help request ${id}`);
    }
    return found;
  };

  const transition = (request: FastifyRequest, kind: HelpTransition): HelpRequestView => {
    const device = deviceOf(request);
    const { id } = parseParams(IdParamsSchema, request.params);
    requireNoBody(request.body);
    visibleRequest(id, device);
    const result = store.transitionHelpRequest(id, kind);
    if (!result.ok) {
      if (result.reason === 'not-found') throw new HubRefusal('not-found', `there is no help request ${id}`);
      const state = result.request?.state ?? 'closed';
      throw new HubRefusal('conflict', `this help request is already ${state}, so it cannot be ${TRANSITION_WORDS[kind]} any more${kind === 'cancel' ? '' : ': the dashboard shows the open requests'}`);
    }
    if (result.changed) emitHelpRequest(result.request);
    return result.request;
  };

  /* Hub */

  api('GET', '/info', 'anyone', () => info());

  api('GET', '/openapi.json', 'anyone', (_request, reply) => reply.type('application/json; charset=utf-8').send(hubOpenApiJson()));

  /* Pairing */

  api(
    'POST',
    '/pairing',
    'anyone',
    (request, reply) => {
      const body = parseBody(PairingClaimRequestSchema, request.body);
      const claim = store.claimPairingCode(body.code, { name: body.name, site: body.site ?? site, kioskId: body.kioskId ?? null });
      if (!claim.ok) {
        const [code, message] = PAIRING_REFUSALS[claim.reason];
        throw new HubRefusal(code, message);
      }
      const claimedRole = claim.device.role;
      log(`paired ${claimedRole} "${claim.device.name}" (${claim.device.deviceId})`);
      const answer: PairingClaimResponse = { deviceId: claim.device.deviceId, role: claimedRole, token: claim.token, hub: info() };
      return reply.code(201).send(answer);
    },
    {
      onRequest: async (request) => {
        const attempt = await pairingLimiter(request);
        if (!attempt.isAllowed && attempt.isExceeded) throw tooMany(`too many pairing attempts from this address (at most ${attempt.max} a minute)`, attempt.ttlInSeconds);
      },
    },
  );

  api('POST', '/pairing-codes', ['staff'], (request, reply) => {
    const body = parseBody(CreatePairingCodeRequestSchema, request.body);
    return reply.code(201).send(issuePairingCode(body.role));
  });

  api('GET', '/devices', ['staff'], () => ({ devices: store.listDevices().map(deviceView) }));

  api('DELETE', '/devices/{deviceId}', ['staff'], (request, reply) => {
    const device = deviceOf(request);
    const { deviceId } = parseParams(DeviceIdParamsSchema, request.params);
    if (deviceId === device.deviceId) throw new HubRefusal('conflict', 'a staff device cannot revoke itself: revoke it from another staff device, so the hub is never left without one by mistake');
    if (!store.revokeDevice(deviceId)) throw new HubRefusal('not-found', `there is no paired device ${deviceId}`);
    events.closeDevice(deviceId);
    shownKiosks.delete(deviceId);
    log(`revoked device ${deviceId}`);
    return reply.code(204).send();
  });

  /* Kiosks */

  api('POST', '/heartbeat', ['kiosk'], (request) => {
    const device = deviceOf(request);
    const heartbeat = parseBody(HeartbeatRequestSchema, request.body);
    emitKioskIfChanged(store.recordHeartbeat(device.deviceId, heartbeat));
    return { serverTime: now(), heartbeatSeconds: HEARTBEAT_SECONDS };
  });

  api('GET', '/kiosks', ['staff'], () => ({ kiosks: store.listKiosks() }));

  /* Help requests */

  api('POST', '/help-requests', ['kiosk'], (request, reply) => {
    const device = deviceOf(request);
    const body = parseBody(CreateHelpRequestSchema, request.body);
    const { request: created, created: isNew } = store.createHelpRequest(device.deviceId, body);
    if (isNew) emitHelpRequest(created);
    return reply.code(isNew ? 201 : 200).send(created);
  });

  api('GET', '/help-requests', ['staff'], () => ({ requests: store.openHelpRequests() }));

  api(
    'GET',
    '/help-requests/{id}',
    ['kiosk', 'staff'],
    async (request, reply) => {
      const device = deviceOf(request);
      const { id } = parseParams(IdParamsSchema, request.params);
      const { after } = parseQuery(HelpRequestPollQuerySchema, request.query);
      const current = visibleRequest(id, device);
      if (after === undefined || current.revision > after || FINAL_STATES.has(current.state) || closed) return current;
      const wait = waiters.wait(id, after, LONG_POLL_SECONDS * 1000);
      const answered = new Promise<void>((resolve) => reply.raw.once('close', resolve));
      pollsAnswering.add(answered);
      void answered.then(() => pollsAnswering.delete(answered));
      reply.raw.once('close', wait.abandon);
      const outcome = await wait.outcome;
      reply.raw.off('close', wait.abandon);
      // Nobody is listening any more, and the store may be closing: answer without it.
      if (outcome === 'abandoned') return current;
      return store.helpRequest(id) ?? current;
    },
    { takesQuery: true },
  );

  api('POST', '/help-requests/{id}/cancel', ['kiosk'], (request) => transition(request, 'cancel'));
  api('POST', '/help-requests/{id}/acknowledge', ['staff'], (request) => transition(request, 'acknowledge'));
  api('POST', '/help-requests/{id}/resolve', ['staff'], (request) => transition(request, 'resolve'));

  /* Live events */

  api('GET', '/events', ['staff'], (request, reply) => {
    const device = deviceOf(request);
    if (events.full) throw new HubRefusal('too-many-streams', `too many dashboards are connected (${limits.maxEventStreams}): close a dashboard you no longer use, then reload this one`);
    const snapshot: HubEvent = { type: 'snapshot', serverTime: now(), kiosks: store.listKiosks(), requests: store.openHelpRequests() };
    // The stream outlives this handler, so fastify's onSend hook does not see it.
    reply.hijack();
    // The connection serves this stream only: when the hub ends the stream, the connection goes with it.
    events.open(reply.raw, device.deviceId, { ...API_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'close' }, eventChunk(snapshot));
  });

  /* Statistics */

  api(
    'POST',
    '/statistics/uploads',
    ['kiosk', 'hub'],
    (request) => {
      const device = deviceOf(request);
      const upload = parseBody(StatisticsUploadSchema, request.body);
      if (device.role === 'kiosk' && upload.kioskId !== device.kioskId) {
        throw new HubRefusal('forbidden', 'kioskId: a kiosk may upload only its own figures, under the statistics identifier it gave when it was paired');
      }
      const result = store.storeUpload(upload, device.deviceId);
      // After the answer: a listener (the upstream forwarder) never delays a kiosk.
      setImmediate(() => {
        if (closed) return;
        for (const listener of [...statisticsListeners]) {
          try {
            listener();
          } catch (error) {
            log(`a statistics listener failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      });
      return result;
    },
    { bodyLimit: limits.uploadBodyBytes },
  );

  api(
    'GET',
    '/statistics/summary',
    ['staff'],
    (request): HubStatisticsSummary => {
      const query = parseQuery(HubStatisticsQuerySchema, request.query);
      checkPeriod(query.from, query.to);
      const byDay = new Map(store.daySums(query.from, query.to).map((figures) => [figures.day, figures]));
      let sums: DailyFigures[];
      if (query.groupBy === 'day') {
        sums = eachDay(query.from, query.to).map((day) => byDay.get(day) ?? emptyDailyFigures(day));
      } else {
        // One sum per ISO week, dated by the week's first day inside the period.
        const weeks = new Map<string, ReturnType<typeof sumOfSameDay>>();
        for (const day of eachDay(query.from, query.to)) {
          const monday = isoWeekOf(day).monday;
          const first = monday < query.from ? query.from : monday;
          let week = weeks.get(first);
          if (!week) {
            week = sumOfSameDay(first);
            weeks.set(first, week);
          }
          const figures = byDay.get(day);
          if (figures) week.add({ ...figures, day: first });
        }
        sums = [...weeks.values()].map((week) => week.result());
      }
      const days: PublishedDailyFigures[] = sums.map((figures) => suppressCounts(figures, threshold));
      return { from: query.from, to: query.to, kioskCount: store.kioskCount(query.from, query.to), suppressionThreshold: threshold, days };
    },
    { takesQuery: true },
  );

  api(
    'GET',
    '/statistics/export',
    ['staff'],
    (request, reply) => {
      const query = parseQuery(HubStatisticsExportQuerySchema, request.query);
      checkPeriod(query.from, query.to);
      const kioskIds = store.kioskIdsWithDays(query.from, query.to);
      // One kiosk read at a time, when its turn comes: a network hub's year is never in memory at once.
      function* kiosks(): Generator<KioskDays> {
        for (const kioskId of kioskIds) {
          const kiosk = store.kioskDaysOf(kioskId, query.from, query.to);
          if (kiosk !== null) yield kiosk;
        }
      }
      const exportedAt = now();
      const period = { from: query.from, to: query.to };
      const exportOf = (kiosk: KioskDays) => buildStatisticsExport({ kioskId: kiosk.kioskId, kiosk: kiosk.kiosk, exportedAt, period, threshold, days: kiosk.days });
      // Kiosk by kiosk: a network's year is never held as one string.
      const chunks =
        query.format === 'csv'
          ? (function* () {
              yield csvText([[...CSV_HEADER]]);
              for (const kiosk of kiosks()) {
                const rows = exportCsvRows(exportOf(kiosk)).slice(1);
                if (rows.length > 0) yield csvText(rows);
              }
            })()
          : (function* () {
              yield '[';
              let first = true;
              for (const kiosk of kiosks()) {
                yield `${first ? '\n' : ',\n'}${exportToJson(exportOf(kiosk)).trimEnd()}`;
                first = false;
              }
              yield '\n]\n';
            })();
      return reply
        .type(query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(site, query.from, query.to, query.format)}"`)
        .send(Readable.from(chunks));
    },
    { takesQuery: true },
  );

  /* The dashboard */

  app.get('/', (_request, reply) => reply.redirect('/dashboard/', 302));

  if (existsSync(join(dashboardDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: dashboardDir, prefix: '/dashboard/', index: 'index.html', dotfiles: 'deny', redirect: true, wildcard: true });
  } else {
    const notBuilt = () => {
      throw new HubRefusal('unavailable', `the staff dashboard is not built (${join(dashboardDir, 'index.html')} is missing): run "npm run build:dashboard", then restart the hub`);
    };
    app.get('/dashboard', notBuilt);
    app.get('/dashboard/*', notBuilt);
  }

  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close().catch(() => {});
    store.close();
    const message = listenErrorMessage(error, options.host, options.port);
    throw message === null ? error : new Error(message, { cause: error });
  }
  const port = (app.server.address() as AddressInfo).port;
  // The server's close callback comes before its connections are really closed: close() waits for them,
  // so that a hub started again on the same port right after never shares clients with this one.
  const openSockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    openSockets.add(socket);
    socket.once('close', () => openSockets.delete(socket));
  });
  url = `${scheme}://${hostForUrl(options.host)}:${port}`;

  for (const kiosk of store.listKiosks()) shownKiosks.set(kiosk.deviceId, kiosk);
  timers = [
    setInterval(() => events.keepAlive(), EVENT_STREAM_KEEP_ALIVE_MS),
    setInterval(() => {
      try {
        for (const kiosk of store.listKiosks()) emitKioskIfChanged(kiosk);
      } catch (error) {
        log(`the offline check failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, OFFLINE_CHECK_MS),
  ];
  for (const timer of timers) timer.unref();
  log(`hub (${role}${site === '' ? '' : `, ${site}`}) listening on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    routes,
    issuePairingCode,
    onStatisticsStored(listener) {
      statisticsListeners.add(listener);
      return () => {
        statisticsListeners.delete(listener);
      };
    },
    close() {
      closing ??= (async () => {
        closed = true;
        for (const timer of timers) clearInterval(timer);
        events.closeAll();
        // Kiosks waiting on their request get it as it is now, before the store goes.
        waiters.releaseAll();
        await Promise.all(pollsAnswering);
        await app.close();
        await Promise.all([...openSockets].map((socket) => new Promise((resolve) => socket.once('close', resolve))));
        store.close();
      })();
      return closing;
    },
  };
}
