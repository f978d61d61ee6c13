/**
 * The optional built-in updater (config `updates.feedUrl`, docs/configuration.md).
 *
 * Off by default: kiosks are normally updated through the IT department's own channel
 * (the .deb in a package repository, the Windows installer through endpoint management;
 * build/README.md). With a feed set, and only in a packaged app, electron-updater's
 * autoUpdater checks the feed (an electron-builder "generic" feed over HTTPS) when the
 * kiosk starts and every 6 hours, downloads in the background and installs when the kiosk
 * quits (the nightly restart, a shutdown). It never restarts the kiosk itself and never
 * shows anything: no notification, no dialog in front of a visitor. Every step is logged.
 *
 * electron-updater is loaded only when it is used (it loads 'electron' at import), so
 * the shell stays testable under plain Node; the tests pass a typed fake.
 */
import type { AppUpdater } from 'electron-updater';
import type { ShellLog } from './shell-log';

/** How often the feed is checked after the check at start. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The part of electron-updater's autoUpdater this module uses. */
export type UpdaterEngine = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'allowPrerelease' | 'logger' | 'setFeedURL' | 'checkForUpdates'> & {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'update-available' | 'update-not-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
};

export interface AppUpdaterOptions {
  /** config.updates.feedUrl: null (or absent) leaves updates to the IT department's channel. */
  readonly feedUrl: string | null | undefined;
  /** app.isPackaged: a development run never updates itself. */
  readonly isPackaged: boolean;
  /** Loads electron-updater's autoUpdater; called only when the updater is on. */
  readonly loadUpdater?: () => Promise<UpdaterEngine>;
  /** Calls `callback` once after `delayMs`; returns the cancel function. */
  readonly setTimer: (callback: () => void, delayMs: number) => () => void;
  readonly log: ShellLog;
}

export type AppUpdaterState = 'off' | 'on';

export interface RunningAppUpdater {
  readonly state: AppUpdaterState;
  /** Stops the periodic checks (a downloaded update still installs when the app quits). */
  stop(): void;
  /** Resolves once electron-updater is loaded and the first check has been asked for (or right away when off). */
  readonly started: Promise<void>;
}

export async function loadElectronUpdater(): Promise<UpdaterEngine> {
  const { autoUpdater } = await import('electron-updater');
  return autoUpdater;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startAppUpdater(options: AppUpdaterOptions): RunningAppUpdater {
  const { feedUrl, isPackaged, log } = options;
  if (feedUrl === null || feedUrl === undefined || feedUrl === '') {
    return { state: 'off', stop: () => undefined, started: Promise.resolve() };
  }
  if (!isPackaged) {
    log('built-in updates: updates.feedUrl is set, but this is not a packaged kiosk: no update checks');
    return { state: 'off', stop: () => undefined, started: Promise.resolve() };
  }

  let stopped = false;
  let cancelTimer: (() => void) | undefined;
  const loadUpdater = options.loadUpdater ?? loadElectronUpdater;

  const started = (async () => {
    let updater: UpdaterEngine;
    try {
      updater = await loadUpdater();
    } catch (error) {
      log(`built-in updates: the updater could not be loaded, no update checks: ${describe(error)}`);
      return;
    }
    // Download in the background, install when the kiosk quits: never a restart or a prompt in front of a visitor.
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.allowDowngrade = false;
    updater.allowPrerelease = false;
    updater.logger = null;
    updater.setFeedURL({ provider: 'generic', url: feedUrl });
    updater.on('error', (error) => log(`built-in updates: ${describe(error)}`));
    updater.on('update-available', (info) => log(`built-in updates: version ${info.version} is available, downloading it`));
    updater.on('update-not-available', (info) => log(`built-in updates: up to date (the feed offers ${info.version})`));
    updater.on('update-downloaded', (info) => log(`built-in updates: version ${info.version} is downloaded and installs when the kiosk quits`));

    const check = () => {
      if (stopped) return;
      updater.checkForUpdates().catch((error: unknown) => log(`built-in updates: the check failed: ${describe(error)}`));
      cancelTimer = options.setTimer(check, UPDATE_CHECK_INTERVAL_MS);
    };
    log(`built-in updates: on, from ${feedUrl}, checked at start and every 6 hours`);
    check();
  })();

  return {
    state: 'on',
    started,
    stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
}
