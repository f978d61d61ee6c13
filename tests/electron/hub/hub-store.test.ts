/**
 * The hub's storage against a real hub.sqlite in a fresh folder, with a clock the test
 * moves. What the store wrote is checked through a connection of the test's own.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUB_DATABASE_FILE_NAME, LAST_SEEN_WRITE_INTERVAL_MS, openHubStore, type HelpTransition, type HubStore, type KioskDays } from '../../../electron/hub/hub-store';
import { OFFLINE_AFTER_SECONDS, type CreateHelpRequest, type DeviceRole, type HelpRequestState, type StatisticsUpload } from '../../../shared/hub-api';
import { addDays } from '../../../shared/statistics/calendar';
import { rollUpDay, type DailyFigures } from '../../../shared/statistics/daily-figures';
import { sumOfSameDay } from '../../../shared/statistics/same-day-sum';
import { dayFigures, KIOSK_A, KIOSK_B, KIOSK_C } from '../../shared/statistics/fixtures';
import { randomDayEvents, seeded } from '../../shared/statistics/generate';

const START = Date.UTC(2025, 0, 6, 9);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let folder: string;
let now: number;
let store: HubStore;
const openStore = (dataDir = folder) => openHubStore({ dataDir, now: () => now });

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-hub-store-'));
  now = START;
  store = openStore();
});

afterEach(() => {
  store.close();
  rmSync(folder, { recursive: true, force: true });
});

function reopen(): void {
  store.close();
  store = openStore();
}

/** Runs `read` on a read-only connection of the test's own. */
function readDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(folder, HUB_DATABASE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function deviceRow(deviceId: string): { name: string; site: string; activity: string; last_seen_at: number | null; revoked_at: number | null } {
  return readDatabase((db) => db.prepare('SELECT name, site, activity, last_seen_at, revoked_at FROM devices WHERE device_id = ?').get(deviceId) as ReturnType<typeof deviceRow>);
}

/**
 * Whether anything was committed to the file since the last call: PRAGMA data_version of a
 * connection of the test's own changes exactly when another connection commits.
 */
function commitWatcher(): { committedSinceLastLook(): boolean; close(): void } {
  const db = new Database(join(folder, HUB_DATABASE_FILE_NAME), { readonly: true, fileMustExist: true });
  const version = () => db.pragma('data_version', { simple: true }) as number;
  let last = version();
  return {
    committedSinceLastLook() {
      const current = version();
      const changed = current !== last;
      last = current;
      return changed;
    },
    close: () => db.close(),
  };
}

/** Every byte the hub keeps in its folder (the database, its write-ahead log, its shared memory). */
function folderBytes(): Buffer {
  return Buffer.concat(readdirSync(folder).map((name) => readFileSync(join(folder, name))));
}

function pair(role: DeviceRole, name: string, options: { site?: string; kioskId?: string | null } = {}) {
  const issued = store.createPairingCode(role, { expiresAt: now + HOUR, maxUses: 1 });
  const claim = store.claimPairingCode(issued.code, { name, site: options.site ?? 'EPN de Namur', kioskId: options.kioskId ?? null });
  if (!claim.ok) throw new Error(`pairing refused: ${claim.reason}`);
  return claim;
}

const pairKiosk = (name = 'PC 3', kioskId: string = KIOSK_A) => pair('kiosk', name, { kioskId });

let clientIds = 0;
function helpBody(overrides: Partial<CreateHelpRequest> = {}): CreateHelpRequest {
  clientIds += 1;
  return { clientRequestId: clientIds.toString(16).padStart(32, '0'), serviceId: 'tax-on-web', language: 'fr', delayMs: 0, ...overrides };
}

function upload(kioskId: string, days: DailyFigures[], kiosk = { name: 'PC 3', site: 'EPN de Namur' }): StatisticsUpload {
  return { kioskId, kiosk, days };
}

/* ---------- Pairing ---------- */

describe('pairing codes', () => {
  it('are issued with the role, expiry and uses the caller chose', () => {
    const issued = store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 100 });
    expect(issued).toEqual({ code: expect.stringMatching(/^[345679ACDEFGHJKMNPQRTUVWXY]{4}-[345679ACDEFGHJKMNPQRTUVWXY]{4}$/) as unknown, role: 'kiosk', expiresAt: now + HOUR, usesLeft: 100 });
  });

  it('refuse a code never issued, and text that cannot be a code', () => {
    store.createPairingCode('staff', { expiresAt: now + HOUR, maxUses: 1 });
    const device = { name: 'Phone', site: '', kioskId: null };
    expect(store.claimPairingCode('K7QM-RXHP', device)).toEqual({ ok: false, reason: 'unknown' });
    expect(store.claimPairingCode('', device)).toEqual({ ok: false, reason: 'unknown' });
    expect(store.claimPairingCode('not a code at all', device)).toEqual({ ok: false, reason: 'unknown' });
    expect(store.listDevices()).toEqual([]);
  });

  it('expire at their expiry time, not a millisecond before', () => {
    const issued = store.createPairingCode('staff', { expiresAt: now + 10 * MINUTE, maxUses: 2 });
    now += 10 * MINUTE - 1;
    expect(store.claimPairingCode(issued.code, { name: 'Phone 1', site: '', kioskId: null }).ok).toBe(true);
    now += 1;
    expect(store.claimPairingCode(issued.code, { name: 'Phone 2', site: '', kioskId: null })).toEqual({ ok: false, reason: 'expired' });
    expect(store.listDevices().map((device) => device.name)).toEqual(['Phone 1']);
  });

  it('give a staff code with one use to one device: the second claim is refused as used up', () => {
    const issued = store.createPairingCode('staff', { expiresAt: now + 10 * MINUTE, maxUses: 1 });
    // A claim with a kiosk's id is refused before it spends the code's only use.
    expect(store.claimPairingCode(issued.code, { name: 'Reception phone', site: '', kioskId: KIOSK_A })).toEqual({ ok: false, reason: 'kiosk-id-refused' });
    const first = store.claimPairingCode(issued.code, { name: 'Reception phone', site: '', kioskId: null });
    expect(first.ok && first.device).toEqual({ deviceId: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown, role: 'staff', name: 'Reception phone', site: '', kioskId: null, pairedAt: now, lastSeenAt: null });
    expect(store.claimPairingCode(issued.code, { name: 'Another phone', site: '', kioskId: null })).toEqual({ ok: false, reason: 'used-up' });
    expect(store.listDevices()).toHaveLength(1);
  });

  it('refuse a kiosk code claimed without the kiosk\'s id, without spending it', () => {
    const issued = store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 1 });
    expect(store.claimPairingCode(issued.code, { name: 'PC 1', site: '', kioskId: null })).toEqual({ ok: false, reason: 'kiosk-id-required' });
    expect(store.claimPairingCode(issued.code, { name: 'PC 1', site: '', kioskId: KIOSK_A }).ok).toBe(true);
  });

  it('pair a room of kiosks with one code of 100 uses, each kiosk with its own credential', () => {
    const issued = store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 100 });
    const kioskIds = [KIOSK_A, KIOSK_B, KIOSK_C];
    const claims = kioskIds.map((kioskId, index) => store.claimPairingCode(issued.code, { name: `PC ${index + 1}`, site: 'EPN de Namur', kioskId }));
    const paired = claims.map((claim) => {
      if (!claim.ok) throw new Error(claim.reason);
      return claim;
    });
    expect(new Set(paired.map((claim) => claim.token)).size).toBe(3);
    expect(new Set(paired.map((claim) => claim.device.deviceId)).size).toBe(3);
    for (const [index, claim] of paired.entries()) {
      expect(claim.device).toMatchObject({ role: 'kiosk', name: `PC ${index + 1}`, kioskId: kioskIds[index] });
      expect(store.authenticate(claim.token)?.deviceId).toBe(claim.device.deviceId);
    }
    expect(readDatabase((db) => db.prepare('SELECT uses_left FROM pairing_codes').pluck().all())).toEqual([97]);
  });

  it('accept the code as people type it: lower case, without the dash, with spaces', () => {
    const issued = store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 3 });
    const compact = issued.code.replace('-', '');
    for (const typed of [issued.code.toLowerCase(), compact, ` ${compact.slice(0, 4)} ${compact.slice(4)} `]) {
      expect(store.claimPairingCode(typed, { name: 'PC 1', site: '', kioskId: KIOSK_A }).ok, typed).toBe(true);
    }
  });

  it('are purged once expired, when a new code is created', () => {
    const old = store.createPairingCode('kiosk', { expiresAt: now + MINUTE, maxUses: 5 });
    const live = store.createPairingCode('staff', { expiresAt: now + HOUR, maxUses: 1 });
    now += 2 * MINUTE;
    expect(store.claimPairingCode(old.code, { name: 'PC 1', site: '', kioskId: null })).toEqual({ ok: false, reason: 'expired' });
    store.createPairingCode('hub', { expiresAt: now + HOUR, maxUses: 1 });
    expect(readDatabase((db) => db.prepare('SELECT count(*) FROM pairing_codes').pluck().get())).toBe(2);
    expect(store.claimPairingCode(old.code, { name: 'PC 1', site: '', kioskId: null })).toEqual({ ok: false, reason: 'unknown' });
    expect(store.claimPairingCode(live.code, { name: 'Phone', site: '', kioskId: null }).ok).toBe(true);
  });

  it('refuse an expiry in the past and a number of uses below one', () => {
    expect(() => store.createPairingCode('kiosk', { expiresAt: now, maxUses: 1 })).toThrow(RangeError);
    expect(() => store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 0 })).toThrow(RangeError);
    expect(() => store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 1.5 })).toThrow(RangeError);
    expect(() => store.createPairingCode('kiosk', { expiresAt: Number.NaN, maxUses: 1 })).toThrow(RangeError);
  });

  it('never keep the code or a device secret in clear in the hub folder', () => {
    const codes = Array.from({ length: 5 }, () => store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 2 }).code);
    const claim = store.claimPairingCode(codes[0]!, { name: 'Visible-kiosk-name', site: '', kioskId: KIOSK_A });
    if (!claim.ok) throw new Error(claim.reason);
    const secret = claim.token.split('.')[1]!;
    const look = (bytes: Buffer) => {
      const text = bytes.toString('latin1');
      // The search works: what is kept in clear is found.
      expect(text).toContain('Visible-kiosk-name');
      for (const code of codes) {
        expect(text).not.toContain(code);
        expect(text).not.toContain(code.replace('-', ''));
      }
      expect(text).not.toContain(secret);
      expect(bytes.includes(Buffer.from(secret, 'base64url'))).toBe(false);
    };
    look(folderBytes());
    store.close();
    look(folderBytes());
  });
});

