/**
 * The screens wired to the real contract: buildKioskBridge over an in-memory transport
 * that hands each call to the real dispatchContractCall and createKioskHandlers, with
 * the real session controller (shared/session-machine) on a ManualClock. Only the
 * edges (how a service is shown, what a wipe does, which files were downloaded, who
 * hears a help call) are small test implementations that record what they were asked.
 * The help call's edge is a fake help desk (FakeHelpDesk): `help:changed` on every
 * change, the session's end cancels the call, and a test says how the first attempt
 * ends, holds it, or pushes what a helper did.
 *
 * Staff mode and the configuration editor are the real ones (electron/services/staff-mode.ts,
 * config-editor.ts) over a real configuration store in a temporary folder: the test's
 * configuration is written there as config.json, an optional managed file beside it, and
 * the staff PIN is hashed at a low scrypt cost. Folders are removed after each test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, render } from '@testing-library/react';
import { afterAll } from 'vitest';
import { buildKioskBridge, type BridgeTransport } from '../../shared/bridge';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig, type KioskConfigInput, type Service } from '../../shared/config/schema';
import type {
  EventChannel,
  HelpStatus,
  PayloadOf,
  ServiceArea,
  ServicePresentation,
  ServiceRefusal,
  SessionEndReason,
  VisitorFile,
  FileChooserOpened,
} from '../../shared/contract';
import { dispatchContractCall } from '../../shared/contract-dispatch';
import type { LanguageCode } from '../../shared/languages';
import type { DailyFigures } from '../../shared/statistics/daily-figures';
import { buildStatisticsExport, exportToCsv, exportToJson } from '../../shared/statistics/export-format';
import { summarizePeriod, type DateRange, type GroupBy } from '../../shared/statistics/period';
import {
  createKioskHandlers,
  type HelpChannel,
  type HelpRequest,
  type ServicePresenter,
  type StatisticsSource,
  type VisitorFiles,
  type VisitorSessions,
  type WipeReport,
} from '../../electron/services/kiosk-handlers';
import { createConfigEditor } from '../../electron/services/config-editor';
import { openConfigStore } from '../../electron/services/config-store';
import { createSessionController } from '../../electron/services/session-controller';
import { createStaffMode } from '../../electron/services/staff-mode';
import { openStaffPinStore } from '../../electron/services/staff-pin';
import { createMemoryUsageLog } from '../../electron/services/usage-log';
import { createKioskI18n } from '../../renderer/i18n/kiosk-i18n';
import { allVisitorTexts } from './support/all-texts';
import { KioskRoot } from '../../renderer/KioskRoot';
import { ManualClock } from '../support/manual-clock';

export function parsedConfig(input: KioskConfigInput = DEFAULT_CONFIG): KioskConfig {
  const result = parseKioskConfig(input);
  if (!result.ok) throw new Error(`test configuration is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** The default catalogue with other languages settings. */
export function configWithLanguages(offered: LanguageCode[], defaultLanguage: LanguageCode): KioskConfig {
  return parsedConfig({ ...DEFAULT_CONFIG, languages: { offered, default: defaultLanguage } });
}

/** The default catalogue with other session timings. */
export function configWithSession(session: Partial<KioskConfig['session']>): KioskConfig {
  const base = parsedConfig();
  return parsedConfig({ ...DEFAULT_CONFIG, session: { ...base.session, ...session } });
}

export class RecordingPresenter implements ServicePresenter {
  readonly opened: string[] = [];
  readonly areas: ServiceArea[] = [];
  closeCount = 0;
  backCount = 0;

  constructor(
    private readonly presentation: ServicePresentation,
    private readonly failOpen = false,
  ) {}

  async open(service: Service) {
    if (this.failOpen) throw new Error(`${service.id} refused to open`);
    this.opened.push(service.id);
    return { presentation: this.presentation, url: service.startUrl };
  }

  async back() {
    this.backCount += 1;
    return true;
  }

  async close() {
    this.closeCount += 1;
  }

  setArea(area: ServiceArea) {
    this.areas.push(area);
  }
}

/** Visitor sessions whose wipe succeeds (or not) as the test says, and can be held to see "Erasing…". */
export class RecordingSessions implements VisitorSessions {
  readonly begun: LanguageCode[] = [];
  readonly wipes: SessionEndReason[] = [];
  verified = true;
  #held: { release: () => void; promise: Promise<void> } | null = null;

  async begin(language: LanguageCode) {
    this.begun.push(language);
  }

