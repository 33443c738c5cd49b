import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { MESSAGES } from './messages';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'lantern.language';

/** The system language by default; a choice made in the app wins and is remembered. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** Intl locale for numbers and money in the current language. */
export function locale(): string {
  return i18n.language === 'zh' ? 'zh-CN' : 'en-US';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: MESSAGES.en ?? {} }, zh: { translation: MESSAGES.zh ?? {} } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  // React escapes what it renders; user text must stay text, never markup.
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18n.language === 'zh' ? 'zh-CN' : 'en';

export default i18n;
