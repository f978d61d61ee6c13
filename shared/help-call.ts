/**
 * The decisions of the kiosk's call for help (docs/help-call.md), as pure functions: what
 * the visitor is shown for each situation, when a call ends because the session did, and
 * which usage event each step records with which waiting time.
 *
 * A call has up to two legs: the EPN hub (helpers answer "I'm coming" and "Done") and the
 * webhooks (a notification, nobody can answer through them). When the hub has the
 * request, its state decides; webhooks are "besides". While the hub cannot be reached, a
 * webhook that got through still means helpers were told.
 *
 * Times are passed in (epoch milliseconds); nothing here reads a clock.
 */
import type { HelpSettings } from './config/schema';
import type { HelpStatus, SessionPhase } from './contract';
import { MAX_DELIVERY_DELAY_MS, type HelpRequestState, type HelpRequestView } from './hub-api';
import { MAX_USAGE_SECONDS, type UsageEvent } from './usage-events';

/** The channels the configuration gives the Help button. */
export interface HelpChannels {
  readonly hub: boolean;
  readonly webhooks: number;
}

export function helpChannelsOf(settings: HelpSettings): HelpChannels {
  return { hub: settings.hub !== null, webhooks: settings.webhooks.length };
}

/** Where the call stands with the hub. */
export type HubLeg =
  /** No hub is configured. */
  | { readonly kind: 'absent' }
  /** The first attempt is under way. */
  | { readonly kind: 'sending' }
  /** Not delivered yet: the next attempt is due at `nextAttemptAt`. */
  | { readonly kind: 'retrying'; readonly nextAttemptAt: number }
  /** The hub has the request, in this state. */
  | { readonly kind: 'delivered'; readonly state: HelpRequestState };

/** Where the call stands with one webhook. */
export type WebhookLeg =
  | { readonly kind: 'sending' }
  | { readonly kind: 'retrying'; readonly nextAttemptAt: number }
  | { readonly kind: 'delivered' }
  /** The receiver refused the request itself (a wrong address or token): trying again cannot help. */
  | { readonly kind: 'failed' };

export interface HelpCallLegs {
  /** When the visitor pressed Help, by the kiosk's clock. */
  readonly requestedAt: number;
  readonly hub: HubLeg;
  readonly webhooks: readonly WebhookLeg[];
}

/**
 * What the visitor is shown for a call (null: no call). 'none' and 'no-channel' mean the
 * call is over: the hub closed it, or no channel is left that could reach anyone.
 */
export function helpStatusOf(call: HelpCallLegs | null): HelpStatus {
  if (call === null) return { state: 'none' };
  const { requestedAt, hub } = call;
  const webhooks = call.webhooks.filter((leg) => leg.kind !== 'failed');
  // No channel left that could reach anyone: the visitor is sent to a helper in the room, as with none configured.
  if (hub.kind === 'absent' && webhooks.length === 0) return { state: 'no-channel' };
  if (hub.kind === 'delivered') {
    switch (hub.state) {
      case 'waiting':
        return { state: 'called', requestedAt, canBeAcknowledged: true };
      case 'acknowledged':
        return { state: 'coming', requestedAt };
      case 'resolved':
      case 'cancelled':
        return { state: 'none' };
    }
  }
  if (webhooks.some((leg) => leg.kind === 'delivered')) return { state: 'called', requestedAt, canBeAcknowledged: false };
  if (hub.kind === 'sending' || webhooks.some((leg) => leg.kind === 'sending')) return { state: 'calling', requestedAt };
  const nextAttempts = [hub, ...webhooks].flatMap((leg) => (leg.kind === 'retrying' ? [leg.nextAttemptAt] : []));
  return { state: 'unreachable', requestedAt, nextAttemptAt: Math.min(...nextAttempts) };
}

/** A call is open while it is being sent, waits for a helper, or waits to be delivered. */
export function isHelpCallOpen(status: HelpStatus): boolean {
  return status.state === 'calling' || status.state === 'called' || status.state === 'coming' || status.state === 'unreachable';
}

