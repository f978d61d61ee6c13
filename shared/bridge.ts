/**
 * Builds the renderer's `window.kiosk` object from the contract, over any transport.
 * The preload gives it Electron IPC; the preview gives it HTTP and server-sent events;
 * tests give it a fake. Only channels listed in the contract ever become functions.
 */
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  eventListenerName,
  splitChannel,
  type Envelope,
  type EventChannel,
  type InvokeChannel,
  type KioskBridge,
} from './contract';

export interface BridgeTransport {
  invoke(channel: InvokeChannel, argument: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void;
}

export function buildKioskBridge(transport: BridgeTransport): KioskBridge {
  const domains: Record<string, Record<string, unknown>> = {};
  const domainObject = (domain: string) => (domains[domain] ??= {});

  for (const channel of INVOKE_CHANNELS) {
    const { domain, verb } = splitChannel(channel);
    domainObject(domain)[verb] = (argument?: unknown) => transport.invoke(channel, argument);
  }
  for (const event of EVENT_CHANNELS) {
    const { domain, verb } = splitChannel(event);
    domainObject(domain)[eventListenerName(verb)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${event}: the listener must be a function`);
      return transport.subscribe(event, listener);
    };
  }
  for (const domain of Object.values(domains)) Object.freeze(domain);
  return Object.freeze(domains) as unknown as KioskBridge;
}
