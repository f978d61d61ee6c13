import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { changesLockedKey, valueAtPath } from '../../shared/config/config-diff';
import { mergeManagedConfig } from '../../shared/config/managed-merge';
import { parseKioskConfig, type KioskConfig } from '../../shared/config/schema';

function localConfig(): KioskConfig {
  const parsed = parseKioskConfig(DEFAULT_CONFIG);
  if (!parsed.ok) throw new Error('the built-in configuration must be valid');
  return parsed.config;
}

/** A managed file exactly as the kiosk gets it: text parsed by JSON.parse, which keeps "__proto__" as an own key. */
function fromJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

describe('mergeManagedConfig', () => {
  it('overrides scalars key by key and keeps the rest of the local configuration', () => {
    const local = localConfig();
    const { merged, lockedKeys, problems } = mergeManagedConfig(local, { kiosk: { site: 'EPN de Namur' } });
    const parsed = parseKioskConfig(merged);
    expect(problems).toEqual([]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.kiosk).toEqual({ name: local.kiosk.name, site: 'EPN de Namur', role: 'visitor' });
    expect(parsed.config.services).toEqual(local.services);
    expect(lockedKeys).toEqual(['kiosk.site']);
  });

  it('replaces arrays whole instead of merging their items', () => {
    const local = localConfig();
    const managedServices = [local.services[3]];
    const { merged, lockedKeys } = mergeManagedConfig(local, { services: managedServices, languages: { offered: ['nl', 'fr'] } });
    const result = merged as KioskConfig;
    expect(result.services).toEqual(managedServices);
    expect(result.languages).toEqual({ offered: ['nl', 'fr'], default: local.languages.default });
    expect(lockedKeys.sort()).toEqual(['languages.offered', 'services']);
  });

  it('lists every leaf set by nested managed objects and nothing for an empty object', () => {
    const { lockedKeys } = mergeManagedConfig(localConfig(), { kiosk: { name: 'PC 1', site: 'Gent' }, languages: {} });
    expect(lockedKeys.sort()).toEqual(['kiosk.name', 'kiosk.site']);
  });

  it('creates an object the local side lacks or holds as a plain value', () => {
    const { merged, lockedKeys } = mergeManagedConfig({ kiosk: 'not an object' }, { kiosk: { name: 'PC 2' } });
    expect(merged).toEqual({ kiosk: { name: 'PC 2' } });
    expect(lockedKeys).toEqual(['kiosk.name']);
  });

  it('changes neither input', () => {
    const local = localConfig();
    const localBefore = JSON.stringify(local);
    const managed = { kiosk: { name: 'PC 9' }, themes: [{ id: 'health', icon: 'health' }] };
    const managedBefore = JSON.stringify(managed);
    const { merged } = mergeManagedConfig(local, managed);
    (merged as KioskConfig).themes.push({ id: 'work', icon: 'job' });
    expect(JSON.stringify(local)).toBe(localBefore);
    expect(JSON.stringify(managed)).toBe(managedBefore);
  });

  it.each([
    ['a list', [1, 2], 'a list'],
    ['a text', 'kiosk', 'a string'],
    ['null', null, 'null'],
    ['a number', 42, 'a number'],
  ])('refuses a managed file holding %s and leaves the local configuration as it is', (_what, managed, kind) => {
    const local = localConfig();
    const result = mergeManagedConfig(local, managed);
    expect(result.merged).toEqual(local);
    expect(result.lockedKeys).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.field).toBe('');
    expect(result.problems[0]!.message).toContain(`this file holds ${kind}`);
  });

  it('names unknown top-level keys, ignores them and applies the known ones', () => {
    const result = mergeManagedConfig(localConfig(), { kisok: { name: 'x' }, idleTimeout: 60, kiosk: { name: 'PC 4' } });
    expect(result.problems.map((problem) => problem.field).sort()).toEqual(['idleTimeout', 'kisok']);
    expect(result.problems[0]!.message).toMatch(/not a setting of the kiosk.*spelling.*kiosk, languages, session, statistics, help, staff, hub, updates, themes, services/);
    expect(result.lockedKeys).toEqual(['kiosk.name']);
    expect((result.merged as KioskConfig).kiosk.name).toBe('PC 4');
    expect(result.merged).not.toHaveProperty('kisok');
  });

  it('accepts the current schemaVersion without locking it', () => {
    const result = mergeManagedConfig(localConfig(), { schemaVersion: 1, kiosk: { site: 'Liège' } });
    expect(result.problems).toEqual([]);
    expect(result.lockedKeys).toEqual(['kiosk.site']);
  });

  it('ignores a whole managed file written for another schemaVersion', () => {
    const local = localConfig();
    const result = mergeManagedConfig(local, { schemaVersion: 2, kiosk: { site: 'Liège' } });
    expect(result.merged).toEqual(local);
    expect(result.lockedKeys).toEqual([]);
    expect(result.problems).toEqual([{ field: 'schemaVersion', message: expect.stringContaining('the whole managed file was ignored') }]);
  });

  describe('prototype pollution', () => {
    it('drops a top-level "__proto__" and reports it', () => {
      const result = mergeManagedConfig(localConfig(), fromJson('{"__proto__": {"polluted": true}, "kiosk": {"name": "PC 5"}}'));
      expect(Object.getPrototypeOf(result.merged)).toBe(Object.prototype);
      expect((result.merged as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(result.problems).toEqual([{ field: '__proto__', message: expect.stringContaining('remove this key') }]);
      expect(result.lockedKeys).toEqual(['kiosk.name']);
    });

    it('drops nested "__proto__", "constructor" and "prototype" keys at any depth', () => {
      const managed = fromJson(
        '{"kiosk": {"__proto__": {"isAdmin": true}, "name": "PC 6"}, "services": [{"constructor": {"prototype": {"hacked": 1}}}], "languages": {"prototype": {"x": 1}}}',
      );
      const result = mergeManagedConfig(localConfig(), managed);
      const merged = result.merged as { kiosk: object; services: object[]; languages: object };
      expect(Object.getPrototypeOf(merged.kiosk)).toBe(Object.prototype);
      expect((merged.kiosk as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(Object.keys(merged.services[0]!)).toEqual([]);
      expect(Object.getPrototypeOf(merged.services[0])).toBe(Object.prototype);
      expect(Object.hasOwn(merged.languages, 'prototype')).toBe(false);
      expect(result.problems.map((problem) => problem.field).sort()).toEqual(['kiosk.__proto__', 'languages.prototype', 'services[0].constructor']);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).hacked).toBeUndefined();
    });

    it('cleans prototype keys out of the local side too', () => {
      const local = fromJson('{"kiosk": {"name": "PC 7", "__proto__": {"polluted": true}}}');
      const result = mergeManagedConfig(local, {});
      const kiosk = (result.merged as { kiosk: Record<string, unknown> }).kiosk;
      expect(Object.getPrototypeOf(kiosk)).toBe(Object.prototype);
      expect(kiosk.polluted).toBeUndefined();
      expect(Object.keys(kiosk)).toEqual(['name']);
    });
  });

  it('refuses data nested too deeply instead of exhausting the stack', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const local = localConfig();
    const result = mergeManagedConfig(local, { kiosk: { name: 'PC 8' }, themes: deep });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.field.startsWith('themes[0][0]')).toBe(true);
    expect(result.problems[0]!.message).toContain('nested more than');
    expect((result.merged as KioskConfig).themes).toEqual(local.themes);
    expect(result.lockedKeys).toEqual(['kiosk.name']);
  });

  describe('locking, as the staff screen relies on it', () => {
    it('locks a leaf deep inside objects and keeps its local siblings', () => {
      const local = { ...localConfig(), help: { hub: null, webhooks: [], fallback: { message: { fr: 'Levez la main', nl: 'Steek uw hand op' }, phone: '+32 2 000 00 00' } } };
      const { merged, lockedKeys } = mergeManagedConfig(local, { help: { fallback: { message: { fr: 'Demandez à l’accueil' } } } });
      const parsed = parseKioskConfig(merged);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.config.help.fallback).toEqual({ message: { fr: 'Demandez à l’accueil', nl: 'Steek uw hand op' }, phone: '+32 2 000 00 00' });
      expect(lockedKeys).toEqual(['help.fallback.message.fr']);
    });

    it('locks a list inside an object whole, never its items one by one', () => {
      const webhooks = [{ url: 'https://ntfy.example.org/epn', format: 'ntfy' }];
      const { merged, lockedKeys } = mergeManagedConfig(localConfig(), { help: { webhooks } });
      expect((merged as KioskConfig).help.webhooks).toEqual(webhooks);
      expect(lockedKeys).toEqual(['help.webhooks']);
    });

    it('locks a null that replaces a local object, and an empty list that replaces a local one', () => {
      const local = { ...localConfig(), help: { hub: { url: 'http://192.168.1.10:8470' }, webhooks: [], fallback: {} } };
      const { merged, lockedKeys } = mergeManagedConfig(local, { help: { hub: null }, services: [] });
      const parsed = parseKioskConfig(merged);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.config.help.hub).toBeNull();
      expect(parsed.config.services).toEqual([]);
      expect(lockedKeys).toEqual(['help.hub', 'services']);
    });

    it('locks a value the managed file sets even when it equals the local one', () => {
      const local = localConfig();
      const { lockedKeys } = mergeManagedConfig(local, { kiosk: { name: local.kiosk.name } });
      expect(lockedKeys).toEqual(['kiosk.name']);
    });

    it('lists locked keys in the managed file\'s order', () => {
      const { lockedKeys } = mergeManagedConfig(localConfig(), { session: { idleWarningSeconds: 20, idleTimeoutSeconds: 120 }, kiosk: { site: 'Gent' } });
      expect(lockedKeys).toEqual(['session.idleWarningSeconds', 'session.idleTimeoutSeconds', 'kiosk.site']);
    });

    it('gives each locked key the managed value, so a save that keeps the view changes no locked key', () => {
      const managed = { kiosk: { site: 'EPN de Namur' }, languages: { offered: ['fr', 'nl'] }, session: { idleTimeoutSeconds: 300 } };
      const local = localConfig();
      const { merged, lockedKeys } = mergeManagedConfig(local, managed);
      const parsed = parseKioskConfig(merged);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      for (const path of lockedKeys) expect(valueAtPath(parsed.config, path)).toEqual(valueAtPath(managed, path));
      expect(changesLockedKey(lockedKeys, parsed.config, structuredClone(parsed.config))).toEqual([]);
      const edited = structuredClone(parsed.config);
      edited.session.idleTimeoutSeconds = 200;
      edited.kiosk.name = 'PC 12';
      expect(changesLockedKey(lockedKeys, parsed.config, edited)).toEqual(['session.idleTimeoutSeconds']);
    });

    it('leaves a configuration the schema refuses when a managed object meets a local list, so the store sets the file aside', () => {
      const { merged, lockedKeys } = mergeManagedConfig(localConfig(), { services: { id: 'x' } });
      expect(lockedKeys).toEqual(['services.id']);
      expect(parseKioskConfig(merged).ok).toBe(false);
    });
  });
});
