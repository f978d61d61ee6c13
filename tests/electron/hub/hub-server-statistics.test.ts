import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeStatisticsFiles, parseStatisticsCsv, parseStatisticsCsvExports } from '../../../electron/services/statistics-cli';
import { HubErrorSchema, HubStatisticsSummarySchema, StatisticsUploadResultSchema, type HubError, type HubStatisticsSummary, type StatisticsUpload } from '../../../shared/hub-api';
import { emptyDailyFigures, type DailyFigures } from '../../../shared/statistics/daily-figures';
import { CSV_HEADER, csvText, parseStatisticsExport } from '../../../shared/statistics/export-format';
import { hubFetch, randomHexId, startTestHub, type PairedDevice, type TestHub } from './hub-test-kit';

let kit: TestHub;
let staff: PairedDevice;
let kioskA: PairedDevice;
let kioskB: PairedDevice;

beforeEach(async () => {
  kit = await startTestHub({ site: 'EPN de Liège' });
  staff = await kit.pair('staff');
  kioskA = await kit.pair('kiosk', { name: 'PC 1' });
  kioskB = await kit.pair('kiosk', { name: 'PC 2' });
});

afterEach(async () => {
  await kit.close();
});

function errorOf(body: unknown): HubError['error'] {
  return HubErrorSchema.parse(body).error;
}

/** A day with `sessions` sessions, all in French. */
function figures(day: string, sessions: number): DailyFigures {
  return { ...emptyDailyFigures(day), sessions, languages: { fr: sessions } };
}

function uploadOf(kiosk: PairedDevice, days: DailyFigures[]): StatisticsUpload {
  return { kioskId: kiosk.kioskId!, kiosk: { name: kiosk.name, site: 'EPN de Liège' }, days };
}

async function upload(device: PairedDevice, body: StatisticsUpload): Promise<{ stored: number; replaced: number }> {
  const answer = await hubFetch(kit.url, '/statistics/uploads', { token: device.token, json: body });
  expect(answer.status, answer.text).toBe(200);
  return StatisticsUploadResultSchema.parse(answer.body);
}

async function summary(query: string): Promise<HubStatisticsSummary> {
  const answer = await hubFetch(kit.url, `/statistics/summary?${query}`, { token: staff.token });
  expect(answer.status, answer.text).toBe(200);
  return HubStatisticsSummarySchema.parse(answer.body);
}

describe('uploads', () => {
  it('replaces a kiosk-day uploaded again, never adds it twice', async () => {
    expect(await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 5), figures('2025-01-07', 6)]))).toEqual({ stored: 2, replaced: 0 });
    expect(await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 5), figures('2025-01-07', 6)]))).toEqual({ stored: 0, replaced: 2 });
    expect(await upload(kioskA, uploadOf(kioskA, [figures('2025-01-07', 8)]))).toEqual({ stored: 0, replaced: 1 });
    const result = await summary('from=2025-01-06&to=2025-01-07');
    expect(result.days.map((day) => day.sessions)).toEqual([5, 8]);
    expect(result.kioskCount).toBe(1);
  });

  it("lets a kiosk upload only its own figures (403 naming kioskId), a downstream hub anyone's, staff nobody's", async () => {
    const asOther = await hubFetch(kit.url, '/statistics/uploads', { token: kioskA.token, json: uploadOf(kioskB, [figures('2025-01-06', 5)]) });
    expect(asOther.status).toBe(403);
    expect(errorOf(asOther.body).message).toMatch(/^kioskId: a kiosk may upload only its own figures/);

    const hubDevice = await kit.pair('hub');
    const forwarded = { kioskId: randomHexId(), kiosk: { name: 'PC far away', site: 'EPN de Huy' }, days: [figures('2025-01-06', 4)] };
    expect(await upload(hubDevice, forwarded)).toEqual({ stored: 1, replaced: 0 });

    const byStaff = await hubFetch(kit.url, '/statistics/uploads', { token: staff.token, json: uploadOf(kioskA, [figures('2025-01-06', 5)]) });
    expect(byStaff.status).toBe(403);
  });

  it('refuses a day listed twice, naming it', async () => {
    const answer = await hubFetch(kit.url, '/statistics/uploads', { token: kioskA.token, json: uploadOf(kioskA, [figures('2025-01-06', 5), figures('2025-01-06', 6)]) });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toBe('days[1].day: 2025-01-06 is listed twice: send each day once');
  });

  it('tells its listeners once the figures are stored, and stops when they unsubscribe', async () => {
    let calls = 0;
    let wake: () => void = () => {};
    const unsubscribe = kit.hub.onStatisticsStored(() => {
      calls += 1;
      wake();
    });
    const called = new Promise<void>((resolve) => (wake = resolve));
    await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 5)]));
    await called;
    expect(calls).toBe(1);
    unsubscribe();
    const marker = new Promise<void>((resolve) => kit.hub.onStatisticsStored(resolve));
    await upload(kioskA, uploadOf(kioskA, [figures('2025-01-07', 5)]));
    await marker;
    expect(calls).toBe(1);
  });

  it('keeps what was uploaded across a restart, and still replaces after it', async () => {
    await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 5)]));
    await kit.restart();
    expect((await summary('from=2025-01-06&to=2025-01-06')).days[0]?.sessions).toBe(5);
    expect(await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 7)]))).toEqual({ stored: 0, replaced: 1 });
    expect((await summary('from=2025-01-06&to=2025-01-06')).days[0]?.sessions).toBe(7);
  });
});

