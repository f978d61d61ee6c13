/**
 * Pairing a helper's phone: the code typed in any case, with or without its dash; the
 * code from a scanned QR code (#pair=…), taken out of the address; and what the helper
 * is told when the code or the hub will not do.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { takePairingCodeFromAddress } from '../../../renderer/dashboard/pair-fragment';
import { FakeHub, STAFF_CREDENTIAL, hubError } from './fake-hub';
import { dashboardText, renderDashboard } from './dashboard-harness';

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

async function fillIn(code: string, name: string) {
  const user = userEvent.setup();
  const codeField = screen.getByRole('textbox', { name: 'Pairing code' });
  const nameField = screen.getByRole('textbox', { name: 'Name of this device' });
  await user.clear(codeField);
  if (code !== '') await user.type(codeField, code);
  await user.clear(nameField);
  if (name !== '') await user.type(nameField, name);
  await user.click(screen.getByRole('button', { name: 'Join' }));
  return { codeField, nameField };
}

describe('pairing a device', () => {
  it('is what a device without a credential shows', () => {
    renderDashboard({ credential: null });
    expect(screen.getByRole('heading', { level: 1, name: 'Connect this device to the EPN hub' })).toBeTruthy();
    expect(document.documentElement.dataset.screen).toBe('pairing');
  });

  it('accepts the code in any case, with spaces or without the dash, and keeps the credential it gets', async () => {
    const { hub, storage } = renderDashboard({ credential: null });
    await fillIn('k7qm rxhp', 'Reception phone');
    await waitFor(() => expect(document.documentElement.dataset.screen).toBe('dashboard'));
    const pairing = hub.calls.find((call) => call.path === '/pairing');
    expect(pairing).toMatchObject({ method: 'POST', authorization: null, body: { code: 'K7QM-RXHP', name: 'Reception phone' } });
    expect(storage.credential()).toEqual(STAFF_CREDENTIAL);
    await screen.findByText('Live');
    expect(hub.calls.at(-1)).toMatchObject({ path: '/events', authorization: `Bearer ${STAFF_CREDENTIAL.token}` });
  });

  it('explains a text that cannot be a code, or a missing name, without asking the hub', async () => {
    const { hub, i18n } = renderDashboard({ credential: null });
    const { codeField } = await fillIn('K7QM-RXH', 'Reception phone');
    expect(screen.getByRole('alert').textContent).toBe(dashboardText(i18n, 'pairing.problem.codeFormat'));
    expect(codeField.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(codeField);

    const { nameField } = await fillIn('K7QMRXHP', '   ');
    expect(screen.getByRole('alert').textContent).toBe(dashboardText(i18n, 'pairing.problem.nameMissing'));
    expect(nameField.getAttribute('aria-invalid')).toBe('true');
    expect(hub.calls).toEqual([]);
  });

  it.each([
    ['pairing-code-expired', 404, 'pairing.problem.codeExpired'],
    ['pairing-code-unknown', 404, 'pairing.problem.codeUnknown'],
    ['pairing-code-used-up', 404, 'pairing.problem.codeUsedUp'],
    ['rate-limited', 429, 'pairing.problem.tooMany'],
    ['internal', 500, 'pairing.problem.failed'],
  ])('says so when the hub answers %s', async (code, status, textKey) => {
    const hub = new FakeHub();
    hub.pairingAnswer = { status, body: hubError(code) };
    const { i18n, storage } = renderDashboard({ hub, credential: null });
    await fillIn('K7QM-RXHP', 'Reception phone');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(dashboardText(i18n, textKey)));
    expect(storage.credential()).toBeNull();
    expect(screen.getByRole('button', { name: 'Join' })).toHaveProperty('disabled', false);
  });

  it('says a kiosk\'s code is not for a phone', async () => {
    const hub = new FakeHub();
    hub.pairingAnswer = { status: 400, body: hubError('invalid-request', 'kioskId: is missing; a kiosk pairs with its statistics identifier (32 hexadecimal digits)') };
    const { i18n } = renderDashboard({ hub, credential: null });
    await fillIn('K7QM-RXHP', 'Reception phone');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(dashboardText(i18n, 'pairing.problem.wrongKind')));
  });

  it('says so when the hub cannot be reached', async () => {
    const hub = new FakeHub();
    hub.pairingAnswer = 'network-error';
    const { i18n } = renderDashboard({ hub, credential: null });
    await fillIn('K7QM-RXHP', 'Reception phone');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(dashboardText(i18n, 'pairing.problem.unreachable')));
  });
});

describe('the code of a scanned QR code', () => {
  it('is read from #pair= and taken out of the address, which keeps its path and query', () => {
    window.history.replaceState(null, '', '/dashboard/?from=qr#pair=k7qm-rxhp');
    const before = window.history.length;
    expect(takePairingCodeFromAddress(window.location, window.history)).toBe('K7QM-RXHP');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/dashboard/?from=qr');
    expect(window.history.length).toBe(before);
  });

  it('is removed from the address even when it is not a code; other fragments are left alone', () => {
    window.history.replaceState(null, '', '/dashboard/#pair=%E0%A4%A');
    expect(takePairingCodeFromAddress(window.location, window.history)).toBeNull();
    expect(window.location.hash).toBe('');
    window.history.replaceState(null, '', '/dashboard/#pair=HELLO');
    expect(takePairingCodeFromAddress(window.location, window.history)).toBeNull();
    expect(window.location.hash).toBe('');
    window.history.replaceState(null, '', '/dashboard/#queue');
    expect(takePairingCodeFromAddress(window.location, window.history)).toBeNull();
    expect(window.location.hash).toBe('#queue');
  });

  it('is filled in, and the helper only has to name the device', async () => {
    const { hub } = renderDashboard({ credential: null, codeFromAddress: 'K7QM-RXHP' });
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Pairing code' }).value).toBe('K7QM-RXHP');
    expect(screen.getByRole('status').textContent).toContain('The code from the QR code is filled in');
    const nameField = screen.getByRole('textbox', { name: 'Name of this device' });
    expect(document.activeElement).toBe(nameField);
    const user = userEvent.setup();
    await user.type(nameField, 'Phone 2{Enter}');
    await waitFor(() => expect(document.documentElement.dataset.screen).toBe('dashboard'));
    expect(hub.calls[0]).toMatchObject({ path: '/pairing', body: { code: 'K7QM-RXHP', name: 'Phone 2' } });
  });
});
