/**
 * The EPN hub's HTTP API, version 1 (docs/hub.md is its reference page; the hub also
 * serves it as OpenAPI at GET /api/v1/openapi.json, generated from these schemas).
 *
 * One declaration per body and answer, used by the hub to validate what it receives,
 * by the kiosk's help client and the staff dashboard to check what they get back, and
 * by the OpenAPI document. A field the schema does not know is refused (strict objects),
 * so a request with a typo gets 400 and a message naming the field.
 *
 * Nothing personal crosses this API: a help request carries the kiosk's name, the open
 * service's id and the visitor's language; statistics are the kiosk's anonymous daily
 * figures (shared/statistics).
 */
import { z } from 'zod';
import { LanguageCodeSchema, ServiceIdSchema } from './config/schema';
import { DaySchema } from './statistics/calendar';
import { DailyFiguresSchema } from './statistics/daily-figures';
import { KioskIdSchema, KioskLabelsSchema } from './statistics/export-format';
import { GroupBySchema } from './statistics/period';
import { PublishedDailyFiguresSchema } from './statistics/suppression';

export const HUB_API_VERSION = 1;
/** Every route of version 1 starts with this. */
export const HUB_API_PREFIX = '/api/v1';
/** The hub's port when none is given: not a well-known service's, above 1023. */
export const DEFAULT_HUB_PORT = 8470;

/**
 * What a hub is for. An EPN hub serves its kiosks and helpers and may forward its daily
 * statistics upstream; a network hub collects the statistics of many EPN hubs (and may
 * still take help calls, if kiosks are paired with it).
 */
export const HubRoleSchema = z.enum(['epn', 'network'], { error: 'must be "epn" or "network"' });
export type HubRole = z.infer<typeof HubRoleSchema>;

/**
 * The three kinds of credentials, never interchangeable: a kiosk's (heartbeat, help
 * requests, its own statistics), a staff device's (dashboard: queue, acknowledge, resolve,
 * pairing codes, statistics), a downstream hub's (forwarding statistics only).
 */
export const DeviceRoleSchema = z.enum(['kiosk', 'staff', 'hub'], { error: 'must be "kiosk", "staff" or "hub"' });
export type DeviceRole = z.infer<typeof DeviceRoleSchema>;

/** An opaque id the hub gives each paired device and help request (16 random bytes, hex). */
export const HubIdSchema = z.string({ error: 'must be an id given by the hub' }).regex(/^[0-9a-f]{32}$/, { error: 'must be an id given by the hub: 32 lowercase hexadecimal digits' });

/* ---------- Pairing ---------- */

/** Letters and digits that cannot be mistaken for one another when read aloud or typed on a phone: no 0, O, 1, I, L, and of 2/Z, 5/S, 8/B at most one. */
export const PAIRING_CODE_ALPHABET = '345679ACDEFGHJKMNPQRTUVWXY';
export const PAIRING_CODE_LENGTH = 8;
/** Written in two groups of four, "K7QM-RXHP"; accepted in any case, with or without the dash or spaces. */
export const PAIRING_CODE_PATTERN = new RegExp(`^[${PAIRING_CODE_ALPHABET}]{4}-[${PAIRING_CODE_ALPHABET}]{4}$`);

/** "k7qm rxhp", "K7QMRXHP" → "K7QM-RXHP"; null when it cannot be a pairing code. */
export function normalizePairingCode(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== PAIRING_CODE_LENGTH) return null;
  const code = `${compact.slice(0, 4)}-${compact.slice(4)}`;
  return PAIRING_CODE_PATTERN.test(code) ? code : null;
}

export const PairingCodeSchema = z
  .string({ error: 'must be the pairing code shown on the staff dashboard, for example "K7QM-RXHP"' })
  .max(40, { error: 'is far too long to be a pairing code' })
  .transform((text, context) => {
    const code = normalizePairingCode(text);
    if (code === null) {
      context.addIssue({ code: 'custom', message: `must be the ${PAIRING_CODE_LENGTH}-character pairing code shown on the staff dashboard, for example "K7QM-RXHP"` });
      return z.NEVER;
    }
    return code;
  });

