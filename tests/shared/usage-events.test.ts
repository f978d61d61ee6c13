/**
 * The usage events: every kind is accepted with its fields, anything that could carry a
 * visitor's data (an address, a title, typed text, an extra field) is refused, and every
 * event the session machine records passes the schema.
 */
import { describe, expect, it } from 'vitest';
import { SessionSettingsSchema } from '../../shared/config/schema';
import { SessionEndReasonSchema } from '../../shared/contract';
import { initialSessionState, transition, type SessionEvent, type SessionState } from '../../shared/session-machine';
import {
  ACCESSIBILITY_OPTIONS,
  MAX_USAGE_SECONDS,
  SESSION_END_REASONS,
  USAGE_EVENT_TYPES,
  UsageEventSchema,
  epochMinuteOf,
  roundUsageEvent,
  type UsageEvent,
} from '../../shared/usage-events';

const ONE_OF_EACH: UsageEvent[] = [
  { type: 'session-started', language: 'fr' },
  { type: 'session-ended', reason: 'idle', durationSeconds: 600 },
  { type: 'service-opened', serviceId: 'tax-on-web' },
  { type: 'help-requested', serviceId: 'tax-on-web' },
  { type: 'help-requested', serviceId: null },
  { type: 'help-acknowledged', waitSeconds: 42 },
  { type: 'help-resolved', waitSeconds: 300 },
  { type: 'help-cancelled', waitSeconds: 0 },
  { type: 'language-changed', language: 'nl' },
  { type: 'accessibility-on', option: 'read-aloud' },
  { type: 'wipe-done', durationMs: 1500, verified: false, attempt: 2 },
];

describe('UsageEventSchema', () => {
  it('accepts one event of each kind, unchanged', () => {
    for (const event of ONE_OF_EACH) expect(UsageEventSchema.parse(event)).toEqual(event);
    expect(new Set(ONE_OF_EACH.map((event) => event.type))).toEqual(new Set(USAGE_EVENT_TYPES));
    expect(USAGE_EVENT_TYPES).toHaveLength(10);
  });

  it('refuses any field beyond the event’s own: no address, title, text or agent can ride along', () => {
    const extras = [
      { type: 'service-opened', serviceId: 'bank', url: 'https://bank.example/account?id=42' },
      { type: 'service-opened', serviceId: 'bank', title: 'My account — Jane Doe' },
      { type: 'help-requested', serviceId: null, text: 'my password is hunter2' },
      { type: 'session-started', language: 'fr', userAgent: 'Mozilla/5.0' },
      { type: 'session-ended', reason: 'visitor', durationSeconds: 3, ip: '192.0.2.1' },
    ];
    for (const extra of extras) expect(UsageEventSchema.safeParse(extra).success).toBe(false);
  });

  it('refuses a service id that is an address or a name rather than a configured id', () => {
    for (const serviceId of ['https://bank.example/', 'Jane Doe', 'bank.example', '', 'a'.repeat(41), 'Bank']) {
      expect(UsageEventSchema.safeParse({ type: 'service-opened', serviceId }).success).toBe(false);
    }
    expect(UsageEventSchema.safeParse({ type: 'service-opened', serviceId: 'a'.repeat(40) }).success).toBe(true);
  });

  it('refuses unknown kinds, languages, reasons and options', () => {
    expect(UsageEventSchema.safeParse({ type: 'page-visited', serviceId: 'bank' }).success).toBe(false);
    expect(UsageEventSchema.safeParse({ type: 'session-started', language: 'xx' }).success).toBe(false);
    expect(UsageEventSchema.safeParse({ type: 'session-ended', reason: 'bored', durationSeconds: 1 }).success).toBe(false);
    expect(UsageEventSchema.safeParse({ type: 'accessibility-on', option: 'zoom' }).success).toBe(false);
    expect(UsageEventSchema.safeParse(null).success).toBe(false);
  });

  it('takes durations as whole, non-negative seconds up to a week', () => {
    const ended = (durationSeconds: number) => UsageEventSchema.safeParse({ type: 'session-ended', reason: 'visitor', durationSeconds }).success;
    expect(ended(0)).toBe(true);
    expect(ended(MAX_USAGE_SECONDS)).toBe(true);
    expect(ended(MAX_USAGE_SECONDS + 1)).toBe(false);
    expect(ended(-1)).toBe(false);
    expect(ended(1.5)).toBe(false);
    expect(ended(Number.NaN)).toBe(false);
    const waited = (waitSeconds: number) => UsageEventSchema.safeParse({ type: 'help-acknowledged', waitSeconds }).success;
    expect(waited(0)).toBe(true);
    expect(waited(-1)).toBe(false);
    expect(waited(2.5)).toBe(false);
    expect(UsageEventSchema.safeParse({ type: 'wipe-done', durationMs: 10, verified: true, attempt: 0 }).success).toBe(false);
  });

  it('lists the same end reasons as the contract, and the three accessibility options', () => {
    expect([...SESSION_END_REASONS].sort()).toEqual([...SessionEndReasonSchema.options].sort());
    expect(ACCESSIBILITY_OPTIONS).toEqual(['larger-text', 'high-contrast', 'read-aloud']);
  });
});

