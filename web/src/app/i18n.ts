import { i18n, initReactI18next } from './translator';
import locales from 'virtual:balai-locales';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { id: 'Bahasa Indonesia', en: 'English' };

const STORAGE_KEY = 'balai.lang';

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** The saved choice, else Indonesian (the default of every Balai page). */
export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage may be unavailable (private mode); fall back to the default.
  }
  return 'id';
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'id';
}

/**
 * The texts are split by top-level section of the language files (see web/vite.config.ts): the
 * shell's own sections ("core") come with the first page, each page asks for its own sections
 * (`ensureLocale`), and pages that do not say load all the rest. Parts already loaded in a
 * language are not fetched again; a language switch loads the same parts in the new language.
 */
type Part = string;
const CORE = '@core';
const REST = '@rest';
const loaded: Record<Language, Set<Part>> = { id: new Set(), en: new Set() };
const wanted = new Set<Part>([CORE]);

function loaderOf(lng: Language, part: Part) {
  const l = locales[lng];
  return part === CORE ? l.core : part === REST ? l.rest : l.sections[part];
}

async function loadParts(lng: Language, parts: Iterable<Part>): Promise<void> {
  const have = loaded[lng];
  const todo = [...new Set(parts)].filter((p) => !have.has(p) && !(p !== CORE && have.has(REST)));
  const mods = await Promise.all(todo.map((p) => loaderOf(lng, p)?.() ?? Promise.resolve({ default: {} })));
  mods.forEach((m, i) => {
    i18n.addResourceBundle(lng, 'translation', m.default, true, true);
    have.add(todo[i]!);
  });
}

/**
 * Loads the sections of the language files a page shows (e.g. `['report', 'complaintKind']`), or
 * `'all'` of them; resolves when their texts can be used.
 */
export async function ensureLocale(sections: readonly string[] | 'all'): Promise<void> {
  const parts = sections === 'all' ? [REST] : sections;
  for (const p of parts) wanted.add(p);
  await loadParts(currentLanguage(), parts);
}

export async function initI18n(): Promise<void> {
  const lng = initialLanguage();
  await i18n.use(initReactI18next).init({ lng });
  await loadParts(lng, wanted);
  document.documentElement.lang = lng;
}

/** Switches the interface language, remembers it and updates `<html lang>`. */
export async function setLanguage(lng: Language): Promise<void> {
  await loadParts(lng, wanted);
  await i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Not persisted when storage is unavailable; the switch still applies to this page.
  }
}

/** Picks the text of a `{ id, en }` pair sent by the server. */
export function localized(value: { id: string; en: string } | undefined, lng: Language = currentLanguage()): string {
  if (!value) return '';
  return value[lng] || value.id;
}

export { i18n };
