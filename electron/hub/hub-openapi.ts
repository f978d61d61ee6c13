/**
 * The hub's API v1 as an OpenAPI 3.1 document (served at GET /api/v1/openapi.json),
 * generated from the zod schemas of shared/hub-api.ts with z.toJSONSchema, so the
 * document cannot drift from what the hub validates. HUB_API_OPERATIONS lists every
 * route with who may call it; the server registers its routes by hand and a test checks
 * that both lists are the same.
 *
 * Decisions written here once for every client:
 * - An unknown, expired or used-up pairing code is 404 (the code names nothing the hub
 *   has), with a message saying to ask for a new code on the staff dashboard.
 * - A kiosk asking for another kiosk's help request gets 404, not 403, so request ids
 *   cannot be probed.
 * - `groupBy=week` in the statistics summary sums the days of each ISO week (clipped to
 *   the period); each entry's `day` is the first day of its week within the period.
 */
import { z } from 'zod';
import {
  CreateHelpRequestSchema,
  CreatePairingCodeRequestSchema,
  DeviceViewSchema,
  HeartbeatRequestSchema,
  HeartbeatResponseSchema,
  HelpRequestListSchema,
  HelpRequestPollQuerySchema,
  HelpRequestViewSchema,
  HUB_API_PREFIX,
  HUB_API_VERSION,
  HubErrorSchema,
  HubEventSchema,
  HubIdSchema,
  HubInfoSchema,
  HubStatisticsExportQuerySchema,
  HubStatisticsQuerySchema,
  HubStatisticsSummarySchema,
  KioskViewSchema,
  LONG_POLL_SECONDS,
  PairingClaimRequestSchema,
  PairingClaimResponseSchema,
  PairingCodeIssuedSchema,
  StatisticsUploadResultSchema,
  StatisticsUploadSchema,
} from '../../shared/hub-api';
import { StatisticsExportSchema } from '../../shared/statistics/export-format';
import type { RouteAccess } from './hub-auth';

/** GET /api/v1/devices answers this. */
export const DeviceListSchema = z.object({ devices: z.array(DeviceViewSchema) }).strict();
/** GET /api/v1/kiosks answers this. */
export const KioskListSchema = z.object({ kiosks: z.array(KioskViewSchema) }).strict();

/** Every `error.code` the hub answers with, and its status. */
export const HUB_ERROR_CODES = {
  'invalid-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'cross-origin': 403,
  'not-found': 404,
  'pairing-code-unknown': 404,
  'pairing-code-expired': 404,
  'pairing-code-used-up': 404,
  conflict: 409,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  'too-many-streams': 503,
  unavailable: 503,
  internal: 500,
} as const;
export type HubErrorCode = keyof typeof HUB_ERROR_CODES;

/** The components of the document: body and answer schemas, each generated once. */
const COMPONENTS = {
  HubInfo: { schema: HubInfoSchema, io: 'output' },
  HubError: { schema: HubErrorSchema, io: 'output' },
  PairingClaimRequest: { schema: PairingClaimRequestSchema, io: 'input' },
  PairingClaimResponse: { schema: PairingClaimResponseSchema, io: 'output' },
  CreatePairingCodeRequest: { schema: CreatePairingCodeRequestSchema, io: 'input' },
  PairingCodeIssued: { schema: PairingCodeIssuedSchema, io: 'output' },
  DeviceList: { schema: DeviceListSchema, io: 'output' },
  HeartbeatRequest: { schema: HeartbeatRequestSchema, io: 'input' },
  HeartbeatResponse: { schema: HeartbeatResponseSchema, io: 'output' },
  KioskList: { schema: KioskListSchema, io: 'output' },
  CreateHelpRequest: { schema: CreateHelpRequestSchema, io: 'input' },
  HelpRequestView: { schema: HelpRequestViewSchema, io: 'output' },
  HelpRequestList: { schema: HelpRequestListSchema, io: 'output' },
  HubEvent: { schema: HubEventSchema, io: 'output' },
  StatisticsUpload: { schema: StatisticsUploadSchema, io: 'input' },
  StatisticsUploadResult: { schema: StatisticsUploadResultSchema, io: 'output' },
  HubStatisticsSummary: { schema: HubStatisticsSummarySchema, io: 'output' },
  StatisticsExport: { schema: StatisticsExportSchema, io: 'output' },
} as const satisfies Record<string, { schema: z.ZodType; io: 'input' | 'output' }>;
export type HubComponentName = keyof typeof COMPONENTS;

