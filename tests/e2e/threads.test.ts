/**
 * The threads lessons and the threads view in Chromium (one browser for the file): each lesson
 * loads with the view in place of the layer stacks, plays to the end, steps back to the start
 * and then shows exactly what a fresh load shows, and axe-core finds no violations (English in
 * the light theme, Chinese in the dark one, at the start and mid-lesson); the view's controls work from the keyboard, the phone
 * layout keeps the lanes on screen, reduced motion animates nothing, and a lesson with one
 * thread per host has no Threads tab.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LISTED_LESSONS } from '../../src/lessons/index.ts';
import { hasThreadsView } from '../../src/view/threads/model.ts';
import { newPage, type Chrome } from './browser.ts';
import type { Site } from './site.ts';
import { setPrefs, startE2e, stopE2e } from './session.ts';
import { axe, describeViolations, openLesson, playToEnd, snapshot, time } from './driver.ts';
import { lessonTrace } from '../view/fixtures.ts';

const THREADS = LISTED_LESSONS.filter((l) => l.views[0] === 'threads').map((l) => l.id);

let chrome: Chrome;
let site: Site;
let page: Page;
const errors: string[] = [];

beforeAll(async () => ({ chrome, site, page } = await startE2e(errors)));
afterAll(() => stopE2e(chrome, site));

/**
 * Steps back with ← to the start: the first `shown` steps one by one, each drawn (and each must go
 * back in time), the rest in batches of key presses between frames (a CPU-bound lesson has
 * thousands of event steps). Returns how many steps it took.
 */
async function stepBackToStart(p: Page, shown = 40): Promise<number> {
  await p.locator('body').focus();
  let n = 0;
  let last = (await time(p)).t;
  for (; n < shown && last > 0; n++) {
    await p.keyboard.press('ArrowLeft');
    const now = (await time(p)).t;
    expect(now).toBeLessThan(last);
    last = now;
  }
  const rest = (await p.evaluate(`(async () => {
    let n = 0;
    const t = () => Number(document.querySelector('[data-t]').dataset.t);
    while (t() > 0 && n < 100000) {
      for (let i = 0; i < 250; i++) { window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })); n++; }
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    return n;
  })()`)) as number;
  expect((await time(p)).t).toBe(0);
  return n + rest;
}

describe('the threads lessons', () => {
  it('are the lessons that put the threads view first, and each has threads to show', () => {
    expect(THREADS).toEqual(expect.arrayContaining(['gil-threads', 'old-gil', 'free-threading', 'convoy-effect', 'thread-local', 'asyncio-tasks']));
    for (const id of THREADS) expect(hasThreadsView(lessonTrace(id)), id).toBe(true);
  });

  describe.each(THREADS.map((id) => [id]))('%s', (id) => {
    it('loads with the threads view on the stage, plays to the end, steps back to the start and shows the same frame as a fresh load', async () => {
      errors.length = 0;
      await openLesson(page, site.url, id);
      await page.waitForSelector('.stage [data-snapshot="threads"] svg.lanes');
      expect(await page.locator('.stage [data-snapshot="stack"]').count()).toBe(0);
      expect(await page.locator('.stage .run').count()).toBeGreaterThan(0);
      const fresh = await snapshot(page);
      await playToEnd(page, 90_000);
      const end = await time(page);
      expect(end.t).toBe(end.end);
      const steps = await stepBackToStart(page);
      expect(steps).toBeGreaterThan(3);
      expect(await snapshot(page)).toEqual(fresh);
      expect(errors).toEqual([]);
    });

    it('has no accessibility violations, in English (light) and Chinese (dark), at the start and mid-lesson', async () => {
      const end = lessonTrace(id).end;
      for (const [lang, theme] of [
        ['en', 'light'],
        ['zh', 'dark'],
      ] as const) {
        for (const q of ['', `?t=${Math.round(end / 2)}`]) {
          await openLesson(page, site.url, id, q);
          expect(await setPrefs(page, lang, theme, '[data-snapshot="threads"] svg.lanes')).toEqual([lang, theme]);
          const v = await axe(page);
          expect(v, `${lang} ${theme} ${q} ${describeViolations(v)}`).toEqual([]);
        }
      }
      await setPrefs(page, 'en', 'light', '[data-snapshot="threads"] svg.lanes');
      expect(errors).toEqual([]);
    });
  });
});

