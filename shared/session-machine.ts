/**
 * The visitor session's lifecycle, decided in one pure function.
 *
 *   welcome ─language─▶ active ⇄ idle-warning
 *                         │           │
 *                         ▼           ▼
 *                   ending (the wipe, retried) ──verified──▶ erased ──▶ welcome
 *                         │
 *                         └──still not verified──▶ out-of-order ──verified retry──▶ welcome
 *
 * The visitor's display settings (text size, strong colours, reading aloud) belong to the
 * visitor: every session begins with the defaults, and the screens shown when no visitor
 * is there (the wipe, the "erased" message, the welcome screen) are back to normal.
 *
 * Nothing here reads a clock or starts a timer: every event comes with `now` (epoch ms of
 * the main side's clock), `nextWakeAt` says when the caller must come back with a `tick`,
 * and the answer lists effects as data (wipe, usage events, a snapshot for the screens).
 * The caller (electron/services/session-controller.ts) applies them.
 *
 * Rule for late events: time passes first. Before an event is applied, every deadline that
 * `now` has reached is applied as a tick would have, so the order in which a timer and an
 * input reach the caller never changes the outcome.
 */
import type { SessionSettings } from './config/schema';
import type { SessionEndReason, SessionSnapshot } from './contract';
import { DEFAULT_DISPLAY, optionsTurnedOn, sameDisplay, type DisplaySettings } from './display-settings';
import type { LanguageCode } from './languages';
import type { AccessibilityOption } from './usage-events';

/** A wipe is retried twice before the kiosk declares itself out of order. */
export const MAX_WIPE_ATTEMPTS = 3;
/** How often an out-of-order kiosk tries the wipe again on its own. */
export const OUT_OF_ORDER_RETRY_MS = 60_000;

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;

/** A visitor who chose a language and has not left yet. */
export interface VisitorState {
  readonly language: LanguageCode;
  readonly startedAt: number;
  readonly lastActivityAt: number;
  /** The service on screen, or null on the launcher. */
  readonly serviceId: string | null;
  /** Fixed when the session begins: a change of settings never shortens a session under way. */
  readonly sessionEndsAt: number | null;
  readonly lengthWarningAt: number | null;
  readonly lengthWarning: boolean;
  /** How the visitor wants the screens; DEFAULT_DISPLAY when the session begins. */
  readonly display: DisplaySettings;
}

export type SessionState =
  | { readonly phase: 'welcome' }
  | { readonly phase: 'active'; readonly visitor: VisitorState }
  | { readonly phase: 'idle-warning'; readonly visitor: VisitorState; readonly countdownEndsAt: number }
  | {
      readonly phase: 'ending';
      readonly reason: SessionEndReason;
      /** The wipe attempt under way (1 to MAX_WIPE_ATTEMPTS); 0 before boot. */
      readonly attempt: number;
      readonly wipeRunning: boolean;
      /** The language of the visitor whose traces are being erased; null when there was none. */
      readonly language: LanguageCode | null;
    }
  | { readonly phase: 'erased'; readonly reason: SessionEndReason; readonly language: LanguageCode; readonly until: number }
  | {
      readonly phase: 'out-of-order';
      readonly reason: SessionEndReason;
      /** The last wipe attempt, counting on from the ones that failed before. */
      readonly attempt: number;
      readonly wipeRunning: boolean;
      readonly nextRetryAt: number;
    };

/**
 * Before boot, the kiosk is "ending" a session that a previous run may have left: no
 * visitor can begin until the boot wipe has been verified. A caller that never sends
 * `boot` keeps a kiosk that refuses visitors, never one that skips the wipe.
 */
export const initialSessionState: SessionState = { phase: 'ending', reason: 'boot', attempt: 0, wipeRunning: false, language: null };

