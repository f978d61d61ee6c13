import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskConfig } from '../../shared/config/schema';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';
import { ACTION_ICONS } from '../icons/icon-map';

export interface WelcomeScreenProps {
  readonly config: KioskConfig;
  readonly onChooseLanguage: (language: LanguageCode) => void;
  /**
   * "Listen": each offered language's invitation read in that language's own voice, for
   * visitors who cannot read any of them. Absent where this computer has no voice at all.
   */
  readonly onListen?: (() => void) | undefined;
  /** Said after Listen when no voice could speak: the screen says it plainly instead. */
  readonly listenFailed?: boolean;
}

export function WelcomeScreen({ config, onChooseLanguage, onListen, listenFailed = false }: WelcomeScreenProps) {
  const { t, i18n } = useTranslation('welcome');
  const chooseId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const offered = config.languages.offered.flatMap((code) => LANGUAGES.filter((language) => language.code === code));
  const ListenIcon = ACTION_ICONS.listen;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <main className="welcome">
      <p className="welcome-kiosk-name">{config.kiosk.name}</p>
      <h1 ref={headingRef} tabIndex={-1} className="welcome-title screen-heading">
        {t('title')}
      </h1>
      <p id={chooseId} className="welcome-choose">
        {t('chooseLanguage')}
      </p>
      <div role="group" aria-labelledby={chooseId} className={`language-grid language-grid--${Math.min(offered.length, 4)}`} data-languages={offered.length}>
        {offered.map((language) => (
          // Each button speaks its own language, so a visitor finds theirs whatever the kiosk's default.
          <button
            key={language.code}
            type="button"
            lang={language.code}
            dir={language.direction}
            className="language-button"
            data-language={language.code}
            onClick={() => onChooseLanguage(language.code)}
          >
            <span className="language-button-name">{language.endonym}</span>
            <span className="language-button-start">{i18n.getFixedT(language.code, 'welcome')('start')}</span>
          </button>
        ))}
      </div>
      {onListen !== undefined && (
        <button type="button" className="welcome-listen" onClick={onListen}>
          <ListenIcon className="welcome-listen-icon" aria-hidden="true" focusable="false" strokeWidth={2.25} />
          <span>{t('listen')}</span>
        </button>
      )}
      <p className="welcome-listen-status" role="status">
        {listenFailed ? t('noVoice') : ''}
      </p>
    </main>
  );
}
