// Builds the visitor screens into dist/renderer/: served by the Electron shell's custom
// protocol and by the browser preview. Paths stay relative (base './') for both.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Chromium (Electron, the preview's browsers) supports modulepreload: no polyfill to ship.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    // .vite/manifest.json tells which chunks the launcher loads at start and which only on
    // demand (the statistics screen): the bundle-size benchmark reads it.
    manifest: true,
  },
  server: {
    // The screens import shared/ and locales/, which sit beside renderer/.
    fs: { allow: ['..'] },
  },
});
