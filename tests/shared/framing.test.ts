import { describe, expect, it } from 'vitest';
import {
  decideFraming,
  explainFraming,
  parseContentSecurityPolicies,
  readHeader,
  urlMatchesSourceList,
  type FramingPresentation,
  type ResponseHeaders,
} from '../../shared/framing';

const PREVIEW = 'http://127.0.0.1:4173';
const PAGE = 'https://www.example.be/start';

function decide(headers: ResponseHeaders, pageUrl = PAGE, embedderOrigin = PREVIEW): FramingPresentation {
  return decideFraming({ headers, pageUrl, embedderOrigin });
}

function csp(value: string): ResponseHeaders {
  return { 'Content-Security-Policy': value };
}

describe('a page without framing headers', () => {
  it('is framed', () => {
    expect(decide({})).toBe('frame');
    expect(decide(new Headers({ 'content-type': 'text/html' }))).toBe('frame');
  });

  it('is framed when only a report-only policy forbids framing', () => {
    expect(decide({ 'Content-Security-Policy-Report-Only': "frame-ancestors 'none'" })).toBe('frame');
  });

  it('is framed when its policy has no frame-ancestors directive', () => {
    expect(decide(csp("default-src 'self'; script-src 'none'"))).toBe('frame');
  });
});

describe('X-Frame-Options', () => {
  it.each([
    ['DENY', 'new-tab'],
    ['deny', 'new-tab'],
    ['  Deny\t', 'new-tab'],
    ['SAMEORIGIN', 'new-tab'],
    ['sameorigin', 'new-tab'],
    ['ALLOWALL', 'frame'],
    // Obsolete and ignored by browsers: framing goes ahead.
    ['ALLOW-FROM http://127.0.0.1:4173', 'frame'],
    ['nonsense', 'frame'],
    ['', 'frame'],
    // A quoted value is not the keyword.
    ['"DENY"', 'frame'],
  ] as const)('%j → %s for a page of another origin', (value, expected) => {
    expect(decide({ 'X-Frame-Options': value })).toBe(expected);
  });

  it('SAMEORIGIN frames a page of the embedder\'s own origin only', () => {
    expect(decide({ 'x-frame-options': 'SAMEORIGIN' }, 'http://127.0.0.1:4173/page')).toBe('frame');
    expect(decide({ 'x-frame-options': 'SAMEORIGIN' }, 'http://127.0.0.1:4174/page')).toBe('new-tab');
    expect(decide({ 'x-frame-options': 'SAMEORIGIN' }, 'http://localhost:4173/page')).toBe('new-tab');
    expect(decide({ 'x-frame-options': 'SAMEORIGIN' }, 'https://127.0.0.1:4173/page')).toBe('new-tab');
  });

  it('repeated identical values count once', () => {
    expect(decide({ 'x-frame-options': 'DENY, deny' })).toBe('new-tab');
    expect(decide({ 'x-frame-options': ['SAMEORIGIN', 'sameorigin'] }, 'http://127.0.0.1:4173/')).toBe('frame');
  });

  it('conflicting values refuse framing', () => {
    expect(decide({ 'x-frame-options': 'SAMEORIGIN, DENY' }, 'http://127.0.0.1:4173/')).toBe('new-tab');
    expect(decide({ 'x-frame-options': ['ALLOWALL', 'SAMEORIGIN'] }, 'http://127.0.0.1:4173/')).toBe('new-tab');
    expect(decide({ 'x-frame-options': 'DENY, nonsense' })).toBe('new-tab');
    expect(decide(new Headers([['x-frame-options', 'DENY'], ['x-frame-options', 'ALLOWALL']]))).toBe('new-tab');
  });

  it('several values none of which is a keyword are ignored', () => {
    expect(decide({ 'x-frame-options': 'foo, bar' })).toBe('frame');
    expect(decide({ 'x-frame-options': 'ALLOW-FROM https://a.example, ALLOW-FROM https://b.example' })).toBe('frame');
  });

  it('a comma inside a quoted string does not split values', () => {
    expect(decide({ 'x-frame-options': '"deny, sameorigin"' })).toBe('frame');
  });

  it('header names are matched in any case, in plain objects and in Headers', () => {
    expect(decide({ 'X-FRAME-OPTIONS': 'DENY' })).toBe('new-tab');
    expect(decide(new Headers({ 'X-Frame-Options': 'DENY' }))).toBe('new-tab');
  });

  it('is ignored when an enforced policy has frame-ancestors', () => {
    expect(decide({ 'x-frame-options': 'DENY', 'content-security-policy': 'frame-ancestors *' })).toBe('frame');
    expect(decide({ 'x-frame-options': 'DENY', 'content-security-policy': `frame-ancestors ${PREVIEW}` })).toBe('frame');
  });

  it('still applies when the only frame-ancestors is report-only', () => {
    expect(decide({ 'x-frame-options': 'DENY', 'content-security-policy-report-only': 'frame-ancestors *' })).toBe('new-tab');
  });

  it('still applies when the enforced policy has no frame-ancestors', () => {
    expect(decide({ 'x-frame-options': 'DENY', 'content-security-policy': "default-src *" })).toBe('new-tab');
  });
});

