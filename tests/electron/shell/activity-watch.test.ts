import { describe, expect, it } from 'vitest';
import { createActivityThrottle, isVisitorInput, watchActivity } from '../../../electron/shell/activity-watch';
import { FakeSession, FakeWebContents } from './fake-electron';

function throttled() {
  let now = 1_000_000;
  const reports: number[] = [];
  const throttle = createActivityThrottle(() => reports.push(now), () => now, 1_000);
  return {
    reports,
    throttle,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('createActivityThrottle', () => {
  it('reports the first input at once, then at most once per second', () => {
    const { reports, throttle, advance } = throttled();
    throttle('mouseMove');
    for (let step = 0; step < 9; step += 1) {
      advance(100);
      throttle('mouseMove');
    }
    advance(100);
    throttle('keyDown');
    expect(reports).toEqual([1_000_000, 1_001_000]);
  });

  it('ignores events no person made', () => {
    const { reports, throttle } = throttled();
    throttle('undefined');
    throttle('pointerCausedUaAction');
    expect(reports).toEqual([]);
    expect(isVisitorInput('touchStart')).toBe(true);
    expect(isVisitorInput('mouseWheel')).toBe(true);
    expect(isVisitorInput('rawKeyDown')).toBe(true);
  });

  it('reports again when the clock went backwards', () => {
    const { reports, throttle, advance } = throttled();
    throttle('keyDown');
    advance(-60_000);
    throttle('keyDown');
    expect(reports).toHaveLength(2);
  });
});

describe('watchActivity', () => {
  it('feeds a webContents\' input events into the throttle', () => {
    const contents = new FakeWebContents(new FakeSession('visitor-a'));
    const seen: string[] = [];
    watchActivity(contents, (type) => seen.push(type));
    contents.input('touchStart');
    contents.input('mouseWheel');
    expect(seen).toEqual(['touchStart', 'mouseWheel']);
  });
});
