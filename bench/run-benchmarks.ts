/**
 * `npm run bench` (through scripts/bench.mjs, which builds the renderer first): the
 * launcher's size and speed in the browser preview, printed as a table beside the
 * targets of the foundation issue, with the machine they were measured on. The figures
 * are also written to test-results/bench.json.
 *
 * Counts can be changed for a quick look: BENCH_TTI_LOADS, BENCH_ROUND_TRIP_CALLS,
 * BENCH_END_SESSION_RUNS, BENCH_USAGE_EVENTS, BENCH_NETWORK_KIOSKS, BENCH_HUB_SECONDS.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium as playwrightChromium } from '@playwright/test';
import { startPreviewServer, type PreviewServer } from '../electron/preview/preview-server';
import { CHROMIUM_ARGS, chromiumExecutablePath } from '../tests/e2e/support/chromium';
import { ChromiumPipe } from './chromium-pipe';
import { DEFAULT_CONFIG } from '../shared/config/default-config';
import { measureBundleSize, type ChunkSizes } from './bundle-size';
import { measureEndSession } from './end-session-benchmark';
import { hubLoadNotes, hubLoadRows, measureHubLoad } from './hub-load-benchmark';
import { describeMachine } from './machine';
import { measureServerRoundTrip } from './node-round-trip';
import { measureContractRoundTrip, measureFetchFloor, measureTimeToInteractive } from './preview-benchmarks';
import { median, percentile } from './statistics';
import { measureStatisticsMerge, statisticsMergeNotes, statisticsMergeRows } from './statistics-merge-benchmark';
import { measureUsageStore, usageStoreNotes, usageStoreRows } from './usage-store-benchmarks';
import { textTable } from './text-table';

function largestLanguage(chunks: Readonly<Record<string, ChunkSizes>>): string {
  const sorted = Object.entries(chunks).sort((a, b) => b[1].gzipBytes - a[1].gzipBytes);
  return sorted[0]?.[0] ?? 'none';
}

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const rendererDir = join(repositoryRoot, 'dist', 'renderer');

function countFromEnvironment(name: string, fallback: number, minimum: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be a whole number of at least ${minimum}, not "${raw}"`);
  return value;
}

const TTI_LOADS = countFromEnvironment('BENCH_TTI_LOADS', 15, 10);
const TTI_WARM_UP_LOADS = 2;
const ROUND_TRIP_CALLS = countFromEnvironment('BENCH_ROUND_TRIP_CALLS', 1000, 100);
const ROUND_TRIP_WARM_UP_CALLS = 200;
const END_SESSION_RUNS = countFromEnvironment('BENCH_END_SESSION_RUNS', 25, 20);
const END_SESSION_WARM_UP_RUNS = 3;

/** Whether this machine has an Electron binary, by the same check as `npm start`. */
async function electronAvailability(): Promise<{ available: boolean; missing?: string }> {
  const { locateElectronBinary } = (await import(pathToFileURL(join(repositoryRoot, 'scripts', 'start.mjs')).href)) as {
    locateElectronBinary: (root?: string) => { available: true } | { available: false; missing: string };
  };
  return locateElectronBinary(repositoryRoot);
}

interface Row {
  readonly measure: string;
  readonly figure: number;
  readonly unit: 'kB' | 'ms';
  /** The target the figure must not exceed, when there is one. */
  readonly target?: number;
}

