/**
 * A new request must not go unnoticed by a helper walking the room with the phone in a
 * pocket, or by staff with the dashboard in a background tab: a banner that flashes (and
 * says so in words and an icon, not only colour), the tone, and the count in the tab's
 * title. Screen readers hear each arrival from a live region that is always in the page
 * (a region added together with its text is often not read).
 */
import { BellRing } from 'lucide-react';
import { endonymOf } from '../../../shared/languages';
import type { HelpRequestView } from '../../../shared/hub-api';
import { useDashboardTexts } from '../dashboard-i18n';
import { readableServiceId } from '../dashboard-format';

export interface NewRequestAlertProps {
  /** Unseen requests, in order of arrival. */
  readonly requests: readonly HelpRequestView[];
  /** Changes at every arrival, so the flash starts again. */
  readonly arrivals: number;
  readonly onShow: () => void;
  readonly onSeen: () => void;
}

export function NewRequestAlert({ requests, arrivals, onShow, onSeen }: NewRequestAlertProps) {
  const { t } = useDashboardTexts();
  const latest = requests.at(-1);
  const announcement =
    latest === undefined
      ? ''
      : t('alert.announce', {
          kiosk: latest.kioskName,
          service: latest.serviceId === null ? t('queue.noService') : readableServiceId(latest.serviceId),
          language: endonymOf(latest.language),
        });

  return (
    <>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="alert-announcer">
        {announcement}
      </div>
      {latest !== undefined && (
        <div key={arrivals} className="dash-alert" data-testid="new-request-alert">
          <BellRing aria-hidden="true" className="dash-icon dash-alert-icon" />
          <p className="dash-alert-text">{requests.length === 1 ? t('alert.newRequest', { kiosk: latest.kioskName }) : t('alert.newRequests', { count: requests.length })}</p>
          <div className="dash-alert-actions">
            <button type="button" className="dash-button dash-button--on-alert" onClick={onShow}>
              {t('alert.show')}
            </button>
            <button type="button" className="dash-button dash-button--on-alert" onClick={onSeen}>
              {t('alert.seen')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
