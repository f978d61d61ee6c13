import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { ICON_IDS } from '../../shared/config/icons';
import {
  BUILT_IN_THEME_IDS,
  CONFIG_SCHEMA_VERSION,
  DEFAULT_SESSION_SETTINGS,
  SERVICE_PERMISSIONS,
  describeProblems,
  formatFieldPath,
  localize,
  parseKioskConfig,
  type ConfigProblem,
} from '../../shared/config/schema';
import { decideNavigation } from '../../shared/navigation-policy';

const [firstService, secondService, ...otherServices] = DEFAULT_CONFIG.services;

/** The built-in configuration with the first service changed: what a staff member's edit looks like. */
function withFirstService(changes: Record<string, unknown>): unknown {
  return { ...DEFAULT_CONFIG, services: [{ ...firstService, ...changes }, secondService, ...otherServices] };
}

function problemsOf(input: unknown): readonly ConfigProblem[] {
  const result = parseKioskConfig(input);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.problems;
}

/** The file is refused with exactly one problem, at `field`, whose message holds every fragment. */
function expectSingleProblem(input: unknown, field: string, ...fragments: string[]): void {
  const problems = problemsOf(input);
  expect(problems.map((problem) => problem.field)).toEqual([field]);
  for (const fragment of fragments) expect(problems[0]!.message).toContain(fragment);
}

describe('the built-in configuration', () => {
  it('parses, and keeps every service and theme', () => {
    const result = parseKioskConfig(DEFAULT_CONFIG);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.services.map((service) => service.id)).toEqual(DEFAULT_CONFIG.services.map((service) => service.id));
    expect(result.config.themes.map((theme) => theme.id)).toEqual(DEFAULT_CONFIG.themes.map((theme) => theme.id));
    expect(result.config.schemaVersion).toBe(CONFIG_SCHEMA_VERSION);
  });

  it('fills in the defaults: no plain-http host unless a file asks for one', () => {
    const result = parseKioskConfig(DEFAULT_CONFIG);
    if (!result.ok) throw new Error(describeProblems(result.problems));
    for (const service of result.config.services) expect(service.UNSAFE_allowHttpHosts).toEqual([]);
  });

  it('lets the kiosk open every start address under the navigation policy', () => {
    const result = parseKioskConfig(DEFAULT_CONFIG);
    if (!result.ok) throw new Error(describeProblems(result.problems));
    for (const service of result.config.services) {
      expect({ id: service.id, decision: decideNavigation(service.startUrl, service, 'top-level') }).toEqual({ id: service.id, decision: { allowed: true } });
    }
  });
});

