/**
 * The main side's handlers, called the way every transport calls them: through
 * dispatchContractCall, with small working implementations of the injected interfaces.
 */
import { previewVisitorFiles } from '../../../electron/preview/preview-sessions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig, type Service } from '../../../shared/config/schema';
import { dispatchContractCall } from '../../../shared/contract-dispatch';
import {
  MAX_STATISTICS_EXPORT_CHARS,
  SessionSnapshotSchema,
  StatisticsExportFileSchema,
  StatisticsSummarySchema,
  type ContractHandlers,
  type HelpStatus,
  type ConfigChange,
  type ConfigCheckResult,
  type ServiceArea,
  type SessionEndReason,
  type StaffConfigView,
  type StatisticsExportFormat,
  type VisitorFile,
} from '../../../shared/contract';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../../../shared/display-settings';
import type { LanguageCode } from '../../../shared/languages';
import { rollUpDay, type DailyFigures, type StoredEvent } from '../../../shared/statistics/daily-figures';
import { buildStatisticsExport, exportToCsv, exportToJson, parseStatisticsExportJson, CSV_HEADER, CSV_SUPPRESSED } from '../../../shared/statistics/export-format';
import { summarizePeriod, type DateRange, type GroupBy } from '../../../shared/statistics/period';
import type { UsageEvent } from '../../../shared/usage-events';
import {
  createKioskHandlers,
  type ConfigSource,
  type HelpChannel,
  type HelpRequest,
  type ServicePresenter,
  type StaffConfigEditor,
  type StatisticsSource,
  type VisitorFiles,
  type VisitorSessions,
  type WipeReport,
} from '../../../electron/services/kiosk-handlers';
import { createSessionController, type SessionController } from '../../../electron/services/session-controller';
import { createStaffMode, type StaffMode } from '../../../electron/services/staff-mode';
import { openStaffPinStore } from '../../../electron/services/staff-pin';
import { createMemoryUsageLog, type MemoryUsageLog } from '../../../electron/services/usage-log';
import { USAGE_DATABASE_FILE_NAME, openUsageStore, type UsageStore } from '../../../electron/services/usage-store';
import { TEST_KIOSK_ID, brusselsWinterDay, freshFolder, storedRows, testConfig } from './fixtures/usage-test-kit';
import { ManualClock } from '../../support/manual-clock';

/** Everything the kiosk did, in the order it did it. */
type Step =
  | { readonly step: 'presenter.open'; readonly serviceId: string }
  | { readonly step: 'presenter.back' }
  | { readonly step: 'presenter.close' }
  | { readonly step: 'presenter.setArea'; readonly area: ServiceArea }
  | { readonly step: 'sessions.begin'; readonly language: LanguageCode }
  | { readonly step: 'sessions.wipe'; readonly reason: SessionEndReason }
  | { readonly step: 'help.request'; readonly request: HelpRequest }
  | { readonly step: 'help.cancel' };

