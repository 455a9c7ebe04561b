/**
 * Screenshots of the sandbox at 1280×720 and 390×844, English and Chinese, light and dark:
 * after a run of the TCP echo example (player at its first data segment), and with a syntax
 * error. Writes PNGs to screenshots/ (gitignored). Run: npx tsx tests/e2e/sandbox-screenshots.ts
 * [--only=wide|narrow] [--lang=en|zh] [--theme=light|dark]
 * Chinese text needs a CJK font (fonts-noto-cjk or fonts-wqy-microhei).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSite, serve } from './site.ts';
import { launch, newPage } from './browser.ts';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
const sizes = [
  { name: 'wide', width: 1280, height: 720 },
  { name: 'narrow', width: 390, height: 844 },
].filter((s) => !opt('only') || s.name === opt('only'));
const langs = (opt('lang') ? [opt('lang')!] : ['en', 'zh']) as ('en' | 'zh')[];
const themes = (opt('theme') ? [opt('theme')!] : ['light', 'dark']) as ('light' | 'dark')[];
const out = resolve(import.meta.dirname, '../../screenshots');
mkdirSync(out, { recursive: true });

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
            localStorage.removeItem('wirescope.sandbox');
            localStorage.removeItem('wirescope.sandbox.kept');
          }, [lang, theme] as const);
          await page.goto(`${site.url}#/sandbox?example=tcp-echo`);
          await page.waitForSelector('[data-sandbox="ready"]');
          const shot = async (name: string, fullPage = size.name === 'narrow'): Promise<void> => {
            const file = join(out, `sandbox-${name}-${size.name}-${lang}-${theme}.png`);
            await page.screenshot({ path: file, fullPage });
            files.push(file);
          };
          await shot('start', false);
          await page.click('[data-action="run"]');
          await page.waitForSelector('[data-testid="sandbox-player"] [data-t]', { timeout: 120_000 });
          // The moment the client's data segment is on the link.
          const t = await page.evaluate(() => {
            const el = document.querySelector('[data-testid="sandbox-player"] [data-t]') as HTMLElement;
            return Number(el.dataset.end);
          });
          for (let i = 0; i < 40; i++) {
            await page.locator('body').focus();
            await page.keyboard.press('Shift+ArrowRight');
            const label = await page.$$eval('[data-testid="sandbox-player"] .wire-label', (els) => els.map((e) => e.textContent ?? '').join(' '));
            if (/len=5/.test(label)) break;
          }
          await page.evaluate(() => window.scrollTo(0, 0));
          await shot('ran');
          // A syntax error in the client.
          await page.click('[data-program="client.py"]');
          await page.click('.cm-content');
          await page.keyboard.press('Control+End');
          await page.keyboard.insertText('\nprint("oops"\n');
          await page.click('[data-action="run"]');
          await page.waitForSelector('[data-outcome="syntax"]', { timeout: 60_000 });
          await page.locator('[data-outcome="syntax"]').scrollIntoViewIfNeeded();
          await shot('syntax', size.name === 'narrow');
          if (errors.length) console.error(`${size.name} ${lang} ${theme}:`, errors, t);
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
console.log(`${files.length} screenshots in ${out}`);
