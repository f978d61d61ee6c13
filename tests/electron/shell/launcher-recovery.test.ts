import { describe, expect, it } from 'vitest';
import { LAUNCHER_RECOVERY_POLICY, NO_RECOVERY_YET, nextRecovery, type RecoveryHistory } from '../../../electron/shell/launcher-recovery';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const policy = { delaysMs: [1_000, 5_000, 30_000] as [number, ...number[]], quietPeriodMs: 600_000 };

function crashesAt(times: readonly number[]): number[] {
  let history: RecoveryHistory = NO_RECOVERY_YET;
  return times.map((at) => {
    const decision = nextRecovery(history, at, policy);
    history = decision.history;
    return decision.delayMs;
  });
}

describe('nextRecovery', () => {
  it('brings the launcher back after a second the first time', () => {
    expect(nextRecovery(NO_RECOVERY_YET, T0, policy)).toEqual({ delayMs: 1_000, history: { consecutive: 1, lastAt: T0 } });
  });

  it('waits longer for each crash that follows soon after, up to the cap', () => {
    expect(crashesAt([T0, T0 + 10_000, T0 + 60_000, T0 + 120_000, T0 + 180_000])).toEqual([1_000, 5_000, 30_000, 30_000, 30_000]);
  });

  it('starts again from the shortest wait after a quiet period', () => {
    expect(crashesAt([T0, T0 + 10_000, T0 + 10_000 + 600_000, T0 + 10_000 + 600_001])).toEqual([1_000, 5_000, 1_000, 5_000]);
  });

  it('treats a clock that went backwards as a quiet period rather than a loop', () => {
    expect(crashesAt([T0, T0 + 1_000, T0 - 3_600_000])).toEqual([1_000, 5_000, 1_000]);
  });

  it('uses the kiosk\'s policy by default: 1 s, 5 s, 30 s', () => {
    expect(LAUNCHER_RECOVERY_POLICY.delaysMs).toEqual([1_000, 5_000, 30_000]);
    expect(nextRecovery({ consecutive: 7, lastAt: T0 }, T0 + 1).delayMs).toBe(30_000);
  });
});
