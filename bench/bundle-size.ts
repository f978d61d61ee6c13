/**
 * The launcher's JavaScript as a browser downloads it at start: the entry chunk of
 * index.html and every chunk it imports statically, read from Vite's build manifest.
 * Chunks loaded on demand (the statistics screen) are counted apart: a visitor never
 * downloads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSizes {
  readonly files: readonly string[];
  readonly rawBytes: number;
  /** Each file gzipped at level 9 on its own, as a server would send it, then summed. */
  readonly gzipBytes: number;
}

export interface BundleSize extends ChunkSizes {
  /** The JavaScript loaded only on demand (staff screens, statistics), without the languages' texts. */
  readonly onDemand: ChunkSizes;
  /**
   * Each language's visitor texts (locales/<lang>/common.json), a chunk of its own that
   * the launcher loads for the kiosk's default language before the welcome screen, and
   * for a visitor's language when they choose it.
   */
  readonly languageTexts: Readonly<Record<string, ChunkSizes>>;
}

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}

function sizes(rendererDir: string, files: readonly string[]): ChunkSizes {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(rendererDir, file));
    rawBytes += content.byteLength;
    gzipBytes += gzipSync(content, { level: 9 }).byteLength;
  }
  return { files, rawBytes, gzipBytes };
}

export function measureBundleSize(rendererDir: string): BundleSize {
  const manifestFile = join(rendererDir, '.vite', 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`no ${manifestFile}: build the renderer first (npm run build:renderer)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const javascript = (key: string) => manifest[key]?.file.endsWith('.js') === true;

  const atStart = new Set<string>();
  const visit = (key: string) => {
    if (atStart.has(key) || manifest[key] === undefined) return;
    atStart.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry === true) visit(key);
  if (atStart.size === 0) throw new Error(`${manifestFile} names no entry chunk`);

  const languageOf = (key: string) => /(?:^|\/)locales\/([^/]+)\/common\.json$/.exec(key)?.[1];
  const onDemand = Object.keys(manifest).filter((key) => !atStart.has(key) && javascript(key) && languageOf(key) === undefined);
  const fileOf = (key: string) => manifest[key]!.file;
  const languageTexts: Record<string, ChunkSizes> = {};
  for (const key of Object.keys(manifest)) {
    const language = languageOf(key);
    if (language !== undefined && !atStart.has(key)) languageTexts[language] = sizes(rendererDir, [fileOf(key)]);
  }
  return {
    ...sizes(rendererDir, [...atStart].filter(javascript).map(fileOf).sort()),
    languageTexts,
    onDemand: sizes(rendererDir, onDemand.map(fileOf).sort()),
  };
}
