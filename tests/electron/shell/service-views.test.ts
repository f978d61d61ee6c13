import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../shared/config/schema';
import { decideNavigation } from '../../../shared/navigation-policy';
import { UNRESPONSIVE_GRACE_MS } from '../../../electron/shell/launcher-recovery';
import { guardCommandsFor, PRINT_REQUEST_BINDING } from '../../../electron/shell/page-dialog-guards';
import { guardServiceNavigation, SERVICE_PRINT_OPTIONS, serviceViewPreferences, zoomCorrection } from '../../../electron/shell/service-views';
import { TEXT_SIZES, zoomFactorOf, type TextSize } from '../../../shared/display-settings';
import { LOCKED_WEB_PREFERENCES } from '../../../electron/shell/web-preferences';
import { FakeDownloadItem, FakeSession, FakeWebContents, navigationEvent, startDownload } from './fake-electron';
import { buildShellParts, TEST_CONFIG_INPUT, testConfig, testService } from './shell-fixtures';

function setUp() {
  return buildShellParts();
}

describe('ElectronServicePresenter.open', () => {
  it('shows the service in a view of the visitor\'s in-memory partition, with no preload and the locked preferences', async () => {
    const { presenter, sessions, views, host } = setUp();
    await sessions.begin('fr');
    const answer = await presenter.open(testService('taxes'));
    expect(answer).toEqual({ presentation: 'kiosk-view', url: 'https://www.example.be/start' });
    expect(views).toHaveLength(1);
    const view = views[0]!;
    expect(view.webPreferences).toEqual({ ...LOCKED_WEB_PREFERENCES, partition: sessions.currentPartition(), zoomMode: 'manual', zoomFactor: 1 });
    expect(view.webPreferences.preload).toBeUndefined();
    expect(view.webPreferences.partition).toMatch(/^visitor-[0-9a-f-]{36}$/);
    expect(view.webPreferences.partition!.startsWith('persist:')).toBe(false);
    expect(view.webContents.session.isPersistent()).toBe(false);
    expect(host.children).toEqual([view]);
    expect(view.webContents.loaded.map((load) => load.url)).toEqual(['https://www.example.be/start']);
    expect(presenter.owns(view.webContents)).toBe(true);
  });

  it('draws the view in the area the launcher reported, before and after it opens', async () => {
    const { presenter, views } = setUp();
    presenter.setArea({ x: 0, y: 120, width: 1366, height: 648 });
    await presenter.open(testService('taxes'));
    presenter.setArea({ x: 0, y: 100, width: 1920, height: 980 });
    expect(views[0]!.bounds).toEqual([
      { x: 0, y: 120, width: 1366, height: 648 },
      { x: 0, y: 100, width: 1920, height: 980 },
    ]);
  });

  it('replaces the open service: one view at a time, the previous one closed', async () => {
    const { presenter, views, host } = setUp();
    await Promise.all([presenter.open(testService('taxes')), presenter.open(testService('library'))]);
    expect(views).toHaveLength(2);
    expect(host.children).toEqual([views[1]]);
    expect(views[0]!.webContents.isDestroyed()).toBe(true);
    expect(presenter.owns(views[0]!.webContents)).toBe(false);
  });

  it('refuses a start address its own allow-list refuses, without creating a view', async () => {
    const { presenter, views } = setUp();
    const broken = { ...testService('taxes'), startUrl: 'https://evil.example/' };
    await expect(presenter.open(broken)).rejects.toThrow('its start address is refused (host)');
    expect(views).toHaveLength(0);
  });

  it('fails plainly when there is no window to show the service in', async () => {
    const { presenter, removeHost, views } = setUp();
    removeHost();
    await expect(presenter.open(testService('taxes'))).rejects.toThrow('no kiosk window');
    expect(views).toHaveLength(0);
  });
});

describe('ElectronServicePresenter.back and close', () => {
  it('goes back only where there is a page to go back to', async () => {
    const { presenter, views } = setUp();
    expect(await presenter.back()).toBe(false);
    await presenter.open(testService('taxes'));
    expect(await presenter.back()).toBe(false);
    await views[0]!.webContents.loadURL('https://www.example.be/step-2');
    expect(await presenter.back()).toBe(true);
    expect(views[0]!.webContents.currentUrl()).toBe('https://www.example.be/start');
  });

  it('closes the view: removed from the window and its page closed', async () => {
    const { presenter, views, host } = setUp();
    await presenter.open(testService('taxes'));
    await presenter.close();
    expect(host.children).toEqual([]);
    expect(views[0]!.webContents.isDestroyed()).toBe(true);
    expect(await presenter.back()).toBe(false);
    await presenter.close();
  });
});

