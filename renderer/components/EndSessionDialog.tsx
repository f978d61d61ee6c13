import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
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
        <button type="button" className="big-button big-button--erase" onClick={onConfirm} disabled={confirming}>
          {t('endSession.confirm')}
        </button>
        <button ref={cancelRef} type="button" className="big-button big-button--calm" onClick={onCancel} disabled={confirming}>
          {t('endSession.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
