/**
 * The staff parts of the dashboard over a fake hub: codes for a phone (with its QR code)
 * and for kiosks, removing a device after a confirmation, the site's statistics with
 * hidden counts and "at least" totals, the export, and the dashboard's own language.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeviceViewSchema, PairingCodeIssuedSchema } from '../../../shared/hub-api';
import { rollUpDay, type StoredEvent } from '../../../shared/statistics/daily-figures';
import { suppressCounts } from '../../../shared/statistics/suppression';
import type { UsageEvent } from '../../../shared/usage-events';
import { FakeHub, HUB_ORIGIN, HUB_TIME, hubId } from './fake-hub';
import { renderDashboard } from './dashboard-harness';

afterEach(() => {
  vi.restoreAllMocks();
});

async function openTab(name: string | RegExp) {
  await screen.findByText('Live');
  await userEvent.setup().click(screen.getByRole('tab', { name }));
}

describe('devices', () => {
  it('"Add a phone" shows the code in big letters, its QR code for the dashboard\'s address, and when it expires', async () => {
    const hub = new FakeHub();
    renderDashboard({ hub });
    await openTab('Devices');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Add a phone' }));
    const card = await screen.findByTestId('pairing-code');
    expect(within(card).getByTestId('pairing-code-value').textContent).toBe('K7QM-RXHP');
    const qr = within(card).getByRole<HTMLImageElement>('img', { name: 'QR code that opens the dashboard with the code K7QM-RXHP' });
    expect(qr.src.startsWith('data:image/svg+xml')).toBe(true);
    expect(decodeURIComponent(qr.src)).toContain('<svg');
    expect(within(card).getByTestId('pair-address').textContent).toBe(`${HUB_ORIGIN}/dashboard/`);
    expect(card.textContent).toMatch(/Valid until \d{1,2}:\d{2}/);
    expect(document.activeElement).toBe(within(card).getByRole('heading', { name: 'Pair a phone' }));
    expect(hub.calls.find((call) => call.path === '/pairing-codes')).toMatchObject({ method: 'POST', body: { role: 'staff' } });
  });

  it('"Add a kiosk" shows the code, how many PCs may use it, and the settings to enter on each PC', async () => {
    const hub = new FakeHub();
    hub.overrides.set('POST /pairing-codes', {
      status: 201,
      body: PairingCodeIssuedSchema.parse({ code: 'M4KX-9PQT', role: 'kiosk', expiresAt: HUB_TIME + 3_600_000, usesLeft: 100, pairUrl: null }),
    });
    renderDashboard({ hub });
    await openTab('Devices');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Add a kiosk' }));
    const card = await screen.findByTestId('pairing-code');
    expect(card.getAttribute('data-role')).toBe('kiosk');
    expect(within(card).queryByRole('img')).toBeNull();
    expect(card.textContent).toContain('It can still pair 100 devices.');
    expect(JSON.parse(card.querySelector('pre')!.textContent!)).toEqual({ help: { hub: { url: HUB_ORIGIN, pairingCode: 'M4KX-9PQT' } } });
  });

  it('lists the paired devices, and removes one only after a confirmation; this device offers no Remove', async () => {
    const hub = new FakeHub();
    const phone = DeviceViewSchema.parse({ deviceId: hubId(), role: 'staff', name: 'Lost phone', site: 'EPN de Namur', pairedAt: HUB_TIME - 10 * 86_400_000, lastSeenAt: null });
    const kiosk = DeviceViewSchema.parse({ deviceId: hubId(), role: 'kiosk', name: 'PC 3', site: 'EPN de Namur', pairedAt: HUB_TIME - 86_400_000, lastSeenAt: HUB_TIME - 120_000 });
    hub.devices = [...hub.devices, phone, kiosk];
    renderDashboard({ hub });
    await openTab('Devices');
    const list = await screen.findByRole('list', { name: 'Paired devices' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual(['Reception phoneThis device', 'Lost phone', 'PC 3']);
    expect(within(items[0]!).queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(items[2]!.textContent).toContain('Kiosk');
    expect(items[2]!.textContent).toContain('Last seen 2 min. ago');

    const user = userEvent.setup();
    await user.click(within(items[1]!).getByRole('button', { name: 'Remove: Lost phone' }));
    const question = within(items[1]!).getByRole('group', { name: 'Remove' });
    expect(question.textContent).toContain('Remove “Lost phone”? It will need a new code to come back.');
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Cancel' }));
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(hub.calls.some((call) => call.method === 'DELETE')).toBe(false);

    await user.click(within(items[1]!).getByRole('button', { name: 'Remove: Lost phone' }));
    await user.click(screen.getByRole('button', { name: 'Yes, remove' }));
    await screen.findByText('“Lost phone” was removed.');
    expect(hub.calls.find((call) => call.method === 'DELETE')).toMatchObject({ path: `/devices/${phone.deviceId}` });
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Paired devices' })).getAllByRole('listitem')).toHaveLength(2));
  });
});

let minute = 29_000_000;
function visitorEvents(day: string, key: string, events: UsageEvent[]): StoredEvent[] {
  return events.map((event) => ({ day, minute: (minute += 1), sessionKey: key, event }));
}

/** Monday 3 March: six sessions, four help requests answered; Wednesday 5 March: one session and one request, small enough to be hidden. */
function siteSummary() {
  const busyDay = rollUpDay('2025-03-03', [
    ...[1, 2, 3, 4, 5, 6].flatMap((index) => visitorEvents('2025-03-03', `s${index}`, [{ type: 'session-started', language: 'fr' }, { type: 'session-ended', reason: 'visitor', durationSeconds: 600 }])),
    ...[40, 50, 70, 200].flatMap((wait, index) =>
      visitorEvents('2025-03-03', `s${index + 1}`, [
        { type: 'help-requested', serviceId: null },
        { type: 'help-acknowledged', waitSeconds: wait },
      ]),
    ),
  ]);
  const quietDay = rollUpDay(
    '2025-03-05',
    visitorEvents('2025-03-05', 'q1', [
      { type: 'session-started', language: 'nl' },
      { type: 'help-requested', serviceId: null },
    ]),
  );
  return { from: '2025-03-01', to: '2025-03-07', kioskCount: 2, suppressionThreshold: 3, days: [suppressCounts(busyDay, 3), suppressCounts(quietDay, 3)] };
}

