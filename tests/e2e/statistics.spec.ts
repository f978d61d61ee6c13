/**
 * The staff statistics screen in the browser preview (staff mode's Statistics tab, behind
 * the key chord and the PIN), over the real usage store
 * (<dataDir>/usage.sqlite): after two visitor sessions it shows them, their languages
 * and their services, draws its charts with chart.js under the page's strict
 * Content-Security-Policy, and downloads the CSV export with the small counts suppressed
 * (two sessions, threshold 3).
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import type { LanguageCode } from '../../shared/languages';
import { CSV_HEADER, CSV_SUPPRESSED } from '../../shared/statistics/export-format';
import { expect, languageButton, openStaffMode, test, tile, type Kiosk, type KioskService } from './fixtures';
import { staffText, statsText, text } from './support/locales';

/** The kiosk's default language: the statistics screen opens in it. */
const STAFF: LanguageCode = 'fr';

function html(page: Page): Locator {
  return page.locator('html');
}

/** One visitor: a language, one service, then "End session" and the welcome screen again. */
async function visit(page: Page, kiosk: Kiosk, language: LanguageCode, service: KioskService): Promise<void> {
  await kiosk.openWelcome(page);
  await languageButton(page, language).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await tile(page, service, language).click();
  await expect(page.frameLocator('iframe').getByRole('heading', { name: service.heading })).toBeVisible();
  await page.getByRole('toolbar').getByRole('button', { name: text(language, 'toolbar.endSession'), exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: text(language, 'endSession.confirm') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'erased');
  await kiosk.advance(kiosk.timings.erasedMs);
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
}

/** The session clock's day and the days around it, whatever the machine's time zone. */
function daysAround(kiosk: Kiosk): { from: string; to: string } {
  const day = (offsetDays: number) => new Date(kiosk.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(1) };
}

function keyNumber(page: Page, testId: string): Locator {
  return page.getByTestId(testId).getByRole('definition');
}

/** Whether a canvas has anything drawn on it. */
function hasInk(canvas: Locator): Promise<boolean> {
  return canvas.evaluate((element) => {
    const drawing = element as HTMLCanvasElement;
    if (drawing.width === 0 || drawing.height === 0) return false;
    const pixels = drawing.getContext('2d')!.getImageData(0, 0, drawing.width, drawing.height).data;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] !== 0) return true;
    return false;
  });
}

test('after two visitors, staff see the sessions and the languages, and download the CSV with small counts suppressed', async ({ page, kiosk }) => {
  await visit(page, kiosk, 'nl', kiosk.frameable);
  await visit(page, kiosk, 'de', kiosk.sibling);

  await openStaffMode(page);
  await page.getByRole('tab', { name: staffText(STAFF, 'tabs.statistics') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'statistics');
  await expect(html(page)).toHaveAttribute('lang', STAFF);
  await expect(page.getByRole('heading', { level: 1, name: statsText(STAFF, 'title') })).toBeVisible();

  // The sessions were on the session clock's day: the days around it, chosen with the date fields.
  const { from, to } = daysAround(kiosk);
  await page.getByRole('radio', { name: statsText(STAFF, 'period.custom') }).check();
  await page.getByLabel(statsText(STAFF, 'period.from')).fill(from);
  await page.getByLabel(statsText(STAFF, 'period.to')).fill(to);
  const figures = page.locator('.stats-figures');
  await expect(figures).toHaveAttribute('data-state', 'ready');
  await expect(keyNumber(page, 'key-sessions')).toHaveText('2');

  const languages = page.getByRole('figure', { name: statsText(STAFF, 'charts.languages') });
  await expect(languages.getByRole('row')).toHaveText([
    `${statsText(STAFF, 'charts.languageColumn')}${statsText(STAFF, 'charts.sessionsColumn')}`,
    'Allemand1',
    'Néerlandais1',
  ]);
  const services = page.getByRole('figure', { name: statsText(STAFF, 'charts.topServices') });
  await expect(services.getByRole('rowheader')).toHaveText([kiosk.frameable.label[STAFF], kiosk.sibling.label[STAFF]]);

  // Each chart is drawn, and says what it is to a screen reader.
  const sessionsChart = page.getByRole('figure', { name: statsText(STAFF, 'charts.sessionsPerDay') });
  for (const figure of [sessionsChart, services, languages]) {
    const canvas = figure.locator('canvas');
    await expect(canvas).toHaveAttribute('role', 'img');
    await expect.poll(() => hasInk(canvas)).toBe(true);
  }

  // The CSV, as a coordinator receives it.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: statsText(STAFF, 'export.csv') }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`-${from}-${to}\\.csv$`));
  await expect(page.getByRole('status').filter({ hasText: download.suggestedFilename() })).toHaveText(
    statsText(STAFF, 'export.done', { fileName: download.suggestedFilename() }),
  );
  const csv = await readFile(await download.path(), 'utf8');
  const rows = csv.trimEnd().split('\r\n').map((line) => line.split(','));
  expect(rows[0]).toEqual([...CSV_HEADER]);
  const column = (name: (typeof CSV_HEADER)[number]) => CSV_HEADER.indexOf(name);
  const measure = (name: string, key = '') => rows.filter((row) => row[column('measure')] === name && row[column('key')] === key && row[column('value')] !== '0');
  // Two sessions against a threshold of 3: the day's count, its languages and its services are all suppressed.
  const sessions = measure('sessions');
  expect(sessions).toHaveLength(1);
  expect(sessions[0]![column('value')]).toBe(CSV_SUPPRESSED);
  for (const language of ['nl', 'de']) expect(measure('language', language).map((row) => row[column('value')])).toEqual([CSV_SUPPRESSED]);
  for (const service of [kiosk.frameable, kiosk.sibling]) expect(measure('service_openings', service.id).map((row) => row[column('value')])).toEqual([CSV_SUPPRESSED]);
  expect(rows.slice(1).every((row) => row[column('kiosk_name')] === 'PC 3')).toBe(true);
});

test('the visitor screens show no way to the statistics', async ({ page, kiosk }) => {
  await kiosk.openWelcome(page);
  await expect(page.getByText(statsText(STAFF, 'title'))).toHaveCount(0);
  await expect(page.locator('a')).toHaveCount(0);
  await languageButton(page, 'en').click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(page.getByText(statsText('en', 'title'))).toHaveCount(0);
  await expect(page.locator('a')).toHaveCount(0);
  // The old address opens nothing: the statistics are behind the staff PIN only.
  await page.goto(`${kiosk.url}#statistics`);
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(page.getByText(statsText('en', 'title'))).toHaveCount(0);
  // And the main side refuses them while staff mode is closed.
  const refused = await page.request.post(`${kiosk.url}api/contract/${encodeURIComponent('stats:summary')}`, {
    data: { argument: { from: '2025-01-01', to: '2025-01-07', groupBy: 'day' } },
  });
  expect(((await refused.json()) as { ok: boolean }).ok).toBe(false);
});
