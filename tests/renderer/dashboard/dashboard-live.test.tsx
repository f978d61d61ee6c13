/**
 * The live dashboard over a fake hub: the queue in order of waiting time, waits counted
 * on the hub's clock and moving every second, the alert for a new request (banner, tone,
 * screen-reader announcement, tab title), "I'm coming" and "Done", the connection state,
 * the kiosks, and a revoked credential sending the device back to pairing.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HUB_TIME, FakeHub, helpRequest, hubError, kioskView } from './fake-hub';
import { dashboardText, renderDashboard } from './dashboard-harness';

beforeEach(() => {
  // Only the one-second tick is the test's to move; streams and React run as usual.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
  document.title = '';
});

async function live() {
  await screen.findByText('Live');
}

function queueCards(): HTMLElement[] {
  return within(screen.getByTestId('help-queue')).queryAllByRole('listitem');
}

function cardOf(kioskName: string): HTMLElement {
  const card = queueCards().find((candidate) => within(candidate).queryByRole('heading', { name: kioskName }) !== null);
  if (card === undefined) throw new Error(`no request from ${kioskName} in the queue`);
  return card;
}

describe('the help queue', () => {
  it('lists the open requests, the longest waiting first, with the kiosk, the service and the visitor\'s language', async () => {
    const hub = new FakeHub();
    hub.requests = [
      helpRequest({ kioskName: 'PC 2', createdAt: HUB_TIME - 30_000, serviceId: 'my-minfin', language: 'nl' }),
      helpRequest({ kioskName: 'PC 9', createdAt: HUB_TIME - 600_000, serviceId: null, language: 'de', state: 'acknowledged', acknowledgedAt: HUB_TIME - 60_000, revision: 2 }),
      helpRequest({ kioskName: 'PC 4', createdAt: HUB_TIME - 120_000, serviceId: 'tax-on-web', language: 'fr' }),
    ];
    renderDashboard({ hub });
    await live();
    expect(queueCards().map((card) => within(card).getByRole('heading').textContent)).toEqual(['PC 9', 'PC 4', 'PC 2']);

    const nine = cardOf('PC 9');
    expect(nine.textContent).toContain('Someone is on the way');
    expect(nine.textContent).toContain('Home screen (no service open)');
    expect(within(nine).getByText('Deutsch').getAttribute('lang')).toBe('de');
    expect(within(nine).queryByRole('button', { name: 'I’m coming' })).toBeNull();
    expect(within(nine).getByRole('button', { name: 'Done' })).toBeTruthy();

    const two = cardOf('PC 2');
    expect(two.textContent).toContain('Waiting for a helper');
    expect(within(two).getByText('My minfin')).toBeTruthy();
    expect(within(two).getByText('Nederlands')).toBeTruthy();
    expect(within(cardOf('PC 4')).getByText('Tax on web')).toBeTruthy();
    expect(screen.getByText('2 people are waiting for a helper.')).toBeTruthy();
    // The title follows in an effect after the queue is drawn.
    await waitFor(() => expect(document.title).toBe('(2) Help — EPN Kiosk'));
  });

  it('counts waits on the hub\'s clock, not the phone\'s, and moves them on every second', async () => {
    // This phone's clock is a day and a half off: it must not matter.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: HUB_TIME + 36 * 3_600_000 });
    expect(Date.now()).toBe(HUB_TIME + 36 * 3_600_000);
    const hub = new FakeHub();
    hub.requests = [helpRequest({ kioskName: 'PC 4', createdAt: HUB_TIME - 59_000 })];
    const { clock } = renderDashboard({ hub });
    await live();
    const wait = () => within(cardOf('PC 4')).getByTestId('waiting-time').textContent?.replace(/\s/g, ' ');
    expect(wait()).toBe('Waiting for 59 sec');
    clock.now += 1_000;
    act(() => vi.advanceTimersByTime(1_000));
    expect(wait()).toBe('Waiting for 1 min 00 sec');
    clock.now += 64_000;
    act(() => vi.advanceTimersByTime(1_000));
    expect(wait()).toBe('Waiting for 2 min 04 sec');
  });

  it('is empty, and says so, when nobody waits', async () => {
    renderDashboard();
    await live();
    expect(screen.getByText('Nobody is waiting for help.')).toBeTruthy();
    expect(document.title).toBe('Help — EPN Kiosk');
  });
});

describe('a new request', () => {
  it('raises the banner, the tone when sound is on, the announcement and the count in the title', async () => {
    const hub = new FakeHub();
    const { sound, i18n } = renderDashboard({ hub });
    await live();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Turn on sound' }));
    expect(screen.getByRole('button', { name: 'Turn off sound' })).toBeTruthy();
    expect(screen.queryByTestId('new-request-alert')).toBeNull();

    const request = helpRequest({ kioskName: 'PC 7', serviceId: 'itsme', language: 'nl' });
    hub.requests = [request];
    act(() => hub.push({ type: 'help-request', serverTime: HUB_TIME, request }));
    expect((await screen.findByTestId('new-request-alert')).textContent).toContain('New help request: PC 7');
    await waitFor(() => expect(sound.played).toBe(1));
    expect(screen.getByTestId('alert-announcer').textContent).toBe(dashboardText(i18n, 'alert.announce', { kiosk: 'PC 7', service: 'Itsme', language: 'Nederlands' }));
    expect(screen.getByTestId('alert-announcer').getAttribute('aria-live')).toBe('assertive');
    expect(document.title).toBe('(1) Help — EPN Kiosk');
    expect(within(screen.getByRole('tab', { name: /Help requests/ })).getByText('1')).toBeTruthy();

    const second = helpRequest({ kioskName: 'PC 8' });
    act(() => hub.push({ type: 'help-request', serverTime: HUB_TIME, request: second }));
    await waitFor(() => expect(screen.getByTestId('new-request-alert').textContent).toContain('2 new help requests'));
    await waitFor(() => expect(sound.played).toBe(2));

    await user.click(within(screen.getByTestId('new-request-alert')).getByRole('button', { name: 'Seen' }));
    expect(screen.queryByTestId('new-request-alert')).toBeNull();
    expect(document.title).toBe('(2) Help — EPN Kiosk');
  });

  it('makes no sound until the helper turned it on, and remembers the choice', async () => {
    const hub = new FakeHub();
    const { sound, storage } = renderDashboard({ hub });
    await live();
    act(() => hub.push({ type: 'help-request', serverTime: HUB_TIME, request: helpRequest() }));
    await screen.findByTestId('new-request-alert');
    expect(sound.played).toBe(0);
    expect(storage.soundWanted()).toBe(false);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Turn on sound' }));
    expect(storage.soundWanted()).toBe(true);
  });

  it('asks for a touch after a reload with sound on, since the browser will not play before one', async () => {
    const hub = new FakeHub();
    const { sound } = renderDashboard({ hub, soundWanted: true });
    await live();
    expect(screen.getByText(/Tap anywhere on the page/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('heading', { name: 'Help requests' }));
    await waitFor(() => expect(screen.queryByText(/Tap anywhere on the page/)).toBeNull());
    act(() => hub.push({ type: 'help-request', serverTime: HUB_TIME, request: helpRequest() }));
    await screen.findByTestId('new-request-alert');
    await waitFor(() => expect(sound.played).toBe(1));
  });
});

describe('answering a request', () => {
  it('"I\'m coming" tells the hub and shows someone is on the way; "Done" takes it off the queue', async () => {
    const hub = new FakeHub();
    const request = helpRequest({ kioskName: 'PC 3' });
    hub.requests = [request];
    renderDashboard({ hub });
    await live();
    const user = userEvent.setup();
    await user.click(within(cardOf('PC 3')).getByRole('button', { name: 'I’m coming' }));
    await waitFor(() => expect(cardOf('PC 3').textContent).toContain('Someone is on the way'));
    expect(hub.calls.at(-1)).toMatchObject({ method: 'POST', path: `/help-requests/${request.id}/acknowledge` });
    const done = within(cardOf('PC 3')).getByRole('button', { name: 'Done' });
    expect(document.activeElement).toBe(done);
    expect(document.title).toBe('Help — EPN Kiosk');

    await user.click(done);
    await waitFor(() => expect(queueCards()).toEqual([]));
    expect(hub.calls.at(-1)).toMatchObject({ method: 'POST', path: `/help-requests/${request.id}/resolve` });
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Help requests' }));
  });

  it('says so when a colleague closed it first, and when the answer failed', async () => {
    const hub = new FakeHub();
    const request = helpRequest({ kioskName: 'PC 3' });
    hub.requests = [request];
    renderDashboard({ hub });
    await live();
    const user = userEvent.setup();
    hub.overrides.set(`POST /help-requests/${request.id}/acknowledge`, { status: 409, body: hubError('conflict') });
    await user.click(within(cardOf('PC 3')).getByRole('button', { name: 'I’m coming' }));
    expect((await within(cardOf('PC 3')).findByRole('alert')).textContent).toBe('This request is already closed.');
    hub.overrides.set(`POST /help-requests/${request.id}/acknowledge`, 'network-error');
    await user.click(within(cardOf('PC 3')).getByRole('button', { name: 'I’m coming' }));
    await waitFor(() => expect(within(cardOf('PC 3')).getByRole('alert').textContent).toBe('That did not work. Please try again.'));
  });
});

describe('the connection', () => {
  it('shows "Reconnecting…" while the hub is away, and "Live" again with the next snapshot', async () => {
    const hub = new FakeHub();
    renderDashboard({ hub });
    await live();
    const request = helpRequest({ kioskName: 'PC 6' });
    hub.requests = [request];
    hub.eventsAnswer = 'network-error';
    act(() => hub.dropStreams());
    expect(await screen.findByText('Reconnecting…')).toBeTruthy();
    expect(screen.getByText(/may be out of date/)).toBeTruthy();
    expect(document.querySelector('.dash-app')?.getAttribute('data-connection')).toBe('reconnecting');
    hub.eventsAnswer = 'stream';
    await live();
    // What arrived meanwhile comes with the new snapshot, and raises the alert.
    expect(cardOf('PC 6')).toBeTruthy();
    expect(screen.getByTestId('new-request-alert').textContent).toContain('PC 6');
  });

  it('sends the device back to pairing, saying why, when its credential was revoked', async () => {
    const hub = new FakeHub();
    const { storage } = renderDashboard({ hub });
    await live();
    hub.eventsAnswer = { status: 401, body: hubError('unauthenticated') };
    act(() => hub.dropStreams());
    expect(await screen.findByText('This device was removed from the hub. To use it again, pair it with a new code.')).toBeTruthy();
    expect(document.documentElement.dataset.screen).toBe('pairing');
    expect(storage.credential()).toBeNull();
  });
});

describe('the kiosks', () => {
  it('shows each one online or offline, free, in a session or out of order, and when it was last seen', async () => {
    const hub = new FakeHub();
    hub.kiosks = [
      kioskView({ name: 'PC 10', activity: 'in-session', lastSeenAt: HUB_TIME - 3_000 }),
      kioskView({ name: 'PC 2', activity: 'free', online: false, lastSeenAt: HUB_TIME - 180_000 }),
      kioskView({ name: 'PC 1', activity: 'out-of-order', lastSeenAt: HUB_TIME - 8_000 }),
    ];
    const { clock } = renderDashboard({ hub });
    await live();
    await userEvent.setup().click(screen.getByRole('tab', { name: 'Kiosks' }));
    const list = screen.getByTestId('kiosk-list');
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual(['PC 1', 'PC 2', 'PC 10']);
    expect(items[0]!.textContent).toContain('Out of order');
    expect(items[0]!.className).toContain('dash-kiosk--out-of-order');
    expect(items[1]!.textContent).toContain('Offline');
    expect(items[1]!.textContent).toContain('Last seen 3 min. ago');
    expect(items[1]!.className).toContain('dash-kiosk--offline');
    expect(items[2]!.textContent).toContain('In a session');
    expect(items[2]!.textContent).toContain('Last seen now');
    expect(within(list).getByText('Online: 2 of 3')).toBeTruthy();

    // Silent for longer than the hub allows: offline, even before the hub says so.
    clock.now += 40_000;
    act(() => vi.advanceTimersByTime(1_000));
    expect(within(list).getByText('Online: 0 of 3')).toBeTruthy();
  });

  it('follows the kiosk events', async () => {
    const hub = new FakeHub();
    const kiosk = kioskView({ name: 'PC 5', activity: 'free' });
    hub.kiosks = [kiosk];
    renderDashboard({ hub });
    await live();
    await userEvent.setup().click(screen.getByRole('tab', { name: 'Kiosks' }));
    expect(screen.getByTestId('kiosk-list').textContent).toContain('Free');
    act(() => hub.push({ type: 'kiosk', serverTime: HUB_TIME, kiosk: { ...kiosk, activity: 'in-session' } }));
    await waitFor(() => expect(screen.getByTestId('kiosk-list').textContent).toContain('In a session'));
  });
});

describe('the tabs', () => {
  it('move with the arrow keys, and Show on the alert brings the queue back', async () => {
    const hub = new FakeHub();
    renderDashboard({ hub });
    await live();
    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: /Help requests/ }));
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Kiosks' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Kiosks' }));
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Devices' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: /Help requests/ }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowLeft}');

    act(() => hub.push({ type: 'help-request', serverTime: HUB_TIME, request: helpRequest({ kioskName: 'PC 12' }) }));
    await user.click(within(await screen.findByTestId('new-request-alert')).getByRole('button', { name: 'Show' }));
    expect(screen.getByRole('tab', { name: /Help requests/ }).getAttribute('aria-selected')).toBe('true');
    expect(cardOf('PC 12')).toBeTruthy();
    expect(screen.queryByTestId('new-request-alert')).toBeNull();
  });
});
