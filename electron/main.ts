/**
 * The kiosk's composition root: builds the main-side services and hands them to the
 * Electron shell. No decisions here; each piece is a module of its own, named for what
 * it does (electron/README.md).
 */
import { openConfigStore } from './services/config-store';
import { createUnconfiguredHelpChannel } from './services/help-client';
import { createKioskHandlers } from './services/kiosk-handlers';
import { runKioskShell } from './shell/run-kiosk-shell';

runKioskShell(({ dataDir, presenter, sessions, log }) => {
  const config = openConfigStore({ dataDir, watch: true, log });
  const help = createUnconfiguredHelpChannel(() => log('help requested; no help channel is set up on this kiosk'));
  return {
    handlers: createKioskHandlers({ config, presenter, sessions, help }),
    onConfigChanged: (listener) => config.onChange(listener),
    close: () => config.close(),
  };
});
