/**
 * Countdowns of the main side's snapshots, in the renderer's own time: the time left
 * when the snapshot was taken (`endsAt - at`, both the main side's clock) minus what
 * has elapsed here since it arrived. The two clocks are never compared.
 */
import { useEffect, useState } from 'react';
import type { ReceivedSnapshot } from './use-session-snapshot';
import { localNow } from './use-session-snapshot';

/** Milliseconds left before `endsAt`, never below zero. */
export function remainingMs(endsAt: number, received: ReceivedSnapshot, now: number): number {
  const leftWhenTaken = endsAt - received.snapshot.at;
  return Math.max(0, leftWhenTaken - Math.max(0, now - received.receivedAt));
}

/** Whole units left, rounded up: "1 second" until the very end, then 0. */
export function unitsLeft(remaining: number, unitMs: number): number {
  return Math.ceil(remaining / unitMs);
}

/**
 * The whole seconds (or minutes) left before `endsAt`, re-rendered when the number
 * changes; null when there is no `endsAt`.
 */
export function useUnitsLeft(endsAt: number | null, received: ReceivedSnapshot | null, unitMs: number): number | null {
  // The renderer's time at the last tick. Older than a newer snapshot's arrival, it counts as no time elapsed.
  const [now, setNow] = useState(localNow);

  useEffect(() => {
    if (endsAt === null || received === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      const remaining = remainingMs(endsAt, received, localNow());
      const units = unitsLeft(remaining, unitMs);
      if (units <= 0) return;
      // Wake just after the number changes: when `remaining` drops to (units - 1) whole units.
      timer = setTimeout(() => {
        setNow(localNow());
        schedule();
      }, remaining - (units - 1) * unitMs + 5);
    };
    schedule();
    return () => clearTimeout(timer);
  }, [endsAt, received, unitMs]);

  return endsAt === null || received === null ? null : unitsLeft(remainingMs(endsAt, received, now), unitMs);
}
