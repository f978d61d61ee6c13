import { describe, expect, it } from 'vitest';
import { UPDATE_CHECK_INTERVAL_MS, startAppUpdater, type UpdaterEngine } from '../../../electron/shell/app-updater';

type Listener = (value: never) => void;

/** A typed fake of electron-updater's autoUpdater: records what the kiosk asks of it. */
function fakeUpdater(options: { failCheck?: boolean } = {}) {
  const listeners = new Map<string, Listener[]>();
  const calls: string[] = [];
  const engine = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowDowngrade: true,
    allowPrerelease: true,
    logger: {} as UpdaterEngine['logger'],
    feed: undefined as unknown,
    setFeedURL(feed: unknown) {
      this.feed = feed;
      calls.push('setFeedURL');
    },
    checkForUpdates() {
      calls.push('checkForUpdates');
      return options.failCheck === true ? Promise.reject(new Error('feed unreachable')) : Promise.resolve(null);
    },
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return engine;
    },
    quitAndInstall() {
      calls.push('quitAndInstall');
    },
    checkForUpdatesAndNotify() {
      calls.push('checkForUpdatesAndNotify');
      return Promise.resolve(null);
    },
  };
  const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((listener) => listener(value as never));
  return { engine: engine satisfies UpdaterEngine, calls, emit };
}

function fakeTimers() {
  const pending: { callback: () => void; delayMs: number; cancelled: boolean }[] = [];
  return {
    pending,
    setTimer(callback: () => void, delayMs: number) {
      const timer = { callback, delayMs, cancelled: false };
      pending.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    fire() {
      const due = pending.splice(0).filter((timer) => !timer.cancelled);
      due.forEach((timer) => timer.callback());
      return due.length;
    },
  };
}

const FEED = 'https://updates.example.org/epn-kiosk/';

describe('the built-in updater', () => {
  it('stays off without a feed: electron-updater is never loaded, nothing is logged', async () => {
    const lines: string[] = [];
    let loaded = false;
    for (const feedUrl of [null, undefined, '']) {
      const updater = startAppUpdater({
        feedUrl,
        isPackaged: true,
        loadUpdater: () => {
          loaded = true;
          return Promise.resolve(fakeUpdater().engine);
        },
        setTimer: fakeTimers().setTimer,
        log: (line) => lines.push(line),
      });
      await updater.started;
      expect(updater.state).toBe('off');
    }
    expect(loaded).toBe(false);
    expect(lines).toEqual([]);
  });

  it('stays off in a development run, and says why', async () => {
    const lines: string[] = [];
    let loaded = false;
    const updater = startAppUpdater({
      feedUrl: FEED,
      isPackaged: false,
      loadUpdater: () => {
        loaded = true;
        return Promise.resolve(fakeUpdater().engine);
      },
      setTimer: fakeTimers().setTimer,
      log: (line) => lines.push(line),
    });
    await updater.started;
    expect(updater.state).toBe('off');
    expect(loaded).toBe(false);
    expect(lines).toEqual([expect.stringContaining('not a packaged kiosk')]);
  });

  it('checks the generic feed at start and every 6 hours, downloads, installs only on quit', async () => {
    const fake = fakeUpdater();
    const timers = fakeTimers();
    const lines: string[] = [];
    const updater = startAppUpdater({ feedUrl: FEED, isPackaged: true, loadUpdater: () => Promise.resolve(fake.engine), setTimer: timers.setTimer, log: (line) => lines.push(line) });
    await updater.started;
    expect(updater.state).toBe('on');
    expect(fake.engine.feed).toEqual({ provider: 'generic', url: FEED });
    expect(fake.engine).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false, logger: null });
    expect(fake.calls).toEqual(['setFeedURL', 'checkForUpdates']);
    expect(timers.pending.map((timer) => timer.delayMs)).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(6 * 60 * 60 * 1000);

    timers.fire();
    timers.fire();
    expect(fake.calls).toEqual(['setFeedURL', 'checkForUpdates', 'checkForUpdates', 'checkForUpdates']);

    fake.emit('update-available', { version: '0.2.0' });
    fake.emit('update-downloaded', { version: '0.2.0' });
    expect(lines.slice(-2)).toEqual([
      'built-in updates: version 0.2.0 is available, downloading it',
      'built-in updates: version 0.2.0 is downloaded and installs when the kiosk quits',
    ]);
    // Never a restart or a notification in front of a visitor.
    expect(fake.calls).not.toContain('quitAndInstall');
    expect(fake.calls).not.toContain('checkForUpdatesAndNotify');
  });

  it('stops checking once stopped', async () => {
    const fake = fakeUpdater();
    const timers = fakeTimers();
    const updater = startAppUpdater({ feedUrl: FEED, isPackaged: true, loadUpdater: () => Promise.resolve(fake.engine), setTimer: timers.setTimer, log: () => undefined });
    await updater.started;
    updater.stop();
    expect(timers.fire()).toBe(0);
    expect(fake.calls.filter((call) => call === 'checkForUpdates')).toHaveLength(1);
  });

  it('logs a failed check or an updater error and keeps the kiosk running', async () => {
    const fake = fakeUpdater({ failCheck: true });
    const lines: string[] = [];
    const updater = startAppUpdater({ feedUrl: FEED, isPackaged: true, loadUpdater: () => Promise.resolve(fake.engine), setTimer: fakeTimers().setTimer, log: (line) => lines.push(line) });
    await updater.started;
    await new Promise((resolve) => setTimeout(resolve, 0));
    fake.emit('error', new Error('signature mismatch'));
    expect(lines).toContain('built-in updates: the check failed: feed unreachable');
    expect(lines).toContain('built-in updates: signature mismatch');
  });

  it('logs when electron-updater cannot be loaded, and stays quiet otherwise', async () => {
    const lines: string[] = [];
    const updater = startAppUpdater({ feedUrl: FEED, isPackaged: true, loadUpdater: () => Promise.reject(new Error('module missing')), setTimer: fakeTimers().setTimer, log: (line) => lines.push(line) });
    await updater.started;
    expect(lines).toEqual(['built-in updates: the updater could not be loaded, no update checks: module missing']);
  });
});