export type SessionEvent =
  | { readonly type: 'boot' }
  /** The visitor's first interaction: the session begins and the idle counter starts. */
  | { readonly type: 'language-chosen'; readonly language: LanguageCode }
  /** Any input; during the idle warning, "I'm still here". */
  | { readonly type: 'activity' }
  | { readonly type: 'service-opened'; readonly serviceId: string }
  | { readonly type: 'home' }
  | { readonly type: 'help' }
  | { readonly type: 'end-requested' }
  | { readonly type: 'end-cancelled' }
  | { readonly type: 'end-confirmed' }
  /** The visitor changed text size, strong colours or reading aloud (the toolbar's buttons); counts as input. */
  | { readonly type: 'display-changed'; readonly display: DisplaySettings }
  /** A timer fired; what it means is read from `now` against the deadlines. */
  | { readonly type: 'tick' }
  /** The screens' process crashed or stopped answering and was replaced. */
  | { readonly type: 'crash' }
  /** The answer to the start-wipe effect of the same attempt. */
  | { readonly type: 'wipe-finished'; readonly attempt: number; readonly verified: boolean; readonly durationMs: number }
  /** Staff asked for a fresh start: a wipe, then the welcome screen. */
  | { readonly type: 'staff-reset' };

export type SessionEventType = SessionEvent['type'];

/** What the session records in the anonymous usage log: ids and counts, never addresses or anything personal. */
export type SessionUsageEvent =
  | { readonly type: 'session-started'; readonly language: LanguageCode }
  | { readonly type: 'service-opened'; readonly serviceId: string }
  | { readonly type: 'session-ended'; readonly reason: SessionEndReason; readonly durationSeconds: number }
  | { readonly type: 'wipe-done'; readonly durationMs: number; readonly verified: boolean; readonly attempt: number }
  | { readonly type: 'help-requested'; readonly serviceId: string | null }
  /** One per option a display change turned on: which options visitors use, never who. */
  | { readonly type: 'accessibility-on'; readonly option: AccessibilityOption };

export type SessionEffect =
  | { readonly kind: 'record'; readonly event: SessionUsageEvent }
  | { readonly kind: 'emit-snapshot'; readonly snapshot: SessionSnapshot }
  /** Close every service view, so no page of the visitor is alive while its traces are erased. */
  | { readonly kind: 'close-service' }
  /** Erase every trace, then answer with a `wipe-finished` event. */
  | { readonly kind: 'start-wipe'; readonly reason: SessionEndReason; readonly attempt: number };

export interface SessionTransition {
  readonly state: SessionState;
  readonly effects: readonly SessionEffect[];
  /** Why the event changed nothing, for callers that refuse the request that sent it; null when it was applied. */
  readonly ignored: string | null;
}

function idleTimeoutMs(settings: SessionSettings): number {
  return settings.idleTimeoutSeconds * SECOND_MS;
}

function hasVisitor(state: SessionState): state is Extract<SessionState, { visitor: VisitorState }> {
  return state.phase === 'active' || state.phase === 'idle-warning';
}

function earliest(times: readonly (number | null)[]): number | null {
  const present = times.filter((time): time is number => time !== null);
  return present.length === 0 ? null : Math.min(...present);
}

/** The next moment the caller must send a `tick`; null when nothing is timed. */
export function nextWakeAt(state: SessionState, settings: SessionSettings): number | null {
  switch (state.phase) {
    case 'welcome':
    case 'ending':
      return null;
    case 'active': {
      const { visitor } = state;
      return earliest([visitor.lastActivityAt + idleTimeoutMs(settings), visitor.sessionEndsAt, visitor.lengthWarning ? null : visitor.lengthWarningAt]);
    }
    case 'idle-warning': {
      const { visitor } = state;
      return earliest([state.countdownEndsAt, visitor.sessionEndsAt, visitor.lengthWarning ? null : visitor.lengthWarningAt]);
    }
    case 'erased':
      return state.until;
    case 'out-of-order':
      return state.wipeRunning ? null : state.nextRetryAt;
  }
}

/** What the screens are told. `at` is `now`, so they count down by difference. */
export function snapshotOf(state: SessionState, now: number): SessionSnapshot {
  const at = Math.round(now);
  switch (state.phase) {
    case 'welcome':
      return { phase: 'welcome', at, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY };
    case 'active':
    case 'idle-warning':
      return {
        phase: state.phase,
        at,
        language: state.visitor.language,
        countdownEndsAt: state.phase === 'idle-warning' ? state.countdownEndsAt : null,
        sessionEndsAt: state.visitor.sessionEndsAt,
        lengthWarning: state.visitor.lengthWarning,
        endReason: null,
        display: state.visitor.display,
      };
    case 'ending':
    case 'erased':
      return { phase: state.phase, at, language: state.language, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: state.reason, display: DEFAULT_DISPLAY };
    case 'out-of-order':
      return { phase: 'out-of-order', at, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: state.reason, display: DEFAULT_DISPLAY };
  }
}