describe('Content-Security-Policy frame-ancestors', () => {
  it.each([
    ["frame-ancestors 'none'", 'new-tab'],
    ["FRAME-ANCESTORS 'NONE'", 'new-tab'],
    ['frame-ancestors', 'new-tab'],
    ["frame-ancestors 'self'", 'new-tab'],
    ['frame-ancestors *', 'frame'],
    ['frame-ancestors http:', 'frame'],
    ['frame-ancestors https:', 'new-tab'],
    ['frame-ancestors http://127.0.0.1:4173', 'frame'],
    ['frame-ancestors 127.0.0.1:4173', 'new-tab'],
    ['frame-ancestors http://127.0.0.1:*', 'frame'],
    ['frame-ancestors http://127.0.0.1', 'new-tab'],
    ['frame-ancestors http://127.0.0.1:4174', 'new-tab'],
    ['frame-ancestors http://localhost:4173', 'new-tab'],
    ['frame-ancestors https://127.0.0.1:4173', 'new-tab'],
    ['frame-ancestors http://*:4173', 'frame'],
    ['frame-ancestors https://www.example.be https://partner.example', 'new-tab'],
    ['frame-ancestors https://www.example.be http://127.0.0.1:4173', 'frame'],
    ["frame-ancestors 'self' http://127.0.0.1:4173", 'frame'],
    // 'none' beside other sources is ignored.
    ["frame-ancestors 'none' http://127.0.0.1:4173", 'frame'],
    // Keywords that mean nothing here match nothing.
    ["frame-ancestors 'unsafe-inline' 'nonce-abc'", 'new-tab'],
    ['frame-ancestors http://127.0.0.1:4173/', 'frame'],
    ['frame-ancestors http://127.0.0.1:4173/some/path', 'new-tab'],
    ['frame-ancestors http://[::1]:4173', 'new-tab'],
    ['frame-ancestors ht!tp://127.0.0.1:4173', 'new-tab'],
  ] as const)('%j → %s for the preview', (policy, expected) => {
    expect(decide(csp(policy))).toBe(expected);
  });

  it('scheme-less host sources take the framed page\'s scheme (and its secure upgrade)', () => {
    expect(decide(csp('frame-ancestors 127.0.0.1:4173'), 'http://service.example/')).toBe('frame');
    expect(decide(csp('frame-ancestors 127.0.0.1:4173'), 'https://service.example/')).toBe('new-tab');
    expect(decide(csp('frame-ancestors preview.example'), 'https://service.example/', 'https://preview.example')).toBe('frame');
    expect(urlMatchesSourceList(['preview.example'], 'https://preview.example', 'http://service.example')).toBe(true);
    expect(urlMatchesSourceList(['preview.example'], 'http://preview.example', 'https://service.example')).toBe(false);
  });

  it("'self' frames a page of the embedder's own origin", () => {
    expect(decide(csp("frame-ancestors 'self'"), 'http://127.0.0.1:4173/page')).toBe('frame');
    expect(decide(csp("frame-ancestors 'self'"), 'http://127.0.0.1:5000/page')).toBe('new-tab');
  });

  it("'self' also allows the secure upgrade of its own origin", () => {
    expect(decide(csp("frame-ancestors 'self'"), 'http://portal.example/', 'https://portal.example')).toBe('new-tab');
    expect(
      urlMatchesSourceList(["'self'"], 'https://portal.example', 'http://portal.example'),
    ).toBe(true);
    expect(urlMatchesSourceList(["'self'"], 'http://portal.example', 'https://portal.example')).toBe(false);
  });

  it('wildcard subdomains match subdomains only', () => {
    const embedder = 'https://kiosk.epn.example';
    expect(decide(csp('frame-ancestors https://*.epn.example'), PAGE, embedder)).toBe('frame');
    expect(decide(csp('frame-ancestors https://*.epn.example'), PAGE, 'https://epn.example')).toBe('new-tab');
    expect(decide(csp('frame-ancestors https://*.epn.example'), PAGE, 'https://kiosk.notepn.example')).toBe('new-tab');
    expect(decide(csp('frame-ancestors *.epn.example'), PAGE, embedder)).toBe('frame');
  });

  it('http: sources also match https embedders, not the reverse', () => {
    expect(decide(csp('frame-ancestors http://kiosk.example'), PAGE, 'https://kiosk.example')).toBe('frame');
    expect(decide(csp('frame-ancestors https://kiosk.example'), 'https://x.example/', 'http://kiosk.example')).toBe('new-tab');
  });

  it('an explicit default port matches the default port', () => {
    expect(decide(csp('frame-ancestors https://kiosk.example:443'), PAGE, 'https://kiosk.example')).toBe('frame');
    expect(decide(csp('frame-ancestors https://kiosk.example:8443'), PAGE, 'https://kiosk.example')).toBe('new-tab');
    expect(decide(csp('frame-ancestors https://kiosk.example'), PAGE, 'https://kiosk.example:8443')).toBe('new-tab');
  });

  it('host names are compared without regard to case', () => {
    expect(decide(csp('frame-ancestors HTTP://LOCALHOST:4173'), PAGE, 'http://localhost:4173')).toBe('frame');
  });

  it('takes the first frame-ancestors of a policy and ignores the repeats', () => {
    expect(decide(csp(`frame-ancestors 'none'; frame-ancestors ${PREVIEW}`))).toBe('new-tab');
    expect(decide(csp(`frame-ancestors ${PREVIEW}; frame-ancestors 'none'`))).toBe('frame');
  });

  it('needs every enforced policy to allow the preview', () => {
    expect(decide(csp(`frame-ancestors ${PREVIEW}, frame-ancestors 'none'`))).toBe('new-tab');
    expect(decide(csp(`frame-ancestors ${PREVIEW}, frame-ancestors *`))).toBe('frame');
    expect(decide({ 'content-security-policy': [`frame-ancestors ${PREVIEW}`, "frame-ancestors 'self'"] })).toBe('new-tab');
    expect(
      decide(new Headers([['content-security-policy', 'frame-ancestors *'], ['content-security-policy', 'frame-ancestors https://other.example']])),
    ).toBe('new-tab');
    // A second policy without frame-ancestors does not restrict framing.
    expect(decide(csp(`frame-ancestors ${PREVIEW}, script-src 'self'`))).toBe('frame');
  });

  it('tolerates extra whitespace, empty directives and odd spacing', () => {
    expect(decide(csp(`  ;; script-src 'self' ;\tframe-ancestors\t ${PREVIEW}  ;  `))).toBe('frame');
    expect(decide(csp(" ; ;frame-ancestors   'none'  "))).toBe('new-tab');
  });
});

