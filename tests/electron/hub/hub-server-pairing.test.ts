import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEVICE_PAIRING_CODE_MINUTES,
  DEVICE_TOKEN_PATTERN,
  HubErrorSchema,
  HubInfoSchema,
  PairingClaimResponseSchema,
  PairingCodeIssuedSchema,
  STAFF_PAIRING_CODE_MINUTES,
  type HubError,
  type PairingCodeIssued,
} from '../../../shared/hub-api';
import { DeviceListSchema } from '../../../electron/hub/hub-openapi';
import { HubEventReader, hubFetch, randomHexId, startTestHub, type PairedDevice, type TestHub } from './hub-test-kit';

let kit: TestHub;
let staff: PairedDevice;

beforeEach(async () => {
  kit = await startTestHub({ site: 'EPN de Namur' });
  staff = await kit.pair('staff', { name: 'Reception phone' });
});

afterEach(async () => {
  await kit.close();
});

function errorOf(body: unknown): HubError['error'] {
  return HubErrorSchema.parse(body).error;
}

async function listedDeviceIds(): Promise<string[]> {
  const answer = await hubFetch(kit.url, '/devices', { token: staff.token });
  expect(answer.status).toBe(200);
  return DeviceListSchema.parse(answer.body).devices.map((device) => device.deviceId);
}

describe('GET /info', () => {
  it('tells anyone the API version, role, site and the hub clock', async () => {
    const answer = await hubFetch(kit.url, '/info');
    expect(answer.status).toBe(200);
    expect(HubInfoSchema.parse(answer.body)).toEqual({ apiVersion: 1, role: 'epn', site: 'EPN de Namur', serverTime: kit.clock.now() });
  });
});