describe('a bad file gets a problem naming the field and saying how to fix it', () => {
  it('wrong schemaVersion', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, schemaVersion: 2 }, 'schemaVersion', `must be ${CONFIG_SCHEMA_VERSION}`);
    expectSingleProblem({ ...DEFAULT_CONFIG, schemaVersion: '1' }, 'schemaVersion', `must be ${CONFIG_SCHEMA_VERSION}`);
  });

  it('unknown field at the top of the file', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, colour: 'blue' }, '', '"colour"', 'remove them or check their spelling');
  });

  it('unknown field inside a service', () => {
    expectSingleProblem(withFirstService({ startURL: 'https://www.example.be/' }), 'services[0]', '"startURL"', 'check their spelling');
  });

  it('unknown field inside the kiosk section', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, kiosk: { name: 'PC 3', site: '', room: 'B' } }, 'kiosk', '"room"');
  });

  it('default language not offered', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, languages: { offered: ['fr', 'nl'], default: 'de' } }, 'languages.default', '"de" is not in languages.offered', 'add it there or choose one of fr, nl');
  });

  it('a language the kiosk does not speak', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, languages: { offered: ['fr', 'es'], default: 'fr' } }, 'languages.offered[1]', 'fr, nl, de, en');
  });

  it('a language offered twice', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, languages: { offered: ['fr', 'nl', 'fr'], default: 'fr' } }, 'languages.offered[2]', '"fr" is listed twice', 'keep one');
  });

  it('duplicate service id', () => {
    const input = { ...DEFAULT_CONFIG, services: [firstService, { ...secondService, id: firstService.id }, ...otherServices] };
    expectSingleProblem(input, 'services[1].id', `"${firstService.id}" is used by two services`, 'give each service its own id');
  });

  it('a service id that is not an id', () => {
    expectSingleProblem(withFirstService({ id: 'My Service' }), 'services[0].id', 'lowercase letters, digits and dashes');
  });

  it('duplicate theme id', () => {
    const input = { ...DEFAULT_CONFIG, themes: [...DEFAULT_CONFIG.themes, { id: 'health', icon: 'health' }] };
    expectSingleProblem(input, `themes[${DEFAULT_CONFIG.themes.length}].id`, '"health" is used by two themes', 'give each theme its own id');
  });

  it('unknown theme on a service', () => {
    expectSingleProblem(withFirstService({ theme: 'sports' }), 'services[0].theme', '"sports" is not a theme of this configuration', 'or add it to themes', BUILT_IN_THEME_IDS[0]);
  });

  it('start URL off its own allow-list', () => {
    expectSingleProblem(withFirstService({ startUrl: 'https://www.evil.test/' }), 'services[0].startUrl', '"www.evil.test" is not in allowedDomains', 'add "www.evil.test" (or its parent domain) to allowedDomains');
  });

  it('start URL on a look-alike of its allow-list', () => {
    expectSingleProblem(withFirstService({ startUrl: 'https://minfin.fgov.be.evil.test/', allowedDomains: ['minfin.fgov.be'] }), 'services[0].startUrl', 'is not in allowedDomains');
    expectSingleProblem(withFirstService({ startUrl: 'https://evilminfin.fgov.be/', allowedDomains: ['minfin.fgov.be'] }), 'services[0].startUrl', 'is not in allowedDomains');
  });

  it('plain http start URL', () => {
    expectSingleProblem(withFirstService({ startUrl: 'http://eservices.minfin.fgov.be/' }), 'services[0].startUrl', 'uses plain http', 'use https://', 'UNSAFE_allowHttpHosts');
  });

  it('accepts a plain http start URL whose host is marked UNSAFE_allowHttpHosts', () => {
    const input = withFirstService({ startUrl: 'http://192.168.1.20:8080/', allowedDomains: ['192.168.1.20:8080'], UNSAFE_allowHttpHosts: ['192.168.1.20'] });
    expect(parseKioskConfig(input).ok).toBe(true);
  });

  it('start URL on a port the allow-list does not name', () => {
    expectSingleProblem(withFirstService({ startUrl: 'https://minfin.fgov.be:8443/' }), 'services[0].startUrl', 'port 8443', 'add "minfin.fgov.be:8443" to allowedDomains');
    expectSingleProblem(withFirstService({ startUrl: 'https://minfin.fgov.be/', allowedDomains: ['minfin.fgov.be:8443'] }), 'services[0].startUrl', 'default port', 'add "minfin.fgov.be" to allowedDomains');
    expect(parseKioskConfig(withFirstService({ startUrl: 'https://minfin.fgov.be:8443/', allowedDomains: ['minfin.fgov.be:8443'] })).ok).toBe(true);
  });

  it('start URL with a user name and password', () => {
    expectSingleProblem(withFirstService({ startUrl: 'https://staff:secret@eservices.minfin.fgov.be/' }), 'services[0].startUrl', 'user name or password', 'remove the part before "@"');
  });

  it.each(['not an address', 'ftp://minfin.fgov.be/', 'javascript:alert(1)', 'file:///etc/passwd', 'eservices.minfin.fgov.be', '', 42])(
    'start URL %j that is not a web address (and the parse never throws)',
    (startUrl) => {
      expectSingleProblem(withFirstService({ startUrl }), 'services[0].startUrl', 'https://');
    },
  );

  it.each([
    ['https://minfin.fgov.be', 'with a scheme'],
    ['Minfin.fgov.be', 'in capitals'],
    ['minfin.fgov.be.', 'with a trailing dot'],
    ['*.minfin.fgov.be', 'with a wildcard'],
    ['minfin.fgov.be/path', 'with a path'],
    ['10.1', 'that a browser reads as an IPv4 address'],
    ['1.2.3.256', 'that is not a valid IPv4 address'],
    ['minfin.123', 'ending in a number'],
    ['bücher.example', 'not in its xn-- form'],
    ['minfin.fgov.be:70000', 'with a port out of range'],
  ])('bad allow-list entry %j (%s)', (entry) => {
    const input = withFirstService({ allowedDomains: ['minfin.fgov.be', entry, 'iamfas.belgium.be'] });
    expectSingleProblem(input, 'services[0].allowedDomains[1]', 'must be a lowercase host name such as "example.be"', 'xn-- form');
  });

  it('bad UNSAFE_allowHttpHosts entry', () => {
    expectSingleProblem(withFirstService({ UNSAFE_allowHttpHosts: ['http://intranet'] }), 'services[0].UNSAFE_allowHttpHosts[0]', 'must be a lowercase host name');
  });

  it('empty allow-list', () => {
    expectSingleProblem(withFirstService({ allowedDomains: [] }), 'services[0].allowedDomains', 'must list at least one host name');
  });

  it('allow-list that is not a list', () => {
    expectSingleProblem(withFirstService({ allowedDomains: 'minfin.fgov.be' }), 'services[0].allowedDomains', 'must be a list of host names');
  });

  it('unknown icon', () => {
    expectSingleProblem(withFirstService({ icon: 'rocket' }), 'services[0].icon', 'must be one of the built-in icons', ICON_IDS.join(', '));
  });

  it('empty label', () => {
    expectSingleProblem(withFirstService({ label: { fr: '   ', en: 'My taxes' } }), 'services[0].label.fr', 'must not be empty');
  });

  it('label without any language', () => {
    expectSingleProblem(withFirstService({ label: {} }), 'services[0].label', 'must have a text in at least one language');
  });

  it('label in a language the kiosk does not speak', () => {
    const problems = problemsOf(withFirstService({ label: { fr: 'Mes impôts', es: 'Mis impuestos' } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toMatch(/^services\[0\]\.label/);
  });

  it('label too long to read on a tile', () => {
    expectSingleProblem(withFirstService({ label: { fr: 'x'.repeat(61) } }), 'services[0].label.fr', 'at most 60 characters');
  });

  it('custom theme without label', () => {
    const input = { ...DEFAULT_CONFIG, themes: [...DEFAULT_CONFIG.themes, { id: 'culture', icon: 'globe' }] };
    expectSingleProblem(input, `themes[${DEFAULT_CONFIG.themes.length}].label`, 'is required for a theme of your own', '"culture"', 'give it a label per language');
  });

  it('accepts a custom theme with a label', () => {
    const input = { ...DEFAULT_CONFIG, themes: [...DEFAULT_CONFIG.themes, { id: 'culture', icon: 'globe', label: { fr: 'Culture', nl: 'Cultuur' } }] };
    expect(parseKioskConfig(input).ok).toBe(true);
  });

  it('empty kiosk name', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, kiosk: { name: '  ', site: '' } }, 'kiosk.name', 'must not be empty', 'for example "PC 3"');
  });

  it('missing section', () => {
    const { themes: _themes, ...withoutThemes } = DEFAULT_CONFIG;
    expectSingleProblem(withoutThemes, 'themes', 'must be a list of themes');
  });

  it.each([
    ['null', null],
    ['a text', 'schemaVersion: 1'],
    ['a number', 1],
    ['a list', [DEFAULT_CONFIG]],
    ['nothing', undefined],
  ])('not an object at all: %s', (_what, input) => {
    expectSingleProblem(input, '', 'must be an object (the whole configuration file)');
  });

  it('reports every problem of a file at once', () => {
    const input = { ...withFirstService({ icon: 'rocket', startUrl: 'http://eservices.minfin.fgov.be/' }) as object, schemaVersion: 3 };
    const fields = problemsOf(input).map((problem) => problem.field).sort();
    expect(fields).toEqual(['schemaVersion', 'services[0].icon', 'services[0].startUrl']);
  });
});

