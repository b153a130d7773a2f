/**
 * The translation runtime of the web app: the part of i18next and react-i18next that Balai uses
 * (`useTranslation()` → `{ t, i18n }`, `t(key, { count, defaultValue, …values })`, `{{value}}`
 * interpolation, `_one`/`_other` plural keys, `i18n.language`, `changeLanguage`,
 * `addResourceBundle`), in about 1 KB instead of their 18 KB of gzipped JavaScript on every page.
 * web/vite.config.ts points `react-i18next` here, so pages keep importing `useTranslation` from
 * 'react-i18next' (and its types). Texts are not escaped: React escapes them when rendering.
 */
import { useMemo, useSyncExternalStore } from 'react';

type Dict = Record<string, unknown>;
export type TOptions = { count?: number; defaultValue?: string; returnObjects?: boolean } & Record<string, unknown>;
export type TFunction = (key: string, options?: TOptions) => string;

const resources: Record<string, Dict> = {};
const listeners = new Set<() => void>();
const pluralRules = new Map<string, Intl.PluralRules>();
let version = 0;

function changed(): void {
  version += 1;
  for (const l of listeners) l();
}

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(into: Dict, from: Dict): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (isDict(cur) && isDict(v)) merge(cur, v);
    else into[k] = isDict(v) ? structuredClone(v) : v;
  }
}

function lookup(lng: string, key: string): unknown {
  let cur: unknown = resources[lng];
  for (const part of key.split('.')) {
    if (!isDict(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function interpolate(text: string, values: TOptions): string {
  return text.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_, path: string) => {
    let v: unknown = values;
    for (const part of path.split('.')) v = isDict(v) ? v[part] : undefined;
    return v === undefined || v === null ? '' : String(v);
  });
}

function translate(lng: string, key: string, options: TOptions = {}): string {
  let value: unknown;
  if (typeof options.count === 'number') {
    let rules = pluralRules.get(lng);
    if (!rules) pluralRules.set(lng, (rules = new Intl.PluralRules(lng)));
    if (options.count === 0) value = lookup(lng, `${key}_zero`);
    value ??= lookup(lng, `${key}_${rules.select(options.count)}`) ?? lookup(lng, `${key}_other`);
  }
  value ??= lookup(lng, key);
  if (typeof value !== 'string') {
    if (value !== undefined && options.returnObjects) return value as string;
    value = options.defaultValue ?? key;
  }
  return interpolate(value as string, options);
}

/** The app's single translation instance (i18next's interface, as far as Balai uses it). */
export const i18n = {
  language: 'id',
  isInitialized: false,
  t(key: string, options?: TOptions): string {
    return translate(i18n.language, key, options);
  },
  /** Kept for the i18next call shape `i18n.use(initReactI18next).init(…)`. */
  use(_plugin: unknown) {
    return i18n;
  },
  async init(options: { lng: string; resources?: Record<string, Record<string, Dict>> }): Promise<TFunction> {
    i18n.language = options.lng;
    for (const [lng, namespaces] of Object.entries(options.resources ?? {})) for (const bundle of Object.values(namespaces)) i18n.addResourceBundle(lng, 'translation', bundle);
    i18n.isInitialized = true;
    changed();
    return i18n.t;
  },
  async changeLanguage(lng: string): Promise<TFunction> {
    if (lng !== i18n.language) {
      i18n.language = lng;
      changed();
    }
    return i18n.t;
  },
  hasResourceBundle(lng: string, _ns = 'translation'): boolean {
    return lng in resources;
  },
  /** Adds texts (deep-merged; `_ns` is always the one namespace, "translation"). */
  addResourceBundle(lng: string, _ns: string, bundle: Dict, _deep = true, _overwrite = true) {
    merge((resources[lng] ??= {}), bundle);
    changed();
    return i18n;
  },
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * react-i18next's hook: `t` and `i18n`. As there, `t` changes only with the language (effects that
 * depend on it do not re-run when texts are added); the component still re-renders when texts
 * are added, so a page shows its section as soon as it arrives.
 */
export function useTranslation(_ns?: string) {
  useSyncExternalStore(subscribe, () => version);
  const lng = i18n.language;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `t` for each language, and only then
  return useMemo(() => {
    const t: TFunction = (key, options) => translate(lng, key, options);
    return Object.assign([t, i18n, true] as const, { t, i18n, ready: true });
  }, [lng]);
}

/** react-i18next's plugin object; nothing to set up here. */
export const initReactI18next = { type: '3rdParty' as const, init() {} };

export default i18n;
