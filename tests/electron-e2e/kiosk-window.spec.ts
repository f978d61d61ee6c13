/**
 * What only a real Electron can show about the locked shell: the window is full screen,
 * kiosk and on top; the launcher is sandboxed, context-isolated, served from kiosk://app
 * with its Content-Security-Policy; the page has `window.kiosk` and no Node; the welcome
 * screen comes up; a close request is refused; debugging switches stop the kiosk.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { LAUNCHER_CONTENT_SECURITY_POLICY } from '../../electron/shell/kiosk-protocol';
import { LAUNCHER_URL } from '../../electron/shell/kiosk-origin';
import { INVOKE_CHANNELS } from '../../shared/contract';
import { electronBinary, expect, freshDataDir, mainScript, repositoryRoot, SKIPPED_WITHOUT_ELECTRON, test } from './electron-kiosk';

test.skip(!electronBinary.available, SKIPPED_WITHOUT_ELECTRON);

test('opens one window: full screen, kiosk, always on top, no menu', async ({ kiosk }) => {
  await expect
    .poll(() =>
      kiosk.app.evaluate(({ BrowserWindow, Menu }) => {
        const windows = BrowserWindow.getAllWindows();
        const window = windows[0];
        return {
          windows: windows.length,
          kiosk: window?.isKiosk(),
          fullScreen: window?.isFullScreen(),
          alwaysOnTop: window?.isAlwaysOnTop(),
          menuBarVisible: window?.isMenuBarVisible(),
          applicationMenu: Menu.getApplicationMenu(),
        };
      }),
    )
    .toEqual({ windows: 1, kiosk: true, fullScreen: true, alwaysOnTop: true, menuBarVisible: false, applicationMenu: null });
});

test('runs the launcher sandboxed and context-isolated, from kiosk://app', async ({ kiosk }) => {
  const launcher = await kiosk.app.evaluate(({ BrowserWindow }) => {
    // Undocumented, so absent from electron.d.ts, but the one way to read back the
    // preferences a webContents actually runs with.
    const contents = BrowserWindow.getAllWindows()[0]!.webContents as Electron.WebContents & { getLastWebPreferences(): Electron.WebPreferences | null };
    const preferences = contents.getLastWebPreferences();
    return {
      url: contents.getURL(),
      sandbox: preferences?.sandbox,
      contextIsolation: preferences?.contextIsolation,
      nodeIntegration: preferences?.nodeIntegration,
      nodeIntegrationInSubFrames: preferences?.nodeIntegrationInSubFrames,
      webSecurity: preferences?.webSecurity,
      webviewTag: preferences?.webviewTag,
      devTools: preferences?.devTools,
    };
  });
  expect(launcher).toEqual({
    url: LAUNCHER_URL,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    devTools: false,
  });
});

test('gives the page window.kiosk, one function per channel, and no Node', async ({ kiosk }) => {
  const page = await kiosk.launcher.evaluate(() => {
    const bridge = (window as unknown as { kiosk?: Record<string, Record<string, unknown>> }).kiosk;
    const globals = globalThis as Record<string, unknown>;
    return {
      bridge: typeof bridge,
      functions: bridge === undefined ? [] : Object.entries(bridge).flatMap(([domain, verbs]) => Object.keys(verbs).map((verb) => `${domain}.${verb}`)),
      require: typeof globals.require,
      process: typeof globals.process,
      module: typeof globals.module,
      Buffer: typeof globals.Buffer,
    };
  });
  expect(page.bridge).toBe('object');
  for (const channel of INVOKE_CHANNELS) expect(page.functions).toContain(channel.replace(':', '.'));
  expect(page).toMatchObject({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' });
});

test('shows the welcome screen, served with the launcher\'s Content-Security-Policy', async ({ kiosk }) => {
  await kiosk.launcher.locator('html[data-screen="welcome"]').waitFor();
  const policy = await kiosk.launcher.evaluate(async () => (await fetch('./index.html')).headers.get('content-security-policy'));
  expect(policy).toBe(LAUNCHER_CONTENT_SECURITY_POLICY);
});

test('answers a contract call from the launcher', async ({ kiosk }) => {
  await kiosk.launcher.locator('html[data-screen="welcome"]').waitFor();
  const answer = await kiosk.launcher.evaluate(async () => {
    const bridge = (window as unknown as { kiosk: { config: { get(): Promise<{ ok: boolean; value?: { schemaVersion: number } }> } } }).kiosk;
    return bridge.config.get();
  });
  expect(answer.ok).toBe(true);
  expect(answer.value?.schemaVersion).toBe(1);
});

test('refuses a close request while the kiosk is not quitting', async ({ kiosk }) => {
  const outcome = await kiosk.app.evaluate(
    ({ BrowserWindow }) =>
      new Promise<{ prevented: boolean; destroyed: boolean }>((resolve) => {
        const window = BrowserWindow.getAllWindows()[0]!;
        // Registered after the kiosk's own listener, so it sees that listener's decision.
        window.once('close', (event) => setImmediate(() => resolve({ prevented: event.defaultPrevented, destroyed: window.isDestroyed() })));
        window.close();
      }),
  );
  expect(outcome).toEqual({ prevented: true, destroyed: false });
});

test('refuses to start with a debugging switch, in one log line', () => {
  const dataDir = freshDataDir();
  try {
    const executable = electronBinary.available ? electronBinary.executable : '';
    const result = spawnSync(executable, ['--no-sandbox', mainScript, `--data-dir=${dataDir}`, '--remote-debugging-port=0'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const refusals = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('refuses to start'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('--remote-debugging-port');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
