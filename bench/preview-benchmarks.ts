/**
 * Timings of the launcher in the browser preview, in headless Chromium:
 * - time to interactive: from navigation start to the renderer's
 *   performance.mark('kiosk:interactive'), over fresh page loads (a new browser
 *   context each time, so nothing is cached);
 * - the round trip of one contract call through the preview transport, timed from
 *   inside the page with fetch, as the renderer makes it.
 */
import type { ChromiumPipe } from './chromium-pipe';

export const VIEWPORT = { width: 1366, height: 768 } as const;

const INTERACTIVE_MARK = "performance.getEntriesByName('kiosk:interactive', 'mark')[0]";

async function withPage<T>(chromium: ChromiumPipe, use: (sessionId: string) => Promise<T>): Promise<T> {
  const page = await chromium.openPage();
  try {
    await chromium.send('Emulation.setDeviceMetricsOverride', { ...VIEWPORT, deviceScaleFactor: 1, mobile: false }, page.sessionId);
    return await use(page.sessionId);
  } finally {
    await page.close();
  }
}

export interface TimeToInteractiveOptions {
  readonly url: string;
  readonly warmUpLoads: number;
  readonly loads: number;
}

/** Milliseconds from navigation start to the interactive mark, one sample per measured load. */
export async function measureTimeToInteractive(chromium: ChromiumPipe, { url, warmUpLoads, loads }: TimeToInteractiveOptions): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < warmUpLoads + loads; index += 1) {
    // The mark's startTime is counted from the page's time origin: the start of its navigation.
    const startTime = await withPage(chromium, (sessionId) =>
      chromium.navigateAndWait(sessionId, url, `${INTERACTIVE_MARK} !== undefined`, `${INTERACTIVE_MARK}.startTime`),
    );
    if (typeof startTime !== 'number') throw new Error(`the interactive mark has no start time (${String(startTime)})`);
    if (index >= warmUpLoads) samples.push(startTime);
  }
  return samples;
}

export interface RoundTripOptions {
  readonly url: string;
  readonly channel: string;
  readonly argument: unknown;
  readonly warmUpCalls: number;
  readonly calls: number;
}

/** Milliseconds per contract call, measured in the page with performance.now(). */
export function measureContractRoundTrip(chromium: ChromiumPipe, { url, channel, argument, warmUpCalls, calls }: RoundTripOptions): Promise<number[]> {
  return measureFetches(chromium, {
    url,
    path: `/api/contract/${encodeURIComponent(channel)}`,
    init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(argument === undefined ? {} : { argument }), cache: 'no-store' },
    expectEnvelope: true,
    warmUpCalls,
    calls,
  });
}

/**
 * The same loop on the cheapest request the preview answers (GET /favicon.ico, 204 with
 * no body): what any fetch costs in this browser on this machine, whatever the server does.
 */
export function measureFetchFloor(chromium: ChromiumPipe, { url, warmUpCalls, calls }: Omit<RoundTripOptions, 'channel' | 'argument'>): Promise<number[]> {
  return measureFetches(chromium, { url, path: '/favicon.ico', init: { cache: 'no-store' }, expectEnvelope: false, warmUpCalls, calls });
}

interface FetchLoop {
  readonly url: string;
  readonly path: string;
  readonly init: Readonly<Record<string, unknown>>;
  readonly expectEnvelope: boolean;
  readonly warmUpCalls: number;
  readonly calls: number;
}

async function measureFetches(chromium: ChromiumPipe, loop: FetchLoop): Promise<number[]> {
  return withPage(chromium, async (sessionId) => {
    await chromium.navigateAndWait(sessionId, loop.url, "document.documentElement.dataset.screen === 'welcome'", 'true');
    const measure = `(async () => {
      const timings = [];
      for (let index = 0; index < ${loop.warmUpCalls + loop.calls}; index += 1) {
        const started = performance.now();
        const response = await fetch(${JSON.stringify(loop.path)}, ${JSON.stringify(loop.init)});
        const text = await response.text();
        const elapsed = performance.now() - started;
        if (${loop.expectEnvelope} && !JSON.parse(text).ok) throw new Error(${JSON.stringify(loop.path)} + ' failed: ' + text);
        if (!${loop.expectEnvelope} && !response.ok) throw new Error(${JSON.stringify(loop.path)} + ' answered ' + response.status);
        if (index >= ${loop.warmUpCalls}) timings.push(elapsed);
      }
      return timings;
    })()`;
    const timings = await chromium.evaluate(sessionId, measure);
    if (!Array.isArray(timings) || timings.some((value) => typeof value !== 'number')) throw new Error('the page returned no timings');
    return timings as number[];
  });
}