describe('guardServiceNavigation: every kind of navigation goes through decideNavigation', () => {
  const service = testService('taxes');
  const rules = { allowedDomains: service.allowedDomains, UNSAFE_allowHttpHosts: service.UNSAFE_allowHttpHosts };
  const guarded = () => {
    const contents = new FakeWebContents(new FakeSession('visitor-nav'));
    const log: string[] = [];
    guardServiceNavigation(contents, service, (line) => log.push(line));
    return { contents, log };
  };
  const URLS = [
    'https://www.example.be/next',
    'https://login.example.org/auth',
    'https://example.be.evil.test/',
    'https://evil.example/',
    'http://www.example.be/',
    'https://user@www.example.be/',
    'https://www.example.be:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<h1>x</h1>',
    'view-source:https://www.example.be/',
    'chrome://settings',
    'mailto:someone@example.be',
    'about:blank',
    'about:srcdoc',
    'blob:https://www.example.be/0d8b0b52-5c9a-4b5e-9d6e-1c2b3d4e5f60',
  ];

  it.each(URLS)('top-level (will-navigate): %s', (url) => {
    const { contents } = guarded();
    const event = navigationEvent(url, true);
    contents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(!decideNavigation(url, rules, 'top-level').allowed);
  });

  it.each(URLS)('redirect of the page (will-redirect): %s', (url) => {
    const { contents } = guarded();
    const event = navigationEvent(url, true);
    contents.emit('will-redirect', event);
    expect(event.defaultPrevented).toBe(!decideNavigation(url, rules, 'redirect').allowed);
  });

  it.each(URLS)('sub-frame (will-frame-navigate, and a sub-frame\'s redirect): %s', (url) => {
    const { contents } = guarded();
    const frameNavigation = navigationEvent(url, false);
    contents.emit('will-frame-navigate', frameNavigation);
    const frameRedirect = navigationEvent(url, false);
    contents.emit('will-redirect', frameRedirect);
    const expected = !decideNavigation(url, rules, 'sub-frame').allowed;
    expect(frameNavigation.defaultPrevented).toBe(expected);
    expect(frameRedirect.defaultPrevented).toBe(expected);
  });

  it.each(URLS)('pop-up (window.open, target=_blank): %s', (url) => {
    const { contents } = guarded();
    expect(contents.openWindow(url)).toEqual({ action: 'deny' });
    const allowed = decideNavigation(url, rules, 'window-open').allowed;
    expect(contents.loaded.map((load) => load.url)).toEqual(allowed ? [url] : []);
  });

  it('the sample holds both verdicts for every kind, so the cases above can fail', () => {
    for (const kind of ['top-level', 'redirect', 'sub-frame', 'window-open'] as const) {
      const verdicts = new Set(URLS.map((url) => decideNavigation(url, rules, kind).allowed));
      expect(verdicts, kind).toEqual(new Set([true, false]));
    }
  });

  it('leaves the main frame\'s will-frame-navigate to will-navigate (decided once)', () => {
    const { contents, log } = guarded();
    const event = navigationEvent('https://evil.example/', true);
    contents.emit('will-frame-navigate', event);
    expect(event.defaultPrevented).toBe(false);
    expect(log).toEqual([]);
  });

  it('logs a refusal with its reason and never the address', () => {
    const { contents, log } = guarded();
    contents.emit('will-navigate', navigationEvent('https://evil.example/private?name=Jan', true));
    expect(log).toEqual(['service "taxes": refused a top-level navigation (host)']);
  });

  it('opens an allowed pop-up form in the same view with its posted body', () => {
    const { contents } = guarded();
    const data = [{ type: 'rawData' as const, bytes: Buffer.from('a=1') }];
    contents.openWindow('https://www.example.be/form', { postBody: { data, contentType: 'application/x-www-form-urlencoded' } });
    expect(contents.loaded).toHaveLength(1);
    expect(contents.loaded[0]!.options).toMatchObject({ postData: data, extraHeaders: 'Content-Type: application/x-www-form-urlencoded' });
  });
});

async function openTaxes() {
  const parts = setUp();
  await parts.sessions.begin('fr');
  await parts.presenter.open(testService('taxes'));
  const view = parts.views[0]!;
  return { ...parts, view, contents: view.webContents };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ElectronServicePresenter: refusals reach the launcher without any address', () => {
  it('tells the launcher of a refused navigation, and records the allowed ones for the wipe\'s probe', async () => {
    const { contents, events, log } = await openTaxes();
    contents.emit('will-navigate', navigationEvent('https://evil.example/steal?name=Jan'));
    contents.emit('will-redirect', navigationEvent('https://login.example.org/auth'));
    contents.openWindow('https://ads.example.com/');
    expect(events.refusals).toEqual([
      ['taxes', 'outside-service'],
      ['taxes', 'outside-service'],
    ]);
    expect(JSON.stringify(events.refusals)).not.toContain('evil');
    expect(log.join('\n')).not.toContain('evil.example');
    expect(events.visits).toEqual(['https://www.example.be/start', 'https://login.example.org/auth']);
  });

  it('records every frame the page navigated, for the probe', async () => {
    const { contents, events } = await openTaxes();
    contents.emit('did-frame-navigate', {}, 'https://static.example.be/frame', 200, 'OK', false, 1, 2);
    expect(events.visits).toContain('https://static.example.be/frame');
  });

  it('tells the launcher nothing for a page that is no longer shown', async () => {
    const { contents, events, presenter } = await openTaxes();
    await presenter.close();
    contents.emit('will-navigate', navigationEvent('https://evil.example/'));
    contents.debugger.message('Page.fileChooserOpened', { frameId: 'f', mode: 'selectSingle' });
    expect(events.refusals).toEqual([]);
  });

  it('answers the permission question with the service shown in a webContents, and nothing for others', async () => {
    const { contents, presenter } = await openTaxes();
    expect(presenter.serviceShownIn(contents)?.id).toBe('taxes');
    expect(presenter.serviceShownIn(new FakeWebContents(new FakeSession('visitor-x')))).toBeUndefined();
    await presenter.close();
    expect(presenter.serviceShownIn(contents)).toBeUndefined();
  });
});

