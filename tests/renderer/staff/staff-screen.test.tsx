/**
 * The staff screen over the real staff mode, configuration store and editor (files in a
 * temporary folder): settings with a managed key locked, the schema's problems beside
 * their fields, Save and Discard, import refused with its problems, the change log, the
 * PIN change, activity, and the screen leaving at once when staff mode closes by itself.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { STAFF_ACTIVITY_INTERVAL_MS } from '../../../renderer/staff/StaffScreen';
import { startTestKiosk } from '../kiosk-harness';
import { STAFF, WELCOME, TEST_PIN, chooseTab, findPinPad, openStaffScreen, pressStaffChord, typePin } from './staff-helpers';

const t = STAFF.fr;
const root = () => document.documentElement;

function field(path: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-field="${path}"]`);
  if (element === null) throw new Error(`no field ${path}`);
  return element;
}

function input(path: string): HTMLInputElement {
  return field(path).querySelector<HTMLInputElement>('input, select')!;
}

describe('settings', () => {
  it('shows a key of the managed file locked, with the note, and saves the others at once, without a restart', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN, managed: { kiosk: { site: 'Ville de Namur' } } });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'settings');

    const site = within(field('kiosk.site')).getByLabelText(t.settings.kiosk.site);
    expect(site).toHaveProperty('disabled', true);
    expect(site).toHaveProperty('value', 'Ville de Namur');
    expect(within(field('kiosk.site')).getByText(t.locked)).toBeTruthy();
    expect(site.getAttribute('aria-describedby')).toContain(within(field('kiosk.site')).getByText(t.locked).id);

    const name = within(field('kiosk.name')).getByLabelText(t.settings.kiosk.name);
    expect(name).toHaveProperty('disabled', false);
    expect(within(field('kiosk.name')).queryByText(t.locked)).toBeNull();
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.allSaved);

    await user.clear(name);
    await user.type(name, 'PC accueil');
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.unsaved);
    expect(kiosk.store.current().kiosk.name).not.toBe('PC accueil');

    await user.click(screen.getByRole('button', { name: t.save }));
    await screen.findByText(t.saved);
    expect(kiosk.store.current().kiosk.name).toBe('PC accueil');
    expect(kiosk.store.current().kiosk.site).toBe('Ville de Namur');
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.allSaved);

    await chooseTab(user, 'changeLog');
    const table = await screen.findByRole('table', { name: t.changeLog.caption });
    expect(within(table).getByText('kiosk.name')).toBeTruthy();
    expect(within(table).getByText(t.changeLog.fromScreen)).toBeTruthy();
  });

  it('names each problem beside its field, refuses to save, and Discard goes back to what is saved', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'settings');

    const idle = input('session.idleTimeoutSeconds');
    await user.clear(idle);
    await user.type(idle, '5');
    expect(within(field('session.idleTimeoutSeconds')).getByText(/must be at least 30 seconds/)).toBeTruthy();
    expect(idle.getAttribute('aria-invalid')).toBe('true');

    await user.click(screen.getByRole('button', { name: t.save }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(t.fixFirst);
    expect(alert.textContent).toContain('session.idleTimeoutSeconds');
    expect(kiosk.store.current().session.idleTimeoutSeconds).toBe(180);
    expect(kiosk.calls).not.toContain('staff:saveConfig');

    await user.click(screen.getByRole('button', { name: t.discard }));
    expect(input('session.idleTimeoutSeconds').value).toBe('180');
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.allSaved);
    expect(screen.getByRole('button', { name: t.save })).toHaveProperty('disabled', true);
  });

  it('edits the help channel: the hub address and pairing code, the fallback phone', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'settings');
    await user.type(input('help.hub.url'), 'http://192.168.1.10:8470');
    await user.type(input('help.hub.pairingCode'), 'K7QM-RXHP');
    await user.type(input('help.fallback.phone'), '+32 81 24 00 00');
    await user.click(screen.getByRole('button', { name: t.save }));
    await screen.findByText(t.saved);
    expect(kiosk.store.current().help.hub).toEqual({ url: 'http://192.168.1.10:8470', pairingCode: 'K7QM-RXHP' });
    expect(kiosk.store.current().help.fallback.phone).toBe('+32 81 24 00 00');
  });
});

describe('the configuration file', () => {
  it('refuses a broken file with its problems listed, and changes nothing', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'file');
    const broken = new File([JSON.stringify({ schemaVersion: 1, kiosk: { name: '' }, languages: { offered: ['fr'], default: 'xx' }, themes: [], services: [] })], 'broken.json', { type: 'application/json' });
    await user.upload(screen.getByLabelText(t.file.choose), broken);
    const problems = await screen.findByTestId('import-problems');
    expect(problems.getAttribute('role')).toBe('alert');
    expect(problems.textContent).toContain(t.file.refused.replace('{{fileName}}', 'broken.json'));
    const items = within(problems).getAllByRole('listitem').map((item) => item.textContent);
    expect(items.some((text) => text?.startsWith('kiosk.name: '))).toBe(true);
    expect(items.some((text) => text?.startsWith('languages.default: '))).toBe(true);
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.allSaved);

    const notJson = new File(['{ this is not json'], 'notes.json', { type: 'application/json' });
    await user.upload(screen.getByLabelText(t.file.choose), notJson);
    await waitFor(() => expect(screen.getByTestId('import-problems').textContent).toContain('notes.json'));
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.allSaved);
    expect(kiosk.store.current().kiosk.name).not.toBe('');
  });

  it('refuses a file that changes a managed key, and loads a good one as unsaved changes to review and save', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN, managed: { kiosk: { site: 'Ville de Namur' } } });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'file');
    const current = kiosk.store.current();
    const elsewhere = { ...current, kiosk: { ...current.kiosk, name: 'PC importé', site: 'Ailleurs' } };
    await user.upload(screen.getByLabelText(t.file.choose), new File([JSON.stringify(elsewhere)], 'ailleurs.json', { type: 'application/json' }));
    const problems = await screen.findByTestId('import-problems');
    expect(within(problems).getAllByRole('listitem').map((item) => item.textContent?.split(':')[0])).toEqual(['kiosk.site']);
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.allSaved);

    const good = { ...current, kiosk: { ...current.kiosk, name: 'PC importé' } };
    await user.upload(screen.getByLabelText(t.file.choose), new File([JSON.stringify(good)], 'pc.json', { type: 'application/json' }));
    await screen.findByText(t.file.imported.replace('{{fileName}}', 'pc.json'));
    expect(screen.queryByTestId('import-problems')).toBeNull();
    expect(screen.getByTestId('unsaved-note').textContent).toBe(t.unsaved);
    expect(kiosk.store.current().kiosk.name).not.toBe('PC importé');

    await user.click(screen.getByRole('button', { name: t.save }));
    await screen.findByText(t.saved);
    expect(kiosk.store.current().kiosk).toMatchObject({ name: 'PC importé', site: 'Ville de Namur' });
    await chooseTab(user, 'changeLog');
    const table = await screen.findByRole('table', { name: t.changeLog.caption });
    expect(within(table).getByText(t.changeLog.fromImport)).toBeTruthy();
    expect(within(table).getByText('kiosk.name')).toBeTruthy();
  });
});

describe('staff mode', () => {
  it('changes the PIN: a wrong current PIN is refused, the new one opens staff mode next time', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'pin');
    await user.type(screen.getByLabelText(t.pin.current), '1111');
    await user.type(screen.getByLabelText(t.pin.new), '97531');
    await user.type(screen.getByLabelText(t.pin.confirm), '97531');
    await user.click(screen.getByRole('button', { name: t.pin.change }));
    expect((await screen.findByRole('alert')).textContent).toBe(t.pin.wrong);

    await user.type(screen.getByLabelText(t.pin.current), TEST_PIN);
    await user.click(screen.getByRole('button', { name: t.pin.change }));
    await screen.findByText(t.pin.changed);

    await user.click(screen.getByRole('button', { name: t.close }));
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    act(() => pressStaffChord());
    await findPinPad();
    await typePin(user, '97531');
    await screen.findByRole('tab', { name: t.tabs.settings });
  });

  it('keeps staff mode open while staff work (staff:activity, at most every 5 s)', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    kiosk.calls.length = 0;
    await chooseTab(user, 'settings');
    await chooseTab(user, 'pin');
    await chooseTab(user, 'settings');
    expect(kiosk.calls.filter((channel) => channel === 'staff:activity')).toHaveLength(1);
    expect(STAFF_ACTIVITY_INTERVAL_MS).toBe(5000);
  });

  it('leaves the staff screen at once when staff mode closes by itself; unsaved changes are lost', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    await chooseTab(user, 'settings');
    await user.clear(input('kiosk.name'));
    await user.type(input('kiosk.name'), 'Jamais enregistré');

    await kiosk.advance(kiosk.store.current().staff.autoCloseMinutes * 60_000);
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(screen.queryByRole('tab')).toBeNull();
    expect(root().dataset.screen).toBe('welcome');
    expect(kiosk.staff.status().open).toBe(false);
    expect(kiosk.store.current().kiosk.name).not.toBe('Jamais enregistré');
  });

  it('closes with its button, and the statistics are refused again', async () => {
    const user = userEvent.setup();
    const kiosk = startTestKiosk({ staffPin: TEST_PIN });
    await openStaffScreen(user, kiosk);
    await user.click(screen.getByRole('button', { name: t.close }));
    await screen.findByRole('heading', { level: 1, name: WELCOME.fr.title });
    expect(kiosk.staff.status().open).toBe(false);
    expect((await kiosk.bridge.staff.getConfig()).ok).toBe(false);
  });
});
