/**
 * The main side's implementation of the contract, written once for every transport.
 * What differs between Electron and the browser preview (how a service is shown,
 * how a visitor's traces are wiped, where downloads go) is injected as a small interface;
 * when things happen is the session controller's (shared/session-machine) decision.
 */
import {
  MAX_STATISTICS_EXPORT_CHARS,
  type ConfigChange,
  type ConfigCheckResult,
  type StaffConfigView,
  type StaffOpenResult,
  type StaffStatus,
  type ContractHandlers,
  type HelpStatus,
  type ServiceArea,
  type ServicePresentation,
  type SessionEndReason,
  type StatisticsExportFormat,
  type VisitorFile,
} from '../../shared/contract';
import type { KioskConfig, Service } from '../../shared/config/schema';
import { isHelpCallOpen } from '../../shared/help-call';
import type { LanguageCode } from '../../shared/languages';
import type { DateRange, GroupBy, PeriodSummary } from '../../shared/statistics/period';
import type { SessionController } from './session-controller';

export interface ConfigSource {
  /** The configuration in force (the last good one when the file on disk is broken). */
  current(): KioskConfig;
}

/** Shows a service to the visitor: an Electron view, or the preview's frame or tab. */
export interface ServicePresenter {
  open(service: Service): Promise<{ presentation: ServicePresentation; url: string }>;
  back(): Promise<boolean>;
  close(): Promise<void>;
  setArea(area: ServiceArea): void;
}

/** What a wipe found when it checked its own work. */
export interface WipeReport {
  /** True only when the wipe checked that nothing of the visitor is left. */
  readonly verified: boolean;
  readonly durationMs: number;
  /** What went wrong or could not be checked, for the log; empty when all is well. */
  readonly problems: readonly string[];
}

/** One visitor's stay at the PC, from the language choice to the wipe. */
export interface VisitorSessions {
  /** A fresh place for the visitor's browsing (called before the session counts as begun). */
  begin(language: LanguageCode): Promise<void>;
  /**
   * Removes every trace of the visitor (or of whatever a previous run left, at boot) and
   * checks that nothing is left. The service views are already closed when it is called.
   * Should not throw; a throw counts as a wipe that could not be verified.
   */
  wipe(reason: SessionEndReason): Promise<WipeReport>;
}

/** The visitor's downloads ("My files"). */
export interface VisitorFiles {
  list(): Promise<VisitorFile[]>;
  /**
   * The visitor's answer to the file chooser `requestId` (event `files:chooserOpened`):
   * the named files of "My files" are given to the page, or none when `names` is empty.
   * Throws, giving nothing, for a chooser no longer open or a name that is not one of the
   * visitor's finished files.
   */
  choose(requestId: string, names: readonly string[]): Promise<void>;
}

/** What the visitor's call for help carries: nothing personal. The kiosk's name and site are the help service's to add. */
export interface HelpRequest {
  readonly serviceId: string | null;
  readonly language: LanguageCode;
}

/** The visitor's call for help (electron/services/help-client.ts). Never throws: failures are statuses. */
export interface HelpChannel {
  /** Resolves once the first attempts are over (called, unreachable, no-channel); a call already open is left as it is. */
  request(request: HelpRequest): Promise<HelpStatus>;
  /** The visitor withdrew the call: the status is then 'none'. */
  cancel(): Promise<HelpStatus>;
  status(): HelpStatus;
}

/**
 * The kiosk's anonymous figures, as the usage store keeps them (electron/services/usage-store.ts).
 * Exports have their small counts suppressed before they come out of here.
 */
export interface StatisticsSource {
  /** The figures of a period; `storeWarning` says, for staff, why figures may be missing (null when all is well). */
  summary(range: { from: string; to: string; groupBy: GroupBy }): PeriodSummary & { storeWarning: string | null };
  exportFile(range: DateRange, format: StatisticsExportFormat): { fileName: string; mediaType: string; content: string };
}

/**
 * Staff mode: the PIN (a slow salted hash, wrong PINs throttled) and whether the staff
 * screen is open (electron/services/staff-mode.ts).
 */
export interface StaffAccess {
  status(): StaffStatus;
  /** The first PIN, when none is set yet; opens staff mode. */
  setFirstPin(pin: string): Promise<StaffStatus>;
  /** Opens staff mode with the PIN; a visitor's session is ended and wiped first. */
  open(pin: string): Promise<StaffOpenResult>;
  close(): StaffStatus;
  /** Input on the staff screen: pushes the automatic close back. */
  activity(): void;
  changePin(currentPin: string, newPin: string): Promise<StaffOpenResult>;
  /** Throws StaffModeClosedError unless staff mode is open. */
  assertOpen(what: string): void;
}

/** The configuration as staff change it (electron/services/config-editor.ts). */
export interface StaffConfigEditor {
  view(): StaffConfigView;
  /** Validates, refuses changes to locked keys, writes atomically with a backup, logs the changed fields. */
  save(config: unknown): ConfigCheckResult;
  /** Validates a file's text; changes nothing. */
  checkFile(text: string): ConfigCheckResult;
  exportFile(): { fileName: string; mediaType: string; content: string };
  changeLog(): ConfigChange[];
}

