/**
 * The help call's decisions, situation by situation, with time as plain numbers.
 */
import { describe, expect, it } from 'vitest';
import { HelpSettingsSchema, type HelpSettings } from '../../shared/config/schema';
import { HelpStatusSchema, SessionPhaseSchema, type HelpStatus, type SessionPhase } from '../../shared/contract';
import {
  decideHelpPress,
  deliveryDelayMs,
  helpCallEndsWithPhaseChange,
  helpChannelsOf,
  helpStatusOf,
  isFinalHubState,
  isHelpCallOpen,
  usageEventForWithdrawal,
  usageEventsForHubView,
  waitSecondsBetween,
  type HelpCallLegs,
  type HubLeg,
  type WebhookLeg,
} from '../../shared/help-call';
import { HelpRequestStateSchema, MAX_DELIVERY_DELAY_MS, type HelpRequestView } from '../../shared/hub-api';
import { MAX_USAGE_SECONDS, UsageEventSchema } from '../../shared/usage-events';

const PRESSED = 1_736_154_000_000;

function call(hub: HubLeg, webhooks: readonly WebhookLeg[] = []): HelpCallLegs {
  return { requestedAt: PRESSED, hub, webhooks };
}

function settings(input: unknown): HelpSettings {
  return HelpSettingsSchema.parse(input);
}

const noChannels = settings({});
const hubOnly = settings({ hub: { url: 'http://192.168.1.10:8470' } });
const webhookOnly = settings({ webhooks: [{ url: 'https://ntfy.example.org/epn', format: 'ntfy' }] });
const both = settings({ hub: { url: 'http://192.168.1.10:8470' }, webhooks: [{ url: 'https://ntfy.example.org/epn', format: 'ntfy' }, { url: 'https://hooks.example.org/x' }] });

describe('helpChannelsOf', () => {
  it('says which channels the configuration gives', () => {
    expect(helpChannelsOf(noChannels)).toEqual({ hub: false, webhooks: 0 });
    expect(helpChannelsOf(hubOnly)).toEqual({ hub: true, webhooks: 0 });
    expect(helpChannelsOf(webhookOnly)).toEqual({ hub: false, webhooks: 1 });
    expect(helpChannelsOf(both)).toEqual({ hub: true, webhooks: 2 });
  });
});

