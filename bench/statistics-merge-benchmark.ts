/**
 * Merging a whole network's exports into one report, as coordinators do it:
 * `npm run stats -- merge <folder> --out report.html`.
 *
 * A fresh temporary folder gets 1,600 kiosk exports of one year each (2025), spread over
 * sites of 3 to 17 kiosks, one folder per site, about a quarter CSV and the rest JSON,
 * written exactly as kiosks write them (exportToJson / exportToCsv of a statistics export
 * whose every day went through suppressCounts with threshold 3). The figures are
 * realistic: Sundays closed and some Saturdays, 2 to 25 sessions a day and kiosk, session
 * lengths around 18 minutes, services chosen with a long tail, help asked in about one
 * session in seven and answered within minutes, four language profiles (Wallonia,
 * Flanders, Brussels, East Belgium). To keep the generation short, each kiosk-year is
 * drawn from a pool of a few thousand suppressed days; every file is still distinct.
 *
 * Then the command itself runs in a child process (Node + tsx, as `npm run stats` runs
 * it), so its time and peak memory are the command's own: wall time measured here, peak
 * resident memory (maxRSS) from /usr/bin/time -v, or, where that is missing, reported by
 * the child from process.resourceUsage(). The temporary folder is removed afterwards.
 *
 * Run alone: `node --import tsx bench/statistics-merge-benchmark.ts`
 * (BENCH_MERGE_KIOSKS changes the number of kiosks, at least 10).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  SESSION_SECONDS_BUCKETS,
  STATISTICS_EXPORT_FORMAT,
  STATISTICS_SCHEMA_VERSION,
  WAIT_SECONDS_BUCKETS,
  eachDay,
  emptyDailyFigures,
  exportToCsv,
  exportToJson,
  histogramOf,
  isoWeekday,
  nearestRank,
  suppressCounts,
  type DailyFigures,
  type PublishedDailyFigures,
  type StatisticsExport,
} from '../shared/statistics';
import type { LanguageCode } from '../shared/languages';
import { describeMachine } from './machine';
import { pick, poisson, randomSource, type Random } from './synthetic-random';
import { textTable } from './text-table';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

export const MERGE_TARGET_SECONDS = 30;
export const MERGE_TARGET_MIB = 500;
const THRESHOLD = 3;
const YEAR = { from: '2025-01-01', to: '2025-12-31' } as const;
const POOL_DAYS_PER_PROFILE = 900;


function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}


const SERVICES = [
  'tax-on-web', 'my-pension', 'mutualite', 'forem', 'vdab', 'actiris', 'sncb', 'stib', 'bank-belfius', 'bank-bnp', 'cpas-rendez-vous', 'itsme', 'webmail', 'myminfin',
  'mon-dossier', 'health-mycarenet', 'job-indeed', 'learning-digital', 'news', 'maps', 'translate', 'bpost', 'energy', 'housing', 'school',
] as const;
/** A long tail: the first services far more used than the last. */
const SERVICE_WEIGHTS = SERVICES.map((service, index) => [service, 1 / (index + 1)] as const);

/** The kiosk's languages (shared/languages.ts) as visitors choose them in each region. */
const LANGUAGE_PROFILES = {
  wallonia: [['fr', 84], ['en', 10], ['nl', 4], ['de', 2]],
  flanders: [['nl', 80], ['fr', 8], ['en', 12]],
  brussels: [['fr', 55], ['nl', 18], ['en', 27]],
  east: [['de', 70], ['fr', 25], ['en', 5]],
} as const satisfies Record<string, readonly (readonly [LanguageCode, number])[]>;
type Profile = keyof typeof LANGUAGE_PROFILES;

const END_REASONS = [['visitor', 70], ['idle', 27], ['crash', 1], ['staff', 2]] as const;

