/**
 * Medians, 90th percentiles and the fixed histograms that let periods and merges estimate
 * them without the raw values.
 *
 * - A day's median and p90 are exact, by the nearest-rank method: sort the n values; the
 *   p-th percentile is the value at rank ceil(p × n) (1-based). The median of an even
 *   count is thus the lower of the two middle values, and always one of the values.
 * - Over several days (or kiosks) the values are gone; the histograms are summed and the
 *   percentile is estimated from the merged histogram: find the bucket holding rank
 *   ceil(p × n) and interpolate linearly inside it, as if its values were spread evenly
 *   (the r-th of c values in [lower, upper) is taken at lower + (upper − lower) × (r − ½) / c),
 *   rounded to the second. In the last, open-ended bucket the estimate is its lower bound.
 *   The estimate always lies in the same bucket as the exact value.
 */

/**
 * Lower bounds, in seconds, of the buckets of session durations: bucket i holds the
 * values v with BUCKETS[i] ≤ v < BUCKETS[i + 1]; the last holds everything from its bound on.
 * Fixed for schema version 1 of the export: changing them is a new schema version.
 */
export const SESSION_SECONDS_BUCKETS: readonly number[] = Object.freeze([0, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10_800]);

/** Lower bounds, in seconds, of the buckets of help waiting times (same rules). */
export const WAIT_SECONDS_BUCKETS: readonly number[] = Object.freeze([0, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600]);

export type Percentile = 0.5 | 0.9;

/** The exact nearest-rank percentile of the values (any order), or null when there are none. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Which bucket a value falls in. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let index = 0;
  for (let i = 1; i < bounds.length; i += 1) {
    if (value >= (bounds[i] ?? Infinity)) index = i;
    else break;
  }
  return index;
}

/** How many values fall in each bucket. */
export function histogramOf(bounds: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length).fill(0);
  for (const value of values) {
    const index = bucketIndex(bounds, value);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** Bucket-wise sum of histograms over the same bounds. */
export function mergeHistograms(bucketCount: number, histograms: readonly (readonly number[])[]): number[] {
  const merged = new Array<number>(bucketCount).fill(0);
  for (const histogram of histograms) {
    if (histogram.length !== bucketCount) throw new RangeError(`a histogram has ${histogram.length} buckets, not ${bucketCount}`);
    histogram.forEach((count, index) => {
      merged[index] = (merged[index] ?? 0) + count;
    });
  }
  return merged;
}

/** The percentile estimated from a histogram (see the top of this file), or null when it is empty. */
export function estimatePercentile(bounds: readonly number[], histogram: readonly number[], p: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let before = 0;
  for (let index = 0; index < histogram.length; index += 1) {
    const count = histogram[index] ?? 0;
    if (count > 0 && before + count >= rank) {
      const lower = bounds[index] ?? 0;
      const upper = bounds[index + 1];
      if (upper === undefined) return lower;
      return Math.round(lower + ((upper - lower) * (rank - before - 0.5)) / count);
    }
    before += count;
  }
  return null;
}