describe('mixed content and malformed questions', () => {
  it('an https embedder cannot frame a plain-http page', () => {
    expect(decide({}, 'http://service.example/', 'https://preview.example')).toBe('new-tab');
  });

  it('an http embedder can frame an https page', () => {
    expect(decide({}, 'https://service.example/', PREVIEW)).toBe('frame');
  });

  it.each(['not a url', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', ''])('refuses page address %j', (pageUrl) => {
    expect(decide({}, pageUrl)).toBe('new-tab');
  });

  it.each(['', 'null', 'chrome://settings'])('refuses embedder origin %j', (embedder) => {
    expect(decide({}, PAGE, embedder)).toBe('new-tab');
  });
});

describe('explanations', () => {
  it('name the header that decided', () => {
    expect(explainFraming({ headers: { 'x-frame-options': 'DENY' }, pageUrl: PAGE, embedderOrigin: PREVIEW }).reason).toMatch(/X-Frame-Options: DENY/);
    expect(explainFraming({ headers: csp("frame-ancestors 'none'"), pageUrl: PAGE, embedderOrigin: PREVIEW }).reason).toMatch(/frame-ancestors 'none'/);
    expect(explainFraming({ headers: {}, pageUrl: PAGE, embedderOrigin: PREVIEW })).toEqual({
      presentation: 'frame',
      reason: 'no X-Frame-Options and no frame-ancestors',
    });
  });
});