/** The request is over for the hub: nothing more will happen to it. */
export function isFinalHubState(state: HelpRequestState): boolean {
  return state === 'resolved' || state === 'cancelled';
}

/** What pressing Help does now. */
export type HelpPress =
  /** A call is already open: nothing changes, the visitor sees where it stands. */
  | { readonly kind: 'keep' }
  /** No channel is configured: the visitor is asked to call a helper in the room. */
  | { readonly kind: 'no-channel' }
  /** A new call, on these channels. */
  | { readonly kind: 'start'; readonly channels: HelpChannels };

export function decideHelpPress(current: HelpStatus, settings: HelpSettings): HelpPress {
  if (isHelpCallOpen(current)) return { kind: 'keep' };
  const channels = helpChannelsOf(settings);
  if (!channels.hub && channels.webhooks === 0) return { kind: 'no-channel' };
  return { kind: 'start', channels };
}

/** The phases in which a visitor is at the PC. */
const VISITOR_PHASES: ReadonlySet<SessionPhase> = new Set<SessionPhase>(['active', 'idle-warning']);

/**
 * A call made by a visitor ends with their session: when the session leaves 'active' or
 * 'idle-warning' (End session, idle timeout, crash), the call is withdrawn so no helper
 * walks to a PC whose visitor has gone. A call made with no session (from the welcome
 * screen) is left alone until the hub closes it or the visitor withdraws it.
 */
export function helpCallEndsWithPhaseChange(previous: SessionPhase | null, next: SessionPhase): boolean {
  return previous !== null && VISITOR_PHASES.has(previous) && !VISITOR_PHASES.has(next);
}

/** Whole seconds from one instant to another, within what a usage event may carry. */
export function waitSecondsBetween(from: number, to: number): number {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 0;
  return Math.min(MAX_USAGE_SECONDS, Math.max(0, Math.round((to - from) / 1000)));
}

/** How long ago the visitor pressed Help, for the hub's `delayMs` (the hub dates the request from the press). */
export function deliveryDelayMs(requestedAt: number, now: number): number {
  if (!Number.isFinite(requestedAt) || !Number.isFinite(now)) return 0;
  return Math.min(MAX_DELIVERY_DELAY_MS, Math.max(0, Math.round(now - requestedAt)));
}

/**
 * The usage events a new view of the request from the hub brings, with waits measured on
 * the hub's clock (createdAt is already the moment of the press). `previous` is the last
 * view the kiosk had (null for the first); `withdrawnByKiosk` is true when the kiosk itself
 * cancelled it and has recorded that already.
 */
export function usageEventsForHubView(previous: HelpRequestView | null, next: HelpRequestView, withdrawnByKiosk: boolean): UsageEvent[] {
  if (previous !== null && next.revision <= previous.revision) return [];
  const events: UsageEvent[] = [];
  const wasFinal = previous !== null && isFinalHubState(previous.state);
  if (wasFinal) return events;
  if (next.acknowledgedAt !== null && (previous === null || previous.acknowledgedAt === null)) {
    events.push({ type: 'help-acknowledged', waitSeconds: waitSecondsBetween(next.createdAt, next.acknowledgedAt) });
  }
  const closedAt = next.closedAt ?? next.createdAt;
  if (next.state === 'resolved') events.push({ type: 'help-resolved', waitSeconds: waitSecondsBetween(next.createdAt, closedAt) });
  if (next.state === 'cancelled' && !withdrawnByKiosk) events.push({ type: 'help-cancelled', waitSeconds: waitSecondsBetween(next.createdAt, closedAt) });
  return events;
}

/**
 * The usage event of a call withdrawn by the visitor or ended with the session, by the
 * kiosk's clock. None for a call that was never placed (no channel) or is already over.
 */
export function usageEventForWithdrawal(status: HelpStatus, now: number): UsageEvent | null {
  if (!isHelpCallOpen(status) || !('requestedAt' in status)) return null;
  return { type: 'help-cancelled', waitSeconds: waitSecondsBetween(status.requestedAt, now) };
}
