/** The launcher's JavaScript as a browser downloads it: every dist/renderer/assets/*.js, raw and gzipped. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly files: readonly string[];
  readonly rawBytes: number;
  /** Each file gzipped at level 9 on its own, as a server would send it, then summed. */
  readonly gzipBytes: number;
}

export function measureBundleSize(rendererDir: string): BundleSize {
  const assets = join(rendererDir, 'assets');
  const files = readdirSync(assets).filter((name) => name.endsWith('.js')).sort();
  if (files.length === 0) throw new Error(`no JavaScript in ${assets}: build the renderer first (npm run build:renderer)`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(assets, file));
    rawBytes += content.byteLength;
    gzipBytes += gzipSync(content, { level: 9 }).byteLength;
  }
  return { files, rawBytes, gzipBytes };
}