/** How long a code may be claimed. Staff codes: one device, 10 minutes. Kiosk and hub codes: any number of devices for an hour, so a room of PCs is paired in one go. */
export const STAFF_PAIRING_CODE_MINUTES = 10;
export const DEVICE_PAIRING_CODE_MINUTES = 60;

/** A device's name as helpers see it: "PC 3", "Reception phone". Not a person's name. */
export const DeviceNameSchema = z
  .string({ error: 'must be a text: the device\'s name, for example "PC 3" or "Reception phone"' })
  .trim()
  .min(1, { error: 'must not be empty: give the device a name helpers will recognise, for example "PC 3"' })
  .max(60, { error: 'must be at most 60 characters' });

export const SiteNameSchema = z.string({ error: 'must be a text: the site, for example "EPN de Namur"' }).trim().max(80, { error: 'must be at most 80 characters' });

/** POST /api/v1/pairing-codes (staff): a new code for a kiosk, a staff device or a downstream hub. */
export const CreatePairingCodeRequestSchema = z.object({ role: DeviceRoleSchema }).strict();
export const PairingCodeIssuedSchema = z
  .object({
    code: z.string().regex(PAIRING_CODE_PATTERN),
    role: DeviceRoleSchema,
    /** Epoch milliseconds of the hub's clock. */
    expiresAt: z.number().int(),
    /** How many devices may still claim it. */
    usesLeft: z.number().int().min(0),
    /**
     * For staff codes: the dashboard's address with the code in its fragment
     * (`…/dashboard/#pair=K7QM-RXHP`), for the QR code a helper's phone scans. Null otherwise.
     */
    pairUrl: z.string().nullable(),
  })
  .strict();
export type PairingCodeIssued = z.infer<typeof PairingCodeIssuedSchema>;

/**
 * POST /api/v1/pairing (no credentials): a device turns a code into its own credential.
 * A kiosk also sends its statistics identifier, so its uploads can be checked against it.
 */
export const PairingClaimRequestSchema = z
  .object({
    code: PairingCodeSchema,
    name: DeviceNameSchema,
    /** Kiosks only: the kiosk's random statistics id (kiosk-identity.ts). */
    kioskId: KioskIdSchema.optional(),
    /** Kiosks and downstream hubs: the site they belong to. */
    site: SiteNameSchema.optional(),
  })
  .strict();
export type PairingClaimRequest = z.infer<typeof PairingClaimRequestSchema>;

/**
 * A credential: `<deviceId>.<secret>`, sent as `Authorization: Bearer <token>`. The hub
 * keeps only a hash of the secret; the token is shown once, in this answer.
 */
export const DEVICE_TOKEN_PATTERN = /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/;
export const DeviceTokenSchema = z.string().regex(DEVICE_TOKEN_PATTERN, { error: 'must be a credential given by the hub at pairing' });

export const HubInfoSchema = z
  .object({
    apiVersion: z.literal(HUB_API_VERSION),
    role: HubRoleSchema,
    site: SiteNameSchema,
    /** The hub's clock, epoch milliseconds: clients measure waits on it, not on their own. */
    serverTime: z.number().int(),
  })
  .strict();
export type HubInfo = z.infer<typeof HubInfoSchema>;

export const PairingClaimResponseSchema = z
  .object({ deviceId: HubIdSchema, role: DeviceRoleSchema, token: DeviceTokenSchema, hub: HubInfoSchema })
  .strict();
export type PairingClaimResponse = z.infer<typeof PairingClaimResponseSchema>;

/** A paired device as staff see it (GET /api/v1/devices); never its secret. */
export const DeviceViewSchema = z
  .object({
    deviceId: HubIdSchema,
    role: DeviceRoleSchema,
    name: DeviceNameSchema,
    site: SiteNameSchema,
    pairedAt: z.number().int(),
    lastSeenAt: z.number().int().nullable(),
  })
  .strict();
export type DeviceView = z.infer<typeof DeviceViewSchema>;

/* ---------- Kiosks ---------- */

/** What the kiosk is doing, from its session phase: nobody there, a visitor there, or refusing visitors until staff look. */
export const KioskActivitySchema = z.enum(['free', 'in-session', 'out-of-order'], { error: 'must be "free", "in-session" or "out-of-order"' });
export type KioskActivity = z.infer<typeof KioskActivitySchema>;

