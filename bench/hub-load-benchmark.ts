/**
 * The EPN hub under a site's load, on loopback: how long a visitor's help call takes to
 * reach every helper's dashboard while hundreds of kiosks keep calling in, and what the
 * hub costs in memory and CPU meanwhile.
 *
 * The hub (electron/hub/hub-server.ts) runs in a child process of its own
 * (hub-load-child.ts bundled with esbuild and run by plain Node, as `npm run hub` runs the
 * hub from dist/electron/hub-cli.cjs) in a fresh temporary
 * folder, so that its memory and CPU are its own. This process is the load generator:
 *
 * - 500 kiosks paired with kiosk codes, each with its own kept-alive connections (as each
 *   PC has its own), and 50 staff devices paired with one staff code each, each holding a
 *   dashboard's event stream (GET /api/v1/events) on a connection of its own.
 * - Every kiosk sends a heartbeat every HEARTBEAT_SECONDS (10 s), the 500 spread evenly
 *   (50 a second), after a first one from each before anything is measured; a kiosk's
 *   activity (free, in session) changes every 5 minutes on average, as visitors come and go.
 * - Help requests arrive at 5 a second on average, as a Poisson process (visitors press
 *   Help independently, so some come in bursts), each from a kiosk drawn at random; the
 *   first staff device resolves each one a second after its answer, so the queue stays
 *   short, and every resolution is one more event to every dashboard.
 * - After a warm-up, a measured window (60 s; BENCH_HUB_SECONDS to change it). Help-call
 *   latency: from just before a kiosk's POST /help-requests is sent to the moment each
 *   dashboard's stream delivers the 'help-request' event of that request in state
 *   'waiting'. Events can arrive before the POST's answer, so arrivals are recorded by
 *   request id with their time and joined with the answers' ids afterwards.
 *
 * Randomness is seeded (synthetic-random.ts): every run sends the same calls.
 * Run alone: `npx tsx bench/hub-load-benchmark.ts`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HEARTBEAT_SECONDS, HUB_API_PREFIX, HubEventSchema, type KioskActivity } from '../shared/hub-api';
import { LANGUAGE_CODES, type LanguageCode } from '../shared/languages';
import type { HubLoadChildMessage, HubLoadParentMessage, HubWindowReport } from './hub-load-child';
import { describeMachine } from './machine';
import { median, percentile } from './statistics';
import { randomSource, type Random } from './synthetic-random';
import { textTable } from './text-table';

const THIS_FILE = fileURLToPath(import.meta.url);
const repositoryRoot = dirname(dirname(THIS_FILE));
const CHILD_FILE = join(dirname(THIS_FILE), 'hub-load-child.ts');

/** Issue 5's targets: the help call's p99 from kiosk to dashboard, and the hub's peak memory. */
export const HUB_LATENCY_P99_TARGET_MS = 100;
export const HUB_MEMORY_TARGET_MB = 150;
/** What staff of a Libki site wait for at worst: its console refreshes every 30 s. */
const LIBKI_REFRESH_SECONDS = 30;

const KIOSKS = 500;
const DASHBOARDS = 50;
const HELP_REQUESTS_PER_SECOND = 5;
const WARM_UP_SECONDS = 5;
const DEFAULT_WINDOW_SECONDS = 60;
const RESOLVE_AFTER_MS = 1000;
/** A visitor arrives or leaves at a kiosk every 5 minutes on average: each change is a 'kiosk' event to every dashboard. */
const ACTIVITY_CHANGE_PER_HEARTBEAT = HEARTBEAT_SECONDS / 300;
/** After the window: the longest wait for answers and events still under way. */
const DRAIN_MS = 5000;
const PAIRING_CONCURRENCY = 8;
const SCHEDULER_TICK_MS = 5;
const CONNECT_TIMEOUT_MS = 30_000;
const SEED = 5;
const APP_VERSION = '0.1.0';
const SERVICES = ['tax-on-web', 'my-pension', 'forem', 'vdab', 'sncb', 'webmail', 'itsme', null] as const;

