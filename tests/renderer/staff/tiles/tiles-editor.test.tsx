/**
 * The tiles editor as staff use it, in English (the kiosk's default language is French,
 * so tiles are listed by their French names, as visitors see them by default).
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { parseKioskConfig, type KioskConfig } from '../../../../shared/config/schema';
import { VisitorPreview } from '../../../../renderer/staff/tiles/VisitorPreview';
import { parsedConfig, renderTilesEditor, staffI18n } from './tiles-harness';

const CONFIG: KioskConfig = parsedConfig({
  schemaVersion: 1,
  kiosk: { name: 'PC 3', site: 'EPN de Namur' },
  languages: { offered: ['fr', 'nl', 'de', 'en'], default: 'fr' },
  themes: [
    { id: 'administration', icon: 'building' },
    { id: 'health', icon: 'health' },
  ],
  services: [
    {
      id: 'myminfin',
      label: { fr: 'Mes impôts', nl: 'Mijn belastingen', de: 'Meine Steuern', en: 'My taxes' },
      theme: 'administration',
      icon: 'tax',
      startUrl: 'https://eservices.minfin.fgov.be/myminfin-web/',
      allowedDomains: ['minfin.fgov.be'],
    },
    {
      id: 'belgium-be',
      label: { fr: 'Infos et démarches', nl: 'Info en formaliteiten', en: 'Information and forms' },
      theme: 'administration',
      icon: 'document',
      startUrl: 'https://www.belgium.be/',
      allowedDomains: ['belgium.be'],
    },
    {
      id: 'masante',
      label: { fr: 'Ma santé', en: 'My health' },
      theme: 'health',
      icon: 'health',
      startUrl: 'https://www.masante.belgique.be/',
      allowedDomains: ['masante.belgique.be'],
      permissions: ['camera'],
    },
  ],
});

const textOf = (element: Element | null | undefined) => element?.textContent ?? '';
const isDisabled = (element: HTMLElement) => (element as HTMLButtonElement).disabled;
const isChecked = (element: HTMLElement) => (element as HTMLInputElement).checked;
const valueOf = (element: HTMLElement) => (element as HTMLInputElement).value;
/** The element's accessible description: the texts its aria-describedby names. */
const descriptionOf = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => (id === '' ? '' : textOf(document.getElementById(id))))
    .join(' ');

const ids = (config: KioskConfig) => config.services.map((service) => service.id);
const rows = () => within(screen.getByRole('list', { name: 'Tiles, in the order visitors see them' })).getAllByRole('listitem');
const rowOf = (id: string) => rows().find((row) => row.dataset.serviceId === id)!;

