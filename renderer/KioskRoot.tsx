import { StrictMode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { KioskBridge } from '../shared/contract';
import { KioskApp } from './App';
import { KioskBridgeProvider } from './bridge/bridge-context';
import { StaffEntry } from './staff/StaffEntry';

export interface KioskRootProps {
  readonly bridge: KioskBridge;
  readonly i18n: I18n;
}

/**
 * The whole UI over a given bridge and text catalogue: the app uses the real ones, tests their own.
 * The visitor screens, under the hidden staff entry (renderer/staff/): the PIN pad over them, and
 * the staff screen (with the statistics) in their place while staff mode is open.
 */
export function KioskRoot({ bridge, i18n }: KioskRootProps) {
  return (
    <StrictMode>
      <KioskBridgeProvider bridge={bridge}>
        <I18nextProvider i18n={i18n}>
          <StaffEntry visitor={(covered) => <KioskApp covered={covered} />} />
        </I18nextProvider>
      </KioskBridgeProvider>
    </StrictMode>
  );
}
