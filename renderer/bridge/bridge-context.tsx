/**
 * Components reach the main side only through this context, so tests hand them a
 * bridge built over an in-memory transport with the real contract dispatcher.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { KioskBridge } from '../../shared/contract';

const KioskBridgeContext = createContext<KioskBridge | null>(null);

export function KioskBridgeProvider({ bridge, children }: { readonly bridge: KioskBridge; readonly children: ReactNode }) {
  return <KioskBridgeContext.Provider value={bridge}>{children}</KioskBridgeContext.Provider>;
}

export function useKioskBridge(): KioskBridge {
  const bridge = useContext(KioskBridgeContext);
  if (bridge === null) throw new Error('useKioskBridge: render the screens inside <KioskBridgeProvider>');
  return bridge;
}
