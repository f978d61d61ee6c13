/**
 * The anonymous usage events (guide, section 2.6): what happened, never who did it.
 *
 * An event carries a type, ids from the configuration (service, language, option),
 * reasons and durations. Never an address, a page title, typed text, a name, an IP
 * address or a user agent: the schema below is strict, so an event with any other
 * field is refused rather than stored.
 *
 * The session machine records some of these; the help, language and accessibility
 * features record the others. The usage store keeps them with the minute and the
 * kiosk's local day (durations to the second, see `roundUsageEvent`).
 */
import { z } from 'zod';
import type { SessionEndReason } from './contract';
import { LanguageCodeSchema, ServiceIdSchema } from './config/schema';

/**
 * Why a session ended: the contract's reasons, listed here too so that this module (and
 * the statistics built on it) does not import the contract at run time; the contract
 * may then carry statistics schemas without an import cycle. The two lists are checked
 * equal at compile time below.
 */
export const SESSION_END_REASONS = ['visitor', 'idle', 'max-length', 'crash', 'boot', 'staff'] as const;
export const UsageEndReasonSchema = z.enum(SESSION_END_REASONS, { error: `must be one of the end reasons: ${SESSION_END_REASONS.join(', ')}` });
type SameReasons = [SessionEndReason] extends [(typeof SESSION_END_REASONS)[number]] ? ([(typeof SESSION_END_REASONS)[number]] extends [SessionEndReason] ? true : false) : false;
const sameReasons: SameReasons = true;
void sameReasons;

/** The accessibility options a visitor can turn on. */
export const ACCESSIBILITY_OPTIONS = ['larger-text', 'high-contrast', 'read-aloud'] as const;
export const AccessibilityOptionSchema = z.enum(ACCESSIBILITY_OPTIONS, {
  error: `must be one of the accessibility options: ${ACCESSIBILITY_OPTIONS.join(', ')}`,
});
export type AccessibilityOption = z.infer<typeof AccessibilityOptionSchema>;

/** Longer than any visit or wait the kiosk can see (a week): a larger figure is a broken clock. */
export const MAX_USAGE_SECONDS = 7 * 24 * 3600;

const seconds = z
  .number({ error: 'must be a number of seconds' })
  .int({ error: 'must be a whole number of seconds' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_USAGE_SECONDS, { error: `must be at most ${MAX_USAGE_SECONDS} seconds (a week)` });

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape }).strict();

export const UsageEventSchema = z.discriminatedUnion(
  'type',
  [
    /** A visitor chose a language and the session began. */
    event('session-started', { language: LanguageCodeSchema }),
    /** The session ended; how long it lasted, to the second. */
    event('session-ended', { reason: UsageEndReasonSchema, durationSeconds: seconds }),
    /** By the service's configured id, never by address. */
    event('service-opened', { serviceId: ServiceIdSchema }),
    /** The visitor pressed Help; on which service, if one was open. */
    event('help-requested', { serviceId: ServiceIdSchema.nullable() }),
    /** A helper said "I'm coming"; seconds since the request. */
    event('help-acknowledged', { waitSeconds: seconds }),
    /** A helper closed the request; seconds since the request. */
    event('help-resolved', { waitSeconds: seconds }),
    /** The request was withdrawn or the session ended first; seconds since the request. */
    event('help-cancelled', { waitSeconds: seconds }),
    /** The visitor switched language during a session. */
    event('language-changed', { language: LanguageCodeSchema }),
    /** The visitor turned an accessibility option on. */
    event('accessibility-on', { option: AccessibilityOptionSchema }),
    /** A wipe attempt finished; how long it took, whether the probe found it clean, which attempt. */
    event('wipe-done', {
      durationMs: z.number({ error: 'must be a number of milliseconds' }).min(0, { error: 'must not be negative' }).max(MAX_USAGE_SECONDS * 1000, { error: 'must be at most a week' }),
      verified: z.boolean({ error: 'must be true or false' }),
      attempt: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' }),
    }),
  ],
  { error: 'must be a usage event with a known "type"' },
);

export type UsageEvent = z.infer<typeof UsageEventSchema>;
export type UsageEventType = UsageEvent['type'];

export const USAGE_EVENT_TYPES = UsageEventSchema.options.map((option) => option.shape.type.value) as readonly UsageEventType[];

/**
 * The event as it is stored: durations rounded to the second (a wipe's milliseconds to
 * whole seconds' worth of milliseconds), never a finer measure. Pure; returns a copy.
 */
export function roundUsageEvent(usage: UsageEvent): UsageEvent {
  switch (usage.type) {
    case 'session-ended':
      return { ...usage, durationSeconds: Math.round(usage.durationSeconds) };
    case 'help-acknowledged':
    case 'help-resolved':
    case 'help-cancelled':
      return { ...usage, waitSeconds: Math.round(usage.waitSeconds) };
    case 'wipe-done':
      return { ...usage, durationMs: Math.round(usage.durationMs / 1000) * 1000 };
    default:
      return { ...usage };
  }
}

/** Epoch minutes (UTC) of an epoch-milliseconds instant: event times are kept to the minute. */
export function epochMinuteOf(epochMs: number): number {
  return Math.floor(epochMs / 60_000);
}
