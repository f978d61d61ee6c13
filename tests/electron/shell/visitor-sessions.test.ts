import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_STORAGE_TYPES, PARTITION_CLEARS, VISITOR_PARTITION_PREFIX } from '../../../electron/shell/visitor-sessions';
import { serviceWebPreferences } from '../../../electron/shell/web-preferences';
import { PROBE_PATH } from '../../../electron/shell/wipe-probe';
import { FakeDownloadItem, startDownload } from './fake-electron';
import { buildShellParts, TEST_CONFIG_INPUT, testConfig, testService, type ShellPartsOptions } from './shell-fixtures';

const CLEAR_NAMES = ['connections', 'data', 'storage', 'cache', 'code-caches', 'auth', 'host-resolver'];
const temporaryFolders: string[] = [];

function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'epn-kiosk-wipe-'));
  temporaryFolders.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Parts with a real downloads folder in a temporary place. */
function setUp(options: ShellPartsOptions = {}) {
  const downloadsRoot = path.join(temporaryFolder(), 'visitor-downloads');
  const parts = buildShellParts({ downloadsRoot, ...options });
  return { ...parts, downloadsRoot };
}

/** A visitor who used the taxes service: its page stored things on its origin. */
async function visitorWhoUsedTaxes(parts: ReturnType<typeof setUp>) {
  await parts.sessions.begin('fr');
  await parts.presenter.open(testService('taxes'));
  const partition = parts.sessions.currentPartition()!;
  const session = parts.partitions.get(partition)!;
  session.store('https://www.example.be', { cookies: 2, localStorage: 3, indexedDB: 1, cacheStorage: 1, serviceWorkers: 1 });
  session.cacheBytes = 4096;
  parts.clipboard.text = 'my national number';
  parts.clipboard.selection.text = 'my address';
  return { partition, session };
}

describe('ElectronVisitorSessions: the visitor\'s partition', () => {
  it('gives each visitor a fresh, random, in-memory partition', async () => {
    const parts = setUp();
    const names = new Set<string>();
    for (let visitor = 0; visitor < 20; visitor += 1) {
      await parts.sessions.begin('fr');
      const name = parts.sessions.partitionForServiceView();
      expect(name.startsWith(VISITOR_PARTITION_PREFIX)).toBe(true);
      expect(parts.partitions.get(name)!.getStoragePath()).toBeNull();
      names.add(name);
      expect((await parts.sessions.wipe('visitor')).verified).toBe(true);
    }
    expect(names.size).toBe(20);
  });

  it('keeps one partition for all the services of one visitor', async () => {
    const { sessions } = setUp();
    await sessions.begin('nl');
    expect(sessions.partitionForServiceView()).toBe(sessions.partitionForServiceView());
  });

  it('refuses a partition that would be kept on disk', async () => {
    const { sessions } = setUp({ persistentPartitions: true });
    await expect(sessions.begin('fr')).rejects.toThrow('would be kept on disk');
    expect(sessions.currentPartition()).toBeUndefined();
  });

  it('owns only the current visitor\'s session, and records only web origins they reached', async () => {
    const { sessions, partitions } = setUp();
    await sessions.begin('fr');
    const session = partitions.get(sessions.currentPartition()!)!;
    expect(sessions.ownsSession(session)).toBe(true);
    expect(sessions.ownsSession(partitions.get('visitor-other') ?? {})).toBe(false);
    sessions.recordVisit('about:blank');
    sessions.recordVisit('data:text/html,x');
    sessions.recordVisit('https://www.example.be/private?name=Jan');
    sessions.recordVisit('https://www.example.be/other');
    await sessions.wipe('visitor');
    expect(sessions.ownsSession(session)).toBe(false);
  });

  it('wipes a partition left over when the next visitor begins without a wipe', async () => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    await parts.sessions.begin('nl');
    expect(session.cleared).toEqual(CLEAR_NAMES);
    expect(session.sites.get('https://www.example.be')).toMatchObject({ localStorage: 0, cookies: 0 });
  });
});

