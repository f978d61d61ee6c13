/**
 * Hands the real Electron module to the shell. The one place, with the preload, that
 * loads 'electron' at run time; everything else in electron/shell/ only uses its types,
 * which keeps the shell testable under plain Node.
 */
import { BrowserWindow, Menu, WebContentsView, app, clipboard, protocol, session } from 'electron';
import inspector from 'node:inspector';
import path from 'node:path';
import { resolveSqliteNativeBinding } from '../services/native-binding';
import { loadElectronIpcMain } from './ipc-binding';
import { startKioskShell, type ComposeServices } from './kiosk-shell';
import { createLogFile } from '../services/log-file';
import { createKioskLog } from './shell-log';

export function runKioskShell(composeServices: ComposeServices): void {
  // Standard error, and <data folder>/logs/kiosk.log once the shell has chosen the data folder.
  const logFile = createLogFile();
  const log = createKioskLog(logFile);
  // Bundled as dist/electron/main.cjs: the preload sits next to it, the launcher in dist/renderer.
  const distElectron = __dirname;
  startKioskShell(
    {
      app,
      protocol,
      setApplicationMenu: (menu) => Menu.setApplicationMenu(menu),
      popupMenu: (template, window: BrowserWindow) => Menu.buildFromTemplate([...template]).popup({ window }),
      defaultSession: () => session.defaultSession,
      fromPartition: (partition) => session.fromPartition(partition),
      invokeRegistrar: loadElectronIpcMain(),
      createWindow: (options) => new BrowserWindow(options),
      createView: (webPreferences) => new WebContentsView({ webPreferences }),
      clipboard,
    },
    {
      argv: process.argv,
      execArgv: process.execArgv,
      nodeOptions: process.env.NODE_OPTIONS,
      inspectorActive: inspector.url() !== undefined,
      rendererRoot: path.join(distElectron, '..', 'renderer'),
      preloadPath: path.join(distElectron, 'preload.cjs'),
      log,
      attachLogFile: (dataDir) => logFile.attach(dataDir),
      onUncaughtError: (listener) => {
        process.on('uncaughtException', listener);
        process.on('unhandledRejection', listener);
      },
      // dist/electron/main.cjs: the project root, where .native/ holds the Electron build of better-sqlite3.
      sqliteNativeBinding: resolveSqliteNativeBinding({
        electronVersion: process.versions.electron,
        modulesVersion: process.versions.modules,
        projectRoot: path.join(distElectron, '..', '..'),
      }),
    },
    composeServices,
  ).catch((error: unknown) => {
    log(`the kiosk could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    app.exit(1);
  });
}
