/**
 * A clock that moves only when a test says so. Timers due at the same moment run in the
 * order they were set; a timer set by a running timer runs in the same advance if it
 * falls due within it. Used by the session controller's tests and by the preview's
 * end-to-end tests (the idle warning without waiting minutes).
 */
import type { Clock } from '../../electron/services/clock';

interface PendingTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  /** Starts at a fixed, realistic moment so snapshots look like real epoch times. */
  constructor(start = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    const id = this.#nextId++;
    const delay = Number.isFinite(delayMs) ? Math.max(0, delayMs) : 0;
    this.#timers.push({ id, dueAt: this.#now + delay, callback });
    return () => {
      this.#timers = this.#timers.filter((timer) => timer.id !== id);
    };
  }

  /** How many timers are armed. */
  pendingTimers(): number {
    return this.#timers.length;
  }

  /** When the next timer falls due, or null when none is armed. */
  nextDueAt(): number | null {
    return this.#timers.length === 0 ? null : Math.min(...this.#timers.map((timer) => timer.dueAt));
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance takes a duration of 0 ms or more, not ${ms}`);
    this.advanceTo(this.#now + ms);
  }

  /** Moves to `target`, running every timer due on the way, each at its own moment. */
  advanceTo(target: number): void {
    if (!Number.isFinite(target) || target < this.#now) throw new RangeError(`advanceTo cannot go back in time (now ${this.#now}, asked ${target})`);
    for (;;) {
      const due = this.#timers.filter((timer) => timer.dueAt <= target);
      if (due.length === 0) break;
      const first = due.reduce((soonest, timer) => (timer.dueAt < soonest.dueAt || (timer.dueAt === soonest.dueAt && timer.id < soonest.id) ? timer : soonest));
      this.#timers = this.#timers.filter((timer) => timer.id !== first.id);
      this.#now = Math.max(this.#now, first.dueAt);
      first.callback();
    }
    this.#now = target;
  }
}
