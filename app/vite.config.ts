import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

// The dev server proxies API and sync to a local sync-server (`pnpm --filter @taskflow/sync-server dev`).
const DEV_SERVER = 'http://localhost:8787'

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    tailwindcss(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icons/icon.svg'],
      manifest: {
        name: 'TaskFlow',
        short_name: 'TaskFlow',
        description: 'Local-first Kanban boards for small teams',
        theme_color: '#4f46e5',
        background_color: '#f8fafc',
        display: 'standalone',
        start_url: '/projects',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Every route (and every lazy chunk, precached below) must open offline after one visit.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync/, /^\/healthz/],
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        cleanupOutdatedCaches: true,
        // Take control of the page that installed it, so the very first visit works offline after.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  // The manifest lets bench/bundle-size.mjs follow each route's static imports.
  build: {
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    // The benchmark build (app/bench) goes elsewhere and keeps function names, by which
    // src/bench/render-counts.ts tells components apart; the product build is unchanged.
    ...(mode === 'bench'
      ? { outDir: 'dist-bench', rolldownOptions: { output: { keepNames: true } } }
      : {}),
  },
  // Module workers (src/sync/update-rows.worker.ts) share ES chunks like the app; their
  // files land in assets/ and are precached by the globPatterns above, so they start offline.
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': DEV_SERVER,
      '/sync': { target: DEV_SERVER.replace('http', 'ws'), ws: true },
    },
  },
}))
