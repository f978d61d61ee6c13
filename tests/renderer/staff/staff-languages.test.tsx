/**
 * On a kiosk whose default language has no staff texts (Arabic), the staff screen and
 * the statistics speak English, their pickers list the staff languages only; the settings
 * still offer visitors every language, each named in its own language and direction; and
 * closing staff mode gives the visitor screens their language back.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import arCommon from '../../../locales/ar/common.json';
import arWelcome from '../../../locales/ar/welcome.json';
import enStats from '../../../locales/en/stats.json';
import { LANGUAGES, LANGUAGE_CODES, STAFF_LANGUAGE_CODES, endonymOf } from '../../../shared/languages';
import { configWithLanguages, startTestKiosk } from '../kiosk-harness';
import { STAFF, TEST_PIN, chooseTab, findPinPad, pressStaffChord } from './staff-helpers';

const t = STAFF.en;
// A whole staff session (PIN hashing included) in one test: slower than most when the suite shares the machine.
const root = () => document.documentElement;

async function openStaffScreenFromArabic(user: ReturnType<typeof userEvent.setup>) {
  const kiosk = startTestKiosk({ config: configWithLanguages([...LANGUAGE_CODES], 'ar'), staffPin: TEST_PIN });
  await kiosk.booted;
  await screen.findByRole('heading', { level: 1, name: arWelcome.title });
  expect(root().lang).toBe('ar');
  expect(root().dir).toBe('rtl');
  pressStaffChord();
  const pad = await findPinPad();
  for (const digit of TEST_PIN) await user.click(within(pad).getByRole('button', { name: digit }));
  await user.click(within(pad).getByRole('button', { name: arCommon.staffEntry.ok }));
  await screen.findByRole('tab', { name: t.tabs.settings });
  await waitFor(() => expect(root().dataset.screen).toBe('staff'));
  return kiosk;
}

describe('staff screens on an Arabic kiosk', () => {
  it('speak English, offer the staff languages only, and give the welcome screen its Arabic back', async () => {
    const user = userEvent.setup();
    await openStaffScreenFromArabic(user);
    await waitFor(() => expect(root().lang).toBe('en'));
    expect(root().dir).toBe('ltr');

    const picker = screen.getByRole('combobox', { name: t.language });
    expect(within(picker).getAllByRole('option').map((option) => option.getAttribute('value'))).toEqual([...STAFF_LANGUAGE_CODES]);
    expect((picker as HTMLSelectElement).value).toBe('en');

    await chooseTab(user, 'statistics', 'en');
    const statsPicker = await screen.findByRole('combobox', { name: enStats.language });
    expect(within(statsPicker).getAllByRole('option').map((option) => option.textContent)).toEqual(STAFF_LANGUAGE_CODES.map((code) => endonymOf(code)));
    expect((statsPicker as HTMLSelectElement).value).toBe('en');
    expect(screen.getByRole('heading', { level: 1, name: enStats.title })).toBeTruthy();

    await chooseTab(user, 'settings', 'en');
    const offered = document.querySelector<HTMLElement>('[data-field="languages.offered"]')!;
    const names = LANGUAGES.map((language) => within(offered).getByText(language.endonym));
    expect(names.map((name) => [name.getAttribute('lang'), name.getAttribute('dir')])).toEqual(LANGUAGES.map((language) => [language.code, language.direction]));
    expect(within(offered).getAllByRole('checkbox').map((box) => (box as HTMLInputElement).checked)).toEqual(LANGUAGES.map(() => true));

    await user.click(screen.getByRole('button', { name: t.close }));
    await screen.findByRole('heading', { level: 1, name: arWelcome.title });
    await waitFor(() => expect(root().lang).toBe('ar'));
    expect(root().dir).toBe('rtl');
  }, 20_000);
});