/** The configuration a file gives, or the problems that refuse it. */
function parsedOrThrow(input: unknown) {
  const result = parseKioskConfig(input);
  if (!result.ok) throw new Error(describeProblems(result.problems));
  return result.config;
}

describe('session timings', () => {
  it('default to an idle timeout of 3 minutes, a 30-second warning, no maximum length and a 6-second "erased" message', () => {
    expect(DEFAULT_SESSION_SETTINGS).toEqual({ idleTimeoutSeconds: 180, idleWarningSeconds: 30, maxSessionMinutes: null, maxSessionWarningMinutes: 5, erasedMessageSeconds: 6 });
    const { session: _session, ...withoutSession } = DEFAULT_CONFIG as Record<string, unknown>;
    expect(parsedOrThrow(withoutSession).session).toEqual(DEFAULT_SESSION_SETTINGS);
  });

  it('fill in the fields a file leaves out', () => {
    expect(parsedOrThrow({ ...DEFAULT_CONFIG, session: { maxSessionMinutes: 60 } }).session).toEqual({ ...DEFAULT_SESSION_SETTINGS, maxSessionMinutes: 60 });
    expect(parsedOrThrow({ ...DEFAULT_CONFIG, session: {} }).session).toEqual(DEFAULT_SESSION_SETTINGS);
  });

  it('accept the limits themselves', () => {
    const lowest = { idleTimeoutSeconds: 30, idleWarningSeconds: 10, maxSessionMinutes: 10, maxSessionWarningMinutes: 1, erasedMessageSeconds: 3 };
    const highest = { idleTimeoutSeconds: 3600, idleWarningSeconds: 300, maxSessionMinutes: 720, maxSessionWarningMinutes: 30, erasedMessageSeconds: 30 };
    expect(parsedOrThrow({ ...DEFAULT_CONFIG, session: lowest }).session).toEqual(lowest);
    expect(parsedOrThrow({ ...DEFAULT_CONFIG, session: highest }).session).toEqual(highest);
  });

  it.each([
    ['idleTimeoutSeconds', 29, 'at least 30 seconds'],
    ['idleTimeoutSeconds', 3601, 'at most 3600 seconds'],
    ['idleTimeoutSeconds', 90.5, 'whole number of seconds'],
    ['idleTimeoutSeconds', '180', 'must be a number of seconds'],
    ['idleWarningSeconds', 9, 'at least 10 seconds'],
    ['idleWarningSeconds', 301, 'at most 300 seconds'],
    ['maxSessionMinutes', 9, 'at least 10 minutes'],
    ['maxSessionMinutes', 721, 'at most 720 minutes'],
    ['maxSessionMinutes', 'none', 'or null for no maximum'],
    ['maxSessionWarningMinutes', 0, 'at least 1 minute'],
    ['maxSessionWarningMinutes', 31, 'at most 30 minutes'],
    ['erasedMessageSeconds', 2, 'at least 3 seconds'],
    ['erasedMessageSeconds', 31, 'at most 30 seconds'],
    ['erasedMessageSeconds', null, 'must be a number of seconds'],
  ])('refuse %s = %j, saying what is allowed', (field, value, fragment) => {
    expectSingleProblem({ ...DEFAULT_CONFIG, session: { [field]: value } }, `session.${field}`, fragment);
  });

  it('refuse a warning that would come no earlier than the end itself', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, session: { maxSessionMinutes: 10, maxSessionWarningMinutes: 10 } }, 'session.maxSessionWarningMinutes', 'shorter than maxSessionMinutes (10)');
    expect(parseKioskConfig({ ...DEFAULT_CONFIG, session: { maxSessionMinutes: 10, maxSessionWarningMinutes: 9 } }).ok).toBe(true);
    // Without a maximum, the warning setting waits unused.
    expect(parseKioskConfig({ ...DEFAULT_CONFIG, session: { maxSessionMinutes: null, maxSessionWarningMinutes: 30 } }).ok).toBe(true);
  });

  it('refuse unknown fields and a section that is not an object', () => {
    const misspelt = problemsOf({ ...DEFAULT_CONFIG, session: { idleTimeoutSecond: 120 } });
    expect(misspelt).toEqual([{ field: 'session', message: expect.stringContaining('"idleTimeoutSecond"') }]);
    expectSingleProblem({ ...DEFAULT_CONFIG, session: 180 }, 'session', 'must be an object with the session timings');
  });
});

