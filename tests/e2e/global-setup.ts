/**
 * Builds the renderer the preview serves, once for the whole run. The test runner sets
 * KIOSK_SKIP_RENDERER_BUILD=1 when it has just built it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export default function buildRenderer(): void {
  if (process.env.KIOSK_SKIP_RENDERER_BUILD !== '1') {
    execFileSync('npm', ['run', 'build:renderer'], { cwd: repositoryRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  }
  const index = join(repositoryRoot, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:renderer" (KIOSK_SKIP_RENDERER_BUILD=1 skips the build)`);
}
