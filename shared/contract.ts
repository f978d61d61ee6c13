/**
 * The one contract between the kiosk's screens (renderer) and its main side.
 *
 * Every call the renderer can make is a channel named `domain:verb`, with the schema
 * of its single argument and of its result; every event the main side pushes is a
 * channel with the schema of its payload. Three transports are generated from this
 * list and nothing else: the Electron preload (`window.kiosk`), the main-side handler
 * registration, and the browser preview's HTTP bridge.
 *
 * On the renderer, channel `service:open` becomes `kiosk.service.open(argument)` and
 * event `config:changed` becomes `kiosk.config.onChanged(listener)`.
 */
import { z } from 'zod';
import { KioskConfigSchema, LanguageCodeSchema, ServiceIdSchema } from './config/schema';
import { DaySchema, isValidDay } from './statistics/calendar';
import { DateRangeSchema, GroupBySchema, PeriodSummarySchema } from './statistics/period';
import { DisplaySettingsSchema } from './display-settings';

const Empty = z.object({}).strict();
const NoArgument = z.undefined({ error: 'takes no argument' });

/** Where a service appeared: inside the kiosk, in the preview's frame, or (preview only) a new tab. */
export const ServicePresentationSchema = z.enum(['kiosk-view', 'frame', 'new-tab']);
export type ServicePresentation = z.infer<typeof ServicePresentationSchema>;

/** A rectangle in CSS pixels of the kiosk window: where the service view goes. */
export const ServiceAreaSchema = z
  .object({
    x: z.number().int().min(0).max(20_000),
    y: z.number().int().min(0).max(20_000),
    width: z.number().int().min(0).max(20_000),
    height: z.number().int().min(0).max(20_000),
  })
  .strict();
export type ServiceArea = z.infer<typeof ServiceAreaSchema>;

/**
 * Where the visitor's call for help stands, pushed on every change (`help:changed`).
 * Times are epoch milliseconds of the main side's clock.
 */
export const HelpStatusSchema = z.discriminatedUnion('state', [
  /** No call open. */
  z.object({ state: z.literal('none') }).strict(),
  /** Help was pressed but no help channel is set up on this kiosk: the visitor is asked to call a helper in the room (config help.fallback). */
  z.object({ state: z.literal('no-channel') }).strict(),
  /** Being sent. */
  z.object({ state: z.literal('calling'), requestedAt: z.number().int() }).strict(),
  /**
   * The helpers have been told. `canBeAcknowledged` is true when the call reached the EPN's
   * hub (a helper's "I'm coming" will follow), false when only a webhook took it.
   */
  z.object({ state: z.literal('called'), requestedAt: z.number().int(), canBeAcknowledged: z.boolean() }).strict(),
  /** A helper said "I'm coming". */
  z.object({ state: z.literal('coming'), requestedAt: z.number().int() }).strict(),
  /** Nobody could be reached yet: the visitor is told so and shown the fallback; the call is retried at `nextAttemptAt`. */
  z.object({ state: z.literal('unreachable'), requestedAt: z.number().int(), nextAttemptAt: z.number().int() }).strict(),
]);
export type HelpStatus = z.infer<typeof HelpStatusSchema>;
export type HelpState = HelpStatus['state'];

/**
 * Where the visitor's session stands, as decided by shared/session-machine and pushed
 * to the screens on every change. Times are epoch milliseconds of the main side's clock.
 */
export const SessionPhaseSchema = z.enum([
  /** No visitor: the welcome screen. */
  'welcome',
  /** A visitor is using the kiosk (launcher or service). */
  'active',
  /** No input for the idle timeout: a warning with a countdown and "I'm still here". */
  'idle-warning',
  /** The wipe is running. */
  'ending',
  /** The wipe is done: "Everything you did on this computer has been erased", for a few seconds. */
  'erased',
  /** The wipe could not be verified: the kiosk refuses visitors until staff look at it. */
  'out-of-order',
]);
export type SessionPhase = z.infer<typeof SessionPhaseSchema>;

export const SessionEndReasonSchema = z.enum(['visitor', 'idle', 'max-length', 'crash', 'boot', 'staff']);
export type SessionEndReason = z.infer<typeof SessionEndReasonSchema>;

