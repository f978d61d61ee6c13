/**
 * The kiosk's credential with the hub: claimed from a real hub on 127.0.0.1 (a real
 * hub.sqlite in a temporary folder), kept in a file only this account reads, and the
 * keeper the help call, heartbeat and uploads share.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEVICE_TOKEN_PATTERN, HeartbeatResponseSchema } from '../../../shared/hub-api';
import { claimHubCredential, createHubCredentialKeeper, readHubCredential, type HubPairingSettings } from '../../../electron/services/hub-credential';
import { callHub } from '../../../electron/services/hub-http';
import { hubFetch, heartbeatBody, randomHexId, startTestHub, type TestHub } from '../hub/hub-test-kit';
import { unusedPort } from '../preview/loopback-http';

let kit: TestHub;
let folder: string;
let file: string;

beforeEach(async () => {
  kit = await startTestHub({ site: 'EPN de Namur' });
  folder = mkdtempSync(join(tmpdir(), 'epn-hub-credential-'));
  file = join(folder, 'data', 'hub-credential.json');
});

afterEach(async () => {
  await kit.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Counts the calls that go out, passing them on to the real network. */
function countingFetch(): { fetch: typeof fetch; paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    fetch: (input, init) => {
      paths.push(new URL(String(input)).pathname);
      return fetch(input, init);
    },
  };
}

describe('claimHubCredential', () => {
  it('turns a kiosk code into a working credential, kept in a file only this account can read', async () => {
    const { code } = kit.hub.issuePairingCode('kiosk');
    const kioskId = randomHexId();
    const result = await claimHubCredential({ file, hubUrl: `${kit.url}/`, code: code.toLowerCase().replace('-', ' '), name: 'PC 3', site: 'EPN de Namur', kioskId, now: () => 1_736_154_000_000 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.credential).toMatchObject({ hubUrl: kit.url, role: 'kiosk', pairedAt: 1_736_154_000_000 });
    expect(result.credential.token).toMatch(DEVICE_TOKEN_PATTERN);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(result.credential);
    expect(readHubCredential(file, kit.url)).toEqual(result.credential);

    const heartbeat = await callHub(kit.url, { method: 'POST', path: '/api/v1/heartbeat', token: result.credential.token, body: heartbeatBody({ name: 'PC 3', site: 'EPN de Namur' }), answer: HeartbeatResponseSchema });
    expect(heartbeat.ok).toBe(true);
    const device = kit.hub.store.listDevices().find((candidate) => candidate.deviceId === result.credential.deviceId);
    expect(device).toMatchObject({ role: 'kiosk', name: 'PC 3', site: 'EPN de Namur', kioskId });
  });

  it('lets the hub file a kiosk with no site under its own', async () => {
    const { code } = kit.hub.issuePairingCode('kiosk');
    const result = await claimHubCredential({ file, hubUrl: kit.url, code, name: 'PC 4', site: '', kioskId: randomHexId() });
    expect(result.ok).toBe(true);
    if (result.ok) expect(kit.hub.store.listDevices().find((device) => device.deviceId === result.credential.deviceId)?.site).toBe('EPN de Namur');
  });

  it('says a code the hub does not know cannot work, and writes nothing', async () => {
    const result = await claimHubCredential({ file, hubUrl: kit.url, code: 'K7QM-RXHP', name: 'PC 3', site: '', kioskId: randomHexId() });
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.message).toContain('ask for a new pairing code');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses what cannot be a pairing code without asking the hub', async () => {
    const counting = countingFetch();
    const result = await claimHubCredential({ file, hubUrl: kit.url, code: 'hello', name: 'PC 3', site: '', fetch: counting.fetch });
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.message).toContain('K7QM-RXHP');
    expect(counting.paths).toEqual([]);
  });

  it('says an unreachable hub is worth another try, and writes nothing', async () => {
    const result = await claimHubCredential({ file, hubUrl: `http://127.0.0.1:${await unusedPort()}`, code: 'K7QM-RXHP', name: 'PC 3', site: '' });
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.message).toContain('tried again later');
    expect(existsSync(file)).toBe(false);
  });

  it('reports a credential it could not keep as worth another try', async () => {
    const blocked = join(folder, 'not-a-folder');
    writeFileSync(blocked, 'a file where the data folder should be');
    const { code } = kit.hub.issuePairingCode('kiosk');
    const result = await claimHubCredential({ file: join(blocked, 'hub-credential.json'), hubUrl: kit.url, code, name: 'PC 3', site: '', kioskId: randomHexId() });
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.message).toContain('could not be kept');
  });
});

