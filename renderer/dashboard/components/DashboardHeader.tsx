/**
 * The bar at the top of every dashboard screen: what this is and for which site, whether
 * the list is live, the sound switch and the language (a staff language: the dashboard's
 * texts exist in those only).
 */
import type { ReactNode } from 'react';
import { Bell, BellOff, RefreshCw, Wifi } from 'lucide-react';
import { STAFF_LANGUAGE_CODES, directionOf, endonymOf, isStaffLanguageCode, type StaffLanguageCode } from '../../../shared/languages';
import { useDashboardTexts } from '../dashboard-i18n';
import type { ConnectionState } from '../hub-client';

export function DashboardHeader({ site, children, onLanguageChange }: { readonly site: string | null; readonly children?: ReactNode; readonly onLanguageChange: (language: StaffLanguageCode) => void }) {
  const { t } = useDashboardTexts();
  return (
    <header className="dash-header">
      <div className="dash-brand">
        <p className="dash-brand-name">
          {t('app.name')} · {t('app.heading')}
        </p>
        {site !== null && site !== '' && <p className="dash-brand-site">{t('app.site', { site })}</p>}
      </div>
      <LanguagePicker onChange={onLanguageChange} />
      {children !== undefined && <div className="dash-header-tools">{children}</div>}
    </header>
  );
}

function LanguagePicker({ onChange }: { readonly onChange: (language: StaffLanguageCode) => void }) {
  const { t, language } = useDashboardTexts();
  return (
    <label className="dash-language">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        className="dash-select"
        value={language}
        onChange={(event) => {
          const value = event.target.value;
          if (isStaffLanguageCode(value)) onChange(value);
        }}
      >
        {STAFF_LANGUAGE_CODES.map((code) => (
          <option key={code} value={code} lang={code} dir={directionOf(code)}>
            {endonymOf(code)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ConnectionBadge({ state }: { readonly state: ConnectionState }) {
  const { t } = useDashboardTexts();
  const Icon = state === 'live' ? Wifi : RefreshCw;
  return (
    <p className={`dash-connection dash-connection--${state}`} role="status" data-connection={state}>
      <Icon aria-hidden="true" className="dash-icon" />
      <span>{t(`connection.${state}`)}</span>
    </p>
  );
}

export interface SoundSwitchProps {
  readonly wanted: boolean;
  readonly allowed: boolean;
  readonly supported: boolean;
  readonly onToggle: () => void;
}

export function SoundSwitch({ wanted, allowed, supported, onToggle }: SoundSwitchProps) {
  const { t } = useDashboardTexts();
  if (!supported) return <p className="dash-sound-note">{t('sound.unavailable')}</p>;
  const Icon = wanted ? Bell : BellOff;
  return (
    <button type="button" className={`dash-button dash-button--sound${wanted ? ' dash-button--sound-on' : ''}`} onClick={onToggle} data-sound={wanted ? (allowed ? 'on' : 'waiting') : 'off'}>
      <Icon aria-hidden="true" className="dash-icon" />
      <span>{wanted ? t('sound.turnOff') : t('sound.turnOn')}</span>
    </button>
  );
}
