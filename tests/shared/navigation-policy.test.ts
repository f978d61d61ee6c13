import { describe, expect, it } from 'vitest';
import {
  ALLOW_LIST_ENTRY_PATTERN,
  MAX_NAVIGATION_URL_LENGTH,
  decideNavigation,
  type NavigationDecision,
  type NavigationKind,
  type NavigationRefusal,
  type NavigationRules,
} from '../../shared/navigation-policy';

type Expected = 'allowed' | NavigationRefusal;

interface Row {
  readonly url: string;
  readonly expected: Expected;
  /** Shown instead of the address when it is too long or unreadable in a test name. */
  readonly label?: string;
}

const ALL_KINDS: readonly NavigationKind[] = ['top-level', 'redirect', 'sub-frame', 'window-open'];

const RULES: NavigationRules = {
  allowedDomains: ['allowed.example', 'intranet', '192.168.1.20', 'xn--bcher-kva.example', 'ports.example:8443', 'legacy.example'],
  UNSAFE_allowHttpHosts: ['legacy.example', '192.168.1.20'],
};

function decisionFor(expected: Expected): NavigationDecision {
  return expected === 'allowed' ? { allowed: true } : { allowed: false, reason: expected };
}

function nameOf(row: Row): string {
  return row.label ?? JSON.stringify(row.url);
}

/** Each row is checked for every kind of navigation: for web addresses the kind changes nothing. */
function describeEveryKind(title: string, rows: readonly Row[], rules: NavigationRules = RULES): void {
  describe(title, () => {
    for (const kind of ALL_KINDS) {
      it.each(rows.map((row) => [nameOf(row), row.expected, row] as const))(`${kind}: %s → %s`, (_name, expected, row) => {
        expect(decideNavigation(row.url, rules, kind)).toEqual(decisionFor(expected));
      });
    }
  });
}

describeEveryKind('addresses on the allow-list', [
  { url: 'https://allowed.example/', expected: 'allowed' },
  { url: 'https://allowed.example', expected: 'allowed' },
  { url: 'https://www.allowed.example/path/page.html?query=1#part', expected: 'allowed' },
  { url: 'https://deep.sub.allowed.example/', expected: 'allowed' },
  { url: 'https://allowed.example:443/', expected: 'allowed' },
  { url: 'https://allowed.example:0443/', expected: 'allowed' },
  { url: 'https://allowed.example:/', expected: 'allowed' },
  { url: 'HTTPS://ALLOWED.EXAMPLE/', expected: 'allowed' },
  { url: 'https://Www.Allowed.Example/Path', expected: 'allowed' },
  // A trailing dot names the same DNS host (fully qualified): normalised, not refused.
  { url: 'https://allowed.example./', expected: 'allowed' },
  { url: 'https://www.allowed.example./', expected: 'allowed' },
  // The parser decodes percent-escapes in a host: these are allowed.example itself.
  { url: 'https://%61llowed.example/', expected: 'allowed' },
  { url: 'https://allowed%2Eexample/', expected: 'allowed' },
  // The parser maps the ideographic full stop and drops the soft hyphen (IDNA): the same host.
  { url: 'https://allowed\u3002example/', expected: 'allowed', label: 'ideographic full stop between labels' },
  { url: 'https://allowed.ex\u00adample/', expected: 'allowed', label: 'soft hyphen inside the host' },
  // Empty credentials are dropped by the parser: nothing remains to refuse.
  { url: 'https://@allowed.example/', expected: 'allowed' },
  { url: 'https://:@allowed.example/', expected: 'allowed' },
  // A backslash ends the host in http(s): this is a path on allowed.example.
  { url: 'https://allowed.example\\@evil.test/', expected: 'allowed' },
  { url: 'https:allowed.example/', expected: 'allowed' },
  { url: 'https:/allowed.example/', expected: 'allowed' },
  { url: `https://allowed.example/${'a'.repeat(100_000)}`, expected: 'allowed', label: 'a 100 000 character path' },
]);

