/**
 * How the screens report the visitor's activity: at most one report every 2 seconds,
 * the first input at once and the inputs of the quiet time once at its end; nothing
 * outside a scope, and nothing carried from one scope into the next.
 */
import { render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_EVENTS, ACTIVITY_INTERVAL_MS, createActivityThrottle, useActivityReporting, type ActivityTimers } from '../../renderer/session/activity-reporter';

/** Timers that run when the test says: the throttle takes them as a parameter. */
class SteppedTimers implements ActivityTimers {
  time = 0;
  private pending: { at: number; callback: () => void; handle: number }[] = [];
  private nextHandle = 1;

  now() {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number) {
    const handle = this.nextHandle++;
    this.pending.push({ at: this.time + delayMs, callback, handle });
    return handle;
  }

  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((timer) => timer.handle !== handle);
  }

  step(ms: number) {
    this.time += ms;
    const due = this.pending.filter((timer) => timer.at <= this.time);
    this.pending = this.pending.filter((timer) => timer.at > this.time);
    for (const timer of due) timer.callback();
  }

  get armed() {
    return this.pending.length;
  }
}

describe('activity throttle', () => {
  it('reports the first input at once and the inputs of the quiet time once, at its end', () => {
    const timers = new SteppedTimers();
    let reports = 0;
    const throttle = createActivityThrottle(() => (reports += 1), ACTIVITY_INTERVAL_MS, timers);

    throttle.input();
    expect(reports).toBe(1);
    timers.step(500);
    throttle.input();
    timers.step(500);
    throttle.input();
    expect(reports).toBe(1);
    timers.step(ACTIVITY_INTERVAL_MS - 1000 - 1);
    expect(reports).toBe(1);
    timers.step(1);
    expect(reports).toBe(2);
    expect(timers.armed).toBe(0);

    // Right after a report, an input waits for the rest of the interval.
    throttle.input();
    expect(reports).toBe(2);
    timers.step(ACTIVITY_INTERVAL_MS);
    expect(reports).toBe(3);

    // After a quiet interval, the next input goes at once again.
    timers.step(ACTIVITY_INTERVAL_MS);
    throttle.input();
    expect(reports).toBe(4);
  });

  it('sends nothing pending once disposed', () => {
    const timers = new SteppedTimers();
    let reports = 0;
    const throttle = createActivityThrottle(() => (reports += 1), ACTIVITY_INTERVAL_MS, timers);
    throttle.input();
    throttle.input();
    throttle.dispose();
    timers.step(ACTIVITY_INTERVAL_MS * 2);
    expect(reports).toBe(1);
    expect(timers.armed).toBe(0);
  });
});

function Reporter({ scope, onReport }: { readonly scope: string | null; readonly onReport: () => void }) {
  useActivityReporting(scope, onReport);
  return <p>screen</p>;
}

describe('activity reporting on the page', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(ACTIVITY_EVENTS)('counts %s anywhere on the page', (type) => {
    const onReport = vi.fn();
    render(<Reporter scope="visitor" onReport={onReport} />);
    document.body.dispatchEvent(new Event(type, { bubbles: true }));
    expect(onReport).toHaveBeenCalledTimes(1);
  });

  it('reports nothing outside a scope', () => {
    const onReport = vi.fn();
    render(<Reporter scope={null} onReport={onReport} />);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    vi.advanceTimersByTime(ACTIVITY_INTERVAL_MS * 2);
    expect(onReport).not.toHaveBeenCalled();
  });

  it('carries nothing from one scope into the next: the press that ended the session is not a touch on the erased message', () => {
    const onReport = vi.fn();
    const view = render(<Reporter scope="visitor" onReport={onReport} />);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    vi.advanceTimersByTime(300);
    // "Yes, erase and finish": within the quiet time, so its report would come at the end of it.
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(onReport).toHaveBeenCalledTimes(1);

    view.rerender(<Reporter scope="erased" onReport={onReport} />);
    vi.advanceTimersByTime(ACTIVITY_INTERVAL_MS * 2);
    expect(onReport).toHaveBeenCalledTimes(1);

    // A touch made on the erased message counts, at once.
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(onReport).toHaveBeenCalledTimes(2);

    view.unmount();
    document.body.dispatchEvent(new Event('keydown', { bubbles: true }));
    vi.advanceTimersByTime(ACTIVITY_INTERVAL_MS * 2);
    expect(onReport).toHaveBeenCalledTimes(2);
  });
});