describe('GET /statistics/summary', () => {
  it('sums the kiosks per day, every day present, small counts suppressed', async () => {
    await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 2), figures('2025-01-07', 2)]));
    await upload(kioskB, uploadOf(kioskB, [figures('2025-01-07', 2)]));
    const result = await summary('from=2025-01-05&to=2025-01-07');
    expect(result).toMatchObject({ from: '2025-01-05', to: '2025-01-07', kioskCount: 2, suppressionThreshold: 3 });
    expect(result.days.map((day) => [day.day, day.sessions, 'fr' in day.languages ? day.languages.fr : 'none'])).toEqual([
      ['2025-01-05', 0, 'none'],
      // One kiosk's 2 sessions: below the threshold.
      ['2025-01-06', null, null],
      // Two kiosks' 2 sessions each: 4 in all, published.
      ['2025-01-07', 4, 4],
    ]);
  });

  it('follows the hub\'s own threshold', async () => {
    const strict = await startTestHub({ suppressionThreshold: 10 });
    try {
      const phone = await strict.pair('staff');
      const pc = await strict.pair('kiosk');
      await hubFetch(strict.url, '/statistics/uploads', { token: pc.token, json: { kioskId: pc.kioskId, kiosk: { name: 'PC', site: '' }, days: [figures('2025-01-06', 9)] } });
      const answer = await hubFetch(strict.url, '/statistics/summary?from=2025-01-06&to=2025-01-06', { token: phone.token });
      expect(HubStatisticsSummarySchema.parse(answer.body)).toMatchObject({ suppressionThreshold: 10, days: [{ sessions: null }] });
    } finally {
      await strict.close();
    }
  });

  it('sums ISO weeks, clipped to the period and dated by their first day in it', async () => {
    await upload(kioskA, uploadOf(kioskA, [figures('2025-01-02', 5), figures('2025-01-03', 4), figures('2025-01-06', 3), figures('2025-01-12', 3)]));
    const result = await summary('from=2025-01-01&to=2025-01-12&groupBy=week');
    expect(result.days.map((day) => [day.day, day.sessions])).toEqual([
      ['2025-01-01', 9],
      ['2025-01-06', 6],
    ]);
  });

  it('names what is wrong in the query', async () => {
    const cases: [string, RegExp][] = [
      ['from=2025-01-07&to=2025-01-06', /^to: must not be before "from" \(2025-01-07\)/],
      ['from=2025-02-30&to=2025-03-01', /^from: must be a real calendar day/],
      ['to=2025-03-01', /^from: is missing/],
      ['from=2025-01-01&to=2025-01-02&groupBy=month', /^groupBy: must be "day" or "week"/],
      ['from=2025-01-01&to=2025-01-02&kiosk=1', /^kiosk: is not a query parameter of this request/],
      ['from=2020-01-01&to=2025-01-02', /^to: must be at most 1096 days/],
    ];
    for (const [query, message] of cases) {
      const answer = await hubFetch(kit.url, `/statistics/summary?${query}`, { token: staff.token });
      expect(answer.status, query).toBe(400);
      expect(errorOf(answer.body).message, query).toMatch(message);
    }
  });
});

