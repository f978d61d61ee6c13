import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../shared/contract';
import { startKioskShell, type ShellEnvironment } from '../../../electron/shell/kiosk-shell';
import { LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import { LAUNCHER_CONTENT_SECURITY_POLICY } from '../../../electron/shell/kiosk-protocol';
import { UNSAFE_ALLOW_DEBUGGING_SWITCH } from '../../../electron/shell/command-line';
import { LAUNCHER_RECOVERY_POLICY, UNRESPONSIVE_GRACE_MS } from '../../../electron/shell/launcher-recovery';
import { PRINT_REQUEST_BINDING } from '../../../electron/shell/page-dialog-guards';
import { DISABLED_BLINK_FEATURES } from '../../../electron/shell/web-preferences';
import { ManualClock } from '../../support/manual-clock';
import { createFakeElectron, FakeDownloadItem, navigationEvent, preventableEvent, startDownload } from './fake-electron';
import { changeableConfig, composeWith, testConfig, type ComposedServices } from './shell-fixtures';

/** Lets promise chains and file system calls started by the shell run to their end. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

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
  const clock = new ManualClock();
  const { env, log, uncaught } = environment(argv, { timers: clock });
  const config = changeableConfig();
  const calls: ComposedServices = {};
  const outcome = startKioskShell(fake.electron, env, composeWith(config, calls, clock));
  fake.app.ready();
  expect(await outcome).toBe('running');
  const window = fake.windows[0]!;
  const launcher = window.webContents;
  const call = (channel: string, argument?: unknown) =>
    argument === undefined
      ? fake.ipc.invoke(channel, { sender: launcher, senderFrame: launcher.mainFrame })
      : fake.ipc.invoke(channel, { sender: launcher, senderFrame: launcher.mainFrame }, argument);
  /** The events sent to the launcher on `channel`, oldest first. */
  const sent = (channel: string) => launcher.mainFrame.sent.filter((message) => message.channel === channel).map((message) => message.args[0]);
  const controller = calls.controller!;
  return { fake, clock, log, uncaught, config, calls, controller, window, launcher, call, sent };
}