describe('helpStatusOf', () => {
  it('no call: none', () => {
    expect(helpStatusOf(null)).toEqual({ state: 'none' });
  });

  it('no hub and no webhook: no-channel', () => {
    expect(helpStatusOf(call({ kind: 'absent' }))).toEqual({ state: 'no-channel' });
  });

  describe('with the hub only', () => {
    it('calling while the first attempt runs', () => {
      expect(helpStatusOf(call({ kind: 'sending' }))).toEqual({ state: 'calling', requestedAt: PRESSED });
    });

    it('unreachable with the next attempt when it failed', () => {
      expect(helpStatusOf(call({ kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }))).toEqual({ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 2_000 });
    });

    it('called (a helper can answer) once the hub has it waiting', () => {
      expect(helpStatusOf(call({ kind: 'delivered', state: 'waiting' }))).toEqual({ state: 'called', requestedAt: PRESSED, canBeAcknowledged: true });
    });

    it('coming once a helper acknowledged', () => {
      expect(helpStatusOf(call({ kind: 'delivered', state: 'acknowledged' }))).toEqual({ state: 'coming', requestedAt: PRESSED });
    });

    it('none once resolved or cancelled', () => {
      expect(helpStatusOf(call({ kind: 'delivered', state: 'resolved' }))).toEqual({ state: 'none' });
      expect(helpStatusOf(call({ kind: 'delivered', state: 'cancelled' }))).toEqual({ state: 'none' });
    });
  });

  describe('with webhooks only', () => {
    it('calling while the first attempts run', () => {
      expect(helpStatusOf(call({ kind: 'absent' }, [{ kind: 'sending' }]))).toEqual({ state: 'calling', requestedAt: PRESSED });
    });

    it('called (nobody can answer through a webhook) once one got through', () => {
      expect(helpStatusOf(call({ kind: 'absent' }, [{ kind: 'retrying', nextAttemptAt: PRESSED + 5_000 }, { kind: 'delivered' }]))).toEqual({ state: 'called', requestedAt: PRESSED, canBeAcknowledged: false });
    });

    it('a delivered webhook does not wait for another still sending', () => {
      expect(helpStatusOf(call({ kind: 'absent' }, [{ kind: 'sending' }, { kind: 'delivered' }]))).toMatchObject({ state: 'called', canBeAcknowledged: false });
    });

    it('a webhook that refused the request for good counts as no channel: with none left, no-channel', () => {
      expect(helpStatusOf(call({ kind: 'absent' }, [{ kind: 'failed' }]))).toEqual({ state: 'no-channel' });
      expect(helpStatusOf(call({ kind: 'absent' }, [{ kind: 'failed' }, { kind: 'sending' }]))).toEqual({ state: 'calling', requestedAt: PRESSED });
      expect(helpStatusOf(call({ kind: 'absent' }, [{ kind: 'failed' }, { kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }]))).toEqual({ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 2_000 });
      expect(helpStatusOf(call({ kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }, [{ kind: 'failed' }]))).toEqual({ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 2_000 });
      expect(helpStatusOf(call({ kind: 'delivered', state: 'waiting' }, [{ kind: 'failed' }]))).toMatchObject({ state: 'called', canBeAcknowledged: true });
    });

    it('unreachable with the soonest next attempt when all failed', () => {
      const legs: WebhookLeg[] = [{ kind: 'retrying', nextAttemptAt: PRESSED + 10_000 }, { kind: 'retrying', nextAttemptAt: PRESSED + 5_000 }];
      expect(helpStatusOf(call({ kind: 'absent' }, legs))).toEqual({ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 5_000 });
    });
  });

  describe('with the hub and webhooks', () => {
    it('the hub\'s state wins once it has the request', () => {
      expect(helpStatusOf(call({ kind: 'delivered', state: 'waiting' }, [{ kind: 'delivered' }]))).toMatchObject({ state: 'called', canBeAcknowledged: true });
      expect(helpStatusOf(call({ kind: 'delivered', state: 'waiting' }, [{ kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }]))).toMatchObject({ state: 'called', canBeAcknowledged: true });
      expect(helpStatusOf(call({ kind: 'delivered', state: 'acknowledged' }, [{ kind: 'delivered' }]))).toEqual({ state: 'coming', requestedAt: PRESSED });
      expect(helpStatusOf(call({ kind: 'delivered', state: 'resolved' }, [{ kind: 'delivered' }]))).toEqual({ state: 'none' });
    });

    it('while the hub cannot be reached, a webhook that got through means helpers were told', () => {
      expect(helpStatusOf(call({ kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }, [{ kind: 'delivered' }]))).toEqual({ state: 'called', requestedAt: PRESSED, canBeAcknowledged: false });
      expect(helpStatusOf(call({ kind: 'sending' }, [{ kind: 'delivered' }]))).toMatchObject({ state: 'called', canBeAcknowledged: false });
    });

    it('calling while any first attempt runs and none got through', () => {
      expect(helpStatusOf(call({ kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }, [{ kind: 'sending' }]))).toEqual({ state: 'calling', requestedAt: PRESSED });
      expect(helpStatusOf(call({ kind: 'sending' }, [{ kind: 'retrying', nextAttemptAt: PRESSED + 2_000 }]))).toEqual({ state: 'calling', requestedAt: PRESSED });
    });

    it('unreachable with the soonest next attempt of all legs when nothing got through', () => {
      expect(helpStatusOf(call({ kind: 'retrying', nextAttemptAt: PRESSED + 7_000 }, [{ kind: 'retrying', nextAttemptAt: PRESSED + 9_000 }]))).toEqual({ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 7_000 });
      expect(helpStatusOf(call({ kind: 'retrying', nextAttemptAt: PRESSED + 7_000 }, [{ kind: 'retrying', nextAttemptAt: PRESSED + 3_000 }]))).toMatchObject({ nextAttemptAt: PRESSED + 3_000 });
    });
  });

  it('always answers a status the contract accepts', () => {
    const hubLegs: HubLeg[] = [{ kind: 'absent' }, { kind: 'sending' }, { kind: 'retrying', nextAttemptAt: PRESSED + 1 }, ...HelpRequestStateSchema.options.map((state) => ({ kind: 'delivered' as const, state }))];
    const webhookSets: WebhookLeg[][] = [[], [{ kind: 'sending' }], [{ kind: 'delivered' }], [{ kind: 'failed' }], [{ kind: 'retrying', nextAttemptAt: PRESSED + 2 }], [{ kind: 'sending' }, { kind: 'retrying', nextAttemptAt: PRESSED + 3 }], [{ kind: 'failed' }, { kind: 'retrying', nextAttemptAt: PRESSED + 4 }]];
    for (const hub of hubLegs) {
      for (const webhooks of webhookSets) expect(HelpStatusSchema.safeParse(helpStatusOf(call(hub, webhooks))).success).toBe(true);
    }
  });
});

