/**
 * Staff mode: whether the staff screen is open, and the PIN that opens it (docs/staff.md).
 *
 * - The PIN is checked by the PIN store (staff-pin.ts); wrong PINs are counted and the pad
 *   is locked for longer and longer (shared/staff-throttle.ts). A locked pad refuses a PIN
 *   without checking it.
 * - Opening staff mode during a visitor's session ends that session first, with the usual
 *   wipe (end reason "staff"): staff never see what a visitor left.
 * - Staff mode closes by itself after `autoCloseMinutes` without input, and as soon as a
 *   visitor session begins.
 *
 * PIN checks run one at a time: firing many PINs at once cannot slip past the throttle
 * while the slow hash of the first is still running.
 */
import type { StaffSettings } from '../../shared/config/schema';
import { DEFAULT_STAFF_SETTINGS } from '../../shared/config/schema';
import type { SessionSnapshot, StaffOpenResult, StaffStatus } from '../../shared/contract';
import { afterRightPin, afterWrongPin, staffRetryAt } from '../../shared/staff-throttle';
import type { Clock } from './clock';
import { StaffModeClosedError, type StaffAccess } from './kiosk-handlers';
import type { SessionController } from './session-controller';
import type { StaffPinStore } from './staff-pin';

const MINUTE_MS = 60_000;

/** setFirstPin on a kiosk that has a PIN already, or whose PIN file is damaged. */
export class StaffPinAlreadySetError extends Error {
  constructor(damaged: boolean) {
    super(
      damaged
        ? 'the staff PIN file is damaged: no new PIN can be set over it; someone with the PC\'s administrator rights must delete staff-pin.json in the kiosk\'s data folder (see the log)'
        : 'a staff PIN is already set: open staff mode with it, and change it there',
    );
    this.name = 'StaffPinAlreadySetError';
  }
}

/** The right PIN was typed, but the visitor's session could not be ended: staff mode stays closed. */
export class StaffOpenRefusedError extends Error {
  constructor(reason: string) {
    super(`staff mode did not open because the visitor's session could not be ended first (${reason}); try again in a moment`);
    this.name = 'StaffOpenRefusedError';
  }
}

