/**
 * The main side's handlers, called the way every transport calls them: through
 * dispatchContractCall, with small working implementations of the injected interfaces.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig, type Service } from '../../../shared/config/schema';
import { dispatchContractCall } from '../../../shared/contract-dispatch';
import type { ContractHandlers, HelpOutcome, ServiceArea } from '../../../shared/contract';
import type { LanguageCode } from '../../../shared/languages';
import {
  createKioskHandlers,
  type ConfigSource,
  type HelpChannel,
  type HelpRequest,
  type ServicePresenter,
  type VisitorSessions,
} from '../../../electron/services/kiosk-handlers';

/** Everything the kiosk did, in the order it did it. */
type Step =
  | { readonly step: 'presenter.open'; readonly serviceId: string }
  | { readonly step: 'presenter.back' }
  | { readonly step: 'presenter.close' }
  | { readonly step: 'presenter.setArea'; readonly area: ServiceArea }
  | { readonly step: 'sessions.begin'; readonly language: LanguageCode }
  | { readonly step: 'sessions.end' }
  | { readonly step: 'help.request'; readonly request: HelpRequest };

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
  constructor(
    private readonly steps: Step[],
    private readonly erased: boolean,
  ) {}

  async begin(language: LanguageCode): Promise<void> {
    this.steps.push({ step: 'sessions.begin', language });
  }

  async end(): Promise<{ erased: boolean }> {
    this.steps.push({ step: 'sessions.end' });
    return { erased: this.erased };
  }
}

class RecordedHelp implements HelpChannel {
  constructor(
    private readonly steps: Step[],
    private readonly outcome: HelpOutcome,
  ) {}

  async request(request: HelpRequest): Promise<HelpOutcome> {
    this.steps.push({ step: 'help.request', request });
    return this.outcome;
  }
}

class SwitchableConfig implements ConfigSource {
  constructor(public config: KioskConfig) {}
  current(): KioskConfig {
    return this.config;
  }
}

describe('createKioskHandlers through dispatchContractCall', () => {
  let steps: Step[];
  let presenter: HistoryPresenter;
  let config: SwitchableConfig;
  let handlers: ContractHandlers;

  beforeEach(() => {
    steps = [];
    presenter = new HistoryPresenter(steps);
    config = new SwitchableConfig(configNamed('PC 3'));
    handlers = createKioskHandlers({ config, presenter, sessions: new RecordedSessions(steps, true), help: new RecordedHelp(steps, { state: 'called' }) });
  });

  it('gives the configuration in force', async () => {
    expect(await dispatchContractCall(handlers, 'config:get', undefined)).toEqual({ ok: true, value: configNamed('PC 3') });
    config.config = configNamed('PC 7');
    const after = await dispatchContractCall(handlers, 'config:get', undefined);
    expect(after.ok && after.value).toMatchObject({ kiosk: { name: 'PC 7' } });
  });

  it('opens a configured service with the presenter and answers where it appeared', async () => {
    const vdab = configNamed('PC 3').services.find((service) => service.id === 'vdab')!;
    const envelope = await dispatchContractCall(handlers, 'service:open', { serviceId: 'vdab' });
    expect(envelope).toEqual({ ok: true, value: { presentation: 'kiosk-view', url: vdab.startUrl } });
    expect(steps).toEqual([{ step: 'presenter.open', serviceId: 'vdab' }]);
  });

  it('fails to open an unknown service id with a clear message, and never calls the presenter', async () => {
    const envelope = await dispatchContractCall(handlers, 'service:open', { serviceId: 'not-configured' });
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'failed', message: 'service:open: no service "not-configured" in the configuration in force' },
    });
    expect(steps).toEqual([]);
  });

  it('looks services up in the configuration in force, not the one at start', async () => {
    const current = configNamed('PC 3');
    config.config = { ...current, services: current.services.filter((service) => service.id !== 'vdab') };
    const envelope = await dispatchContractCall(handlers, 'service:open', { serviceId: 'vdab' });
    expect(envelope.ok).toBe(false);
    expect(steps).toEqual([]);
  });

  it('ends a session by closing the service first, and only then erasing the visitor', async () => {
    await dispatchContractCall(handlers, 'session:begin', { language: 'nl' });
    await dispatchContractCall(handlers, 'service:open', { serviceId: 'myminfin' });
    const envelope = await dispatchContractCall(handlers, 'session:end', {});
    expect(envelope).toEqual({ ok: true, value: { erased: true } });
    expect(steps.map((entry) => entry.step)).toEqual(['sessions.begin', 'presenter.open', 'presenter.close', 'sessions.end']);
  });

  it('passes on a wipe that could not be verified', async () => {
    const unverified = createKioskHandlers({ config, presenter, sessions: new RecordedSessions(steps, false), help: new RecordedHelp(steps, { state: 'called' }) });
    expect(await dispatchContractCall(unverified, 'session:end', {})).toEqual({ ok: true, value: { erased: false } });
    expect(steps.map((entry) => entry.step)).toEqual(['presenter.close', 'sessions.end']);
  });

  it('sends the help request with the kiosk name from the configuration, the service and the language', async () => {
    const envelope = await dispatchContractCall(handlers, 'help:request', { serviceId: 'vdab', language: 'de' });
    expect(envelope).toEqual({ ok: true, value: { state: 'called' } });
    expect(steps).toEqual([{ step: 'help.request', request: { kioskName: 'PC 3', serviceId: 'vdab', language: 'de' } }]);
  });

  it('sends a help request from the launcher, with no service open, under the name in force', async () => {
    config.config = configNamed('PC 12');
    await dispatchContractCall(handlers, 'help:request', { serviceId: null, language: 'fr' });
    expect(steps).toEqual([{ step: 'help.request', request: { kioskName: 'PC 12', serviceId: null, language: 'fr' } }]);
  });

  it('answers Back with whether there was a page to go back to', async () => {
    await dispatchContractCall(handlers, 'service:open', { serviceId: 'sncb' });
    expect(await dispatchContractCall(handlers, 'service:back', undefined)).toEqual({ ok: true, value: { wentBack: false } });
    presenter.visit('https://www.belgiantrain.be/fr/travel-info');
    expect(await dispatchContractCall(handlers, 'service:back', undefined)).toEqual({ ok: true, value: { wentBack: true } });
  });

  it('closes the service on Home and moves it when the area changes', async () => {
    const area = { x: 0, y: 96, width: 1366, height: 672 };
    expect(await dispatchContractCall(handlers, 'service:setArea', area)).toEqual({ ok: true, value: {} });
    expect(await dispatchContractCall(handlers, 'service:close', undefined)).toEqual({ ok: true, value: {} });
    expect(steps).toEqual([{ step: 'presenter.setArea', area }, { step: 'presenter.close' }]);
  });

  it('never reaches a service when the argument is refused', async () => {
    const envelope = await dispatchContractCall(handlers, 'service:setArea', { x: 0, y: 0, width: 1366, height: 768, url: 'file:///' });
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
    const withBrokenPresenter = createKioskHandlers({ config, presenter: broken, sessions: new RecordedSessions(steps, true), help: new RecordedHelp(steps, { state: 'no-channel' }) });
    expect(await dispatchContractCall(withBrokenPresenter, 'service:open', { serviceId: 'vdab' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'service:open: the view could not be created' },
    });
  });
});
