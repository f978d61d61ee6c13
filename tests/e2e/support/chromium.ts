/**
 * Which Chromium the end-to-end tests and the benchmarks drive, and how.
 *
 * Build machines cannot download Playwright's own browsers, so Debian's `chromium`
 * package is used when it is there (or the one CHROMIUM_PATH names). On a developer's
 * machine without it, Playwright's default browser is used.
 */
import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium as root in a container: no GPU, no network chatter, nothing from a previous run. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser to launch, or undefined for Playwright's default. */
export function chromiumExecutablePath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CHROMIUM_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH names ${chosen}, which does not exist`);
    return chosen;
  }
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/**
 * Launch options for Playwright. Playwright itself adds --headless, --no-sandbox
 * (its chromiumSandbox option is off by default) and a fresh --user-data-dir.
 */
export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): { executablePath?: string; args: string[]; headless: true } {
  const executablePath = chromiumExecutablePath(env);
  return { ...(executablePath === undefined ? {} : { executablePath }), args: [...CHROMIUM_ARGS], headless: true };
}
