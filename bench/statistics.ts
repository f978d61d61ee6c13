/** Summary figures for timing samples. */

export function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error('no samples to summarise');
  return [...samples].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  const sorted = sortedCopy(samples);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile: the smallest sample at or above p percent of all samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (p <= 0 || p > 100) throw new Error(`percentile must be in (0, 100], not ${p}`);
  const sorted = sortedCopy(samples);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}
