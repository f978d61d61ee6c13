/**
 * The session machine, transition by transition, with time as plain numbers: each step
 * says when it happens, and `wake()` goes to the moment the machine asked to be woken.
 */
import { describe, expect, it } from 'vitest';
import { SessionSettingsSchema, type SessionSettings } from '../../shared/config/schema';
import { SessionSnapshotSchema } from '../../shared/contract';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../../shared/display-settings';
import {
  MAX_WIPE_ATTEMPTS,
  OUT_OF_ORDER_RETRY_MS,
  initialSessionState,
  nextWakeAt,
  snapshotOf,
  transition,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
  type SessionTransition,
} from '../../shared/session-machine';

const DEFAULTS: SessionSettings = SessionSettingsSchema.parse({});
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const SECOND = 1_000;
const MINUTE = 60_000;

function settingsWith(changes: Partial<SessionSettings>): SessionSettings {
  return SessionSettingsSchema.parse({ ...DEFAULTS, ...changes });
}

/** One kiosk's life as a sequence of events at given times. */
class Walk {
  state: SessionState = initialSessionState;
  now = T0;
  settings: SessionSettings = DEFAULTS;
  last: SessionTransition | null = null;

  send(event: SessionEvent, at: number = this.now): SessionTransition {
    this.now = at;
    this.last = transition(this.state, event, at, this.settings);
    this.state = this.last.state;
    return this.last;
  }

  /** The event, `ms` after the previous one. */
  after(ms: number, event: SessionEvent): SessionTransition {
    return this.send(event, this.now + ms);
  }

  /** The timer the machine asked for fires. */
  wake(): SessionTransition {
    const at = nextWakeAt(this.state, this.settings);
    if (at === null) throw new Error(`no timer is due in phase ${this.state.phase}`);
    return this.send({ type: 'tick' }, at);
  }

  get phase(): SessionState['phase'] {
    return this.state.phase;
  }

  snapshot() {
    return snapshotOf(this.state, this.now);
  }

  wakeAt(): number | null {
    return nextWakeAt(this.state, this.settings);
  }
}

function kinds(result: SessionTransition): string[] {
  return result.effects.map((effect) => (effect.kind === 'record' ? `record:${effect.event.type}` : effect.kind));
}

function recorded(result: SessionTransition) {
  return result.effects.flatMap((effect) => (effect.kind === 'record' ? [effect.event] : []));
}

function wipesOf(result: SessionTransition) {
  return result.effects.flatMap((effect) => (effect.kind === 'start-wipe' ? [{ reason: effect.reason, attempt: effect.attempt }] : []));
}

function emitted(result: SessionTransition) {
  const snapshots = result.effects.flatMap((effect) => (effect.kind === 'emit-snapshot' ? [effect.snapshot] : []));
  expect(snapshots.length).toBeLessThanOrEqual(1);
  return snapshots[0] ?? null;
}

/** The answer of the wipe that `walk` is running. */
function runningAttempt(walk: Walk): number {
  const { state } = walk;
  return state.phase === 'ending' || state.phase === 'out-of-order' ? state.attempt : 0;
}
const verified = (walk: Walk, durationMs = 40): SessionEvent => ({ type: 'wipe-finished', attempt: runningAttempt(walk), verified: true, durationMs });
const unverified = (walk: Walk, durationMs = 40): SessionEvent => ({ type: 'wipe-finished', attempt: runningAttempt(walk), verified: false, durationMs });

/** Booted, boot wipe verified: the welcome screen. */
function booted(settings: SessionSettings = DEFAULTS): Walk {
  const walk = new Walk();
  walk.settings = settings;
  walk.send({ type: 'boot' });
  walk.after(50, verified(walk, 50));
  expect(walk.phase).toBe('welcome');
  return walk;
}

/** A visitor chose `language` one minute after boot. */
function visiting(language: 'fr' | 'nl' | 'de' | 'en' = 'fr', settings: SessionSettings = DEFAULTS): Walk {
  const walk = booted(settings);
  walk.after(MINUTE, { type: 'language-chosen', language });
  expect(walk.phase).toBe('active');
  return walk;
}

describe('before and at boot', () => {
  it('starts refusing visitors: nothing may begin before the boot wipe', () => {
    expect(initialSessionState).toEqual({ phase: 'ending', reason: 'boot', attempt: 0, wipeRunning: false, language: null });
    expect(nextWakeAt(initialSessionState, DEFAULTS)).toBeNull();
    const walk = new Walk();
    const refused = walk.send({ type: 'language-chosen', language: 'fr' });
    expect(refused.ignored).toMatch(/a session cannot begin now: the kiosk is starting/);
    expect(refused.effects).toEqual([]);
    expect(walk.state).toBe(initialSessionState);
  });

  it('boot closes any service and wipes, without a session-ended event', () => {
    const walk = new Walk();
    const boot = walk.send({ type: 'boot' });
    expect(boot.ignored).toBeNull();
    expect(boot.effects).toEqual([{ kind: 'close-service' }, { kind: 'start-wipe', reason: 'boot', attempt: 1 }]);
    expect(walk.snapshot()).toMatchObject({ phase: 'ending', endReason: 'boot', language: null });
  });

  it('a verified boot wipe goes straight to the welcome screen: nobody is there to be told', () => {
    const walk = new Walk();
    walk.send({ type: 'boot' });
    const done = walk.after(120, verified(walk, 118));
    expect(done.effects).toEqual([
      { kind: 'record', event: { type: 'wipe-done', durationMs: 118, verified: true, attempt: 1 } },
      { kind: 'emit-snapshot', snapshot: { phase: 'welcome', at: T0 + 120, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY } },
    ]);
    expect(walk.wakeAt()).toBeNull();
  });

  it('a second boot while the boot wipe runs is ignored', () => {
    const walk = new Walk();
    walk.send({ type: 'boot' });
    const again = walk.after(5, { type: 'boot' });
    expect(again.ignored).toMatch(/being erased/);
    expect(again.effects).toEqual([]);
  });

  it('a boot wipe that cannot be verified is retried twice, then the kiosk is out of order', () => {
    const walk = new Walk();
    walk.send({ type: 'boot' });
    const second = walk.after(100, unverified(walk, 100));
    expect(kinds(second)).toEqual(['record:wipe-done', 'close-service', 'start-wipe']);
    expect(wipesOf(second)).toEqual([{ reason: 'boot', attempt: 2 }]);
    expect(recorded(second)).toEqual([{ type: 'wipe-done', durationMs: 100, verified: false, attempt: 1 }]);
    const third = walk.after(100, unverified(walk, 100));
    expect(wipesOf(third)).toEqual([{ reason: 'boot', attempt: 3 }]);
    const outOfOrder = walk.after(100, unverified(walk, 100));
    expect(wipesOf(outOfOrder)).toEqual([]);
    expect(recorded(outOfOrder)).toEqual([{ type: 'wipe-done', durationMs: 100, verified: false, attempt: MAX_WIPE_ATTEMPTS }]);
    expect(emitted(outOfOrder)).toMatchObject({ phase: 'out-of-order', endReason: 'boot', language: null });
    expect(walk.wakeAt()).toBe(walk.now + OUT_OF_ORDER_RETRY_MS);
  });
});

