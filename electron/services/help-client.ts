/**
 * The kiosk's call for help (docs/help-call.md): the Help button's request to the EPN hub
 * and the webhooks, followed until a helper comes, the visitor withdraws it, or their
 * session ends.
 *
 * shared/help-call.ts decides what the visitor sees and what is recorded; this module
 * carries it out with real HTTP and the kiosk's clock:
 *
 * - The hub gets one POST per attempt with the same random clientRequestId, so a request
 *   whose answer was lost is not created twice; it is retried on the help schedule
 *   (2 s, 5 s, 10 s, 20 s, then every 30 s) until it is delivered. Once delivered, the
 *   request is long-polled for "I'm coming" and "Done"; a poll that fails is tried again
 *   on the same schedule without bothering the visitor (helpers already know).
 * - Each webhook gets the same notice, retried the same way.
 * - The visitor's request resolves as soon as the first attempts are over (called,
 *   unreachable, no-channel), never after the retries.
 *
 * Nothing here throws into the caller: every failure becomes a status and a log line.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { HelpSettings, HelpWebhook } from '../../shared/config/schema';
import type { HelpStatus, SessionSnapshot, SessionPhase } from '../../shared/contract';
import {
  decideHelpPress,
  deliveryDelayMs,
  helpCallEndsWithPhaseChange,
  helpStatusOf,
  isFinalHubState,
  usageEventForWithdrawal,
  usageEventsForHubView,
  type HelpCallLegs,
  type HubLeg,
  type WebhookLeg,
} from '../../shared/help-call';
import { HelpRequestViewSchema, LONG_POLL_SECONDS, type HelpRequestView } from '../../shared/hub-api';
import { retryDelayMs } from '../../shared/retry-backoff';
import type { UsageEvent } from '../../shared/usage-events';
import type { Clock } from './clock';
import { createHubCredentialKeeper, type HubCredential, type HubCredentialKeeper } from './hub-credential';
import { callHub } from './hub-http';
import { describeWebhookAddress, sendHelpWebhook, type HelpNotice } from './help-webhook';
import type { HelpChannel, HelpRequest } from './kiosk-handlers';
import type { UsageLog } from './usage-log';

/** A long poll's answer comes within LONG_POLL_SECONDS; this much more covers a slow network before the poll counts as lost. */
const LONG_POLL_MARGIN_MS = 10_000;
/** The visitor already sees "none": withdrawing the request on the hub is tried this many times, then left to staff. */
export const HUB_CANCEL_ATTEMPTS = 5;

export interface HelpServiceOptions {
  /** The help settings in force, read at each press. */
  readonly settings: () => HelpSettings;
  /** The kiosk's name and site, as helpers see them. */
  readonly kiosk: () => { readonly name: string; readonly site: string };
  /** The kiosk's statistics id, sent once at pairing (kiosk-identity.ts). */
  readonly kioskId?: string;
  /** `<dataDir>/hub-credential.json`. */
  readonly credentialFile: string;
  /** Shared with the heartbeat and the statistics upload; built from `credentialFile` when not given. */
  readonly credentials?: HubCredentialKeeper;
  readonly usageLog: UsageLog;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  readonly log: (line: string) => void;
}

export interface HelpService extends HelpChannel {
  /** Called with each new status; returns the unsubscribe function. */
  onChange(listener: (status: HelpStatus) => void): () => void;
  /** Each new session snapshot: a call ends when its visitor's session does. */
  sessionChanged(snapshot: SessionSnapshot): void;
  /** Stops every timer and poll; an open call is withdrawn on the hub with one last attempt. */
  close(): void;
}

interface WebhookEntry {
  readonly webhook: HelpWebhook;
  leg: WebhookLeg;
  failures: number;
}

