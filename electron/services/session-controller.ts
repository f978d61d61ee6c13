/**
 * Runs shared/session-machine against a real clock and the kiosk's services: it feeds the
 * machine events, keeps exactly one timer armed for the machine's next deadline, and
 * applies the machine's answers — closing the service, running the wipe (and feeding its
 * outcome back), recording usage and telling listeners about every new snapshot.
 *
 * The machine decides; this module only carries out. It never throws out of a timer or a
 * wipe: a wipe that throws counts as not verified, which the machine retries and, failing
 * that, turns into the out-of-order screen.
 */
import type { SessionSettings } from '../../shared/config/schema';
import { DEFAULT_SESSION_SETTINGS } from '../../shared/config/schema';
import type { SessionEndReason, SessionSnapshot } from '../../shared/contract';
import type { DisplaySettings } from '../../shared/display-settings';
import type { LanguageCode } from '../../shared/languages';
import {
  initialSessionState,
  nextWakeAt,
  snapshotOf,
  transition,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
  type SessionTransition,
} from '../../shared/session-machine';
import type { Clock } from './clock';
import type { ServicePresenter, VisitorSessions, WipeReport } from './kiosk-handlers';
import type { UsageLog } from './usage-log';

/** A visitor's request that makes no sense in the session's current phase. Nothing was changed. */
export class SessionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionRefusedError';
  }
}

