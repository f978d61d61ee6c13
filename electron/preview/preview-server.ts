/**
 * The browser preview: the kiosk's renderer and main-side services, with the contract
 * carried over HTTP instead of Electron IPC, served on 127.0.0.1 only.
 *
 *   POST /api/contract/<channel>   body {"argument": …} → the envelope of shared/contract.ts
 *   GET  /api/events               server-sent events: `event: <channel>`, `data: <payload JSON>`
 *   GET  /…                        the built renderer (dist/renderer)
 *
 * Any page the visitor's browser shows can send requests to 127.0.0.1, so every request
 * must name this server in its Host header (127.0.0.1:<port> or localhost:<port>, which
 * defeats DNS rebinding) and, when it carries an Origin, come from this server's own
 * origin; otherwise it is refused with 403 and changes nothing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { dispatchContractCall, refusedEnvelope } from '../../shared/contract-dispatch';
import type { ContractEventSink, Envelope, EventChannel, PayloadOf } from '../../shared/contract';
import type { KioskConfig } from '../../shared/config/schema';
import { systemClock, type Clock } from '../services/clock';
import { openConfigStore, type ConfigStore } from '../services/config-store';
import packageJson from '../../package.json' with { type: 'json' };
import { createHelpService, type HelpService } from '../services/help-client';
import { HUB_CREDENTIAL_FILE_NAME, createHubCredentialKeeper } from '../services/hub-credential';
import { startHubHeartbeat } from '../services/hub-heartbeat';
import { createKioskHandlers } from '../services/kiosk-handlers';
import { loadKioskIdentity } from '../services/kiosk-identity';
import { createConfigEditor } from '../services/config-editor';
import { createSessionController, type SessionController } from '../services/session-controller';
import { createStaffMode, type StaffMode } from '../services/staff-mode';
import { openStaffPinStore } from '../services/staff-pin';
import type { UsageLog } from '../services/usage-log';
import { openKioskUsageLog, type UsageStore } from '../services/usage-store';
import { API_CONTENT_SECURITY_POLICY, RequestBodyError, SECURITY_HEADERS, parseJsonBody } from '../services/http-hardening';
import { rendererContentSecurityPolicy } from './preview-csp';
import { PreviewServicePresenter } from './preview-presenter';
import { PreviewVisitorSessions, previewVisitorFiles } from './preview-sessions';

/** A contract call's argument is a few hundred bytes at most. */
export const PREVIEW_BODY_LIMIT_BYTES = 16 * 1024;
/** Browsers keep a handful of event streams open; anything beyond this is a runaway page. */
const MAX_EVENT_STREAMS = 64;
/** Keeps idle event streams open through proxies and sleeping laptops. */
const EVENT_STREAM_HEARTBEAT_MS = 20_000;

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export interface PreviewServerOptions {
  /** 0 lets the system choose a free port. */
  readonly port?: number;
  /** Holds the preview's config.json. Created if missing. */
  readonly dataDir: string;
  /** The built renderer (index.html and assets/). */
  readonly rendererDir?: string;
  /** The system-wide managed configuration: `undefined` for the platform's usual place, `null` for none. */
  readonly managedConfigPath?: string | null;
  /** How long a service's start page has to answer before the preview chooses a new tab. */
  readonly probeTimeoutMs?: number;
  /** The session's clock: tests pass a manual one so the idle warning comes without waiting minutes. */
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

export interface PreviewServer {
  /** Where to open the preview, for example "http://127.0.0.1:4173/". */
  readonly url: string;
  readonly port: number;
  readonly configStore: ConfigStore;
  readonly presenter: PreviewServicePresenter;
  readonly sessions: PreviewVisitorSessions;
  readonly controller: SessionController;
  /** The usage log the session records into. */
  readonly usageLog: UsageLog;
  /** The preview's usage store, `<dataDir>/usage.sqlite`; null when SQLite could not be used (events then stay in memory). */
  readonly usageStore: UsageStore | null;
  /** The help call, to the hub and webhooks of the preview's configuration (help.hub, help.webhooks). */
  readonly help: HelpService;
  /** Staff mode, with its PIN in `<dataDir>/staff-pin.json` as on a kiosk. */
  readonly staff: StaffMode;
  close(): Promise<void>;
}

const STATUS_OF_ERROR_CODE = {
  'unknown-channel': 400,
  'invalid-argument': 400,
  'refused-sender': 403,
  failed: 500,
} as const;

function statusOf(envelope: Envelope<unknown>): number {
  return envelope.ok ? 200 : STATUS_OF_ERROR_CODE[envelope.error.code];
}

type RefusalEnvelope = Extract<Envelope<never>, { ok: false }>;

function badRequest(message: string): RefusalEnvelope {
  return { ok: false, error: { code: 'invalid-argument', message } };
}

type CallBody = { readonly ok: true; readonly argument: unknown } | { readonly ok: false; readonly envelope: Envelope<never> };

/** The body of a contract call: nothing, `{}` or `{"argument": …}`, and nothing else. */
function readCallBody(body: unknown): CallBody {
  if (body === undefined) return { ok: true, argument: undefined };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, envelope: badRequest('the request body must be a JSON object such as {"argument": …}') };
  }
  const unknownKeys = Object.keys(body).filter((key) => key !== 'argument');
  if (unknownKeys.length > 0) {
    const shown = unknownKeys.slice(0, 5).map((key) => `"${key.slice(0, 40)}"`).join(', ');
    return { ok: false, envelope: badRequest(`the request body has unknown field(s) ${shown}: only "argument" is read`) };
  }
  return { ok: true, argument: (body as { argument?: unknown }).argument };
}

