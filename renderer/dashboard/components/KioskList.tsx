/**
 * The room's PCs at a glance: online or not, free, in use or out of order, and when the
 * hub last heard from each. A PC that is offline or out of order stands out by its
 * words and icon, and by its colour.
 */
import { useId } from 'react';
import { Monitor, MonitorOff, MonitorX } from 'lucide-react';
import type { KioskView } from '../../../shared/hub-api';
import { useDashboardTexts } from '../dashboard-i18n';
import type { DashboardFormatters } from '../dashboard-format';
import { isKioskOnline } from '../live-hub';

export interface KioskListProps {
  /** Already in display order. */
  readonly kiosks: readonly KioskView[];
  readonly hubNow: number | null;
  readonly format: DashboardFormatters;
}

const ACTIVITY_TEXT = { free: 'kiosks.free', 'in-session': 'kiosks.inSession', 'out-of-order': 'kiosks.outOfOrder' } as const;

/** The card's modifier class: the kiosk's activity, or offline when it has not been heard from. */
function conditionOf(kiosk: KioskView, isOnline: boolean): string {
  return isOnline ? kiosk.activity : 'offline';
}

export function KioskList({ kiosks, hubNow, format }: KioskListProps) {
  const { t } = useDashboardTexts();
  const headingId = useId();
  const online = hubNow === null ? [] : kiosks.filter((kiosk) => isKioskOnline(kiosk, hubNow));

  return (
    <section className="dash-section" aria-labelledby={headingId} data-testid="kiosk-list">
      <h2 id={headingId} className="dash-section-title">
        {t('kiosks.heading')}
      </h2>
      {kiosks.length === 0 ? (
        <p className="dash-section-summary">{t('kiosks.empty')}</p>
      ) : (
        <>
          <p className="dash-section-summary">{t('kiosks.summary', { online: format.count(online.length), total: format.count(kiosks.length) })}</p>
          <ul className="dash-kiosks">
            {kiosks.map((kiosk) => {
              const isOnline = online.includes(kiosk);
              const condition = conditionOf(kiosk, isOnline);
              const Icon = !isOnline ? MonitorOff : kiosk.activity === 'out-of-order' ? MonitorX : Monitor;
              return (
                <li key={kiosk.deviceId} className={`dash-kiosk dash-kiosk--${condition}`} data-kiosk-id={kiosk.deviceId} data-online={isOnline} data-activity={kiosk.activity}>
                  <Icon aria-hidden="true" className="dash-icon dash-kiosk-icon" />
                  <div className="dash-kiosk-body">
                    <h3 className="dash-kiosk-name">{kiosk.name}</h3>
                    <p className="dash-kiosk-state">
                      <span className={`dash-tag dash-tag--${isOnline ? 'online' : 'offline'}`}>{isOnline ? t('kiosks.online') : t('kiosks.offline')}</span>
                      {isOnline && <span className={`dash-tag dash-tag--${kiosk.activity}`}>{t(ACTIVITY_TEXT[kiosk.activity])}</span>}
                    </p>
                    <p className="dash-kiosk-seen">
                      {kiosk.lastSeenAt === null || hubNow === null ? t('kiosks.neverSeen') : t('kiosks.lastSeen', { time: format.ago(hubNow - kiosk.lastSeenAt) })}
                    </p>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
