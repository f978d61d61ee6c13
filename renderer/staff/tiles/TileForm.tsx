/**
 * The form of one tile, new or existing. It keeps its own draft of the tile and hands a
 * checked service to `onSave` only: a tile the kiosk would refuse never reaches the
 * configuration. Problems show beside their fields once staff have tried to save.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { BUILT_IN_THEME_IDS, SERVICE_PERMISSIONS, localize, type KioskConfig, type Service, type ServicePermission, type Theme } from '../../../shared/config/schema';
import { ICON_IDS, type IconId } from '../../../shared/config/icons';
import { directionOf, endonymOf, type LanguageCode } from '../../../shared/languages';
import { SERVICE_ICONS } from '../../icons/icon-map';
import { checkAddress, checkHostEntry, checkTileDraft, missingLabelLanguages, suggestServiceId, type TileDraft, type TileField, type TileProblem } from './tile-edits';
import { answerWords, languageName, problemWords, type ListProblem } from './tile-words';
import { useTilesTexts, type TilesTextKey } from './tiles-texts';

export interface TileFormProps {
  readonly config: KioskConfig;
  readonly initial: TileDraft;
  /** Null for a new tile. */
  readonly editedIndex: number | null;
  readonly onSave: (service: Service) => void;
  readonly onCancel: () => void;
}

type BuiltInThemeId = (typeof BUILT_IN_THEME_IDS)[number];

function isBuiltInTheme(id: string): id is BuiltInThemeId {
  return (BUILT_IN_THEME_IDS as readonly string[]).includes(id);
}

/** The language whose label visitors see when theirs is missing (as `localize` chooses it). */
function fallbackLanguage(draft: TileDraft, defaultLanguage: LanguageCode): LanguageCode | null {
  const filled = (Object.keys(draft.label) as LanguageCode[]).filter((code) => (draft.label[code] ?? '').trim() !== '');
  if (filled.includes(defaultLanguage)) return defaultLanguage;
  if (filled.includes('en')) return 'en';
  return filled[0] ?? null;
}

/** A tile's yes/no options, in the form's order. */
const SERVICE_OPTIONS = ['printing', 'downloads', 'uploads'] as const;

const PERMISSION_KEYS: Readonly<Record<ServicePermission, TilesTextKey>> = {
  camera: 'permissions.camera',
  microphone: 'permissions.microphone',
  geolocation: 'permissions.geolocation',
  notifications: 'permissions.notifications',
  'clipboard-read': 'permissions.clipboard-read',
  fullscreen: 'permissions.fullscreen',
};