/* ---------- Credentials ---------- */

describe('authenticate', () => {
  it('gives the device of a right token', () => {
    const claim = pair('staff', 'Phone');
    expect(store.authenticate(claim.token)).toEqual(claim.device);
  });

  it('refuses a wrong secret of the same length, and a token of the wrong length', () => {
    const { token } = pair('staff', 'Phone');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(store.authenticate(`${token.slice(0, -1)}${last}`)).toBeNull();
    expect(store.authenticate(token.slice(0, -1))).toBeNull();
    expect(store.authenticate(`${token}A`)).toBeNull();
  });

  it('refuses an unknown device id carrying a real secret', () => {
    const { token } = pair('staff', 'Phone');
    expect(store.authenticate(`${'0'.repeat(32)}${token.slice(32)}`)).toBeNull();
  });

  it('refuses a token given by another hub', () => {
    const otherFolder = mkdtempSync(join(tmpdir(), 'epn-hub-store-other-'));
    const other = openStore(otherFolder);
    try {
      const issued = other.createPairingCode('staff', { expiresAt: now + HOUR, maxUses: 1 });
      const claim = other.claimPairingCode(issued.code, { name: 'Phone', site: '', kioskId: null });
      if (!claim.ok) throw new Error(claim.reason);
      expect(other.authenticate(claim.token)).not.toBeNull();
      expect(store.authenticate(claim.token)).toBeNull();
    } finally {
      other.close();
      rmSync(otherFolder, { recursive: true, force: true });
    }
  });

  it.each([
    ['empty', ''],
    ['a Bearer header', `Bearer ${'a'.repeat(32)}.${'b'.repeat(43)}`],
    ['SQL', "' OR 1=1 --"],
    ['a huge string', 'x'.repeat(100_000)],
    ['accents', 'é'.repeat(76)],
    ['a NUL', `${'a'.repeat(32)}.\u0000${'b'.repeat(42)}`],
  ])('refuses garbage (%s) without throwing', (_what, garbage) => {
    pair('staff', 'Phone');
    expect(store.authenticate(garbage)).toBeNull();
  });

  it('refuses a revoked device for good, and lists it no more', () => {
    const phone = pair('staff', 'Lost phone');
    const kiosk = pairKiosk('PC 1');
    expect(store.revokeDevice(phone.device.deviceId)).toBe(true);
    expect(store.authenticate(phone.token)).toBeNull();
    expect(store.revokeDevice(phone.device.deviceId)).toBe(false);
    expect(store.revokeDevice('0'.repeat(32))).toBe(false);
    expect(store.listDevices().map((device) => device.deviceId)).toEqual([kiosk.device.deviceId]);
    expect(store.revokeDevice(kiosk.device.deviceId)).toBe(true);
    expect(store.listKiosks()).toEqual([]);
    expect(store.kiosk(kiosk.device.deviceId)).toBeNull();
    expect(deviceRow(kiosk.device.deviceId).revoked_at).toBe(now);
    reopen();
    expect(store.authenticate(phone.token)).toBeNull();
  });
});

