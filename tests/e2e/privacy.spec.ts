/**
 * Privacy, end to end: what a visitor types or visits never reaches the usage log.
 *
 * A visitor opens a loopback "service" with a form, types unique random tokens (canaries)
 * into its fields, sends the form (its text lands in the page's address and title),
 * moves the frame to an address carrying canaries in its query string and its fragment,
 * goes Home, opens another service, asks for help and ends the session. Then the raw
 * bytes of <dataDir>/usage.sqlite, its -wal and -shm files, and both exports (CSV and
 * JSON, asked through `stats:export` over HTTP as the statistics screen asks) must hold
 * no canary, no service address and no host:port, while they do hold what the figures
 * are made of: the service ids and the language.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Frame, Locator, Page } from '@playwright/test';
import type { Envelope, StatisticsExportFile, StatisticsSummary } from '../../shared/contract';
import type { LanguageCode } from '../../shared/languages';
import { expect, languageButton, test, tile, type Kiosk, type KioskService } from './fixtures';
import { text } from './support/locales';

test.use({ kioskOptions: { withFormService: true } });

const LANGUAGE: LanguageCode = 'nl';

/** A token that appears nowhere unless something copied it: letters and digits only, so no encoding can disguise it. */
function canary(label: string): string {
  return `canary${label}${randomBytes(12).toString('hex')}`;
}

function html(page: Page): Locator {
  return page.locator('html');
}

function toolbarButton(page: Page, key: 'home' | 'help' | 'endSession'): Locator {
  return page.getByRole('toolbar').getByRole('button', { name: text(LANGUAGE, `toolbar.${key}`), exact: true });
}

function serviceFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (frame === undefined) throw new Error('the service frame is not there');
  return frame;
}

