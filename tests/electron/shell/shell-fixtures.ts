/**
 * A small configuration, the real main-side services built on it, and the shell's own
 * pieces (presenter, visitor sessions) wired to the typed fake: the shell is exercised
 * against the same handlers and session controller the kiosk runs, not stand-ins.
 */
import { parseKioskConfig, type KioskConfig, type KioskConfigInput, type Service } from '../../../shared/config/schema';
import type { FileChooserOpened, ServiceRefusal, VisitorFile } from '../../../shared/contract';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHelpService, type HelpService } from '../../../electron/services/help-client';
import { createKioskHandlers, type StaffConfigEditor, type StatisticsSource, type VisitorFiles } from '../../../electron/services/kiosk-handlers';
import { summarizePeriod } from '../../../shared/statistics/period';
import { createSessionController, type SessionController } from '../../../electron/services/session-controller';
import { createStaffMode, type StaffMode } from '../../../electron/services/staff-mode';
import { openStaffPinStore } from '../../../electron/services/staff-pin';
import { createMemoryUsageLog, type MemoryUsageLog } from '../../../electron/services/usage-log';
import type { EditMenuTemplate } from '../../../electron/shell/edit-menu';
import type { ComposeServices } from '../../../electron/shell/kiosk-shell';
import { ElectronServicePresenter, type ServiceEndCause } from '../../../electron/shell/service-views';
import { ElectronVisitorSessions, type ElectronVisitorSessionsOptions } from '../../../electron/shell/visitor-sessions';
import { ManualClock } from '../../support/manual-clock';
import { FakeClipboard, FakeSession, FakeView, FakeViewHost, FakeWebContents } from './fake-electron';

export const TEST_CONFIG_INPUT = {
  schemaVersion: 1,
  kiosk: { name: 'PC 3', site: 'EPN de Test' },
  languages: { offered: ['fr', 'en'], default: 'fr' },
  themes: [{ id: 'administration', icon: 'building' }],
  services: [
    {
      id: 'taxes',
      label: { fr: 'Impôts', en: 'Taxes' },
      theme: 'administration',
      icon: 'tax',
      startUrl: 'https://www.example.be/start',
      allowedDomains: ['example.be', 'login.example.org'],
    },
    {
      id: 'library',
      label: { fr: 'Bibliothèque', en: 'Library' },
      theme: 'administration',
      icon: 'document',
      startUrl: 'http://192.168.1.20/',
      allowedDomains: ['192.168.1.20'],
      UNSAFE_allowHttpHosts: ['192.168.1.20'],
    },
    {
      id: 'doctor',
      label: { fr: 'Consultation vidéo', en: 'Video consultation' },
      theme: 'administration',
      icon: 'document',
      startUrl: 'https://consult.example.net/',
      allowedDomains: ['consult.example.net'],
      permissions: ['camera', 'microphone'],
    },
  ],
} satisfies KioskConfigInput;

