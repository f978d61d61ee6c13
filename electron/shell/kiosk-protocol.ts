/**
 * The launcher is served from the kiosk's own scheme, `kiosk://app/`, never from
 * `file://`: a file URL would give the page the reach of the whole disk and an opaque
 * origin that cannot carry a Content-Security-Policy or be told apart from any other file.
 * Only the built renderer folder (dist/renderer) is reachable, and every answer carries
 * the launcher's strict Content-Security-Policy.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { KIOSK_SCHEME, isKioskAppUrl } from './kiosk-origin';

/**
 * Standard (so the launcher has a real origin, relative URLs and web storage) and secure
 * (so it counts as a secure context); fetch support lets the module scripts Vite emits
 * load from the same origin. Deliberately not `corsEnabled` (other origins must not read
 * it), not `bypassCSP`, no service workers.
 */
export const KIOSK_SCHEME_REGISTRATION = {
  scheme: KIOSK_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const satisfies CustomScheme;

export const LAUNCHER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': LAUNCHER_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

function refusal(status: 404 | 405, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The file under `rendererRoot` a launcher URL path names, or undefined when the path
 * tries to leave the folder in any spelling (`..`, encoded slashes or dots, backslashes,
 * drive letters, NUL) or names a folder.
 */
export function rendererFileFor(rendererRoot: string, urlPath: string): string | undefined {
  const segments = (urlPath === '/' ? '/index.html' : urlPath).split('/').slice(1);
  const decoded: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (name === '' || name === '.' || name === '..' || /[/\\:\0]/.test(name)) return undefined;
    decoded.push(name);
  }
  if (decoded.length === 0) return undefined;
  const root = path.resolve(rendererRoot);
  const candidate = path.resolve(root, ...decoded);
  return isInside(root, candidate) ? candidate : undefined;
}

export type KioskProtocolHandler = (request: Request) => Promise<Response>;

export function createKioskProtocolHandler({ rendererRoot }: { rendererRoot: string }): KioskProtocolHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed');
    if (!isKioskAppUrl(request.url)) return refusal(404, 'Not found');
    const file = rendererFileFor(rendererRoot, new URL(request.url).pathname);
    if (file === undefined) return refusal(404, 'Not found');
    try {
      // A link inside dist/renderer must not lead out of it either.
      const [realRoot, realFile] = await Promise.all([fs.realpath(rendererRoot), fs.realpath(file)]);
      if (!isInside(realRoot, realFile)) return refusal(404, 'Not found');
      const stats = await fs.stat(realFile);
      if (!stats.isFile()) return refusal(404, 'Not found');
      const contentType = CONTENT_TYPES[path.extname(realFile).toLowerCase()] ?? 'application/octet-stream';
      const headers = { ...securityHeaders(), 'Content-Type': contentType, 'Content-Length': String(stats.size) };
      if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
      return new Response(new Uint8Array(await fs.readFile(realFile)), { status: 200, headers });
    } catch {
      return refusal(404, 'Not found');
    }
  };
}