describe('ElectronServicePresenter: file pickers and print, through the DevTools protocol', () => {
  it('attaches to the page and sends the guard commands before the page loads', async () => {
    const { contents, journal } = await openTaxes();
    expect(contents.debugger.attached).toBe(true);
    const sent = contents.debugger.commands.filter((command) => command.sessionId === undefined).map(({ method, params }) => ({ method, params }));
    expect(sent).toEqual(guardCommandsFor('page').map(({ method, params }) => ({ method, params })));
    expect(sent).toContainEqual({ method: 'Page.setInterceptFileChooserDialog', params: { enabled: true, cancel: true } });
    expect(sent.map((command) => command.method)).toContain('Target.setAutoAttach');
    expect(journal.indexOf('load https://www.example.be/start')).toBeGreaterThanOrEqual(0);
  });

  it('hands a file picker to the kiosk: no dialog is shown, the launcher is asked to offer "My files"', async () => {
    const { contents, events } = await openTaxes();
    contents.debugger.message('Page.fileChooserOpened', { frameId: 'main', mode: 'selectSingle', backendNodeId: 7 });
    expect(events.fileChoosers).toEqual([{ requestId: expect.any(String), multiple: false, serviceId: 'taxes' }]);
    expect(events.refusals).toEqual([]);
  });

  it('refuses print() through the binding, and ignores other bindings', async () => {
    const { contents, events } = await openTaxes();
    contents.debugger.message('Runtime.bindingCalled', { name: PRINT_REQUEST_BINDING, payload: 'print', executionContextId: 3 });
    contents.debugger.message('Runtime.bindingCalled', { name: 'somethingElse', payload: '', executionContextId: 3 });
    expect(events.refusals).toEqual([['taxes', 'print']]);
    expect(contents.prints).toEqual([]);
  });

  it('guards every frame of another site (out-of-process) before it runs, and lets workers go', async () => {
    const { contents, events } = await openTaxes();
    contents.debugger.message('Target.attachedToTarget', { sessionId: 'frame-1', targetInfo: { type: 'iframe', url: 'https://login.example.org/' }, waitingForDebugger: true });
    contents.debugger.message('Target.attachedToTarget', { sessionId: 'worker-1', targetInfo: { type: 'worker', url: 'https://www.example.be/w.js' }, waitingForDebugger: true });
    expect(contents.debugger.sentTo('frame-1')).toEqual(guardCommandsFor('frame').map((command) => command.method));
    expect(contents.debugger.sentTo('frame-1').at(-1)).toBe('Runtime.runIfWaitingForDebugger');
    expect(contents.debugger.sentTo('worker-1')).toEqual(['Runtime.runIfWaitingForDebugger']);
    contents.debugger.message('Page.fileChooserOpened', { frameId: 'inner', mode: 'selectMultiple', backendNodeId: 11 }, 'frame-1');
    expect(events.fileChoosers).toEqual([{ requestId: expect.any(String), multiple: true, serviceId: 'taxes' }]);
    expect(events.refusals).toEqual([]);
  });

  it('falls back to interception without `cancel` where the protocol does not know it, and stays open', async () => {
    const parts = buildShellParts({
      prepareView: (view) => view.webContents.debugger.failing.push({ method: 'Page.setInterceptFileChooserDialog', when: (params) => (params as { cancel?: boolean }).cancel === true }),
    });
    await parts.sessions.begin('fr');
    await parts.presenter.open(testService('taxes'));
    await flush();
    const contents = parts.views[0]!.webContents;
    const intercepts = contents.debugger.commands.filter((command) => command.method === 'Page.setInterceptFileChooserDialog');
    expect(intercepts.map((command) => command.params)).toEqual([{ enabled: true, cancel: true }, { enabled: true }]);
    expect(parts.events.ended).toEqual([]);
    expect(parts.host.children).toEqual([parts.views[0]]);
  });

  it('takes the page off the screen when a guard command fails', async () => {
    const { contents, events, host, presenter } = await openTaxes();
    contents.debugger.failing.push({ method: 'Page.addScriptToEvaluateOnNewDocument' });
    contents.debugger.message('Target.attachedToTarget', { sessionId: 'frame-3', targetInfo: { type: 'iframe' }, waitingForDebugger: true });
    await flush();
    await presenter.close();
    expect(events.ended).toEqual([['taxes', 'unguarded']]);
    expect(host.children).toEqual([]);
    expect(contents.isDestroyed()).toBe(true);
  });

  it('takes the page off the screen when the protocol connection cannot be opened', async () => {
    const parts = buildShellParts({ prepareView: (view) => (view.webContents.debugger.refuseAttach = true) });
    await parts.sessions.begin('fr');
    await parts.presenter.open(testService('taxes'));
    await parts.presenter.close();
    expect(parts.events.ended).toEqual([['taxes', 'unguarded']]);
    expect(parts.views[0]!.webContents.isDestroyed()).toBe(true);
  });

  it('takes the page off the screen when the protocol connection ends while it is shown', async () => {
    const { contents, events, presenter } = await openTaxes();
    contents.debugger.detach('replaced by another client');
    await presenter.close();
    expect(events.ended).toEqual([['taxes', 'unguarded']]);
    expect(contents.isDestroyed()).toBe(true);
  });

  it('expects the protocol connection to end when the kiosk itself closes the page', async () => {
    const { contents, events, presenter } = await openTaxes();
    await presenter.close();
    contents.debugger.detach('target closed');
    await presenter.close();
    expect(events.ended).toEqual([]);
  });
});

