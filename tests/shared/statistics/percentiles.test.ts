/**
 * Nearest-rank percentiles, bucket edges and the histogram estimate.
 */
import { describe, expect, it } from 'vitest';
import {
  SESSION_SECONDS_BUCKETS,
  WAIT_SECONDS_BUCKETS,
  bucketIndex,
  estimatePercentile,
  histogramOf,
  mergeHistograms,
  nearestRank,
} from '../../../shared/statistics/percentiles';
import { integer, seeded } from './generate';

describe('nearestRank', () => {
  it('is null without values and the value itself with one', () => {
    expect(nearestRank([], 0.5)).toBeNull();
    expect(nearestRank([], 0.9)).toBeNull();
    expect(nearestRank([42], 0.5)).toBe(42);
    expect(nearestRank([42], 0.9)).toBe(42);
  });

  it('takes the value at rank ceil(p × n), whatever the order given', () => {
    expect(nearestRank([40, 10, 30, 20], 0.5)).toBe(20); // rank 2: the lower middle value
    expect(nearestRank([50, 10, 40, 30, 20], 0.5)).toBe(30); // rank 3
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(nearestRank(ten, 0.9)).toBe(9); // rank 9
    expect(nearestRank([...ten, 11], 0.9)).toBe(10); // rank ceil(9.9) = 10
    expect(nearestRank([5, 5, 5, 1], 0.5)).toBe(5); // ties
  });

  it('does not reorder the caller’s list', () => {
    const values = [3, 1, 2];
    nearestRank(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('buckets', () => {
  it('start at 0, grow strictly, and put a value on a bound in the bucket that starts there', () => {
    for (const bounds of [SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS]) {
      expect(bounds[0]).toBe(0);
      for (let index = 1; index < bounds.length; index += 1) expect(bounds[index]).toBeGreaterThan(bounds[index - 1] ?? Infinity);
    }
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 0)).toBe(0);
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 59)).toBe(0);
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 60)).toBe(1);
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 61)).toBe(1);
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 10_799)).toBe(SESSION_SECONDS_BUCKETS.length - 2);
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 10_800)).toBe(SESSION_SECONDS_BUCKETS.length - 1);
    expect(bucketIndex(SESSION_SECONDS_BUCKETS, 1_000_000)).toBe(SESSION_SECONDS_BUCKETS.length - 1);
  });

  it('count every value once', () => {
    const histogram = histogramOf(WAIT_SECONDS_BUCKETS, [0, 29, 30, 59, 60, 3600, 99_999]);
    expect(histogram).toEqual([2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(histogramOf(WAIT_SECONDS_BUCKETS, [])).toEqual(new Array(WAIT_SECONDS_BUCKETS.length).fill(0));
  });

  it('merge bucket by bucket and refuse a histogram of another shape', () => {
    expect(mergeHistograms(3, [[1, 0, 2], [0, 5, 1]])).toEqual([1, 5, 3]);
    expect(mergeHistograms(3, [])).toEqual([0, 0, 0]);
    expect(() => mergeHistograms(3, [[1, 2]])).toThrow(/2 buckets, not 3/);
  });
});

describe('estimatePercentile', () => {
  const bounds = [0, 60, 120, 300];

  it('is null for an empty histogram', () => {
    expect(estimatePercentile(bounds, [0, 0, 0, 0], 0.5)).toBeNull();
  });

  it('interpolates inside the bucket that holds the rank', () => {
    // 4 values in [60, 120): the median is rank 2 → 60 + 60 × (2 − 0.5) / 4 = 82.5 → 83.
    expect(estimatePercentile(bounds, [0, 4, 0, 0], 0.5)).toBe(83);
    // One value in [120, 300): its middle, 210.
    expect(estimatePercentile(bounds, [0, 0, 1, 0], 0.5)).toBe(210);
    // 10 values: 5 in [0, 60), 5 in [60, 120); rank 5 is the last of the first bucket: 60 × 4.5 / 5 = 54.
    expect(estimatePercentile(bounds, [5, 5, 0, 0], 0.5)).toBe(54);
    // p90 = rank 9 → the 4th of the second bucket: 60 + 60 × 3.5 / 5 = 102.
    expect(estimatePercentile(bounds, [5, 5, 0, 0], 0.9)).toBe(102);
  });

  it('gives the lower bound of the last, open bucket', () => {
    expect(estimatePercentile(bounds, [1, 0, 0, 3], 0.5)).toBe(300);
  });

  it('always falls in the bucket of the exact nearest-rank value', () => {
    const random = seeded(7);
    const misses: string[] = [];
    for (let trial = 0; trial < 500; trial += 1) {
      const values = Array.from({ length: integer(random, 1, 60) }, () => integer(random, 0, random() < 0.2 ? 20_000 : 4_000));
      const histogram = histogramOf(SESSION_SECONDS_BUCKETS, values);
      for (const p of [0.5, 0.9]) {
        const exact = nearestRank(values, p) ?? -1;
        const estimate = estimatePercentile(SESSION_SECONDS_BUCKETS, histogram, p) ?? -1;
        const bucket = bucketIndex(SESSION_SECONDS_BUCKETS, exact);
        const lower = SESSION_SECONDS_BUCKETS[bucket] ?? 0;
        const upper = SESSION_SECONDS_BUCKETS[bucket + 1] ?? Infinity;
        if (estimate < lower || estimate > upper) misses.push(`p${p * 100} of ${values.join(',')}: exact ${exact}, estimate ${estimate}`);
      }
    }
    expect(misses).toEqual([]);
  });
});
