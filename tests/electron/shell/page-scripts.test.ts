/**
 * The two scripts the shell runs inside pages, run here in a fresh V8 context with just
 * the page globals they read: the print guard (page-dialog-guards.ts) and the wipe's
 * probe (wipe-probe.ts). The protocol wiring around them is tested with the presenter.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PRINT_GUARD_SCRIPT, PRINT_REQUEST_BINDING } from '../../../electron/shell/page-dialog-guards';
import { PROBE_MARKER_ATTRIBUTE, PROBE_SCRIPT, probeableOrigin, readProbeAnswer } from '../../../electron/shell/wipe-probe';

function pageWithPrint() {
  const printed: string[] = [];
  const notified: string[] = [];
  const context = vm.createContext({ print: () => printed.push('dialog'), [PRINT_REQUEST_BINDING]: (payload: string) => notified.push(payload) });
  vm.runInContext(PRINT_GUARD_SCRIPT, context);
  return { context, printed, notified };
}

describe('the print guard', () => {
  it('replaces print() by a request to the kiosk that opens no dialog itself', () => {
    const { context, printed, notified } = pageWithPrint();
    vm.runInContext('print(); window_print = globalThis.print; window_print();', context);
    expect(printed).toEqual([]);
    expect(notified).toEqual(['print', 'print']);
  });

  it('cannot be undone by the page: not writable, not configurable', () => {
    const { context, printed } = pageWithPrint();
    vm.runInContext(
      `
      try { print = () => 'mine'; } catch (error) {}
      try { delete globalThis.print; } catch (error) {}
      try { Object.defineProperty(globalThis, 'print', { value: () => 'mine' }); } catch (error) {}
      print();
      `,
      context,
    );
    expect(printed).toEqual([]);
    const descriptor = vm.runInContext("Object.getOwnPropertyDescriptor(globalThis, 'print')", context) as PropertyDescriptor;
    expect(descriptor).toMatchObject({ writable: false, configurable: false });
  });

  it('still opens no dialog when the page removed or broke the binding', () => {
    const { context, printed } = pageWithPrint();
    vm.runInContext(`globalThis.${PRINT_REQUEST_BINDING} = () => { throw new Error('broken'); }; print(); delete globalThis.${PRINT_REQUEST_BINDING}; print();`, context);
    expect(printed).toEqual([]);
  });
});

/** A page's globals as the probe reads them; `secure` false leaves out caches and service workers. */
function probePage(storage: { cookie?: string; local?: number; session?: number; databases?: number; caches?: number; workers?: number; marker?: boolean; secure?: boolean; throwingLocalStorage?: boolean }) {
  const secure = storage.secure ?? true;
  const globals: Record<string, unknown> = {
    document: {
      cookie: storage.cookie ?? '',
      documentElement: { getAttribute: (name: string) => (name === PROBE_MARKER_ATTRIBUTE && storage.marker !== false ? '1' : null) },
    },
    sessionStorage: { length: storage.session ?? 0 },
    indexedDB: { databases: async () => Array.from({ length: storage.databases ?? 0 }, (_, index) => ({ name: `db${index}` })) },
    navigator: secure ? { serviceWorker: { getRegistrations: async () => Array.from({ length: storage.workers ?? 0 }, () => ({})) } } : {},
  };
  if (storage.throwingLocalStorage === true) {
    Object.defineProperty(globals, 'localStorage', {
      get() {
        throw new Error('SecurityError');
      },
    });
  } else {
    globals.localStorage = { length: storage.local ?? 0 };
  }
  if (secure) globals.caches = { keys: async () => Array.from({ length: storage.caches ?? 0 }, (_, index) => `cache${index}`) };
  return vm.runInContext(PROBE_SCRIPT, vm.createContext(globals)) as Promise<unknown>;
}

describe('the probe script', () => {
  it('finds an empty site empty', async () => {
    expect(readProbeAnswer(await probePage({}))).toEqual({ probeDocument: true, cookies: 0, localStorage: 0, sessionStorage: 0, indexedDB: 0, cacheStorage: 0, serviceWorkers: 0 });
  });

  it('counts every kind of storage a previous visitor could leave', async () => {
    const answer = await probePage({ cookie: 'a=1; b=2', local: 3, session: 1, databases: 2, caches: 1, workers: 1 });
    expect(readProbeAnswer(answer)).toEqual({ probeDocument: true, cookies: 2, localStorage: 3, sessionStorage: 1, indexedDB: 2, cacheStorage: 1, serviceWorkers: 1 });
  });

  it('reads no Cache Storage or service worker where the page is not a secure context', async () => {
    expect(readProbeAnswer(await probePage({ secure: false }))).toMatchObject({ cacheStorage: 0, serviceWorkers: 0 });
  });

  it('says -1 for storage it could not read, and whether its own document answered', async () => {
    expect(readProbeAnswer(await probePage({ throwingLocalStorage: true, marker: false }))).toMatchObject({ probeDocument: false, localStorage: -1 });
  });
});

describe('readProbeAnswer and probeableOrigin', () => {
  it('refuses an answer it cannot read', () => {
    expect(readProbeAnswer(null)).toBeUndefined();
    expect(readProbeAnswer({ probeDocument: true })).toBeUndefined();
    expect(readProbeAnswer({ probeDocument: true, cookies: '0', localStorage: 0, sessionStorage: 0, indexedDB: 0, cacheStorage: 0, serviceWorkers: 0 })).toBeUndefined();
    expect(readProbeAnswer({ probeDocument: 'yes', cookies: 0, localStorage: 0, sessionStorage: 0, indexedDB: 0, cacheStorage: 0, serviceWorkers: 0 })).toBeUndefined();
  });

  it('keeps only the origin of web addresses', () => {
    expect(probeableOrigin('https://www.example.be/private?name=Jan#x')).toBe('https://www.example.be');
    expect(probeableOrigin('http://127.0.0.1:8080/a')).toBe('http://127.0.0.1:8080');
    for (const url of ['about:blank', 'blob:https://www.example.be/1', 'data:text/html,x', 'kiosk://app/', 'not a url']) expect(probeableOrigin(url), url).toBeUndefined();
  });
});
