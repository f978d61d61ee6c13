/**
 * Every state a visitor can meet, reached in the browser preview from a fresh kiosk
 * (tests/e2e/fixtures.ts) in a given language, for the accessibility and layout suites
 * (tests/e2e/accessibility.spec.ts, tests/e2e/layout.spec.ts).
 *
 * Each driver waits for what the app announces (html[data-screen], html[data-session-phase],
 * roles and names, the texts of locales/), never for time. How each state is reached:
 *
 * - the idle warning and the length warning: the preview's ManualClock (`kiosk.advance`),
 *   once the page's last activity report has landed (see `settleActivity`);
 * - "Erasing…": the preview's wipe held open by the test until it releases it;
 * - out of order: the preview's wipe reporting "not verified" at every attempt, as a wipe
 *   that cannot be checked does on a kiosk (three attempts, then the out-of-order screen);
 * - help: no channel (the test configuration), a call being sent (the page's help:request
 *   held in the browser until released), a webhook on loopback that takes the call
 *   ("the helpers have been told"), a real hub on loopback ("a helper has been called",
 *   then a helper's "I'm coming" sent to the hub's API with a paired staff device's
 *   credential), a hub on a closed port ("could not reach");
 * - My files and the file chooser: the preview has no downloads (electron/preview/
 *   preview-sessions.ts), so the page is given the answer the kiosk's main side gives to
 *   files:list, and the chooser and refusal events are pushed into the page's own event
 *   stream as the kiosk's main side pushes them (files:chooserOpened, service:refused);
 * - a problem notice: the page's service:open answered with a failure, as a main side that
 *   cannot open the service answers.
 *
 * Text size and strong colours are the visitor's: set with the toolbar's display buttons
 * while a visitor is there. Screens shown without a visitor (welcome, PIN pad, "Erasing…",
 * "erased", out of order) always come at the normal size and colours (the settings belong to
 * the visitor, shared/session-machine.ts); for the layout checks at 200 % they get
 * `data-text-size` / `data-contrast` set on <html> directly, the style sheet's only input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page, Route } from '@playwright/test';
import { startHub, type HubServer } from '../../../electron/hub/hub-server';
import { DEFAULT_SESSION_SETTINGS } from '../../../shared/config/schema';
import type { FileChooserOpened, ServiceRefusal, VisitorFile } from '../../../shared/contract';
import type { TextSize } from '../../../shared/display-settings';
import { HUB_API_PREFIX, type PairingClaimResponse } from '../../../shared/hub-api';
import { LANGUAGE_CODES, type LanguageCode } from '../../../shared/languages';
import { pseudoLocalize } from '../../../renderer/i18n/pseudo-localize';
import { startLoopbackServer, unusedPort, type LoopbackServer } from '../../electron/preview/loopback-http';
import { expect, languageButton, pinPad, STAFF_KEY_CHORD, type Kiosk, type KioskService } from '../fixtures';
import type { ScreenAudience } from './axe';
import { text, welcomeText } from './locales';

export const VISITOR_STATE_NAMES = [
  'welcome',
  'pin-pad',
  'launcher',
  'service',
  'service-new-tab',
  'idle-warning',
  'end-question',
  'ending',
  'erased',
  'out-of-order',
  'help-calling',
  'help-told',
  'help-called',
  'help-coming',
  'help-unreachable',
  'help-no-channel',
  'help-banner',
  'my-files',
  'file-chooser',
  'file-chooser-multiple',
  'refusal',
  'problem',
  'length-warning',
] as const;

export type VisitorStateName = (typeof VISITOR_STATE_NAMES)[number];

/**
 * How the state's text size and colours can be changed:
 * - 'toolbar': the display buttons are usable on the state itself;
 * - 'reopen': the state covers the toolbar (a dialog): closed, changed, opened again;
 * - 'document': no visitor is there, so no display buttons; <html> gets the attributes.
 */
export type DisplayRoute = 'toolbar' | 'reopen' | 'document';

