/**
 * The screens wired to the real contract: buildKioskBridge over an in-memory transport
 * that hands each call to the real dispatchContractCall and createKioskHandlers. Only
 * the edges (how a service is shown, what a session does, who hears a help call) are
 * small test implementations that record what they were asked.
 */
import { render } from '@testing-library/react';
import { buildKioskBridge, type BridgeTransport } from '../../shared/bridge';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig, type KioskConfigInput, type Service } from '../../shared/config/schema';
import type { EventChannel, HelpOutcome, PayloadOf, ServiceArea, ServicePresentation } from '../../shared/contract';
import { dispatchContractCall } from '../../shared/contract-dispatch';
import type { LanguageCode } from '../../shared/languages';
import {
  createKioskHandlers,
  type HelpChannel,
  type HelpRequest,
  type ServicePresenter,
  type VisitorSessions,
} from '../../electron/services/kiosk-handlers';
import { createKioskI18n } from '../../renderer/i18n/kiosk-i18n';
import { KioskRoot } from '../../renderer/KioskRoot';

export function parsedConfig(input: KioskConfigInput = DEFAULT_CONFIG): KioskConfig {
  const result = parseKioskConfig(input);
  if (!result.ok) throw new Error(`test configuration is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** The default catalogue with other languages settings. */
export function configWithLanguages(offered: LanguageCode[], defaultLanguage: LanguageCode): KioskConfig {
  return parsedConfig({ ...DEFAULT_CONFIG, languages: { offered, default: defaultLanguage } });
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

export class RecordingSessions implements VisitorSessions {
  readonly begun: LanguageCode[] = [];
  endCount = 0;

  async begin(language: LanguageCode) {
    this.begun.push(language);
  }

  async end() {
    this.endCount += 1;
    return { erased: true };
  }
}

export class RecordingHelp implements HelpChannel {
  readonly requests: HelpRequest[] = [];

  constructor(private readonly answer: HelpOutcome | Error) {}

  async request(request: HelpRequest) {
    this.requests.push(request);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

export interface TestKioskOptions {
  readonly config?: KioskConfig;
  readonly presentation?: ServicePresentation;
  readonly failOpen?: boolean;
  readonly help?: HelpOutcome | Error;
  /** The language i18next starts in, before the configuration arrives. */
  readonly startLanguage?: LanguageCode;
  /** Reading the configuration fails until `makeConfigReadable()` is called. */
  readonly configUnreadable?: boolean;
}

export function startTestKiosk(options: TestKioskOptions = {}) {
  let config = options.config ?? parsedConfig();
  let configUnreadable = options.configUnreadable ?? false;
  const presenter = new RecordingPresenter(options.presentation ?? 'frame', options.failOpen ?? false);
  const sessions = new RecordingSessions();
  const help = new RecordingHelp(options.help ?? { state: 'no-channel' });
  const current = () => {
    if (configUnreadable) throw new Error('the configuration cannot be read');
    return config;
  };
  const handlers = createKioskHandlers({ config: { current }, presenter, sessions, help });
  const subscribers = new Map<EventChannel, Set<(payload: unknown) => void>>();

  const transport: BridgeTransport = {
    invoke: (channel, argument) => dispatchContractCall(handlers, channel, argument),
    subscribe(event, listener) {
      const listeners = subscribers.get(event) ?? new Set();
      subscribers.set(event, listeners);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const bridge = buildKioskBridge(transport);
  const i18n = createKioskI18n(options.startLanguage ?? 'en');
  const view = render(<KioskRoot bridge={bridge} i18n={i18n} />);

  return {
    view,
    bridge,
    i18n,
    presenter,
    sessions,
    help,
    /** The main side found a new valid configuration on disk. */
    changeConfig(next: KioskConfig) {
      config = next;
      const payload: PayloadOf<'config:changed'> = next;
      for (const listener of subscribers.get('config:changed') ?? []) listener(payload);
    },
    makeConfigReadable() {
      configUnreadable = false;
    },
    subscriberCount: (event: EventChannel) => subscribers.get(event)?.size ?? 0,
  };
}