describe('ElectronVisitorSessions.wipe: ordered, awaited, verified', () => {
  it('closes the views first, then clears the partition in order, then the launcher\'s storage', async () => {
    const parts = setUp();
    const { partition, session } = await visitorWhoUsedTaxes(parts);
    const view = parts.views[0]!;
    const report = await parts.sessions.wipe('visitor');

    expect(report).toMatchObject({ verified: true, problems: [] });
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
    expect(view.webContents.isDestroyed()).toBe(true);
    const wipeSteps = parts.journal.filter((entry) => entry === 'close views' || entry.startsWith('clear '));
    expect(wipeSteps).toEqual(['close views', ...CLEAR_NAMES.map((name) => `clear ${name} ${partition}`), 'clear storage ']);
    expect(PARTITION_CLEARS).toHaveLength(CLEAR_NAMES.length);
    expect(session.clearStorageDataOptions).toEqual([{ storages: [...ALL_STORAGE_TYPES] }]);
    expect(ALL_STORAGE_TYPES).toEqual(expect.arrayContaining(['cookies', 'localstorage', 'indexdb', 'serviceworkers', 'cachestorage', 'shadercache', 'filesystem']));
    expect(parts.launcherSession.cleared).toEqual(['storage']);
  });

  it('clears the clipboard and the selection, and checks both are empty', async () => {
    const parts = setUp();
    await visitorWhoUsedTaxes(parts);
    expect((await parts.sessions.wipe('idle')).verified).toBe(true);
    expect(parts.clipboard.text).toBe('');
    expect(parts.clipboard.selection.text).toBe('');
  });

  it.each(CLEAR_NAMES)('keeps going when "%s" fails, and reports the wipe as not verified', async (failing) => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    session.failingClears.add(failing);
    const report = await parts.sessions.wipe('visitor');
    expect(report.verified).toBe(false);
    expect(report.problems.some((problem) => problem.endsWith(`${failing} failed`))).toBe(true);
    expect(session.cleared).toEqual(CLEAR_NAMES);
    expect(parts.clipboard.text).toBe('');
    expect(existsSync(parts.downloadsRoot)).toBe(false);
  });

  it('reports a clipboard that could not be cleared, and still deletes the downloads', async () => {
    const parts = setUp();
    await visitorWhoUsedTaxes(parts);
    mkdirSync(parts.downloadsRoot, { recursive: true });
    parts.clipboard.failClear = true;
    const report = await parts.sessions.wipe('visitor');
    expect(report.verified).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^clear the clipboard: /), 'the clipboard is empty: not so']));
    expect(existsSync(parts.downloadsRoot)).toBe(false);
  });

  it('reports a downloads folder that cannot be deleted', async () => {
    const blocker = path.join(temporaryFolder(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const parts = buildShellParts({ downloadsRoot: path.join(blocker, 'visitor-downloads') });
    await parts.sessions.begin('fr');
    const report = await parts.sessions.wipe('visitor');
    expect(report.verified).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^delete the downloads folder: /), 'the downloads folder is gone: not so']));
  });

  it('checks that the HTTP cache is empty', async () => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    session.failingClears.add('cache');
    session.failingClears.add('data');
    const report = await parts.sessions.wipe('visitor');
    expect(report.problems).toContain('the HTTP cache is empty: not so');
  });

  it('deletes what a previous run left in the downloads folder at boot', async () => {
    const parts = setUp();
    mkdirSync(path.join(parts.downloadsRoot, 'visitor-from-yesterday'), { recursive: true });
    writeFileSync(path.join(parts.downloadsRoot, 'visitor-from-yesterday', 'tax-return.pdf'), '%PDF');
    const report = await parts.sessions.wipe('boot');
    expect(report).toMatchObject({ verified: true, problems: [] });
    expect(existsSync(parts.downloadsRoot)).toBe(false);
  });
});

