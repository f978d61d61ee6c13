/**
 * How long the kiosk waits before it loads the launcher again after the launcher's
 * renderer crashed or hung. A renderer that crashes once is brought back at once (after
 * a second, so the wipe of the visitor's session has run); one that keeps crashing is
 * brought back more and more slowly, so a page that crashes on load cannot keep a core
 * busy in a loop. After a quiet period the count starts again.
 *
 * A pure function of the history and the time: tested without timers.
 */

export interface RecoveryPolicy {
  /** The wait before each successive reload; the last one repeats. */
  readonly delaysMs: readonly [number, ...number[]];
  /** A crash after this long without one counts as the first again. */
  readonly quietPeriodMs: number;
}

export const LAUNCHER_RECOVERY_POLICY: RecoveryPolicy = {
  delaysMs: [1_000, 5_000, 30_000],
  quietPeriodMs: 10 * 60_000,
};

/** How long an unresponsive launcher is given to answer again before it is replaced. */
export const UNRESPONSIVE_GRACE_MS = 10_000;

export interface RecoveryHistory {
  /** Crashes in a row, each within the quiet period of the one before. */
  readonly consecutive: number;
  /** When the last crash happened (epoch milliseconds), or null before the first. */
  readonly lastAt: number | null;
}

export const NO_RECOVERY_YET: RecoveryHistory = { consecutive: 0, lastAt: null };

export interface RecoveryDecision {
  readonly delayMs: number;
  readonly history: RecoveryHistory;
}

export function nextRecovery(history: RecoveryHistory, now: number, policy: RecoveryPolicy = LAUNCHER_RECOVERY_POLICY): RecoveryDecision {
  const quiet = history.lastAt === null || now - history.lastAt >= policy.quietPeriodMs || now < history.lastAt;
  const consecutive = quiet ? 1 : history.consecutive + 1;
  const step = Math.min(consecutive, policy.delaysMs.length) - 1;
  return { delayMs: policy.delaysMs[step] ?? policy.delaysMs[0], history: { consecutive, lastAt: now } };
}
