/**
 * The Electron side of the composition root: the order in which the shell's pieces are
 * put in place, from process start to the launcher on screen.
 *
 * Before `ready`: refuse debugging switches, place the data folder, hold the single
 * instance lock, force the sandbox on every renderer, register the kiosk scheme, drop the
 * application menu and put the guards on every future webContents and session. After
 * `ready`: serve kiosk://app, guard the default session, build the visitor sessions and
 * the service presenter, let electron/main.ts compose the services, bind the contract to
 * IPC before the launcher loads (so its first call finds a handler), then open the window.
 *
 * Electron is passed in (run-kiosk-shell.ts gives the real module), so this order is
 * tested against the typed fake.
 */
import path from 'node:path';
import type {
  App,
  BrowserWindowConstructorOptions,
  CommandLine,
  Protocol,
  RenderProcessGoneDetails,
  WebPreferences,
} from 'electron';
import type { ContractHandlers } from '../../shared/contract';
import type { KioskConfig } from '../../shared/config/schema';
import type { ServicePresenter, VisitorSessions } from '../services/kiosk-handlers';
import { dataDirFromArguments, decideStartup } from './command-line';
import { bindContractToIpc, createLauncherEventSink, createLauncherFrameCheck, type EventReceiver, type InvokeRegistrar, type LauncherContents } from './ipc-binding';
import { KIOSK_SCHEME } from './kiosk-origin';
import { createKioskProtocolHandler, KIOSK_SCHEME_REGISTRATION } from './kiosk-protocol';
import { openKioskWindow, type KioskBrowserWindow } from './kiosk-window';
import { ElectronServicePresenter, type ServiceView, type ViewHost } from './service-views';
import type { ShellLog } from './shell-log';
import { ElectronVisitorSessions, type VisitorSession } from './visitor-sessions';
import { installWebContentsGuards, type GuardedSession, type GuardedWebContents } from './web-contents-guards';

/** The part of Electron's app the shell uses. */
export interface ShellApp extends Pick<App, 'exit' | 'setPath' | 'getPath' | 'requestSingleInstanceLock' | 'enableSandbox' | 'whenReady'> {
  readonly isPackaged: boolean;
  readonly commandLine: Pick<CommandLine, 'hasSwitch'>;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown;
  on(event: 'session-created', listener: (session: GuardedSession) => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'will-quit', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, contents: unknown, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>) => void): unknown;
}

/** The kiosk window as the shell uses it. */
export interface ShellWindow<View extends ServiceView> extends KioskBrowserWindow {
  readonly webContents: LauncherContents & EventReceiver;
  readonly contentView: ViewHost<View>;
  focus(): void;
}

/** The Electron APIs the shell uses, passed in by run-kiosk-shell.ts. */
export interface ShellElectron<Window extends ShellWindow<View>, View extends ServiceView> {
  readonly app: ShellApp;
  readonly protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  /** Menu.setApplicationMenu */
  readonly setApplicationMenu: (menu: null) => void;
  /** session.defaultSession, read once the app is ready. */
  readonly defaultSession: () => GuardedSession;
  /** session.fromPartition */
  readonly fromPartition: (partition: string) => VisitorSession;
  /** ipcMain (ipc-binding.ts loadElectronIpcMain) */
  readonly invokeRegistrar: InvokeRegistrar;
  /** new BrowserWindow(options) */
  readonly createWindow: (options: BrowserWindowConstructorOptions) => Window;
  /** new WebContentsView({ webPreferences }) */
  readonly createView: (webPreferences: WebPreferences) => View;
}

/** What the shell reads of its process, and where it finds the built launcher. */
export interface ShellEnvironment {
  readonly argv: readonly string[];
  readonly execArgv: readonly string[];
  readonly nodeOptions: string | undefined;
  readonly inspectorActive: boolean;
  /** dist/renderer: the built launcher served on kiosk://app. */
  readonly rendererRoot: string;
  /** dist/electron/preload.cjs */
  readonly preloadPath: string;
  readonly log: ShellLog;
  /** process.on('uncaughtException') and ('unhandledRejection'). */
  readonly onUncaughtError: (listener: (error: unknown) => void) => void;
}

