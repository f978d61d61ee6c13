/**
 * Whether the browser preview may show a page inside its own frame, decided from the
 * headers of the page's final response the way Chromium decides it, so that a visitor
 * never faces a blank frame: when the page refuses to be framed, the preview opens it in
 * a new tab instead and says so.
 *
 * The rules followed (and tested exhaustively in tests/shared/framing.test.ts):
 * - Content Security Policy level 3, `frame-ancestors`: every enforced policy must allow
 *   the embedder (several `Content-Security-Policy` headers, or commas inside one, are
 *   several policies); report-only policies are ignored; within a policy the first
 *   `frame-ancestors` directive counts and later ones are ignored.
 * - HTML's X-Frame-Options processing: ignored entirely when an enforced policy has a
 *   `frame-ancestors` directive; otherwise `DENY` refuses, `SAMEORIGIN` allows only the
 *   page's own origin, conflicting values refuse, and unknown values (including the
 *   obsolete `ALLOW-FROM`) are ignored.
 * - Mixed content: an https embedder cannot frame a plain-http page.
 *
 * When the question itself is malformed (not a web address), the answer is 'new-tab':
 * a visitor sees the page either way, whereas a wrong 'frame' would show nothing.
 */

export type FramingPresentation = 'frame' | 'new-tab';

export interface FramingVerdict {
  readonly presentation: FramingPresentation;
  /** Why, in words for logs and staff. */
  readonly reason: string;
}

/**
 * A response's headers: a WHATWG `Headers` object (what `fetch` returns), or a plain
 * object as Node's `http` module gives (names in any case, repeated headers as arrays).
 */
export type ResponseHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface FramingQuestion {
  readonly headers: ResponseHeaders;
  /** The address of the page that would be framed: the final one, after redirects. */
  readonly pageUrl: string;
  /** The origin of the page that would frame it (the preview's own), for example "http://127.0.0.1:4173". */
  readonly embedderOrigin: string;
}

export function decideFraming(question: FramingQuestion): FramingPresentation {
  return explainFraming(question).presentation;
}

export function explainFraming({ headers, pageUrl, embedderOrigin }: FramingQuestion): FramingVerdict {
  const page = parseWebUrl(pageUrl);
  if (page === null) return newTab(`"${pageUrl.slice(0, 200)}" is not an http or https address`);
  const embedder = parseWebUrl(embedderOrigin);
  if (embedder === null) return newTab(`"${embedderOrigin.slice(0, 200)}" is not an http or https origin`);
  if (embedder.protocol === 'https:' && page.protocol === 'http:') {
    return newTab('a secure (https) page cannot show a plain-http page in a frame');
  }

  const policies = parseContentSecurityPolicies(readHeader(headers, 'content-security-policy'));
  const ancestorPolicies = policies.filter((policy) => policy.has('frame-ancestors'));
  for (const policy of ancestorPolicies) {
    const sources = policy.get('frame-ancestors') ?? [];
    if (!urlMatchesSourceList(sources, embedder.origin, page.origin)) {
      return newTab(`Content-Security-Policy "frame-ancestors ${sources.join(' ')}" does not allow ${embedder.origin}`);
    }
  }
  if (ancestorPolicies.length > 0) return frame('Content-Security-Policy frame-ancestors allows the preview');

  return decideByXFrameOptions(readHeader(headers, 'x-frame-options'), page, embedder);
}

function decideByXFrameOptions(rawHeader: string | null, page: URL, embedder: URL): FramingVerdict {
  if (rawHeader === null) return frame('no X-Frame-Options and no frame-ancestors');
  const values = new Set(splitHeaderValues(rawHeader).map((value) => value.toLowerCase()));
  const [only] = [...values];
  if (values.size > 1) {
    const conflicting = ['deny', 'allowall', 'sameorigin'].some((value) => values.has(value));
    return conflicting
      ? newTab(`X-Frame-Options has conflicting values (${rawHeader.slice(0, 200)}), which refuses framing`)
      : frame(`X-Frame-Options "${rawHeader.slice(0, 200)}" is not understood and is ignored`);
  }
  if (only === 'deny') return newTab('X-Frame-Options: DENY');
  if (only === 'sameorigin') {
    return page.origin === embedder.origin
      ? frame('X-Frame-Options: SAMEORIGIN, and the page has the preview\'s origin')
      : newTab(`X-Frame-Options: SAMEORIGIN, and ${page.origin} is not ${embedder.origin}`);
  }
  return frame(`X-Frame-Options "${rawHeader.slice(0, 200)}" does not restrict framing`);
}

function frame(reason: string): FramingVerdict {
  return { presentation: 'frame', reason };
}

function newTab(reason: string): FramingVerdict {
  return { presentation: 'new-tab', reason };
}