describe('help settings', () => {
  it('default to no hub, no webhook and the kiosk\'s own fallback words', () => {
    const config = parsedOrThrow(DEFAULT_CONFIG);
    expect(config.help).toEqual({ hub: null, webhooks: [], fallback: {} });
    expect(config.kiosk.role).toBe('visitor');
    expect(config.hub).toBeNull();
  });

  it('accept a hub with its pairing code, webhooks of each format, and a fallback', () => {
    const help = {
      hub: { url: 'http://192.168.1.10:8470', pairingCode: 'K7QM-RXHP' },
      webhooks: [
        { url: 'https://ntfy.example.org/epn-help', format: 'ntfy' },
        { url: 'https://push.example.org/message?token=AbC', format: 'gotify' },
        { url: 'https://hooks.example.org/epn' },
      ],
      fallback: { message: { fr: 'Levez la main : un animateur viendra.', en: 'Raise your hand: a helper will come.' }, phone: '+32 81 24 00 00' },
    };
    const config = parsedOrThrow({ ...DEFAULT_CONFIG, help });
    expect(config.help.hub).toEqual(help.hub);
    expect(config.help.webhooks.map((webhook) => webhook.format)).toEqual(['ntfy', 'gotify', 'json']);
    expect(config.help.fallback).toEqual(help.fallback);
  });

  it.each([
    [{ hub: { url: 'hub.local:8470' } }, 'help.hub.url', 'http://'],
    [{ hub: { url: 'ftp://192.168.1.10' } }, 'help.hub.url', 'http://'],
    [{ hub: { url: 'http://192.168.1.10:8470', pairingCode: 12345678 } }, 'help.hub.pairingCode', 'pairing code shown on the staff dashboard'],
    [{ hub: 'http://192.168.1.10:8470' }, 'help.hub', 'or null'],
    [{ webhooks: { url: 'https://ntfy.example.org/x' } }, 'help.webhooks', 'list of webhooks'],
    [{ webhooks: [{ url: 'https://ntfy.example.org/x', format: 'slack' }] }, 'help.webhooks[0].format', 'json, ntfy, gotify'],
    [{ webhooks: [{ url: 'mailto:staff@example.org', format: 'json' }] }, 'help.webhooks[0].url', 'http://'],
    [{ webhooks: ['https://ntfy.example.org/x'] }, 'help.webhooks[0]', 'describing one webhook'],
    [{ webhooks: Array.from({ length: 6 }, (_, index) => ({ url: `https://hooks.example.org/${index}` })) }, 'help.webhooks', 'at most 5'],
    [{ fallback: { phone: 'call Marie' } }, 'help.fallback.phone', 'phone number'],
    [{ fallback: { message: {} } }, 'help.fallback.message', 'at least one language'],
    [{ fallback: { message: { fr: 'x'.repeat(201) } } }, 'help.fallback.message.fr', 'at most 200 characters'],
    [{ fallback: 'Raise your hand' }, 'help.fallback', 'must be an object'],
  ])('refuse %j, naming %s', (help, field, fragment) => {
    expectSingleProblem({ ...DEFAULT_CONFIG, help }, field, fragment);
  });

  it('refuse a fallback message in a language the kiosk does not speak, naming it', () => {
    const problems = problemsOf({ ...DEFAULT_CONFIG, help: { fallback: { message: { es: 'Levanta la mano' } } } });
    expect(problems.map((problem) => problem.field)).toEqual(['help.fallback.message', 'help.fallback.message']);
    expect(problems[0]!.message).toContain('"es"');
  });

  it('refuse unknown fields, by name', () => {
    expect(problemsOf({ ...DEFAULT_CONFIG, help: { hubs: [] } })).toEqual([{ field: 'help', message: expect.stringContaining('"hubs"') }]);
    expect(problemsOf({ ...DEFAULT_CONFIG, help: { hub: { url: 'http://192.168.1.10:8470', token: 'x' } } })).toEqual([{ field: 'help.hub', message: expect.stringContaining('"token"') }]);
    expect(problemsOf({ ...DEFAULT_CONFIG, help: { webhooks: [{ url: 'https://x.example.org/', secret: 'x' }] } })).toEqual([{ field: 'help.webhooks[0]', message: expect.stringContaining('"secret"') }]);
  });
});

