/**
 * Where the screens get `window.kiosk` from. In Electron the preload defines it; in
 * the browser preview there is no preload, so the same bridge is built over HTTP on
 * the page's own origin.
 */
import { buildKioskBridge } from '../../shared/bridge';
import type { KioskBridge } from '../../shared/contract';
import { createPreviewTransport } from './preview-transport';

declare global {
  interface Window {
    /** Defined by the Electron preload; absent in the browser preview. */
    readonly kiosk?: KioskBridge;
  }
}

export function getKioskBridge(): KioskBridge {
  return window.kiosk ?? buildKioskBridge(createPreviewTransport(window.location.origin));
}
