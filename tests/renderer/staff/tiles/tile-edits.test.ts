import { describe, expect, it } from 'vitest';
import {
  checkAddress,
  checkHostEntry,
  checkTileDraft,
  dropTarget,
  emptyTileDraft,
  hostEntryFromInput,
  missingLabelLanguages,
  moveService,
  removeService,
  suggestServiceId,
} from '../../../../renderer/staff/tiles/tile-edits';
import { parsedConfig } from '../../kiosk-harness';

const config = parsedConfig();
const ids = (services: readonly { id: string }[]) => services.map((service) => service.id);

describe('tile edits', () => {
  it('moves a tile to any place and leaves the draft it came from unchanged', () => {
    const before = ids(config.services);
    const moved = moveService(config, 2, 0);
    expect(ids(moved.services)).toEqual([before[2], before[0], before[1], ...before.slice(3)]);
    expect(ids(config.services)).toEqual(before);
    expect(moveService(config, 0, before.length)).toBe(config);
    expect(ids(removeService(config, 0).services)).toEqual(before.slice(1));
  });

  it('turns a drop gap into the place the dragged tile takes', () => {
    expect(dropTarget(3, 0)).toBe(0);
    expect(dropTarget(0, 3)).toBe(2);
    expect(dropTarget(1, 1)).toBe(1);
  });

  it('suggests a valid, unused id from a label in any language', () => {
    expect(suggestServiceId('Ma santé', [])).toBe('ma-sante');
    expect(suggestServiceId('  Mon CPAS — rendez-vous ! ', [])).toBe('mon-cpas-rendez-vous');
    expect(suggestServiceId('Ma santé', ['ma-sante', 'ma-sante-2'])).toBe('ma-sante-3');
    expect(suggestServiceId('Größe', [])).toBe('grosse');
    expect(suggestServiceId('Œuvres sociales', [])).toBe('oeuvres-sociales');
    expect(suggestServiceId('€€€', [])).toBe('tile');
    const long = suggestServiceId('a'.repeat(80), ['a'.repeat(40)]);
    expect(long).toBe(`${'a'.repeat(38)}-2`);
  });

  it('reads a pasted address as the website to allow', () => {
    expect(hostEntryFromInput(' https://WWW.Example.be:8443/path?q=1 ')).toBe('www.example.be:8443');
    expect(hostEntryFromInput('Example.BE/')).toBe('example.be');
    expect(checkHostEntry('example.be', ['example.be'])).toEqual({ ok: false, problem: { kind: 'domainDuplicate', domain: 'example.be' } });
    expect(checkHostEntry('exa mple.be', [])).toMatchObject({ ok: false, problem: { kind: 'domainFormat' } });
    expect(checkHostEntry('10.1', [])).toMatchObject({ ok: false });
  });

  it('answers with the navigation policy, naming the host or port it refused', () => {
    const rules = { allowedDomains: ['example.be', 'intranet:8080'], UNSAFE_allowHttpHosts: [] };
    expect(checkAddress('https://www.example.be/a', rules)).toEqual({ allowed: true });
    expect(checkAddress('https://evilexample.be/', rules)).toEqual({ allowed: false, reason: 'host', host: 'evilexample.be' });
    expect(checkAddress('https://example.be:444/', rules)).toEqual({ allowed: false, reason: 'port', host: 'example.be', port: '444' });
    expect(checkAddress('https://intranet/', rules)).toEqual({ allowed: false, reason: 'port', host: 'intranet', port: '' });
    expect(checkAddress('http://example.be/', rules)).toEqual({ allowed: false, reason: 'insecure-http', host: 'example.be' });
    expect(checkAddress('javascript:alert(1)', rules)).toEqual({ allowed: false, reason: 'scheme' });
  });

  it('checks a tile with the schema, per field, and refuses an id another tile has', () => {
    const draft = { ...emptyTileDraft(config), label: { fr: 'Impôts' }, id: 'myminfin', startUrl: 'https://www.example.be/', allowedDomains: ['other.be'] };
    const check = checkTileDraft(draft, ids(config.services), config.themes.map((theme) => theme.id));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.id).toEqual([{ kind: 'idTaken', id: 'myminfin' }]);
    expect(check.problems.startUrl).toEqual([{ kind: 'startUrlRefused', refusal: { reason: 'host', host: 'www.example.be' } }]);
    expect(check.problems.label).toBeUndefined();

    const fixed = checkTileDraft({ ...draft, id: 'impots', allowedDomains: ['example.be'] }, ids(config.services), ['administration']);
    expect(fixed).toMatchObject({ ok: true, service: { id: 'impots', label: { fr: 'Impôts' }, printing: false, downloads: true, uploads: true } });
  });

  it('counts a blank label as missing', () => {
    const draft = { ...emptyTileDraft(config), label: { fr: 'Impôts', nl: '  ' } };
    expect(missingLabelLanguages(draft, ['fr', 'nl', 'de'])).toEqual(['nl', 'de']);
    const check = checkTileDraft({ ...draft, label: { fr: 'x'.repeat(61) } }, [], ['administration']);
    expect(check.ok ? [] : check.problems.label).toEqual([{ kind: 'tooLong', language: 'fr' }]);
  });
});