describe('kiosk.role and the staff PC\'s hub', () => {
  const staffKiosk = { ...DEFAULT_CONFIG.kiosk, role: 'staff' };

  it('a staff PC runs the hub on the interface it names, port 8470 unless told otherwise', () => {
    const config = parsedOrThrow({ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '192.168.1.10' } });
    expect(config.kiosk.role).toBe('staff');
    expect(config.hub).toEqual({ listen: '192.168.1.10', port: 8470, upstream: null });
    const full = parsedOrThrow({
      ...DEFAULT_CONFIG,
      kiosk: staffKiosk,
      hub: { listen: 'eth0', port: 9000, tlsCertFile: '/etc/epn/hub.crt', tlsKeyFile: '/etc/epn/hub.key', upstream: { url: 'https://hub.reseau-epn.be', pairingCode: 'K7QM-RXHP' } },
    });
    expect(full.hub).toMatchObject({ listen: 'eth0', port: 9000, upstream: { url: 'https://hub.reseau-epn.be' } });
  });

  it('a staff PC without hub settings is refused, saying what to add', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, kiosk: staffKiosk }, 'hub', 'required when kiosk.role is "staff"');
  });

  it.each([
    [{ ...DEFAULT_CONFIG, kiosk: { ...DEFAULT_CONFIG.kiosk, role: 'admin' } }, 'kiosk.role', '"visitor"'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '0.0.0.0' } }, 'hub.listen', 'listening on every interface is refused'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '' } }, 'hub.listen', 'must not be empty'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '192.168.1.10', port: 80 } }, 'hub.port', 'at least 1024'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '192.168.1.10', port: 70_000 } }, 'hub.port', 'at most 65535'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '192.168.1.10', tlsCertFile: '/etc/epn/hub.crt' } }, 'hub.tlsKeyFile', 'both the certificate and its key'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: { listen: '192.168.1.10', upstream: { url: 'hub.reseau-epn.be' } } }, 'hub.upstream.url', 'http://'],
    [{ ...DEFAULT_CONFIG, kiosk: staffKiosk, hub: '192.168.1.10' }, 'hub', 'must be an object with the hub\'s settings'],
  ])('refuse a bad field: %#, naming %s', (input, field, fragment) => {
    expectSingleProblem(input, field, fragment);
  });

  it('a public PC may carry hub settings: they wait unused until kiosk.role is "staff"', () => {
    expect(parsedOrThrow({ ...DEFAULT_CONFIG, hub: { listen: '192.168.1.10' } }).kiosk.role).toBe('visitor');
  });
});

