/**
 * The Electron side of the composition root: the order in which the shell's pieces are
 * put in place, from process start to the launcher on screen, and what keeps them there.
 *
 * Before `ready`: refuse debugging switches, place the data folder, hold the single
 * instance lock, force the sandbox on every renderer, switch off the Blink features no
 * page gets, register the kiosk scheme, drop the application menu and put the guards on
 * every future webContents and session. After `ready`: serve kiosk://app, guard the
 * default session, build the visitor sessions and the service presenter, let
 * electron/main.ts compose the services, bind the contract to IPC before the launcher
 * loads (so its first call finds a handler), wipe whatever a previous run left (boot),
 * then open the window.
 *
 * While the kiosk runs: session changes (which also set the service pages' zoom to the
 * visitor's text size), configuration changes, the help call's status,
 * staff mode's status, refusals, "My files" and a service page's file chooser (offered
 * "My files") go to the launcher as contract events; the
 * staff key chord, pressed in the launcher or in a service page, is kept from the page and
 * asks the launcher for the PIN pad; input in the launcher
 * and in service views feeds the idle counter; a launcher whose renderer crashes or
 * hangs is replaced after the visitor's session is wiped, with back-off when it repeats
 * (launcher-recovery.ts).
 *
 * Electron is passed in (run-kiosk-shell.ts gives the real module), so this order is
 * tested against the typed fake.
 */
import path from 'node:path';
import type {
  App,
  BrowserWindowConstructorOptions,
  CommandLine,
  InputEvent,
  Protocol,
  RenderProcessGoneDetails,
  Session,
  WebPreferences,
} from 'electron';
import type { ContractHandlers, HelpStatus, ServiceRefusal, SessionSnapshot, StaffStatus } from '../../shared/contract';
import type { KioskConfig } from '../../shared/config/schema';
import type { ServicePresenter, VisitorFiles, VisitorSessions } from '../services/kiosk-handlers';
import { createActivityThrottle, watchActivity } from './activity-watch';
import { startAppUpdater } from './app-updater';
import { dataDirFromArguments, decideStartup } from './command-line';
import type { EditMenuTemplate } from './edit-menu';
import { watchStaffChord } from './keyboard-lockdown';
import { bindContractToIpc, createLauncherEventSink, createLauncherFrameCheck, type EventReceiver, type InvokeRegistrar, type LauncherContents } from './ipc-binding';
import { KIOSK_SCHEME, LAUNCHER_URL } from './kiosk-origin';
import { createKioskProtocolHandler, KIOSK_SCHEME_REGISTRATION } from './kiosk-protocol';
import { openKioskWindow, type KioskBrowserWindow } from './kiosk-window';
import { NO_RECOVERY_YET, nextRecovery, UNRESPONSIVE_GRACE_MS, type RecoveryHistory } from './launcher-recovery';
import { ElectronServicePresenter, type ServiceView, type ViewHost } from './service-views';
import type { ShellLog } from './shell-log';
import { ElectronVisitorSessions, type KioskClipboard, type VisitorSession } from './visitor-sessions';
import { installWebContentsGuards, type GuardedSession, type GuardedWebContents } from './web-contents-guards';
import { DISABLED_BLINK_FEATURES, serviceWebPreferences } from './web-preferences';

/** The part of Electron's app the shell uses. */
export interface ShellApp extends Pick<App, 'exit' | 'setPath' | 'getPath' | 'requestSingleInstanceLock' | 'enableSandbox' | 'whenReady'> {
  readonly isPackaged: boolean;
  readonly commandLine: Pick<CommandLine, 'hasSwitch' | 'appendSwitch'>;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown;
  on(event: 'session-created', listener: (session: GuardedSession) => void): unknown;
  on(
    event: 'certificate-error',
    listener: (event: { preventDefault(): void }, webContents: unknown, url: string, error: string, certificate: unknown, callback: (isTrusted: boolean) => void) => void,
  ): unknown;
  on(event: 'select-client-certificate', listener: (event: { preventDefault(): void }, webContents: unknown, url: string, certificates: unknown, callback: () => void) => void): unknown;
  on(event: 'browser-window-created', listener: (event: unknown, window: { destroy(): void }) => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'will-quit', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, contents: unknown, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>) => void): unknown;
}

/** What the shell watches of the launcher's webContents, besides the contract. */
export interface LauncherLifecycle {
  forcefullyCrashRenderer(): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>) => void): unknown;
  on(event: 'unresponsive', listener: () => void): unknown;
  on(event: 'responsive', listener: () => void): unknown;
  on(event: 'input-event', listener: (event: unknown, input: Pick<InputEvent, 'type'>) => void): unknown;
}