export interface VisitorStateInfo {
  readonly name: VisitorStateName;
  readonly audience: ScreenAudience;
  readonly display: DisplayRoute;
  /** What moves with time (countdown digits): masked in screenshots. */
  readonly changing: (page: Page) => Locator[];
}

const nothingChanging = (): Locator[] => [];

function info(name: VisitorStateName, display: DisplayRoute, changing: (page: Page) => Locator[] = nothingChanging, audience: ScreenAudience = 'visitor'): VisitorStateInfo {
  return { name, audience, display, changing };
}

export const VISITOR_STATES: Readonly<Record<VisitorStateName, VisitorStateInfo>> = {
  welcome: info('welcome', 'document'),
  'pin-pad': info('pin-pad', 'document', nothingChanging, 'staff'),
  launcher: info('launcher', 'toolbar'),
  service: info('service', 'toolbar'),
  'service-new-tab': info('service-new-tab', 'toolbar'),
  // The countdown runs in the page's own time: its digits and its sentence.
  'idle-warning': info('idle-warning', 'reopen', (page) => [page.locator('.idle-seconds'), page.getByRole('timer')]),
  'end-question': info('end-question', 'reopen'),
  ending: info('ending', 'document'),
  erased: info('erased', 'document'),
  'out-of-order': info('out-of-order', 'document'),
  'help-calling': info('help-calling', 'reopen'),
  'help-told': info('help-told', 'reopen'),
  'help-called': info('help-called', 'reopen'),
  'help-coming': info('help-coming', 'reopen'),
  'help-unreachable': info('help-unreachable', 'reopen'),
  'help-no-channel': info('help-no-channel', 'reopen'),
  'help-banner': info('help-banner', 'toolbar'),
  'my-files': info('my-files', 'reopen'),
  'file-chooser': info('file-chooser', 'reopen'),
  'file-chooser-multiple': info('file-chooser-multiple', 'reopen'),
  refusal: info('refusal', 'reopen'),
  problem: info('problem', 'reopen'),
  // The minutes left count down in the page's own time.
  'length-warning': info('length-warning', 'toolbar', (page) => [page.getByTestId('length-warning').locator('p')]),
};

export interface ReachOptions {
  /** Texts pseudo-localized (`?pseudo-locale`, renderer/i18n/pseudo-localize.ts). */
  readonly pseudo?: boolean;
  /** Set through the display buttons before the state is opened (or on <html> where no visitor is there). */
  readonly textSize?: TextSize;
  readonly strongColours?: boolean;
}

export interface ReachedVisitorState {
  readonly info: VisitorStateInfo;
  readonly language: LanguageCode;
  /** The kiosk's text of a key, as the page shows it (pseudo-localized in a pseudo-locale run). */
  says(key: string, values?: Readonly<Record<string, string>>): string;
  /** Changes the text size (see DisplayRoute) and comes back to the same state. */
  setTextSize(size: TextSize): Promise<void>;
  setStrongColours(on: boolean): Promise<void>;
  /** The hub the kiosk calls, for the help states that use one (help-called, help-coming). */
  readonly hub: HubServer | null;
  /** Lets go of whatever the test holds (a wipe, a request, a hub): call it before the test ends. */
  release(): Promise<void>;
}

/* ---------- What the services are called in Arabic (the test configuration names them in fr, nl, de, en) ---------- */

const ARABIC_LABELS: Readonly<Record<string, string>> = {
  'open-page': 'صفحة مفتوحة',
  'second-page': 'الصفحة الثانية',
  'protected-page': 'صفحة محمية',
  'form-page': 'استمارة',
};

export function serviceLabel(service: KioskService, language: LanguageCode): string {
  if (language === 'ar') return ARABIC_LABELS[service.id] ?? service.label.fr;
  return (service.label as Partial<Record<LanguageCode, string>>)[language] ?? service.label.fr;
}

/** The kiosk's text of a key in `language`, or in English where that language lacks it (as i18next falls back). */
function kioskText(language: LanguageCode, key: string, values: Readonly<Record<string, string>> = {}): string {
  try {
    return text(language, key, values);
  } catch {
    return text('en', key, values);
  }
}

