/**
 * "End session confirmed → clean state", in the browser preview, in headless Chromium.
 *
 * Each run is a whole short visit in one page: choose English on the welcome screen, open
 * a framed service (a page on a loopback server), press End session, and then, timed
 * with performance.now() inside the page:
 *
 * - confirm → erased: from the click on "Yes, erase and finish" to the first animation
 *   frame after the page shows the erased screen (`html[data-screen=erased]`). In
 *   between: session:end over HTTP, the service closed, the wipe run and verified, the
 *   controller's "ending" and "erased" snapshots pushed over server-sent events, the
 *   screens reset (no service, no dialog, launcher state cleared) and drawn.
 * - erased → welcome: the visitor touches the erased message (the session machine lets
 *   a touch skip it), from that touch to the first frame after the welcome screen is
 *   usable again (`html[data-screen=welcome]`). Without a touch, the message stays for
 *   the configured `erasedMessageSeconds`.
 *
 * The preview's session controller runs on a ManualClock that never moves here, so no
 * idle timer interferes; the wipe is the preview's (an in-memory session record): what
 * is measured is the kiosk's own path, not an Electron partition being cleared.
 */
import { startPreviewServer, type PreviewServer } from '../electron/preview/preview-server';
import { htmlPage, startLoopbackServer, testConfig, writeConfigFile, type LoopbackServer } from '../tests/electron/preview/loopback-http';
import { ManualClock } from '../tests/support/manual-clock';
import type { ChromiumPipe } from './chromium-pipe';
import { VIEWPORT } from './preview-benchmarks';

export const BENCH_SERVICE_ID = 'bench-page';

export interface EndSessionSamples {
  /** Click on "Yes, erase and finish" → first frame with the erased screen, ms. */
  readonly confirmToErased: number[];
  /** The same, to the DOM commit that names the erased screen (before the frame), ms. */
  readonly confirmToErasedCommit: number[];
  /** Touch on the erased message → first frame with the welcome screen, ms. */
  readonly touchToWelcome: number[];
  /** How long the erased message stays without a touch, as configured, ms. */
  readonly erasedMessageMs: number;
}

export interface EndSessionOptions {
  readonly runs: number;
  readonly warmUpRuns: number;
}

/** One visit, run inside the page; returns the three timings or throws with the step that failed. */
const ONE_VISIT = `(async () => {
  const html = document.documentElement;
  const deadline = (what) => new Error('timed out waiting for ' + what + ' (screen: ' + html.dataset.screen + ', phase: ' + html.dataset.sessionPhase + ')');
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  // Resolves with performance.now() at the DOM change that makes the condition true.
  const when = (what, condition, timeoutMs = 10000) => new Promise((resolve, reject) => {
    if (condition()) return resolve(performance.now());
    const observer = new MutationObserver(() => {
      if (!condition()) return;
      const at = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      resolve(at);
    });
    const timer = setTimeout(() => { observer.disconnect(); reject(deadline(what)); }, timeoutMs);
    observer.observe(html, { attributes: true, childList: true, subtree: true });
  });
  const screenIs = (name) => () => html.dataset.screen === name;
  const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  await when('the welcome screen', screenIs('welcome'));
  document.querySelector('button[lang="en"]').click();
  await when('the launcher', screenIs('launcher'));
  document.querySelector('button[data-service-id="${BENCH_SERVICE_ID}"]').click();
  await when('the service in its frame', () => html.dataset.screen === 'service' && document.querySelector('iframe') !== null);
  document.querySelector('.bar-button--end').click();
  await when('the end-session question', () => document.querySelector('[role="alertdialog"] .big-button--erase') !== null);

  const confirmedAt = performance.now();
  document.querySelector('[role="alertdialog"] .big-button--erase').click();
  const erasedCommitAt = await when('the erased screen', screenIs('erased'));
  const erasedFrameAt = await nextFrame();

  // The next visitor arrives a moment later (never within 200 ms of the message) and touches it.
  await settle(200);
  const touchedAt = performance.now();
  document.querySelector('.session-end').dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, pointerType: 'touch', isPrimary: true }));
  await when('the welcome screen after the touch', screenIs('welcome'));
  const welcomeFrameAt = await nextFrame();

  return { confirmToErased: erasedFrameAt - confirmedAt, confirmToErasedCommit: erasedCommitAt - confirmedAt, touchToWelcome: welcomeFrameAt - touchedAt };
})()`;

interface VisitTimings {
  readonly confirmToErased: number;
  readonly confirmToErasedCommit: number;
  readonly touchToWelcome: number;
}

function isVisitTimings(value: unknown): value is VisitTimings {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['confirmToErased', 'confirmToErasedCommit', 'touchToWelcome'].every((key) => typeof record[key] === 'number');
}

export async function measureEndSession(chromium: ChromiumPipe, dataDir: string, { runs, warmUpRuns }: EndSessionOptions): Promise<EndSessionSamples> {
  const servers: LoopbackServer[] = [];
  let preview: PreviewServer | null = null;
  const page = await chromium.openPage();
  try {
    const service = await startLoopbackServer(htmlPage('Benchmark service page'));
    servers.push(service);
    writeConfigFile(
      dataDir,
      testConfig(
        [
          {
            id: BENCH_SERVICE_ID,
            theme: 'administration',
            label: { fr: 'Page de mesure', nl: 'Meetpagina', de: 'Messseite', en: 'Benchmark page', ar: 'صفحة القياس', tr: 'Ölçüm sayfası', uk: 'Сторінка вимірювання' },
            startUrl: service.url('/'),
          },
        ],
        'PC bench',
      ),
    );
    preview = await startPreviewServer({ port: 0, dataDir, managedConfigPath: null, clock: new ManualClock() });

    await chromium.send('Emulation.setDeviceMetricsOverride', { ...VIEWPORT, deviceScaleFactor: 1, mobile: false }, page.sessionId);
    await chromium.navigateAndWait(page.sessionId, preview.url, "document.documentElement.dataset.screen === 'welcome'", 'true');

    const samples = { confirmToErased: [] as number[], confirmToErasedCommit: [] as number[], touchToWelcome: [] as number[] };
    for (let index = 0; index < warmUpRuns + runs; index += 1) {
      const timings = await chromium.evaluate(page.sessionId, ONE_VISIT);
      if (!isVisitTimings(timings)) throw new Error(`a visit returned no timings (${JSON.stringify(timings)})`);
      if (index < warmUpRuns) continue;
      samples.confirmToErased.push(timings.confirmToErased);
      samples.confirmToErasedCommit.push(timings.confirmToErasedCommit);
      samples.touchToWelcome.push(timings.touchToWelcome);
    }
    const wipes = preview.sessions.wipeReasons();
    const visitorWipes = wipes.filter((reason) => reason === 'visitor').length;
    if (visitorWipes !== warmUpRuns + runs) throw new Error(`expected ${warmUpRuns + runs} visitor wipes, the preview ran ${visitorWipes} (${wipes.join(', ')})`);
    return { ...samples, erasedMessageMs: preview.configStore.current().session.erasedMessageSeconds * 1000 };
  } finally {
    await page.close();
    await preview?.close();
    await Promise.all(servers.map((server) => server.close()));
  }
}
