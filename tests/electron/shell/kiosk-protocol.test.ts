import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKioskAppUrl, LAUNCHER_URL } from '../../../electron/shell/kiosk-origin';
import {
  createKioskProtocolHandler,
  KIOSK_SCHEME_REGISTRATION,
  LAUNCHER_CONTENT_SECURITY_POLICY,
  rendererFileFor,
  type KioskProtocolHandler,
} from '../../../electron/shell/kiosk-protocol';

let folder: string;
let rendererRoot: string;
let handler: KioskProtocolHandler;

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'epn-kiosk-protocol-'));
  rendererRoot = path.join(folder, 'renderer');
  mkdirSync(path.join(rendererRoot, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererRoot, 'index.html'), '<!doctype html><title>launcher</title>');
  writeFileSync(path.join(rendererRoot, 'assets', 'index-abc.js'), 'console.log("launcher")');
  writeFileSync(path.join(rendererRoot, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(rendererRoot, 'assets', 'font file.woff2'), 'woff2');
  // Outside the renderer folder: must never be served.
  writeFileSync(path.join(folder, 'secret.txt'), 'secret');
  symlinkSync(path.join(folder, 'secret.txt'), path.join(rendererRoot, 'assets', 'link-out.txt'));
  handler = createKioskProtocolHandler({ rendererRoot });
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => handler(new Request(url, init));

describe('the kiosk scheme', () => {
  it('is standard and secure, with fetch for module scripts, and nothing that would open it to other origins', () => {
    expect(KIOSK_SCHEME_REGISTRATION).toEqual({ scheme: 'kiosk', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('recognises only its own origin', () => {
    expect(isKioskAppUrl(LAUNCHER_URL)).toBe(true);
    expect(isKioskAppUrl('kiosk://app/assets/index.js')).toBe(true);
    for (const url of ['kiosk://other/index.html', 'kiosk://app:8080/index.html', 'kiosk://user@app/index.html', 'https://app/index.html', 'file:///index.html', 'about:blank', '', 'not a url']) {
      expect(isKioskAppUrl(url), url).toBe(false);
    }
  });
});

describe('the kiosk protocol handler', () => {
  it('serves the launcher with the strict Content-Security-Policy', async () => {
    const response = await get(LAUNCHER_URL);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>launcher</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves index.html for the bare origin, and assets with their types', async () => {
    expect(await (await get('kiosk://app/')).text()).toContain('launcher');
    const script = await get('kiosk://app/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(LAUNCHER_CONTENT_SECURITY_POLICY);
    expect((await get('kiosk://app/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const font = await get('kiosk://app/assets/font%20file.woff2');
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(LAUNCHER_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get(LAUNCHER_URL, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(LAUNCHER_CONTENT_SECURITY_POLICY);
  });

  it.each([
    'kiosk://app/../secret.txt',
    'kiosk://app/assets/../../secret.txt',
    'kiosk://app/%2e%2e/secret.txt',
    'kiosk://app/assets/%2E%2E/%2E%2E/secret.txt',
    'kiosk://app/..%2fsecret.txt',
    'kiosk://app/..%2Fsecret.txt',
    'kiosk://app/..%5csecret.txt',
    'kiosk://app/assets%2f..%2f..%2fsecret.txt',
    'kiosk://app/%2Fetc%2Fpasswd',
    'kiosk://app/C:%5CWindows%5Cwin.ini',
    'kiosk://app/assets/%00index-abc.js',
    'kiosk://app/%E0%A4%A',
  ])('refuses path traversal: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
    expect(response.headers.get('content-security-policy')).toBe(LAUNCHER_CONTENT_SECURITY_POLICY);
  });

  it('refuses a link that leads out of the renderer folder', async () => {
    const response = await get('kiosk://app/assets/link-out.txt');
    expect(response.status).toBe(404);
  });

  it('answers 404 for a missing file, a folder, and another host of the scheme', async () => {
    expect((await get('kiosk://app/missing.js')).status).toBe(404);
    expect((await get('kiosk://app/assets')).status).toBe(404);
    expect((await get('kiosk://app/assets/')).status).toBe(404);
    expect((await get('kiosk://other/index.html')).status).toBe(404);
  });
});

describe('rendererFileFor', () => {
  it('maps a path inside the folder, and nothing outside it', () => {
    expect(rendererFileFor('/srv/renderer', '/assets/a.js')).toBe(path.resolve('/srv/renderer/assets/a.js'));
    expect(rendererFileFor('/srv/renderer', '/')).toBe(path.resolve('/srv/renderer/index.html'));
    expect(rendererFileFor('/srv/renderer', '/../renderer-other/a.js')).toBeUndefined();
    expect(rendererFileFor('/srv/renderer', '/a//b.js')).toBeUndefined();
    expect(rendererFileFor('/srv/renderer', '/./a.js')).toBeUndefined();
  });
});
