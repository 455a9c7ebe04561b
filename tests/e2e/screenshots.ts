/**
 * Screenshots of every lesson at 1280×720 (a projector) and 390×844 (a phone), in English and
 * Chinese, light and dark, at an interesting moment (the middle of the busiest stretch), plus
 * the lesson list. Writes PNGs to screenshots/ (gitignored). Run: npx tsx tests/e2e/screenshots.ts
 * [lesson-id…] [--only=wide|narrow] [--lang=en|zh] [--theme=light|dark] [--tabs] [--t=µs]
 * (--tabs also shoots every side view of each lesson; --t picks the moment.)
 * Chinese text needs a CJK font (fonts-noto-cjk or fonts-wqy-microhei) or it shows as boxes.
 */
import { LISTED_LESSONS, lessonById } from '../../src/lessons/index.ts';
import { loadStoredTrace } from '../../src/lessons/traceSource.ts';
import { cli, shootAll } from './screenshot-session.ts';

const ids = cli.words();
const lessons = ids.length ? ids.map((id) => lessonById(id)!).filter(Boolean) : LISTED_LESSONS;

/** A moment worth looking at: the first time a frame is on the wire with a TCP/UDP payload, else the middle event. */
async function interestingTime(id: string): Promise<number> {
  const { trace } = await loadStoredTrace(id);
  const w = trace.events.find((e) => e.k === 'wire' && e.bytes.length > 60);
  if (w && w.k === 'wire') return Math.round((w.t + w.rxStart) / 2);
  return trace.events[Math.floor(trace.events.length / 2)]!.t;
}

await shootAll(async ({ page, url, size, file }) => {
  await page.goto(`${url}#/`);
  await page.waitForSelector('[data-lesson]');
  await page.screenshot({ path: file('list'), fullPage: false });
  for (const l of lessons) {
    const t = cli.opt('t') ? Number(cli.opt('t')) : await interestingTime(l.id);
    await page.goto(`${url}#/lesson/${l.id}?t=${t}`);
    await page.waitForSelector('[data-snapshot="stack"], [role="tablist"]');
    await page.waitForTimeout(100);
    await page.screenshot({ path: file(l.id), fullPage: size.name === 'narrow' });
    if (cli.flag('tabs')) {
      const tabs = await page.$$('[role="tab"]');
      for (let i = 0; i < tabs.length; i++) {
        const tab = (await page.$$('[role="tab"]'))[i]!;
        const id = ((await tab.getAttribute('id')) ?? `tab${i}`).replace(/^view-/, '');
        await tab.click();
        await page.waitForTimeout(50);
        const tabFile = file(l.id, `-tab-${id}`);
        const side = await page.$('.side');
        if (side && size.name === 'wide') await side.screenshot({ path: tabFile });
        else await page.screenshot({ path: tabFile, fullPage: true });
      }
    }
  }
});
