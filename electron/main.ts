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
import { openKioskUsageLog } from './services/usage-store';
import { runKioskShell } from './shell/run-kiosk-shell';

runKioskShell(({ dataDir, sqliteNativeBinding, presenter, sessions, files, log }) => {
  const config = openConfigStore({ dataDir, watch: true, log });
  const help = createUnconfiguredHelpChannel(() => log('help requested; no help channel is set up on this kiosk'));
  // <dataDir>/usage.sqlite; events in memory if SQLite cannot be used at all.
  const usage = openKioskUsageLog({ dataDir, config, nativeBinding: sqliteNativeBinding, clock: systemClock, log });
  const controller = createSessionController({ settings: () => config.current().session, sessions, presenter, usageLog: usage.usageLog, clock: systemClock, log });
  const stopFollowingSettings = config.onChange(() => controller.settingsChanged());
  return {
    handlers: createKioskHandlers({ config, presenter, controller, files, help, statistics: usage.statistics }),
    session: controller,
    onConfigChanged: (listener) => config.onChange(listener),
    close: () => {
      stopFollowingSettings();
      controller.close();
      usage.close();
      config.close();
    },
  };
});