/* ---------- Kiosks and last seen ---------- */

describe('last seen', () => {
  it('is written at once the first time, then at most once a minute; views always show the newest', () => {
    const { device } = pairKiosk();
    const watcher = commitWatcher();
    try {
      store.touchDevice(device.deviceId);
      expect(watcher.committedSinceLastLook()).toBe(true);
      expect(deviceRow(device.deviceId).last_seen_at).toBe(START);
      for (let beat = 1; beat <= 5; beat += 1) {
        now = START + beat * 10_000;
        store.touchDevice(device.deviceId);
      }
      expect(watcher.committedSinceLastLook()).toBe(false);
      expect(deviceRow(device.deviceId).last_seen_at).toBe(START);
      expect(store.listDevices()[0]?.lastSeenAt).toBe(START + 50_000);
      expect(store.kiosk(device.deviceId)?.lastSeenAt).toBe(START + 50_000);
      now = START + LAST_SEEN_WRITE_INTERVAL_MS;
      store.touchDevice(device.deviceId);
      expect(watcher.committedSinceLastLook()).toBe(true);
      expect(deviceRow(device.deviceId).last_seen_at).toBe(START + LAST_SEEN_WRITE_INTERVAL_MS);
    } finally {
      watcher.close();
    }
  });

  it('is written on close, so a clean restart loses nothing', () => {
    const { device } = pairKiosk();
    store.touchDevice(device.deviceId);
    now += 20_000;
    store.touchDevice(device.deviceId);
    expect(deviceRow(device.deviceId).last_seen_at).toBe(START);
    reopen();
    expect(deviceRow(device.deviceId).last_seen_at).toBe(START + 20_000);
    expect(store.kiosk(device.deviceId)?.lastSeenAt).toBe(START + 20_000);
  });

  it('ignores a device the hub does not know, and one it revoked', () => {
    const { device } = pairKiosk();
    store.revokeDevice(device.deviceId);
    store.touchDevice('f'.repeat(32));
    store.touchDevice(device.deviceId);
    expect(store.listDevices()).toEqual([]);
    expect(readDatabase((db) => db.prepare('SELECT count(*) FROM devices WHERE last_seen_at IS NOT NULL').pluck().get())).toBe(0);
  });
});

