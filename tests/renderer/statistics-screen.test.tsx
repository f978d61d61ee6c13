/**
 * The staff statistics screen (in staff mode, behind the PIN) over the real handlers, with a statistics
 * source built from the real pure model: daily figures rolled up from events, summarized
 * and exported with suppression. jsdom cannot draw on a canvas, so these tests read the
 * key numbers and the tables beside the charts, and check that every chart has its canvas.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import enStats from '../../locales/en/stats.json';
import frStats from '../../locales/fr/stats.json';
import nlStats from '../../locales/nl/stats.json';
import frWelcome from '../../locales/fr/welcome.json';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { CSV_HEADER, CSV_SUPPRESSED, parseStatisticsExportJson } from '../../shared/statistics/export-format';
import { rollUpDay, type DailyFigures, type StoredEvent } from '../../shared/statistics/daily-figures';
import type { UsageEvent } from '../../shared/usage-events';
import type { LanguageCode } from '../../shared/languages';
import { parsedConfig, startTestKiosk, type TestKioskOptions } from './kiosk-harness';
import { chooseTab, openStaffScreen, STAFF, TEST_PIN } from './staff/staff-helpers';

/** "Today" on the staff's PC during these tests: Friday 7 March 2025, noon. */
const TODAY = new Date(2025, 2, 7, 12, 0, 0);

let minute = 29_000_000;
function stored(day: string, sessionKey: string, events: UsageEvent[]): StoredEvent[] {
  return events.map((event) => ({ day, minute: (minute += 1), sessionKey, event }));
}

function visit(day: string, key: string, language: LanguageCode, services: string[], durationSeconds: number | null): StoredEvent[] {
  return stored(day, key, [
    { type: 'session-started', language },
    ...services.map((serviceId): UsageEvent => ({ type: 'service-opened', serviceId })),
    ...(durationSeconds === null ? [] : [{ type: 'session-ended', reason: 'visitor', durationSeconds } as const]),
  ]);
}

/**
 * Monday 3 March: five sessions (three in French on "My taxes", one in Dutch on VDAB, one
 * in English on a service no longer configured), two help requests answered after 45 s
 * and 200 s. Wednesday 5 March: one German session still under way (no length yet).
 */
const FIGURES: DailyFigures[] = [
  rollUpDay('2025-03-03', [
    ...visit('2025-03-03', 's1', 'fr', ['myminfin'], 600),
    ...visit('2025-03-03', 's2', 'fr', ['myminfin'], 600),
    ...visit('2025-03-03', 's3', 'fr', ['myminfin'], 600),
    ...visit('2025-03-03', 's4', 'nl', ['vdab'], 1200),
    ...visit('2025-03-03', 's5', 'en', ['retired-service'], 300),
    ...stored('2025-03-03', 's1', [
      { type: 'help-requested', serviceId: 'myminfin' },
      { type: 'help-acknowledged', waitSeconds: 45 },
    ]),
    ...stored('2025-03-03', 's4', [
      { type: 'help-requested', serviceId: null },
      { type: 'help-acknowledged', waitSeconds: 200 },
    ]),
  ]),
  rollUpDay('2025-03-05', visit('2025-03-05', 's6', 'de', ['sncb'], null)),
];

const root = () => document.documentElement;

/** The kiosk, then staff mode (chord and PIN), then its Statistics tab. */
async function openStatistics(options: TestKioskOptions = {}) {
  const user = userEvent.setup();
  const kiosk = startTestKiosk({ statisticsDays: FIGURES, staffPin: TEST_PIN, ...options });
  await openStaffScreen(user, kiosk);
  await chooseTab(user, 'statistics');
  return kiosk;
}

/** The figures section once it shows the answer to the period asked for. */
async function figuresReady(): Promise<HTMLElement> {
  await waitFor(() => expect(document.querySelector('.stats-figures')?.getAttribute('data-state')).toBe('ready'));
  return document.querySelector<HTMLElement>('.stats-figures')!;
}

/** Text as read, with the no-break spaces Intl puts between a number and its unit or its thousands written as plain spaces. */
function plain(text: string | null | undefined): string {
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
}