interface RequestErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
}

/** Turns what fastify refuses before our handler runs into a clear envelope. */
function describeRequestError(error: unknown, request: FastifyRequest): { status: number; envelope: RefusalEnvelope } {
  const { code, statusCode, message } = (typeof error === 'object' && error !== null ? error : {}) as RequestErrorLike;
  const text = typeof message === 'string' ? message : String(error);
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, envelope: badRequest(`the request body is larger than ${PREVIEW_BODY_LIMIT_BYTES} bytes: a contract call's argument is small`) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const received = request.headers['content-type'];
      const what = received === undefined ? 'none' : `"${String(received).slice(0, 80)}"`;
      return { status: 415, envelope: badRequest(`the request body must be JSON sent with "Content-Type: application/json" (this request's Content-Type: ${what})`) };
    }
    case 'FST_ERR_BAD_URL':
      return { status: 400, envelope: badRequest('the address has a broken percent-escape (such as "%E0%A4%A"): encode the channel name with encodeURIComponent') };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, envelope: badRequest('the channel name in the address is far too long to be a channel of the contract') };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, envelope: badRequest('the request body does not match its Content-Length') };
    default:
      break;
  }
  if (error instanceof RequestBodyError) return { status: 400, envelope: badRequest(text) };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, envelope: badRequest(`the request was refused: ${text.slice(0, 300)}`) };
  }
  return { status: 500, envelope: { ok: false, error: { code: 'failed', message: `the preview could not answer: ${text}` } } };
}

/** Pushes contract events to every open `GET /api/events` stream. */
class EventStreams implements ContractEventSink {
  readonly #streams = new Set<ServerResponse>();

  get size(): number {
    return this.#streams.size;
  }

  add(stream: ServerResponse): void {
    this.#streams.add(stream);
    const forget = () => this.#streams.delete(stream);
    stream.on('close', forget);
    stream.on('error', forget);
  }

  emit<E extends EventChannel>(event: E, payload: PayloadOf<E>): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  heartbeat(): void {
    this.#write(': still here\n\n');
  }

  closeAll(): void {
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }

