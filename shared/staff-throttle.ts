/**
 * How long the staff PIN pad stays locked after wrong PINs (docs/staff.md).
 *
 * A member of staff who mistypes gets three tries for free; after that every wrong PIN
 * locks the pad for longer: 30 s, 1 min, 2 min, 5 min, then 15 min each. A 4-digit PIN
 * then takes a visitor weeks of guessing at the kiosk instead of minutes, while staff who
 * mistype twice never notice the throttle. A right PIN clears it.
 *
 * Pure: the caller passes the time in and keeps the state (electron/services/staff-pin.ts
 * keeps it on disk, so a restart does not clear it).
 */

export interface StaffThrottleState {
  /** Wrong PINs since the last right one. */
  readonly failedAttempts: number;
  /** When the last wrong PIN was typed (epoch ms); null before any. */
  readonly lastFailureAt: number | null;
}

export const NO_FAILED_ATTEMPTS: StaffThrottleState = Object.freeze({ failedAttempts: 0, lastFailureAt: null });

/** Wrong PINs that cost no wait. */
export const FREE_WRONG_PINS = 3;

/** The wait after the 4th, 5th, 6th, 7th wrong PIN, and after every one from the 8th on (the last step). */
export const STAFF_THROTTLE_SCHEDULE_MS: readonly number[] = Object.freeze([30_000, 60_000, 120_000, 300_000, 900_000]);

const LONGEST_WAIT_MS = STAFF_THROTTLE_SCHEDULE_MS[STAFF_THROTTLE_SCHEDULE_MS.length - 1]!;

/**
 * The wait imposed after `failedAttempts` wrong PINs in a row. A count that is not a whole
 * number of 0 or more (a damaged state) gets the longest wait: a counting slip must never
 * unlock the pad.
 */
export function staffRetryDelayMs(failedAttempts: number): number {
  if (!Number.isSafeInteger(failedAttempts) || failedAttempts < 0) return LONGEST_WAIT_MS;
  if (failedAttempts <= FREE_WRONG_PINS) return 0;
  return STAFF_THROTTLE_SCHEDULE_MS[Math.min(failedAttempts - FREE_WRONG_PINS, STAFF_THROTTLE_SCHEDULE_MS.length) - 1]!;
}

/**
 * When the next PIN may be tried, or null when it may be tried now. A last failure
 * "in the future" (the PC's clock was set back since) counts from now, so a clock change
 * neither unlocks the pad nor locks it for longer than one wait.
 */
export function staffRetryAt(state: StaffThrottleState, now: number): number | null {
  const delay = staffRetryDelayMs(state.failedAttempts);
  if (delay === 0) return null;
  const since = state.lastFailureAt === null || !Number.isFinite(state.lastFailureAt) ? now : Math.min(state.lastFailureAt, now);
  const retryAt = since + delay;
  return retryAt > now ? retryAt : null;
}

export function isStaffPinThrottled(state: StaffThrottleState, now: number): boolean {
  return staffRetryAt(state, now) !== null;
}

/** The state after a wrong PIN typed at `now`. */
export function afterWrongPin(state: StaffThrottleState, now: number): StaffThrottleState {
  const previous = Number.isSafeInteger(state.failedAttempts) && state.failedAttempts >= 0 ? state.failedAttempts : FREE_WRONG_PINS + STAFF_THROTTLE_SCHEDULE_MS.length;
  return { failedAttempts: Math.min(previous + 1, Number.MAX_SAFE_INTEGER), lastFailureAt: now };
}

/** The state after the right PIN: the count starts again. */
export function afterRightPin(): StaffThrottleState {
  return NO_FAILED_ATTEMPTS;
}