/** A contract call over HTTP, as the screens make it. */
async function contractCall<T>(request: APIRequestContext, kiosk: Kiosk, channel: string, argument: unknown): Promise<T> {
  const response = await request.post(`${kiosk.url}api/contract/${encodeURIComponent(channel)}`, { data: { argument } });
  const envelope = (await response.json()) as Envelope<T>;
  if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.message}`);
  return envelope.value;
}

/** Days around the session clock's day, whatever the time zone of the machine that files the figures. */
function periodAround(kiosk: Kiosk): { from: string; to: string } {
  const day = (offsetDays: number) => new Date(kiosk.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(1) };
}

/** Every file of the usage log in the data folder (the database, its -wal and -shm, anything set aside), by name. */
function usageFiles(dataDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dataDir)) {
    if (name.startsWith('usage')) files.set(name, readFileSync(join(dataDir, name)));
  }
  return files;
}

function expectNoneOf(where: string, bytes: Buffer | string, secrets: readonly string[]): void {
  const haystack = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const found = secrets.filter((secret) => haystack.includes(Buffer.from(secret, 'utf8')) || haystack.includes(Buffer.from(secret, 'utf16le')));
  expect(found, `${where} holds what it must never hold`).toEqual([]);
}

async function openService(page: Page, service: KioskService): Promise<Frame> {
  await tile(page, service, LANGUAGE).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'service');
  await expect(page.frameLocator('iframe').getByRole('heading', { name: service.heading })).toBeVisible();
  return serviceFrame(page);
}

test('nothing a visitor types or visits reaches the usage log or its exports', async ({ page, kiosk }) => {
  const form = kiosk.form!;
  const typed = canary('typed');
  const sent = canary('sent');
  const inQuery = canary('query');
  const inFragment = canary('fragment');
  const secrets = [typed, sent, inQuery, inFragment];
  const formUrl = new URL(form.startUrl);
  // The services' addresses and where they listen: neither may be kept either.
  const addresses = [form.startUrl, formUrl.origin, ...kiosk.serviceHosts, ...kiosk.services.map((service) => service.startUrl)];

  await kiosk.openWelcome(page);
  await languageButton(page, LANGUAGE).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');

  // Typed into the page, key by key: one field never sent, one sent with the form.
  const frame = await openService(page, form);
  await frame.locator('#notes').pressSequentially(typed);
  await frame.locator('#search').pressSequentially(sent);
  await frame.getByRole('button', { name: 'Send' }).click();
  await expect(frame.locator('#received')).toHaveText(`You searched for: ${sent}`);
  expect(frame.url()).toContain(sent);
  await expect.poll(() => frame.evaluate(() => document.title)).toContain(sent);

  // The frame moved to an address with canaries in its query string and its fragment.
  const visited = `${formUrl.origin}/form?q=${inQuery}&ref=${inQuery}#${inFragment}`;
  await frame.goto(visited);
  await expect(frame.locator('#received')).toHaveText(`You searched for: ${inQuery}`);
  expect(frame.url()).toBe(visited);

  // Home, another service, Help, then the end of the session.
  await toolbarButton(page, 'home').click();
  await expect(html(page)).toHaveAttribute('data-screen', 'launcher');
  await openService(page, kiosk.frameable);
  await toolbarButton(page, 'help').click();
  const help = page.getByRole('dialog', { name: text(LANGUAGE, 'help.noChannelTitle') });
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: text(LANGUAGE, 'help.close') }).click();
  await toolbarButton(page, 'endSession').click();
  await page.getByRole('alertdialog').getByRole('button', { name: text(LANGUAGE, 'endSession.confirm') }).click();
  await expect(html(page)).toHaveAttribute('data-screen', 'erased');
  await kiosk.advance(kiosk.timings.erasedMs);
  await expect(html(page)).toHaveAttribute('data-screen', 'welcome');

  // The figures the statistics screen would show, read in staff mode (the first PIN opens it):
  // the session, its services, the help asked for, the language.
  await contractCall(page.request, kiosk, 'staff:setFirstPin', { pin: '2468' });
  const period = periodAround(kiosk);
  await expect
    .poll(async () => {
      const summary = await contractCall<StatisticsSummary>(page.request, kiosk, 'stats:summary', { ...period, groupBy: 'day' });
      return { sessions: summary.sessions, services: summary.services, help: summary.help.requests, languages: summary.languages };
    })
    .toEqual({
      sessions: 1,
      services: [
        { serviceId: form.id, openings: 1 },
        { serviceId: kiosk.frameable.id, openings: 1 },
      ],
      help: 1,
      languages: [{ language: LANGUAGE, sessions: 1 }],
    });

  // The search would find a canary written either way (a check that can find nothing proves nothing).
  expect(() => expectNoneOf('a check of the check', Buffer.from(`…${visited}…`, 'utf16le'), [inFragment])).toThrow();

  // The raw files while the kiosk runs: recent writes are in the -wal file.
  const whileRunning = usageFiles(kiosk.dataDir);
  expect([...whileRunning.keys()]).toEqual(expect.arrayContaining(['usage.sqlite', 'usage.sqlite-wal', 'usage.sqlite-shm']));
  for (const [name, bytes] of whileRunning) {
    expectNoneOf(name, bytes, secrets);
    expectNoneOf(name, bytes, addresses);
  }
  const database = Buffer.concat([whileRunning.get('usage.sqlite')!, whileRunning.get('usage.sqlite-wal')!]);
  expect(database.includes(Buffer.from(form.id)), 'the service id is recorded').toBe(true);

  // Both exports, as the statistics screen asks for them.
  const csv = await contractCall<StatisticsExportFile>(page.request, kiosk, 'stats:export', { ...period, format: 'csv' });
  const json = await contractCall<StatisticsExportFile>(page.request, kiosk, 'stats:export', { ...period, format: 'json' });
  for (const file of [csv, json]) {
    expectNoneOf(file.fileName, file.content, secrets);
    expectNoneOf(file.fileName, file.content, addresses);
    expect(file.content, `${file.fileName} names the services by id`).toContain(form.id);
    expect(file.content).toContain(kiosk.frameable.id);
  }
  expect(csv.content).toMatch(new RegExp(`,language,${LANGUAGE},`));
  const exported = JSON.parse(json.content) as { days: Array<{ languages: Record<string, unknown>; serviceOpenings: Record<string, unknown> }> };
  expect(exported.days.some((day) => LANGUAGE in day.languages && form.id in day.serviceOpenings)).toBe(true);

  // And once the kiosk has stopped and SQLite has folded the -wal file into the database.
  await kiosk.server.close();
  const afterClose = usageFiles(kiosk.dataDir);
  expect(afterClose.has('usage.sqlite')).toBe(true);
  for (const [name, bytes] of afterClose) {
    expectNoneOf(`${name} (after closing)`, bytes, secrets);
    expectNoneOf(`${name} (after closing)`, bytes, addresses);
  }
  expect(afterClose.get('usage.sqlite')!.includes(Buffer.from(form.id))).toBe(true);
});

