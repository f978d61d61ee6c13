/**
 * The coordinators' merge: the same kiosk and day counted once (latest export wins), kiosks
 * told apart by id and not by name, suppressed cells carried as lower bounds, and the
 * merged CSV.
 */
import { describe, expect, it } from 'vitest';
import { eachDay } from '../../../shared/statistics/calendar';
import type { DailyFigures } from '../../../shared/statistics/daily-figures';
import { buildStatisticsExport, type StatisticsExport } from '../../../shared/statistics/export-format';
import { MERGED_CSV_HEADER, createMerger, mergeExports, mergedCsvRows, mergedToCsv, type MergedReport } from '../../../shared/statistics/merge';
import { WAIT_SECONDS_BUCKETS, estimatePercentile, histogramOf } from '../../../shared/statistics/percentiles';
import { rollUpDay } from '../../../shared/statistics/daily-figures';
import { KIOSK_A, KIOSK_B, KIOSK_C, dayFigures, readCsv } from './fixtures';
import { integer, randomDayEvents, seeded } from './generate';

function exportOf(kioskId: string, name: string, site: string, exportedAt: string, from: string, to: string, days: DailyFigures[], threshold = 3): StatisticsExport {
  return buildStatisticsExport({ kioskId, kiosk: { name, site }, exportedAt: Date.parse(exportedAt), period: { from, to }, threshold, days });
}

const exact = (value: number) => ({ value, atLeast: false });
const atLeast = (value: number) => ({ value, atLeast: true });

function sessionsOn(report: MergedReport, day: string) {
  return report.network.series.find((point) => point.day === day)?.sessions;
}