describe('the welcome screen', () => {
  it('has no timer: the idle counter never runs without a visitor', () => {
    const walk = booted();
    expect(walk.wakeAt()).toBeNull();
    const tick = walk.after(24 * 60 * MINUTE, { type: 'tick' });
    expect(tick.effects).toEqual([]);
    expect(walk.phase).toBe('welcome');
  });

  it('ignores activity without a word and without effects', () => {
    const walk = booted();
    const result = walk.after(SECOND, { type: 'activity' });
    expect(result.effects).toEqual([]);
    expect(result.ignored).toMatch(/no visitor session has begun/);
    expect(walk.wakeAt()).toBeNull();
  });

  it('refuses what needs a visitor: opening a service, Home, ending', () => {
    const events: SessionEvent[] = [{ type: 'service-opened', serviceId: 'vdab' }, { type: 'home' }, { type: 'end-requested' }, { type: 'end-cancelled' }, { type: 'end-confirmed' }];
    for (const event of events) {
      const walk = booted();
      const before = walk.state;
      const result = walk.after(SECOND, event);
      expect(result.ignored, event.type).toMatch(/no visitor session has begun/);
      expect(result.effects, event.type).toEqual([]);
      expect(walk.state, event.type).toBe(before);
    }
  });

  it('records a call for help with no service', () => {
    const walk = booted();
    const result = walk.after(SECOND, { type: 'help' });
    expect(result.effects).toEqual([{ kind: 'record', event: { type: 'help-requested', serviceId: null } }]);
    expect(walk.phase).toBe('welcome');
  });

  it('ignores a wipe result when no wipe runs', () => {
    const walk = booted();
    const result = walk.after(SECOND, verified(walk));
    expect(result.ignored).toMatch(/no wipe was running/);
    expect(result.effects).toEqual([]);
  });

  it('begins the session at the language choice, and starts the idle counter then', () => {
    const walk = booted();
    const chosen = walk.after(10 * MINUTE, { type: 'language-chosen', language: 'nl' });
    expect(chosen.effects).toEqual([
      { kind: 'record', event: { type: 'session-started', language: 'nl' } },
      { kind: 'emit-snapshot', snapshot: { phase: 'active', at: walk.now, language: 'nl', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY } },
    ]);
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });
});

