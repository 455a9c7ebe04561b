/**
 * Every lesson in Chromium: it loads, plays to the end, steps back to the start and then shows
 * exactly what a fresh load shows, and axe-core finds no accessibility violations (at the start,
 * and mid-lesson with a packet selected; English in the light theme, Chinese in the dark one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LISTED_LESSONS } from '../../src/lessons/index.ts';
import type { Chrome } from './browser.ts';
import type { Site } from './site.ts';
import { setPrefs, startE2e, stopE2e } from './session.ts';
import { axe, describeViolations, openLesson, playToEnd, snapshot, stepBackToStart, time } from './driver.ts';

let chrome: Chrome;
let site: Site;
let page: Page;
const errors: string[] = [];

beforeAll(async () => ({ chrome, site, page } = await startE2e(errors)));
afterAll(() => stopE2e(chrome, site));

// The threads lessons (thousands of event steps each) have their own file: tests/e2e/threads.test.ts.
describe.each(LISTED_LESSONS.filter((l) => l.views[0] !== 'threads').map((l) => [l.id]))('lesson %s', (id) => {
  it('loads, plays to the end, steps back to the start and shows the same frame as a fresh load', async () => {
    errors.length = 0;
    await openLesson(page, site.url, id);
    expect((await time(page)).t).toBe(0);
    const fresh = await snapshot(page);
    await playToEnd(page);
    const end = await time(page);
    expect(end.t).toBe(end.end);
    const steps = await stepBackToStart(page);
    expect(steps).toBeGreaterThan(3);
    expect(await snapshot(page)).toEqual(fresh);
    expect(errors).toEqual([]);
  });

  it('has no accessibility violations, in English (light) and Chinese (dark)', async () => {
    for (const [lang, theme] of [
      ['en', 'light'],
      ['zh', 'dark'],
    ] as const) {
      await openLesson(page, site.url, id);
      expect(await setPrefs(page, lang, theme, `[data-lesson="${id}"] [data-t]`)).toEqual([lang, theme]);
      const atStart = await axe(page);
      expect(atStart, `${lang} ${theme} ${describeViolations(atStart)}`).toEqual([]);
      // Mid-lesson, with the first frame on the wire selected and its details open.
      await page.keyboard.press('Shift+ArrowRight');
      const pkt = await page.$('[data-pkt]');
      if (pkt) {
        await pkt.dispatchEvent('click');
        await page.waitForSelector('[data-snapshot="packet"] h2');
      }
      const mid = await axe(page);
      expect(mid, `${lang} ${theme} ${describeViolations(mid)}`).toEqual([]);
    }
    await setPrefs(page, 'en', 'light', `[data-lesson="${id}"] [data-t]`);
    expect(errors).toEqual([]);
  });
});
