import { describe, expect, it } from 'vitest';
import { BACKGROUND_RETRY_SCHEDULE_MS, HEARTBEAT_RETRY_SCHEDULE_MS, HELP_RETRY_SCHEDULE_MS, retryDelayMs, spreadDelayMs } from '../../shared/retry-backoff';

describe('retryDelayMs', () => {
  it('follows the help schedule: 2 s, 5 s, 10 s, 20 s, 30 s, then every 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => retryDelayMs(attempt));
    expect(delays).toEqual([2_000, 5_000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('follows the background schedule: 10 s, 30 s, 1 min, 5 min, then every 15 min', () => {
    const delays = [1, 2, 3, 4, 5, 6, 1_000].map((attempt) => retryDelayMs(attempt, BACKGROUND_RETRY_SCHEDULE_MS));
    expect(delays).toEqual([10_000, 30_000, 60_000, 300_000, 900_000, 900_000, 900_000]);
  });

  it('follows the heartbeat schedule: 10 s, 30 s, then every minute', () => {
    expect([1, 2, 3, 4, 20].map((attempt) => retryDelayMs(attempt, HEARTBEAT_RETRY_SCHEDULE_MS))).toEqual([10_000, 30_000, 60_000, 60_000, 60_000]);
  });

  it('never answers "at once" for a miscounted attempt: 0, negatives, fractions and NaN count as the first retry', () => {
    for (const attempt of [0, -3, 1.5, Number.NaN, Number.NEGATIVE_INFINITY]) expect(retryDelayMs(attempt)).toBe(2_000);
  });

  it('stays at the last step for an attempt beyond any count', () => {
    expect(retryDelayMs(Number.MAX_SAFE_INTEGER)).toBe(30_000);
    expect(retryDelayMs(Number.POSITIVE_INFINITY)).toBe(2_000);
  });

  it('takes any schedule, and refuses an empty one', () => {
    expect(retryDelayMs(2, [100, 200])).toBe(200);
    expect(retryDelayMs(9, [100])).toBe(100);
    expect(() => retryDelayMs(1, [])).toThrow(/at least one step/);
  });

  it('keeps the schedules out of reach of a careless caller', () => {
    expect(Object.isFrozen(HELP_RETRY_SCHEDULE_MS)).toBe(true);
    expect(Object.isFrozen(BACKGROUND_RETRY_SCHEDULE_MS)).toBe(true);
    expect(Object.isFrozen(HEARTBEAT_RETRY_SCHEDULE_MS)).toBe(true);
  });
});

describe('spreadDelayMs', () => {
  it('shortens a delay by at most the spread', () => {
    expect(spreadDelayMs(10_000, 0)).toBe(10_000);
    expect(spreadDelayMs(10_000, 0.5)).toBe(9_000);
    expect(spreadDelayMs(10_000, 1)).toBe(8_000);
    expect(spreadDelayMs(10_000, 0.5, 0.5)).toBe(7_500);
  });

  it('keeps a broken random fraction or spread within bounds', () => {
    expect(spreadDelayMs(10_000, Number.NaN)).toBe(10_000);
    expect(spreadDelayMs(10_000, 7)).toBe(8_000);
    expect(spreadDelayMs(10_000, -1)).toBe(10_000);
    expect(spreadDelayMs(10_000, 1, 3)).toBe(0);
    expect(spreadDelayMs(10_000, 1, Number.NaN)).toBe(10_000);
  });
});
