import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewServicePresenter } from '../../../electron/preview/preview-presenter';
import { frameSourcesOfService, rendererContentSecurityPolicy } from '../../../electron/preview/preview-csp';
import { parseKioskConfig, ServiceSchema, type Service } from '../../../shared/config/schema';
import { DEFAULT_CONFIG } from '../../../shared/config/default-config';
import { htmlPage, loopbackServiceEntry, startLoopbackServer, type LoopbackServer } from './loopback-http';

const PREVIEW_ORIGIN = 'http://127.0.0.1:4173';

function service(startUrl: string, extra: Partial<Record<'allowedDomains' | 'UNSAFE_allowHttpHosts', string[]>> = {}): Service {
  return ServiceSchema.parse({
    ...loopbackServiceEntry({ id: 'probe', theme: 'administration', label: { fr: 'Essai', nl: 'Test', de: 'Test', en: 'Test', ar: 'اختبار', tr: 'Deneme', uk: 'Тест' }, startUrl }),
    ...extra,
  });
}

function presenter(probeTimeoutMs?: number): { presenter: PreviewServicePresenter; log: string[] } {
  const log: string[] = [];
  return { presenter: new PreviewServicePresenter({ embedderOrigin: () => PREVIEW_ORIGIN, probeTimeoutMs, log: (line) => log.push(line) }), log };
}

describe('PreviewServicePresenter', () => {
  let allowsPreview: LoopbackServer;
  let sameOrigin: LoopbackServer;
  let selfOnly: LoopbackServer;
  let silent: LoopbackServer;
  let dropsHead: LoopbackServer;
  let offList: LoopbackServer;
  let redirectsOffList: LoopbackServer;
  const silentSockets = new Set<Socket>();

  beforeAll(async () => {
    allowsPreview = await startLoopbackServer(htmlPage('Allows the preview', { 'content-security-policy': `frame-ancestors ${PREVIEW_ORIGIN}`, 'x-frame-options': 'DENY' }));
    sameOrigin = await startLoopbackServer(htmlPage('Same origin only', { 'x-frame-options': 'SAMEORIGIN' }));
    selfOnly = await startLoopbackServer(htmlPage('Self only', { 'content-security-policy': "frame-ancestors 'self'" }));
    silent = await startLoopbackServer((request) => {
      // Never answers: the probe must give up on its own.
      silentSockets.add(request.socket);
    });
    dropsHead = await startLoopbackServer((request, response) => {
      if (request.method === 'HEAD') request.socket.destroy();
      else htmlPage('Drops HEAD')(request, response);
    });
    offList = await startLoopbackServer(htmlPage('Somewhere else'));
    redirectsOffList = await startLoopbackServer((_request, response) => {
      response.writeHead(302, { location: offList.url('/') });
      response.end();
    });
  });

  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    await Promise.all([allowsPreview, sameOrigin, selfOnly, silent, dropsHead, offList, redirectsOffList].map((server) => server.close()));
  });

  it('frames a page whose frame-ancestors names the preview, even with X-Frame-Options DENY', async () => {
    const { presenter: subject } = presenter();
    expect(await subject.open(service(allowsPreview.url('/')))).toEqual({ presentation: 'frame', url: allowsPreview.url('/') });
    expect(subject.state().open?.presentation).toBe('frame');
  });

  it("opens SAMEORIGIN and 'self' pages of another origin in a new tab", async () => {
    const { presenter: subject } = presenter();
    expect((await subject.open(service(sameOrigin.url('/')))).presentation).toBe('new-tab');
    expect((await subject.open(service(selfOnly.url('/')))).presentation).toBe('new-tab');
  });

  it('gives up on a silent server after the timeout and chooses a new tab', async () => {
    const { presenter: subject, log } = presenter(300);
    const started = performance.now();
    expect((await subject.open(service(silent.url('/')))).presentation).toBe('new-tab');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(log.join('\n')).toMatch(/no answer within 300 ms/);
  });

  it('asks with GET when the server drops a HEAD request', async () => {
    const { presenter: subject } = presenter();
    expect(await subject.decide(service(dropsHead.url('/')))).toEqual({ presentation: 'frame', reason: 'no X-Frame-Options and no frame-ancestors' });
  });

  it('chooses a new tab when the start page leads off the allow-list', async () => {
    const { presenter: subject } = presenter();
    const verdict = await subject.decide(service(redirectsOffList.url('/')));
    expect(verdict.presentation).toBe('new-tab');
    expect(verdict.reason).toContain(`leads to ${offList.url('/')}`);
  });

  it('frames the redirect target when the allow-list covers it', async () => {
    const { presenter: subject } = presenter();
    const covered = service(redirectsOffList.url('/'), { allowedDomains: [`127.0.0.1:${redirectsOffList.port}`, `127.0.0.1:${offList.port}`] });
    expect((await subject.decide(covered)).presentation).toBe('frame');
  });

  it('cannot go back in a cross-origin frame, and records the area and closing', async () => {
    const { presenter: subject } = presenter();
    await subject.open(service(allowsPreview.url('/')));
    expect(await subject.back()).toBe(false);
    subject.setArea({ x: 0, y: 120, width: 1366, height: 648 });
    await subject.close();
    expect(subject.state()).toEqual({ open: null, area: { x: 0, y: 120, width: 1366, height: 648 } });
  });
});

describe('the renderer page\'s Content-Security-Policy', () => {
  const serviceWith = (startUrl: string, allowedDomains: string[], UNSAFE_allowHttpHosts: string[] = []) =>
    ServiceSchema.parse({ id: 'portal', label: { en: 'Portal' }, theme: 'administration', icon: 'globe', startUrl, allowedDomains, UNSAFE_allowHttpHosts });

  it('frames a DNS entry and its subdomains over https, on the default port', () => {
    expect(frameSourcesOfService(serviceWith('https://www.example.be/', ['example.be']))).toEqual([
      'https://example.be',
      'https://*.example.be',
    ]);
  });

  it('frames an IPv4 or single-label entry exactly, with its port, and over http only when allowed', () => {
    const sources = frameSourcesOfService(
      serviceWith('http://192.168.1.20:8080/', ['192.168.1.20:8080', 'intranet', 'portal.example.be:8443'], ['192.168.1.20']),
    );
    expect(sources).toEqual([
      'https://192.168.1.20:8080',
      'http://192.168.1.20:8080',
      'https://intranet',
      'https://portal.example.be:8443',
      'https://*.portal.example.be:8443',
    ]);
  });

  it('lists the default catalogue\'s domains and nothing over plain http', () => {
    const parsed = parseKioskConfig(DEFAULT_CONFIG);
    if (!parsed.ok) throw new Error('the default configuration must be valid');
    const policy = rendererContentSecurityPolicy(parsed.config);
    const frameSrc = policy.split('; ').find((directive) => directive.startsWith('frame-src '))!;
    expect(frameSrc).toContain('https://minfin.fgov.be');
    expect(frameSrc).toContain('https://*.vdab.be');
    expect(frameSrc).not.toContain('http://');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it("frames nothing when no service is configured", () => {
    const parsed = parseKioskConfig({ ...DEFAULT_CONFIG, services: [] });
    if (!parsed.ok) throw new Error('a configuration without services is valid');
    expect(rendererContentSecurityPolicy(parsed.config)).toContain("frame-src 'none'");
  });
});
