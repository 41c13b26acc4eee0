import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

// The partner portal (/portal, src/portal/): built after the app into the same
// dist/ (emptyOutDir false), as its own bundle. Modules it shares with the map
// (dom.ts, api.ts, styles.css, MapLibre for the site map) are bundled again
// here, so the map's pages keep exactly their own chunks. Hashed names keep
// identical files (MapLibre) identical.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: { input: { portal: resolve(here, 'portal.html') } },
  },
});
