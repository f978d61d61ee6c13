/**
 * The staff screen's tiles section: the tiles in the order visitors see them, with
 * buttons to move, edit and delete each one (drag and drop is an extra, never the only
 * way), and the form to add or change one. The staff screen shows the unsaved draft as
 * visitors would see it with VisitorPreview.
 * Every change goes to the staff screen through `onChange`; saving is the staff screen's.
 */
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { BUILT_IN_THEME_IDS, localize, type KioskConfig, type Service } from '../../../shared/config/schema';
import { ModalDialog } from '../../components/ModalDialog';
import { SERVICE_ICONS } from '../../icons/icon-map';
import { addService, draftFromService, dropTarget, emptyTileDraft, moveService, removeService, replaceService, type TileDraft } from './tile-edits';
import { TileForm } from './TileForm';
import { useTilesTexts } from './tiles-texts';
import './tiles.css';

export interface TilesEditorProps {
  /** The unsaved draft. */
  readonly config: KioskConfig;
  /** Dotted paths set by the managed file: "services" (or a path inside it) makes the whole editor read-only. */
  readonly lockedKeys: readonly string[];
  readonly onChange: (next: KioskConfig) => void;
}

type Editing = { readonly index: number | null; readonly initial: TileDraft };

/** Which control gets the focus back after the list redraws. */
type FocusRequest = { readonly serviceId: string; readonly control: 'up' | 'down' | 'edit' } | { readonly control: 'add' };

type BuiltInThemeId = (typeof BUILT_IN_THEME_IDS)[number];

function isBuiltInTheme(id: string): id is BuiltInThemeId {
  return (BUILT_IN_THEME_IDS as readonly string[]).includes(id);
}

export function isServicesLocked(lockedKeys: readonly string[]): boolean {
  return lockedKeys.some((key) => key === 'services' || key.startsWith('services.') || key.startsWith('services['));
}

