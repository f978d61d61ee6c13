/**
 * Real HTTP servers on 127.0.0.1 standing in for web services, and the configuration
 * that lists them, for the preview's server tests and the end-to-end tests.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KioskConfigInput } from '../../../shared/config/schema';
import type { LanguageCode } from '../../../shared/languages';

export interface LoopbackServer {
  readonly port: number;
  /** For example "http://127.0.0.1:39211". */
  readonly origin: string;
  url(path?: string): string;
  close(): Promise<void>;
}

export async function startLoopbackServer(listener: RequestListener): Promise<LoopbackServer> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    url: (path = '/') => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once by the system, then released. */
export async function unusedPort(): Promise<number> {
  const probe = await startLoopbackServer(() => {});
  await probe.close();
  return probe.port;
}

/** A small HTML page whose heading names it, sent with the given headers. */
export function htmlPage(heading: string, headers: OutgoingHttpHeaders = {}): RequestListener {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${heading}</title></head><body><h1>${heading}</h1></body></html>`);
  };
}

export interface TestService {
  readonly id: string;
  readonly theme: string;
  readonly label: Readonly<Record<LanguageCode, string>>;
  readonly startUrl: string;
}

/** A configuration entry for a service on a loopback server: plain http to 127.0.0.1 on its port. */
export function loopbackServiceEntry(service: TestService): KioskConfigInput['services'][number] {
  const { host } = new URL(service.startUrl);
  return {
    id: service.id,
    label: { ...service.label },
    theme: service.theme,
    icon: 'globe',
    startUrl: service.startUrl,
    allowedDomains: [host],
    UNSAFE_allowHttpHosts: ['127.0.0.1'],
  };
}

export function testConfig(services: readonly TestService[], kioskName = 'PC test'): KioskConfigInput {
  const themes = [...new Set(services.map((service) => service.theme))];
  return {
    schemaVersion: 1,
    kiosk: { name: kioskName, site: 'EPN test' },
    languages: { offered: ['fr', 'nl', 'de', 'en'], default: 'fr' },
    themes: themes.map((id) => ({ id, icon: 'building' })),
    services: services.map(loopbackServiceEntry),
  };
}

export function writeConfigFile(dataDir: string, config: unknown): void {
  writeFileSync(join(dataDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A request with full control of its headers (fetch refuses to set Host). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