describe('the threads view', () => {
  it('zooms, pans and resets from the keyboard, and counts what the shown window holds up to now', async () => {
    const end = lessonTrace('gil-threads').end;
    await openLesson(page, site.url, 'gil-threads', `?t=${end}`);
    const view = page.locator('.stage [data-snapshot="threads"]');
    const range = async (): Promise<string> => (await view.locator('.range').innerText()).trim();
    const whole = await range();
    expect(Number(await view.locator('[data-count="switches"]').innerText())).toBeGreaterThan(15);
    expect(Number(await view.locator('[data-count="drops"]').innerText())).toBeGreaterThan(10);
    await view.getByRole('button', { name: 'Zoom in' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const zoomed = await range();
    expect(zoomed).not.toBe(whole);
    await page.keyboard.press('Tab'); // Zoom out
    await page.keyboard.press('Tab'); // Earlier
    await page.keyboard.press('Enter');
    expect(await range()).not.toBe(zoomed);
    await view.getByRole('button', { name: 'Whole run' }).focus();
    await page.keyboard.press('Enter');
    expect(await range()).toBe(whole);
    // The start has nothing to count yet.
    await openLesson(page, site.url, 'gil-threads', '?t=0');
    await expect.poll(async () => (await time(page)).t).toBe(0);
    expect(await view.locator('[data-count="switches"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows threading.local values per thread', async () => {
    const bob = lessonTrace('thread-local').events.find((e) => e.k === 'tls' && e.value === "'bob'")!;
    await openLesson(page, site.url, 'thread-local', `?t=${bob.t}`);
    const table = page.locator('.stage table.locals');
    await expect.poll(async () => table.locator('tbody tr').count()).toBe(3);
    const text = await table.innerText();
    expect(text).toContain("'admin'");
    expect(text).toContain("'alice'");
    expect(text).toContain("'bob'");
  });

  it('shows the asyncio event loop: the task that runs, the pass and every task’s state', async () => {
    await openLesson(page, site.url, 'asyncio-tasks', '?t=20000');
    const view = page.locator('.stage [data-snapshot="threads"]');
    await expect.poll(async () => view.locator('.loop-now').innerText()).toContain('Running: hog');
    const tasks = await view.locator('table.tasks').innerText();
    expect(tasks).toMatch(/hog\s+running/);
    expect(tasks).toMatch(/a #2\s+waiting for sleep/);
    // The event-loop lane: hog's long run (the tickers' steps are too short to see without zooming).
    expect(await view.locator('.run.task title').allTextContents()).toContain('hog');
  });

  it('fits a phone: the Threads tab first, the lanes within 390 px, nothing wider than the screen', async () => {
    const phone = await newPage(chrome, errors);
    await phone.setViewportSize({ width: 390, height: 844 });
    await openLesson(phone, site.url, 'convoy-effect');
    const first = phone.locator('[role="tab"]').first();
    expect(await first.innerText()).toBe('Threads');
    await phone.waitForSelector('[data-snapshot="threads"] svg.lanes');
    const svgWidth = await phone.locator('svg.lanes').evaluate((el) => el.getBoundingClientRect().right);
    expect(svgWidth).toBeLessThanOrEqual(390);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.close();
    expect(errors).toEqual([]);
  });

  it('animates nothing with reduced motion', async () => {
    const rm = await newPage(chrome, errors);
    await rm.emulateMedia({ reducedMotion: 'reduce' });
    await openLesson(rm, site.url, 'gil-threads');
    await rm.click('[data-action="play"]');
    await rm.waitForTimeout(300);
    expect(await rm.evaluate(() => document.getAnimations().length)).toBe(0);
    expect((await time(rm)).t).toBeGreaterThan(0);
    await rm.close();
  });

  it('is not offered where each host runs one thread', async () => {
    await openLesson(page, site.url, 'tcp-handshake');
    const tabs = await page.locator('[role="tab"]').allInnerTexts();
    expect(tabs).not.toContain('Threads');
    expect(tabs.length).toBeGreaterThan(5);
  });
});
