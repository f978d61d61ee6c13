import { describe, expect, it } from 'vitest';
import { changesLockedKey, configDiff, fieldPathSegments, sameValue, valueAtPath } from '../../shared/config/config-diff';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { parseKioskConfig, type KioskConfig } from '../../shared/config/schema';

function builtIn(): KioskConfig {
  const parsed = parseKioskConfig(DEFAULT_CONFIG);
  if (!parsed.ok) throw new Error('the built-in configuration must be valid');
  return parsed.config;
}

/** A deep copy to change without touching the original. */
function edited(change: (config: KioskConfig) => void): { before: KioskConfig; after: KioskConfig } {
  const before = builtIn();
  const after = structuredClone(before);
  change(after);
  return { before, after };
}

function serviceAt(config: KioskConfig, index: number): KioskConfig['services'][number] {
  const service = config.services[index];
  if (service === undefined) throw new Error(`the built-in configuration has no service ${index}`);
  return service;
}

describe('configDiff', () => {
  it('finds nothing between equal configurations, whatever the key order', () => {
    const before = builtIn();
    const { services, ...rest } = before;
    const reordered = JSON.parse(JSON.stringify({ services, ...rest })) as KioskConfig;
    expect(configDiff(before, reordered)).toEqual([]);
    expect(configDiff(before, structuredClone(before))).toEqual([]);
  });

  it('names a changed plain setting by its dotted path', () => {
    const { before, after } = edited((config) => {
      config.kiosk.name = 'PC 7';
      config.session.idleTimeoutSeconds = 240;
    });
    expect(configDiff(before, after)).toEqual(['kiosk.name', 'session.idleTimeoutSeconds']);
  });

  it('names a field of a service by the service id, not its position', () => {
    const { before, after } = edited((config) => {
      const third = serviceAt(config, 2);
      third.startUrl = `${third.startUrl}start`;
      third.label.fr = 'Autre';
    });
    const id = serviceAt(before, 2).id;
    expect(configDiff(before, after).sort()).toEqual([`services.${id}.label.fr`, `services.${id}.startUrl`].sort());
  });

  it('names a language text added or removed inside a label', () => {
    const { before, after } = edited((config) => {
      delete serviceAt(config, 0).label.de;
      serviceAt(config, 1).hint = undefined;
      serviceAt(config, 2).label = { fr: serviceAt(config, 2).label.fr ?? '', en: 'Other' };
    });
    const [first, second, third] = [0, 1, 2].map((index) => serviceAt(before, index).id);
    expect(configDiff(before, after)).toEqual([`services.${first}.label.de`, `services.${second}.hint`, `services.${third}.label.nl`, `services.${third}.label.de`, `services.${third}.label.en`, `services.${third}.label.ar`, `services.${third}.label.tr`, `services.${third}.label.uk`]);
  });

  it('names a service added or removed once, by its id', () => {
    const { before, after } = edited((config) => {
      const removed = config.services.splice(1, 1);
      const copy = { ...serviceAt(config, 0), id: 'nouveau' };
      config.services.push(copy);
      expect(removed).toHaveLength(1);
    });
    expect(configDiff(before, after)).toEqual([`services.${serviceAt(before, 1).id}`, 'services.nouveau']);
  });

  it('names a reorder once, without listing every moved tile', () => {
    const { before, after } = edited((config) => {
      config.services.reverse();
    });
    expect(configDiff(before, after)).toEqual(['services (order)']);
  });

  it('does not call a removal a reorder when the others keep their order', () => {
    const { before, after } = edited((config) => {
      config.services.shift();
    });
    expect(configDiff(before, after)).toEqual([`services.${serviceAt(before, 0).id}`]);
  });

  it('reports a reorder and a change together', () => {
    const { before, after } = edited((config) => {
      config.themes.reverse();
      serviceAt(config, 0).icon = 'globe';
    });
    expect(configDiff(before, after)).toEqual(['themes (order)', `services.${serviceAt(before, 0).id}.icon`]);
  });

  it('names a list of plain values whole', () => {
    const { before, after } = edited((config) => {
      config.languages.offered = ['nl', 'fr', 'de', 'en'];
      serviceAt(config, 0).allowedDomains.push('example.be');
      serviceAt(config, 1).permissions = ['camera'];
    });
    expect(configDiff(before, after)).toEqual([
      'languages.offered',
      `services.${serviceAt(before, 0).id}.allowedDomains`,
      `services.${serviceAt(before, 1).id}.permissions`,
    ]);
  });

  it('follows nested lists of objects without ids by position while their length holds', () => {
    const before = { help: { webhooks: [{ url: 'https://a.example/x', format: 'json' }, { url: 'https://b.example/y', format: 'ntfy' }] } };
    const changedFormat = { help: { webhooks: [{ url: 'https://a.example/x', format: 'json' }, { url: 'https://b.example/y', format: 'gotify' }] } };
    expect(configDiff(before, changedFormat)).toEqual(['help.webhooks[1].format']);
    const grown = { help: { webhooks: [...before.help.webhooks, { url: 'https://c.example/z', format: 'json' }] } };
    expect(configDiff(before, grown)).toEqual(['help.webhooks']);
  });

  it('follows lists inside lists', () => {
    const before = { grid: [[{ a: 1 }, { a: 2 }], [{ a: 3 }]] };
    const after = { grid: [[{ a: 1 }, { a: 9 }], [{ a: 3 }]] };
    expect(configDiff(before, after)).toEqual(['grid[0][1].a']);
  });

  it('names a value that changes kind (null to an object, a list to a text) whole', () => {
    const { before, after } = edited((config) => {
      config.help.hub = { url: 'http://192.168.1.10:8470' };
    });
    expect(configDiff(before, after)).toEqual(['help.hub']);
    expect(configDiff({ a: ['x'] }, { a: 'x' })).toEqual(['a']);
  });

  it('treats a key holding undefined as absent, and names a key that appears or goes', () => {
    expect(configDiff({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(configDiff({ a: 1 }, { a: 1, b: null })).toEqual(['b']);
    expect(configDiff({ a: 1, b: 2 }, { a: 1 })).toEqual(['b']);
  });

  it('falls back to positions when ids repeat or are missing', () => {
    const before = { items: [{ id: 'x', v: 1 }, { id: 'x', v: 2 }] };
    const after = { items: [{ id: 'x', v: 1 }, { id: 'x', v: 3 }] };
    expect(configDiff(before, after)).toEqual(['items[1].v']);
    expect(configDiff({ items: [{ v: 1 }] }, { items: [{ v: 2 }] })).toEqual(['items[0].v']);
  });

  it('handles an empty list becoming a list of services', () => {
    const { before, after } = edited((config) => {
      config.services = [];
    });
    expect(configDiff(after, before)).toEqual(before.services.map((service) => `services.${service.id}`));
  });

  it('never puts a value in a path', () => {
    const { before, after } = edited((config) => {
      config.help.fallback.phone = '+32 81 24 00 00';
      config.kiosk.site = 'Secret Site';
    });
    const paths = configDiff(before, after).join(' ');
    expect(paths).not.toContain('+32');
    expect(paths).not.toContain('Secret');
  });

  it('names a whole input that is not an object', () => {
    expect(configDiff(null, builtIn())).toEqual(['(whole configuration)']);
    expect(configDiff(1, 1)).toEqual([]);
  });

  it('does not follow inherited properties or exhaust the stack on deep data', () => {
    const polluted = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as unknown;
    expect(configDiff({ a: 1 }, polluted)).toEqual(['__proto__']);
    let deepA: unknown = 1;
    let deepB: unknown = 2;
    for (let level = 0; level < 10_000; level += 1) {
      deepA = { n: deepA };
      deepB = { n: deepB };
    }
    expect(configDiff(deepA, deepB)).toHaveLength(1);
  });
});

describe('field paths', () => {
  it('splits dotted paths with list positions', () => {
    expect(fieldPathSegments('help.fallback.message.fr')).toEqual(['help', 'fallback', 'message', 'fr']);
    expect(fieldPathSegments('services[2].label.fr')).toEqual(['services', 2, 'label', 'fr']);
    expect(fieldPathSegments('grid[0][1]')).toEqual(['grid', 0, 1]);
  });

  it('reads a value at a path, undefined when a step is missing', () => {
    const config = builtIn();
    expect(valueAtPath(config, 'kiosk.name')).toBe(config.kiosk.name);
    expect(valueAtPath(config, 'services[0].id')).toBe(serviceAt(config, 0).id);
    expect(valueAtPath(config, 'help.hub.url')).toBeUndefined();
    expect(valueAtPath(config, 'kiosk[0]')).toBeUndefined();
    expect(valueAtPath(config, 'kiosk.toString')).toBeUndefined();
  });

  it('compares JSON-like data deeply', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});

describe('changesLockedKey', () => {
  it('lists the locked paths a change alters, and only those', () => {
    const { before, after } = edited((config) => {
      config.kiosk.site = 'Ailleurs';
      config.kiosk.name = 'PC 9';
      config.languages.offered = ['fr'];
      config.languages.default = 'fr';
    });
    expect(changesLockedKey(['kiosk.site', 'languages.offered', 'session.idleTimeoutSeconds'], before, after)).toEqual(['kiosk.site', 'languages.offered']);
    expect(changesLockedKey([], before, after)).toEqual([]);
  });

  it('sees a change deep inside a locked list or object', () => {
    const { before, after } = edited((config) => {
      serviceAt(config, 3).allowedDomains.push('example.be');
      config.help.fallback.message = { fr: 'Levez la main' };
    });
    expect(changesLockedKey(['services', 'help.fallback'], before, after)).toEqual(['services', 'help.fallback']);
  });

  it('sees a locked setting removed or added', () => {
    expect(changesLockedKey(['help.fallback.phone'], { help: { fallback: { phone: '+32 2' } } }, { help: { fallback: {} } })).toEqual(['help.fallback.phone']);
    expect(changesLockedKey(['help.hub'], { help: {} }, { help: { hub: null } })).toEqual(['help.hub']);
  });

  it('accepts a configuration that keeps every locked value, in any key order', () => {
    const before = builtIn();
    const { services, ...rest } = before;
    const after = JSON.parse(JSON.stringify({ services, ...rest })) as KioskConfig;
    expect(changesLockedKey(['services', 'kiosk.site', 'languages.offered'], before, after)).toEqual([]);
  });
});