describe('isHelpCallOpen', () => {
  it('is open while calling, called, coming or unreachable', () => {
    const statuses: [HelpStatus, boolean][] = [
      [{ state: 'none' }, false],
      [{ state: 'no-channel' }, false],
      [{ state: 'calling', requestedAt: PRESSED }, true],
      [{ state: 'called', requestedAt: PRESSED, canBeAcknowledged: true }, true],
      [{ state: 'coming', requestedAt: PRESSED }, true],
      [{ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 2_000 }, true],
    ];
    for (const [status, open] of statuses) expect(isHelpCallOpen(status)).toBe(open);
  });

  it('the hub\'s final states are resolved and cancelled', () => {
    expect(HelpRequestStateSchema.options.filter(isFinalHubState)).toEqual(['resolved', 'cancelled']);
  });
});

describe('decideHelpPress', () => {
  it('a second press while a call is open changes nothing', () => {
    for (const status of [
      { state: 'calling', requestedAt: PRESSED },
      { state: 'called', requestedAt: PRESSED, canBeAcknowledged: false },
      { state: 'coming', requestedAt: PRESSED },
      { state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 1 },
    ] satisfies HelpStatus[]) {
      expect(decideHelpPress(status, both)).toEqual({ kind: 'keep' });
    }
  });

  it('with no channel configured, the visitor is sent to a helper in the room', () => {
    expect(decideHelpPress({ state: 'none' }, noChannels)).toEqual({ kind: 'no-channel' });
    expect(decideHelpPress({ state: 'no-channel' }, noChannels)).toEqual({ kind: 'no-channel' });
  });

  it('otherwise a new call starts on the configured channels (also after a no-channel answer, if the configuration changed)', () => {
    expect(decideHelpPress({ state: 'none' }, hubOnly)).toEqual({ kind: 'start', channels: { hub: true, webhooks: 0 } });
    expect(decideHelpPress({ state: 'no-channel' }, webhookOnly)).toEqual({ kind: 'start', channels: { hub: false, webhooks: 1 } });
  });
});

describe('helpCallEndsWithPhaseChange', () => {
  const phases = SessionPhaseSchema.options;
  const visitorPhases: SessionPhase[] = ['active', 'idle-warning'];

  it('ends the call when the session leaves the visitor\'s phases', () => {
    for (const previous of visitorPhases) {
      for (const next of phases) expect(helpCallEndsWithPhaseChange(previous, next)).toBe(!visitorPhases.includes(next));
    }
  });

  it('keeps it between the visitor\'s phases (the idle warning and "I\'m still here")', () => {
    expect(helpCallEndsWithPhaseChange('active', 'idle-warning')).toBe(false);
    expect(helpCallEndsWithPhaseChange('idle-warning', 'active')).toBe(false);
  });

  it('leaves alone a call made with no session, and the first snapshot seen', () => {
    for (const previous of phases.filter((phase) => !visitorPhases.includes(phase))) {
      for (const next of phases) expect(helpCallEndsWithPhaseChange(previous, next)).toBe(false);
    }
    for (const next of phases) expect(helpCallEndsWithPhaseChange(null, next)).toBe(false);
  });
});

describe('waiting times', () => {
  it('rounds to whole seconds', () => {
    expect(waitSecondsBetween(PRESSED, PRESSED + 61_499)).toBe(61);
    expect(waitSecondsBetween(PRESSED, PRESSED + 61_500)).toBe(62);
  });

  it('never goes below 0 or above what a usage event may carry', () => {
    expect(waitSecondsBetween(PRESSED, PRESSED - 5_000)).toBe(0);
    expect(waitSecondsBetween(PRESSED, PRESSED + 30 * 24 * 3600 * 1000)).toBe(MAX_USAGE_SECONDS);
    expect(waitSecondsBetween(Number.NaN, PRESSED)).toBe(0);
  });

  it('the delivery delay for the hub: from the press, within a day', () => {
    expect(deliveryDelayMs(PRESSED, PRESSED)).toBe(0);
    expect(deliveryDelayMs(PRESSED, PRESSED + 37_250.6)).toBe(37_251);
    expect(deliveryDelayMs(PRESSED, PRESSED - 10)).toBe(0);
    expect(deliveryDelayMs(PRESSED, PRESSED + 2 * MAX_DELIVERY_DELAY_MS)).toBe(MAX_DELIVERY_DELAY_MS);
    expect(deliveryDelayMs(PRESSED, Number.POSITIVE_INFINITY)).toBe(0);
  });
});

