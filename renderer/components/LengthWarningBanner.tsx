/**
 * The session has a maximum length and its end is near: a banner above the screen,
 * never over it, with the minutes left. The visitor can keep working.
 */
import { useTranslation } from 'react-i18next';
import { Clock } from 'lucide-react';
import { useUnitsLeft } from '../session/countdown';
import type { ReceivedSnapshot } from '../session/use-session-snapshot';

export interface LengthWarningBannerProps {
  readonly received: ReceivedSnapshot;
}

export function LengthWarningBanner({ received }: LengthWarningBannerProps) {
  const { t } = useTranslation();
  const minutes = useUnitsLeft(received.snapshot.sessionEndsAt, received, 60_000);
  if (minutes === null) return null;
  return (
    <div className="length-banner" role="status" data-testid="length-warning">
      <Clock className="length-banner-icon" aria-hidden="true" focusable="false" strokeWidth={2.25} />
      <p className="length-banner-message">{t('session.lengthWarning', { count: Math.max(1, minutes) })}</p>
    </div>
  );
}