describe('service permissions', () => {
  it('default to none: every device and feature is denied', () => {
    for (const service of parsedOrThrow(DEFAULT_CONFIG).services) expect(service.permissions).toEqual([]);
  });

  it('accept each permission the kiosk knows', () => {
    const config = parsedOrThrow(withFirstService({ permissions: [...SERVICE_PERMISSIONS] }));
    expect(config.services[0]!.permissions).toEqual([...SERVICE_PERMISSIONS]);
    expect(SERVICE_PERMISSIONS).toEqual(['camera', 'microphone', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen']);
  });

  it.each([['usb'], ['Camera'], ['screen-capture'], [''], ['*']])('refuse "%s", listing the ones allowed', (permission) => {
    expectSingleProblem(withFirstService({ permissions: ['camera', permission] }), 'services[0].permissions[1]', 'must be one of: camera, microphone, geolocation');
  });

  it('refuse a single text instead of a list', () => {
    expectSingleProblem(withFirstService({ permissions: 'camera' }), 'services[0].permissions', 'must be a list of permissions');
  });
});

describe('per-service options', () => {
  it('default to what the kiosk did before they existed: no printing, downloads and uploads through "My files"', () => {
    for (const service of parsedOrThrow(DEFAULT_CONFIG).services) {
      expect({ printing: service.printing, downloads: service.downloads, uploads: service.uploads }).toEqual({ printing: false, downloads: true, uploads: true });
    }
  });

  it('accept each option set either way', () => {
    const service = parsedOrThrow(withFirstService({ printing: true, downloads: false, uploads: false })).services[0]!;
    expect({ printing: service.printing, downloads: service.downloads, uploads: service.uploads }).toEqual({ printing: true, downloads: false, uploads: false });
  });

  it.each([['printing'], ['downloads'], ['uploads']])('refuse a text for %s', (option) => {
    expectSingleProblem(withFirstService({ [option]: 'yes' }), `services[0].${option}`, 'must be true or false');
  });
});

describe('staff entry settings', () => {
  it('default to a chord no visitor presses by chance, corner taps, and closing after 5 minutes', () => {
    expect(parsedOrThrow(DEFAULT_CONFIG).staff).toEqual({ keyChord: 'Control+Alt+Shift+S', cornerTaps: true, autoCloseMinutes: 5 });
  });

  it.each([['Control+Alt+K'], ['Control+Shift+Alt+Meta+F12'], ['Alt+Shift+7']])('accept the chord %s', (keyChord) => {
    expect(parsedOrThrow({ ...DEFAULT_CONFIG, staff: { keyChord } }).staff.keyChord).toBe(keyChord);
  });

  it.each([['S'], ['Control+S'], ['control+alt+s'], ['Control+Alt+Escape'], ['Control+Alt+F13'], ['Control+Alt+']])('refuse the chord %j, saying how to write one', (keyChord) => {
    expectSingleProblem({ ...DEFAULT_CONFIG, staff: { keyChord } }, 'staff.keyChord', 'two to four of Control, Alt, Shift, Meta');
  });

  it('refuse a chord naming a key twice, which could never be pressed', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, staff: { keyChord: 'Control+Control+S' } }, 'staff.keyChord', 'names a key twice');
  });

  it('keep the automatic close between 1 and 60 minutes', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, staff: { autoCloseMinutes: 0 } }, 'staff.autoCloseMinutes', 'at least 1 minute');
    expectSingleProblem({ ...DEFAULT_CONFIG, staff: { autoCloseMinutes: 61 } }, 'staff.autoCloseMinutes', 'at most 60 minutes');
  });

  it('name an unknown staff setting', () => {
    expectSingleProblem({ ...DEFAULT_CONFIG, staff: { pin: '1234' } }, 'staff', 'unknown field(s) "pin"');
  });
});

