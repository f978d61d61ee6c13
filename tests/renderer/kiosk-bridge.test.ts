import { afterEach, describe, expect, it } from 'vitest';
import { buildKioskBridge } from '../../shared/bridge';
import { getKioskBridge } from '../../renderer/bridge/kiosk-bridge';

describe('getKioskBridge', () => {
  afterEach(() => {
    Reflect.deleteProperty(window, 'kiosk');
  });

  it('uses the bridge the Electron preload put on window', () => {
    const preloadBridge = buildKioskBridge({
      invoke: async () => ({ ok: true, value: {} }),
      subscribe: () => () => undefined,
    });
    Object.defineProperty(window, 'kiosk', { value: preloadBridge, configurable: true });
    expect(getKioskBridge()).toBe(preloadBridge);
  });

  it('builds the preview bridge when there is no preload, with one function per channel', () => {
    expect(window.kiosk).toBeUndefined();
    const bridge = getKioskBridge();
    expect(typeof bridge.service.open).toBe('function');
    expect(typeof bridge.config.onChanged).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
  });
});
