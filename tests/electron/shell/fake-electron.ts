/**
 * A small typed fake of exactly the Electron APIs the shell uses.
 *
 * Each fake is declared against the shell's own view of Electron (GuardedWebContents,
 * ServiceContents, ShellApp, …), and each of those views is a Pick<> of the real types in
 * node_modules/electron/electron.d.ts. The assertions at the end of this file check that
 * the real Electron types still fit those views: when Electron changes a signature the
 * shell relies on, this file (and the shell) stop compiling.
 *
 * The session fake keeps a little state (a cookie jar, per-site storage, a cache size) so
 * that the wipe's clear calls have an effect the probe can observe; `gaps` makes a clear
 * call resolve while leaving a kind of storage behind, as Electron has done (#12310,
 * #12322, #24130).
 */
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Clipboard,
  ClearStorageDataOptions,
  Cookie,
  CustomScheme,
  Debugger,
  DownloadItem,
  Event as ElectronEvent,
  HandlerDetails,
  IpcMain,
  LoadURLOptions,
  Protocol,
  Rectangle,
  Session,
  WebContents,
  WebContentsView,
  WebFrameMain,
  WebContentsPrintOptions,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';
import type { EditMenuTemplate } from '../../../electron/shell/edit-menu';
import type { ContractCallEvent, EventReceiver, InvokeRegistrar, LauncherContents } from '../../../electron/shell/ipc-binding';
import type { KioskBrowserWindow } from '../../../electron/shell/kiosk-window';
import type { ShellApp, ShellElectron, ShellLauncherContents, ShellWindow } from '../../../electron/shell/kiosk-shell';
import type { ProtocolDebugger } from '../../../electron/shell/page-dialog-guards';
import type { ServiceContents, ServiceView, ViewHost } from '../../../electron/shell/service-views';
import type { VisitorDownloadItem } from '../../../electron/shell/visitor-downloads';
import type { KioskClipboard, VisitorSession } from '../../../electron/shell/visitor-sessions';
import type { GuardedApp, GuardedSession, GuardedWebContents } from '../../../electron/shell/web-contents-guards';
import { PROBE_MARKER_ATTRIBUTE, PROBE_PATH, PROBE_SCRIPT, type ProbeReading } from '../../../electron/shell/wipe-probe';
import type { Envelope } from '../../../shared/contract';

type AnyListener = (...args: never[]) => unknown;

/** Records the order of notable calls across all fakes, for tests about sequence. */
export type Journal = string[];

class FakeEmitter {
  private readonly listeners = new Map<string, AnyListener[]>();

  on(event: string, listener: AnyListener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...values: unknown[]) => unknown)(...args);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An Electron event whose preventDefault() can be observed. */
export function preventableEvent<Params extends object>(params: Params): ElectronEvent<Params> {
  const state = { prevented: false };
  const event = {
    ...params,
    preventDefault: () => {
      state.prevented = true;
    },
    get defaultPrevented() {
      return state.prevented;
    },
  };
  return event satisfies ElectronEvent<Params>;
}

/** The details Electron gives with will-navigate, will-redirect and will-frame-navigate. */
export function navigationEvent(url: string, isMainFrame = true) {
  return preventableEvent({ url, isMainFrame, isSameDocument: false, frame: null });
}

type PermissionRequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type DevicePermissionHandler = Parameters<Session['setDevicePermissionHandler']>[0];
type ProtocolHandler = Parameters<Protocol['handle']>[1];

/** What one site keeps in a session, as a probe page there would count it. */
export type SiteStorage = Omit<ProbeReading, 'probeDocument' | 'sessionStorage'>;
export type StorageKind = keyof SiteStorage;

export const EMPTY_SITE: SiteStorage = { cookies: 0, localStorage: 0, indexedDB: 0, cacheStorage: 0, serviceWorkers: 0 };

/** clearStorageData's storage names, by the kind of site storage each one empties. */
const STORAGE_TYPE_OF: Readonly<Record<StorageKind, string>> = {
  cookies: 'cookies',
  localStorage: 'localstorage',
  indexedDB: 'indexdb',
  cacheStorage: 'cachestorage',
  serviceWorkers: 'serviceworkers',
};

