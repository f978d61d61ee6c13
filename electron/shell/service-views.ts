/**
 * Shows services to the visitor: one WebContentsView per open service, drawn in the area
 * under the launcher's toolbar, in the current visitor's in-memory partition, with no
 * preload (a service page never sees `window.kiosk`) and the locked web preferences.
 *
 * Every navigation the page attempts is decided by shared/navigation-policy against the
 * service's allow-list: top-level (will-navigate), redirects (will-redirect), sub-frames
 * (will-frame-navigate) and window.open / target=_blank. An allowed pop-up opens in the
 * same view, so the visitor can come back with Back; a refused navigation is prevented,
 * the page stays where it was and the launcher is told (without the address).
 *
 * Each view also gets: the file-picker and print guards (page-dialog-guards.ts), a
 * context menu limited to cut/copy/paste (edit-menu.ts), activity reporting for the idle
 * counter, and a record of the sites it reached for the wipe's probe. A view whose page
 * crashes, hangs past a grace period or loses its guards is closed.
 *
 * A service page is shown at the zoom of the visitor's text size (the toolbar's button,
 * shared/display-settings.ts): from its first paint (web preferences), whenever the text
 * size changes (setTextSize), and again after each navigation or zoom request of the page
 * if Chromium moved it. The page's own zoom (Ctrl+wheel) is refused: the view's zoom mode
 * is 'manual', so only the kiosk sets it.
 *
 * The service's own options are read from the service as it was configured when it
 * opened (a configuration change applies to services opened afterwards):
 * - `printing`: off, print() is refused; on, the kiosk opens the system's print dialog
 *   for the page on screen (webContents.print), one dialog at a time;
 * - `uploads`: on, a file picker the page opens is offered the visitor's "My files"
 *   (the launcher asks which, `files:chooserOpened`; chooseFiles gives the chosen ones),
 *   one chooser at a time, cancelled if the service closes first; off, it is refused and
 *   the visitor told, and the service is never given a file;
 * - `downloads`: off, no download is kept while the service is on screen
 *   (serviceOnScreenAllowsDownloads, read by visitor-sessions.ts);
 * - `permissions`: permission-policy.ts, through serviceShownIn.
 */
import type {
  Event as ElectronEvent,
  HandlerDetails,
  InputEvent,
  LoadURLOptions,
  NavigationHistory,
  Rectangle,
  RenderProcessGoneDetails,
  WebContents,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WebPreferences,
} from 'electron';
import type { ServicePresenter } from '../services/kiosk-handlers';
import { randomUUID } from 'node:crypto';
import type { FileChooserOpened, ServiceArea, ServicePresentation, ServiceRefusal } from '../../shared/contract';
import type { Service } from '../../shared/config/schema';
import { DEFAULT_DISPLAY, TEXT_SIZES, zoomFactorOf, type TextSize } from '../../shared/display-settings';
import { decideNavigation, type NavigationKind } from '../../shared/navigation-policy';
import { editMenuTemplate, type EditMenuParams, type EditMenuTemplate } from './edit-menu';
import { UNRESPONSIVE_GRACE_MS } from './launcher-recovery';
import { guardPageDialogs, type InterceptedFileChooser, type PageDialogGuard, type ProtocolDebugger } from './page-dialog-guards';
import { serviceWebPreferences } from './web-preferences';
import type { ShellLog } from './shell-log';

