/**
 * Guards put on every webContents and every session the kiosk ever creates, from
 * app.on('web-contents-created') and app.on('session-created'), so that no page, however
 * it came to exist, escapes them:
 *
 * - `<webview>` is refused (it would be a browser with preferences of its own);
 * - new windows are denied (a service view replaces this with its own decision: pop-ups
 *   of allowed domains open in the same view);
 * - devtools are closed the moment they open;
 * - the keyboard shortcuts of keyboard-lockdown.ts do nothing, and pinch zoom is off;
 * - the launcher (every webContents that is not a service view) navigates only within
 *   kiosk://app; service views are held by their own allow-list (service-views.ts);
 * - Web Bluetooth's device chooser is cancelled;
 * - on every session, permission requests and checks are decided by
 *   permission-policy.ts (everything denied unless the open service is configured for
 *   it), devices are never granted (HID, USB and serial choosers are cancelled), the File
 *   System Access API never reaches a restricted path, and downloads are cancelled
 *   except in the visitor's own partition, which keeps them in the visitor's folder (no
 *   save dialog can show the PC's disk);
 * - certificate errors are refused and client certificates never sent.
 */
import type {
  Event as ElectronEvent,
  Input,
  Session,
  WebContents,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
} from 'electron';
import type { ServiceRefusal } from '../../shared/contract';
import { lockKeyboard } from './keyboard-lockdown';
import { isKioskAppUrl } from './kiosk-origin';
import { decidePermission, type ElectronPermission, type PermissionRules } from './permission-policy';
import type { ShellLog } from './shell-log';

export type PreventableEvent = Pick<ElectronEvent, 'preventDefault'>;

type PermissionRequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type PermissionCheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;

/** The part of an Electron session the guards use. */
export interface GuardedSession extends Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> {
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'file-system-access-restricted', listener: (event: unknown, details: unknown, callback: (action: 'allow' | 'deny' | 'tryAgain') => void) => void): unknown;
  on(event: 'select-hid-device', listener: (event: PreventableEvent, details: unknown, callback: (deviceId?: string | null) => void) => void): unknown;
  on(event: 'select-usb-device', listener: (event: PreventableEvent, details: unknown, callback: (deviceId?: string) => void) => void): unknown;
  on(event: 'select-serial-port', listener: (event: PreventableEvent, portList: unknown, webContents: unknown, callback: (portId: string) => void) => void): unknown;
}