/** A kiosk sends one every HEARTBEAT_SECONDS; after OFFLINE_AFTER_SECONDS without one, it shows as offline. */
export const HEARTBEAT_SECONDS = 10;
export const OFFLINE_AFTER_SECONDS = 35;

/** POST /api/v1/heartbeat (kiosk). Name and site follow the kiosk's configuration, so renaming a PC shows at once. */
export const HeartbeatRequestSchema = z
  .object({ name: DeviceNameSchema, site: SiteNameSchema, activity: KioskActivitySchema, appVersion: z.string().max(40).regex(/^[0-9A-Za-z.+-]*$/, { error: 'must be a version such as "0.1.0"' }) })
  .strict();
export type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;
export const HeartbeatResponseSchema = z.object({ serverTime: z.number().int(), heartbeatSeconds: z.number().int().min(1) }).strict();

export const KioskViewSchema = z
  .object({
    deviceId: HubIdSchema,
    name: DeviceNameSchema,
    site: SiteNameSchema,
    activity: KioskActivitySchema,
    /** Computed by the hub from lastSeenAt and OFFLINE_AFTER_SECONDS. */
    online: z.boolean(),
    lastSeenAt: z.number().int().nullable(),
  })
  .strict();
export type KioskView = z.infer<typeof KioskViewSchema>;

/* ---------- Help requests ---------- */

/**
 * waiting → acknowledged ("I'm coming") → resolved ("Done"); waiting or acknowledged →
 * cancelled (the visitor withdrew it, or their session ended). Staff may resolve a waiting
 * request directly. Resolved and cancelled are final.
 */
export const HelpRequestStateSchema = z.enum(['waiting', 'acknowledged', 'resolved', 'cancelled']);
export type HelpRequestState = z.infer<typeof HelpRequestStateSchema>;

/** A kiosk-chosen id for the request, so a retried POST after a lost answer creates nothing twice. */
export const ClientRequestIdSchema = z.string({ error: 'must be a text: an id the kiosk chose for this request' }).regex(/^[0-9a-f]{32}$/, { error: 'must be 32 lowercase hexadecimal digits, chosen at random by the kiosk' });

/** The longest a request may have waited on the kiosk before it reached the hub (retries): a day. */
export const MAX_DELIVERY_DELAY_MS = 24 * 3600 * 1000;

/** POST /api/v1/help-requests (kiosk). Answers 201 with the request, or 200 with the same request when clientRequestId was seen before. */
export const CreateHelpRequestSchema = z
  .object({
    clientRequestId: ClientRequestIdSchema,
    serviceId: ServiceIdSchema.nullable(),
    language: LanguageCodeSchema,
    /** How long ago the visitor pressed Help, by the kiosk's clock (0 on the first attempt): the hub dates the request that much earlier, so waits count from the press. */
    delayMs: z.number({ error: 'must be a number of milliseconds' }).int({ error: 'must be a whole number of milliseconds' }).min(0, { error: 'must not be negative' }).max(MAX_DELIVERY_DELAY_MS, { error: `must be at most ${MAX_DELIVERY_DELAY_MS} (a day)` }),
  })
  .strict();
export type CreateHelpRequest = z.infer<typeof CreateHelpRequestSchema>;

export const HelpRequestViewSchema = z
  .object({
    id: HubIdSchema,
    kioskDeviceId: HubIdSchema,
    kioskName: DeviceNameSchema,
    site: SiteNameSchema,
    serviceId: ServiceIdSchema.nullable(),
    language: LanguageCodeSchema,
    state: HelpRequestStateSchema,
    /** Epoch milliseconds of the hub's clock: when the visitor pressed Help. */
    createdAt: z.number().int(),
    acknowledgedAt: z.number().int().nullable(),
    /** When it was resolved or cancelled. */
    closedAt: z.number().int().nullable(),
    /** Goes up by one at every change: long polls wait for a revision above the one they have. */
    revision: z.number().int().min(1),
  })
  .strict();
export type HelpRequestView = z.infer<typeof HelpRequestViewSchema>;

