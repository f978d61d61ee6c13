import { describe, expect, it } from 'vitest';
import { ElectronVisitorSessions, VISITOR_PARTITION_PREFIX } from '../../../electron/shell/visitor-sessions';
import { serviceWebPreferences } from '../../../electron/shell/web-preferences';
import { FakeSession } from './fake-electron';

function setUp(options: { persistent?: boolean; failingClears?: string[]; failingClose?: boolean } = {}) {
  const sessions = new Map<string, FakeSession>();
  const order: string[] = [];
  const log: string[] = [];
  const visitorSessions = new ElectronVisitorSessions({
    fromPartition: (name) => {
      let session = sessions.get(name);
      if (session === undefined) {
        session = new FakeSession(name, options.persistent === true);
        for (const clear of options.failingClears ?? []) session.failingClears.add(clear);
        sessions.set(name, session);
      }
      order.push(`session ${name}`);
      return session;
    },
    closeServiceViews: async () => {
      order.push('close views');
      if (options.failingClose === true) throw new Error('view would not close');
    },
    log: (line) => log.push(line),
  });
  return { visitorSessions, sessions, order, log };
}

describe('ElectronVisitorSessions', () => {
  it('gives each visitor a fresh, random, in-memory partition name', async () => {
    const { visitorSessions } = setUp();
    const names = new Set<string>();
    for (let visitor = 0; visitor < 20; visitor += 1) {
      await visitorSessions.begin('fr');
      const name = visitorSessions.partitionForServiceView();
      expect(name.startsWith(VISITOR_PARTITION_PREFIX)).toBe(true);
      expect(name.startsWith('persist:')).toBe(false);
      names.add(name);
      await visitorSessions.end();
    }
    expect(names.size).toBe(20);
  });

  it('keeps one partition for all the services of one visitor', async () => {
    const { visitorSessions } = setUp();
    await visitorSessions.begin('nl');
    expect(visitorSessions.partitionForServiceView()).toBe(visitorSessions.partitionForServiceView());
  });

  it('refuses a partition that turns out to be persistent', async () => {
    const { visitorSessions } = setUp({ persistent: true });
    await visitorSessions.begin('fr');
    expect(() => visitorSessions.partitionForServiceView()).toThrow('is persistent');
  });

  it('ends by closing the views, then clearing storage, cache, auth and host caches of the partition', async () => {
    const { visitorSessions, sessions, order } = setUp();
    await visitorSessions.begin('de');
    const name = visitorSessions.partitionForServiceView();
    expect(await visitorSessions.end()).toEqual({ erased: true });
    expect(order).toEqual([`session ${name}`, 'close views']);
    expect(sessions.get(name)!.cleared.sort()).toEqual(['auth', 'cache', 'host-resolver', 'storage']);
    expect(visitorSessions.currentPartition()).toBeUndefined();
  });

  it.each(['storage', 'cache', 'auth', 'host-resolver'])('is honest: erased is false when clearing %s fails', async (failing) => {
    const { visitorSessions, log } = setUp({ failingClears: [failing] });
    await visitorSessions.begin('fr');
    visitorSessions.partitionForServiceView();
    expect(await visitorSessions.end()).toEqual({ erased: false });
    expect(log.some((line) => line.includes(`${failing} failed`))).toBe(true);
  });

  it('is honest: erased is false when the views would not close', async () => {
    const { visitorSessions } = setUp({ failingClose: true });
    await visitorSessions.begin('fr');
    expect(await visitorSessions.end()).toEqual({ erased: false });
  });

  it('has nothing to clear for a visitor who opened no service', async () => {
    const { visitorSessions, sessions } = setUp();
    await visitorSessions.begin('en');
    expect(await visitorSessions.end()).toEqual({ erased: true });
    expect(sessions.size).toBe(0);
  });

  it('clears what a previous visitor left when the next one begins without an end', async () => {
    const { visitorSessions, sessions } = setUp();
    await visitorSessions.begin('fr');
    const first = visitorSessions.partitionForServiceView();
    await visitorSessions.begin('nl');
    const second = visitorSessions.partitionForServiceView();
    expect(second).not.toBe(first);
    expect(sessions.get(first)!.cleared).toHaveLength(4);
    expect(sessions.get(second)!.cleared).toHaveLength(0);
  });

  it('gives a service opened before any language choice a partition of its own, wiped at the end', async () => {
    const { visitorSessions, sessions } = setUp();
    const name = visitorSessions.partitionForServiceView();
    expect(name.startsWith(VISITOR_PARTITION_PREFIX)).toBe(true);
    await visitorSessions.end();
    expect(sessions.get(name)!.cleared).toHaveLength(4);
  });
});

describe('serviceWebPreferences', () => {
  it('refuses a persistent partition and the default session', () => {
    expect(() => serviceWebPreferences('persist:visitor')).toThrow('in-memory');
    expect(() => serviceWebPreferences('')).toThrow('in-memory');
    expect(serviceWebPreferences('visitor-1')).toMatchObject({ partition: 'visitor-1', sandbox: true, contextIsolation: true, nodeIntegration: false });
  });
});