/** One step's outcome before the snapshot comparison; effects other than emit-snapshot. */
interface Step {
  readonly state: SessionState;
  readonly effects: readonly SessionEffect[];
  readonly ignored: string | null;
}

const same = (state: SessionState): Step => ({ state, effects: [], ignored: null });
const ignore = (state: SessionState, why: string): Step => ({ state, effects: [], ignored: why });

function wipeEffects(reason: SessionEndReason, attempt: number): SessionEffect[] {
  return [{ kind: 'close-service' }, { kind: 'start-wipe', reason, attempt }];
}

/** The visitor's session ends: record it, then start the first wipe attempt. */
function endVisitorSession(visitor: VisitorState, reason: SessionEndReason, now: number): Step {
  const durationSeconds = Math.max(0, Math.round((now - visitor.startedAt) / SECOND_MS));
  return {
    state: { phase: 'ending', reason, attempt: 1, wipeRunning: true, language: visitor.language },
    effects: [{ kind: 'record', event: { type: 'session-ended', reason, durationSeconds } }, ...wipeEffects(reason, 1)],
    ignored: null,
  };
}

/** A wipe with no visitor to tell about it (boot, a crash on the welcome screen, staff). */
function wipeWithoutVisitor(reason: SessionEndReason): Step {
  return { state: { phase: 'ending', reason, attempt: 1, wipeRunning: true, language: null }, effects: wipeEffects(reason, 1), ignored: null };
}

function startSession(language: LanguageCode, now: number, settings: SessionSettings): Step {
  const sessionEndsAt = settings.maxSessionMinutes === null ? null : now + settings.maxSessionMinutes * MINUTE_MS;
  const lengthWarningAt = sessionEndsAt === null ? null : sessionEndsAt - settings.maxSessionWarningMinutes * MINUTE_MS;
  const visitor: VisitorState = {
    language,
    startedAt: now,
    lastActivityAt: now,
    serviceId: null,
    sessionEndsAt,
    lengthWarningAt,
    lengthWarning: lengthWarningAt !== null && now >= lengthWarningAt,
    display: DEFAULT_DISPLAY,
  };
  return { state: { phase: 'active', visitor }, effects: [{ kind: 'record', event: { type: 'session-started', language } }], ignored: null };
}

/** Applies every deadline `now` has reached: what a tick means. */
function advanceTime(state: SessionState, now: number, settings: SessionSettings): Step {
  switch (state.phase) {
    case 'welcome':
    case 'ending':
      return same(state);
    case 'erased':
      return now >= state.until ? same({ phase: 'welcome' }) : same(state);
    case 'out-of-order':
      if (state.wipeRunning || now < state.nextRetryAt) return same(state);
      return { state: { ...state, attempt: state.attempt + 1, wipeRunning: true }, effects: wipeEffects(state.reason, state.attempt + 1), ignored: null };
    case 'active':
    case 'idle-warning': {
      const warningDue = !state.visitor.lengthWarning && state.visitor.lengthWarningAt !== null && now >= state.visitor.lengthWarningAt;
      const visitor = warningDue ? { ...state.visitor, lengthWarning: true } : state.visitor;
      const lengthReached = visitor.sessionEndsAt !== null && now >= visitor.sessionEndsAt;
      if (state.phase === 'idle-warning') {
        const countdownOver = now >= state.countdownEndsAt;
        // Both deadlines passed (a late timer): the one that came first is the reason.
        if (lengthReached && (!countdownOver || visitor.sessionEndsAt! <= state.countdownEndsAt)) return endVisitorSession(visitor, 'max-length', now);
        if (countdownOver) return endVisitorSession(visitor, 'idle', now);
        return same(warningDue ? { ...state, visitor } : state);
      }
      if (lengthReached) return endVisitorSession(visitor, 'max-length', now);
      if (now >= visitor.lastActivityAt + idleTimeoutMs(settings)) {
        // The countdown starts when the warning shows, so a late timer never shortens it.
        return same({ phase: 'idle-warning', visitor, countdownEndsAt: now + settings.idleWarningSeconds * SECOND_MS });
      }
      return same(warningDue ? { ...state, visitor } : state);
    }
  }
}