describe('readHubCredential', () => {
  async function claimed(): Promise<void> {
    const { code } = kit.hub.issuePairingCode('kiosk');
    const result = await claimHubCredential({ file, hubUrl: kit.url, code, name: 'PC 3', site: '', kioskId: randomHexId() });
    expect(result.ok).toBe(true);
  }

  it('gives nothing for another hub\'s address', async () => {
    await claimed();
    expect(readHubCredential(file, `${kit.url}/`)).not.toBeNull();
    expect(readHubCredential(file, 'http://192.168.1.10:8470')).toBeNull();
    expect(readHubCredential(file, 'not an address')).toBeNull();
  });

  it('gives nothing for a missing, unreadable or malformed file', async () => {
    expect(readHubCredential(join(folder, 'missing.json'), kit.url)).toBeNull();
    mkdirSync(join(folder, 'data'), { recursive: true });
    for (const content of ['', '{', '[]', '{"hubUrl": 1}', JSON.stringify({ hubUrl: kit.url, deviceId: 'a'.repeat(32), role: 'kiosk', token: `${'b'.repeat(32)}.${'c'.repeat(43)}`, pairedAt: 1 })]) {
      writeFileSync(file, content);
      expect(readHubCredential(file, kit.url)).toBeNull();
    }
    mkdirSync(join(folder, 'a-folder'));
    expect(readHubCredential(join(folder, 'a-folder'), kit.url)).toBeNull();
  });
});

describe('createHubCredentialKeeper', () => {
  function keeper(settings: () => HubPairingSettings, fetcher?: typeof fetch) {
    const lines: string[] = [];
    const kept = createHubCredentialKeeper({ file, settings, kioskId: randomHexId(), log: (line) => lines.push(line), ...(fetcher === undefined ? {} : { fetch: fetcher }) });
    return { kept, lines };
  }

  it('claims once with the configured code, then uses the file; concurrent users share the claim', async () => {
    const { code } = kit.hub.issuePairingCode('kiosk');
    const counting = countingFetch();
    const { kept, lines } = keeper(() => ({ hubUrl: kit.url, pairingCode: code, name: 'PC 3', site: 'EPN de Namur' }), counting.fetch);
    const [first, second] = await Promise.all([kept.current(), kept.current()]);
    expect(first).not.toBeNull();
    expect(second).toEqual(first);
    expect(await kept.current()).toEqual(first);
    expect(counting.paths).toEqual(['/api/v1/pairing']);
    expect(lines).toEqual([expect.stringContaining(`paired with the hub at ${kit.url}`)]);
  });

  it('gives nothing, with one clear line, when no hub or no code is configured', async () => {
    const none = keeper(() => ({ hubUrl: null, pairingCode: undefined, name: 'PC 3', site: '' }));
    expect(await none.kept.current()).toBeNull();
    expect(none.lines).toEqual([]);
    const noCode = keeper(() => ({ hubUrl: kit.url, pairingCode: undefined, name: 'PC 3', site: '' }));
    expect(await noCode.kept.current()).toBeNull();
    expect(await noCode.kept.current()).toBeNull();
    expect(noCode.lines).toEqual([expect.stringContaining('help.hub.pairingCode')]);
  });

  it('does not send a refused code again until the configuration gives another', async () => {
    const counting = countingFetch();
    let pairingCode = 'K7QM-RXHP';
    const { kept, lines } = keeper(() => ({ hubUrl: kit.url, pairingCode, name: 'PC 3', site: '' }), counting.fetch);
    expect(await kept.current()).toBeNull();
    expect(await kept.current()).toBeNull();
    expect(counting.paths).toEqual(['/api/v1/pairing']);
    expect(lines).toHaveLength(1);
    pairingCode = kit.hub.issuePairingCode('kiosk').code;
    expect(await kept.current()).not.toBeNull();
    expect(counting.paths).toEqual(['/api/v1/pairing', '/api/v1/pairing']);
  });

  it('claims again after the hub refused the credential on file', async () => {
    const { code } = kit.hub.issuePairingCode('kiosk');
    const { kept, lines } = keeper(() => ({ hubUrl: kit.url, pairingCode: code, name: 'PC 3', site: '' }));
    const first = await kept.current();
    expect(first).not.toBeNull();
    kit.hub.store.revokeDevice(first!.deviceId);
    const refused = await hubFetch(kit.url, '/heartbeat', { token: first!.token, json: heartbeatBody() });
    expect(refused.status).toBe(401);
    kept.refused(first!);
    const second = await kept.current();
    expect(second).not.toBeNull();
    expect(second!.deviceId).not.toBe(first!.deviceId);
    expect(lines.some((line) => line.includes('no longer accepts'))).toBe(true);
  });

  it('tries an unreachable hub again at the next use', async () => {
    const port = await unusedPort();
    const counting = countingFetch();
    const { kept } = keeper(() => ({ hubUrl: `http://127.0.0.1:${port}`, pairingCode: 'K7QM-RXHP', name: 'PC 3', site: '' }), counting.fetch);
    expect(await kept.current()).toBeNull();
    expect(await kept.current()).toBeNull();
    expect(counting.paths).toEqual(['/api/v1/pairing', '/api/v1/pairing']);
  });
});
