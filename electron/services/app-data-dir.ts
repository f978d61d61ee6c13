/**
 * The per-user application data folder, as Electron's app.getPath('appData') names it,
 * for the commands that run without Electron (the browser preview, the headless hub).
 */
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

export function userAppDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (platform === 'win32') return env.APPDATA ?? win32.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(home, '.config');
}

/** `<app data>/EPN Kiosk/<name>`, with the platform's separators. */
export function kioskAppDataDir(name: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = userAppDataDir(platform, env, home);
  return platform === 'win32' ? win32.join(base, 'EPN Kiosk', name) : join(base, 'EPN Kiosk', name);
}