function describePhase(state: SessionState): string {
  switch (state.phase) {
    case 'welcome':
      return 'no visitor session has begun (the welcome screen is showing)';
    case 'active':
    case 'idle-warning':
      return 'a visitor session is under way';
    case 'ending':
      return state.wipeRunning ? "the visitor's traces are being erased" : 'the kiosk is starting and has not erased what a previous run may have left';
    case 'erased':
      return 'the last session was just erased and the welcome screen is not back yet';
    case 'out-of-order':
      return 'the kiosk is out of order: the last wipe could not be verified';
  }
}

/** The visitor did something: the idle counter starts again and the warning goes. */
function visitorActed(state: Extract<SessionState, { visitor: VisitorState }>, now: number, change: Partial<Pick<VisitorState, 'serviceId' | 'display'>> = {}): SessionState {
  return { phase: 'active', visitor: { ...state.visitor, ...change, lastActivityAt: Math.max(state.visitor.lastActivityAt, now) } };
}

function applyEvent(state: SessionState, event: SessionEvent, now: number, settings: SessionSettings): Step {
  switch (event.type) {
    case 'tick':
      // advanceTime already did everything a tick means.
      return same(state);

    case 'boot':
      if (state.phase === 'ending' && state.wipeRunning) return ignore(state, `boot: ${describePhase(state)}`);
      if (state.phase === 'out-of-order' && state.wipeRunning) return ignore(state, `boot: ${describePhase(state)}`);
      if (hasVisitor(state)) return endVisitorSession(state.visitor, 'boot', now);
      return wipeWithoutVisitor('boot');

    case 'language-chosen':
      if (state.phase !== 'welcome') return ignore(state, `a session cannot begin now: ${describePhase(state)}`);
      return startSession(event.language, now, settings);

    case 'activity':
      if (state.phase === 'erased') return same({ phase: 'welcome' });
      if (!hasVisitor(state)) return ignore(state, `activity changes nothing: ${describePhase(state)}`);
      return same(visitorActed(state, now));

    case 'service-opened':
      if (!hasVisitor(state)) return ignore(state, `a service cannot be opened now: ${describePhase(state)}`);
      return { state: visitorActed(state, now, { serviceId: event.serviceId }), effects: [{ kind: 'record', event: { type: 'service-opened', serviceId: event.serviceId } }], ignored: null };

    case 'home':
      if (!hasVisitor(state)) return ignore(state, `Home changes nothing now: ${describePhase(state)}`);
      return same(visitorActed(state, now, { serviceId: null }));

    case 'help': {
      const serviceId = hasVisitor(state) ? state.visitor.serviceId : null;
      const record: SessionEffect = { kind: 'record', event: { type: 'help-requested', serviceId } };
      // A call for help is always recorded; it counts as the visitor's input only while one is there.
      return { state: hasVisitor(state) ? visitorActed(state, now) : state, effects: [record], ignored: null };
    }

    case 'end-requested':
    case 'end-cancelled':
      if (!hasVisitor(state)) return ignore(state, `there is no session to end: ${describePhase(state)}`);
      return same(visitorActed(state, now));

    case 'end-confirmed':
      if (!hasVisitor(state)) return ignore(state, `there is no session to end: ${describePhase(state)}`);
      return endVisitorSession(state.visitor, 'visitor', now);

    case 'display-changed': {
      if (!hasVisitor(state)) return ignore(state, `the display settings cannot be changed now: ${describePhase(state)}`);
      const { textSize, highContrast, readAloud } = event.display;
      // A copy of the three settings only, frozen: the caller's object is not kept, and the snapshots that share it cannot change it.
      const display: DisplaySettings = Object.freeze({ textSize, highContrast, readAloud });
      const records = optionsTurnedOn(state.visitor.display, display).map((option): SessionEffect => ({ kind: 'record', event: { type: 'accessibility-on', option } }));
      return { state: visitorActed(state, now, { display }), effects: records, ignored: null };
    }

    case 'crash':
      if (hasVisitor(state)) return endVisitorSession(state.visitor, 'crash', now);
      // A crashed screen may have held something even without a visitor: wipe anyway.
      if (state.phase === 'welcome' || state.phase === 'erased') return wipeWithoutVisitor('crash');
      // While ending, the wipe under way is verified anyway; out of order, no visitor is let in.
      return ignore(state, `a crash changes nothing now: ${describePhase(state)}`);

    case 'staff-reset':
      if (hasVisitor(state)) return endVisitorSession(state.visitor, 'staff', now);
      if ((state.phase === 'ending' || state.phase === 'out-of-order') && state.wipeRunning) return ignore(state, `a reset must wait: ${describePhase(state)}`);
      return wipeWithoutVisitor('staff');

    case 'wipe-finished':
      return wipeFinished(state, event, now, settings);
  }
}