/** The launcher's webContents as the shell uses it. */
export type ShellLauncherContents = LauncherContents & EventReceiver & LauncherLifecycle;

/** The kiosk window as the shell uses it. */
export interface ShellWindow<View extends ServiceView> extends KioskBrowserWindow {
  readonly webContents: ShellLauncherContents;
  readonly contentView: ViewHost<View>;
  focus(): void;
}

/** The Electron APIs the shell uses, passed in by run-kiosk-shell.ts. */
export interface ShellElectron<Window extends ShellWindow<View>, View extends ServiceView> {
  readonly app: ShellApp;
  readonly protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  /** Menu.setApplicationMenu */
  readonly setApplicationMenu: (menu: null) => void;
  /** Menu.buildFromTemplate(template).popup({ window }) */
  readonly popupMenu: (template: EditMenuTemplate, window: Window) => void;
  /** session.defaultSession, read once the app is ready: the launcher's session. */
  readonly defaultSession: () => GuardedSession & Pick<Session, 'clearStorageData'>;
  /** session.fromPartition */
  readonly fromPartition: (partition: string) => VisitorSession;
  /** ipcMain (ipc-binding.ts loadElectronIpcMain) */
  readonly invokeRegistrar: InvokeRegistrar;
  /** new BrowserWindow(options) */
  readonly createWindow: (options: BrowserWindowConstructorOptions) => Window;
  /** new WebContentsView({ webPreferences }) */
  readonly createView: (webPreferences: WebPreferences) => View;
  readonly clipboard: KioskClipboard;
}

/** Time as the shell waits on it; setTimeout unless a test moves time by hand. */
export interface ShellTimers {
  now(): number;
  /** Calls `callback` once after `delayMs`; returns the cancel function. */
  setTimer(callback: () => void, delayMs: number): () => void;
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
  /** Starts keeping the log in the data folder too, once the shell knows where that is. */
  readonly attachLogFile?: (dataDir: string) => void;
  /** process.on('uncaughtException') and ('unhandledRejection'). */
  readonly onUncaughtError: (listener: (error: unknown) => void) => void;
  readonly timers?: ShellTimers;
  /** The better-sqlite3 binary built for Electron (electron/services/native-binding.ts); undefined for the default one. */
  readonly sqliteNativeBinding?: string;
}

/** What electron/main.ts receives to compose the main-side services. */
export interface ShellContext {
  readonly dataDir: string;
  /** For openDatabase's `nativeBinding`: the Electron build of better-sqlite3, or undefined for the default. */
  readonly sqliteNativeBinding: string | undefined;
  readonly presenter: ServicePresenter;
  readonly sessions: VisitorSessions;
  readonly files: VisitorFiles;
  readonly log: ShellLog;
}

/** The part of the session controller (electron/services/session-controller.ts) the shell drives. */
export interface ShellSessionControl {
  snapshot(): SessionSnapshot;
  /** Calls back on every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Wipes whatever a previous run left; resolves when the welcome (or out-of-order) screen is due. */
  boot(): Promise<void>;
  activity(): void;
  /** The launcher crashed: the session in progress is wiped. */
  crashed(): Promise<void>;
}

/** The main-side services, as the shell needs them. */
export interface KioskServices {
  readonly handlers: ContractHandlers;
  readonly session: ShellSessionControl;
  /** Calls back with each new valid configuration; returns the unsubscribe function. */
  onConfigChanged(listener: (config: KioskConfig) => void): () => void;
  /** Calls back with each new status of the visitor's call for help; returns the unsubscribe function. */
  onHelpChanged(listener: (status: HelpStatus) => void): () => void;
  /** Calls back with each new status of staff mode; returns the unsubscribe function. */
  onStaffChanged(listener: (status: StaffStatus) => void): () => void;
  /** config.staff.keyChord in force. */
  staffKeyChord(): string;
  /** config.updates.feedUrl at start: the optional built-in updater's feed (app-updater.ts); absent or null, it stays off. */
  updateFeedUrl?(): string | null;
  close(): void;
}

export type ComposeServices = (context: ShellContext) => KioskServices;

export type ShellOutcome = 'running' | 'refused';

/** Where visitors' downloads folders live, under the kiosk's data folder. */
export const VISITOR_DOWNLOADS_FOLDER = 'visitor-downloads';

/** The same refusal from the same service is told to the launcher at most once in this time. */
export const REFUSAL_REPEAT_MS = 1_000;

