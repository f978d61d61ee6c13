/**
 * shared/framing.ts predicts whether Chromium will show a page in a frame. Here Chromium
 * itself is asked, for every kind of header the prediction reads: a page on one loopback
 * origin frames pages on another (and on its own) sent with those headers, and the
 * prediction must match what the browser did. A wrong 'frame' would leave a visitor
 * in front of an empty frame.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { test, expect } from '@playwright/test';
import { decideFraming } from '../../shared/framing';
import { startLoopbackServer, type LoopbackServer } from '../electron/preview/loopback-http';

interface FramingCase {
  readonly name: string;
  /** EMBEDDER in a value stands for the framing page's origin, e.g. http://127.0.0.1:40123. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Whether the framed page is on the framing page's own origin. */
  readonly sameOrigin?: boolean;
}

const CASES: readonly FramingCase[] = [
  { name: 'no headers', headers: {} },
  { name: 'X-Frame-Options DENY', headers: { 'x-frame-options': 'DENY' } },
  { name: 'X-Frame-Options deny (lowercase)', headers: { 'x-frame-options': 'deny' } },
  { name: 'X-Frame-Options SAMEORIGIN, other origin', headers: { 'x-frame-options': 'SAMEORIGIN' } },
  { name: 'X-Frame-Options SAMEORIGIN, same origin', headers: { 'x-frame-options': 'SAMEORIGIN' }, sameOrigin: true },
  { name: 'X-Frame-Options DENY, same origin', headers: { 'x-frame-options': 'DENY' }, sameOrigin: true },
  { name: 'X-Frame-Options ALLOWALL', headers: { 'x-frame-options': 'ALLOWALL' } },
  { name: 'X-Frame-Options ALLOW-FROM (obsolete)', headers: { 'x-frame-options': 'ALLOW-FROM EMBEDDER' } },
  { name: 'X-Frame-Options nonsense', headers: { 'x-frame-options': 'nonsense' } },
  { name: 'X-Frame-Options "DENY" in quotes', headers: { 'x-frame-options': '"DENY"' } },
  { name: 'X-Frame-Options DENY twice', headers: { 'x-frame-options': ['DENY', 'DENY'] } },
  { name: 'X-Frame-Options SAMEORIGIN and DENY, same origin', headers: { 'x-frame-options': 'SAMEORIGIN, DENY' }, sameOrigin: true },
  { name: 'X-Frame-Options ALLOWALL and SAMEORIGIN, same origin', headers: { 'x-frame-options': ['ALLOWALL', 'SAMEORIGIN'] }, sameOrigin: true },
  { name: 'X-Frame-Options two unknown values', headers: { 'x-frame-options': 'foo, bar' } },
  { name: "frame-ancestors 'none'", headers: { 'content-security-policy': "frame-ancestors 'none'" } },
  { name: 'frame-ancestors empty', headers: { 'content-security-policy': 'frame-ancestors' } },
  { name: "frame-ancestors 'self', other origin", headers: { 'content-security-policy': "frame-ancestors 'self'" } },
  { name: "frame-ancestors 'self', same origin", headers: { 'content-security-policy': "frame-ancestors 'self'" }, sameOrigin: true },
  { name: 'frame-ancestors *', headers: { 'content-security-policy': 'frame-ancestors *' } },
  { name: 'frame-ancestors http:', headers: { 'content-security-policy': 'frame-ancestors http:' } },
  { name: 'frame-ancestors https:', headers: { 'content-security-policy': 'frame-ancestors https:' } },
  { name: 'frame-ancestors the embedder', headers: { 'content-security-policy': 'frame-ancestors EMBEDDER' } },
  { name: 'frame-ancestors the embedder with a trailing slash', headers: { 'content-security-policy': 'frame-ancestors EMBEDDER/' } },
  { name: 'frame-ancestors the embedder with a path', headers: { 'content-security-policy': 'frame-ancestors EMBEDDER/some/path' } },
  { name: 'frame-ancestors 127.0.0.1 on any port', headers: { 'content-security-policy': 'frame-ancestors http://127.0.0.1:*' } },
  { name: 'frame-ancestors 127.0.0.1 on the default port', headers: { 'content-security-policy': 'frame-ancestors http://127.0.0.1' } },
  { name: 'frame-ancestors localhost', headers: { 'content-security-policy': 'frame-ancestors http://localhost:*' } },
  { name: 'frame-ancestors another site', headers: { 'content-security-policy': 'frame-ancestors https://partner.example' } },
  { name: "frame-ancestors 'none' beside the embedder", headers: { 'content-security-policy': "frame-ancestors 'none' EMBEDDER" } },
  { name: 'frame-ancestors repeated, first wins (none)', headers: { 'content-security-policy': "frame-ancestors 'none'; frame-ancestors EMBEDDER" } },
  { name: 'frame-ancestors repeated, first wins (embedder)', headers: { 'content-security-policy': "frame-ancestors EMBEDDER; frame-ancestors 'none'" } },
  { name: 'two policies in one header, one refuses', headers: { 'content-security-policy': "frame-ancestors EMBEDDER, frame-ancestors 'none'" } },
  { name: 'two policy headers, both allow', headers: { 'content-security-policy': ['frame-ancestors *', 'frame-ancestors EMBEDDER'] } },
  { name: 'two policy headers, one refuses', headers: { 'content-security-policy': ['frame-ancestors *', 'frame-ancestors https://partner.example'] } },
  { name: 'frame-ancestors allows, X-Frame-Options DENY', headers: { 'content-security-policy': 'frame-ancestors EMBEDDER', 'x-frame-options': 'DENY' } },
  { name: 'policy without frame-ancestors, X-Frame-Options DENY', headers: { 'content-security-policy': "default-src 'self'", 'x-frame-options': 'DENY' } },
  { name: "report-only frame-ancestors 'none'", headers: { 'content-security-policy-report-only': "frame-ancestors 'none'" } },
  { name: 'report-only frame-ancestors *, X-Frame-Options DENY', headers: { 'content-security-policy-report-only': 'frame-ancestors *', 'x-frame-options': 'DENY' } },
];

