/**
 * The kiosk's one window: full screen, kiosk mode, above everything else ('screen-saver'
 * level), no frame, no menu, and it refuses to close (Alt+F4, the window manager's close)
 * unless the app is quitting through an explicit path: app.quit(), which only a staff
 * action, the test harness or the operating system's shutdown calls. It loads the launcher from kiosk://app with the locked web preferences and
 * the preload that exposes `window.kiosk`.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Event as ElectronEvent } from 'electron';
import { LAUNCHER_URL } from './kiosk-origin';
import { launcherWebPreferences } from './web-preferences';
import type { ShellLog } from './shell-log';

/** The part of a BrowserWindow the kiosk window uses. */
export interface KioskBrowserWindow extends Pick<BrowserWindow, 'loadURL' | 'setAlwaysOnTop' | 'removeMenu' | 'setKiosk' | 'restore' | 'isDestroyed'> {
  on(event: 'close', listener: (event: Pick<ElectronEvent, 'preventDefault'>) => void): unknown;
  on(event: 'leave-full-screen', listener: () => void): unknown;
  on(event: 'minimize', listener: () => void): unknown;
}

export function kioskWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'EPN Kiosk',
    show: true,
    fullscreen: true,
    kiosk: true,
    alwaysOnTop: true,
    frame: false,
    autoHideMenuBar: true,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    skipTaskbar: true,
    backgroundColor: '#ffffff',
    webPreferences: launcherWebPreferences(preloadPath),
  };
}

export interface KioskWindowOptions<Window extends KioskBrowserWindow> {
  /** new BrowserWindow(options) */
  readonly createWindow: (options: BrowserWindowConstructorOptions) => Window;
  readonly preloadPath: string;
  /** True once the app is quitting through an explicit path; until then close is refused. */
  readonly mayClose: () => boolean;
  readonly log: ShellLog;
}

export function openKioskWindow<Window extends KioskBrowserWindow>({ createWindow, preloadPath, mayClose, log }: KioskWindowOptions<Window>): Window {
  const window = createWindow(kioskWindowOptions(preloadPath));
  // The constructor's alwaysOnTop uses the lowest level; task bars and notifications sit above it.
  window.setAlwaysOnTop(true, 'screen-saver');
  window.removeMenu();
  window.on('close', (event) => {
    if (mayClose()) return;
    event.preventDefault();
    log('refused a request to close the kiosk window');
  });
  window.on('leave-full-screen', () => {
    if (!mayClose() && !window.isDestroyed()) window.setKiosk(true);
  });
  window.on('minimize', () => {
    if (!mayClose() && !window.isDestroyed()) window.restore();
  });
  window.loadURL(LAUNCHER_URL).catch((error: unknown) => {
    log(`the launcher did not load: ${error instanceof Error ? error.message : String(error)}`);
  });
  return window;
}
