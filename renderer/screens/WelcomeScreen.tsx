import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskConfig } from '../../shared/config/schema';
import { LANGUAGES, type LanguageCode } from '../../shared/languages';

export interface WelcomeScreenProps {
  readonly config: KioskConfig;
  readonly onChooseLanguage: (language: LanguageCode) => void;
}

export function WelcomeScreen({ config, onChooseLanguage }: WelcomeScreenProps) {
  const { t, i18n } = useTranslation();
  const chooseId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const offered = config.languages.offered.flatMap((code) => LANGUAGES.filter((language) => language.code === code));

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <main className="welcome">
      <p className="welcome-kiosk-name">{config.kiosk.name}</p>
      <h1 ref={headingRef} tabIndex={-1} className="welcome-title screen-heading">
        {t('welcome.title')}
      </h1>
      <p id={chooseId} className="welcome-choose">
        {t('welcome.chooseLanguage')}
      </p>
      <div role="group" aria-labelledby={chooseId} className={`language-grid language-grid--${Math.min(offered.length, 4)}`}>
        {offered.map((language) => (
          // Each button speaks its own language, so a visitor finds theirs whatever the kiosk's default.
          <button
            key={language.code}
            type="button"
            lang={language.code}
            dir={language.direction}
            className="language-button"
            onClick={() => onChooseLanguage(language.code)}
          >
            <span className="language-button-name">{language.endonym}</span>
            <span className="language-button-start">{i18n.getFixedT(language.code)('welcome.start')}</span>
          </button>
        ))}
      </div>
    </main>
  );
}