describe('the tiles list', () => {
  it('lists the tiles in order, by their name in the default language, with their place', () => {
    renderTilesEditor({ config: CONFIG });
    expect(rows().map((row) => row.dataset.serviceId)).toEqual(['myminfin', 'belgium-be', 'masante']);
    expect(textOf(rows()[0])).toContain('Mes impôts');
    expect(textOf(rows()[2])).toContain('3 of 3');
    expect(textOf(rows()[2])).toContain('Theme: Health');
  });

  it('moves a tile up and down with buttons, says where it went, and keeps the focus on it', async () => {
    const user = userEvent.setup();
    const editor = renderTilesEditor({ config: CONFIG });

    await user.click(screen.getByRole('button', { name: 'Move Infos et démarches up' }));
    expect(ids(editor.current())).toEqual(['belgium-be', 'myminfin', 'masante']);
    expect(textOf(screen.getByRole('status'))).toContain('Infos et démarches is now in position 1 of 3.');
    // At the top its "up" button is disabled, so the focus stays on the same tile's other move button.
    expect(isDisabled(screen.getByRole('button', { name: 'Move Infos et démarches up' }))).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move Infos et démarches down' }));

    await user.click(screen.getByRole('button', { name: 'Move Mes impôts down' }));
    expect(ids(editor.current())).toEqual(['belgium-be', 'masante', 'myminfin']);
    expect(isDisabled(screen.getByRole('button', { name: 'Move Mes impôts down' }))).toBe(true);
    expect(editor.changes).toHaveLength(2);
  });

  it('moves a tile by drag and drop, showing where it will land', () => {
    const editor = renderTilesEditor({ config: CONFIG });
    fireEvent.dragStart(rowOf('masante'));
    fireEvent.dragOver(rowOf('myminfin'), { clientY: 0 });
    expect((rowOf('myminfin')).classList.contains('tiles-row--drop-before')).toBe(true);
    fireEvent.drop(rowOf('myminfin'), { clientY: 0 });
    expect(ids(editor.current())).toEqual(['masante', 'myminfin', 'belgium-be']);
    expect(rows().some((row) => row.classList.contains('tiles-row--drop-before'))).toBe(false);
  });

  it('deletes a tile only once staff confirm, naming it', async () => {
    const user = userEvent.setup();
    const editor = renderTilesEditor({ config: CONFIG });

    await user.click(screen.getByRole('button', { name: 'Delete Mes impôts' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the tile “Mes impôts”?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'No, keep it' }));
    await user.click(within(dialog).getByRole('button', { name: 'No, keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(editor.changes).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Delete Mes impôts' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete Mes impôts' }));
    expect(ids(editor.current())).toEqual(['belgium-be', 'masante']);
    expect(textOf(screen.getByRole('status'))).toContain('Mes impôts was deleted.');
  });

  it('is read-only, with the IT department named, when the managed file sets the services', () => {
    const editor = renderTilesEditor({ config: CONFIG, lockedKeys: ['kiosk.name', 'services'] });
    expect(screen.getByText("Set by your organisation's IT department")).toBeTruthy();
    expect(rows()).toHaveLength(3);
    for (const name of [/^Move/, /^Edit/, /^Delete/, 'Add a tile']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(rows().every((row) => row.getAttribute('draggable') === 'false')).toBe(true);
    fireEvent.dragStart(rowOf('masante'));
    fireEvent.drop(rowOf('myminfin'), { clientY: 0 });
    expect(editor.changes).toHaveLength(0);
  });

  it('is read-only when the managed file sets one service field, and editable when it sets something else', () => {
    renderTilesEditor({ config: CONFIG, lockedKeys: ['services[1].label'] });
    expect(screen.queryByRole('button', { name: 'Add a tile' })).toBeNull();
  });

  it('is editable when the managed file sets other settings only', () => {
    renderTilesEditor({ config: CONFIG, lockedKeys: ['kiosk.name', 'servicesExtra'] });
    expect(screen.queryByText("Set by your organisation's IT department")).toBeNull();
    expect(isDisabled(screen.getByRole('button', { name: 'Add a tile' }))).toBe(false);
  });
});

describe('the tile form', () => {
  async function startNewTile() {
    const user = userEvent.setup();
    const editor = renderTilesEditor({ config: CONFIG });
    await user.click(screen.getByRole('button', { name: 'Add a tile' }));
    return { user, editor };
  }

  it('adds a tile at the end of the list, its id suggested from the label', async () => {
    const { user, editor } = await startNewTile();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'New tile' }));

    await user.type(screen.getByLabelText('Label in French'), 'Mon CPAS');
    expect(valueOf(screen.getByLabelText('Tile code'))).toBe('mon-cpas');
    await user.type(screen.getByLabelText('Label in English'), 'My social centre');
    await user.selectOptions(screen.getByLabelText('Theme'), 'health');
    await user.click(screen.getByRole('radio', { name: 'People' }));
    await user.clear(screen.getByLabelText('Start address'));
    await user.type(screen.getByLabelText('Start address'), 'https://www.cpas-namur.be/rdv');
    await user.click(screen.getByRole('button', { name: 'Allow www.cpas-namur.be' }));
    await user.type(screen.getByLabelText('Website to allow'), 'agenda.example.be{Enter}');
    await user.click(screen.getByRole('checkbox', { name: 'Printing' }));
    await user.click(screen.getByRole('checkbox', { name: 'Downloads' }));
    await user.click(screen.getByRole('checkbox', { name: 'Camera' }));
    await user.click(screen.getByRole('checkbox', { name: 'Microphone' }));
    await user.click(screen.getByRole('button', { name: 'Save this tile' }));

    expect(ids(editor.current())).toEqual(['myminfin', 'belgium-be', 'masante', 'mon-cpas']);
    expect(editor.current().services[3]).toEqual({
      id: 'mon-cpas',
      label: { fr: 'Mon CPAS', en: 'My social centre' },
      theme: 'health',
      icon: 'people',
      startUrl: 'https://www.cpas-namur.be/rdv',
      allowedDomains: ['www.cpas-namur.be', 'agenda.example.be'],
      permissions: ['camera', 'microphone'],
      printing: true,
      downloads: false,
      uploads: true,
      UNSAFE_allowHttpHosts: [],
    });
    expect(parseKioskConfig(editor.current()).ok).toBe(true);
    expect(textOf(screen.getByRole('status'))).toContain('Mon CPAS was added.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit Mon CPAS' }));
  });

  it('refuses to save an incomplete tile and says beside each field what to do', async () => {
    const { user, editor } = await startNewTile();
    await user.click(screen.getByRole('button', { name: 'Save this tile' }));

    expect(textOf(screen.getByRole('alert'))).toContain('This tile cannot be saved yet.');
    expect(document.activeElement).toBe(screen.getByRole('alert'));
    expect(screen.getByText('Give the tile a label in at least one language.')).toBeTruthy();
    expect((screen.getByLabelText('Label in French')).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/^Type a full web address starting with https:\/\//)).toBeTruthy();
    expect(screen.getByText(/^Allow at least one website/)).toBeTruthy();
    expect(descriptionOf(screen.getByLabelText('Start address'))).toMatch(/Type a full web address starting with https:\/\//);

    await user.type(screen.getByLabelText('Label in French'), 'Un service');
    await user.clear(screen.getByLabelText('Tile code'));
    await user.type(screen.getByLabelText('Tile code'), 'myminfin');
    expect(screen.getByText('Another tile already uses the code “myminfin”. Choose another one.')).toBeTruthy();
    await user.clear(screen.getByLabelText('Tile code'));
    await user.type(screen.getByLabelText('Tile code'), 'Un Service');
    expect(screen.getByText(/^Use 1 to 40 lowercase letters/)).toBeTruthy();
    await user.clear(screen.getByLabelText('Tile code'));
    await user.type(screen.getByLabelText('Tile code'), 'un-service');

    await user.clear(screen.getByLabelText('Start address'));
    await user.type(screen.getByLabelText('Start address'), 'https://www.example.be/');
    await user.type(screen.getByLabelText('Website to allow'), 'not a website');
    await user.click(screen.getByRole('button', { name: 'Allow this website' }));
    expect(textOf(screen.getAllByRole('alert').at(-1)!)).toMatch(/^“not a website” is not a website name/);
    await user.clear(screen.getByLabelText('Website to allow'));
    await user.type(screen.getByLabelText('Website to allow'), 'other.be');
    await user.click(screen.getByRole('button', { name: 'Allow this website' }));
    // The start address must be allowed by the tile's own websites, as the kiosk decides it.
    expect(screen.getByText('Not allowed: www.example.be is not one of the allowed websites.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Save this tile' }));
    expect(editor.changes).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Allow www.example.be' }));
    expect(screen.queryByText('Not allowed: www.example.be is not one of the allowed websites.')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save this tile' }));
    expect(ids(editor.current())).toContain('un-service');
  });

  it('warns, for each offered language without a label, which label those visitors will see', async () => {
    const { user } = await startNewTile();
    expect(screen.queryByText(/^Visitors reading/)).toBeNull();
    await user.type(screen.getByLabelText('Label in French'), 'Ma commune');
    expect(screen.getByText('Visitors reading Deutsch will see the French label.')).toBeTruthy();
    expect(screen.getByText('Visitors reading Nederlands will see the French label.')).toBeTruthy();
    expect(screen.getByText('Visitors reading English will see the French label.')).toBeTruthy();
    expect(descriptionOf(screen.getByLabelText('Label in German'))).toMatch(/Visitors reading Deutsch will see the French label\./);

    await user.type(screen.getByLabelText('Label in German'), 'Meine Gemeinde');
    expect(screen.queryByText('Visitors reading Deutsch will see the French label.')).toBeNull();
    // Blank is missing too.
    await user.type(screen.getByLabelText('Label in Dutch'), '   ');
    expect(screen.getByText('Visitors reading Nederlands will see the French label.')).toBeTruthy();
  });

  it('edits an existing tile and cancels without changing the draft', async () => {
    const user = userEvent.setup();
    const editor = renderTilesEditor({ config: CONFIG });
    await user.click(screen.getByRole('button', { name: 'Edit Ma santé' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Edit the tile “Ma santé”' }));
    expect(valueOf(screen.getByLabelText('Tile code'))).toBe('masante');
    expect(isChecked(screen.getByRole('radio', { name: 'Health' }))).toBe(true);
    expect(isChecked(screen.getByRole('checkbox', { name: 'Camera' }))).toBe(true);
    expect(isChecked(screen.getByRole('checkbox', { name: 'Downloads' }))).toBe(true);
    // The id of an existing tile does not follow its label: the statistics count under it.
    await user.clear(screen.getByLabelText('Label in French'));
    await user.type(screen.getByLabelText('Label in French'), 'Santé');
    expect(valueOf(screen.getByLabelText('Tile code'))).toBe('masante');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(editor.changes).toHaveLength(0);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit Ma santé' }));

    await user.click(screen.getByRole('button', { name: 'Edit Ma santé' }));
    await user.click(screen.getByRole('checkbox', { name: 'Camera' }));
    await user.click(screen.getByRole('button', { name: 'Save this tile' }));
    expect(editor.current().services[2]).toMatchObject({ id: 'masante', permissions: [] });
  });

  it('answers "would this address be allowed?" with the kiosk\'s own decision on the unsaved tile', async () => {
    const user = userEvent.setup();
    renderTilesEditor({ config: CONFIG });
    await user.click(screen.getByRole('button', { name: 'Edit Mes impôts' }));
    const tester = screen.getByLabelText('Would this address be allowed?');
    const answer = () => screen.getByTestId('address-answer');

    await user.type(tester, 'https://eservices.minfin.fgov.be/myminfin-web/pages/x');
    expect(textOf(answer())).toContain('Allowed: visitors can open this address in this tile.');
    expect((answer()).getAttribute('data-allowed')).toBe('true');

    await user.clear(tester);
    await user.type(tester, 'https://www.google.com/search');
    expect(textOf(answer())).toContain('Not allowed: www.google.com is not one of the allowed websites.');
    expect((answer()).getAttribute('data-allowed')).toBe('false');

    await user.clear(tester);
    await user.type(tester, 'http://eservices.minfin.fgov.be/');
    expect(textOf(answer())).toContain('Not allowed: this address uses plain http, which is not secure. Use https://.');

    await user.clear(tester);
    await user.type(tester, 'https://minfin.fgov.be:8443/');
    expect(textOf(answer())).toContain('Not allowed: this address uses a port (8443) that is not in the allowed websites.');

    await user.clear(tester);
    await user.type(tester, 'file:///etc/passwd');
    expect(textOf(answer())).toContain('Not allowed: only web addresses starting with https:// open in the kiosk.');

    await user.clear(tester);
    await user.type(tester, 'taxes');
    expect(textOf(answer())).toContain('This is not a web address.');

    // The answer follows the websites staff are adding, before anything is saved.
    await user.type(screen.getByLabelText('Website to allow'), 'google.com');
    await user.click(screen.getByRole('button', { name: 'Allow this website' }));
    await user.clear(tester);
    await user.type(tester, 'https://www.google.com/search');
    expect(textOf(answer())).toContain('Allowed');
  });

  it('keeps plain-http websites behind an "Advanced (unsafe)" disclosure with a warning', async () => {
    const { user } = await startNewTile();
    const advanced = screen.getByText('Advanced (unsafe)').closest('details')!;
    expect((advanced).hasAttribute('open')).toBe(false);
    expect(within(advanced).getByText(/^Unsafe: what visitors type on these websites/)).toBeTruthy();
    await user.click(screen.getByText('Advanced (unsafe)'));
    await user.type(screen.getByLabelText('Website to allow over http'), '192.168.1.20');
    await user.click(screen.getByRole('button', { name: 'Allow over http' }));
    expect(screen.getByRole('button', { name: 'Remove 192.168.1.20 from http' })).toBeTruthy();
  });
});

describe('the visitor preview', () => {
  it('shows the unsaved draft as the launcher, in the chosen language, inert, under a "not saved" banner', async () => {
    const user = userEvent.setup();
    const editor = renderTilesEditor({ config: CONFIG });
    await user.click(screen.getByRole('button', { name: 'Move Infos et démarches up' }));
    cleanup();

    const onClose = vi.fn();
    render(
      <I18nextProvider i18n={staffI18n('en')}>
        <VisitorPreview config={editor.current()} language="nl" onClose={onClose} />
      </I18nextProvider>,
    );
    const preview = screen.getByRole('dialog', { name: 'Preview — not saved' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close the preview' }));
    const launcher = preview.querySelector<HTMLElement>('.visitor-preview-screen')!;
    expect(launcher.hasAttribute('inert')).toBe(true);
    expect(launcher.getAttribute('lang')).toBe('nl');
    const tiles = [...launcher.querySelectorAll<HTMLElement>('.tile')];
    // Grouped by theme as visitors see them, in the draft's order; a label missing in Dutch falls back to French.
    expect(tiles.map((tile) => tile.getAttribute('aria-label'))).toEqual(['Info en formaliteiten', 'Mijn belastingen', 'Ma santé']);

    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('speaks the visitor\'s language without changing the staff screen\'s, and closes with its button', async () => {
    const user = userEvent.setup();
    const i18n = staffI18n('en');
    const onClose = vi.fn();
    render(
      <I18nextProvider i18n={i18n}>
        <VisitorPreview config={CONFIG} language="de" onClose={onClose} />
      </I18nextProvider>,
    );
    const preview = screen.getByRole('dialog', { name: 'Preview — not saved' });
    expect(textOf(preview.querySelector('.launcher-title'))).toContain(i18n.getFixedT('de')('launcher.title'));
    expect(i18n.language).toBe('en');
    await user.click(screen.getByRole('button', { name: 'Close the preview' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('is in the staff screen\'s language for its own words', async () => {
    const i18n = staffI18n('fr');
    await act(async () => {
      render(
        <I18nextProvider i18n={i18n}>
          <VisitorPreview config={CONFIG} language="en" onClose={() => undefined} />
        </I18nextProvider>,
      );
    });
    expect(screen.getByRole('dialog', { name: 'Aperçu — non enregistré' })).toBeTruthy();
    expect(screen.getByRole('button', { name: "Fermer l'aperçu" })).toBeTruthy();
  });
});
