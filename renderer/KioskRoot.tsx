import { StrictMode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { KioskBridge } from '../shared/contract';
import { KioskApp } from './App';
import { KioskBridgeProvider } from './bridge/bridge-context';

export interface KioskRootProps {
  readonly bridge: KioskBridge;
  readonly i18n: I18n;
}

/** The whole visitor UI over a given bridge and text catalogue: the app uses the real ones, tests their own. */
export function KioskRoot({ bridge, i18n }: KioskRootProps) {
  return (
    <StrictMode>
      <KioskBridgeProvider bridge={bridge}>
        <I18nextProvider i18n={i18n}>
          <KioskApp />
        </I18nextProvider>
      </KioskBridgeProvider>
    </StrictMode>
  );
}
