import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from './ActionButton';
import { ModalDialog } from './ModalDialog';

export interface SpeechNoticeProps {
  /** No voice speaks the visitor's language, or this computer has no speech at all. */
  readonly reason: 'no-voice' | 'no-speech';
  readonly onClose: () => void;
}

/** Said plainly when reading aloud cannot work here: the visitor is not left pressing a silent button. */
export function SpeechNotice({ reason, onClose }: SpeechNoticeProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const messageId = useId();
  const okRef = useRef<HTMLButtonElement>(null);
  return (
    <ModalDialog role="alertdialog" titleId={titleId} descriptionId={messageId} initialFocus={okRef} onDismiss={onClose}>
      <h2 id={titleId} className="modal-title">
        {t('display.readAloud')}
      </h2>
      <p id={messageId} className="modal-message">
        {reason === 'no-voice' ? t('display.noVoice') : t('display.noSpeech')}
      </p>
      <div className="modal-actions">
        <ActionButton ref={okRef} action="ok" tone="primary" label={t('display.ok')} onClick={onClose} />
      </div>
    </ModalDialog>
  );
}
