import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const here = dirname(fileURLToPath(import.meta.url));

// During `npm run dev`, API and server-rendered pages are proxied to a running
// tracker (API_URL, default the `make run` address).
const api = process.env.API_URL ?? 'http://127.0.0.1:8080';

/**
 * Starts the first coloured map's big download from the HTML, in parallel
 * with the entry script: the lazily imported map chunk (modulepreload). The
 * app still imports it itself. (The geometry comes as vector tiles whose URLs
 * carry the data revision, which the HTML does not know.)
 * (A prefetch of the MapLibre worker was tried: Chromium fetched it twice.)
 */
function preloadMap(): Plugin {
  return {
    name: 'preload-map',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.path.endsWith('/index.html')) return []; // the embed page starts its own downloads
        const files = Object.values(ctx.bundle ?? {});
        const map = files.find((f) => f.type === 'chunk' && f.name === 'map');
        // The map chunk and the small chunks it imports (shared with the lazily loaded picture code).
        const preloaded = new Set(ctx.chunk?.imports ?? []); // this page's own imports are preloaded by Vite
        const mapFiles = map?.type === 'chunk' ? [map.fileName, ...map.imports.filter((f) => !preloaded.has(f))] : [];
        return [
          ...mapFiles.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', href: `/${f}`, crossorigin: '' }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [preloadMap()],
  build: {
    outDir: 'dist',
    emptyOutDir: true, // public/.keep is copied back, so dist/.keep survives
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // maplibre-gl is ~1 MB minified; it is loaded lazily in its own chunk.
    chunkSizeWarningLimit: 1200,
    // Two pages: the app and /embed (the map or a chart without the app around it).
    // The partner portal (/portal) is a third page built on its own by
    // vite.portal.config.ts, so it shares no chunk with the map's pages and
    // cannot change what the map downloads.
    rolldownOptions: {
      input: { main: resolve(here, 'index.html'), embed: resolve(here, 'embed.html') },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/methodology': api,
      '/docs': api,
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
