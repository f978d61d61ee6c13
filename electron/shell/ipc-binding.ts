/**
 * The contract carried over Electron IPC, main side. The only file that touches ipcMain.
 *
 * One handler per channel of shared/contract.ts and nothing else: a channel the contract
 * does not list is never registered, so nothing answers it. Every call is first checked
 * to come from the kiosk's own top frame (the launcher's main frame, on kiosk://app);
 * anything else (a service page, a sub-frame, another webContents) gets a refusal
 * envelope and reaches no handler. Then shared/contract-dispatch validates the argument,
 * runs the handler and answers with an envelope; it never throws.
 */
import type { WebFrameMain } from 'electron';
import {
  INVOKE_CHANNELS,
  eventChannels,
  type ContractEventSink,
  type ContractHandlers,
  type Envelope,
  type EventChannel,
  type PayloadOf,
} from '../../shared/contract';
import { dispatchContractCall, refusedEnvelope } from '../../shared/contract-dispatch';
import { isKioskAppUrl } from './kiosk-origin';

/** What the binding reads of a call's origin (a subset of Electron's IpcMainInvokeEvent). */
export interface ContractCallEvent {
  readonly sender: unknown;
  readonly senderFrame: (Pick<WebFrameMain, 'url' | 'processId' | 'routingId'> & { readonly parent: object | null }) | null;
}

/** The part of ipcMain the binding uses. */
export interface InvokeRegistrar {
  handle(channel: string, listener: (event: ContractCallEvent, ...args: unknown[]) => Promise<Envelope<unknown>>): void;
  removeHandler(channel: string): void;
}

export type KioskFrameCheck = (event: ContractCallEvent) => boolean;

/**
 * Electron's ipcMain, for the real shell. Loaded on call rather than imported, so this
 * module (the only one allowed to touch ipcMain) also runs under plain Node in tests,
 * where the binding is given a fake registrar.
 */
export function loadElectronIpcMain(): InvokeRegistrar {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { ipcMain } = require('electron') as typeof import('electron');
  return ipcMain;
}

/** Registers every contract channel; returns the function that removes them all again. */
export function bindContractToIpc(ipcMain: InvokeRegistrar, handlers: ContractHandlers, isKioskFrame: KioskFrameCheck): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isKioskFrame(event)) {
        return refusedEnvelope(`${channel}: calls are accepted only from the kiosk's own top frame`);
      }
      if (args.length > 1) {
        return { ok: false, error: { code: 'invalid-argument', message: `${channel}: takes a single argument, got ${args.length}` } };
      }
      return dispatchContractCall(handlers, channel, args[0]);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** The launcher's webContents as the sender check sees it. */
export interface LauncherContents {
  isDestroyed(): boolean;
  readonly mainFrame: Pick<WebFrameMain, 'processId' | 'routingId'>;
}

/**
 * True only for a call from the launcher's own webContents, from its main frame (not a
 * sub-frame), while that frame shows the kiosk's origin.
 */
export function createLauncherFrameCheck(getLauncher: () => LauncherContents | undefined): KioskFrameCheck {
  return (event) => {
    const launcher = getLauncher();
    if (launcher === undefined || launcher.isDestroyed() || event.sender !== launcher) return false;
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    const top = launcher.mainFrame;
    if (frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
    return isKioskAppUrl(frame.url);
  };
}

/** The launcher's webContents as the event sink sees it. */
export interface EventReceiver {
  isDestroyed(): boolean;
  readonly mainFrame: Pick<WebFrameMain, 'url' | 'send'>;
}

/**
 * Sends contract events to the launcher's main frame only, and only while it shows the
 * kiosk's origin. A payload that breaks the contract is dropped and logged, never sent.
 */
export function createLauncherEventSink(getLauncher: () => EventReceiver | undefined, log: (message: string) => void): ContractEventSink {
  return {
    emit<E extends EventChannel>(event: E, payload: PayloadOf<E>): void {
      const parsed = eventChannels[event].safeParse(payload);
      if (!parsed.success) {
        log(`${event}: not sent, the payload breaks the contract (${parsed.error.issues.length} problem(s))`);
        return;
      }
      const launcher = getLauncher();
      if (launcher === undefined || launcher.isDestroyed()) return;
      if (!isKioskAppUrl(launcher.mainFrame.url)) return;
      launcher.mainFrame.send(event, parsed.data);
    },
  };
}
