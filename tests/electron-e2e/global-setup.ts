/**
 * Builds what Electron runs (dist/renderer, dist/electron) once for the whole run, and
 * only where an Electron binary is installed: elsewhere every test reports itself
 * skipped and there is nothing to run. KIOSK_SKIP_RENDERER_BUILD=1 reuses a renderer
 * the test runner has just built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { electronBinary, mainScript, repositoryRoot, SKIPPED_WITHOUT_ELECTRON } from './electron-kiosk';

export default function buildForElectron(): void {
  if (!electronBinary.available) {
    // The list reporter shows skipped tests without their reason: say it once, here.
    process.stdout.write(`Real-Electron suite skipped: ${SKIPPED_WITHOUT_ELECTRON}\n`);
    return;
  }
  if (process.env.KIOSK_SKIP_RENDERER_BUILD !== '1') {
    execFileSync('npm', ['run', 'build:renderer'], { cwd: repositoryRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  }
  execFileSync(process.execPath, [path.join(repositoryRoot, 'scripts', 'build-electron.mjs')], { cwd: repositoryRoot, stdio: 'inherit' });
  const launcher = path.join(repositoryRoot, 'dist', 'renderer', 'index.html');
  for (const built of [launcher, mainScript]) {
    if (!existsSync(built)) throw new Error(`${built} is missing after the build`);
  }
}