export type HttpMethod = 'get' | 'post' | 'delete';

export interface HubOperationAnswer {
  readonly description: string;
  /** The JSON answer's component; absent for 204 or a non-JSON answer. */
  readonly schema?: HubComponentName;
  /** Other media types, with a JSON Schema of their own. */
  readonly content?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface HubOperation {
  readonly method: HttpMethod;
  /** Below HUB_API_PREFIX, OpenAPI style: "/help-requests/{id}". */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: RouteAccess;
  readonly body?: HubComponentName;
  readonly query?: z.ZodObject;
  /** Success answers by status; refusals are added from `refusals`. */
  readonly answers: Readonly<Record<number, HubOperationAnswer>>;
  /** Refusal statuses beyond those every operation of its kind has (see refusalsOf). */
  readonly refusals?: readonly number[];
}

const STAFF = ['staff'] as const;
const KIOSK = ['kiosk'] as const;

export const HUB_API_OPERATIONS: readonly HubOperation[] = [
  {
    method: 'get',
    path: '/info',
    operationId: 'getInfo',
    summary: "The hub's API version, role, site and clock",
    access: 'anyone',
    answers: { 200: { description: 'The hub', schema: 'HubInfo' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    access: 'anyone',
    answers: { 200: { description: 'The OpenAPI 3.1 document of API v1', content: { 'application/json': { type: 'object' } } } },
  },
  {
    method: 'post',
    path: '/pairing',
    operationId: 'claimPairingCode',
    summary: 'Turn a pairing code into a device credential',
    description:
      'No credential needed; limited per address. A kiosk code needs `kioskId` (the kiosk\'s statistics id), a staff or hub code refuses it. An unknown, expired or used-up code is 404 with a message saying to ask for a new code on the staff dashboard. The token in the answer is shown once: the hub keeps only its hash.',
    access: 'anyone',
    body: 'PairingClaimRequest',
    answers: { 201: { description: 'Paired: the device\'s credential', schema: 'PairingClaimResponse' } },
    refusals: [404],
  },
  {
    method: 'post',
    path: '/pairing-codes',
    operationId: 'createPairingCode',
    summary: 'A new pairing code for a kiosk, a staff device or a downstream hub',
    description: 'Staff codes: one device, 10 minutes, with `pairUrl` for a QR code. Kiosk and hub codes: up to 100 devices for an hour.',
    access: STAFF,
    body: 'CreatePairingCodeRequest',
    answers: { 201: { description: 'The code, shown once', schema: 'PairingCodeIssued' } },
  },
  {
    method: 'get',
    path: '/devices',
    operationId: 'listDevices',
    summary: 'Paired devices (never their secrets)',
    access: STAFF,
    answers: { 200: { description: 'Every paired device', schema: 'DeviceList' } },
  },
  {
    method: 'delete',
    path: '/devices/{deviceId}',
    operationId: 'revokeDevice',
    summary: "Take a device's credential away for good (a lost phone)",
    description: 'A staff device cannot revoke itself (409): another staff device must do it, so the hub never loses its last helper by accident.',
    access: STAFF,
    answers: { 204: { description: 'Revoked: its credential no longer works and its event streams end' } },
    refusals: [404, 409],
  },
  {
    method: 'post',
    path: '/heartbeat',
    operationId: 'sendHeartbeat',
    summary: "A kiosk's sign of life, name and activity",
    description: 'Sent every `heartbeatSeconds`; after 35 seconds without one the kiosk shows as offline on the dashboards.',
    access: KIOSK,
    body: 'HeartbeatRequest',
    answers: { 200: { description: 'Received', schema: 'HeartbeatResponse' } },
  },
  {
    method: 'get',
    path: '/kiosks',
    operationId: 'listKiosks',
    summary: 'Every kiosk with its activity and whether it is online',
    access: STAFF,
    answers: { 200: { description: 'The kiosks', schema: 'KioskList' } },
  },
  {
    method: 'post',
    path: '/help-requests',
    operationId: 'createHelpRequest',
    summary: 'A visitor pressed Help',
    description: 'Idempotent on `clientRequestId`: a retried request answers 200 with the request made the first time.',
    access: KIOSK,
    body: 'CreateHelpRequest',
    answers: {
      201: { description: 'A new help request', schema: 'HelpRequestView' },
      200: { description: 'This clientRequestId was seen before: the request it made', schema: 'HelpRequestView' },
    },
  },
  {
    method: 'get',
    path: '/help-requests',
    operationId: 'listOpenHelpRequests',
    summary: 'The open help requests, the longest waiting first',
    access: STAFF,
    answers: { 200: { description: 'Waiting and acknowledged requests', schema: 'HelpRequestList' } },
  },
  {
    method: 'get',
    path: '/help-requests/{id}',
    operationId: 'getHelpRequest',
    summary: 'One help request; with `after`, a long poll',
    description: `A kiosk sees its own requests only (another kiosk's id is 404, so ids cannot be probed); staff see any. With \`after=<revision>\` the answer waits up to ${LONG_POLL_SECONDS} seconds for a revision above it, then answers with the request as it is.`,
    access: ['kiosk', 'staff'],
    query: HelpRequestPollQuerySchema,
    answers: { 200: { description: 'The request', schema: 'HelpRequestView' } },
    refusals: [404],
  },
  {
    method: 'post',
    path: '/help-requests/{id}/cancel',
    operationId: 'cancelHelpRequest',
    summary: 'The visitor withdrew the request, or their session ended',
    access: KIOSK,
    answers: { 200: { description: 'The request, cancelled', schema: 'HelpRequestView' } },
    refusals: [404, 409],
  },
  {
    method: 'post',
    path: '/help-requests/{id}/acknowledge',
    operationId: 'acknowledgeHelpRequest',
    summary: '"I\'m coming"',
    description: 'Repeating it changes nothing and answers 200; a resolved or cancelled request is 409.',
    access: STAFF,
    answers: { 200: { description: 'The request, acknowledged', schema: 'HelpRequestView' } },
    refusals: [404, 409],
  },
  {
    method: 'post',
    path: '/help-requests/{id}/resolve',
    operationId: 'resolveHelpRequest',
    summary: '"Done"',
    description: 'A waiting request may be resolved directly; a cancelled one is 409.',
    access: STAFF,
    answers: { 200: { description: 'The request, resolved', schema: 'HelpRequestView' } },
    refusals: [404, 409],
  },
  {
    method: 'get',
    path: '/events',
    operationId: 'streamEvents',
    summary: 'Live events for dashboards (server-sent events)',
    description:
      'Read with fetch() and the Authorization header (EventSource cannot send one). Each event is `event: <type>` and `data: <HubEvent JSON>`; the first is always a snapshot, and a reconnection gets a new one. A comment line comes every 15 seconds. At most a set number of streams are open at once (503 beyond).',
    access: STAFF,
    answers: { 200: { description: 'The stream', content: { 'text/event-stream': { type: 'string', description: 'Events, each one HubEvent in JSON', contentSchema: { $ref: '#/components/schemas/HubEvent' } } } } },
    refusals: [503],
  },
  {
    method: 'post',
    path: '/statistics/uploads',
    operationId: 'uploadStatistics',
    summary: "A kiosk's daily figures (or those a downstream hub forwards)",
    description: 'A kiosk may upload only its own kioskId (the one it paired with; 403 otherwise). The same kiosk and day uploaded again replaces the earlier figures, never adds to them. Bodies up to 2 MiB by default.',
    access: ['kiosk', 'hub'],
    body: 'StatisticsUpload',
    answers: { 200: { description: 'Stored', schema: 'StatisticsUploadResult' } },
  },
  {
    method: 'get',
    path: '/statistics/summary',
    operationId: 'getStatisticsSummary',
    summary: "The site's (or network's) figures per day or per ISO week, small counts suppressed",
    description: 'Every day (or week) of the period is present, zeros included. With `groupBy=week` each entry sums the days of one ISO week within the period, dated by its first day within the period.',
    access: STAFF,
    query: HubStatisticsQuerySchema,
    answers: { 200: { description: 'The summary', schema: 'HubStatisticsSummary' } },
  },
  {
    method: 'get',
    path: '/statistics/export',
    operationId: 'exportStatistics',
    summary: "Every kiosk's figures in the kiosk export format, suppressed per kiosk",
    description: 'CSV: the rows of every kiosk under one header; JSON: an array of kiosk exports. Both are read by `npm run stats -- merge`. Sent as an attachment.',
    access: STAFF,
    query: HubStatisticsExportQuerySchema,
    answers: {
      200: {
        description: 'The export file',
        content: {
          'text/csv': { type: 'string', description: 'schema_version,kiosk_id,kiosk_name,site,day,measure,key,value' },
          'application/json': { type: 'array', items: { $ref: '#/components/schemas/StatisticsExport' } },
        },
      },
    },
  },
];

const REFUSAL_DESCRIPTIONS: Record<number, string> = {
  400: 'A field is wrong: the message names it',
  401: 'No credential, or one this hub does not know',
  403: 'A credential of the wrong kind, or a request from a page of another origin',
  404: 'Nothing of that name',
  409: 'The change cannot happen in the current state',
  413: 'The body is too large',
  415: 'The body is not JSON',
  429: 'Too many requests or failed credentials: wait for Retry-After seconds',
  503: 'Too many open event streams',
};

function pathParametersOf(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

/** The refusal statuses an operation may answer with. */
export function refusalsOf(operation: HubOperation): number[] {
  const statuses = new Set<number>([403, ...(operation.refusals ?? [])]);
  if (operation.access !== 'anyone') for (const status of [401, 429]) statuses.add(status);
  if (operation.path === '/pairing') statuses.add(429);
  if (operation.body !== undefined) for (const status of [400, 413, 415]) statuses.add(status);
  if (operation.query !== undefined || pathParametersOf(operation.path).length > 0) statuses.add(400);
  return [...statuses].sort((a, b) => a - b);
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete generated.$schema;
  return generated;
}

function ref(name: HubComponentName): Record<string, unknown> {
  return { $ref: `#/components/schemas/${name}` };
}

function queryParameters(query: z.ZodObject): Record<string, unknown>[] {
  const schema = jsonSchemaOf(query, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property }));
}

function operationObject(operation: HubOperation): Record<string, unknown> {
  const parameters = [
    ...pathParametersOf(operation.path).map((name) => ({ name, in: 'path', required: true, schema: jsonSchemaOf(HubIdSchema, 'input') })),
    ...(operation.query ? queryParameters(operation.query) : []),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(operation.answers)) {
    const content = answer.schema ? { 'application/json': { schema: ref(answer.schema) } } : answer.content ? Object.fromEntries(Object.entries(answer.content).map(([type, schema]) => [type, { schema }])) : undefined;
    responses[status] = content ? { description: answer.description, content } : { description: answer.description };
  }
  for (const status of refusalsOf(operation)) {
    const headers = status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {};
    responses[String(status)] = { description: REFUSAL_DESCRIPTIONS[status] ?? 'Refused', ...headers, content: { 'application/json': { schema: ref('HubError') } } };
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    // OpenAPI 3.1 lets a non-OAuth requirement list role names: each entry is one kind of credential that may call.
    security: operation.access === 'anyone' ? [] : operation.access.map((role) => ({ deviceToken: [role] })),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(operation.body) } } } } : {}),
    responses,
  };
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: Record<string, unknown>;
  readonly paths: Record<string, Partial<Record<HttpMethod, Record<string, unknown>>>>;
  readonly components: Record<string, unknown>;
  readonly [key: string]: unknown;
}

function buildDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of HUB_API_OPERATIONS) {
    const path = `${HUB_API_PREFIX}${operation.path}`;
    paths[path] = { ...paths[path], [operation.method]: operationObject(operation) };
  }
  const schemas = Object.fromEntries(Object.entries(COMPONENTS).map(([name, { schema, io }]) => [name, jsonSchemaOf(schema, io)]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'EPN hub API',
      version: String(HUB_API_VERSION),
      description:
        'Help calls from kiosks to helpers, live events for staff dashboards, and anonymous daily statistics, on the local network. JSON in and out; every refusal is `{"error": {"code", "message"}}`. Bodies are checked against strict schemas: an unknown or wrong field is 400 with a message naming it. Requests from pages of another origin are refused (403); no CORS headers are ever sent.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        deviceToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The token a device received at pairing (POST /api/v1/pairing). Kiosk, staff and hub credentials are never interchangeable: the role names in each requirement say which may call.',
        },
      },
    },
    'x-error-codes': HUB_ERROR_CODES,
  };
}

let cachedDocument: OpenApiDocument | null = null;
let cachedJson: string | null = null;

/** The document, built on first use and kept. */
export function hubOpenApiDocument(): OpenApiDocument {
  cachedDocument ??= buildDocument();
  return cachedDocument;
}

/** The document as JSON text, serialized once. */
export function hubOpenApiJson(): string {
  cachedJson ??= JSON.stringify(hubOpenApiDocument());
  return cachedJson;
}
