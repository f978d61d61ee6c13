/**
 * The web preferences every page of the kiosk runs with (guide, section 3, pattern 4),
 * written once: the launcher adds only its preload, a service view only its visitor's
 * partition. Nothing here is relaxed anywhere else.
 */
import type { WebPreferences } from 'electron';

/**
 * Blink features no page of the kiosk gets. FileSystemAccessLocal is the File System
 * Access API's pickers (showOpenFilePicker, showSaveFilePicker, showDirectoryPicker):
 * they open the PC's file dialog by a path the DevTools protocol's file chooser
 * interception does not see, and Electron asks no handler before showing them. The same
 * list is passed to Chromium as a switch for every renderer (kiosk-shell.ts).
 */
export const DISABLED_BLINK_FEATURES = 'FileSystemAccessLocal';

export const LOCKED_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  devTools: false,
  spellcheck: false,
  navigateOnDragDrop: false,
  experimentalFeatures: false,
  enableWebSQL: false,
  // A page that opens dialog after dialog gets a way to silence them.
  safeDialogs: true,
  disableBlinkFeatures: DISABLED_BLINK_FEATURES,
  // The built-in PDF viewer runs in a guest page of its own, with its own print and save
  // buttons out of reach of the service view's guards: without it a PDF is downloaded to
  // the visitor's folder ("My files") instead.
  plugins: false,
} as const satisfies WebPreferences;

export function launcherWebPreferences(preloadPath: string): WebPreferences {
  return { ...LOCKED_WEB_PREFERENCES, preload: preloadPath };
}

/** Service pages get no preload: they never see `window.kiosk`. */
export function serviceWebPreferences(partition: string): WebPreferences {
  // An empty name would mean the default session, shared with the launcher and kept on disk.
  if (partition === '' || partition.startsWith('persist:')) {
    throw new Error(`a visitor's partition must be a named in-memory partition, not "${partition}"`);
  }
  return { ...LOCKED_WEB_PREFERENCES, partition };
}
