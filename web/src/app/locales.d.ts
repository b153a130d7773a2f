/** The language files split by section, served by the `balai-locale-sections` plugin of web/vite.config.ts. */
declare module 'virtual:balai-locales' {
  type Loader = () => Promise<{ default: Record<string, unknown> }>;
  const locales: Record<'id' | 'en', { core: Loader; rest: Loader; sections: Record<string, Loader> }>;
  export default locales;
}