describe('usage events from the hub\'s views', () => {
  const CREATED = 1_000_000;
  const waiting: HelpRequestView = {
    id: 'a'.repeat(32),
    kioskDeviceId: 'b'.repeat(32),
    kioskName: 'PC 3',
    site: 'EPN de Namur',
    serviceId: 'myminfin',
    language: 'fr',
    state: 'waiting',
    createdAt: CREATED,
    acknowledgedAt: null,
    closedAt: null,
    revision: 1,
  };
  const acknowledged: HelpRequestView = { ...waiting, state: 'acknowledged', acknowledgedAt: CREATED + 95_400, revision: 2 };
  const resolved: HelpRequestView = { ...acknowledged, state: 'resolved', closedAt: CREATED + 400_000, revision: 3 };

  it('a new request records nothing (help-requested is the session\'s)', () => {
    expect(usageEventsForHubView(null, waiting, false)).toEqual([]);
  });

  it('"I\'m coming": help-acknowledged with the wait on the hub\'s clock', () => {
    expect(usageEventsForHubView(waiting, acknowledged, false)).toEqual([{ type: 'help-acknowledged', waitSeconds: 95 }]);
  });

  it('"Done": help-resolved with the time from the press', () => {
    expect(usageEventsForHubView(acknowledged, resolved, false)).toEqual([{ type: 'help-resolved', waitSeconds: 400 }]);
  });

  it('both at once when the kiosk missed the acknowledgement (a lost poll, a hub restart)', () => {
    expect(usageEventsForHubView(waiting, resolved, false)).toEqual([
      { type: 'help-acknowledged', waitSeconds: 95 },
      { type: 'help-resolved', waitSeconds: 400 },
    ]);
    expect(usageEventsForHubView(null, acknowledged, false)).toEqual([{ type: 'help-acknowledged', waitSeconds: 95 }]);
  });

  it('resolved directly from waiting: only help-resolved', () => {
    expect(usageEventsForHubView(waiting, { ...waiting, state: 'resolved', closedAt: CREATED + 60_000, revision: 2 }, false)).toEqual([{ type: 'help-resolved', waitSeconds: 60 }]);
  });

  it('cancelled: recorded unless the kiosk withdrew it itself (it recorded that already)', () => {
    const cancelled: HelpRequestView = { ...waiting, state: 'cancelled', closedAt: CREATED + 30_000, revision: 2 };
    expect(usageEventsForHubView(waiting, cancelled, false)).toEqual([{ type: 'help-cancelled', waitSeconds: 30 }]);
    expect(usageEventsForHubView(waiting, cancelled, true)).toEqual([]);
  });

  it('nothing twice: the same or an older revision, or anything after a final state', () => {
    expect(usageEventsForHubView(acknowledged, acknowledged, false)).toEqual([]);
    expect(usageEventsForHubView(resolved, acknowledged, false)).toEqual([]);
    expect(usageEventsForHubView(resolved, { ...resolved, revision: 4 }, false)).toEqual([]);
  });

  it('every event it gives is a valid usage event, even with a hub clock gone wrong', () => {
    const broken: HelpRequestView = { ...resolved, acknowledgedAt: CREATED - 50_000, closedAt: CREATED + 90 * 24 * 3600 * 1000 };
    const events = usageEventsForHubView(waiting, broken, false);
    expect(events).toEqual([
      { type: 'help-acknowledged', waitSeconds: 0 },
      { type: 'help-resolved', waitSeconds: MAX_USAGE_SECONDS },
    ]);
    for (const event of events) expect(UsageEventSchema.safeParse(event).success).toBe(true);
  });
});

describe('usageEventForWithdrawal', () => {
  it('records help-cancelled with the wait by the kiosk\'s clock for an open call', () => {
    expect(usageEventForWithdrawal({ state: 'called', requestedAt: PRESSED, canBeAcknowledged: true }, PRESSED + 42_000)).toEqual({ type: 'help-cancelled', waitSeconds: 42 });
    expect(usageEventForWithdrawal({ state: 'unreachable', requestedAt: PRESSED, nextAttemptAt: PRESSED + 1 }, PRESSED + 9_600)).toEqual({ type: 'help-cancelled', waitSeconds: 10 });
    expect(usageEventForWithdrawal({ state: 'calling', requestedAt: PRESSED }, PRESSED)).toEqual({ type: 'help-cancelled', waitSeconds: 0 });
    expect(usageEventForWithdrawal({ state: 'coming', requestedAt: PRESSED }, PRESSED + 1_000)).toEqual({ type: 'help-cancelled', waitSeconds: 1 });
  });

  it('records nothing when no call was placed', () => {
    expect(usageEventForWithdrawal({ state: 'none' }, PRESSED)).toBeNull();
    expect(usageEventForWithdrawal({ state: 'no-channel' }, PRESSED)).toBeNull();
  });
});
