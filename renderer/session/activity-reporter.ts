/**
 * Tells the main side that the visitor is there: any touch, click, scroll or key on the
 * kiosk's own screens. At most one call every ACTIVITY_INTERVAL_MS: the first input is
 * reported at once, and inputs during the quiet time are reported once at its end, so
 * the main side's idle counter never lags the visitor by more than that interval.
 * (Inputs inside a service view are watched by the main side itself.)
 */
import { useEffect, useRef } from 'react';

export const ACTIVITY_INTERVAL_MS = 2000;

/** The inputs that count as the visitor being there. */
export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export interface ActivityTimers {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: ActivityTimers = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => window.setTimeout(callback, delayMs),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

export interface ActivityThrottle {
  /** An input happened. */
  input(): void;
  /** Forgets a pending report and its timer. */
  dispose(): void;
}

export function createActivityThrottle(report: () => void, intervalMs = ACTIVITY_INTERVAL_MS, timers: ActivityTimers = browserTimers): ActivityThrottle {
  let lastReport = Number.NEGATIVE_INFINITY;
  let pending = false;
  let timer: unknown = null;

  const send = () => {
    lastReport = timers.now();
    pending = false;
    report();
  };

  return {
    input() {
      const sinceLast = timers.now() - lastReport;
      if (sinceLast >= intervalMs && timer === null) {
        send();
        return;
      }
      pending = true;
      if (timer !== null) return;
      timer = timers.setTimeout(() => {
        timer = null;
        if (pending) send();
      }, Math.max(0, intervalMs - sinceLast));
    },
    dispose() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = false;
    },
  };
}

/**
 * While `scope` is not null, every input on the page is reported through `report`,
 * throttled. A new scope starts afresh: nothing pending from the one before is sent in
 * it (the press on "Yes, erase and finish" must never count as a touch on the erased message).
 */
export function useActivityReporting(scope: string | null, report: () => void): void {
  const reportRef = useRef(report);
  useEffect(() => {
    reportRef.current = report;
  }, [report]);

  useEffect(() => {
    if (scope === null) return;
    const throttle = createActivityThrottle(() => reportRef.current());
    const onInput = () => throttle.input();
    const options = { capture: true, passive: true } as const;
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, onInput, options);
    return () => {
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onInput, options);
      throttle.dispose();
    };
  }, [scope]);
}