export const SessionSnapshotSchema = z
  .object({
    phase: SessionPhaseSchema,
    /**
     * The main side's clock when this snapshot was taken. Screens count down from the
     * difference (countdownEndsAt - at), never from their own clock against the main
     * side's, so the two clocks need not agree.
     */
    at: z.number().int(),
    /** The visitor's language while a visitor is there; null on the welcome screen. */
    language: LanguageCodeSchema.nullable(),
    /** When the idle warning's countdown ends (phase idle-warning), else null. */
    countdownEndsAt: z.number().int().nullable(),
    /** When the maximum session length ends the session, when one is configured. */
    sessionEndsAt: z.number().int().nullable(),
    /** True from the maximum-length warning on (5 minutes before the end by default). */
    lengthWarning: z.boolean(),
    /** Why the last session ended (phases ending, erased, out-of-order), else null. */
    endReason: SessionEndReasonSchema.nullable(),
    /** The visitor's text size, colours and reading aloud (shared/display-settings.ts); the defaults when no visitor is there. */
    display: DisplaySettingsSchema,
  })
  .strict();
export type SessionSnapshot = z.infer<typeof SessionSnapshotSchema>;

/** A file the visitor downloaded during their session ("My files"). Deleted at the wipe. */
export const VisitorFileSchema = z
  .object({
    /** The file's name in the visitor's folder (no path). */
    name: z.string().min(1).max(255),
    sizeBytes: z.number().int().min(0),
    /** Still downloading. */
    inProgress: z.boolean(),
  })
  .strict();
export type VisitorFile = z.infer<typeof VisitorFileSchema>;

/** Names one file chooser the main side is holding open for a service page; a fresh random id each time. */
export const FileChooserRequestIdSchema = z.string().min(1).max(100);

/** A service page asked for a file and may be given one from "My files": the launcher asks the visitor which. */
export const FileChooserOpenedSchema = z
  .object({
    requestId: FileChooserRequestIdSchema,
    /** The page's picker takes several files (`<input type=file multiple>`). */
    multiple: z.boolean(),
    serviceId: ServiceIdSchema,
  })
  .strict();
export type FileChooserOpened = z.infer<typeof FileChooserOpenedSchema>;

/** Why the kiosk kept a service page from doing something; shown to the visitor in plain words. */
export const ServiceRefusalSchema = z.enum([
  /** A link, redirect, frame or pop-up to an address outside the service's allow-list. */
  'outside-service',
  /** The site's certificate is not valid. */
  'certificate',
  /** The page asked for a file from the computer; only "My files" can be offered. */
  'file-picker',
  /** The page asked to print and printing is not available for this service. */
  'print',
  /** The page asked for the camera, microphone, location or another device. */
  'permission',
  /** A download that could not be kept. */
  'download',
  /** The page stopped working (crashed, hung, or lost its guards) and was closed. */
  'page-ended',
]);
export type ServiceRefusal = z.infer<typeof ServiceRefusalSchema>;

/** The largest export the kiosk hands over in one answer (characters of its text): years of one kiosk's figures fit easily. */
export const MAX_STATISTICS_EXPORT_CHARS = 20 * 1024 * 1024;

/** The figures of a period for the statistics screen, and whether the usage log has a problem staff should know of. */
export const StatisticsSummarySchema = PeriodSummarySchema.extend({
  /** Why figures may be missing or late (the usage log cannot write, a damaged file was set aside…), or null. */
  storeWarning: z.string().max(2000).nullable(),
});
export type StatisticsSummary = z.infer<typeof StatisticsSummarySchema>;

export const StatisticsExportFormatSchema = z.enum(['csv', 'json'], { error: 'must be "csv" or "json"' });
export type StatisticsExportFormat = z.infer<typeof StatisticsExportFormatSchema>;

