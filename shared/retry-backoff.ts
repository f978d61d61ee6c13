/**
 * How long to wait before trying again, for everything that talks to a hub or a webhook:
 * the help call, heartbeats, statistics uploads and a hub's upstream forwarder.
 *
 * A visitor is waiting on the help call, so it retries quickly at first and then every
 * 30 s for as long as the call is open. Background work (statistics uploads, forwarding)
 * backs off further so that a hub coming back is not met by every kiosk of the room at
 * once, retrying every second. Heartbeats sit in between: staff read them as "online".
 *
 * Pure: the caller owns the timers.
 */

/** The help call: 2 s, 5 s, 10 s, 20 s, 30 s, then every 30 s. */
export const HELP_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([2_000, 5_000, 10_000, 20_000, 30_000]);

/** Heartbeats after a failure, statistics uploads, forwarding: 10 s, 30 s, 1 min, 5 min, then every 15 min. */
export const BACKGROUND_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([10_000, 30_000, 60_000, 300_000, 900_000]);

/**
 * Heartbeats after a failure: 10 s, 30 s, then every minute. Staff see a kiosk offline
 * while its heartbeats fail, so a hub back from a restart must hear from it soon.
 */
export const HEARTBEAT_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([10_000, 30_000, 60_000]);

/**
 * The wait before retry number `attempt` (1 is the first retry, after the first failure).
 * Past the end of the schedule it stays at the last step. An attempt below 1 or not a
 * whole number counts as the first retry, so a caller's counting slip never means "at once".
 */
export function retryDelayMs(attempt: number, schedule: readonly number[] = HELP_RETRY_SCHEDULE_MS): number {
  if (schedule.length === 0) throw new RangeError('a retry schedule needs at least one step');
  const index = Number.isInteger(attempt) && attempt >= 1 ? Math.min(attempt, schedule.length) - 1 : 0;
  return schedule[index]!;
}

/**
 * Spreads a delay over [delay × (1 - spread), delay] with a random fraction the caller
 * draws (0 ≤ fraction < 1), so many clients that failed together do not retry together.
 */
export function spreadDelayMs(delayMs: number, randomFraction: number, spread = 0.2): number {
  const fraction = Number.isFinite(randomFraction) ? Math.min(Math.max(randomFraction, 0), 1) : 0;
  const share = Number.isFinite(spread) ? Math.min(Math.max(spread, 0), 1) : 0;
  return Math.round(delayMs * (1 - share * fraction));
}