describe('kiosks and heartbeats', () => {
  const heartbeat = { name: 'PC 3', site: 'EPN de Namur', activity: 'free', appVersion: '0.1.0' } as const;

  it('show a kiosk never heard from as free and offline', () => {
    const { device } = pairKiosk();
    expect(store.kiosk(device.deviceId)).toEqual({ deviceId: device.deviceId, name: 'PC 3', site: 'EPN de Namur', activity: 'free', online: false, lastSeenAt: null });
  });

  it(`show a kiosk online until ${OFFLINE_AFTER_SECONDS} s after its last heartbeat, then offline`, () => {
    const { device } = pairKiosk();
    expect(store.recordHeartbeat(device.deviceId, { ...heartbeat, activity: 'in-session' })).toEqual({
      deviceId: device.deviceId,
      name: 'PC 3',
      site: 'EPN de Namur',
      activity: 'in-session',
      online: true,
      lastSeenAt: START,
    });
    now = START + OFFLINE_AFTER_SECONDS * 1000;
    expect(store.kiosk(device.deviceId)?.online).toBe(true);
    now += 1;
    expect(store.kiosk(device.deviceId)).toMatchObject({ online: false, lastSeenAt: START, activity: 'in-session' });
    expect(store.listKiosks()[0]?.online).toBe(false);
    store.recordHeartbeat(device.deviceId, heartbeat);
    expect(store.kiosk(device.deviceId)).toMatchObject({ online: true, lastSeenAt: now, activity: 'free' });
  });

  it('write a heartbeat only when name, site or activity changed (or last seen is due)', () => {
    const { device } = pairKiosk();
    const watcher = commitWatcher();
    try {
      store.recordHeartbeat(device.deviceId, heartbeat);
      expect(watcher.committedSinceLastLook()).toBe(true);
      now += 10_000;
      store.recordHeartbeat(device.deviceId, heartbeat);
      now += 10_000;
      store.recordHeartbeat(device.deviceId, { ...heartbeat, appVersion: '0.2.0' });
      expect(watcher.committedSinceLastLook()).toBe(false);
      now += 10_000;
      const renamed = store.recordHeartbeat(device.deviceId, { ...heartbeat, name: 'PC 4', site: 'Bibliothèque', activity: 'out-of-order' });
      expect(watcher.committedSinceLastLook()).toBe(true);
      expect(renamed).toMatchObject({ name: 'PC 4', site: 'Bibliothèque', activity: 'out-of-order', lastSeenAt: now });
      expect(deviceRow(device.deviceId)).toMatchObject({ name: 'PC 4', site: 'Bibliothèque', activity: 'out-of-order', last_seen_at: now });
    } finally {
      watcher.close();
    }
  });

  it('keep name, site and activity across a restart', () => {
    const { device } = pairKiosk();
    store.recordHeartbeat(device.deviceId, { ...heartbeat, name: 'PC 9', activity: 'out-of-order' });
    reopen();
    expect(store.kiosk(device.deviceId)).toMatchObject({ name: 'PC 9', activity: 'out-of-order', lastSeenAt: START });
  });

  it('refuse a heartbeat from a device that is not a paired kiosk', () => {
    const phone = pair('staff', 'Phone');
    expect(() => store.recordHeartbeat(phone.device.deviceId, heartbeat)).toThrow(/no kiosk/);
    expect(() => store.recordHeartbeat('0'.repeat(32), heartbeat)).toThrow(/no kiosk/);
    expect(store.kiosk(phone.device.deviceId)).toBeNull();
  });

  it('list kiosks only, by name in natural order', () => {
    for (const name of ['PC 10', 'PC 2', 'pc 1', 'Accueil', 'PC 1b']) pairKiosk(name);
    pair('staff', 'A phone');
    pair('hub', 'Another hub');
    expect(store.listKiosks().map((kiosk) => kiosk.name)).toEqual(['Accueil', 'pc 1', 'PC 1b', 'PC 2', 'PC 10']);
    expect(store.listDevices().map((device) => device.name)).toEqual(['A phone', 'Accueil', 'Another hub', 'pc 1', 'PC 1b', 'PC 2', 'PC 10']);
  });
});

/* ---------- Help requests ---------- */