/** The navigation events a webContents emits before it navigates; each can be prevented. */
export interface NavigationEvents {
  on(event: 'will-navigate', listener: (details: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): unknown;
}

/** The part of an Electron webContents the guards use. */
export interface GuardedWebContents extends Pick<WebContents, 'setWindowOpenHandler' | 'closeDevTools' | 'setVisualZoomLevelLimits'> {
  readonly session: GuardedSession;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'devtools-opened', listener: () => void): unknown;
  on(event: 'before-input-event', listener: (event: PreventableEvent, input: Input) => void): unknown;
  on(event: 'will-navigate', listener: (details: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): unknown;
  on(event: 'select-bluetooth-device', listener: (event: PreventableEvent, devices: unknown, callback: (deviceId: string) => void) => void): unknown;
}

/** The part of Electron's app the guards hook into. */
export interface GuardedApp {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown;
  on(event: 'session-created', listener: (session: GuardedSession) => void): unknown;
  on(
    event: 'certificate-error',
    listener: (event: PreventableEvent, webContents: unknown, url: string, error: string, certificate: unknown, callback: (isTrusted: boolean) => void) => void,
  ): unknown;
  on(event: 'select-client-certificate', listener: (event: PreventableEvent, webContents: unknown, url: string, certificates: unknown, callback: () => void) => void): unknown;
}

export interface WebContentsGuardOptions {
  /** True for the webContents of a service view; everything else is held to kiosk://app. */
  readonly isServiceContents: (contents: GuardedWebContents) => boolean;
  /** The rules of the service shown in `contents` (its permissions), or undefined for anything but a service view. */
  readonly permissionRulesFor: (contents: unknown) => PermissionRules | undefined;
  /** True for the current visitor's session, whose downloads are kept (visitor-sessions.ts). */
  readonly keepsDownloads: (session: GuardedSession) => boolean;
  /** Something a page tried was refused; the screens tell the visitor when `contents` is a service view. */
  readonly onRefused: (contents: unknown, refusal: ServiceRefusal) => void;
  readonly log: ShellLog;
}

export interface WebContentsGuards {
  guardWebContents(contents: GuardedWebContents): void;
  guardSession(session: GuardedSession): void;
}

/** What the visitor is told when a permission request is refused. */
export function refusalForPermission(permission: ElectronPermission): ServiceRefusal {
  if (permission === 'fileSystem') return 'file-picker';
  if (permission === 'openExternal') return 'outside-service';
  return 'permission';
}

export function createWebContentsGuards({ isServiceContents, permissionRulesFor, keepsDownloads, onRefused, log }: WebContentsGuardOptions): WebContentsGuards {
  const guardedSessions = new WeakSet<GuardedSession>();
  const guardedContents = new WeakSet<GuardedWebContents>();

  const decideRequest: PermissionRequestHandler = (contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const allowed = decidePermission({ permission, requestingUrl: details.requestingUrl, ...(mediaTypes === undefined ? {} : { mediaTypes }) }, permissionRulesFor(contents));
    if (!allowed) {
      log(`refused a permission request: ${permission}`);
      onRefused(contents, refusalForPermission(permission));
    }
    callback(allowed);
  };

  const decideCheck: PermissionCheckHandler = (contents, permission, requestingOrigin, details) =>
    decidePermission(
      { permission, requestingUrl: details.requestingUrl ?? requestingOrigin, ...(details.mediaType === undefined ? {} : { mediaTypes: [details.mediaType] }) },
      contents === null ? undefined : permissionRulesFor(contents),
    );

  function guardSession(session: GuardedSession): void {
    if (guardedSessions.has(session)) return;
    guardedSessions.add(session);
    session.setPermissionRequestHandler(decideRequest);
    session.setPermissionCheckHandler(decideCheck);
    session.setDevicePermissionHandler(() => false);
    session.on('select-hid-device', (event, _details, callback) => {
      event.preventDefault();
      callback();
    });
    session.on('select-usb-device', (event, _details, callback) => {
      event.preventDefault();
      callback();
    });
    session.on('select-serial-port', (event, _ports, _contents, callback) => {
      event.preventDefault();
      callback('');
    });
    session.on('file-system-access-restricted', (_event, _details, callback) => callback('deny'));
    session.on('will-download', (event) => {
      if (keepsDownloads(session)) return;
      log('cancelled a download outside a visitor\'s partition');
      event.preventDefault();
    });
  }

  function holdToLauncherOrigin(contents: GuardedWebContents, kind: string) {
    return (details: ElectronEvent<{ url: string }>) => {
      if (isServiceContents(contents) || isKioskAppUrl(details.url)) return;
      log(`refused a ${kind} of the launcher away from kiosk://app`);
      details.preventDefault();
    };
  }

  function guardWebContents(contents: GuardedWebContents): void {
    if (guardedContents.has(contents)) return;
    guardedContents.add(contents);
    guardSession(contents.session);
    contents.on('will-attach-webview', (event) => {
      log('refused a <webview>');
      event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('devtools-opened', () => {
      log('closed devtools that opened');
      contents.closeDevTools();
    });
    lockKeyboard(contents);
    // Text size is the kiosk's own control: pinch zoom stays off whatever Chromium's default.
    contents.setVisualZoomLevelLimits(1, 1).catch((error: unknown) => {
      log(`pinch zoom could not be turned off: ${error instanceof Error ? error.message : String(error)}`);
    });
    contents.on('will-navigate', holdToLauncherOrigin(contents, 'navigation'));
    contents.on('will-redirect', holdToLauncherOrigin(contents, 'redirect'));
    contents.on('will-frame-navigate', holdToLauncherOrigin(contents, 'frame navigation'));
    contents.on('select-bluetooth-device', (event, _devices, callback) => {
      event.preventDefault();
      callback('');
    });
  }

  return { guardWebContents, guardSession };
}

/** Puts the guards on every webContents and session from the moment each is created, and refuses bad certificates. */
export function installWebContentsGuards(app: GuardedApp, options: WebContentsGuardOptions): WebContentsGuards {
  const guards = createWebContentsGuards(options);
  app.on('session-created', (session) => guards.guardSession(session));
  app.on('web-contents-created', (_event, contents) => guards.guardWebContents(contents));
  app.on('certificate-error', (event, contents, _url, error, _certificate, callback) => {
    // No URL in the log: it may carry the visitor's data.
    options.log(`refused a page with a certificate error (${error})`);
    event.preventDefault();
    callback(false);
    options.onRefused(contents, 'certificate');
  });
  app.on('select-client-certificate', (event, _contents, _url, _certificates, callback) => {
    // Electron would otherwise send the first certificate of the PC's store without asking.
    options.log('refused to send a client certificate');
    event.preventDefault();
    callback();
  });
  return guards;
}
