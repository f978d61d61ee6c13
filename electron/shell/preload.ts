/**
 * The launcher's preload: exposes `window.kiosk`, one named function per contract channel
 * (shared/bridge.ts), and nothing else. Runs sandboxed, so it is bundled with everything
 * it needs; the only module it takes from its host is 'electron'. Service pages never
 * get it (they run with no preload at all).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildKioskBridge } from '../../shared/bridge';
import type { Envelope } from '../../shared/contract';
import { isKioskAppUrl } from './kiosk-origin';

// The launcher cannot navigate away from kiosk://app; if it somehow did, the page it
// reached must not find the bridge.
if (isKioskAppUrl(window.location.href)) {
  contextBridge.exposeInMainWorld(
    'kiosk',
    buildKioskBridge({
      invoke: (channel, argument) => ipcRenderer.invoke(channel, argument) as Promise<Envelope<unknown>>,
      subscribe: (event, listener) => {
        const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
        ipcRenderer.on(event, forward);
        return () => {
          ipcRenderer.removeListener(event, forward);
        };
      },
    }),
  );
}
