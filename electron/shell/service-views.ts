/**
 * Shows services to the visitor: one WebContentsView per open service, drawn in the area
 * under the launcher's toolbar, in the current visitor's in-memory partition, with no
 * preload (a service page never sees `window.kiosk`) and the locked web preferences.
 *
 * Every navigation the page attempts is decided by shared/navigation-policy against the
 * service's allow-list: top-level (will-navigate), redirects (will-redirect), sub-frames
 * (will-frame-navigate) and window.open / target=_blank. An allowed pop-up opens in the
 * same view, so the visitor can come back with Back; a refused navigation is prevented and
 * the page stays where it was.
 */
import type {
  Event as ElectronEvent,
  HandlerDetails,
  LoadURLOptions,
  NavigationHistory,
  Rectangle,
  WebContents,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WebPreferences,
} from 'electron';
import type { ServicePresenter } from '../services/kiosk-handlers';
import type { ServiceArea, ServicePresentation } from '../../shared/contract';
import type { Service } from '../../shared/config/schema';
import { decideNavigation, type NavigationKind } from '../../shared/navigation-policy';
import { serviceWebPreferences } from './web-preferences';
import type { ShellLog } from './shell-log';

/** The part of a service view's webContents the presenter uses. */
export interface ServiceContents extends Pick<WebContents, 'loadURL' | 'close' | 'isDestroyed' | 'setWindowOpenHandler'> {
  readonly navigationHistory: Pick<NavigationHistory, 'canGoBack' | 'goBack'>;
  on(event: 'will-navigate', listener: (details: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): unknown;
}

/** The part of a WebContentsView the presenter uses. */
export interface ServiceView {
  readonly webContents: ServiceContents;
  setBounds(bounds: Rectangle): void;
}

/** Where views are drawn: the kiosk window's content view. */
export interface ViewHost<View extends ServiceView> {
  addChildView(view: View): void;
  removeChildView(view: View): void;
}

export interface ServicePresenterOptions<View extends ServiceView> {
  /** new WebContentsView({ webPreferences }) */
  readonly createView: (webPreferences: WebPreferences) => View;
  /** The kiosk window's content view, or undefined while there is no window. */
  readonly host: () => ViewHost<View> | undefined;
  /** The current visitor's partition (visitor-sessions.ts). */
  readonly partitionForServiceView: () => string;
  readonly log: ShellLog;
}

interface OpenService<View extends ServiceView> {
  readonly serviceId: string;
  readonly view: View;
}

type NavigationDetails = ElectronEvent<{ url: string; isMainFrame: boolean }>;

/**
 * Holds one service's webContents to the service's allow-list. Exported so the decision
 * wiring can be tested on its own.
 */
export function guardServiceNavigation(contents: ServiceContents, service: Pick<Service, 'id' | 'allowedDomains' | 'UNSAFE_allowHttpHosts'>, log: ShellLog): void {
  const rules = { allowedDomains: service.allowedDomains, UNSAFE_allowHttpHosts: service.UNSAFE_allowHttpHosts };
  const decide = (url: string, kind: NavigationKind): boolean => {
    const decision = decideNavigation(url, rules, kind);
    if (decision.allowed) return true;
    // No URL in the log: it may carry the visitor's data in its path or query.
    log(`service "${service.id}": refused a ${kind} navigation (${decision.reason})`);
    return false;
  };
  const guard = (kindOf: (details: NavigationDetails) => NavigationKind) => (details: NavigationDetails) => {
    if (!decide(details.url, kindOf(details))) details.preventDefault();
  };

  contents.on('will-navigate', guard(() => 'top-level'));
  contents.on('will-redirect', guard((details) => (details.isMainFrame ? 'redirect' : 'sub-frame')));
  // will-frame-navigate also fires for the main frame, which will-navigate already decided.
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame) guard(() => 'sub-frame')(details);
  });
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (decide(details.url, 'window-open')) {
      void contents.loadURL(details.url, loadOptionsFor(details)).catch((error: unknown) => {
        log(`service "${service.id}": a pop-up shown in the same view did not load (${describe(error)})`);
      });
    }
    return { action: 'deny' };
  });
}

/** A form posted to a new window keeps its body when it opens in the same view instead. */
function loadOptionsFor(details: HandlerDetails): LoadURLOptions {
  const options: LoadURLOptions = { httpReferrer: details.referrer };
  if (details.postBody !== undefined) {
    options.postData = details.postBody.data;
    const boundary = details.postBody.boundary === undefined ? '' : `; boundary=${details.postBody.boundary}`;
    options.extraHeaders = `Content-Type: ${details.postBody.contentType}${boundary}`;
  }
  return options;
}

export class ElectronServicePresenter<View extends ServiceView> implements ServicePresenter {
  private current: OpenService<View> | undefined;
  private area: ServiceArea = { x: 0, y: 0, width: 0, height: 0 };
  // Calls arrive concurrently over IPC; each waits for the previous one, so a quick
  // double tap never leaves two views on screen.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ServicePresenterOptions<View>) {}

  /** Whether a webContents belongs to a service view shown by this presenter. */
  owns(contents: unknown): boolean {
    return this.current !== undefined && this.current.view.webContents === contents;
  }

  open(service: Service): Promise<{ presentation: ServicePresentation; url: string }> {
    return this.serially(async () => {
      this.closeCurrent();
      const start = decideNavigation(service.startUrl, service, 'top-level');
      if (!start.allowed) throw new Error(`service "${service.id}": its start address is refused (${start.reason})`);
      const host = this.options.host();
      if (host === undefined) throw new Error('there is no kiosk window to show the service in');
      const view = this.options.createView(serviceWebPreferences(this.options.partitionForServiceView()));
      guardServiceNavigation(view.webContents, service, this.options.log);
      this.current = { serviceId: service.id, view };
      host.addChildView(view);
      view.setBounds(this.area);
      // Not awaited: a slow or unreachable site must not hold the launcher's toolbar.
      view.webContents.loadURL(service.startUrl).catch((error: unknown) => {
        this.options.log(`service "${service.id}": its start page did not load (${describe(error)})`);
      });
      return { presentation: 'kiosk-view', url: service.startUrl };
    });
  }

  back(): Promise<boolean> {
    return this.serially(async () => {
      const contents = this.current?.view.webContents;
      if (contents === undefined || contents.isDestroyed() || !contents.navigationHistory.canGoBack()) return false;
      contents.navigationHistory.goBack();
      return true;
    });
  }

  close(): Promise<void> {
    return this.serially(async () => this.closeCurrent());
  }

  setArea(area: ServiceArea): void {
    this.area = { ...area };
    this.current?.view.setBounds(this.area);
  }

  private closeCurrent(): void {
    const current = this.current;
    if (current === undefined) return;
    this.current = undefined;
    this.options.host()?.removeChildView(current.view);
    if (!current.view.webContents.isDestroyed()) current.view.webContents.close();
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const result = this.queue.then(step, step);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
