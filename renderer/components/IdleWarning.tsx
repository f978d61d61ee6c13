/**
 * "Are you still there?": the visitor has not touched the kiosk for the idle timeout.
 * A large countdown in the visitor's language (read aloud with the rest of the dialog
 * when the visitor has reading aloud on, renderer/display/use-read-aloud.ts), and one big button. The countdown follows the main side's snapshot
 * (`countdownEndsAt - at`) minus the time elapsed here; when it ends, the main side
 * ends the session and the screens follow.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LanguageCode } from '../../shared/languages';
import { useUnitsLeft } from '../session/countdown';
import type { ReceivedSnapshot } from '../session/use-session-snapshot';
import { ActionButton } from './ActionButton';
import { ModalDialog } from './ModalDialog';

export interface IdleWarningProps {
  readonly received: ReceivedSnapshot;
  readonly language: LanguageCode;
  readonly onStillHere: () => void;
}

/**
 * What screen readers hear of the countdown: the time at the start, then every ten
 * seconds and each of the last five, not every second (that would drown everything).
 * Null at zero: the session is ending and there is nothing useful to say.
 */
export function announcedSeconds(seconds: number, atStart: number): number | null {
  if (seconds <= 0) return null;
  if (seconds <= 5) return seconds;
  return Math.min(atStart, Math.ceil(seconds / 10) * 10);
}

export function IdleWarning({ received, language, onStillHere }: IdleWarningProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const countdownId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const seconds = useUnitsLeft(received.snapshot.countdownEndsAt, received, 1000) ?? 0;
  const [atStart] = useState(seconds);
  const announced = announcedSeconds(seconds, atStart);

  // The big digits in the visitor's own numerals, as the sentences under them.
  const digits = useMemo(() => new Intl.NumberFormat(language), [language]);

  return (
    <ModalDialog role="alertdialog" titleId={titleId} descriptionId={countdownId} initialFocus={buttonRef} onDismiss={onStillHere} className="modal--idle">
      <h2 id={titleId} className="modal-title idle-title">
        {t('idle.title')}
      </h2>
      <p className="idle-seconds" aria-hidden="true">
        {digits.format(seconds)}
      </p>
      <p id={countdownId} className="modal-message idle-countdown" role="timer">
        {t('idle.countdown', { count: seconds })} {t('idle.explanation')}
      </p>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announced === null ? '' : t('idle.countdown', { count: announced })}
      </p>
      <div className="modal-actions">
        <ActionButton ref={buttonRef} action="stillHere" tone="primary" className="idle-still-here" label={t('idle.stillHere')} onClick={onStillHere} />
      </div>
    </ModalDialog>
  );
}
