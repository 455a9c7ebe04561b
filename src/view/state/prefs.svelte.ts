/**
 * The reader's preferences: UI language and colour theme. Chosen from the browser at first
 * (navigator.languages, prefers-color-scheme), switchable at any time, remembered in
 * localStorage. Setting one also updates <html lang> and <html data-theme>.
 */
import { isLang, pickLang, translator, type Lang, type Translate } from '../i18n/translate.ts';

export type Theme = 'system' | 'light' | 'dark';
const LANG_KEY = 'wirescope.lang';
const THEME_KEY = 'wirescope.theme';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be unavailable (private mode, sandboxed iframe): the choice lasts this visit.
  }
}

export class Prefs {
  lang = $state<Lang>('en');
  theme = $state<Theme>('system');
  /** The translator for the current language; reading it makes a template follow language changes. */
  t: Translate = $derived(translator(this.lang));

  constructor() {
    const saved = read(LANG_KEY);
    this.lang = isLang(saved) ? saved : pickLang(typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]);
    const theme = read(THEME_KEY);
    this.theme = theme === 'light' || theme === 'dark' || theme === 'system' ? theme : 'system';
    this.apply();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    write(LANG_KEY, lang);
    this.apply();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    write(THEME_KEY, theme);
    this.apply();
  }

  private apply(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    if (this.theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.theme;
  }
}

export const prefs = new Prefs();