/** A started shell with a visitor who opened the taxes service. */
async function visitorOnTaxes() {
  const shell = await startedShell();
  await shell.call('session:begin', { language: 'fr' });
  expect(await shell.call('service:open', { serviceId: 'taxes' })).toMatchObject({ ok: true });
  const view = shell.fake.serviceViews().at(-1)!;
  return { ...shell, view, page: view.webContents };
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

  it('keeps its log in the data folder it chose', async () => {
    const fake = createFakeElectron();
    const clock = new ManualClock();
    const attached: string[] = [];
    const { env } = environment(['electron', 'dist/electron/main.cjs', '--data-dir=relative/kiosk-data'], { timers: clock, attachLogFile: (dataDir) => attached.push(dataDir) });
    const calls: ComposedServices = {};
    const outcome = startKioskShell(fake.electron, env, composeWith(changeableConfig(), calls, clock));
    fake.app.ready();
    expect(await outcome).toBe('running');
    expect(attached).toEqual([path.resolve('relative/kiosk-data')]);
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
    // The keyboard lockdown and the staff chord's watch.
    expect(launcher.listenerCount('before-input-event')).toBe(2);
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

    const view = fake.serviceViews()[0]!;
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

  it('ends a visitor session: views closed, partition cleared and probed, the next visitor in a new partition', async () => {
    const { fake, call, clock, sent } = await startedShell();
    await call('session:begin', { language: 'nl' });
    await call('service:open', { serviceId: 'taxes' });
    const first = fake.serviceViews()[0]!;
    await call('session:requestEnd');
    expect(await call('session:end', {})).toEqual({ ok: true, value: { erased: true } });
    expect(first.webContents.isDestroyed()).toBe(true);
    const partition = first.webPreferences.partition!;
    expect(fake.partitions.get(partition)!.cleared).toEqual(['connections', 'data', 'storage', 'cache', 'code-caches', 'auth', 'host-resolver']);
    const probes = fake.views.filter((view) => !fake.serviceViews().includes(view));
    expect(probes.map((view) => view.webContents.loaded[0]!.url)).toEqual(['https://www.example.be/.well-known/epn-kiosk-wipe-probe', 'https://www.example.be/.well-known/epn-kiosk-wipe-probe']);
    expect(probes.every((view) => view.webPreferences.sandbox === true && view.webPreferences.preload === undefined)).toBe(true);
    expect(sent('session:changed').map((snapshot) => (snapshot as { phase: string }).phase)).toContain('erased');
    clock.advance(testConfig().session.erasedMessageSeconds * 1000);
    await call('session:begin', { language: 'fr' });
    await call('service:open', { serviceId: 'taxes' });
    expect(fake.serviceViews()[1]!.webPreferences.partition).not.toBe(partition);
  });

  it('refuses a service page that calls the contract', async () => {
    const { fake, call } = await startedShell();
    await call('session:begin', { language: 'fr' });
    await call('service:open', { serviceId: 'taxes' });
    const page = fake.serviceViews()[0]!.webContents;
    const answer = await fake.ipc.invoke('service:open', { sender: page, senderFrame: page.mainFrame }, { serviceId: 'library' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    expect(fake.serviceViews()).toHaveLength(1);
  });

  it('forwards a configuration change to the launcher', async () => {
    const { config, sent } = await startedShell();
    const renamed = testConfig({ ...testConfig(), kiosk: { name: 'PC 4', site: 'EPN de Test' } });
    config.change(renamed);
    expect(sent('config:changed')).toEqual([renamed]);
  });

  it('forwards the help call\'s status to the launcher, and ends the call with the session', async () => {
    const { call, sent } = await startedShell();
    await call('session:begin', { language: 'fr' });
    // The test configuration has no help channel: the visitor is sent to a helper in the room.
    expect(await call('help:request', { serviceId: null, language: 'fr' })).toEqual({ ok: true, value: { state: 'no-channel' } });
    expect(sent('help:changed')).toEqual([{ state: 'no-channel' }]);
    expect(await call('help:get')).toEqual({ ok: true, value: { state: 'no-channel' } });
    await call('session:requestEnd');
    await call('session:end', {});
    expect(sent('help:changed')).toEqual([{ state: 'no-channel' }, { state: 'none' }]);
  });

  it('forwards staff mode\'s status to the launcher', async () => {
    const { fake, call, sent } = await startedShell();
    expect(await call('staff:setFirstPin', { pin: '482913' })).toMatchObject({ ok: true, value: { open: true } });
    expect(sent('staff:changed')).toEqual([expect.objectContaining({ pinSet: true, open: true })]);
    await call('staff:close');
    expect(sent('staff:changed').at(-1)).toMatchObject({ open: false });
    // Quitting releases the services, and with them the PIN file's temporary folder.
    fake.app.emit('before-quit');
    fake.app.emit('will-quit');
  });

  it('keeps the staff chord from a service page and asks the launcher for the PIN pad, once per press', async () => {
    const { page, sent } = await visitorOnTaxes();
    const press = (type: 'keyDown' | 'keyUp', isAutoRepeat = false) => {
      const event = preventableEvent({});
      page.emit('before-input-event', event, { type, key: 'S', code: 'KeyS', control: true, alt: true, shift: true, meta: false, isAutoRepeat, isComposing: false, location: 0, modifiers: [] });
      return event.defaultPrevented;
    };
    expect(press('keyDown')).toBe(true);
    expect(press('keyDown', true)).toBe(true);
    expect(press('keyUp')).toBe(true);
    expect(sent('staff:entryRequested')).toEqual([{}]);
  });

  it('answers the staff chord in force, in the launcher too, and lets other keys through', async () => {
    const { launcher, config, sent } = await startedShell();
    const press = (key: string, code: string, modifiers: { control?: boolean; alt?: boolean; shift?: boolean }) => {
      const event = preventableEvent({});
      launcher.emit('before-input-event', event, { type: 'keyDown', key, code, control: false, alt: false, shift: false, meta: false, ...modifiers, isAutoRepeat: false, isComposing: false, location: 0, modifiers: [] });
      return event.defaultPrevented;
    };
    expect(press('a', 'KeyA', {})).toBe(false);
    config.change(testConfig({ ...testConfig(), staff: { keyChord: 'Control+Alt+F9', cornerTaps: true, autoCloseMinutes: 5 } }));
    expect(press('S', 'KeyS', { control: true, alt: true, shift: true })).toBe(false);
    expect(press('F9', 'F9', { control: true, alt: true })).toBe(true);
    expect(sent('staff:entryRequested')).toEqual([{}]);
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

describe('startKioskShell: visitor sessions', () => {
  it('switches off the File System Access pickers for every renderer, before ready', async () => {
    const { fake } = await startedShell();
    expect(fake.app.appendedSwitches).toContainEqual(['disable-blink-features', DISABLED_BLINK_FEATURES]);
    expect(fake.journal.indexOf('switch disable-blink-features')).toBeLessThan(fake.journal.indexOf('ready'));
  });

  it('lets reading aloud reach the system\'s voices (speech-dispatcher on Linux), before ready', async () => {
    const { fake } = await startedShell();
    expect(fake.app.appendedSwitches).toContainEqual(['enable-speech-dispatcher', undefined]);
    expect(fake.journal.indexOf('switch enable-speech-dispatcher')).toBeLessThan(fake.journal.indexOf('ready'));
  });

  it('wipes what a previous run left before the window opens, and shows the welcome screen', async () => {
    const { fake, controller } = await startedShell();
    // The boot wipe clears the launcher's own storage; the window comes after it.
    expect(fake.journal.indexOf('clear storage ')).toBeGreaterThan(fake.journal.indexOf('ready'));
    expect(fake.journal.indexOf('clear storage ')).toBeLessThan(fake.journal.indexOf('window'));
    expect(controller.snapshot().phase).toBe('welcome');
  });

  it('tells the launcher every session change and the visitor\'s (empty) files', async () => {
    const { call, sent } = await startedShell();
    await call('session:begin', { language: 'en' });
    expect(sent('session:changed').at(-1)).toMatchObject({ phase: 'active', language: 'en' });
    expect(sent('files:changed')).toEqual([[]]);
  });

  it('tells the launcher of a refusal, without the address, once per second at most', async () => {
    const { page, sent, clock } = await visitorOnTaxes();
    page.emit('will-navigate', navigationEvent('https://evil.example/?name=Jan'));
    page.emit('will-navigate', navigationEvent('https://evil.example/again'));
    expect(sent('service:refused')).toEqual([{ serviceId: 'taxes', refusal: 'outside-service' }]);
    clock.advance(1_000);
    page.debugger.message('Runtime.bindingCalled', { name: PRINT_REQUEST_BINDING, payload: 'print', executionContextId: 1 });
    page.emit('will-navigate', navigationEvent('https://evil.example/later'));
    expect(sent('service:refused')).toEqual([
      { serviceId: 'taxes', refusal: 'outside-service' },
      { serviceId: 'taxes', refusal: 'print' },
      { serviceId: 'taxes', refusal: 'outside-service' },
    ]);
    expect(JSON.stringify(sent('service:refused'))).not.toContain('evil');
  });

  it('tells the launcher when a service page stopped working and was taken off the screen', async () => {
    const { page, sent, fake } = await visitorOnTaxes();
    page.emit('render-process-gone', preventableEvent({}), { reason: 'crashed', exitCode: 1 });
    await vi.waitFor(() => expect(sent('service:refused')).toEqual([{ serviceId: 'taxes', refusal: 'page-ended' }]));
    expect(fake.serviceViews().every((view) => view.webContents.isDestroyed())).toBe(true);
  });

  it('tells the launcher of a certificate error and a refused permission in a service view', async () => {
    const { fake, page, sent } = await visitorOnTaxes();
    const answers: boolean[] = [];
    fake.app.emit('certificate-error', preventableEvent({}), page, 'https://www.example.be/', 'net::ERR_CERT_AUTHORITY_INVALID', {}, (trusted: boolean) => answers.push(trusted), true);
    const granted = await new Promise<boolean>((resolve) =>
      page.session.permissionRequestHandler!(page as never, 'geolocation', resolve, { requestingUrl: 'https://www.example.be/', isMainFrame: true }),
    );
    expect(answers).toEqual([false]);
    expect(granted).toBe(false);
    expect(sent('service:refused')).toEqual([
      { serviceId: 'taxes', refusal: 'certificate' },
      { serviceId: 'taxes', refusal: 'permission' },
    ]);
  });

  it('grants a configured permission to the service\'s own view, in the visitor\'s partition', async () => {
    const { call, fake } = await startedShell();
    await call('session:begin', { language: 'fr' });
    await call('service:open', { serviceId: 'doctor' });
    const page = fake.serviceViews()[0]!.webContents;
    const granted = await new Promise<boolean>((resolve) =>
      page.session.permissionRequestHandler!(page as never, 'media', resolve, { requestingUrl: 'https://consult.example.net/room', isMainFrame: true, mediaTypes: ['video', 'audio'] }),
    );
    expect(granted).toBe(true);
  });

  it('keeps a visitor\'s download in their folder, tells the launcher, and refuses one past the limit', async () => {
    const { page, sent } = await visitorOnTaxes();
    const item = new FakeDownloadItem('attestation.pdf', 100);
    expect(startDownload(page.session, item, page)).toBe(false);
    expect(item.savePath).toBe(path.join('/fake/user-data', 'visitor-downloads', page.session.partition, 'attestation.pdf'));
    expect(sent('files:changed').at(-1)).toEqual([{ name: 'attestation.pdf', sizeBytes: 0, inProgress: true }]);
    const huge = new FakeDownloadItem('huge.iso', 10 * 1024 * 1024 * 1024);
    expect(startDownload(page.session, huge, page)).toBe(true);
    expect(sent('service:refused')).toEqual([{ serviceId: 'taxes', refusal: 'download' }]);
  });

  it('offers "My files" to a page\'s file chooser and gives the visitor\'s choice, by name, from their own folder', async () => {
    const { page, sent, call } = await visitorOnTaxes();
    const item = new FakeDownloadItem('attestation.pdf', 100);
    startDownload(page.session, item, page);
    item.progress(100);
    item.complete();
    page.debugger.message('Page.fileChooserOpened', { frameId: 'main', mode: 'selectSingle', backendNodeId: 42 });
    const [opened] = sent('files:chooserOpened') as { requestId: string; multiple: boolean; serviceId: string }[];
    expect(opened).toEqual({ requestId: expect.any(String), multiple: false, serviceId: 'taxes' });
    expect(sent('service:refused')).toEqual([]);

    // A path from the launcher is never read as one: refused, nothing given.
    const refused = await call('files:choose', { requestId: opened!.requestId, names: ['../../config.json'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(page.debugger.sentTo(undefined)).not.toContain('DOM.setFileInputFiles');

    expect(await call('files:choose', { requestId: opened!.requestId, names: ['attestation.pdf'] })).toEqual({ ok: true, value: {} });
    const given = page.debugger.commands.filter((command) => command.method === 'DOM.setFileInputFiles');
    expect(given).toEqual([
      { method: 'DOM.setFileInputFiles', params: { files: [path.join('/fake/user-data', 'visitor-downloads', page.session.partition, 'attestation.pdf')], backendNodeId: 42 }, sessionId: undefined },
    ]);
    // Answered once.
    expect(await call('files:choose', { requestId: opened!.requestId, names: ['attestation.pdf'] })).toMatchObject({ ok: false });
  });

  it('refuses an answer to a file chooser once the session has ended', async () => {
    const { page, sent, call } = await visitorOnTaxes();
    page.debugger.message('Page.fileChooserOpened', { frameId: 'main', mode: 'selectMultiple', backendNodeId: 42 });
    const [opened] = sent('files:chooserOpened') as { requestId: string }[];
    expect(await call('session:end', {})).toMatchObject({ ok: true });
    expect(await call('files:choose', { requestId: opened!.requestId, names: [] })).toMatchObject({ ok: false });
  });

  it('counts input in the launcher and in a service view as activity', async () => {
    const { page, launcher, clock, controller } = await visitorOnTaxes();
    const idleMs = testConfig().session.idleTimeoutSeconds * 1000;
    clock.advance(idleMs - 1_000);
    page.input('keyDown');
    clock.advance(idleMs - 1_000);
    launcher.input('mouseWheel');
    clock.advance(idleMs - 1_000);
    expect(controller.snapshot().phase).toBe('active');
    clock.advance(2_000);
    expect(controller.snapshot().phase).toBe('idle-warning');
  });

  it('shows the cut/copy/paste menu over the kiosk window', async () => {
    const { page, fake, window } = await visitorOnTaxes();
    page.emit('context-menu', {}, { isEditable: true, selectionText: '', editFlags: { canUndo: false, canRedo: false, canCut: true, canCopy: true, canPaste: true, canDelete: false, canSelectAll: true, canEditRichly: false } });
    expect(fake.popups).toEqual([{ template: [{ role: 'cut', enabled: true }, { role: 'copy', enabled: true }, { role: 'paste', enabled: true }], window }]);
  });

  it('closes a window the kiosk did not open', async () => {
    const { fake } = await startedShell();
    fake.app.emit('browser-window-created', preventableEvent({}), { destroy: () => fake.journal.push('destroyed a stray window') });
    expect(fake.journal).toContain('destroyed a stray window');
    expect(fake.journal).not.toContain('destroyed a window');
  });
});

describe('startKioskShell: a launcher that crashes or hangs', () => {
  it('wipes the session, then loads the launcher again after a second', async () => {
    const { launcher, controller, clock, page } = await visitorOnTaxes();
    const loadsBefore = launcher.loaded.length;
    launcher.crash();
    await settle();
    await controller.whenIdle();
    await settle();
    expect(page.isDestroyed()).toBe(true);
    expect(['ending', 'erased', 'welcome']).toContain(controller.snapshot().phase);
    expect(controller.snapshot().endReason).toBe('crash');
    clock.advance(LAUNCHER_RECOVERY_POLICY.delaysMs[0] - 1);
    await settle();
    expect(launcher.loaded.length).toBe(loadsBefore);
    clock.advance(1);
    await settle();
    expect(launcher.loaded.slice(loadsBefore).map((load) => load.url)).toEqual([LAUNCHER_URL]);
  });

  it('waits longer each time it crashes again soon after', async () => {
    const { launcher, clock, controller } = await startedShell();
    const reloadDelays: number[] = [];
    for (let crash = 0; crash < 4; crash += 1) {
      const before = launcher.loaded.length;
      launcher.crash();
      await settle();
      await controller.whenIdle();
      await settle();
      let waited = 0;
      while (launcher.loaded.length === before) {
        clock.advance(500);
        waited += 500;
        await settle();
        if (waited > 60_000) throw new Error('the launcher never came back');
      }
      reloadDelays.push(waited);
    }
    expect(reloadDelays).toEqual([1_000, 5_000, 30_000, 30_000]);
  });

  it('replaces a launcher that stays unresponsive past the grace period', async () => {
    const { launcher, clock, log } = await startedShell();
    launcher.emit('unresponsive');
    clock.advance(UNRESPONSIVE_GRACE_MS / 2);
    launcher.emit('responsive');
    clock.advance(UNRESPONSIVE_GRACE_MS);
    expect(launcher.crashedOnPurpose).toBe(0);
    launcher.emit('unresponsive');
    clock.advance(UNRESPONSIVE_GRACE_MS);
    await settle();
    expect(launcher.crashedOnPurpose).toBe(1);
    expect(log.filter((line) => line.includes('the launcher') && line.includes('comes back in'))).toHaveLength(1);
  });

  it('does not bring the launcher back while the kiosk quits', async () => {
    const { fake, launcher, clock } = await startedShell();
    fake.app.emit('before-quit');
    const before = launcher.loaded.length;
    launcher.crash('killed');
    await settle();
    clock.advance(60_000);
    await settle();
    expect(launcher.loaded.length).toBe(before);
  });
});


describe('startKioskShell: the visitor\'s text size on the service pages', () => {
  it('zooms the service page with each change of the session\'s text size, and tells the launcher', async () => {
    const { call, page, sent } = await visitorOnTaxes();
    expect(page.getZoomFactor()).toBe(1);
    expect(await call('display:set', { textSize: 150, highContrast: false, readAloud: false })).toEqual({ ok: true, value: { textSize: 150, highContrast: false, readAloud: false } });
    expect(page.getZoomFactor()).toBe(1.5);
    expect(sent('session:changed').at(-1)).toMatchObject({ phase: 'active', display: { textSize: 150 } });
    // Strong colours change the launcher's theme, not the page's zoom.
    await call('display:set', { textSize: 150, highContrast: true, readAloud: false });
    expect(page.zoomFactorsSet).toEqual([1.5]);
    await call('display:set', { textSize: 200, highContrast: true, readAloud: false });
    expect(page.getZoomFactor()).toBe(2);
  });

  it('opens the next service at the visitor\'s size, and the next visitor\'s at normal size', async () => {
    const { call, fake } = await visitorOnTaxes();
    await call('display:set', { textSize: 125, highContrast: false, readAloud: false });
    await call('service:close');
    await call('service:open', { serviceId: 'library' });
    const library = fake.serviceViews().at(-1)!;
    expect(library.webPreferences).toMatchObject({ zoomMode: 'manual', zoomFactor: 1.25 });
    expect(await call('session:end', {})).toMatchObject({ ok: true, value: { erased: true } });
    await call('session:activity');
    await call('session:begin', { language: 'nl' });
    await call('service:open', { serviceId: 'taxes' });
    const next = fake.serviceViews().at(-1)!;
    expect(next).not.toBe(library);
    expect(next.webPreferences.zoomFactor).toBe(1);
    expect(next.webContents.getZoomFactor()).toBe(1);
  });

  it('refuses a text size without a visitor: the pages are not zoomed', async () => {
    const { call, fake } = await startedShell();
    const refused = await call('display:set', { textSize: 200, highContrast: false, readAloud: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'failed' } });
    await call('session:begin', { language: 'fr' });
    await call('service:open', { serviceId: 'taxes' });
    expect(fake.serviceViews().at(-1)!.webContents.getZoomFactor()).toBe(1);
  });
});
