/**
 * A call for help sent to a notification service as one JSON POST (docs/help-call.md):
 *
 *   json    our own payload: {event, kiosk, site, serviceId, language, requestedAt, message}
 *           POSTed to the configured address as is.
 *   ntfy    ntfy's JSON publishing: {topic, title, message, priority, tags} POSTed to the
 *           server's root; the topic is the last part of the configured address's path
 *           ("https://ntfy.example.org/epn-help" → root "https://ntfy.example.org/",
 *           topic "epn-help"); a query (?auth=…) is kept.
 *   gotify  Gotify's message API: {title, message, priority} POSTed to <server>/message,
 *           with the application token as configured ("…/message?token=…").
 *
 * Like everything the kiosk sends about a call, it names the PC, its site, the open
 * service's id and the visitor's language: nothing about the visitor. The text is in
 * English: webhook receivers are staff tools, and one short fixed sentence is easier to
 * filter and search than one per kiosk language.
 */
import type { HelpWebhook } from '../../shared/config/schema';
import type { LanguageCode } from '../../shared/languages';
import { retryDelayMs, HELP_RETRY_SCHEDULE_MS } from '../../shared/retry-backoff';
import type { Clock } from './clock';

/** What a webhook is told about a call. */
export interface HelpNotice {
  /** The kiosk's name, "PC 3". */
  readonly kiosk: string;
  /** "EPN de Namur"; may be empty. */
  readonly site: string;
  readonly serviceId: string | null;
  readonly language: LanguageCode;
  /** When the visitor pressed Help, epoch milliseconds. */
  readonly requestedAt: number;
}

export interface WebhookRequest {
  readonly url: string;
  readonly body: Record<string, unknown>;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
/** ntfy's "high" priority: a sound and a pop-over, short of the "urgent" that keeps ringing. */
const NTFY_HIGH_PRIORITY = 4;
/** Gotify clients notify loudly from 8 up. */
const GOTIFY_HIGH_PRIORITY = 8;

/** "PC 3 (EPN de Namur) asks for help — service: myminfin, language: fr" */
export function helpNoticeText(notice: HelpNotice): string {
  const where = notice.site.trim() === '' ? notice.kiosk : `${notice.kiosk} (${notice.site})`;
  const details = [notice.serviceId === null ? null : `service: ${notice.serviceId}`, `language: ${notice.language}`].filter((part) => part !== null);
  return `${where} asks for help — ${details.join(', ')}`;
}

export function helpNoticeTitle(notice: HelpNotice): string {
  return `Help requested: ${notice.kiosk}`;
}

/** ntfy publishes JSON at its root; the topic is the last part of the path. */
function ntfyRequest(address: URL, notice: HelpNotice): WebhookRequest {
  const segments = address.pathname.split('/').filter((segment) => segment !== '');
  const topic = decodeURIComponent(segments.pop() ?? '');
  const root = new URL(address.href);
  root.pathname = `/${segments.map((segment) => `${segment}/`).join('')}`;
  root.hash = '';
  return { url: root.href, body: { topic, title: helpNoticeTitle(notice), message: helpNoticeText(notice), priority: NTFY_HIGH_PRIORITY, tags: ['raising_hand'] } };
}

/** Gotify takes messages at <server>/message. */
function gotifyRequest(address: URL, notice: HelpNotice): WebhookRequest {
  const target = new URL(address.href);
  target.hash = '';
  if (!/\/message\/?$/.test(target.pathname)) target.pathname = `${target.pathname.replace(/\/+$/, '')}/message`;
  return { url: target.href, body: { title: helpNoticeTitle(notice), message: helpNoticeText(notice), priority: GOTIFY_HIGH_PRIORITY } };
}

/** The request a webhook gets for a call, per its format. Throws only for an address the configuration schema would have refused. */
export function webhookRequestFor(webhook: HelpWebhook, notice: HelpNotice): WebhookRequest {
  const address = new URL(webhook.url);
  switch (webhook.format) {
    case 'ntfy':
      return ntfyRequest(address, notice);
    case 'gotify':
      return gotifyRequest(address, notice);
    case 'json':
      return {
        url: address.href,
        body: {
          event: 'help-requested',
          kiosk: notice.kiosk,
          site: notice.site,
          serviceId: notice.serviceId,
          language: notice.language,
          requestedAt: new Date(notice.requestedAt).toISOString(),
          message: helpNoticeText(notice),
        },
      };
  }
}

/** The address without its query: a secret (a token, an ntfy auth) may be there, and log lines are read by many. */
export function describeWebhookAddress(url: string): string {
  try {
    const address = new URL(url);
    return `${address.origin}${address.pathname}`;
  } catch {
    return 'an invalid address';
  }
}

export type WebhookAttempt = { readonly ok: true } | { readonly ok: false; readonly message: string; /** False when trying again cannot help (the receiver refused the request itself). */ readonly retryable: boolean };

export interface WebhookSendOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error.message;
}