export interface SessionControllerOptions {
  /** The session timings in force; read at every event, so a new configuration applies at once. */
  readonly settings: () => SessionSettings;
  readonly sessions: VisitorSessions;
  readonly presenter: Pick<ServicePresenter, 'close'>;
  readonly usageLog: UsageLog;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

export interface SessionController {
  snapshot(): SessionSnapshot;
  /** Called with each new snapshot; returns the unsubscribe function. */
  onChange(listener: (snapshot: SessionSnapshot) => void): () => void;
  /** Wipes whatever a previous run left; resolves once the welcome (or out-of-order) screen is due. */
  boot(): Promise<void>;
  /** The visitor chose a language: their session begins. Refused unless the welcome screen is showing. */
  begin(language: LanguageCode): Promise<void>;
  /** Any input of the visitor; never refused (it simply changes nothing when no visitor is there). */
  activity(): void;
  /** Throws SessionRefusedError unless a visitor session is under way; `action` says what was refused. */
  assertVisitorSession(action: string): void;
  /** A service is on screen (counts as activity; recorded by id). */
  serviceOpened(serviceId: string): void;
  /** Home: back to the launcher. */
  home(): void;
  /** The visitor asked for help; always recorded. */
  helpRequested(): void;
  requestEnd(): void;
  cancelEnd(): void;
  /**
   * The visitor changed text size, strong colours or reading aloud (counts as input; each
   * option turned on is recorded). Answers the settings now in force. Refused unless a
   * visitor session is under way.
   */
  setDisplay(display: DisplaySettings): DisplaySettings;
  /** The visitor confirmed "End session"; resolves when the wipe is over, with whether it was verified. */
  confirmEnd(): Promise<{ erased: boolean }>;
  /** The screens crashed and were replaced: the session in progress is wiped. */
  crashed(): Promise<void>;
  /** Staff asked for a fresh start (also the way out of the out-of-order screen). */
  staffReset(): Promise<void>;
  /** The configuration changed: deadlines are read again with the new timings. */
  settingsChanged(): void;
  /** Resolves when no wipe is running (for tests and an orderly shutdown). */
  whenIdle(): Promise<void>;
  /** Stops the timer and the listeners; a wipe already running finishes on its own. */
  close(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A wipe's report, as far as it can be trusted: anything malformed counts as not verified. */
function readWipeReport(report: unknown, measuredMs: number): WipeReport {
  if (typeof report !== 'object' || report === null) {
    return { verified: false, durationMs: measuredMs, problems: ['the wipe gave no report'] };
  }
  const { verified, durationMs, problems } = report as Partial<Record<keyof WipeReport, unknown>>;
  return {
    verified: verified === true,
    durationMs: typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0 ? durationMs : measuredMs,
    problems: Array.isArray(problems) ? problems.map(String) : verified === true ? [] : ['the wipe did not say what went wrong'],
  };
}

export function createSessionController(options: SessionControllerOptions): SessionController {
  const { sessions, presenter, usageLog, clock, log } = options;
  let state: SessionState = initialSessionState;
  let lastGoodSettings: SessionSettings = { ...DEFAULT_SESSION_SETTINGS };
  let cancelTimer: (() => void) | null = null;
  let closed = false;
  const listeners = new Set<(snapshot: SessionSnapshot) => void>();
  /** The wipe work, in order: close-service and start-wipe effects run one after the other. */
  let work: Promise<void> = Promise.resolve();

  const readSettings = (): SessionSettings => {
    try {
      lastGoodSettings = options.settings();
    } catch (error) {
      log(`the session timings could not be read, the last ones stay in force: ${describe(error)}`);
    }
    return lastGoodSettings;
  };

  const now = () => Math.round(clock.now());

  function dispatch(event: SessionEvent): SessionTransition {
    if (closed) return { state, effects: [], ignored: 'the session controller is closed' };
    const settings = readSettings();
    const result = transition(state, event, now(), settings);
    state = result.state;
    const snapshots: SessionSnapshot[] = [];
    for (const effect of result.effects) {
      if (effect.kind === 'emit-snapshot') snapshots.push(effect.snapshot);
      else if (effect.kind === 'record') record(effect);
      else queueWork(effect);
    }
    arm(settings);
    // Listeners last: one that calls back into the controller sees a finished transition.
    for (const snapshot of snapshots) notify(snapshot);
    return result;
  }

  function record(effect: Extract<SessionEffect, { kind: 'record' }>): void {
    try {
      usageLog.record(effect.event);
    } catch (error) {
      log(`a usage event (${effect.event.type}) could not be recorded: ${describe(error)}`);
    }
  }

  function notify(snapshot: SessionSnapshot): void {
    for (const listener of [...listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        log(`a session listener failed: ${describe(error)}`);
      }
    }
  }

  function arm(settings: SessionSettings): void {
    cancelTimer?.();
    cancelTimer = null;
    const wakeAt = nextWakeAt(state, settings);
    if (wakeAt === null || closed) return;
    cancelTimer = clock.setTimer(() => {
      cancelTimer = null;
      dispatch({ type: 'tick' });
    }, Math.max(0, wakeAt - now()));
  }

  function queueWork(effect: Extract<SessionEffect, { kind: 'close-service' | 'start-wipe' }>): void {
    work = work.then(() => (effect.kind === 'close-service' ? closeService() : runWipe(effect.reason, effect.attempt)));
  }

  async function closeService(): Promise<void> {
    try {
      await presenter.close();
    } catch (error) {
      // The wipe runs regardless, and its verification decides whether the session is clean.
      log(`closing the service before the wipe failed: ${describe(error)}`);
    }
  }

  async function runWipe(reason: SessionEndReason, attempt: number): Promise<void> {
    const startedAt = now();
    let report: WipeReport;
    try {
      report = readWipeReport(await sessions.wipe(reason), now() - startedAt);
    } catch (error) {
      report = { verified: false, durationMs: now() - startedAt, problems: [describe(error)] };
    }
    if (!report.verified) {
      log(`the wipe (${reason}, attempt ${attempt}) could not be verified: ${report.problems.join('; ') || 'no reason given'}`);
    } else if (report.problems.length > 0) {
      log(`the wipe (${reason}, attempt ${attempt}) was verified, with remarks: ${report.problems.join('; ')}`);
    }
    const result = dispatch({ type: 'wipe-finished', attempt, verified: report.verified, durationMs: report.durationMs });
    if (result.state.phase === 'out-of-order' && !result.state.wipeRunning) {
      log(`the kiosk is out of order: ${result.state.attempt} wipe attempts could not be verified; it tries again every minute`);
    }
  }

  async function whenIdle(): Promise<void> {
    // Work queued while waiting (a retry) is waited for too.
    for (;;) {
      const current = work;
      await current;
      if (current === work) return;
    }
  }

  function refuseUnless(result: SessionTransition): void {
    if (result.ignored !== null) throw new SessionRefusedError(result.ignored);
  }

  const hasVisitor = () => state.phase === 'active' || state.phase === 'idle-warning';

  return {
    snapshot: () => snapshotOf(state, now()),
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async boot() {
      dispatch({ type: 'boot' });
      await whenIdle();
    },
    async begin(language) {
      // A dry run of the pure machine: a refused visitor never reaches the sessions.
      refuseUnless(transition(state, { type: 'language-chosen', language }, now(), readSettings()));
      // The visitor's partition exists before the machine says the session has begun.
      await sessions.begin(language);
      refuseUnless(dispatch({ type: 'language-chosen', language }));
    },
    activity() {
      dispatch({ type: 'activity' });
    },
    assertVisitorSession(action) {
      if (!hasVisitor()) throw new SessionRefusedError(`cannot ${action}: ${state.phase === 'welcome' ? 'no visitor session has begun' : `the session is ${state.phase}`}`);
    },
    serviceOpened(serviceId) {
      refuseUnless(dispatch({ type: 'service-opened', serviceId }));
    },
    home() {
      refuseUnless(dispatch({ type: 'home' }));
    },
    helpRequested() {
      dispatch({ type: 'help' });
    },
    requestEnd() {
      refuseUnless(dispatch({ type: 'end-requested' }));
    },
    cancelEnd() {
      refuseUnless(dispatch({ type: 'end-cancelled' }));
    },
    setDisplay(display) {
      refuseUnless(dispatch({ type: 'display-changed', display }));
      return { ...snapshotOf(state, now()).display };
    },
    async confirmEnd() {
      // A second confirmation (a double tap) waits for the same wipe instead of failing.
      if (state.phase === 'ending' && state.wipeRunning) {
        await whenIdle();
      } else if (state.phase === 'erased') {
        return { erased: true };
      } else {
        refuseUnless(dispatch({ type: 'end-confirmed' }));
        await whenIdle();
      }
      return { erased: state.phase !== 'out-of-order' && state.phase !== 'ending' };
    },
    async crashed() {
      dispatch({ type: 'crash' });
      await whenIdle();
    },
    async staffReset() {
      refuseUnless(dispatch({ type: 'staff-reset' }));
      await whenIdle();
    },
    settingsChanged() {
      dispatch({ type: 'tick' });
    },
    whenIdle,
    close() {
      closed = true;
      cancelTimer?.();
      cancelTimer = null;
      listeners.clear();
    },
  };
}
