import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../../shared/contract';
import { startKioskShell, type ShellEnvironment } from '../../../electron/shell/kiosk-shell';
import { LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import { LAUNCHER_CONTENT_SECURITY_POLICY } from '../../../electron/shell/kiosk-protocol';
import { UNSAFE_ALLOW_DEBUGGING_SWITCH } from '../../../electron/shell/command-line';
import { createFakeElectron, navigationEvent } from './fake-electron';
import { changeableConfig, composeWith, testConfig } from './shell-fixtures';

function environment(argv: string[] = ['electron', 'dist/electron/main.cjs'], overrides: Partial<ShellEnvironment> = {}) {
  const log: string[] = [];
  const uncaught: ((error: unknown) => void)[] = [];
  const env: ShellEnvironment = {
    argv,
    execArgv: [],
    nodeOptions: undefined,
    inspectorActive: false,
    rendererRoot: '/nonexistent/renderer',
    preloadPath: '/app/dist/electron/preload.cjs',
    log: (line) => log.push(line),
    onUncaughtError: (listener) => uncaught.push(listener),
    ...overrides,
  };
  return { env, log, uncaught };
}

async function startedShell(argv?: string[]) {
  const fake = createFakeElectron();
  const { env, log, uncaught } = environment(argv);
  const config = changeableConfig();
  const calls: { dataDir?: string } = {};
  const outcome = startKioskShell(fake.electron, env, composeWith(config, calls));
  fake.app.ready();
  expect(await outcome).toBe('running');
  const window = fake.windows[0]!;
  const launcher = window.webContents;
  const call = (channel: string, argument?: unknown) =>
    argument === undefined
      ? fake.ipc.invoke(channel, { sender: launcher, senderFrame: launcher.mainFrame })
      : fake.ipc.invoke(channel, { sender: launcher, senderFrame: launcher.mainFrame }, argument);
  return { fake, log, uncaught, config, calls, window, launcher, call };
}

describe('startKioskShell: refusing to start', () => {
  it('refuses debugging switches before doing anything else, in one log line', async () => {
    const fake = createFakeElectron({ chromiumSwitches: ['remote-debugging-port'] });
    const { env, log } = environment();
    let composed = false;
    const outcome = await startKioskShell(fake.electron, env, () => {
      composed = true;
      throw new Error('must not be reached');
    });
    expect(outcome).toBe('refused');
    expect(fake.journal).toEqual(['exit 1']);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('--remote-debugging-port');
    expect(composed).toBe(false);
    expect(fake.ipc.handlers.size).toBe(0);
  });

  it('refuses --inspect in an installed kiosk even with the UNSAFE test switch', async () => {
    const fake = createFakeElectron({ isPackaged: true });
    const { env } = environment(['epn-kiosk', UNSAFE_ALLOW_DEBUGGING_SWITCH, '--inspect=9229']);
    expect(await startKioskShell(fake.electron, env, composeWith(changeableConfig()))).toBe('refused');
    expect(fake.app.exitCode).toBe(1);
  });

  it('lets a second kiosk on the same data folder stop quietly', async () => {
    const fake = createFakeElectron();
    fake.app.singleInstance = false;
    const { env, log } = environment();
    expect(await startKioskShell(fake.electron, env, composeWith(changeableConfig()))).toBe('refused');
    expect(fake.app.exitCode).toBe(0);
    expect(log).toEqual(['another EPN Kiosk already runs on this data folder; this one stops']);
    expect(fake.windows).toHaveLength(0);
  });
});

describe('startKioskShell: the start-up order', () => {
  it('does the before-ready steps before ready, binds IPC before the launcher loads', async () => {
    const { fake } = await startedShell(['electron', 'dist/electron/main.cjs', '--data-dir=/tmp/kiosk-test']);
    const at = (entry: string) => fake.journal.indexOf(entry);
    expect(at('setPath userData')).toBeGreaterThanOrEqual(0);
    expect(at('setPath userData')).toBeLessThan(at('single instance lock'));
    for (const step of ['enable sandbox', 'register schemes kiosk', 'menu removed']) {
      expect(at(step), step).toBeGreaterThanOrEqual(0);
      expect(at(step), step).toBeLessThan(at('ready'));
    }
    expect(at('handle kiosk')).toBeGreaterThan(at('ready'));
    const lastIpc = Math.max(...INVOKE_CHANNELS.map((channel) => at(`ipc ${channel}`)));
    expect(Math.min(...INVOKE_CHANNELS.map((channel) => at(`ipc ${channel}`)))).toBeGreaterThan(at('ready'));
    expect(lastIpc).toBeLessThan(at('window'));
    expect(at(`load ${LAUNCHER_URL}`)).toBeGreaterThan(at('window'));
  });

  it('keeps the kiosk\'s files in the --data-dir folder', async () => {
    const { fake, calls } = await startedShell(['electron', 'dist/electron/main.cjs', '--data-dir=relative/kiosk-data']);
    expect(fake.app.paths.get('userData')).toBe(path.resolve('relative/kiosk-data'));
    expect(calls.dataDir).toBe(path.resolve('relative/kiosk-data'));
  });

  it('serves kiosk://app with the launcher\'s Content-Security-Policy', async () => {
    const { fake } = await startedShell();
    const response = await fake.protocol.handlers.get('kiosk')!(new Request('kiosk://app/missing.js'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(LAUNCHER_CONTENT_SECURITY_POLICY);
  });

  it('logs uncaught errors instead of showing them', async () => {
    const { uncaught, log } = await startedShell();
    expect(uncaught).toHaveLength(1);
    uncaught[0]!(new Error('boom'));
    expect(log.some((line) => line.startsWith('uncaught error, the kiosk keeps running: Error: boom'))).toBe(true);
  });
});

describe('startKioskShell: the running kiosk', () => {
  it('guards the default session, the launcher and every later webContents', async () => {
    const { fake, launcher } = await startedShell();
    expect(fake.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(launcher.listenerCount('will-attach-webview')).toBe(1);
    expect(launcher.listenerCount('before-input-event')).toBe(1);
    const away = navigationEvent('https://evil.example/');
    launcher.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
  });

  it('answers the launcher\'s top frame through the contract, with the configuration in force', async () => {
    const { call } = await startedShell();
    expect(await call('config:get')).toEqual({ ok: true, value: testConfig() });
  });

  it('opens a service in a guarded view of the visitor\'s in-memory partition, held to its allow-list', async () => {
    const { fake, call, window } = await startedShell();
    expect(await call('session:begin', { language: 'fr' })).toEqual({ ok: true, value: {} });
    expect(await call('service:setArea', { x: 0, y: 96, width: 1366, height: 672 })).toEqual({ ok: true, value: {} });
    expect(await call('service:open', { serviceId: 'taxes' })).toEqual({ ok: true, value: { presentation: 'kiosk-view', url: 'https://www.example.be/start' } });

    const view = fake.views[0]!;
    expect(window.contentView.children).toEqual([view]);
    expect(view.bounds.at(-1)).toEqual({ x: 0, y: 96, width: 1366, height: 672 });
    expect(view.webPreferences.preload).toBeUndefined();
    expect(view.webPreferences.sandbox).toBe(true);
    const partition = view.webPreferences.partition!;
    expect(partition).toMatch(/^visitor-/);
    expect(fake.partitions.get(partition)!.isPersistent()).toBe(false);
    expect(fake.partitions.get(partition)!.permissionRequestHandler).not.toBeNull();
    expect(view.webContents.listenerCount('will-attach-webview')).toBe(1);

    const inside = navigationEvent('https://login.example.org/auth');
    view.webContents.emit('will-navigate', inside);
    expect(inside.defaultPrevented).toBe(false);
    const outside = navigationEvent('https://evil.example/');
    view.webContents.emit('will-navigate', outside);
    expect(outside.defaultPrevented).toBe(true);
  });

  it('ends a visitor session: views closed, partition cleared, the next visitor in a new partition', async () => {
    const { fake, call } = await startedShell();
    await call('session:begin', { language: 'nl' });
    await call('service:open', { serviceId: 'taxes' });
    const first = fake.views[0]!;
    expect(await call('session:end', {})).toEqual({ ok: true, value: { erased: true } });
    expect(first.webContents.isDestroyed()).toBe(true);
    expect(fake.partitions.get(first.webPreferences.partition!)!.cleared).toHaveLength(4);
    await call('session:begin', { language: 'fr' });
    await call('service:open', { serviceId: 'taxes' });
    expect(fake.views[1]!.webPreferences.partition).not.toBe(first.webPreferences.partition);
  });

  it('refuses a service page that calls the contract', async () => {
    const { fake, call } = await startedShell();
    await call('service:open', { serviceId: 'taxes' });
    const page = fake.views[0]!.webContents;
    const answer = await fake.ipc.invoke('service:open', { sender: page, senderFrame: page.mainFrame }, { serviceId: 'library' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    expect(fake.views).toHaveLength(1);
  });

  it('forwards a configuration change to the launcher', async () => {
    const { config, launcher } = await startedShell();
    const renamed = testConfig({ ...testConfig(), kiosk: { name: 'PC 4', site: 'EPN de Test' } });
    config.change(renamed);
    expect(launcher.mainFrame.sent).toEqual([{ channel: 'config:changed', args: [renamed] }]);
  });

  it('refuses to close until the app quits, then releases the services', async () => {
    const { fake, window, config } = await startedShell();
    expect(window.requestClose()).toBe(false);
    fake.app.emit('before-quit');
    expect(window.requestClose()).toBe(true);
    fake.app.emit('will-quit');
    expect(config.isClosed()).toBe(true);
    expect(fake.ipc.handlers.size).toBe(0);
  });

  it('opens the window again if it ever goes away while the kiosk is not quitting', async () => {
    const { fake, window } = await startedShell();
    window.webContents.close();
    fake.app.emit('window-all-closed');
    expect(fake.windows).toHaveLength(2);
    expect(fake.windows[1]!.webContents.loaded.map((load) => load.url)).toEqual([LAUNCHER_URL]);
  });
});
