/**
 * The visitor's call for help, in their language: being sent, the helpers have been
 * told, a helper is coming, or — told honestly — nobody could be reached, with what
 * the configuration says to do instead (raise your hand, a help line's number).
 *
 * The state's words sit in a polite live region, so a change (a helper said "I'm
 * coming") is announced without moving focus. Focus starts on Close, the safe choice:
 * closing keeps the call open. "Cancel my call" withdraws it.
 */
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BellRing, Hand, LoaderCircle, Phone, UserRoundCheck, WifiOff, type LucideIcon } from 'lucide-react';
import { ActionButton } from './ActionButton';
import { isCallOpen, type HelpView } from './HelpCall';
import { ModalDialog } from './ModalDialog';

/** What to do when no helper can be reached, from the configuration (help.fallback), already in the visitor's language. */
export interface HelpFallback {
  /** The configured words; absent when the kiosk's own words are to be used. */
  readonly message?: string | undefined;
  /** A help line's number, shown as written. */
  readonly phone?: string | undefined;
}

export interface HelpDialogProps {
  /** Any state but 'none' (the dialog closes then). */
  readonly view: HelpView;
  readonly fallback: HelpFallback;
  /** A cancel is under way: the button waits for its answer. */
  readonly cancelling: boolean;
  /** The last cancel could not be done: the call is still open. */
  readonly cancelFailed: boolean;
  readonly onCancel: () => void;
  readonly onClose: () => void;
}

interface StateWords {
  readonly icon: LucideIcon;
  readonly title: string;
  readonly message: string;
  /** Nobody is known to have been told: the fallback and the phone number follow. */
  readonly withFallback: boolean;
  readonly alert: boolean;
}

export function HelpDialog({ view, fallback, cancelling, cancelFailed, onCancel, onClose }: HelpDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const descriptionId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);

  const words = ((): StateWords | null => {
    switch (view.state) {
      case 'none':
        return null;
      case 'calling':
        return { icon: LoaderCircle, title: t('help.callingTitle'), message: t('help.callingMessage'), withFallback: false, alert: false };
      case 'called':
        return view.canBeAcknowledged
          ? { icon: BellRing, title: t('help.calledTitle'), message: t('help.calledMessage'), withFallback: false, alert: false }
          : { icon: BellRing, title: t('help.toldTitle'), message: t('help.toldMessage'), withFallback: false, alert: false };
      case 'coming':
        return { icon: UserRoundCheck, title: t('help.comingTitle'), message: t('help.comingMessage'), withFallback: false, alert: false };
      case 'unreachable':
        return { icon: WifiOff, title: t('help.unreachableTitle'), message: t('help.unreachableMessage'), withFallback: true, alert: true };
      case 'failed':
        return { icon: WifiOff, title: t('help.unreachableTitle'), message: t('help.notSentMessage'), withFallback: true, alert: true };
      case 'no-channel':
        return { icon: Hand, title: t('help.noChannelTitle'), message: t('help.noChannelMessage'), withFallback: true, alert: false };
    }
  })();
  if (words === null) return null;

  const Icon = words.icon;
  const canCancel = isCallOpen(view);

  return (
    <ModalDialog
      role={words.alert ? 'alertdialog' : 'dialog'}
      titleId={titleId}
      descriptionId={descriptionId}
      initialFocus={closeRef}
      onDismiss={onClose}
      className="modal--help"
    >
      <div className="help-state" role="status" data-help-state={view.state}>
        <Icon
          className={view.state === 'calling' ? 'help-state-icon help-spinner' : `help-state-icon help-state-icon--${words.alert ? 'alert' : 'calm'}`}
          aria-hidden="true"
          focusable="false"
          strokeWidth={2}
        />
        <div className="help-state-text">
          <h2 id={titleId} className="modal-title help-title">
            {words.title}
          </h2>
          <div id={descriptionId}>
            <p className="modal-message help-message">{words.message}</p>
            {words.withFallback && <Fallback fallback={fallback} />}
          </div>
        </div>
      </div>
      {cancelFailed && (
        <p className="help-problem" role="alert">
          {t('errors.generic')}
        </p>
      )}
      <div className="modal-actions help-actions">
        {canCancel && (
          <ActionButton
            action="cancelCall"
            tone="calm"
            label={t('help.cancel')}
            busy={cancelling}
            onClick={() => {
              if (!cancelling) onCancel();
            }}
          />
        )}
        <ActionButton ref={closeRef} action="close" tone="primary" label={t('help.close')} onClick={onClose} />
      </div>
    </ModalDialog>
  );
}

function Fallback({ fallback }: { readonly fallback: HelpFallback }) {
  const { t } = useTranslation();
  const message = fallback.message === undefined || fallback.message.trim() === '' ? t('help.fallbackMessage') : fallback.message;
  return (
    <>
      <p className="help-fallback">
        <Hand className="help-fallback-icon" aria-hidden="true" focusable="false" strokeWidth={2.25} />
        <span>{message}</span>
      </p>
      {fallback.phone !== undefined && fallback.phone !== '' && (
        <p className="help-phone">
          <Phone className="help-fallback-icon" aria-hidden="true" focusable="false" strokeWidth={2.25} />
          <span className="help-phone-label">{t('help.phoneLabel')}</span>{' '}
          <span className="help-phone-number" data-testid="help-phone">
            {fallback.phone}
          </span>
        </p>
      )}
    </>
  );
}