/* ---------- The page's own event stream and activity reports, watched from inside ---------- */

declare global {
  interface Window {
    __kioskTestProbe?: {
      readonly sources: EventSource[];
      lastInputAt: number;
      lastReportAt: number;
      reportsInFlight: number;
    };
  }
}

/**
 * Runs before the page's own scripts: keeps the page's event streams (to push events as
 * the main side does) and notes when the visitor's last input happened and when the
 * page's last `session:activity` call left and came back.
 */
function installProbe(): void {
  const probe = { sources: [] as EventSource[], lastInputAt: Number.NEGATIVE_INFINITY, lastReportAt: Number.NEGATIVE_INFINITY, reportsInFlight: 0 };
  Object.defineProperty(window, '__kioskTestProbe', { value: probe });
  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      probe.sources.push(this);
    }
  };
  // Only inputs while a visitor is there are reported (renderer/session/activity-reporter.ts).
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
    window.addEventListener(
      type,
      () => {
        const phase = document.documentElement.dataset.sessionPhase;
        if (phase === 'active' || phase === 'idle-warning') probe.lastInputAt = performance.now();
      },
      { capture: true },
    );
  }
  const nativeFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const address = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!address.endsWith(`/api/contract/${encodeURIComponent('session:activity')}`)) return nativeFetch(input, init);
    probe.lastReportAt = performance.now();
    probe.reportsInFlight += 1;
    return nativeFetch(input, init).finally(() => {
      probe.reportsInFlight -= 1;
    });
  };
}

/**
 * Waits until the page has told the main side of the visitor's last input and the call
 * came back. The page reports at most one input every 2 s (the rest at the end of that
 * time): moving the session clock before then would count that input as happening later.
 */
export async function settleActivity(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const probe = window.__kioskTestProbe;
    return probe !== undefined && probe.lastReportAt >= probe.lastInputAt && probe.reportsInFlight === 0;
  });
}

/** Pushes an event into the page's event stream, as the main side pushes it. */
export async function pushEvent(page: Page, channel: string, payload: unknown): Promise<void> {
  const delivered = await page.evaluate(
    ([name, data]) => {
      const open = (window.__kioskTestProbe?.sources ?? []).filter((source) => source.readyState !== EventSource.CLOSED);
      for (const source of open) source.dispatchEvent(new MessageEvent(name, { data }));
      return open.length;
    },
    [channel, JSON.stringify(payload)] as const,
  );
  expect(delivered, `the page has no open event stream to receive ${channel}`).toBeGreaterThan(0);
}

/* ---------- Contract calls answered or held in the browser ---------- */

function isCall(channel: string): (url: URL) => boolean {
  const path = `/api/contract/${encodeURIComponent(channel)}`;
  return (url) => url.pathname === path;
}

async function answerCall(page: Page, channel: string, envelope: unknown): Promise<() => Promise<void>> {
  const matches = isCall(channel);
  const handler = (route: Route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(envelope) });
  await page.route(matches, handler);
  return () => page.unroute(matches, handler);
}

/** Holds the page's calls of a channel until the returned function lets them go on to the preview. */
async function holdCall(page: Page, channel: string): Promise<() => Promise<void>> {
  const matches = isCall(channel);
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const handler = async (route: Route) => {
    await released;
    await route.continue().catch(() => undefined);
  };
  await page.route(matches, handler);
  return async () => {
    letGo();
    await page.unroute(matches, handler);
  };
}

/* ---------- The kiosk's configuration for a state ---------- */

let configGeneration = 0;

interface ConfigExtras {
  readonly help?: unknown;
  readonly session?: unknown;
}

/**
 * Offers every kiosk language, with `language` as the default (the welcome, PIN pad and
 * out-of-order screens speak the default language), names the services in Arabic too,
 * and waits until the preview runs on it.
 */
