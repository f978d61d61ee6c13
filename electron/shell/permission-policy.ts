/**
 * Which permission a page of the kiosk may have, decided once for permission requests
 * and permission checks alike, on every session.
 *
 * Everything is denied, except:
 * - what the open service's configuration lists in `permissions` (a video consultation
 *   needs "camera" and "microphone"), and only for a page of that service's own
 *   allow-list, never for a frame of another site embedded in it;
 * - writing to the clipboard from a service page (the "Copy" buttons sites put next to a
 *   reference number), since the clipboard is cleared at every wipe.
 *
 * The launcher (kiosk://app) gets nothing: it needs no permission. Never grantable,
 * whatever the configuration: opening external applications ('openExternal'), the file
 * system ('fileSystem'), devices (HID, USB, serial, MIDI), screen capture, and
 * everything Chromium adds later ('unknown').
 */
import type { Session } from 'electron';
import type { Service, ServicePermission } from '../../shared/config/schema';
import { decideNavigation } from '../../shared/navigation-policy';

export type ElectronPermission = Parameters<NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>>[1];

/** What the decision reads of a request or a check. */
export interface PermissionQuestion {
  readonly permission: ElectronPermission;
  /** The page (or origin) asking: a request's requestingUrl, a check's requestingOrigin. */
  readonly requestingUrl: string;
  /** For 'media': what the page asks for. Empty or undefined when Chromium does not say. */
  readonly mediaTypes?: readonly ('video' | 'audio' | 'unknown')[];
}

export type PermissionRules = Pick<Service, 'permissions' | 'allowedDomains' | 'UNSAFE_allowHttpHosts'>;

const ALWAYS_FOR_SERVICES: ReadonlySet<ElectronPermission> = new Set<ElectronPermission>(['clipboard-sanitized-write']);

/** The configured permission(s) a question needs, or null when no configuration can grant it. */
export function configuredPermissionsNeeded(question: Pick<PermissionQuestion, 'permission' | 'mediaTypes'>): readonly ServicePermission[] | null {
  switch (question.permission) {
    case 'media': {
      const types = question.mediaTypes ?? [];
      // A media request that does not say what it wants could be either: it needs both.
      if (types.length === 0 || types.includes('unknown')) return ['camera', 'microphone'];
      const needed: ServicePermission[] = [];
      if (types.includes('video')) needed.push('camera');
      if (types.includes('audio')) needed.push('microphone');
      return needed;
    }
    case 'geolocation':
      return ['geolocation'];
    case 'notifications':
      return ['notifications'];
    case 'clipboard-read':
      return ['clipboard-read'];
    case 'fullscreen':
      return ['fullscreen'];
    default:
      return null;
  }
}

/** Whether the page may have the permission. `rules` is the open service, undefined for anything else. */
export function decidePermission(question: PermissionQuestion, rules: PermissionRules | undefined): boolean {
  if (rules === undefined) return false;
  // The requesting page must itself be on the service's list: an embedded third-party
  // frame does not inherit the service's camera.
  if (!decideNavigation(question.requestingUrl, rules, 'top-level').allowed) return false;
  if (ALWAYS_FOR_SERVICES.has(question.permission)) return true;
  const needed = configuredPermissionsNeeded(question);
  if (needed === null) return false;
  return needed.every((permission) => rules.permissions.includes(permission));
}