describe('help requests', () => {
  it('are created waiting, with the kiosk name and site of the moment, dated when Help was pressed', () => {
    const { device } = pairKiosk('PC 3');
    const body = helpBody({ delayMs: 4_000, serviceId: null, language: 'nl' });
    const { request, created } = store.createHelpRequest(device.deviceId, body);
    expect(created).toBe(true);
    expect(request).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      kioskDeviceId: device.deviceId,
      kioskName: 'PC 3',
      site: 'EPN de Namur',
      serviceId: null,
      language: 'nl',
      state: 'waiting',
      createdAt: START - 4_000,
      acknowledgedAt: null,
      closedAt: null,
      revision: 1,
    });
    store.recordHeartbeat(device.deviceId, { name: 'PC 7', site: 'Bibliothèque', activity: 'in-session', appVersion: '' });
    expect(store.helpRequest(request.id)?.kioskName).toBe('PC 3');
    expect(store.createHelpRequest(device.deviceId, helpBody()).request).toMatchObject({ kioskName: 'PC 7', site: 'Bibliothèque' });
  });

  it('are committed before the call returns', () => {
    const { device } = pairKiosk();
    const { request } = store.createHelpRequest(device.deviceId, helpBody());
    expect(readDatabase((db) => db.prepare('SELECT state FROM help_requests WHERE id = ?').pluck().get(request.id))).toBe('waiting');
    store.transitionHelpRequest(request.id, 'acknowledge');
    expect(readDatabase((db) => db.prepare('SELECT state FROM help_requests WHERE id = ?').pluck().get(request.id))).toBe('acknowledged');
  });

  it('are created once per kiosk and client request id: a retried POST gets the stored request', () => {
    const { device } = pairKiosk('PC 1');
    const other = pairKiosk('PC 2', KIOSK_B);
    const body = helpBody();
    const first = store.createHelpRequest(device.deviceId, body);
    now += 5_000;
    const retried = store.createHelpRequest(device.deviceId, { ...body, delayMs: 5_000, serviceId: 'other-service' });
    expect(retried).toEqual({ request: first.request, created: false });
    store.transitionHelpRequest(first.request.id, 'acknowledge');
    expect(store.createHelpRequest(device.deviceId, body)).toMatchObject({ created: false, request: { id: first.request.id, state: 'acknowledged', revision: 2 } });
    const fromAnotherKiosk = store.createHelpRequest(other.device.deviceId, body);
    expect(fromAnotherKiosk.created).toBe(true);
    expect(fromAnotherKiosk.request.id).not.toBe(first.request.id);
    expect(readDatabase((db) => db.prepare('SELECT count(*) FROM help_requests').pluck().get())).toBe(2);
  });

  it('are refused for a device that is not a paired kiosk', () => {
    const phone = pair('staff', 'Phone');
    expect(() => store.createHelpRequest(phone.device.deviceId, helpBody())).toThrow(/no kiosk/);
    expect(() => store.createHelpRequest('0'.repeat(32), helpBody())).toThrow(/no kiosk/);
    expect(store.openHelpRequests()).toEqual([]);
  });

  type Expected = { ok: true; changed: boolean; state: HelpRequestState } | { ok: false; reason: 'final'; state: HelpRequestState };
  const paths: Record<HelpRequestState, HelpTransition[]> = { waiting: [], acknowledged: ['acknowledge'], resolved: ['resolve'], cancelled: ['cancel'] };
  const table: [HelpRequestState, HelpTransition, Expected][] = [
    ['waiting', 'acknowledge', { ok: true, changed: true, state: 'acknowledged' }],
    ['waiting', 'resolve', { ok: true, changed: true, state: 'resolved' }],
    ['waiting', 'cancel', { ok: true, changed: true, state: 'cancelled' }],
    ['acknowledged', 'acknowledge', { ok: true, changed: false, state: 'acknowledged' }],
    ['acknowledged', 'resolve', { ok: true, changed: true, state: 'resolved' }],
    ['acknowledged', 'cancel', { ok: true, changed: true, state: 'cancelled' }],
    ['resolved', 'acknowledge', { ok: false, reason: 'final', state: 'resolved' }],
    ['resolved', 'resolve', { ok: true, changed: false, state: 'resolved' }],
    ['resolved', 'cancel', { ok: false, reason: 'final', state: 'resolved' }],
    ['cancelled', 'acknowledge', { ok: false, reason: 'final', state: 'cancelled' }],
    ['cancelled', 'resolve', { ok: false, reason: 'final', state: 'cancelled' }],
    ['cancelled', 'cancel', { ok: true, changed: false, state: 'cancelled' }],
  ];

  it.each(table)('from %s, %s → %o', (from, change, expected) => {
    const { device } = pairKiosk();
    const { request } = store.createHelpRequest(device.deviceId, helpBody());
    for (const step of paths[from]) {
      now += MINUTE;
      store.transitionHelpRequest(request.id, step);
    }
    const before = store.helpRequest(request.id)!;
    expect(before.state).toBe(from);
    now += MINUTE;
    const result = store.transitionHelpRequest(request.id, change);
    const after = store.helpRequest(request.id)!;
    expect(after.state).toBe(expected.state);
    if (!expected.ok) {
      expect(result).toEqual({ ok: false, reason: 'final', request: before });
      expect(after).toEqual(before);
      return;
    }
    expect(result).toEqual({ ok: true, changed: expected.changed, request: after });
    if (!expected.changed) {
      expect(after).toEqual(before);
      return;
    }
    expect(after.revision).toBe(before.revision + 1);
    expect(after.acknowledgedAt).toBe(change === 'acknowledge' ? now : before.acknowledgedAt);
    expect(after.closedAt).toBe(change === 'acknowledge' ? null : now);
    expect(after.createdAt).toBe(before.createdAt);
  });

  it('answer not-found for an id the hub never gave', () => {
    expect(store.transitionHelpRequest('0'.repeat(32), 'acknowledge')).toEqual({ ok: false, reason: 'not-found', request: null });
    expect(store.helpRequest('0'.repeat(32))).toBeNull();
  });

  it('count revisions up through a whole life: 1 waiting, 2 acknowledged, 3 resolved', () => {
    const { device } = pairKiosk();
    const { request } = store.createHelpRequest(device.deviceId, helpBody());
    now += 30_000;
    const acknowledged = store.transitionHelpRequest(request.id, 'acknowledge');
    now += 30_000;
    store.transitionHelpRequest(request.id, 'acknowledge');
    const resolved = store.transitionHelpRequest(request.id, 'resolve');
    expect(acknowledged.ok && acknowledged.request).toMatchObject({ revision: 2, acknowledgedAt: START + 30_000 });
    expect(resolved.ok && resolved.request).toMatchObject({ revision: 3, state: 'resolved', acknowledgedAt: START + 30_000, closedAt: START + 60_000 });
  });

  it('list the open ones only, the longest waiting first', () => {
    const { device } = pairKiosk('PC 1');
    const other = pairKiosk('PC 2', KIOSK_B);
    const late = store.createHelpRequest(device.deviceId, helpBody({ delayMs: 0 })).request;
    const pressedLongAgo = store.createHelpRequest(other.device.deviceId, helpBody({ delayMs: 90_000 })).request;
    now += 1_000;
    const acknowledged = store.createHelpRequest(device.deviceId, helpBody({ delayMs: 30_000 })).request;
    store.transitionHelpRequest(acknowledged.id, 'acknowledge');
    const resolved = store.createHelpRequest(device.deviceId, helpBody({ delayMs: 200_000 })).request;
    store.transitionHelpRequest(resolved.id, 'resolve');
    const cancelled = store.createHelpRequest(other.device.deviceId, helpBody({ delayMs: 300_000 })).request;
    store.transitionHelpRequest(cancelled.id, 'cancel');
    expect(store.openHelpRequests().map((request) => [request.id, request.state])).toEqual([
      [pressedLongAgo.id, 'waiting'],
      [acknowledged.id, 'acknowledged'],
      [late.id, 'waiting'],
    ]);
  });
});

/* ---------- Statistics ---------- */