function formatFigure(value: number, unit: Row['unit']): string {
  return unit === 'kB' ? `${(value / 1000).toFixed(1)} kB` : `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
}

function table(rows: readonly Row[]): string {
  return textTable(
    rows.map((row) => [
      row.measure,
      formatFigure(row.figure, row.unit),
      row.target === undefined ? '' : `≤ ${formatFigure(row.target, row.unit)}`,
      row.target === undefined ? '' : row.figure <= row.target ? 'pass' : 'OVER',
    ]),
  );
}


async function main(): Promise<void> {
  const started = performance.now();
  const bundle = measureBundleSize(rendererDir);

  const dataDir = mkdtempSync(join(tmpdir(), 'epn-bench-'));
  const endSessionDataDir = mkdtempSync(join(tmpdir(), 'epn-bench-end-session-'));
  let server: PreviewServer | null = null;
  let browser: ChromiumPipe | null = null;
  try {
    // No config.json: the built-in catalogue, as a fresh preview shows it.
    server = await startPreviewServer({ port: 0, dataDir, rendererDir, managedConfigPath: null });
    // Debian's Chromium, or the one CHROMIUM_PATH names, else Playwright's own.
    browser = await ChromiumPipe.launch(chromiumExecutablePath() ?? playwrightChromium.executablePath(), CHROMIUM_ARGS);
    const { product } = (await browser.send('Browser.getVersion')) as { product: string };
    const machine = describeMachine(product.replace(/^(?:Headless)?Chrome\//, ''));

    const tti = await measureTimeToInteractive(browser, { url: server.url, warmUpLoads: TTI_WARM_UP_LOADS, loads: TTI_LOADS });
    const setArea = await measureContractRoundTrip(browser, {
      url: server.url,
      channel: 'service:setArea',
      argument: { x: 0, y: 96, width: 1366, height: 672 },
      warmUpCalls: ROUND_TRIP_WARM_UP_CALLS,
      calls: ROUND_TRIP_CALLS,
    });
    const configGet = await measureContractRoundTrip(browser, {
      url: server.url,
      channel: 'config:get',
      argument: undefined,
      warmUpCalls: ROUND_TRIP_WARM_UP_CALLS,
      calls: ROUND_TRIP_CALLS,
    });

    const fetchFloor = await measureFetchFloor(browser, { url: server.url, warmUpCalls: ROUND_TRIP_WARM_UP_CALLS, calls: ROUND_TRIP_CALLS });
    const serverShare = await measureServerRoundTrip(server.url, 'service:setArea', { x: 0, y: 96, width: 1366, height: 672 }, ROUND_TRIP_WARM_UP_CALLS, ROUND_TRIP_CALLS);
    const endSession = await measureEndSession(browser, endSessionDataDir, { runs: END_SESSION_RUNS, warmUpRuns: END_SESSION_WARM_UP_RUNS });
    const confirmToWelcome = endSession.confirmToErased.map((toErased, index) => toErased + endSession.touchToWelcome[index]!);
    const electron = await electronAvailability();
    const usageStore = await measureUsageStore();
    const statisticsMerge = await measureStatisticsMerge();
    const hubLoad = await measureHubLoad();

    const rows: Row[] = [
      { measure: `Launcher JavaScript loaded at start, raw (${bundle.files.length} file${bundle.files.length === 1 ? '' : 's'})`, figure: bundle.rawBytes, unit: 'kB' },
      { measure: 'Launcher JavaScript, gzip -9 (without any language\'s visitor texts)', figure: bundle.gzipBytes, unit: 'kB' },
      {
        measure: `Launcher JavaScript at start with the default language's texts (${DEFAULT_CONFIG.languages.default}), gzip -9`,
        figure: bundle.gzipBytes + (bundle.languageTexts[DEFAULT_CONFIG.languages.default]?.gzipBytes ?? Number.NaN),
        unit: 'kB',
        target: 150_000,
      },
      {
        measure: `One language's visitor texts, loaded when chosen, gzip -9 (largest of ${Object.keys(bundle.languageTexts).length}: ${largestLanguage(bundle.languageTexts)})`,
        figure: Math.max(...Object.values(bundle.languageTexts).map((chunk) => chunk.gzipBytes)),
        unit: 'kB',
      },
      { measure: `On-demand JavaScript (statistics screen), gzip -9 (${bundle.onDemand.files.length} file${bundle.onDemand.files.length === 1 ? '' : 's'})`, figure: bundle.onDemand.gzipBytes, unit: 'kB' },
      { measure: `Time to interactive, median of ${tti.length} fresh loads`, figure: median(tti), unit: 'ms', target: 300 },
      { measure: 'Time to interactive, p95', figure: percentile(tti, 95), unit: 'ms' },
      { measure: `Round trip service:setArea, median of ${setArea.length}`, figure: median(setArea), unit: 'ms', target: 2 },
      { measure: 'Round trip service:setArea, p99', figure: percentile(setArea, 99), unit: 'ms' },
      { measure: `Round trip config:get, median of ${configGet.length}`, figure: median(configGet), unit: 'ms' },
      { measure: 'Round trip config:get, p99', figure: percentile(configGet, 99), unit: 'ms' },
      { measure: 'For scale: in-page fetch of an empty 204, median', figure: median(fetchFloor), unit: 'ms' },
      { measure: 'For scale: service:setArea from Node, median', figure: median(serverShare), unit: 'ms' },
      { measure: `End session confirmed → erased screen drawn (wipe done, launcher reset), median of ${endSession.confirmToErased.length}`, figure: median(endSession.confirmToErased), unit: 'ms', target: 500 },
      { measure: 'End session confirmed → erased screen drawn, p99', figure: percentile(endSession.confirmToErased, 99), unit: 'ms' },
      { measure: 'Erased message touched → welcome screen drawn, median', figure: median(endSession.touchToWelcome), unit: 'ms' },
      { measure: 'Erased message touched → welcome screen drawn, p99', figure: percentile(endSession.touchToWelcome, 99), unit: 'ms' },
      { measure: 'End session confirmed → welcome ready, touch at once (sum of both), median', figure: median(confirmToWelcome), unit: 'ms', target: 500 },
      { measure: 'End session confirmed → welcome ready, touch at once (sum of both), p99', figure: percentile(confirmToWelcome, 99), unit: 'ms' },
      { measure: 'Erased message without a touch (configured erasedMessageSeconds)', figure: endSession.erasedMessageMs, unit: 'ms' },
    ];

    const lines = [
      `EPN Kiosk benchmarks, ${new Date().toISOString()}`,
      `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.system}, load average ${machine.loadAverage} at start`,
      `Software: Node ${machine.node}, Chromium ${machine.chromium} (headless), preview server on 127.0.0.1`,
      '',
      table(rows),
      '',
      textTable(usageStoreRows(usageStore)),
      '',
      textTable(statisticsMergeRows(statisticsMerge)),
      '',
      textTable(hubLoadRows(hubLoad)),
      '',
      'kB = 1000 bytes. Time to interactive: navigation start to performance.mark("kiosk:interactive"), new browser context per load.',
      `Round trips: fetch from the preview page to POST /api/contract/<channel>, after ${ROUND_TRIP_WARM_UP_CALLS} warm-up calls; Chromium times them to 0.1 ms.`,
      'Chromium is driven over its DevTools pipe without network tracking (bench/chromium-pipe.ts).',
      `End session (preview, ${END_SESSION_WARM_UP_RUNS} warm-up + ${endSession.confirmToErased.length} visits, each: English, a framed loopback service, End session): from the click on "Yes, erase and finish" to the first animation frame showing the erased screen (session:end, service closed, wipe verified, snapshots pushed, screens reset); then from a touch on the erased message to the first frame of the welcome screen. The preview's wipe drops an in-memory record; the Electron partition wipe is not in these figures.`,
      electron.available
        ? 'End session in Electron: an Electron binary is installed, but this benchmark measures the preview only.'
        : `End session in Electron: not measured here: no Electron binary (${electron.missing ?? 'none found'}).`,
      ...usageStoreNotes(usageStore),
      ...statisticsMergeNotes(statisticsMerge),
      ...hubLoadNotes(hubLoad),
      `Took ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    const resultsDir = join(repositoryRoot, 'test-results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, 'bench.json'),
      `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, rows, samples: { tti, setArea, configGet, endSession }, bundle, usageStore: { rows: usageStoreRows(usageStore), figures: usageStore }, statisticsMerge: { rows: statisticsMergeRows(statisticsMerge) }, hubLoad: { rows: hubLoadRows(hubLoad), figures: hubLoad } }, null, 2)}\n`,
    );
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(endSessionDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