export function testConfig(input: KioskConfigInput = TEST_CONFIG_INPUT): KioskConfig {
  const parsed = parseKioskConfig(input);
  if (!parsed.ok) throw new Error(`the test configuration is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

export function testService(id: string, config: KioskConfig = testConfig()): Service {
  const service = config.services.find((candidate) => candidate.id === id);
  if (service === undefined) throw new Error(`no service ${id} in the test configuration`);
  return service;
}

/** A configuration source whose configuration the test can change, with change listeners. */
export function changeableConfig(initial: KioskConfig = testConfig()) {
  let config = initial;
  const listeners = new Set<(next: KioskConfig) => void>();
  let closed = false;
  return {
    current: () => config,
    change(next: KioskConfig) {
      config = next;
      for (const listener of listeners) listener(next);
    },
    onChange(listener: (next: KioskConfig) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
    },
    isClosed: () => closed,
  };
}

export interface ComposedServices {
  dataDir?: string;
  controller?: SessionController;
  usageLog?: MemoryUsageLog;
  help?: HelpService;
  staff?: StaffMode;
}

/**
 * The real help service on the test configuration. The shell tests configure no hub and
 * no webhook, so it never touches the network: Help answers "no channel".
 */
export function helpServiceFor(config: { current(): KioskConfig }, dataDir: string, usageLog: MemoryUsageLog, clock: ManualClock, log: (line: string) => void = () => {}): HelpService {
  return createHelpService({
    settings: () => config.current().help,
    kiosk: () => config.current().kiosk,
    credentialFile: join(dataDir, 'hub-credential.json'),
    usageLog,
    clock,
    log,
  });
}

/** What electron/main.ts composes, over a configuration and a clock the test controls. */
/** The shell tests keep no usage figures: an empty period, and no export. */
export const emptyStatistics: StatisticsSource = {
  summary: (query) => ({ ...summarizePeriod([], query), storeWarning: null }),
  exportFile: () => {
    throw new Error('the shell tests keep no statistics to export');
  },
};

/** The shell tests never edit the configuration: the staff screen's settings are config-editor.ts's own tests. */
export const untouchedConfigEditor: StaffConfigEditor = {
  view: () => {
    throw new Error('the shell tests do not edit the configuration');
  },
  save: () => {
    throw new Error('the shell tests do not edit the configuration');
  },
  checkFile: () => {
    throw new Error('the shell tests do not edit the configuration');
  },
  exportFile: () => {
    throw new Error('the shell tests do not edit the configuration');
  },
  changeLog: () => [],
};

/** A low scrypt cost: the shell tests set and type PINs, they do not measure the hash. */
export const TEST_PIN_COST = { N: 2 ** 10, r: 8, p: 1 } as const;

/**
 * Real staff mode, its PIN file in a temporary folder of its own (the fake's data folder
 * is not a real one). The folder is created only when a PIN is set; `remove` deletes it.
 * With `pinFolder`, the test names the folder and removes it itself.
 */
export function staffModeFor(
  config: { current(): KioskConfig },
  controller: SessionController,
  clock: ManualClock,
  log: (line: string) => void = () => {},
  pinFolder?: string,
): { staff: StaffMode; remove(): void } {
  const folder = pinFolder ?? join(tmpdir(), `epn-shell-staff-${randomUUID()}`);
  const staff = createStaffMode({ pinStore: openStaffPinStore({ dataDir: folder, log, cost: TEST_PIN_COST }), settings: () => config.current().staff, controller, clock, log });
  return {
    staff,
    remove: () => {
      staff.shutdown();
      if (pinFolder === undefined) rmSync(folder, { recursive: true, force: true });
    },
  };
}

export function composeWith(config: ReturnType<typeof changeableConfig>, composed: ComposedServices = {}, clock: ManualClock = new ManualClock()): ComposeServices {
  return ({ dataDir, presenter, sessions, files, log }) => {
    const usageLog = createMemoryUsageLog({ now: () => clock.now() });
    const controller = createSessionController({ settings: () => config.current().session, sessions, presenter, usageLog, clock, log });
    const help = helpServiceFor(config, dataDir, usageLog, clock, log);
    const stopFollowingSession = controller.onChange((snapshot) => help.sessionChanged(snapshot));
    const { staff, remove: removeStaff } = staffModeFor(config, controller, clock, log);
    Object.assign(composed, { dataDir, controller, usageLog, help, staff });
    return {
      handlers: createKioskHandlers({ config, presenter, controller, files, help, statistics: emptyStatistics, staff, configEditor: untouchedConfigEditor }),
      session: controller,
      onConfigChanged: (listener) => {
        const unsubscribe = config.onChange(listener);
        return () => {
          unsubscribe();
        };
      },
      onHelpChanged: (listener) => help.onChange(listener),
      onStaffChanged: (listener) => staff.onChange(listener),
      staffKeyChord: () => config.current().staff.keyChord,
      close: () => {
        removeStaff();
        stopFollowingSession();
        help.close();
        controller.close();
        config.close();
      },
    };
  };
}

export interface ShellPartsOptions extends Partial<Pick<ElectronVisitorSessionsOptions, 'downloadsRoot' | 'randomId' | 'probeTimeoutMs' | 'maxDownloadBytes'>> {
  /** Partitions come back persistent, as a misconfigured Electron would give them. */
  readonly persistentPartitions?: boolean;
  /** Runs on each new service view before the presenter guards it. */
  readonly prepareView?: (view: FakeView) => void;
}

/**
 * The presenter and the visitor sessions wired to each other and to fakes, without the
 * rest of the shell: what the presenter and the wipe tell the shell is recorded.
 */
export function buildShellParts(options: ShellPartsOptions = {}) {
  const host = new FakeViewHost();
  const views: FakeView[] = [];
  const probePages: FakeWebContents[] = [];
  const partitions = new Map<string, FakeSession>();
  const journal: string[] = [];
  const fromPartition = (name: string) => {
    let session = partitions.get(name);
    if (session === undefined) {
      session = new FakeSession(name, options.persistentPartitions === true || name.startsWith('persist:'), journal);
      partitions.set(name, session);
    }
    return session;
  };
  const launcherSession = new FakeSession('', true, journal);
  const clipboard = new FakeClipboard();
  const clock = new ManualClock();
  const log: string[] = [];
  const events = {
    refusals: [] as [string, ServiceRefusal][],
    ended: [] as [string, ServiceEndCause][],
    inputs: [] as string[],
    visits: [] as string[],
    menus: [] as EditMenuTemplate[],
    files: [] as VisitorFile[][],
    downloadRefusals: [] as unknown[],
    fileChoosers: [] as FileChooserOpened[],
  };
  let hostAvailable = true;
  const holder: { presenter?: ElectronServicePresenter<FakeView> } = {};
  const sessions = new ElectronVisitorSessions({
    fromPartition,
    launcherSession: () => launcherSession,
    closeServiceViews: async () => {
      journal.push('close views');
      await holder.presenter?.close();
    },
    downloadsRoot: options.downloadsRoot ?? '/nonexistent/epn-kiosk-test/visitor-downloads',
    clipboard,
    openProbePage: (partition) => {
      const page = new FakeWebContents(fromPartition(partition), journal);
      probePages.push(page);
      return page;
    },
    onFilesChanged: (files) => events.files.push(files),
    onDownloadRefused: (contents) => events.downloadRefusals.push(contents),
    // The presenter's rule, wired as kiosk-shell.ts wires it.
    downloadsAllowed: () => holder.presenter?.serviceOnScreenAllowsDownloads() ?? false,
    log: (line) => log.push(line),
    ...(options.randomId === undefined ? {} : { randomId: options.randomId }),
    ...(options.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: options.probeTimeoutMs }),
    ...(options.maxDownloadBytes === undefined ? {} : { maxDownloadBytes: options.maxDownloadBytes }),
  });
  const presenter = new ElectronServicePresenter<FakeView>({
    createView: (webPreferences) => {
      const view = new FakeView(webPreferences, new FakeWebContents(fromPartition(webPreferences.partition!), journal));
      // As Electron does: the page starts at the zoom its web preferences give.
      view.webContents.zoomFactor = webPreferences.zoomFactor ?? 1;
      options.prepareView?.(view);
      views.push(view);
      return view;
    },
    host: () => (hostAvailable ? host : undefined),
    partitionForServiceView: () => sessions.partitionForServiceView(),
    onVisit: (url) => {
      events.visits.push(url);
      sessions.recordVisit(url);
    },
    onRefused: (serviceId, refusal) => events.refusals.push([serviceId, refusal]),
    onServiceEnded: (serviceId, cause) => events.ended.push([serviceId, cause]),
    onFileChooserOpened: (request) => events.fileChoosers.push(request),
    pathsForUpload: (names) => sessions.pathsForUpload(names),
    onInput: (type) => events.inputs.push(type),
    popupEditMenu: (template) => events.menus.push(template),
    setTimer: (callback, delayMs) => clock.setTimer(callback, delayMs),
    log: (line) => log.push(line),
  });
  holder.presenter = presenter;
  // "My files" as kiosk-shell.ts wires it: listed by the visitor's session, given by the presenter.
  const files: VisitorFiles = { list: () => sessions.list(), choose: (requestId, names) => presenter.chooseFiles(requestId, names) };
  return {
    files,
    host,
    views,
    probePages,
    partitions,
    launcherSession,
    clipboard,
    clock,
    journal,
    log,
    events,
    sessions,
    presenter,
    removeHost: () => {
      hostAvailable = false;
    },
    /** The real session controller over these parts. */
    controller: (config = changeableConfig()) =>
      createSessionController({ settings: () => config.current().session, sessions, presenter, usageLog: createMemoryUsageLog(), clock, log: (line) => log.push(line) }),
  };
}
