/**
 * Guards put on every webContents and every session the kiosk ever creates, from
 * app.on('web-contents-created') and app.on('session-created'), so that no page, however
 * it came to exist, escapes them:
 *
 * - `<webview>` is refused (it would be a browser with preferences of its own);
 * - new windows are denied (a service view replaces this with its own decision: pop-ups
 *   of allowed domains open in the same view);
 * - devtools are closed the moment they open;
 * - the keyboard shortcuts of keyboard-lockdown.ts do nothing;
 * - the launcher (every webContents that is not a service view) navigates only within
 *   kiosk://app; service views are held by their own allow-list (service-views.ts);
 * - on every session, permission requests and checks are denied, devices are never
 *   granted, and downloads are cancelled (no save dialog can show the PC's disk).
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
import { lockKeyboard } from './keyboard-lockdown';
import { isKioskAppUrl } from './kiosk-origin';
import type { ShellLog } from './shell-log';

export type PreventableEvent = Pick<ElectronEvent, 'preventDefault'>;

/** The part of an Electron session the guards use. */
export interface GuardedSession extends Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> {
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
}

/** The navigation events a webContents emits before it navigates; each can be prevented. */
export interface NavigationEvents {
  on(event: 'will-navigate', listener: (details: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): unknown;
}

/** The part of an Electron webContents the guards use. */
export interface GuardedWebContents extends Pick<WebContents, 'setWindowOpenHandler' | 'closeDevTools'> {
  readonly session: GuardedSession;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'devtools-opened', listener: () => void): unknown;
  on(event: 'before-input-event', listener: (event: PreventableEvent, input: Input) => void): unknown;
  on(event: 'will-navigate', listener: (details: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): unknown;
}

/** The part of Electron's app the guards hook into. */
export interface GuardedApp {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown;
  on(event: 'session-created', listener: (session: GuardedSession) => void): unknown;
}

export interface WebContentsGuardOptions {
  /** True for the webContents of a service view; everything else is held to kiosk://app. */
  readonly isServiceContents: (contents: GuardedWebContents) => boolean;
  readonly log: ShellLog;
}

export interface WebContentsGuards {
  guardWebContents(contents: GuardedWebContents): void;
  guardSession(session: GuardedSession): void;
}

export function createWebContentsGuards({ isServiceContents, log }: WebContentsGuardOptions): WebContentsGuards {
  const guardedSessions = new WeakSet<GuardedSession>();
  const guardedContents = new WeakSet<GuardedWebContents>();

  function guardSession(session: GuardedSession): void {
    if (guardedSessions.has(session)) return;
    guardedSessions.add(session);
    session.setPermissionRequestHandler((_contents, permission, callback) => {
      log(`refused a permission request: ${permission}`);
      callback(false);
    });
    session.setPermissionCheckHandler(() => false);
    session.setDevicePermissionHandler(() => false);
    session.on('will-download', (event) => {
      log('cancelled a download: downloads are not offered on this kiosk yet');
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
    contents.on('will-navigate', holdToLauncherOrigin(contents, 'navigation'));
    contents.on('will-redirect', holdToLauncherOrigin(contents, 'redirect'));
    contents.on('will-frame-navigate', holdToLauncherOrigin(contents, 'frame navigation'));
  }

  return { guardWebContents, guardSession };
}

/** Puts the guards on every webContents and session from the moment each is created. */
export function installWebContentsGuards(app: GuardedApp, options: WebContentsGuardOptions): WebContentsGuards {
  const guards = createWebContentsGuards(options);
  app.on('session-created', (session) => guards.guardSession(session));
  app.on('web-contents-created', (_event, contents) => guards.guardWebContents(contents));
  return guards;
}
