/**
 * The real-Electron suite's kiosk with a service to guard: the test sites of
 * test-sites.ts run on 127.0.0.1, the kiosk's configuration lists the service site (plain
 * http on loopback, with UNSAFE_allowHttpHosts) and nothing else, and the kiosk starts on
 * a fresh data folder.
 *
 * The helpers act from the main process (`app.evaluate`) wherever they can: that is
 * where the kiosk's webContents live, it survives a crashed launcher, and it lets a test
 * click in a service page with a user gesture (pop-ups and file pickers need one).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test as base } from '@playwright/test';
import type { KioskConfigInput } from '../../shared/config/schema';
import { LOCAL_CONFIG_FILE_NAME } from '../../electron/services/config-store';
import { PROBE_PATH } from '../../electron/shell/wipe-probe';
import { expect, freshDataDir, launchKiosk, type LaunchedKiosk } from './electron-kiosk';
import { startTestSites, type TestSites } from './test-sites';

export const SERVICE_ID = 'guarded';

export function guardedConfig(sites: TestSites): KioskConfigInput {
  return {
    schemaVersion: 1,
    kiosk: { name: 'E2E PC', site: 'EPN de Test' },
    languages: { offered: ['fr', 'en'], default: 'fr' },
    // The shortest "erased" message, so two visitors follow each other quickly.
    session: { erasedMessageSeconds: 3 },
    themes: [{ id: 'administration', icon: 'building' }],
    services: [
      {
        id: SERVICE_ID,
        label: { fr: 'Service gardé', en: 'Guarded service' },
        theme: 'administration',
        icon: 'document',
        startUrl: `${sites.service}/`,
        allowedDomains: [sites.serviceHost],
        UNSAFE_allowHttpHosts: [sites.serviceHost],
      },
    ],
  };
}

export interface GuardedKiosk extends LaunchedKiosk {
  readonly sites: TestSites;
}

/** Writes the configuration for `sites` into `dataDir` and launches the kiosk on it. */
export async function launchGuardedKiosk(dataDir: string, sites: TestSites): Promise<GuardedKiosk> {
  writeFileSync(path.join(dataDir, LOCAL_CONFIG_FILE_NAME), JSON.stringify(guardedConfig(sites), null, 2));
  const launched = await launchKiosk(dataDir);
  return { ...launched, sites };
}