describe('statistics uploads', () => {
  const DAY = '2025-01-06';
  let uploader: string;

  beforeEach(() => {
    uploader = pairKiosk('PC 3', KIOSK_A).device.deviceId;
  });

  const sumOf = (day: string, figures: DailyFigures[]) => {
    const sum = sumOfSameDay(day);
    for (const each of figures) sum.add(each);
    return sum.result();
  };

  it('count a kiosk and day uploaded twice once: the second upload replaces the first', () => {
    const figures = dayFigures(DAY, { sessions: 4, durations: [60, 600], services: { 'tax-on-web': 3 }, waits: [40] });
    expect(store.storeUpload(upload(KIOSK_A, [figures]), uploader)).toEqual({ stored: 1, replaced: 0 });
    expect(store.storeUpload(upload(KIOSK_A, [figures]), uploader)).toEqual({ stored: 0, replaced: 1 });
    expect(store.daySums(DAY, DAY)).toEqual([figures]);
    expect(store.daySums(DAY, DAY)[0]?.sessions).toBe(4);
    expect(store.kioskCount(DAY, DAY)).toBe(1);
  });

  it('sum two kiosks of the same day', () => {
    const a = dayFigures(DAY, { sessions: 4, durations: [60, 600], services: { 'tax-on-web': 3 }, waits: [40] });
    const b = dayFigures(DAY, { sessions: 2, durations: [300], services: { 'tax-on-web': 1, 'my-pension': 2 }, waits: [200, 10] });
    store.storeUpload(upload(KIOSK_A, [a]), uploader);
    store.storeUpload(upload(KIOSK_B, [b], { name: 'PC 4', site: 'EPN de Namur' }), uploader);
    const [sum] = store.daySums(DAY, DAY);
    expect(sum).toEqual(sumOf(DAY, [a, b]));
    expect(sum).toMatchObject({ sessions: 6, serviceOpenings: { 'tax-on-web': 4, 'my-pension': 2 } });
    expect(store.kioskCount(DAY, DAY)).toBe(2);
    expect(readDatabase((db) => db.prepare('SELECT kiosk_count FROM day_sums WHERE day = ?').pluck().get(DAY))).toBe(2);
  });

  it('lower the sum when a kiosk sends smaller figures for a day', () => {
    const b = dayFigures(DAY, { sessions: 2 });
    store.storeUpload(upload(KIOSK_A, [dayFigures(DAY, { sessions: 10, services: { 'tax-on-web': 9 } })]), uploader);
    store.storeUpload(upload(KIOSK_B, [b]), uploader);
    const smaller = dayFigures(DAY, { sessions: 3 });
    expect(store.storeUpload(upload(KIOSK_A, [smaller]), uploader)).toEqual({ stored: 0, replaced: 1 });
    const [sum] = store.daySums(DAY, DAY);
    expect(sum).toEqual(sumOf(DAY, [smaller, b]));
    expect(sum?.sessions).toBe(5);
    expect(sum?.serviceOpenings).toEqual({});
  });

  it('keep every day sum equal to the sum of its kiosks\' latest figures, over many uploads and replacements', () => {
    const random = seeded(20250106);
    const kiosks = Array.from({ length: 6 }, (_, index) => index.toString(16).repeat(32));
    const days = Array.from({ length: 5 }, (_, index) => addDays(DAY, index));
    const latest = new Map<string, DailyFigures>();
    for (let round = 0; round < 4; round += 1) {
      for (const kioskId of kiosks) {
        const chosen = days.filter(() => random() < 0.6);
        if (chosen.length === 0) continue;
        const figures = chosen.map((day) => rollUpDay(day, randomDayEvents(random, day)));
        store.storeUpload(upload(kioskId, figures, { name: `PC ${kioskId[0]}`, site: '' }), uploader);
        for (const each of figures) latest.set(`${kioskId} ${each.day}`, each);
      }
    }
    const expected = days
      .map((day) => [...latest].filter(([key]) => key.endsWith(day)).map(([, figures]) => figures))
      .filter((figures) => figures.length > 0)
      .map((figures) => sumOf(figures[0]!.day, figures));
    expect(store.daySums(days[0]!, days.at(-1)!)).toEqual(expected);
    expect(store.kioskCount(days[0]!, days.at(-1)!)).toBe(new Set([...latest.keys()].map((key) => key.split(' ')[0])).size);
  });

  it('keep a single kiosk\'s exact median in the sum, in whatever order the kiosks arrive', () => {
    const withValues = dayFigures(DAY, { sessions: 3, durations: [61, 62, 3_000], waits: [7] });
    const withoutValues = dayFigures(DAY, { sessions: 2, services: { 'tax-on-web': 1 } });
    const zeroCounts: DailyFigures = { ...dayFigures(DAY, { sessions: 1 }), serviceOpenings: { 'my-pension': 0 }, languages: { de: 0 } };
    const orders = [
      [withoutValues, withValues, zeroCounts],
      [withValues, zeroCounts, withoutValues],
      [zeroCounts, withoutValues, withValues],
    ];
    for (const [index, order] of orders.entries()) {
      const day = addDays(DAY, index);
      const figures = order.map((each) => ({ ...each, day }));
      figures.forEach((each, kiosk) => store.storeUpload(upload([KIOSK_A, KIOSK_B, KIOSK_C][kiosk]!, [each]), uploader));
      const [sum] = store.daySums(day, day);
      expect(sum).toEqual(sumOf(day, figures));
      expect(sum?.sessionSeconds.median).toBe(62);
      expect(sum?.help.waitSeconds.median).toBe(7);
      expect(sum?.serviceOpenings).toEqual({ 'tax-on-web': 1, 'my-pension': 0 });
    }
    // A second kiosk with values: the median is estimated from the summed histogram, as sumOfSameDay does.
    const second = dayFigures(DAY, { sessions: 1, durations: [900] });
    store.storeUpload(upload('d'.repeat(32), [second]), uploader);
    expect(store.daySums(DAY, DAY)).toEqual([sumOf(DAY, [...orders[0]!, second])]);
    expect(readDatabase((db) => db.prepare('SELECT kiosk_count FROM day_sums WHERE day = ?').pluck().get(DAY))).toBe(4);
  });

  it('answer sums, kiosk counts and kiosk days for the period asked, in day order', () => {
    store.storeUpload(upload(KIOSK_B, ['2025-01-09', '2025-01-05', '2025-01-07'].map((day) => dayFigures(day, { sessions: 1 }))), uploader);
    store.storeUpload(upload(KIOSK_A, ['2025-01-06', '2025-01-07'].map((day) => dayFigures(day, { sessions: 2 }))), uploader);
    expect(store.daySums('2025-01-06', '2025-01-08').map((sum) => [sum.day, sum.sessions])).toEqual([
      ['2025-01-06', 2],
      ['2025-01-07', 3],
    ]);
    expect(store.kioskCount('2025-01-08', '2025-01-09')).toBe(1);
    expect(store.kioskCount('2025-01-06', '2025-01-07')).toBe(2);
    expect(store.kioskCount('2025-02-01', '2025-02-28')).toBe(0);
    expect(store.daySums('2025-02-01', '2025-02-28')).toEqual([]);
    expect(store.kioskDays('2025-01-06', '2025-01-09').map((kiosk) => [kiosk.kioskId, kiosk.days.map((figures) => figures.day)])).toEqual([
      [KIOSK_A, ['2025-01-06', '2025-01-07']],
      [KIOSK_B, ['2025-01-07', '2025-01-09']],
    ]);
    expect(store.kioskDays('2025-02-01', '2025-02-28')).toEqual([]);
    // Read one kiosk at a time (exports), the same days come out.
    expect(store.kioskIdsWithDays('2025-01-06', '2025-01-09')).toEqual([KIOSK_A, KIOSK_B]);
    expect(store.kioskIdsWithDays('2025-01-08', '2025-01-09')).toEqual([KIOSK_B]);
    expect(store.kioskIdsWithDays('2025-02-01', '2025-02-28')).toEqual([]);
    expect(store.kioskIdsWithDays('2025-01-06', '2025-01-09').map((kioskId) => store.kioskDaysOf(kioskId, '2025-01-06', '2025-01-09'))).toEqual(store.kioskDays('2025-01-06', '2025-01-09'));
    expect(store.kioskDaysOf(KIOSK_A, '2025-01-08', '2025-01-09')).toBeNull();
  });

  it('give each kiosk the labels of its latest upload', () => {
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-07', { sessions: 1 })], { name: 'PC 3', site: 'Old site' }), uploader);
    now += HOUR;
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-06', { sessions: 1 })], { name: 'PC 3 renamed', site: 'New site' }), uploader);
    expect(store.kioskDays('2025-01-01', '2025-01-31')).toEqual([
      { kioskId: KIOSK_A, kiosk: { name: 'PC 3 renamed', site: 'New site' }, days: [dayFigures('2025-01-06', { sessions: 1 }), dayFigures('2025-01-07', { sessions: 1 })] },
    ]);
  });

  it('skip a row whose figures a tampered file made unreadable, in sums and lists alike', () => {
    const a = dayFigures(DAY, { sessions: 4 });
    const b = dayFigures(DAY, { sessions: 2 });
    store.storeUpload(upload(KIOSK_A, [a]), uploader);
    store.storeUpload(upload(KIOSK_B, [b, dayFigures('2025-01-07', { sessions: 1 })]), uploader);
    const tamper = new Database(join(folder, HUB_DATABASE_FILE_NAME));
    try {
      tamper.pragma('ignore_check_constraints = ON');
      tamper.prepare("UPDATE kiosk_days SET figures = '{\"day\": broken' WHERE kiosk_id = ? AND day = ?").run(KIOSK_B, DAY);
      tamper.prepare("UPDATE day_sums SET figures = '{\"day\":\"2025-01-07\",\"sessions\":\"many\"}' WHERE day = '2025-01-07'").run();
    } finally {
      tamper.close();
    }
    expect(store.daySums(DAY, '2025-01-07')).toEqual([sumOf(DAY, [a, b])]);
    expect(store.kioskDays(DAY, DAY).map((kiosk) => kiosk.kioskId)).toEqual([KIOSK_A]);
    // A new kiosk is added to the sum as it stands; a replacement sums the day again from the rows that can be read.
    const c = dayFigures(DAY, { sessions: 1 });
    store.storeUpload(upload(KIOSK_C, [c]), uploader);
    expect(store.daySums(DAY, DAY)).toEqual([sumOf(DAY, [a, b, c])]);
    const smallerA = dayFigures(DAY, { sessions: 3 });
    store.storeUpload(upload(KIOSK_A, [smallerA]), uploader);
    expect(store.daySums(DAY, DAY)).toEqual([sumOf(DAY, [smallerA, c])]);
    expect(readDatabase((db) => db.prepare('SELECT kiosk_count FROM day_sums WHERE day = ?').pluck().get(DAY))).toBe(2);
    // A day whose sum cannot be read is summed again from its rows when a kiosk is added.
    const d = dayFigures('2025-01-07', { sessions: 4 });
    store.storeUpload(upload(KIOSK_A, [d]), uploader);
    expect(store.daySums('2025-01-07', '2025-01-07')).toEqual([sumOf('2025-01-07', [dayFigures('2025-01-07', { sessions: 1 }), d])]);
  });

  it('is written whole or not at all: a refused day rolls the whole upload back', () => {
    store.storeUpload(upload(KIOSK_A, [dayFigures(DAY, { sessions: 4 })]), uploader);
    const unknownUploader = '0'.repeat(32);
    expect(() => store.storeUpload(upload(KIOSK_B, [dayFigures(DAY, { sessions: 9 })]), unknownUploader)).toThrow(/FOREIGN KEY/);
    expect(store.daySums(DAY, DAY).map((sum) => sum.sessions)).toEqual([4]);
    expect(store.kioskCount(DAY, DAY)).toBe(1);
  });
});

