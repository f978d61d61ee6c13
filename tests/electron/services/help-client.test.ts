/**
 * The kiosk's help call against a REAL hub on 127.0.0.1 (tests/electron/hub/hub-test-kit.ts:
 * a real hub.sqlite in a temporary folder) and a real webhook receiver: what the visitor
 * sees at each step, what helpers see on the hub, what goes to the usage log.
 *
 * Two manual clocks: the kiosk's (its retries and pauses), the hub's (the waiting times it
 * measures). The network is real, so the tests wait for what the kiosk announces (its
 * status, a retry armed on its clock) with a deadline, never for a fixed time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelpSettingsSchema, type HelpSettings } from '../../../shared/config/schema';
import { HelpStatusSchema, type HelpStatus, type SessionPhase, type SessionSnapshot } from '../../../shared/contract';
import { DEFAULT_DISPLAY } from '../../../shared/display-settings';
import { HelpRequestListSchema, HelpRequestViewSchema, type HelpRequestView } from '../../../shared/hub-api';
import { createHelpService, type HelpService } from '../../../electron/services/help-client';
import { claimHubCredential } from '../../../electron/services/hub-credential';
import { createMemoryUsageLog, type MemoryUsageLog } from '../../../electron/services/usage-log';
import { ManualClock } from '../../support/manual-clock';
import { hubFetch, randomHexId, startTestHub, type PairedDevice, type TestHub } from '../hub/hub-test-kit';
import { unusedPort } from '../preview/loopback-http';
import { waitUntil, waitUntilAsync } from './fixtures/wait-until';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver';

const KIOSK = { name: 'PC 3', site: 'EPN test' } as const;

let folder: string;
let kits: TestHub[];
let receivers: WebhookReceiver[];
let services: HelpService[];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-help-client-'));
  kits = [];
  receivers = [];
  services = [];
});

afterEach(async () => {
  for (const service of services) service.close();
  await Promise.all(kits.map((kit) => kit.close()));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  rmSync(folder, { recursive: true, force: true });
});

async function hub(options: { port?: number; dataDir?: string } = {}): Promise<TestHub> {
  const kit = await startTestHub({ ...options, limits: { pairingAttemptsPerMinutePerAddress: 100 } });
  kits.push(kit);
  return kit;
}

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
}

interface Kiosk {
  readonly service: HelpService;
  readonly clock: ManualClock;
  readonly usage: MemoryUsageLog;
  readonly lines: string[];
  /** Every status the visitor was shown, in order. */
  readonly shown: HelpStatus[];
  readonly credentialFile: string;
  settings: HelpSettings;
}