/** A text as Testing Library reads the page: every run of white space, no-break spaces included, as one space. */
function asShown(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function keyValue(testId: string): string {
  return plain(within(screen.getByTestId(testId)).getByRole('definition').textContent);
}

/** The rows of the table beside a chart, as [label, value] pairs. */
function tableRows(chart: string): string[][] {
  const table = within(screen.getByTestId(`chart-${chart}`)).getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => plain(cell.textContent)));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: TODAY });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('the statistics screen', () => {
  it('opens in staff mode in the default language, with the last 7 days grouped by day', async () => {
    const kiosk = await openStatistics();
    await screen.findByRole('heading', { level: 1, name: frStats.title });
    await figuresReady();
    expect(root().dataset.screen).toBe('statistics');
    expect(root().dataset.sessionPhase).toBeUndefined();
    expect(root().lang).toBe('fr');
    // (React's strict mode may ask twice on mount: the same question.)
    expect(new Set(kiosk.statistics.summaries.map((asked) => JSON.stringify(asked)))).toEqual(new Set([JSON.stringify({ from: '2025-03-01', to: '2025-03-07', groupBy: 'day' })]));
    expect(screen.getByRole('heading', { level: 2, name: 'Du 1 mars 2025 au 7 mars 2025' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: frStats.period.last7 })).toHaveProperty('checked', true);
    expect(screen.getByRole('radio', { name: frStats.groupBy.day })).toHaveProperty('checked', true);
  });

  it('shows the key numbers: sessions, half and 9 in 10 sessions lasted at most, help requests', async () => {
    await openStatistics();
    await figuresReady();
    expect(keyValue('key-sessions')).toBe('6');
    expect(keyValue('key-median')).toBe('10 min');
    expect(keyValue('key-p90')).toBe('20 min');
    expect(keyValue('key-help')).toBe('2');
    expect(within(screen.getByTestId('key-median')).getByRole('term').textContent).toBe(`${frStats.keys.medianDuration} ${frStats.keys.medianTerm}`);
    expect(keyValue('help-answered')).toBe('2');
    expect(keyValue('help-median')).toBe('45 s');
    expect(keyValue('help-p90')).toBe('3 min 20 s');
    // One day with lengths: the times are exact, not estimated.
    expect(screen.queryByText(asShown(frStats.keys.estimatedNote))).toBeNull();
  });

  it('draws each chart on a canvas with a text alternative, and gives its figures in a table beside it', async () => {
    await openStatistics();
    await figuresReady();
    const charts = ['sessions', 'services', 'help-waits', 'languages'];
    for (const chart of charts) {
      const figure = screen.getByTestId(`chart-${chart}`);
      const canvas = figure.querySelector('canvas');
      expect(canvas, chart).not.toBeNull();
      expect(canvas!.getAttribute('role')).toBe('img');
      const title = within(figure).getByText((_content, element) => element?.tagName === 'FIGCAPTION').textContent!;
      expect(canvas!.getAttribute('aria-label')).toBe(frStats.charts.alt.replace('{{title}}', title));
      expect(within(figure).getByRole('table', { name: title })).toBeTruthy();
    }
    expect(screen.getAllByRole('figure')).toHaveLength(charts.length);

    expect(tableRows('sessions')).toEqual([
      ['1 mars 2025', '0'],
      ['2 mars 2025', '0'],
      ['3 mars 2025', '5'],
      ['4 mars 2025', '0'],
      ['5 mars 2025', '1'],
      ['6 mars 2025', '0'],
      ['7 mars 2025', '0'],
    ]);
    const label = (id: string) => DEFAULT_CONFIG.services.find((service) => service.id === id)!.label.fr;
    // Labelled in the staff's language; a service no longer configured keeps its id.
    expect(tableRows('services')).toEqual([
      [label('myminfin'), '3'],
      ['retired-service', '1'],
      [label('sncb'), '1'],
      [label('vdab'), '1'],
    ]);
    expect(tableRows('languages')).toEqual([
      ['Français', '3'],
      ['Allemand', '1'],
      ['Anglais', '1'],
      ['Néerlandais', '1'],
    ]);
    const waits = tableRows('help-waits');
    expect(waits[0]).toEqual(['de 0 s à 30 s', '0']);
    expect(waits[1]).toEqual(['de 30 s à 1 min', '1']);
    expect(waits[4]).toEqual(['de 3 min à 5 min', '1']);
    expect(waits.at(-1)).toEqual(['1 h ou plus', '0']);
    expect(waits.reduce((sum, [, count]) => sum + Number(count), 0)).toBe(2);
  });

  it('groups by week and follows the period chosen, asking the main side each time', async () => {
    const user = userEvent.setup();
    const kiosk = await openStatistics();
    await figuresReady();

    await user.click(screen.getByRole('radio', { name: frStats.groupBy.week }));
    await figuresReady();
    expect(kiosk.statistics.summaries.at(-1)).toEqual({ from: '2025-03-01', to: '2025-03-07', groupBy: 'week' });
    expect(screen.getByRole('figure', { name: frStats.charts.sessionsPerWeek })).toBe(screen.getByTestId('chart-sessions'));
    expect(tableRows('sessions')).toEqual([
      ['Semaine 9 (1–2 mars 2025)', '0'],
      ['Semaine 10 (3–7 mars 2025)', '6'],
    ]);

    await user.click(screen.getByRole('radio', { name: frStats.period.last30 }));
    await figuresReady();
    expect(kiosk.statistics.summaries.at(-1)).toEqual({ from: '2025-02-06', to: '2025-03-07', groupBy: 'week' });

    await user.click(screen.getByRole('radio', { name: frStats.period.thisYear }));
    await figuresReady();
    expect(kiosk.statistics.summaries.at(-1)).toEqual({ from: '2025-01-01', to: '2025-03-07', groupBy: 'week' });
    expect(screen.getByRole('heading', { level: 2, name: 'Du 1 janvier 2025 au 7 mars 2025' })).toBeTruthy();
    expect(tableRows('sessions')).toHaveLength(10);
  });

  it('takes two days of the staff\'s choosing, and says plainly what is wrong with them instead of asking', async () => {
    const user = userEvent.setup();
    const kiosk = await openStatistics();
    await figuresReady();
    await user.click(screen.getByRole('radio', { name: frStats.period.custom }));
    const first = screen.getByLabelText(frStats.period.from) as HTMLInputElement;
    const last = screen.getByLabelText(frStats.period.to) as HTMLInputElement;
    // It starts from the period that was on screen.
    expect([first.value, last.value]).toEqual(['2025-03-01', '2025-03-07']);

    const asked = kiosk.statistics.summaries.length;
    await user.clear(first);
    await user.type(first, '2025-03-09');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', frStats.period.problem.order);
    expect(document.querySelector('.stats-figures')?.getAttribute('data-state')).toBe('waiting');
    for (const name of [frStats.export.csv, frStats.export.json]) expect(screen.getByRole('button', { name })).toHaveProperty('disabled', true);

    await user.clear(first);
    expect(screen.getByRole('alert').textContent).toBe(frStats.period.problem.missing);
    await user.type(first, '2025-03-03');
    await figuresReady();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(kiosk.statistics.summaries.slice(asked)).toEqual([{ from: '2025-03-03', to: '2025-03-07', groupBy: 'day' }]);
    expect(tableRows('sessions').map(([day]) => day)).toEqual(['3 mars 2025', '4 mars 2025', '5 mars 2025', '6 mars 2025', '7 mars 2025']);

    await user.clear(first);
    await user.type(first, '2020-01-01');
    expect(screen.getByRole('alert').textContent).toBe(frStats.period.problem['too-long']);
  });

  it('speaks the language staff choose: texts, numbers, days, service and language names', async () => {
    const user = userEvent.setup();
    await openStatistics({ statisticsDays: [...FIGURES, rollUpDay('2025-03-06', Array.from({ length: 1234 }, (_, index) => visit('2025-03-06', `n${index}`, 'nl', [], null)).flat())] });
    await figuresReady();
    expect(keyValue('key-sessions')).toBe('1 240');

    await user.selectOptions(screen.getByLabelText(frStats.language), 'Nederlands');
    await screen.findByRole('heading', { level: 1, name: nlStats.title });
    expect(root().lang).toBe('nl');
    expect(keyValue('key-sessions')).toBe('1.240');
    expect(screen.getByRole('heading', { level: 2, name: 'Van 1 maart 2025 tot 7 maart 2025' })).toBeTruthy();
    expect(tableRows('services')[0]).toEqual([DEFAULT_CONFIG.services.find((service) => service.id === 'myminfin')!.label.nl, '3']);
    expect(tableRows('languages').map(([name]) => name)).toEqual(['Nederlands', 'Frans', 'Duits', 'Engels']);

    await user.selectOptions(screen.getByLabelText(nlStats.language), 'English');
    await screen.findByRole('heading', { level: 1, name: enStats.title });
    expect(keyValue('key-sessions')).toBe('1,240');
    expect(within(screen.getByTestId('chart-sessions')).getByRole('table', { name: enStats.charts.sessionsPerDay })).toBeTruthy();
  });

  it('says "about" for times estimated over several days', async () => {
    await openStatistics({ statisticsDays: [...FIGURES, rollUpDay('2025-03-06', visit('2025-03-06', 'late', 'fr', [], 2000))] });
    await figuresReady();
    expect(keyValue('key-median')).toMatch(/^environ \d+ min/);
    expect(screen.getByText(asShown(frStats.keys.estimatedNote))).toBeTruthy();
  });

  it('tells staff in plain words when the usage log has a problem', async () => {
    const detail = 'the folder /var/lib/epn-kiosk is read-only: 12 events are kept in memory';
    await openStatistics({ storeWarning: detail });
    await figuresReady();
    const warning = screen.getByRole('status', { name: frStats.warning.title });
    expect(within(warning).getByText(frStats.warning.message)).toBeTruthy();
    expect(within(warning).getByText(asShown(frStats.warning.details.replace('{{details}}', detail)))).toBeTruthy();
  });

  it('shows no warning when all is well, and says so when the figures cannot be loaded, with a way to try again', async () => {
    const user = userEvent.setup();
    const kiosk = await openStatistics({ statisticsFailure: new Error('the usage log is closed') });
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', `${frStats.errors.load}${frStats.errors.retry}`);
    expect(screen.queryByTestId('chart-sessions')).toBeNull();
    expect(screen.queryByRole('status', { name: frStats.warning.title })).toBeNull();

    kiosk.statistics.failure = null;
    await user.click(screen.getByRole('button', { name: frStats.errors.retry }));
    await figuresReady();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(keyValue('key-sessions')).toBe('6');
    expect(screen.queryByRole('status', { name: frStats.warning.title })).toBeNull();
  });
});

