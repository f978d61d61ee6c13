/**
 * A device's credential with an EPN hub: claimed once with a pairing code from the staff
 * dashboard (POST /api/v1/pairing), then kept in the data folder (hub-credential.json,
 * readable by this account only) and sent with every call.
 *
 * The file names the hub it belongs to: a kiosk moved to another hub's address does not
 * send its old credential there, and claims a new one with the configured code.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DeviceRoleSchema, DeviceTokenSchema, HubIdSchema, PairingClaimResponseSchema, normalizePairingCode, type DeviceRole } from '../../shared/hub-api';
import { writeFileAtomically } from './atomic-file';
import { callHub, normalizeHubUrl } from './hub-http';

export const HUB_CREDENTIAL_FILE_NAME = 'hub-credential.json';

export interface HubCredential {
  readonly hubUrl: string;
  readonly deviceId: string;
  readonly role: DeviceRole;
  readonly token: string;
  readonly pairedAt: number;
}

const StoredCredentialSchema = z
  .object({
    hubUrl: z.string().min(1).max(500),
    deviceId: HubIdSchema,
    role: DeviceRoleSchema,
    token: DeviceTokenSchema,
    pairedAt: z.number().int().min(0),
  })
  .strict()
  .refine((credential) => credential.token.startsWith(`${credential.deviceId}.`), { error: 'the token does not belong to the device' });

/** The credential in `file` for the hub at `hubUrl`; null when missing, unreadable, malformed or for another hub. */
export function readHubCredential(file: string, hubUrl: string): HubCredential | null {
  const wanted = normalizeHubUrl(hubUrl);
  if (wanted === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const checked = StoredCredentialSchema.safeParse(parsed);
  if (!checked.success) return null;
  if (normalizeHubUrl(checked.data.hubUrl) !== wanted) return null;
  return checked.data;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type ClaimResult = { ok: true; credential: HubCredential } | { ok: false; message: string; retryable: boolean };

export interface ClaimOptions {
  readonly file: string;
  readonly hubUrl: string;
  readonly code: string;
  /** The device's name as helpers see it ("PC 3"). */
  readonly name: string;
  readonly site: string;
  /** Kiosks: the random statistics id (kiosk-identity.ts). */
  readonly kioskId?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** PEM to trust for a hub with a self-signed certificate (hub-http.ts). */
  readonly ca?: string;
}

/**
 * Turns a pairing code into a credential and keeps it in `file`, written atomically and
 * only once the hub has answered. `retryable` is false when the hub refused the code
 * (unknown, expired, used up): trying the same code again cannot work.
 */
export async function claimHubCredential(options: ClaimOptions): Promise<ClaimResult> {
  const hubUrl = normalizeHubUrl(options.hubUrl);
  if (hubUrl === null) return { ok: false, retryable: false, message: `"${options.hubUrl.slice(0, 200)}" is not an http:// or https:// address of a hub` };
  const code = normalizePairingCode(options.code);
  if (code === null) return { ok: false, retryable: false, message: `"${options.code.slice(0, 40)}" is not a pairing code: copy the 8 characters shown on the staff dashboard, for example "K7QM-RXHP"` };
  const result = await callHub(hubUrl, {
    method: 'POST',
    path: '/api/v1/pairing',
    // No site: the hub files the device under its own.
    body: { code, name: options.name, ...(options.site.trim() === '' ? {} : { site: options.site }), ...(options.kioskId === undefined ? {} : { kioskId: options.kioskId }) },
    answer: PairingClaimResponseSchema,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  if (!result.ok) {
    // A refusal the hub may lift by itself (too many attempts, a hub in trouble) is worth another try.
    const retryable = result.kind !== 'refused' || result.status === 429 || (result.status !== null && result.status >= 500);
    const advice = retryable ? 'it is tried again later' : 'ask for a new pairing code on the staff dashboard';
    return { ok: false, retryable, message: `pairing with the hub at ${hubUrl} failed: ${result.message} (${advice})` };
  }
  const credential: HubCredential = {
    hubUrl,
    deviceId: result.value.deviceId,
    role: result.value.role,
    token: result.value.token,
    pairedAt: (options.now ?? Date.now)(),
  };
  try {
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileAtomically(options.file, `${JSON.stringify(credential, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    return { ok: false, retryable: true, message: `the hub at ${hubUrl} paired this device, but its credential could not be kept (${describe(error)}): it pairs again on the next attempt` };
  }
  return { ok: true, credential };
}

/** What a credential keeper needs to know, read at every use so a new configuration applies at once. */
export interface HubPairingSettings {
  /** Null when no hub is configured. */
  readonly hubUrl: string | null;
  readonly pairingCode: string | undefined;
  readonly name: string;
  readonly site: string;
}

export interface HubCredentialKeeper {
  /**
   * The credential for the configured hub: the one on file, else one claimed now with the
   * configured pairing code. Null when no hub is configured, no code is given, the code was
   * refused, or the hub cannot be reached (the caller tries again later). Never throws.
   */
  current(): Promise<HubCredential | null>;
  /** The hub refused this credential (revoked, or the hub's data was reset): it is not used again. */
  refused(credential: HubCredential): void;
}

export interface HubCredentialKeeperOptions {
  readonly file: string;
  readonly settings: () => HubPairingSettings;
  readonly kioskId?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly log: (line: string) => void;
}

/**
 * Shared by the help call, the heartbeat and the statistics upload: one claim at a time,
 * a refused code is not sent again until the configuration gives another one, and each
 * problem is logged once rather than at every retry.
 */
export function createHubCredentialKeeper(options: HubCredentialKeeperOptions): HubCredentialKeeper {
  const refusedCodes = new Set<string>();
  const refusedTokens = new Set<string>();
  let claiming: Promise<HubCredential | null> | null = null;
  let lastProblem: string | null = null;

  const problem = (text: string) => {
    if (text !== lastProblem) options.log(text);
    lastProblem = text;
  };

  async function claim(settings: HubPairingSettings & { hubUrl: string }): Promise<HubCredential | null> {
    const code = settings.pairingCode === undefined ? null : normalizePairingCode(settings.pairingCode);
    if (code === null) {
      problem(
        settings.pairingCode === undefined
          ? `this kiosk is not paired with the hub at ${settings.hubUrl}: put a kiosk pairing code from the staff dashboard in help.hub.pairingCode`
          : `help.hub.pairingCode "${settings.pairingCode.slice(0, 40)}" is not a pairing code: copy the 8 characters shown on the staff dashboard, for example "K7QM-RXHP"`,
      );
      return null;
    }
    const refusalKey = `${settings.hubUrl} ${code}`;
    if (refusedCodes.has(refusalKey)) return null;
    const result = await claimHubCredential({
      file: options.file,
      hubUrl: settings.hubUrl,
      code,
      name: settings.name,
      site: settings.site,
      ...(options.kioskId === undefined ? {} : { kioskId: options.kioskId }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    if (result.ok) {
      lastProblem = null;
      options.log(`paired with the hub at ${result.credential.hubUrl} as device ${result.credential.deviceId}`);
      return result.credential;
    }
    if (!result.retryable) refusedCodes.add(refusalKey);
    problem(result.message);
    return null;
  }

  return {
    async current() {
      try {
        const settings = options.settings();
        if (settings.hubUrl === null) return null;
        const onFile = readHubCredential(options.file, settings.hubUrl);
        if (onFile !== null && !refusedTokens.has(onFile.token)) return onFile;
        claiming ??= claim({ ...settings, hubUrl: settings.hubUrl }).finally(() => {
          claiming = null;
        });
        return await claiming;
      } catch (error) {
        problem(`the hub credential could not be read or claimed: ${describe(error)}`);
        return null;
      }
    },
    refused(credential) {
      if (refusedTokens.has(credential.token)) return;
      refusedTokens.add(credential.token);
      options.log(`the hub at ${credential.hubUrl} no longer accepts this kiosk's credential (device ${credential.deviceId}): pair it again with a new code in help.hub.pairingCode`);
    },
  };
}
