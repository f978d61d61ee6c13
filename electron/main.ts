/**
 * The kiosk's composition root: builds the main-side services and hands them to the
 * Electron shell. No decisions here; each piece is a module of its own, named for what
 * it does (electron/README.md).
 */
import { systemClock } from './services/clock';
import { openConfigStore } from './services/config-store';
import { createUnconfiguredHelpChannel } from './services/help-client';
import { createKioskHandlers } from './services/kiosk-handlers';
import { createSessionController } from './services/session-controller';
import { createMemoryUsageLog } from './services/usage-log';
import { runKioskShell } from './shell/run-kiosk-shell';

runKioskShell(({ dataDir, presenter, sessions, files, log }) => {
  const config = openConfigStore({ dataDir, watch: true, log });
  const help = createUnconfiguredHelpChannel(() => log('help requested; no help channel is set up on this kiosk'));
  // In memory until the usage-log store exists; it records the same events.
  const usageLog = createMemoryUsageLog();
  const controller = createSessionController({ settings: () => config.current().session, sessions, presenter, usageLog, clock: systemClock, log });
  const stopFollowingSettings = config.onChange(() => controller.settingsChanged());
  return {
    handlers: createKioskHandlers({ config, presenter, controller, files, help }),
    session: controller,
    onConfigChanged: (listener) => config.onChange(listener),
    close: () => {
      stopFollowingSettings();
      controller.close();
      config.close();
    },
  };
});
