/**
 * The help webhook against a real receiver on 127.0.0.1: the payload of each format,
 * where it is POSTed, retries after failures on a manual clock, and giving up politely.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelpWebhookSchema, type HelpWebhook } from '../../../shared/config/schema';
import {
  deliverHelpWebhook,
  describeWebhookAddress,
  helpNoticeText,
  sendHelpWebhook,
  webhookRequestFor,
  type HelpNotice,
} from '../../../electron/services/help-webhook';
import { ManualClock } from '../../support/manual-clock';
import { unusedPort } from '../preview/loopback-http';
import { waitUntil } from './fixtures/wait-until';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver';

const notice: HelpNotice = { kiosk: 'PC 3', site: 'EPN de Namur', serviceId: 'myminfin', language: 'fr', requestedAt: Date.UTC(2025, 0, 6, 9, 30, 0) };

function webhook(url: string, format: HelpWebhook['format']): HelpWebhook {
  return HelpWebhookSchema.parse({ url, format });
}

let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});

afterEach(async () => {
  await receiver.close();
});

describe('the message', () => {
  it('names the PC, its site, the service and the language, and nothing else', () => {
    expect(helpNoticeText(notice)).toBe('PC 3 (EPN de Namur) asks for help — service: myminfin, language: fr');
    expect(helpNoticeText({ ...notice, site: '', serviceId: null, language: 'nl' })).toBe('PC 3 asks for help — language: nl');
  });
});

describe('each format', () => {
  it('json: our documented payload, POSTed to the address as configured', async () => {
    const result = await sendHelpWebhook(webhook(receiver.url('/hooks/epn?key=k1'), 'json'), notice);
    expect(result).toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/hooks/epn?key=k1');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      event: 'help-requested',
      kiosk: 'PC 3',
      site: 'EPN de Namur',
      serviceId: 'myminfin',
      language: 'fr',
      requestedAt: '2025-01-06T09:30:00.000Z',
      message: 'PC 3 (EPN de Namur) asks for help — service: myminfin, language: fr',
    });
  });

  it('ntfy: JSON publishing at the server\'s root, the topic taken from the path', async () => {
    await sendHelpWebhook(webhook(receiver.url('/epn-help'), 'ntfy'), notice);
    expect(receiver.received[0]!.url).toBe('/');
    expect(receiver.received[0]!.body).toEqual({
      topic: 'epn-help',
      title: 'Help requested: PC 3',
      message: 'PC 3 (EPN de Namur) asks for help — service: myminfin, language: fr',
      priority: 4,
      tags: ['raising_hand'],
    });
  });

  it('ntfy behind a path prefix, with its access token in the query: the prefix is the root, the query is kept', () => {
    const request = webhookRequestFor(webhook('https://example.org/ntfy/epn-namur?auth=tk_secret', 'ntfy'), notice);
    expect(request.url).toBe('https://example.org/ntfy/?auth=tk_secret');
    expect(request.body.topic).toBe('epn-namur');
  });

  it('gotify: {title, message, priority} to <server>/message with the token as configured', async () => {
    await sendHelpWebhook(webhook(receiver.url('/message?token=AbC.123'), 'gotify'), notice);
    expect(receiver.received[0]!.url).toBe('/message?token=AbC.123');
    expect(receiver.received[0]!.body).toEqual({ title: 'Help requested: PC 3', message: 'PC 3 (EPN de Namur) asks for help — service: myminfin, language: fr', priority: 8 });
  });

  it('gotify configured with the server\'s address only: /message is added, the token kept', () => {
    expect(webhookRequestFor(webhook('https://push.example.org?token=T1', 'gotify'), notice).url).toBe('https://push.example.org/message?token=T1');
    expect(webhookRequestFor(webhook('https://example.org/gotify/?token=T1', 'gotify'), notice).url).toBe('https://example.org/gotify/message?token=T1');
  });

  it('keeps secrets of the query out of descriptions meant for the log', () => {
    expect(describeWebhookAddress('https://push.example.org/message?token=SECRET')).toBe('https://push.example.org/message');
    expect(describeWebhookAddress('not an address')).toBe('an invalid address');
  });
});

describe('one attempt', () => {
  it('reports a receiver error as retryable (5xx, 429) or not (another 4xx)', async () => {
    receiver.answerWith(503, 429, 404);
    const hook = webhook(receiver.url('/hook?token=SECRET'), 'json');
    const unavailable = await sendHelpWebhook(hook, notice);
    const tooMany = await sendHelpWebhook(hook, notice);
    const notFound = await sendHelpWebhook(hook, notice);
    expect(unavailable).toMatchObject({ ok: false, retryable: true });
    expect(tooMany).toMatchObject({ ok: false, retryable: true });
    expect(notFound).toMatchObject({ ok: false, retryable: false });
    if (!notFound.ok) {
      expect(notFound.message).toContain('answered 404');
      expect(notFound.message).toContain('help.webhooks');
      expect(notFound.message).not.toContain('SECRET');
    }
  });

  it('reports a closed port, and a receiver that does not answer in time, as retryable', async () => {
    const closed = await sendHelpWebhook(webhook(`http://127.0.0.1:${await unusedPort()}/hook`, 'json'), notice);
    expect(closed).toMatchObject({ ok: false, retryable: true });
    receiver.answerWith('silent');
    const silent = await sendHelpWebhook(webhook(receiver.url('/hook'), 'json'), notice, { timeoutMs: 150 });
    expect(silent).toMatchObject({ ok: false, retryable: true });
    if (!silent.ok) expect(silent.message).toContain('no answer within 150 ms');
  });
});

describe('delivery with retries', () => {
  it('tries again on the help schedule after 500s and delivers', async () => {
    receiver.answerWith(500, 502);
    const clock = new ManualClock();
    const lines: string[] = [];
    const delivery = deliverHelpWebhook(webhook(receiver.url('/hook'), 'json'), notice, { clock, log: (line) => lines.push(line) });

    await waitUntil(() => clock.pendingTimers() === 1, 'the first retry to be armed');
    expect(clock.nextDueAt()! - clock.now()).toBe(2_000);
    clock.advance(2_000);
    await waitUntil(() => receiver.received.length === 2 && clock.pendingTimers() === 1, 'the second retry to be armed');
    expect(clock.nextDueAt()! - clock.now()).toBe(5_000);
    clock.advance(5_000);

    await expect(delivery).resolves.toEqual({ delivered: true, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/answered 500; trying again in 2 s/);
    expect(lines[1]).toMatch(/answered 502; trying again in 5 s/);
  });

  it('gives up politely after its attempts, with one log line per failure and no throw', async () => {
    receiver.answerWith(500, 500, 500);
    const clock = new ManualClock();
    const lines: string[] = [];
    const delivery = deliverHelpWebhook(webhook(receiver.url('/hook'), 'json'), notice, { clock, maxAttempts: 3, log: (line) => lines.push(line) });
    for (let retry = 1; retry <= 2; retry += 1) {
      await waitUntil(() => clock.pendingTimers() === 1, `retry ${retry} to be armed`);
      clock.advanceTo(clock.nextDueAt()!);
    }
    await expect(delivery).resolves.toEqual({ delivered: false, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('gave up after 3 attempt(s)');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('does not retry what the receiver refused for good', async () => {
    receiver.answerWith(401);
    const clock = new ManualClock();
    const lines: string[] = [];
    await expect(deliverHelpWebhook(webhook(receiver.url('/message?token=wrong'), 'gotify'), notice, { clock, log: (line) => lines.push(line) })).resolves.toEqual({ delivered: false, attempts: 1 });
    expect(clock.pendingTimers()).toBe(0);
    expect(lines).toEqual([expect.stringContaining('gave up after 1 attempt(s)')]);
  });

  it('stops waiting at once when the call is withdrawn', async () => {
    receiver.answerWith(500);
    const clock = new ManualClock();
    const withdrawn = new AbortController();
    const delivery = deliverHelpWebhook(webhook(receiver.url('/hook'), 'json'), notice, { clock, signal: withdrawn.signal, log: () => {} });
    await waitUntil(() => clock.pendingTimers() === 1, 'the retry to be armed');
    withdrawn.abort();
    await expect(delivery).resolves.toEqual({ delivered: false, attempts: 1 });
    expect(clock.pendingTimers()).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });
});