describe('what the session machine records', () => {
  it('is valid for the schema through a whole visit, a failed wipe and a retry', () => {
    const settings = SessionSettingsSchema.parse({});
    let state: SessionState = initialSessionState;
    let now = Date.UTC(2025, 2, 14, 9, 0);
    const recorded: unknown[] = [];
    const send = (event: SessionEvent, after = 1_000) => {
      now += after;
      const result = transition(state, event, now, settings);
      state = result.state;
      for (const effect of result.effects) if (effect.kind === 'record') recorded.push(effect.event);
    };
    send({ type: 'boot' });
    send({ type: 'wipe-finished', attempt: 1, verified: true, durationMs: 850 });
    send({ type: 'language-chosen', language: 'de' });
    send({ type: 'service-opened', serviceId: 'health-insurance' });
    send({ type: 'help' });
    send({ type: 'end-requested' });
    send({ type: 'end-confirmed' });
    send({ type: 'wipe-finished', attempt: 1, verified: false, durationMs: 1200 });
    send({ type: 'wipe-finished', attempt: 2, verified: true, durationMs: 900 });
    const types = recorded.map((event) => (event as { type: string }).type);
    expect(types).toEqual(['wipe-done', 'session-started', 'service-opened', 'help-requested', 'session-ended', 'wipe-done', 'wipe-done']);
    for (const event of recorded) expect(UsageEventSchema.safeParse(event).error).toBeUndefined();
  });
});

describe('roundUsageEvent', () => {
  it('keeps durations to the second and leaves the rest as it was', () => {
    expect(roundUsageEvent({ type: 'wipe-done', durationMs: 1499, verified: true, attempt: 1 })).toEqual({ type: 'wipe-done', durationMs: 1000, verified: true, attempt: 1 });
    expect(roundUsageEvent({ type: 'wipe-done', durationMs: 1500, verified: true, attempt: 1 })).toEqual({ type: 'wipe-done', durationMs: 2000, verified: true, attempt: 1 });
    expect(roundUsageEvent({ type: 'session-ended', reason: 'crash', durationSeconds: 12.6 })).toEqual({ type: 'session-ended', reason: 'crash', durationSeconds: 13 });
    expect(roundUsageEvent({ type: 'help-cancelled', waitSeconds: 0.4 })).toEqual({ type: 'help-cancelled', waitSeconds: 0 });
    const opened: UsageEvent = { type: 'service-opened', serviceId: 'bank' };
    const copy = roundUsageEvent(opened);
    expect(copy).toEqual(opened);
    expect(copy).not.toBe(opened);
  });
});

describe('epochMinuteOf', () => {
  it('drops the seconds: events are kept to the minute', () => {
    const minute = Date.UTC(2025, 2, 14, 9, 41) / 60_000;
    expect(epochMinuteOf(minute * 60_000)).toBe(minute);
    expect(epochMinuteOf(minute * 60_000 + 59_999)).toBe(minute);
    expect(epochMinuteOf(minute * 60_000 - 1)).toBe(minute - 1);
  });
});
