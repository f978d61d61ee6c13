import { describe, expect, it } from 'vitest';
import {
  FREE_WRONG_PINS,
  NO_FAILED_ATTEMPTS,
  STAFF_THROTTLE_SCHEDULE_MS,
  afterRightPin,
  afterWrongPin,
  isStaffPinThrottled,
  staffRetryAt,
  staffRetryDelayMs,
  type StaffThrottleState,
} from '../../shared/staff-throttle';

const NOW = Date.UTC(2025, 0, 6, 9, 0, 0);

function wrongPins(count: number, at = NOW): StaffThrottleState {
  let state = NO_FAILED_ATTEMPTS;
  for (let index = 0; index < count; index += 1) state = afterWrongPin(state, at);
  return state;
}

describe('staffRetryDelayMs', () => {
  it('costs nothing for the first three wrong PINs, then 30 s, 1 min, 2 min, 5 min, then 15 min each', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 10_000].map(staffRetryDelayMs);
    expect(delays).toEqual([0, 0, 0, 0, 30_000, 60_000, 120_000, 300_000, 900_000, 900_000, 900_000, 900_000]);
  });

  it('grows or stays with every wrong PIN, never shrinks', () => {
    for (let count = 1; count < 40; count += 1) expect(staffRetryDelayMs(count)).toBeGreaterThanOrEqual(staffRetryDelayMs(count - 1));
  });

  it('matches the published constants', () => {
    expect(FREE_WRONG_PINS).toBe(3);
    expect(STAFF_THROTTLE_SCHEDULE_MS).toEqual([30_000, 60_000, 120_000, 300_000, 900_000]);
  });

  it('gives a damaged count (negative, fraction, NaN, infinite, beyond safe integers) the longest wait, never none', () => {
    for (const count of [-1, -1_000, 1.5, 3.2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2]) {
      expect(staffRetryDelayMs(count), String(count)).toBe(900_000);
    }
  });
});

describe('staffRetryAt and isStaffPinThrottled', () => {
  it('lets the next try through at once with no wrong PIN yet', () => {
    expect(staffRetryAt(NO_FAILED_ATTEMPTS, NOW)).toBeNull();
    expect(isStaffPinThrottled(NO_FAILED_ATTEMPTS, NOW)).toBe(false);
  });

  it('lets the next try through at once after one, two and three wrong PINs', () => {
    for (const count of [1, 2, 3]) {
      expect(staffRetryAt(wrongPins(count), NOW)).toBeNull();
      expect(isStaffPinThrottled(wrongPins(count), NOW)).toBe(false);
    }
  });

  it('locks the pad 30 s after the fourth wrong PIN, and unlocks it at the very millisecond the wait ends', () => {
    const state = wrongPins(4);
    expect(staffRetryAt(state, NOW)).toBe(NOW + 30_000);
    expect(staffRetryAt(state, NOW + 29_999)).toBe(NOW + 30_000);
    expect(isStaffPinThrottled(state, NOW + 29_999)).toBe(true);
    expect(staffRetryAt(state, NOW + 30_000)).toBeNull();
    expect(isStaffPinThrottled(state, NOW + 30_000)).toBe(false);
  });

  it('counts each wait from the last wrong PIN', () => {
    const state = afterWrongPin(wrongPins(4, NOW), NOW + 40_000);
    expect(state.failedAttempts).toBe(5);
    expect(staffRetryAt(state, NOW + 40_000)).toBe(NOW + 100_000);
    expect(staffRetryAt(state, NOW + 99_999)).toBe(NOW + 100_000);
    expect(staffRetryAt(state, NOW + 100_000)).toBeNull();
  });

  it('follows the whole schedule, wrong PIN after wrong PIN, each typed as soon as allowed', () => {
    let state = NO_FAILED_ATTEMPTS;
    let now = NOW;
    const waits: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      expect(isStaffPinThrottled(state, now)).toBe(false);
      state = afterWrongPin(state, now);
      const retryAt = staffRetryAt(state, now);
      waits.push(retryAt === null ? 0 : retryAt - now);
      now = retryAt ?? now;
    }
    expect(waits).toEqual([0, 0, 0, 30_000, 60_000, 120_000, 300_000, 900_000, 900_000, 900_000]);
  });

  it('counts from now when the last wrong PIN is in the future (the clock was set back), so the lock is neither lifted nor longer than one wait', () => {
    const state = wrongPins(8, NOW + 3_600_000);
    expect(staffRetryAt(state, NOW)).toBe(NOW + 900_000);
    expect(isStaffPinThrottled(state, NOW + 899_999)).toBe(true);
  });

  it('keeps a damaged state locked: a missing or impossible time of the last failure counts from now', () => {
    expect(staffRetryAt({ failedAttempts: 6, lastFailureAt: null }, NOW)).toBe(NOW + 120_000);
    expect(staffRetryAt({ failedAttempts: 6, lastFailureAt: Number.NaN }, NOW)).toBe(NOW + 120_000);
    expect(staffRetryAt({ failedAttempts: 6, lastFailureAt: Number.POSITIVE_INFINITY }, NOW)).toBe(NOW + 120_000);
    expect(staffRetryAt({ failedAttempts: Number.NaN, lastFailureAt: NOW }, NOW + 1)).toBe(NOW + 900_000);
    expect(staffRetryAt({ failedAttempts: -4, lastFailureAt: NOW }, NOW)).toBe(NOW + 900_000);
  });

  it('lifts a lock whose wait is long over', () => {
    expect(staffRetryAt(wrongPins(20, NOW), NOW + 900_000)).toBeNull();
    expect(isStaffPinThrottled(wrongPins(20, NOW), NOW + 86_400_000)).toBe(false);
  });
});

describe('afterWrongPin and afterRightPin', () => {
  it('counts a wrong PIN and remembers when it was typed', () => {
    expect(afterWrongPin(NO_FAILED_ATTEMPTS, NOW)).toEqual({ failedAttempts: 1, lastFailureAt: NOW });
    expect(afterWrongPin({ failedAttempts: 6, lastFailureAt: NOW - 5 }, NOW)).toEqual({ failedAttempts: 7, lastFailureAt: NOW });
  });

  it('does not change the state it is given', () => {
    const state = { failedAttempts: 2, lastFailureAt: NOW - 1 };
    afterWrongPin(state, NOW);
    expect(state).toEqual({ failedAttempts: 2, lastFailureAt: NOW - 1 });
    expect(Object.isFrozen(NO_FAILED_ATTEMPTS)).toBe(true);
  });

  it('turns a damaged count into one past the end of the schedule, never back to a free try', () => {
    for (const count of [Number.NaN, -3, 2.5, Number.POSITIVE_INFINITY]) {
      const next = afterWrongPin({ failedAttempts: count, lastFailureAt: NOW }, NOW);
      expect(next.failedAttempts).toBe(FREE_WRONG_PINS + STAFF_THROTTLE_SCHEDULE_MS.length + 1);
      expect(staffRetryAt(next, NOW)).toBe(NOW + 900_000);
    }
  });

  it('never overflows the count', () => {
    const next = afterWrongPin({ failedAttempts: Number.MAX_SAFE_INTEGER, lastFailureAt: NOW }, NOW);
    expect(next.failedAttempts).toBe(Number.MAX_SAFE_INTEGER);
    expect(staffRetryDelayMs(next.failedAttempts)).toBe(900_000);
  });

  it('clears the count and the lock after the right PIN', () => {
    expect(afterRightPin()).toEqual({ failedAttempts: 0, lastFailureAt: null });
    expect(isStaffPinThrottled(afterRightPin(), NOW)).toBe(false);
  });
});
