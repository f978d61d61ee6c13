/**
 * Who may talk to the hub: new codes for a phone (with a QR code to scan) or for the
 * room's kiosks, and the paired devices, each removable (a lost phone, a PC given away).
 */
import { useCallback, useEffect, useId, useRef, useState, type RefObject } from 'react';
import { MonitorSmartphone, Plus, QrCode, RefreshCw, Server, Smartphone, Trash2, X } from 'lucide-react';
import type { DeviceRole, DeviceView, HubRole, PairingCodeIssued } from '../../../shared/hub-api';
import { useDashboardTexts, type DashboardTextKey } from '../dashboard-i18n';
import { onThisDeviceClock, type DashboardFormatters } from '../dashboard-format';
import type { HubResult, StaffHubClient } from '../hub-client';

export interface DevicesPanelProps {
  readonly client: StaffHubClient;
  readonly hubRole: HubRole;
  /** This device's own id: the hub refuses to let a staff device remove itself, so it is offered no Remove button. */
  readonly ownDeviceId: string;
  /** Where phones open the dashboard, and kiosks reach the hub. */
  readonly dashboardAddress: string;
  readonly hubAddress: string;
  readonly hubNow: number | null;
  readonly format: DashboardFormatters;
  readonly onUnauthorized: () => void;
}

type IssuedCode = PairingCodeIssued & {
  readonly qrImage: string | null;
  /** The hub's expiry on this device's clock (only the difference between the two clocks is trusted), null while the hub's time is unknown. */
  readonly localExpiresAt: number | null;
};

const ROLE_ICON = { staff: Smartphone, kiosk: MonitorSmartphone, hub: Server } as const;

/** The QR code as an SVG picture (an <img> with a data: address: the page's policy allows no inline markup from elsewhere). */
async function qrImageOf(address: string): Promise<string | null> {
  try {
    const { toString } = await import('qrcode');
    const svg = await toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#14202e', light: '#ffffff' } });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  } catch {
    return null;
  }
}

