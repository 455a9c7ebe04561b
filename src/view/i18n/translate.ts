/**
 * Translation without Svelte: look a key up in a language's catalogue and fill in `{name}`
 * parameters; pick a language from the browser's preferences; format times and sizes the way
 * each language writes them.
 *
 * Pure: may not touch the DOM, `navigator`, storage or Svelte (the caller passes what they read).
 */
import { en, type MsgKey, type Messages } from './messages.en.ts';
import { zh } from './messages.zh.ts';

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];
export type Params = Readonly<Record<string, string | number>>;

export interface Translate {
  (key: MsgKey, params?: Params): string;
  lang: Lang;
  /** A host's display name: "client" → "客户端" in Chinese; unknown names as they are. */
  host(name: string): string;
}

const CATALOGUES: Record<Lang, Messages> = { en, zh };

export function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translator(lang: Lang): Translate {
  const cat = CATALOGUES[lang];
  const t = ((key: MsgKey, params?: Params) => fill(cat[key] ?? en[key] ?? key, params)) as Translate;
  t.lang = lang;
  t.host = (name: string) => {
    const k = `host.${name}` as MsgKey;
    return k in cat ? cat[k] : name;
  };
  return t;
}

/** The first supported language among the browser's preferences (navigator.languages), else English. */
export function pickLang(preferred: readonly string[]): Lang {
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function isLang(x: unknown): x is Lang {
  return x === 'en' || x === 'zh';
}

function trimNumber(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A virtual time (µs) exactly: "200 µs", "200.123 ms", "60.200542 s". */
export function formatTime(us: number, t: Translate): string {
  const v = Math.round(us);
  if (v < 1000) return t('time.us', { n: v });
  if (v < 1_000_000) return t('time.ms', { n: (v / 1000).toFixed(3) });
  return t('time.s', { n: (v / 1_000_000).toFixed(6) });
}

/** A duration (µs) to about three significant digits: "52 µs", "40 ms", "59.8 s". */
export function formatDuration(us: number, t: Translate): string {
  const v = Math.abs(us);
  if (v < 1000) return t('time.us', { n: Math.round(v) });
  if (v < 1_000_000) return t('time.ms', { n: trimNumber(v / 1000, v < 10_000 ? 2 : v < 100_000 ? 1 : 0) });
  return t('time.s', { n: trimNumber(v / 1_000_000, v < 10_000_000 ? 2 : 1) });
}

/** Bits per second as "100 Mbit/s". */
export function formatBandwidth(bps: number): string {
  if (bps >= 1e9) return `${trimNumber(bps / 1e9, 2)} Gbit/s`;
  if (bps >= 1e6) return `${trimNumber(bps / 1e6, 2)} Mbit/s`;
  if (bps >= 1e3) return `${trimNumber(bps / 1e3, 2)} kbit/s`;
  return `${bps} bit/s`;
}

export type { MsgKey };
