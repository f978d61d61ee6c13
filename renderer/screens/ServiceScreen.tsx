import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceArea, ServicePresentation } from '../../shared/contract';
import { ActionButton } from '../components/ActionButton';
import { BarButton } from '../components/BarButton';
import { DisplayControls } from '../components/DisplayControls';
import { TOOLBAR_ICONS } from '../icons/icon-map';

export interface ShownService {
  readonly presentation: ServicePresentation;
  readonly url: string;
}

export interface ServiceScreenProps {
  readonly label: string;
  /** Null while the main side is still opening the service. */
  readonly shown: ShownService | null;
  /**
   * True while a dialog or message covers the screen. In Electron the service is a
   * separate view drawn above this page, so it must step aside for the dialog to be seen.
   */
  readonly covered: boolean;
  readonly onArea: (area: ServiceArea) => void;
  readonly onHome: () => void;
  readonly onBack: () => void;
  readonly onHelp: () => void;
  readonly onEndSession: () => void;
  readonly onOpenInNewTab: (url: string) => void;
  /** Shown only when the visitor has downloaded files ("My files"). */
  readonly onFiles?: (() => void) | undefined;
}

/** The contract's largest coordinate: nothing on a kiosk screen is bigger. */
const MAX_COORDINATE = 20_000;
const NO_AREA: ServiceArea = { x: 0, y: 0, width: 0, height: 0 };

function toPixels(value: number): number {
  return Math.min(MAX_COORDINATE, Math.max(0, Math.round(value)));
}

/**
 * Arrow keys move along the toolbar, as screen-reader users expect of a toolbar; Tab works too.
 * The arrow pointing towards the end of the line goes to the next button: right in left-to-right
 * languages, left in right-to-left ones, where the toolbar is mirrored.
 */
function moveAlongToolbar(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
  const index = buttons.findIndex((button) => button === document.activeElement);
  if (index === -1) return;
  event.preventDefault();
  const towardsEnd = event.currentTarget.closest('[dir]')?.getAttribute('dir') === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
  const step = event.key === towardsEnd ? 1 : -1;
  buttons[(index + step + buttons.length) % buttons.length]?.focus();
}

export function ServiceScreen({ label, shown, covered, onArea, onHome, onBack, onHelp, onEndSession, onOpenInNewTab, onFiles }: ServiceScreenProps) {
  const { t } = useTranslation();
  const areaRef = useRef<HTMLDivElement>(null);

  // Focus starts on the service, not on a toolbar button a second key press could trigger by mistake.
  useEffect(() => {
    areaRef.current?.focus();
  }, []);

  useEffect(() => {
    const area = areaRef.current;
    if (area === null) return;
    const report = () => {
      if (covered) {
        onArea(NO_AREA);
        return;
      }
      const box = area.getBoundingClientRect();
      onArea({ x: toPixels(box.left), y: toPixels(box.top), width: toPixels(box.width), height: toPixels(box.height) });
    };
    report();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(report) : null;
    observer?.observe(area);
    window.addEventListener('resize', report);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', report);
    };
  }, [covered, onArea]);

  return (
    <div className="service-screen">
      <div role="toolbar" aria-label={t('toolbar.label')} aria-orientation="horizontal" className="toolbar" onKeyDown={moveAlongToolbar}>
        <div className="toolbar-group">
          <BarButton icon={TOOLBAR_ICONS.home} label={t('toolbar.home')} onClick={onHome} />
          <BarButton icon={TOOLBAR_ICONS.back} label={t('toolbar.back')} onClick={onBack} directional />
        </div>
        <p className="toolbar-service-name">{label}</p>
        <DisplayControls />
        <div className="toolbar-group toolbar-group--end">
          {onFiles !== undefined && <BarButton icon={TOOLBAR_ICONS.files} label={t('files.button')} onClick={onFiles} />}
          <BarButton icon={TOOLBAR_ICONS.help} label={t('toolbar.help')} tone="help" onClick={onHelp} />
          <BarButton icon={TOOLBAR_ICONS.endSession} label={t('toolbar.endSession')} tone="end" onClick={onEndSession} />
        </div>
      </div>
      <main ref={areaRef} tabIndex={-1} className="service-area">
        {shown === null && <p className="service-loading">{t('service.loading')}</p>}
        {shown?.presentation === 'frame' && (
          <>
            <p className="preview-notice">{t('preview.frameNotice')}</p>
            <iframe
              className="service-frame"
              title={label}
              src={shown.url}
              sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
            />
          </>
        )}
        {shown?.presentation === 'new-tab' && (
          <div className="new-tab-notice" data-testid="new-tab-notice">
            <p className="new-tab-notice-message">{t('preview.newTabNotice')}</p>
            <ActionButton action="openInNewTab" tone="primary" label={t('preview.openInNewTab')} onClick={() => onOpenInNewTab(shown.url)} />
          </div>
        )}
      </main>
    </div>
  );
}
