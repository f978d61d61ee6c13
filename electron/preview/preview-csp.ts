/**
 * The Content-Security-Policy of the preview's renderer page.
 *
 * frame-src lists exactly the origins of the configured services' allow-lists, so the
 * browser itself keeps a framed service inside its allow-list: a link or redirect to an
 * unlisted site is blocked in the frame, as the kiosk blocks it in its views.
 *   - "example.be" → https://example.be and https://*.example.be (default port only);
 *   - "intranet" or "192.168.1.20" (single-label hosts, IPv4 addresses) → that host only;
 *   - "example.be:8443" → that port only;
 *   - an entry whose host is listed in UNSAFE_allowHttpHosts also gets its http:// form,
 *     for that exact host (no subdomains over plain http).
 * The policy is computed for each response from the configuration in force. A page
 * already open keeps the policy it was served with, so a service added while it is open
 * can be framed after the page is reloaded (until then the preview offers a new tab,
 * see preview-presenter.ts).
 */
import type { KioskConfig, Service } from '../../shared/config/schema';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function splitEntry(entry: string): { host: string; port: string | null } {
  const separator = entry.lastIndexOf(':');
  if (separator === -1) return { host: entry, port: null };
  return { host: entry.slice(0, separator), port: entry.slice(separator + 1) };
}

function hasSubdomains(host: string): boolean {
  return !IPV4.test(host) && host.includes('.');
}

/** The CSP sources a service may be framed from, in the order of its allow-list. */
export function frameSourcesOfService(service: Service): string[] {
  const httpHosts = new Set(service.UNSAFE_allowHttpHosts);
  const sources: string[] = [];
  for (const entry of service.allowedDomains) {
    const { host, port } = splitEntry(entry);
    const suffix = port === null ? '' : `:${port}`;
    sources.push(`https://${host}${suffix}`);
    if (hasSubdomains(host)) sources.push(`https://*.${host}${suffix}`);
    if (httpHosts.has(host) || httpHosts.has(entry)) sources.push(`http://${host}${suffix}`);
  }
  return sources;
}

export function frameSourcesOfConfig(config: KioskConfig): string[] {
  return [...new Set(config.services.flatMap(frameSourcesOfService))];
}

export function rendererContentSecurityPolicy(config: KioskConfig): string {
  const frameSources = frameSourcesOfConfig(config);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // data: for the small images and fonts the bundler inlines.
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${frameSources.length === 0 ? "'none'" : frameSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