export class FakeSession extends FakeEmitter implements GuardedSession, VisitorSession {
  permissionRequestHandler: PermissionRequestHandler = null;
  permissionCheckHandler: PermissionCheckHandler = null;
  devicePermissionHandler: DevicePermissionHandler = null;
  /** The clear calls made, in order. */
  readonly cleared: string[] = [];
  readonly clearStorageDataOptions: (ClearStorageDataOptions | undefined)[] = [];
  /** Names of clear calls that reject, to test a failing wipe. */
  readonly failingClears = new Set<string>();
  /** Kinds of storage every clear call leaves behind while resolving, like Electron's past gaps. */
  readonly gaps = new Set<StorageKind>();
  /** Per origin: what its pages stored. */
  readonly sites = new Map<string, SiteStorage>();
  cookieJar: Cookie[] = [];
  cacheBytes = 0;
  /** Pages of this session never finish loading (a site that does not answer). */
  hangingLoads = false;
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  readonly protocol = {
    handle: (scheme: string, handler: ProtocolHandler) => {
      if (this.protocolHandlers.has(scheme)) throw new Error(`the scheme ${scheme} is already handled`);
      this.protocolHandlers.set(scheme, handler);
    },
    unhandle: (scheme: string) => {
      this.protocolHandlers.delete(scheme);
    },
  };
  readonly cookies = {
    get: async () => [...this.cookieJar],
  };

  constructor(
    readonly partition: string,
    private readonly persistent = false,
    private readonly journal: Journal = [],
  ) {
    super();
  }

  /** A visitor's page on `origin` stored things. */
  store(origin: string, storage: Partial<SiteStorage>): void {
    const site = { ...(this.sites.get(origin) ?? EMPTY_SITE) };
    for (const [kind, count] of Object.entries(storage) as [StorageKind, number][]) site[kind] += count;
    this.sites.set(origin, site);
    for (let cookie = 0; cookie < (storage.cookies ?? 0); cookie += 1) {
      this.cookieJar.push({ name: `c${this.cookieJar.length}`, value: 'v', domain: new URL(origin).hostname, sameSite: 'lax' });
    }
  }

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }

  setDevicePermissionHandler(handler: DevicePermissionHandler): void {
    this.devicePermissionHandler = handler;
  }

  isPersistent(): boolean {
    return this.persistent;
  }

  getStoragePath(): string | null {
    return this.persistent ? `/fake/user-data/Partitions/${this.partition.replace(/^persist:/, '')}` : null;
  }

  getCacheSize(): Promise<number> {
    return Promise.resolve(this.cacheBytes);
  }

  private clear(name: string, kinds: readonly StorageKind[], alsoCache = false): Promise<void> {
    this.cleared.push(name);
    this.journal.push(`clear ${name} ${this.partition}`);
    if (this.failingClears.has(name)) return Promise.reject(new Error(`${name} failed`));
    for (const [origin, site] of this.sites) {
      const left = { ...site };
      for (const kind of kinds) if (!this.gaps.has(kind)) left[kind] = 0;
      this.sites.set(origin, left);
    }
    if (kinds.includes('cookies') && !this.gaps.has('cookies')) this.cookieJar = [];
    if (alsoCache) this.cacheBytes = 0;
    return Promise.resolve();
  }

  closeAllConnections(): Promise<void> {
    return this.clear('connections', []);
  }

  clearData(): Promise<void> {
    return this.clear('data', Object.keys(STORAGE_TYPE_OF) as StorageKind[], true);
  }

  clearStorageData(options?: ClearStorageDataOptions): Promise<void> {
    this.clearStorageDataOptions.push(options);
    const storages: readonly string[] = options?.storages ?? Object.values(STORAGE_TYPE_OF);
    const kinds = (Object.keys(STORAGE_TYPE_OF) as StorageKind[]).filter((kind) => storages.includes(STORAGE_TYPE_OF[kind]));
    return this.clear('storage', kinds);
  }

  clearCache(): Promise<void> {
    return this.clear('cache', [], true);
  }

  clearCodeCaches(): Promise<void> {
    return this.clear('code-caches', []);
  }

  clearAuthCache(): Promise<void> {
    return this.clear('auth', []);
  }

  clearHostResolverCache(): Promise<void> {
    return this.clear('host-resolver', []);
  }
}

export class FakeFrame {
  readonly sent: { channel: string; args: unknown[] }[] = [];

  constructor(
    public url: string,
    readonly processId: number,
    readonly routingId: number,
    readonly parent: FakeFrame | null = null,
  ) {}

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
}