export function TilesEditor({ config, lockedKeys, onChange }: TilesEditorProps) {
  const { t, common, language: staffLanguage } = useTilesTexts();
  const locked = isServicesLocked(lockedKeys);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [dragged, setDragged] = useState<number | null>(null);
  const [dropGap, setDropGap] = useState<number | null>(null);
  const focusRequest = useRef<FocusRequest | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const services = config.services;
  const fallback = config.languages.default;

  function themeName(themeId: string): string {
    const theme = config.themes.find((candidate) => candidate.id === themeId);
    if (theme?.label !== undefined) return localize(theme.label, staffLanguage, fallback);
    return isBuiltInTheme(themeId) ? common(`themes.${themeId}`) : themeId;
  }

  // The tile's name as the kiosk shows it by default, so staff recognise what visitors see.
  const nameOf = (service: Service) => localize(service.label, fallback, fallback);

  // After every redraw: a move, a save or a deletion may have replaced the focused button.
  useEffect(() => {
    const request = focusRequest.current;
    if (request === null || editing !== null) return;
    focusRequest.current = null;
    if (request.control === 'add') {
      addButtonRef.current?.focus();
      return;
    }
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-service-id]') ?? [])];
    const row = rows.find((candidate) => candidate.dataset.serviceId === request.serviceId);
    const wanted = row?.querySelector<HTMLButtonElement>(`[data-control="${request.control}"]`);
    // A tile moved to the top or bottom has that move button disabled: its other one keeps the place.
    const target = wanted !== undefined && wanted !== null && !wanted.disabled ? wanted : row?.querySelector<HTMLButtonElement>('[data-control="up"]:not([disabled]), [data-control="down"]:not([disabled]), [data-control="edit"]');
    target?.focus();
  });

  function requestFocus(request: FocusRequest) {
    focusRequest.current = request;
  }

  function move(from: number, to: number, control: 'up' | 'down' | null) {
    const service = services[from];
    if (service === undefined || locked) return;
    const next = moveService(config, from, to);
    if (next === config) return;
    onChange(next);
    setAnnouncement(t('moved', { tile: nameOf(service), position: to + 1, total: services.length }));
    if (control !== null) requestFocus({ serviceId: service.id, control });
  }

  function saveTile(service: Service) {
    if (editing === null) return;
    if (editing.index === null) {
      onChange(addService(config, service));
      setAnnouncement(t('added', { tile: nameOf(service) }));
    } else {
      onChange(replaceService(config, editing.index, service));
      setAnnouncement(t('updated', { tile: nameOf(service) }));
    }
    setEditing(null);
    requestFocus({ serviceId: service.id, control: 'edit' });
  }

  function cancelEditing() {
    const edited = editing?.index === null || editing === null ? null : services[editing.index];
    setEditing(null);
    requestFocus(edited === null || edited === undefined ? { control: 'add' } : { serviceId: edited.id, control: 'edit' });
  }

  function deleteConfirmed() {
    if (confirmingDelete === null) return;
    const service = services[confirmingDelete];
    setConfirmingDelete(null);
    if (service === undefined) return;
    onChange(removeService(config, confirmingDelete));
    setAnnouncement(t('deleted', { tile: nameOf(service) }));
    requestFocus({ control: 'add' });
  }

  /* Drag and drop: the gap under the pointer is shown as a thick line between two tiles. */
  function gapUnderPointer(event: DragEvent<HTMLElement>, index: number): number {
    const box = event.currentTarget.getBoundingClientRect();
    // Without a pointer position (keyboard-driven drag tools), a tile dropped on another takes its place.
    if (!Number.isFinite(event.clientY) || box.height === 0) return index;
    return event.clientY <= box.top + box.height / 2 ? index : index + 1;
  }

  function onDragStart(event: DragEvent<HTMLElement>, index: number) {
    setDragged(index);
    event.dataTransfer?.setData('text/plain', services[index]?.id ?? '');
    if (event.dataTransfer !== null && event.dataTransfer !== undefined) event.dataTransfer.effectAllowed = 'move';
  }

  function onDragOver(event: DragEvent<HTMLElement>, index: number) {
    if (dragged === null) return;
    event.preventDefault();
    if (event.dataTransfer !== null && event.dataTransfer !== undefined) event.dataTransfer.dropEffect = 'move';
    setDropGap(gapUnderPointer(event, index));
  }

  function onDrop(event: DragEvent<HTMLElement>, index: number) {
    if (dragged === null) return;
    event.preventDefault();
    move(dragged, dropTarget(dragged, gapUnderPointer(event, index)), null);
    endDrag();
  }

  function endDrag() {
    setDragged(null);
    setDropGap(null);
  }

  const pendingDelete = confirmingDelete === null ? undefined : services[confirmingDelete];

  return (
    <section className="tiles-editor" aria-labelledby={headingId} data-locked={locked ? 'true' : undefined}>
      <h2 id={headingId} className="tiles-title">
        {t('title')}
      </h2>
      {locked && (
        <p className="tiles-locked" data-testid="tiles-locked">
          {t('locked')}
        </p>
      )}

      {editing !== null ? (
        <TileForm config={config} initial={editing.initial} editedIndex={editing.index} onSave={saveTile} onCancel={cancelEditing} />
      ) : (
        <>
          <p className="tile-form-help">{t('intro')}</p>
          {!locked && services.length > 1 && <p className="tile-form-help">{t('dragHint')}</p>}
          {services.length === 0 ? (
            <p className="tiles-warning">{t('empty')}</p>
          ) : (
            <ol ref={listRef} className="tiles-list" aria-label={t('listLabel')} onDragLeave={(event) => event.currentTarget === event.target && setDropGap(null)}>
              {services.map((service, index) => {
                const Icon = SERVICE_ICONS[service.icon];
                const name = nameOf(service);
                const dropClass = dropGap === index ? ' tiles-row--drop-before' : dropGap === index + 1 && index === services.length - 1 ? ' tiles-row--drop-after' : '';
                return (
                  <li
                    key={service.id}
                    className={`tiles-row${dragged === index ? ' tiles-row--dragged' : ''}${dropClass}`}
                    data-service-id={service.id}
                    draggable={!locked}
                    onDragStart={locked ? undefined : (event) => onDragStart(event, index)}
                    onDragOver={locked ? undefined : (event) => onDragOver(event, index)}
                    onDrop={locked ? undefined : (event) => onDrop(event, index)}
                    onDragEnd={endDrag}
                  >
                    <Icon className="tiles-row-icon" aria-hidden="true" focusable="false" />
                    <span className="tiles-row-text">
                      <span className="tiles-row-name">{name}</span>
                      <span className="tiles-row-details">
                        {t('position', { position: index + 1, total: services.length })} · {t('themeOf', { theme: themeName(service.theme) })} · {service.id}
                      </span>
                    </span>
                    {!locked && (
                      <span className="tiles-row-actions">
                        <button type="button" className="tiles-button" data-control="up" disabled={index === 0} aria-label={t('moveUpNamed', { tile: name })} onClick={() => move(index, index - 1, 'up')}>
                          {t('moveUp')}
                        </button>
                        <button
                          type="button"
                          className="tiles-button"
                          data-control="down"
                          disabled={index === services.length - 1}
                          aria-label={t('moveDownNamed', { tile: name })}
                          onClick={() => move(index, index + 1, 'down')}
                        >
                          {t('moveDown')}
                        </button>
                        <button type="button" className="tiles-button" data-control="edit" aria-label={t('editNamed', { tile: name })} onClick={() => setEditing({ index, initial: draftFromService(service) })}>
                          {t('edit')}
                        </button>
                        <button type="button" className="tiles-button tiles-button--erase" aria-label={t('deleteNamed', { tile: name })} onClick={() => setConfirmingDelete(index)}>
                          {t('delete')}
                        </button>
                      </span>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
          <div className="tiles-actions">
            {!locked && (
              <button ref={addButtonRef} type="button" className="tiles-button tiles-button--primary" onClick={() => setEditing({ index: null, initial: emptyTileDraft(config) })}>
                {t('add')}
              </button>
            )}
          </div>
        </>
      )}

      <p className="tiles-announcement" role="status">
        {announcement}
      </p>

      {pendingDelete !== undefined && <DeleteConfirmation name={nameOf(pendingDelete)} onConfirm={deleteConfirmed} onCancel={() => setConfirmingDelete(null)} />}
    </section>
  );
}

function DeleteConfirmation({ name, onConfirm, onCancel }: { readonly name: string; readonly onConfirm: () => void; readonly onCancel: () => void }) {
  const { t } = useTilesTexts();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const messageId = useId();
  return (
    <ModalDialog role="alertdialog" titleId={titleId} descriptionId={messageId} initialFocus={cancelRef} onDismiss={onCancel}>
      <h2 id={titleId} className="modal-title">
        {t('confirmDelete.title', { tile: name })}
      </h2>
      <p id={messageId} className="modal-message">
        {t('confirmDelete.message')}
      </p>
      <div className="modal-actions">
        <button ref={cancelRef} type="button" className="big-button big-button--calm" onClick={onCancel}>
          {t('confirmDelete.cancel')}
        </button>
        <button type="button" className="big-button big-button--erase" onClick={onConfirm}>
          {t('confirmDelete.confirm', { tile: name })}
        </button>
      </div>
    </ModalDialog>
  );
}