describe('an active visitor', () => {
  it('restarts the idle counter on every input, without telling the screens', () => {
    const walk = visiting();
    const activity = walk.after(100 * SECOND, { type: 'activity' });
    expect(activity.effects).toEqual([]);
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });

  it('shows the idle warning after the idle timeout, with a full countdown', () => {
    const walk = visiting();
    const begunAt = walk.now;
    expect(walk.after(180 * SECOND - 1, { type: 'tick' }).effects).toEqual([]);
    expect(walk.phase).toBe('active');
    const warning = walk.wake();
    expect(walk.now).toBe(begunAt + 180 * SECOND);
    expect(warning.effects).toEqual([
      { kind: 'emit-snapshot', snapshot: expect.objectContaining({ phase: 'idle-warning', countdownEndsAt: walk.now + 30 * SECOND, language: 'fr' }) },
    ]);
    expect(walk.wakeAt()).toBe(walk.now + 30 * SECOND);
  });

  it('gives the full countdown even when the timer fires late', () => {
    const walk = visiting();
    const late = walk.after(200 * SECOND, { type: 'tick' });
    expect(emitted(late)).toMatchObject({ phase: 'idle-warning', countdownEndsAt: walk.now + 30 * SECOND });
  });

  it('"I\'m still here" during the warning brings the visitor back, with a fresh idle counter', () => {
    const walk = visiting();
    walk.wake();
    const stillHere = walk.after(12 * SECOND, { type: 'activity' });
    expect(emitted(stillHere)).toMatchObject({ phase: 'active', countdownEndsAt: null });
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });

  it('ends the session when the countdown finishes: usage, snapshot, then close and wipe', () => {
    const walk = visiting('de');
    walk.wake();
    const end = walk.wake();
    expect(end.effects).toEqual([
      { kind: 'record', event: { type: 'session-ended', reason: 'idle', durationSeconds: 210 } },
      { kind: 'emit-snapshot', snapshot: { phase: 'ending', at: walk.now, language: 'de', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: 'idle', display: DEFAULT_DISPLAY } },
      { kind: 'close-service' },
      { kind: 'start-wipe', reason: 'idle', attempt: 1 },
    ]);
    expect(walk.wakeAt()).toBeNull();
  });

  it('rounds the duration to the nearest second', () => {
    const walk = visiting();
    walk.after(61_499, { type: 'end-confirmed' });
    expect(recorded(walk.last!)).toEqual([{ type: 'session-ended', reason: 'visitor', durationSeconds: 61 }]);
    const other = visiting();
    other.after(61_500, { type: 'end-confirmed' });
    expect(recorded(other.last!)).toEqual([{ type: 'session-ended', reason: 'visitor', durationSeconds: 62 }]);
  });

  it('records services by id, counts them as input, and knows which one Help comes from', () => {
    const walk = visiting();
    const opened = walk.after(100 * SECOND, { type: 'service-opened', serviceId: 'myminfin' });
    expect(opened.effects).toEqual([{ kind: 'record', event: { type: 'service-opened', serviceId: 'myminfin' } }]);
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
    expect(recorded(walk.after(SECOND, { type: 'help' }))).toEqual([{ type: 'help-requested', serviceId: 'myminfin' }]);
    expect(walk.after(SECOND, { type: 'home' }).effects).toEqual([]);
    expect(recorded(walk.after(SECOND, { type: 'help' }))).toEqual([{ type: 'help-requested', serviceId: null }]);
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });

  it('counts asking and cancelling "End session" as input', () => {
    const walk = visiting();
    walk.after(170 * SECOND, { type: 'end-requested' });
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
    walk.after(170 * SECOND, { type: 'end-cancelled' });
    expect(walk.phase).toBe('active');
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });

  it('takes "End session" pressed during the warning as input too', () => {
    const walk = visiting();
    walk.wake();
    expect(emitted(walk.after(SECOND, { type: 'end-requested' }))).toMatchObject({ phase: 'active' });
  });

  it('ends at the visitor\'s confirmation, even during the idle warning', () => {
    const walk = visiting('en');
    walk.wake();
    const end = walk.after(5 * SECOND, { type: 'end-confirmed' });
    expect(kinds(end)).toEqual(['record:session-ended', 'emit-snapshot', 'close-service', 'start-wipe']);
    expect(wipesOf(end)).toEqual([{ reason: 'visitor', attempt: 1 }]);
    expect(recorded(end)).toEqual([{ type: 'session-ended', reason: 'visitor', durationSeconds: 185 }]);
  });

  it('a crash ends the session and wipes', () => {
    const walk = visiting();
    const crash = walk.after(42 * SECOND, { type: 'crash' });
    expect(recorded(crash)).toEqual([{ type: 'session-ended', reason: 'crash', durationSeconds: 42 }]);
    expect(wipesOf(crash)).toEqual([{ reason: 'crash', attempt: 1 }]);
  });

  it('staff can end a session in progress', () => {
    const walk = visiting();
    const reset = walk.after(42 * SECOND, { type: 'staff-reset' });
    expect(recorded(reset)).toEqual([{ type: 'session-ended', reason: 'staff', durationSeconds: 42 }]);
    expect(wipesOf(reset)).toEqual([{ reason: 'staff', attempt: 1 }]);
  });

  it('a second language choice is refused', () => {
    const walk = visiting('fr');
    const again = walk.after(SECOND, { type: 'language-chosen', language: 'nl' });
    expect(again.ignored).toMatch(/a visitor session is under way/);
    expect(walk.snapshot().language).toBe('fr');
  });

  it('a wipe result with no wipe running changes nothing', () => {
    const walk = visiting();
    const before = walk.state;
    expect(walk.after(SECOND, unverified(walk)).ignored).toMatch(/no wipe was running/);
    expect(walk.state).toBe(before);
  });

  it('a tick before any deadline changes nothing', () => {
    const walk = visiting();
    const before = walk.state;
    const tick = walk.after(SECOND, { type: 'tick' });
    expect(tick).toEqual({ state: before, effects: [], ignored: null });
  });
});

describe('the maximum session length', () => {
  const limited = settingsWith({ maxSessionMinutes: 60, maxSessionWarningMinutes: 5 });

  it('is announced in the snapshot, warned 5 minutes before, then ends the session', () => {
    const walk = visiting('nl', limited);
    const begunAt = walk.now;
    expect(walk.snapshot()).toMatchObject({ sessionEndsAt: begunAt + 60 * MINUTE, lengthWarning: false });
    // A busy visitor: input every two minutes.
    while (walk.now + 2 * MINUTE < begunAt + 55 * MINUTE) {
      expect(walk.after(2 * MINUTE, { type: 'activity' }).effects).toEqual([]);
    }
    expect(walk.wakeAt()).toBe(begunAt + 55 * MINUTE);
    const warning = walk.wake();
    expect(emitted(warning)).toMatchObject({ phase: 'active', lengthWarning: true, sessionEndsAt: begunAt + 60 * MINUTE });
    walk.after(2 * MINUTE, { type: 'activity' });
    walk.after(2 * MINUTE, { type: 'activity' });
    expect(walk.wakeAt()).toBe(begunAt + 60 * MINUTE);
    const end = walk.wake();
    expect(recorded(end)).toEqual([{ type: 'session-ended', reason: 'max-length', durationSeconds: 3600 }]);
    expect(wipesOf(end)).toEqual([{ reason: 'max-length', attempt: 1 }]);
    expect(emitted(end)).toMatchObject({ phase: 'ending', endReason: 'max-length', lengthWarning: false, sessionEndsAt: null });
  });

  it('ends the session during an idle warning that outlasts it', () => {
    const walk = visiting('fr', limited);
    const begunAt = walk.now;
    walk.send({ type: 'activity' }, begunAt + 57 * MINUTE);
    // The idle timeout falls on the end itself: the end wins, there is no point in a warning.
    walk.wake();
    expect(walk.phase).toBe('ending');
    expect(recorded(walk.last!)).toEqual([{ type: 'session-ended', reason: 'max-length', durationSeconds: 3600 }]);
  });

  it('the end of the session cuts an idle countdown short', () => {
    const walk = visiting('fr', limited);
    const begunAt = walk.now;
    walk.send({ type: 'activity' }, begunAt + 56 * MINUTE + 50 * SECOND);
    walk.wake(); // the idle warning shows at 59:50
    expect(walk.phase).toBe('idle-warning');
    expect(walk.wakeAt()).toBe(begunAt + 60 * MINUTE);
    walk.wake();
    expect(recorded(walk.last!)).toEqual([{ type: 'session-ended', reason: 'max-length', durationSeconds: 3600 }]);
  });

  it('a late timer past both deadlines names the one that came first', () => {
    const walk = visiting('fr', limited);
    const begunAt = walk.now;
    walk.send({ type: 'activity' }, begunAt + 50 * MINUTE);
    walk.wake(); // the idle warning shows at 53:00, its countdown ends at 53:30
    expect(walk.phase).toBe('idle-warning');
    walk.send({ type: 'tick' }, begunAt + 61 * MINUTE);
    expect(recorded(walk.last!)).toEqual([{ type: 'session-ended', reason: 'idle', durationSeconds: 3660 }]);
  });

  it('without a maximum, a session has no end time and no warning', () => {
    const walk = visiting();
    walk.after(11 * 60 * MINUTE, { type: 'activity' });
    expect(walk.snapshot()).toMatchObject({ phase: 'active', sessionEndsAt: null, lengthWarning: false });
  });
});

