import { useTranslation } from 'react-i18next';
import { ActionButton } from './ActionButton';

export type Problem = 'generic' | 'serviceUnavailable';

export interface ProblemNoticeProps {
  readonly problem: Problem;
  readonly onDismiss: () => void;
}

/** A failed call, told in plain words; the screen behind stays usable. */
export function ProblemNotice({ problem, onDismiss }: ProblemNoticeProps) {
  const { t } = useTranslation();
  return (
    <div className="problem-notice" role="alert">
      <p className="problem-notice-message">{problem === 'serviceUnavailable' ? t('errors.serviceUnavailable') : t('errors.generic')}</p>
      <ActionButton action="ok" tone="primary" className="problem-notice-button" label={t('errors.dismiss')} onClick={onDismiss} />
    </div>
  );
}
