/**
 * The JSON reader both HTTP servers use: plain JSON comes through, the keys prototype
 * pollution relies on are refused at any depth, and broken JSON is named as such.
 */
import { describe, expect, it } from 'vitest';
import { RequestBodyError, parseJsonBody } from '../../../electron/services/http-hardening';
import { kioskAppDataDir } from '../../../electron/services/app-data-dir';

describe('parseJsonBody', () => {
  it('reads plain JSON', () => {
    expect(parseJsonBody('{"argument": {"language": "fr"}, "list": [1, 2]}')).toEqual({ argument: { language: 'fr' }, list: [1, 2] });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a "%s" key, even deep inside', (key) => {
    expect(() => parseJsonBody(`{"a": {"b": [{"${key}": {"polluted": true}}]}}`)).toThrow(new RequestBodyError(`the request body contains a "${key}" field, which is refused`));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names broken JSON', () => {
    expect(() => parseJsonBody('{"a": ')).toThrow(RequestBodyError);
    expect(() => parseJsonBody('{"a": ')).toThrow(/^the request body is not valid JSON \(/);
  });
});

describe('kioskAppDataDir', () => {
  it('puts each command\'s folder under the account\'s application data', () => {
    expect(kioskAppDataDir('hub', 'linux', {}, '/home/anne')).toBe('/home/anne/.config/EPN Kiosk/hub');
    expect(kioskAppDataDir('preview', 'win32', { APPDATA: 'C:\\Users\\anne\\AppData\\Roaming' }, 'C:\\Users\\anne')).toBe('C:\\Users\\anne\\AppData\\Roaming\\EPN Kiosk\\preview');
    expect(kioskAppDataDir('hub', 'win32', {}, 'C:\\Users\\anne')).toBe('C:\\Users\\anne\\AppData\\Roaming\\EPN Kiosk\\hub');
  });
});
