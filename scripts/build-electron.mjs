#!/usr/bin/env node
// Bundles the Electron main process and the launcher's preload into dist/electron/.
//
// - main.cjs: the whole main side in one file; 'electron' is Electron's own module and
//   better-sqlite3 is a native module loaded from node_modules (or .native/), so both
//   stay outside the bundle.
// - preload.cjs: runs sandboxed, where `require` knows only a handful of modules; it
//   carries everything it needs (shared/, zod) and takes only 'electron' from its host.
//   The build fails if anything else slips in as an import.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'electron');

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

/** Imports the bundle leaves to its host at run time. */
function externalImportsOf(metafile) {
  const imports = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const entry of output.imports) {
      if (entry.external) imports.add(entry.path);
    }
  }
  return [...imports].sort();
}

async function main() {
  rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();

  const [mainResult, preloadResult] = await Promise.all([
    build({
      ...common,
      entryPoints: { main: 'electron/main.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      external: ['electron', 'better-sqlite3'],
    }),
    build({
      ...common,
      entryPoints: { preload: 'electron/shell/preload.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
      // Parsed before every launcher page load: keep it small.
      minify: true,
    }),
  ]);

  const preloadImports = externalImportsOf(preloadResult.metafile);
  const unexpected = preloadImports.filter((name) => name !== 'electron');
  if (unexpected.length > 0) {
    throw new Error(`the sandboxed preload cannot load ${unexpected.join(', ')}: it must import only 'electron' and bundled code`);
  }

  const size = (result) => Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.cjs')).reduce((sum, [, output]) => sum + output.bytes, 0);
  const kilobytes = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
  process.stdout.write(
    `dist/electron: main.cjs ${kilobytes(size(mainResult))}, preload.cjs ${kilobytes(size(preloadResult))} (${Date.now() - started} ms; main leaves to its host: ${externalImportsOf(mainResult.metafile).filter((name) => !name.startsWith('node:')).join(', ') || 'nothing'})\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`build-electron: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
