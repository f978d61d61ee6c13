/**
 * A service page that tries to take the visitor elsewhere, or to reach the PC: off-list
 * links, server redirects, frames, pop-ups, external protocols, file pickers, print,
 * devices. Each is refused in place, the launcher is told (without the address), and the
 * page stays where it was; allowed pop-ups open in the same view, with Back. A service's
 * own options (printing, downloads, uploads) open or close what they name, and nothing
 * else: with uploads on, a file picker is answered from the visitor's "My files" only.
 * The page is shown at the zoom of the visitor's text size, through its navigations; its
 * own zoom (Ctrl+wheel) is refused.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_CONFIG_FILE_NAME } from '../../electron/services/config-store';
import { VISITOR_DOWNLOADS_FOLDER } from '../../electron/shell/kiosk-shell';
import type { Service } from '../../shared/config/schema';
import { electronBinary, freshDataDir, launchKiosk, SKIPPED_WITHOUT_ELECTRON } from './electron-kiosk';
import type { DisplaySettings } from '../../shared/display-settings';
import { contentsOn, endSession, expect, guardedConfig, inLauncher, inService, refusalsSeen, screenIs, SERVICE_ID, serviceUrl, serviceView, test, visitorOpensService, type GuardedKiosk } from './guarded-kiosk';
import { DOWNLOAD_BODY, DOWNLOAD_NAME, type TestSites } from './test-sites';

test.skip(!electronBinary.available, SKIPPED_WITHOUT_ELECTRON);

/** The same refusal is told at most once a second: wait before expecting it again. */
const REFUSAL_REPEAT_WAIT_MS = 1_100;

async function click(kiosk: GuardedKiosk, selector: string): Promise<void> {
  await inService(kiosk, `document.querySelector(${JSON.stringify(selector)}).click(); true`);
}

async function nothingOutside(kiosk: GuardedKiosk): Promise<void> {
  expect(await contentsOn(kiosk, kiosk.sites.outside)).toEqual([]);
  const frames = await kiosk.app.evaluate(({ webContents }) => webContents.getAllWebContents().flatMap((contents) => contents.mainFrame.framesInSubtree.map((frame) => frame.url)));
  expect(frames.filter((url) => url.startsWith(kiosk.sites.outside))).toEqual([]);
}

test('an off-list link, a redirect out and a mailto: link are refused in place', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  const start = `${kiosk.sites.service}/`;

  await click(kiosk, '#off-list');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['outside-service']);
  expect(await serviceUrl(kiosk)).toBe(start);

  await kiosk.launcher.waitForTimeout(REFUSAL_REPEAT_WAIT_MS);
  await click(kiosk, '#redirect-out');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['outside-service', 'outside-service']);
  expect(await serviceUrl(kiosk)).toBe(start);

  await kiosk.launcher.waitForTimeout(REFUSAL_REPEAT_WAIT_MS);
  await click(kiosk, '#mail');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['outside-service', 'outside-service', 'outside-service']);
  await nothingOutside(kiosk);

  await click(kiosk, '#inside');
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/second`);
});

test('a frame of an off-list site stays empty; a frame of the service loads', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  await inService(kiosk, 'location.href = "/frames"; true');
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/frames`);
  await expect.poll(() => refusalsSeen(kiosk)).toContain('outside-service');
  const frames = await kiosk.app.evaluate(({ webContents }, id) => webContents.fromId(id)!.mainFrame.frames.map((frame) => frame.url), await serviceView(kiosk));
  expect(frames).toContain(`${kiosk.sites.service}/framed`);
  await nothingOutside(kiosk);
});

test('an allowed pop-up opens in the same view, with Back; pop-ups out are refused', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  const windowsBefore = await kiosk.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);

  await click(kiosk, '#popup-outside');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['outside-service']);
  await kiosk.launcher.waitForTimeout(REFUSAL_REPEAT_WAIT_MS);
  await click(kiosk, '#blank-out');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['outside-service', 'outside-service']);
  await nothingOutside(kiosk);

  await click(kiosk, '#popup-inside');
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/popup`);
  expect(await kiosk.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(windowsBefore);
  expect(await inLauncher(kiosk, 'window.kiosk.service.back()')).toEqual({ ok: true, value: { wentBack: true } });
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/`);
});