interface OpenCall {
  readonly clientRequestId: string;
  readonly requestedAt: number;
  readonly notice: HelpNotice;
  readonly hubUrl: string | null;
  hub: HubLeg;
  hubFailures: number;
  /** The hub's last view of the request, once delivered. */
  view: HelpRequestView | null;
  /** The credential the request was delivered with: polls and the withdrawal use the same. */
  credential: HubCredential | null;
  readonly webhooks: WebhookEntry[];
  ended: boolean;
  /** The kiosk withdrew it (and recorded that). */
  withdrawn: boolean;
  /** Ends the long poll in flight when the call ends. */
  readonly polls: AbortController;
  /** Stops pending retries and waits. */
  readonly stops: Set<() => void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function legsOf(call: OpenCall): HelpCallLegs {
  return { requestedAt: call.requestedAt, hub: call.hub, webhooks: call.webhooks.map((entry) => entry.leg) };
}

function sameStatus(a: HelpStatus, b: HelpStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createHelpService(options: HelpServiceOptions): HelpService {
  const { clock, log } = options;
  const credentials =
    options.credentials ??
    createHubCredentialKeeper({
      file: options.credentialFile,
      settings: () => {
        const hub = options.settings().hub;
        const kiosk = options.kiosk();
        return { hubUrl: hub?.url ?? null, pairingCode: hub?.pairingCode, name: kiosk.name, site: kiosk.site };
      },
      ...(options.kioskId === undefined ? {} : { kioskId: options.kioskId }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      now: () => clock.now(),
      log,
    });
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  const now = () => Math.round(clock.now());

  let call: OpenCall | null = null;
  let noChannel = false;
  let published: HelpStatus = { state: 'none' };
  let previousPhase: SessionPhase | null = null;
  let closed = false;
  const listeners = new Set<(status: HelpStatus) => void>();
  /** Visitors' requests waiting for the first attempts to be over. */
  let waiters: ((status: HelpStatus) => void)[] = [];
  /** Withdrawals on the hub still being retried after their call ended. */
  const serviceStops = new Set<() => void>();

  function record(event: UsageEvent): void {
    try {
      options.usageLog.record(event);
    } catch (error) {
      log(`help call: a usage event (${event.type}) could not be recorded: ${describe(error)}`);
    }
  }

  function currentStatus(): HelpStatus {
    if (call !== null) return helpStatusOf(legsOf(call));
    return noChannel ? { state: 'no-channel' } : { state: 'none' };
  }

  function endCall(ended: OpenCall): void {
    ended.ended = true;
    ended.polls.abort();
    for (const stop of [...ended.stops]) stop();
    ended.stops.clear();
    if (call === ended) call = null;
  }

  /** Works out the status, ends a call that is over, tells listeners and waiting requests. */
  function update(): void {
    let status = currentStatus();
    if (call !== null && (status.state === 'none' || status.state === 'no-channel')) {
      endCall(call);
      noChannel = status.state === 'no-channel';
      status = currentStatus();
    }
    if (!sameStatus(status, published)) {
      published = status;
      for (const listener of [...listeners]) {
        try {
          listener(status);
        } catch (error) {
          log(`help call: a status listener failed: ${describe(error)}`);
        }
      }
    }
    if (status.state !== 'calling' && waiters.length > 0) {
      const waiting = waiters;
      waiters = [];
      for (const resolve of waiting) resolve(status);
    }
  }

  /** Runs `task` after `delayMs` unless the call ends first. */
  function later(owner: Set<() => void>, delayMs: number, task: () => void): void {
    const cancel = clock.setTimer(() => {
      owner.delete(cancel);
      task();
    }, delayMs);
    owner.add(cancel);
  }

  /** Resolves after `delayMs`, or at once when the call ends. */
  function pause(target: OpenCall, delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const stop = () => {
        cancel();
        target.stops.delete(stop);
        resolve();
      };
      const cancel = clock.setTimer(stop, delayMs);
      target.stops.add(stop);
    });
  }

  function applyView(target: OpenCall, view: HelpRequestView): void {
    if (target.view !== null && view.revision <= target.view.revision && target.view.id === view.id) return;
    const previous = target.view !== null && target.view.id === view.id ? target.view : null;
    for (const event of usageEventsForHubView(previous, view, target.withdrawn)) record(event);
    target.view = view;
    target.hub = { kind: 'delivered', state: view.state };
    update();
  }

  function hubAttemptFailed(target: OpenCall, message: string): void {
    target.hubFailures += 1;
    const delayMs = retryDelayMs(target.hubFailures);
    target.hub = { kind: 'retrying', nextAttemptAt: now() + delayMs };
    log(`help call: the hub did not take the request (attempt ${target.hubFailures}): ${message}; trying again in ${Math.round(delayMs / 1000)} s`);
    later(target.stops, delayMs, () => void attemptHub(target));
    update();
  }

  async function attemptHub(target: OpenCall): Promise<void> {
    try {
      if (target.ended || target.hubUrl === null) return;
      const credential = await credentials.current();
      if (target.ended) return;
      if (credential === null) {
        hubAttemptFailed(target, 'this kiosk is not paired with the hub (see the lines above)');
        return;
      }
      const result = await callHub(target.hubUrl, {
        method: 'POST',
        path: '/api/v1/help-requests',
        token: credential.token,
        body: { clientRequestId: target.clientRequestId, serviceId: target.notice.serviceId, language: target.notice.language, delayMs: deliveryDelayMs(target.requestedAt, now()) },
        answer: HelpRequestViewSchema,
        ...fetchOption,
      });
      if (result.ok) {
        if (target.ended) {
          // Withdrawn while this attempt was under way: the hub has it now, and must not send a helper.
          withdrawOnHub(target.hubUrl, result.value.id, credential);
          return;
        }
        target.credential = credential;
        target.hubFailures = 0;
        applyView(target, result.value);
        void followOnHub(target);
        return;
      }
      if (target.ended) return;
      if (result.kind === 'refused' && result.status === 401) credentials.refused(credential);
      hubAttemptFailed(target, result.message);
    } catch (error) {
      if (!target.ended) hubAttemptFailed(target, `unexpected error: ${describe(error)}`);
    }
  }

  /** Long-polls the delivered request until it is over or the call ends. */
  async function followOnHub(target: OpenCall): Promise<void> {
    let failures = 0;
    try {
      while (!target.ended && target.view !== null && target.credential !== null && target.hubUrl !== null && !isFinalHubState(target.view.state)) {
        const result = await callHub(target.hubUrl, {
          method: 'GET',
          path: `/api/v1/help-requests/${target.view.id}?after=${target.view.revision}`,
          token: target.credential.token,
          answer: HelpRequestViewSchema,
          timeoutMs: LONG_POLL_SECONDS * 1000 + LONG_POLL_MARGIN_MS,
          signal: target.polls.signal,
          ...fetchOption,
        });
        if (target.ended) return;
        if (result.ok) {
          failures = 0;
          applyView(target, result.value);
          continue;
        }
        if (result.kind === 'refused' && (result.status === 401 || result.status === 403 || result.status === 404)) {
          // The hub no longer knows the request or this kiosk (its data was reset, the kiosk was unpaired): deliver it again.
          if (result.status === 401) credentials.refused(target.credential);
          target.view = null;
          target.credential = null;
          hubAttemptFailed(target, `the hub lost the request: ${result.message}`);
          return;
        }
        failures += 1;
        const delayMs = retryDelayMs(failures);
        log(`help call: following the request on the hub failed: ${result.message}; trying again in ${Math.round(delayMs / 1000)} s`);
        await pause(target, delayMs);
      }
    } catch (error) {
      log(`help call: following the request on the hub stopped: ${describe(error)}`);
    }
  }

  /** Best effort, a few attempts: the request must not send a helper to a visitor who has gone. */
  function withdrawOnHub(hubUrl: string, requestId: string, credential: HubCredential, attempt = 1): void {
    if (closed && attempt > 1) return;
    void callHub(hubUrl, { method: 'POST', path: `/api/v1/help-requests/${requestId}/cancel`, token: credential.token, answer: z.unknown(), ...fetchOption }).then((result) => {
      // 404 and 409: gone, or already resolved: nothing left to withdraw.
      if (result.ok || (result.kind === 'refused' && (result.status === 404 || result.status === 409))) return;
      if (closed || attempt >= HUB_CANCEL_ATTEMPTS) {
        log(`help call: the request could not be withdrawn on the hub (${result.message}); staff will see it until they close it`);
        return;
      }
      log(`help call: withdrawing the request on the hub failed (${result.message}); trying again`);
      later(serviceStops, retryDelayMs(attempt), () => withdrawOnHub(hubUrl, requestId, credential, attempt + 1));
    });
  }

  async function attemptWebhook(target: OpenCall, entry: WebhookEntry): Promise<void> {
    if (target.ended) return;
    const result = await sendHelpWebhook(entry.webhook, target.notice, fetchOption);
    if (target.ended) return;
    if (result.ok) {
      entry.leg = { kind: 'delivered' };
    } else if (!result.retryable) {
      entry.leg = { kind: 'failed' };
      log(`help call: ${result.message}; this webhook is not tried again for this call`);
    } else {
      entry.failures += 1;
      const delayMs = retryDelayMs(entry.failures);
      entry.leg = { kind: 'retrying', nextAttemptAt: now() + delayMs };
      log(`help call: ${result.message}; trying again in ${Math.round(delayMs / 1000)} s`);
      later(target.stops, delayMs, () => void attemptWebhook(target, entry));
    }
    update();
  }

  function startCall(request: HelpRequest, settings: HelpSettings): OpenCall {
    const kiosk = options.kiosk();
    const requestedAt = now();
    const opened: OpenCall = {
      clientRequestId: randomBytes(16).toString('hex'),
      requestedAt,
      notice: { kiosk: kiosk.name, site: kiosk.site, serviceId: request.serviceId, language: request.language, requestedAt },
      hubUrl: settings.hub?.url ?? null,
      hub: settings.hub === null ? { kind: 'absent' } : { kind: 'sending' },
      hubFailures: 0,
      view: null,
      credential: null,
      webhooks: settings.webhooks.map((webhook) => ({ webhook, leg: { kind: 'sending' }, failures: 0 })),
      ended: false,
      withdrawn: false,
      polls: new AbortController(),
      stops: new Set(),
    };
    const channels = [opened.hubUrl === null ? null : 'the hub', ...opened.webhooks.map((entry) => `the ${entry.webhook.format} webhook at ${describeWebhookAddress(entry.webhook.url)}`)].filter((part) => part !== null);
    log(`help call: requested (service ${request.serviceId ?? 'none'}, ${request.language}); sending to ${channels.join(' and ')}`);
    return opened;
  }

  function withdraw(why: string): void {
    const ended = call;
    noChannel = false;
    if (ended === null) {
      update();
      return;
    }
    const event = usageEventForWithdrawal(currentStatus(), now());
    if (event !== null) record(event);
    ended.withdrawn = true;
    endCall(ended);
    if (ended.view !== null && ended.credential !== null && ended.hubUrl !== null && !isFinalHubState(ended.view.state)) {
      withdrawOnHub(ended.hubUrl, ended.view.id, ended.credential);
    }
    log(`help call: withdrawn (${why})`);
    update();
  }

  return {
    async request(request) {
      try {
        if (closed) return currentStatus();
        const settings = options.settings();
        const press = decideHelpPress(currentStatus(), settings);
        if (press.kind === 'keep') return currentStatus();
        if (press.kind === 'no-channel') {
          noChannel = true;
          log('help call: requested, but no help channel is set up (help.hub, help.webhooks): the visitor is asked to call a helper in the room');
          update();
          return currentStatus();
        }
        noChannel = false;
        const opened = startCall(request, settings);
        call = opened;
        const firstAttemptsOver = new Promise<HelpStatus>((resolve) => waiters.push(resolve));
        update();
        void attemptHub(opened);
        for (const entry of opened.webhooks) void attemptWebhook(opened, entry);
        return await firstAttemptsOver;
      } catch (error) {
        log(`help call: the request failed unexpectedly: ${describe(error)}`);
        return currentStatus();
      }
    },
    async cancel() {
      try {
        withdraw('the visitor no longer needs help');
      } catch (error) {
        log(`help call: withdrawing failed unexpectedly: ${describe(error)}`);
      }
      return currentStatus();
    },
    status: () => currentStatus(),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sessionChanged(snapshot) {
      try {
        const previous = previousPhase;
        previousPhase = snapshot.phase;
        if (closed || !helpCallEndsWithPhaseChange(previous, snapshot.phase)) return;
        if (call !== null) withdraw(`the session ended (${snapshot.endReason ?? snapshot.phase})`);
        else if (noChannel) withdraw('the session ended');
      } catch (error) {
        log(`help call: following the session failed unexpectedly: ${describe(error)}`);
      }
    },
    close() {
      if (closed) return;
      if (call !== null) withdraw('the kiosk is closing');
      closed = true;
      for (const stop of [...serviceStops]) stop();
      serviceStops.clear();
      listeners.clear();
      update();
    },
  };
}
