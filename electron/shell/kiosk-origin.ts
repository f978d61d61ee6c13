/**
 * The launcher's own origin, `kiosk://app`. Kept apart from the protocol handler so the
 * sandboxed preload can use it without pulling in Node's file system.
 */
export const KIOSK_SCHEME = 'kiosk';
export const KIOSK_APP_HOST = 'app';
export const LAUNCHER_URL = `${KIOSK_SCHEME}://${KIOSK_APP_HOST}/index.html`;

/** True only for a URL of the launcher's own origin. */
export function isKioskAppUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    parsed.protocol === `${KIOSK_SCHEME}:` &&
    parsed.hostname === KIOSK_APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
