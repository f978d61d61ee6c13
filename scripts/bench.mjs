// `npm run bench`: builds the renderer (unless KIOSK_SKIP_RENDERER_BUILD=1), then runs
// the benchmarks of bench/ under tsx and passes their exit code on. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repositoryRoot, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' });
  if (result.error) {
    process.stderr.write(`bench: could not run ${command}: ${result.error.message}\n`);
    process.exit(1);
  }
  return result.status ?? 1;
}

if (process.env.KIOSK_SKIP_RENDERER_BUILD !== '1') {
  const built = run('npm', ['run', '--silent', 'build:renderer']);
  if (built !== 0) {
    process.stderr.write('bench: the renderer did not build, so there is nothing to measure\n');
    process.exit(built);
  }
}
process.exit(run(process.execPath, ['--import', 'tsx', 'bench/run-benchmarks.ts']));
