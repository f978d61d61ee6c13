/**
 * Decides whether a service view may go to an address. Every navigation of a service
 * passes through `decideNavigation`: top-level navigations, server redirects, sub-frame
 * navigations and window-open requests. A visitor who wants out of the kiosk, or a page
 * that wants to take them out, meets this function; it refuses unless the address is
 * plainly on the service's allow-list.
 *
 * The address is read by the WHATWG URL parser (the standard Chromium's parser follows),
 * and the decision is taken on what the parser made of it, never on the raw text: it
 * lowercases the host, decodes percent-escapes in it, converts international names to
 * their ASCII (xn--) form and reads IPv4 addresses written in decimal, hex or octal.
 *
 * Rules:
 * - `https:` only; plain `http:` only for a host listed in `UNSAFE_allowHttpHosts`, on
 *   that exact host (never its subdomains), and only if it also passes the allow-list.
 *   A port on the http entry narrows it to that port.
 * - A DNS allow-list entry allows that host and its subdomains, on a label boundary:
 *   "example.be" allows "www.example.be", never "evilexample.be".
 *   An IPv4 entry or a single-label entry ("intranet") allows exactly that host: a
 *   single label could otherwise be a whole top-level domain ("be").
 * - No user name or password in the address, even on an allowed host.
 * - Only the scheme's default port, unless the matching entry names the port
 *   ("example.be:8443" allows port 8443 and no other).
 * - A trailing dot on the host ("example.be.") names the same DNS host, so it is removed
 *   before matching; any other empty label ("a..b", ".example.be") is refused.
 * - IPv6 literals cannot be allow-listed, so they are always refused.
 * - Every other scheme is refused (`file:`, `view-source:`, `chrome:`, `devtools:`,
 *   `javascript:`, `data:`, `mailto:`, `tel:`, `ftp:`, `ws:` …), with three exceptions
 *   that cannot leave the kiosk:
 *   - `about:blank` in a sub-frame or a window-open request, and `about:srcdoc` in a
 *     sub-frame: frames of an allowed page start there, and their content is written
 *     by that page, in that page's origin. Login and payment pop-ups are commonly opened
 *     empty (`window.open('')`) and then sent somewhere by their opener. Wherever such a
 *     frame or pop-up goes next is decided again, so none of them leads out.
 *   - `blob:` in a sub-frame, when the origin that made the blob is itself allowed
 *     (an allowed page showing a document it generated). Never at top level.
 *   `data:` is refused everywhere: its content has no origin the allow-list could vouch for.
 * - Addresses containing control characters (tab, newline, NUL …) or surrounding spaces
 *   are refused: an address the browser produced never contains them, and the parser
 *   silently drops some of them, so their presence only serves to make two readers see
 *   two different addresses.
 */

export type NavigationKind = 'top-level' | 'redirect' | 'sub-frame' | 'window-open';

export interface NavigationRules {
  readonly allowedDomains: readonly string[];
  readonly UNSAFE_allowHttpHosts: readonly string[];
}

export type NavigationRefusal = 'unparsable' | 'scheme' | 'user-info' | 'host' | 'port' | 'insecure-http';

export type NavigationDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: NavigationRefusal };

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4_ADDRESS = `${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}`;
const DNS_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/**
 * A URL parser reads a host whose last label is a number ("example.123", "10.1", "0x1f")
 * as an IPv4 address, so such a name can never be reached as a DNS name: refused.
 */
const NOT_ENDING_IN_A_NUMBER = '(?!(?:[a-z0-9-]+\\.)*(?:\\d+|0x[0-9a-f]*)(?::|$))';
const DNS_NAME = `${NOT_ENDING_IN_A_NUMBER}(?=[a-z0-9.-]{1,253}(?::|$))${DNS_LABEL}(?:\\.${DNS_LABEL})*`;
const PORT = '(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d\\d|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3})';

/**
 * One allow-list entry: a lowercase ASCII host (DNS name, single label or dotted-decimal
 * IPv4 address without leading zeros), optionally followed by ":port".
 */
export const ALLOW_LIST_ENTRY_PATTERN = new RegExp(`^(?:${IPV4_ADDRESS}|${DNS_NAME})(?::${PORT})?$`);

const IPV4_HOST = new RegExp(`^${IPV4_ADDRESS}$`);