describe('formatFieldPath and describeProblems', () => {
  it('writes paths the way a person reads them', () => {
    expect(formatFieldPath([])).toBe('');
    expect(formatFieldPath(['services', 2, 'startUrl'])).toBe('services[2].startUrl');
    expect(formatFieldPath(['languages', 'offered', 0])).toBe('languages.offered[0]');
    expect(formatFieldPath([0, 'id'])).toBe('[0].id');
  });

  it('puts one problem per line, the field first', () => {
    const text = describeProblems([
      { field: 'schemaVersion', message: 'must be 1' },
      { field: '', message: 'must be an object' },
    ]);
    expect(text).toBe('schemaVersion: must be 1\nmust be an object');
  });
});

describe('localize', () => {
  it('uses the visitor language when the text has it', () => {
    expect(localize({ fr: 'Impôts', nl: 'Belastingen', en: 'Taxes' }, 'nl', 'fr')).toBe('Belastingen');
  });

  it('falls back to the kiosk default language', () => {
    expect(localize({ fr: 'Impôts', en: 'Taxes' }, 'de', 'fr')).toBe('Impôts');
  });

  it('falls back to English when neither the visitor nor the default language is there', () => {
    expect(localize({ nl: 'Belastingen', en: 'Taxes' }, 'de', 'fr')).toBe('Taxes');
  });

  it('falls back to any text rather than show nothing', () => {
    expect(localize({ nl: 'Belastingen' }, 'de', 'fr')).toBe('Belastingen');
  });

  it('gives an empty text only when there is no text at all', () => {
    expect(localize({}, 'de', 'fr')).toBe('');
  });
});