describe('GET /statistics/export', () => {
  beforeEach(async () => {
    await upload(kioskA, uploadOf(kioskA, [figures('2025-01-06', 2), figures('2025-01-07', 7)]));
    await upload(kioskB, uploadOf(kioskB, [figures('2025-01-07', 5)]));
  });

  it('gives every kiosk\'s figures as a JSON array of kiosk exports, suppressed per kiosk', async () => {
    const answer = await hubFetch<unknown[]>(kit.url, '/statistics/export?from=2025-01-06&to=2025-01-07&format=json', { token: staff.token });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="epn-hub-epn-de-liege-2025-01-06-2025-01-07.json"');
    const exports = answer.body.map((value) => {
      const parsed = parseStatisticsExport(value);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return parsed.export;
    });
    const byKiosk = new Map(exports.map((statistics) => [statistics.kioskId, statistics]));
    expect(byKiosk.get(kioskA.kioskId!)?.days.map((day) => day.sessions)).toEqual([null, 7]);
    expect(byKiosk.get(kioskB.kioskId!)?.days.map((day) => day.sessions)).toEqual([0, 5]);
    expect(exports.every((statistics) => statistics.exportedAt === new Date(kit.clock.now()).toISOString().slice(0, 16) + 'Z' && statistics.suppressionThreshold === 3)).toBe(true);
  });

  it('gives every kiosk\'s rows under one CSV header, each kiosk readable as its own export', async () => {
    const answer = await hubFetch(kit.url, '/statistics/export?from=2025-01-06&to=2025-01-07&format=csv', { token: staff.token });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="epn-hub-epn-de-liege-2025-01-06-2025-01-07.csv"');
    const lines = answer.text.split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines.filter((line) => line === CSV_HEADER.join(','))).toHaveLength(1);

    const all = parseStatisticsCsvExports(answer.text);
    if (!all.ok) throw new Error(all.reason);
    expect(all.exports.map((entry) => [entry.export.kioskId, entry.export.days.map((day) => day.sessions)]).sort()).toEqual(
      [
        [kioskA.kioskId, [null, 7]],
        [kioskB.kioskId, [0, 5]],
      ].sort(),
    );
    // Each kiosk's rows alone are exactly a kiosk's own CSV export.
    for (const kiosk of [kioskA, kioskB]) {
      const own = csvText([[...CSV_HEADER], ...lines.slice(1).filter((line) => line.split(',')[1] === kiosk.kioskId).map((line) => line.split(','))]);
      const parsed = parseStatisticsCsv(own);
      expect(parsed.ok && parsed.export.kioskId).toBe(kiosk.kioskId);
    }
  });

  it('is merged by npm run stats -- merge, in both formats, each kiosk-day counted once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'epn-hub-export-merge-'));
    try {
      for (const format of ['csv', 'json'] as const) {
        const answer = await hubFetch(kit.url, `/statistics/export?from=2025-01-06&to=2025-01-07&format=${format}`, { token: staff.token });
        writeFileSync(join(folder, `hub.${format}`), answer.text);
      }
      const run = await mergeStatisticsFiles([folder]);
      expect(run.skipped).toEqual([]);
      expect(run.report.network.kioskCount).toBe(2);
      expect(new Set(run.included.map((file) => file.path)).size).toBe(2);
      expect(run.included).toHaveLength(4);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('gives just the header, or an empty array, when no kiosk has figures', async () => {
    const csv = await hubFetch(kit.url, '/statistics/export?from=2024-01-01&to=2024-01-02&format=csv', { token: staff.token });
    expect(csv.text).toBe(`${CSV_HEADER.join(',')}\r\n`);
    const json = await hubFetch(kit.url, '/statistics/export?from=2024-01-01&to=2024-01-02&format=json', { token: staff.token });
    expect(json.body).toEqual([]);
  });

  it('names a missing or wrong format', async () => {
    const missing = await hubFetch(kit.url, '/statistics/export?from=2025-01-06&to=2025-01-07', { token: staff.token });
    expect(missing.status).toBe(400);
    expect(errorOf(missing.body).message).toBe('format: is missing; it must be "csv" or "json"');
    const wrong = await hubFetch(kit.url, '/statistics/export?from=2025-01-06&to=2025-01-07&format=xlsx', { token: staff.token });
    expect(errorOf(wrong.body).message).toBe('format: must be "csv" or "json"');
  });

  it('is for staff only', async () => {
    const answer = await hubFetch(kit.url, '/statistics/export?from=2025-01-06&to=2025-01-07&format=csv', { token: kioskA.token });
    expect(answer.status).toBe(403);
  });
});
