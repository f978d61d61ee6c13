import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { ICON_IDS } from '../../shared/config/icons';
import {
  BUILT_IN_THEME_IDS,
  CONFIG_SCHEMA_VERSION,
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