/** What electron/main.ts receives to compose the main-side services. */
export interface ShellContext {
  readonly dataDir: string;
  readonly presenter: ServicePresenter;
  readonly sessions: VisitorSessions;
  readonly log: ShellLog;
}

/** The main-side services, as the shell needs them. */
export interface KioskServices {
  readonly handlers: ContractHandlers;
  /** Calls back with each new valid configuration; returns the unsubscribe function. */
  onConfigChanged(listener: (config: KioskConfig) => void): () => void;
  close(): void;
}

export type ComposeServices = (context: ShellContext) => KioskServices;

export type ShellOutcome = 'running' | 'refused';

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export async function startKioskShell<Window extends ShellWindow<View>, View extends ServiceView>(
  electron: ShellElectron<Window, View>,
  environment: ShellEnvironment,
  composeServices: ComposeServices,
): Promise<ShellOutcome> {
  const { app } = electron;
  const { log } = environment;

  // Electron shows an error dialog for an uncaught error unless someone listens: a visitor
  // must never see one, so errors go to the log and the kiosk stays up.
  environment.onUncaughtError((error) => log(`uncaught error, the kiosk keeps running: ${describe(error)}`));

  const decision = decideStartup({
    argv: environment.argv,
    execArgv: environment.execArgv,
    nodeOptions: environment.nodeOptions,
    hasChromiumSwitch: (name) => app.commandLine.hasSwitch(name),
    inspectorActive: environment.inspectorActive,
    isPackaged: app.isPackaged,
  });
  if (!decision.start) {
    log(decision.reason);
    app.exit(1);
    return 'refused';
  }
  if (decision.warning !== undefined) log(decision.warning);

  const dataDir = dataDirFromArguments(environment.argv);
  if (dataDir !== undefined) app.setPath('userData', path.resolve(dataDir));
  // The lock lives in the data folder: one kiosk per data folder.
  if (!app.requestSingleInstanceLock()) {
    log('another EPN Kiosk already runs on this data folder; this one stops');
    app.exit(0);
    return 'refused';
  }
  app.enableSandbox();
  electron.protocol.registerSchemesAsPrivileged([KIOSK_SCHEME_REGISTRATION]);
  electron.setApplicationMenu(null);

  // Set once the app is ready; until then no service view exists.
  const presenterHolder: { current?: ElectronServicePresenter<View> } = {};
  const guards = installWebContentsGuards(app, {
    isServiceContents: (contents) => presenterHolder.current?.owns(contents) ?? false,
    log,
  });
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('render-process-gone', (_event, _contents, details) => {
    log(`a page's process ended (${details.reason}, exit code ${details.exitCode})`);
  });

  await app.whenReady();
  electron.protocol.handle(KIOSK_SCHEME, createKioskProtocolHandler({ rendererRoot: environment.rendererRoot }));
  guards.guardSession(electron.defaultSession());

  let window: Window | undefined;
  const launcher = () => (window === undefined || window.isDestroyed() ? undefined : window);
  const sessions = new ElectronVisitorSessions({
    fromPartition: electron.fromPartition,
    closeServiceViews: () => presenterHolder.current?.close() ?? Promise.resolve(),
    log,
  });
  const servicePresenter = new ElectronServicePresenter<View>({
    createView: electron.createView,
    host: () => launcher()?.contentView,
    partitionForServiceView: () => sessions.partitionForServiceView(),
    log,
  });
  presenterHolder.current = servicePresenter;

  const services = composeServices({ dataDir: app.getPath('userData'), presenter: servicePresenter, sessions, log });
  const unbind = bindContractToIpc(electron.invokeRegistrar, services.handlers, createLauncherFrameCheck(() => launcher()?.webContents));
  const sink = createLauncherEventSink(() => launcher()?.webContents, log);
  const unsubscribe = services.onConfigChanged((config) => sink.emit('config:changed', config));

  const openWindow = () => {
    window = openKioskWindow({ createWindow: electron.createWindow, preloadPath: environment.preloadPath, mayClose: () => quitting, log });
  };
  openWindow();

  app.on('window-all-closed', () => {
    if (quitting) return;
    log('the kiosk window was closed; opening it again');
    void servicePresenter.close();
    openWindow();
  });
  app.on('second-instance', () => launcher()?.focus());
  app.on('will-quit', () => {
    unsubscribe();
    unbind();
    services.close();
  });
  return 'running';
}