test('uploads on: the file picker never opens; "My files" is offered instead and the chosen download reaches the <input type=file>', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  expect(await inService(kiosk, '[typeof window.showOpenFilePicker, typeof window.showSaveFilePicker, typeof window.showDirectoryPicker]')).toEqual(['undefined', 'undefined', 'undefined']);
  await click(kiosk, '#download');
  await expect
    .poll(() => inLauncher(kiosk, 'window.kiosk.files.list()'), { timeout: 20_000 })
    .toEqual({ ok: true, value: [{ name: DOWNLOAD_NAME, sizeBytes: Buffer.byteLength(DOWNLOAD_BODY), inProgress: false }] });
  await inLauncher(kiosk, 'window.choosersSeen = []; window.kiosk.files.onChooserOpened((request) => window.choosersSeen.push(request)); true');
  await inService(kiosk, 'window.picked = 0; document.querySelector("#pick").addEventListener("change", () => { window.picked += 1; }); true');

  await click(kiosk, '#pick');
  await expect.poll(() => inLauncher(kiosk, 'window.choosersSeen')).toEqual([{ requestId: expect.any(String), multiple: false, serviceId: SERVICE_ID }]);
  expect(await inService(kiosk, 'document.querySelector("#pick").files.length')).toBe(0);

  // The visitor touches their file in the launcher's dialog.
  const dialog = kiosk.launcher.getByRole('dialog');
  await dialog.getByRole('button', { name: new RegExp(`^${DOWNLOAD_NAME.replace('.', '\\.')}`) }).click();
  await expect.poll(() => inService(kiosk, 'window.picked')).toBe(1);
  expect(await inService(kiosk, 'Array.from(document.querySelector("#pick").files, (file) => file.name)')).toEqual([DOWNLOAD_NAME]);
  expect(await inService(kiosk, 'document.querySelector("#pick").files[0].text()')).toBe(DOWNLOAD_BODY);
  await expect(dialog).toHaveCount(0);
  expect(await refusalsUpToAnOffListLink(kiosk)).toEqual(['outside-service']);
});

test('uploads on: a name that is not one of the visitor\'s files is refused and gives the page nothing', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  await inLauncher(kiosk, 'window.choosersSeen = []; window.kiosk.files.onChooserOpened((request) => window.choosersSeen.push(request)); true');
  await click(kiosk, '#pick');
  await expect.poll(async () => (await inLauncher<unknown[]>(kiosk, 'window.choosersSeen')).length).toBe(1);
  const answer = await inLauncher<{ ok: boolean }>(kiosk, `window.kiosk.files.choose({ requestId: window.choosersSeen[0].requestId, names: [${JSON.stringify(LOCAL_CONFIG_FILE_NAME)}] })`);
  expect(answer.ok).toBe(false);
  expect(await inService(kiosk, 'document.querySelector("#pick").files.length')).toBe(0);
});

test('print() is refused in the page and in its frames, and cannot be put back', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  await click(kiosk, '#print');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['print']);
  await kiosk.launcher.waitForTimeout(REFUSAL_REPEAT_WAIT_MS);
  await inService(kiosk, 'document.querySelector("#frame-inside").contentWindow.print(); true');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['print', 'print']);
  await kiosk.launcher.waitForTimeout(REFUSAL_REPEAT_WAIT_MS);
  // A frame the page makes itself, after the page loaded.
  await inService(kiosk, 'const made = document.createElement("iframe"); document.body.append(made); made.contentWindow.print(); true');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['print', 'print', 'print']);
  expect(await inService(kiosk, 'Object.getOwnPropertyDescriptor(window, "print").writable')).toBe(false);
});

test('a device or location request is denied and the visitor told', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  const answer = await inService<string>(
    kiosk,
    'new Promise((resolve) => navigator.geolocation.getCurrentPosition(() => resolve("granted"), (error) => resolve("denied " + error.code)))',
  );
  expect(answer).toBe('denied 1');
  await expect.poll(() => refusalsSeen(kiosk)).toEqual(['permission']);
});

test('<webview> is not available to any page', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  expect(await inService(kiosk, 'document.createElement("webview") instanceof HTMLUnknownElement')).toBe(true);
  expect(await inLauncher(kiosk, 'document.createElement("webview") instanceof HTMLUnknownElement')).toBe(true);
});

test('a crashed service view is closed, the launcher stays', async ({ kiosk }) => {
  const id = await visitorOpensService(kiosk);
  await kiosk.app.evaluate(({ webContents }, viewId) => webContents.fromId(viewId)!.forcefullyCrashRenderer(), id);
  await expect.poll(() => contentsOn(kiosk, kiosk.sites.service)).toEqual([]);
  expect(await inLauncher(kiosk, 'typeof window.kiosk.session.get')).toBe('function');
  expect(await inLauncher(kiosk, 'window.kiosk.session.get().then((answer) => answer.value.phase)')).toBe('active');
});

