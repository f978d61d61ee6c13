/**
 * Builds what the end-to-end tests serve, once for the whole run: the renderer (the
 * preview's pages) and the staff dashboard (the hub's pages). The test runner sets
 * KIOSK_SKIP_RENDERER_BUILD=1 when it has just built both (`npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

const BUILDS = [
  { script: 'build:renderer', index: join(repositoryRoot, 'dist', 'renderer', 'index.html') },
  { script: 'build:dashboard', index: join(repositoryRoot, 'dist', 'dashboard', 'index.html') },
] as const;

export default function buildPages(): void {
  for (const { script, index } of BUILDS) {
    if (process.env.KIOSK_SKIP_RENDERER_BUILD !== '1') {
      execFileSync('npm', ['run', script], { cwd: repositoryRoot, stdio: 'inherit', shell: process.platform === 'win32' });
    }
    if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run ${script}" (KIOSK_SKIP_RENDERER_BUILD=1 skips the build)`);
  }
}
