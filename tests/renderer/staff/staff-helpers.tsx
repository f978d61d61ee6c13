/**
 * The staff entry as staff use it, for renderer tests: the key chord, the PIN typed on
 * the pad's own keys, the staff screen and its tabs. Texts come from the locale files.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { expect } from 'vitest';
import type { StaffLanguageCode } from '../../../shared/languages';
import type { startTestKiosk } from '../kiosk-harness';
import deCommon from '../../../locales/de/common.json';
import enCommon from '../../../locales/en/common.json';
import frCommon from '../../../locales/fr/common.json';
import nlCommon from '../../../locales/nl/common.json';
import deStaff from '../../../locales/de/staff.json';
import enStaff from '../../../locales/en/staff.json';
import frStaff from '../../../locales/fr/staff.json';
import nlStaff from '../../../locales/nl/staff.json';
import deWelcome from '../../../locales/de/welcome.json';
import enWelcome from '../../../locales/en/welcome.json';
import frWelcome from '../../../locales/fr/welcome.json';
import nlWelcome from '../../../locales/nl/welcome.json';

export const TEST_PIN = '2468';
export const COMMON = { fr: frCommon, nl: nlCommon, de: deCommon, en: enCommon } as const;
export const STAFF = { fr: frStaff, nl: nlStaff, de: deStaff, en: enStaff } as const;
/** The welcome screen's texts (locales/<lang>/welcome.json). */
export const WELCOME = { fr: frWelcome, nl: nlWelcome, de: deWelcome, en: enWelcome } as const;

export type TestKiosk = ReturnType<typeof startTestKiosk>;

/** The default chord, Control+Alt+Shift+S, as a French keyboard sends it (the physical S key). */
export function pressStaffChord(key = 's', code = 'KeyS') {
  fireEvent.keyDown(window, { key, code, ctrlKey: true, altKey: true, shiftKey: true });
}

export function pinPad(): HTMLElement {
  return screen.getByTestId('pin-pad');
}

export async function findPinPad(): Promise<HTMLElement> {
  return screen.findByTestId('pin-pad');
}

/** Types the digits on the pad's keys and presses OK. */
export async function typePin(user: UserEvent, pin: string, language: StaffLanguageCode = 'fr') {
  const pad = pinPad();
  for (const digit of pin) await user.click(within(pad).getByRole('button', { name: digit }));
  await user.click(within(pad).getByRole('button', { name: COMMON[language].staffEntry.ok }));
}

/** From the welcome screen (or any visitor screen): chord, PIN, then the staff screen in `language`. */
export async function openStaffScreen(user: UserEvent, kiosk: TestKiosk, { pin = TEST_PIN, language = 'fr' as StaffLanguageCode } = {}) {
  await kiosk.booted;
  await screen.findByRole('heading', { level: 1 });
  act(() => pressStaffChord());
  await findPinPad();
  await typePin(user, pin, language);
  await screen.findByRole('tab', { name: STAFF[language].tabs.settings });
  await waitFor(() => expect(document.documentElement.dataset.screen).toBe('staff'));
}

export async function chooseTab(user: UserEvent, tab: keyof (typeof enStaff)['tabs'], language: StaffLanguageCode = 'fr') {
  await user.click(screen.getByRole('tab', { name: STAFF[language].tabs[tab] }));
}
