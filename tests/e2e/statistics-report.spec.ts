/**
 * The coordinators' report in a real browser: exports of a small network (JSON and CSV,
 * one kiosk with a hostile name, one broken file) are merged by the command itself
 * (`npm run stats -- merge`, in a child process), and the report it writes is opened from
 * disk (file://) in Chromium. Its charts must be drawn (Chart.js instances on canvases
 * that are not blank), every chart must have its table, nothing may be fetched, and the
 * page may log no error or policy violation.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import {
  SESSION_SECONDS_BUCKETS,
  WAIT_SECONDS_BUCKETS,
  buildStatisticsExport,
  eachDay,
  emptyDailyFigures,
  exportToCsv,
  exportToJson,
  histogramOf,
  isoWeekday,
  nearestRank,
  type DailyFigures,
} from '../../shared/statistics';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const HOSTILE_NAME = '<script>window.__pwned = 1</script>';
const HOSTILE_SITE = '"><img src=x onerror="window.__pwned = 2">';

function dayOf(day: string, seed: number): DailyFigures {
  const figures = emptyDailyFigures(day);
  if (isoWeekday(day) === 7) return figures;
  const sessions = 2 + ((seed * 7 + dayNumberOf(day)) % 14);
  const durations = Array.from({ length: sessions }, (_, index) => 240 + ((index * 397 + seed * 61) % 3000));
  const waits = sessions > 8 ? [35, 90, 150, 400] : [];
  figures.sessions = sessions;
  figures.sessionSeconds = { total: durations.reduce((a, b) => a + b, 0), median: nearestRank(durations, 0.5), p90: nearestRank(durations, 0.9), histogram: histogramOf(SESSION_SECONDS_BUCKETS, durations) };
  figures.endReasons = { visitor: sessions - 1, idle: 1 };
  figures.serviceOpenings = { 'tax-on-web': sessions, 'my-pension': Math.ceil(sessions / 2), forem: Math.floor(sessions / 3) };
  figures.languages = { fr: sessions - 3, nl: 3 };
  figures.help = { requests: waits.length, acknowledged: waits.length, resolved: waits.length, cancelled: 0, waitSeconds: { median: nearestRank(waits, 0.5), p90: nearestRank(waits, 0.9), histogram: histogramOf(WAIT_SECONDS_BUCKETS, waits) } };
  figures.wipes = { total: sessions, unverified: 0 };
  return figures;
}

function dayNumberOf(day: string): number {
  return Number(day.slice(8, 10)) + 31 * Number(day.slice(5, 7));
}

let folder: string;
let reportUrl: string;

test.beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-e2e-stats-'));
  const kiosks = [
    { name: 'PC 1', site: 'EPN de Namur' },
    { name: 'PC 2', site: 'EPN de Namur' },
    { name: HOSTILE_NAME, site: HOSTILE_SITE },
    { name: 'PC 1', site: 'Bibliotheek Gent' },
  ];
  kiosks.forEach((kiosk, index) => {
    const statistics = buildStatisticsExport({
      kioskId: (index + 1).toString(16).padStart(32, '0'),
      kiosk,
      exportedAt: '2026-01-05T09:00Z',
      period: { from: '2025-01-01', to: '2025-06-30' },
      threshold: 3,
      days: eachDay('2025-01-01', '2025-06-30').map((day) => dayOf(day, index)),
    });
    mkdirSync(join(folder, 'exports', `site-${index}`), { recursive: true });
    const file = join(folder, 'exports', `site-${index}`, `pc.${index === 3 ? 'csv' : 'json'}`);
    writeFileSync(file, index === 3 ? exportToCsv(statistics) : exportToJson(statistics));
  });
  writeFileSync(join(folder, 'exports', 'broken.json'), '{"format": "epn-kiosk-statistics", "schemaVersion": 1, "kiosk');

  const merge = spawnSync(process.execPath, ['--import', 'tsx', 'electron/services/statistics-cli.ts', 'merge', join(folder, 'exports'), '--out', join(folder, 'out', 'report.html')], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(merge.status, merge.stderr).toBe(0);
  expect(merge.stdout).toContain('merged 4 files, skipped 1 file: 4 kiosks, 3 sites, 181 days');
  reportUrl = pathToFileURL(join(folder, 'out', 'report.html')).href;
});

test.afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

test('the merged report opens from disk and draws every chart beside its table, fetching nothing', async ({ page }) => {
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });

  await page.goto(reportUrl);
  const root = page.locator('html');
  await expect(root).toHaveAttribute('data-charts', 'drawn');

  const canvases = page.locator('canvas');
  await expect(canvases).toHaveCount(6);
  await expect(root).toHaveAttribute('data-chart-count', '6');
  const drawn = await page.evaluate(() => {
    const { Chart } = window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): { data: { labels: unknown[] } } | undefined } };
    return Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const blank = document.createElement('canvas');
      blank.width = canvas.width;
      blank.height = canvas.height;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted += 1;
      return {
        id: canvas.id,
        chart: Chart.getChart(canvas) !== undefined,
        bars: Chart.getChart(canvas)?.data.labels.length ?? 0,
        notBlank: canvas.toDataURL() !== blank.toDataURL(),
        painted,
        size: canvas.width * canvas.height,
      };
    });
  });
  for (const canvas of drawn) {
    expect(canvas.chart, canvas.id).toBe(true);
    expect(canvas.bars, canvas.id).toBeGreaterThan(0);
    expect(canvas.notBlank, canvas.id).toBe(true);
    // Bars, axes and labels cover a fair part of the canvas, not a stray pixel.
    expect(canvas.painted / canvas.size, canvas.id).toBeGreaterThan(0.02);
  }

  // Every chart has its table, with a row per bar at least.
  const sections = page.locator('section.chart');
  await expect(sections).toHaveCount(6);
  for (const section of await sections.all()) {
    const id = await section.locator('canvas').getAttribute('id');
    const bars = drawn.find((canvas) => canvas.id === id)!.bars;
    expect(await section.locator('table tbody tr').count(), id ?? '').toBeGreaterThanOrEqual(bars);
  }
  await expect(page.getByRole('heading', { level: 2, name: 'Sessions per week, whole network' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'How to read these figures' })).toBeVisible();

  // Hostile names are shown as text and run nothing.
  await expect(page.getByRole('table', { name: 'Figures per site' }).getByRole('rowheader', { name: HOSTILE_SITE })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sessions per site' }).getByRole('rowheader', { name: HOSTILE_SITE })).toBeVisible();
  await expect(page.getByRole('cell', { name: HOSTILE_NAME })).toBeVisible();
  await page.locator('summary', { hasText: 'Kiosks (4)' }).click();
  await expect(page.getByRole('rowheader', { name: HOSTILE_NAME })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('img')).toHaveCount(0);

  // The broken file is named, with its reason.
  await expect(page.getByRole('row', { name: /exports\/broken\.json not valid JSON/ })).toBeVisible();

  expect(requests).toEqual([reportUrl]);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  expect(problems).toEqual([]);
});
