import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import { openKioskWindow } from '../../../electron/shell/kiosk-window';
import { FakeBrowserWindow, FakeSession, FakeWebContents } from './fake-electron';

function open(mayClose: () => boolean = () => false) {
  const created: BrowserWindowConstructorOptions[] = [];
  const log: string[] = [];
  const window = openKioskWindow({
    createWindow: (options) => {
      created.push(options);
      return new FakeBrowserWindow(options, new FakeWebContents(new FakeSession('')));
    },
    preloadPath: '/app/dist/electron/preload.cjs',
    mayClose,
    log: (line) => log.push(line),
  });
  return { window, options: created[0]!, log };
}

describe('openKioskWindow', () => {
  it('opens one full-screen, kiosk, frameless window that stays on top', () => {
    const { window, options } = open();
    expect(options).toMatchObject({ fullscreen: true, kiosk: true, alwaysOnTop: true, frame: false, resizable: false, movable: false, minimizable: false, maximizable: false });
    expect(window.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
    expect(window.menuRemoved).toBe(true);
  });

  it('runs the launcher sandboxed, isolated, without Node, devtools, webview, spellcheck or file pickers, with the kiosk preload', () => {
    const { options } = open();
    expect(options.webPreferences).toEqual({
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
      safeDialogs: true,
      disableBlinkFeatures: 'FileSystemAccessLocal',
      plugins: false,
      preload: '/app/dist/electron/preload.cjs',
    });
  });

  it('loads the launcher from kiosk://app, never from a file', () => {
    const { window } = open();
    expect(window.webContents.loaded.map((load) => load.url)).toEqual([LAUNCHER_URL]);
  });

  it('refuses to close (Alt+F4, the window manager) while the app is not quitting', () => {
    const { window, log } = open();
    expect(window.requestClose()).toBe(false);
    expect(window.isDestroyed()).toBe(false);
    expect(log).toEqual(['refused a request to close the kiosk window']);
  });

  it('closes once the app quits through an explicit path', () => {
    let quitting = false;
    const { window } = open(() => quitting);
    expect(window.requestClose()).toBe(false);
    quitting = true;
    expect(window.requestClose()).toBe(true);
  });

  it('goes back to kiosk mode if it leaves full screen, and comes back if minimised', () => {
    const { window } = open();
    window.setKiosk(false);
    window.emit('leave-full-screen');
    expect(window.kiosk).toBe(true);
    window.emit('minimize');
    expect(window.restored).toBe(1);
  });
});