const realTimers: ShellTimers = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
};

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
  const timers = environment.timers ?? realTimers;

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
  // Every renderer, whatever created it, also gets the features web-preferences.ts switches off.
  app.commandLine.appendSwitch('disable-blink-features', DISABLED_BLINK_FEATURES);
  // Reading aloud: on Linux, Chromium reaches the system's voices (speech-dispatcher) only when asked to; elsewhere the switch does nothing.
  app.commandLine.appendSwitch('enable-speech-dispatcher');
  electron.protocol.registerSchemesAsPrivileged([KIOSK_SCHEME_REGISTRATION]);
  electron.setApplicationMenu(null);

  // Set once the app is ready; until then no service view, visitor or launcher exists.
  const ready: {
    presenter?: ElectronServicePresenter<View>;
    sessions?: ElectronVisitorSessions;
    refuse?: (serviceId: string, refusal: ServiceRefusal) => void;
    askForPinPad?: () => void;
    staffKeyChord?: () => string;
  } = {};
  const guards = installWebContentsGuards(app, {
    isServiceContents: (contents) => ready.presenter?.owns(contents) ?? false,
    permissionRulesFor: (contents) => ready.presenter?.serviceShownIn(contents),
    keepsDownloads: (session) => ready.sessions?.ownsSession(session) ?? false,
    onRefused: (contents, refusal) => {
      const service = ready.presenter?.serviceShownIn(contents);
      if (service !== undefined) ready.refuse?.(service.id, refusal);
    },
    log,
  });
  let window: Window | undefined;
  const launcher = () => (window === undefined || window.isDestroyed() ? undefined : window);
  // Registered before any page exists: the launcher's page and every service view get it.
  app.on('web-contents-created', (_event, contents) =>
    watchStaffChord(contents, {
      keyChord: () => ready.staffKeyChord?.() ?? '',
      answersIn: () => (ready.presenter?.owns(contents) ?? false) || (launcher()?.webContents as unknown) === contents,
      onChord: () => ready.askForPinPad?.(),
    }),
  );
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('render-process-gone', (_event, _contents, details) => {
    log(`a page's process ended (${details.reason}, exit code ${details.exitCode})`);
  });
  let openingKioskWindow = false;
  app.on('browser-window-created', (_event, window) => {
    if (openingKioskWindow) return;
    // Every window.open is denied; a window that appears anyway is not the kiosk's.
    log('closed a window the kiosk did not open');
    window.destroy();
  });

  await app.whenReady();
  electron.protocol.handle(KIOSK_SCHEME, createKioskProtocolHandler({ rendererRoot: environment.rendererRoot }));
  const launcherSession = electron.defaultSession();
  guards.guardSession(launcherSession);

  const sink = createLauncherEventSink(() => launcher()?.webContents, log);

  const lastRefusals = new Map<string, number>();
  ready.refuse = (serviceId, refusal) => {
    const key = `${serviceId} ${refusal}`;
    const at = timers.now();
    const last = lastRefusals.get(key);
    if (last !== undefined && at - last < REFUSAL_REPEAT_MS && at >= last) return;
    lastRefusals.set(key, at);
    sink.emit('service:refused', { serviceId, refusal });
  };

  const userData = app.getPath('userData');
  environment.attachLogFile?.(userData);
  const sessions = new ElectronVisitorSessions({
    fromPartition: electron.fromPartition,
    launcherSession: () => launcherSession,
    closeServiceViews: () => ready.presenter?.close() ?? Promise.resolve(),
    downloadsRoot: path.join(userData, VISITOR_DOWNLOADS_FOLDER),
    clipboard: electron.clipboard,
    openProbePage: (partition) => electron.createView(serviceWebPreferences(partition)).webContents,
    onFilesChanged: (files) => sink.emit('files:changed', files),
    // The service on screen decides (its "downloads" option); with none on screen nothing is kept.
    downloadsAllowed: () => ready.presenter?.serviceOnScreenAllowsDownloads() ?? false,
    onDownloadRefused: (contents) => {
      const service = ready.presenter?.serviceShownIn(contents);
      if (service !== undefined) ready.refuse?.(service.id, 'download');
    },
    log,
  });
  ready.sessions = sessions;

  const control: { session?: ShellSessionControl } = {};
  const reportActivity = createActivityThrottle(() => control.session?.activity(), () => timers.now());

  const presenter = new ElectronServicePresenter<View>({
    createView: electron.createView,
    host: () => launcher()?.contentView,
    partitionForServiceView: () => sessions.partitionForServiceView(),
    onVisit: (url) => sessions.recordVisit(url),
    onRefused: (serviceId, refusal) => ready.refuse?.(serviceId, refusal),
    onServiceEnded: (serviceId, cause) => {
      log(`service "${serviceId}" was taken off the screen (${cause})`);
      ready.refuse?.(serviceId, 'page-ended');
    },
    onFileChooserOpened: (request) => sink.emit('files:chooserOpened', request),
    pathsForUpload: (names) => sessions.pathsForUpload(names),
    onInput: reportActivity,
    popupEditMenu: (template) => {
      const shown = launcher();
      if (shown !== undefined) electron.popupMenu(template, shown);
    },
    setTimer: (callback, delayMs) => timers.setTimer(callback, delayMs),
    log,
  });
  ready.presenter = presenter;

  // "My files": listed by the visitor's session, given to a page's file chooser by the presenter that holds it.
  const files: VisitorFiles = { list: () => sessions.list(), choose: (requestId, names) => presenter.chooseFiles(requestId, names) };
  const services = composeServices({ dataDir: userData, sqliteNativeBinding: environment.sqliteNativeBinding, presenter, sessions, files, log });
  control.session = services.session;
  const unbind = bindContractToIpc(electron.invokeRegistrar, services.handlers, createLauncherFrameCheck(() => launcher()?.webContents));
  const unsubscribeConfig = services.onConfigChanged((config) => sink.emit('config:changed', config));
  const unsubscribeHelp = services.onHelpChanged((status) => sink.emit('help:changed', status));
  const unsubscribeStaff = services.onStaffChanged((status) => sink.emit('staff:changed', status));
  ready.staffKeyChord = () => services.staffKeyChord();
  ready.askForPinPad = () => sink.emit('staff:entryRequested', {});
  const unsubscribeSession = services.session.onChange(() => {
    const snapshot = services.session.snapshot();
    // The service pages follow the visitor's text size; without a visitor, the snapshot's defaults put them back to normal.
    presenter.setTextSize(snapshot.display.textSize);
    sink.emit('session:changed', snapshot);
  });

  try {
    await services.session.boot();
  } catch (error) {
    // The controller turns a failed wipe into the out-of-order screen; a throw here is a bug, not a reason to show nothing.
    log(`the start-up wipe failed: ${describe(error)}`);
  }

  // The optional built-in updater: off unless config.updates.feedUrl is set and the app is packaged; installs only on quit.
  const updater = startAppUpdater({ feedUrl: services.updateFeedUrl?.(), isPackaged: app.isPackaged, setTimer: (callback, delayMs) => timers.setTimer(callback, delayMs), log });
  app.on('will-quit', () => updater.stop());

  let recoveryHistory: RecoveryHistory = NO_RECOVERY_YET;
  let recovering = false;
  const recoverLauncher = (what: string) => {
    if (recovering || quitting) return;
    recovering = true;
    const { delayMs, history } = nextRecovery(recoveryHistory, timers.now());
    recoveryHistory = history;
    log(`the launcher ${what}; the visitor's session is wiped and the launcher comes back in ${delayMs} ms`);
    services.session
      .crashed()
      .catch((error: unknown) => log(`the wipe after the launcher's crash failed: ${describe(error)}`))
      .then(
        () =>
          new Promise<void>((resolve) => {
            timers.setTimer(resolve, delayMs);
          }),
      )
      .then(() => {
        recovering = false;
        const shown = launcher();
        if (shown === undefined || quitting) return;
        shown.loadURL(LAUNCHER_URL).catch((error: unknown) => log(`the launcher did not load again: ${describe(error)}`));
      })
      .catch((error: unknown) => log(`the launcher could not be brought back: ${describe(error)}`));
  };

  const openWindow = () => {
    openingKioskWindow = true;
    try {
      window = openKioskWindow({ createWindow: electron.createWindow, preloadPath: environment.preloadPath, mayClose: () => quitting, log });
    } finally {
      openingKioskWindow = false;
    }
    const contents = window.webContents;
    watchActivity(contents, reportActivity);
    let cancelHangTimer: (() => void) | undefined;
    contents.on('render-process-gone', (_event, details) => {
      cancelHangTimer?.();
      recoverLauncher(`'s process ended (${details.reason}, exit code ${details.exitCode})`);
    });
    contents.on('unresponsive', () => {
      cancelHangTimer?.();
      cancelHangTimer = timers.setTimer(() => {
        cancelHangTimer = undefined;
        if (contents.isDestroyed()) return;
        contents.forcefullyCrashRenderer();
        recoverLauncher(' stopped responding');
      }, UNRESPONSIVE_GRACE_MS);
    });
    contents.on('responsive', () => {
      cancelHangTimer?.();
      cancelHangTimer = undefined;
    });
  };
  openWindow();

  app.on('window-all-closed', () => {
    if (quitting) return;
    log('the kiosk window was closed; opening it again');
    void presenter.close();
    openWindow();
  });
  app.on('second-instance', () => launcher()?.focus());
  app.on('will-quit', () => {
    unsubscribeSession();
    unsubscribeConfig();
    unsubscribeHelp();
    unsubscribeStaff();
    unbind();
    services.close();
  });
  return 'running';
}
