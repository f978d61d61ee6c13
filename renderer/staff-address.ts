/**
 * Which part of the kiosk the window's address asks for. The visitor screens are the
 * default; `#statistics` opens the staff statistics screen. Until the staff entry (behind
 * the PIN) comes with the staff-administration issue, that address is the only way in:
 * the visitor screens show no link to it, and in the kiosk window nobody can type an
 * address, so in practice it is reachable in the browser preview only.
 */
import { useSyncExternalStore } from 'react';

export const STATISTICS_ADDRESS = '#statistics';

export type KioskPart = 'visitor' | 'statistics';

export function kioskPartOf(hash: string): KioskPart {
  return hash === STATISTICS_ADDRESS ? 'statistics' : 'visitor';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The part the address names now, following later changes of its `#…`. */
export function useKioskPart(): KioskPart {
  return useSyncExternalStore(
    subscribe,
    () => kioskPartOf(window.location.hash),
    () => 'visitor',
  );
}
