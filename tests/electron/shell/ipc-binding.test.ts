import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../../shared/contract';
import { createMemoryUsageLog } from '../../../electron/services/usage-log';
import { createKioskHandlers } from '../../../electron/services/kiosk-handlers';
import { bindContractToIpc, createLauncherEventSink, createLauncherFrameCheck, type ContractCallEvent } from '../../../electron/shell/ipc-binding';
import { LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import { FakeFrame, FakeIpcMain, FakeSession, FakeWebContents } from './fake-electron';
import { ManualClock } from '../../support/manual-clock';
import { buildShellParts, changeableConfig, emptyStatistics, helpServiceFor, staffModeFor, testConfig, untouchedConfigEditor } from './shell-fixtures';

function setUp() {
  const launcher = new FakeWebContents(new FakeSession(''));
  void launcher.loadURL(LAUNCHER_URL);
  const config = changeableConfig();
  const parts = buildShellParts();
  const controller = parts.controller(config);
  // No hub or webhook in the test configuration: the help service never leaves the process, nor writes to this folder.
  const help = helpServiceFor(config, tmpdir(), createMemoryUsageLog(), new ManualClock());
  // No test here sets a PIN: the PIN file's folder is never created.
  const { staff } = staffModeFor(config, controller, new ManualClock(), () => {}, join(tmpdir(), 'epn-ipc-binding-no-staff-pin'));
  const handlers = createKioskHandlers({ config, presenter: parts.presenter, controller, files: parts.files, help, statistics: emptyStatistics, staff, configEditor: untouchedConfigEditor });
  const ipc = new FakeIpcMain();
  let current: FakeWebContents | undefined = launcher;
  const unbind = bindContractToIpc(ipc, handlers, createLauncherFrameCheck(() => current));
  const fromLauncherTop: ContractCallEvent = { sender: launcher, senderFrame: launcher.mainFrame };
  return {
    launcher,
    config,
    controller,
    views: parts.views,
    ipc,
    unbind,
    fromLauncherTop,
    replaceLauncher: (next: FakeWebContents | undefined) => {
      current = next;
    },
  };
}

describe('bindContractToIpc', () => {
  it('registers exactly the contract\'s channels, nothing more', () => {
    const { ipc } = setUp();
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('leaves a channel outside the contract without any handler', async () => {
    const { ipc, fromLauncherTop } = setUp();
    await expect(ipc.invoke('shell:openExternal', fromLauncherTop, 'https://evil.example')).rejects.toThrow("No handler registered for 'shell:openExternal'");
    await expect(ipc.invoke('config:set', fromLauncherTop, {})).rejects.toThrow('No handler registered');
  });

  it('answers the kiosk\'s own top frame through the real handlers', async () => {
    const { ipc, fromLauncherTop } = setUp();
    const answer = await ipc.invoke('config:get', fromLauncherTop);
    expect(answer).toEqual({ ok: true, value: testConfig() });
  });

  it('refuses a sub-frame of the launcher, even one on the kiosk origin', async () => {
    const { ipc, launcher, views } = setUp();
    const subFrame = new FakeFrame(LAUNCHER_URL, launcher.mainFrame.processId, 7, launcher.mainFrame);
    const answer = await ipc.invoke('service:open', { sender: launcher, senderFrame: subFrame }, { serviceId: 'taxes' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    expect(views).toHaveLength(0);
  });

  it('refuses another webContents (a service page), even if it claims the kiosk origin', async () => {
    const { ipc } = setUp();
    const servicePage = new FakeWebContents(new FakeSession('visitor-x'));
    void servicePage.loadURL(LAUNCHER_URL);
    const answer = await ipc.invoke('config:get', { sender: servicePage, senderFrame: servicePage.mainFrame });
    expect(answer).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
  });

  it('refuses the launcher\'s frame when it is not on kiosk://app', async () => {
    const { ipc, launcher } = setUp();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'kiosk://other/index.html', 'about:blank']) {
      launcher.mainFrame.url = url;
      const answer = await ipc.invoke('config:get', { sender: launcher, senderFrame: launcher.mainFrame });
      expect(answer, url).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    }
  });

  it('refuses a frame that is gone, a frame of another process, and any call once the launcher is destroyed', async () => {
    const { ipc, launcher, fromLauncherTop } = setUp();
    expect(await ipc.invoke('config:get', { sender: launcher, senderFrame: null })).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    const otherProcess = new FakeFrame(LAUNCHER_URL, launcher.mainFrame.processId + 1, launcher.mainFrame.routingId);
    expect(await ipc.invoke('config:get', { sender: launcher, senderFrame: otherProcess })).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    launcher.close();
    expect(await ipc.invoke('config:get', fromLauncherTop)).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
  });

  it('refuses every call while there is no launcher', async () => {
    const { ipc, fromLauncherTop, replaceLauncher } = setUp();
    replaceLauncher(undefined);
    expect(await ipc.invoke('config:get', fromLauncherTop)).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
  });

  it('validates the argument before any handler runs', async () => {
    const { ipc, fromLauncherTop, views } = setUp();
    const answer = await ipc.invoke('service:open', fromLauncherTop, { serviceId: 'taxes', url: 'https://evil.example' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(views).toHaveLength(0);
  });

  it('refuses more than one argument', async () => {
    const { ipc, fromLauncherTop } = setUp();
    const answer = await ipc.invoke('service:setArea', fromLauncherTop, { x: 0, y: 0, width: 10, height: 10 }, 'extra');
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('opens a service for the kiosk\'s top frame, once a visitor session has begun', async () => {
    const { ipc, fromLauncherTop, views, controller } = setUp();
    await controller.boot();
    expect(await ipc.invoke('service:open', fromLauncherTop, { serviceId: 'taxes' })).toMatchObject({ ok: false });
    expect(views).toHaveLength(0);
    expect(await ipc.invoke('session:begin', fromLauncherTop, { language: 'fr' })).toEqual({ ok: true, value: {} });
    const answer = await ipc.invoke('service:open', fromLauncherTop, { serviceId: 'taxes' });
    expect(answer).toEqual({ ok: true, value: { presentation: 'kiosk-view', url: 'https://www.example.be/start' } });
    expect(views).toHaveLength(1);
  });

  it('removes every handler when unbound', () => {
    const { ipc, unbind } = setUp();
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('createLauncherEventSink', () => {
  it('sends a contract event to the launcher\'s main frame', () => {
    const { launcher } = setUp();
    const sink = createLauncherEventSink(() => launcher, () => undefined);
    sink.emit('config:changed', testConfig());
    expect(launcher.mainFrame.sent).toEqual([{ channel: 'config:changed', args: [testConfig()] }]);
  });

  it('drops a payload that breaks the contract, and says so in the log', () => {
    const { launcher } = setUp();
    const log: string[] = [];
    const sink = createLauncherEventSink(() => launcher, (line) => log.push(line));
    sink.emit('config:changed', { ...testConfig(), schemaVersion: 2 } as never);
    expect(launcher.mainFrame.sent).toEqual([]);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('config:changed');
  });

  it('sends nothing to a launcher that left kiosk://app, is destroyed, or does not exist', () => {
    const { launcher } = setUp();
    const sink = createLauncherEventSink(() => launcher, () => undefined);
    launcher.mainFrame.url = 'https://evil.example/';
    sink.emit('config:changed', testConfig());
    launcher.mainFrame.url = LAUNCHER_URL;
    launcher.close();
    sink.emit('config:changed', testConfig());
    createLauncherEventSink(() => undefined, () => undefined).emit('config:changed', testConfig());
    expect(launcher.mainFrame.sent).toEqual([]);
  });
});
