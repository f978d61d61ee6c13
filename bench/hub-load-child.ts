/**
 * The hub of the load benchmark (hub-load-benchmark.ts), in a process of its own so that
 * the memory and CPU it reports are the hub's alone, not the load generator's.
 *
 * Started by the benchmark with an IPC channel:
 *   node --import tsx bench/hub-load-child.ts --data-dir <empty folder> --kiosks <n> --dashboards <n>
 * It starts a real hub on 127.0.0.1 (any free port), issues enough pairing codes for the
 * kiosks (each kiosk code takes a limited number of claims) and one staff code per
 * dashboard, and sends them with its address. Then, on the parent's word: 'start-window'
 * starts the measured window, 'end-window' takes the CPU time and event-loop delay of it,
 * 'report' answers with those and the memory figures, 'close' closes the hub and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startHub, type HubLimits } from '../electron/hub/hub-server';

export type HubLoadParentMessage = { readonly type: 'start-window' } | { readonly type: 'end-window' } | { readonly type: 'report' } | { readonly type: 'close' };

export interface HubWindowReport {
  /** Wall time between 'start-window' and 'end-window'. */
  readonly windowMs: number;
  /** User + system CPU time of the hub's process over the window, microseconds. */
  readonly cpuMicroseconds: number;
  readonly rssAtWindowStartBytes: number;
  /** Resident memory sampled every 100 ms from 'start-window' to 'report'. */
  readonly windowPeakRssBytes: number;
  /** The process's peak resident memory over its whole life (process.resourceUsage().maxRSS): start-up and pairing included. */
  readonly lifetimeMaxRssBytes: number;
  readonly heapUsedBytes: number;
  readonly rssAtReportBytes: number;
  /** Event-loop lag over the window: how late perf_hooks.monitorEventLoopDelay's 10 ms timer fired, milliseconds. */
  readonly eventLoopLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly logLines: number;
  readonly lastLogLines: readonly string[];
}

export type HubLoadChildMessage =
  | {
      readonly type: 'ready';
      readonly port: number;
      readonly staffCodes: readonly string[];
      readonly kioskCodes: readonly string[];
      /** Resident memory once the hub listens, before any device is paired. */
      readonly restRssBytes: number;
      readonly restHeapUsedBytes: number;
    }
  | { readonly type: 'report'; readonly report: HubWindowReport }
  | { readonly type: 'failed'; readonly message: string };

const RSS_SAMPLE_MS = 100;
const EVENT_LOOP_RESOLUTION_MS = 10;
const KEPT_LOG_LINES = 20;

/**
 * The hub's own limits, but one: every kiosk is paired from this one address (loopback),
 * where a site's PCs each pair from their own. The per-device budget and the number of
 * event streams stay as they are, so the load meets them as a site's would.
 */
const BENCHMARK_LIMITS: Partial<HubLimits> = { pairingAttemptsPerMinutePerAddress: 100_000 };

/** The histogram holds the whole interval between the timer's runs, the resolution included: only what exceeds it is lag. */
function lagMs(intervalNanoseconds: number): number {
  return Math.max(0, intervalNanoseconds / 1e6 - EVENT_LOOP_RESOLUTION_MS);
}

function argument(name: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : process.argv[at + 1];
  if (value === undefined) throw new Error(`--${name} is missing`);
  return value;
}

function send(message: HubLoadChildMessage): void {
  process.send?.(message);
}

async function run(): Promise<void> {
  if (process.send === undefined) throw new Error('this is the hub of bench/hub-load-benchmark.ts: start that instead');
  const dataDir = argument('data-dir');
  const kiosks = Number(argument('kiosks'));
  const dashboards = Number(argument('dashboards'));

  let logLines = 0;
  const lastLogLines: string[] = [];
  const hub = await startHub({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    role: 'epn',
    site: 'EPN load benchmark',
    limits: BENCHMARK_LIMITS,
    log: (line) => {
      logLines += 1;
      lastLogLines.push(line);
      if (lastLogLines.length > KEPT_LOG_LINES) lastLogLines.shift();
    },
  });

  const staffCodes = Array.from({ length: dashboards }, () => hub.issuePairingCode('staff').code);
  const kioskCodes: string[] = [];
  for (let claimable = 0; claimable < kiosks; ) {
    const issued = hub.issuePairingCode('kiosk');
    if (issued.usesLeft < 1) throw new Error('the hub issued a kiosk code nobody may claim');
    kioskCodes.push(issued.code);
    claimable += issued.usesLeft;
  }

  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  let windowStarted = 0;
  let rssAtWindowStart = 0;
  let cpuAtStart = process.cpuUsage();
  let windowMs = 0;
  let cpuMicroseconds = 0;
  let eventLoopLagMs = { p50: 0, p99: 0, max: 0 };

  process.on('message', (message: HubLoadParentMessage) => {
    if (message.type === 'start-window') {
      rssAtWindowStart = process.memoryUsage.rss();
      peakRss = rssAtWindowStart;
      loopDelay.reset();
      loopDelay.enable();
      cpuAtStart = process.cpuUsage();
      windowStarted = performance.now();
    } else if (message.type === 'end-window') {
      const cpu = process.cpuUsage(cpuAtStart);
      windowMs = performance.now() - windowStarted;
      cpuMicroseconds = cpu.user + cpu.system;
      loopDelay.disable();
      eventLoopLagMs = { p50: lagMs(loopDelay.percentile(50)), p99: lagMs(loopDelay.percentile(99)), max: lagMs(loopDelay.max) };
    } else if (message.type === 'report') {
      const memory = process.memoryUsage();
      peakRss = Math.max(peakRss, memory.rss);
      send({
        type: 'report',
        report: {
          windowMs,
          cpuMicroseconds,
          rssAtWindowStartBytes: rssAtWindowStart,
          windowPeakRssBytes: peakRss,
          lifetimeMaxRssBytes: process.resourceUsage().maxRSS * 1024,
          heapUsedBytes: memory.heapUsed,
          rssAtReportBytes: memory.rss,
          eventLoopLagMs,
          logLines,
          lastLogLines,
        },
      });
    } else if (message.type === 'close') {
      clearInterval(sampler);
      void hub.close().finally(() => process.disconnect());
    }
  });
  // The parent gone (or done): nothing else keeps this process useful.
  process.on('disconnect', () => process.exit(0));

  const memory = process.memoryUsage();
  send({ type: 'ready', port: hub.port, staffCodes, kioskCodes, restRssBytes: memory.rss, restHeapUsedBytes: memory.heapUsed });
}

run().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`hub-load-child: ${message}\n`);
  send({ type: 'failed', message });
  process.exit(1);
});