function parseWebUrl(text: string): URL | null {
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/** One header's value, repeated headers joined by commas as HTTP allows. Null when absent. */
export function readHeader(headers: ResponseHeaders, name: string): string | null {
  const lookup = (headers as { get?: unknown }).get;
  if (typeof lookup === 'function') return (headers as { get(name: string): string | null }).get(name);
  const wanted = name.toLowerCase();
  const found: string[] = [];
  for (const [key, value] of Object.entries(headers as Readonly<Record<string, string | readonly string[] | undefined>>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') found.push(value);
    else found.push(...value);
  }
  return found.length === 0 ? null : found.join(', ');
}

/**
 * HTML's "get, decode, and split": commas outside quoted strings separate values; quoted
 * strings stay as written (with their quotes), so `"DENY"` is not `DENY`, as in browsers.
 */
function splitHeaderValues(value: string): string[] {
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const character = value.charAt(index);
    if (!quoted && character === ',') {
      values.push(trimHttpWhitespace(current));
      current = '';
      continue;
    }
    current += character;
    if (character === '"') quoted = !quoted;
    else if (character === '\\' && quoted && index + 1 < value.length) {
      index += 1;
      current += value.charAt(index);
    }
  }
  values.push(trimHttpWhitespace(current));
  return values;
}

function trimHttpWhitespace(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

const ASCII_WHITESPACE = /[\t\n\f\r ]+/;

/** CSP3 "parse a serialized CSP list": one map of directive name → values per policy. */
export function parseContentSecurityPolicies(serialized: string | null): ReadonlyMap<string, readonly string[]>[] {
  if (serialized === null) return [];
  const policies: Map<string, readonly string[]>[] = [];
  for (const serializedPolicy of serialized.split(',')) {
    const policy = new Map<string, readonly string[]>();
    for (const token of serializedPolicy.split(';')) {
      const trimmed = token.trim();
      if (trimmed === '') continue;
      const [rawName = '', ...values] = trimmed.split(ASCII_WHITESPACE);
      const name = rawName.toLowerCase();
      // A directive named twice: the first counts, as browsers do.
      if (policy.has(name)) continue;
      policy.set(name, values);
    }
    if (policy.size > 0) policies.push(policy);
  }
  return policies;
}

const HOST_SOURCE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d+|\*))?(\/[^?#]*)?$/i;
const SCHEME_SOURCE = /^([a-z][a-z0-9+.-]*):$/i;

/**
 * CSP3 "does url match source list": whether `url` is allowed by a source list of a
 * policy protecting a resource of origin `selfOrigin`. Used for frame-ancestors (url =
 * the embedder) and by the preview to build and check its own frame-src.
 */
export function urlMatchesSourceList(sources: readonly string[], url: string, selfOrigin: string): boolean {
  if (!URL.canParse(url) || !URL.canParse(selfOrigin)) return false;
  const target = new URL(url);
  const self = new URL(selfOrigin);
  // An empty list, or 'none', allows nothing; 'none' beside other sources is ignored.
  return sources.some((source) => sourceMatches(source, target, self));
}

function sourceMatches(source: string, url: URL, self: URL): boolean {
  const urlScheme = schemeOf(url);
  if (source === '*') return urlScheme === 'http' || urlScheme === 'https' || urlScheme === schemeOf(self);
  if (source.toLowerCase() === "'self'") return selfMatches(self, url);

  const schemeSource = SCHEME_SOURCE.exec(source);
  if (schemeSource !== null) return schemePartMatches(schemeSource[1]!.toLowerCase(), urlScheme);

  const hostSource = HOST_SOURCE.exec(source);
  if (hostSource === null) return false;
  const [, scheme, host = '', port, path] = hostSource;
  if (scheme !== undefined && !schemePartMatches(scheme.toLowerCase(), urlScheme)) return false;
  if (scheme === undefined && !schemePartMatches(schemeOf(self), urlScheme)) return false;
  if (!hostPartMatches(host.toLowerCase(), url.hostname.toLowerCase())) return false;
  if (!portPartMatches(port, url)) return false;
  if (path !== undefined && path !== '' && !pathPartMatches(path, url.pathname)) return false;
  return true;
}

function schemeOf(url: URL): string {
  return url.protocol.slice(0, -1).toLowerCase();
}

/** CSP3 "scheme-part match": a pattern also matches its secure upgrade. */
function schemePartMatches(pattern: string, scheme: string): boolean {
  if (pattern === scheme) return true;
  if (pattern === 'http') return scheme === 'https';
  if (pattern === 'ws') return scheme === 'wss' || scheme === 'http' || scheme === 'https';
  if (pattern === 'wss') return scheme === 'https';
  return false;
}

function hostPartMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

function portPartMatches(pattern: string | undefined, url: URL): boolean {
  if (pattern === '*') return true;
  const wanted = pattern === undefined ? '' : String(Number(pattern));
  if (wanted === url.port) return true;
  // The URL parser leaves the port empty when it is the scheme's default.
  return url.port === '' && wanted === DEFAULT_PORTS[url.protocol];
}

function pathPartMatches(pattern: string, path: string): boolean {
  if (pattern === '/' && path === '') return true;
  const exact = !pattern.endsWith('/');
  const patternPieces = pattern.split('/');
  const pathPieces = path.split('/');
  if (patternPieces.length > pathPieces.length) return false;
  if (exact && patternPieces.length !== pathPieces.length) return false;
  if (!exact) patternPieces.pop();
  return patternPieces.every((piece, index) => safeDecode(piece) === safeDecode(pathPieces[index] ?? ''));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** CSP3 'self': the same origin, or its secure upgrade on the same host and port. */
function selfMatches(self: URL, url: URL): boolean {
  if (self.origin === url.origin) return true;
  if (self.hostname.toLowerCase() !== url.hostname.toLowerCase()) return false;
  // Equal ports, or both the default of their own scheme (the URL parser leaves those empty).
  if (self.port !== url.port) return false;
  const urlScheme = schemeOf(url);
  return urlScheme === 'https' || urlScheme === 'wss' || (schemeOf(self) === 'http' && (urlScheme === 'http' || urlScheme === 'ws'));
}