  async wipe(reason: SessionEndReason): Promise<WipeReport> {
    this.wipes.push(reason);
    await this.#held?.promise;
    return { verified: this.verified, durationMs: 1, problems: this.verified ? [] : ['a test wipe that fails'] };
  }

  /** The next wipes wait until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = { release, promise };
    this.#held = held;
    return () => {
      if (this.#held === held) this.#held = null;
      held.release();
    };
  }

  /** Visitor sessions wiped (the start-up wipe is not one). */
  get endCount(): number {
    return this.wipes.filter((reason) => reason !== 'boot').length;
  }
}

/** How the first attempt of a help call ends (its `requestedAt` is the fake's own), or an Error: the call itself fails. */
export type HelpAnswer = Exclude<HelpStatus, { state: 'none' | 'calling' }> | Error;

/** Statuses for tests to answer or push; `requestedAt` is replaced by the call's own. */
export const HELP = {
  noChannel: { state: 'no-channel' },
  /** The EPN's hub took the call: "I'm coming" may follow. */
  called: { state: 'called', requestedAt: 0, canBeAcknowledged: true },
  /** Only a webhook took the call: no "I'm coming" will follow. */
  told: { state: 'called', requestedAt: 0, canBeAcknowledged: false },
  coming: { state: 'coming', requestedAt: 0 },
  unreachable: { state: 'unreachable', requestedAt: 0, nextAttemptAt: 0 },
} as const satisfies Record<string, Exclude<HelpStatus, { state: 'none' | 'calling' }>>;

function isOpen(status: HelpStatus): boolean {
  return status.state === 'calling' || status.state === 'called' || status.state === 'coming' || status.state === 'unreachable';
}

function withRequestedAt(status: Exclude<HelpStatus, { state: 'none' }>, requestedAt: number, now: number): HelpStatus {
  switch (status.state) {
    case 'no-channel':
      return status;
    case 'unreachable':
      return { ...status, requestedAt, nextAttemptAt: now + 5000 };
    default:
      return { ...status, requestedAt };
  }
}

/**
 * The main side's help service, in memory. A request goes to "calling", then to `answer`
 * once the first attempt is over (held while `hold()` holds it); a request while a call
 * is open changes nothing. Every change is pushed as `help:changed`.
 */
export class FakeHelpDesk implements HelpChannel {
  /** Each call for help that reached the help service (a press while a call is open does not). */
  readonly requests: HelpRequest[] = [];
  cancelCount = 0;
  current: HelpStatus = { state: 'none' };
  /** When set, help:cancel fails with it (the call stays open). */
  cancelFailure: Error | null = null;
  #held: Promise<void> | null = null;

  constructor(
    /** How the next calls' first attempt ends. */
    public answer: HelpAnswer,
    private readonly emit: (status: HelpStatus) => void,
    private readonly now: () => number,
  ) {}

  async request(request: HelpRequest): Promise<HelpStatus> {
    this.requests.push(request);
    if (isOpen(this.current)) return this.current;
    const answer = this.answer;
    if (answer instanceof Error) throw answer;
    const requestedAt = this.now();
    this.set({ state: 'calling', requestedAt });
    await this.#held;
    // Cancelled, or the session ended, meanwhile: the call is over.
    if (this.current.state !== 'calling' || this.current.requestedAt !== requestedAt) return this.current;
    this.set(withRequestedAt(answer, requestedAt, this.now()));
    return this.current;
  }

  async cancel(): Promise<HelpStatus> {
    this.cancelCount += 1;
    if (this.cancelFailure !== null) throw this.cancelFailure;
    if (this.current.state !== 'none') this.set({ state: 'none' });
    return this.current;
  }

  status(): HelpStatus {
    return this.current;
  }

  /** What happened on the main side: a helper said "I'm coming", the hub came back, a helper's "Done" (none)… */
  push(status: HelpStatus): void {
    const requestedAt = 'requestedAt' in this.current ? this.current.requestedAt : this.now();
    this.set(status.state === 'none' ? status : withRequestedAt(status, requestedAt, this.now()));
  }

  /** The session ended: any open call is cancelled. */
  sessionEnded(): void {
    if (this.current.state !== 'none') this.set({ state: 'none' });
  }

  /** The next first attempts wait until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#held = held;
    return () => {
      if (this.#held === held) this.#held = null;
      release();
    };
  }

  private set(status: HelpStatus): void {
    this.current = status;
    this.emit(status);
  }
}

export class TestFiles implements VisitorFiles {
  current: VisitorFile[] = [];
  /** Every answer to a file chooser the screens gave, in order. */
  readonly choices: { requestId: string; names: readonly string[] }[] = [];
  /** When set, every answer fails with it, as a chooser whose page went away would. */
  chooseFailure: Error | null = null;
  async list() {
    return this.current;
  }
  async choose(requestId: string, names: readonly string[]) {
    this.choices.push({ requestId, names: [...names] });
    if (this.chooseFailure !== null) throw this.chooseFailure;
  }
}

