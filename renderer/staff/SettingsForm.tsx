/**
 * Every setting staff may change outside the tiles: this computer's name and site,
 * languages, visitor session timings, the help call (hub address, pairing code, what
 * visitors are told when nobody answers), statistics retention and suppression, and the
 * staff entry itself. It edits the unsaved draft; the schema's problems appear under
 * their fields, and keys the managed file sets are shown locked.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskConfig, LocalizedText } from '../../shared/config/schema';
import { LANGUAGES, directionOf, endonymOf, isLanguageCode, type LanguageCode } from '../../shared/languages';
import { isLocked, problemsOf } from './config-paths';
import { CheckboxField, FieldShell, NumberField, TextField, type FieldContext } from './fields';

export interface SettingsFormProps {
  readonly draft: KioskConfig;
  readonly context: FieldContext;
  readonly onChange: (next: KioskConfig) => void;
}

export function SettingsForm({ draft, context, onChange }: SettingsFormProps) {
  const { t } = useTranslation('staff');
  const ids = { kiosk: useId(), languages: useId(), session: useId(), help: useId(), statistics: useId(), staff: useId() };

  const setKiosk = (part: Partial<KioskConfig['kiosk']>) => onChange({ ...draft, kiosk: { ...draft.kiosk, ...part } });
  const setSession = (part: Partial<KioskConfig['session']>) => onChange({ ...draft, session: { ...draft.session, ...part } });
  const setStatistics = (part: Partial<KioskConfig['statistics']>) => onChange({ ...draft, statistics: { ...draft.statistics, ...part } });
  const setStaff = (part: Partial<KioskConfig['staff']>) => onChange({ ...draft, staff: { ...draft.staff, ...part } });
  const setHelp = (part: Partial<KioskConfig['help']>) => onChange({ ...draft, help: { ...draft.help, ...part } });

  const hub = draft.help.hub;
  const setHub = (url: string, pairingCode: string) => {
    // An empty address and code mean no hub; an address without a code is fine once paired.
    if (url.trim() === '' && pairingCode.trim() === '') setHelp({ hub: null });
    else setHelp({ hub: { url: url.trim(), ...(pairingCode.trim() === '' ? {} : { pairingCode: pairingCode.trim() }) } });
  };

  const fallback = draft.help.fallback;
  const setFallbackMessage = (language: LanguageCode, text: string) => {
    const message: Record<string, string> = { ...(fallback.message ?? {}) };
    if (text === '') delete message[language];
    else message[language] = text;
    const { message: _previous, ...rest } = fallback;
    setHelp({ fallback: Object.keys(message).length === 0 ? rest : { ...rest, message: message as LocalizedText } });
  };
  const setPhone = (phone: string) => {
    const { phone: _previous, ...rest } = fallback;
    setHelp({ fallback: phone === '' ? rest : { ...rest, phone } });
  };

  const offered = draft.languages.offered;
  const offeredLocked = isLocked('languages.offered', context.lockedKeys);
  const offeredProblems = problemsOf('languages.offered', context.problems);
  const toggleLanguage = (code: LanguageCode, on: boolean) => {
    const next = on ? [...offered.filter((candidate) => candidate !== code), code] : offered.filter((candidate) => candidate !== code);
    onChange({ ...draft, languages: { ...draft.languages, offered: next } });
  };
  const defaultChoices = [...offered, ...(offered.includes(draft.languages.default) ? [] : [draft.languages.default])];

  return (
    <div className="staff-settings">
      <p className="staff-intro">{t('settings.intro')}</p>

      <fieldset className="staff-fieldset" aria-labelledby={ids.kiosk}>
        <legend id={ids.kiosk}>{t('settings.kiosk.legend')}</legend>
        <TextField path="kiosk.name" label={t('settings.kiosk.name')} hint={t('settings.kiosk.nameHint')} context={context} value={draft.kiosk.name} maxLength={60} onChange={(name) => setKiosk({ name })} />
        <TextField path="kiosk.site" label={t('settings.kiosk.site')} hint={t('settings.kiosk.siteHint')} context={context} value={draft.kiosk.site} maxLength={80} onChange={(site) => setKiosk({ site })} />
      </fieldset>

      <fieldset className="staff-fieldset" aria-labelledby={ids.languages}>
        <legend id={ids.languages}>{t('settings.languages.legend')}</legend>
        <fieldset className={offeredLocked ? 'staff-field staff-field-locked staff-languages' : 'staff-field staff-languages'} data-field="languages.offered">
          <legend className="staff-label">{t('settings.languages.offered')}</legend>
          {offeredLocked && <p className="staff-locked-note">{t('locked')}</p>}
          {/* Every language visitors can be offered, each name in its own language and direction (العربية reads right to left). */}
          {LANGUAGES.map((language) => (
            <label key={language.code} className="staff-check">
              <input type="checkbox" checked={offered.includes(language.code)} disabled={offeredLocked} onChange={(event) => toggleLanguage(language.code, event.target.checked)} />
              <span lang={language.code} dir={language.direction}>
                {language.endonym}
              </span>
            </label>
          ))}
          {offeredProblems.length > 0 && (
            <ul className="staff-field-problems">
              {offeredProblems.map((problem) => (
                <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
              ))}
            </ul>
          )}
        </fieldset>
        <FieldShell path="languages.default" label={t('settings.languages.default')} hint={t('settings.languages.defaultHint')} context={context}>
          {({ id, describedBy, locked, invalid }) => (
            <select
              id={id}
              className="staff-input"
              value={draft.languages.default}
              disabled={locked}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              onChange={(event) => {
                const value = event.target.value;
                if (isLanguageCode(value)) onChange({ ...draft, languages: { ...draft.languages, default: value } });
              }}
            >
              {defaultChoices.map((code) => (
                <option key={code} value={code} lang={code} dir={directionOf(code)}>
                  {endonymOf(code)}
                </option>
              ))}
            </select>
          )}
        </FieldShell>
      </fieldset>

      <fieldset className="staff-fieldset" aria-labelledby={ids.session}>
        <legend id={ids.session}>{t('settings.session.legend')}</legend>
        <NumberField path="session.idleTimeoutSeconds" label={t('settings.session.idleTimeout')} hint={t('settings.session.idleTimeoutHint')} context={context} min={30} max={3600} value={draft.session.idleTimeoutSeconds} onChange={(value) => setSession({ idleTimeoutSeconds: value ?? Number.NaN })} />
        <NumberField path="session.idleWarningSeconds" label={t('settings.session.idleWarning')} hint={t('settings.session.idleWarningHint')} context={context} min={10} max={300} value={draft.session.idleWarningSeconds} onChange={(value) => setSession({ idleWarningSeconds: value ?? Number.NaN })} />
        <NumberField path="session.maxSessionMinutes" label={t('settings.session.maxSession')} hint={t('settings.session.maxSessionHint')} context={context} nullable min={10} max={720} value={draft.session.maxSessionMinutes} onChange={(value) => setSession({ maxSessionMinutes: value })} />
        <NumberField path="session.maxSessionWarningMinutes" label={t('settings.session.maxSessionWarning')} context={context} min={1} max={30} value={draft.session.maxSessionWarningMinutes} onChange={(value) => setSession({ maxSessionWarningMinutes: value ?? Number.NaN })} />
        <p className="staff-note">{t('settings.printing')}</p>
      </fieldset>

      <fieldset className="staff-fieldset" aria-labelledby={ids.help}>
        <legend id={ids.help}>{t('settings.help.legend')}</legend>
        <TextField path="help.hub.url" label={t('settings.help.hubUrl')} hint={t('settings.help.hubUrlHint')} context={context} type="url" value={hub?.url ?? ''} onChange={(url) => setHub(url, hub?.pairingCode ?? '')} />
        <TextField path="help.hub.pairingCode" label={t('settings.help.pairingCode')} hint={t('settings.help.pairingCodeHint')} context={context} maxLength={40} value={hub?.pairingCode ?? ''} onChange={(code) => setHub(hub?.url ?? '', code)} />
        <TextField path="help.fallback.phone" label={t('settings.help.phone')} hint={t('settings.help.phoneHint')} context={context} type="tel" value={fallback.phone ?? ''} onChange={setPhone} />
        {offered.map((code) => (
          <TextField
            key={code}
            path={`help.fallback.message.${code}`}
            label={t('settings.help.message', { language: endonymOf(code) })}
            hint={t('settings.help.messageHint')}
            context={context}
            lang={code}
            dir={directionOf(code)}
            maxLength={200}
            value={fallback.message?.[code] ?? ''}
            onChange={(text) => setFallbackMessage(code, text)}
          />
        ))}
      </fieldset>

      <fieldset className="staff-fieldset" aria-labelledby={ids.statistics}>
        <legend id={ids.statistics}>{t('settings.statistics.legend')}</legend>
        <NumberField path="statistics.retentionDays" label={t('settings.statistics.retention')} hint={t('settings.statistics.retentionHint')} context={context} min={7} max={3650} value={draft.statistics.retentionDays} onChange={(value) => setStatistics({ retentionDays: value ?? Number.NaN })} />
        <NumberField path="statistics.suppressionThreshold" label={t('settings.statistics.threshold')} hint={t('settings.statistics.thresholdHint')} context={context} min={2} max={20} value={draft.statistics.suppressionThreshold} onChange={(value) => setStatistics({ suppressionThreshold: value ?? Number.NaN })} />
      </fieldset>

      <fieldset className="staff-fieldset" aria-labelledby={ids.staff}>
        <legend id={ids.staff}>{t('settings.staff.legend')}</legend>
        <TextField path="staff.keyChord" label={t('settings.staff.keyChord')} hint={t('settings.staff.keyChordHint')} context={context} maxLength={60} value={draft.staff.keyChord} onChange={(keyChord) => setStaff({ keyChord })} />
        <CheckboxField path="staff.cornerTaps" label={t('settings.staff.cornerTaps')} context={context} checked={draft.staff.cornerTaps} onChange={(cornerTaps) => setStaff({ cornerTaps })} />
        <NumberField path="staff.autoCloseMinutes" label={t('settings.staff.autoClose')} context={context} min={1} max={60} value={draft.staff.autoCloseMinutes} onChange={(value) => setStaff({ autoCloseMinutes: value ?? Number.NaN })} />
      </fieldset>
    </div>
  );
}