/** One open day of one kiosk, before suppression. */
function openDay(random: Random, profile: Profile): DailyFigures {
  const figures = emptyDailyFigures(YEAR.from);
  const busy = 2 + random() * 23;
  const sessions = poisson(random, busy);
  const durations: number[] = [];
  const waits: number[] = [];
  for (let session = 0; session < sessions; session += 1) {
    const seconds = Math.min(10_800, Math.max(20, Math.round(1080 * Math.exp(0.8 * normal(random)))));
    durations.push(seconds);
    const reason = seconds >= 7200 ? 'max-length' : pick(random, END_REASONS);
    figures.endReasons[reason] = (figures.endReasons[reason] ?? 0) + 1;
    const language: LanguageCode = pick(random, LANGUAGE_PROFILES[profile]);
    figures.languages[language] = (figures.languages[language] ?? 0) + 1;
    const opened = 1 + Math.floor(random() * 3);
    for (let index = 0; index < opened; index += 1) {
      const service = pick(random, SERVICE_WEIGHTS);
      figures.serviceOpenings[service] = (figures.serviceOpenings[service] ?? 0) + 1;
    }
    if (random() < 0.15) {
      figures.help.requests += 1;
      if (random() < 0.9) {
        figures.help.acknowledged += 1;
        waits.push(Math.round(-150 * Math.log(1 - random())));
        if (random() < 0.95) figures.help.resolved += 1;
      } else figures.help.cancelled += 1;
    }
    if (random() < 0.04) figures.languageChanges += 1;
    if (random() < 0.06) figures.accessibility['larger-text'] = (figures.accessibility['larger-text'] ?? 0) + 1;
    if (random() < 0.03) figures.accessibility['read-aloud'] = (figures.accessibility['read-aloud'] ?? 0) + 1;
    if (random() < 0.02) figures.accessibility['high-contrast'] = (figures.accessibility['high-contrast'] ?? 0) + 1;
    figures.wipes.total += 1;
    if (random() < 0.001) figures.wipes.unverified += 1;
  }
  figures.sessions = sessions;
  figures.sessionSeconds = {
    total: durations.reduce((sum, value) => sum + value, 0),
    median: nearestRank(durations, 0.5),
    p90: nearestRank(durations, 0.9),
    histogram: histogramOf(SESSION_SECONDS_BUCKETS, durations),
  };
  figures.help.waitSeconds = { median: nearestRank(waits, 0.5), p90: nearestRank(waits, 0.9), histogram: histogramOf(WAIT_SECONDS_BUCKETS, waits) };
  return figures;
}

const TOWNS = [
  'Namur', 'Liège', 'Charleroi', 'Mons', 'Tournai', 'Arlon', 'Wavre', 'Verviers', 'Huy', 'Dinant', 'Gent', 'Antwerpen', 'Brugge', 'Leuven', 'Hasselt', 'Kortrijk', 'Mechelen', 'Aalst',
  'Anderlecht', 'Schaerbeek', 'Molenbeek', 'Ixelles', 'Forest', 'Eupen', 'Sankt Vith', 'Kelmis',
] as const;
const KINDS = ['EPN', 'Bibliothèque', 'CPAS', 'Maison de quartier', 'Digipunt', 'OCMW'] as const;

function profileOf(town: string): Profile {
  const index = TOWNS.indexOf(town as (typeof TOWNS)[number]);
  return index < 10 ? 'wallonia' : index < 18 ? 'flanders' : index < 23 ? 'brussels' : 'east';
}

export interface GeneratedNetwork {
  readonly folder: string;
  readonly kiosks: number;
  readonly sites: number;
  readonly jsonFiles: number;
  readonly csvFiles: number;
  readonly bytes: number;
  readonly seconds: number;
}

