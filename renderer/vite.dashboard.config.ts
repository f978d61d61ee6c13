// Builds the staff dashboard into dist/dashboard/: the EPN hub serves it at /dashboard/.
// A build of its own, so the launcher's bundle (renderer/vite.config.ts) and its
// bundle-size benchmark never see the dashboard's code.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: `${import.meta.dirname}/dashboard`,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/dashboard',
    emptyOutDir: true,
    // Helpers' phones run current browsers, which support modulepreload: no polyfill to ship.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    // Tells which chunks load at start and which only on demand (statistics, QR code).
    manifest: true,
  },
  server: {
    // The dashboard imports shared/, locales/ and a few renderer/ modules beside it.
    fs: { allow: ['../..'] },
  },
});
