/**
 * The main side's single entry for a contract call, whatever carried it (Electron IPC
 * or the preview's HTTP bridge): check the channel, validate the argument, call the
 * handler, check its result, and answer with an envelope. It never throws, so a bad
 * call can never take the kiosk down.
 */
import {
  invokeChannels,
  isInvokeChannel,
  type ContractHandlers,
  type Envelope,
  type InvokeChannel,
} from './contract';
import { formatFieldPath } from './config/schema';
import type { z } from 'zod';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = formatFieldPath(issue.path);
      return field === '' ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}

export function refusedEnvelope(message: string): Envelope<never> {
  return { ok: false, error: { code: 'refused-sender', message } };
}

export async function dispatchContractCall(
  handlers: ContractHandlers,
  channel: unknown,
  argument: unknown,
): Promise<Envelope<unknown>> {
  if (!isInvokeChannel(channel)) {
    const shown = typeof channel === 'string' ? `"${channel.slice(0, 80)}"` : typeof channel;
    return { ok: false, error: { code: 'unknown-channel', message: `${shown} is not a channel of the kiosk's contract` } };
  }
  const definition = invokeChannels[channel];
  const parsedArgument = definition.argument.safeParse(argument);
  if (!parsedArgument.success) {
    return { ok: false, error: { code: 'invalid-argument', message: `${channel}: ${describeIssues(parsedArgument.error)}` } };
  }
  try {
    const handler = handlers[channel] as (value: unknown) => unknown;
    const result = await handler(parsedArgument.data);
    const parsedResult = definition.result.safeParse(result);
    if (!parsedResult.success) {
      return { ok: false, error: { code: 'failed', message: `${channel}: the handler's result broke the contract (${describeIssues(parsedResult.error)})` } };
    }
    return { ok: true, value: parsedResult.data };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'failed', message: `${channel}: ${message}` } };
  }
}

export type { InvokeChannel };
