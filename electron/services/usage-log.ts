/**
 * The one way the kiosk records anonymous usage (guide, section 2.6): what happened,
 * never who did it. Events carry ids, counts, reasons and durations; never an address,
 * a page title, a keystroke or anything that could link two visitors' sessions.
 *
 * The SQLite store (usage-store.ts) implements `UsageLog`. The in-memory log below is
 * the fallback when SQLite cannot be loaded at all, so the kiosk still serves visitors.
 */
import type { UsageEvent } from '../../shared/usage-events';

/** The events and their schema live in shared/ (shared/usage-events.ts); every event shared/session-machine records is one of them. */
export type { UsageEvent, UsageEventType } from '../../shared/usage-events';

export interface UsageLog {
  /** Never throws and never waits: a usage figure is never worth a visitor's delay or a crash. */
  record(event: UsageEvent): void;
}

export interface RecordedUsageEvent {
  /** Epoch milliseconds when it was recorded. */
  readonly at: number;
  readonly event: UsageEvent;
}

export interface MemoryUsageLog extends UsageLog {
  /** The events kept, oldest first. */
  events(): readonly RecordedUsageEvent[];
  /** Hands over the events kept and forgets them (for the store that takes over). */
  drain(): RecordedUsageEvent[];
  /** How many events were dropped because the log was full. */
  dropped(): number;
}

export const DEFAULT_MEMORY_USAGE_LOG_CAPACITY = 10_000;

export interface MemoryUsageLogOptions {
  /** The most events kept; the oldest go first. */
  readonly capacity?: number;
  readonly now?: () => number;
}

export function createMemoryUsageLog(options: MemoryUsageLogOptions = {}): MemoryUsageLog {
  const capacity = options.capacity ?? DEFAULT_MEMORY_USAGE_LOG_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a usage log keeps at least 1 event, not ${capacity}`);
  const now = options.now ?? Date.now;
  let kept: RecordedUsageEvent[] = [];
  let droppedCount = 0;
  return {
    record(event) {
      try {
        // A copy: the caller may reuse its object, the log must keep what was recorded.
        kept.push({ at: now(), event: { ...event } });
        if (kept.length > capacity) {
          const excess = kept.length - capacity;
          kept.splice(0, excess);
          droppedCount += excess;
        }
      } catch {
        // A usage figure is never worth a crash: a broken clock loses this one event.
        droppedCount += 1;
      }
    },
    events: () => [...kept],
    drain() {
      const drained = kept;
      kept = [];
      return drained;
    },
    dropped: () => droppedCount,
  };
}