export function DevicesPanel({ client, hubRole, ownDeviceId, dashboardAddress, hubAddress, hubNow, format, onUnauthorized }: DevicesPanelProps) {
  const { t } = useDashboardTexts();
  const headingId = useId();
  const listHeadingId = useId();
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [creating, setCreating] = useState<DeviceRole | null>(null);
  const [createFailed, setCreateFailed] = useState(false);
  const [devices, setDevices] = useState<readonly DeviceView[] | null>(null);
  const [listFailed, setListFailed] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [outcome, setOutcome] = useState<{ readonly text: DashboardTextKey; readonly name?: string; readonly problem: boolean } | null>(null);
  const codeHeading = useRef<HTMLHeadingElement>(null);

  const handled = useCallback(
    <T,>(result: HubResult<T>): result is { ok: true; value: T } => {
      if (!result.ok && result.problem.kind === 'unauthorized') onUnauthorized();
      return result.ok;
    },
    [onUnauthorized],
  );

  // Bumped to fetch the list again (after a change, or on "Refresh").
  const [listVersion, setListVersion] = useState(0);
  const loadDevices = () => setListVersion((version) => version + 1);

  useEffect(() => {
    let stale = false;
    void client.devices().then((result) => {
      if (stale) return;
      if (handled(result)) {
        setDevices(result.value);
        setListFailed(false);
      } else {
        setListFailed(true);
      }
    });
    return () => {
      stale = true;
    };
  }, [client, handled, listVersion]);

  useEffect(() => {
    if (issued !== null) codeHeading.current?.focus();
  }, [issued]);

  const createCode = async (role: DeviceRole) => {
    if (creating !== null) return;
    setCreating(role);
    setCreateFailed(false);
    const result = await client.issuePairingCode(role);
    if (!handled(result)) {
      setCreating(null);
      setCreateFailed(true);
      return;
    }
    const pairAddress = result.value.role === 'staff' ? (result.value.pairUrl ?? `${dashboardAddress}#pair=${result.value.code}`) : null;
    const qrImage = pairAddress === null ? null : await qrImageOf(pairAddress);
    const localExpiresAt = hubNow === null ? null : onThisDeviceClock(result.value.expiresAt, hubNow);
    setCreating(null);
    setIssued({ ...result.value, pairUrl: pairAddress, qrImage, localExpiresAt });
    loadDevices();
  };

  const remove = async (device: DeviceView) => {
    setRemoving(true);
    const result = await client.revokeDevice(device.deviceId);
    setRemoving(false);
    setConfirming(null);
    if (!result.ok && result.problem.kind === 'unauthorized') {
      onUnauthorized();
      return;
    }
    setOutcome(result.ok ? { text: 'devices.removed', name: device.name, problem: false } : { text: 'devices.removeFailed', problem: true });
    loadDevices();
  };

  const addButtons: { role: DeviceRole; text: DashboardTextKey }[] = [
    { role: 'staff', text: 'devices.addPhone' },
    { role: 'kiosk', text: 'devices.addKiosk' },
    ...(hubRole === 'network' ? [{ role: 'hub' as const, text: 'devices.addHub' as const }] : []),
  ];

  return (
    <section className="dash-section" aria-labelledby={headingId} data-testid="devices-panel">
      <h2 id={headingId} className="dash-section-title">
        {t('devices.heading')}
      </h2>
      <div className="dash-button-row">
        {addButtons.map(({ role, text }) => (
          <button key={role} type="button" className="dash-button dash-button--primary" disabled={creating !== null} onClick={() => void createCode(role)}>
            <Plus aria-hidden="true" className="dash-icon" />
            <span>{creating === role ? t('devices.creating') : t(text)}</span>
          </button>
        ))}
      </div>
      {createFailed && (
        <p className="dash-notice dash-notice--problem" role="alert">
          {t('devices.createFailed')}
        </p>
      )}
      {issued !== null && (
        <PairingCodeCard issued={issued} hubAddress={hubAddress} hubNow={hubNow} format={format} headingRef={codeHeading} onClose={() => setIssued(null)} />
      )}

      <h3 id={listHeadingId} className="dash-subtitle">
        {t('devices.listHeading')}
      </h3>
      <button type="button" className="dash-button dash-button--quiet" onClick={loadDevices}>
        <RefreshCw aria-hidden="true" className="dash-icon" />
        <span>{t('devices.refresh')}</span>
      </button>
      <div role="status" className="dash-status-line">
        {outcome !== null && !outcome.problem ? t(outcome.text, { name: outcome.name ?? '' }) : ''}
      </div>
      {outcome?.problem === true && (
        <p className="dash-notice dash-notice--problem" role="alert">
          {t(outcome.text)}
        </p>
      )}
      {listFailed && (
        <p className="dash-notice dash-notice--problem" role="alert">
          {t('devices.loadFailed')}
        </p>
      )}
      {devices !== null && devices.length === 0 && <p>{t('devices.listEmpty')}</p>}
      {devices !== null && devices.length > 0 && (
        <ul className="dash-devices" aria-labelledby={listHeadingId}>
          {devices.map((device) => {
            const Icon = ROLE_ICON[device.role];
            const own = device.deviceId === ownDeviceId;
            return (
              <li key={device.deviceId} className="dash-device" data-device-id={device.deviceId}>
                <Icon aria-hidden="true" className="dash-icon dash-device-icon" />
                <div className="dash-device-body">
                  <h4 className="dash-device-name">
                    {device.name}
                    {own && <span className="dash-tag dash-tag--own">{t('devices.thisDevice')}</span>}
                  </h4>
                  <p className="dash-device-facts">
                    {t(`devices.role.${device.role}`)} · {t('devices.pairedOn', { date: format.date(device.pairedAt) })}
                    {device.lastSeenAt !== null && hubNow !== null && <> · {t('kiosks.lastSeen', { time: format.ago(hubNow - device.lastSeenAt) })}</>}
                  </p>
                  {own ? null : confirming === device.deviceId ? (
                    <div className="dash-confirm" role="group" aria-label={t('devices.remove')}>
                      <p>{t('devices.removeQuestion', { name: device.name })}</p>
                      <div className="dash-button-row">
                        <button type="button" className="dash-button dash-button--danger" disabled={removing} onClick={() => void remove(device)}>
                          {t('devices.removeConfirm')}
                        </button>
                        <CancelButton onCancel={() => setConfirming(null)} />
                      </div>
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="dash-button dash-button--quiet"
                      aria-label={`${t('devices.remove')}: ${device.name}`}
                      onClick={() => {
                        setOutcome(null);
                        setConfirming(device.deviceId);
                      }}
                    >
                      <Trash2 aria-hidden="true" className="dash-icon" />
                      <span>{t('devices.remove')}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Takes the focus when the question appears, so "Enter" never removes a device by surprise. */
function CancelButton({ onCancel }: { readonly onCancel: () => void }) {
  const { t } = useDashboardTexts();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <button ref={button} type="button" className="dash-button" onClick={onCancel}>
      {t('devices.removeCancel')}
    </button>
  );
}

interface PairingCodeCardProps {
  readonly issued: IssuedCode;
  readonly hubAddress: string;
  readonly hubNow: number | null;
  readonly format: DashboardFormatters;
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
  readonly onClose: () => void;
}

const TITLE_OF_ROLE = { staff: 'devices.phoneTitle', kiosk: 'devices.kioskTitle', hub: 'devices.hubTitle' } as const;

function PairingCodeCard({ issued, hubAddress, hubNow, format, headingRef, onClose }: PairingCodeCardProps) {
  const { t } = useDashboardTexts();
  const titleId = useId();
  const expired = hubNow !== null && hubNow >= issued.expiresAt;
  const settings = JSON.stringify({ help: { hub: { url: hubAddress, pairingCode: issued.code } } }, null, 2);

  return (
    <section className="dash-code-card" aria-labelledby={titleId} data-testid="pairing-code" data-role={issued.role}>
      <div className="dash-code-card-head">
        <h3 id={titleId} ref={headingRef} tabIndex={-1} className="dash-subtitle">
          {issued.role === 'staff' ? <QrCode aria-hidden="true" className="dash-icon" /> : <MonitorSmartphone aria-hidden="true" className="dash-icon" />}
          {t(TITLE_OF_ROLE[issued.role])}
        </h3>
        <button type="button" className="dash-button dash-button--quiet" onClick={onClose}>
          <X aria-hidden="true" className="dash-icon" />
          <span>{t('devices.close')}</span>
        </button>
      </div>
      <p className="dash-code-label">{t('devices.code')}</p>
      <p className="dash-code" data-testid="pairing-code-value">
        {issued.code}
      </p>
      <p className={expired ? 'dash-notice dash-notice--problem' : 'dash-code-expiry'}>
        {expired ? t('devices.expired') : issued.localExpiresAt === null ? '' : t('devices.expiresIn', { time: format.time(issued.localExpiresAt) })}
      </p>
      {issued.role !== 'staff' && <p>{t('devices.usesLeft', { count: issued.usesLeft })}</p>}
      {issued.role === 'staff' && (
        <>
          {issued.qrImage !== null && <img className="dash-qr" src={issued.qrImage} alt={t('devices.qrCodeAlt', { code: issued.code })} width={240} height={240} />}
          <p>{t('devices.phoneSteps')}</p>
          <p className="dash-address" data-testid="pair-address">
            {issued.pairUrl?.split('#')[0]}
          </p>
        </>
      )}
      {issued.role === 'kiosk' && (
        <>
          <p>{t('devices.kioskSteps')}</p>
          <dl className="dash-request-facts">
            <div>
              <dt>{t('devices.kioskAddress')}</dt>
              <dd className="dash-address">{hubAddress}</dd>
            </div>
          </dl>
          <p>{t('devices.kioskSettings')}</p>
          <pre className="dash-settings">{settings}</pre>
        </>
      )}
      {issued.role === 'hub' && (
        <>
          <p>{t('devices.hubSteps')}</p>
          <dl className="dash-request-facts">
            <div>
              <dt>{t('devices.kioskAddress')}</dt>
              <dd className="dash-address">{hubAddress}</dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}