/** The period's own rules (from ≤ to, at most three years), in DateRangeSchema's words. */
function checkPeriod(request: { from: string; to: string }, context: z.core.$RefinementCtx): void {
  // A day that is not a day is already named by DaySchema.
  if (!isValidDay(request.from) || !isValidDay(request.to)) return;
  const range = DateRangeSchema.safeParse({ from: request.from, to: request.to });
  if (range.success) return;
  for (const issue of range.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

/**
 * A period of days (both included) and how to group its series. Strict, so an unknown
 * field is named in the refusal.
 */
export const StatisticsQuerySchema = z.object({ from: DaySchema, to: DaySchema, groupBy: GroupBySchema }).strict().superRefine(checkPeriod);
export type StatisticsQuery = z.infer<typeof StatisticsQuerySchema>;

/** A period and the export's format. */
export const StatisticsExportRequestSchema = z
  .object({ from: DaySchema, to: DaySchema, format: StatisticsExportFormatSchema })
  .strict()
  .superRefine(checkPeriod);
export type StatisticsExportRequest = z.infer<typeof StatisticsExportRequestSchema>;

/** An export, ready to be saved: the small counts are already suppressed by the main side. */
export const StatisticsExportFileSchema = z
  .object({
    /** A plain file name, no folder: what the browser offers to save it as. */
    fileName: z
      .string()
      .min(1)
      .max(255)
      .refine((name) => !/[/\\]/.test(name) && [...name].every((character) => character.charCodeAt(0) >= 0x20), {
        error: 'must be a plain file name, without a folder or control characters',
      }),
    /** For example "text/csv; charset=utf-8" or "application/json". */
    mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+(?:; ?charset=utf-8)?$/i, { error: 'must be a media type such as "text/csv"' }),
    content: z.string().max(MAX_STATISTICS_EXPORT_CHARS, { error: `must be at most ${MAX_STATISTICS_EXPORT_CHARS} characters` }),
  })
  .strict();
export type StatisticsExportFile = z.infer<typeof StatisticsExportFileSchema>;

/* ---------- Staff mode (docs/staff.md) ---------- */

/** A staff PIN: 4 to 12 digits (a PIN pad, no keyboard needed). */
export const StaffPinSchema = z.string({ error: 'must be a PIN of 4 to 12 digits' }).regex(/^[0-9]{4,12}$/, { error: 'must be 4 to 12 digits' });

export const StaffStatusSchema = z
  .object({
    /** False until staff have chosen a PIN: the PIN pad then asks for a new one. */
    pinSet: z.boolean(),
    open: z.boolean(),
    /** When staff mode closes by itself if nothing happens (main side's clock), while open. */
    closesAt: z.number().int().nullable(),
    /** While wrong PINs have locked the pad: when the next try is allowed. */
    retryAt: z.number().int().nullable(),
    /** Wrong PINs since the last right one. */
    failedAttempts: z.number().int().min(0),
  })
  .strict();
export type StaffStatus = z.infer<typeof StaffStatusSchema>;

export const StaffOpenResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), status: StaffStatusSchema }).strict(),
  z.object({ ok: z.literal(false), reason: z.enum(['wrong-pin', 'throttled', 'no-pin']), status: StaffStatusSchema }).strict(),
]);
export type StaffOpenResult = z.infer<typeof StaffOpenResultSchema>;

/** A problem of a configuration staff tried to save or import: the field and what to do. */
export const ConfigProblemSchema = z.object({ field: z.string().max(500), message: z.string().max(2000) }).strict();

/** A configuration as staff edit it: the local file's settings, with the managed file's keys locked. */
export const StaffConfigViewSchema = z
  .object({
    /** The configuration in force (local settings with the managed ones over them). */
    config: KioskConfigSchema,
    /** Dotted paths the managed file sets ("kiosk.site", "languages.offered"): shown locked, never changed here. */
    lockedKeys: z.array(z.string().max(200)),
    /** Problems with the files on disk right now, for staff to see. */
    problems: z.array(ConfigProblemSchema),
  })
  .strict();
export type StaffConfigView = z.infer<typeof StaffConfigViewSchema>;

export const ConfigCheckResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), config: KioskConfigSchema }).strict(),
  z.object({ ok: z.literal(false), problems: z.array(ConfigProblemSchema).min(1) }).strict(),
]);
export type ConfigCheckResult = z.infer<typeof ConfigCheckResultSchema>;

/** The largest configuration file staff may import (characters). */
export const MAX_CONFIG_IMPORT_CHARS = 1024 * 1024;

export const ConfigChangeSchema = z
  .object({
    /** Epoch milliseconds. */
    at: z.number().int(),
    /** Where the change came from. */
    source: z.enum(['staff-screen', 'import']),
    /** The settings that changed, as dotted paths ("services[2].label.fr", "session.idleTimeoutSeconds"); never their values. */
    fields: z.array(z.string().max(200)).max(200),
  })
  .strict();
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;

