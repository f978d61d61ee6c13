/**
 * "Choose one of your files": a service page asked for a file (files:chooserOpened) and the
 * screens offer the visitor's "My files". The answer goes back by name (files:choose),
 * through the real handlers, to a recorded VisitorFiles.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import en from '../../locales/en/common.json';
import fr from '../../locales/fr/common.json';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { startTestKiosk } from './kiosk-harness';

type User = ReturnType<typeof userEvent.setup>;

const TEXTS = { en, fr } as const;

async function chooseLanguage(user: User, code: 'en' | 'fr') {
  const endonym = LANGUAGES.find((language) => language.code === code)!.endonym;
  await user.click(await screen.findByRole('button', { name: new RegExp(`^${endonym}`) }));
  await screen.findByRole('heading', { level: 1, name: TEXTS[code].launcher.title });
}

async function visitorOnTaxes(language: 'en' | 'fr', options: Parameters<typeof startTestKiosk>[0] = {}) {
  const user = userEvent.setup();
  const kiosk = startTestKiosk(options);
  await chooseLanguage(user, language);
  await user.click(screen.getByRole('button', { name: language === 'fr' ? 'Mes impôts' : 'My taxes' }));
  await screen.findByRole('toolbar');
  return { user, kiosk };
}

const FILES = [
  { name: 'attestation.pdf', sizeBytes: 1_200, inProgress: false },
  { name: 'photo.jpg', sizeBytes: 80_000, inProgress: false },
  { name: 'big.iso', sizeBytes: 0, inProgress: true },
];

function fileSize(language: LanguageCode, unit: 'kilobyte', value: number) {
  return new Intl.NumberFormat(language, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Choose one of your files', () => {
  it('one file: each finished file is a button that sends it by name; a file still downloading cannot be chosen', async () => {
    const { user, kiosk } = await visitorOnTaxes('fr');
    kiosk.setFiles(FILES);
    kiosk.openFileChooser({ requestId: 'r-1', multiple: false, serviceId: 'myminfin' });

    const dialog = screen.getByRole('dialog', { name: fr.files.chooser.title });
    expect(within(dialog).getByText(fr.files.chooser.intro.replace('{{service}}', 'Mes impôts'))).toBeTruthy();
    const buttons = within(dialog).getAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual([
      `attestation.pdf${fileSize('fr', 'kilobyte', 1.2)}`,
      `photo.jpg${fileSize('fr', 'kilobyte', 80)}`,
      `big.iso${fr.files.inProgress}`,
      fr.files.chooser.cancel,
    ]);
    expect((buttons[2] as HTMLButtonElement).disabled).toBe(true);
    // The safe choice has the focus first.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: fr.files.chooser.cancel }));

    await user.click(buttons[1]!);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(kiosk.files.choices).toEqual([{ requestId: 'r-1', names: ['photo.jpg'] }]);
  });

  it('several files: ticked files are sent together; the send button waits for a tick', async () => {
    const { user, kiosk } = await visitorOnTaxes('en');
    kiosk.setFiles(FILES);
    kiosk.openFileChooser({ requestId: 'r-2', multiple: true, serviceId: 'myminfin' });

    const dialog = screen.getByRole('dialog', { name: en.files.chooser.titleMultiple });
    const send = within(dialog).getByRole('button', { name: en.files.chooser.send }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    const boxes = within(dialog).getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes).toHaveLength(3);
    expect(boxes[2]!.disabled).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: /photo\.jpg/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /attestation\.pdf/ }));
    expect(send.disabled).toBe(false);
    await user.click(send);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // In the order they are listed.
    expect(kiosk.files.choices).toEqual([{ requestId: 'r-2', names: ['attestation.pdf', 'photo.jpg'] }]);
  });

  it('with no file yet, says how files get there; closing it sends nothing (an empty answer)', async () => {
    const { user, kiosk } = await visitorOnTaxes('en');
    kiosk.openFileChooser({ requestId: 'r-3', multiple: false, serviceId: 'myminfin' });
    const dialog = screen.getByRole('dialog', { name: en.files.chooser.title });
    expect(within(dialog).getByText(en.files.chooser.none)).toBeTruthy();
    expect(within(dialog).queryAllByRole('listitem')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: en.files.chooser.close }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(kiosk.files.choices).toEqual([{ requestId: 'r-3', names: [] }]));
  });

  it('Escape cancels, like the button', async () => {
    const { user, kiosk } = await visitorOnTaxes('en');
    kiosk.setFiles(FILES);
    kiosk.openFileChooser({ requestId: 'r-4', multiple: false, serviceId: 'myminfin' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(kiosk.files.choices).toEqual([{ requestId: 'r-4', names: [] }]));
  });

  it('a choice the main side could not give: the dialog stays and says so, to try again or cancel', async () => {
    const { user, kiosk } = await visitorOnTaxes('en');
    kiosk.setFiles(FILES);
    kiosk.files.chooseFailure = new Error('the page went away');
    kiosk.openFileChooser({ requestId: 'r-5', multiple: false, serviceId: 'myminfin' });
    await user.click(screen.getByRole('button', { name: /^attestation\.pdf/ }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', en.files.chooser.failed);
    kiosk.files.chooseFailure = null;
    await user.click(screen.getByRole('button', { name: /^attestation\.pdf/ }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(kiosk.files.choices.map((choice) => choice.names)).toEqual([['attestation.pdf'], ['attestation.pdf']]);
  });

  it('takes the service view off the screen while it is open, and gives it back after', async () => {
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 130, 1366, 638));
    const { user, kiosk } = await visitorOnTaxes('en', { presentation: 'kiosk-view' });
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 130, width: 1366, height: 638 }));
    kiosk.openFileChooser({ requestId: 'r-6', multiple: false, serviceId: 'myminfin' });
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 0, width: 0, height: 0 }));
    await user.click(screen.getByRole('button', { name: en.files.chooser.close }));
    await waitFor(() => expect(kiosk.presenter.areas.at(-1)).toEqual({ x: 0, y: 130, width: 1366, height: 638 }));
  });

  it('closes when the page that asked stopped working, and is never shown without a visitor', async () => {
    const { user, kiosk } = await visitorOnTaxes('en');
    kiosk.openFileChooser({ requestId: 'r-7', multiple: false, serviceId: 'myminfin' });
    kiosk.refuse('myminfin', 'page-ended');
    expect(screen.queryByRole('dialog', { name: en.files.chooser.title })).toBeNull();
    await user.click(screen.getByRole('button', { name: en.refusal.ok }));

    await user.click(screen.getByRole('button', { name: en.toolbar.endSession }));
    await user.click(screen.getByRole('button', { name: en.endSession.confirm }));
    await screen.findByRole('heading', { level: 1, name: en.session.erased });
    kiosk.openFileChooser({ requestId: 'r-8', multiple: false, serviceId: 'myminfin' });
    expect(screen.queryByRole('dialog', { name: en.files.chooser.title })).toBeNull();
  });
});
