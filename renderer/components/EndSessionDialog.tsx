import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from './ModalDialog';

export interface EndSessionDialogProps {
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function EndSessionDialog({ onConfirm, onCancel }: EndSessionDialogProps) {
  const { t } = useTranslation();
  const questionId = useId();
  const explanationId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);

  return (
    <ModalDialog role="alertdialog" titleId={questionId} descriptionId={explanationId} initialFocus={cancelRef} onDismiss={onCancel}>
      <h2 id={questionId} className="modal-title">
        {t('endSession.question')}
      </h2>
      <p id={explanationId} className="modal-message">
        {t('endSession.explanation')}
      </p>
      <div className="modal-actions">
        <button type="button" className="big-button big-button--erase" onClick={onConfirm}>
          {t('endSession.confirm')}
        </button>
        <button ref={cancelRef} type="button" className="big-button big-button--calm" onClick={onCancel}>
          {t('endSession.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
