import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from './ActionButton';
import { ModalDialog } from './ModalDialog';

export interface EndSessionDialogProps {
  /** True once "Yes, erase and finish" was pressed: the wipe is starting, the answers are no longer open. */
  readonly confirming?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function EndSessionDialog({ confirming = false, onConfirm, onCancel }: EndSessionDialogProps) {
  const { t } = useTranslation();
  const questionId = useId();
  const explanationId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);

  return (
    <ModalDialog role="alertdialog" titleId={questionId} descriptionId={explanationId} initialFocus={cancelRef} onDismiss={confirming ? () => {} : onCancel}>
      <h2 id={questionId} className="modal-title">
        {t('endSession.question')}
      </h2>
      <p id={explanationId} className="modal-message">
        {t('endSession.explanation')}
      </p>
      <div className="modal-actions">
        <ActionButton action="eraseAndFinish" tone="erase" label={t('endSession.confirm')} onClick={onConfirm} disabled={confirming} />
        <ActionButton ref={cancelRef} action="continue" tone="calm" label={t('endSession.cancel')} onClick={onCancel} disabled={confirming} />
      </div>
    </ModalDialog>
  );
}
