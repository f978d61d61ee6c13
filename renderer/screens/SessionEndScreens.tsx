/**
 * The screens between two visitors, shown as the main side's session phase says:
 * the wipe running ("Erasing…"), the wipe done ("Everything you did on this computer
 * has been erased"), and the kiosk refusing visitors because a wipe could not be
 * verified (for staff). None has anything to press but the last visitor's message,
 * which a touch may shorten when the kiosk allows it.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CircleCheckBig, Eraser, OctagonAlert } from 'lucide-react';
import type { KioskConfig } from '../../shared/config/schema';
import { directionOf } from '../../shared/languages';

function useFocusedHeading() {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return headingRef;
}

export function EndingScreen() {
  const { t } = useTranslation();
  const headingRef = useFocusedHeading();
  return (
    <main className="session-end session-end--ending" aria-busy="true">
      <Eraser className="session-end-icon" aria-hidden="true" focusable="false" strokeWidth={1.75} />
      <div role="status" className="session-end-text">
        <h1 ref={headingRef} tabIndex={-1} className="session-end-title screen-heading">
          {t('session.erasing')}
        </h1>
        <p className="session-end-message">{t('session.erasingMessage')}</p>
      </div>
    </main>
  );
}

export function ErasedScreen() {
  const { t } = useTranslation();
  const headingRef = useFocusedHeading();
  return (
    <main className="session-end session-end--erased">
      <CircleCheckBig className="session-end-icon" aria-hidden="true" focusable="false" strokeWidth={1.75} />
      <div role="status" className="session-end-text">
        <h1 ref={headingRef} tabIndex={-1} className="session-end-title screen-heading">
          {t('session.erased')}
        </h1>
        <p className="session-end-message">{t('session.goodbye')}</p>
      </div>
    </main>
  );
}

export interface OutOfOrderScreenProps {
  readonly config: KioskConfig;
}

/** For staff first (the default language), then every other offered language, each marked with its own `lang`. */
export function OutOfOrderScreen({ config }: OutOfOrderScreenProps) {
  // The welcome namespace: bundled for every language, as this screen speaks all the offered ones.
  const { t, i18n } = useTranslation('welcome');
  const headingRef = useFocusedHeading();
  const others = config.languages.offered.filter((code) => code !== config.languages.default);
  return (
    <main className="session-end session-end--out-of-order">
      <OctagonAlert className="session-end-icon" aria-hidden="true" focusable="false" strokeWidth={1.75} />
      <h1 ref={headingRef} tabIndex={-1} className="session-end-title screen-heading">
        {t('outOfOrderTitle')}
      </h1>
      <p className="session-end-message">{t('outOfOrderMessage')}</p>
      {others.length > 0 && (
        <ul className="out-of-order-others">
          {others.map((code) => {
            const fixed = i18n.getFixedT(code, 'welcome');
            const direction = directionOf(code);
            return (
              <li key={code} lang={code} dir={direction}>
                {fixed('outOfOrderTitle')} {fixed('outOfOrderMessage')}
              </li>
            );
          })}
        </ul>
      )}
      <p className="out-of-order-kiosk">{config.kiosk.name}</p>
    </main>
  );
}
