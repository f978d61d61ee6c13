/**
 * What the next visitor finds: nothing. A download lands in the visitor's own folder and
 * is gone after the wipe; a visitor who wrote every kind of storage on a site leaves
 * nothing a second visitor on the same site can read; a launcher that crashes is
 * replaced by a wiped welcome screen; a kiosk killed in the middle of a visit wipes the
 * leftovers when it starts again.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { VISITOR_DOWNLOADS_FOLDER } from '../../electron/shell/kiosk-shell';
import { electronBinary, freshDataDir, SKIPPED_WITHOUT_ELECTRON } from './electron-kiosk';
import { contentsOn, endSession, expect, inLauncher, inService, launchGuardedKiosk, screenIs, serviceUrl, test, visitorOpensService, type GuardedKiosk } from './guarded-kiosk';
import { DOWNLOAD_BODY, DOWNLOAD_NAME } from './test-sites';

test.skip(!electronBinary.available, SKIPPED_WITHOUT_ELECTRON);

const NOTHING = { cookies: 0, localStorage: 0, sessionStorage: 0, indexedDB: 0, cacheStorage: 0, serviceWorkers: 0 };

interface Found {
  cookies: number;
  localStorage: number;
  sessionStorage: number;
  indexedDB: number;
  cacheStorage: number;
  serviceWorkers: number;
}

/** Every downloaded file under the kiosk's downloads folder, by path relative to it. */
function downloadedFiles(kiosk: GuardedKiosk): string[] {
  const root = path.join(kiosk.dataDir, VISITOR_DOWNLOADS_FOLDER);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

async function downloadTheAttestation(kiosk: GuardedKiosk): Promise<void> {
  await inService(kiosk, 'document.querySelector("#download").click(); true');
  await expect
    .poll(() => inLauncher(kiosk, 'window.kiosk.files.list()'), { timeout: 20_000 })
    .toEqual({ ok: true, value: [{ name: DOWNLOAD_NAME, sizeBytes: Buffer.byteLength(DOWNLOAD_BODY), inProgress: false }] });
}

async function writeEveryStorage(kiosk: GuardedKiosk): Promise<void> {
  await inService(kiosk, 'location.href = "/storage"; true');
  await expect.poll(() => serviceUrl(kiosk)).toContain('/storage');
  expect(await inService(kiosk, 'window.stored')).toBe(true);
  await inService(kiosk, 'location.href = "/storage-read"; true');
  await expect.poll(() => serviceUrl(kiosk)).toContain('/storage-read');
  const written = await inService<Found>(kiosk, 'window.found');
  // The first visitor's traces are really there: the second visitor's nothing means something.
  expect(written).toMatchObject({ cookies: 1, localStorage: 1, indexedDB: 1, cacheStorage: 1, serviceWorkers: 1 });
}

async function whatTheNextVisitorFinds(kiosk: GuardedKiosk): Promise<Found> {
  await screenIs(kiosk, 'welcome');
  await visitorOpensService(kiosk);
  await inService(kiosk, 'location.href = "/storage-read"; true');
  await expect.poll(() => serviceUrl(kiosk)).toContain('/storage-read');
  return inService<Found>(kiosk, 'window.found');
}

test('a download lands in the visitor\'s own folder, is listed, and is gone after the wipe', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  await downloadTheAttestation(kiosk);
  const files = downloadedFiles(kiosk);
  expect(files).toHaveLength(1);
  expect(path.basename(files[0]!)).toBe(DOWNLOAD_NAME);
  expect(readFileSync(path.join(kiosk.dataDir, VISITOR_DOWNLOADS_FOLDER, files[0]!), 'utf8')).toBe(DOWNLOAD_BODY);

  expect(await endSession(kiosk)).toEqual({ ok: true, value: { erased: true } });
  expect(existsSync(path.join(kiosk.dataDir, VISITOR_DOWNLOADS_FOLDER))).toBe(false);
  expect(await inLauncher(kiosk, 'window.kiosk.files.list()')).toEqual({ ok: true, value: [] });
});

test('two visitors in a row on the same site: the second finds no storage of the first', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  await writeEveryStorage(kiosk);
  // What the visitor copied last, as the system clipboard holds it.
  await kiosk.app.evaluate(({ clipboard }) => clipboard.writeText('85.07.30-033.61'));
  const erasedAt = Date.now();
  expect(await endSession(kiosk)).toEqual({ ok: true, value: { erased: true } });
  const wipeMs = Date.now() - erasedAt;
  test.info().annotations.push({ type: 'wipe', description: `End session confirmed to erased: ${wipeMs} ms` });
  expect(await kiosk.app.evaluate(({ clipboard }) => clipboard.readText())).toBe('');
  expect(await contentsOn(kiosk, kiosk.sites.service)).toEqual([]);

  expect(await whatTheNextVisitorFinds(kiosk)).toEqual(NOTHING);
});

test('a crashed launcher comes back as a wiped welcome screen', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  await writeEveryStorage(kiosk);
  await kiosk.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer());
  await expect.poll(() => contentsOn(kiosk, kiosk.sites.service), { timeout: 20_000 }).toEqual([]);
  await screenIs(kiosk, 'welcome');
  expect(await inLauncher(kiosk, 'window.kiosk.session.get().then((answer) => [answer.value.phase, answer.value.language])')).toEqual(['welcome', null]);

  expect(await whatTheNextVisitorFinds(kiosk)).toEqual(NOTHING);
});

test('a kiosk killed in the middle of a visit wipes the leftovers before the next welcome screen', async ({ sites }) => {
  const dataDir = freshDataDir();
  let second: GuardedKiosk | undefined;
  try {
    const first = await launchGuardedKiosk(dataDir, sites);
    await screenIs(first, 'welcome');
    await visitorOpensService(first);
    await downloadTheAttestation(first);
    expect(downloadedFiles(first)).toHaveLength(1);
    first.app.process().kill('SIGKILL');
    await new Promise<void>((resolve) => first.app.process().once('exit', () => resolve()));

    second = await launchGuardedKiosk(dataDir, sites);
    await screenIs(second, 'welcome');
    expect(existsSync(path.join(dataDir, VISITOR_DOWNLOADS_FOLDER))).toBe(false);
    expect(await whatTheNextVisitorFinds(second)).toEqual(NOTHING);
  } finally {
    await second?.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