describeEveryKind('look-alike hosts', [
  { url: 'https://allowed.example.evil.test/', expected: 'host' },
  { url: 'https://evilallowed.example/', expected: 'host' },
  { url: 'https://allowed.example-evil.test/', expected: 'host' },
  { url: 'https://allowed-example.test/', expected: 'host' },
  { url: 'https://allowed.exampl/', expected: 'host' },
  { url: 'https://llowed.example/', expected: 'host' },
  { url: 'https://example/', expected: 'host' },
  { url: 'https://allowed.example%2eevil.test/', expected: 'host' },
  { url: 'https://allowed.example%2Eevil.test/', expected: 'host' },
  { url: 'https://allowed.example%E3%80%82evil.test/', expected: 'host' },
  { url: 'https://allowed.example\uff0eevil.test/', expected: 'host', label: 'fullwidth full stop before evil.test' },
  { url: 'https:\\\\evil.test\\allowed.example', expected: 'host' },
  { url: 'https://evil.test\\allowed.example/', expected: 'host' },
  { url: 'https://evil.test/allowed.example', expected: 'host' },
  { url: 'https://evil.test/?https://allowed.example/', expected: 'host' },
  { url: 'https://evil.test#@allowed.example', expected: 'host' },
  { url: 'https://evil.test?@allowed.example/', expected: 'host' },
  { url: 'https://evil.test;allowed.example/', expected: 'host' },
  { url: '//allowed.example@evil.test/', expected: 'unparsable' },
  // Empty labels name no host the allow-list meant.
  { url: 'https://.allowed.example/', expected: 'host' },
  { url: 'https://www..allowed.example/', expected: 'host' },
  { url: 'https://allowed.example../', expected: 'host' },
  // Cyrillic а (U+0430) and е (U+0435) look like Latin a and e; their ASCII forms differ.
  { url: 'https://\u0430llowed.example/', expected: 'host', label: 'Cyrillic а in allowed.example' },
  { url: 'https://allow\u0435d.example/', expected: 'host', label: 'Cyrillic е in allowed.example' },
  { url: 'https://xn--llowed-2nf.example/', expected: 'host' },
  { url: 'https://allowed.example%00.evil.test/', expected: 'unparsable' },
  { url: 'https://allowed.example%252eevil.test/', expected: 'unparsable' },
  { url: 'https://evil.test%40allowed.example/', expected: 'unparsable' },
  { url: 'https://allowed.example%2fevil.test/', expected: 'unparsable' },
  { url: 'https://allowed.example\u2024evil.test/', expected: 'unparsable', label: 'one-dot leader between labels' },
  { url: 'https://allowed.example .evil.test/', expected: 'unparsable' },
  { url: 'https://allowed.example.0/', expected: 'unparsable' },
  { url: 'https://allowed.example.0x1f/', expected: 'unparsable' },
]);

describeEveryKind('user names and passwords', [
  { url: 'https://allowed.example@evil.test/', expected: 'user-info' },
  { url: 'https://allowed.example:443@evil.test/', expected: 'user-info' },
  { url: 'https://allowed.example%40evil.test@evil.test/', expected: 'user-info' },
  { url: 'https://user@allowed.example/', expected: 'user-info' },
  { url: 'https://user:secret@allowed.example/', expected: 'user-info' },
  { url: 'https://:secret@allowed.example/', expected: 'user-info' },
  { url: 'https://user:@allowed.example/', expected: 'user-info' },
  { url: 'https://evil.test@allowed.example/', expected: 'user-info' },
  { url: 'https://a@b@allowed.example/', expected: 'user-info' },
  { url: 'http://user@legacy.example/', expected: 'user-info' },
]);

