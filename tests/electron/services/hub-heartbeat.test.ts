/**
 * The kiosk's heartbeat against a real hub on 127.0.0.1: what staff see of the kiosk,
 * the pace the hub asks for, a phase change sent at once, and the back-off while the hub
 * is down. The kiosk's timers run on a manual clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionPhaseSchema, type SessionPhase, type SessionSnapshot } from '../../../shared/contract';
import { DEFAULT_DISPLAY } from '../../../shared/display-settings';
import { HEARTBEAT_SECONDS, type KioskView } from '../../../shared/hub-api';
import { createHubCredentialKeeper, type HubCredentialKeeper } from '../../../electron/services/hub-credential';
import { kioskActivityOf, startHubHeartbeat, type HubHeartbeat } from '../../../electron/services/hub-heartbeat';
import { ManualClock } from '../../support/manual-clock';
import { randomHexId, startTestHub, type TestHub } from '../hub/hub-test-kit';
import { unusedPort } from '../preview/loopback-http';
import { waitUntil } from './fixtures/wait-until';

let folder: string;
let kits: TestHub[];
let heartbeats: HubHeartbeat[];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-heartbeat-'));
  kits = [];
  heartbeats = [];
});

afterEach(async () => {
  for (const heartbeat of heartbeats) heartbeat.close();
  await Promise.all(kits.map((kit) => kit.close()));
  rmSync(folder, { recursive: true, force: true });
});

async function hub(options: { port?: number; dataDir?: string } = {}): Promise<TestHub> {
  const kit = await startTestHub(options);
  kits.push(kit);
  return kit;
}

function snapshot(phase: SessionPhase): SessionSnapshot {
  return { phase, at: 0, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY };
}

interface Beating {
  readonly heartbeat: HubHeartbeat;
  readonly clock: ManualClock;
  readonly lines: string[];
  readonly credentials: HubCredentialKeeper;
  kiosk: { name: string; site: string };
}

function beating(hubUrl: string, pairingCode: string | undefined): Beating {
  const clock = new ManualClock();
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const state = { kiosk: { name: 'PC 3', site: 'EPN de Namur' } };
  const credentials = createHubCredentialKeeper({
    file: join(folder, 'hub-credential.json'),
    settings: () => ({ hubUrl, pairingCode, name: state.kiosk.name, site: state.kiosk.site }),
    kioskId: randomHexId(),
    now: () => clock.now(),
    log,
  });
  const heartbeat = startHubHeartbeat({ hubUrl: () => hubUrl, credentials, kiosk: () => state.kiosk, appVersion: '0.1.0', clock, log });
  heartbeats.push(heartbeat);
  return Object.assign(state, { heartbeat, clock, lines, credentials });
}

function kioskOn(kit: TestHub): KioskView | undefined {
  return kit.hub.store.listKiosks()[0];
}

describe('kioskActivityOf', () => {
  it('shows staff a free PC, a visitor there, or a PC out of order', () => {
    const expected: Record<SessionPhase, string> = {
      welcome: 'free',
      erased: 'free',
      active: 'in-session',
      'idle-warning': 'in-session',
      ending: 'in-session',
      'out-of-order': 'out-of-order',
    };
    for (const phase of SessionPhaseSchema.options) expect(kioskActivityOf(phase)).toBe(expected[phase]);
  });
});

describe('startHubHeartbeat', () => {
  it('pairs with the configured code, beats at once, then at the pace the hub asks for', async () => {
    const kit = await hub();
    const kiosk = beating(kit.url, kit.hub.issuePairingCode('kiosk').code);
    await waitUntil(() => kioskOn(kit)?.lastSeenAt !== null && kioskOn(kit) !== undefined && kiosk.clock.pendingTimers() === 1, 'the first heartbeat');
    expect(kioskOn(kit)).toMatchObject({ name: 'PC 3', site: 'EPN de Namur', activity: 'free', online: true });
    expect(kiosk.clock.nextDueAt()! - kiosk.clock.now()).toBe(HEARTBEAT_SECONDS * 1000);

    kiosk.kiosk = { name: 'PC 3 (by the window)', site: 'EPN de Namur' };
    kiosk.clock.advance(HEARTBEAT_SECONDS * 1000);
    await waitUntil(() => kioskOn(kit)?.name === 'PC 3 (by the window)', 'the renamed kiosk on the dashboard');
  });

  it('sends a change of activity at once, not at the next beat', async () => {
    const kit = await hub();
    const kiosk = beating(kit.url, kit.hub.issuePairingCode('kiosk').code);
    await waitUntil(() => kioskOn(kit)?.activity === 'free' && kiosk.clock.pendingTimers() === 1, 'the first heartbeat');
    kiosk.heartbeat.sessionChanged(snapshot('active'));
    await waitUntil(() => kioskOn(kit)?.activity === 'in-session', 'the visitor to show on the dashboard');
    kiosk.heartbeat.sessionChanged(snapshot('idle-warning'));
    kiosk.heartbeat.sessionChanged(snapshot('out-of-order'));
    await waitUntil(() => kioskOn(kit)?.activity === 'out-of-order', 'the PC to show out of order');
    kiosk.heartbeat.sessionChanged(snapshot('welcome'));
    await waitUntil(() => kioskOn(kit)?.activity === 'free', 'the PC to show free');
    await waitUntil(() => kiosk.clock.pendingTimers() === 1, 'one next beat armed');
  });

  it('backs off while the hub is down, says so once, and says when it answers again', async () => {
    const port = await unusedPort();
    const dataDir = join(folder, 'hub-data');
    const before = await hub({ port, dataDir });
    const kiosk = beating(before.url, before.hub.issuePairingCode('kiosk').code);
    await waitUntil(() => kioskOn(before) !== undefined && kiosk.clock.pendingTimers() === 1, 'the first heartbeat');
    await before.close();

    const delays: number[] = [];
    for (let beat = 0; beat < 4; beat += 1) {
      const due = kiosk.clock.nextDueAt()!;
      kiosk.clock.advanceTo(due);
      await waitUntil(() => kiosk.clock.pendingTimers() === 1 && kiosk.clock.nextDueAt()! > due, `failed beat ${beat + 1} to arm the next`);
      delays.push(kiosk.clock.nextDueAt()! - kiosk.clock.now());
    }
    expect(delays).toEqual([10_000, 30_000, 60_000, 60_000]);
    const failures = kiosk.lines.filter((line) => line.startsWith('heartbeat:'));
    // The first failure may meet a connection the hub closed, the next ones a refused connection: one line per kind of problem, not per beat.
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThanOrEqual(2);

    const after = await hub({ port, dataDir });
    after.clock.advance(60_000);
    kiosk.heartbeat.sessionChanged(snapshot('active'));
    await waitUntil(() => kioskOn(after)?.activity === 'in-session', 'the kiosk on the restarted hub');
    expect(kioskOn(after)!.lastSeenAt).toBe(after.clock.now());
    await waitUntil(() => kiosk.lines.some((line) => line.includes('answers again')), 'the recovery to be logged');
    expect(kiosk.clock.nextDueAt()! - kiosk.clock.now()).toBe(HEARTBEAT_SECONDS * 1000);
  });

  it('sends nothing and says what is missing when the kiosk is not paired and has no code', async () => {
    const kit = await hub();
    const kiosk = beating(kit.url, undefined);
    await waitUntil(() => kiosk.clock.pendingTimers() === 1, 'the retry to be armed');
    expect(kit.hub.store.listKiosks()).toEqual([]);
    expect(kiosk.lines.some((line) => line.includes('help.hub.pairingCode'))).toBe(true);
  });

  it('stops when closed', async () => {
    const kit = await hub();
    const kiosk = beating(kit.url, kit.hub.issuePairingCode('kiosk').code);
    await waitUntil(() => kiosk.clock.pendingTimers() === 1, 'the first heartbeat');
    kiosk.heartbeat.close();
    expect(kiosk.clock.pendingTimers()).toBe(0);
    kiosk.heartbeat.sessionChanged(snapshot('active'));
    expect(kiosk.clock.pendingTimers()).toBe(0);
  });
});