/** webContents.debugger: records the DevTools protocol commands it is sent. */
export class FakeDebugger extends FakeEmitter implements ProtocolDebugger {
  attached = false;
  refuseAttach = false;
  readonly commands: { method: string; params: unknown; sessionId: string | undefined }[] = [];
  /** Methods that fail; with a `params` predicate, only when it matches. */
  readonly failing: { method: string; when?: (params: unknown) => boolean }[] = [];

  attach(): void {
    if (this.refuseAttach || this.attached) throw new Error('Debugger is already attached to the target');
    this.attached = true;
  }

  sendCommand(method: string, params?: unknown, sessionId?: string): Promise<unknown> {
    this.commands.push({ method, params, sessionId });
    const fails = this.failing.some((failure) => failure.method === method && (failure.when?.(params) ?? true));
    return fails ? Promise.reject(new Error(`${method} is not available`)) : Promise.resolve({});
  }

  /** The protocol event a page would cause. */
  message(method: string, params: unknown, sessionId = ''): void {
    this.emit('message', preventableEvent({}), method, params, sessionId);
  }

  detach(reason: string): void {
    this.attached = false;
    this.emit('detach', preventableEvent({}), reason);
  }

  sentTo(sessionId: string | undefined): string[] {
    return this.commands.filter((command) => command.sessionId === sessionId).map((command) => command.method);
  }
}

let nextProcessId = 10;

export class FakeWebContents extends FakeEmitter implements GuardedWebContents, ServiceContents, LauncherContents, EventReceiver {
  readonly mainFrame: FakeFrame;
  readonly loaded: { url: string; options?: LoadURLOptions }[] = [];
  readonly debugger = new FakeDebugger();
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  devToolsClosed = 0;
  crashedOnPurpose = 0;
  readonly prints: { options: WebContentsPrintOptions | undefined; callback: ((success: boolean, failureReason: string) => void) | undefined; finished?: boolean }[] = [];
  visualZoomLimits: [number, number] | undefined;
  /** The page's zoom factor: the view's webPreferences.zoomFactor (newWebContents), then setZoomFactor. */
  zoomFactor = 1;
  /** Every setZoomFactor call, in order. */
  readonly zoomFactorsSet: number[] = [];
  /**
   * What Chromium does to the zoom at a navigation (commitNavigation) or a Ctrl+wheel
   * (wheelZoom): 'kept' in the 'manual' zoom mode, as documented; 'reset' puts the page
   * back to 1 (a site's zoom restored) and 'followed' zooms by a step, as a mode that
   * handles zoom automatically would.
   */
  zoomBehaviour: 'kept' | 'reset' | 'followed' = 'kept';
  /** Set by a load the session's protocol handler answered: whether it was the probe document. */
  private probeDocument = false;
  private destroyed = false;
  private readonly history: string[] = [];
  private historyIndex = -1;
  readonly navigationHistory = {
    canGoBack: () => this.historyIndex > 0,
    goBack: () => {
      if (this.historyIndex > 0) this.historyIndex -= 1;
    },
  };

  constructor(
    readonly session: FakeSession,
    private readonly journal: Journal = [],
  ) {
    super();
    nextProcessId += 1;
    this.mainFrame = new FakeFrame('', nextProcessId, 1);
  }

  /** Where the page is, as the navigation history sees it. */
  currentUrl(): string | undefined {
    return this.history[this.historyIndex];
  }

  loadURL(url: string, options?: LoadURLOptions): Promise<void> {
    this.journal.push(`load ${url}`);
    this.loaded.push(options === undefined ? { url } : { url, options });
    this.history.splice(this.historyIndex + 1);
    this.history.push(url);
    this.historyIndex = this.history.length - 1;
    this.mainFrame.url = url;
    if (this.session.hangingLoads) return new Promise<void>(() => undefined);
    const handler = this.session.protocolHandlers.get(new URL(url).protocol.replace(':', ''));
    if (handler === undefined) return Promise.resolve();
    return Promise.resolve(handler(new Request(url))).then(async (response) => {
      this.probeDocument = (await response.text()).includes(`${PROBE_MARKER_ATTRIBUTE}="1"`);
    });
  }

  /** Only the wipe's probe script runs here: it reads what the session keeps for the page's origin. */
  executeJavaScript(code: string): Promise<unknown> {
    if (code !== PROBE_SCRIPT) return Promise.reject(new Error('the fake runs only the wipe probe script'));
    const site = this.session.sites.get(new URL(this.mainFrame.url).origin) ?? EMPTY_SITE;
    const reading: ProbeReading = { probeDocument: this.probeDocument, sessionStorage: 0, ...site };
    return Promise.resolve(reading);
  }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  setZoomFactor(factor: number): void {
    this.zoomFactorsSet.push(factor);
    // As Electron documents it: clamped to what Chromium can display.
    this.zoomFactor = Math.min(5, Math.max(0.25, factor));
  }

