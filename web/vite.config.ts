import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where a developer's `npm run dev` server listens; `vite --config web/vite.config.ts` proxies to it. */
const apiTarget = process.env.BALAI_API ?? 'http://localhost:3000';

const LANGUAGES = ['id', 'en'] as const;
/**
 * Sections of the language files that the shell itself shows (header, footer, states, errors,
 * fields, portal): loaded with the first page. Every other top-level section is loaded with the
 * page that needs it (see `ensureLocale` in src/app/i18n.ts).
 */
const CORE_SECTIONS = ['a11y', 'action', 'state', 'errors', 'language', 'nav', 'portal', 'contact', 'tenantKind', 'field', 'notFound'];
const LOCALES_ID = 'virtual:balai-locales';

/**
 * Serves web/src/locales/{lang}.json split by top-level section, so that a citizen page on a phone
 * downloads a few KB of texts instead of every page's. `virtual:balai-locales` exports, per
 * language, loaders for the core sections, for all the other sections together, and for each one.
 */
function localeSections(): Plugin {
  const file = (lng: string) => `${root}src/locales/${lng}.json`;
  const read = (lng: string): Record<string, unknown> => JSON.parse(readFileSync(file(lng), 'utf8'));
  const part = (lng: string, name: string) => JSON.stringify(`${LOCALES_ID}/${lng}/${name}`);
  return {
    name: 'balai-locale-sections',
    resolveId(id) {
      return id === LOCALES_ID || id.startsWith(`${LOCALES_ID}/`) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${LOCALES_ID}`)) return undefined;
      const rest = id.slice(LOCALES_ID.length + 2);
      if (!rest) {
        const entries = LANGUAGES.map((lng) => {
          this.addWatchFile(file(lng));
          const sections = Object.keys(read(lng)).map((s) => `${JSON.stringify(s)}: () => import(${part(lng, s)})`);
          return `${lng}: { core: () => import(${part(lng, '@core')}), rest: () => import(${part(lng, '@rest')}), sections: { ${sections.join(', ')} } }`;
        });
        return `export default { ${entries.join(',\n')} };`;
      }
      const [lng, name] = rest.split('/');
      if (!lng || !name || !(LANGUAGES as readonly string[]).includes(lng)) throw new Error(`unknown locale module ${id}`);
      this.addWatchFile(file(lng));
      const all = read(lng);
      const pick = (keep: (s: string) => boolean) => Object.fromEntries(Object.entries(all).filter(([s]) => keep(s)));
      const data = name === '@core' ? pick((s) => CORE_SECTIONS.includes(s)) : name === '@rest' ? pick((s) => !CORE_SECTIONS.includes(s)) : pick((s) => s === name);
      return `export default ${JSON.stringify(data)};`;
    },
  };
}

export default defineConfig({
  root,
  // Assets are referenced from the site root so that tenant prefixes (/t/{slug}/…) share them.
  base: '/',
  plugins: [react(), localeSections()],
  resolve: {
    // The app's own small runtime with react-i18next's interface (see src/app/translator.ts).
    alias: { 'react-i18next': `${root}src/app/translator.ts` },
  },
  css: { postcss: { plugins: [postcssPresetMantine()] } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // The public portal must stay small on slow phone connections; warn when a chunk grows.
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        // Libraries every page needs go in two chunks instead of dozens of small ones (each small
        // file compresses worse and costs a request): ~5 KB less gzipped JavaScript on /lapor.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|use-sync-external-store)[\\/]/, priority: 3 },
            {
              // Mantine's core and the components of the public layout and the citizen forms.
              name: 'mantine-base',
              test: /node_modules[\\/]clsx[\\/]|@mantine[\\/]core[\\/]esm[\\/](core|components[\\/](Alert|Anchor|Button|Center|CloseButton|Container|Group|Input|InputBase|Loader|Paper|Skeleton|Stack|Text|TextInput|Title|Transition|UnstyledButton))[\\/]/,
              priority: 2,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': apiTarget, '^/t/[a-z0-9-]+/api/': apiTarget } },
});