describeEveryKind('ports', [
  { url: 'https://allowed.example:8443/', expected: 'port' },
  { url: 'https://allowed.example:80/', expected: 'port' },
  { url: 'https://allowed.example:0/', expected: 'port' },
  { url: 'https://allowed.example:65535/', expected: 'port' },
  { url: 'https://allowed.example:65536/', expected: 'unparsable' },
  { url: 'https://allowed.example:99999999999/', expected: 'unparsable' },
  { url: 'https://allowed.example:-1/', expected: 'unparsable' },
  { url: 'https://allowed.example:0x50/', expected: 'unparsable' },
  { url: 'https://allowed.example:443:443/', expected: 'unparsable' },
  // "ports.example:8443" names the port: that one and no other, not even the default.
  { url: 'https://ports.example:8443/', expected: 'allowed' },
  { url: 'https://www.ports.example:8443/', expected: 'allowed' },
  { url: 'https://ports.example:08443/', expected: 'allowed' },
  { url: 'https://ports.example/', expected: 'port' },
  { url: 'https://ports.example:443/', expected: 'port' },
  { url: 'https://ports.example:8444/', expected: 'port' },
  { url: 'https://evil.test:8443/', expected: 'host' },
]);

describeEveryKind('IPv4 addresses: the exact address, in any notation, and nothing else', [
  { url: 'https://192.168.1.20/', expected: 'allowed' },
  { url: 'https://192.168.1.20./', expected: 'allowed' },
  { url: 'https://3232235796/', expected: 'allowed' },
  { url: 'https://0xc0a80114/', expected: 'allowed' },
  { url: 'https://0xc0.0xa8.1.20/', expected: 'allowed' },
  { url: 'https://0300.0250.1.20/', expected: 'allowed' },
  { url: 'https://0300.0250.0001.0024/', expected: 'allowed' },
  { url: 'https://192.168.276/', expected: 'allowed' },
  { url: 'https://192.168.1.21/', expected: 'host' },
  { url: 'https://192.168.1.2/', expected: 'host' },
  { url: 'https://92.168.1.20/', expected: 'host' },
  { url: 'https://127.0.0.1/', expected: 'host' },
  { url: 'https://0x7f.1/', expected: 'host' },
  { url: 'https://2130706433/', expected: 'host' },
  { url: 'https://017700000001/', expected: 'host' },
  { url: 'https://0/', expected: 'host' },
  { url: 'https://192.168.1.20.evil.test/', expected: 'host' },
  { url: 'https://192.168.1.20:8443/', expected: 'port' },
  { url: 'https://x.192.168.1.20/', expected: 'unparsable' },
  { url: 'https://1.192.168.1.20/', expected: 'unparsable' },
  { url: 'https://192.168.1.256/', expected: 'unparsable' },
  { url: 'https://4294967296/', expected: 'unparsable' },
]);

describeEveryKind('IPv6 addresses can never be allow-listed', [
  { url: 'https://[::1]/', expected: 'host' },
  { url: 'https://[::ffff:192.168.1.20]/', expected: 'host' },
  { url: 'https://[::ffff:c0a8:114]/', expected: 'host' },
  { url: 'https://[0:0:0:0:0:ffff:c0a8:0114]:443/', expected: 'host' },
  { url: 'https://[fe80::1%25eth0]/', expected: 'unparsable' },
  { url: 'https://[::1/', expected: 'unparsable' },
]);

describeEveryKind('single-label hosts: exactly that host', [
  { url: 'https://intranet/', expected: 'allowed' },
  { url: 'https://INTRANET./', expected: 'allowed' },
  { url: 'https://sub.intranet/', expected: 'host' },
  { url: 'https://intranet.evil.test/', expected: 'host' },
  { url: 'https://intranet2/', expected: 'host' },
]);

describeEveryKind('international names, compared in their ASCII form', [
  { url: 'https://bücher.example/', expected: 'allowed' },
  { url: 'https://BÜCHER.example/', expected: 'allowed' },
  { url: 'https://www.bücher.example/', expected: 'allowed' },
  { url: 'https://xn--bcher-kva.example/', expected: 'allowed' },
  { url: 'https://b%C3%BCcher.example/', expected: 'allowed' },
  { url: 'https://bucher.example/', expected: 'host' },
  { url: 'https://büchers.example/', expected: 'host' },
  { url: 'https://bücher.example.evil.test/', expected: 'host' },
  { url: 'https://xn--/', expected: 'unparsable' },
]);

