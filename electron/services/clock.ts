/**
 * Time for the main-side services, injected so tests can move it by hand
 * (tests/support/manual-clock.ts) instead of waiting for it.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once after `delayMs`; the returned function cancels it (calling it twice is harmless). */
  setTimer(callback: () => void, delayMs: number): () => void;
}

/** Node runs a longer timeout at once (with a warning): longer waits are cut to this and re-armed by the caller. */
export const LONGEST_TIMER_MS = 2_147_483_647;

/**
 * The process's clock. `now` follows the monotonic clock from the process's start, so a
 * wall-clock change (NTP, a staff member fixing the date) never makes an idle visitor's
 * countdown jump; it still reads as epoch milliseconds.
 */
export const systemClock: Clock = {
  now: () => Math.round(performance.timeOrigin + performance.now()),
  setTimer(callback, delayMs) {
    const delay = Number.isFinite(delayMs) ? Math.min(Math.max(0, delayMs), LONGEST_TIMER_MS) : 0;
    const timer = setTimeout(callback, delay);
    // A pending session timer must never keep a closing process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
