/**
 * A visitor who wants out tries the keyboard: devtools, reload, zoom, new window or tab,
 * print, save, open, history, find, close. In the launcher and in a service view, none of
 * them does anything, while ordinary typing still reaches the page.
 */
import { electronBinary, SKIPPED_WITHOUT_ELECTRON } from './electron-kiosk';
import { expect, inLauncher, inService, press, test, typeInService, visitorOpensService, type GuardedKiosk, type KeyTarget } from './guarded-kiosk';

test.skip(!electronBinary.available, SKIPPED_WITHOUT_ELECTRON);

type Modifier = 'control' | 'shift' | 'alt' | 'meta';

const ESCAPE_CHORDS: readonly [string, string, Modifier[]][] = [
  ['devtools', 'F12', []],
  ['devtools', 'I', ['control', 'shift']],
  ['devtools console', 'J', ['control', 'shift']],
  ['devtools inspector', 'C', ['control', 'shift']],
  ['reload', 'R', ['control']],
  ['hard reload', 'R', ['control', 'shift']],
  ['reload', 'F5', []],
  ['zoom in', '=', ['control']],
  ['zoom in', 'Plus', ['control', 'shift']],
  ['zoom out', '-', ['control']],
  ['zoom reset', '0', ['control']],
  ['new window', 'N', ['control']],
  ['new tab', 'T', ['control']],
  ['print', 'P', ['control']],
  ['save', 'S', ['control']],
  ['open', 'O', ['control']],
  ['history', 'H', ['control']],
  ['back', 'Left', ['alt']],
  ['find', 'F', ['control']],
  ['find', 'F3', []],
  ['downloads', 'J', ['control']],
  ['view source', 'U', ['control']],
  ['close the tab', 'W', ['control']],
  ['close the window', 'F4', ['alt']],
  ['full screen', 'F11', []],
  ['quit', 'Q', ['control']],
];

/** What the kiosk looks like, as far as an escape would change it. */
async function state(kiosk: GuardedKiosk) {
  return kiosk.app.evaluate(({ BrowserWindow, webContents }) => {
    const windows = BrowserWindow.getAllWindows();
    const all = webContents.getAllWebContents().filter((contents) => !contents.isDestroyed());
    return {
      windows: windows.length,
      kiosk: windows[0]?.isKiosk(),
      fullScreen: windows[0]?.isFullScreen(),
      devtools: all.some((contents) => contents.isDevToolsOpened()),
      zoomFactors: [...new Set(all.map((contents) => contents.getZoomFactor()))],
      pages: all.map((contents) => contents.getURL()).sort(),
    };
  });
}

async function markPages(kiosk: GuardedKiosk): Promise<void> {
  await inLauncher(kiosk, 'window.notReloaded = true');
  await inService(kiosk, 'window.notReloaded = true; window.printAttempts = 0; window.addEventListener("beforeprint", () => { window.printAttempts += 1; }); true');
}

async function stillMarked(kiosk: GuardedKiosk) {
  return {
    launcher: await inLauncher<boolean | undefined>(kiosk, 'window.notReloaded'),
    service: await inService<boolean | undefined>(kiosk, 'window.notReloaded'),
    printAttempts: await inService<number>(kiosk, 'window.printAttempts'),
  };
}

for (const target of ['launcher', 'service'] as const satisfies readonly KeyTarget[]) {
  test(`keyboard escapes do nothing in the ${target}`, async ({ kiosk }) => {
    await visitorOpensService(kiosk);
    await markPages(kiosk);
    const before = await state(kiosk);
    expect(before).toMatchObject({ windows: 1, kiosk: true, fullScreen: true, devtools: false, zoomFactors: [1] });

    for (const [what, key, modifiers] of ESCAPE_CHORDS) {
      await press(kiosk, target, key, modifiers);
      expect(await state(kiosk), `${what}: ${[...modifiers, key].join('+')}`).toEqual(before);
    }
    expect(await stillMarked(kiosk)).toEqual({ launcher: true, service: true, printAttempts: 0 });

    // The keys did arrive: ordinary typing reaches the page.
    if (target === 'service') {
      await inService(kiosk, 'document.querySelector("#text").focus(); true');
      await typeInService(kiosk, 'a');
      expect(await inService<string>(kiosk, 'document.querySelector("#text").value')).toBe('a');
    }
  });
}

test('the launcher refuses to close, and the window manager\'s close does nothing', async ({ kiosk }) => {
  const closed = await kiosk.app.evaluate(({ BrowserWindow }) => {
    const window = BrowserWindow.getAllWindows()[0]!;
    window.close();
    return new Promise<boolean>((resolve) => setTimeout(() => resolve(window.isDestroyed()), 300));
  });
  expect(closed).toBe(false);
});
