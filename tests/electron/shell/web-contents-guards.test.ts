import { describe, expect, it } from 'vitest';
import type { Input, MediaAccessPermissionRequest, PermissionRequest } from 'electron';
import type { ServiceRefusal } from '../../../shared/contract';
import type { Service } from '../../../shared/config/schema';
import { installWebContentsGuards, type GuardedSession, type GuardedWebContents } from '../../../electron/shell/web-contents-guards';
import { LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import { FakeApp, FakeSession, FakeWebContents, navigationEvent, preventableEvent } from './fake-electron';
import { testService } from './shell-fixtures';

function setUp(serviceContents: GuardedWebContents[] = [], services = new Map<unknown, Service>(), visitorSessions: GuardedSession[] = []) {
  const app = new FakeApp([]);
  const log: string[] = [];
  const refusals: [unknown, ServiceRefusal][] = [];
  installWebContentsGuards(app, {
    isServiceContents: (contents) => serviceContents.includes(contents),
    permissionRulesFor: (contents) => services.get(contents),
    keepsDownloads: (session) => visitorSessions.includes(session),
    onRefused: (contents, refusal) => refusals.push([contents, refusal]),
    log: (line) => log.push(line),
  });
  const created = (session = new FakeSession('')) => {
    const contents = new FakeWebContents(session);
    app.emit('web-contents-created', preventableEvent({}), contents);
    return contents;
  };
  return { app, log, created, refusals };
}

/** A service view showing `serviceId`, guarded like every webContents. */
function serviceView(serviceId: string) {
  const services = new Map<unknown, Service>();
  const serviceContents: GuardedWebContents[] = [];
  const guarded = setUp(serviceContents, services);
  const session = new FakeSession('visitor-a');
  const contents = guarded.created(session);
  serviceContents.push(contents);
  services.set(contents, testService(serviceId));
  return { ...guarded, contents, session };
}

function requestFrom(contents: FakeWebContents, permission: Parameters<NonNullable<FakeSession['permissionRequestHandler']>>[1], details: PermissionRequest | MediaAccessPermissionRequest): Promise<boolean> {
  return new Promise((resolve) => contents.session.permissionRequestHandler!(contents as never, permission, resolve, details));
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

  it('turn pinch zoom off and cancel the Bluetooth chooser', () => {
    const { created } = setUp();
    const contents = created();
    expect(contents.visualZoomLimits).toEqual([1, 1]);
    const event = preventableEvent({});
    const picked: string[] = [];
    contents.emit('select-bluetooth-device', event, [{ deviceName: 'speaker', deviceId: 'b1' }], (id: string) => picked.push(id));
    expect(event.defaultPrevented).toBe(true);
    expect(picked).toEqual(['']);
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

describe('permissions: denied unless the open service is configured for them', () => {
  const camera: MediaAccessPermissionRequest = { requestingUrl: 'https://consult.example.net/room', isMainFrame: true, mediaTypes: ['video'] };
  const cameraAndMicrophone: MediaAccessPermissionRequest = { ...camera, mediaTypes: ['video', 'audio'] };

  it('grants the camera and microphone to the service configured for them', async () => {
    const { contents, refusals } = serviceView('doctor');
    expect(await requestFrom(contents, 'media', cameraAndMicrophone)).toBe(true);
    expect(refusals).toEqual([]);
  });

  it('denies them to a frame of another site embedded in that service', async () => {
    const { contents, refusals } = serviceView('doctor');
    expect(await requestFrom(contents, 'media', { ...camera, requestingUrl: 'https://tracker.example.com/', isMainFrame: false })).toBe(false);
    expect(refusals).toEqual([[contents, 'permission']]);
  });

  it('denies them to a service not configured for them, and tells the launcher', async () => {
    const { contents, refusals } = serviceView('taxes');
    expect(await requestFrom(contents, 'media', { ...camera, requestingUrl: 'https://www.example.be/' })).toBe(false);
    expect(await requestFrom(contents, 'geolocation', { requestingUrl: 'https://www.example.be/', isMainFrame: true })).toBe(false);
    expect(refusals).toEqual([
      [contents, 'permission'],
      [contents, 'permission'],
    ]);
  });

  it('never grants the file system or external applications, whatever the configuration', async () => {
    const { contents, refusals } = serviceView('doctor');
    expect(await requestFrom(contents, 'fileSystem' as never, { requestingUrl: 'https://consult.example.net/', isMainFrame: false })).toBe(false);
    expect(await requestFrom(contents, 'openExternal', { requestingUrl: 'https://consult.example.net/', isMainFrame: true })).toBe(false);
    expect(refusals).toEqual([
      [contents, 'file-picker'],
      [contents, 'outside-service'],
    ]);
  });

  it('answers permission checks the same way, silently', () => {
    const { contents, session, refusals } = serviceView('doctor');
    const check = (permission: Parameters<NonNullable<FakeSession['permissionCheckHandler']>>[1], origin: string, mediaType?: 'video' | 'audio') =>
      session.permissionCheckHandler!(contents as never, permission, origin, { isMainFrame: true, requestingUrl: `${origin}/`, ...(mediaType === undefined ? {} : { mediaType }) });
    expect(check('media', 'https://consult.example.net', 'audio')).toBe(true);
    expect(check('media', 'https://evil.example', 'audio')).toBe(false);
    expect(check('geolocation', 'https://consult.example.net')).toBe(false);
    expect(check('clipboard-sanitized-write', 'https://consult.example.net')).toBe(true);
    expect(session.permissionCheckHandler!(null, 'media', 'https://consult.example.net', { isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(refusals).toEqual([]);
  });
});

describe('certificates', () => {
  it('refuses a certificate error and tells the launcher', () => {
    const { app, refusals } = setUp();
    const event = preventableEvent({});
    const answers: boolean[] = [];
    const page = {};
    app.emit('certificate-error', event, page, 'https://www.example.be/', 'net::ERR_CERT_DATE_INVALID', {}, (trusted: boolean) => answers.push(trusted), true);
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([false]);
    expect(refusals).toEqual([[page, 'certificate']]);
  });

  it('never sends a client certificate', () => {
    const { app } = setUp();
    const event = preventableEvent({});
    const picked: unknown[][] = [];
    app.emit('select-client-certificate', event, {}, 'https://www.example.be/', [{ subjectName: 'Jan' }], (...certificate: unknown[]) => picked.push(certificate));
    expect(event.defaultPrevented).toBe(true);
    expect(picked).toEqual([[]]);
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

  it('cancel downloads outside the visitor\'s partition, so no save dialog can show the disk', () => {
    const visitor = new FakeSession('visitor-e');
    const { app } = setUp([], new Map(), [visitor]);
    const stranger = new FakeSession('visitor-old');
    for (const session of [visitor, stranger]) app.emit('session-created', session);
    const kept = preventableEvent({});
    visitor.emit('will-download', kept);
    const cancelled = preventableEvent({});
    stranger.emit('will-download', cancelled);
    expect(kept.defaultPrevented).toBe(false);
    expect(cancelled.defaultPrevented).toBe(true);
  });

  it('cancel every device chooser and deny File System Access to restricted paths', () => {
    const { app } = setUp();
    const session = new FakeSession('visitor-g');
    app.emit('session-created', session);
    const answers: unknown[] = [];
    for (const chooser of ['select-hid-device', 'select-usb-device']) {
      const event = preventableEvent({});
      session.emit(chooser, event, {}, (...picked: unknown[]) => answers.push([chooser, ...picked]));
      expect(event.defaultPrevented, chooser).toBe(true);
    }
    const serial = preventableEvent({});
    session.emit('select-serial-port', serial, [], {}, (port: string) => answers.push(['select-serial-port', port]));
    session.emit('file-system-access-restricted', preventableEvent({}), { path: '/etc' }, (action: string) => answers.push(['file-system-access-restricted', action]));
    expect(serial.defaultPrevented).toBe(true);
    expect(answers).toEqual([['select-hid-device'], ['select-usb-device'], ['select-serial-port', ''], ['file-system-access-restricted', 'deny']]);
  });

  it('are put once per session', () => {
    const { app } = setUp();
    const session = new FakeSession('visitor-f');
    app.emit('session-created', session);
    app.emit('session-created', session);
    expect(session.listenerCount('will-download')).toBe(1);
  });
});
