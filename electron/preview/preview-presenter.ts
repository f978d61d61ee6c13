/**
 * How the browser preview shows a service: in the frame under its toolbar when the site
 * allows framing, otherwise in a new tab of the visitor's browser (and the preview says so).
 *
 * The decision is made before the renderer draws anything, from the headers of the
 * service's start page (after redirects), with the same rules a browser applies
 * (shared/framing.ts). A site that cannot be reached gets 'new-tab': the visitor's own
 * browser then shows what happens, which is more helpful than an empty frame.
 */
import type { ServiceArea, ServicePresentation } from '../../shared/contract';
import type { Service } from '../../shared/config/schema';
import { explainFraming, urlMatchesSourceList, type FramingVerdict } from '../../shared/framing';
import { decideNavigation } from '../../shared/navigation-policy';
import type { ServicePresenter } from '../services/kiosk-handlers';
import { frameSourcesOfService } from './preview-csp';

export const DEFAULT_PROBE_TIMEOUT_MS = 4_000;

export interface PreviewServicePresenterOptions {
  /** The origin of the preview's page, which would frame the service. Known once the server listens. */
  readonly embedderOrigin: () => string;
  /** How long to wait for a service's start page to answer before choosing a new tab. */
  readonly probeTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface OpenServiceRecord {
  readonly serviceId: string;
  readonly presentation: ServicePresentation;
  readonly url: string;
}

type ProbeResult = { readonly ok: true; readonly finalUrl: string; readonly headers: Headers } | { readonly ok: false; readonly problem: string };

// Some sites answer differently to clients that do not look like a browser.
const PROBE_HEADERS = {
  accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
  'user-agent': 'Mozilla/5.0 (compatible; EPN-Kiosk-preview)',
};

/** Fetches the response headers the frame would get: HEAD first, GET when HEAD is refused. */
async function probeStartPage(url: string, timeoutMs: number): Promise<ProbeResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  const describe = (error: unknown): string => {
    if (signal.aborted) return `no answer within ${timeoutMs} ms`;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error instanceof Error ? error.message : String(error)}${cause}`;
  };
  try {
    const head = await fetch(url, { method: 'HEAD', redirect: 'follow', signal, headers: PROBE_HEADERS });
    if (head.status < 400) return { ok: true, finalUrl: head.url, headers: head.headers };
  } catch (error) {
    if (signal.aborted) return { ok: false, problem: describe(error) };
    // Some servers drop the connection on HEAD: GET below decides.
  }
  try {
    const get = await fetch(url, { method: 'GET', redirect: 'follow', signal, headers: PROBE_HEADERS });
    // Only the headers matter: do not download the page.
    await get.body?.cancel().catch(() => {});
    return { ok: true, finalUrl: get.url, headers: get.headers };
  } catch (error) {
    return { ok: false, problem: describe(error) };
  }
}

export class PreviewServicePresenter implements ServicePresenter {
  readonly #options: PreviewServicePresenterOptions;
  #open: OpenServiceRecord | null = null;
  #area: ServiceArea | null = null;

  constructor(options: PreviewServicePresenterOptions) {
    this.#options = options;
  }

  async open(service: Service): Promise<{ presentation: ServicePresentation; url: string }> {
    const verdict = await this.decide(service);
    this.#options.log?.(`service "${service.id}": ${verdict.presentation} (${verdict.reason})`);
    const record: OpenServiceRecord = { serviceId: service.id, presentation: verdict.presentation, url: service.startUrl };
    this.#open = record;
    return { presentation: record.presentation, url: record.url };
  }

  /** The framing decision for a service, with its reason. */
  async decide(service: Service): Promise<FramingVerdict> {
    const embedderOrigin = this.#options.embedderOrigin();
    const probe = await probeStartPage(service.startUrl, this.#options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    if (!probe.ok) return { presentation: 'new-tab', reason: `${service.startUrl} could not be reached (${probe.problem})` };
    // A start page that leads off the allow-list would be blocked in the frame by the
    // preview's own frame-src (preview-csp.ts); the kiosk's policy says the same.
    const navigation = decideNavigation(probe.finalUrl, service, 'redirect');
    if (!navigation.allowed || !urlMatchesSourceList(frameSourcesOfService(service), probe.finalUrl, embedderOrigin)) {
      return { presentation: 'new-tab', reason: `${service.startUrl} leads to ${probe.finalUrl}, outside the service's allowed domains` };
    }
    return explainFraming({ headers: probe.headers, pageUrl: probe.finalUrl, embedderOrigin });
  }

  /**
   * A framed service belongs to another origin: the preview cannot read or drive that
   * frame's history, so Back never goes anywhere here (the visitor's browser Back does).
   */
  async back(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    this.#open = null;
  }

  setArea(area: ServiceArea): void {
    this.#area = area;
  }

  /** What is open and where it may be drawn, as the renderer last told. */
  state(): { readonly open: OpenServiceRecord | null; readonly area: ServiceArea | null } {
    return { open: this.#open, area: this.#area };
  }
}