describe('statistics', () => {
  it('show the site\'s days with hidden counts written as such, and totals that include them as "at least"', async () => {
    const hub = new FakeHub();
    hub.summary = siteSummary();
    renderDashboard({ hub });
    await openTab('Statistics');
    const panel = await screen.findByTestId('statistics-panel');
    await waitFor(() => expect(panel.querySelector('[data-state]')?.getAttribute('data-state')).toBe('ready'));
    expect(hub.calls.find((call) => call.path.startsWith('/statistics/summary'))?.path).toBe('/statistics/summary?from=2025-03-01&to=2025-03-07&groupBy=day');
    expect(within(panel).getByText('Figures of 2 kiosks')).toBeTruthy();
    expect(within(screen.getByTestId('key-sessions')).getByRole('definition').textContent).toBe('at least 7');
    expect(within(screen.getByTestId('key-help-requests')).getByRole('definition').textContent).toBe('at least 5');
    expect(panel.textContent).toContain('“Hidden”: a count too small to show (below 3)');

    const sessions = screen.getByTestId('chart-sessions');
    expect(within(sessions).getByRole('img', { name: 'Bar chart: Sessions per day. The table beside it gives the same figures.' })).toBeTruthy();
    const rows = within(sessions).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(7);
    const cell = (day: string) => within(rows.find((row) => within(row).getByRole('rowheader').textContent === day)!).getByRole('cell').textContent;
    expect(cell('March 3, 2025')).toBe('6');
    expect(cell('March 4, 2025')).toBe('0');
    expect(cell('March 5, 2025')).toBe('hidden');

    const waits = within(screen.getByTestId('chart-median-wait')).getAllByRole('row').slice(1);
    expect(within(waits[2]!).getByRole('cell').textContent).not.toBe('—');
    expect(within(waits[3]!).getByRole('cell').textContent).toBe('—');
  });

  it('ask again for the last 30 days, and offer a retry when the hub fails', async () => {
    const hub = new FakeHub();
    renderDashboard({ hub });
    await openTab('Statistics');
    const user = userEvent.setup();
    expect((await screen.findByRole('alert')).textContent).toContain('The figures could not be loaded.');
    hub.summary = siteSummary();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Figures of 2 kiosks');
    await user.click(screen.getByRole('radio', { name: 'Last 30 days' }));
    await waitFor(() => expect(hub.calls.at(-1)?.path).toBe('/statistics/summary?from=2025-02-06&to=2025-03-07&groupBy=day'));
  });

  it('export the period as a file fetched with the credential', async () => {
    const saved: string[] = [];
    Object.assign(URL, { createObjectURL: () => 'blob:test/1', revokeObjectURL: () => undefined });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const hub = new FakeHub();
    hub.summary = siteSummary();
    renderDashboard({ hub });
    await openTab('Statistics');
    await screen.findByText('Figures of 2 kiosks');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download as CSV (spreadsheet)' }));
    await screen.findByText('The file epn-hub-namur-2025-03-01-2025-03-07.csv is ready in your downloads.');
    expect(saved).toEqual(['epn-hub-namur-2025-03-01-2025-03-07.csv']);
    expect(hub.calls.at(-1)).toMatchObject({ path: '/statistics/export?from=2025-03-01&to=2025-03-07&format=csv', authorization: expect.stringMatching(/^Bearer /) });
  });
});

describe('the language', () => {
  it('is chosen on the dashboard, remembered on the device, and written on the page', async () => {
    const { storage } = renderDashboard({ language: 'en' });
    await screen.findByText('Live');
    await userEvent.setup().selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'Nederlands');
    expect(await screen.findByText('Niemand wacht op hulp.')).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Kiosken' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('nl');
    expect(storage.language()).toBe('nl');
    expect(document.title).toBe('Hulp — EPN Kiosk');
  });
});
