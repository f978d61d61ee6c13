/**
 * The kiosk's composition root: builds the main-side services and hands them to the
 * Electron shell. No decisions here; each piece is a module of its own, named for what
 * it does (electron/README.md).
 */
import { join } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import type { HubHost } from './hub/hub-host';
import { systemClock } from './services/clock';
import { createConfigEditor } from './services/config-editor';
import { openConfigStore } from './services/config-store';
import { createHelpService } from './services/help-client';
import { HUB_CREDENTIAL_FILE_NAME, createHubCredentialKeeper } from './services/hub-credential';
import { startHubHeartbeat } from './services/hub-heartbeat';
import { createKioskHandlers } from './services/kiosk-handlers';
import { loadKioskIdentity } from './services/kiosk-identity';
import { createSessionController } from './services/session-controller';
import { createStaffMode } from './services/staff-mode';
import { openStaffPinStore } from './services/staff-pin';
import { startStatisticsUpload } from './services/statistics-upload';
import { openKioskUsageLog } from './services/usage-store';
import { runKioskShell } from './shell/run-kiosk-shell';

/** The staff PC's own hub keeps its hub.sqlite here, apart from the kiosk's usage log. */
const STAFF_HUB_FOLDER = 'hub';
/** Bundled as dist/electron/main.cjs: the built dashboard sits in dist/dashboard. */
const DASHBOARD_DIR = join(__dirname, '..', 'dashboard');

runKioskShell(({ dataDir, sqliteNativeBinding, presenter, sessions, files, log }) => {
  const config = openConfigStore({ dataDir, watch: true, log });
  const { kioskId } = loadKioskIdentity(dataDir, log);
  // <dataDir>/usage.sqlite; events in memory if SQLite cannot be used at all.
  const usage = openKioskUsageLog({ dataDir, kioskId, config, nativeBinding: sqliteNativeBinding, clock: systemClock, log });
  const controller = createSessionController({ settings: () => config.current().session, sessions, presenter, usageLog: usage.usageLog, clock: systemClock, log });
  const stopFollowingSettings = config.onChange(() => controller.settingsChanged());
  // <dataDir>/staff-pin.json: the PIN's hash and the count of wrong PINs.
  const staff = createStaffMode({ pinStore: openStaffPinStore({ dataDir, log }), settings: () => config.current().staff, controller, clock: systemClock, log });
  const configEditor = createConfigEditor({ store: config, dataDir, log });

  const kiosk = () => ({ name: config.current().kiosk.name, site: config.current().kiosk.site });
  const hubUrl = () => config.current().help.hub?.url ?? null;
  const credentials = createHubCredentialKeeper({
    file: join(dataDir, HUB_CREDENTIAL_FILE_NAME),
    settings: () => ({ hubUrl: hubUrl(), pairingCode: config.current().help.hub?.pairingCode, ...kiosk() }),
    kioskId,
    now: () => Date.now(),
    log,
  });
  const help = createHelpService({ settings: () => config.current().help, kiosk, kioskId, credentialFile: join(dataDir, HUB_CREDENTIAL_FILE_NAME), credentials, usageLog: usage.usageLog, clock: systemClock, log });
  const heartbeat = startHubHeartbeat({ hubUrl, credentials, kiosk, appVersion: packageJson.version, clock: systemClock, log });
  const upload = startStatisticsUpload({ hubUrl, credentials, figures: usage.figures, kioskId, kiosk, clock: systemClock, log });
  const stopFollowingSession = controller.onChange((snapshot) => {
    help.sessionChanged(snapshot);
    heartbeat.sessionChanged(snapshot);
  });

  // The staff PC also runs the EPN hub. It starts in the background (the kiosk itself never
  // waits for it), and is loaded only there: public PCs never load the hub's server.
  let staffHub: HubHost | null = null;
  let closing = false;
  const hubSettings = config.current().kiosk.role === 'staff' ? config.current().hub : null;
  if (hubSettings !== null) {
    import('./hub/hub-host')
      .then(({ startHubFromSettings }) =>
        startHubFromSettings({ settings: hubSettings, site: config.current().kiosk.site, dataDir: join(dataDir, STAFF_HUB_FOLDER), dashboardDir: DASHBOARD_DIR, nativeBinding: sqliteNativeBinding, log }),
      )
      .then(
        (started) => {
          staffHub = started;
          log(`the EPN hub runs at ${started.url}; helpers open ${started.dashboardUrl}`);
          if (closing) void started.close();
        },
        (error: unknown) => log(`the EPN hub could not start: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  return {
    handlers: createKioskHandlers({ config, presenter, controller, files, help, statistics: usage.statistics, staff, configEditor }),
    session: controller,
    onConfigChanged: (listener) => config.onChange(listener),
    // Off unless the configuration names a feed (docs/configuration.md, "updates").
    updateFeedUrl: () => config.current().updates?.feedUrl ?? null,
    onHelpChanged: (listener) => help.onChange(listener),
    onStaffChanged: (listener) => staff.onChange(listener),
    staffKeyChord: () => config.current().staff.keyChord,
    close: () => {
      closing = true;
      stopFollowingSession();
      stopFollowingSettings();
      upload.close();
      heartbeat.close();
      help.close();
      if (staffHub !== null) void (staffHub as HubHost).close();
      staff.shutdown();
      controller.close();
      usage.close();
      config.close();
    },
  };
});