async function configureKiosk(kiosk: Kiosk, language: LanguageCode, extras: ConfigExtras = {}): Promise<void> {
  configGeneration += 1;
  const marker = `EPN test ${process.pid}-${configGeneration}`;
  const base = kiosk.configFor(kiosk.services, 'PC 3');
  kiosk.writeConfig({
    ...base,
    kiosk: { ...base.kiosk, site: marker },
    languages: { offered: [...LANGUAGE_CODES], default: language },
    services: base.services.map((service) => ({ ...service, label: { ...service.label, ...(ARABIC_LABELS[service.id] === undefined ? {} : { ar: ARABIC_LABELS[service.id] }) } })),
    ...extras,
  });
  // At once, as the file watcher would a moment later (it then finds nothing new).
  kiosk.server.configStore.reload();
  expect(kiosk.server.configStore.current().kiosk.site, `the preview refused the test configuration: ${JSON.stringify(kiosk.server.configStore.problems())}`).toBe(marker);
}

/* ---------- Loopback help channels ---------- */

interface HubOnLoopback {
  readonly server: HubServer;
  close(): Promise<void>;
}

async function startLoopbackHub(): Promise<HubOnLoopback> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epn-e2e-a11y-hub-'));
  const server = await startHub({ dataDir, host: '127.0.0.1', port: 0, role: 'epn', site: 'EPN test', dashboardDir: join(dataDir, 'no-dashboard') });
  return {
    server,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A helper's "I'm coming", as the dashboard sends it: a staff device paired with the hub acknowledges the open request. */
export async function acknowledgeOpenRequest(hub: HubServer): Promise<void> {
  const pairing = await fetch(`${hub.url}${HUB_API_PREFIX}/pairing`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: hub.issuePairingCode('staff').code, name: 'Téléphone accueil' }),
  });
  expect(pairing.status, 'pairing a staff device with the hub').toBe(201);
  const { token } = (await pairing.json()) as PairingClaimResponse;
  const [request] = hub.store.openHelpRequests();
  expect(request, 'the hub has the visitor\'s request').toBeDefined();
  const acknowledged = await fetch(`${hub.url}${HUB_API_PREFIX}/help-requests/${request!.id}/acknowledge`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(acknowledged.status, 'acknowledging the request on the hub').toBe(200);
}

/** Takes every call on loopback and answers 200, as ntfy or a JSON receiver does. */
function startWebhookReceiver(): Promise<LoopbackServer> {
  return startLoopbackServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
}

/* ---------- Files the kiosk's main side would list ---------- */

/** Long names, a big and a small size, and one still downloading: what "My files" must lay out. */
export const VISITOR_FILES: readonly VisitorFile[] = [
  { name: 'attestation-mutualite-2025.pdf', sizeBytes: 184_320, inProgress: false },
  { name: 'avertissement-extrait-de-role-revenus-2024-exercice-2025.pdf', sizeBytes: 2_457_600, inProgress: false },
  { name: 'formulaire-demande.docx', sizeBytes: 0, inProgress: true },
];

/* ---------- Reaching the states ---------- */

interface Driver {
  readonly kiosk: Kiosk;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly language: LanguageCode;
  says(key: string, values?: Readonly<Record<string, string>>): string;
  /** Run at release, last added first. */
  readonly releases: (() => Promise<void>)[];
}

function html(page: Page): Locator {
  return page.locator('html');
}

function displayGroup(driver: Driver): Locator {
  return driver.page.getByRole('group', { name: driver.says('display.groupLabel') });
}

/** Presses "Bigger text" until the visitor's size is `size` (from 200 % it goes back to 100 % with "Normal text"). */
async function pressTextSize(driver: Driver, size: TextSize): Promise<void> {
  const root = html(driver.page);
  for (let press = 0; press < 4 && (await root.getAttribute('data-text-size')) !== String(size); press += 1) {
    const before = await root.getAttribute('data-text-size');
    const group = displayGroup(driver);
    const button = group.getByRole('button', { name: driver.says(before === '200' ? 'display.normalText' : 'display.biggerText'), exact: true });
    await button.click();
    await expect(root).not.toHaveAttribute('data-text-size', before ?? '');
  }
  await expect(root).toHaveAttribute('data-text-size', String(size));
}