/**
 * The kiosk's figures as the usage store gives them, built with the real pure model
 * (shared/statistics): the summary of a period and its export with small counts suppressed.
 */
export class FiguresStatistics implements StatisticsSource {
  readonly summaries: Array<{ from: string; to: string; groupBy: GroupBy }> = [];
  readonly exports: Array<{ range: DateRange; format: 'csv' | 'json' }> = [];
  /** When set, every call fails with it, as a store that cannot answer would. */
  failure: Error | null = null;

  constructor(
    public days: readonly DailyFigures[],
    public storeWarning: string | null,
    private readonly config: () => KioskConfig,
  ) {}

  summary(range: { from: string; to: string; groupBy: GroupBy }) {
    this.summaries.push(range);
    if (this.failure !== null) throw this.failure;
    return { ...summarizePeriod(this.days, range), storeWarning: this.storeWarning };
  }

  exportFile(range: DateRange, format: 'csv' | 'json') {
    this.exports.push({ range, format });
    if (this.failure !== null) throw this.failure;
    const { kiosk, statistics } = this.config();
    const exported = buildStatisticsExport({
      kioskId: '00112233445566778899aabbccddeeff',
      // As the usage store does: an export names the kiosk and its site, nothing else of the configuration.
      kiosk: { name: kiosk.name, site: kiosk.site },
      exportedAt: Date.UTC(2025, 2, 20, 10, 0),
      period: range,
      threshold: statistics.suppressionThreshold,
      days: this.days,
    });
    const fileName = `epn-statistics-${range.from}-${range.to}.${format}`;
    return format === 'csv'
      ? { fileName, mediaType: 'text/csv; charset=utf-8', content: exportToCsv(exported) }
      : { fileName, mediaType: 'application/json', content: exportToJson(exported) };
  }
}

export interface TestMainSideOptions {
  readonly config?: KioskConfig;
  readonly presentation?: ServicePresentation;
  readonly failOpen?: boolean;
  /** How a help call's first attempt ends (no help channel by default). */
  readonly help?: HelpAnswer;
  /** Reading the configuration fails until `makeConfigReadable()` is called. */
  readonly configUnreadable?: boolean;
  /** The daily figures the statistics are built from (none by default). */
  readonly statisticsDays?: readonly DailyFigures[];
  /** What the usage store has to tell staff. */
  readonly storeWarning?: string | null;
  /** The statistics fail with this until the test clears `statistics.failure`. */
  readonly statisticsFailure?: Error;
  /** A managed configuration file (a partial configuration): its keys are locked for staff. */
  readonly managed?: Record<string, unknown>;
  /** A staff PIN already set (else the kiosk starts without one). */
  readonly staffPin?: string;
}

/** Scrypt at a low cost: many PINs stay quick in tests (a kiosk uses STAFF_PIN_SCRYPT_COST). */
const TEST_SCRYPT_COST = { N: 2 ** 10, r: 8, p: 1 } as const;