describe('plain http, only for hosts marked UNSAFE_allowHttpHosts', () => {
  const rows: readonly Row[] = [
    { url: 'http://legacy.example/', expected: 'allowed' },
    { url: 'HTTP://LEGACY.EXAMPLE./', expected: 'allowed' },
    { url: 'http://192.168.1.20/', expected: 'allowed' },
    { url: 'http://3232235796/', expected: 'allowed' },
    // The exception is for the exact host: its subdomains still need https.
    { url: 'http://www.legacy.example/', expected: 'insecure-http' },
    { url: 'https://www.legacy.example/', expected: 'allowed' },
    { url: 'http://allowed.example/', expected: 'insecure-http' },
    { url: 'http://intranet/', expected: 'insecure-http' },
    { url: 'http://evil.test/', expected: 'host' },
    { url: 'http://legacy.example:443/', expected: 'port' },
    { url: 'http://legacy.example:80/', expected: 'allowed' },
    { url: 'http://192.168.1.20:8080/', expected: 'port' },
  ];
  for (const kind of ALL_KINDS) {
    it.each(rows.map((row) => [nameOf(row), row.expected, row] as const))(`${kind}: %s → %s`, (_name, expected, row) => {
      expect(decideNavigation(row.url, RULES, kind)).toEqual(decisionFor(expected));
    });
  }

  it('needs the host on the allow-list too: UNSAFE_allowHttpHosts alone allows nothing', () => {
    const rules: NavigationRules = { allowedDomains: ['allowed.example'], UNSAFE_allowHttpHosts: ['evil.test'] };
    expect(decideNavigation('http://evil.test/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
    expect(decideNavigation('https://evil.test/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
  });

  it('follows the port of the allow-list entry; a port on the http entry narrows it further', () => {
    const withPort = (httpEntry: string): NavigationRules => ({ allowedDomains: ['printer.lan:8080'], UNSAFE_allowHttpHosts: [httpEntry] });
    expect(decideNavigation('http://printer.lan:8080/', withPort('printer.lan'), 'top-level')).toEqual({ allowed: true });
    expect(decideNavigation('http://printer.lan:8080/', withPort('printer.lan:8080'), 'top-level')).toEqual({ allowed: true });
    expect(decideNavigation('http://printer.lan:8080/', withPort('printer.lan:9090'), 'top-level')).toEqual({ allowed: false, reason: 'insecure-http' });
    expect(decideNavigation('http://printer.lan/', withPort('printer.lan'), 'top-level')).toEqual({ allowed: false, reason: 'port' });
  });
});

const REFUSED_SCHEMES: readonly string[] = [
  'file:///etc/passwd',
  'file:///C:/Windows/System32/cmd.exe',
  'file://allowed.example/share/file.txt',
  'FILE:///etc/passwd',
  'view-source:https://allowed.example/',
  'chrome://settings',
  'chrome://gpu',
  'chrome://inspect/#devices',
  'chrome-untrusted://terms/',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop/page.html',
  'devtools://devtools/bundled/inspector.html',
  'edge://settings',
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'javascript://allowed.example/%0aalert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:,allowed.example',
  'mailto:someone@allowed.example',
  'tel:+3225551234',
  'sms:+3225551234',
  'ms-settings:network',
  'ms-msdt:/id PCWDiagnostic',
  'search-ms:query=secret',
  'shell:startup',
  'ftp://allowed.example/',
  'ws://allowed.example/',
  'wss://allowed.example/',
  'filesystem:https://allowed.example/temporary/file.txt',
  'intent://scan/#Intent;scheme=zxing;end',
  'about:config',
  'about:settings',
  'about:blankx',
  'about:Blank',
  'ABOUT:BLANK',
  'about:blank/../config',
  'gopher://allowed.example/',
  'x-kiosk-escape://open',
];

describe('every other scheme', () => {
  for (const kind of ALL_KINDS) {
    it.each(REFUSED_SCHEMES)(`${kind}: %s → scheme`, (url) => {
      expect(decideNavigation(url, RULES, kind)).toEqual({ allowed: false, reason: 'scheme' });
    });
  }
});

describe('where frames start: about:blank, about:srcdoc and blob:', () => {
  const cases: ReadonlyArray<{ url: string; expected: Readonly<Record<NavigationKind, Expected>> }> = [
    // Frames of an allowed page start here; their content is that page's own.
    { url: 'about:blank', expected: { 'sub-frame': 'allowed', 'window-open': 'allowed', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'about:blank#section', expected: { 'sub-frame': 'allowed', 'window-open': 'allowed', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'about:srcdoc', expected: { 'sub-frame': 'allowed', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    // A blob is as trustworthy as the origin that made it, and only inside a frame.
    { url: 'blob:https://allowed.example/0b8f3c1e-3c7a-4c57-9d0e-6f1a2b3c4d5e', expected: { 'sub-frame': 'allowed', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:https://www.allowed.example/id', expected: { 'sub-frame': 'allowed', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:https://ports.example:8443/id', expected: { 'sub-frame': 'allowed', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:http://legacy.example/id', expected: { 'sub-frame': 'allowed', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:https://evil.test/id', expected: { 'sub-frame': 'host', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:https://allowed.example.evil.test/id', expected: { 'sub-frame': 'host', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:https://allowed.example:8443/id', expected: { 'sub-frame': 'port', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:https://user:secret@allowed.example/id', expected: { 'sub-frame': 'user-info', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:http://allowed.example/id', expected: { 'sub-frame': 'insecure-http', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:null/0b8f3c1e', expected: { 'sub-frame': 'scheme', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:blob:https://allowed.example/id', expected: { 'sub-frame': 'scheme', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:file:///etc/passwd', expected: { 'sub-frame': 'scheme', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    { url: 'blob:about:blank', expected: { 'sub-frame': 'scheme', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
    // data: has no origin the allow-list could vouch for, even inside a frame.
    { url: 'data:text/html,<a href="file:///">files</a>', expected: { 'sub-frame': 'scheme', 'window-open': 'scheme', 'top-level': 'scheme', redirect: 'scheme' } },
  ];
  for (const { url, expected } of cases) {
    for (const kind of ALL_KINDS) {
      it(`${kind}: ${url} → ${expected[kind]}`, () => {
        expect(decideNavigation(url, RULES, kind)).toEqual(decisionFor(expected[kind]));
      });
    }
  }
});

describeEveryKind('control characters and surrounding spaces', [
  // The parser would silently drop the tab and read allowed.example: refused all the same.
  { url: 'https://allowed.ex\tample/', expected: 'unparsable', label: 'tab inside the host' },
  { url: 'https://allowed.example/\n', expected: 'unparsable', label: 'trailing line feed' },
  { url: 'https://allowed.example\r\n.evil.test/', expected: 'unparsable', label: 'CR LF inside the host' },
  { url: '\thttps://allowed.example/', expected: 'unparsable', label: 'leading tab' },
  { url: ' https://allowed.example/', expected: 'unparsable', label: 'leading space' },
  { url: 'https://allowed.example/ ', expected: 'unparsable', label: 'trailing space' },
  { url: 'https://allowed.example/\u0000', expected: 'unparsable', label: 'NUL at the end' },
  { url: 'https://allowed.example/\u007f', expected: 'unparsable', label: 'DEL at the end' },
  { url: '\u0000https://allowed.example/', expected: 'unparsable', label: 'leading NUL' },
  { url: 'java\tscript:alert(1)', expected: 'unparsable', label: 'javascript: split by a tab' },
  { url: 'java\nscript:alert(1)', expected: 'unparsable', label: 'javascript: split by a line feed' },
  { url: 'https://evil.test\n@allowed.example/', expected: 'unparsable', label: 'line feed before @' },
  { url: '\u00a0https://allowed.example/', expected: 'unparsable', label: 'leading no-break space' },
]);

describeEveryKind('empty, garbage and oversized input', [
  { url: '', expected: 'unparsable', label: 'empty string' },
  { url: ' ', expected: 'unparsable', label: 'one space' },
  { url: 'not a web address', expected: 'unparsable' },
  { url: 'allowed.example', expected: 'unparsable' },
  { url: 'www.allowed.example/path', expected: 'unparsable' },
  { url: '/relative/path', expected: 'unparsable' },
  { url: '//allowed.example/', expected: 'unparsable' },
  { url: '?query', expected: 'unparsable' },
  { url: '#fragment', expected: 'unparsable' },
  { url: 'https://', expected: 'unparsable' },
  { url: 'https:///', expected: 'unparsable' },
  { url: 'https://:443/', expected: 'unparsable' },
  { url: 'https://allowed.example:port/', expected: 'unparsable' },
  { url: 'https://[allowed.example]/', expected: 'unparsable' },
  { url: 'https://allowed<example/', expected: 'unparsable' },
  { url: 'https://allowed^example/', expected: 'unparsable' },
  { url: 'https://allowed|example/', expected: 'unparsable' },
  { url: '💥', expected: 'unparsable' },
  { url: '\ud800', expected: 'unparsable', label: 'lone surrogate' },
  { url: ':', expected: 'unparsable' },
  { url: 'https://allowed.example/'.padEnd(MAX_NAVIGATION_URL_LENGTH + 1, 'a'), expected: 'unparsable', label: 'an address one character over the browser limit' },
  { url: 'h'.repeat(5_000_000), expected: 'unparsable', label: '5 million letters' },
  { url: `https://${'a.'.repeat(2000)}allowed.example/`, expected: 'allowed', label: 'two thousand subdomain labels' },
  { url: `https://${'a'.repeat(10_000)}.evil.test/`, expected: 'host', label: 'a 10 000 character label' },
]);

describe('input that is not a string at all', () => {
  it.each([undefined, null, 42, {}, ['https://allowed.example/'], new String('https://allowed.example/')])('%o → unparsable', (value) => {
    expect(decideNavigation(value as unknown as string, RULES, 'top-level')).toEqual({ allowed: false, reason: 'unparsable' });
  });
});

describe('the rules themselves', () => {
  it('refuses every web address when the allow-list is empty', () => {
    const empty: NavigationRules = { allowedDomains: [], UNSAFE_allowHttpHosts: [] };
    for (const url of ['https://allowed.example/', 'https://intranet/', 'https://192.168.1.20/']) {
      expect(decideNavigation(url, empty, 'top-level')).toEqual({ allowed: false, reason: 'host' });
    }
    expect(decideNavigation('about:blank', empty, 'sub-frame')).toEqual({ allowed: true });
  });

  // Entries are validated by the configuration schema; one that slipped through must never widen the list.
  it.each([
    'ALLOWED.EXAMPLE',
    '.allowed.example',
    '*.allowed.example',
    'https://allowed.example',
    'allowed.example/',
    'allowed.example.',
    ' allowed.example',
    'user@allowed.example',
    '',
    'example',
    'example:443',
  ])('ignores the malformed entry %j', (entry) => {
    const rules: NavigationRules = { allowedDomains: [entry], UNSAFE_allowHttpHosts: [entry] };
    expect(decideNavigation('https://allowed.example/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
    expect(decideNavigation('http://allowed.example/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
  });

  it('ignores an entry that is only a number, which a browser would read as an IPv4 address', () => {
    const rules: NavigationRules = { allowedDomains: ['20', '1.20'], UNSAFE_allowHttpHosts: [] };
    expect(decideNavigation('https://0.0.0.20/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
    expect(decideNavigation('https://1.0.0.20/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
    expect(decideNavigation('https://1.20/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
  });

  it('never lets a single-label entry such as a top-level domain cover its subdomains', () => {
    const rules: NavigationRules = { allowedDomains: ['be'], UNSAFE_allowHttpHosts: [] };
    expect(decideNavigation('https://anything.be/', rules, 'top-level')).toEqual({ allowed: false, reason: 'host' });
    expect(decideNavigation('https://be/', rules, 'top-level')).toEqual({ allowed: true });
  });

  it('allows a host reached through any of several entries when one of them names its port', () => {
    const rules: NavigationRules = { allowedDomains: ['example.be', 'api.example.be:8443'], UNSAFE_allowHttpHosts: [] };
    expect(decideNavigation('https://api.example.be/', rules, 'top-level')).toEqual({ allowed: true });
    expect(decideNavigation('https://api.example.be:8443/', rules, 'top-level')).toEqual({ allowed: true });
    expect(decideNavigation('https://www.example.be:8443/', rules, 'top-level')).toEqual({ allowed: false, reason: 'port' });
  });

  it('answers with a fresh, plain decision every time', () => {
    const first = decideNavigation('https://allowed.example/', RULES, 'top-level');
    const second = decideNavigation('https://evil.test/', RULES, 'top-level');
    expect(first).toEqual({ allowed: true });
    expect(second).toEqual({ allowed: false, reason: 'host' });
    expect(Object.keys(second).sort()).toEqual(['allowed', 'reason']);
  });
});

describe('ALLOW_LIST_ENTRY_PATTERN', () => {
  const validEntries = [
    'example.be',
    'www.example.be',
    'a.b',
    'intranet',
    'localhost',
    'a',
    '123abc.example',
    'xn--bcher-kva.example',
    'my-service.example.be',
    '0.0.0.0',
    '10.0.0.1',
    '192.168.1.20',
    '255.255.255.255',
    'example.be:1',
    'example.be:8443',
    'example.be:65535',
    '192.168.1.20:8080',
    'intranet:3000',
    `${'a'.repeat(63)}.example`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  ];

  it.each(validEntries)('accepts %s', (entry) => {
    expect(ALLOW_LIST_ENTRY_PATTERN.test(entry)).toBe(true);
  });

  // The pattern and the URL parser must agree: every accepted entry allows its own address.
  it.each(validEntries)('an accepted entry allows its own https address: %s', (entry) => {
    const rules: NavigationRules = { allowedDomains: [entry], UNSAFE_allowHttpHosts: [] };
    expect(decideNavigation(`https://${entry}/`, rules, 'top-level')).toEqual({ allowed: true });
  });

  it.each([
    // Dotted names ending in a number: a browser reads them as (often invalid) IPv4 addresses.
    '1.2.3',
    '10.1',
    '123',
    '1.2.3.4.5',
    '256.1.1.1',
    '192.168.1.256',
    '01.2.3.4',
    '192.168.001.20',
    '0x7f.0.0.1',
    '0x7f',
    '0x',
    'example.123',
    'example.0x1f',
    'www.example.be.1',
    // Not lowercase ASCII host names.
    'Example.be',
    'EXAMPLE.BE',
    'bücher.example',
    'exa_mple.be',
    '-example.be',
    'example-.be',
    'example..be',
    '.example.be',
    'example.be.',
    '*.example.be',
    `${'a'.repeat(64)}.example`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
    // Not only a host.
    '',
    ' example.be',
    'example.be ',
    'https://example.be',
    'example.be/',
    'example.be/path',
    'user@example.be',
    '[::1]',
    '::1',
    // Ports out of range or written oddly.
    'example.be:',
    'example.be:0',
    'example.be:65536',
    'example.be:08443',
    'example.be:443:443',
    'example.be:-1',
  ])('refuses %j', (entry) => {
    expect(ALLOW_LIST_ENTRY_PATTERN.test(entry)).toBe(false);
  });

  it('decides a long hostile entry quickly', () => {
    const hostile = `${'a-'.repeat(50_000)}.${'1.'.repeat(50_000)}x:`;
    const started = performance.now();
    expect(ALLOW_LIST_ENTRY_PATTERN.test(hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