/** The test configuration with `options` on the taxes service. */
function taxesWith(options: Partial<Pick<Service, 'printing' | 'downloads' | 'uploads'>>): Service {
  const services = TEST_CONFIG_INPUT.services.map((service) => (service.id === 'taxes' ? { ...service, ...options } : service));
  return testService('taxes', testConfig({ ...TEST_CONFIG_INPUT, services }));
}

async function openService(service: Service) {
  const parts = setUp();
  await parts.sessions.begin('fr');
  await parts.presenter.open(service);
  const contents = parts.views.at(-1)!.webContents;
  const askToPrint = (sessionId?: string) => contents.debugger.message('Runtime.bindingCalled', { name: PRINT_REQUEST_BINDING, payload: 'print', executionContextId: 3 }, sessionId);
  return { ...parts, contents, askToPrint };
}

describe('ElectronServicePresenter: the service\'s "printing" option', () => {
  it('is off by default: print() is refused and the launcher told, no dialog', async () => {
    expect(testService('taxes').printing).toBe(false);
    const { contents, events, askToPrint } = await openService(testService('taxes'));
    askToPrint();
    expect(events.refusals).toEqual([['taxes', 'print']]);
    expect(contents.prints).toEqual([]);
  });

  it('on: the kiosk opens the system\'s print dialog for the page, never a silent print, and refuses nothing', async () => {
    const { contents, events, askToPrint, log } = await openService(taxesWith({ printing: true }));
    askToPrint();
    expect(contents.prints.map((call) => call.options)).toEqual([{ silent: false, printBackground: true }]);
    expect(SERVICE_PRINT_OPTIONS.silent).toBe(false);
    expect(events.refusals).toEqual([]);
    expect(log).toContain('service "taxes": opened the print dialog');
  });

  it('on: the page keeps its guards, so print() in every frame still comes through the kiosk', async () => {
    const { contents, askToPrint } = await openService(taxesWith({ printing: true }));
    expect(contents.debugger.sentTo(undefined)).toEqual(guardCommandsFor('page').map((command) => command.method));
    contents.debugger.message('Target.attachedToTarget', { sessionId: 'frame-1', targetInfo: { type: 'iframe' }, waitingForDebugger: true });
    expect(contents.debugger.sentTo('frame-1')).toEqual(guardCommandsFor('frame').map((command) => command.method));
    askToPrint('frame-1');
    expect(contents.prints).toHaveLength(1);
  });

  it('on: one dialog at a time; once the visitor closed it, print() opens it again', async () => {
    const { contents, askToPrint, log } = await openService(taxesWith({ printing: true }));
    askToPrint();
    askToPrint();
    expect(contents.prints).toHaveLength(1);
    expect(log).toContain('service "taxes": a print dialog is already open');
    contents.finishPrint(false);
    expect(log).toContain('service "taxes": nothing printed (Print job canceled)');
    askToPrint();
    expect(contents.prints).toHaveLength(2);
  });

  it('on: opens no dialog for a page no longer on screen', async () => {
    const { contents, presenter, askToPrint, events } = await openService(taxesWith({ printing: true }));
    await presenter.close();
    askToPrint();
    expect(contents.prints).toEqual([]);
    expect(events.refusals).toEqual([]);
  });

  it('on: a print dialog that cannot be opened is logged and does not block the next one', async () => {
    const { contents, askToPrint, log } = await openService(taxesWith({ printing: true }));
    const print = contents.print.bind(contents);
    contents.print = () => {
      throw new Error('no print backend');
    };
    askToPrint();
    expect(log).toContain('service "taxes": the print dialog could not be opened (no print backend)');
    contents.print = print;
    askToPrint();
    expect(contents.prints).toHaveLength(1);
  });

  it('is read when the service opens: a service reopened with printing off refuses again', async () => {
    const parts = setUp();
    await parts.sessions.begin('fr');
    await parts.presenter.open(taxesWith({ printing: true }));
    await parts.presenter.open(taxesWith({ printing: false }));
    const contents = parts.views.at(-1)!.webContents;
    contents.debugger.message('Runtime.bindingCalled', { name: PRINT_REQUEST_BINDING, payload: 'print', executionContextId: 3 });
    expect(contents.prints).toEqual([]);
    expect(parts.events.refusals).toEqual([['taxes', 'print']]);
  });
});