/** The part of a service view's webContents the presenter uses. */
export interface ServiceContents
  extends Pick<WebContents, 'loadURL' | 'close' | 'isDestroyed' | 'setWindowOpenHandler' | 'forcefullyCrashRenderer' | 'executeJavaScript' | 'print' | 'getZoomFactor' | 'setZoomFactor'> {
  readonly navigationHistory: Pick<NavigationHistory, 'canGoBack' | 'goBack'>;
  readonly debugger: ProtocolDebugger;
  on(event: 'will-navigate', listener: (details: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): unknown;
  on(event: 'did-frame-navigate', listener: (event: unknown, url: string) => void): unknown;
  on(event: 'did-navigate', listener: (event: unknown, url: string) => void): unknown;
  on(event: 'did-navigate-in-page', listener: (event: unknown, url: string) => void): unknown;
  on(event: 'zoom-changed', listener: (event: unknown, zoomDirection: 'in' | 'out') => void): unknown;
  on(event: 'context-menu', listener: (event: unknown, params: EditMenuParams) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>) => void): unknown;
  on(event: 'unresponsive', listener: () => void): unknown;
  on(event: 'responsive', listener: () => void): unknown;
  on(event: 'input-event', listener: (event: unknown, input: Pick<InputEvent, 'type'>) => void): unknown;
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

/** Why a service view was taken off the screen by the kiosk rather than by the visitor. */
export type ServiceEndCause = 'crashed' | 'unguarded';

export interface ServicePresenterOptions<View extends ServiceView> {
  /** new WebContentsView({ webPreferences }) */
  readonly createView: (webPreferences: WebPreferences) => View;
  /** The kiosk window's content view, or undefined while there is no window. */
  readonly host: () => ViewHost<View> | undefined;
  /** The current visitor's partition (visitor-sessions.ts). */
  readonly partitionForServiceView: () => string;
  /** A page of the visitor reached `url` (its origin is probed at the wipe). */
  readonly onVisit: (url: string) => void;
  /** The page tried something the kiosk refused. */
  readonly onRefused: (serviceId: string, refusal: ServiceRefusal) => void;
  /** The kiosk closed the service itself: its page crashed, hung, or lost its guards. */
  readonly onServiceEnded: (serviceId: string, cause: ServiceEndCause) => void;
  /** A page of a service with uploads on asked for a file: the launcher offers "My files" (answered by chooseFiles). */
  readonly onFileChooserOpened: (request: FileChooserOpened) => void;
  /**
   * The visitor's own finished downloads named `names`, as absolute paths inside their
   * downloads folder (visitor-sessions.ts pathsForUpload); throws for any other name.
   */
  readonly pathsForUpload: (names: readonly string[]) => readonly string[];
  /** A fresh id for each file chooser; crypto.randomUUID unless a test pins it. */
  readonly newRequestId?: () => string;
  /** The visitor gave input inside the service (activity-watch.ts throttles it). */
  readonly onInput: (type: InputEvent['type']) => void;
  /** Shows the cut/copy/paste menu (Menu.buildFromTemplate(template).popup()). */
  readonly popupEditMenu: (template: EditMenuTemplate) => void;
  /** setTimeout, unless a test moves time by hand; returns the cancel function. */
  readonly setTimer?: (callback: () => void, delayMs: number) => () => void;
  readonly log: ShellLog;
}

interface OpenService<View extends ServiceView> {
  readonly service: Service;
  readonly view: View;
  dialogGuard?: PageDialogGuard;
  cancelHangTimer?: () => void;
  /** A print dialog the kiosk opened for this page is still open. */
  printDialogOpen?: boolean;
  /** The file chooser waiting for the visitor's answer, if any: one at a time. */
  fileChooser?: { readonly requestId: string; readonly chooser: InterceptedFileChooser };
}

/**
 * What the kiosk asks of webContents.print for a service that may print: the system's
 * dialog (never `silent`, which would print on the default printer without the visitor
 * choosing), with the page's backgrounds, as the visitor sees it on screen.
 */
export const SERVICE_PRINT_OPTIONS = { silent: false, printBackground: true } as const;

export interface NavigationGuardEvents {
  /** A navigation was refused (the page stays where it was). */
  readonly onRefused?: (kind: NavigationKind) => void;
  /** A navigation was allowed to `url`. */
  readonly onAllowed?: (url: string) => void;
}

type NavigationDetails = ElectronEvent<{ url: string; isMainFrame: boolean }>;

/** Chromium keeps a zoom as a level (a logarithm of the factor): a factor read back may differ in its last digits. */
const ZOOM_TOLERANCE = 0.001;

/**
 * The zoom factor a service page must be given, or null when it already shows `wanted`.
 * Chromium may move a page's zoom on its own (a site's zoom kept by the session, a
 * navigation, the page's Ctrl+wheel); the visitor's text size is the only zoom it shows.
 */
export function zoomCorrection(current: number, wanted: number): number | null {
  return Number.isFinite(current) && Math.abs(current - wanted) <= ZOOM_TOLERANCE ? null : wanted;
}

/**
 * A service view's web preferences: the locked ones in the visitor's partition, zoomed to
 * the visitor's text size from the first paint. The 'manual' zoom mode keeps the zoom to
 * this view (not shared by every page of the site) across navigations, and leaves the
 * page's own zoom requests without effect. The first zoom goes in here because Electron
 * drops a setZoomFactor made before the first navigation commits in that mode
 * (electron/electron#53225).
 */
export function serviceViewPreferences(partition: string, zoomFactor: number): WebPreferences {
  return { ...serviceWebPreferences(partition), zoomMode: 'manual', zoomFactor };
}

/**
 * Holds one service's webContents to the service's allow-list. Exported so the decision
 * wiring can be tested on its own.
 */
export function guardServiceNavigation(
  contents: ServiceContents,
  service: Pick<Service, 'id' | 'allowedDomains' | 'UNSAFE_allowHttpHosts'>,
  log: ShellLog,
  events: NavigationGuardEvents = {},
): void {
  const rules = { allowedDomains: service.allowedDomains, UNSAFE_allowHttpHosts: service.UNSAFE_allowHttpHosts };
  const decide = (url: string, kind: NavigationKind): boolean => {
    const decision = decideNavigation(url, rules, kind);
    if (decision.allowed) {
      events.onAllowed?.(url);
      return true;
    }
    // No URL in the log: it may carry the visitor's data in its path or query.
    log(`service "${service.id}": refused a ${kind} navigation (${decision.reason})`);
    events.onRefused?.(kind);
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

const defaultSetTimer = (callback: () => void, delayMs: number): (() => void) => {
  const timer = setTimeout(callback, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

export class ElectronServicePresenter<View extends ServiceView> implements ServicePresenter {
  private current: OpenService<View> | undefined;
  private area: ServiceArea = { x: 0, y: 0, width: 0, height: 0 };
  /** The zoom of the visitor's text size; normal until the session says otherwise. */
  private zoomFactor = zoomFactorOf(DEFAULT_DISPLAY.textSize);
  // Calls arrive concurrently over IPC; each waits for the previous one, so a quick
  // double tap never leaves two views on screen.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ServicePresenterOptions<View>) {}

  /** Whether a webContents belongs to a service view shown by this presenter. */
  owns(contents: unknown): boolean {
    return this.serviceShownIn(contents) !== undefined;
  }

  /**
   * Whether a download may be kept now. One service is on screen at a time, and a
   * download can come from a page already replaced or from a worker with no page, so the
   * rule of the service on screen holds for every download of the visitor's partition;
   * with no service on screen, none is kept.
   */
  serviceOnScreenAllowsDownloads(): boolean {
    return this.current?.service.downloads ?? false;
  }

  /** The service whose view shows `contents`, or undefined. */
  serviceShownIn(contents: unknown): Service | undefined {
    return this.current !== undefined && this.current.view.webContents === contents ? this.current.service : undefined;
  }

  open(service: Service): Promise<{ presentation: ServicePresentation; url: string }> {
    return this.serially(async () => {
      this.closeCurrent();
      const start = decideNavigation(service.startUrl, service, 'top-level');
      if (!start.allowed) throw new Error(`service "${service.id}": its start address is refused (${start.reason})`);
      const host = this.options.host();
      if (host === undefined) throw new Error('there is no kiosk window to show the service in');
      const view = this.options.createView(serviceViewPreferences(this.options.partitionForServiceView(), this.zoomFactor));
      const open: OpenService<View> = { service, view };
      this.current = open;
      this.guard(open);
      this.options.onVisit(service.startUrl);
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

  /**
   * The visitor's answer to the file chooser `requestId`: the named files of "My files"
   * are given to the page's input, or nothing when `names` is empty (the page keeps the
   * cancelled picker it already saw). A chooser is answered once. Throws for a chooser no
   * longer open, more than one file for a single-file input, or a name that is not one of
   * the visitor's finished files; then nothing is given, and the chooser stays open so the
   * visitor can choose again or cancel.
   */
  async chooseFiles(requestId: string, names: readonly string[]): Promise<void> {
    const answer = await this.serially(async () => {
      const open = this.current;
      const pending = open?.fileChooser;
      if (open === undefined || pending === undefined || pending.requestId !== requestId) {
        throw new Error('this file chooser is no longer open (its page was closed, or it was already answered)');
      }
      const serviceId = open.service.id;
      if (names.length === 0) {
        open.fileChooser = undefined;
        this.options.log(`service "${serviceId}": the visitor gave no file to the file chooser`);
        return undefined;
      }
      if (!pending.chooser.multiple && names.length > 1) throw new Error('the page asked for one file only');
      const paths = this.options.pathsForUpload(names);
      open.fileChooser = undefined;
      return { serviceId, paths, chooser: pending.chooser };
    });
    if (answer === undefined) return;
    // Outside the queue: a protocol answer the page is slow to give must not hold Home or the wipe.
    try {
      await answer.chooser.giveFiles(answer.paths);
    } catch (error) {
      throw new Error(`service "${answer.serviceId}": the chosen files could not be given to the page (${describe(error)})`);
    }
    // The count only: file names are the visitor's.
    this.options.log(`service "${answer.serviceId}": gave ${answer.paths.length} of the visitor's files to a file chooser`);
  }

  setArea(area: ServiceArea): void {
    this.area = { ...area };
    this.current?.view.setBounds(this.area);
  }

  /**
   * The visitor's text size (the session's snapshot): the service on screen is zoomed to
   * it now, and every view opened afterwards from its first paint. Normal size when no
   * visitor is there.
   */
  setTextSize(size: TextSize): void {
    if (!TEXT_SIZES.includes(size)) {
      this.options.log(`the text size ${String(size)} is not one of the kiosk's steps; the service pages keep their zoom`);
      return;
    }
    this.zoomFactor = zoomFactorOf(size);
    if (this.current !== undefined) this.applyZoom(this.current);
  }

  private guard(open: OpenService<View>): void {
    const { service, view } = open;
    const contents = view.webContents;
    const { log } = this.options;
    const refuse = (refusal: ServiceRefusal) => {
      if (this.current === open) this.options.onRefused(service.id, refusal);
    };
    guardServiceNavigation(contents, service, log, { onRefused: () => refuse('outside-service'), onAllowed: (url) => this.options.onVisit(url) });
    open.dialogGuard = guardPageDialogs(contents.debugger, {
      onFilePicker: (chooser) => this.offerVisitorFiles(open, chooser),
      onPrintRequested: () => {
        if (!service.printing) {
          log(`service "${service.id}": refused to print`);
          refuse('print');
          return;
        }
        this.openPrintDialog(open);
      },
      onUnguarded: (reason) => this.end(open, 'unguarded', reason),
      log,
    });
    contents.on('did-frame-navigate', (_event, url) => this.options.onVisit(url));
    // The zoom mode keeps the zoom across navigations; this puts it back wherever Chromium did not.
    contents.on('did-navigate', () => this.applyZoom(open));
    contents.on('did-navigate-in-page', () => this.applyZoom(open));
    contents.on('zoom-changed', () => this.applyZoom(open));
    contents.on('input-event', (_event, input) => this.options.onInput(input.type));
    contents.on('context-menu', (_event, params) => {
      const template = editMenuTemplate(params);
      if (template.length > 0) this.options.popupEditMenu(template);
    });
    contents.on('render-process-gone', (_event, details) => this.end(open, 'crashed', `its page's process ended (${details.reason}, exit code ${details.exitCode})`));
    contents.on('unresponsive', () => {
      open.cancelHangTimer?.();
      open.cancelHangTimer = (this.options.setTimer ?? defaultSetTimer)(() => {
        if (this.current !== open || contents.isDestroyed()) return;
        log(`service "${service.id}": its page stopped responding; ending its process`);
        contents.forcefullyCrashRenderer();
        this.end(open, 'crashed', 'its page stopped responding');
      }, UNRESPONSIVE_GRACE_MS);
    });
    contents.on('responsive', () => {
      open.cancelHangTimer?.();
      open.cancelHangTimer = undefined;
    });
  }

  /** Gives the page the zoom of the visitor's text size, unless it already has it. */
  private applyZoom(open: OpenService<View>): void {
    const contents = open.view.webContents;
    if (this.current !== open || contents.isDestroyed()) return;
    try {
      const correction = zoomCorrection(contents.getZoomFactor(), this.zoomFactor);
      if (correction !== null) contents.setZoomFactor(correction);
    } catch (error) {
      this.options.log(`service "${open.service.id}": its zoom could not be set (${describe(error)})`);
    }
  }

  /** A file chooser of the page: refused with uploads off, else the launcher offers "My files", one chooser at a time. */
  private offerVisitorFiles(open: OpenService<View>, chooser: InterceptedFileChooser): void {
    const { service } = open;
    const { log } = this.options;
    if (this.current !== open) return;
    if (!service.uploads) {
      log(`service "${service.id}": refused a file picker (uploads are off for this service)`);
      this.options.onRefused(service.id, 'file-picker');
      return;
    }
    if (open.fileChooser !== undefined) {
      // The page saw this one cancelled; the visitor answers the one already on screen.
      log(`service "${service.id}": a file chooser is already open; the page's next one was left cancelled`);
      return;
    }
    const requestId = (this.options.newRequestId ?? randomUUID)();
    open.fileChooser = { requestId, chooser };
    log(`service "${service.id}": offered the visitor's files to a file chooser`);
    this.options.onFileChooserOpened({ requestId, multiple: chooser.multiple, serviceId: service.id });
  }

  /** The system's print dialog for a service that may print; a page calling print() again meanwhile gets nothing more. */
  private openPrintDialog(open: OpenService<View>): void {
    const contents = open.view.webContents;
    const { log } = this.options;
    if (this.current !== open || contents.isDestroyed()) return;
    if (open.printDialogOpen === true) {
      log(`service "${open.service.id}": a print dialog is already open`);
      return;
    }
    open.printDialogOpen = true;
    log(`service "${open.service.id}": opened the print dialog`);
    try {
      contents.print({ ...SERVICE_PRINT_OPTIONS }, (success, failureReason) => {
        open.printDialogOpen = false;
        if (!success) log(`service "${open.service.id}": nothing printed (${failureReason})`);
      });
    } catch (error) {
      open.printDialogOpen = false;
      log(`service "${open.service.id}": the print dialog could not be opened (${describe(error)})`);
    }
  }

  /** Takes a view off the screen on the kiosk's own initiative, and says so. */
  private end(open: OpenService<View>, cause: ServiceEndCause, reason: string): void {
    void this.serially(async () => {
      if (this.current !== open) return;
      this.options.log(`service "${open.service.id}": closed, ${reason}`);
      this.closeCurrent();
      this.options.onServiceEnded(open.service.id, cause);
    });
  }

  private closeCurrent(): void {
    const current = this.current;
    if (current === undefined) return;
    this.current = undefined;
    if (current.fileChooser !== undefined) this.options.log(`service "${current.service.id}": a file chooser left open was cancelled with the service`);
    current.fileChooser = undefined;
    current.dialogGuard?.release();
    current.cancelHangTimer?.();
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