describe("the visitor's display settings", () => {
  const LARGE: DisplaySettings = { textSize: 150, highContrast: false, readAloud: false };
  const LARGE_STRONG: DisplaySettings = { textSize: 200, highContrast: true, readAloud: false };
  const EVERYTHING: DisplaySettings = { textSize: 125, highContrast: true, readAloud: true };
  const changed = (display: DisplaySettings): SessionEvent => ({ type: 'display-changed', display });

  it('a session begins with the defaults', () => {
    const walk = visiting();
    expect(walk.snapshot().display).toEqual(DEFAULT_DISPLAY);
    expect(walk.state.phase === 'active' && walk.state.visitor.display).toEqual(DEFAULT_DISPLAY);
  });

  it('a change is kept for the visitor, told to the screens, and recorded once per option turned on', () => {
    const walk = visiting();
    const result = walk.after(20 * SECOND, changed(LARGE_STRONG));
    expect(result.ignored).toBeNull();
    expect(result.effects).toEqual([
      { kind: 'record', event: { type: 'accessibility-on', option: 'larger-text' } },
      { kind: 'record', event: { type: 'accessibility-on', option: 'high-contrast' } },
      { kind: 'emit-snapshot', snapshot: { phase: 'active', at: walk.now, language: 'fr', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: LARGE_STRONG } },
    ]);
    expect(walk.snapshot().display).toEqual(LARGE_STRONG);
  });

  it('records all three options when one change turns them all on', () => {
    const walk = visiting();
    expect(recorded(walk.after(SECOND, changed(EVERYTHING)))).toEqual([
      { type: 'accessibility-on', option: 'larger-text' },
      { type: 'accessibility-on', option: 'high-contrast' },
      { type: 'accessibility-on', option: 'read-aloud' },
    ]);
  });

  it('records nothing for a larger step of text already larger, nor for turning options off, but still tells the screens', () => {
    const walk = visiting();
    walk.after(SECOND, changed(EVERYTHING));
    const bigger = walk.after(SECOND, changed({ ...EVERYTHING, textSize: 200 }));
    expect(kinds(bigger)).toEqual(['emit-snapshot']);
    expect(emitted(bigger)?.display).toEqual({ ...EVERYTHING, textSize: 200 });
    const off = walk.after(SECOND, changed(DEFAULT_DISPLAY));
    expect(kinds(off)).toEqual(['emit-snapshot']);
    expect(emitted(off)?.display).toEqual(DEFAULT_DISPLAY);
    // Turned on again later in the same session: the visitor used it again, it counts again.
    expect(recorded(walk.after(SECOND, changed(LARGE)))).toEqual([{ type: 'accessibility-on', option: 'larger-text' }]);
  });

  it('the same settings again change nothing on screen and record nothing, but count as input', () => {
    const walk = visiting();
    walk.after(SECOND, changed(LARGE));
    const again = walk.after(100 * SECOND, changed({ ...LARGE }));
    expect(again).toEqual({ state: walk.state, effects: [], ignored: null });
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });

  it('counts as input: the idle counter starts again', () => {
    const walk = visiting();
    walk.after(170 * SECOND, changed(LARGE));
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
    walk.after(170 * SECOND, { type: 'tick' });
    expect(walk.phase).toBe('active');
  });

  it('during the idle warning, a change is "I\'m still here": back to active with the new settings', () => {
    const walk = visiting();
    walk.wake();
    expect(walk.phase).toBe('idle-warning');
    const result = walk.after(5 * SECOND, changed(LARGE));
    expect(kinds(result)).toEqual(['record:accessibility-on', 'emit-snapshot']);
    expect(emitted(result)).toMatchObject({ phase: 'active', countdownEndsAt: null, display: LARGE });
    expect(walk.wakeAt()).toBe(walk.now + 180 * SECOND);
  });

  it('the idle warning and the length warning show the visitor\'s settings too', () => {
    const walk = visiting('nl', settingsWith({ maxSessionMinutes: 10, maxSessionWarningMinutes: 2 }));
    walk.after(SECOND, changed(LARGE_STRONG));
    walk.wake();
    expect(walk.snapshot()).toMatchObject({ phase: 'idle-warning', display: LARGE_STRONG });
    walk.after(SECOND, { type: 'activity' });
    for (let minute = 0; minute < 5; minute += 1) walk.after(MINUTE, { type: 'activity' });
    expect(walk.snapshot()).toMatchObject({ phase: 'active', lengthWarning: true, display: LARGE_STRONG });
    // A change during the length warning keeps the warning.
    expect(emitted(walk.after(SECOND, changed(DEFAULT_DISPLAY)))).toMatchObject({ lengthWarning: true, display: DEFAULT_DISPLAY });
  });

  it('survives opening a service, Home, Back and Help: it belongs to the visitor, not the page', () => {
    const walk = visiting();
    walk.after(SECOND, changed(EVERYTHING));
    walk.after(SECOND, { type: 'service-opened', serviceId: 'vdab' });
    walk.after(SECOND, { type: 'help' });
    walk.after(SECOND, { type: 'home' });
    walk.after(SECOND, { type: 'end-requested' });
    walk.after(SECOND, { type: 'end-cancelled' });
    expect(walk.snapshot().display).toEqual(EVERYTHING);
  });

  it('is refused without a visitor, with the reason, and changes nothing: before boot, welcome, wipe, "erased", out of order', () => {
    const beforeBoot = new Walk();
    const ending = visiting();
    ending.after(SECOND, changed(LARGE));
    ending.after(SECOND, { type: 'end-confirmed' });
    const erased = visiting();
    erased.after(SECOND, changed(LARGE));
    erased.after(SECOND, { type: 'end-confirmed' });
    erased.after(100, verified(erased));
    const outOfOrder = visiting();
    outOfOrder.after(SECOND, { type: 'end-confirmed' });
    for (let attempt = 1; attempt <= MAX_WIPE_ATTEMPTS; attempt += 1) outOfOrder.after(100, unverified(outOfOrder));
    const cases: Array<[Walk, SessionState['phase'], RegExp]> = [
      [beforeBoot, 'ending', /the kiosk is starting/],
      [booted(), 'welcome', /no visitor session has begun/],
      [ending, 'ending', /being erased/],
      [erased, 'erased', /just erased/],
      [outOfOrder, 'out-of-order', /out of order/],
    ];
    for (const [walk, phase, why] of cases) {
      expect(walk.phase).toBe(phase);
      const before = walk.state;
      const result = walk.after(10, changed(EVERYTHING));
      expect(result.ignored, phase).toMatch(/^the display settings cannot be changed now: /);
      expect(result.ignored, phase).toMatch(why);
      expect(result.effects, phase).toEqual([]);
      expect(walk.state, phase).toBe(before);
      expect(walk.snapshot().display, phase).toEqual(DEFAULT_DISPLAY);
    }
  });

  it('is back to the defaults as soon as the session ends: the wipe, "erased" and the welcome screen are normal', () => {
    const walk = visiting('de');
    walk.after(SECOND, changed(LARGE_STRONG));
    const end = walk.after(SECOND, { type: 'end-confirmed' });
    expect(emitted(end)).toMatchObject({ phase: 'ending', language: 'de', display: DEFAULT_DISPLAY });
    expect(emitted(walk.after(100, verified(walk)))).toMatchObject({ phase: 'erased', language: 'de', display: DEFAULT_DISPLAY });
    expect(emitted(walk.wake())).toMatchObject({ phase: 'welcome', display: DEFAULT_DISPLAY });
  });

  it('every way a session ends brings the defaults back: idle, maximum length, crash, staff, boot', () => {
    const ends: Array<[string, (walk: Walk) => void]> = [
      ['idle', (walk) => {
        walk.wake();
        walk.wake();
      }],
      ['crash', (walk) => walk.after(SECOND, { type: 'crash' })],
      ['staff', (walk) => walk.after(SECOND, { type: 'staff-reset' })],
      ['boot', (walk) => walk.after(SECOND, { type: 'boot' })],
    ];
    for (const [reason, end] of ends) {
      const walk = visiting();
      walk.after(SECOND, changed(EVERYTHING));
      end(walk);
      expect(walk.snapshot(), reason).toMatchObject({ phase: 'ending', endReason: reason, display: DEFAULT_DISPLAY });
    }
    const limited = visiting('fr', settingsWith({ maxSessionMinutes: 10, maxSessionWarningMinutes: 2 }));
    limited.after(SECOND, changed(EVERYTHING));
    limited.send({ type: 'tick' }, limited.now + 10 * MINUTE);
    expect(limited.snapshot()).toMatchObject({ phase: 'ending', endReason: 'max-length', display: DEFAULT_DISPLAY });
  });

  it('the next visitor starts from the defaults, whatever the last one chose', () => {
    const walk = visiting('fr');
    walk.after(SECOND, changed(EVERYTHING));
    walk.after(SECOND, { type: 'end-confirmed' });
    walk.after(100, verified(walk));
    walk.after(SECOND, { type: 'activity' });
    const next = walk.after(SECOND, { type: 'language-chosen', language: 'en' });
    expect(emitted(next)).toMatchObject({ phase: 'active', language: 'en', display: DEFAULT_DISPLAY });
    expect(walk.state.phase === 'active' && walk.state.visitor.display).toEqual(DEFAULT_DISPLAY);
  });

  it('keeps its own copy of the three settings: the caller\'s object, changed later or carrying more, is not kept', () => {
    const walk = visiting();
    const given = { textSize: 125, highContrast: false, readAloud: false, url: 'https://example.org/secret' } as DisplaySettings & { url: string };
    walk.after(SECOND, changed(given));
    given.textSize = 200;
    const kept = walk.state.phase === 'active' ? walk.state.visitor.display : null;
    expect(kept).toEqual({ textSize: 125, highContrast: false, readAloud: false });
    expect(kept).not.toBe(given);
    // The snapshots hand the same settings to the screens: none of them can change the visitor's.
    expect(Object.isFrozen(walk.snapshot().display)).toBe(true);
    expect(SessionSnapshotSchema.safeParse(walk.snapshot()).success).toBe(true);
  });

  it('a change that arrives after the idle countdown ended does not save the session (time passes first)', () => {
    const walk = visiting();
    walk.after(SECOND, changed(LARGE));
    walk.wake();
    const late = walk.after(31 * SECOND, changed(EVERYTHING));
    expect(late.ignored).toMatch(/the display settings cannot be changed now: the visitor's traces are being erased/);
    expect(recorded(late)).toEqual([{ type: 'session-ended', reason: 'idle', durationSeconds: 212 }]);
    expect(emitted(late)).toMatchObject({ phase: 'ending', display: DEFAULT_DISPLAY });
  });

  it('refuses a time that is not a number, and changes nothing', () => {
    const walk = visiting();
    const before = walk.state;
    const result = transition(walk.state, changed(LARGE), Number.NaN, DEFAULTS);
    expect(result).toEqual({ state: before, effects: [], ignored: expect.stringMatching(/not a finite number/) });
  });
});

describe('time passes first', () => {
  it('an input that arrives after the countdown ended does not save the session', () => {
    const walk = visiting();
    walk.wake();
    const late = walk.after(31 * SECOND, { type: 'activity' });
    expect(walk.phase).toBe('ending');
    expect(recorded(late)).toEqual([{ type: 'session-ended', reason: 'idle', durationSeconds: 211 }]);
    expect(late.ignored).toMatch(/being erased/);
  });

  it('an input after a missed idle deadline is still input: one snapshot, no warning left', () => {
    const walk = visiting();
    const late = walk.after(185 * SECOND, { type: 'activity' });
    expect(walk.phase).toBe('active');
    expect(late.effects).toEqual([]);
  });

  it('refuses a time that is not a number, and changes nothing', () => {
    const walk = visiting();
    const before = walk.state;
    for (const now of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = transition(walk.state, { type: 'end-confirmed' }, now, DEFAULTS);
      expect(result.state).toBe(before);
      expect(result.effects).toEqual([]);
      expect(result.ignored).toMatch(/not a finite number/);
    }
  });
});

describe('while the wipe runs', () => {
  function ending(): Walk {
    const walk = visiting('nl');
    walk.after(90 * SECOND, { type: 'service-opened', serviceId: 'vdab' });
    walk.after(30 * SECOND, { type: 'end-confirmed' });
    expect(walk.phase).toBe('ending');
    return walk;
  }

  it('ignores every input, a second confirmation, a crash, a boot and a staff reset', () => {
    const events: SessionEvent[] = [
      { type: 'activity' },
      { type: 'service-opened', serviceId: 'vdab' },
      { type: 'home' },
      { type: 'end-requested' },
      { type: 'end-cancelled' },
      { type: 'end-confirmed' },
      { type: 'language-chosen', language: 'fr' },
      { type: 'crash' },
      { type: 'boot' },
      { type: 'staff-reset' },
      { type: 'tick' },
    ];
    const walk = ending();
    const before = walk.state;
    for (const event of events) {
      const result = walk.after(SECOND, event);
      expect(result.effects, event.type).toEqual([]);
      expect(walk.state, event.type).toBe(before);
    }
    expect(walk.wakeAt()).toBeNull();
  });

  it('still records a call for help', () => {
    const walk = ending();
    expect(walk.after(SECOND, { type: 'help' }).effects).toEqual([{ kind: 'record', event: { type: 'help-requested', serviceId: null } }]);
    expect(walk.phase).toBe('ending');
  });

  it('a verified wipe shows "erased" in the visitor\'s language for erasedMessageSeconds', () => {
    const walk = ending();
    const done = walk.after(300, verified(walk, 297));
    expect(done.effects).toEqual([
      { kind: 'record', event: { type: 'wipe-done', durationMs: 297, verified: true, attempt: 1 } },
      { kind: 'emit-snapshot', snapshot: { phase: 'erased', at: walk.now, language: 'nl', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: 'visitor', display: DEFAULT_DISPLAY } },
    ]);
    expect(walk.wakeAt()).toBe(walk.now + 6 * SECOND);
    const welcome = walk.wake();
    expect(emitted(welcome)).toEqual({ phase: 'welcome', at: walk.now, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY });
    expect(walk.wakeAt()).toBeNull();
  });

  it('a touch skips the "erased" message; a language choice does not', () => {
    const walk = ending();
    walk.after(300, verified(walk));
    expect(walk.after(SECOND, { type: 'language-chosen', language: 'fr' }).ignored).toMatch(/just erased/);
    expect(emitted(walk.after(SECOND, { type: 'activity' }))).toMatchObject({ phase: 'welcome' });
  });

  it('records a duration it cannot read as zero', () => {
    const walk = ending();
    const done = walk.after(300, { type: 'wipe-finished', attempt: 1, verified: true, durationMs: Number.NaN });
    expect(recorded(done)).toEqual([{ type: 'wipe-done', durationMs: 0, verified: true, attempt: 1 }]);
  });

  it('retries a wipe that cannot be verified, closing the service each time, then goes out of order', () => {
    const walk = ending();
    const retry = walk.after(300, unverified(walk, 290));
    expect(retry.effects).toEqual([
      { kind: 'record', event: { type: 'wipe-done', durationMs: 290, verified: false, attempt: 1 } },
      { kind: 'close-service' },
      { kind: 'start-wipe', reason: 'visitor', attempt: 2 },
    ]);
    expect(walk.snapshot()).toMatchObject({ phase: 'ending', language: 'nl' });
    expect(wipesOf(walk.after(300, unverified(walk)))).toEqual([{ reason: 'visitor', attempt: 3 }]);
    const broken = walk.after(300, unverified(walk));
    expect(emitted(broken)).toEqual({ phase: 'out-of-order', at: walk.now, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: 'visitor', display: DEFAULT_DISPLAY });
  });

  it('ignores the answer of another attempt than the one running', () => {
    const walk = ending();
    walk.after(300, unverified(walk));
    const before = walk.state;
    const stale = walk.after(10, { type: 'wipe-finished', attempt: 1, verified: true, durationMs: 10 });
    expect(stale.ignored).toMatch(/attempt 2, not 1/);
    expect(stale.effects).toEqual([]);
    expect(walk.state).toBe(before);
  });

  it('never takes a wipe started by the passing of time as already finished', () => {
    const walk = visiting();
    walk.wake();
    // The countdown ended before this (stray) answer arrived: the idle wipe starts, and is not over.
    const stray = walk.after(31 * SECOND, { type: 'wipe-finished', attempt: 1, verified: true, durationMs: 5 });
    expect(stray.ignored).toMatch(/no wipe was running/);
    expect(kinds(stray)).toEqual(['record:session-ended', 'emit-snapshot', 'close-service', 'start-wipe']);
    expect(walk.snapshot()).toMatchObject({ phase: 'ending', endReason: 'idle', display: DEFAULT_DISPLAY });
  });

  it('a retry that succeeds ends like a first success', () => {
    const walk = ending();
    walk.after(300, unverified(walk));
    const done = walk.after(300, verified(walk));
    expect(recorded(done)).toEqual([{ type: 'wipe-done', durationMs: 40, verified: true, attempt: 2 }]);
    expect(walk.snapshot()).toMatchObject({ phase: 'erased', language: 'nl' });
  });
});

describe('out of order', () => {
  function outOfOrder(): Walk {
    const walk = visiting();
    walk.after(SECOND, { type: 'end-confirmed' });
    for (let attempt = 1; attempt <= MAX_WIPE_ATTEMPTS; attempt += 1) walk.after(100, unverified(walk));
    expect(walk.phase).toBe('out-of-order');
    return walk;
  }

  it('refuses visitors', () => {
    const walk = outOfOrder();
    for (const event of [{ type: 'language-chosen', language: 'fr' }, { type: 'activity' }, { type: 'end-confirmed' }, { type: 'service-opened', serviceId: 'x' }] as SessionEvent[]) {
      const result = walk.after(SECOND, event);
      expect(result.ignored, event.type).toMatch(/out of order/);
      expect(walk.phase).toBe('out-of-order');
    }
  });

  it('a crash changes nothing: no visitor is let in anyway', () => {
    const walk = outOfOrder();
    const crash = walk.after(SECOND, { type: 'crash' });
    expect(crash.effects).toEqual([]);
    expect(crash.ignored).toMatch(/out of order/);
  });

  it('tries the wipe again every minute, without leaving the out-of-order screen', () => {
    const walk = outOfOrder();
    const brokenAt = walk.now;
    expect(walk.after(OUT_OF_ORDER_RETRY_MS - 1, { type: 'tick' }).effects).toEqual([]);
    const retry = walk.wake();
    expect(walk.now).toBe(brokenAt + OUT_OF_ORDER_RETRY_MS);
    expect(retry.effects).toEqual([{ kind: 'close-service' }, { kind: 'start-wipe', reason: 'visitor', attempt: 4 }]);
    expect(walk.wakeAt()).toBeNull();
    const failed = walk.after(500, unverified(walk, 500));
    expect(failed.effects).toEqual([{ kind: 'record', event: { type: 'wipe-done', durationMs: 500, verified: false, attempt: 4 } }]);
    expect(walk.wakeAt()).toBe(walk.now + OUT_OF_ORDER_RETRY_MS);
    expect(wipesOf(walk.wake())).toEqual([{ reason: 'visitor', attempt: 5 }]);
    const fixed = walk.after(500, verified(walk, 500));
    expect(recorded(fixed)).toEqual([{ type: 'wipe-done', durationMs: 500, verified: true, attempt: 5 }]);
    expect(emitted(fixed)).toMatchObject({ phase: 'welcome' });
  });

  it('a staff reset starts a fresh round of wipes; verified, the welcome screen comes back', () => {
    const walk = outOfOrder();
    const reset = walk.after(SECOND, { type: 'staff-reset' });
    expect(reset.effects).toEqual([
      { kind: 'emit-snapshot', snapshot: expect.objectContaining({ phase: 'ending', endReason: 'staff', language: null }) },
      { kind: 'close-service' },
      { kind: 'start-wipe', reason: 'staff', attempt: 1 },
    ]);
    walk.after(200, verified(walk));
    expect(walk.phase).toBe('welcome');
  });

  it('a staff reset waits while a retry runs', () => {
    const walk = outOfOrder();
    walk.wake();
    const reset = walk.after(SECOND, { type: 'staff-reset' });
    expect(reset.effects).toEqual([]);
    expect(reset.ignored).toMatch(/must wait/);
  });
});

describe('crashes without a visitor', () => {
  it('a crash on the welcome screen wipes too, without a session-ended event, and comes back to welcome', () => {
    const walk = booted();
    const crash = walk.after(SECOND, { type: 'crash' });
    expect(kinds(crash)).toEqual(['emit-snapshot', 'close-service', 'start-wipe']);
    expect(wipesOf(crash)).toEqual([{ reason: 'crash', attempt: 1 }]);
    walk.after(100, verified(walk));
    expect(walk.phase).toBe('welcome');
  });

  it('a crash during the "erased" message wipes again and goes to the welcome screen', () => {
    const walk = visiting();
    walk.after(SECOND, { type: 'end-confirmed' });
    walk.after(100, verified(walk));
    const crash = walk.after(SECOND, { type: 'crash' });
    expect(recorded(crash)).toEqual([]);
    expect(wipesOf(crash)).toEqual([{ reason: 'crash', attempt: 1 }]);
    walk.after(100, verified(walk));
    expect(walk.phase).toBe('welcome');
  });
});

describe('settings changed mid-session', () => {
  it('a shorter idle timeout applies at once, counted from the last input', () => {
    const walk = visiting();
    walk.after(50 * SECOND, { type: 'activity' });
    const lastInput = walk.now;
    walk.settings = settingsWith({ idleTimeoutSeconds: 60 });
    expect(walk.wakeAt()).toBe(lastInput + 60 * SECOND);
    walk.after(70 * SECOND, { type: 'tick' });
    expect(walk.snapshot()).toMatchObject({ phase: 'idle-warning', countdownEndsAt: walk.now + 30 * SECOND });
  });

  it('a countdown already showing keeps its end', () => {
    const walk = visiting();
    walk.wake();
    const endsAt = walk.snapshot().countdownEndsAt;
    walk.settings = settingsWith({ idleWarningSeconds: 120 });
    expect(walk.wakeAt()).toBe(endsAt);
    walk.wake();
    expect(walk.phase).toBe('ending');
  });

  it('a new maximum length applies from the next visitor: no session under way is cut short', () => {
    const walk = visiting();
    walk.settings = settingsWith({ maxSessionMinutes: 10, maxSessionWarningMinutes: 2 });
    for (let minute = 0; minute < 30; minute += 1) walk.after(MINUTE, { type: 'activity' });
    expect(walk.snapshot()).toMatchObject({ phase: 'active', sessionEndsAt: null });
    walk.after(SECOND, { type: 'end-confirmed' });
    walk.after(100, verified(walk));
    walk.after(SECOND, { type: 'activity' });
    walk.after(SECOND, { type: 'language-chosen', language: 'en' });
    expect(walk.snapshot()).toMatchObject({ phase: 'active', sessionEndsAt: walk.now + 10 * MINUTE });
  });

  it('a new "erased" duration applies to the next message, not the one showing', () => {
    const walk = visiting();
    walk.after(SECOND, { type: 'end-confirmed' });
    walk.after(100, verified(walk));
    const until = walk.wakeAt();
    walk.settings = settingsWith({ erasedMessageSeconds: 30 });
    expect(walk.wakeAt()).toBe(until);
  });
});

describe('invariants over long random walks', () => {
  /** A small deterministic generator: the same seed gives the same walk. */
  function generator(seed: number): () => number {
    let value = seed >>> 0;
    return () => {
      value = (value * 1_664_525 + 1_013_904_223) >>> 0;
      return value / 2 ** 32;
    };
  }

  const INPUTS: SessionEvent[] = [
    { type: 'language-chosen', language: 'fr' },
    { type: 'language-chosen', language: 'de' },
    { type: 'activity' },
    { type: 'service-opened', serviceId: 'vdab' },
    { type: 'home' },
    { type: 'help' },
    { type: 'end-requested' },
    { type: 'end-cancelled' },
    { type: 'end-confirmed' },
    { type: 'crash' },
    { type: 'staff-reset' },
    { type: 'boot' },
    { type: 'tick' },
    { type: 'wipe-finished', attempt: 1, verified: true, durationMs: 80 },
    { type: 'wipe-finished', attempt: 1, verified: false, durationMs: 80 },
    { type: 'display-changed', display: { textSize: 150, highContrast: true, readAloud: false } },
    { type: 'display-changed', display: { textSize: 100, highContrast: false, readAloud: true } },
    { type: 'display-changed', display: DEFAULT_DISPLAY },
  ];

  for (const seed of [1, 7, 42, 2025, 90210]) {
    it(`seed ${seed}: valid snapshots, one wipe at a time, close before every wipe, records only what is anonymous`, () => {
      const random = generator(seed);
      const walk = new Walk();
      walk.settings = settingsWith({ maxSessionMinutes: random() < 0.5 ? null : 20, maxSessionWarningMinutes: 3 });
      let wipeOutstanding = false;
      let started = 0;
      let ended = 0;
      for (let step = 0; step < 4_000; step += 1) {
        const wake = walk.wakeAt();
        // The wipe's answer now and then, as the controller gives it; else the timer, or any input at any time.
        const answerWipe = wipeOutstanding && random() < 0.5;
        const useTimer = !answerWipe && wake !== null && random() < 0.3;
        let event: SessionEvent;
        let at: number;
        if (answerWipe) {
          event = { type: 'wipe-finished', attempt: runningAttempt(walk), verified: random() < 0.8, durationMs: 90 };
          at = walk.now + 90;
        } else if (useTimer) {
          event = { type: 'tick' };
          at = wake;
        } else {
          event = INPUTS[Math.floor(random() * INPUTS.length)]!;
          at = walk.now + Math.floor(random() * 90 * SECOND);
        }
        const before = walk.state;
        const result = walk.send(event, at);

        const wipes = result.effects.filter((effect): effect is Extract<SessionEffect, { kind: 'start-wipe' }> => effect.kind === 'start-wipe');
        expect(wipes.length).toBeLessThanOrEqual(1);
        if (event.type === 'wipe-finished' && result.ignored === null) wipeOutstanding = false;
        if (wipes.length === 1) {
          expect(wipeOutstanding, `a second wipe started at step ${step}`).toBe(false);
          wipeOutstanding = true;
          const index = result.effects.indexOf(wipes[0]!);
          expect(result.effects[index - 1]).toEqual({ kind: 'close-service' });
        }
        // A timer the machine asked for always moves it on: the controller can never spin on it.
        if (useTimer) expect(result.state).not.toEqual(before);
        const nextWake = walk.wakeAt();
        if (nextWake !== null) expect(Number.isFinite(nextWake)).toBe(true);
        // An ignored event changes no more than the passing of time would have.
        if (result.ignored !== null) expect(result.state).toEqual(transition(before, { type: 'tick' }, at, walk.settings).state);

        const snapshot = walk.snapshot();
        expect(SessionSnapshotSchema.safeParse(snapshot).success).toBe(true);
        const shown = emitted(result);
        if (shown !== null) expect(shown).toEqual(snapshot);
        if (snapshot.phase === 'welcome') expect(snapshot.language).toBeNull();
        if (snapshot.phase !== 'idle-warning') expect(snapshot.countdownEndsAt).toBeNull();
        const visitorThere = snapshot.phase === 'active' || snapshot.phase === 'idle-warning';
        if (!visitorThere) expect(snapshot.display).toEqual(DEFAULT_DISPLAY);
        if (event.type === 'display-changed' && result.ignored === null) expect(snapshot.display).toEqual(event.display);
        // An option is counted only while a visitor is there to have turned it on.
        if (recorded(result).some((usage) => usage.type === 'accessibility-on')) expect(event.type === 'display-changed' && visitorThere).toBe(true);

        for (const usage of recorded(result)) {
          expect(JSON.stringify(usage)).not.toMatch(/https?:|@/);
          if (usage.type === 'session-started') started += 1;
          if (usage.type === 'session-ended') ended += 1;
        }
        // Every session that started has ended, or is the one under way.
        const underWay = walk.phase === 'active' || walk.phase === 'idle-warning' ? 1 : 0;
        expect(started - ended).toBe(underWay);
      }
      expect(started).toBeGreaterThan(10);
    });
  }
});