describe('mergeExports', () => {
  it('is empty for no exports', () => {
    const report = mergeExports([]);
    expect(report).toMatchObject({ from: null, to: null, exportCount: 0, kiosks: [], sites: [], network: { kioskCount: 0, siteCount: 0, series: [] } });
    expect(report.network.figures.sessions).toEqual(exact(0));
    expect(mergedCsvRows(report)).toEqual([[...MERGED_CSV_HEADER]]);
  });

  it('counts the same export added twice once', () => {
    const once = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-03', [dayFigures('2025-03-01', { sessions: 5 }), dayFigures('2025-03-03', { sessions: 7 })]);
    const report = mergeExports([once, once]);
    expect(report.exportCount).toBe(2);
    expect(report.duplicateKioskDays).toBe(3);
    expect(report.network.figures.sessions).toEqual(exact(12));
    expect(report.network.figures.kioskDays).toBe(3);
    expect(report.kiosks).toHaveLength(1);
    expect(mergeExports([once])).toEqual({ ...report, exportCount: 1, duplicateKioskDays: 0 });
  });

  it('takes an overlapping day from the latest export of the same kiosk, whatever the order', () => {
    const older = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-03-06T09:00Z', '2025-03-01', '2025-03-05', [dayFigures('2025-03-01', { sessions: 4 }), dayFigures('2025-03-05', { sessions: 10 })]);
    const newer = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-03-11T09:00Z', '2025-03-05', '2025-03-10', [dayFigures('2025-03-05', { sessions: 12 }), dayFigures('2025-03-09', { sessions: 6 })]);
    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      const report = mergeExports(order);
      expect(report.from).toBe('2025-03-01');
      expect(report.to).toBe('2025-03-10');
      expect(sessionsOn(report, '2025-03-01')).toEqual(exact(4));
      expect(sessionsOn(report, '2025-03-05')).toEqual(exact(12));
      expect(sessionsOn(report, '2025-03-09')).toEqual(exact(6));
      expect(report.network.figures.sessions).toEqual(exact(22));
      expect(report.network.figures.kioskDays).toBe(10);
      expect(report.duplicateKioskDays).toBe(1);
      expect(report.kiosks[0]).toMatchObject({ kioskId: KIOSK_A, exportedAt: '2025-03-11T09:00Z', from: '2025-03-01', to: '2025-03-10' });
    }
  });

  it('tells kiosks apart by id: two sites may each have a "PC 1"', () => {
    const namur = exportOf(KIOSK_A, 'PC 1', 'EPN de Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { sessions: 5 })]);
    const liege = exportOf(KIOSK_B, 'PC 1', 'EPN de Liège', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { sessions: 8 })]);
    const namur2 = exportOf(KIOSK_C, 'PC 2', 'EPN de Namur', '2025-04-02T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { sessions: 3 })]);
    const report = mergeExports([namur, liege, namur2]);
    expect(report.kiosks.map((kiosk) => [kiosk.site, kiosk.name, kiosk.figures.sessions.value])).toEqual([
      ['EPN de Liège', 'PC 1', 8],
      ['EPN de Namur', 'PC 1', 5],
      ['EPN de Namur', 'PC 2', 3],
    ]);
    expect(report.sites.map((site) => [site.site, site.kioskCount, site.figures.sessions])).toEqual([
      ['EPN de Liège', 1, exact(8)],
      ['EPN de Namur', 2, exact(8)],
    ]);
    expect(report.network).toMatchObject({ kioskCount: 3, siteCount: 2 });
    expect(report.network.figures.sessions).toEqual(exact(16));
    expect(report.network.series).toEqual([{ day: '2025-03-01', sessions: exact(16), kiosks: 3 }]);
  });

  it('labels a kiosk with its latest name and site', () => {
    const before = exportOf(KIOSK_A, 'PC 1', 'Old site', '2025-02-01T10:00Z', '2025-01-01', '2025-01-01', [dayFigures('2025-01-01', { sessions: 3 })]);
    const after = exportOf(KIOSK_A, 'Reception', 'New site', '2025-03-01T10:00Z', '2025-02-01', '2025-02-01', [dayFigures('2025-02-01', { sessions: 4 })]);
    const report = mergeExports([after, before]);
    expect(report.kiosks).toMatchObject([{ name: 'Reception', site: 'New site' }]);
    expect(report.sites.map((site) => site.site)).toEqual(['New site']);
    expect(report.network.figures.sessions).toEqual(exact(7));
  });

  it('keeps a suppressed cell unknown: sums that include one are "at least" figures', () => {
    const small = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-02', [
      dayFigures('2025-03-01', { sessions: 2, services: { cpas: 1, bank: 9, 'tax-on-web': 12 } }),
      dayFigures('2025-03-02', { sessions: 4, services: { bank: 3 } }),
    ]);
    const large = exportOf(KIOSK_B, 'PC 2', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { sessions: 10, services: { cpas: 5 } })]);
    const report = mergeExports([small, large]);
    // Day 1: 2 (suppressed: at least 1) + 10; day 2: 4.
    expect(sessionsOn(report, '2025-03-01')).toEqual(atLeast(11));
    expect(sessionsOn(report, '2025-03-02')).toEqual(exact(4));
    expect(report.network.figures.sessions).toEqual(atLeast(15));
    // cpas: 1 (suppressed) + 5; bank: 9 (hidden with cpas, the next smallest) + 3; tax-on-web: 12.
    expect(report.network.figures.services).toEqual([
      { serviceId: 'tax-on-web', openings: exact(12) },
      { serviceId: 'cpas', openings: atLeast(6) },
      { serviceId: 'bank', openings: atLeast(4) },
    ]);
    // A lower bound is never above the truth.
    expect(report.network.figures.sessions.value).toBeLessThanOrEqual(16);
  });

  it('estimates help waits from the merged histograms, and keeps one kiosk-day’s exact figures', () => {
    // Threshold 2 and at least 2 values in every bucket used: nothing is suppressed.
    const waitsA = [20, 25, 40, 45];
    const waitsB = [300, 320, 700, 750, 1300, 1500];
    const a = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { requests: 4, waits: waitsA })], 2);
    const b = exportOf(KIOSK_B, 'PC 2', 'Liège', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { requests: 6, waits: waitsB })], 2);
    const alone = mergeExports([a]).network.figures.help.waitSeconds;
    expect(alone).toMatchObject({ median: 25, p90: 45, estimated: false, incomplete: false });
    const both = mergeExports([a, b]).network.figures.help.waitSeconds;
    const histogram = histogramOf(WAIT_SECONDS_BUCKETS, [...waitsA, ...waitsB]);
    expect(both.histogram.map((count) => count.value)).toEqual(histogram);
    expect(both.estimated).toBe(true);
    expect(both.incomplete).toBe(false);
    expect(both.median).toBe(estimatePercentile(WAIT_SECONDS_BUCKETS, histogram, 0.5));
    expect(both.p90).toBe(estimatePercentile(WAIT_SECONDS_BUCKETS, histogram, 0.9));
    expect(both.median).toBe(Math.round(300 + (300 * (5 - 4 - 0.5)) / 2)); // rank 5 of 10: the first of two in [300, 600)
  });

  it('counts a suppressed histogram bucket as 1 and says the estimate is incomplete', () => {
    const a = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-02', [
      dayFigures('2025-03-01', { requests: 6, waits: [10, 15, 20, 25, 200, 250] }),
      dayFigures('2025-03-02', { requests: 3, waits: [10, 20, 650] }),
    ]);
    const waits = mergeExports([a]).network.figures.help.waitSeconds;
    // Day 1 (threshold 3): [0, 30) holds 4 and [180, 300) holds 2; the 2 is suppressed, and
    // the 4 with it (the wait buckets add up to the 6 acknowledged requests). Day 2: 2 in
    // [0, 30) and 1 in [600, 900), both suppressed.
    expect(waits.histogram[0]).toEqual(atLeast(2));
    expect(waits.histogram[4]).toEqual(atLeast(1));
    expect(waits.histogram[6]).toEqual(atLeast(1));
    expect(waits.histogram.filter((count) => count.value > 0)).toHaveLength(3);
    expect(waits.incomplete).toBe(true);
    expect(waits.estimated).toBe(true);
    // From the lower bounds [2, 0, 0, 0, 1, 0, 1, …]: rank 2 of 4 is the second of two in [0, 30).
    expect(waits.median).toBe(Math.round((30 * (2 - 0.5)) / 2));
    expect(mergeExports([a]).network.figures.help.acknowledged).toEqual(exact(9));
  });

  it('has every day in the series, zeros and kiosk counts included', () => {
    const a = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-02', [dayFigures('2025-03-01', { sessions: 3 })]);
    const b = exportOf(KIOSK_B, 'PC 2', 'Liège', '2025-04-01T10:00Z', '2025-03-04', '2025-03-04', [dayFigures('2025-03-04', { sessions: 5 })]);
    const report = mergeExports([a, b]);
    expect(report.network.series).toEqual([
      { day: '2025-03-01', sessions: exact(3), kiosks: 1 },
      { day: '2025-03-02', sessions: exact(0), kiosks: 1 },
      { day: '2025-03-03', sessions: exact(0), kiosks: 0 },
      { day: '2025-03-04', sessions: exact(5), kiosks: 1 },
    ]);
    expect(report.sites.find((site) => site.site === 'Liège')?.series.map((point) => point.sessions.value)).toEqual([0, 0, 0, 5]);
  });

  it('does not depend on the order the exports come in', () => {
    const random = seeded(99);
    const kiosks = [KIOSK_A, KIOSK_B, KIOSK_C];
    const exports: StatisticsExport[] = [];
    for (let index = 0; index < 9; index += 1) {
      const kioskId = kiosks[index % 3] ?? KIOSK_A;
      const start = `2025-03-${String(integer(random, 1, 10)).padStart(2, '0')}`;
      const end = `2025-03-${String(integer(random, 11, 20)).padStart(2, '0')}`;
      const days = eachDay(start, end).map((day) => rollUpDay(day, randomDayEvents(random, day)));
      exports.push(exportOf(kioskId, `PC ${index % 3}`, index % 3 === 2 ? 'Liège' : 'Namur', `2025-04-${String(index + 1).padStart(2, '0')}T10:00Z`, start, end, days, integer(random, 2, 4)));
    }
    const reference = mergeExports(exports);
    for (let shuffle = 0; shuffle < 10; shuffle += 1) {
      const shuffled = [...exports].sort(() => random() - 0.5);
      expect(mergeExports(shuffled)).toEqual(reference);
    }
    // The incremental merger gives the same report as the one-call merge.
    const merger = createMerger();
    for (const statistics of exports) merger.add(statistics);
    expect(merger.report()).toEqual(reference);
    expect(reference.suppressionThresholds.length).toBeGreaterThan(0);

    // Completing each kiosk once its exports are in changes nothing in the report.
    const settling = createMerger();
    for (const kioskId of kiosks) {
      for (const statistics of exports.filter((item) => item.kioskId === kioskId)) settling.add(statistics);
      settling.completeKiosk(kioskId);
      // A report in between sees the kiosks so far, and does not disturb what follows.
      expect(settling.report().network.kioskCount).toBe(kiosks.indexOf(kioskId) + 1);
    }
    expect(settling.report()).toEqual(reference);
    expect(settling.report()).toEqual(reference);
  });

  it('refuses an export of a kiosk already completed, and mixes completed and open kiosks', () => {
    const a = exportOf(KIOSK_A, 'PC 1', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { sessions: 5 })]);
    const b = exportOf(KIOSK_B, 'PC 2', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-02', [dayFigures('2025-03-02', { sessions: 4 })]);
    const merger = createMerger();
    merger.add(a);
    merger.completeKiosk(KIOSK_A);
    merger.completeKiosk(KIOSK_C); // never added: nothing happens
    expect(() => merger.add(a)).toThrow(/already completed/);
    merger.add(b);
    const report = merger.report();
    expect(report).toEqual(mergeExports([a, b]));
    expect(report.sites).toHaveLength(1);
    expect(report.sites[0]?.kioskCount).toBe(2);
    expect(report.network.series.map((point) => point.sessions.value)).toEqual([5, 4]);
  });
});

