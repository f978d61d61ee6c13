#!/usr/bin/env node
// Renders build/icon.svg into the icons electron-builder packages:
// - build/icon.png: 512×512, the Linux icon (electron-builder derives the smaller sizes);
// - build/icon.ico: 256, 128, 64, 48, 32, 24 and 16 pixels, PNG-compressed entries, for Windows.
// Uses Chromium through Playwright (Debian's /usr/bin/chromium when it is there). The outputs
// are committed: run this again only when icon.svg changes (`node scripts/make-icons.mjs`).
import { chromium } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const ICO_SIZES = [256, 128, 64, 48, 32, 24, 16];

/** An .ico file whose entries are PNG images (Windows Vista and later read them). */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

async function main() {
  const svg = readFileSync(path.join(buildDir, 'icon.svg'), 'utf8');
  const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath === undefined ? {} : { executablePath }),
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const render = async (size) => {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      const html = `<!doctype html><html><head><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style></head><body>${svg}</body></html>`;
      await page.setContent(html);
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await page.close();
      return png;
    };
    writeFileSync(path.join(buildDir, 'icon.png'), await render(512));
    const images = [];
    for (const size of ICO_SIZES) images.push({ size, png: await render(size) });
    writeFileSync(path.join(buildDir, 'icon.ico'), icoFromPngs(images));
    process.stdout.write(`build/icon.png (512×512) and build/icon.ico (${ICO_SIZES.join(', ')} px) written from build/icon.svg\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`make-icons: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