describe('forwarding upstream', () => {
  let uploader: string;

  beforeEach(() => {
    uploader = pairKiosk('PC 3', KIOSK_A).device.deviceId;
  });

  const daysOf = (batch: readonly KioskDays[]) => batch.flatMap((group) => group.days.map((figures) => `${group.kioskId.slice(0, 2)} ${figures.day}`));

  it('hands out every kiosk-day not yet forwarded, grouped by kiosk, at most maxDays at a time', () => {
    store.storeUpload(upload(KIOSK_B, ['2025-01-06', '2025-01-07'].map((day) => dayFigures(day, { sessions: 1 })), { name: 'PC 4', site: 'EPN' }), uploader);
    store.storeUpload(upload(KIOSK_A, ['2025-01-06', '2025-01-07', '2025-01-08'].map((day) => dayFigures(day, { sessions: 2 }))), uploader);
    const first = store.pendingForward(4);
    expect(first.map((group) => [group.kioskId, group.kiosk, group.days.length])).toEqual([
      [KIOSK_A, { name: 'PC 3', site: 'EPN de Namur' }, 3],
      [KIOSK_B, { name: 'PC 4', site: 'EPN' }, 1],
    ]);
    expect(store.pendingForward(4)).toEqual(first);
    store.markForwarded(first);
    expect(daysOf(store.pendingForward(4))).toEqual(['fe 2025-01-07']);
    store.markForwarded(store.pendingForward(4));
    expect(store.pendingForward(4)).toEqual([]);
  });

  it('keeps a kiosk-day pending when it was replaced between reading and marking', () => {
    store.storeUpload(upload(KIOSK_A, ['2025-01-06', '2025-01-07'].map((day) => dayFigures(day, { sessions: 2 }))), uploader);
    const batch = store.pendingForward(10);
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-07', { sessions: 5 })]), uploader);
    store.markForwarded(batch);
    const left = store.pendingForward(10);
    expect(daysOf(left)).toEqual(['01 2025-01-07']);
    expect(left[0]?.days[0]?.sessions).toBe(5);
  });

  it('keeps a kiosk-day pending when only its labels changed meanwhile', () => {
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-06', { sessions: 2 })]), uploader);
    const batch = store.pendingForward(10);
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-06', { sessions: 2 })], { name: 'PC 3 renamed', site: 'EPN de Namur' }), uploader);
    store.markForwarded(batch);
    expect(store.pendingForward(10).map((group) => group.kiosk.name)).toEqual(['PC 3 renamed']);
  });

  it('does not forward again a kiosk-day uploaded again with the same figures', () => {
    const figures = dayFigures('2025-01-06', { sessions: 2 });
    store.storeUpload(upload(KIOSK_A, [figures]), uploader);
    store.markForwarded(store.pendingForward(10));
    expect(store.storeUpload(upload(KIOSK_A, [figures]), uploader)).toEqual({ stored: 0, replaced: 1 });
    expect(store.pendingForward(10)).toEqual([]);
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-06', { sessions: 3 })]), uploader);
    expect(daysOf(store.pendingForward(10))).toEqual(['01 2025-01-06']);
  });

  it('marks a copied batch by its figures: forwarded when the row still holds them, pending when replaced', () => {
    store.storeUpload(upload(KIOSK_A, ['2025-01-06', '2025-01-07'].map((day) => dayFigures(day, { sessions: 2 }))), uploader);
    const copy = JSON.parse(JSON.stringify(store.pendingForward(10))) as KioskDays[];
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-07', { sessions: 5 })]), uploader);
    store.markForwarded(copy);
    expect(daysOf(store.pendingForward(10))).toEqual(['01 2025-01-07']);
  });

  it('does not mark a kiosk-day of another kiosk than the batch says', () => {
    store.storeUpload(upload(KIOSK_A, [dayFigures('2025-01-06', { sessions: 2 })]), uploader);
    store.storeUpload(upload(KIOSK_B, [dayFigures('2025-01-06', { sessions: 2 })]), uploader);
    const [groupA] = store.pendingForward(1);
    store.markForwarded([{ ...groupA!, kioskId: KIOSK_B }]);
    expect(daysOf(store.pendingForward(10))).toEqual(['01 2025-01-06']);
  });

  it('refuses a maxDays that is not a whole number of at least 1', () => {
    expect(() => store.pendingForward(0)).toThrow(RangeError);
    expect(() => store.pendingForward(2.5)).toThrow(RangeError);
  });

  it('keeps what is pending across a restart', () => {
    store.storeUpload(upload(KIOSK_A, ['2025-01-06', '2025-01-07'].map((day) => dayFigures(day, { sessions: 2 }))), uploader);
    const [group] = store.pendingForward(1);
    store.markForwarded([group!]);
    reopen();
    expect(daysOf(store.pendingForward(10))).toEqual(['01 2025-01-07']);
  });
});

