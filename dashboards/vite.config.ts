import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Built into dist/, served by the gateway at `/` (gateway/src/rest/ui.ts). In development
// `npm run dev` proxies the API to a gateway on :8080.
export default defineConfig({
  plugins: [svelte()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Assets are content-hashed, so the gateway may cache them for a year.
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/graphql': 'http://localhost:8080', '/api': 'http://localhost:8080' },
  },
});