export class StaffModeClosedError extends Error {
  constructor(what: string) {
    super(`staff mode is closed: open it with the staff PIN to ${what}`);
    this.name = 'StaffModeClosedError';
  }
}

/** The part of the session controller the contract's channels use. */
export type SessionControl = Pick<
  SessionController,
  | 'snapshot'
  | 'begin'
  | 'activity'
  | 'assertVisitorSession'
  | 'serviceOpened'
  | 'home'
  | 'helpRequested'
  | 'requestEnd'
  | 'cancelEnd'
  | 'confirmEnd'
  | 'setDisplay'
>;

export interface KioskHandlerDependencies {
  readonly config: ConfigSource;
  readonly presenter: ServicePresenter;
  readonly controller: SessionControl;
  readonly files: VisitorFiles;
  readonly help: HelpChannel;
  readonly statistics: StatisticsSource;
  readonly staff: StaffAccess;
  readonly configEditor: StaffConfigEditor;
}

export class UnknownServiceError extends Error {
  constructor(serviceId: string) {
    super(`no service "${serviceId}" in the configuration in force`);
    this.name = 'UnknownServiceError';
  }
}

export class ExportTooLargeError extends Error {
  constructor(characters: number) {
    super(`the export has ${characters} characters, more than the ${MAX_STATISTICS_EXPORT_CHARS} one answer may carry: choose a shorter period`);
    this.name = 'ExportTooLargeError';
  }
}

export function createKioskHandlers({ config, presenter, controller, files, help, statistics, staff, configEditor }: KioskHandlerDependencies): ContractHandlers {
  return {
    'config:get': () => config.current(),
    'session:begin': async ({ language }) => {
      await controller.begin(language);
      return {};
    },
    'session:end': () => controller.confirmEnd(),
    'session:get': () => controller.snapshot(),
    'session:activity': () => {
      controller.activity();
      return {};
    },
    'session:requestEnd': () => {
      controller.requestEnd();
      return {};
    },
    'session:cancelEnd': () => {
      controller.cancelEnd();
      return {};
    },
    // The service pages' zoom follows from the session's next snapshot (kiosk-shell.ts), like every screen.
    'display:set': (display) => controller.setDisplay(display),
    'files:list': () => files.list(),
    'files:choose': async ({ requestId, names }) => {
      controller.assertVisitorSession('give a file to a service');
      await files.choose(requestId, names);
      return {};
    },
    'service:open': async ({ serviceId }) => {
      controller.assertVisitorSession('open a service');
      const service = config.current().services.find((candidate) => candidate.id === serviceId);
      if (service === undefined) throw new UnknownServiceError(serviceId);
      const shown = await presenter.open(service);
      try {
        controller.serviceOpened(serviceId);
      } catch (error) {
        // The session ended while the service was opening: it must not outlive the wipe.
        await presenter.close();
        throw error;
      }
      return shown;
    },
    'service:back': async () => {
      controller.activity();
      return { wentBack: await presenter.back() };
    },
    'service:close': async () => {
      controller.home();
      await presenter.close();
      return {};
    },
    'service:setArea': (area) => {
      presenter.setArea(area);
      return {};
    },
    'help:request': ({ serviceId, language }) => {
      const current = help.status();
      if (isHelpCallOpen(current)) {
        // A second press changes nothing and is not a second request in the figures; it is still the visitor's input.
        controller.activity();
        return current;
      }
      controller.helpRequested();
      return help.request({ serviceId, language });
    },
    'help:cancel': () => help.cancel(),
    'help:get': () => help.status(),
    'staff:status': () => staff.status(),
    'staff:setFirstPin': ({ pin }) => staff.setFirstPin(pin),
    'staff:open': ({ pin }) => staff.open(pin),
    'staff:close': () => staff.close(),
    'staff:activity': () => {
      staff.activity();
      return {};
    },
    'staff:changePin': ({ currentPin, newPin }) => {
      staff.assertOpen('change the PIN');
      return staff.changePin(currentPin, newPin);
    },
    'staff:getConfig': () => {
      staff.assertOpen('see the settings');
      return configEditor.view();
    },
    'staff:saveConfig': ({ config: edited }) => {
      staff.assertOpen('change the settings');
      return configEditor.save(edited);
    },
    'staff:checkConfigFile': ({ text }) => {
      staff.assertOpen('import a configuration file');
      return configEditor.checkFile(text);
    },
    'staff:exportConfig': () => {
      staff.assertOpen('export the configuration');
      return configEditor.exportFile();
    },
    'staff:changeLog': () => {
      staff.assertOpen('read the change log');
      return { changes: configEditor.changeLog() };
    },
    'stats:summary': ({ from, to, groupBy }) => {
      staff.assertOpen('see the statistics');
      return statistics.summary({ from, to, groupBy });
    },
    'stats:export': ({ from, to, format }) => {
      staff.assertOpen('export the statistics');
      const file = statistics.exportFile({ from, to }, format);
      if (file.content.length > MAX_STATISTICS_EXPORT_CHARS) throw new ExportTooLargeError(file.content.length);
      return file;
    },
  };
}
