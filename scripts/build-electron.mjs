#!/usr/bin/env node
// Bundles the Electron main process, the launcher's preload and the headless hub into dist/electron/.
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

/**
 * ES-module code under electron/ finds files beside it through import.meta.url, which a
 * CommonJS bundle does not have: each bundle gets the URL of its own file instead. Paths
 * stay right because dist/electron/ is as deep as electron/hub/ or electron/services/.
 */
const importMetaUrlOfBundle = {
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
};

async function main() {
  rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();

  const [mainResult, preloadResult, hubResult] = await Promise.all([
    build({
      ...common,
      ...importMetaUrlOfBundle,
      entryPoints: { main: 'electron/main.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      // electron-updater is loaded from the package's node_modules, and only where a feed is set.
      external: ['electron', 'better-sqlite3', 'electron-updater'],
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
    // `npm run hub` runs this bundle with plain Node: no TypeScript loader in the hub's memory.
    // npm packages stay in node_modules, where Node finds them from dist/electron/.
    build({
      ...common,
      ...importMetaUrlOfBundle,
      entryPoints: { 'hub-cli': 'electron/hub/hub-cli.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      packages: 'external',
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
    `dist/electron: main.cjs ${kilobytes(size(mainResult))}, preload.cjs ${kilobytes(size(preloadResult))}, hub-cli.cjs ${kilobytes(size(hubResult))} (${Date.now() - started} ms; main leaves to its host: ${externalImportsOf(mainResult.metafile).filter((name) => !name.startsWith('node:')).join(', ') || 'nothing'})\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`build-electron: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