describe('claiming a pairing code', () => {
  it('turns a staff code, typed in lower case with a space, into a working staff credential', async () => {
    const issued = kit.hub.issuePairingCode('staff');
    const typed = issued.code.toLowerCase().replace('-', ' ');
    const answer = await hubFetch(kit.url, '/pairing', { json: { code: typed, name: 'Helper phone' } });
    expect(answer.status).toBe(201);
    const claim = PairingClaimResponseSchema.parse(answer.body);
    expect(claim.role).toBe('staff');
    expect(claim.token).toMatch(DEVICE_TOKEN_PATTERN);
    expect(claim.token.startsWith(`${claim.deviceId}.`)).toBe(true);
    expect(claim.hub).toEqual({ apiVersion: 1, role: 'epn', site: 'EPN de Namur', serverTime: kit.clock.now() });
    const devices = await hubFetch(kit.url, '/devices', { token: claim.token });
    expect(devices.status).toBe(200);
    expect(DeviceListSchema.parse(devices.body).devices.map((device) => device.name)).toEqual(expect.arrayContaining(['Reception phone', 'Helper phone']));
  });

  it('lets a staff code be claimed once only, then says to ask for a new code', async () => {
    const issued = kit.hub.issuePairingCode('staff');
    expect((await hubFetch(kit.url, '/pairing', { json: { code: issued.code, name: 'Phone A' } })).status).toBe(201);
    const again = await hubFetch(kit.url, '/pairing', { json: { code: issued.code, name: 'Phone B' } });
    expect(again.status).toBe(404);
    expect(errorOf(again.body).code).toBe('pairing-code-used-up');
    expect(errorOf(again.body).message).toMatch(/ask for a new code on the staff dashboard/);
  });

  it('refuses an unknown code and an expired one with 404 and the same advice', async () => {
    const unknown = await hubFetch(kit.url, '/pairing', { json: { code: 'AAAA-AAAA', name: 'Phone' } });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body)).toEqual({ code: 'pairing-code-unknown', message: expect.stringMatching(/ask for a new code on the staff dashboard/) });

    const issued = kit.hub.issuePairingCode('kiosk');
    kit.clock.advance(DEVICE_PAIRING_CODE_MINUTES * 60_000);
    const expired = await hubFetch(kit.url, '/pairing', { json: { code: issued.code, name: 'PC 1', kioskId: randomHexId() } });
    expect(expired.status).toBe(404);
    expect(errorOf(expired.body)).toEqual({ code: 'pairing-code-expired', message: expect.stringMatching(/ask for a new code on the staff dashboard/) });
  });

  it('needs kioskId with a kiosk code, and leaves no device behind when it is missing', async () => {
    const before = await listedDeviceIds();
    const issued = kit.hub.issuePairingCode('kiosk');
    const answer = await hubFetch(kit.url, '/pairing', { json: { code: issued.code, name: 'PC 1' } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toMatch(/^kioskId: is missing/);
    expect(await listedDeviceIds()).toEqual(before);
  });

  it('refuses kioskId with a staff or hub code, without spending the code', async () => {
    for (const role of ['staff', 'hub'] as const) {
      const issued = kit.hub.issuePairingCode(role);
      const answer = await hubFetch(kit.url, '/pairing', { json: { code: issued.code, name: 'Device', kioskId: randomHexId() } });
      expect(answer.status).toBe(400);
      expect(errorOf(answer.body).message).toMatch(/^kioskId: only kiosks send one, and this is not a kiosk pairing code/);
      // A one-use staff code is still there for the right claim.
      expect((await hubFetch(kit.url, '/pairing', { json: { code: issued.code, name: 'Device' } })).status).toBe(201);
    }
  });

  it('names the wrong field of a claim', async () => {
    const missingName = await hubFetch(kit.url, '/pairing', { json: { code: 'K7QM-RXHP' } });
    expect(missingName.status).toBe(400);
    expect(errorOf(missingName.body)).toEqual({ code: 'invalid-request', message: expect.stringMatching(/^name: is missing/) });

    const badCode = await hubFetch(kit.url, '/pairing', { json: { code: '1234', name: 'PC 1' } });
    expect(badCode.status).toBe(400);
    expect(errorOf(badCode.body).message).toMatch(/^code: must be the 8-character pairing code/);
  });

  it('limits claims per address, with Retry-After, even for a right code', async () => {
    const limited = await startTestHub({ limits: { pairingAttemptsPerMinutePerAddress: 2 } });
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        expect((await hubFetch(limited.url, '/pairing', { json: { code: 'AAAA-AAAA', name: 'Guess' } })).status).toBe(404);
      }
      const issued = limited.hub.issuePairingCode('staff');
      const answer = await hubFetch(limited.url, '/pairing', { json: { code: issued.code, name: 'Phone' } });
      expect(answer.status).toBe(429);
      expect(errorOf(answer.body).code).toBe('rate-limited');
      expect(errorOf(answer.body).message).toMatch(/too many pairing attempts/);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('POST /pairing-codes', () => {
  it('makes kiosk codes for a room of PCs, valid for an hour, without a QR address', async () => {
    const answer = await hubFetch<PairingCodeIssued>(kit.url, '/pairing-codes', { token: staff.token, json: { role: 'kiosk' } });
    expect(answer.status).toBe(201);
    expect(PairingCodeIssuedSchema.parse(answer.body)).toEqual({
      code: expect.any(String),
      role: 'kiosk',
      expiresAt: kit.clock.now() + DEVICE_PAIRING_CODE_MINUTES * 60_000,
      usesLeft: 100,
      pairUrl: null,
    });
  });

  it('makes staff codes for one phone, valid ten minutes, with the dashboard address for a QR code', async () => {
    const answer = await hubFetch<PairingCodeIssued>(kit.url, '/pairing-codes', { token: staff.token, json: { role: 'staff' } });
    expect(answer.status).toBe(201);
    const issued = PairingCodeIssuedSchema.parse(answer.body);
    expect(issued).toMatchObject({ role: 'staff', usesLeft: 1, expiresAt: kit.clock.now() + STAFF_PAIRING_CODE_MINUTES * 60_000 });
    expect(issued.pairUrl).toBe(`${kit.url}/dashboard/#pair=${issued.code}`);
  });

  it('makes hub codes on any hub', async () => {
    const answer = await hubFetch<PairingCodeIssued>(kit.url, '/pairing-codes', { token: staff.token, json: { role: 'hub' } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ role: 'hub', usesLeft: 100, pairUrl: null });
  });

  it('names a wrong role', async () => {
    const answer = await hubFetch(kit.url, '/pairing-codes', { token: staff.token, json: { role: 'admin' } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toBe('role: must be "kiosk", "staff" or "hub"');
  });
});

describe('revoking a device', () => {
  it('takes a lost kiosk\'s credential away for good', async () => {
    const kiosk = await kit.pair('kiosk');
    const answer = await hubFetch(kit.url, `/devices/${kiosk.deviceId}`, { method: 'DELETE', token: staff.token });
    expect(answer.status).toBe(204);
    expect(await listedDeviceIds()).not.toContain(kiosk.deviceId);
    const refused = await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, json: { name: 'PC 1', site: '', activity: 'free', appVersion: '0.1.0' } });
    expect(refused.status).toBe(401);
  });

  it('ends the event streams of a revoked staff device', async () => {
    const phone = await kit.pair('staff', { name: 'Lost phone' });
    const stream = await HubEventReader.open(kit.url, phone.token);
    expect((await stream.next()).type).toBe('snapshot');
    expect((await hubFetch(kit.url, `/devices/${phone.deviceId}`, { method: 'DELETE', token: staff.token })).status).toBe(204);
    await stream.end();
    expect(stream.ended).toBe(true);
  });

  it('refuses to let a staff device revoke itself', async () => {
    const answer = await hubFetch(kit.url, `/devices/${staff.deviceId}`, { method: 'DELETE', token: staff.token });
    expect(answer.status).toBe(409);
    expect(errorOf(answer.body)).toEqual({ code: 'conflict', message: expect.stringMatching(/cannot revoke itself/) });
    expect(await listedDeviceIds()).toContain(staff.deviceId);
  });

  it('answers 404 for a device it does not know and 400 naming a malformed id', async () => {
    const unknown = await hubFetch(kit.url, `/devices/${randomHexId()}`, { method: 'DELETE', token: staff.token });
    expect(unknown.status).toBe(404);
    const malformed = await hubFetch(kit.url, '/devices/not-an-id', { method: 'DELETE', token: staff.token });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.body).message).toMatch(/^deviceId: must be an id given by the hub/);
  });
});
