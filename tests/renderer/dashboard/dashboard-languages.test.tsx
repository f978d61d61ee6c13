/**
 * The dashboard speaks the staff languages only (its texts exist in those): the picker
 * lists them, a browser or a stored choice in a visitor language (Arabic, Turkish,
 * Ukrainian) opens it in English.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { browserLanguage, createDashboardI18n, languageOf } from '../../../renderer/dashboard/dashboard-i18n';
import { STAFF_LANGUAGE_CODES, endonymOf } from '../../../shared/languages';
import { dashboardText, renderDashboard } from './dashboard-harness';

describe('the dashboard\'s language', () => {
  it('is the first of the browser\'s languages that staff screens speak, else English', () => {
    expect(browserLanguage(['ar-MA', 'tr', 'nl-BE', 'fr'])).toBe('nl');
    expect(browserLanguage(['uk-UA', 'ar'])).toBe('en');
    expect(browserLanguage(['de-BE'])).toBe('de');
  });

  it('is English when it is asked for a visitor-only language', () => {
    for (const language of ['ar', 'tr', 'uk'] as const) expect(languageOf(createDashboardI18n(language))).toBe('en');
    expect(languageOf(createDashboardI18n('nl'))).toBe('nl');
  });

  it('offers the staff languages only, each named in its own language', () => {
    const { i18n } = renderDashboard({ credential: null, language: 'ar' });
    expect(document.documentElement.lang).toBe('en');
    expect(document.documentElement.dir).toBe('ltr');
    const picker = screen.getByRole('combobox', { name: dashboardText(i18n, 'app.language') });
    const options = within(picker).getAllByRole('option');
    expect(options.map((option) => option.getAttribute('value'))).toEqual([...STAFF_LANGUAGE_CODES]);
    expect(options.map((option) => option.textContent)).toEqual(STAFF_LANGUAGE_CODES.map((code) => endonymOf(code)));
    expect(options.map((option) => option.getAttribute('lang'))).toEqual([...STAFF_LANGUAGE_CODES]);
    expect((picker as HTMLSelectElement).value).toBe('en');
  });
});