/** Writes the network's exports into `folder` (one sub-folder per site). */
export function generateNetwork(folder: string, kioskCount: number, seed = 2025): GeneratedNetwork {
  const started = performance.now();
  const random = randomSource(seed);
  const pools = new Map<Profile, PublishedDailyFigures[]>();
  for (const profile of Object.keys(LANGUAGE_PROFILES) as Profile[]) {
    const pool: PublishedDailyFigures[] = [];
    for (let index = 0; index < POOL_DAYS_PER_PROFILE; index += 1) pool.push(suppressCounts(openDay(random, profile), THRESHOLD));
    pools.set(profile, pool);
  }
  const closed = suppressCounts(emptyDailyFigures(YEAR.from), THRESHOLD);
  const days = eachDay(YEAR.from, YEAR.to);
  const weekdays = days.map(isoWeekday);

  let kiosks = 0;
  let sites = 0;
  let jsonFiles = 0;
  let csvFiles = 0;
  let bytes = 0;
  while (kiosks < kioskCount) {
    const town = TOWNS[Math.floor(random() * TOWNS.length)]!;
    const kind = KINDS[Math.floor(random() * KINDS.length)]!;
    const site = `${kind} ${town} ${sites + 1}`;
    const profile = profileOf(town);
    const pool = pools.get(profile)!;
    const opensSaturday = random() < 0.5;
    const siteFolder = join(folder, `site-${String(sites + 1).padStart(3, '0')}`);
    mkdirSync(siteFolder, { recursive: true });
    const size = Math.min(kioskCount - kiosks, 3 + Math.floor(random() * 15));
    for (let pc = 1; pc <= size; pc += 1) {
      const kioskId = Array.from({ length: 4 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
      const statistics: StatisticsExport = {
        format: STATISTICS_EXPORT_FORMAT,
        schemaVersion: STATISTICS_SCHEMA_VERSION,
        kioskId,
        kiosk: { name: `PC ${pc}`, site },
        exportedAt: `2026-01-${String(2 + (kiosks % 20)).padStart(2, '0')}T09:${String(kiosks % 60).padStart(2, '0')}Z`,
        period: { ...YEAR },
        suppressionThreshold: THRESHOLD,
        days: days.map((day, index) => {
          const weekday = weekdays[index]!;
          const open = weekday < 6 || (weekday === 6 && opensSaturday);
          return { ...(open ? pool[Math.floor(random() * pool.length)]! : closed), day };
        }),
      };
      const asCsv = kiosks % 4 === 3;
      const text = asCsv ? exportToCsv(statistics) : exportToJson(statistics);
      writeFileSync(join(siteFolder, `pc-${pc}.${asCsv ? 'csv' : 'json'}`), text);
      bytes += Buffer.byteLength(text);
      if (asCsv) csvFiles += 1;
      else jsonFiles += 1;
      kiosks += 1;
    }
    sites += 1;
  }
  return { folder, kiosks, sites, jsonFiles, csvFiles, bytes, seconds: (performance.now() - started) / 1000 };
}

export interface CommandRun {
  readonly exitCode: number | null;
  readonly seconds: number;
  /** Peak resident memory of the command's process, bytes. */
  readonly maxRssBytes: number;
  /** How the peak was read. */
  readonly memorySource: '/usr/bin/time -v' | 'process.resourceUsage()';
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** The child's own report of its peak memory, where /usr/bin/time is missing. */
const SELF_REPORTING_CHILD = `
import { writeFileSync } from 'node:fs';
const { runStatsCli } = await import(process.env.STATS_CLI_URL);
const code = await runStatsCli(process.argv.slice(1));
writeFileSync(process.env.STATS_MEMORY_FILE, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
process.exitCode = code;
`;

/** Runs `npm run stats -- <args>` as npm would (node + tsx on the CLI), in a child process. */
export async function runStatsCommand(args: readonly string[], scratch: string): Promise<CommandRun> {
  const cli = join(repositoryRoot, 'electron', 'services', 'statistics-cli.ts');
  const timeFile = join(scratch, 'time.txt');
  const memoryFile = join(scratch, 'memory.json');
  const useGnuTime = existsSync(GNU_TIME);
  const [command, commandArgs] = useGnuTime
    ? [GNU_TIME, ['-v', '-o', timeFile, process.execPath, '--import', 'tsx', cli, ...args]]
    : [process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', SELF_REPORTING_CHILD, ...args]];
  const started = performance.now();
  const child = spawn(command, commandArgs, {
    cwd: repositoryRoot,
    env: { ...process.env, STATS_CLI_URL: pathToFileURL(cli).href, STATS_MEMORY_FILE: memoryFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const seconds = (performance.now() - started) / 1000;
  let maxRssBytes: number;
  if (useGnuTime) {
    const report = readFileSync(timeFile, 'utf8');
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    if (match === null) throw new Error(`/usr/bin/time -v gave no peak memory:\n${report}`);
    maxRssBytes = Number(match[1]) * 1024;
  } else {
    maxRssBytes = (JSON.parse(readFileSync(memoryFile, 'utf8')) as { maxRssKiB: number }).maxRssKiB * 1024;
  }
  return { exitCode, seconds, maxRssBytes, memorySource: useGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage()', stdout, stderr };
}

export interface StatisticsMergeFigures {
  readonly network: GeneratedNetwork;
  readonly merge: CommandRun;
  /** `stats --help`: what starting Node, tsx and the command costs on its own. */
  readonly startUp: CommandRun;
  readonly reportBytes: number;
  readonly csvBytes: number;
}

/** Generates the network in a fresh temporary folder, merges it with the command, removes the folder. */
export async function measureStatisticsMerge(kioskCount = 1600): Promise<StatisticsMergeFigures> {
  const scratch = mkdtempSync(join(tmpdir(), 'epn-bench-merge-'));
  try {
    const exportsFolder = join(scratch, 'exports');
    const network = generateNetwork(exportsFolder, kioskCount);
    const out = join(scratch, 'report', 'network-2025.html');
    const startUp = await runStatsCommand(['--help'], scratch);
    if (startUp.exitCode !== 0) throw new Error(`stats --help exited with ${startUp.exitCode}:\n${startUp.stderr}`);
    const merge = await runStatsCommand(['merge', exportsFolder, '--out', out, '--title', 'Benchmark network 2025'], scratch);
    if (merge.exitCode !== 0) throw new Error(`the merge exited with ${merge.exitCode}:\n${merge.stderr}`);
    const expected = `merged ${network.kiosks} files, skipped 0 files: ${network.kiosks} kiosks, ${network.sites} sites, 365 days`;
    if (!merge.stdout.includes(expected)) throw new Error(`the merge did not merge everything; expected "${expected}", got:\n${merge.stdout}${merge.stderr}`);
    return { network, merge, startUp, reportBytes: statSync(out).size, csvBytes: statSync(out.replace(/\.html$/, '.csv')).size };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

/** The figures as printed rows: measure, figure, target, mark. */
export function statisticsMergeRows(figures: StatisticsMergeFigures): [string, string, string, string][] {
  const { merge, startUp, network } = figures;
  return [
    [`Merge ${network.kiosks} kiosk exports (${network.jsonFiles} JSON, ${network.csvFiles} CSV, ${mib(network.bytes)}), wall time`, `${merge.seconds.toFixed(1)} s`, `≤ ${MERGE_TARGET_SECONDS} s`, merge.seconds <= MERGE_TARGET_SECONDS ? 'pass' : 'OVER'],
    [`Merge, peak memory of the command (${merge.memorySource})`, mib(merge.maxRssBytes), `≤ ${MERGE_TARGET_MIB} MiB`, merge.maxRssBytes <= MERGE_TARGET_MIB * 1024 ** 2 ? 'pass' : 'OVER'],
    ['For scale: stats --help (Node + tsx start-up), wall time', `${startUp.seconds.toFixed(2)} s`, '', ''],
    ['For scale: stats --help, peak memory', mib(startUp.maxRssBytes), '', ''],
    ['Report written (HTML, Chart.js inside) / merged CSV', `${(figures.reportBytes / 1e6).toFixed(1)} MB / ${(figures.csvBytes / 1e6).toFixed(1)} MB`, '', ''],
  ];
}

/** What the figures are, in sentences under the table. */
export function statisticsMergeNotes(figures: StatisticsMergeFigures): string[] {
  const { network } = figures;
  return [
    `Statistics merge: ${network.kiosks} kiosk exports of 2025 (one file per kiosk, ${network.jsonFiles} JSON and ${network.csvFiles} CSV as kiosks write them, ${network.sites} sites of 3 to 17 kiosks, one folder per site, threshold 3), generated in ${network.seconds.toFixed(1)} s into a temporary folder removed afterwards.`,
    `Command: node --import tsx electron/services/statistics-cli.ts merge <folder> --out <report.html> in a child process (as npm run stats runs it); wall time from spawn to exit, including Node and tsx start-up; peak memory is the child's maximum resident set (${figures.merge.memorySource}).`,
  ];
}


async function main(): Promise<void> {
  const raw = process.env.BENCH_MERGE_KIOSKS;
  const kiosks = raw === undefined || raw === '' ? 1600 : Number(raw);
  if (!Number.isInteger(kiosks) || kiosks < 10) throw new Error(`BENCH_MERGE_KIOSKS must be a whole number of at least 10, not "${raw}"`);
  const machine = describeMachine('not used');
  const figures = await measureStatisticsMerge(kiosks);
  const lines = [
    `EPN Kiosk statistics merge benchmark, ${new Date().toISOString()}`,
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.system}, load average ${machine.loadAverage} at start; Node ${machine.node}`,
    '',
    textTable(statisticsMergeRows(figures)),
    '',
    ...statisticsMergeNotes(figures),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const resultsDir = join(repositoryRoot, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'bench-statistics-merge.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, network: figures.network, merge: { ...figures.merge, stdout: undefined, stderr: undefined }, startUp: { seconds: figures.startUp.seconds, maxRssBytes: figures.startUp.maxRssBytes }, reportBytes: figures.reportBytes, csvBytes: figures.csvBytes }, null, 2)}\n`,
  );
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