  getZoomFactor(): number {
    return this.zoomFactor;
  }

  /** The page's navigation to `url` commits (after loadURL, a link, a redirect), as Electron reports it. */
  commitNavigation(url: string, kind: 'document' | 'in-page' = 'document'): void {
    if (this.zoomBehaviour === 'reset') this.zoomFactor = 1;
    if (kind === 'document') this.emit('did-navigate', preventableEvent({}), url, 200, 'OK');
    else this.emit('did-navigate-in-page', preventableEvent({}), url, true, 1, 1);
  }

  /** The visitor turns the wheel with Ctrl held (or pinches a touchpad) over the page. */
  wheelZoom(direction: 'in' | 'out'): void {
    if (this.zoomBehaviour === 'followed') this.zoomFactor = Math.round((this.zoomFactor + (direction === 'in' ? 0.1 : -0.1)) * 100) / 100;
    this.emit('zoom-changed', preventableEvent({}), direction);
  }

  setVisualZoomLevelLimits(minimumLevel: number, maximumLevel: number): Promise<void> {
    this.visualZoomLimits = [minimumLevel, maximumLevel];
    return Promise.resolve();
  }

  closeDevTools(): void {
    this.devToolsClosed += 1;
  }

  /** webContents.print: the dialog stays "open" until the test answers it with finishPrint. */
  print(options?: WebContentsPrintOptions, callback?: (success: boolean, failureReason: string) => void): void {
    this.prints.push({ options, callback });
  }

  /** The visitor printed (true) or closed the print dialog (false) opened by the oldest print call still open. */
  finishPrint(success: boolean): void {
    const open = this.prints.find((call) => !call.finished);
    if (open === undefined) throw new Error('no print dialog is open');
    open.finished = true;
    open.callback?.(success, success ? '' : 'Print job canceled');
  }

  forcefullyCrashRenderer(): void {
    this.crashedOnPurpose += 1;
    this.crash('killed');
  }

  /** The renderer process ends, as Electron reports it. */
  crash(reason: 'crashed' | 'killed' | 'oom' = 'crashed'): void {
    this.emit('render-process-gone', preventableEvent({}), { reason, exitCode: reason === 'killed' ? 9 : 139 });
  }

  /** A visitor's input reaching the page. */
  input(type: 'mouseDown' | 'mouseMove' | 'mouseWheel' | 'keyDown' | 'rawKeyDown' | 'touchStart' | 'undefined' | 'pointerCausedUaAction'): void {
    this.emit('input-event', preventableEvent({}), { type });
  }

  close(): void {
    this.destroyed = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** What the page's window.open(url) would get from the handler the shell set. */
  openWindow(url: string, extra: Partial<HandlerDetails> = {}): WindowOpenHandlerResponse {
    if (this.windowOpenHandler === undefined) throw new Error('no window open handler was set');
    return this.windowOpenHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: '', policy: 'strict-origin-when-cross-origin' },
      ...extra,
    });
  }
}

export class FakeView implements ServiceView {
  readonly bounds: Rectangle[] = [];

  constructor(
    readonly webPreferences: WebPreferences,
    readonly webContents: FakeWebContents,
  ) {}

  setBounds(bounds: Rectangle): void {
    this.bounds.push({ ...bounds });
  }
}

export class FakeViewHost implements ViewHost<FakeView> {
  readonly children: FakeView[] = [];

  addChildView(view: FakeView): void {
    this.children.push(view);
  }

  removeChildView(view: FakeView): void {
    const index = this.children.indexOf(view);
    if (index !== -1) this.children.splice(index, 1);
  }
}

type AlwaysOnTopLevel = Parameters<BrowserWindow['setAlwaysOnTop']>[1];

export class FakeBrowserWindow extends FakeEmitter implements KioskBrowserWindow, ShellWindow<FakeView> {
  readonly contentView = new FakeViewHost();
  alwaysOnTop: { flag: boolean; level: AlwaysOnTopLevel } | undefined;
  menuRemoved = false;
  kiosk: boolean;
  restored = 0;
  focused = 0;
  private destroyed = false;