function isWipeRunning(state: SessionState): boolean {
  return (state.phase === 'ending' || state.phase === 'out-of-order') && state.wipeRunning;
}

function wipeFinished(state: SessionState, event: Extract<SessionEvent, { type: 'wipe-finished' }>, now: number, settings: SessionSettings): Step {
  if ((state.phase !== 'ending' && state.phase !== 'out-of-order') || !state.wipeRunning) {
    return ignore(state, `no wipe was running: ${describePhase(state)}`);
  }
  if (event.attempt !== state.attempt) return ignore(state, `the wipe running is attempt ${state.attempt}, not ${event.attempt}`);
  const durationMs = Number.isFinite(event.durationMs) ? Math.max(0, Math.round(event.durationMs)) : 0;
  const record: SessionEffect = { kind: 'record', event: { type: 'wipe-done', durationMs, verified: event.verified, attempt: state.attempt } };
  if (state.phase === 'out-of-order') {
    if (event.verified) return { state: { phase: 'welcome' }, effects: [record], ignored: null };
    return { state: { ...state, wipeRunning: false, nextRetryAt: now + OUT_OF_ORDER_RETRY_MS }, effects: [record], ignored: null };
  }
  if (event.verified) {
    // Only a visitor is told that everything was erased; after a boot or an empty-screen crash, the welcome screen comes back at once.
    const next: SessionState =
      state.language === null
        ? { phase: 'welcome' }
        : { phase: 'erased', reason: state.reason, language: state.language, until: now + settings.erasedMessageSeconds * SECOND_MS };
    return { state: next, effects: [record], ignored: null };
  }
  if (state.attempt < MAX_WIPE_ATTEMPTS) {
    return { state: { ...state, attempt: state.attempt + 1 }, effects: [record, ...wipeEffects(state.reason, state.attempt + 1)], ignored: null };
  }
  // Never hand a session that may not be clean to the next visitor.
  return { state: { phase: 'out-of-order', reason: state.reason, attempt: state.attempt, wipeRunning: false, nextRetryAt: now + OUT_OF_ORDER_RETRY_MS }, effects: [record], ignored: null };
}

function sameSnapshot(before: SessionSnapshot, after: SessionSnapshot): boolean {
  return (
    before.phase === after.phase &&
    before.language === after.language &&
    before.countdownEndsAt === after.countdownEndsAt &&
    before.sessionEndsAt === after.sessionEndsAt &&
    before.lengthWarning === after.lengthWarning &&
    before.endReason === after.endReason &&
    sameDisplay(before.display, after.display)
  );
}

/**
 * Applies one event at `now` under `settings`. Never throws: an event that makes no sense in
 * the current phase leaves the state as it is and says why in `ignored`.
 */
export function transition(state: SessionState, event: SessionEvent, now: number, settings: SessionSettings): SessionTransition {
  if (!Number.isFinite(now)) return { state, effects: [], ignored: `the time given (${String(now)}) is not a finite number of milliseconds` };
  const advanced = advanceTime(state, now, settings);
  // A wipe that the passing of time has just started cannot have finished already.
  const applied =
    event.type === 'wipe-finished' && !isWipeRunning(state)
      ? ignore(advanced.state, `no wipe was running: ${describePhase(state)}`)
      : applyEvent(advanced.state, event, now, settings);
  const next = applied.state;
  const before = snapshotOf(state, now);
  const after = snapshotOf(next, now);
  const changes = [...advanced.effects, ...applied.effects];
  const records = changes.filter((effect) => effect.kind === 'record');
  const others = changes.filter((effect) => effect.kind !== 'record');
  const emit: SessionEffect[] = sameSnapshot(before, after) ? [] : [{ kind: 'emit-snapshot', snapshot: after }];
  return { state: next, effects: [...records, ...emit, ...others], ignored: applied.ignored };
}
