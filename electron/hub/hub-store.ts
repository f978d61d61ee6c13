/**
 * The hub's storage: `<dataDir>/hub.sqlite`, its own file, apart from any kiosk's usage log.
 * Paired devices (secrets kept as hashes only), pairing codes (hashes only), kiosks' last
 * heartbeat, help requests and the kiosks' daily statistics with one running sum per day.
 * Everything a restart must not lose is committed before the HTTP answer goes out
 * (WAL, synchronous FULL).
 *
 * INTERFACE FIRST: the implementation (openHubStore) follows below the interface.
 */
import type { CreateHelpRequest, DeviceRole, HelpRequestView, HeartbeatRequest, KioskView, StatisticsUpload } from '../../shared/hub-api';
import type { DailyFigures } from '../../shared/statistics/daily-figures';
import type { KioskLabels } from '../../shared/statistics/export-format';

export const HUB_DATABASE_FILE_NAME = 'hub.sqlite';

export interface HubStoreOptions {
  /** Holds hub.sqlite. Created if missing. */
  readonly dataDir: string;
  /** better-sqlite3's native binding for Electron's ABI (the hub inside the staff PC's kiosk app); undefined under Node. */
  readonly nativeBinding?: string;
  /** Epoch milliseconds; tests pass a manual clock. */
  readonly now: () => number;
}

export interface StoredDevice {
  readonly deviceId: string;
  readonly role: DeviceRole;
  readonly name: string;
  readonly site: string;
  /** Kiosks only: the statistics id given at pairing; its uploads must carry this id. */
  readonly kioskId: string | null;
  readonly pairedAt: number;
  readonly lastSeenAt: number | null;
}

export interface IssuedPairingCode {
  /** "K7QM-RXHP": shown once; the store keeps a hash. */
  readonly code: string;
  readonly role: DeviceRole;
  readonly expiresAt: number;
  readonly usesLeft: number;
}

export type PairingClaim =
  | { readonly ok: true; readonly device: StoredDevice; /** `<deviceId>.<secret>`: shown once. */ readonly token: string }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'used-up' };

export type HelpTransition = 'acknowledge' | 'resolve' | 'cancel';

export type TransitionResult =
  | { readonly ok: true; readonly request: HelpRequestView; /** False when the request already was in that state (a repeated "I'm coming"): nothing changed, no event. */ readonly changed: boolean }
  | { readonly ok: false; readonly reason: 'not-found' | 'final'; readonly request: HelpRequestView | null };

export interface KioskDays {
  readonly kioskId: string;
  readonly kiosk: KioskLabels;
  readonly days: readonly DailyFigures[];
}

export interface HubStore {
  /* Pairing and credentials */
  createPairingCode(role: DeviceRole, options: { readonly expiresAt: number; readonly maxUses: number }): IssuedPairingCode;
  /** `code` already normalized (normalizePairingCode). Each use creates a new device with its own secret. */
  claimPairingCode(code: string, device: { readonly name: string; readonly site: string; readonly kioskId: string | null }): PairingClaim;
  /** The device a `<deviceId>.<secret>` token belongs to, or null; the secret's hash is compared in constant time. Revoked devices are null. */
  authenticate(token: string): StoredDevice | null;
  /** Remembers when a device was last heard from (kept in memory, written at most once a minute per device). */
  touchDevice(deviceId: string): void;
  listDevices(): StoredDevice[];
  /** Takes a device's credential away for good (a lost phone). False when there was none. */
  revokeDevice(deviceId: string): boolean;

  /* Kiosks */
  recordHeartbeat(deviceId: string, heartbeat: HeartbeatRequest): KioskView;
  listKiosks(): KioskView[];
  kiosk(deviceId: string): KioskView | null;

  /* Help requests */
  /** Idempotent on (kiosk, clientRequestId): `created` is false when it was seen before. createdAt = now - delayMs. */
  createHelpRequest(kioskDeviceId: string, request: CreateHelpRequest): { readonly request: HelpRequestView; readonly created: boolean };
  helpRequest(id: string): HelpRequestView | null;
  /** Waiting and acknowledged requests, the longest waiting first. */
  openHelpRequests(): HelpRequestView[];
  transitionHelpRequest(id: string, transition: HelpTransition): TransitionResult;

  /* Statistics */
  /** Replaces each (kioskId, day) it carries; keeps the day's running sum right. `viaDeviceId` is the uploader (kiosk or downstream hub). */
  storeUpload(upload: StatisticsUpload, viaDeviceId: string): { readonly stored: number; readonly replaced: number };
  /** The sum of all kiosks per day with figures in [from, to], in day order, from the running sums. */
  daySums(from: string, to: string): DailyFigures[];
  /** How many distinct kiosks have figures in [from, to]. */
  kioskCount(from: string, to: string): number;
  /** Every kiosk's own days in [from, to] (for exports), kiosks in id order, days in order. */
  kioskDays(from: string, to: string): KioskDays[];
  /** Kiosk-days stored or replaced since they were last forwarded upstream, grouped by kiosk, at most `maxDays` days in all. */
  pendingForward(maxDays: number): KioskDays[];
  /** Marks those kiosk-days forwarded, unless they were replaced again meanwhile. */
  markForwarded(batch: readonly KioskDays[]): void;

  close(): void;
}
