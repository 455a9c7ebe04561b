/**
 * Screenshots of every lesson at 1280×720 (a projector) and 390×844 (a phone), in English and
 * Chinese, light and dark, at an interesting moment (the middle of the busiest stretch), plus
 * the lesson list. Writes PNGs to screenshots/ (gitignored). Run: npx tsx tests/e2e/screenshots.ts
 * [lesson-id…] [--only=wide|narrow] [--lang=en|zh] [--theme=light|dark] [--tabs] [--t=µs]
 * (--tabs also shoots every side view of each lesson; --t picks the moment.)
 * Chinese text needs a CJK font (fonts-noto-cjk or fonts-wqy-microhei) or it shows as boxes.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LISTED_LESSONS, lessonById } from '../../src/lessons/index.ts';
import { loadStoredTrace } from '../../src/lessons/traceSource.ts';
import { buildSite, serve } from './site.ts';
import { launch, newPage } from './browser.ts';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
const ids = args.filter((a) => !a.startsWith('--'));
const lessons = ids.length ? ids.map((id) => lessonById(id)!).filter(Boolean) : LISTED_LESSONS;
const sizes = [
  { name: 'wide', width: 1280, height: 720 },
  { name: 'narrow', width: 390, height: 844 },
].filter((s) => !opt('only') || s.name === opt('only'));
const langs = (opt('lang') ? [opt('lang')!] : ['en', 'zh']) as ('en' | 'zh')[];
const themes = (opt('theme') ? [opt('theme')!] : ['light', 'dark']) as ('light' | 'dark')[];
const out = resolve(import.meta.dirname, '../../screenshots');
mkdirSync(out, { recursive: true });

/** A moment worth looking at: the first time a frame is on the wire with a TCP/UDP payload, else the middle event. */
async function interestingTime(id: string): Promise<number> {
  const { trace } = await loadStoredTrace(id);
  const w = trace.events.find((e) => e.k === 'wire' && e.bytes.length > 60);
  if (w && w.k === 'wire') return Math.round((w.t + w.rxStart) / 2);
  return trace.events[Math.floor(trace.events.length / 2)]!.t;
}

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
          await page.goto(`${site.url}#/`);
          await page.waitForSelector('[data-lesson]');
          const list = join(out, `list-${size.name}-${lang}-${theme}.png`);
          await page.screenshot({ path: list, fullPage: false });
          files.push(list);
          for (const l of lessons) {
            const t = opt('t') ? Number(opt('t')) : await interestingTime(l.id);
            await page.goto(`${site.url}#/lesson/${l.id}?t=${t}`);
            await page.waitForSelector('[data-snapshot="stack"], [role="tablist"]');
            await page.waitForTimeout(100);
            const file = join(out, `${l.id}-${size.name}-${lang}-${theme}.png`);
            await page.screenshot({ path: file, fullPage: size.name === 'narrow' });
            files.push(file);
            if (args.includes('--tabs')) {
              const tabs = await page.$$('[role="tab"]');
              for (let i = 0; i < tabs.length; i++) {
                const tab = (await page.$$('[role="tab"]'))[i]!;
                const id = ((await tab.getAttribute('id')) ?? `tab${i}`).replace(/^view-/, '');
                await tab.click();
                await page.waitForTimeout(50);
                const tabFile = join(out, `${l.id}-${size.name}-${lang}-${theme}-tab-${id}.png`);
                const side = await page.$('.side');
                if (side && size.name === 'wide') await side.screenshot({ path: tabFile });
                else await page.screenshot({ path: tabFile, fullPage: true });
                files.push(tabFile);
              }
            }
          }
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
console.log(`${files.length} screenshots in ${out}`);
