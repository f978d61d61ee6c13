/**
 * The launcher as a visitor would see it with the unsaved draft, in a chosen language:
 * the real LauncherScreen, drawn under a "Preview — not saved" banner and made inert,
 * so nothing in it opens a service, calls for help or ends a session.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { KioskConfig } from '../../../shared/config/schema';
import type { LanguageCode } from '../../../shared/languages';
import { LANGUAGES } from '../../../shared/languages';
import { hasVisitorTexts, loadVisitorTexts } from '../../i18n/kiosk-i18n';
import { LauncherScreen } from '../../screens/LauncherScreen';
import { useTilesTexts } from './tiles-texts';

export interface VisitorPreviewProps {
  readonly config: KioskConfig;
  readonly language: LanguageCode;
  readonly onClose: () => void;
}

const nothing = () => undefined;

export function VisitorPreview({ config, language, onClose }: VisitorPreviewProps) {
  const { t, i18n } = useTilesTexts();
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const explanationId = useId();
  // A clone speaks the visitor's language without changing the staff screen's.
  const visitorI18n = useMemo(() => i18n.cloneInstance({ lng: language, initAsync: false }), [i18n, language]);
  const direction = LANGUAGES.find((entry) => entry.code === language)?.direction ?? 'ltr';
  // The visitor screens' texts of that language may not be loaded yet (they load per language); the clone shares the store.
  const [, setLoaded] = useState(0);
  const textsReady = hasVisitorTexts(i18n, language);
  useEffect(() => {
    if (textsReady) return;
    let stopped = false;
    void loadVisitorTexts(i18n, language).then(() => {
      if (!stopped) setLoaded((count) => count + 1);
    });
    return () => {
      stopped = true;
    };
  }, [i18n, language, textsReady]);

  useEffect(() => {
    const focusedBefore = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => focusedBefore?.focus();
  }, []);

  function keepFocus(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') {
      // The launcher below is inert: the Close button is the only thing to reach.
      event.preventDefault();
      closeRef.current?.focus();
    }
  }

  return (
    <div className="visitor-preview" role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={explanationId} data-testid="visitor-preview" onKeyDown={keepFocus}>
      <div className="visitor-preview-banner">
        <p className="visitor-preview-text">
          <strong id={titleId} className="visitor-preview-title">
            {t('preview.banner')}
          </strong>
          <span id={explanationId}>{t('preview.explanation')}</span>
        </p>
        <button ref={closeRef} type="button" className="tiles-button tiles-button--primary" onClick={onClose}>
          {t('preview.close')}
        </button>
      </div>
      <div className="visitor-preview-screen" lang={language} dir={direction} inert>
        {textsReady && (
          <I18nextProvider i18n={visitorI18n}>
            <LauncherScreen config={config} language={language} onOpenService={nothing} onHelp={nothing} onEndSession={nothing} />
          </I18nextProvider>
        )}
      </div>
    </div>
  );
}
