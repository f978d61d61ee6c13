import { lazy, StrictMode, Suspense } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { KioskBridge } from '../shared/contract';
import { KioskApp } from './App';
import { KioskBridgeProvider } from './bridge/bridge-context';
import { useKioskPart } from './staff-address';

// Its own chunk, with chart.js and the staff texts: the visitor screens never download it.
const StatisticsScreen = lazy(() => import('./statistics/StatisticsScreen'));

export interface KioskRootProps {
  readonly bridge: KioskBridge;
  readonly i18n: I18n;
}

function Loading() {
  const { t } = useTranslation();
  return (
    <main className="loading">
      <p className="loading-message" role="status">
        {t('app.loading')}
      </p>
    </main>
  );
}

/** The whole UI over a given bridge and text catalogue: the app uses the real ones, tests their own. */
export function KioskRoot({ bridge, i18n }: KioskRootProps) {
  const part = useKioskPart();
  return (
    <StrictMode>
      <KioskBridgeProvider bridge={bridge}>
        <I18nextProvider i18n={i18n}>
          {part === 'statistics' ? (
            <Suspense fallback={<Loading />}>
              <StatisticsScreen />
            </Suspense>
          ) : (
            <KioskApp />
          )}
        </I18nextProvider>
      </KioskBridgeProvider>
    </StrictMode>
  );
}