async function pressStrongColours(driver: Driver, on: boolean): Promise<void> {
  const root = html(driver.page);
  if (((await root.getAttribute('data-contrast')) === 'high') === on) return;
  const button = displayGroup(driver).getByRole('button', { name: driver.says('display.strongColours'), exact: true });
  await button.click();
  if (on) await expect(root).toHaveAttribute('data-contrast', 'high');
  else await expect(root).not.toHaveAttribute('data-contrast', 'high');
  await expect(button).toHaveAttribute('aria-pressed', String(on));
}

async function openKiosk(driver: Driver, pseudo: boolean): Promise<void> {
  const { page, kiosk, language } = driver;
  await page.addInitScript(installProbe);
  await page.goto(pseudo ? `${kiosk.url}?pseudo-locale` : kiosk.url);
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');
  await expect(html(page)).toHaveAttribute('lang', language);
  await expect(page.locator('button[data-language]').first()).toBeVisible();
}

async function toLauncher(driver: Driver): Promise<void> {
  const { page, language } = driver;
  await languageButton(page, language).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await expect(html(page)).toHaveAttribute('data-session-phase', 'active');
  await expect(page.getByRole('heading', { level: 1, name: driver.says('launcher.title') })).toBeVisible();
}

function tileOf(driver: Driver, service: KioskService): Locator {
  return driver.page.getByRole('button', { name: serviceLabel(service, driver.language), exact: true });
}

function toolbarButton(driver: Driver, key: string): Locator {
  return driver.page.getByRole('toolbar').getByRole('button', { name: driver.says(key), exact: true });
}

async function toService(driver: Driver): Promise<void> {
  const { page, kiosk } = driver;
  await tileOf(driver, kiosk.frameable).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  await expect(page.frameLocator('iframe').getByRole('heading', { name: kiosk.frameable.heading })).toBeVisible();
}

async function toNewTabService(driver: Driver): Promise<void> {
  const { page, kiosk, context } = driver;
  const tab = context.waitForEvent('page');
  await tileOf(driver, kiosk.refusing).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  await expect(page.getByTestId('new-tab-notice')).toBeVisible();
  await (await tab).close();
}

function dialogNamed(driver: Driver, role: 'dialog' | 'alertdialog', key: string): Locator {
  return driver.page.getByRole(role, { name: driver.says(key) });
}

async function openIdleWarning(driver: Driver): Promise<void> {
  await settleActivity(driver.page);
  await driver.kiosk.advance(driver.kiosk.timings.idleMs);
  await expect(html(driver.page)).toHaveAttribute('data-session-phase', 'idle-warning');
  await expect(dialogNamed(driver, 'alertdialog', 'idle.title')).toBeVisible();
}

async function closeIdleWarning(driver: Driver): Promise<void> {
  await dialogNamed(driver, 'alertdialog', 'idle.title').getByRole('button', { name: driver.says('idle.stillHere') }).click();
  await expect(html(driver.page)).toHaveAttribute('data-session-phase', 'active');
}

async function askToEnd(driver: Driver): Promise<Locator> {
  await toolbarButton(driver, 'toolbar.endSession').click();
  const question = dialogNamed(driver, 'alertdialog', 'endSession.question');
  await expect(question).toBeVisible();
  return question;
}

async function confirmEnd(driver: Driver): Promise<void> {
  const question = await askToEnd(driver);
  await question.getByRole('button', { name: driver.says('endSession.confirm') }).click();
}

/** The help dialog in a given state (data-help-state), opened with the toolbar's Help. */
async function openHelp(driver: Driver, state: string): Promise<void> {
  await toolbarButton(driver, 'toolbar.help').click();
  await expect(driver.page.locator(`[data-help-state="${state}"]`)).toBeVisible();
}