  constructor(
    readonly options: BrowserWindowConstructorOptions,
    readonly webContents: FakeWebContents,
  ) {
    super();
    this.kiosk = options.kiosk === true;
  }

  loadURL(url: string, options?: LoadURLOptions): Promise<void> {
    return this.webContents.loadURL(url, options);
  }

  setAlwaysOnTop(flag: boolean, level?: AlwaysOnTopLevel): void {
    this.alwaysOnTop = { flag, level };
  }

  removeMenu(): void {
    this.menuRemoved = true;
  }

  setKiosk(flag: boolean): void {
    this.kiosk = flag;
  }

  restore(): void {
    this.restored += 1;
  }

  focus(): void {
    this.focused += 1;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** What a close request (Alt+F4, the window manager) does; true when the window closed. */
  requestClose(): boolean {
    const event = preventableEvent({});
    this.emit('close', event);
    if (!event.defaultPrevented) {
      this.destroyed = true;
      this.webContents.close();
    }
    return !event.defaultPrevented;
  }
}

/** A download as Electron's session announces it with 'will-download'. */
export class FakeDownloadItem extends FakeEmitter implements VisitorDownloadItem {
  savePath: string | undefined;
  received = 0;
  cancelled = false;

  constructor(
    private readonly filename: string,
    private readonly totalBytes = 0,
  ) {
    super();
  }

  getFilename(): string {
    return this.filename;
  }

  setSavePath(path: string): void {
    this.savePath = path;
  }

  getReceivedBytes(): number {
    return this.received;
  }

  getTotalBytes(): number {
    return this.totalBytes;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.emit('done', preventableEvent({}), 'cancelled');
  }

  progress(bytes: number): void {
    this.received += bytes;
    this.emit('updated', preventableEvent({}), 'progressing');
  }

  complete(): void {
    this.emit('done', preventableEvent({}), 'completed');
  }

  interrupt(): void {
    this.emit('done', preventableEvent({}), 'interrupted');
  }
}

/** Emits 'will-download' on `session` as a page of `contents` would; true when the download was cancelled at once. */
export function startDownload(session: FakeSession, item: FakeDownloadItem, contents: unknown): boolean {
  const event = preventableEvent({});
  session.emit('will-download', event, item, contents);
  return event.defaultPrevented || item.cancelled;
}

export class FakeClipboard implements KioskClipboard {
  text = '';
  failClear = false;
  readonly selection = {
    text: '',
    clear: () => {
      this.selection.text = '';
    },
    readText: () => Promise.resolve(this.selection.text),
  };

  clear(): void {
    if (this.failClear) throw new Error('the clipboard is held by another application');
    this.text = '';
  }

  readText(): Promise<string> {
    return Promise.resolve(this.text);
  }
}

type Handler = Parameters<InvokeRegistrar['handle']>[1];

export class FakeIpcMain implements InvokeRegistrar {
  readonly handlers = new Map<string, Handler>();

  constructor(private readonly journal: Journal = []) {}

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.journal.push(`ipc ${channel}`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke(channel, ...args) from `event`'s frame would get. */
  async invoke(channel: string, event: ContractCallEvent, ...args: unknown[]): Promise<Envelope<unknown>> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

export class FakeApp extends FakeEmitter implements ShellApp, GuardedApp {
  readonly commandLine: { hasSwitch(name: string): boolean; appendSwitch(name: string, value?: string): void };
  readonly appendedSwitches: [string, string | undefined][] = [];
  readonly paths = new Map<string, string>([['userData', '/fake/user-data']]);
  exitCode: number | undefined;
  sandboxEnabled = false;
  singleInstance = true;
  private markReady: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });

  constructor(
    private readonly journal: Journal,
    chromiumSwitches: readonly string[] = [],
    readonly isPackaged = false,
  ) {
    super();
    this.commandLine = {
      hasSwitch: (name) => chromiumSwitches.includes(name),
      appendSwitch: (name, value) => {
        this.journal.push(`switch ${name}`);
        this.appendedSwitches.push([name, value]);
      },
    };
  }

  exit(exitCode?: number): void {
    this.journal.push(`exit ${exitCode}`);
    this.exitCode = exitCode ?? 0;
  }

  setPath(name: string, path: string): void {
    this.journal.push(`setPath ${name}`);
    this.paths.set(name, path);
  }

