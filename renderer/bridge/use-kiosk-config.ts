/**
 * The configuration in force, for any screen: asked once at start (again every
 * CONFIG_RETRY_MS while the main side cannot give it), then followed through
 * `config:changed`, so a file saved by staff redraws the screens without a restart.
 */
import { useEffect, useState } from 'react';
import { KioskConfigSchema, type KioskConfig } from '../../shared/config/schema';
import type { KioskBridge } from '../../shared/contract';
import { callSafely } from './call-safely';

/** How long to wait before asking again for a configuration the main side could not give. */
export const CONFIG_RETRY_MS = 3000;

export interface KioskConfigState {
  readonly config: KioskConfig | null;
  /** True while the last request failed and a retry is pending. */
  readonly unavailable: boolean;
}

export function useKioskConfig(bridge: KioskBridge): KioskConfigState {
  const [config, setConfig] = useState<KioskConfig | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  useEffect(() => {
    let stopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const result = await callSafely(() => bridge.config.get());
      if (stopped) return;
      if (!result.ok) {
        setUnavailable(true);
        retryTimer = setTimeout(() => void load(), CONFIG_RETRY_MS);
        return;
      }
      setConfig(result.value);
      setUnavailable(false);
    };
    void load();
    const stopListening = bridge.config.onChanged((payload) => {
      const parsed = KioskConfigSchema.safeParse(payload);
      if (parsed.success) setConfig(parsed.data);
    });
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      stopListening();
    };
  }, [bridge]);

  return { config, unavailable };
}