/** GET /api/v1/help-requests/{id}?after=<revision> (kiosk: its own requests; staff: any). With `after`, the answer waits up to this long for a newer revision, then answers with the current one. */
export const LONG_POLL_SECONDS = 25;
export const HelpRequestPollQuerySchema = z
  .object({ after: z.coerce.number({ error: 'must be a revision number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).optional() })
  .strict();

/** GET /api/v1/help-requests (staff): the open requests, the oldest first. */
export const HelpRequestListSchema = z.object({ requests: z.array(HelpRequestViewSchema) }).strict();

/* ---------- Live events for dashboards ---------- */

/**
 * GET /api/v1/events (staff): server-sent events. Each `data:` line is one HubEvent in
 * JSON (`event: <type>`). The first event is always a snapshot; after a reconnection the
 * dashboard receives a new snapshot, so it never has to replay anything.
 */
export const HubEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), serverTime: z.number().int(), kiosks: z.array(KioskViewSchema), requests: z.array(HelpRequestViewSchema) }).strict(),
  z.object({ type: z.literal('kiosk'), serverTime: z.number().int(), kiosk: KioskViewSchema }).strict(),
  z.object({ type: z.literal('help-request'), serverTime: z.number().int(), request: HelpRequestViewSchema }).strict(),
]);
export type HubEvent = z.infer<typeof HubEventSchema>;

/* ---------- Statistics ---------- */

/** The most days one upload may carry (a kiosk back after months away sends in several). */
export const MAX_UPLOAD_DAYS = 400;

/**
 * POST /api/v1/statistics/uploads (kiosk: its own kioskId only; hub: the kiosks it
 * forwards). One kiosk's daily figures, unsuppressed: counts are suppressed when they
 * leave a hub (exports, dashboard), as they are when they leave a kiosk. The same kiosk
 * and day uploaded again replaces the earlier figures, never adds to them.
 */
export const StatisticsUploadSchema = z
  .object({
    kioskId: KioskIdSchema,
    kiosk: KioskLabelsSchema,
    days: z.array(DailyFiguresSchema, { error: 'must be a list of daily figures' }).min(1, { error: 'must hold at least one day' }).max(MAX_UPLOAD_DAYS, { error: `must hold at most ${MAX_UPLOAD_DAYS} days: send the rest in another upload` }),
  })
  .strict()
  .superRefine((upload, context) => {
    const seen = new Set<string>();
    upload.days.forEach((figures, index) => {
      if (seen.has(figures.day)) context.addIssue({ code: 'custom', path: ['days', index, 'day'], message: `${figures.day} is listed twice: send each day once` });
      seen.add(figures.day);
    });
  });
export type StatisticsUpload = z.infer<typeof StatisticsUploadSchema>;
export const StatisticsUploadResultSchema = z.object({ stored: z.number().int().min(0), replaced: z.number().int().min(0) }).strict();

/** GET /api/v1/statistics/summary?from=&to=&groupBy= (staff): the site's (or network's) figures, small counts suppressed. */
export const HubStatisticsQuerySchema = z.object({ from: DaySchema, to: DaySchema, groupBy: GroupBySchema.default('day') }).strict();
export const HubStatisticsSummarySchema = z
  .object({
    from: DaySchema,
    to: DaySchema,
    /** Kiosks with figures in the period. */
    kioskCount: z.number().int().min(0),
    suppressionThreshold: z.number().int(),
    /** The sum of all kiosks per day, suppressed. */
    days: z.array(PublishedDailyFiguresSchema),
  })
  .strict();
export type HubStatisticsSummary = z.infer<typeof HubStatisticsSummarySchema>;

/** GET /api/v1/statistics/export?from=&to=&format=csv|json (staff): every kiosk's figures, suppressed, in the kiosk export format (docs/statistics.md), readable by `npm run stats -- merge`. */
export const HubStatisticsExportQuerySchema = z.object({ from: DaySchema, to: DaySchema, format: z.enum(['csv', 'json'], { error: 'must be "csv" or "json"' }) }).strict();

/* ---------- Errors ---------- */

/** Every refusal: 400 (a field named), 401 (no or wrong credential), 403 (credential of the wrong kind), 404, 409 (a state change that cannot happen), 413, 429. */
export const HubErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }).strict() }).strict();
export type HubError = z.infer<typeof HubErrorSchema>;
