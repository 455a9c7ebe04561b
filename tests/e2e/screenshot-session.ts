/**
 * What the screenshot scripts (screenshots.ts, sandbox-screenshots.ts) share: their command line
 * (`--only=wide|narrow`, `--lang=en|zh`, `--theme=light|dark`, plus each script's own words and
 * options), the two sizes (1280×720, a projector; 390×844, a phone), the output folder
 * screenshots/ (gitignored), and a run that serves the built site, starts Chromium per size and
 * hands each language × theme a fresh page whose reader has chosen that language and theme.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launch, newPage } from './browser.ts';
import { buildSite, serve } from './site.ts';

export type Lang = 'en' | 'zh';
export type Theme = 'light' | 'dark';

export interface Size {
  name: 'wide' | 'narrow';
  width: number;
  height: number;
}

const SIZES: Size[] = [
  { name: 'wide', width: 1280, height: 720 },
  { name: 'narrow', width: 390, height: 844 },
];

const OUT = resolve(import.meta.dirname, '../../screenshots');

const args = process.argv.slice(2);

/** The script's command line. */
export const cli = {
  /** The value of `--k=value`, if given. */
  opt: (k: string): string | undefined => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1],
  /** Whether the flag `--k` is given. */
  flag: (k: string): boolean => args.includes(`--${k}`),
  /** The arguments that are not options. */
  words: (): string[] => args.filter((a) => !a.startsWith('--')),
};

/** One page to shoot: a size, a language and a theme. */
export interface Shoot {
  page: Page;
  /** The served site's address. */
  url: string;
  size: Size;
  lang: Lang;
  theme: Theme;
  /** The path for a screenshot named `<prefix>-<size>-<lang>-<theme><suffix>.png`, counted in the summary. */
  file(prefix: string, suffix?: string): string;
}

/**
 * Calls `shoot` for every size, language and theme the command line leaves (all of them unless
 * --only, --lang or --theme narrows them), then prints how many screenshots it wrote where. Page
 * errors and console errors are printed per page.
 */
export async function shootAll(shoot: (s: Shoot) => Promise<void>): Promise<void> {
  const sizes = SIZES.filter((s) => !cli.opt('only') || s.name === cli.opt('only'));
  const langs = (cli.opt('lang') ? [cli.opt('lang')!] : ['en', 'zh']) as Lang[];
  const themes = (cli.opt('theme') ? [cli.opt('theme')!] : ['light', 'dark']) as Theme[];
  mkdirSync(OUT, { recursive: true });
  const site = await serve(await buildSite());
  const files: string[] = [];
  try {
    for (const size of sizes) {
      const chrome = await launch([], { width: size.width, height: size.height });
      try {
        for (const lang of langs) {
          for (const theme of themes) {
            const errors: string[] = [];
            const page = await newPage(chrome, errors);
            await page.addInitScript(([l, th]: readonly [string, string]) => {
              localStorage.setItem('wirescope.lang', l);
              localStorage.setItem('wirescope.theme', th);
            }, [lang, theme] as const);
            const file = (prefix: string, suffix = ''): string => {
              const path = join(OUT, `${prefix}-${size.name}-${lang}-${theme}${suffix}.png`);
              files.push(path);
              return path;
            };
            await shoot({ page, url: site.url, size, lang, theme, file });
            if (errors.length) console.error(`${size.name} ${lang} ${theme}:`, errors);
            await page.close();
          }
        }
      } finally {
        await chrome.close();
      }
    }
  } finally {
    await site.close();
  }
  console.log(`${files.length} screenshots in ${OUT}`);
}