export function TileForm({ config, initial, editedIndex, onSave, onCancel }: TileFormProps) {
  const { t, common, language: staffLanguage } = useTilesTexts();
  const [draft, setDraft] = useState<TileDraft>(initial);
  const [triedToSave, setTriedToSave] = useState(false);
  const [saveAttempts, setSaveAttempts] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const formId = useId();
  const fieldId = (field: string) => `${formId}-${field}`;

  const offered = config.languages.offered;
  const defaultLanguage = config.languages.default;
  const otherIds = useMemo(() => config.services.filter((_, index) => index !== editedIndex).map((service) => service.id), [config.services, editedIndex]);
  const themeIds = config.themes.map((theme) => theme.id);
  const check = checkTileDraft(draft, otherIds, themeIds);
  const problems = triedToSave && !check.ok ? check.problems : {};
  const fallback = fallbackLanguage(draft, defaultLanguage);
  const missing = fallback === null ? [] : missingLabelLanguages(draft, offered);
  const editedName = editedIndex === null ? null : localize(config.services[editedIndex]?.label ?? { en: '' }, defaultLanguage, defaultLanguage);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function update(change: Partial<TileDraft>) {
    setDraft((current) => {
      const next = { ...current, ...change };
      if (next.idEdited) return next;
      const source = next.label[defaultLanguage] ?? Object.values(next.label).find((text) => text !== undefined && text.trim() !== '') ?? '';
      return { ...next, id: source.trim() === '' ? '' : suggestServiceId(source, otherIds) };
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (check.ok) {
      onSave(check.service);
      return;
    }
    setTriedToSave(true);
    setSaveAttempts((count) => count + 1);
  }

  // Each refused save takes the focus to the summary, so a screen reader reads why.
  useEffect(() => {
    if (saveAttempts > 0) summaryRef.current?.focus();
  }, [saveAttempts]);

  function themeName(theme: Theme): string {
    if (theme.label !== undefined) return localize(theme.label, staffLanguage, defaultLanguage);
    return isBuiltInTheme(theme.id) ? common(`themes.${theme.id}`) : theme.id;
  }

  function describedBy(field: string, ...extra: string[]): string {
    return [...extra, problems[field as TileField] === undefined ? null : fieldId(`${field}-problem`)].filter((id) => id !== null).join(' ');
  }

  const startUrlAnswer = checkAddress(draft.startUrl.trim(), draft);
  const startHostToAllow = !startUrlAnswer.allowed && startUrlAnswer.reason === 'host' && checkHostEntry(startUrlAnswer.host, draft.allowedDomains).ok ? startUrlAnswer.host : null;

  return (
    <form className="tile-form" noValidate onSubmit={submit} aria-labelledby={fieldId('heading')}>
      <h3 id={fieldId('heading')} ref={headingRef} tabIndex={-1} className="tile-form-title">
        {editedName === null ? t('form.addTitle') : t('form.editTitle', { tile: editedName })}
      </h3>

      {triedToSave && !check.ok && (
        <p ref={summaryRef} tabIndex={-1} role="alert" className="tiles-problem tiles-problem--summary">
          {t('form.invalid')}
        </p>
      )}

      <fieldset className="tile-form-group">
        <legend>{t('form.labels')}</legend>
        <p className="tile-form-help" id={fieldId('label-help')}>
          {t('form.labelsHelp')}
        </p>
        {offered.map((code) => {
          const ownProblem = problems.label?.find((problem) => problem.kind === 'tooLong' && problem.language === code);
          const isMissing = missing.includes(code) && fallback !== null;
          const warningId = fieldId(`label-${code}-missing`);
          const problemId = fieldId(`label-${code}-problem`);
          return (
            <div key={code} className="tile-form-field">
              <label htmlFor={fieldId(`label-${code}`)}>{t('form.labelIn', { language: languageName(code, staffLanguage) })}</label>
              <input
                id={fieldId(`label-${code}`)}
                lang={code}
                dir={directionOf(code)}
                type="text"
                maxLength={80}
                value={draft.label[code] ?? ''}
                aria-invalid={ownProblem !== undefined || problems.label?.some((problem) => problem.kind === 'labelMissing') ? true : undefined}
                aria-describedby={[fieldId('label-help'), isMissing ? warningId : null, ownProblem === undefined ? null : problemId, problems.label === undefined ? null : fieldId('label-problem')]
                  .filter((id) => id !== null)
                  .join(' ')}
                onChange={(event) => update({ label: { ...draft.label, [code]: event.target.value } })}
              />
              {isMissing && (
                <p id={warningId} className="tiles-warning">
                  {t('form.missingLanguage', { language: endonymOf(code), fallback: languageName(fallback, staffLanguage) })}
                </p>
              )}
              {ownProblem !== undefined && <FieldProblem id={problemId} problems={[ownProblem]} />}
            </div>
          );
        })}
        <FieldProblem id={fieldId('label-problem')} problems={problems.label?.filter((problem) => problem.kind !== 'tooLong')} />
      </fieldset>

      <details className="tile-form-group tile-form-details" open={Object.keys(draft.hint).length > 0 || problems.hint !== undefined}>
        <summary>{t('form.hints')}</summary>
        <p className="tile-form-help">{t('form.hintsHelp')}</p>
        {offered.map((code) => {
          const ownProblem = problems.hint?.find((problem) => problem.kind === 'tooLong' && problem.language === code);
          return (
            <div key={code} className="tile-form-field">
              <label htmlFor={fieldId(`hint-${code}`)}>{t('form.hintIn', { language: languageName(code, staffLanguage) })}</label>
              <input
                id={fieldId(`hint-${code}`)}
                lang={code}
                dir={directionOf(code)}
                type="text"
                maxLength={80}
                value={draft.hint[code] ?? ''}
                aria-invalid={ownProblem === undefined ? undefined : true}
                aria-describedby={ownProblem === undefined ? undefined : fieldId(`hint-${code}-problem`)}
                onChange={(event) => update({ hint: { ...draft.hint, [code]: event.target.value } })}
              />
              {ownProblem !== undefined && <FieldProblem id={fieldId(`hint-${code}-problem`)} problems={[ownProblem]} />}
            </div>
          );
        })}
      </details>

      <div className="tile-form-field">
        <label htmlFor={fieldId('id')}>{t('form.id')}</label>
        <p className="tile-form-help" id={fieldId('id-help')}>
          {t('form.idHelp')}
        </p>
        <input
          id={fieldId('id')}
          type="text"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={60}
          value={draft.id}
          aria-invalid={problems.id === undefined ? undefined : true}
          aria-describedby={describedBy('id', fieldId('id-help'))}
          onChange={(event) => update({ id: event.target.value, idEdited: true })}
        />
        <FieldProblem id={fieldId('id-problem')} problems={problems.id} />
      </div>

      <div className="tile-form-field">
        <label htmlFor={fieldId('theme')}>{t('form.theme')}</label>
        <select
          id={fieldId('theme')}
          value={draft.theme}
          aria-invalid={problems.theme === undefined ? undefined : true}
          aria-describedby={describedBy('theme') || undefined}
          onChange={(event) => update({ theme: event.target.value })}
        >
          {config.themes.map((theme) => (
            <option key={theme.id} value={theme.id}>
              {themeName(theme)}
            </option>
          ))}
        </select>
        <FieldProblem id={fieldId('theme-problem')} problems={problems.theme} />
      </div>

      <IconPicker legend={t('form.icon')} selected={draft.icon} onSelect={(icon) => update({ icon })} name={fieldId('icon')} />
      <FieldProblem id={fieldId('icon-problem')} problems={problems.icon} />

      <div className="tile-form-field">
        <label htmlFor={fieldId('startUrl')}>{t('form.startUrl')}</label>
        <p className="tile-form-help" id={fieldId('startUrl-help')}>
          {t('form.startUrlHelp')}
        </p>
        <input
          id={fieldId('startUrl')}
          type="text"
          inputMode="url"
          autoCapitalize="none"
          spellCheck={false}
          value={draft.startUrl}
          aria-invalid={problems.startUrl === undefined ? undefined : true}
          aria-describedby={describedBy('startUrl', fieldId('startUrl-help'))}
          onChange={(event) => update({ startUrl: event.target.value })}
        />
        <FieldProblem id={fieldId('startUrl-problem')} problems={problems.startUrl} />
        {startHostToAllow !== null && (
          <button type="button" className="tiles-button" onClick={() => update({ allowedDomains: [...draft.allowedDomains, startHostToAllow] })}>
            {t('form.allowStartHost', { host: startHostToAllow })}
          </button>
        )}
      </div>

      <HostList
        idPrefix={fieldId('domains')}
        legend={t('form.domains')}
        help={t('form.domainsHelp')}
        empty={t('form.domainsEmpty')}
        newLabel={t('form.newDomain')}
        addLabel={t('form.addDomain')}
        removeLabel={(domain) => t('form.removeDomain', { domain })}
        entries={draft.allowedDomains}
        problems={problems.allowedDomains}
        onChange={(allowedDomains) => update({ allowedDomains })}
      />

      <AddressTester draft={draft} idPrefix={fieldId('tester')} />

      <fieldset className="tile-form-group">
        <legend>{t('form.options')}</legend>
        {SERVICE_OPTIONS.map((option) => (
          <div key={option} className="tiles-check">
            <input
              id={fieldId(option)}
              type="checkbox"
              checked={draft[option]}
              aria-describedby={fieldId(`${option}-help`)}
              onChange={(event) => update({ [option]: event.target.checked })}
            />
            <label htmlFor={fieldId(option)}>{t(`form.${option}`)}</label>
            <p id={fieldId(`${option}-help`)} className="tile-form-help">
              {t(`form.${option}Help`)}
            </p>
          </div>
        ))}
      </fieldset>

      <fieldset className="tile-form-group" aria-describedby={fieldId('permissions-help')}>
        <legend>{t('form.permissions')}</legend>
        <p id={fieldId('permissions-help')} className="tile-form-help">
          {t('form.permissionsHelp')}
        </p>
        <div className="tiles-check-grid">
          {SERVICE_PERMISSIONS.map((permission) => (
            <div key={permission} className="tiles-check">
              <input
                id={fieldId(`permission-${permission}`)}
                type="checkbox"
                checked={draft.permissions.includes(permission)}
                onChange={(event) =>
                  update({
                    permissions: event.target.checked
                      ? SERVICE_PERMISSIONS.filter((known) => known === permission || draft.permissions.includes(known))
                      : draft.permissions.filter((kept) => kept !== permission),
                  })
                }
              />
              <label htmlFor={fieldId(`permission-${permission}`)}>{t(PERMISSION_KEYS[permission])}</label>
            </div>
          ))}
        </div>
        <FieldProblem id={fieldId('options-problem')} problems={problems.options} />
      </fieldset>

      <details className="tile-form-group tile-form-details tile-form-details--unsafe" open={draft.UNSAFE_allowHttpHosts.length > 0 || problems.UNSAFE_allowHttpHosts !== undefined}>
        <summary>{t('form.advanced')}</summary>
        <p className="tiles-warning" id={fieldId('http-warning')}>
          {t('form.httpHostsWarning')}
        </p>
        <HostList
          idPrefix={fieldId('http')}
          legend={t('form.httpHosts')}
          help={null}
          empty={null}
          newLabel={t('form.newHttpHost')}
          addLabel={t('form.addHttpHost')}
          removeLabel={(domain) => t('form.removeHttpHost', { domain })}
          entries={draft.UNSAFE_allowHttpHosts}
          problems={problems.UNSAFE_allowHttpHosts}
          onChange={(UNSAFE_allowHttpHosts) => update({ UNSAFE_allowHttpHosts })}
        />
      </details>

      <div className="tile-form-actions">
        <button type="submit" className="tiles-button tiles-button--primary">
          {t('form.save')}
        </button>
        <button type="button" className="tiles-button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}

function FieldProblem({ id, problems }: { readonly id: string; readonly problems: readonly ListProblem[] | undefined }) {
  const { t } = useTilesTexts();
  if (problems === undefined || problems.length === 0) return null;
  const words = [...new Set(problems.map((problem) => problemWords(t, problem)))];
  return (
    <p id={id} className="tiles-problem">
      {words.join(' ')}
    </p>
  );
}

interface IconPickerProps {
  readonly legend: string;
  readonly name: string;
  readonly selected: IconId;
  readonly onSelect: (icon: IconId) => void;
}

function IconPicker({ legend, name, selected, onSelect }: IconPickerProps) {
  const { t } = useTilesTexts();
  return (
    <fieldset className="tile-form-group">
      <legend>{legend}</legend>
      <div className="icon-picker">
        {ICON_IDS.map((icon) => {
          const Icon = SERVICE_ICONS[icon];
          const inputId = `${name}-${icon}`;
          return (
            <div key={icon} className="icon-choice">
              <input id={inputId} type="radio" name={name} value={icon} checked={selected === icon} onChange={() => onSelect(icon)} />
              <label htmlFor={inputId}>
                <Icon className="icon-choice-picture" aria-hidden="true" focusable="false" />
                <span>{t(`icons.${icon}`)}</span>
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

interface HostListProps {
  readonly idPrefix: string;
  readonly legend: string;
  readonly help: string | null;
  readonly empty: string | null;
  readonly newLabel: string;
  readonly addLabel: string;
  readonly removeLabel: (domain: string) => string;
  readonly entries: readonly string[];
  readonly problems: readonly TileProblem[] | undefined;
  readonly onChange: (entries: string[]) => void;
}

function HostList({ idPrefix, legend, help, empty, newLabel, addLabel, removeLabel, entries, problems, onChange }: HostListProps) {
  const { t } = useTilesTexts();
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState<ListProblem | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  function addTyped() {
    const check = checkHostEntry(typed, entries);
    if (!check.ok) {
      setTypedProblem(check.problem);
      return;
    }
    onChange([...entries, check.entry]);
    setTyped('');
    setTypedProblem(null);
    inputRef.current?.focus();
  }

  return (
    <fieldset className="tile-form-group">
      <legend>{legend}</legend>
      {help !== null && <p className="tile-form-help">{help}</p>}
      {entries.length === 0 ? (
        empty !== null && <p className="tile-form-help">{empty}</p>
      ) : (
        <ul className="host-list">
          {entries.map((entry) => (
            <li key={entry}>
              <span className="host-list-name" translate="no">
                {entry}
              </span>
              <button type="button" className="tiles-button" onClick={() => onChange(entries.filter((kept) => kept !== entry))}>
                {removeLabel(entry)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldProblem id={`${idPrefix}-problem`} problems={problems} />
      <div className="host-list-add">
        <label htmlFor={`${idPrefix}-new`}>{newLabel}</label>
        <div className="host-list-add-row">
          <input
            ref={inputRef}
            id={`${idPrefix}-new`}
            type="text"
            inputMode="url"
            autoCapitalize="none"
            spellCheck={false}
            value={typed}
            aria-invalid={typedProblem === null ? undefined : true}
            aria-describedby={typedProblem === null ? undefined : `${idPrefix}-new-problem`}
            onChange={(event) => {
              setTyped(event.target.value);
              setTypedProblem(null);
            }}
            onKeyDown={(event) => {
              // Enter adds the website rather than submitting the whole tile.
              if (event.key === 'Enter') {
                event.preventDefault();
                addTyped();
              }
            }}
          />
          <button type="button" className="tiles-button" onClick={addTyped}>
            {addLabel}
          </button>
        </div>
        {typedProblem !== null && (
          <p id={`${idPrefix}-new-problem`} className="tiles-problem" role="alert">
            {problemWords(t, typedProblem)}
          </p>
        )}
      </div>
    </fieldset>
  );
}

function AddressTester({ draft, idPrefix }: { readonly draft: TileDraft; readonly idPrefix: string }) {
  const { t } = useTilesTexts();
  const [address, setAddress] = useState('');
  const asked = address.trim();
  const answer = asked === '' ? null : checkAddress(asked, draft);
  return (
    <div className="tile-form-field address-tester">
      <label htmlFor={`${idPrefix}-address`}>{t('form.tester')}</label>
      <p className="tile-form-help" id={`${idPrefix}-help`}>
        {t('form.testerHelp')}
      </p>
      <input
        id={`${idPrefix}-address`}
        type="text"
        inputMode="url"
        autoCapitalize="none"
        spellCheck={false}
        value={address}
        aria-describedby={`${idPrefix}-help ${idPrefix}-answer`}
        onChange={(event) => setAddress(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') event.preventDefault();
        }}
      />
      <p id={`${idPrefix}-answer`} role="status" data-testid="address-answer" data-allowed={answer === null ? undefined : String(answer.allowed)} className={answer === null ? 'address-answer' : answer.allowed ? 'address-answer address-answer--allowed' : 'address-answer address-answer--refused'}>
        {answer === null ? '' : answerWords(t, answer)}
      </p>
    </div>
  );
}
