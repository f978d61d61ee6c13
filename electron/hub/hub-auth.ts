/**
 * Who may call what on the hub: the bearer credential of a request, and the refusal a
 * device of the wrong kind gets. Pure functions over header text and device roles, so
 * the messages a kiosk or a helper's phone shows are tested without a server.
 *
 * A credential travels only in the Authorization header, never in a cookie or an address:
 * a page elsewhere on the Wi-Fi cannot make a helper's browser send it, and it never ends
 * up in a proxy's or browser's history.
 */
import type { DeviceRole } from '../../shared/hub-api';

/** Who may call a route: anyone (no credential read at all), or devices of these roles. */
export type RouteAccess = 'anyone' | readonly DeviceRole[];

export type BearerToken = { readonly ok: true; readonly token: string } | { readonly ok: false; readonly reason: 'missing' | 'malformed' };

/** Far above a real token (76 characters); a longer header is not worth looking at. */
const MAX_AUTHORIZATION_CHARS = 200;

/** The token of `Authorization: Bearer <token>`, the scheme's name in any case (RFC 7235). */
export function bearerTokenOf(header: string | readonly string[] | undefined): BearerToken {
  if (header === undefined) return { ok: false, reason: 'missing' };
  if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_CHARS) return { ok: false, reason: 'malformed' };
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (match === null) return header.trim() === '' ? { ok: false, reason: 'missing' } : { ok: false, reason: 'malformed' };
  return { ok: true, token: match[1]! };
}

const HOW_TO_PAIR = 'pair this device with a code from the staff dashboard (Devices → Pair a device), then send "Authorization: Bearer <token>" with the token the hub gave';

/** The 401 message for a request without a usable credential. */
export function unauthenticatedMessage(reason: 'missing' | 'malformed' | 'unknown'): string {
  switch (reason) {
    case 'missing':
      return `this request needs a device credential: ${HOW_TO_PAIR}`;
    case 'malformed':
      return `the Authorization header is not "Bearer <token>" with a token given by this hub: ${HOW_TO_PAIR}`;
    case 'unknown':
      return `this credential is not valid here (mistyped, revoked by staff, or from another hub): ${HOW_TO_PAIR}`;
  }
}

const ROLE_NAMES: Record<DeviceRole, string> = { kiosk: 'a kiosk', staff: 'a staff device', hub: 'a downstream hub' };

function alternatives(roles: readonly DeviceRole[]): string {
  const names = roles.map((role) => ROLE_NAMES[role]);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Null when `role` may call a route open to `allowed`; otherwise the 403 message, naming the role the route needs. */
export function roleRefusal(role: DeviceRole, allowed: readonly DeviceRole[]): string | null {
  if (allowed.includes(role)) return null;
  return `only ${alternatives(allowed)} may do this, and this credential belongs to ${ROLE_NAMES[role]}: use the credential of ${alternatives(allowed)}, or pair one with a ${allowed[0]} code from the staff dashboard`;
}
