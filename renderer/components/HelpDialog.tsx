import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { HelpOutcome } from '../../shared/contract';
import { ModalDialog } from './ModalDialog';

export interface HelpDialogProps {
  readonly outcome: HelpOutcome;
  readonly onClose: () => void;
}

export function HelpDialog({ outcome, onClose }: HelpDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const messageId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const called = outcome.state === 'called';

  return (
    <ModalDialog role="dialog" titleId={titleId} descriptionId={messageId} initialFocus={closeRef} onDismiss={onClose}>
      <h2 id={titleId} className="modal-title">
        {called ? t('help.calledTitle') : t('help.noChannelTitle')}
      </h2>
      <p id={messageId} className="modal-message">
        {called ? t('help.calledMessage') : t('help.noChannelMessage')}
      </p>
      <div className="modal-actions">
        <button ref={closeRef} type="button" className="big-button big-button--primary" onClick={onClose}>
          {t('help.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
