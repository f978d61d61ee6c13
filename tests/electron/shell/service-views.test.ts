import { describe, expect, it } from 'vitest';
import { decideNavigation } from '../../../shared/navigation-policy';
import { ElectronServicePresenter, guardServiceNavigation } from '../../../electron/shell/service-views';
import { ElectronVisitorSessions } from '../../../electron/shell/visitor-sessions';
import { LOCKED_WEB_PREFERENCES } from '../../../electron/shell/web-preferences';
import { FakeSession, FakeView, FakeViewHost, FakeWebContents, navigationEvent } from './fake-electron';
import { testConfig, testService } from './shell-fixtures';

function setUp() {
  const host = new FakeViewHost();
  const views: FakeView[] = [];
  const sessionsByPartition = new Map<string, FakeSession>();
  const fromPartition = (name: string) => {
    const session = sessionsByPartition.get(name) ?? new FakeSession(name, name.startsWith('persist:'));
    sessionsByPartition.set(name, session);
    return session;
  };
  const log: string[] = [];
  let hostAvailable = true;
  const presenterHolder: { presenter?: ElectronServicePresenter<FakeView> } = {};
  const sessions = new ElectronVisitorSessions({ fromPartition, closeServiceViews: () => presenterHolder.presenter!.close(), log: (line) => log.push(line) });
  const presenter = new ElectronServicePresenter<FakeView>({
    createView: (webPreferences) => {
      const view = new FakeView(webPreferences, new FakeWebContents(fromPartition(webPreferences.partition!)));
      views.push(view);
      return view;
    },
    host: () => (hostAvailable ? host : undefined),
    partitionForServiceView: () => sessions.partitionForServiceView(),
    log: (line) => log.push(line),
  });
  presenterHolder.presenter = presenter;
  return {
    host,
    views,
    presenter,
    sessions,
    log,
    removeHost: () => {
      hostAvailable = false;
    },
  };
}

describe('ElectronServicePresenter.open', () => {
  it('shows the service in a view of the visitor\'s in-memory partition, with no preload and the locked preferences', async () => {
    const { presenter, sessions, views, host } = setUp();
    await sessions.begin('fr');
    const answer = await presenter.open(testService('taxes'));
    expect(answer).toEqual({ presentation: 'kiosk-view', url: 'https://www.example.be/start' });
    expect(views).toHaveLength(1);
    const view = views[0]!;
    expect(view.webPreferences).toEqual({ ...LOCKED_WEB_PREFERENCES, partition: sessions.currentPartition() });
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

describe('the configuration the presenter is tested with', () => {
  it('has the services used above', () => {
    expect(testConfig().services.map((service) => service.id)).toEqual(['taxes', 'library']);
  });
});