export const test = base.extend<{ sites: TestSites; kiosk: GuardedKiosk }>({
  // Playwright reads the fixtures a fixture needs from its first parameter's pattern: this one needs none.
  // eslint-disable-next-line no-empty-pattern
  sites: async ({}, use) => {
    const sites = await startTestSites();
    try {
      await use(sites);
    } finally {
      await sites.close();
    }
  },
  kiosk: async ({ sites }, use) => {
    const dataDir = freshDataDir();
    let launched: GuardedKiosk | undefined;
    try {
      launched = await launchGuardedKiosk(dataDir, sites);
      await screenIs(launched, 'welcome');
      await use(launched);
    } finally {
      await launched?.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Runs `code` in the launcher's page, from the main process (works after a crash too). */
export function inLauncher<T>(kiosk: LaunchedKiosk, code: string): Promise<T> {
  return kiosk.app.evaluate(async ({ BrowserWindow }, source) => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window === undefined) throw new Error('the kiosk has no window');
    return (await window.webContents.executeJavaScript(source, true)) as unknown;
  }, code) as Promise<T>;
}

/** Waits until the launcher shows `screen` (its <html data-screen>). */
export async function screenIs(kiosk: LaunchedKiosk, screen: string): Promise<void> {
  await expect.poll(() => inLauncher<string | undefined>(kiosk, 'document.documentElement.dataset.screen').catch(() => undefined), { timeout: 20_000 }).toBe(screen);
}

/** The ids of the webContents showing a page of `origin` (the wipe's probe pages left out). */
export function contentsOn(kiosk: LaunchedKiosk, origin: string): Promise<number[]> {
  return kiosk.app.evaluate(
    ({ webContents }, { origin: wanted, probePath }) =>
      webContents
        .getAllWebContents()
        .filter((contents) => !contents.isDestroyed() && contents.getURL().startsWith(wanted) && !contents.getURL().includes(probePath))
        .map((contents) => contents.id),
    { origin, probePath: PROBE_PATH },
  );
}

/** The service view's webContents id, once it shows a page of the service. */
export async function serviceView(kiosk: GuardedKiosk): Promise<number> {
  await expect.poll(async () => (await contentsOn(kiosk, kiosk.sites.service)).length, { timeout: 20_000 }).toBe(1);
  return (await contentsOn(kiosk, kiosk.sites.service))[0]!;
}

/** Runs `code` in the service page, as if the visitor had just clicked (a user gesture). */
export async function inService<T>(kiosk: GuardedKiosk, code: string): Promise<T> {
  const id = await serviceView(kiosk);
  return kiosk.app.evaluate(
    async ({ webContents }, { id: viewId, source }) => {
      const contents = webContents.fromId(viewId);
      if (contents === undefined) throw new Error('the service view is gone');
      return (await contents.executeJavaScript(source, true)) as unknown;
    },
    { id, source: code },
  ) as Promise<T>;
}

/** Where the service view is now. */
export async function serviceUrl(kiosk: GuardedKiosk): Promise<string> {
  const id = await serviceView(kiosk);
  return kiosk.app.evaluate(({ webContents }, viewId) => webContents.fromId(viewId)?.getURL() ?? '', id);
}

/** Starts recording the refusals the launcher is told of (`service:refused`). */
export async function watchRefusals(kiosk: LaunchedKiosk): Promise<void> {
  await inLauncher(kiosk, 'window.refusalsSeen = []; window.kiosk.service.onRefused((refusal) => window.refusalsSeen.push(refusal.refusal)); true');
}

export function refusalsSeen(kiosk: LaunchedKiosk): Promise<string[]> {
  return inLauncher<string[]>(kiosk, 'window.refusalsSeen ?? []');
}

/** A visitor picks French and opens the service from its tile, as they would with the mouse. */
export async function visitorOpensService(kiosk: GuardedKiosk): Promise<number> {
  await kiosk.launcher.locator('button[lang="fr"]').first().click();
  await screenIs(kiosk, 'launcher');
  await kiosk.launcher.locator(`button[data-service-id="${SERVICE_ID}"]`).click();
  await screenIs(kiosk, 'service');
  const id = await serviceView(kiosk);
  await expect.poll(() => serviceUrl(kiosk)).toBe(`${kiosk.sites.service}/`);
  await watchRefusals(kiosk);
  return id;
}

/** "End session" confirmed; resolves with the contract's answer (`erased`). */
export function endSession(kiosk: LaunchedKiosk): Promise<{ ok: boolean; value?: { erased: boolean } }> {
  return inLauncher(kiosk, 'window.kiosk.session.requestEnd().then(() => window.kiosk.session.end({}))');
}

export type KeyTarget = 'launcher' | 'service';

/** Presses a chord in the launcher or the service view, through Chromium's input path (as a keyboard would). */
export async function press(kiosk: GuardedKiosk, target: KeyTarget, keyCode: string, modifiers: ('control' | 'shift' | 'alt' | 'meta')[] = []): Promise<void> {
  const id = target === 'service' ? await serviceView(kiosk) : null;
  await kiosk.app.evaluate(
    async ({ BrowserWindow, webContents }, { viewId, key, held }) => {
      const contents = viewId === null ? BrowserWindow.getAllWindows()[0]?.webContents : webContents.fromId(viewId);
      if (contents === undefined) throw new Error('nothing to type into');
      contents.focus();
      contents.sendInputEvent({ type: 'keyDown', keyCode: key, modifiers: held });
      contents.sendInputEvent({ type: 'keyUp', keyCode: key, modifiers: held });
      await new Promise((resolve) => setTimeout(resolve, 150));
    },
    { viewId: id, key: keyCode, held: modifiers },
  );
}

/** Types one character into the focused field of the service page (the control that keys do arrive). */
export async function typeInService(kiosk: GuardedKiosk, character: string): Promise<void> {
  const id = await serviceView(kiosk);
  await kiosk.app.evaluate(
    async ({ webContents }, { viewId, key }) => {
      const contents = webContents.fromId(viewId);
      if (contents === undefined) throw new Error('the service view is gone');
      contents.focus();
      contents.sendInputEvent({ type: 'keyDown', keyCode: key });
      contents.sendInputEvent({ type: 'char', keyCode: key });
      contents.sendInputEvent({ type: 'keyUp', keyCode: key });
      await new Promise((resolve) => setTimeout(resolve, 150));
    },
    { viewId: id, key: character },
  );
}
