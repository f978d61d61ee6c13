/**
 * A small typed fake of exactly the Electron APIs the shell uses.
 *
 * Each fake is declared against the shell's own view of Electron (GuardedWebContents,
 * ServiceContents, ShellApp, …), and each of those views is a Pick<> of the real types in
 * node_modules/electron/electron.d.ts. The assertions at the end of this file check that
 * the real Electron types still fit those views: when Electron changes a signature the
 * shell relies on, this file (and the shell) stop compiling.
 */
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  CustomScheme,
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
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';
import type { ContractCallEvent, EventReceiver, InvokeRegistrar, LauncherContents } from '../../../electron/shell/ipc-binding';
import type { KioskBrowserWindow } from '../../../electron/shell/kiosk-window';
import type { ShellApp, ShellElectron, ShellWindow } from '../../../electron/shell/kiosk-shell';
import type { ServiceContents, ServiceView, ViewHost } from '../../../electron/shell/service-views';
import type { VisitorSession } from '../../../electron/shell/visitor-sessions';
import type { GuardedApp, GuardedSession, GuardedWebContents } from '../../../electron/shell/web-contents-guards';
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

export class FakeSession extends FakeEmitter implements GuardedSession, VisitorSession {
  permissionRequestHandler: PermissionRequestHandler = null;
  permissionCheckHandler: PermissionCheckHandler = null;
  devicePermissionHandler: DevicePermissionHandler = null;
  readonly cleared: string[] = [];
  /** Names of clear calls that reject, to test a failing wipe. */
  readonly failingClears = new Set<string>();

  constructor(
    readonly partition: string,
    private readonly persistent = false,
  ) {
    super();
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

  private clear(name: string): Promise<void> {
    this.cleared.push(name);
    return this.failingClears.has(name) ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
  }

  clearStorageData(): Promise<void> {
    return this.clear('storage');
  }

  clearCache(): Promise<void> {
    return this.clear('cache');
  }

  clearAuthCache(): Promise<void> {
    return this.clear('auth');
  }

  clearHostResolverCache(): Promise<void> {
    return this.clear('host-resolver');
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

let nextProcessId = 10;

export class FakeWebContents extends FakeEmitter implements GuardedWebContents, ServiceContents, LauncherContents, EventReceiver {
  readonly mainFrame: FakeFrame;
  readonly loaded: { url: string; options?: LoadURLOptions }[] = [];
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  devToolsClosed = 0;
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
    return Promise.resolve();
  }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  closeDevTools(): void {
    this.devToolsClosed += 1;
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
  readonly commandLine: { hasSwitch(name: string): boolean };
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
    this.commandLine = { hasSwitch: (name) => chromiumSwitches.includes(name) };
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

/** The whole fake Electron, wired like the real one: every new webContents is announced. */
export function createFakeElectron(options: { chromiumSwitches?: readonly string[]; isPackaged?: boolean } = {}) {
  const journal: Journal = [];
  const app = new FakeApp(journal, options.chromiumSwitches, options.isPackaged);
  const protocol = new FakeProtocol(journal);
  const ipc = new FakeIpcMain(journal);
  const defaultSession = new FakeSession('');
  const partitions = new Map<string, FakeSession>();
  const windows: FakeBrowserWindow[] = [];
  const views: FakeView[] = [];
  const menus: null[] = [];

  const sessionFor = (partition: string | undefined): FakeSession => {
    if (partition === undefined || partition === '') return defaultSession;
    let session = partitions.get(partition);
    if (session === undefined) {
      session = new FakeSession(partition, partition.startsWith('persist:'));
      partitions.set(partition, session);
      app.emit('session-created', session);
    }
    return session;
  };
  const newWebContents = (preferences: WebPreferences | undefined) => {
    const contents = new FakeWebContents(sessionFor(preferences?.partition), journal);
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
    defaultSession: () => defaultSession,
    fromPartition: (partition: string) => sessionFor(partition),
    invokeRegistrar: ipc,
    createWindow: (windowOptions: BrowserWindowConstructorOptions) => {
      journal.push('window');
      const window = new FakeBrowserWindow(windowOptions, newWebContents(windowOptions.webPreferences));
      windows.push(window);
      return window;
    },
    createView: (webPreferences: WebPreferences) => {
      const view = new FakeView(webPreferences, newWebContents(webPreferences));
      views.push(view);
      return view;
    },
  } satisfies ShellElectron<FakeBrowserWindow, FakeView>;

  return { electron, journal, app, protocol, ipc, defaultSession, partitions, windows, views, menus };
}

// The real Electron types must still fit the shell's view of them (see the top of this file).
export type RealElectronFitsTheShell = [
  WebContents extends GuardedWebContents & ServiceContents & LauncherContents & EventReceiver ? true : never,
  Session extends GuardedSession & VisitorSession ? true : never,
  BrowserWindow extends ShellWindow<WebContentsView> ? true : never,
  WebContentsView extends ServiceView ? true : never,
  App extends ShellApp & GuardedApp ? true : never,
  IpcMain extends InvokeRegistrar ? true : never,
  WebFrameMain extends NonNullable<ContractCallEvent['senderFrame']> ? true : never,
];
export const realElectronFitsTheShell: RealElectronFitsTheShell = [true, true, true, true, true, true, true];