const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The main side in memory: the real handlers and session controller, events to in-memory subscribers. */
export function createTestMainSide(options: TestMainSideOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'epn-renderer-'));
  dataDirs.push(dataDir);
  const managedFile = join(dataDir, 'managed-config.json');
  if (options.managed !== undefined) writeFileSync(managedFile, JSON.stringify(options.managed));
  const writeLocalConfig = (next: KioskConfig) => writeFileSync(join(dataDir, 'config.json'), JSON.stringify(next, null, 2));
  writeLocalConfig(options.config ?? parsedConfig());
  const store = openConfigStore({ dataDir, managedConfigPath: options.managed === undefined ? null : managedFile, watch: false });
  let configUnreadable = options.configUnreadable ?? false;
  const clock = new ManualClock();
  const presenter = new RecordingPresenter(options.presentation ?? 'frame', options.failOpen ?? false);
  const sessions = new RecordingSessions();
  const files = new TestFiles();
  const usageLog = createMemoryUsageLog({ now: () => clock.now() });
  const subscribers = new Map<EventChannel, Set<(payload: unknown) => void>>();
  const log: string[] = [];
  /** Every channel the screens called, in order. */
  const calls: string[] = [];

  const current = () => {
    if (configUnreadable) throw new Error('the configuration cannot be read');
    return store.current();
  };
  const emit = <E extends EventChannel>(event: E, payload: PayloadOf<E>) => {
    for (const listener of [...(subscribers.get(event) ?? [])]) listener(payload);
  };
  const controller = createSessionController({
    // The timings of the configuration last readable (the controller keeps the last good ones itself too).
    settings: () => store.current().session,
    sessions,
    presenter,
    usageLog,
    clock,
    log: (line) => log.push(line),
  });
  const help = new FakeHelpDesk(options.help ?? HELP.noChannel, (status) => emit('help:changed', status), () => clock.now());
  controller.onChange((snapshot) => {
    // As the main side does: the session's end cancels the call, before the screens hear of the new phase.
    if (snapshot.phase !== 'active' && snapshot.phase !== 'idle-warning') help.sessionEnded();
    emit('session:changed', snapshot);
  });
  const statistics = new FiguresStatistics(options.statisticsDays ?? [], options.storeWarning ?? null, () => store.current());
  statistics.failure = options.statisticsFailure ?? null;
  const pinStore = openStaffPinStore({ dataDir, log: (line) => log.push(line), cost: TEST_SCRYPT_COST });
  const staff = createStaffMode({ pinStore, settings: () => store.current().staff, controller, clock, log: (line) => log.push(line) });
  staff.onChange((status) => emit('staff:changed', status));
  const configEditor = createConfigEditor({ store, dataDir, now: () => clock.now(), log: (line) => log.push(line) });
  store.onChange((next) => {
    // As the main side does: a configuration saved by staff (or written on disk) reaches the screens at once.
    emit('config:changed', next);
    controller.settingsChanged();
  });
  const pinReady = options.staffPin === undefined ? Promise.resolve() : pinStore.setPin(options.staffPin);
  const handlers = createKioskHandlers({ config: { current }, presenter, controller, files, help, statistics, staff, configEditor });
  // The start-up wipe closes the (absent) service too: the presenter's counts start after it.
  const booted = Promise.all([controller.boot(), pinReady]).then(() => {
    presenter.closeCount = 0;
  });

  const transport: BridgeTransport = {
    invoke: (channel, argument) => {
      calls.push(channel);
      return dispatchContractCall(handlers, channel, argument);
    },
    subscribe(event, listener) {
      const listeners = subscribers.get(event) ?? new Set();
      subscribers.set(event, listeners);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    transport,
    handlers,
    controller,
    clock,
    presenter,
    sessions,
    help,
    files,
    usageLog,
    statistics,
    staff,
    configEditor,
    store,
    dataDir,
    log,
    calls,
    booted,
    emit,
    subscriberCount: (event: EventChannel) => subscribers.get(event)?.size ?? 0,
    /** The main side found a new valid configuration on disk. */
    changeConfig(next: KioskConfig) {
      writeLocalConfig(next);
      // The store tells its listeners (config:changed) when the configuration in force changed.
      store.reload();
    },
    makeConfigReadable() {
      configUnreadable = false;
    },
  };
}

export interface TestKioskOptions extends TestMainSideOptions {
  /** The language i18next starts in, before the configuration arrives. */
  readonly startLanguage?: LanguageCode;
}

export function startTestKiosk(options: TestKioskOptions = {}) {
  const main = createTestMainSide(options);
  const bridge = buildKioskBridge(main.transport);
  const i18n = createKioskI18n(options.startLanguage ?? 'en', { resources: allVisitorTexts() });
  const view = render(<KioskRoot bridge={bridge} i18n={i18n} />);

  return {
    ...main,
    view,
    bridge,
    i18n,
    /** Moves the main side's clock (its timers fire) and lets the screens take in what it pushed. */
    async advance(ms: number) {
      await act(async () => {
        main.clock.advance(ms);
        await main.controller.whenIdle();
      });
    },
    /** A service page tried something the kiosk refused. */
    refuse(serviceId: string, refusal: ServiceRefusal) {
      act(() => main.emit('service:refused', { serviceId, refusal }));
    },
    /** Something happened to the help call on the main side (a helper said "I'm coming", "Done"…), pushed to the screens. */
    pushHelp(status: HelpStatus) {
      act(() => main.help.push(status));
    },
    /** A service page asked for a file: the main side asks the screens to offer "My files". */
    openFileChooser(request: FileChooserOpened) {
      act(() => main.emit('files:chooserOpened', request));
    },
    /** The visitor's downloads changed. */
    setFiles(list: VisitorFile[]) {
      main.files.current = list;
      act(() => main.emit('files:changed', list));
    },
  };
}
