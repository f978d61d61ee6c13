import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/services/clock';
import { ManualClock } from '../../support/manual-clock';

describe('systemClock', () => {
  it('reads epoch milliseconds close to the wall clock, as whole numbers', () => {
    const now = systemClock.now();
    expect(Number.isInteger(now)).toBe(true);
    expect(Math.abs(now - Date.now())).toBeLessThan(5_000);
  });

  it('calls a timer back once, and not after it was cancelled', async () => {
    const calls: string[] = [];
    systemClock.setTimer(() => calls.push('kept'), 5);
    const cancel = systemClock.setTimer(() => calls.push('cancelled'), 5);
    cancel();
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls).toEqual(['kept']);
  });

  it('runs a timer with a delay that is not a number at once rather than never', async () => {
    const calls: string[] = [];
    systemClock.setTimer(() => calls.push('ran'), Number.NaN);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(['ran']);
  });
});

describe('ManualClock', () => {
  it('moves only when told, and runs due timers in time order, each at its own moment', () => {
    const clock = new ManualClock(1_000);
    const calls: string[] = [];
    clock.setTimer(() => calls.push(`b@${clock.now()}`), 300);
    clock.setTimer(() => calls.push(`a@${clock.now()}`), 100);
    clock.setTimer(() => calls.push(`c@${clock.now()}`), 300);
    expect(clock.now()).toBe(1_000);
    clock.advance(299);
    expect(calls).toEqual(['a@1100']);
    clock.advance(1);
    expect(calls).toEqual(['a@1100', 'b@1300', 'c@1300']);
    expect(clock.now()).toBe(1_300);
  });

  it('runs a timer set by a timer within the same advance when it falls due', () => {
    const clock = new ManualClock(0);
    const calls: number[] = [];
    clock.setTimer(() => {
      calls.push(clock.now());
      clock.setTimer(() => calls.push(clock.now()), 50);
    }, 100);
    clock.advanceTo(200);
    expect(calls).toEqual([100, 150]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('forgets a cancelled timer', () => {
    const clock = new ManualClock(0);
    const calls: string[] = [];
    const cancel = clock.setTimer(() => calls.push('no'), 10);
    expect(clock.nextDueAt()).toBe(10);
    cancel();
    expect(clock.nextDueAt()).toBeNull();
    clock.advance(100);
    expect(calls).toEqual([]);
  });

  it('refuses to go back in time', () => {
    const clock = new ManualClock(500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advanceTo(499)).toThrow(/cannot go back/);
    expect(clock.now()).toBe(500);
  });
});
