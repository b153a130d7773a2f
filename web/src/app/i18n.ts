import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { id: 'Bahasa Indonesia', en: 'English' };

const STORAGE_KEY = 'balai.lang';

/** Each language is its own chunk, fetched once when first used. */
const loaders: Record<Language, () => Promise<{ default: Record<string, unknown> }>> = {
  id: () => import('../locales/id.json'),
  en: () => import('../locales/en.json'),
};

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

async function ensureBundle(lng: Language): Promise<void> {
  if (i18n.hasResourceBundle(lng, 'translation')) return;
  const mod = await loaders[lng]();
  i18n.addResourceBundle(lng, 'translation', mod.default, true, true);
}

export async function initI18n(): Promise<void> {
  const lng = initialLanguage();
  const mod = await loaders[lng]();
  await i18n.use(initReactI18next).init({
    lng,
    resources: { [lng]: { translation: mod.default } },
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
  });
  document.documentElement.lang = lng;
}

/** Switches the interface language, remembers it and updates `<html lang>`. */
export async function setLanguage(lng: Language): Promise<void> {
  await ensureBundle(lng);
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