describe('ElectronVisitorSessions.wipe: the probe', () => {
  it('opens a probe page on each site the visitor used, in the cleared partition and in a fresh one, off the network', async () => {
    const parts = setUp();
    const { partition, session } = await visitorWhoUsedTaxes(parts);
    parts.sessions.recordVisit('https://login.example.org/auth?user=jan');
    const report = await parts.sessions.wipe('visitor');

    expect(report.verified).toBe(true);
    const probed = parts.probePages.map((page) => ({ partition: page.session.partition, url: page.loaded[0]?.url, closed: page.isDestroyed() }));
    const fresh = probed.find((page) => page.partition !== partition)!.partition;
    expect(fresh.startsWith(VISITOR_PARTITION_PREFIX)).toBe(true);
    expect(parts.partitions.get(fresh)!.getStoragePath()).toBeNull();
    expect(probed).toEqual(
      expect.arrayContaining([
        { partition, url: `https://www.example.be${PROBE_PATH}`, closed: true },
        { partition, url: `https://login.example.org${PROBE_PATH}`, closed: true },
        { partition: fresh, url: `https://www.example.be${PROBE_PATH}`, closed: true },
        { partition: fresh, url: `https://login.example.org${PROBE_PATH}`, closed: true },
      ]),
    );
    expect(probed).toHaveLength(4);
    // The interception that kept the probe off the network is gone again.
    expect(session.protocolHandlers.size).toBe(0);
    expect(parts.partitions.get(fresh)!.protocolHandlers.size).toBe(0);
  });

  it.each(['localStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers'] as const)('finds %s a clear call left behind, and says so without naming the site', async (kind) => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    session.gaps.add(kind);
    const report = await parts.sessions.wipe('visitor');
    expect(report.verified).toBe(false);
    expect(report.problems).toEqual([`the cleared partition: ${kind} is not empty on 1 of 1 site(s)`]);
    expect(report.problems.join(' ')).not.toContain('example');
  });

  it('finds cookies left in the jar', async () => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    session.gaps.add('cookies');
    const report = await parts.sessions.wipe('visitor');
    expect(report.problems).toEqual(expect.arrayContaining(['the cleared partition: the cookie jar holds 2 cookie(s)', 'the cleared partition: cookies is not empty on 1 of 1 site(s)']));
  });

  it('counts a site that does not answer the probe as not verified', async () => {
    const parts = setUp({ probeTimeoutMs: 20 });
    const { session } = await visitorWhoUsedTaxes(parts);
    session.hangingLoads = true;
    const report = await parts.sessions.wipe('visitor');
    expect(report.verified).toBe(false);
    expect(report.problems).toContain('the cleared partition: the probe got no answer on 1 of 1 site(s)');
    expect(parts.probePages.every((page) => page.isDestroyed())).toBe(true);
  });

  it('counts a probe that cannot intercept the site as not verified', async () => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    session.protocol.handle('https', () => new Response('someone else'));
    const report = await parts.sessions.wipe('visitor');
    expect(report.problems).toEqual([expect.stringMatching(/^probe the cleared partition: the scheme https is already handled/)]);
  });

  it('has nothing to probe for a visitor who opened no service', async () => {
    const parts = setUp();
    await parts.sessions.begin('en');
    expect((await parts.sessions.wipe('visitor')).verified).toBe(true);
    expect(parts.probePages).toHaveLength(0);
  });
});

