/**
 * The app around the lessons in Chromium: the URL round trip (a reload or shared link lands on
 * the same frame), malformed links, every view's accessibility, embedding, language and theme,
 * keyboard control, and the narrow (phone) layout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newPage, type Chrome } from './browser.ts';
import type { Site } from './site.ts';
import { setPrefs, startE2e, stopE2e } from './session.ts';
import { axe, describeViolations, openLesson, snapshot, time } from './driver.ts';

let chrome: Chrome;
let site: Site;
let page: Page;
const errors: string[] = [];

beforeAll(async () => ({ chrome, site, page } = await startE2e(errors)));
afterAll(() => stopE2e(chrome, site));

const hash = (p: Page): Promise<string> => p.evaluate(() => location.hash);

describe('the URL', () => {
  it('puts the lesson, time and packet in the URL, and a reload lands on the same frame', async () => {
    errors.length = 0;
    await openLesson(page, site.url, 'tcp-handshake', '?t=200249&pkt=4');
    expect((await time(page)).t).toBe(200249);
    await page.waitForSelector('[data-snapshot="packet"] h2');
    expect(await page.textContent('[data-snapshot="packet"] h2')).toContain('Packet 4');
    await page.locator('body').focus();
    await page.keyboard.press('ArrowRight');
    const after = await time(page);
    expect(after.t).toBeGreaterThan(200249);
    await page.waitForFunction((t) => location.hash.includes(`t=${t}`), after.t);
    const before = await snapshot(page);
    const url = page.url();
    await page.reload();
    await page.waitForSelector('[data-lesson="tcp-handshake"] [data-t]');
    expect(page.url()).toBe(url);
    expect(await snapshot(page)).toEqual(before);
    // A shared link opened in a fresh page lands on the same frame too.
    const other = await newPage(chrome, errors);
    await other.goto(url);
    await other.waitForSelector('[data-lesson="tcp-handshake"] [data-t]');
    expect(await snapshot(other)).toEqual(before);
    await other.close();
    expect(errors).toEqual([]);
  });

  it('explains a malformed link and falls back to the lesson list, without an error', async () => {
    errors.length = 0;
    const cases = ['#/lesson/no-such-lesson', '#/lessen/tcp-handshake', '#/lesson/%E0%A4%A', '#/%%%'];
    for (const h of cases) {
      await page.goto(`${site.url}${h}`);
      await page.waitForSelector('[role="alert"]');
      await page.waitForSelector('[data-lesson="encapsulation"]');
      const text = await page.textContent('[role="alert"]');
      expect(text, h).toMatch(/no lesson called|could not be read/);
    }
    await page.goto(`${site.url}#/lesson/tcp-handshake?t=soon`);
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).toContain('“soon”');
    expect((await time(page)).t).toBe(0);
    await page.goto(`${site.url}#/lesson/tcp-refused?t=99999999999`);
    await page.waitForSelector('[role="alert"]');
    const t = await time(page);
    expect(t.t).toBe(t.end);
    expect(errors).toEqual([]);
  });

  it('follows the browser’s back button between the list and a lesson', async () => {
    await page.goto(`${site.url}#/`);
    await page.click('[data-lesson="udp-echo"]');
    await page.waitForSelector('[data-lesson="udp-echo"] [data-t]');
    await page.goBack();
    await page.waitForSelector('a[data-lesson="udp-echo"]');
    expect(await hash(page)).toBe('#/');
  });
});

describe('the views', () => {
  it('have no accessibility violations in any tab, light or dark, English or Chinese', async () => {
    errors.length = 0;
    for (const [lang, theme] of [
      ['en', 'light'],
      ['zh', 'dark'],
    ] as const) {
      await openLesson(page, site.url, 'time-wait', '?t=300000&pkt=9');
      expect(await setPrefs(page, lang, theme, '[data-lesson="time-wait"] [data-t]')).toEqual([lang, theme]);
      // The theme is really applied: the page's background is light or dark.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
      expect(((r ?? 0) + (g ?? 0) + (b ?? 0)) / 3, `${theme} background ${bg}`)[theme === 'dark' ? 'toBeLessThan' : 'toBeGreaterThan'](128);
      const tabs = await page.$$('[role="tab"]');
      expect(tabs.length).toBeGreaterThanOrEqual(7);
      for (let i = 0; i < tabs.length; i++) {
        await (await page.$$('[role="tab"]'))[i]!.click();
        const v = await axe(page);
        expect(v, `${lang} ${theme} tab ${i}: ${describeViolations(v)}`).toEqual([]);
      }
    }
    await page.goto(`${site.url}#/`);
    await setPrefs(page, 'en', 'light', '[data-lesson]');
    const list = await axe(page);
    expect(list, describeViolations(list)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('select a field in the packet tree and highlight its bytes, and the other way round', async () => {
    await openLesson(page, site.url, 'tcp-handshake', '?t=200249&pkt=4');
    await page.click('[data-field="tcp"]');
    await page.click('[data-field="tcp.srcport"]');
    expect(await page.$$eval('.dump .b.sel', (els) => els.map((e) => e.textContent))).toEqual(['1f', '90']);
    const bytes = await page.$$('.dump .b');
    await bytes[26]!.click(); // the IPv4 source address
    expect(await page.getAttribute('[data-field="ip.src"]', 'aria-pressed')).toBe('true');
  });
});

describe('controls', () => {
  it('play, pause, step and speed from the keyboard', async () => {
    await openLesson(page, site.url, 'udp-echo');
    await page.locator('body').focus();
    await page.keyboard.press('End');
    expect((await time(page)).t).toBe((await time(page)).end);
    await page.keyboard.press('Home');
    expect((await time(page)).t).toBe(0);
    await page.keyboard.press('Shift+ArrowRight');
    const firstFrame = (await time(page)).t;
    expect(firstFrame).toBeGreaterThan(0);
    await page.keyboard.press('ArrowRight');
    expect((await time(page)).t).toBeGreaterThan(firstFrame);
    await page.keyboard.press('ArrowLeft');
    expect((await time(page)).t).toBe(firstFrame);
    await page.keyboard.press('+');
    expect(await page.textContent('output')).toBe('2×');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    expect(await page.textContent('output')).toBe('0.5×');
    await page.keyboard.press('Space');
    expect((await time(page)).playing).toBe(true);
    await page.waitForTimeout(300);
    await page.keyboard.press('Space');
    const paused = await time(page);
    expect(paused.playing).toBe(false);
    expect(Number.isInteger(paused.t)).toBe(true);
    expect(paused.t).toBeGreaterThan(firstFrame);
  });

  it('steps by line through the program', async () => {
    await openLesson(page, site.url, 'encapsulation');
    await page.locator('body').focus();
    await page.keyboard.press('.');
    await page.keyboard.press('.');
    await page.click('[role="tab"]:has-text("Code")');
    expect(await page.$$eval('li.current', (els) => els.length)).toBeGreaterThan(0);
  });

  it('scrolls the Code view to the current line when a lesson opens at a moment', async () => {
    // At 15.036 ms the asyncio lesson's hog task runs its loop, line 19, below the box's first screenful.
    await openLesson(page, site.url, 'asyncio-tasks', '?t=15036');
    await page.click('[role="tab"]#view-code');
    const seen = await page.$eval('[data-snapshot="code"] li.current', (li) => {
      const box = li.closest('.source')!.getBoundingClientRect();
      const r = li.getBoundingClientRect();
      return { line: (li as HTMLElement).dataset.line, inside: r.top >= box.top && r.bottom <= box.bottom };
    });
    expect(seen).toEqual({ line: '19', inside: true });
  });

  it('switches language at once and remembers it', async () => {
    await openLesson(page, site.url, 'tcp-handshake', '?t=200001');
    await page.selectOption('header select >> nth=0', 'zh');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await page.textContent('[data-testid="narration"]')).toContain('客户端的内核选择临时端口');
    await page.reload();
    await page.waitForSelector('[data-t]');
    expect(await page.textContent('[data-testid="narration"]')).toContain('客户端的内核');
    await page.selectOption('header select >> nth=0', 'en');
  });

  it('hides the chrome when embedded', async () => {
    await page.goto(`${site.url}?embed=1#/lesson/udp-echo`);
    await page.waitForSelector('[data-lesson="udp-echo"] [data-t]');
    expect(await page.$('header .brand')).toBeNull();
    expect(await page.$('[data-action="play"]')).not.toBeNull();
  });
});

describe('motion', () => {
  const framePath = async (p: Page, t: number): Promise<string | null> => {
    await openLesson(p, site.url, 'tcp-handshake', `?t=${t}`);
    return p.getAttribute('.frame[data-pkt="1"] .hit', 'd');
  };

  it('glides packets along the link, or makes them jump when the reader prefers reduced motion', async () => {
    const p = await newPage(chrome, errors);
    const a = await framePath(p, 200130);
    const b = await framePath(p, 200170);
    expect(a).not.toBeNull();
    expect(a).not.toBe(b);
    await p.emulateMedia({ reducedMotion: 'reduce' });
    expect(await framePath(p, 200130)).toBe(await framePath(p, 200170));
    await p.close();
  });
});

describe('a phone-sized screen', () => {
  it('puts every view, the layers first, in tabs', async () => {
    const phone = await chrome.browser.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await openLesson(phone, site.url, 'tcp-handshake', '?t=200150');
    const tabs = await phone.$$eval('[role="tab"]', (els) => els.map((e) => e.getAttribute('aria-selected')));
    expect(tabs[0]).toBe('true');
    expect(await phone.$('[data-snapshot="stack"]')).not.toBeNull();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const v = await axe(phone);
    expect(v, describeViolations(v)).toEqual([]);
    await phone.close();
  });
});