/** Chromium refuses longer addresses (url::kMaxURLChars), so nothing legitimate is longer. */
export const MAX_NAVIGATION_URL_LENGTH = 2 * 1024 * 1024;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

interface AllowListEntry {
  readonly host: string;
  /** Null: only the scheme's default port. */
  readonly port: number | null;
  readonly exactHostOnly: boolean;
}

const ALLOWED = { allowed: true } as const satisfies NavigationDecision;

function refuse(reason: NavigationRefusal): NavigationDecision {
  return { allowed: false, reason };
}

/** Entries that break the pattern are ignored rather than trusted: they can only narrow. */
function readEntry(entry: string): AllowListEntry | null {
  if (typeof entry !== 'string' || !ALLOW_LIST_ENTRY_PATTERN.test(entry)) return null;
  const separator = entry.indexOf(':');
  const host = separator === -1 ? entry : entry.slice(0, separator);
  const port = separator === -1 ? null : Number(entry.slice(separator + 1));
  return { host, port, exactHostOnly: IPV4_HOST.test(host) || !host.includes('.') };
}

function readEntries(entries: readonly string[]): AllowListEntry[] {
  if (!Array.isArray(entries)) return [];
  return entries.map(readEntry).filter((entry): entry is AllowListEntry => entry !== null);
}

/**
 * Subdomains match on a label boundary. An IPv4 host can never end in ".<entry>", since
 * DNS entries never end in a number.
 */
function hostMatches(host: string, entry: AllowListEntry): boolean {
  if (host === entry.host) return true;
  return !entry.exactHostOnly && host.endsWith(`.${entry.host}`);
}

/** The host as matched against the allow-list, or null when it can never be allowed. */
function comparableHost(hostname: string): string | null {
  if (hostname.startsWith('[')) return null;
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (host === '' || host.split('.').some((label) => label === '')) return null;
  return host;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function decideWebAddress(address: URL, rules: NavigationRules): NavigationDecision {
  if (address.username !== '' || address.password !== '') return refuse('user-info');
  const host = comparableHost(address.hostname);
  if (host === null) return refuse('host');
  const port = address.port === '' ? DEFAULT_PORTS[address.protocol] : Number(address.port);
  const portAllowed = (entry: AllowListEntry) => (entry.port === null ? address.port === '' : entry.port === port);

  const hostEntries = readEntries(rules.allowedDomains).filter((entry) => hostMatches(host, entry));
  if (hostEntries.length === 0) return refuse('host');
  if (!hostEntries.some(portAllowed)) return refuse('port');

  if (address.protocol === 'http:') {
    // Plain http is matched on the exact host: the risky exception never spreads to subdomains.
    const httpAllowed = readEntries(rules.UNSAFE_allowHttpHosts).some(
      (entry) => entry.host === host && (entry.port === null || entry.port === port),
    );
    if (!httpAllowed) return refuse('insecure-http');
  }
  return ALLOWED;
}

function isFrameStart(address: URL, kind: NavigationKind): boolean {
  if (address.protocol !== 'about:') return false;
  if (address.pathname === 'blank') return kind === 'sub-frame' || kind === 'window-open';
  if (address.pathname === 'srcdoc') return kind === 'sub-frame';
  return false;
}

export function decideNavigation(url: string, rules: NavigationRules, kind: NavigationKind): NavigationDecision {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_NAVIGATION_URL_LENGTH) return refuse('unparsable');
  if (CONTROL_CHARACTERS.test(url) || url.trim() !== url) return refuse('unparsable');
  const address = parse(url);
  if (address === null) return refuse('unparsable');

  switch (address.protocol) {
    case 'https:':
    case 'http:':
      return decideWebAddress(address, rules);
    case 'about:':
      return isFrameStart(address, kind) ? ALLOWED : refuse('scheme');
    case 'blob:': {
      if (kind !== 'sub-frame') return refuse('scheme');
      // A blob's path is the address of the page that made it: "blob:https://host/uuid".
      const creator = parse(address.pathname);
      if (creator === null || (creator.protocol !== 'https:' && creator.protocol !== 'http:')) return refuse('scheme');
      return decideWebAddress(creator, rules);
    }
    default:
      return refuse('scheme');
  }
}
