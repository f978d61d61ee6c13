import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreamForwarder, describeForwarderStatus, UPSTREAM_CREDENTIAL_FILE_NAME, upstreamDeviceName, type ForwarderTimers, type UpstreamForwarder, type UpstreamForwarderOptions } from '../../../electron/hub/upstream-forwarder';
import type { StatisticsUpload } from '../../../shared/hub-api';
import { emptyDailyFigures, type DailyFigures } from '../../../shared/statistics/daily-figures';
import { hubFetch, startTestHub, type PairedDevice, type TestHub } from './hub-test-kit';

const MONDAY = '2025-01-06';
const TUESDAY = '2025-01-07';

function figures(day: string, sessions: number): DailyFigures {
  return { ...emptyDailyFigures(day), sessions, languages: { fr: sessions } };
}

async function upload(epn: TestHub, kiosk: PairedDevice, days: DailyFigures[], name = kiosk.name): Promise<void> {
  const body: StatisticsUpload = { kioskId: kiosk.kioskId!, kiosk: { name, site: 'EPN de Namur' }, days };
  const answer = await hubFetch(epn.url, '/statistics/uploads', { token: kiosk.token, json: body });
  if (answer.status !== 200) throw new Error(`the kiosk's upload failed: ${answer.status} ${answer.text}`);
}