export interface StaffModeOptions {
  readonly pinStore: StaffPinStore;
  /** Read at every use, so a new configuration applies at once. */
  readonly settings: () => StaffSettings;
  readonly controller: Pick<SessionController, 'snapshot' | 'onChange' | 'staffReset'>;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

export interface StaffMode extends StaffAccess {
  /** Called with each new status; returns the unsubscribe function. */
  onChange(listener: (status: StaffStatus) => void): () => void;
  /** On shutdown: stops the timer and the listeners (staff mode's own close is `close`). */
  shutdown(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type StaffOpenRefusal = Extract<StaffOpenResult, { ok: false }>;

const hasVisitor = (snapshot: Pick<SessionSnapshot, 'phase'>) => snapshot.phase === 'active' || snapshot.phase === 'idle-warning';

export function createStaffMode(options: StaffModeOptions): StaffMode {
  const { pinStore, controller, clock, log } = options;
  const listeners = new Set<(status: StaffStatus) => void>();
  let isOpen = false;
  let closesAt: number | null = null;
  let cancelTimer: (() => void) | null = null;
  let stopped = false;
  /** PIN checks, one after the other. */
  let checks: Promise<unknown> = Promise.resolve();
  let lastGoodSettings: StaffSettings = { ...DEFAULT_STAFF_SETTINGS };

  const now = () => Math.round(clock.now());

  const autoCloseMs = () => {
    try {
      lastGoodSettings = options.settings();
    } catch (error) {
      log(`the staff settings could not be read, the last ones stay in force: ${describe(error)}`);
    }
    return lastGoodSettings.autoCloseMinutes * MINUTE_MS;
  };

  function status(): StaffStatus {
    const at = now();
    const throttle = pinStore.throttle();
    return {
      pinSet: pinStore.state().kind !== 'none',
      open: isOpen,
      closesAt: isOpen ? closesAt : null,
      retryAt: staffRetryAt(throttle, at),
      failedAttempts: throttle.failedAttempts,
    };
  }

  function notify(): void {
    if (stopped) return;
    const current = status();
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch (error) {
        log(`a staff mode listener failed: ${describe(error)}`);
      }
    }
  }

  /** One timer, for the nearest of the automatic close and the end of the pad's lock. */
  function arm(): void {
    cancelTimer?.();
    cancelTimer = null;
    if (stopped) return;
    const at = now();
    const retryAt = staffRetryAt(pinStore.throttle(), at);
    const deadlines = [isOpen ? closesAt : null, retryAt].filter((time): time is number => time !== null);
    if (deadlines.length === 0) return;
    cancelTimer = clock.setTimer(wake, Math.max(0, Math.min(...deadlines) - at));
  }

  function wake(): void {
    cancelTimer = null;
    if (isOpen && closesAt !== null && now() >= closesAt) {
      log('staff mode closed by itself after a time without input');
      closeStaffMode();
      return;
    }
    arm();
    // The pad's lock may just have ended: the PIN pad shows it.
    notify();
  }

  function closeStaffMode(): StaffStatus {
    const wasOpen = isOpen;
    isOpen = false;
    closesAt = null;
    arm();
    if (wasOpen) notify();
    return status();
  }

  /** Closes staff mode if its time ran out and the timer has not fired yet; true when it is still open. */
  function stillOpen(): boolean {
    if (isOpen && closesAt !== null && now() >= closesAt) closeStaffMode();
    return isOpen;
  }

  async function openStaffMode(): Promise<void> {
    if (hasVisitor(controller.snapshot())) {
      log('staff mode was asked for during a visitor\'s session: the session ends and is wiped first');
      try {
        await controller.staffReset();
      } catch (error) {
        if (hasVisitor(controller.snapshot())) throw new StaffOpenRefusedError(describe(error));
      }
    }
    isOpen = true;
    closesAt = now() + autoCloseMs();
    arm();
    notify();
  }

  function wrongPin(): StaffOpenRefusal {
    pinStore.saveThrottle(afterWrongPin(pinStore.throttle(), now()));
    arm();
    notify();
    return { ok: false, reason: 'wrong-pin', status: status() };
  }

  /** Checks the PIN unless the pad is locked; counts a wrong one. Null when it was right. */
  async function checkPin(pin: string): Promise<StaffOpenRefusal | null> {
    const state = pinStore.state();
    if (state.kind === 'none') return { ok: false, reason: 'no-pin', status: status() };
    if (staffRetryAt(pinStore.throttle(), now()) !== null) return { ok: false, reason: 'throttled', status: status() };
    if (!(await pinStore.verify(pin))) return wrongPin();
    if (pinStore.throttle().failedAttempts > 0) pinStore.saveThrottle(afterRightPin());
    return null;
  }

  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = checks.then(work, work);
    checks = result.catch(() => undefined);
    return result;
  }

  const unsubscribeSession = controller.onChange((snapshot) => {
    if (isOpen && hasVisitor(snapshot)) {
      log('staff mode closed: a visitor session began');
      closeStaffMode();
    }
  });

  return {
    status,
    setFirstPin: (pin) =>
      oneAtATime(async () => {
        const state = pinStore.state();
        if (state.kind !== 'none') throw new StaffPinAlreadySetError(state.kind === 'damaged');
        await pinStore.setPin(pin);
        log('the first staff PIN was set');
        await openStaffMode();
        return status();
      }),
    open: (pin) =>
      oneAtATime(async () => {
        const refused = await checkPin(pin);
        if (refused !== null) {
          if (refused.reason === 'wrong-pin') log(`a wrong staff PIN was typed (${refused.status.failedAttempts} in a row)`);
          return refused;
        }
        if (stillOpen()) {
          closesAt = now() + autoCloseMs();
          arm();
          notify();
        } else {
          await openStaffMode();
          log('staff mode opened');
        }
        return { ok: true, status: status() };
      }),
    close: () => closeStaffMode(),
    activity() {
      if (!stillOpen()) return;
      closesAt = now() + autoCloseMs();
      arm();
      notify();
    },
    changePin: (currentPin, newPin) =>
      oneAtATime(async () => {
        if (!stillOpen()) throw new StaffModeClosedError('change the PIN');
        const refused = await checkPin(currentPin);
        if (refused !== null) return refused;
        await pinStore.setPin(newPin);
        log('the staff PIN was changed');
        closesAt = now() + autoCloseMs();
        arm();
        notify();
        return { ok: true, status: status() };
      }),
    assertOpen(what) {
      if (!stillOpen()) throw new StaffModeClosedError(what);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    shutdown() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = null;
      unsubscribeSession();
      listeners.clear();
    },
  };
}