export const invokeChannels = {
  /** The configuration the screens need (services, languages, themes, kiosk name). */
  'config:get': { argument: NoArgument, result: KioskConfigSchema },
  /** The visitor chose a language on the welcome screen: their session begins. */
  'session:begin': { argument: z.object({ language: LanguageCodeSchema }).strict(), result: Empty },
  /** The visitor confirmed "End session": every trace is removed before this resolves. */
  'session:end': { argument: Empty, result: z.object({ erased: z.boolean() }).strict() },
  /** Where the session stands now (after a reload of the screens, for example). */
  'session:get': { argument: NoArgument, result: SessionSnapshotSchema },
  /**
   * The visitor touched, clicked, scrolled or typed on the kiosk's own screens (the
   * renderer sends at most one call every 2 s). Service views are watched by the main side.
   * During the idle warning, this is also "I'm still here".
   */
  'session:activity': { argument: NoArgument, result: Empty },
  /** End session was pressed: the confirmation is showing. */
  'session:requestEnd': { argument: NoArgument, result: Empty },
  /** "No, continue" on the confirmation. */
  'session:cancelEnd': { argument: NoArgument, result: Empty },
  /**
   * The visitor changed text size, strong colours or reading aloud: the main side keeps it
   * for this session only, zooms the service pages to the text size, and answers with the
   * settings now in force (also pushed in the next session:changed). Refused when no
   * visitor is there (the welcome screen, the erased message).
   */
  'display:set': { argument: DisplaySettingsSchema, result: DisplaySettingsSchema },
  /** The visitor's downloaded files ("My files"). */
  'files:list': { argument: NoArgument, result: z.array(VisitorFileSchema) },
  /**
   * The visitor's answer to `files:chooserOpened`: names of files in "My files" (never a
   * path), or none to cancel (the page then gets no file). The main side checks each name
   * against the visitor's own finished downloads.
   */
  'files:choose': {
    argument: z.object({ requestId: FileChooserRequestIdSchema, names: z.array(VisitorFileSchema.shape.name).max(100) }).strict(),
    result: Empty,
  },
  /** Open a service from the launcher. */
  'service:open': {
    argument: z.object({ serviceId: ServiceIdSchema }).strict(),
    result: z.object({ presentation: ServicePresentationSchema, url: z.string() }).strict(),
  },
  /** Back inside the open service. `wentBack` is false when there was no page to go back to. */
  'service:back': { argument: NoArgument, result: z.object({ wentBack: z.boolean() }).strict() },
  /** Home: close the open service and show the launcher. */
  'service:close': { argument: NoArgument, result: Empty },
  /** Where the service may be drawn (the area under the toolbar), in CSS pixels. */
  'service:setArea': { argument: ServiceAreaSchema, result: Empty },
  /**
   * The visitor pressed Help. Carries nothing personal: the open service and the language.
   * Answers with the status once the first attempt is over (called, unreachable or no-channel);
   * pressing again while a call is open changes nothing and answers with its status.
   */
  'help:request': {
    argument: z.object({ serviceId: ServiceIdSchema.nullable(), language: LanguageCodeSchema }).strict(),
    result: HelpStatusSchema,
  },
  /** The visitor withdrew the call ("I no longer need help"). */
  'help:cancel': { argument: NoArgument, result: HelpStatusSchema },
  /** Where the call stands now (after a reload of the screens, for example). */
  'help:get': { argument: NoArgument, result: HelpStatusSchema },
  /** Whether a PIN is set, staff mode is open, or the PIN pad is locked after wrong PINs. */
  'staff:status': { argument: NoArgument, result: StaffStatusSchema },
  /** The first PIN, on a kiosk that has none yet; opens staff mode. Refused once a PIN is set. */
  'staff:setFirstPin': { argument: z.object({ pin: StaffPinSchema }).strict(), result: StaffStatusSchema },
  /** Opens staff mode with the PIN. A visitor's session is ended (and wiped) first. */
  'staff:open': { argument: z.object({ pin: StaffPinSchema }).strict(), result: StaffOpenResultSchema },
  'staff:close': { argument: NoArgument, result: StaffStatusSchema },
  /** Staff touched or typed on the staff screen: keeps staff mode open. */
  'staff:activity': { argument: NoArgument, result: Empty },
  /*
   * Every channel below needs staff mode open; a call while it is closed is refused
   * (the visitor screens show no entry to them).
   */
  'staff:changePin': { argument: z.object({ currentPin: StaffPinSchema, newPin: StaffPinSchema }).strict(), result: StaffOpenResultSchema },
  'staff:getConfig': { argument: NoArgument, result: StaffConfigViewSchema },
  /** Saves the whole configuration (atomically, the previous one kept as a backup) and applies it at once. Locked keys must keep their managed values. */
  'staff:saveConfig': { argument: z.object({ config: z.unknown() }).strict(), result: ConfigCheckResultSchema },
  /** Checks a configuration file's text; changes nothing (the staff screen then shows it, unsaved). */
  'staff:checkConfigFile': { argument: z.object({ text: z.string().max(MAX_CONFIG_IMPORT_CHARS, { error: `must be at most ${MAX_CONFIG_IMPORT_CHARS} characters` }) }).strict(), result: ConfigCheckResultSchema },
  /** The local configuration file, to save elsewhere. */
  'staff:exportConfig': { argument: NoArgument, result: StatisticsExportFileSchema },
  /** What changed when, newest first (no values, no personal data). */
  'staff:changeLog': { argument: NoArgument, result: z.object({ changes: z.array(ConfigChangeSchema) }).strict() },
  /** The figures of a period (days of the kiosk's own calendar, both included), grouped by day or by ISO week. */
  'stats:summary': { argument: StatisticsQuerySchema, result: StatisticsSummarySchema },
  /** The period's daily figures as a CSV or JSON file, small counts suppressed (docs/statistics.md). */
  'stats:export': { argument: StatisticsExportRequestSchema, result: StatisticsExportFileSchema },
} as const satisfies Record<string, { argument: z.ZodType; result: z.ZodType }>;

