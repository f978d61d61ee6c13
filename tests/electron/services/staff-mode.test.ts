/**
 * Staff mode with a manual clock, the real session controller and the real PIN store
 * (a real file in a temporary folder, at a low scrypt cost so many PINs stay quick).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionSettingsSchema, StaffSettingsSchema, type StaffSettings } from '../../../shared/config/schema';
import { StaffStatusSchema, type SessionEndReason, type StaffStatus } from '../../../shared/contract';
import { StaffModeClosedError, type VisitorSessions, type WipeReport } from '../../../electron/services/kiosk-handlers';
import { createSessionController, type SessionController } from '../../../electron/services/session-controller';
import { createStaffMode, StaffPinAlreadySetError, type StaffMode } from '../../../electron/services/staff-mode';
import { openStaffPinStore, STAFF_PIN_FILE_NAME, type StaffPinStore } from '../../../electron/services/staff-pin';
import { createMemoryUsageLog, type MemoryUsageLog } from '../../../electron/services/usage-log';
import { ManualClock } from '../../support/manual-clock';

const MINUTE = 60_000;
const PIN = '482913';
const LOW_COST = { N: 2 ** 10, r: 8, p: 1 };

class RecordingSessions implements VisitorSessions {
  constructor(private readonly steps: string[]) {}
  async begin(language: string): Promise<void> {
    this.steps.push(`begin:${language}`);
  }
  async wipe(reason: SessionEndReason): Promise<WipeReport> {
    this.steps.push(`wipe:${reason}`);
    return { verified: true, durationMs: 20, problems: [] };
  }
}

let folder: string;
let clock: ManualClock;
let steps: string[];
let usageLog: MemoryUsageLog;
let lines: string[];
let staffSettings: StaffSettings;
let controller: SessionController;
let pinStore: StaffPinStore;
let staff: StaffMode;
let pushed: StaffStatus[];

function openStore(): StaffPinStore {
  return openStaffPinStore({ dataDir: folder, log: (line) => lines.push(line), cost: LOW_COST });
}

function buildStaffMode(store = openStore()): StaffMode {
  pinStore = store;
  const built = createStaffMode({ pinStore: store, settings: () => staffSettings, controller, clock, log: (line) => lines.push(line) });
  built.onChange((status) => {
    expect(StaffStatusSchema.safeParse(status).success).toBe(true);
    pushed.push(status);
  });
  return built;
}

async function withPin(pin = PIN): Promise<void> {
  await openStore().setPin(pin);
  staff = buildStaffMode();
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'epn-staff-mode-'));
  clock = new ManualClock();
  steps = [];
  usageLog = createMemoryUsageLog({ now: () => clock.now() });
  lines = [];
  staffSettings = StaffSettingsSchema.parse({});
  pushed = [];
  controller = createSessionController({
    settings: () => SessionSettingsSchema.parse({}),
    sessions: new RecordingSessions(steps),
    presenter: {
      close: async () => {
        steps.push('presenter.close');
      },
    },
    usageLog,
    clock,
    log: (line) => lines.push(line),
  });
  await controller.boot();
  steps.length = 0;
  usageLog.drain();
  staff = buildStaffMode();
});

afterEach(() => {
  staff.shutdown();
  controller.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the first PIN', () => {
  it('asks for a first PIN on a new kiosk: nothing opens, no PIN is checked', async () => {
    expect(staff.status()).toEqual({ pinSet: false, open: false, closesAt: null, retryAt: null, failedAttempts: 0 });
    expect(await staff.open('1234')).toEqual({ ok: false, reason: 'no-pin', status: staff.status() });
    expect(staff.status().failedAttempts).toBe(0);
  });

  it('keeps the first PIN and opens staff mode with it', async () => {
    const status = await staff.setFirstPin(PIN);
    expect(status).toEqual({ pinSet: true, open: true, closesAt: clock.now() + 5 * MINUTE, retryAt: null, failedAttempts: 0 });
    expect(pushed.at(-1)).toEqual(status);
    expect(await pinStore.verify(PIN)).toBe(true);
  });

  it('refuses a first PIN once one is set, and keeps the PIN that was set', async () => {
    await staff.setFirstPin(PIN);
    staff.close();
    await expect(staff.setFirstPin('0000')).rejects.toThrow(StaffPinAlreadySetError);
    await expect(staff.setFirstPin('0000')).rejects.toThrow(/already set: open staff mode with it/);
    expect(staff.status().open).toBe(false);
    expect((await staff.open(PIN)).ok).toBe(true);
  });

  it('ends a visitor\'s session with the wipe before the first PIN opens staff mode', async () => {
    await controller.begin('fr');
    await staff.setFirstPin(PIN);
    expect(steps).toContain('wipe:staff');
    expect(staff.status().open).toBe(true);
  });
});

describe('opening with the PIN', () => {
  it('opens with the right PIN, and says when it closes by itself', async () => {
    await withPin();
    const result = await staff.open(PIN);
    expect(result).toEqual({ ok: true, status: { pinSet: true, open: true, closesAt: clock.now() + 5 * MINUTE, retryAt: null, failedAttempts: 0 } });
    expect(pushed.at(-1)?.open).toBe(true);
    expect(() => staff.assertOpen('see the settings')).not.toThrow();
  });

  it('lets three wrong PINs through without a wait, then locks the pad for 30 s, 1 min, 2 min…', async () => {
    await withPin();
    for (const count of [1, 2, 3]) {
      const result = await staff.open('0000');
      expect(result).toMatchObject({ ok: false, reason: 'wrong-pin', status: { failedAttempts: count, retryAt: null, open: false } });
    }
    expect(await staff.open('0000')).toMatchObject({ ok: false, reason: 'wrong-pin', status: { failedAttempts: 4, retryAt: clock.now() + 30_000 } });
    expect(pushed.at(-1)).toMatchObject({ failedAttempts: 4, retryAt: clock.now() + 30_000 });

    // Locked: even the right PIN is refused, unchecked and uncounted.
    expect(await staff.open(PIN)).toMatchObject({ ok: false, reason: 'throttled', status: { failedAttempts: 4 } });

    const unlockAt = clock.now() + 30_000;
    clock.advance(29_999);
    expect(staff.status().retryAt).toBe(unlockAt);
    clock.advance(1);
    // The timer tells the PIN pad the lock is over.
    expect(pushed.at(-1)).toMatchObject({ retryAt: null, failedAttempts: 4 });

    expect(await staff.open('0000')).toMatchObject({ reason: 'wrong-pin', status: { failedAttempts: 5, retryAt: clock.now() + MINUTE } });
    clock.advance(MINUTE);
    expect(await staff.open('0000')).toMatchObject({ reason: 'wrong-pin', status: { failedAttempts: 6, retryAt: clock.now() + 2 * MINUTE } });
    expect(lines.some((line) => line.includes('wrong staff PIN'))).toBe(true);
    expect(lines.join('\n')).not.toContain('0000');
  });

  it('clears the count after the right PIN', async () => {
    await withPin();
    await staff.open('0000');
    await staff.open('0000');
    expect((await staff.open(PIN)).status.failedAttempts).toBe(0);
    expect(openStore().throttle().failedAttempts).toBe(0);
  });

  it('checks PINs sent all at once one after the other, so a burst cannot slip past the lock', async () => {
    await withPin();
    const results = await Promise.all(Array.from({ length: 7 }, () => staff.open('0000')));
    expect(results.map((result) => (result.ok ? 'ok' : result.reason))).toEqual(['wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'throttled', 'throttled', 'throttled']);
    expect(staff.status().failedAttempts).toBe(4);
  });

  it('keeps the lock across a restart of the kiosk', async () => {
    await withPin();
    for (let index = 0; index < 5; index += 1) {
      await staff.open('0000');
      clock.advance(30_000);
    }
    staff.shutdown();
    staff = buildStaffMode();
    expect(staff.status()).toMatchObject({ failedAttempts: 5, retryAt: expect.any(Number) });
    expect(await staff.open(PIN)).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('keeps the pad locked when the PIN file is damaged, and refuses a first PIN over it', async () => {
    staff.shutdown();
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, STAFF_PIN_FILE_NAME), '{"broken": true}');
    staff = buildStaffMode();
    expect(staff.status().pinSet).toBe(true);
    expect(await staff.open(PIN)).toMatchObject({ ok: false, reason: 'wrong-pin' });
    await expect(staff.setFirstPin(PIN)).rejects.toThrow(/damaged.*delete staff-pin\.json/);
    expect(staff.status().open).toBe(false);
    expect(lines.join('\n')).toMatch(/deletes that file/);
  });

  it('ends the visitor\'s session with the usual wipe (reason "staff") before staff mode opens', async () => {
    await withPin();
    await controller.begin('nl');
    controller.serviceOpened('tax-on-web');
    steps.length = 0;
    const result = await staff.open(PIN);
    expect(result.ok).toBe(true);
    expect(steps).toEqual(['presenter.close', 'wipe:staff']);
    expect(usageLog.events().map((entry) => entry.event)).toContainEqual(expect.objectContaining({ type: 'session-ended', reason: 'staff' }));
    expect(controller.snapshot().phase).not.toMatch(/^(active|idle-warning)$/);
    expect(staff.status().open).toBe(true);
  });

  it('does not wipe anything when no visitor is there', async () => {
    await withPin();
    await staff.open(PIN);
    expect(steps).toEqual([]);
  });

  it('never ends a visitor\'s session for a wrong or throttled PIN', async () => {
    await withPin();
    await controller.begin('de');
    for (let index = 0; index < 6; index += 1) await staff.open('0000');
    expect(controller.snapshot().phase).toBe('active');
    expect(steps).toEqual(['begin:de']);
  });
});

describe('closing', () => {
  it('closes by itself after the configured minutes without input', async () => {
    await withPin();
    await staff.open(PIN);
    clock.advance(5 * MINUTE - 1);
    expect(staff.status().open).toBe(true);
    clock.advance(1);
    expect(staff.status()).toMatchObject({ open: false, closesAt: null });
    expect(pushed.at(-1)).toMatchObject({ open: false });
    expect(() => staff.assertOpen('see the statistics')).toThrow(StaffModeClosedError);
    expect(lines).toContain('staff mode closed by itself after a time without input');
  });

  it('pushes the automatic close back with every input on the staff screen', async () => {
    await withPin();
    await staff.open(PIN);
    clock.advance(4 * MINUTE);
    staff.activity();
    expect(staff.status().closesAt).toBe(clock.now() + 5 * MINUTE);
    clock.advance(4 * MINUTE);
    expect(staff.status().open).toBe(true);
    clock.advance(MINUTE);
    expect(staff.status().open).toBe(false);
  });

  it('reads the minutes from the settings in force', async () => {
    staffSettings = StaffSettingsSchema.parse({ autoCloseMinutes: 1 });
    await withPin();
    await staff.open(PIN);
    expect(staff.status().closesAt).toBe(clock.now() + MINUTE);
    clock.advance(MINUTE);
    expect(staff.status().open).toBe(false);
  });

  it('keeps a single timer armed, for the nearer of the close and the end of the lock', async () => {
    await withPin();
    await staff.open(PIN);
    expect(clock.pendingTimers()).toBe(1);
    staff.activity();
    staff.activity();
    expect(clock.pendingTimers()).toBe(1);
    staff.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('ignores input while closed', async () => {
    await withPin();
    staff.activity();
    expect(staff.status().open).toBe(false);
    expect(pushed).toEqual([]);
  });

  it('closes when staff press close, and says so once', async () => {
    await withPin();
    await staff.open(PIN);
    pushed.length = 0;
    expect(staff.close()).toMatchObject({ open: false, closesAt: null });
    staff.close();
    expect(pushed).toHaveLength(1);
  });

  it('closes as soon as a visitor session begins', async () => {
    await withPin();
    await staff.open(PIN);
    await controller.begin('en');
    expect(staff.status().open).toBe(false);
    expect(lines).toContain('staff mode closed: a visitor session began');
  });

  it('refuses what needs staff mode while closed, naming what to do', () => {
    expect(() => staff.assertOpen('export the statistics')).toThrow('staff mode is closed: open it with the staff PIN to export the statistics');
  });

  it('stops its timer and its listeners on shutdown', async () => {
    await withPin();
    await staff.open(PIN);
    pushed.length = 0;
    staff.shutdown();
    expect(clock.pendingTimers()).toBe(0);
    await controller.begin('fr');
    expect(pushed).toEqual([]);
  });
});

describe('changing the PIN', () => {
  it('changes the PIN with the current one', async () => {
    await withPin();
    await staff.open(PIN);
    expect((await staff.changePin(PIN, '1357')).ok).toBe(true);
    staff.close();
    expect(await staff.open(PIN)).toMatchObject({ ok: false, reason: 'wrong-pin' });
    expect((await staff.open('1357')).ok).toBe(true);
  });

  it('counts a wrong current PIN like any wrong PIN, and keeps the old PIN', async () => {
    await withPin();
    await staff.open(PIN);
    expect(await staff.changePin('0000', '1357')).toMatchObject({ ok: false, reason: 'wrong-pin', status: { failedAttempts: 1, open: true } });
    expect(await openStore().verify(PIN)).toBe(true);
  });

  it('is refused while staff mode is closed', async () => {
    await withPin();
    await expect(staff.changePin(PIN, '1357')).rejects.toThrow(StaffModeClosedError);
    expect(await openStore().verify(PIN)).toBe(true);
  });
});