describe('ElectronServicePresenter: the service\'s "uploads" and "downloads" options', () => {
  const chooserOpened = (contents: FakeWebContents) => contents.debugger.message('Page.fileChooserOpened', { frameId: 'main', mode: 'selectSingle', backendNodeId: 7 });
  const interception = (contents: FakeWebContents) => contents.debugger.commands.filter((command) => command.method === 'Page.setInterceptFileChooserDialog').map((command) => command.params);

  it('uploads on (the default): the picker never opens; the launcher is asked to offer "My files", nothing is refused', async () => {
    expect(testService('taxes').uploads).toBe(true);
    const { contents, events, log } = await openService(testService('taxes'));
    expect(interception(contents)).toEqual([{ enabled: true, cancel: true }]);
    chooserOpened(contents);
    expect(events.fileChoosers).toEqual([{ requestId: expect.any(String), multiple: false, serviceId: 'taxes' }]);
    expect(events.refusals).toEqual([]);
    expect(log).toContain('service "taxes": offered the visitor\'s files to a file chooser');
  });

  it('uploads off: the picker is intercepted the same way, answered with nothing and refused', async () => {
    const { contents, events, log } = await openService(taxesWith({ uploads: false }));
    expect(interception(contents)).toEqual([{ enabled: true, cancel: true }]);
    chooserOpened(contents);
    expect(events.refusals).toEqual([['taxes', 'file-picker']]);
    expect(log).toContain('service "taxes": refused a file picker (uploads are off for this service)');
    expect(events.fileChoosers).toEqual([]);
    expect(contents.debugger.commands.map((command) => command.method)).not.toContain('DOM.setFileInputFiles');
  });

  it('downloads: the rule of the service on screen, as configured when it opened; nothing on screen keeps nothing', async () => {
    const parts = setUp();
    await parts.sessions.begin('fr');
    expect(parts.presenter.serviceOnScreenAllowsDownloads()).toBe(false);
    await parts.presenter.open(testService('taxes'));
    expect(parts.presenter.serviceOnScreenAllowsDownloads()).toBe(true);
    await parts.presenter.open(taxesWith({ downloads: false }));
    expect(parts.presenter.serviceOnScreenAllowsDownloads()).toBe(false);
    await parts.presenter.close();
    expect(parts.presenter.serviceOnScreenAllowsDownloads()).toBe(false);
  });
});

describe('zoomCorrection: when a service page must be zoomed again', () => {
  it('leaves a page that already shows the wanted zoom alone, to Chromium\'s rounding', () => {
    for (const size of TEXT_SIZES) {
      const wanted = zoomFactorOf(size);
      expect(zoomCorrection(wanted, wanted)).toBeNull();
      // Chromium keeps a level, log base 1.2 of the factor: read back, the factor may differ in its last digits.
      expect(zoomCorrection(1.2 ** (Math.log(wanted) / Math.log(1.2)), wanted)).toBeNull();
      expect(zoomCorrection(wanted + 0.0004, wanted)).toBeNull();
    }
  });

  it('asks for the wanted zoom when the page shows any other', () => {
    expect(zoomCorrection(1, 1.5)).toBe(1.5);
    expect(zoomCorrection(2, 1)).toBe(1);
    expect(zoomCorrection(1.1, 1)).toBe(1);
    expect(zoomCorrection(1.252, 1.25)).toBe(1.25);
  });

  it('asks for the wanted zoom when the page\'s zoom cannot be read as a number', () => {
    expect(zoomCorrection(Number.NaN, 1)).toBe(1);
    expect(zoomCorrection(Number.POSITIVE_INFINITY, 2)).toBe(2);
  });
});

describe('serviceViewPreferences', () => {
  it('adds only the zoom to the locked preferences: manual zoom mode, the text size\'s factor', () => {
    expect(serviceViewPreferences('visitor-1', 1.5)).toEqual({ ...LOCKED_WEB_PREFERENCES, partition: 'visitor-1', zoomMode: 'manual', zoomFactor: 1.5 });
  });

  it('still refuses a partition that is not a named in-memory one', () => {
    expect(() => serviceViewPreferences('', 1)).toThrow(/named in-memory partition/);
    expect(() => serviceViewPreferences('persist:visitor', 1)).toThrow(/named in-memory partition/);
  });
});

