/**
 * Reading aloud in a real Chromium: what the visitor hears is taken from the screen as it
 * is drawn (renderer/display/), so these tests give the page a recording speech platform
 * (the Web Speech API's shape, installed before the page's scripts) with voices chosen per
 * test, and check what it was asked to say: the launcher's title and every tile, the name
 * of what the keyboard reaches, the idle warning, in the visitor's voice; nothing once it
 * is off; and the plain message when no voice speaks the visitor's language.
 */
import type { Page } from '@playwright/test';
import { expect, languageButton, test, tile } from './fixtures';
import { text, welcomeText } from './support/locales';

interface Spoken {
  readonly text: string;
  readonly voice: string | null;
}

/** A speech platform that records instead of speaking, with voices for `languages` (BCP 47 tags). */
async function installRecordingSpeech(page: Page, voiceTags: readonly string[]): Promise<void> {
  await page.addInitScript((tags: readonly string[]) => {
    const voices = tags.map((lang) => ({ lang, name: `voice ${lang}`, voiceURI: `voice-${lang}`, default: false, localService: true }));
    const spoken: { text: string; voice: string | null }[] = [];
    class RecordingUtterance {
      lang = '';
      voice: { lang: string } | null = null;
      constructor(readonly text: string) {}
    }
    const synthesis = Object.assign(new EventTarget(), {
      getVoices: () => voices,
      speak: (utterance: RecordingUtterance) => spoken.push({ text: utterance.text, voice: utterance.voice?.lang ?? null }),
      cancel: () => undefined,
    });
    Object.defineProperty(window, 'speechSynthesis', { value: synthesis, configurable: true });
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: RecordingUtterance, configurable: true });
    Object.defineProperty(window, '__spoken', { value: spoken });
  }, voiceTags);
}

function spoken(page: Page): Promise<Spoken[]> {
  return page.evaluate(() => [...(window as unknown as { __spoken: Spoken[] }).__spoken]);
}

test('reads the launcher in the visitor\'s voice, then what the keyboard reaches and the idle warning, and stops when off', async ({ page, kiosk }) => {
  await installRecordingSpeech(page, ['fr-BE', 'nl-BE']);
  await kiosk.openWelcome(page);
  await languageButton(page, 'fr').click();
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'launcher');
  expect(await spoken(page)).toEqual([]);

  const readAloud = page.getByRole('button', { name: text('fr', 'display.readAloud'), exact: true });
  await readAloud.click();
  await expect(readAloud).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await spoken(page)).map((said) => said.text)).toContain(text('fr', 'launcher.title'));
  const launcher = await spoken(page);
  expect(launcher.every((said) => said.voice === 'fr-BE')).toBe(true);
  for (const service of kiosk.services) expect(launcher.some((said) => said.text.startsWith(service.label.fr))).toBe(true);

  // The keyboard's focus is named as it moves.
  const before = (await spoken(page)).length;
  await tile(page, kiosk.frameable, 'fr').focus();
  await expect.poll(async () => (await spoken(page)).slice(before).map((said) => said.text)).toContain(kiosk.frameable.label.fr);

  // The idle warning is read when it comes.
  await kiosk.advance(kiosk.timings.idleMs);
  await expect(page.getByRole('alertdialog', { name: text('fr', 'idle.title') })).toBeVisible();
  await expect.poll(async () => (await spoken(page)).map((said) => said.text)).toContain(text('fr', 'idle.title'));
  await page.getByRole('button', { name: text('fr', 'idle.stillHere') }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  await readAloud.click();
  await expect(readAloud).toHaveAttribute('aria-pressed', 'false');
  const silentFrom = (await spoken(page)).length;
  await page.getByRole('button', { name: text('fr', 'toolbar.endSession'), exact: true }).click();
  await expect(page.getByRole('alertdialog', { name: text('fr', 'endSession.question') })).toBeVisible();
  expect((await spoken(page)).length).toBe(silentFrom);
});

test('says plainly that it cannot read aloud in the visitor\'s language, and the switch stays off', async ({ page, kiosk }) => {
  await installRecordingSpeech(page, ['fr-BE']);
  await kiosk.openWelcome(page);
  await languageButton(page, 'nl').click();
  await expect(page.locator('html')).toHaveAttribute('data-screen', 'launcher');

  const readAloud = page.getByRole('button', { name: text('nl', 'display.readAloud'), exact: true });
  await readAloud.click();
  const notice = page.getByRole('alertdialog', { name: text('nl', 'display.readAloud') });
  await expect(notice).toContainText(text('nl', 'display.noVoice'));
  await notice.getByRole('button', { name: text('nl', 'display.ok') }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(readAloud).toHaveAttribute('aria-pressed', 'false');
  expect(await spoken(page)).toEqual([]);
});

test('the welcome screen\'s Listen says each language\'s invitation in its own voice', async ({ page, kiosk }) => {
  await installRecordingSpeech(page, ['fr-BE', 'nl-BE', 'en-GB']);
  await kiosk.openWelcome(page);
  await page.getByRole('button', { name: welcomeText('fr', 'listen') }).click();
  await expect.poll(async () => (await spoken(page)).map((said) => said.voice)).toEqual(['fr-BE', 'nl-BE', 'en-GB']);
  const said = await spoken(page);
  expect(said[1]!.text).toContain(welcomeText('nl', 'chooseLanguage'));
  // German is offered, but no voice speaks it: it is skipped, not read in another language's voice.
  expect(said.some((part) => part.text.includes(welcomeText('de', 'chooseLanguage')))).toBe(false);
});
