import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where a developer's `npm run dev` server listens; `vite --config web/vite.config.ts` proxies to it. */
const apiTarget = process.env.BALAI_API ?? 'http://localhost:3000';

export default defineConfig({
  root,
  // Assets are referenced from the site root so that tenant prefixes (/t/{slug}/…) share them.
  base: '/',
  plugins: [react()],
  css: { postcss: { plugins: [postcssPresetMantine()] } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // The public portal must stay small on slow phone connections; warn when a chunk grows.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': apiTarget, '^/t/[a-z0-9-]+/api/': apiTarget } },
});