/* ---------- Restart ---------- */

describe('a restart', () => {
  it('keeps devices, codes, open requests and statistics', () => {
    const kiosk = pairKiosk('PC 3');
    const phone = pair('staff', 'Phone');
    const code = store.createPairingCode('kiosk', { expiresAt: now + HOUR, maxUses: 2 });
    const waiting = store.createHelpRequest(kiosk.device.deviceId, helpBody()).request;
    const acknowledged = store.createHelpRequest(kiosk.device.deviceId, helpBody()).request;
    store.transitionHelpRequest(acknowledged.id, 'acknowledge');
    const figures = dayFigures('2025-01-06', { sessions: 3 });
    store.storeUpload(upload(KIOSK_A, [figures]), kiosk.device.deviceId);
    const before = { devices: store.listDevices(), requests: store.openHelpRequests(), sums: store.daySums('2025-01-01', '2025-01-31') };

    reopen();

    expect(store.listDevices()).toEqual(before.devices);
    expect(store.authenticate(kiosk.token)?.deviceId).toBe(kiosk.device.deviceId);
    expect(store.authenticate(phone.token)?.role).toBe('staff');
    expect(store.openHelpRequests()).toEqual(before.requests);
    expect(store.openHelpRequests().map((request) => request.id)).toEqual([waiting.id, acknowledged.id]);
    expect(store.daySums('2025-01-01', '2025-01-31')).toEqual(before.sums);
    expect(store.kioskDays('2025-01-01', '2025-01-31')).toEqual([{ kioskId: KIOSK_A, kiosk: { name: 'PC 3', site: 'EPN de Namur' }, days: [figures] }]);
    // The code shown before the restart still pairs, with the uses it had left.
    expect(store.claimPairingCode(code.code, { name: 'PC 4', site: '', kioskId: KIOSK_B }).ok).toBe(true);
    reopen();
    expect(store.claimPairingCode(code.code, { name: 'PC 5', site: '', kioskId: KIOSK_C }).ok).toBe(true);
    expect(store.claimPairingCode(code.code, { name: 'PC 6', site: '', kioskId: KIOSK_C })).toEqual({ ok: false, reason: 'used-up' });
  });

  it('leaves the file in write-ahead-log mode, at the newest schema version', () => {
    expect(readDatabase((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    expect(readDatabase((db) => db.pragma('user_version', { simple: true }))).toBe(1);
  });

  it('closes once: a second close does nothing', () => {
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});
