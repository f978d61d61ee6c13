/**
 * "Are you still there?": the visitor has not touched the kiosk for the idle timeout.
 * A large countdown in the visitor's language, read aloud once where a voice speaks
 * that language, and one big button. The countdown follows the main side's snapshot
 * (`countdownEndsAt - at`) minus the time elapsed here; when it ends, the main side
 * ends the session and the screens follow.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LanguageCode } from '../../shared/languages';
import { useUnitsLeft } from '../session/countdown';
import { useReadAloudOnce } from '../session/read-aloud';
import type { ReceivedSnapshot } from '../session/use-session-snapshot';
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

  // Read aloud once, when the warning appears, in the words shown then; not at every tick.
  const [firstWords] = useState(() => `${t('idle.title')} ${t('idle.countdown', { count: seconds })} ${t('idle.explanation')}`);
  useReadAloudOnce(firstWords, language);

  return (
    <ModalDialog role="alertdialog" titleId={titleId} descriptionId={countdownId} initialFocus={buttonRef} onDismiss={onStillHere} className="modal--idle">
      <h2 id={titleId} className="modal-title idle-title">
        {t('idle.title')}
      </h2>
      <p className="idle-seconds" aria-hidden="true">
        {seconds}
      </p>
      <p id={countdownId} className="modal-message idle-countdown" role="timer">
        {t('idle.countdown', { count: seconds })} {t('idle.explanation')}
      </p>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announced === null ? '' : t('idle.countdown', { count: announced })}
      </p>
      <div className="modal-actions">
        <button ref={buttonRef} type="button" className="big-button big-button--primary idle-still-here" onClick={onStillHere}>
          {t('idle.stillHere')}
        </button>
      </div>
    </ModalDialog>
  );
}