async function closeHelp(driver: Driver): Promise<void> {
  await driver.page.getByRole('button', { name: driver.says('help.close') }).click();
  await expect(driver.page.locator('[data-help-state]')).toHaveCount(0);
}

async function openFiles(driver: Driver): Promise<void> {
  await toolbarButton(driver, 'files.button').click();
  await expect(dialogNamed(driver, 'dialog', 'files.title')).toBeVisible();
}

async function closeFiles(driver: Driver): Promise<void> {
  await dialogNamed(driver, 'dialog', 'files.title').getByRole('button', { name: driver.says('files.close') }).click();
  await expect(dialogNamed(driver, 'dialog', 'files.title')).toHaveCount(0);
}

let chooserRequests = 0;

async function openChooser(driver: Driver, multiple: boolean): Promise<void> {
  chooserRequests += 1;
  const request: FileChooserOpened = { requestId: `test-chooser-${chooserRequests}`, multiple, serviceId: driver.kiosk.frameable.id };
  await pushEvent(driver.page, 'files:chooserOpened', request);
  await expect(dialogNamed(driver, 'dialog', multiple ? 'files.chooser.titleMultiple' : 'files.chooser.title')).toBeVisible();
}

async function closeChooser(driver: Driver, multiple: boolean): Promise<void> {
  const dialog = dialogNamed(driver, 'dialog', multiple ? 'files.chooser.titleMultiple' : 'files.chooser.title');
  await dialog.getByRole('button', { name: driver.says('files.chooser.cancel') }).click();
  await expect(dialog).toHaveCount(0);
}

const SHOWN_REFUSAL: ServiceRefusal = 'outside-service';

async function openRefusal(driver: Driver): Promise<void> {
  await pushEvent(driver.page, 'service:refused', { serviceId: driver.kiosk.frameable.id, refusal: SHOWN_REFUSAL });
  await expect(dialogNamed(driver, 'alertdialog', `refusal.${SHOWN_REFUSAL}.title`)).toBeVisible();
}

async function closeRefusal(driver: Driver): Promise<void> {
  const notice = dialogNamed(driver, 'alertdialog', `refusal.${SHOWN_REFUSAL}.title`);
  await notice.getByRole('button', { name: driver.says('refusal.ok') }).click();
  await expect(notice).toHaveCount(0);
}

async function openProblem(driver: Driver): Promise<void> {
  await tileOf(driver, driver.kiosk.frameable).click();
  await expect(driver.page.getByRole('alert').filter({ hasText: driver.says('errors.serviceUnavailable') })).toBeVisible();
  await expect(html(driver.page)).toHaveAttribute('data-screen', 'launcher');
}

async function closeProblem(driver: Driver): Promise<void> {
  await driver.page.getByRole('button', { name: driver.says('errors.dismiss') }).click();
  await expect(driver.page.getByRole('alert').filter({ hasText: driver.says('errors.serviceUnavailable') })).toHaveCount(0);
}