test('the service view runs sandboxed, without the kiosk bridge, in an in-memory partition of its own', async ({ kiosk }) => {
  const id = await visitorOpensService(kiosk);
  const view = await kiosk.app.evaluate(({ webContents, session }, viewId) => {
    // Undocumented, so absent from electron.d.ts, but the one way to read back the preferences a webContents runs with.
    const contents = webContents.fromId(viewId) as Electron.WebContents & { getLastWebPreferences(): Electron.WebPreferences | null };
    const preferences = contents.getLastWebPreferences();
    return {
      sandbox: preferences?.sandbox,
      contextIsolation: preferences?.contextIsolation,
      nodeIntegration: preferences?.nodeIntegration,
      preload: preferences?.preload ?? null,
      persistent: contents.session.isPersistent(),
      storagePath: contents.session.getStoragePath(),
      sharesTheLauncherSession: contents.session === session.defaultSession,
    };
  }, id);
  expect(view).toEqual({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: null, persistent: false, storagePath: null, sharesTheLauncherSession: false });
  expect(await inService(kiosk, 'typeof window.kiosk')).toBe('undefined');
});

/** The service view's zoom factor as Electron reports it (to the hundredth), and its page's width in CSS pixels, which the zoom divides. */
async function serviceZoom(kiosk: GuardedKiosk): Promise<{ factor: number; cssWidth: number }> {
  const id = await serviceView(kiosk);
  const factor = await kiosk.app.evaluate(({ webContents }, viewId) => webContents.fromId(viewId)?.getZoomFactor() ?? Number.NaN, id);
  return { factor: Math.round(factor * 100) / 100, cssWidth: await inService<number>(kiosk, 'window.innerWidth') };
}

/** The page is drawn at `factor`: Electron says so, and the page's CSS width is the normal one divided by it. */
async function expectZoom(kiosk: GuardedKiosk, factor: number, normalCssWidth: number): Promise<void> {
  await expect.poll(async () => (await serviceZoom(kiosk)).factor).toBe(factor);
  await expect.poll(async () => Math.abs((await serviceZoom(kiosk)).cssWidth * factor - normalCssWidth)).toBeLessThanOrEqual(2);
}

function setDisplay(kiosk: GuardedKiosk, display: DisplaySettings): Promise<unknown> {
  return inLauncher(kiosk, `window.kiosk.display.set(${JSON.stringify(display)})`);
}

test('the visitor\'s text size zooms the service page, through its navigations; the page\'s own zoom is refused; the next visitor starts at normal size', async ({ kiosk }) => {
  await visitorOpensService(kiosk);
  const normal = await serviceZoom(kiosk);
  expect(normal.factor).toBe(1);

  const larger: DisplaySettings = { textSize: 150, highContrast: false, readAloud: false };
  expect(await setDisplay(kiosk, larger)).toEqual({ ok: true, value: larger });
  await expectZoom(kiosk, 1.5, normal.cssWidth);

  // A new document of the same site, then an in-page navigation: still the visitor's size.
  await click(kiosk, '#inside');
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/second`);
  await expectZoom(kiosk, 1.5, normal.cssWidth);
  await inService(kiosk, 'location.hash = "#part-2"; true');
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/second#part-2`);
  await expectZoom(kiosk, 1.5, normal.cssWidth);

  // Ctrl+wheel over the page: the page sees the wheel, the zoom stays the visitor's.
  await inService(kiosk, 'window.ctrlWheels = 0; addEventListener("wheel", (event) => { if (event.ctrlKey) window.ctrlWheels += 1; }, { passive: true }); true');
  await kiosk.app.evaluate(({ webContents }, viewId) => {
    const contents = webContents.fromId(viewId);
    if (contents === undefined) throw new Error('the service view is gone');
    contents.focus();
    for (const deltaY of [120, 120, -120]) contents.sendInputEvent({ type: 'mouseWheel', x: 40, y: 40, deltaX: 0, deltaY, wheelTicksY: deltaY / 120, canScroll: true, modifiers: ['control'] });
  }, await serviceView(kiosk));
  await expect.poll(() => inService<number>(kiosk, 'window.ctrlWheels')).toBe(3);
  // The page has handled the wheels (Chromium zooms, where it does, once the page let a wheel go): the zoom is read after.
  await expectZoom(kiosk, 1.5, normal.cssWidth);

  expect(await endSession(kiosk)).toEqual({ ok: true, value: { erased: true } });
  await screenIs(kiosk, 'welcome');
  await visitorOpensService(kiosk);
  await expectZoom(kiosk, 1, normal.cssWidth);
});