describe('parseContentSecurityPolicies', () => {
  it('splits policies on commas and directives on semicolons, lowercasing names', () => {
    const policies = parseContentSecurityPolicies("Default-Src 'self'; FRAME-ANCESTORS a b, script-src x");
    expect(policies).toHaveLength(2);
    expect(policies[0]!.get('default-src')).toEqual(["'self'"]);
    expect(policies[0]!.get('frame-ancestors')).toEqual(['a', 'b']);
    expect(policies[1]!.get('script-src')).toEqual(['x']);
  });

  it('drops empty policies and keeps the first of a repeated directive', () => {
    const policies = parseContentSecurityPolicies(' , ;; , frame-ancestors a; frame-ancestors b');
    expect(policies).toHaveLength(1);
    expect(policies[0]!.get('frame-ancestors')).toEqual(['a']);
  });

  it('reads nothing from an absent header', () => {
    expect(parseContentSecurityPolicies(null)).toEqual([]);
  });
});

describe('readHeader', () => {
  it('joins repeated values and ignores undefined ones', () => {
    expect(readHeader({ 'X-Test': ['a', 'b'], 'x-test': 'c', other: 'd' }, 'x-test')).toBe('a, b, c');
    expect(readHeader({ 'x-test': undefined }, 'x-test')).toBeNull();
  });

  it('uses get() when there is one, and treats a "get" header of a plain object as a header', () => {
    expect(readHeader(new Headers({ 'X-Test': 'v' }), 'x-test')).toBe('v');
    expect(readHeader({ get: 'header value' }, 'get')).toBe('header value');
  });
});

describe('urlMatchesSourceList', () => {
  it('matches nothing from an empty list or an unparsable address', () => {
    expect(urlMatchesSourceList([], 'https://a.example/', PREVIEW)).toBe(false);
    expect(urlMatchesSourceList(['*'], 'not a url', PREVIEW)).toBe(false);
    expect(urlMatchesSourceList(['*'], 'https://a.example/', 'not an origin')).toBe(false);
  });

  it('lets * match web addresses and the protected scheme only', () => {
    expect(urlMatchesSourceList(['*'], 'https://a.example/', PREVIEW)).toBe(true);
    expect(urlMatchesSourceList(['*'], 'ftp://a.example/', PREVIEW)).toBe(false);
    expect(urlMatchesSourceList(['*'], 'ftp://a.example/', 'ftp://b.example')).toBe(true);
  });

  it('matches paths as CSP does: exact, or as a prefix when the source ends with a slash', () => {
    expect(urlMatchesSourceList(['https://a.example/app'], 'https://a.example/app', PREVIEW)).toBe(true);
    expect(urlMatchesSourceList(['https://a.example/app'], 'https://a.example/app/x', PREVIEW)).toBe(false);
    expect(urlMatchesSourceList(['https://a.example/app/'], 'https://a.example/app/x', PREVIEW)).toBe(true);
    expect(urlMatchesSourceList(['https://a.example/app/'], 'https://a.example/other', PREVIEW)).toBe(false);
    expect(urlMatchesSourceList(['https://a.example/a%20b'], 'https://a.example/a b', PREVIEW)).toBe(true);
  });

  it('matches ws sources against http and https addresses', () => {
    expect(urlMatchesSourceList(['ws://a.example'], 'https://a.example/', PREVIEW)).toBe(true);
    expect(urlMatchesSourceList(['wss://a.example'], 'https://a.example/', PREVIEW)).toBe(true);
    expect(urlMatchesSourceList(['wss://a.example'], 'http://a.example/', PREVIEW)).toBe(false);
  });
});