describe('ElectronVisitorSessions.wipe: an unverified partition is wiped again', () => {
  it('tries the same partition again at the next wipe, until it is clean', async () => {
    const parts = setUp();
    const { session } = await visitorWhoUsedTaxes(parts);
    session.failingClears.add('data');
    session.gaps.add('localStorage');
    expect((await parts.sessions.wipe('visitor')).verified).toBe(false);
    expect((await parts.sessions.wipe('visitor')).verified).toBe(false);
    session.failingClears.clear();
    session.gaps.clear();
    expect((await parts.sessions.wipe('visitor')).verified).toBe(true);
    expect(session.cleared.filter((name) => name === 'data')).toHaveLength(3);
    expect((await parts.sessions.wipe('visitor')).verified).toBe(true);
    expect(session.cleared.filter((name) => name === 'data')).toHaveLength(3);
  });

  it('lets the session controller retry, then put the kiosk out of order', async () => {
    const parts = setUp();
    const controller = parts.controller();
    await controller.boot();
    await controller.begin('fr');
    await parts.presenter.open(testService('taxes'));
    const session = parts.partitions.get(parts.sessions.currentPartition()!)!;
    session.failingClears.add('storage');
    controller.requestEnd();
    expect(await controller.confirmEnd()).toEqual({ erased: false });
    expect(controller.snapshot().phase).toBe('out-of-order');
    expect(session.cleared.filter((name) => name === 'storage').length).toBeGreaterThan(1);
    expect(parts.log.some((line) => line.includes('could not be verified'))).toBe(true);
  });

  it('lets the session controller recover when a retry verifies the wipe', async () => {
    const parts = setUp();
    const controller = parts.controller();
    await controller.boot();
    await controller.begin('fr');
    await parts.presenter.open(testService('taxes'));
    const session = parts.partitions.get(parts.sessions.currentPartition()!)!;
    session.failingClears.add('storage');
    const originalClear = session.clearStorageData.bind(session);
    session.clearStorageData = (options) => {
      const result = originalClear(options);
      session.failingClears.delete('storage');
      return result;
    };
    controller.requestEnd();
    expect(await controller.confirmEnd()).toEqual({ erased: true });
    expect(session.cleared.filter((name) => name === 'storage')).toHaveLength(2);
    expect(controller.snapshot().phase).toBe('erased');
  });
});

/** A visitor on `serviceId` (taxes: the default options), with the session and page a download comes from. */
async function visitorOn(parts: ReturnType<typeof setUp>, serviceId = 'taxes', config = testConfig()) {
  await parts.sessions.begin('fr');
  await parts.presenter.open(testService(serviceId, config));
  const partition = parts.sessions.currentPartition()!;
  return { partition, session: parts.partitions.get(partition)!, page: parts.views.at(-1)!.webContents };
}

/** The test configuration with `options` on the taxes service. */
function taxesWith(options: { downloads?: boolean }) {
  return testConfig({ ...TEST_CONFIG_INPUT, services: TEST_CONFIG_INPUT.services.map((service) => (service.id === 'taxes' ? { ...service, ...options } : service)) });
}

describe('ElectronVisitorSessions: downloads', () => {
  it('saves a download in the visitor\'s own folder without a dialog, and lists it in "My files"', async () => {
    const parts = setUp();
    const { partition, session, page } = await visitorOn(parts);
    const item = new FakeDownloadItem('../../etc/Avertissement extrait de rôle.pdf', 2048);
    expect(startDownload(session, item, page)).toBe(false);
    expect(item.savePath).toBe(path.join(parts.downloadsRoot, partition, 'Avertissement extrait de rôle.pdf'));
    expect(await parts.sessions.list()).toEqual([{ name: 'Avertissement extrait de rôle.pdf', sizeBytes: 0, inProgress: true }]);
    item.progress(2048);
    item.complete();
    expect(await parts.sessions.list()).toEqual([{ name: 'Avertissement extrait de rôle.pdf', sizeBytes: 2048, inProgress: false }]);
    expect(parts.events.files.at(-1)).toEqual([{ name: 'Avertissement extrait de rôle.pdf', sizeBytes: 2048, inProgress: false }]);
  });

  it('gives a second download of the same name a name of its own', async () => {
    const parts = setUp();
    const { session, page } = await visitorOn(parts);
    startDownload(session, new FakeDownloadItem('form.pdf'), page);
    startDownload(session, new FakeDownloadItem('form.pdf'), page);
    expect((await parts.sessions.list()).map((file) => file.name)).toEqual(['form.pdf', 'form (2).pdf']);
  });

  it('cancels a download that would go past the visitor\'s limit, and says so', async () => {
    const parts = setUp({ maxDownloadBytes: 1000 });
    const { session, page } = await visitorOn(parts);
    const big = new FakeDownloadItem('huge.iso', 5000);
    expect(startDownload(session, big, page)).toBe(true);
    expect(big.savePath).toBeDefined();
    const growing = new FakeDownloadItem('unknown-size.bin');
    startDownload(session, growing, page);
    growing.progress(600);
    expect(growing.cancelled).toBe(false);
    growing.progress(600);
    expect(growing.cancelled).toBe(true);
    expect(parts.events.downloadRefusals).toEqual([page, page]);
    expect(await parts.sessions.list()).toEqual([]);
  });

  it('stops running downloads and deletes every visitor\'s folder at the wipe', async () => {
    const parts = setUp();
    const { partition, session, page } = await visitorOn(parts);
    const running = new FakeDownloadItem('slow.pdf', 10_000);
    startDownload(session, running, page);
    mkdirSync(path.join(parts.downloadsRoot, partition), { recursive: true });
    writeFileSync(path.join(parts.downloadsRoot, partition, 'done.pdf'), '%PDF');
    const report = await parts.sessions.wipe('idle');
    expect(report.verified).toBe(true);
    expect(running.cancelled).toBe(true);
    expect(existsSync(parts.downloadsRoot)).toBe(false);
    expect(await parts.sessions.list()).toEqual([]);
  });

  it('does not keep a download that arrives after the visitor left', async () => {
    const parts = setUp();
    const { session, page } = await visitorOn(parts);
    await parts.sessions.wipe('visitor');
    const late = new FakeDownloadItem('late.pdf');
    expect(startDownload(session, late, page)).toBe(true);
    expect(late.savePath).toBeUndefined();
  });
});

