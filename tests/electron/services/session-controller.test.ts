/**
 * The session controller with a manual clock: the machine's decisions carried out against
 * small working sessions and presenter that record what they were asked, in order.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SessionSettingsSchema, type SessionSettings } from '../../../shared/config/schema';
import { SessionSnapshotSchema, type SessionEndReason, type SessionSnapshot } from '../../../shared/contract';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../../../shared/display-settings';
import type { LanguageCode } from '../../../shared/languages';
import { OUT_OF_ORDER_RETRY_MS } from '../../../shared/session-machine';
import type { VisitorSessions, WipeReport } from '../../../electron/services/kiosk-handlers';
import { createSessionController, SessionRefusedError, type SessionController } from '../../../electron/services/session-controller';
import { createMemoryUsageLog, type MemoryUsageLog, type UsageLog } from '../../../electron/services/usage-log';
import { ManualClock } from '../../support/manual-clock';

const SECOND = 1_000;
const MINUTE = 60_000;

type Step = 'presenter.close' | `sessions.begin:${LanguageCode}` | `sessions.wipe:${SessionEndReason}`;

/** What the next wipes answer: a report, an error to throw, or a promise the test settles. */
type WipeOutcome = WipeReport | Error | Promise<WipeReport> | unknown;

class ScriptedSessions implements VisitorSessions {
  readonly outcomes: WipeOutcome[] = [];
  beginFails: Error | null = null;

  constructor(private readonly steps: Step[]) {}

  async begin(language: LanguageCode): Promise<void> {
    this.steps.push(`sessions.begin:${language}`);
    if (this.beginFails !== null) throw this.beginFails;
  }

  async wipe(reason: SessionEndReason): Promise<WipeReport> {
    this.steps.push(`sessions.wipe:${reason}`);
    const outcome = this.outcomes.length > 0 ? this.outcomes.shift() : { verified: true, durationMs: 25, problems: [] };
    if (outcome instanceof Error) throw outcome;
    return (await outcome) as WipeReport;
  }
}

const clean = (durationMs = 25): WipeReport => ({ verified: true, durationMs, problems: [] });
const dirty = (problem = 'a cookie of the last visitor was still there'): WipeReport => ({ verified: false, durationMs: 30, problems: [problem] });

let clock: ManualClock;
let steps: Step[];
let sessions: ScriptedSessions;
let usageLog: MemoryUsageLog;
let logLines: string[];
let settings: SessionSettings;
let presenterFails: Error | null;
let controller: SessionController;
let seen: SessionSnapshot[];

function build(options: { usageLog?: UsageLog; settings?: () => SessionSettings } = {}): SessionController {
  const built = createSessionController({
    settings: options.settings ?? (() => settings),
    sessions,
    presenter: {
      close: async () => {
        steps.push('presenter.close');
        if (presenterFails !== null) throw presenterFails;
      },
    },
    usageLog: options.usageLog ?? usageLog,
    clock,
    log: (line) => logLines.push(line),
  });
  built.onChange((snapshot) => {
    seen.push(snapshot);
    // Every snapshot sent to the screens must pass the contract.
    expect(SessionSnapshotSchema.safeParse(snapshot).success).toBe(true);
  });
  return built;
}

async function booted(): Promise<SessionController> {
  const built = build();
  await built.boot();
  steps.length = 0;
  seen.length = 0;
  usageLog.drain();
  return built;
}

