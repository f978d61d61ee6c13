/**
 * The wipe's proof: a probe page opened on each site the visitor used, in a given
 * session, that reports what the page would find there: cookies, localStorage,
 * sessionStorage, IndexedDB databases, Cache Storage caches, service workers.
 *
 * Clearing storage has had gaps in Electron (#12310 cache storage, #12322 and #24130
 * localStorage), so the kiosk does not trust the clear calls: it looks, as the next
 * visitor's pages would. The probe never touches the network: while it runs, the probed
 * session answers every http and https request with the probe document itself
 * (`protocol.handle`), so each site's origin is reached without a byte leaving the PC.
 *
 * Only the set of origins is kept, in memory, for the time of the visit; problems are
 * reported as counts, never naming a site.
 */
import type { Cookies, Protocol, WebContents } from 'electron';
import type { ShellLog } from './shell-log';

/** What the probe reads of a session. */
export interface ProbedSession {
  readonly cookies: Pick<Cookies, 'get'>;
  readonly protocol: Pick<Protocol, 'handle' | 'unhandle'>;
}

/** A page opened for the probe (an unattached WebContentsView's webContents). */
export type ProbePage = Pick<WebContents, 'loadURL' | 'executeJavaScript' | 'close' | 'isDestroyed'>;

export const PROBE_PATH = '/.well-known/epn-kiosk-wipe-probe';
export const PROBE_MARKER_ATTRIBUTE = 'data-epn-kiosk-wipe-probe';

const PROBE_DOCUMENT = `<!doctype html><html ${PROBE_MARKER_ATTRIBUTE}="1"><head><meta charset="utf-8"><title>EPN Kiosk</title></head><body></body></html>`;

/** What the probe page finds; -1 where the page could not read a kind of storage. */
export interface ProbeReading {
  /** False when something else answered instead of the probe document (a service worker, say). */
  readonly probeDocument: boolean;
  readonly cookies: number;
  readonly localStorage: number;
  readonly sessionStorage: number;
  readonly indexedDB: number;
  readonly cacheStorage: number;
  readonly serviceWorkers: number;
}

const STORAGE_KINDS = ['cookies', 'localStorage', 'sessionStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers'] as const;

/** Runs in the probe page; `caches` and `navigator.serviceWorker` exist only in secure contexts. */
export const PROBE_SCRIPT = `(async () => {
  const count = async (read) => { try { return await read(); } catch (error) { void error; return -1; } };
  return {
    probeDocument: document.documentElement.getAttribute(${JSON.stringify(PROBE_MARKER_ATTRIBUTE)}) === '1',
    cookies: await count(() => (document.cookie === '' ? 0 : document.cookie.split(';').length)),
    localStorage: await count(() => localStorage.length),
    sessionStorage: await count(() => sessionStorage.length),
    indexedDB: await count(async () => (await indexedDB.databases()).length),
    cacheStorage: await count(async () => (typeof caches === 'undefined' ? 0 : (await caches.keys()).length)),
    serviceWorkers: await count(async () => (navigator.serviceWorker === undefined ? 0 : (await navigator.serviceWorker.getRegistrations()).length)),
  };
})()`;

export function readProbeAnswer(answer: unknown): ProbeReading | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const fields = answer as Record<string, unknown>;
  if (typeof fields.probeDocument !== 'boolean') return undefined;
  const counts: Partial<Record<(typeof STORAGE_KINDS)[number], number>> = {};
  for (const kind of STORAGE_KINDS) {
    const value = fields[kind];
    if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
    counts[kind] = value;
  }
  return { probeDocument: fields.probeDocument, ...(counts as Record<(typeof STORAGE_KINDS)[number], number>) };
}

/** The origin (scheme://host:port) of an http or https address, else undefined. */
export function probeableOrigin(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
}

export interface ProbeOptions {
  /** Opens a page in the probed session's partition. */
  readonly openPage: () => ProbePage;
  /** How long one site may take to answer. */
  readonly timeoutMs: number;
  /** How many sites are probed at once. */
  readonly concurrency?: number;
  readonly log: ShellLog;
}

export const PROBE_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function probeOne(origin: string, options: ProbeOptions): Promise<ProbeReading> {
  const page = options.openPage();
  try {
    await withTimeout(page.loadURL(`${origin}${PROBE_PATH}`), options.timeoutMs, 'the probe page');
    const answer = await withTimeout(page.executeJavaScript(PROBE_SCRIPT, false) as Promise<unknown>, options.timeoutMs, 'the probe script');
    const reading = readProbeAnswer(answer);
    if (reading === undefined) throw new Error('the probe page gave an answer the kiosk cannot read');
    return reading;
  } finally {
    if (!page.isDestroyed()) page.close();
  }
}

/**
 * Probes `origins` in `session`; resolves with the problems found, as sentences that name
 * no site (empty when every site was clean). `label` says which session, for the report.
 */
export async function probeSession(session: ProbedSession, origins: readonly string[], label: string, options: ProbeOptions): Promise<string[]> {
  const problems: string[] = [];
  const cookies = await session.cookies.get({});
  if (cookies.length > 0) problems.push(`${label}: the cookie jar holds ${cookies.length} cookie(s)`);
  if (origins.length === 0) return problems;

  const answerWithProbe = () =>
    new Response(PROBE_DOCUMENT, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
  session.protocol.handle('https', answerWithProbe);
  session.protocol.handle('http', answerWithProbe);
  try {
    const findings = new Map<string, number>();
    const note = (finding: string) => findings.set(finding, (findings.get(finding) ?? 0) + 1);
    const queue = [...origins];
    const worker = async () => {
      for (let origin = queue.shift(); origin !== undefined; origin = queue.shift()) {
        try {
          const reading = await probeOne(origin, options);
          if (!reading.probeDocument) note('something other than the probe answered (a service worker?)');
          for (const kind of STORAGE_KINDS) {
            if (reading[kind] < 0) note(`${kind} could not be read`);
            else if (reading[kind] > 0) note(`${kind} is not empty`);
          }
        } catch (error) {
          options.log(`${label}: a site did not answer the probe (${describe(error)})`);
          note('the probe got no answer');
        }
      }
    };
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, origins.length));
    await Promise.all(Array.from({ length: workers }, worker));
    for (const [finding, sites] of findings) problems.push(`${label}: ${finding} on ${sites} of ${origins.length} site(s)`);
  } finally {
    session.protocol.unhandle('https');
    session.protocol.unhandle('http');
  }
  return problems;
}