describe('ElectronVisitorSessions: the service\'s "downloads" option', () => {
  it('is on by default: a download of the service on screen is kept', async () => {
    expect(testService('taxes').downloads).toBe(true);
    const parts = setUp();
    const { session, page } = await visitorOn(parts);
    const item = new FakeDownloadItem('attestation.pdf', 100);
    expect(startDownload(session, item, page)).toBe(false);
    expect(item.savePath).toBeDefined();
    expect(parts.events.downloadRefusals).toEqual([]);
  });

  it('off: the download is refused before any save path is set, nothing is listed, and the page is named for the refusal', async () => {
    const parts = setUp();
    const { session, page } = await visitorOn(parts, 'taxes', taxesWith({ downloads: false }));
    const item = new FakeDownloadItem('attestation.pdf', 100);
    expect(startDownload(session, item, page)).toBe(true);
    expect(item.savePath).toBeUndefined();
    expect(await parts.sessions.list()).toEqual([]);
    expect(parts.events.files.at(-1)).toEqual([]);
    expect(parts.events.downloadRefusals).toEqual([page]);
    expect(parts.log).toContain('refused a download: the service on screen does not allow downloads');
    expect(existsSync(parts.downloadsRoot)).toBe(false);
  });

  it('follows the service on screen: a later service that allows downloads keeps them again', async () => {
    const parts = setUp();
    const config = taxesWith({ downloads: false });
    const { session } = await visitorOn(parts, 'taxes', config);
    await parts.presenter.open(testService('library', config));
    const item = new FakeDownloadItem('catalogue.pdf', 100);
    expect(startDownload(session, item, parts.views.at(-1)!.webContents)).toBe(false);
    expect(item.savePath).toBeDefined();
  });

  it('keeps nothing while no service is on screen, whatever the page', async () => {
    const parts = setUp();
    const { session, page } = await visitorOn(parts);
    await parts.presenter.close();
    const item = new FakeDownloadItem('late.pdf', 100);
    expect(startDownload(session, item, page)).toBe(true);
    expect(item.savePath).toBeUndefined();
  });
});

describe('serviceWebPreferences', () => {
  it('refuses a persistent partition and the default session', () => {
    expect(() => serviceWebPreferences('persist:visitor')).toThrow('in-memory');
    expect(() => serviceWebPreferences('')).toThrow('in-memory');
    expect(serviceWebPreferences('visitor-1')).toMatchObject({ partition: 'visitor-1', sandbox: true, contextIsolation: true, nodeIntegration: false });
  });
});