describe('the merged CSV', () => {
  it('has network and site series per day and every measure for the network, each site and each kiosk', () => {
    const a = exportOf(KIOSK_A, '=PC 1, hall', 'Namur', '2025-04-01T10:00Z', '2025-03-01', '2025-03-02', [dayFigures('2025-03-01', { sessions: 2 }), dayFigures('2025-03-02', { sessions: 6 })]);
    const b = exportOf(KIOSK_B, 'PC 2', 'Liège', '2025-04-01T10:00Z', '2025-03-01', '2025-03-01', [dayFigures('2025-03-01', { sessions: 4 })]);
    const report = mergeExports([a, b]);
    const text = mergedToCsv(report);
    const rows = readCsv(text);
    expect(rows[0]).toEqual([...MERGED_CSV_HEADER]);
    expect(rows.slice(1).every((row) => row.length === MERGED_CSV_HEADER.length)).toBe(true);
    const find = (scope: string, site: string, day: string, measure: string) => rows.find((row) => row[0] === scope && row[1] === site && row[4] === day && row[5] === measure);
    expect(find('network', '', '2025-03-01', 'sessions')?.slice(7)).toEqual(['5', 'yes']);
    expect(find('network', '', '2025-03-02', 'sessions')?.slice(7)).toEqual(['6', 'no']);
    expect(find('network', '', '2025-03-01/2025-03-02', 'sessions')?.slice(7)).toEqual(['11', 'yes']);
    expect(find('network', '', '2025-03-01/2025-03-02', 'kiosks')?.[7]).toBe('2');
    expect(find('site', 'Liège', '2025-03-02', 'sessions')?.slice(7)).toEqual(['0', 'no']);
    expect(find('site', 'Namur', '2025-03-01/2025-03-02', 'sessions')?.slice(7)).toEqual(['7', 'yes']);
    const kiosk = rows.find((row) => row[0] === 'kiosk' && row[2] === KIOSK_A && row[5] === 'sessions');
    expect(kiosk?.[3]).toBe("'=PC 1, hall");
    expect(text).toContain(`"'=PC 1, hall"`);
    expect(rows.filter((row) => row[0] === 'kiosk' && row[5] === 'kiosk_days').map((row) => row[7])).toEqual(['1', '2']);
  });
});