/** Checks `condition` until it holds; fails with `what` at the deadline. */
async function eventually(what: string, condition: () => boolean, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${deadlineMs} ms: ${what}`);
    await new Promise((resolveTick) => setTimeout(resolveTick, 10));
  }
}

function sessionsUpstream(network: TestHub, kioskId: string, day: string): number | undefined {
  return network.hub.store
    .kioskDays(day, day)
    .find((kiosk) => kiosk.kioskId === kioskId)
    ?.days.find((figures) => figures.day === day)?.sessions;
}

describe('the upstream forwarder, between two real hubs', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function hubs(): Promise<{ epn: TestHub; network: TestHub; kiosk: PairedDevice; log: string[] }> {
    const network = await startTestHub({ role: 'network', site: 'Réseau EPN' });
    cleanups.push(() => network.close());
    const epn = await startTestHub({ role: 'epn', site: 'EPN de Namur' });
    cleanups.push(() => epn.close());
    const kiosk = await epn.pair('kiosk', { name: 'PC 3' });
    return { epn, network, kiosk, log: [] };
  }

  function forwarder(epn: TestHub, upstreamUrl: string, log: string[], options: Partial<UpstreamForwarderOptions> = {}): UpstreamForwarder {
    const created = createUpstreamForwarder({
      store: epn.hub.store,
      onStatisticsStored: (listener) => epn.hub.onStatisticsStored(listener),
      dataDir: epn.dataDir,
      upstreamUrl,
      site: 'EPN de Namur',
      log: (line) => log.push(line),
      // The tests drive rounds with forwardNow unless they test the timing itself.
      firstRoundInMs: 3_600_000,
      debounceMs: 3_600_000,
      retrySchedule: [3_600_000],
      random: () => 0,
      ...options,
    });
    cleanups.push(() => created.close());
    return created;
  }

  it('pairs with a hub code, then a kiosk upload to the EPN hub arrives at the network hub', async () => {
    const { epn, network, kiosk, log } = await hubs();
    const code = network.hub.issuePairingCode('hub').code;
    const forward = forwarder(epn, network.url, log, { pairingCode: code });
    await upload(epn, kiosk, [figures(MONDAY, 4), figures(TUESDAY, 6)]);

    expect(await forward.forwardNow()).toEqual({ ok: true, forwardedDays: 2, kiosks: 1 });
    expect(sessionsUpstream(network, kiosk.kioskId!, MONDAY)).toBe(4);
    expect(sessionsUpstream(network, kiosk.kioskId!, TUESDAY)).toBe(6);
    expect(network.hub.store.kioskDays(MONDAY, TUESDAY)[0]!.kiosk).toEqual({ name: 'PC 3', site: 'EPN de Namur' });
    expect(epn.hub.store.pendingForward(400)).toEqual([]);

    const upstreamDevice = network.hub.store.listDevices().find((device) => device.role === 'hub');
    expect(upstreamDevice).toMatchObject({ name: 'EPN de Namur', site: 'EPN de Namur' });
    expect(forward.status()).toMatchObject({ state: 'idle', deviceId: upstreamDevice!.deviceId, forwardedDays: 2, failures: 0, lastError: null });
    const credentialFile = join(epn.dataDir, UPSTREAM_CREDENTIAL_FILE_NAME);
    expect(existsSync(credentialFile)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(credentialFile).mode & 0o077).toBe(0);
    expect(log.join('\n')).toContain(`paired with the network hub as device ${upstreamDevice!.deviceId}`);
    expect(log.join('\n')).toContain('forwarded 2 days of 1 kiosk');
  });

  it('forwards on its own a few moments after a kiosk uploads', async () => {
    const { epn, network, kiosk, log } = await hubs();
    forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code, debounceMs: 20 });
    await upload(epn, kiosk, [figures(MONDAY, 3)]);
    await eventually('the network hub has the upload', () => sessionsUpstream(network, kiosk.kioskId!, MONDAY) === 3);
  });

  it('forwards what waited during a restart as soon as it starts', async () => {
    const { epn, network, kiosk, log } = await hubs();
    await upload(epn, kiosk, [figures(MONDAY, 2)]);
    forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code, firstRoundInMs: 0 });
    await eventually('the network hub has the day uploaded before the forwarder started', () => sessionsUpstream(network, kiosk.kioskId!, MONDAY) === 2);
  });

  it('retries on the back-off schedule while the network hub is down, and delivers when it is back', async () => {
    const { epn, kiosk, log } = await hubs();
    const networkDir = mkdtempSync(join(tmpdir(), 'epn-network-hub-'));
    cleanups.push(() => rmSync(networkDir, { recursive: true, force: true }));
    const firstNetwork = await startTestHub({ role: 'network', dataDir: networkDir });
    const { url, port } = { url: firstNetwork.url, port: firstNetwork.hub.port };
    const timers = new ManualTimers();
    const forward = forwarder(epn, url, log, { pairingCode: firstNetwork.hub.issuePairingCode('hub').code, timers, retrySchedule: [10_000, 30_000], debounceMs: 5_000 });
    expect(await forward.forwardNow()).toEqual({ ok: true, forwardedDays: 0, kiosks: 0 });
    expect(timers.pendingDelays()).toEqual([15 * 60_000]);
    await firstNetwork.close();

    await upload(epn, kiosk, [figures(MONDAY, 5)]);
    // The upload brings the next round forward.
    expect(timers.pendingDelays()).toEqual([5_000]);
    timers.fire();
    await eventually('the first attempt failed', () => forward.status().state === 'retrying');
    expect(forward.status()).toMatchObject({ failures: 1 });
    expect(timers.pendingDelays()).toEqual([10_000]);
    expect(log.join('\n')).toContain('the network hub is unreachable');
    // Nothing is marked forwarded while the network hub has not answered for it.
    expect(epn.hub.store.pendingForward(400)).toHaveLength(1);

    // While retrying, new uploads do not bring the attempt forward: the back-off decides.
    await upload(epn, kiosk, [figures(TUESDAY, 1)]);
    expect(timers.pendingDelays()).toEqual([10_000]);
    timers.fire();
    await eventually('the second attempt failed', () => forward.status().failures === 2);
    expect(timers.pendingDelays()).toEqual([30_000]);

    const secondNetwork = await startTestHub({ role: 'network', dataDir: networkDir, port });
    cleanups.push(() => secondNetwork.close());
    timers.fire();
    await eventually('the forwarder is idle again', () => forward.status().state === 'idle');
    expect(sessionsUpstream(secondNetwork, kiosk.kioskId!, MONDAY)).toBe(5);
    expect(sessionsUpstream(secondNetwork, kiosk.kioskId!, TUESDAY)).toBe(1);
    expect(forward.status()).toMatchObject({ failures: 0, lastError: null, forwardedDays: 2 });
    expect(log.join('\n')).toContain('forwarding works again');
    expect(epn.hub.store.pendingForward(400)).toEqual([]);
    expect(timers.pendingDelays()).toEqual([15 * 60_000]);
  });

  it('keeps the sooner round an upload asked for while a round was running', async () => {
    const { epn, network, kiosk, log } = await hubs();
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolveGate) => (openGate = resolveGate));
    const gatedFetch: typeof fetch = async (input, init) => {
      await gate;
      return fetch(input, init);
    };
    const timers = new ManualTimers();
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code, fetch: gatedFetch, timers, debounceMs: 5_000 });
    const round = forward.forwardNow();
    await upload(epn, kiosk, [figures(MONDAY, 2)]);
    await eventually('the upload asked for a round in 5 s', () => timers.pendingDelays().join() === '5000');
    openGate();
    expect(await round).toMatchObject({ ok: true });
    expect(timers.pendingDelays()).toEqual([5_000]);
    timers.fire();
    await eventually('the upload reached the network hub', () => sessionsUpstream(network, kiosk.kioskId!, MONDAY) === 2);
  });

  it('counts the same days forwarded twice once upstream, and forwards replaced figures', async () => {
    const { epn, network, kiosk, log } = await hubs();
    // The network hub stores the first upload, but its answer is lost on the way back.
    let loseAnswers = true;
    const lossyFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!loseAnswers || !String(input).endsWith('/statistics/uploads')) return response;
      await response.text();
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    };
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code, fetch: lossyFetch });
    await upload(epn, kiosk, [figures(MONDAY, 4), figures(TUESDAY, 1)]);
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'retrying' });
    expect(sessionsUpstream(network, kiosk.kioskId!, MONDAY)).toBe(4);

    // Unanswered, the days are still pending, and go up a second time…
    loseAnswers = false;
    expect(await forward.forwardNow()).toEqual({ ok: true, forwardedDays: 2, kiosks: 1 });
    // …and still count once.
    expect(network.hub.store.daySums(MONDAY, TUESDAY).map((day) => [day.day, day.sessions])).toEqual([
      [MONDAY, 4],
      [TUESDAY, 1],
    ]);
    expect(network.hub.store.kioskCount(MONDAY, TUESDAY)).toBe(1);

    // Late events changed Tuesday on the kiosk: the network hub's figure is replaced, not added to.
    await upload(epn, kiosk, [figures(TUESDAY, 3)]);
    expect(await forward.forwardNow()).toEqual({ ok: true, forwardedDays: 1, kiosks: 1 });
    expect(network.hub.store.daySums(MONDAY, TUESDAY).map((day) => day.sessions)).toEqual([4, 3]);
  });

  it('forwards the kiosks of a whole room, each as its own upload', async () => {
    const { epn, network, kiosk, log } = await hubs();
    const other = await epn.pair('kiosk', { name: 'PC 4' });
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code });
    await upload(epn, kiosk, [figures(MONDAY, 2)]);
    await upload(epn, other, [figures(MONDAY, 7)]);
    expect(await forward.forwardNow()).toEqual({ ok: true, forwardedDays: 2, kiosks: 2 });
    expect(network.hub.store.daySums(MONDAY, MONDAY)[0]!.sessions).toBe(9);
    expect(network.hub.store.kioskCount(MONDAY, MONDAY)).toBe(2);
  });

  it('keeps its credential: after a restart it forwards without a pairing code', async () => {
    const { epn, network, kiosk, log } = await hubs();
    const first = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code });
    await first.forwardNow();
    const deviceId = first.status().deviceId;
    await first.close();

    await upload(epn, kiosk, [figures(MONDAY, 8)]);
    const second = forwarder(epn, network.url, log);
    expect(await second.forwardNow()).toEqual({ ok: true, forwardedDays: 1, kiosks: 1 });
    expect(second.status().deviceId).toBe(deviceId);
    expect(network.hub.store.listDevices().filter((device) => device.role === 'hub')).toHaveLength(1);
  });

  it('says what to do when it has neither a credential nor a pairing code', async () => {
    const { epn, network, kiosk, log } = await hubs();
    await upload(epn, kiosk, [figures(MONDAY, 1)]);
    const forward = forwarder(epn, network.url, log);
    const outcome = await forward.forwardNow();
    expect(outcome).toMatchObject({ ok: false, state: 'needs-pairing' });
    expect(forward.status()).toMatchObject({ state: 'needs-pairing', nextAttemptAt: null });
    expect(forward.status().lastError).toContain('ask the network coordinator for a hub pairing code (their dashboard: Devices → "Add an EPN hub") and give it with --upstream-code');
    expect(describeForwarderStatus(forward.status())).toContain('stopped: this hub is not paired with the network hub yet');
    expect(epn.hub.store.pendingForward(400)).toHaveLength(1);
  });

  it('refuses a pairing code the network hub does not know, without retrying it', async () => {
    const { epn, network, log } = await hubs();
    const forward = forwarder(epn, network.url, log, { pairingCode: 'K7QM-RXHP' });
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'needs-pairing' });
    expect(forward.status().lastError).toContain('this pairing code is not known to this hub');
    expect(forward.status().nextAttemptAt).toBeNull();
  });

  it('refuses to forward with a staff code, which is not a hub code', async () => {
    const { epn, network, log } = await hubs();
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('staff').code });
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'needs-pairing' });
    expect(forward.status().lastError).toContain('the pairing code was a staff code, and forwarding needs a hub code');
  });

  it('pairs again with its code when the network hub revoked its credential', async () => {
    const { epn, network, kiosk, log } = await hubs();
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code });
    await forward.forwardNow();
    const revoked = forward.status().deviceId!;
    expect(network.hub.store.revokeDevice(revoked)).toBe(true);

    await upload(epn, kiosk, [figures(MONDAY, 2)]);
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'retrying' });
    expect(log.join('\n')).toContain("the network hub refused this hub's credential");
    expect(await forward.forwardNow()).toEqual({ ok: true, forwardedDays: 1, kiosks: 1 });
    expect(forward.status().deviceId).not.toBe(revoked);
  });

  it('without a code, a revoked credential stops forwarding and says so', async () => {
    const { epn, network, kiosk, log } = await hubs();
    const pairing = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code });
    await pairing.forwardNow();
    await pairing.close();
    network.hub.store.revokeDevice(pairing.status().deviceId!);

    const forward = forwarder(epn, network.url, log);
    await upload(epn, kiosk, [figures(MONDAY, 2)]);
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'needs-pairing' });
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'needs-pairing' });
    expect(forward.status().lastError).toContain("the network hub no longer accepts this hub's credential");
  });

  it('never throws into the hub: a closed store becomes a failed round', async () => {
    const { epn, network, log } = await hubs();
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code });
    await epn.hub.close();
    const outcome = await forward.forwardNow();
    expect(outcome).toMatchObject({ ok: false, state: 'retrying' });
    expect(forward.status().lastError).toMatch(/^forwarding failed: /);
  });

  it('answers a round asked while another runs with a round after it, and nothing after close', async () => {
    const { epn, network, kiosk, log } = await hubs();
    const forward = forwarder(epn, network.url, log, { pairingCode: network.hub.issuePairingCode('hub').code });
    const first = forward.forwardNow();
    await upload(epn, kiosk, [figures(MONDAY, 6)]);
    const second = forward.forwardNow();
    const third = forward.forwardNow();
    expect(third).toBe(second);
    await first;
    await second;
    expect(sessionsUpstream(network, kiosk.kioskId!, MONDAY)).toBe(6);

    await forward.close();
    expect(forward.status().state).toBe('stopped');
    expect(await forward.forwardNow()).toMatchObject({ ok: false, state: 'stopped' });
  });
});

/** Timers the test fires by hand: the forwarder keeps at most one pending. */
class ManualTimers implements ForwarderTimers {
  readonly #pending = new Map<number, { readonly callback: () => void; readonly ms: number }>();
  #nextHandle = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.#nextHandle++;
    this.#pending.set(handle, { callback, ms });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  pendingDelays(): number[] {
    return [...this.#pending.values()].map((timer) => timer.ms);
  }

  /** Runs the one pending timer, as if its time had come. */
  fire(): void {
    const entries = [...this.#pending.entries()];
    if (entries.length !== 1) throw new Error(`expected one pending timer, found ${entries.length}`);
    const [handle, timer] = entries[0]!;
    this.#pending.delete(handle);
    timer.callback();
  }
}

describe('upstreamDeviceName', () => {
  it('is the site, else the machine, at most 60 characters', () => {
    expect(upstreamDeviceName(' EPN de Namur ')).toBe('EPN de Namur');
    expect(upstreamDeviceName('', 'staff-pc')).toBe('EPN hub on staff-pc');
    expect(upstreamDeviceName('x'.repeat(80))).toHaveLength(60);
  });
});