type ServiceOptions = Partial<Pick<Service, 'printing' | 'downloads' | 'uploads'>>;

/** A kiosk whose guarded service has `options`, for one test: closed and its data folder removed afterwards. */
async function withServiceOptions(sites: TestSites, options: ServiceOptions, run: (kiosk: GuardedKiosk) => Promise<void>): Promise<void> {
  const dataDir = freshDataDir();
  const config = guardedConfig(sites);
  const configured = { ...config, services: config.services.map((service) => ({ ...service, ...options })) };
  writeFileSync(path.join(dataDir, LOCAL_CONFIG_FILE_NAME), JSON.stringify(configured, null, 2));
  const launched = await launchKiosk(dataDir);
  try {
    const kiosk = { ...launched, sites };
    await screenIs(kiosk, 'welcome');
    await run(kiosk);
  } finally {
    await launched.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Replaces the service view's webContents.print, so no system dialog waits for a person:
 * each call is recorded and answered as a visitor closing the dialog would.
 */
async function recordPrintDialogs(kiosk: GuardedKiosk): Promise<void> {
  await kiosk.app.evaluate(({ webContents }, viewId) => {
    const contents = webContents.fromId(viewId);
    if (contents === undefined) throw new Error('the service view is gone');
    const opened: unknown[] = [];
    (globalThis as { printDialogsOpened?: unknown[] }).printDialogsOpened = opened;
    contents.print = (options, callback) => {
      opened.push(options);
      callback?.(false, 'Print job canceled');
    };
  }, await serviceView(kiosk));
}

function printDialogsOpened(kiosk: GuardedKiosk): Promise<unknown[]> {
  return kiosk.app.evaluate(() => (globalThis as { printDialogsOpened?: unknown[] }).printDialogsOpened ?? []);
}

/** A refusal every service gets, clicked last: once it is seen, any refusal told before it has been seen too. */
async function refusalsUpToAnOffListLink(kiosk: GuardedKiosk): Promise<string[]> {
  await click(kiosk, '#off-list');
  await expect.poll(async () => (await refusalsSeen(kiosk)).at(-1)).toBe('outside-service');
  return refusalsSeen(kiosk);
}

test('printing on: print() in the page and in its frames opens the system\'s print dialog through the kiosk, and is not refused', async ({ sites }) => {
  await withServiceOptions(sites, { printing: true }, async (kiosk) => {
    await visitorOpensService(kiosk);
    await recordPrintDialogs(kiosk);
    await click(kiosk, '#print');
    await expect.poll(() => printDialogsOpened(kiosk)).toEqual([{ silent: false, printBackground: true }]);
    await inService(kiosk, 'document.querySelector("#frame-inside").contentWindow.print(); true');
    await expect.poll(async () => (await printDialogsOpened(kiosk)).length).toBe(2);
    // The page still cannot reach Chromium's own print(): the kiosk's stays in place.
    expect(await inService(kiosk, 'Object.getOwnPropertyDescriptor(window, "print").writable')).toBe(false);
    expect(await refusalsUpToAnOffListLink(kiosk)).toEqual(['outside-service']);
  });
});

test('downloads off: a download is refused and the visitor told; nothing is listed or written', async ({ sites }) => {
  await withServiceOptions(sites, { downloads: false }, async (kiosk) => {
    await visitorOpensService(kiosk);
    await click(kiosk, '#download');
    await expect.poll(() => refusalsSeen(kiosk)).toEqual(['download']);
    expect(await inLauncher(kiosk, 'window.kiosk.files.list()')).toEqual({ ok: true, value: [] });
    const root = path.join(kiosk.dataDir, VISITOR_DOWNLOADS_FOLDER);
    const written = existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : [];
    expect(written).toEqual([]);
  });
});

test('uploads off: the file picker never opens, the page gets no file and the visitor is told', async ({ sites }) => {
  await withServiceOptions(sites, { uploads: false }, async (kiosk) => {
    await visitorOpensService(kiosk);
    await inService(kiosk, 'window.picked = 0; document.querySelector("#pick").addEventListener("change", () => { window.picked += 1; }); true');
    await click(kiosk, '#pick');
    await expect.poll(() => refusalsSeen(kiosk)).toEqual(['file-picker']);
    expect(await inService(kiosk, 'window.picked')).toBe(0);
    expect(await inService(kiosk, 'document.querySelector("#pick").files.length')).toBe(0);
  });
});