describe('updates (the optional built-in updater)', () => {
  it('is optional, and off when absent or null', () => {
    const absent = parseKioskConfig(DEFAULT_CONFIG);
    expect(absent.ok && absent.config.updates).toBeUndefined();
    const empty = parseKioskConfig({ ...DEFAULT_CONFIG, updates: {} });
    expect(empty.ok && empty.config.updates).toEqual({ feedUrl: null });
    const off = parseKioskConfig({ ...DEFAULT_CONFIG, updates: { feedUrl: null } });
    expect(off.ok && off.config.updates).toEqual({ feedUrl: null });
  });

  it('accepts an https feed', () => {
    const result = parseKioskConfig({ ...DEFAULT_CONFIG, updates: { feedUrl: 'https://updates.example.org/epn-kiosk/' } });
    expect(result.ok && result.config.updates).toEqual({ feedUrl: 'https://updates.example.org/epn-kiosk/' });
  });

  it.each([
    ['http://updates.example.org/epn-kiosk/'],
    ['file:///srv/updates/'],
    ['updates.example.org'],
    [''],
    [42],
  ])('refuses %j as a feed, naming updates.feedUrl and asking for https', (feedUrl) => {
    expect(problemsOf({ ...DEFAULT_CONFIG, updates: { feedUrl } })).toEqual([{ field: 'updates.feedUrl', message: expect.stringContaining('https://') as string }]);
  });

  it('refuses a feed over 500 characters', () => {
    const feedUrl = `https://updates.example.org/${'a'.repeat(500)}`;
    expect(problemsOf({ ...DEFAULT_CONFIG, updates: { feedUrl } })).toEqual([{ field: 'updates.feedUrl', message: 'must be at most 500 characters' }]);
  });

  it('refuses unknown fields and a section that is not an object', () => {
    expect(problemsOf({ ...DEFAULT_CONFIG, updates: { feedUrl: null, channel: 'beta' } })).toEqual([{ field: 'updates', message: expect.stringContaining('"channel"') as string }]);
    expect(problemsOf({ ...DEFAULT_CONFIG, updates: 'https://updates.example.org/' })).toEqual([{ field: 'updates', message: expect.stringContaining('feedUrl') as string }]);
  });
});