function configNamed(kioskName: string): KioskConfig {
  const parsed = parseKioskConfig({ ...DEFAULT_CONFIG, kiosk: { name: kioskName, site: 'EPN de Namur' } });
  if (!parsed.ok) throw new Error(parsed.problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n'));
  return parsed.config;
}

/** A presenter that keeps a history, so Back works as a visitor expects. */
class HistoryPresenter implements ServicePresenter {
  private history: string[] = [];
  constructor(private readonly steps: Step[]) {}

  async open(service: Service) {
    this.steps.push({ step: 'presenter.open', serviceId: service.id });
    this.history = [service.startUrl];
    return { presentation: 'kiosk-view' as const, url: service.startUrl };
  }

  visit(url: string): void {
    this.history.push(url);
  }

  async back(): Promise<boolean> {
    this.steps.push({ step: 'presenter.back' });
    if (this.history.length < 2) return false;
    this.history.pop();
    return true;
  }

  async close(): Promise<void> {
    // Closing takes a moment in a real view: the session must still wait for it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.history = [];
    this.steps.push({ step: 'presenter.close' });
  }

  setArea(area: ServiceArea): void {
    this.steps.push({ step: 'presenter.setArea', area });
  }
}

class RecordedSessions implements VisitorSessions {
  /** When set, a wipe waits for it: the test decides when the wipe is over. */
  gate: Promise<void> | null = null;

  constructor(
    private readonly steps: Step[],
    private readonly verified: boolean,
  ) {}

  async begin(language: LanguageCode): Promise<void> {
    this.steps.push({ step: 'sessions.begin', language });
  }

  async wipe(reason: SessionEndReason): Promise<WipeReport> {
    this.steps.push({ step: 'sessions.wipe', reason });
    if (this.gate !== null) await this.gate;
    return { verified: this.verified, durationMs: 12, problems: this.verified ? [] : ['a cookie was still there'] };
  }
}

class ListedFiles implements VisitorFiles {
  readonly choices: { requestId: string; names: readonly string[] }[] = [];
  constructor(private readonly files: VisitorFile[]) {}
  async list(): Promise<VisitorFile[]> {
    return this.files.map((file) => ({ ...file }));
  }
  async choose(requestId: string, names: readonly string[]): Promise<void> {
    if (requestId === 'gone') throw new Error('this file chooser is no longer open');
    this.choices.push({ requestId, names: [...names] });
  }
}

/** A help channel that answers every request with the same status and keeps it until the call is withdrawn. */
class RecordedHelp implements HelpChannel {
  private current: HelpStatus = { state: 'none' };

  constructor(
    private readonly steps: Step[],
    private readonly answer: HelpStatus,
  ) {}

  async request(request: HelpRequest): Promise<HelpStatus> {
    this.steps.push({ step: 'help.request', request });
    this.current = this.answer;
    return this.current;
  }

  async cancel(): Promise<HelpStatus> {
    this.steps.push({ step: 'help.cancel' });
    this.current = { state: 'none' };
    return this.current;
  }

  status(): HelpStatus {
    return this.current;
  }
}

const CALLED: HelpStatus = { state: 'called', requestedAt: Date.UTC(2025, 0, 6, 9, 5), canBeAcknowledged: true };

class SwitchableConfig implements ConfigSource {
  constructor(public config: KioskConfig) {}
  current(): KioskConfig {
    return this.config;
  }
}

/**
 * The kiosk's figures as the usage store gives them, built with the real pure model:
 * daily figures rolled up from events, summarized and exported (suppression included).
 */
class FiguresStatistics implements StatisticsSource {
  readonly asked: Array<{ readonly range: { from: string; to: string; groupBy?: GroupBy }; readonly format?: StatisticsExportFormat }> = [];
  warning: string | null = null;
  /** Added to every export, to try the size limit. */
  padding = '';

  constructor(
    private readonly days: readonly DailyFigures[],
    private readonly config: ConfigSource,
  ) {}

  summary(range: { from: string; to: string; groupBy: GroupBy }) {
    this.asked.push({ range });
    return { ...summarizePeriod(this.days, range), storeWarning: this.warning };
  }

  exportFile(range: DateRange, format: StatisticsExportFormat) {
    this.asked.push({ range, format });
    const { kiosk, statistics } = this.config.current();
    // The labels only: kiosk.role is the kiosk's own business, not the export's.
    const exported = buildStatisticsExport({ kioskId: '0123456789abcdef0123456789abcdef', kiosk: { name: kiosk.name, site: kiosk.site }, exportedAt: Date.UTC(2025, 2, 20, 10, 0), period: range, threshold: statistics.suppressionThreshold, days: this.days });
    return format === 'csv'
      ? { fileName: `statistics-${range.from}-${range.to}.csv`, mediaType: 'text/csv; charset=utf-8', content: exportToCsv(exported) + this.padding }
      : { fileName: `statistics-${range.from}-${range.to}.json`, mediaType: 'application/json', content: exportToJson(exported) + this.padding };
  }
}

/** One visitor's session on a day: started in a language, services opened, ended after some seconds. */
function visit(day: string, sessionKey: string, language: LanguageCode, services: string[], durationSeconds: number): StoredEvent[] {
  const events: UsageEvent[] = [
    { type: 'session-started', language },
    ...services.map((serviceId): UsageEvent => ({ type: 'service-opened', serviceId })),
    { type: 'session-ended', reason: 'visitor', durationSeconds },
  ];
  return events.map((event, index) => ({ day, minute: 29_000_000 + index, sessionKey, event }));
}

/** Six sessions on 3 March 2025 (three in French, three in Dutch), one in German on 5 March. */
const MARCH_DAYS: DailyFigures[] = [
  rollUpDay('2025-03-03', [
    ...visit('2025-03-03', 's1', 'fr', ['myminfin', 'vdab'], 600),
    ...visit('2025-03-03', 's2', 'fr', ['myminfin'], 600),
    ...visit('2025-03-03', 's3', 'fr', ['myminfin'], 600),
    ...visit('2025-03-03', 's4', 'nl', ['vdab'], 600),
    ...visit('2025-03-03', 's5', 'nl', ['vdab'], 600),
    ...visit('2025-03-03', 's6', 'nl', ['vdab'], 600),
  ]),
  rollUpDay('2025-03-05', visit('2025-03-05', 's7', 'de', ['sncb'], 120)),
];

/** The settings staff would edit: what was asked of it, and a view of the configuration in force. */
class RecordedConfigEditor implements StaffConfigEditor {
  readonly asked: string[] = [];
  constructor(private readonly config: ConfigSource) {}
  view(): StaffConfigView {
    this.asked.push('view');
    return { config: this.config.current(), lockedKeys: [], problems: [] };
  }
  save(): ConfigCheckResult {
    this.asked.push('save');
    return { ok: true, config: this.config.current() };
  }
  checkFile(): ConfigCheckResult {
    this.asked.push('checkFile');
    return { ok: true, config: this.config.current() };
  }
  exportFile() {
    this.asked.push('exportFile');
    return { fileName: 'kiosk-config.json', mediaType: 'application/json', content: '{}' };
  }
  changeLog(): ConfigChange[] {
    this.asked.push('changeLog');
    return [];
  }
}

const STAFF_PIN = '482913';
/** Folders holding the tests' PIN files, removed after each test. */
const pinFolders: string[] = [];

afterEach(() => {
  for (const folder of pinFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Real staff mode over a PIN file of its own (a low scrypt cost: these tests type PINs, they do not measure the hash). */
function staffModeFor(controller: SessionController, clock: ManualClock, config: ConfigSource): StaffMode {
  const folder = mkdtempSync(join(tmpdir(), 'epn-handlers-staff-'));
  pinFolders.push(folder);
  const pinStore = openStaffPinStore({ dataDir: folder, log: () => undefined, cost: { N: 2 ** 10, r: 8, p: 1 } });
  return createStaffMode({ pinStore, settings: () => config.current().staff, controller, clock, log: () => undefined });
}

const DOWNLOADS: VisitorFile[] = [
  { name: 'attestation.pdf', sizeBytes: 48_213, inProgress: false },
  { name: 'horaire.pdf', sizeBytes: 1_024, inProgress: true },
];

interface Kiosk {
  readonly statistics: FiguresStatistics;
  readonly handlers: ContractHandlers;
  readonly controller: SessionController;
  readonly sessions: RecordedSessions;
  readonly usageLog: MemoryUsageLog;
  readonly clock: ManualClock;
  readonly staff: StaffMode;
  readonly configEditor: RecordedConfigEditor;
  readonly files: ListedFiles;
}

describe('createKioskHandlers through dispatchContractCall', () => {
  let steps: Step[];
  let presenter: HistoryPresenter;
  let config: SwitchableConfig;
  let kiosk: Kiosk;
  let handlers: ContractHandlers;

  /** A kiosk that has booted (its boot wipe is not among the steps), on the welcome screen. */
  async function bootKiosk(options: { verified?: boolean; presenter?: ServicePresenter; help?: HelpStatus } = {}): Promise<Kiosk> {
    const clock = new ManualClock();
    const sessions = new RecordedSessions(steps, options.verified ?? true);
    const usageLog = createMemoryUsageLog({ now: () => clock.now() });
    const shownWith = options.presenter ?? presenter;
    const controller = createSessionController({ settings: () => config.current().session, sessions, presenter: shownWith, usageLog, clock, log: () => undefined });
    await controller.boot();
    steps.length = 0;
    usageLog.drain();
    const statistics = new FiguresStatistics(MARCH_DAYS, config);
    const staff = staffModeFor(controller, clock, config);
    const configEditor = new RecordedConfigEditor(config);
    const files = new ListedFiles(DOWNLOADS);
    const built = createKioskHandlers({ config, presenter: shownWith, controller, files, help: new RecordedHelp(steps, options.help ?? CALLED), statistics, staff, configEditor });
    return { statistics, handlers: built, controller, sessions, usageLog, clock, staff, configEditor, files };
  }

  async function call(channel: string, argument?: unknown) {
    return dispatchContractCall(handlers, channel, argument);
  }

  beforeEach(async () => {
    steps = [];
    presenter = new HistoryPresenter(steps);
    config = new SwitchableConfig(configNamed('PC 3'));
    kiosk = await bootKiosk();
    handlers = kiosk.handlers;
  });

  it('gives the configuration in force', async () => {
    expect(await call('config:get')).toEqual({ ok: true, value: configNamed('PC 3') });
    config.config = configNamed('PC 7');
    const after = await call('config:get');
    expect(after.ok && after.value).toMatchObject({ kiosk: { name: 'PC 7' } });
  });

  it('begins a session in the chosen language, then opens a configured service and records it by id', async () => {
    expect(await call('session:begin', { language: 'nl' })).toEqual({ ok: true, value: {} });
    const vdab = configNamed('PC 3').services.find((service) => service.id === 'vdab')!;
    expect(await call('service:open', { serviceId: 'vdab' })).toEqual({ ok: true, value: { presentation: 'kiosk-view', url: vdab.startUrl } });
    expect(steps).toEqual([
      { step: 'sessions.begin', language: 'nl' },
      { step: 'presenter.open', serviceId: 'vdab' },
    ]);
    expect(kiosk.usageLog.events().map((entry) => entry.event)).toEqual([
      { type: 'session-started', language: 'nl' },
      { type: 'service-opened', serviceId: 'vdab' },
    ]);
    const snapshot = await call('session:get');
    expect(snapshot.ok && snapshot.value).toMatchObject({ phase: 'active', language: 'nl' });
  });

  it('refuses to open a service on the welcome screen, before any presenter call', async () => {
    expect(await call('service:open', { serviceId: 'vdab' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'service:open: cannot open a service: no visitor session has begun' },
    });
    expect(steps).toEqual([]);
    expect(kiosk.usageLog.events()).toEqual([]);
  });

  it('fails to open an unknown service id with a clear message, and never calls the presenter', async () => {
    await call('session:begin', { language: 'fr' });
    steps.length = 0;
    expect(await call('service:open', { serviceId: 'not-configured' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'service:open: no service "not-configured" in the configuration in force' },
    });
    expect(steps).toEqual([]);
  });

  it('looks services up in the configuration in force, not the one at start', async () => {
    await call('session:begin', { language: 'fr' });
    steps.length = 0;
    const current = configNamed('PC 3');
    config.config = { ...current, services: current.services.filter((service) => service.id !== 'vdab') };
    expect((await call('service:open', { serviceId: 'vdab' })).ok).toBe(false);
    expect(steps).toEqual([]);
  });

  it('ends a session by closing the service first, then wiping, and answers once the wipe is verified', async () => {
    await call('session:begin', { language: 'nl' });
    await call('service:open', { serviceId: 'myminfin' });
    const envelope = await call('session:end', {});
    expect(envelope).toEqual({ ok: true, value: { erased: true } });
    expect(steps.map((entry) => entry.step)).toEqual(['sessions.begin', 'presenter.open', 'presenter.close', 'sessions.wipe']);
    expect(steps[3]).toEqual({ step: 'sessions.wipe', reason: 'visitor' });
    const snapshot = await call('session:get');
    expect(snapshot.ok && snapshot.value).toMatchObject({ phase: 'erased', language: 'nl', endReason: 'visitor' });
    expect(kiosk.usageLog.events().map((entry) => entry.event.type)).toEqual(['session-started', 'service-opened', 'session-ended', 'wipe-done']);
  });

  it('refuses visitors when the boot wipe cannot be verified: the kiosk is out of order', async () => {
    const unverified = await bootKiosk({ verified: false });
    handlers = unverified.handlers;
    const snapshot = await call('session:get');
    expect(snapshot.ok && snapshot.value).toMatchObject({ phase: 'out-of-order', endReason: 'boot' });
    const begin = await call('session:begin', { language: 'fr' });
    expect(begin).toEqual({ ok: false, error: { code: 'failed', message: expect.stringMatching(/^session:begin: a session cannot begin now: the kiosk is out of order/) } });
    expect(await call('session:end', {})).toEqual({ ok: false, error: { code: 'failed', message: expect.stringMatching(/^session:end: there is no session to end/) } });
  });

  it('answers erased: false for a visitor whose wipe failed three times', async () => {
    let verified = true;
    const sessions: VisitorSessions = {
      begin: async (language) => {
        steps.push({ step: 'sessions.begin', language });
      },
      wipe: async (reason) => {
        steps.push({ step: 'sessions.wipe', reason });
        return { verified, durationMs: 3, problems: verified ? [] : ['local storage survived'] };
      },
    };
    const clock = new ManualClock();
    const controller = createSessionController({ settings: () => config.current().session, sessions, presenter, usageLog: createMemoryUsageLog(), clock, log: () => undefined });
    await controller.boot();
    handlers = createKioskHandlers({
      config,
      presenter,
      controller,
      files: new ListedFiles([]),
      help: new RecordedHelp(steps, CALLED),
      statistics: new FiguresStatistics([], config),
      staff: staffModeFor(controller, clock, config),
      configEditor: new RecordedConfigEditor(config),
    });
    await call('session:begin', { language: 'de' });
    verified = false;
    steps.length = 0;
    expect(await call('session:end', {})).toEqual({ ok: true, value: { erased: false } });
    expect(steps.filter((entry) => entry.step === 'sessions.wipe')).toHaveLength(3);
    expect(controller.snapshot().phase).toBe('out-of-order');
  });

  it('refuses to end a session that has not begun, and changes nothing', async () => {
    expect(await call('session:end', {})).toEqual({ ok: false, error: { code: 'failed', message: expect.stringMatching(/^session:end: there is no session to end/) } });
    expect(steps).toEqual([]);
    expect(kiosk.controller.snapshot().phase).toBe('welcome');
  });

  it('gives a second "End session" the outcome of the wipe already under way', async () => {
    await call('session:begin', { language: 'en' });
    let releaseWipe!: () => void;
    kiosk.sessions.gate = new Promise((resolve) => (releaseWipe = resolve));
    const first = call('session:end', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(kiosk.controller.snapshot().phase).toBe('ending');
    const second = call('session:end', {});
    releaseWipe();
    expect(await first).toEqual({ ok: true, value: { erased: true } });
    expect(await second).toEqual({ ok: true, value: { erased: true } });
    expect(steps.filter((entry) => entry.step === 'sessions.wipe')).toHaveLength(1);
  });

  it('refuses to open a service while the wipe runs', async () => {
    await call('session:begin', { language: 'en' });
    let releaseWipe!: () => void;
    kiosk.sessions.gate = new Promise((resolve) => (releaseWipe = resolve));
    const ending = call('session:end', {});
    const refused = await call('service:open', { serviceId: 'vdab' });
    expect(refused).toEqual({ ok: false, error: { code: 'failed', message: 'service:open: cannot open a service: the session is ending' } });
    releaseWipe();
    await ending;
    expect(steps.some((entry) => entry.step === 'presenter.open')).toBe(false);
  });

  it('closes a service whose session ended while it was opening', async () => {
    let releaseOpen!: () => void;
    const slowPresenter: ServicePresenter = {
      open: async (service) => {
        await new Promise<void>((resolve) => (releaseOpen = resolve));
        steps.push({ step: 'presenter.open', serviceId: service.id });
        return { presentation: 'frame', url: service.startUrl };
      },
      back: async () => false,
      close: async () => {
        steps.push({ step: 'presenter.close' });
      },
      setArea: () => undefined,
    };
    const slow = await bootKiosk({ presenter: slowPresenter });
    handlers = slow.handlers;
    await call('session:begin', { language: 'fr' });
    const opening = call('service:open', { serviceId: 'vdab' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await slow.controller.crashed();
    releaseOpen();
    expect(await opening).toEqual({ ok: false, error: { code: 'failed', message: expect.stringMatching(/^service:open: a service cannot be opened now/) } });
    expect(steps.map((entry) => entry.step)).toEqual(['sessions.begin', 'presenter.close', 'sessions.wipe', 'presenter.open', 'presenter.close']);
    expect(slow.usageLog.events().some((entry) => entry.event.type === 'service-opened')).toBe(false);
  });

  it('refuses a second language choice while a session is under way', async () => {
    await call('session:begin', { language: 'fr' });
    expect(await call('session:begin', { language: 'nl' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'session:begin: a session cannot begin now: a visitor session is under way' },
    });
    expect(steps).toEqual([{ step: 'sessions.begin', language: 'fr' }]);
    expect(kiosk.controller.snapshot().language).toBe('fr');
  });

  it('gives a snapshot that follows the contract, with the main side clock', async () => {
    const envelope = await call('session:get');
    expect(envelope.ok).toBe(true);
    expect(SessionSnapshotSchema.safeParse(envelope.ok && envelope.value).success).toBe(true);
    expect(envelope.ok && envelope.value).toEqual({
      phase: 'welcome',
      at: kiosk.clock.now(),
      language: null,
      countdownEndsAt: null,
      sessionEndsAt: null,
      lengthWarning: false,
      endReason: null,
      display: DEFAULT_DISPLAY,
    });
  });

  it('takes activity during the idle warning as "I\'m still here"', async () => {
    await call('session:begin', { language: 'fr' });
    kiosk.clock.advance(config.current().session.idleTimeoutSeconds * 1000);
    const warned = await call('session:get');
    expect(warned.ok && warned.value).toMatchObject({ phase: 'idle-warning', countdownEndsAt: kiosk.clock.now() + 30_000 });
    expect(await call('session:activity')).toEqual({ ok: true, value: {} });
    const back = await call('session:get');
    expect(back.ok && back.value).toMatchObject({ phase: 'active', countdownEndsAt: null });
  });

  it('accepts activity on the welcome screen without starting anything', async () => {
    expect(await call('session:activity')).toEqual({ ok: true, value: {} });
    kiosk.clock.advance(3_600_000);
    expect(kiosk.controller.snapshot().phase).toBe('welcome');
  });

  it('asks and cancels "End session" only during a session', async () => {
    for (const channel of ['session:requestEnd', 'session:cancelEnd']) {
      const refused = await call(channel);
      expect(refused.ok, channel).toBe(false);
      expect(!refused.ok && refused.error.message).toMatch(new RegExp(`^${channel}: there is no session to end`));
    }
    await call('session:begin', { language: 'de' });
    kiosk.clock.advance(170_000);
    expect(await call('session:requestEnd')).toEqual({ ok: true, value: {} });
    // The confirmation counts as input: the idle counter starts again.
    kiosk.clock.advance(170_000);
    expect(kiosk.controller.snapshot().phase).toBe('active');
    expect(await call('session:cancelEnd')).toEqual({ ok: true, value: {} });
    expect(kiosk.controller.snapshot().phase).toBe('active');
  });

  describe('display:set', () => {
    const LARGE_STRONG: DisplaySettings = { textSize: 200, highContrast: true, readAloud: false };

    it('keeps the visitor\'s settings, answers them, shows them in the snapshot and records the options turned on', async () => {
      await call('session:begin', { language: 'fr' });
      expect(await call('display:set', LARGE_STRONG)).toEqual({ ok: true, value: LARGE_STRONG });
      const snapshot = await call('session:get');
      expect(snapshot.ok && snapshot.value).toMatchObject({ phase: 'active', display: LARGE_STRONG });
      expect(kiosk.usageLog.events().map((entry) => entry.event)).toEqual([
        { type: 'session-started', language: 'fr' },
        { type: 'accessibility-on', option: 'larger-text' },
        { type: 'accessibility-on', option: 'high-contrast' },
      ]);
      // Back to normal: answered and shown, nothing more recorded.
      expect(await call('display:set', DEFAULT_DISPLAY)).toEqual({ ok: true, value: DEFAULT_DISPLAY });
      expect(kiosk.usageLog.events()).toHaveLength(3);
      expect(steps).toEqual([{ step: 'sessions.begin', language: 'fr' }]);
    });

    it('counts as the visitor\'s input: "I\'m still here" during the idle warning', async () => {
      await call('session:begin', { language: 'nl' });
      kiosk.clock.advance(config.current().session.idleTimeoutSeconds * 1000);
      expect(kiosk.controller.snapshot().phase).toBe('idle-warning');
      expect((await call('display:set', { ...DEFAULT_DISPLAY, readAloud: true })).ok).toBe(true);
      expect(kiosk.controller.snapshot()).toMatchObject({ phase: 'active', display: { readAloud: true } });
    });

    it('is refused without a visitor, like the other visitor actions, saying why', async () => {
      expect(await call('display:set', LARGE_STRONG)).toEqual({
        ok: false,
        error: { code: 'failed', message: 'display:set: the display settings cannot be changed now: no visitor session has begun (the welcome screen is showing)' },
      });
      await call('session:begin', { language: 'de' });
      await call('session:end', {});
      expect(await call('display:set', LARGE_STRONG)).toEqual({ ok: false, error: { code: 'failed', message: expect.stringMatching(/^display:set: the display settings cannot be changed now: the last session was just erased/) } });
      const snapshot = await call('session:get');
      expect(snapshot.ok && snapshot.value).toMatchObject({ phase: 'erased', display: DEFAULT_DISPLAY });
      expect(kiosk.usageLog.events().some((entry) => entry.event.type === 'accessibility-on')).toBe(false);
    });

    it('refuses settings the contract does not know before the session hears of them, naming the field', async () => {
      await call('session:begin', { language: 'fr' });
      const refused: Array<[unknown, RegExp]> = [
        [{ ...DEFAULT_DISPLAY, textSize: 300 }, /^display:set: textSize: must be one of the text sizes in percent: 100, 125, 150, 200$/],
        [{ ...DEFAULT_DISPLAY, highContrast: 'on' }, /^display:set: highContrast: must be true or false$/],
        [{ textSize: 125, highContrast: false }, /^display:set: readAloud: must be true or false$/],
        [{ ...DEFAULT_DISPLAY, zoom: 5 }, /zoom/],
        [undefined, /^display:set: /],
      ];
      for (const [argument, message] of refused) {
        const envelope = await call('display:set', argument);
        expect(envelope, JSON.stringify(argument)).toEqual({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(message) } });
      }
      expect(kiosk.controller.snapshot().display).toEqual(DEFAULT_DISPLAY);
      expect(kiosk.usageLog.events().map((entry) => entry.event.type)).toEqual(['session-started']);
    });
  });

  it('lists the visitor\'s files', async () => {
    expect(await call('files:list')).toEqual({ ok: true, value: DOWNLOADS });
  });

  it('passes the visitor\'s answer to a file chooser on, by name, during a visitor\'s session only', async () => {
    expect(await call('files:choose', { requestId: 'r-1', names: ['attestation.pdf'] })).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(kiosk.files.choices).toEqual([]);
    await call('session:begin', { language: 'fr' });
    expect(await call('files:choose', { requestId: 'r-1', names: ['attestation.pdf'] })).toEqual({ ok: true, value: {} });
    expect(await call('files:choose', { requestId: 'r-2', names: [] })).toEqual({ ok: true, value: {} });
    expect(kiosk.files.choices).toEqual([
      { requestId: 'r-1', names: ['attestation.pdf'] },
      { requestId: 'r-2', names: [] },
    ]);
    const gone = await call('files:choose', { requestId: 'gone', names: [] });
    expect(gone.ok === false && gone.error.message).toContain('no longer open');
    expect(await call('files:choose', { requestId: 'r-3', names: 'attestation.pdf' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await call('files:choose', { requestId: '', names: [] })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('sends the help request with the service and the language, nothing personal, and records it', async () => {
    await call('session:begin', { language: 'de' });
    await call('service:open', { serviceId: 'vdab' });
    steps.length = 0;
    expect(await call('help:request', { serviceId: 'vdab', language: 'de' })).toEqual({ ok: true, value: CALLED });
    expect(steps).toEqual([{ step: 'help.request', request: { serviceId: 'vdab', language: 'de' } }]);
    expect(kiosk.usageLog.events().at(-1)?.event).toEqual({ type: 'help-requested', serviceId: 'vdab' });
  });

  it('sends a help request from the launcher, with no service open', async () => {
    await call('help:request', { serviceId: null, language: 'fr' });
    expect(steps).toEqual([{ step: 'help.request', request: { serviceId: null, language: 'fr' } }]);
  });

  it('a second press while the call is open changes nothing and is not counted twice, but counts as input', async () => {
    await call('session:begin', { language: 'fr' });
    steps.length = 0;
    await call('help:request', { serviceId: null, language: 'fr' });
    kiosk.clock.advance(100_000);
    expect(await call('help:request', { serviceId: null, language: 'fr' })).toEqual({ ok: true, value: CALLED });
    expect(steps).toEqual([{ step: 'help.request', request: { serviceId: null, language: 'fr' } }]);
    expect(kiosk.usageLog.events().filter((recorded) => recorded.event.type === 'help-requested')).toHaveLength(1);
    kiosk.clock.advance(100_000);
    // 200 s after the first press: without the second one counting as input, the idle warning would show by now.
    expect(kiosk.controller.snapshot().phase).toBe('active');
  });

  it('a press after the call was withdrawn starts a new one', async () => {
    await call('help:request', { serviceId: null, language: 'fr' });
    expect(await call('help:cancel')).toEqual({ ok: true, value: { state: 'none' } });
    await call('help:request', { serviceId: null, language: 'nl' });
    expect(steps).toEqual([
      { step: 'help.request', request: { serviceId: null, language: 'fr' } },
      { step: 'help.cancel' },
      { step: 'help.request', request: { serviceId: null, language: 'nl' } },
    ]);
    expect(kiosk.usageLog.events().filter((recorded) => recorded.event.type === 'help-requested')).toHaveLength(2);
  });

  it('tells where the call stands, and refuses an argument to help:get and help:cancel', async () => {
    expect(await call('help:get')).toEqual({ ok: true, value: { state: 'none' } });
    await call('help:request', { serviceId: null, language: 'fr' });
    expect(await call('help:get')).toEqual({ ok: true, value: CALLED });
    expect((await call('help:get', { state: 'none' })).ok).toBe(false);
    expect((await call('help:cancel', { reason: 'x' })).ok).toBe(false);
    expect(steps).toEqual([{ step: 'help.request', request: { serviceId: null, language: 'fr' } }]);
  });

  it('answers Back with whether there was a page to go back to', async () => {
    await call('session:begin', { language: 'fr' });
    await call('service:open', { serviceId: 'sncb' });
    expect(await call('service:back')).toEqual({ ok: true, value: { wentBack: false } });
    presenter.visit('https://www.belgiantrain.be/fr/travel-info');
    expect(await call('service:back')).toEqual({ ok: true, value: { wentBack: true } });
  });

  it('closes the service on Home and moves it when the area changes', async () => {
    await call('session:begin', { language: 'fr' });
    steps.length = 0;
    const area = { x: 0, y: 96, width: 1366, height: 672 };
    expect(await call('service:setArea', area)).toEqual({ ok: true, value: {} });
    expect(await call('service:close')).toEqual({ ok: true, value: {} });
    expect(steps).toEqual([{ step: 'presenter.setArea', area }, { step: 'presenter.close' }]);
  });

  it('refuses Home on the welcome screen', async () => {
    expect(await call('service:close')).toEqual({ ok: false, error: { code: 'failed', message: expect.stringMatching(/^service:close: Home changes nothing now/) } });
    expect(steps).toEqual([]);
  });

  it('never reaches a service when the argument is refused', async () => {
    const envelope = await call('service:setArea', { x: 0, y: 0, width: 1366, height: 768, url: 'file:///' });
    expect(envelope.ok).toBe(false);
    expect(steps).toEqual([]);
  });

  it('turns a failing presenter into a failed envelope', async () => {
    const broken: ServicePresenter = {
      open: () => Promise.reject(new Error('the view could not be created')),
      back: () => Promise.resolve(false),
      close: () => Promise.resolve(),
      setArea: () => undefined,
    };
    handlers = (await bootKiosk({ presenter: broken, help: { state: 'no-channel' } })).handlers;
    await call('session:begin', { language: 'fr' });
    expect(await call('service:open', { serviceId: 'vdab' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'service:open: the view could not be created' },
    });
  });

  describe('staff mode', () => {
    const STAFF_ONLY: readonly [string, unknown, string][] = [
      ['staff:changePin', { currentPin: STAFF_PIN, newPin: '1357' }, 'change the PIN'],
      ['staff:getConfig', undefined, 'see the settings'],
      ['staff:saveConfig', { config: {} }, 'change the settings'],
      ['staff:checkConfigFile', { text: '{}' }, 'import a configuration file'],
      ['staff:exportConfig', undefined, 'export the configuration'],
      ['staff:changeLog', undefined, 'read the change log'],
      ['stats:summary', { from: '2025-03-01', to: '2025-03-09', groupBy: 'week' }, 'see the statistics'],
      ['stats:export', { from: '2025-03-01', to: '2025-03-09', format: 'csv' }, 'export the statistics'],
    ];

    it.each(STAFF_ONLY)('refuses %s while staff mode is closed, saying to open it with the PIN', async (channel, argument, what) => {
      expect(await call(channel, argument)).toEqual({ ok: false, error: { code: 'failed', message: `${channel}: staff mode is closed: open it with the staff PIN to ${what}` } });
      expect(kiosk.configEditor.asked).toEqual([]);
      expect(kiosk.statistics.asked).toEqual([]);
    });

    it('asks for a first PIN on a new kiosk, then opens staff mode with it and lets staff in', async () => {
      expect(await call('staff:status')).toEqual({ ok: true, value: { pinSet: false, open: false, closesAt: null, retryAt: null, failedAttempts: 0 } });
      const opened = await call('staff:setFirstPin', { pin: STAFF_PIN });
      expect(opened).toMatchObject({ ok: true, value: { pinSet: true, open: true } });
      expect((await call('staff:getConfig')).ok).toBe(true);
      expect((await call('stats:summary', { from: '2025-03-01', to: '2025-03-09', groupBy: 'week' })).ok).toBe(true);
      expect(kiosk.configEditor.asked).toEqual(['view']);
      expect(await call('staff:close')).toMatchObject({ ok: true, value: { open: false } });
      expect((await call('staff:getConfig')).ok).toBe(false);
    });

    it('refuses a PIN that is not 4 to 12 digits before anything is checked or counted', async () => {
      await call('staff:setFirstPin', { pin: STAFF_PIN });
      await call('staff:close');
      for (const pin of ['123', '1234567890123', '12a4', ' 1234', 1234]) {
        expect((await call('staff:open', { pin })).ok, String(pin)).toBe(false);
      }
      expect(kiosk.staff.status().failedAttempts).toBe(0);
    });

    it('answers a wrong PIN as such, and counts it', async () => {
      await call('staff:setFirstPin', { pin: STAFF_PIN });
      await call('staff:close');
      expect(await call('staff:open', { pin: '0000' })).toMatchObject({ ok: true, value: { ok: false, reason: 'wrong-pin', status: { failedAttempts: 1, open: false } } });
      expect((await call('stats:summary', { from: '2025-03-01', to: '2025-03-09', groupBy: 'week' })).ok).toBe(false);
    });

    it('ends a visitor\'s session with the usual wipe before staff mode opens', async () => {
      await call('staff:setFirstPin', { pin: STAFF_PIN });
      await call('staff:close');
      await call('session:begin', { language: 'nl' });
      await call('service:open', { serviceId: 'vdab' });
      steps.length = 0;
      expect(await call('staff:open', { pin: STAFF_PIN })).toMatchObject({ ok: true, value: { ok: true, status: { open: true } } });
      expect(steps).toEqual([{ step: 'presenter.close' }, { step: 'sessions.wipe', reason: 'staff' }]);
      expect(kiosk.usageLog.events().map((entry) => entry.event)).toContainEqual(expect.objectContaining({ type: 'session-ended', reason: 'staff' }));
      const snapshot = await call('session:get');
      expect(snapshot.ok && snapshot.value).toMatchObject({ phase: 'erased', endReason: 'staff' });
    });

    it('keeps staff mode open with input, and closes it on its own after the minutes configured', async () => {
      await call('staff:setFirstPin', { pin: STAFF_PIN });
      kiosk.clock.advance(4 * 60_000);
      expect(await call('staff:activity')).toEqual({ ok: true, value: {} });
      kiosk.clock.advance(4 * 60_000);
      expect((await call('staff:exportConfig')).ok).toBe(true);
      kiosk.clock.advance(60_000);
      expect(await call('staff:exportConfig')).toEqual({ ok: false, error: { code: 'failed', message: 'staff:exportConfig: staff mode is closed: open it with the staff PIN to export the configuration' } });
    });
  });

  describe('statistics (staff only, with staff mode open)', () => {
    beforeEach(async () => {
      expect((await call('staff:setFirstPin', { pin: STAFF_PIN })).ok).toBe(true);
    });

    it('answers the figures of the period asked for, grouped as asked, with no store warning when all is well', async () => {
      const envelope = await call('stats:summary', { from: '2025-03-01', to: '2025-03-09', groupBy: 'week' });
      expect(envelope.ok).toBe(true);
      if (!envelope.ok) return;
      const summary = StatisticsSummarySchema.parse(envelope.value);
      expect(summary).toMatchObject({ from: '2025-03-01', to: '2025-03-09', groupBy: 'week', dayCount: 9, sessions: 7, storeWarning: null });
      expect(summary.series).toEqual([
        { key: '2025-W09', from: '2025-03-01', to: '2025-03-02', sessions: 0 },
        { key: '2025-W10', from: '2025-03-03', to: '2025-03-09', sessions: 7 },
      ]);
      expect(summary.services).toEqual([
        { serviceId: 'vdab', openings: 4 },
        { serviceId: 'myminfin', openings: 3 },
        { serviceId: 'sncb', openings: 1 },
      ]);
      expect(summary.languages).toEqual([
        { language: 'fr', sessions: 3 },
        { language: 'nl', sessions: 3 },
        { language: 'de', sessions: 1 },
      ]);
      expect(kiosk.statistics.asked).toEqual([{ range: { from: '2025-03-01', to: '2025-03-09', groupBy: 'week' } }]);
    });

    it('passes on what the usage log has to tell staff', async () => {
      kiosk.statistics.warning = 'the usage log cannot write to its folder: figures are kept in memory until it can';
      const envelope = await call('stats:summary', { from: '2025-03-05', to: '2025-03-05', groupBy: 'day' });
      expect(envelope.ok && envelope.value).toMatchObject({ sessions: 1, storeWarning: kiosk.statistics.warning });
    });

    it('exports the period as CSV with the small counts suppressed', async () => {
      const envelope = await call('stats:export', { from: '2025-03-03', to: '2025-03-05', format: 'csv' });
      expect(envelope.ok).toBe(true);
      if (!envelope.ok) return;
      const file = StatisticsExportFileSchema.parse(envelope.value);
      expect(file.fileName).toBe('statistics-2025-03-03-2025-03-05.csv');
      expect(file.mediaType).toBe('text/csv; charset=utf-8');
      const lines = file.content.trimEnd().split('\r\n');
      expect(lines[0]).toBe(CSV_HEADER.join(','));
      // Three sessions in each language on the 3rd are published; the one session of the 5th is not.
      const row = (day: string, measure: string, key: string, value: string) => `1,0123456789abcdef0123456789abcdef,PC 3,EPN de Namur,${day},${measure},${key},${value}`;
      expect(lines).toContain(row('2025-03-03', 'sessions', '', '6'));
      expect(lines).toContain(row('2025-03-03', 'language', 'fr', '3'));
      expect(lines).toContain(row('2025-03-03', 'service_openings', 'vdab', '4'));
      expect(lines).toContain(row('2025-03-05', 'sessions', '', CSV_SUPPRESSED));
      expect(lines).toContain(row('2025-03-05', 'language', 'de', CSV_SUPPRESSED));
      expect(lines).toContain(row('2025-03-04', 'sessions', '', '0'));
    });

    it('exports the period as JSON that reads back as a statistics export', async () => {
      const envelope = await call('stats:export', { from: '2025-03-03', to: '2025-03-03', format: 'json' });
      expect(envelope.ok).toBe(true);
      if (!envelope.ok) return;
      const file = StatisticsExportFileSchema.parse(envelope.value);
      expect(file.mediaType).toBe('application/json');
      const parsed = parseStatisticsExportJson(file.content);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.export.period).toEqual({ from: '2025-03-03', to: '2025-03-03' });
      expect(parsed.export.days).toHaveLength(1);
      expect(parsed.export.days[0]).toMatchObject({ day: '2025-03-03', sessions: 6, languages: { fr: 3, nl: 3 }, serviceOpenings: { myminfin: 3, vdab: 4 } });
    });

    it('refuses an export larger than one answer may carry, saying what to do', async () => {
      kiosk.statistics.padding = 'x'.repeat(MAX_STATISTICS_EXPORT_CHARS);
      const envelope = await call('stats:export', { from: '2025-03-03', to: '2025-03-03', format: 'csv' });
      expect(envelope.ok).toBe(false);
      expect(!envelope.ok && envelope.error).toEqual({ code: 'failed', message: expect.stringMatching(/^stats:export: the export has \d+ characters, .*choose a shorter period$/) });
    });

    it('never asks the store about a period the contract refuses', async () => {
      expect((await call('stats:summary', { from: '2025-03-09', to: '2025-03-01', groupBy: 'day' })).ok).toBe(false);
      expect((await call('stats:export', { from: '2025-03-01', to: '2025-03-09', format: 'pdf' })).ok).toBe(false);
      expect(kiosk.statistics.asked).toEqual([]);
    });

    it('turns a store that fails into a failed envelope', async () => {
      const failing: StatisticsSource = {
        summary: () => {
          throw new Error('the usage log is closed');
        },
        exportFile: () => {
          throw new Error('the usage log is closed');
        },
      };
      const controller = createSessionController({ settings: () => config.current().session, sessions: new RecordedSessions(steps, true), presenter, usageLog: createMemoryUsageLog(), clock: new ManualClock(), log: () => undefined });
      const staff = staffModeFor(controller, new ManualClock(), config);
      await staff.setFirstPin(STAFF_PIN);
      handlers = createKioskHandlers({ config, presenter, controller, files: new ListedFiles([]), help: new RecordedHelp(steps, CALLED), statistics: failing, staff, configEditor: new RecordedConfigEditor(config) });
      expect(await call('stats:summary', { from: '2025-03-01', to: '2025-03-01', groupBy: 'day' })).toEqual({ ok: false, error: { code: 'failed', message: 'stats:summary: the usage log is closed' } });
      expect(await call('stats:export', { from: '2025-03-01', to: '2025-03-01', format: 'json' })).toEqual({ ok: false, error: { code: 'failed', message: 'stats:export: the usage log is closed' } });
    });
  });
});

describe('the preview\'s "My files"', () => {
  it('lists nothing and refuses to give files, saying why', async () => {
    expect(await previewVisitorFiles.list()).toEqual([]);
    await expect(previewVisitorFiles.choose('r-1', ['attestation.pdf'])).rejects.toThrow('the preview gives no files to services');
  });
});

describe('display:set with the real usage store', () => {
  let remove: () => void;
  let store: UsageStore;

  afterEach(() => {
    store.close();
    remove();
  });

  it('leaves one accessibility-on event per option turned on in usage.sqlite, in the visitor\'s session, counted in the day\'s figures', async () => {
    const made = freshFolder('handlers-display');
    remove = made.remove;
    const file = join(made.folder, USAGE_DATABASE_FILE_NAME);
    const clock = new ManualClock();
    store = openUsageStore({ file, config: testConfig(), kioskId: TEST_KIOSK_ID, now: () => clock.now(), localDay: brusselsWinterDay, clock, log: () => undefined });
    const steps: Step[] = [];
    const config = new SwitchableConfig(configNamed('PC 3'));
    const presenter = new HistoryPresenter(steps);
    const controller = createSessionController({ settings: () => config.current().session, sessions: new RecordedSessions(steps, true), presenter, usageLog: store, clock, log: () => undefined });
    await controller.boot();
    const handlers = createKioskHandlers({
      config,
      presenter,
      controller,
      files: new ListedFiles([]),
      help: new RecordedHelp(steps, CALLED),
      statistics: store,
      staff: staffModeFor(controller, clock, config),
      configEditor: new RecordedConfigEditor(config),
    });

    expect(await dispatchContractCall(handlers, 'session:begin', { language: 'fr' })).toEqual({ ok: true, value: {} });
    const larger = { textSize: 150, highContrast: true, readAloud: false };
    expect(await dispatchContractCall(handlers, 'display:set', larger)).toEqual({ ok: true, value: larger });
    // A second change that turns nothing new on adds nothing.
    expect((await dispatchContractCall(handlers, 'display:set', { ...larger, textSize: 200 })).ok).toBe(true);
    expect(await store.flush()).toMatchObject({ pending: 0 });

    const rows = storedRows(file);
    const accessibility = rows.filter((row) => row.type === 'accessibility-on');
    expect(accessibility.map((row) => row.option)).toEqual(['larger-text', 'high-contrast']);
    const started = rows.find((row) => row.type === 'session-started');
    expect(started?.session_key).toEqual(expect.any(String));
    for (const row of accessibility) expect(row.session_key).toBe(started?.session_key);

    const day = brusselsWinterDay(clock.now());
    expect(store.dailyFigures({ from: day, to: day })[0]?.accessibility).toEqual({ 'larger-text': 1, 'high-contrast': 1 });
  });
});