/** One attempt. Never throws. */
export async function sendHelpWebhook(webhook: HelpWebhook, notice: HelpNotice, options: WebhookSendOptions = {}): Promise<WebhookAttempt> {
  const where = `the ${webhook.format} webhook at ${describeWebhookAddress(webhook.url)}`;
  let request: WebhookRequest;
  try {
    request = webhookRequestFor(webhook, notice);
  } catch (error) {
    return { ok: false, retryable: false, message: `${where} cannot be used: ${describe(error)}` };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await (options.fetch ?? fetch)(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request.body),
      signal,
      redirect: 'error',
    });
    // The answer's content does not matter; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true };
    // 408 and 429 say "later"; any other 4xx is a wrong address, token or topic: retrying cannot fix it.
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retryable, message: `${where} answered ${response.status}${retryable ? '' : ': check its address and token in help.webhooks'}` };
  } catch (error) {
    const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : options.signal?.aborted === true ? 'the call was withdrawn' : describe(error);
    return { ok: false, retryable: true, message: `${where} could not be reached: ${reason}` };
  }
}

export interface WebhookDeliveryOptions extends WebhookSendOptions {
  readonly clock: Pick<Clock, 'setTimer'>;
  /** Attempts in all, the first included. Default 6 (about a minute on the help schedule). */
  readonly maxAttempts?: number;
  readonly schedule?: readonly number[];
  readonly log: (line: string) => void;
}

export interface WebhookDelivery {
  readonly delivered: boolean;
  readonly attempts: number;
}

export const DEFAULT_WEBHOOK_ATTEMPTS = 6;

/**
 * Sends, and tries again on the schedule after a failure that may pass, up to
 * `maxAttempts`; one log line per failure. Stops at once when `signal` aborts. Never throws.
 */
export async function deliverHelpWebhook(webhook: HelpWebhook, notice: HelpNotice, options: WebhookDeliveryOptions): Promise<WebhookDelivery> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_WEBHOOK_ATTEMPTS);
  const schedule = options.schedule ?? HELP_RETRY_SCHEDULE_MS;
  for (let attempt = 1; ; attempt += 1) {
    const result = await sendHelpWebhook(webhook, notice, options);
    if (result.ok) return { delivered: true, attempts: attempt };
    if (options.signal?.aborted === true) return { delivered: false, attempts: attempt };
    if (!result.retryable || attempt >= maxAttempts) {
      options.log(`${result.message}; the webhook gave up after ${attempt} attempt(s)`);
      return { delivered: false, attempts: attempt };
    }
    const delayMs = retryDelayMs(attempt, schedule);
    options.log(`${result.message}; trying again in ${Math.round(delayMs / 1000)} s`);
    const proceed = await new Promise<boolean>((resolve) => {
      const onAbort = () => {
        cancel();
        resolve(false);
      };
      const cancel = options.clock.setTimer(() => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve(true);
      }, delayMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (!proceed) return { delivered: false, attempts: attempt };
  }
}
