/**
 * Renders the real dashboard over a fake hub (fake-hub.ts), this page's localStorage, a
 * sound that counts its tones and a monotonic clock the test moves.
 */
import { render } from '@testing-library/react';
import type { i18n as I18n } from 'i18next';
import { DashboardApp } from '../../../renderer/dashboard/DashboardApp';
import type { AlertSound } from '../../../renderer/dashboard/alert-sound';
import { createDashboardI18n } from '../../../renderer/dashboard/dashboard-i18n';
import { deviceStorage, type DeviceStorage, type StoredCredential } from '../../../renderer/dashboard/device-storage';
import { createHubClient } from '../../../renderer/dashboard/hub-client';
import type { LanguageCode } from '../../../shared/languages';
import { FakeHub, HUB_ORIGIN, STAFF_CREDENTIAL } from './fake-hub';

export interface FakeSound extends AlertSound {
  /** Tones played. */
  readonly played: number;
  /** Whether the browser lets it play: false until allow() (a click), like a real browser. */
  allowed: boolean;
}

export function fakeSound(): FakeSound {
  const sound = {
    supported: true,
    allowed: false,
    played: 0,
    isAllowed: () => sound.allowed,
    allow: async () => {
      sound.allowed = true;
      return true;
    },
    play: () => {
      if (!sound.allowed) return false;
      sound.played += 1;
      return true;
    },
  };
  return sound;
}

export interface ManualMonotonicClock {
  now: number;
}

export interface DashboardOptions {
  readonly hub?: FakeHub;
  /** Stored before the page starts; null: a device never paired. */
  readonly credential?: StoredCredential | null;
  readonly language?: LanguageCode;
  readonly codeFromAddress?: string | null;
  readonly soundWanted?: boolean;
}

export interface RenderedDashboard {
  readonly hub: FakeHub;
  readonly i18n: I18n;
  readonly storage: DeviceStorage;
  readonly sound: FakeSound;
  readonly clock: ManualMonotonicClock;
}

export function renderDashboard(options: DashboardOptions = {}): RenderedDashboard {
  const hub = options.hub ?? new FakeHub();
  window.localStorage.clear();
  const storage = deviceStorage(window.localStorage);
  const credential = options.credential === undefined ? STAFF_CREDENTIAL : options.credential;
  if (credential !== null) storage.saveCredential(credential);
  if (options.soundWanted === true) storage.saveSoundWanted(true);
  const i18n = createDashboardI18n(options.language ?? 'en');
  const sound = fakeSound();
  const clock: ManualMonotonicClock = { now: 1_000 };
  render(
    <DashboardApp
      client={createHubClient(HUB_ORIGIN, hub.fetch)}
      i18n={i18n}
      storage={storage}
      codeFromAddress={options.codeFromAddress ?? null}
      dashboardAddress={`${HUB_ORIGIN}/dashboard/`}
      alertSound={sound}
      monotonicNow={() => clock.now}
      streamOptions={{ retryDelaysMs: [20], silenceLimitMs: 60_000 }}
    />,
  );
  return { hub, i18n, storage, sound, clock };
}

/** A text of locales/<lang>/dashboard.json as the dashboard writes it. */
export function dashboardText(i18n: I18n, key: string, values: Record<string, unknown> = {}): string {
  return (i18n.t.bind(i18n) as unknown as (key: string, options: Record<string, unknown>) => string)(key, { ...values, ns: 'dashboard' });
}