/** jsdom's Blob has no text(): read it the older way. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(blob);
  });
}

describe('exports', () => {
  /** What the page offered for download: the file name and the Blob's text. */
  function catchDownloads() {
    const saved: Array<{ name: string; type: string; text: Promise<string> }> = [];
    const blobs = new Map<string, Blob>();
    let next = 0;
    // jsdom has no object URLs and cannot download: the browser's part is played here, our code is not.
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        const url = `blob:test/${(next += 1)}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: (url: string) => blobs.delete(url),
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      const blob = blobs.get(this.getAttribute('href') ?? '');
      if (blob === undefined) throw new Error(`a link to ${this.href} was clicked, not a prepared file`);
      saved.push({ name: this.download, type: blob.type, text: readText(blob) });
    });
    return saved;
  }

  it('downloads the period as CSV, with the suppressed counts written as such', async () => {
    const saved = catchDownloads();
    const user = userEvent.setup();
    const kiosk = await openStatistics();
    await figuresReady();
    expect(screen.getByText(asShown(frStats.export.intro.replace('{{threshold}}', '3')))).toBeTruthy();

    await user.click(screen.getByRole('button', { name: frStats.export.csv }));
    await screen.findByText(frStats.export.done.replace('{{fileName}}', 'epn-statistics-2025-03-01-2025-03-07.csv'));
    expect(kiosk.statistics.exports).toEqual([{ range: { from: '2025-03-01', to: '2025-03-07' }, format: 'csv' }]);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('epn-statistics-2025-03-01-2025-03-07.csv');
    expect(saved[0]!.type).toBe('text/csv; charset=utf-8');
    const lines = (await saved[0]!.text).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    const row = (day: string, measure: string, key: string, value: string) => `1,00112233445566778899aabbccddeeff,EPN Kiosk,,${day},${measure},${key},${value}`;
    expect(lines).toContain(row('2025-03-03', 'sessions', '', '5'));
    expect(lines).toContain(row('2025-03-03', 'service_openings', 'myminfin', '3'));
    expect(lines).toContain(row('2025-03-03', 'service_openings', 'vdab', CSV_SUPPRESSED));
    // One session in Dutch and one in English: suppressed, and so are the three in French, which the total would give away.
    expect(lines).toContain(row('2025-03-03', 'language', 'nl', CSV_SUPPRESSED));
    expect(lines).toContain(row('2025-03-03', 'language', 'fr', CSV_SUPPRESSED));
    expect(lines).toContain(row('2025-03-05', 'sessions', '', CSV_SUPPRESSED));
    expect(lines.filter((line) => line.split(',')[4] === '2025-03-07').length).toBeGreaterThan(0);
  });

  it('downloads the period as JSON that reads back as a statistics export', async () => {
    const saved = catchDownloads();
    const user = userEvent.setup();
    await openStatistics();
    await figuresReady();
    await user.click(screen.getByRole('radio', { name: frStats.period.custom }));
    const first = screen.getByLabelText(frStats.period.from);
    await user.clear(first);
    await user.type(first, '2025-03-03');
    await figuresReady();

    await user.click(screen.getByRole('button', { name: frStats.export.json }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.type).toBe('application/json');
    const parsed = parseStatisticsExportJson(await saved[0]!.text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.export.period).toEqual({ from: '2025-03-03', to: '2025-03-07' });
    expect(parsed.export.days.map((day) => day.day)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);
  });

  it('says so when a file cannot be prepared, and offers nothing to save', async () => {
    const saved = catchDownloads();
    const user = userEvent.setup();
    const kiosk = await openStatistics();
    await figuresReady();
    kiosk.statistics.failure = new Error('the usage log is closed');
    await user.click(screen.getByRole('button', { name: frStats.export.csv }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', frStats.export.failed);
    expect(saved).toEqual([]);
  });
});

describe('the way in', () => {
  it('is behind the staff PIN only: the visitor screens show no entry to the statistics, and the main side refuses them', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ statisticsDays: FIGURES, staffPin: TEST_PIN });
    await screen.findByRole('heading', { level: 1, name: frWelcome.title });
    const everything = document.body.textContent ?? '';
    expect(everything).not.toContain(frStats.title);
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(kiosk.calls).not.toContain('stats:summary');
    // The old address leads nowhere.
    act(() => {
      window.location.hash = '#statistics';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(root().dataset.screen).toBe('welcome');
    expect(screen.queryByRole('heading', { level: 1, name: frStats.title })).toBeNull();
    // Asked directly while staff mode is closed, the main side refuses.
    const refused = await kiosk.bridge.stats.summary({ from: '2025-03-01', to: '2025-03-07', groupBy: 'day' });
    expect(refused.ok).toBe(false);

    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'statistics');
    await screen.findByRole('heading', { level: 1, name: frStats.title });
    await figuresReady();
    expect(root().dataset.screen).toBe('statistics');

    await user.click(screen.getByRole('button', { name: STAFF.fr.close }));
    await screen.findByRole('heading', { level: 1, name: frWelcome.title });
    expect(root().dataset.screen).toBe('welcome');
    expect(screen.queryByRole('heading', { level: 1, name: frStats.title })).toBeNull();
  });

  it('keeps the configuration it was given: the kiosk\'s name and site are on the screen', async () => {
    const config = parsedConfig({ ...DEFAULT_CONFIG, kiosk: { name: 'PC 4', site: 'EPN de Namur' } });
    await openStatistics({ config });
    await figuresReady();
    expect(within(document.querySelector<HTMLElement>('.stats-screen')!).getByText('PC 4 · EPN de Namur')).toBeTruthy();
  });
});
