/**
 * The main side's implementation of the contract, written once for every transport.
 * What differs between Electron and the browser preview (how a service is shown,
 * how a visitor's traces are wiped) is injected as a small interface.
 */
import type { ContractHandlers, HelpOutcome, ServiceArea, ServicePresentation } from '../../shared/contract';
import type { KioskConfig, Service } from '../../shared/config/schema';
import type { LanguageCode } from '../../shared/languages';

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

/** One visitor's stay at the PC, from the language choice to the wipe. */
export interface VisitorSessions {
  begin(language: LanguageCode): Promise<void>;
  /** Removes every trace of the visitor; resolves with whether the wipe was verified. */
  end(): Promise<{ erased: boolean }>;
}

export interface HelpRequest {
  readonly kioskName: string;
  readonly serviceId: string | null;
  readonly language: LanguageCode;
}

export interface HelpChannel {
  request(request: HelpRequest): Promise<HelpOutcome>;
}

export interface KioskHandlerDependencies {
  readonly config: ConfigSource;
  readonly presenter: ServicePresenter;
  readonly sessions: VisitorSessions;
  readonly help: HelpChannel;
}

export class UnknownServiceError extends Error {
  constructor(serviceId: string) {
    super(`no service "${serviceId}" in the configuration in force`);
    this.name = 'UnknownServiceError';
  }
}

export function createKioskHandlers({ config, presenter, sessions, help }: KioskHandlerDependencies): ContractHandlers {
  return {
    'config:get': () => config.current(),
    'session:begin': async ({ language }) => {
      await sessions.begin(language);
      return {};
    },
    'session:end': async () => {
      await presenter.close();
      return sessions.end();
    },
    'service:open': async ({ serviceId }) => {
      const service = config.current().services.find((candidate) => candidate.id === serviceId);
      if (service === undefined) throw new UnknownServiceError(serviceId);
      return presenter.open(service);
    },
    'service:back': async () => ({ wentBack: await presenter.back() }),
    'service:close': async () => {
      await presenter.close();
      return {};
    },
    'service:setArea': (area) => {
      presenter.setArea(area);
      return {};
    },
    'help:request': ({ serviceId, language }) => help.request({ kioskName: config.current().kiosk.name, serviceId, language }),
  };
}
