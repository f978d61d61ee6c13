/**
 * A small configuration and the real main-side services built on it, for the shell's
 * tests: the shell is exercised against the same handlers the kiosk runs, not stand-ins.
 */
import { parseKioskConfig, type KioskConfig, type KioskConfigInput, type Service } from '../../../shared/config/schema';
import { createUnconfiguredHelpChannel } from '../../../electron/services/help-client';
import { createKioskHandlers } from '../../../electron/services/kiosk-handlers';
import type { ComposeServices } from '../../../electron/shell/kiosk-shell';

export const TEST_CONFIG_INPUT = {
  schemaVersion: 1,
  kiosk: { name: 'PC 3', site: 'EPN de Test' },
  languages: { offered: ['fr', 'en'], default: 'fr' },
  themes: [{ id: 'administration', icon: 'building' }],
  services: [
    {
      id: 'taxes',
      label: { fr: 'Impôts', en: 'Taxes' },
      theme: 'administration',
      icon: 'tax',
      startUrl: 'https://www.example.be/start',
      allowedDomains: ['example.be', 'login.example.org'],
    },
    {
      id: 'library',
      label: { fr: 'Bibliothèque', en: 'Library' },
      theme: 'administration',
      icon: 'document',
      startUrl: 'http://192.168.1.20/',
      allowedDomains: ['192.168.1.20'],
      UNSAFE_allowHttpHosts: ['192.168.1.20'],
    },
  ],
} satisfies KioskConfigInput;

export function testConfig(input: KioskConfigInput = TEST_CONFIG_INPUT): KioskConfig {
  const parsed = parseKioskConfig(input);
  if (!parsed.ok) throw new Error(`the test configuration is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

export function testService(id: string, config: KioskConfig = testConfig()): Service {
  const service = config.services.find((candidate) => candidate.id === id);
  if (service === undefined) throw new Error(`no service ${id} in the test configuration`);
  return service;
}

/** A configuration source whose configuration the test can change, with change listeners. */
export function changeableConfig(initial: KioskConfig = testConfig()) {
  let config = initial;
  const listeners = new Set<(next: KioskConfig) => void>();
  let closed = false;
  return {
    current: () => config,
    change(next: KioskConfig) {
      config = next;
      for (const listener of listeners) listener(next);
    },
    onChange(listener: (next: KioskConfig) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
    },
    isClosed: () => closed,
  };
}

/** What electron/main.ts composes, over a configuration the test controls. */
export function composeWith(config: ReturnType<typeof changeableConfig>, calls: { dataDir?: string } = {}): ComposeServices {
  return ({ dataDir, presenter, sessions }) => {
    calls.dataDir = dataDir;
    return {
      handlers: createKioskHandlers({ config, presenter, sessions, help: createUnconfiguredHelpChannel() }),
      onConfigChanged: (listener) => {
        const unsubscribe = config.onChange(listener);
        return () => {
          unsubscribe();
        };
      },
      close: () => config.close(),
    };
  };
}
