/**
 * What this phone or PC remembers between visits, in its own localStorage: its
 * credential for the hub, whether the alert sound is wanted, the chosen language.
 * Anything unreadable counts as absent (the device pairs again), never as an error.
 */
import { DeviceRoleSchema, DeviceTokenSchema, HubIdSchema, HubRoleSchema, SiteNameSchema, type PairingClaimResponse } from '../../shared/hub-api';
import { z } from 'zod';
import { isLanguageCode, type LanguageCode } from '../../shared/languages';

const CREDENTIAL_KEY = 'epn-dashboard.credential';
const SOUND_KEY = 'epn-dashboard.sound';
const LANGUAGE_KEY = 'epn-dashboard.language';

const StoredCredentialSchema = z.object({
  token: DeviceTokenSchema,
  deviceId: HubIdSchema,
  role: DeviceRoleSchema,
  site: SiteNameSchema,
  hubRole: HubRoleSchema,
});
export type StoredCredential = z.infer<typeof StoredCredentialSchema>;

export function credentialFromPairing(answer: PairingClaimResponse): StoredCredential {
  return { token: answer.token, deviceId: answer.deviceId, role: answer.role, site: answer.hub.site, hubRole: answer.hub.role };
}

export interface DeviceStorage {
  credential(): StoredCredential | null;
  saveCredential(credential: StoredCredential): void;
  forgetCredential(): void;
  soundWanted(): boolean;
  saveSoundWanted(wanted: boolean): void;
  language(): LanguageCode | null;
  saveLanguage(language: LanguageCode): void;
}

/** Private browsing or a full quota make writes fail: the dashboard still works for this visit. */
function attempt(action: () => void): void {
  try {
    action();
  } catch {
    // Nothing to do: it will simply not be remembered.
  }
}

function read(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

export function deviceStorage(storage: Storage): DeviceStorage {
  return {
    credential() {
      const text = read(storage, CREDENTIAL_KEY);
      if (text === null) return null;
      try {
        const parsed = StoredCredentialSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    saveCredential: (credential) => attempt(() => storage.setItem(CREDENTIAL_KEY, JSON.stringify(credential))),
    forgetCredential: () => attempt(() => storage.removeItem(CREDENTIAL_KEY)),
    soundWanted: () => read(storage, SOUND_KEY) === 'on',
    saveSoundWanted: (wanted) => attempt(() => storage.setItem(SOUND_KEY, wanted ? 'on' : 'off')),
    language() {
      const value = read(storage, LANGUAGE_KEY);
      return isLanguageCode(value) ? value : null;
    },
    saveLanguage: (language) => attempt(() => storage.setItem(LANGUAGE_KEY, language)),
  };
}
