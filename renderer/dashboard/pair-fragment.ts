/**
 * The QR code a helper's phone scans opens `…/dashboard/#pair=K7QM-RXHP`. The code is
 * read once, then taken out of the address bar (history.replaceState) so it is not left
 * in the browser's history or shared along with the address.
 */
import { normalizePairingCode } from '../../shared/hub-api';

const PAIR_FRAGMENT = /^#pair=([^&]*)$/i;

/** The code in the address's fragment, if it is one (null otherwise); the fragment is removed either way when it names a pairing. */
export function takePairingCodeFromAddress(location: Location, history: History): string | null {
  const match = PAIR_FRAGMENT.exec(location.hash);
  if (match === null) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  let text: string;
  try {
    text = decodeURIComponent(match[1] ?? '');
  } catch {
    return null;
  }
  return normalizePairingCode(text);
}