/** Opening and closing a state that covers the toolbar, to change the display under it. */
interface Overlay {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Brings a fresh kiosk (and its page) to `name` in `language`. The page must be new: the
 * driver installs its probe before the kiosk's scripts run.
 */
export async function reachVisitorState(
  page: Page,
  kiosk: Kiosk,
  name: VisitorStateName,
  language: LanguageCode,
  options: ReachOptions = {},
): Promise<ReachedVisitorState> {
  const pseudo = options.pseudo ?? false;
  const driver: Driver = {
    kiosk,
    page,
    context: page.context(),
    language,
    says: (key, values) => (pseudo ? pseudoLocalize(kioskText(language, key, values)) : kioskText(language, key, values)),
    releases: [],
  };
  const stateInfo = VISITOR_STATES[name];
  let overlay: Overlay | null = null;

  // What the state needs before the page opens: configuration, a help channel, answers held in the browser.
  const extras: { help?: unknown; session?: unknown } = {};
  let hub: HubOnLoopback | null = null;
  switch (name) {
    case 'help-told':
    case 'help-banner': {
      const receiver = await startWebhookReceiver();
      driver.releases.push(() => receiver.close());
      extras.help = { webhooks: [{ url: receiver.url('/epn-help'), format: 'json' }] };
      break;
    }
    case 'help-called':
    case 'help-coming': {
      const started = await startLoopbackHub();
      hub = started;
      driver.releases.push(() => started.close());
      extras.help = { hub: { url: started.server.url, pairingCode: started.server.issuePairingCode('kiosk').code } };
      break;
    }
    case 'help-unreachable':
      extras.help = { hub: { url: `http://127.0.0.1:${await unusedPort()}`, pairingCode: 'K7QM-RXHP' } };
      break;
    case 'length-warning':
      extras.session = { ...DEFAULT_SESSION_SETTINGS, maxSessionMinutes: 10, maxSessionWarningMinutes: 9 };
      break;
    default:
      break;
  }
  await configureKiosk(kiosk, language, extras);
  if (name === 'my-files' || name === 'file-chooser' || name === 'file-chooser-multiple') {
    driver.releases.push(await answerCall(page, 'files:list', { ok: true, value: VISITOR_FILES }));
  }

  await openKiosk(driver, pseudo);
  const applyDisplay = async () => {
    if (options.textSize !== undefined) await pressTextSize(driver, options.textSize);
    if (options.strongColours !== undefined) await pressStrongColours(driver, options.strongColours);
  };

  const release = async () => {
    for (const step of driver.releases.splice(0).reverse()) await step();
  };

  try {
    switch (name) {
      case 'welcome':
        break;
      case 'pin-pad':
        await page.keyboard.press(STAFF_KEY_CHORD);
        await expect(pinPad(page)).toBeVisible();
        await expect(pinPad(page)).toHaveAttribute('data-step', 'choose');
        break;
      case 'launcher':
        await toLauncher(driver);
        await applyDisplay();
        break;
      case 'problem':
        await toLauncher(driver);
        await applyDisplay();
        driver.releases.push(await answerCall(page, 'service:open', { ok: false, error: { code: 'failed', message: 'the test answers that this service cannot be opened' } }));
        overlay = { open: () => openProblem(driver), close: () => closeProblem(driver) };
        break;
      case 'service-new-tab':
        await toLauncher(driver);
        await applyDisplay();
        await toNewTabService(driver);
        break;
      default:
        await toLauncher(driver);
        await applyDisplay();
        await toService(driver);
        break;
    }

    switch (name) {
      case 'idle-warning':
        overlay = { open: () => openIdleWarning(driver), close: () => closeIdleWarning(driver) };
        break;
      case 'end-question':
        overlay = {
          open: async () => void (await askToEnd(driver)),
          close: async () => {
            await dialogNamed(driver, 'alertdialog', 'endSession.question').getByRole('button', { name: driver.says('endSession.cancel') }).click();
            await expect(dialogNamed(driver, 'alertdialog', 'endSession.question')).toHaveCount(0);
          },
        };
        break;
      case 'ending': {
        // The wipe waits until the test lets it go; the kiosk shows "Erasing…" meanwhile.
        const sessions = kiosk.server.sessions;
        const wipe = sessions.wipe.bind(sessions);
        let letGo!: () => void;
        const released = new Promise<void>((resolve) => {
          letGo = resolve;
        });
        sessions.wipe = async (reason) => {
          await released;
          return wipe(reason);
        };
        driver.releases.push(async () => {
          letGo();
          await kiosk.server.controller.whenIdle();
          sessions.wipe = wipe;
        });
        await confirmEnd(driver);
        await expect(html(page)).toHaveAttribute('data-screen', 'ending');
        await expect(page.getByRole('heading', { level: 1, name: driver.says('session.erasing') })).toBeVisible();
        break;
      }
      case 'erased':
        await confirmEnd(driver);
        await expect(html(page)).toHaveAttribute('data-screen', 'erased');
        await expect(page.getByRole('heading', { level: 1, name: driver.says('session.erased') })).toBeVisible();
        break;
      case 'out-of-order': {
        // Every attempt reports a wipe it could not verify, as a kiosk whose disk refuses to be cleaned.
        const sessions = kiosk.server.sessions;
        const wipe = sessions.wipe.bind(sessions);
        sessions.wipe = async () => ({ verified: false, durationMs: 0, problems: ['the test reports this wipe as not verified'] });
        driver.releases.push(async () => {
          sessions.wipe = wipe;
        });
        await confirmEnd(driver);
        await expect(html(page)).toHaveAttribute('data-screen', 'out-of-order');
        await expect(page.getByRole('heading', { level: 1, name: welcomeText(driver.language, 'outOfOrderTitle') })).toBeVisible();
        break;
      }
      case 'help-no-channel':
        overlay = { open: () => openHelp(driver, 'no-channel'), close: () => closeHelp(driver) };
        break;
      case 'help-calling':
        driver.releases.push(await holdCall(page, 'help:request'));
        // Closing keeps the call: Help shows it again, still being sent.
        overlay = { open: () => openHelp(driver, 'calling'), close: () => closeHelp(driver) };
        break;
      case 'help-told':
        overlay = { open: () => openHelp(driver, 'called'), close: () => closeHelp(driver) };
        break;
      case 'help-called':
        overlay = { open: () => openHelp(driver, 'called'), close: () => closeHelp(driver) };
        break;
      case 'help-coming': {
        await openHelp(driver, 'called');
        await acknowledgeOpenRequest(hub!.server);
        await expect(page.locator('[data-help-state="coming"]')).toBeVisible();
        overlay = { open: () => openHelp(driver, 'coming'), close: () => closeHelp(driver) };
        break;
      }
      case 'help-unreachable':
        overlay = { open: () => openHelp(driver, 'unreachable'), close: () => closeHelp(driver) };
        break;
      case 'help-banner':
        await openHelp(driver, 'called');
        await closeHelp(driver);
        await expect(page.getByTestId('help-banner').getByRole('status')).toHaveText(driver.says('help.toldTitle'));
        break;
      case 'my-files':
        overlay = { open: () => openFiles(driver), close: () => closeFiles(driver) };
        break;
      case 'file-chooser':
        overlay = { open: () => openChooser(driver, false), close: () => closeChooser(driver, false) };
        break;
      case 'file-chooser-multiple':
        overlay = { open: () => openChooser(driver, true), close: () => closeChooser(driver, true) };
        break;
      case 'refusal':
        overlay = { open: () => openRefusal(driver), close: () => closeRefusal(driver) };
        break;
      case 'length-warning':
        await settleActivity(page);
        await kiosk.advance(60_000);
        await expect(page.getByTestId('length-warning')).toBeVisible();
        break;
      default:
        break;
    }
    // help-coming opened its dialog already.
    if (overlay !== null && name !== 'help-coming') await overlay.open();
  } catch (error) {
    await release();
    throw error;
  }

  const changeDisplay = async (change: () => Promise<void>, forced: () => Promise<void>) => {
    switch (stateInfo.display) {
      case 'document':
        await forced();
        return;
      case 'toolbar':
        await change();
        return;
      case 'reopen':
        await overlay!.close();
        await change();
        await overlay!.open();
    }
  };

  return {
    info: stateInfo,
    language,
    says: driver.says,
    setTextSize: (size) =>
      changeDisplay(
        () => pressTextSize(driver, size),
        async () => {
          await page.evaluate((value) => {
            document.documentElement.dataset.textSize = value;
          }, String(size));
          await expect(html(page)).toHaveAttribute('data-text-size', String(size));
        },
      ),
    setStrongColours: (on) =>
      changeDisplay(
        () => pressStrongColours(driver, on),
        async () => {
          await page.evaluate((high) => {
            if (high) document.documentElement.dataset.contrast = 'high';
            else delete document.documentElement.dataset.contrast;
          }, on);
        },
      ),
    hub: hub?.server ?? null,
    release,
  };
}