function kiosk(settings: unknown, options: { fetch?: typeof fetch; kioskId?: string } = {}): Kiosk {
  const clock = new ManualClock();
  const usage = createMemoryUsageLog({ now: () => clock.now() });
  const lines: string[] = [];
  const shown: HelpStatus[] = [];
  const credentialFile = join(folder, 'hub-credential.json');
  const built: Kiosk = {
    clock,
    usage,
    lines,
    shown,
    credentialFile,
    settings: HelpSettingsSchema.parse(settings),
    service: null as unknown as HelpService,
  };
  const service = createHelpService({
    settings: () => built.settings,
    kiosk: () => KIOSK,
    kioskId: options.kioskId ?? randomHexId(),
    credentialFile,
    usageLog: usage,
    clock,
    log: (line) => lines.push(line),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  service.onChange((status) => {
    expect(HelpStatusSchema.safeParse(status).success).toBe(true);
    shown.push(status);
  });
  services.push(service);
  return Object.assign(built, { service });
}

function snapshot(phase: SessionPhase, at: number): SessionSnapshot {
  return { phase, at, language: phase === 'welcome' ? null : 'fr', countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: phase === 'ending' ? 'visitor' : null, display: DEFAULT_DISPLAY };
}

function helpEvents(usage: MemoryUsageLog) {
  return usage.events().map((recorded) => recorded.event);
}

async function openRequests(kit: TestHub, staff: PairedDevice): Promise<HelpRequestView[]> {
  const answer = await hubFetch(kit.url, '/help-requests', { token: staff.token });
  expect(answer.status).toBe(200);
  return HelpRequestListSchema.parse(answer.body).requests;
}

async function requestOnHub(kit: TestHub, staff: PairedDevice, id: string): Promise<HelpRequestView> {
  const answer = await hubFetch(kit.url, `/help-requests/${id}`, { token: staff.token });
  expect(answer.status).toBe(200);
  return HelpRequestViewSchema.parse(answer.body);
}

async function staffDoes(kit: TestHub, staff: PairedDevice, id: string, action: 'acknowledge' | 'resolve'): Promise<void> {
  const answer = await hubFetch(kit.url, `/help-requests/${id}/${action}`, { token: staff.token, json: {} });
  expect(answer.status).toBe(200);
}

/** Advances the kiosk's clock through every retry it arms until `condition` holds. */
async function driveUntil(clock: ManualClock, condition: () => boolean, what: string): Promise<void> {
  await waitUntil(() => {
    if (condition()) return true;
    const due = clock.nextDueAt();
    if (due !== null) clock.advanceTo(Math.max(due, clock.now()));
    return condition();
  }, what, 20_000);
}

/** A kiosk paired with `kit` through its configured pairing code. */
async function pairedKiosk(kit: TestHub, extra: Record<string, unknown> = {}, options: { fetch?: typeof fetch } = {}): Promise<Kiosk> {
  const { code } = kit.hub.issuePairingCode('kiosk');
  return kiosk({ hub: { url: kit.url, pairingCode: code }, ...extra }, options);
}

describe('with the hub', () => {
  it('request → called; staff acknowledges → coming with the wait recorded; staff resolves → none', async () => {
    const kit = await hub();
    const staff = await kit.pair('staff');
    const visitor = await pairedKiosk(kit);

    const answered = await visitor.service.request({ serviceId: 'myminfin', language: 'fr' });
    expect(answered).toEqual({ state: 'called', requestedAt: visitor.clock.now(), canBeAcknowledged: true });
    expect(visitor.shown.map((status) => status.state)).toEqual(['calling', 'called']);

    const [onHub, ...others] = await openRequests(kit, staff);
    expect(others).toEqual([]);
    expect(onHub).toMatchObject({ kioskName: 'PC 3', site: 'EPN test', serviceId: 'myminfin', language: 'fr', state: 'waiting', createdAt: kit.clock.now() });

    kit.clock.advance(95_000);
    await staffDoes(kit, staff, onHub!.id, 'acknowledge');
    await waitUntil(() => visitor.service.status().state === 'coming', 'the visitor to see "a helper is coming"');
    expect(visitor.service.status()).toEqual({ state: 'coming', requestedAt: answered.state === 'called' ? answered.requestedAt : -1 });
    expect(helpEvents(visitor.usage)).toEqual([{ type: 'help-acknowledged', waitSeconds: 95 }]);

    kit.clock.advance(300_000);
    await staffDoes(kit, staff, onHub!.id, 'resolve');
    await waitUntil(() => visitor.service.status().state === 'none', 'the call to be over');
    expect(helpEvents(visitor.usage)).toEqual([
      { type: 'help-acknowledged', waitSeconds: 95 },
      { type: 'help-resolved', waitSeconds: 395 },
    ]);
    expect(visitor.shown.map((status) => status.state)).toEqual(['calling', 'called', 'coming', 'none']);
    expect(visitor.clock.pendingTimers()).toBe(0);
  });

  it('a second press while the call is open changes nothing, on the kiosk or on the hub', async () => {
    const kit = await hub();
    const staff = await kit.pair('staff');
    const visitor = await pairedKiosk(kit);
    const first = await visitor.service.request({ serviceId: null, language: 'nl' });
    const second = await visitor.service.request({ serviceId: 'myminfin', language: 'fr' });
    expect(second).toEqual(first);
    const open = await openRequests(kit, staff);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ serviceId: null, language: 'nl' });
  });

  it('the visitor cancels: none at once, cancelled on the hub, help-cancelled with the wait', async () => {
    const kit = await hub();
    const staff = await kit.pair('staff');
    const visitor = await pairedKiosk(kit);
    await visitor.service.request({ serviceId: 'myminfin', language: 'fr' });
    const [onHub] = await openRequests(kit, staff);

    visitor.clock.advance(42_000);
    expect(await visitor.service.cancel()).toEqual({ state: 'none' });
    expect(visitor.service.status()).toEqual({ state: 'none' });
    expect(helpEvents(visitor.usage)).toEqual([{ type: 'help-cancelled', waitSeconds: 42 }]);
    await waitUntilAsync(async () => (await requestOnHub(kit, staff, onHub!.id)).state === 'cancelled', 'the hub to show the request cancelled');
    expect(await openRequests(kit, staff)).toEqual([]);
    expect(visitor.clock.pendingTimers()).toBe(0);
    // Nothing is recorded twice when the hub's "cancelled" comes back.
    expect(helpEvents(visitor.usage)).toHaveLength(1);
  });

  it('the session ends: the call is withdrawn on the hub; the idle warning alone keeps it', async () => {
    const kit = await hub();
    const staff = await kit.pair('staff');
    const visitor = await pairedKiosk(kit);
    visitor.service.sessionChanged(snapshot('active', visitor.clock.now()));
    await visitor.service.request({ serviceId: null, language: 'fr' });
    const [onHub] = await openRequests(kit, staff);
    visitor.service.sessionChanged(snapshot('idle-warning', visitor.clock.now()));
    visitor.service.sessionChanged(snapshot('active', visitor.clock.now()));
    expect(visitor.service.status().state).toBe('called');
    visitor.clock.advance(10_000);
    visitor.service.sessionChanged(snapshot('ending', visitor.clock.now()));
    expect(visitor.service.status()).toEqual({ state: 'none' });
    expect(helpEvents(visitor.usage)).toEqual([{ type: 'help-cancelled', waitSeconds: 10 }]);
    await waitUntilAsync(async () => (await requestOnHub(kit, staff, onHub!.id)).state === 'cancelled', 'the hub to show the request cancelled');
  });

  it('hub unreachable: unreachable with the next attempt; the hub starts on that port → delivered once, even when an answer was lost', async () => {
    const port = await unusedPort();
    const dataDir = join(folder, 'hub-data');
    // Pair the kiosk and a staff device, then stop the hub: the EPN's hub is down when the visitor presses Help.
    const before = await hub({ port, dataDir });
    const staff = await before.pair('staff');
    const { code } = before.hub.issuePairingCode('kiosk');
    const kioskId = randomHexId();
    const paired = await claimHubCredential({ file: join(folder, 'hub-credential.json'), hubUrl: before.url, code, name: 'PC 3', site: 'EPN test', kioskId });
    expect(paired.ok).toBe(true);
    await before.close();

    let createAttempts = 0;
    const losingFirstAnswer: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (init?.method === 'POST' && new URL(String(input)).pathname === '/api/v1/help-requests') {
        createAttempts += 1;
        // The hub took the first request, but its answer never comes back: the network dropped it.
        if (createAttempts === 1) throw new TypeError('fetch failed', { cause: new Error('the connection was reset (ECONNRESET)') });
      }
      return answer;
    };
    const visitor = kiosk({ hub: { url: `http://127.0.0.1:${port}` } }, { fetch: losingFirstAnswer, kioskId });
    const pressedAt = visitor.clock.now();

    const answered = await visitor.service.request({ serviceId: 'myminfin', language: 'fr' });
    expect(answered).toEqual({ state: 'unreachable', requestedAt: pressedAt, nextAttemptAt: pressedAt + 2_000 });
    expect(visitor.lines.filter((line) => line.includes('(attempt 1)') && line.includes('trying again in 2 s'))).toHaveLength(1);

    // Still down at the first retry: the next one is further away.
    visitor.clock.advance(2_000);
    await waitUntil(() => visitor.service.status().state === 'unreachable' && (visitor.service.status() as { nextAttemptAt: number }).nextAttemptAt === pressedAt + 7_000, 'the second retry to be planned');

    const after = await hub({ port, dataDir });
    after.clock.advanceTo(before.clock.now() + 60_000);
    visitor.clock.advance(5_000);
    // The first delivery's answer is lost: the kiosk tries again, with the same clientRequestId.
    await waitUntil(() => createAttempts === 1 && visitor.clock.pendingTimers() === 1, 'the lost answer to be retried');
    await driveUntil(visitor.clock, () => visitor.service.status().state === 'called', 'the call to be delivered');
    expect(createAttempts).toBe(2);

    const open = await openRequests(after, staff);
    expect(open).toHaveLength(1);
    // Dated from the press: the request first reached the hub 7 s after it (by the kiosk's clock); the retry changed nothing.
    expect(open[0]!.createdAt).toBe(after.clock.now() - 7_000);
    // Each new next attempt is shown; the states themselves go only forward.
    expect(visitor.shown.map((status) => status.state).filter((state, index, states) => state !== states[index - 1])).toEqual(['calling', 'unreachable', 'called']);
    expect(visitor.shown.filter((status) => status.state === 'unreachable').map((status) => (status as { nextAttemptAt: number }).nextAttemptAt - pressedAt)).toEqual([2_000, 7_000, 17_000]);
  });

  it('the hub restarts in the middle of a long poll: the call still ends as coming', async () => {
    const kit = await hub();
    const staff = await kit.pair('staff');
    let polls = 0;
    const countingPolls: typeof fetch = (input, init) => {
      if ((init?.method ?? 'GET') === 'GET' && new URL(String(input)).searchParams.has('after')) polls += 1;
      return fetch(input, init);
    };
    const visitor = await pairedKiosk(kit, {}, { fetch: countingPolls });
    await visitor.service.request({ serviceId: null, language: 'de' });
    const [onHub] = await openRequests(kit, staff);
    await waitUntil(() => polls === 1, 'the kiosk to wait on the hub for news of its request');
    await kit.restart();
    // The staff device's own first request may meet a connection the old hub closed: it tries again, as a dashboard does.
    await waitUntilAsync(async () => {
      try {
        await staffDoes(kit, staff, onHub!.id, 'acknowledge');
        return true;
      } catch {
        return false;
      }
    }, 'staff to acknowledge on the restarted hub');
    await driveUntil(visitor.clock, () => visitor.service.status().state === 'coming', 'the visitor to see "a helper is coming"');
    expect(helpEvents(visitor.usage)).toEqual([{ type: 'help-acknowledged', waitSeconds: 0 }]);
    expect(await openRequests(kit, staff)).toHaveLength(1);
  });

  it('the session ends while the hub is unreachable: the request is never delivered', async () => {
    const port = await unusedPort();
    const dataDir = join(folder, 'hub-data');
    const before = await hub({ port, dataDir });
    const staff = await before.pair('staff');
    const { code } = before.hub.issuePairingCode('kiosk');
    const kioskId = randomHexId();
    expect((await claimHubCredential({ file: join(folder, 'hub-credential.json'), hubUrl: before.url, code, name: 'PC 3', site: '', kioskId })).ok).toBe(true);
    await before.close();

    const visitor = kiosk({ hub: { url: `http://127.0.0.1:${port}` } }, { kioskId });
    visitor.service.sessionChanged(snapshot('active', visitor.clock.now()));
    expect((await visitor.service.request({ serviceId: null, language: 'fr' })).state).toBe('unreachable');
    visitor.clock.advance(30_000);
    await waitUntil(() => visitor.clock.pendingTimers() === 1, 'the next retry to be planned');
    visitor.service.sessionChanged(snapshot('ending', visitor.clock.now()));
    expect(visitor.service.status()).toEqual({ state: 'none' });
    expect(visitor.clock.pendingTimers()).toBe(0);
    expect(helpEvents(visitor.usage)).toEqual([{ type: 'help-cancelled', waitSeconds: 30 }]);

    const after = await hub({ port, dataDir });
    visitor.clock.advance(3_600_000);
    expect(await openRequests(after, staff)).toEqual([]);
    expect(after.hub.store.openHelpRequests()).toEqual([]);
  });

  it('a kiosk with no credential and no pairing code is told nothing reached the hub, and why in the log', async () => {
    const kit = await hub();
    const visitor = kiosk({ hub: { url: kit.url }, fallback: { phone: '+32 81 24 00 00' } });
    const answered = await visitor.service.request({ serviceId: null, language: 'fr' });
    expect(answered.state).toBe('unreachable');
    expect(visitor.lines.join('\n')).toContain('help.hub.pairingCode');
  });
});

