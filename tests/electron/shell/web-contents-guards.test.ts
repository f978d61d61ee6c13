import { describe, expect, it } from 'vitest';
import type { Input, PermissionRequest } from 'electron';
import { installWebContentsGuards, type GuardedWebContents } from '../../../electron/shell/web-contents-guards';
import { LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import { FakeApp, FakeSession, FakeWebContents, navigationEvent, preventableEvent } from './fake-electron';

function setUp(serviceContents: GuardedWebContents[] = []) {
  const app = new FakeApp([]);
  const log: string[] = [];
  installWebContentsGuards(app, { isServiceContents: (contents) => serviceContents.includes(contents), log: (line) => log.push(line) });
  const created = (session = new FakeSession('')) => {
    const contents = new FakeWebContents(session);
    app.emit('web-contents-created', preventableEvent({}), contents);
    return contents;
  };
  return { app, log, created };
}

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'hid', 'usb', 'serial', 'display-capture', 'clipboard-read', 'fullscreen', 'openExternal', 'pointerLock', 'idle-detection', 'window-management', 'unknown'] as const;

function requestPermission(session: FakeSession, permission: (typeof PERMISSIONS)[number]): Promise<boolean> {
  return new Promise((resolve) => {
    const details: PermissionRequest = { requestingUrl: 'https://www.example.be/', isMainFrame: true };
    session.permissionRequestHandler!(new FakeWebContents(session) as never, permission, resolve, details);
  });
}

function keyDown(contents: FakeWebContents, input: Partial<Input> & { key: string }): boolean {
  const event = preventableEvent({});
  contents.emit('before-input-event', event, { type: 'keyDown', code: input.key, isAutoRepeat: false, isComposing: false, shift: false, control: false, alt: false, meta: false, location: 0, modifiers: [], ...input });
  return event.defaultPrevented;
}

describe('guards on every webContents', () => {
  it('are put on each webContents the moment it is created', () => {
    const { created } = setUp();
    for (const contents of [created(), created(new FakeSession('visitor-a'))]) {
      expect(contents.listenerCount('will-attach-webview')).toBe(1);
      expect(contents.listenerCount('devtools-opened')).toBe(1);
      expect(contents.listenerCount('before-input-event')).toBe(1);
      expect(contents.listenerCount('will-navigate')).toBe(1);
      expect(contents.listenerCount('will-redirect')).toBe(1);
      expect(contents.listenerCount('will-frame-navigate')).toBe(1);
      expect(contents.windowOpenHandler).toBeDefined();
      expect(contents.session.permissionRequestHandler).not.toBeNull();
    }
  });

  it('are put once even if a webContents is announced twice', () => {
    const { app, created } = setUp();
    const contents = created();
    app.emit('web-contents-created', preventableEvent({}), contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });

  it('refuse <webview>', () => {
    const { created, log } = setUp();
    const contents = created();
    const event = preventableEvent({});
    contents.emit('will-attach-webview', event, {}, { src: 'https://evil.example' });
    expect(event.defaultPrevented).toBe(true);
    expect(log.some((line) => line.includes('<webview>'))).toBe(true);
  });

  it('deny new windows', () => {
    const { created } = setUp();
    expect(created().openWindow('https://www.example.be/')).toEqual({ action: 'deny' });
  });

  it('close devtools as soon as they open', () => {
    const { created } = setUp();
    const contents = created();
    contents.emit('devtools-opened');
    expect(contents.devToolsClosed).toBe(1);
  });

  it('lock the keyboard: F12, Ctrl+Shift+I, Ctrl+R and F5 do nothing; typing goes through', () => {
    const { created } = setUp();
    const contents = created();
    expect(keyDown(contents, { key: 'F12' })).toBe(true);
    expect(keyDown(contents, { key: 'I', code: 'KeyI', control: true, shift: true })).toBe(true);
    expect(keyDown(contents, { key: 'r', code: 'KeyR', control: true })).toBe(true);
    expect(keyDown(contents, { key: 'F5' })).toBe(true);
    expect(keyDown(contents, { key: 'b', code: 'KeyB' })).toBe(false);
  });
});

describe('the launcher\'s navigation', () => {
  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s stays within kiosk://app', (eventName) => {
    const { created } = setUp();
    const launcher = created();
    const inside = navigationEvent('kiosk://app/index.html#tiles');
    launcher.emit(eventName, inside);
    expect(inside.defaultPrevented).toBe(false);
    for (const url of ['https://www.example.be/', 'file:///etc/passwd', 'kiosk://other/', 'javascript:alert(1)', 'data:text/html,x', 'chrome://settings', 'about:blank']) {
      const away = navigationEvent(url);
      launcher.emit(eventName, away);
      expect(away.defaultPrevented, url).toBe(true);
    }
  });

  it('does not hold a service view to kiosk://app (its own allow-list does)', () => {
    const serviceContents: GuardedWebContents[] = [];
    const { created } = setUp(serviceContents);
    const service = created(new FakeSession('visitor-a'));
    serviceContents.push(service);
    const event = navigationEvent('https://www.example.be/next');
    service.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(false);
  });

  it('still holds a webContents to kiosk://app when it is not a service view', () => {
    const { created } = setUp();
    const stranger = created(new FakeSession('visitor-a'));
    const event = navigationEvent('https://www.example.be/next');
    stranger.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
    expect(LAUNCHER_URL.startsWith('kiosk://app/')).toBe(true);
  });
});

describe('guards on every session', () => {
  it('deny every permission request, on sessions announced by session-created and by their webContents', async () => {
    const { app, created } = setUp();
    const announced = new FakeSession('visitor-b');
    app.emit('session-created', announced);
    const viaContents = created(new FakeSession('visitor-c')).session;
    for (const session of [announced, viaContents]) {
      for (const permission of PERMISSIONS) {
        expect(await requestPermission(session, permission), permission).toBe(false);
      }
    }
  });

  it('deny every permission check and every device', () => {
    const { app } = setUp();
    const session = new FakeSession('visitor-d');
    app.emit('session-created', session);
    for (const permission of PERMISSIONS) {
      expect(session.permissionCheckHandler!(null, permission, 'https://www.example.be', { isMainFrame: true, requestingUrl: 'https://www.example.be/' }), permission).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'hid', origin: 'https://www.example.be', device: { deviceId: '1', name: 'keyboard', vendorId: 1, productId: 2, collections: [] } })).toBe(false);
  });

  it('cancel downloads, so no save dialog can show the disk', () => {
    const { app } = setUp();
    const session = new FakeSession('visitor-e');
    app.emit('session-created', session);
    const event = preventableEvent({});
    session.emit('will-download', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('are put once per session', () => {
    const { app } = setUp();
    const session = new FakeSession('visitor-f');
    app.emit('session-created', session);
    app.emit('session-created', session);
    expect(session.listenerCount('will-download')).toBe(1);
  });
});
