/**
 * The kiosk kept a service page from doing something (an address outside the service,
 * a bad certificate, a file picker, printing, a device, a download). The visitor reads
 * what happened in plain words and stays where they were: never an error page.
 */
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceRefusal } from '../../shared/contract';
import { ActionButton } from './ActionButton';
import { ModalDialog } from './ModalDialog';

export interface RefusalNoticeProps {
  readonly refusal: ServiceRefusal;
  /** The service's label in the visitor's language. */
  readonly serviceLabel: string;
  readonly onClose: () => void;
}

export function RefusalNotice({ refusal, serviceLabel, onClose }: RefusalNoticeProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const messageId = useId();
  const okRef = useRef<HTMLButtonElement>(null);
  return (
    <ModalDialog role="alertdialog" titleId={titleId} descriptionId={messageId} initialFocus={okRef} onDismiss={onClose}>
      <h2 id={titleId} className="modal-title">
        {t(`refusal.${refusal}.title`)}
      </h2>
      <p id={messageId} className="modal-message">
        {t(`refusal.${refusal}.message`, { service: serviceLabel })}
      </p>
      <div className="modal-actions">
        <ActionButton ref={okRef} action="ok" tone="primary" label={t('refusal.ok')} onClick={onClose} />
      </div>
    </ModalDialog>
  );
}