describe('with webhooks', () => {
  it('webhook only: called, with nobody able to answer through it', async () => {
    const ntfy = await receiver();
    const visitor = kiosk({ webhooks: [{ url: ntfy.url('/epn-help'), format: 'ntfy' }] });
    const answered = await visitor.service.request({ serviceId: 'myminfin', language: 'fr' });
    expect(answered).toEqual({ state: 'called', requestedAt: visitor.clock.now(), canBeAcknowledged: false });
    expect(ntfy.received).toHaveLength(1);
    expect(ntfy.received[0]!.body).toMatchObject({ topic: 'epn-help', message: 'PC 3 (EPN test) asks for help — service: myminfin, language: fr' });
    visitor.clock.advance(61_000);
    await visitor.service.cancel();
    expect(helpEvents(visitor.usage)).toEqual([{ type: 'help-cancelled', waitSeconds: 61 }]);
  });

  it('a webhook failing with 500s: unreachable, retried on the schedule, then called', async () => {
    const hook = await receiver();
    hook.answerWith(500, 503);
    const visitor = kiosk({ webhooks: [{ url: hook.url('/hook'), format: 'json' }] });
    const pressedAt = visitor.clock.now();
    expect(await visitor.service.request({ serviceId: null, language: 'en' })).toEqual({ state: 'unreachable', requestedAt: pressedAt, nextAttemptAt: pressedAt + 2_000 });
    await driveUntil(visitor.clock, () => visitor.service.status().state === 'called', 'the webhook to take the call');
    expect(hook.received).toHaveLength(3);
    expect(visitor.clock.now()).toBe(pressedAt + 7_000);
    expect(visitor.lines.filter((line) => line.includes('trying again'))).toHaveLength(2);
  });

  it('a webhook that refuses the request for good, and no other channel: the visitor is sent to a helper in the room', async () => {
    const hook = await receiver();
    hook.answerWith(401);
    const visitor = kiosk({ webhooks: [{ url: hook.url('/message?token=wrong'), format: 'gotify' }] });
    expect(await visitor.service.request({ serviceId: null, language: 'fr' })).toEqual({ state: 'no-channel' });
    expect(visitor.clock.pendingTimers()).toBe(0);
    expect(visitor.lines.join('\n')).toContain('not tried again');
  });

  it('hub and webhook: both get the call, the hub\'s state decides', async () => {
    const kit = await hub();
    const staff = await kit.pair('staff');
    const hook = await receiver();
    const visitor = await pairedKiosk(kit, { webhooks: [{ url: hook.url('/hook'), format: 'json' }] });
    await visitor.service.request({ serviceId: null, language: 'fr' });
    await waitUntil(() => visitor.service.status().state === 'called' && (visitor.service.status() as { canBeAcknowledged: boolean }).canBeAcknowledged, 'the hub to have the call');
    expect(hook.received).toHaveLength(1);
    const [onHub] = await openRequests(kit, staff);
    await staffDoes(kit, staff, onHub!.id, 'acknowledge');
    await waitUntil(() => visitor.service.status().state === 'coming', 'the visitor to see "a helper is coming"');
  });

  it('hub down, webhook up: helpers were told, so the visitor sees "called"; the hub gets it when it returns', async () => {
    const port = await unusedPort();
    const dataDir = join(folder, 'hub-data');
    const before = await hub({ port, dataDir });
    const staff = await before.pair('staff');
    const { code } = before.hub.issuePairingCode('kiosk');
    const kioskId = randomHexId();
    expect((await claimHubCredential({ file: join(folder, 'hub-credential.json'), hubUrl: before.url, code, name: 'PC 3', site: '', kioskId })).ok).toBe(true);
    await before.close();
    const hook = await receiver();
    const visitor = kiosk({ hub: { url: `http://127.0.0.1:${port}` }, webhooks: [{ url: hook.url('/hook'), format: 'json' }] }, { kioskId });

    await visitor.service.request({ serviceId: null, language: 'fr' });
    await waitUntil(() => visitor.service.status().state === 'called', 'the webhook to take the call');
    expect(visitor.service.status()).toMatchObject({ canBeAcknowledged: false });

    const after = await hub({ port, dataDir });
    await driveUntil(visitor.clock, () => (visitor.service.status() as { canBeAcknowledged?: boolean }).canBeAcknowledged === true, 'the hub to have the call');
    expect(await openRequests(after, staff)).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
  });
});