export const eventChannels = {
  /** The configuration changed on disk and was valid: screens redraw with it. */
  'config:changed': KioskConfigSchema,
  /** The session changed phase, or a countdown or warning started or stopped. */
  'session:changed': SessionSnapshotSchema,
  /** The kiosk refused something a service page tried; the screens explain it to the visitor. */
  'service:refused': z.object({ serviceId: ServiceIdSchema, refusal: ServiceRefusalSchema }).strict(),
  /** The visitor's downloaded files changed. */
  'files:changed': z.array(VisitorFileSchema),
  /** A service page asked for a file and its service may be given one: the launcher offers "My files" (answer with `files:choose`). */
  'files:chooserOpened': FileChooserOpenedSchema,
  /** The visitor's call for help changed state (called, a helper is coming, unreachable, closed). */
  'help:changed': HelpStatusSchema,
  /** Staff mode opened, closed (by itself too), or the PIN pad was locked or unlocked. */
  'staff:changed': StaffStatusSchema,
  /** The staff key chord was pressed while a service page had the keyboard: the launcher shows the PIN pad. */
  'staff:entryRequested': Empty,
} as const satisfies Record<string, z.ZodType>;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;

export type ArgumentOf<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['argument']>;
export type ResultOf<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['result']>;
export type PayloadOf<E extends EventChannel> = z.infer<(typeof eventChannels)[E]>;

export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];
export const EVENT_CHANNELS = Object.keys(eventChannels) as EventChannel[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(eventChannels, value);
}

export type ContractErrorCode = 'unknown-channel' | 'invalid-argument' | 'refused-sender' | 'failed';

export interface ContractError {
  readonly code: ContractErrorCode;
  /** Says what was wrong, for logs and staff; never shown to a visitor as is. */
  readonly message: string;
}

/** What every call returns, whatever the transport. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractError };

/** The main side's implementation of every channel. A missing channel is a compile error. */
export type ContractHandlers = {
  readonly [C in InvokeChannel]: (argument: ArgumentOf<C>) => Promise<ResultOf<C>> | ResultOf<C>;
};

/** Where the main side sends events; each transport provides one. */
export interface ContractEventSink {
  emit<E extends EventChannel>(event: E, payload: PayloadOf<E>): void;
}

type DomainOf<C extends string> = C extends `${infer Domain}:${string}` ? Domain : never;
type VerbOf<C extends string, Domain extends string> = C extends `${Domain}:${infer Verb}` ? Verb : never;

type BridgeFunction<C extends InvokeChannel> = [ArgumentOf<C>] extends [undefined]
  ? () => Promise<Envelope<ResultOf<C>>>
  : (argument: ArgumentOf<C>) => Promise<Envelope<ResultOf<C>>>;

/** `window.kiosk`: one named function per channel, grouped by domain. */
export type KioskBridge = {
  readonly [Domain in DomainOf<InvokeChannel | EventChannel>]: {
    readonly [C in InvokeChannel as VerbOf<C, Domain> extends never ? never : VerbOf<C, Domain>]: BridgeFunction<C>;
  } & {
    readonly [E in EventChannel as VerbOf<E, Domain> extends never ? never : `on${Capitalize<VerbOf<E, Domain>>}`]: (
      listener: (payload: PayloadOf<E>) => void,
    ) => () => void;
  };
};

export function splitChannel(channel: string): { domain: string; verb: string } {
  const separator = channel.indexOf(':');
  return { domain: channel.slice(0, separator), verb: channel.slice(separator + 1) };
}

export function eventListenerName(verb: string): string {
  return `on${verb.charAt(0).toUpperCase()}${verb.slice(1)}`;
}