const EVENT_LOOP_RESOLUTION_MS = 10;

/** monitorEventLoopDelay records the whole interval between its timer's runs, the resolution included: only what exceeds it is lag. */
function lagMs(intervalNanoseconds: number): number {
  return Math.max(0, intervalNanoseconds / 1e6 - EVENT_LOOP_RESOLUTION_MS);
}

function windowSecondsFromEnvironment(): number {
  const raw = process.env.BENCH_HUB_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_WINDOW_SECONDS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 5) throw new Error(`BENCH_HUB_SECONDS must be a whole number of at least 5, not "${raw}"`);
  return value;
}

function hex32(random: Random): string {
  let text = '';
  for (let index = 0; index < 4; index += 1) text += Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
  return text;
}

/* ---------- The hub's process ---------- */

interface HubProcess {
  readonly port: number;
  readonly staffCodes: readonly string[];
  readonly kioskCodes: readonly string[];
  readonly restRssBytes: number;
  readonly restHeapUsedBytes: number;
  tell(message: HubLoadParentMessage): void;
  report(): Promise<HubWindowReport>;
  /** Asks the hub to close, then waits for the process to end (and ends it if it does not). */
  close(): Promise<void>;
}

/** Peak memory of plain Node with nothing loaded: the share of the hub's figure that is Node's own. */
async function bareNodeMaxRss(): Promise<number> {
  const child = spawn(process.execPath, ['--eval', 'process.stdout.write(String(process.resourceUsage().maxRSS))'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const kibibytes = Number(output);
  if (code !== 0 || !Number.isFinite(kibibytes) || kibibytes <= 0) throw new Error(`node did not report its memory (exit ${code}): ${output}`);
  return kibibytes * 1024;
}

/**
 * `npm run hub` runs a CommonJS bundle of the hub with plain Node (scripts/build-electron.mjs);
 * the child is bundled the same way, npm packages left to node_modules, so the memory
 * measured is the hub's and not a TypeScript loader's.
 */
async function bundleChild(): Promise<string> {
  const outfile = join(repositoryRoot, 'test-results', 'bench', 'hub-load-child.cjs');
  await build({
    absWorkingDir: repositoryRoot,
    entryPoints: [CHILD_FILE],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    define: { 'import.meta.url': '__bundleFileUrl' },
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  return outfile;
}

/** The hub runs as `npm run hub` runs it: a bundle under plain Node. */
async function startHubProcess(dataDir: string): Promise<HubProcess> {
  const childBundle = await bundleChild();
  const child: ChildProcess = spawn(process.execPath, [childBundle, '--data-dir', dataDir, '--kiosks', String(KIOSKS), '--dashboards', String(DASHBOARDS)], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const failure = (what: string) => new Error(`the hub's process ${what}:\n${output}`);

  const reportWaiters: ((report: HubWindowReport) => void)[] = [];
  const ready = await new Promise<Extract<HubLoadChildMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(failure(`did not start within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    child.on('error', reject);
    void exited.then((code) => reject(failure(`exited with ${code}`)));
    child.on('message', (message: HubLoadChildMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'failed') reject(failure(`failed: ${message.message}`));
      else if (message.type === 'report') reportWaiters.shift()?.(message.report);
    });
  }).catch((error: unknown) => {
    child.kill();
    throw error;
  });

  const tell = (message: HubLoadParentMessage) => {
    if (child.connected) child.send(message);
  };
  return {
    ...ready,
    tell,
    report: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(failure('did not report')), 10_000);
        reportWaiters.push((report) => {
          clearTimeout(timer);
          resolve(report);
        });
        tell({ type: 'report' });
      }),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      tell({ type: 'close' });
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/* ---------- HTTP calls ---------- */

interface Answer {
  readonly status: number;
  readonly body: string;
}

function call(port: number, agent: Agent, method: 'POST' | 'GET', path: string, token: string | null, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const outgoing = httpRequest({ host: '127.0.0.1', port, method, path: `${HUB_API_PREFIX}${path}`, agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** Samples kept to the microsecond: finer than loopback timing means, and bench.json stays readable. */
const toMicroseconds = (milliseconds: number) => Math.round(milliseconds * 1000) / 1000;

const succeeded = (answer: Answer) => answer.status >= 200 && answer.status < 300;

async function inBatches<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

async function pair(port: number, agent: Agent, claim: Record<string, string>): Promise<string> {
  const answer = await call(port, agent, 'POST', '/pairing', null, claim);
  if (answer.status !== 201) throw new Error(`pairing "${claim.name}" answered ${answer.status}: ${answer.body}`);
  return (JSON.parse(answer.body) as { token: string }).token;
}

/* ---------- Dashboards ---------- */

interface Dashboard {
  readonly request: ClientRequest;
  /** Events received, by type, from the start of the measured window. */
  readonly eventsInWindow: Map<string, number>;
}

interface Arrivals {
  /** Per help request id: when each dashboard received it in state 'waiting' (performance.now(), NaN until then). */
  readonly byId: Map<string, Float64Array>;
  counting: boolean;
  /** The lean reading of events (below) is checked against the schema on the first help-request event. */
  checked: boolean;
}

const EVENT_FIELD = 'event: ';
const ID_FIELD = '"id":"';
const WAITING = '"state":"waiting"';

/**
 * One help-request event of the stream: its request's id when the request is waiting.
 * Fifty dashboards in this one process receive every event, so it reads the JSON the
 * cheap way: a HubEvent's first "id" key is its request's (checked once against the
 * schema), and the waiting state is written as exactly `"state":"waiting"`.
 */
function waitingRequestId(block: string): string | null {
  if (!block.includes(WAITING)) return null;
  const at = block.indexOf(ID_FIELD);
  return at === -1 ? null : block.slice(at + ID_FIELD.length, at + ID_FIELD.length + 32);
}

function checkLeanReading(block: string, leanId: string): void {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
    .join('\n');
  const event = HubEventSchema.parse(JSON.parse(data));
  if (event.type !== 'help-request' || event.request.id !== leanId || event.request.state !== 'waiting') {
    throw new Error(`the benchmark misread a help-request event (read id ${leanId}): ${data}`);
  }
}

function openDashboard(port: number, token: string, index: number, arrivals: Arrivals): Promise<Dashboard> {
  return new Promise((resolve, reject) => {
    const eventsInWindow = new Map<string, number>();
    const timer = setTimeout(() => reject(new Error(`dashboard ${index + 1} received no snapshot within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    const request = httpRequest(
      { host: '127.0.0.1', port, method: 'GET', path: `${HUB_API_PREFIX}/events`, agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          clearTimeout(timer);
          reject(new Error(`dashboard ${index + 1}: GET /events answered ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        let pending = '';
        response.on('data', (chunk: string) => {
          const receivedAt = performance.now();
          pending += chunk;
          let start = 0;
          for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
            const block = pending.slice(start, end);
            start = end + 2;
            const typeAt = block.indexOf(EVENT_FIELD);
            if (typeAt === -1) continue;
            const typeEnd = block.indexOf('\n', typeAt);
            const type = block.slice(typeAt + EVENT_FIELD.length, typeEnd === -1 ? undefined : typeEnd);
            if (type === 'snapshot') {
              clearTimeout(timer);
              resolve({ request, eventsInWindow });
            }
            if (arrivals.counting) eventsInWindow.set(type, (eventsInWindow.get(type) ?? 0) + 1);
            if (type !== 'help-request') continue;
            const id = waitingRequestId(block);
            if (id === null) continue;
            if (!arrivals.checked) {
              checkLeanReading(block, id);
              arrivals.checked = true;
            }
            let times = arrivals.byId.get(id);
            if (times === undefined) {
              times = new Float64Array(DASHBOARDS).fill(Number.NaN);
              arrivals.byId.set(id, times);
            }
            if (Number.isNaN(times[index]!)) times[index] = receivedAt;
          }
          if (start > 0) pending = pending.slice(start);
        });
      },
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end();
  });
}

/* ---------- The load ---------- */

interface Kiosk {
  readonly name: string;
  readonly site: string;
  readonly token: string;
  readonly agent: Agent;
  activity: KioskActivity;
}

interface SentHelpRequest {
  readonly sentAt: number;
  readonly measured: boolean;
  id: string | null;
  roundTripMs: number;
}

export interface HubLoadFigures {
  readonly kiosks: number;
  readonly dashboards: number;
  readonly kioskCodes: number;
  readonly warmUpSeconds: number;
  readonly windowSeconds: number;
  readonly helpRequestsPerSecond: number;
  readonly pairingSeconds: number;
  /** Help requests sent in the window, and how many the hub answered 201. */
  readonly helpRequestsSent: number;
  readonly helpRequestsAnswered: number;
  /** Arrivals expected (answered requests × dashboards) and received. */
  readonly arrivalsExpected: number;
  /** Help-call latency samples, one per request and dashboard, milliseconds. */
  readonly latencyMs: readonly number[];
  /** POST /help-requests round trips in the window. */
  readonly helpPostMs: readonly number[];
  /** POST /heartbeat round trips in the window. */
  readonly heartbeatMs: readonly number[];
  readonly heartbeatsSent: number;
  /** Resolutions sent in the window. */
  readonly resolvesSent: number;
  /** Calls that failed (status other than expected, or a connection error), by kind. */
  readonly failures: { readonly heartbeat: number; readonly helpRequest: number; readonly resolve: number };
  readonly lastFailure: string | null;
  /** Events one dashboard received over the window, by type (the first dashboard's). */
  readonly eventsPerDashboard: Readonly<Record<string, number>>;
  readonly hub: HubWindowReport & { readonly restRssBytes: number; readonly restHeapUsedBytes: number };
  /** Plain Node with nothing loaded, peak resident memory. */
  readonly bareNodeMaxRssBytes: number;
  /** The load generator's own CPU and event-loop lag over the window: latencies it inflated would show here. */
  readonly generator: { readonly cpuPercent: number; readonly eventLoopLagP99Ms: number; readonly eventLoopLagMaxMs: number };
}

export async function measureHubLoad(windowSeconds = windowSecondsFromEnvironment()): Promise<HubLoadFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epn-bench-hub-'));
  // One seeded source per stream, so each stream is the same on every run whatever the timing interleaves.
  const identityRandom = randomSource(SEED);
  const helpRandom = randomSource(SEED + 1);
  const activityRandom = randomSource(SEED + 2);
  const pairingAgent = new Agent({ keepAlive: true });
  const staffAgent = new Agent({ keepAlive: true });
  const kiosks: Kiosk[] = [];
  const dashboards: Dashboard[] = [];
  const resolveTimers = new Set<NodeJS.Timeout>();
  let scheduler: NodeJS.Timeout | null = null;
  let hub: HubProcess | null = null;
  try {
    const bareNodeMaxRssBytes = await bareNodeMaxRss();
    const hubProcess = await startHubProcess(dataDir);
    hub = hubProcess;
    const { port } = hubProcess;

    const pairingStarted = performance.now();
    const staffTokens = await inBatches(DASHBOARDS, PAIRING_CONCURRENCY, (index) => pair(port, pairingAgent, { code: hubProcess.staffCodes[index]!, name: `Helper phone ${index + 1}` }));
    const claimsPerCode = Math.ceil(KIOSKS / hubProcess.kioskCodes.length);
    const kioskIds = Array.from({ length: KIOSKS }, () => hex32(identityRandom));
    const kioskTokens = await inBatches(KIOSKS, PAIRING_CONCURRENCY, (index) =>
      pair(port, pairingAgent, { code: hubProcess.kioskCodes[Math.floor(index / claimsPerCode)]!, name: `PC ${(index % 20) + 1}`, kioskId: kioskIds[index]!, site: `EPN ${Math.floor(index / 20) + 1}` }),
    );
    const pairingSeconds = (performance.now() - pairingStarted) / 1000;
    pairingAgent.destroy();
    kioskTokens.forEach((token, index) => kiosks.push({ name: `PC ${(index % 20) + 1}`, site: `EPN ${Math.floor(index / 20) + 1}`, token, agent: new Agent({ keepAlive: true }), activity: 'free' }));
    // The site is running when helpers look: every kiosk online before the dashboards' snapshots and the warm-up.
    await inBatches(KIOSKS, PAIRING_CONCURRENCY, async (index) => {
      const kiosk = kiosks[index]!;
      const answer = await call(port, kiosk.agent, 'POST', '/heartbeat', kiosk.token, { name: kiosk.name, site: kiosk.site, activity: kiosk.activity, appVersion: APP_VERSION });
      if (!succeeded(answer)) throw new Error(`the first heartbeat of kiosk ${index + 1} answered ${answer.status}: ${answer.body}`);
    });

    const arrivals: Arrivals = { byId: new Map(), counting: false, checked: false };
    dashboards.push(...(await Promise.all(staffTokens.map((token, index) => openDashboard(port, token, index, arrivals)))));
    const resolverToken = staffTokens[0]!;

    const sent: SentHelpRequest[] = [];
    const heartbeatMs: number[] = [];
    const helpPostMs: number[] = [];
    const failures = { heartbeat: 0, helpRequest: 0, resolve: 0 };
    let lastFailure: string | null = null;
    let heartbeatsSent = 0;
    let resolvesSent = 0;
    let inFlight = 0;
    let measuring = false;
    const failed = (kind: keyof typeof failures, detail: string) => {
      failures[kind] += 1;
      lastFailure = `${kind}: ${detail}`;
    };

    const sendHeartbeat = (kiosk: Kiosk) => {
      if (activityRandom() < ACTIVITY_CHANGE_PER_HEARTBEAT) kiosk.activity = kiosk.activity === 'free' ? 'in-session' : 'free';
      const measured = measuring;
      const sentAt = performance.now();
      if (measured) heartbeatsSent += 1;
      inFlight += 1;
      call(port, kiosk.agent, 'POST', '/heartbeat', kiosk.token, { name: kiosk.name, site: kiosk.site, activity: kiosk.activity, appVersion: APP_VERSION })
        .then((answer) => {
          if (!succeeded(answer)) failed('heartbeat', `${answer.status} ${answer.body}`);
          else if (measured) heartbeatMs.push(toMicroseconds(performance.now() - sentAt));
        })
        .catch((error: Error) => failed('heartbeat', error.message))
        .finally(() => (inFlight -= 1));
    };

    const resolveLater = (id: string) => {
      const timer = setTimeout(() => {
        resolveTimers.delete(timer);
        if (measuring) resolvesSent += 1;
        call(port, staffAgent, 'POST', `/help-requests/${id}/resolve`, resolverToken, {})
          .then((answer) => {
            if (!succeeded(answer)) failed('resolve', `${answer.status} ${answer.body}`);
          })
          .catch((error: Error) => failed('resolve', error.message));
      }, RESOLVE_AFTER_MS);
      resolveTimers.add(timer);
    };

    const sendHelpRequest = () => {
      const kiosk = kiosks[Math.floor(helpRandom() * KIOSKS)]!;
      const body = {
        clientRequestId: hex32(helpRandom),
        serviceId: SERVICES[Math.floor(helpRandom() * SERVICES.length)]!,
        language: LANGUAGE_CODES[Math.floor(helpRandom() * LANGUAGE_CODES.length)]! as LanguageCode,
        delayMs: 0,
      };
      inFlight += 1;
      const entry: SentHelpRequest = { sentAt: performance.now(), measured: measuring, id: null, roundTripMs: Number.NaN };
      sent.push(entry);
      call(port, kiosk.agent, 'POST', '/help-requests', kiosk.token, body)
        .then((answer) => {
          entry.roundTripMs = performance.now() - entry.sentAt;
          if (answer.status !== 201) {
            failed('helpRequest', `${answer.status} ${answer.body}`);
            return;
          }
          entry.id = (JSON.parse(answer.body) as { id: string }).id;
          resolveLater(entry.id);
        })
        .catch((error: Error) => failed('helpRequest', error.message))
        .finally(() => (inFlight -= 1));
    };

    // Both streams run on absolute schedules from the load's start, so a late tick catches up instead of thinning the load.
    const heartbeatSpacingMs = (HEARTBEAT_SECONDS * 1000) / KIOSKS;
    const meanHelpSpacingMs = 1000 / HELP_REQUESTS_PER_SECOND;
    const loadStarted = performance.now();
    const windowStarts = loadStarted + WARM_UP_SECONDS * 1000;
    const windowEnds = windowStarts + windowSeconds * 1000;
    let heartbeatsScheduled = 0;
    let nextHelpAt = loadStarted - Math.log(1 - helpRandom()) * meanHelpSpacingMs;
    const generatorDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    let generatorCpuAtStart = process.cpuUsage();
    let generatorCpuMicroseconds = 0;
    let measuredMs = 0;

    await new Promise<void>((resolve) => {
      scheduler = setInterval(() => {
        const now = performance.now();
        if (!measuring && now >= windowStarts && now < windowEnds) {
          measuring = true;
          arrivals.counting = true;
          hubProcess.tell({ type: 'start-window' });
          generatorCpuAtStart = process.cpuUsage();
          generatorDelay.enable();
        }
        if (now >= windowEnds) {
          clearInterval(scheduler!);
          scheduler = null;
          hubProcess.tell({ type: 'end-window' });
          arrivals.counting = false;
          const cpu = process.cpuUsage(generatorCpuAtStart);
          generatorCpuMicroseconds = cpu.user + cpu.system;
          measuredMs = now - windowStarts;
          generatorDelay.disable();
          measuring = false;
          resolve();
          return;
        }
        while (loadStarted + heartbeatsScheduled * heartbeatSpacingMs <= now) {
          sendHeartbeat(kiosks[heartbeatsScheduled % KIOSKS]!);
          heartbeatsScheduled += 1;
        }
        while (nextHelpAt <= now) {
          sendHelpRequest();
          nextHelpAt -= Math.log(1 - helpRandom()) * meanHelpSpacingMs;
        }
      }, SCHEDULER_TICK_MS);
    });

    const measuredRequests = sent.filter((entry) => entry.measured);
    const answered = () => measuredRequests.filter((entry) => entry.id !== null);
    const allArrived = () => inFlight === 0 && answered().every((entry) => arrivals.byId.get(entry.id!)?.every((time) => !Number.isNaN(time)) === true);
    const drainUntil = performance.now() + DRAIN_MS;
    while (!allArrived() && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));
    const hubReport = await hubProcess.report();

    const latencyMs: number[] = [];
    for (const entry of answered()) {
      const times = arrivals.byId.get(entry.id!);
      if (times === undefined) continue;
      for (const time of times) if (!Number.isNaN(time)) latencyMs.push(toMicroseconds(time - entry.sentAt));
    }
    for (const entry of answered()) helpPostMs.push(toMicroseconds(entry.roundTripMs));
    if (latencyMs.length === 0) throw new Error(`no help request reached a dashboard (${measuredRequests.length} sent, ${answered().length} answered; last failure: ${lastFailure ?? 'none'})`);

    return {
      kiosks: KIOSKS,
      dashboards: DASHBOARDS,
      kioskCodes: hubProcess.kioskCodes.length,
      warmUpSeconds: WARM_UP_SECONDS,
      windowSeconds: measuredMs / 1000,
      helpRequestsPerSecond: HELP_REQUESTS_PER_SECOND,
      pairingSeconds,
      helpRequestsSent: measuredRequests.length,
      helpRequestsAnswered: answered().length,
      arrivalsExpected: answered().length * DASHBOARDS,
      latencyMs,
      helpPostMs,
      heartbeatMs,
      heartbeatsSent,
      resolvesSent,
      failures,
      lastFailure,
      eventsPerDashboard: Object.fromEntries(dashboards[0]!.eventsInWindow),
      hub: { ...hubReport, restRssBytes: hubProcess.restRssBytes, restHeapUsedBytes: hubProcess.restHeapUsedBytes },
      bareNodeMaxRssBytes,
      generator: { cpuPercent: (generatorCpuMicroseconds / 1000 / measuredMs) * 100, eventLoopLagP99Ms: lagMs(generatorDelay.percentile(99)), eventLoopLagMaxMs: lagMs(generatorDelay.max) },
    };
  } finally {
    if (scheduler !== null) clearInterval(scheduler);
    for (const timer of resolveTimers) clearTimeout(timer);
    for (const dashboard of dashboards) dashboard.request.destroy();
    for (const kiosk of kiosks) kiosk.agent.destroy();
    staffAgent.destroy();
    pairingAgent.destroy();
    await hub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/* ---------- Report ---------- */

const ms = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const thousands = (value: number) => value.toLocaleString('en-US');
const mark = (passed: boolean) => (passed ? 'pass' : 'OVER');

/** The figures as printed rows: measure, figure, target, mark. */
export function hubLoadRows(figures: HubLoadFigures): [string, string, string, string][] {
  const { latencyMs, hub } = figures;
  const p99 = percentile(latencyMs, 99);
  const cpuPercent = (hub.cpuMicroseconds / 1000 / hub.windowMs) * 100;
  const peakMemory = Math.max(hub.lifetimeMaxRssBytes, hub.windowPeakRssBytes);
  const load = `${figures.kiosks} kiosks, ${figures.dashboards} dashboards, ${figures.helpRequestsPerSecond} calls/s`;
  const complete = latencyMs.length === figures.arrivalsExpected;
  return [
    [`Help call, kiosk's POST → event on a dashboard (${load}), median of ${thousands(latencyMs.length)}`, ms(median(latencyMs)), '', ''],
    ['Help call → dashboard, p95', ms(percentile(latencyMs, 95)), '', ''],
    ['Help call → dashboard, p99', ms(p99), `< ${HUB_LATENCY_P99_TARGET_MS} ms`, mark(p99 < HUB_LATENCY_P99_TARGET_MS)],
    ['Help call → dashboard, longest', ms(Math.max(...latencyMs)), '', ''],
    [`Arrivals: ${thousands(figures.helpRequestsAnswered)} requests × ${figures.dashboards} dashboards`, `${thousands(latencyMs.length)} of ${thousands(figures.arrivalsExpected)}`, 'all', complete ? 'pass' : 'MISSING'],
    [`POST /help-requests round trip, median of ${thousands(figures.helpPostMs.length)}`, ms(median(figures.helpPostMs)), '', ''],
    ['POST /help-requests round trip, p99', ms(percentile(figures.helpPostMs, 99)), '', ''],
    [`POST /heartbeat round trip, median of ${thousands(figures.heartbeatMs.length)}`, ms(median(figures.heartbeatMs)), '', ''],
    ['POST /heartbeat round trip, p99', ms(percentile(figures.heartbeatMs, 99)), '', ''],
    ['Hub peak memory (resident, its whole life: start, pairing, load)', mb(peakMemory), `< ${HUB_MEMORY_TARGET_MB} MB`, mark(peakMemory < HUB_MEMORY_TARGET_MB * 1e6)],
    ['Hub peak memory in the window (sampled every 100 ms) / heap used at the end', `${mb(hub.windowPeakRssBytes)} / ${mb(hub.heapUsedBytes)}`, '', ''],
    ['Hub resident memory at the window\'s start → after it', `${mb(hub.rssAtWindowStartBytes)} → ${mb(hub.rssAtReportBytes)}`, '', ''],
    ['Hub memory at rest (listening, nothing paired) / its heap', `${mb(hub.restRssBytes)} / ${mb(hub.restHeapUsedBytes)}`, '', ''],
    ['For scale: plain Node with nothing loaded, peak memory', mb(figures.bareNodeMaxRssBytes), '', ''],
    ['Hub CPU over the window, share of one core', `${cpuPercent.toFixed(1)} %`, '', ''],
    ['Hub event-loop lag, p99 / longest', `${ms(hub.eventLoopLagMs.p99)} / ${ms(hub.eventLoopLagMs.max)}`, '', ''],
    ['For scale: the load generator\'s CPU (share of one core) / event-loop lag p99', `${figures.generator.cpuPercent.toFixed(1)} % / ${ms(figures.generator.eventLoopLagP99Ms)}`, '', ''],
    ['For scale: Libki\'s staff console refreshes every', `${LIBKI_REFRESH_SECONDS} s`, '', ''],
  ];
}

/** What the figures are, in sentences under the table. */
export function hubLoadNotes(figures: HubLoadFigures): string[] {
  const events = Object.entries(figures.eventsPerDashboard)
    .map(([type, count]) => `${thousands(count)} ${type}`)
    .join(', ');
  const { failures } = figures;
  const failed = failures.heartbeat + failures.helpRequest + failures.resolve;
  return [
    `Hub load (loopback): the hub (electron/hub/hub-server.ts) in a child process of its own, run as npm run hub runs it (a bundle under plain Node), in a fresh data folder; ${figures.kiosks} kiosks paired in ${figures.pairingSeconds.toFixed(1)} s (${figures.kioskCodes} kiosk codes) and ${figures.dashboards} staff devices, each holding GET /api/v1/events on a connection of its own. ${figures.warmUpSeconds} s warm-up, then ${figures.windowSeconds.toFixed(0)} s measured: a heartbeat from every kiosk every ${HEARTBEAT_SECONDS} s, spread evenly (${thousands(figures.heartbeatsSent)} sent; every kiosk online before, its activity changing every 5 minutes on average), ${thousands(figures.helpRequestsSent)} help requests (Poisson arrivals, ${figures.helpRequestsPerSecond}/s on average, seeded) from random kiosks, each resolved by a staff device ${RESOLVE_AFTER_MS / 1000} s after its answer (${thousands(figures.resolvesSent)} resolutions in the window).`,
    `Help call latency: from just before the kiosk's POST /help-requests to each dashboard's receipt of that request's 'help-request' event in state waiting, matched by the id in the POST's answer; every request × dashboard is one sample. Each dashboard received over the window: ${events || 'nothing'}.`,
    `Hub memory: peak resident set (process.resourceUsage().maxRSS over its life, and process.memoryUsage.rss() every 100 ms in the window), MB = 10⁶ bytes; CPU: process.cpuUsage() over the window. The load generator and the ${figures.dashboards} dashboards run in this process on the same cores.`,
    failed === 0 ? 'Every call succeeded.' : `Failed calls: ${failures.heartbeat} heartbeats, ${failures.helpRequest} help requests, ${failures.resolve} resolutions; last: ${figures.lastFailure ?? ''}.`,
    `For scale: Libki's staff console refreshes every ${LIBKI_REFRESH_SECONDS} s.`,
  ];
}

async function runAlone(): Promise<void> {
  const machine = describeMachine('not used');
  const started = performance.now();
  const figures = await measureHubLoad();
  const lines = [
    `EPN Kiosk hub load benchmark, ${new Date().toISOString()}`,
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.system}, load average ${machine.loadAverage} at start; Node ${machine.node}`,
    '',
    textTable(hubLoadRows(figures)),
    '',
    ...hubLoadNotes(figures),
    `Took ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const resultsDir = join(repositoryRoot, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'bench-hub-load.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, rows: hubLoadRows(figures), figures }, null, 2)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAlone().catch((error: unknown) => {
    process.stderr.write(`hub load benchmark: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