describe('with no channel', () => {
  it('answers no-channel, sends nothing, and the visitor can dismiss it', async () => {
    const visitor = kiosk({ fallback: { phone: '+32 81 24 00 00' } });
    expect(await visitor.service.request({ serviceId: null, language: 'fr' })).toEqual({ state: 'no-channel' });
    expect(visitor.service.status()).toEqual({ state: 'no-channel' });
    expect(visitor.clock.pendingTimers()).toBe(0);
    expect(await visitor.service.cancel()).toEqual({ state: 'none' });
    expect(helpEvents(visitor.usage)).toEqual([]);
    expect(visitor.shown).toEqual([{ state: 'no-channel' }, { state: 'none' }]);
  });

  it('forgets the no-channel answer when the session ends', async () => {
    const visitor = kiosk({});
    visitor.service.sessionChanged(snapshot('active', visitor.clock.now()));
    await visitor.service.request({ serviceId: null, language: 'fr' });
    visitor.service.sessionChanged(snapshot('ending', visitor.clock.now()));
    expect(visitor.service.status()).toEqual({ state: 'none' });
    expect(helpEvents(visitor.usage)).toEqual([]);
  });
});

describe('never throws into the caller', () => {
  it('a listener that throws, or a usage log that throws, only costs a log line', async () => {
    const hook = await receiver();
    const visitor = kiosk({ webhooks: [{ url: hook.url('/hook'), format: 'json' }] });
    visitor.service.onChange(() => {
      throw new Error('a broken screen');
    });
    expect((await visitor.service.request({ serviceId: null, language: 'fr' })).state).toBe('called');
    expect(visitor.lines.some((line) => line.includes('a broken screen'))).toBe(true);
  });

  it('after close, requests answer without sending anything', async () => {
    const hook = await receiver();
    const visitor = kiosk({ webhooks: [{ url: hook.url('/hook'), format: 'json' }] });
    visitor.service.close();
    expect(await visitor.service.request({ serviceId: null, language: 'fr' })).toEqual({ state: 'none' });
    expect(hook.received).toEqual([]);
  });
});
