/**
 * One call to an EPN hub's HTTP API (shared/hub-api.ts), for every client of it: the
 * kiosk's help call, heartbeats, statistics uploads, pairing, and a hub forwarding to its
 * network hub.
 *
 * It never throws. What went wrong comes back as one of three kinds, because callers act
 * differently on each: 'unreachable' (nothing answered: retry later), 'refused' (the hub
 * answered with an error status: its message says why), 'invalid-answer' (something
 * answered, but not what the API promises: a wrong address or another version).
 *
 * A hub with a self-signed certificate is trusted through `ca` (its PEM). Node's built-in
 * fetch cannot take a certificate authority per request, so such calls go through
 * node:https instead (with `ca` set, `fetch` is not used).
 */
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { HUB_API_PREFIX, HubErrorSchema } from '../../shared/hub-api';

export type HubCallResult<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; kind: 'unreachable' | 'refused' | 'invalid-answer'; status: number | null; message: string };

export interface HubCallOptions<T> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Starts with /api/v1; may carry a query string. */
  readonly path: string;
  /** The device's credential, sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** What a successful answer must look like. */
  readonly answer: z.ZodType<T>;
  /** For the whole call, answer included. Default 5000. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /** PEM of the certificate (or its authority) to trust for a hub on https with a self-signed certificate. */
  readonly ca?: string;
}

export const DEFAULT_HUB_CALL_TIMEOUT_MS = 5_000;
/** The API's answers are small; a larger one is not a hub's. */
export const MAX_HUB_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * The hub's address as the kiosk keeps it: scheme, host and port, and any path prefix a
 * reverse proxy adds, without a trailing slash. Null when it is not an http(s) address.
 */
export function normalizeHubUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  parsed.search = '';
  parsed.hash = '';
  return parsed.href.replace(/\/+$/, '');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND…) in its cause.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return error.message;
}

interface RawAnswer {
  readonly status: number;
  readonly text: string;
}

class AnswerTooLargeError extends Error {
  constructor() {
    super(`the answer is larger than ${MAX_HUB_ANSWER_BYTES} bytes, which no hub sends`);
  }
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_HUB_ANSWER_BYTES) throw new AnswerTooLargeError();
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_HUB_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      throw new AnswerTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function sendWithFetch(fetcher: typeof fetch, url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }): Promise<RawAnswer> {
  const response = await fetcher(url, { ...init, redirect: 'error' });
  return { status: response.status, text: await readLimited(response) };
}

function sendWithHttps(url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }, ca: string): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const outgoing = httpsRequest(url, { method: init.method, headers: init.headers, ca, signal: init.signal }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_HUB_ANSWER_BYTES) {
          incoming.destroy(new AnswerTooLargeError());
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('error', reject);
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'it does not match the API';
  const where = issue.path.length === 0 ? 'the answer' : issue.path.map(String).join('.');
  return `${where}: ${issue.message}`;
}

function refusalMessage(status: number, text: string): string {
  try {
    const parsed = HubErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return `the hub refused (${status} ${parsed.data.error.code}): ${parsed.data.error.message}`;
  } catch {
    // Not JSON: a proxy's or another server's error page.
  }
  return `the hub refused with status ${status}`;
}

export async function callHub<T>(baseUrl: string, options: HubCallOptions<T>): Promise<HubCallResult<T>> {
  const base = normalizeHubUrl(baseUrl);
  if (base === null) return { ok: false, kind: 'unreachable', status: null, message: `"${baseUrl.slice(0, 200)}" is not an http:// or https:// address of a hub` };
  if (!options.path.startsWith(`${HUB_API_PREFIX}/`)) {
    return { ok: false, kind: 'unreachable', status: null, message: `the hub's routes start with ${HUB_API_PREFIX}/, not "${options.path.slice(0, 100)}"` };
  }
  const url = `${base}${options.path}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HUB_CALL_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    try {
      body = JSON.stringify(options.body);
    } catch (error) {
      return { ok: false, kind: 'unreachable', status: null, message: `the request could not be written as JSON: ${describe(error)}` };
    }
    headers['content-type'] = 'application/json';
  }
  const what = `${options.method} ${options.path.split('?')[0]}`;

  let answer: RawAnswer;
  try {
    const init = { method: options.method, headers, signal, ...(body === undefined ? {} : { body }) };
    answer = options.ca !== undefined && url.startsWith('https:') ? await sendWithHttps(url, init, options.ca) : await sendWithFetch(options.fetch ?? fetch, url, init);
  } catch (error) {
    if (error instanceof AnswerTooLargeError) return { ok: false, kind: 'invalid-answer', status: null, message: `${what} at ${base}: ${error.message}` };
    const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : options.signal?.aborted === true ? 'the call was abandoned' : describe(error);
    return { ok: false, kind: 'unreachable', status: null, message: `${what} at ${base}: ${reason}` };
  }

  if (answer.status < 200 || answer.status > 299) {
    return { ok: false, kind: 'refused', status: answer.status, message: `${what}: ${refusalMessage(answer.status, answer.text)}` };
  }
  let json: unknown;
  try {
    json = answer.text === '' ? undefined : JSON.parse(answer.text);
  } catch {
    return { ok: false, kind: 'invalid-answer', status: answer.status, message: `${what} at ${base}: the answer is not JSON; is this the address of an EPN hub?` };
  }
  const parsed = options.answer.safeParse(json);
  if (!parsed.success) {
    return { ok: false, kind: 'invalid-answer', status: answer.status, message: `${what} at ${base}: the answer does not match the hub's API (${firstIssue(parsed.error)}); is this the address of an EPN hub of the same version?` };
  }
  return { ok: true, status: answer.status, value: parsed.data };
}