/** Moves the clock and lets any wipe the timers started finish. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await controller.whenIdle();
}

const phases = () => seen.map((snapshot) => snapshot.phase);
const usage = () => usageLog.events().map((entry) => entry.event);

beforeEach(() => {
  clock = new ManualClock();
  steps = [];
  sessions = new ScriptedSessions(steps);
  usageLog = createMemoryUsageLog({ now: () => clock.now() });
  logLines = [];
  settings = SessionSettingsSchema.parse({});
  presenterFails = null;
  seen = [];
});

describe('starting up', () => {
  it('refuses a visitor before boot, without touching the sessions', async () => {
    controller = build();
    expect(controller.snapshot()).toMatchObject({ phase: 'ending', endReason: 'boot' });
    await expect(controller.begin('fr')).rejects.toThrow(SessionRefusedError);
    expect(steps).toEqual([]);
  });

  it('boot closes the service, wipes, records the wipe and shows the welcome screen, with no timer armed', async () => {
    controller = build();
    await controller.boot();
    expect(steps).toEqual(['presenter.close', 'sessions.wipe:boot']);
    expect(usage()).toEqual([{ type: 'wipe-done', durationMs: 25, verified: true, attempt: 1 }]);
    expect(seen).toEqual([{ phase: 'welcome', at: clock.now(), language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY }]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a boot wipe that keeps failing leaves the kiosk out of order, says so in the log, and retries every minute', async () => {
    sessions.outcomes.push(dirty(), new Error('the downloads folder is locked'), { verified: 'yes' });
    controller = build();
    await controller.boot();
    expect(steps).toEqual(['presenter.close', 'sessions.wipe:boot', 'presenter.close', 'sessions.wipe:boot', 'presenter.close', 'sessions.wipe:boot']);
    expect(controller.snapshot()).toMatchObject({ phase: 'out-of-order', endReason: 'boot' });
    expect(usage().map((event) => event.type === 'wipe-done' && [event.attempt, event.verified])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(logLines.filter((line) => /^the wipe .* could not be verified/.test(line))).toEqual([
      'the wipe (boot, attempt 1) could not be verified: a cookie of the last visitor was still there',
      'the wipe (boot, attempt 2) could not be verified: the downloads folder is locked',
      'the wipe (boot, attempt 3) could not be verified: the wipe did not say what went wrong',
    ]);
    expect(logLines.some((line) => /out of order: 3 wipe attempts/.test(line))).toBe(true);
    expect(clock.nextDueAt()).toBe(clock.now() + OUT_OF_ORDER_RETRY_MS);

    steps.length = 0;
    await advance(OUT_OF_ORDER_RETRY_MS);
    expect(steps).toEqual(['presenter.close', 'sessions.wipe:boot']);
    expect(controller.snapshot().phase).toBe('welcome');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('a visitor session', () => {
  beforeEach(async () => {
    controller = await booted();
  });

  it('begins in the chosen language, with one timer at the idle timeout', async () => {
    await controller.begin('nl');
    expect(steps).toEqual(['sessions.begin:nl']);
    expect(usage()).toEqual([{ type: 'session-started', language: 'nl' }]);
    expect(seen).toEqual([{ phase: 'active', at: clock.now(), language: 'nl', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY }]);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextDueAt()).toBe(clock.now() + 180 * SECOND);
  });

  it('stays on the welcome screen when the visitor\'s browsing cannot be prepared', async () => {
    sessions.beginFails = new Error('no partition');
    await expect(controller.begin('fr')).rejects.toThrow('no partition');
    expect(controller.snapshot().phase).toBe('welcome');
    expect(usage()).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses a second language choice with a clear error', async () => {
    await controller.begin('fr');
    await expect(controller.begin('de')).rejects.toThrow('a session cannot begin now: a visitor session is under way');
    expect(steps).toEqual(['sessions.begin:fr']);
  });

  it('warns after the idle timeout; "I\'m still here" cancels the warning', async () => {
    await controller.begin('fr');
    await advance(180 * SECOND - 1);
    expect(phases()).toEqual(['active']);
    await advance(1);
    expect(seen.at(-1)).toMatchObject({ phase: 'idle-warning', countdownEndsAt: clock.now() + 30 * SECOND, at: clock.now() });
    await advance(20 * SECOND);
    controller.activity();
    expect(phases()).toEqual(['active', 'idle-warning', 'active']);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextDueAt()).toBe(clock.now() + 180 * SECOND);
  });

  it('ends an idle session after the countdown: wipe, "erased" in the visitor\'s language, then welcome', async () => {
    await controller.begin('de');
    controller.serviceOpened('vdab');
    await advance(180 * SECOND + 30 * SECOND);
    expect(steps).toEqual(['sessions.begin:de', 'presenter.close', 'sessions.wipe:idle']);
    expect(controller.snapshot()).toMatchObject({ phase: 'erased', language: 'de', endReason: 'idle' });
    expect(usage()).toEqual([
      { type: 'session-started', language: 'de' },
      { type: 'service-opened', serviceId: 'vdab' },
      { type: 'session-ended', reason: 'idle', durationSeconds: 210 },
      { type: 'wipe-done', durationMs: 25, verified: true, attempt: 1 },
    ]);
    await advance(6 * SECOND - 1);
    expect(controller.snapshot().phase).toBe('erased');
    await advance(1);
    expect(phases()).toEqual(['active', 'idle-warning', 'ending', 'erased', 'welcome']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('"End session" answers once the wipe is verified', async () => {
    await controller.begin('en');
    await advance(42 * SECOND);
    expect(await controller.confirmEnd()).toEqual({ erased: true });
    expect(steps).toEqual(['sessions.begin:en', 'presenter.close', 'sessions.wipe:visitor']);
    expect(usage()).toContainEqual({ type: 'session-ended', reason: 'visitor', durationSeconds: 42 });
    expect(controller.snapshot().phase).toBe('erased');
    controller.activity();
    expect(controller.snapshot().phase).toBe('welcome');
  });

  it('two confirmations (a double tap) wait for the same single wipe', async () => {
    await controller.begin('fr');
    let finish!: (report: WipeReport) => void;
    sessions.outcomes.push(new Promise<WipeReport>((resolve) => (finish = resolve)));
    const first = controller.confirmEnd();
    const second = controller.confirmEnd();
    // Input while the wipe runs changes nothing.
    controller.activity();
    expect(() => controller.serviceOpened('vdab')).toThrow(SessionRefusedError);
    expect(controller.snapshot().phase).toBe('ending');
    await Promise.resolve();
    finish(clean(80));
    expect(await first).toEqual({ erased: true });
    expect(await second).toEqual({ erased: true });
    expect(steps.filter((step) => step.startsWith('sessions.wipe'))).toEqual(['sessions.wipe:visitor']);
    expect(await controller.confirmEnd()).toEqual({ erased: true });
  });

  it('answers erased: false when the wipe cannot be verified after two retries', async () => {
    await controller.begin('fr');
    sessions.outcomes.push(dirty(), dirty(), dirty());
    expect(await controller.confirmEnd()).toEqual({ erased: false });
    expect(steps.filter((step) => step.startsWith('sessions.wipe'))).toHaveLength(3);
    expect(controller.snapshot()).toMatchObject({ phase: 'out-of-order', endReason: 'visitor' });
    await expect(controller.begin('fr')).rejects.toThrow(/out of order/);
  });

  it('a retry that works ends like a first success', async () => {
    await controller.begin('nl');
    sessions.outcomes.push(new Error('clearing the cache failed'));
    expect(await controller.confirmEnd()).toEqual({ erased: true });
    expect(steps).toEqual(['sessions.begin:nl', 'presenter.close', 'sessions.wipe:visitor', 'presenter.close', 'sessions.wipe:visitor']);
    expect(controller.snapshot()).toMatchObject({ phase: 'erased', language: 'nl' });
  });

  it('a service that fails to close never stops the wipe', async () => {
    await controller.begin('fr');
    presenterFails = new Error('the view is gone');
    expect(await controller.confirmEnd()).toEqual({ erased: true });
    expect(steps).toEqual(['sessions.begin:fr', 'presenter.close', 'sessions.wipe:visitor']);
    expect(logLines).toContain('closing the service before the wipe failed: the view is gone');
  });

  it('a crash wipes the session in progress', async () => {
    await controller.begin('fr');
    await advance(15 * SECOND);
    await controller.crashed();
    expect(steps).toEqual(['sessions.begin:fr', 'presenter.close', 'sessions.wipe:crash']);
    expect(usage()).toContainEqual({ type: 'session-ended', reason: 'crash', durationSeconds: 15 });
    expect(controller.snapshot()).toMatchObject({ phase: 'erased', endReason: 'crash' });
  });

  it('a crash on the welcome screen wipes too, and the welcome screen comes back at once', async () => {
    await controller.crashed();
    expect(steps).toEqual(['presenter.close', 'sessions.wipe:crash']);
    expect(usage().map((event) => event.type)).toEqual(['wipe-done']);
    expect(controller.snapshot().phase).toBe('welcome');
  });

  it('refuses what makes no sense on the welcome screen, with the reason', async () => {
    expect(() => controller.serviceOpened('vdab')).toThrow('a service cannot be opened now: no visitor session has begun (the welcome screen is showing)');
    expect(() => controller.home()).toThrow(SessionRefusedError);
    expect(() => controller.requestEnd()).toThrow(SessionRefusedError);
    expect(() => controller.cancelEnd()).toThrow(SessionRefusedError);
    expect(() => controller.assertVisitorSession('open a service')).toThrow('cannot open a service: no visitor session has begun');
    await expect(controller.confirmEnd()).rejects.toThrow('there is no session to end');
    controller.activity();
    controller.helpRequested();
    expect(usage()).toEqual([{ type: 'help-requested', serviceId: null }]);
    expect(seen).toEqual([]);
  });

  it('records help with the service on screen', async () => {
    await controller.begin('fr');
    controller.serviceOpened('myminfin');
    controller.helpRequested();
    controller.home();
    controller.helpRequested();
    expect(usage().filter((event) => event.type === 'help-requested')).toEqual([
      { type: 'help-requested', serviceId: 'myminfin' },
      { type: 'help-requested', serviceId: null },
    ]);
  });

  it('warns before the maximum length, then ends the session', async () => {
    settings = SessionSettingsSchema.parse({ maxSessionMinutes: 10, maxSessionWarningMinutes: 2 });
    await controller.begin('fr');
    const begunAt = clock.now();
    expect(controller.snapshot().sessionEndsAt).toBe(begunAt + 10 * MINUTE);
    for (let minute = 1; minute <= 9; minute += 1) {
      await advance(MINUTE);
      controller.activity();
      expect(clock.pendingTimers()).toBe(1);
    }
    expect(seen.map((snapshot) => [snapshot.phase, snapshot.lengthWarning])).toEqual([
      ['active', false],
      ['active', true],
    ]);
    expect(seen[1]!.at).toBe(begunAt + 8 * MINUTE);
    await advance(MINUTE);
    expect(usage()).toContainEqual({ type: 'session-ended', reason: 'max-length', durationSeconds: 600 });
    expect(controller.snapshot()).toMatchObject({ phase: 'erased', endReason: 'max-length' });
  });

  it('applies a new idle timeout as soon as it is told the settings changed', async () => {
    await controller.begin('fr');
    await advance(40 * SECOND);
    settings = SessionSettingsSchema.parse({ idleTimeoutSeconds: 30 });
    controller.settingsChanged();
    expect(controller.snapshot().phase).toBe('idle-warning');
    expect(clock.pendingTimers()).toBe(1);
  });

  it('keeps the last good timings when they cannot be read', async () => {
    let readable = true;
    controller = build({
      settings: () => {
        if (!readable) throw new Error('configuration unreadable');
        return SessionSettingsSchema.parse({ idleTimeoutSeconds: 60 });
      },
    });
    await controller.boot();
    await controller.begin('fr');
    readable = false;
    controller.activity();
    expect(clock.nextDueAt()).toBe(clock.now() + 60 * SECOND);
    expect(logLines.some((line) => /session timings could not be read.*configuration unreadable/.test(line))).toBe(true);
  });

  it('a usage log that throws never stops the session', async () => {
    const failing: UsageLog = {
      record: () => {
        throw new Error('disk full');
      },
    };
    controller = build({ usageLog: failing });
    await controller.boot();
    await controller.begin('fr');
    expect(await controller.confirmEnd()).toEqual({ erased: true });
    expect(logLines).toContain('a usage event (session-started) could not be recorded: disk full');
  });

  it('a listener that throws does not keep the others from hearing', async () => {
    controller.onChange(() => {
      throw new Error('screen gone');
    });
    const later: string[] = [];
    controller.onChange((snapshot) => later.push(snapshot.phase));
    await controller.begin('fr');
    expect(later).toEqual(['active']);
    expect(logLines).toContain('a session listener failed: screen gone');
  });

  it('stops telling a listener that unsubscribed', async () => {
    const heard: string[] = [];
    const stop = controller.onChange((snapshot) => heard.push(snapshot.phase));
    await controller.begin('fr');
    stop();
    await controller.confirmEnd();
    expect(heard).toEqual(['active']);
  });

  it('a staff reset brings an out-of-order kiosk back after a verified wipe', async () => {
    await controller.begin('fr');
    sessions.outcomes.push(dirty(), dirty(), dirty());
    await controller.confirmEnd();
    expect(controller.snapshot().phase).toBe('out-of-order');
    steps.length = 0;
    await controller.staffReset();
    expect(steps).toEqual(['presenter.close', 'sessions.wipe:staff']);
    expect(controller.snapshot().phase).toBe('welcome');
  });

  it('after close, no timer is left and nothing more is heard', async () => {
    await controller.begin('fr');
    controller.close();
    expect(clock.pendingTimers()).toBe(0);
    seen.length = 0;
    controller.activity();
    clock.advance(10 * MINUTE);
    expect(seen).toEqual([]);
  });

  it('never has more than one timer armed', async () => {
    settings = SessionSettingsSchema.parse({ maxSessionMinutes: 10, maxSessionWarningMinutes: 2 });
    const armed: number[] = [];
    await controller.begin('fr');
    for (let second = 0; second < 15 * 60; second += 7) {
      await advance(7 * SECOND);
      if (second % 200 === 0) controller.activity();
      armed.push(clock.pendingTimers());
    }
    expect(Math.max(...armed)).toBe(1);
    expect(phases()).toContain('welcome');
  });
});

describe("the visitor's display settings", () => {
  const LARGE_STRONG: DisplaySettings = { textSize: 150, highContrast: true, readAloud: false };

  beforeEach(async () => {
    controller = await booted();
  });

  it('are kept for the visitor, answered, told to the listeners and recorded once per option turned on', async () => {
    await controller.begin('fr');
    seen.length = 0;
    await advance(100 * SECOND);
    expect(controller.setDisplay(LARGE_STRONG)).toEqual(LARGE_STRONG);
    expect(seen).toEqual([{ phase: 'active', at: clock.now(), language: 'fr', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: LARGE_STRONG }]);
    expect(controller.snapshot().display).toEqual(LARGE_STRONG);
    expect(usage()).toEqual([
      { type: 'session-started', language: 'fr' },
      { type: 'accessibility-on', option: 'larger-text' },
      { type: 'accessibility-on', option: 'high-contrast' },
    ]);
  });

  it('count as input: the one timer moves to the idle timeout from the change', async () => {
    await controller.begin('fr');
    await advance(170 * SECOND);
    controller.setDisplay(LARGE_STRONG);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextDueAt()).toBe(clock.now() + 180 * SECOND);
  });

  it('during the idle warning, a change brings the visitor back', async () => {
    await controller.begin('fr');
    await advance(180 * SECOND);
    expect(controller.snapshot().phase).toBe('idle-warning');
    controller.setDisplay({ ...DEFAULT_DISPLAY, readAloud: true });
    expect(seen.at(-1)).toMatchObject({ phase: 'active', display: { ...DEFAULT_DISPLAY, readAloud: true } });
    expect(usage().at(-1)).toEqual({ type: 'accessibility-on', option: 'read-aloud' });
  });

  it('the same settings again tell nobody and record nothing', async () => {
    await controller.begin('fr');
    controller.setDisplay(LARGE_STRONG);
    seen.length = 0;
    usageLog.drain();
    expect(controller.setDisplay({ ...LARGE_STRONG })).toEqual(LARGE_STRONG);
    expect(seen).toEqual([]);
    expect(usage()).toEqual([]);
  });

  it('answer a copy: the caller changing it later changes nothing', async () => {
    await controller.begin('fr');
    const answered = controller.setDisplay(LARGE_STRONG) as { textSize: number };
    answered.textSize = 200;
    expect(controller.snapshot().display).toEqual(LARGE_STRONG);
  });

  it('are refused on the welcome screen, with the reason, and nothing is recorded or told', () => {
    expect(() => controller.setDisplay(LARGE_STRONG)).toThrow(SessionRefusedError);
    expect(() => controller.setDisplay(LARGE_STRONG)).toThrow('the display settings cannot be changed now: no visitor session has begun (the welcome screen is showing)');
    expect(usage()).toEqual([]);
    expect(seen).toEqual([]);
    expect(controller.snapshot().display).toEqual(DEFAULT_DISPLAY);
  });

  it('are refused while the wipe runs and during the "erased" message', async () => {
    await controller.begin('fr');
    controller.setDisplay(LARGE_STRONG);
    let finish!: (report: WipeReport) => void;
    sessions.outcomes.push(new Promise<WipeReport>((resolve) => (finish = resolve)));
    const ending = controller.confirmEnd();
    expect(() => controller.setDisplay(LARGE_STRONG)).toThrow(/being erased/);
    expect(controller.snapshot()).toMatchObject({ phase: 'ending', display: DEFAULT_DISPLAY });
    await Promise.resolve();
    finish(clean());
    await ending;
    expect(() => controller.setDisplay(LARGE_STRONG)).toThrow(/just erased/);
    expect(controller.snapshot()).toMatchObject({ phase: 'erased', display: DEFAULT_DISPLAY });
  });

  it('the next visitor starts from the defaults', async () => {
    await controller.begin('fr');
    controller.setDisplay(LARGE_STRONG);
    await controller.confirmEnd();
    controller.activity();
    await controller.begin('nl');
    expect(controller.snapshot()).toMatchObject({ phase: 'active', language: 'nl', display: DEFAULT_DISPLAY });
  });
});