describe('ElectronServicePresenter: the visitor\'s text size zooms the service pages', () => {
  it('opens a service at the zoom of the text size in force, from its first paint', async () => {
    for (const size of TEXT_SIZES) {
      const { presenter, views, sessions } = setUp();
      await sessions.begin('fr');
      presenter.setTextSize(size);
      await presenter.open(testService('taxes'));
      const view = views[0]!;
      expect(view.webPreferences).toMatchObject({ zoomMode: 'manual', zoomFactor: zoomFactorOf(size) });
      expect(view.webContents.getZoomFactor()).toBe(zoomFactorOf(size));
    }
  });

  it('zooms the page on screen when the text size changes, and only then', async () => {
    const { presenter, contents } = await openTaxes();
    expect(contents.zoomFactorsSet).toEqual([]);
    presenter.setTextSize(125);
    presenter.setTextSize(125);
    presenter.setTextSize(200);
    presenter.setTextSize(100);
    expect(contents.zoomFactorsSet).toEqual([1.25, 2, 1]);
    expect(contents.getZoomFactor()).toBe(1);
  });

  it('keeps the zoom through navigations where Chromium keeps it, without setting it again', async () => {
    const { presenter, contents } = await openTaxes();
    presenter.setTextSize(150);
    contents.commitNavigation('https://www.example.be/step-2');
    contents.commitNavigation('https://www.example.be/step-2#form', 'in-page');
    expect(contents.zoomFactorsSet).toEqual([1.5]);
    expect(contents.getZoomFactor()).toBe(1.5);
  });

  it('puts the zoom back after a navigation, of the document or in the page, that reset it', async () => {
    const { presenter, contents } = await openTaxes();
    presenter.setTextSize(200);
    contents.zoomBehaviour = 'reset';
    contents.commitNavigation('https://login.example.org/auth');
    expect(contents.getZoomFactor()).toBe(2);
    contents.commitNavigation('https://login.example.org/auth#step', 'in-page');
    expect(contents.getZoomFactor()).toBe(2);
    expect(contents.zoomFactorsSet).toEqual([2, 2, 2]);
  });

  it('puts back the zoom of a page whose first navigation came after the text size changed', async () => {
    // Electron drops a zoom set before the page's first navigation commits (zoom modes that persist, #53225).
    const { presenter, contents } = await openTaxes();
    presenter.setTextSize(125);
    contents.zoomFactor = 1;
    contents.commitNavigation('https://www.example.be/start');
    expect(contents.getZoomFactor()).toBe(1.25);
  });

  it('refuses the page\'s own zoom: a Ctrl+wheel that moved it is undone, one that did not changes nothing', async () => {
    const { presenter, contents } = await openTaxes();
    presenter.setTextSize(150);
    contents.wheelZoom('in');
    expect(contents.zoomFactorsSet).toEqual([1.5]);
    contents.zoomBehaviour = 'followed';
    contents.wheelZoom('in');
    contents.wheelZoom('out');
    contents.wheelZoom('out');
    expect(contents.getZoomFactor()).toBe(1.5);
    expect(contents.zoomFactorsSet).toEqual([1.5, 1.5, 1.5, 1.5]);
  });

  it('leaves a page no longer on screen, and a closed one, alone', async () => {
    const { presenter, views, sessions } = setUp();
    await sessions.begin('fr');
    await presenter.open(testService('taxes'));
    await presenter.open(testService('library'));
    const [replaced, shown] = [views[0]!.webContents, views[1]!.webContents];
    replaced.zoomBehaviour = 'reset';
    presenter.setTextSize(200);
    replaced.commitNavigation('https://www.example.be/late');
    expect(replaced.zoomFactorsSet).toEqual([]);
    expect(shown.zoomFactorsSet).toEqual([2]);
    await presenter.close();
    presenter.setTextSize(100);
    shown.commitNavigation('https://library.example.be/late');
    expect(shown.zoomFactorsSet).toEqual([2]);
  });

  it('opens the next service at the size in force, and back at normal size once the session reset it', async () => {
    const { presenter, views, sessions } = setUp();
    await sessions.begin('fr');
    presenter.setTextSize(200);
    await presenter.open(testService('taxes'));
    // The session ended: its snapshot brings the defaults.
    presenter.setTextSize(100);
    await presenter.open(testService('library'));
    expect(views.map((view) => view.webPreferences.zoomFactor)).toEqual([2, 1]);
    expect(views[1]!.webContents.getZoomFactor()).toBe(1);
  });

  it('ignores a text size that is not one of the steps, and says so', async () => {
    const { presenter, contents, log, views } = await openTaxes();
    presenter.setTextSize(150);
    presenter.setTextSize(175 as TextSize);
    presenter.setTextSize(Number.NaN as TextSize);
    expect(contents.zoomFactorsSet).toEqual([1.5]);
    expect(log.filter((line) => /is not one of the kiosk's steps/.test(line))).toHaveLength(2);
    await presenter.open(testService('library'));
    expect(views.at(-1)!.webPreferences.zoomFactor).toBe(1.5);
  });

  it('logs a zoom that cannot be set, and keeps the service open', async () => {
    const { presenter, contents, log, host } = await openTaxes();
    contents.setZoomFactor = () => {
      throw new Error('the page is going away');
    };
    presenter.setTextSize(125);
    expect(log).toContain('service "taxes": its zoom could not be set (the page is going away)');
    expect(host.children).toHaveLength(1);
  });
});

describe('ElectronServicePresenter: context menu, input, crashes', () => {
  const flags = (canCut: boolean, canCopy: boolean, canPaste: boolean) => ({ canUndo: false, canRedo: false, canCut, canCopy, canPaste, canDelete: false, canSelectAll: true, canEditRichly: false });

  it('offers cut, copy and paste in a text field, copy on a selection, and nothing elsewhere', async () => {
    const { contents, events } = await openTaxes();
    contents.emit('context-menu', {}, { isEditable: true, selectionText: '', editFlags: flags(false, false, true) });
    contents.emit('context-menu', {}, { isEditable: false, selectionText: 'reference 123', editFlags: flags(false, true, false) });
    contents.emit('context-menu', {}, { isEditable: false, selectionText: '', editFlags: flags(false, false, false) });
    expect(events.menus).toEqual([
      [
        { role: 'cut', enabled: false },
        { role: 'copy', enabled: false },
        { role: 'paste', enabled: true },
      ],
      [{ role: 'copy', enabled: true }],
    ]);
  });

  it('passes the visitor\'s input on to the idle counter', async () => {
    const { contents, events } = await openTaxes();
    contents.input('keyDown');
    contents.input('mouseWheel');
    expect(events.inputs).toEqual(['keyDown', 'mouseWheel']);
  });

  it('closes a service whose page crashed, and says so', async () => {
    const { contents, events, host, presenter } = await openTaxes();
    contents.crash('oom');
    await presenter.close();
    expect(events.ended).toEqual([['taxes', 'crashed']]);
    expect(host.children).toEqual([]);
    expect(contents.isDestroyed()).toBe(true);
  });

  it('ends a page that stays unresponsive past the grace period, not one that recovers', async () => {
    const { contents, events, clock, presenter } = await openTaxes();
    contents.emit('unresponsive');
    clock.advance(UNRESPONSIVE_GRACE_MS - 1);
    contents.emit('responsive');
    clock.advance(UNRESPONSIVE_GRACE_MS);
    expect(contents.crashedOnPurpose).toBe(0);
    contents.emit('unresponsive');
    clock.advance(UNRESPONSIVE_GRACE_MS);
    await presenter.close();
    expect(contents.crashedOnPurpose).toBe(1);
    expect(events.ended).toEqual([['taxes', 'crashed']]);
  });
});

describe('the configuration the presenter is tested with', () => {
  it('has the services used above', () => {
    expect(testConfig().services.map((service) => service.id)).toEqual(['taxes', 'library', 'doctor']);
  });
});

describe('ElectronServicePresenter: "My files" given to a page\'s file chooser (uploads on)', () => {
  /** The visitor's downloads, finished unless named in `stillDownloading`. */
  async function visitorWithFiles(names: string[], stillDownloading: string[] = []) {
    const parts = setUp();
    await parts.sessions.begin('fr');
    await parts.presenter.open(testService('taxes'));
    const contents = parts.views[0]!.webContents;
    const session = parts.partitions.get(parts.sessions.currentPartition()!)!;
    for (const name of [...names, ...stillDownloading]) {
      const item = new FakeDownloadItem(name, 10);
      expect(startDownload(session, item, contents)).toBe(false);
      item.progress(10);
      if (!stillDownloading.includes(name)) item.complete();
    }
    // buildShellParts' downloads root: the visitor's folder is named after their partition.
    const folder = path.join('/nonexistent/epn-kiosk-test/visitor-downloads', session.partition);
    const given = () => contents.debugger.commands.filter((command) => command.method === 'DOM.setFileInputFiles');
    const openChooser = (mode: 'selectSingle' | 'selectMultiple', sessionId?: string, backendNodeId: number | null = 7) => {
      contents.debugger.message('Page.fileChooserOpened', { frameId: 'main', mode, ...(backendNodeId === null ? {} : { backendNodeId }) }, sessionId);
      return parts.events.fileChoosers.at(-1)!.requestId;
    };
    return { ...parts, contents, folder, given, openChooser };
  }

  it('gives the chosen files, by absolute path inside the visitor\'s folder, to the input that asked', async () => {
    const { presenter, folder, given, openChooser, log } = await visitorWithFiles(['attestation.pdf', 'photo.jpg']);
    const requestId = openChooser('selectMultiple');
    await presenter.chooseFiles(requestId, ['photo.jpg', 'attestation.pdf']);
    expect(given()).toEqual([
      { method: 'DOM.setFileInputFiles', params: { files: [path.join(folder, 'photo.jpg'), path.join(folder, 'attestation.pdf')], backendNodeId: 7 }, sessionId: undefined },
    ]);
    expect(log).toContain('service "taxes": gave 2 of the visitor\'s files to a file chooser');
    expect(log.join('\n')).not.toContain('photo.jpg');
  });

  it('answers a frame\'s chooser in that frame\'s protocol session', async () => {
    const { presenter, folder, given, openChooser } = await visitorWithFiles(['attestation.pdf']);
    const requestId = openChooser('selectSingle', 'frame-1', 23);
    await presenter.chooseFiles(requestId, ['attestation.pdf']);
    expect(given()).toEqual([{ method: 'DOM.setFileInputFiles', params: { files: [path.join(folder, 'attestation.pdf')], backendNodeId: 23 }, sessionId: 'frame-1' }]);
  });

  it('cancel (no names): nothing is given and the chooser is closed', async () => {
    const { presenter, given, openChooser } = await visitorWithFiles(['attestation.pdf']);
    const requestId = openChooser('selectSingle');
    await presenter.chooseFiles(requestId, []);
    expect(given()).toEqual([]);
    await expect(presenter.chooseFiles(requestId, ['attestation.pdf'])).rejects.toThrow('no longer open');
    expect(given()).toEqual([]);
  });

  it('refuses a path, a name of no download, a file still downloading, and two files for a one-file input; the chooser stays open', async () => {
    const { presenter, given, openChooser } = await visitorWithFiles(['attestation.pdf', 'photo.jpg'], ['big.iso']);
    const requestId = openChooser('selectSingle');
    await expect(presenter.chooseFiles(requestId, ['../../config.json'])).rejects.toThrow('not one of the visitor\'s files');
    await expect(presenter.chooseFiles(requestId, ['/etc/passwd'])).rejects.toThrow('not one of the visitor\'s files');
    await expect(presenter.chooseFiles(requestId, ['big.iso'])).rejects.toThrow('still downloading');
    await expect(presenter.chooseFiles(requestId, ['attestation.pdf', 'photo.jpg'])).rejects.toThrow('one file only');
    await expect(presenter.chooseFiles('another-id', ['attestation.pdf'])).rejects.toThrow('no longer open');
    expect(given()).toEqual([]);
    await presenter.chooseFiles(requestId, ['attestation.pdf']);
    expect(given()).toHaveLength(1);
  });

  it('one chooser at a time: another one while it is open is left cancelled, the next after the answer is offered', async () => {
    const { presenter, events, openChooser, log } = await visitorWithFiles([]);
    const first = openChooser('selectSingle');
    openChooser('selectMultiple');
    expect(events.fileChoosers.map((request) => request.requestId)).toEqual([first]);
    expect(log).toContain('service "taxes": a file chooser is already open; the page\'s next one was left cancelled');
    await presenter.chooseFiles(first, []);
    const second = openChooser('selectMultiple');
    expect(second).not.toBe(first);
    expect(events.fileChoosers).toHaveLength(2);
  });

  it('a chooser left open is cancelled when the service closes, and when the session ends', async () => {
    const closing = await visitorWithFiles(['attestation.pdf']);
    const closedWithService = closing.openChooser('selectSingle');
    await closing.presenter.close();
    await expect(closing.presenter.chooseFiles(closedWithService, ['attestation.pdf'])).rejects.toThrow('no longer open');
    expect(closing.log).toContain('service "taxes": a file chooser left open was cancelled with the service');

    const ending = await visitorWithFiles(['attestation.pdf']);
    const closedWithSession = ending.openChooser('selectSingle');
    await ending.sessions.wipe('visitor');
    await expect(ending.presenter.chooseFiles(closedWithSession, ['attestation.pdf'])).rejects.toThrow('no longer open');
    expect(closing.given()).toEqual([]);
    expect(ending.given()).toEqual([]);
  });

  it('a page no longer on screen offers nothing', async () => {
    const { presenter, contents, events } = await visitorWithFiles([]);
    await presenter.open(testService('library'));
    contents.debugger.message('Page.fileChooserOpened', { frameId: 'main', mode: 'selectSingle', backendNodeId: 7 });
    expect(events.fileChoosers).toEqual([]);
    expect(events.refusals).toEqual([]);
  });

  it('says so when the files cannot be given: no input named, or the page refused them', async () => {
    const { presenter, contents, openChooser } = await visitorWithFiles(['attestation.pdf']);
    const unnamed = openChooser('selectSingle', undefined, null);
    await expect(presenter.chooseFiles(unnamed, ['attestation.pdf'])).rejects.toThrow('named no input');
    contents.debugger.failing.push({ method: 'DOM.setFileInputFiles' });
    const gone = openChooser('selectSingle');
    await expect(presenter.chooseFiles(gone, ['attestation.pdf'])).rejects.toThrow('could not be given to the page');
  });
});