  #write(chunk: string): void {
    for (const stream of this.#streams) {
      if (stream.writableEnded || stream.destroyed) continue;
      stream.write(chunk);
    }
  }
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const log = options.log ?? (() => {});
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`the renderer is not built (${indexFile} is missing): run "npm run build:renderer" first`);
  }
  mkdirSync(options.dataDir, { recursive: true });

  // Set once the server listens; every check below needs the real port.
  let port = 0;
  const ownHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  // Framing is decided for the origin the command prints. A page opened as localhost
  // differs only for the rare site whose frame-ancestors names one of the two.
  const canonicalOrigin = () => `http://127.0.0.1:${port}`;

  const configStore = openConfigStore({ dataDir: options.dataDir, managedConfigPath: options.managedConfigPath, watch: true, log });
  const presenter = new PreviewServicePresenter({ embedderOrigin: canonicalOrigin, probeTimeoutMs: options.probeTimeoutMs, log });
  const clock = options.clock ?? systemClock;
  const sessions = new PreviewVisitorSessions(() => clock.now());
  const { kioskId } = loadKioskIdentity(options.dataDir, log);
  // As the kiosk does: <dataDir>/usage.sqlite, on the session's clock (a manual clock in tests moves the days too).
  const usage = openKioskUsageLog({ dataDir: options.dataDir, kioskId, config: configStore, now: () => clock.now(), clock, log });
  const usageLog = usage.usageLog;
  const controller = createSessionController({
    settings: () => configStore.current().session,
    sessions,
    presenter,
    usageLog,
    clock,
    log,
  });
  // As the kiosk does: a call for help goes to the hub and webhooks of the preview's own
  // configuration, and the preview shows on the hub's dashboard as a kiosk (no statistics upload:
  // figures from trying a catalogue are not an EPN's).
  const kiosk = () => ({ name: configStore.current().kiosk.name, site: configStore.current().kiosk.site });
  const hubUrl = () => configStore.current().help.hub?.url ?? null;
  const credentialFile = join(options.dataDir, HUB_CREDENTIAL_FILE_NAME);
  const credentials = createHubCredentialKeeper({
    file: credentialFile,
    settings: () => ({ hubUrl: hubUrl(), pairingCode: configStore.current().help.hub?.pairingCode, ...kiosk() }),
    kioskId,
    now: () => clock.now(),
    log,
  });
  const help = createHelpService({ settings: () => configStore.current().help, kiosk, kioskId, credentialFile, credentials, usageLog, clock, log });
  const hubHeartbeat = startHubHeartbeat({ hubUrl, credentials, kiosk, appVersion: packageJson.version, clock, log });
  // As the kiosk does: the PIN pad, staff mode and the settings staff change.
  const staff = createStaffMode({ pinStore: openStaffPinStore({ dataDir: options.dataDir, log }), settings: () => configStore.current().staff, controller, clock, log });
  const configEditor = createConfigEditor({ store: configStore, dataDir: options.dataDir, now: () => clock.now(), log });
  const handlers = createKioskHandlers({
    config: configStore,
    presenter,
    controller,
    files: previewVisitorFiles,
    statistics: usage.statistics,
    help,
    staff,
    configEditor,
  });

  const events = new EventStreams();
  const stopListeningToConfig = configStore.onChange(() => {
    events.emit('config:changed', configStore.current());
    controller.settingsChanged();
  });
  const stopListeningToSession = controller.onChange((snapshot) => {
    events.emit('session:changed', snapshot);
    help.sessionChanged(snapshot);
    hubHeartbeat.sessionChanged(snapshot);
  });
  const stopListeningToHelp = help.onChange((status) => events.emit('help:changed', status));
  const stopListeningToStaff = staff.onChange((status) => events.emit('staff:changed', status));
  const stopListening = () => {
    stopListeningToStaff();
    staff.shutdown();
    stopListeningToConfig();
    stopListeningToSession();
    stopListeningToHelp();
    hubHeartbeat.close();
    help.close();
    controller.close();
  };
  const heartbeat = setInterval(() => events.heartbeat(), EVENT_STREAM_HEARTBEAT_MS);
  heartbeat.unref();

  let policyFor: { config: KioskConfig; policy: string } | null = null;
  const contentSecurityPolicy = () => {
    const config = configStore.current();
    if (policyFor?.config !== config) policyFor = { config, policy: rendererContentSecurityPolicy(config) };
    return policyFor.policy;
  };

  const app: FastifyInstance = fastify({
    logger: false,
    bodyLimit: PREVIEW_BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 500 },
    // Addresses the router cannot read never reach the hooks: answer them here, in the same form.
    frameworkErrors: (error, request, reply) => {
      const { status, envelope } = describeRequestError(error, request as FastifyRequest);
      return (reply as FastifyReply)
        .code(status)
        .headers({ ...SECURITY_HEADERS, 'content-security-policy': API_CONTENT_SECURITY_POLICY, 'cache-control': 'no-store' })
        .send(envelope);
    },
  });

  // JSON only. An empty body is a call without argument.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: PREVIEW_BODY_LIMIT_BYTES }, (request, body, done) => {
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

  const refuse = (reply: FastifyReply, message: string) => {
    log(`refused a request: ${message}`);
    return reply.code(403).header('cache-control', 'no-store').send(refusedEnvelope(message));
  };

  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!ownHosts().includes(host)) {
      return refuse(reply, `the Host header must be ${ownHosts().join(' or ')}, not "${host.slice(0, 100)}"`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      return refuse(reply, `requests from "${String(origin).slice(0, 100)}" are refused: only pages of http://${host} may call the preview`);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.startsWith('/api/')) {
      // JSON is never a document: the short policy spares every call the frame-src list.
      reply.headers({ 'content-security-policy': API_CONTENT_SECURITY_POLICY, 'cache-control': 'no-store' });
    } else {
      reply.header('content-security-policy', contentSecurityPolicy());
    }
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, envelope } = describeRequestError(error, request);
    if (status >= 500) log(`preview error on ${request.method} ${request.url.slice(0, 200)}: ${envelope.error.message}`);
    return reply.code(status).send(envelope);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.code(404).send({ ok: false, error: { code: 'unknown-channel', message: `there is no ${request.method} ${request.url.slice(0, 200)} in the preview` } });
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });

  app.post<{ Params: { channel: string } }>('/api/contract/:channel', async (request, reply) => {
    const body = readCallBody(request.body);
    if (!body.ok) return reply.code(400).send(body.envelope);
    const envelope = await dispatchContractCall(handlers, request.params.channel, body.argument);
    if (!envelope.ok && envelope.error.code === 'failed') log(`contract call ${request.params.channel} failed: ${envelope.error.message}`);
    return reply.code(statusOf(envelope)).send(envelope);
  });

  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/api/contract/:channel',
    handler: (_request, reply) => reply.code(405).header('allow', 'POST').send(badRequest('contract calls are POST requests with a JSON body {"argument": …}')),
  });

  // Browsers ask for it on their own; the renderer has none, and a 404 would only clutter the console.
  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());

  app.get('/api/events', { exposeHeadRoute: false }, (_request, reply) => {
    if (events.size >= MAX_EVENT_STREAMS) {
      return reply.code(503).send({ ok: false, error: { code: 'failed', message: `too many open event streams (${MAX_EVENT_STREAMS})` } });
    }
    // The stream outlives this handler, so fastify's onSend hook does not see it.
    reply.hijack();
    reply.raw.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-security-policy': API_CONTENT_SECURITY_POLICY,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    reply.raw.write('retry: 2000\n\n');
    // The stream ends when the browser goes away (the response's 'close'), or at close().
    events.add(reply.raw);
  });

  await app.register(fastifyStatic, { root: rendererDir, index: 'index.html', dotfiles: 'deny', wildcard: true });

  try {
    // Whatever a previous run left is wiped before anyone can call: the first snapshot is the welcome screen.
    await controller.boot();
    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    stopListening();
    clearInterval(heartbeat);
    usage.close();
    configStore.close();
    await app.close().catch(() => {});
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${options.port} on 127.0.0.1 is already in use: choose another with --port`, { cause: error });
    if (code === 'EACCES') throw new Error(`port ${options.port} on 127.0.0.1 may not be used by this account: choose one above 1023 with --port`, { cause: error });
    throw error;
  }
  port = (app.server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `${canonicalOrigin()}/`,
    port,
    configStore,
    presenter,
    sessions,
    controller,
    usageLog,
    usageStore: usage.store,
    help,
    staff,
    close() {
      closing ??= (async () => {
        stopListening();
        clearInterval(heartbeat);
        events.closeAll();
        await app.close();
        usage.close();
        configStore.close();
      })();
      return closing;
    },
  };
}
