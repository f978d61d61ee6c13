/**
 * The hidden staff entry and the PIN pad over the real staff mode (electron/services/
 * staff-mode.ts) and a real PIN file: the key chord, corner taps, the main side's entry
 * request, choosing the first PIN, wrong PINs, the throttled pad counting down, Cancel.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config/default-config';
import { FREE_WRONG_PINS, STAFF_THROTTLE_SCHEDULE_MS } from '../../../shared/staff-throttle';
import { formatWait, lockedForMs } from '../../../renderer/staff/PinPad';
import { parsedConfig, startTestKiosk } from '../kiosk-harness';
import { COMMON, STAFF, WELCOME, TEST_PIN, findPinPad, pinPad, pressStaffChord, typePin } from './staff-helpers';

const fr = COMMON.fr;
const root = () => document.documentElement;

async function welcome(kiosk: ReturnType<typeof startTestKiosk>) {
  await kiosk.booted;
  await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
}

function tapCorner(times: number, x = 10, y = 10) {
  for (let index = 0; index < times; index += 1) fireEvent.pointerDown(window, { clientX: x, clientY: y });
}

describe('the way in', () => {
  it('shows visitors nothing of it', async () => {
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    expect(document.body.textContent).not.toContain(fr.staffEntry.title);
    expect(kiosk.calls.filter((channel) => channel.startsWith('staff:'))).toEqual([]);
  });

  it('opens the PIN pad with the key chord, on the physical S key whatever the layout gives', async () => {
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    act(() => fireEvent.keyDown(window, { key: 'S', code: 'KeyS', ctrlKey: true, altKey: true }));
    act(() => fireEvent.keyDown(window, { key: 's', code: 'KeyS', ctrlKey: true, shiftKey: true }));
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    act(() => pressStaffChord('ß', 'KeyS'));
    const pad = await findPinPad();
    expect(within(pad).getByRole('heading', { level: 1, name: fr.staffEntry.enterPin })).toBeTruthy();
    expect(screen.getByRole('dialog', { name: fr.staffEntry.enterPin })).toBeTruthy();
    // The visitor screens underneath cannot be reached meanwhile.
    expect(document.querySelector('.screen')?.hasAttribute('inert')).toBe(true);
  });

  it('follows the configured chord', async () => {
    const config = parsedConfig({ ...DEFAULT_CONFIG, staff: { keyChord: 'Control+Alt+F9', cornerTaps: false, autoCloseMinutes: 5 } });
    const kiosk = startTestKiosk({ staffPin: TEST_PIN, config });
    await welcome(kiosk);
    act(() => pressStaffChord());
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    act(() => fireEvent.keyDown(window, { key: 'F9', code: 'F9', ctrlKey: true, altKey: true }));
    await findPinPad();
  });

  it('opens with five taps in the top-left corner, not four, not elsewhere, and not when corner taps are off', async () => {
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    tapCorner(4);
    tapCorner(1, 500, 300);
    tapCorner(4);
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    tapCorner(1);
    await findPinPad();
  });

  it('does not count taps when config.staff.cornerTaps is false', async () => {
    const config = parsedConfig({ ...DEFAULT_CONFIG, staff: { keyChord: 'Control+Alt+Shift+S', cornerTaps: false, autoCloseMinutes: 5 } });
    const kiosk = startTestKiosk({ staffPin: TEST_PIN, config });
    await welcome(kiosk);
    tapCorner(5);
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.queryByTestId('pin-pad')).toBeNull();
  });

  it('opens when the main side asks (the chord pressed inside a service page)', async () => {
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    act(() => kiosk.emit('staff:entryRequested', {}));
    await findPinPad();
  });

  it('Cancel (and Escape) go back to the visitor screens as they were', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    await user.click(screen.getByRole('button', { name: /^English/ }));
    await screen.findByRole('heading', { level: 1, name: COMMON.en.launcher.title });
    act(() => pressStaffChord());
    const pad = await findPinPad();
    await user.click(within(pad).getByRole('button', { name: COMMON.en.staffEntry.cancel }));
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    expect(root().dataset.screen).toBe('launcher');
    expect(document.querySelector('.screen')?.hasAttribute('inert')).toBe(false);

    act(() => pressStaffChord());
    await findPinPad();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    expect(root().dataset.screen).toBe('launcher');
    expect(kiosk.sessions.endCount).toBe(0);
  });
});

describe('the PIN pad', () => {
  it('on first start asks to choose a PIN and confirm it, then opens the staff screen', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk();
    await welcome(kiosk);
    act(() => pressStaffChord());
    const pad = await findPinPad();
    expect(within(pad).getByRole('heading', { name: fr.staffEntry.choosePin })).toBeTruthy();

    await typePin(user, '12');
    expect(within(pad).getByRole('alert').textContent).toBe(fr.staffEntry.pinLength);

    await user.click(within(pad).getByRole('button', { name: fr.staffEntry.erase }));
    await user.click(within(pad).getByRole('button', { name: fr.staffEntry.erase }));
    await typePin(user, '1357');
    expect(within(pinPad()).getByRole('heading', { name: fr.staffEntry.confirmPin })).toBeTruthy();
    await typePin(user, '1358');
    expect(within(pinPad()).getByRole('alert').textContent).toBe(fr.staffEntry.pinMismatch);
    expect(within(pinPad()).getByRole('heading', { name: fr.staffEntry.choosePin })).toBeTruthy();
    expect(kiosk.staff.status().pinSet).toBe(false);

    await typePin(user, '1357');
    // The keyboard's digits and Enter work too.
    await user.keyboard('1357{Enter}');
    await screen.findByRole('tab', { name: STAFF.fr.tabs.settings });
    expect(kiosk.staff.status()).toMatchObject({ pinSet: true, open: true });
    expect(root().dataset.screen).toBe('staff');
  });

  it('says how many wrong PINs so far, then locks with a countdown from the main side\'s clock, and unlocks', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    act(() => pressStaffChord());
    await findPinPad();
    for (let attempt = 1; attempt <= FREE_WRONG_PINS; attempt += 1) {
      await typePin(user, '0000');
      await waitFor(() => expect(within(pinPad()).getByRole('alert').textContent).toBe((attempt === 1 ? fr.staffEntry.wrongPin_one : fr.staffEntry.wrongPin_other).replace(/\{\{count[^}]*\}\}/, String(attempt))));
    }
    await typePin(user, '0000');
    const timer = await within(pinPad()).findByRole('timer');
    expect(timer.textContent).toBe(fr.staffEntry.throttled.replace('{{time}}', formatWait(STAFF_THROTTLE_SCHEDULE_MS[0]!)));
    expect(pinPad().dataset.locked).toBe('true');
    for (const digit of '0123456789') expect(within(pinPad()).getByRole('button', { name: digit })).toHaveProperty('disabled', true);
    expect(within(pinPad()).getByRole('button', { name: fr.staffEntry.ok })).toHaveProperty('disabled', true);
    expect(within(pinPad()).getByRole('button', { name: fr.staffEntry.cancel })).toHaveProperty('disabled', false);

    // The main side's lock ends; its push unlocks the pad (this page's own clock has not moved much).
    await kiosk.advance(STAFF_THROTTLE_SCHEDULE_MS[0]!);
    await waitFor(() => expect(within(pinPad()).queryByRole('timer')).toBeNull());
    await typePin(user, TEST_PIN);
    await screen.findByRole('tab', { name: STAFF.fr.tabs.settings });
  });

  it('shows a lock still running when the pad opens', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await welcome(kiosk);
    for (let attempt = 0; attempt <= FREE_WRONG_PINS; attempt += 1) await kiosk.handlers['staff:open']({ pin: '9999' });
    await kiosk.advance(10_000);
    act(() => pressStaffChord());
    const timer = await within(await findPinPad()).findByRole('timer');
    expect(timer.textContent).toBe(fr.staffEntry.throttled.replace('{{time}}', '0:20'));
    await user.click(within(pinPad()).getByRole('button', { name: fr.staffEntry.cancel }));
  });
});

describe('the countdown', () => {
  const status = { pinSet: true, open: false, closesAt: null, failedAttempts: 4 };
  it('counts from the main side\'s time when the status was read, never comparing the clocks', () => {
    const received = { status: { ...status, retryAt: 1_000_045_000 }, mainNow: 1_000_000_000, receivedAt: 500 };
    expect(lockedForMs(received, 500)).toBe(45_000);
    expect(lockedForMs(received, 10_500)).toBe(35_000);
    expect(lockedForMs(received, 100_000)).toBe(0);
    // A page clock that went back counts as no time elapsed.
    expect(lockedForMs(received, 0)).toBe(45_000);
    expect(lockedForMs({ ...received, status: { ...status, retryAt: null } }, 500)).toBe(0);
    expect(lockedForMs(null, 500)).toBe(0);
  });

  it('writes minutes and seconds, rounded up', () => {
    expect(formatWait(45_000)).toBe('0:45');
    expect(formatWait(44_001)).toBe('0:45');
    expect(formatWait(90_000)).toBe('1:30');
    expect(formatWait(900_000)).toBe('15:00');
    expect(formatWait(1)).toBe('0:01');
  });
});
