/**
 * The visitor session as the main side decides it. The screens never choose a phase:
 * they show the last snapshot the main side pushed (`session:changed`), or the one
 * `session.get()` answered when no push has come since the question was asked.
 *
 * Each snapshot is kept with the renderer's own time of arrival, so countdowns are
 * computed from `countdownEndsAt - at` minus the time elapsed here since, never by
 * comparing the main side's clock with this one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { SessionSnapshotSchema, type KioskBridge, type SessionSnapshot } from '../../shared/contract';
import { callSafely } from '../bridge/call-safely';

export interface ReceivedSnapshot {
  readonly snapshot: SessionSnapshot;
  /** `performance.now()` when the snapshot reached the screens. */
  readonly receivedAt: number;
}

export interface SessionSnapshotState {
  /** Null until the first snapshot arrives. */
  readonly current: ReceivedSnapshot | null;
  /** True while the first question could not be answered (it is asked again). */
  readonly unavailable: boolean;
  /** Asks the main side where the session stands, for when a push may have been lost. */
  readonly refresh: () => Promise<void>;
}

/** How long to wait before asking again when the main side could not say where the session stands. */
export const SESSION_RETRY_MS = 3000;

function sameSnapshot(a: SessionSnapshot, b: SessionSnapshot): boolean {
  return (Object.keys(a) as (keyof SessionSnapshot)[]).every((key) => a[key] === b[key]);
}

export function localNow(): number {
  return performance.now();
}

export function useSessionSnapshot(bridge: KioskBridge): SessionSnapshotState {
  const [current, setCurrent] = useState<ReceivedSnapshot | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const latest = useRef<SessionSnapshot | null>(null);
  // Counts pushes, so an answer to session.get() asked before a push never overrides it.
  const pushes = useRef(0);

  const accept = useCallback((snapshot: SessionSnapshot) => {
    const previous = latest.current;
    if (previous !== null && snapshot.at < previous.at) return;
    // The same snapshot again (a question asked to be sure) changes nothing, not even the countdown's start.
    if (previous !== null && sameSnapshot(previous, snapshot)) return;
    latest.current = snapshot;
    setCurrent({ snapshot, receivedAt: localNow() });
  }, []);

  const ask = useCallback(async (): Promise<boolean> => {
    const pushesBefore = pushes.current;
    const result = await callSafely(() => bridge.session.get());
    if (!result.ok) return false;
    const parsed = SessionSnapshotSchema.safeParse(result.value);
    if (!parsed.success) return false;
    // A push that arrived meanwhile is at least as recent as this answer.
    if (pushes.current === pushesBefore) accept(parsed.data);
    return true;
  }, [bridge, accept]);

  useEffect(() => {
    let stopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = bridge.session.onChanged((payload) => {
      const parsed = SessionSnapshotSchema.safeParse(payload);
      if (!parsed.success || stopped) return;
      pushes.current += 1;
      accept(parsed.data);
    });
    const first = async () => {
      const answered = await ask();
      if (stopped) return;
      if (answered || latest.current !== null) {
        setUnavailable(false);
        return;
      }
      setUnavailable(true);
      retryTimer = setTimeout(() => void first(), SESSION_RETRY_MS);
    };
    void first();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      unsubscribe();
    };
  }, [bridge, accept, ask]);

  const refresh = useCallback(async () => {
    await ask();
  }, [ask]);

  return { current, unavailable, refresh };
}