  getPath(name: Parameters<App['getPath']>[0]): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`no fake path for ${name}`);
    return path;
  }

  requestSingleInstanceLock(): boolean {
    this.journal.push('single instance lock');
    return this.singleInstance;
  }

  enableSandbox(): void {
    this.journal.push('enable sandbox');
    this.sandboxEnabled = true;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  ready(): void {
    this.journal.push('ready');
    this.markReady();
  }
}

export class FakeProtocol implements Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'> {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();

  constructor(private readonly journal: Journal) {}

  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
    this.journal.push(`register schemes ${customSchemes.map((scheme) => scheme.scheme).join(',')}`);
    this.privileged.push(...customSchemes);
  }

  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.journal.push(`handle ${scheme}`);
    this.handlers.set(scheme, handler);
  }
}

/** The whole fake Electron, wired like the real one: every new webContents and session is announced. */
export function createFakeElectron(options: { chromiumSwitches?: readonly string[]; isPackaged?: boolean; userData?: string } = {}) {
  const journal: Journal = [];
  const app = new FakeApp(journal, options.chromiumSwitches, options.isPackaged);
  if (options.userData !== undefined) app.paths.set('userData', options.userData);
  const protocol = new FakeProtocol(journal);
  const ipc = new FakeIpcMain(journal);
  const defaultSession = new FakeSession('', true, journal);
  const partitions = new Map<string, FakeSession>();
  const windows: FakeBrowserWindow[] = [];
  const views: FakeView[] = [];
  const menus: null[] = [];
  const popups: { template: EditMenuTemplate; window: FakeBrowserWindow }[] = [];
  const clipboard = new FakeClipboard();

  const sessionFor = (partition: string | undefined): FakeSession => {
    if (partition === undefined || partition === '') return defaultSession;
    let session = partitions.get(partition);
    if (session === undefined) {
      session = new FakeSession(partition, partition.startsWith('persist:'), journal);
      partitions.set(partition, session);
      app.emit('session-created', session);
    }
    return session;
  };
  const newWebContents = (preferences: WebPreferences | undefined) => {
    const contents = new FakeWebContents(sessionFor(preferences?.partition), journal);
    contents.zoomFactor = preferences?.zoomFactor ?? 1;
    app.emit('web-contents-created', preventableEvent({}), contents);
    return contents;
  };

  const electron = {
    app,
    protocol,
    setApplicationMenu: (menu: null) => {
      journal.push('menu removed');
      menus.push(menu);
    },
    popupMenu: (template: EditMenuTemplate, window: FakeBrowserWindow) => {
      popups.push({ template, window });
    },
    defaultSession: () => defaultSession,
    fromPartition: (partition: string) => sessionFor(partition),
    invokeRegistrar: ipc,
    createWindow: (windowOptions: BrowserWindowConstructorOptions) => {
      journal.push('window');
      app.emit('browser-window-created', preventableEvent({}), { destroy: () => journal.push('destroyed a window') });
      const window = new FakeBrowserWindow(windowOptions, newWebContents(windowOptions.webPreferences));
      windows.push(window);
      return window;
    },
    createView: (webPreferences: WebPreferences) => {
      const view = new FakeView(webPreferences, newWebContents(webPreferences));
      views.push(view);
      return view;
    },
    clipboard,
  } satisfies ShellElectron<FakeBrowserWindow, FakeView>;

  /** Views showing a service (not the wipe's probe pages, which are never attached). */
  const serviceViews = () => views.filter((view) => !view.webContents.loaded.some((load) => new URL(load.url).pathname === PROBE_PATH));

  return { electron, journal, app, protocol, ipc, defaultSession, partitions, windows, views, serviceViews, menus, popups, clipboard };
}

// The real Electron types must still fit the shell's view of them (see the top of this file).
export type RealElectronFitsTheShell = [
  WebContents extends GuardedWebContents & ServiceContents & ShellLauncherContents ? true : never,
  Session extends GuardedSession & VisitorSession ? true : never,
  BrowserWindow extends ShellWindow<WebContentsView> ? true : never,
  WebContentsView extends ServiceView ? true : never,
  App extends ShellApp & GuardedApp ? true : never,
  IpcMain extends InvokeRegistrar ? true : never,
  WebFrameMain extends NonNullable<ContractCallEvent['senderFrame']> ? true : never,
  Debugger extends ProtocolDebugger ? true : never,
  DownloadItem extends VisitorDownloadItem ? true : never,
  Clipboard extends KioskClipboard ? true : never,
];
export const realElectronFitsTheShell: RealElectronFitsTheShell = [true, true, true, true, true, true, true, true, true, true];