function resolveHeaders(headers: FramingCase['headers'], embedderOrigin: string): OutgoingHttpHeaders {
  const resolved: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    resolved[name] = typeof value === 'string' ? value.replaceAll('EMBEDDER', embedderOrigin) : value.map((item) => item.replaceAll('EMBEDDER', embedderOrigin));
  }
  return resolved;
}

let embedder: LoopbackServer;
let other: LoopbackServer;

function caseServer(embedderOrigin: () => string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const framingCase = CASES[Number(url.searchParams.get('case'))];
    if (url.pathname === '/framed' && framingCase !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...resolveHeaders(framingCase.headers, embedderOrigin()) });
      response.end('<!doctype html><title>framed</title><h1 id="framed">Framed page</h1>');
      return;
    }
    if (url.pathname === '/embed') {
      const target = url.searchParams.get('target') ?? '';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      // The attribute tells the test the frame finished, whether with the page or with the browser's refusal.
      response.end(`<!doctype html><title>embedder</title><iframe src="${target}" onload="document.documentElement.dataset.frameLoaded = 'yes'"></iframe>`);
      return;
    }
    response.writeHead(404);
    response.end();
  };
}

test.beforeAll(async () => {
  let embedderOrigin = '';
  embedder = await startLoopbackServer(caseServer(() => embedderOrigin));
  embedderOrigin = embedder.origin;
  other = await startLoopbackServer(caseServer(() => embedderOrigin));
});

test.afterAll(async () => {
  await embedder?.close();
  await other?.close();
});

CASES.forEach((framingCase, index) => {
  test(`Chromium agrees with the framing decision: ${framingCase.name}`, async ({ page }) => {
    const framedServer = framingCase.sameOrigin === true ? embedder : other;
    const target = framedServer.url(`/framed?case=${index}`);
    const predicted = decideFraming({
      headers: resolveHeaders(framingCase.headers, embedder.origin) as Record<string, string | string[]>,
      pageUrl: target,
      embedderOrigin: embedder.origin,
    });

    await page.goto(embedder.url(`/embed?target=${encodeURIComponent(target)}`));
    await expect(page.locator('html')).toHaveAttribute('data-frame-loaded', 'yes');
    const child = page.frames().find((frame) => frame !== page.mainFrame());
    expect(child, 'the iframe has a frame').toBeDefined();
    const shown = child!.url() === target && (await child!.locator('#framed').count()) === 1;

    expect(shown ? 'frame' : 'new-tab').toBe(predicted);
  });
});
