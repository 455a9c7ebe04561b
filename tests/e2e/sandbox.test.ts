/**
 * The sandbox in Chromium, one page for the whole file (Pyodide loads once): write a program in
 * the editor and run it (output, frames in the player); the line the run is executing marked in
 * the editor as the player steps, gone once the code is edited; a syntax error's traceback and line; a
 * runaway loop stopped by the step budget; a loop in C code stopped with Stop, and the next run
 * works; a share link round trip, and a cut link that changes nothing; a corrupt saved sandbox
 * whose text is kept and shown; an unreadable entry never overwritten; axe-core. Fails (never
 * skips) when Chromium is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Chrome } from './browser.ts';
import type { Site } from './site.ts';
import { setPrefs, startE2e, stopE2e } from './session.ts';
import { axe, describeViolations } from './driver.ts';

let chrome: Chrome;
let site: Site;
let page: Page;
const errors: string[] = [];

beforeAll(async () => ({ chrome, site, page } = await startE2e(errors)));
afterAll(() => stopE2e(chrome, site));

/** Opens the sandbox fresh (remounted, so it reads localStorage again). */
async function openSandbox(hash = '#/sandbox'): Promise<void> {
  await page.goto(`${site.url}#/`);
  await page.waitForSelector('[data-lesson]');
  await page.goto(`${site.url}${hash}`);
  await page.waitForSelector('[data-sandbox="ready"]');
}

/** Replaces the selected program's code. */
async function setCode(code: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

const editorText = (): Promise<string> => page.$eval('.cm-content', (el) => (el as HTMLElement & { cmView?: unknown }).innerText.replace(/\u00a0/g, ' ').trimEnd());

async function run(timeout = 90_000): Promise<void> {
  await page.click('[data-action="run"]');
  await page.waitForSelector('[data-testid="run-panel"] [data-phase="idle"]', { timeout, state: 'attached' });
  await page.waitForFunction(() => document.querySelector('[data-testid="run-panel"] [data-phase]')?.getAttribute('data-phase') === 'idle', undefined, { timeout, polling: 100 });
}

describe('the sandbox', () => {
  it('runs a program typed into the editor: progress, output, and its frames in the player', async () => {
    errors.length = 0;
    await page.goto(`${site.url}#/`);
    await page.evaluate(() => localStorage.clear());
    await page.evaluate(() => localStorage.setItem('wirescope.lang', 'en'));
    await openSandbox('#/sandbox?example=udp-echo');
    expect(await page.evaluate(() => location.hash)).toBe('#/sandbox');
    // Python starts loading in the background as the sandbox opens, before any Run.
    expect(await page.textContent('[data-python="loading"]', { timeout: 10_000 })).toContain('Python loading…');
    await page.click('[data-program="client.py"]');
    await setCode('from socket import *\n\ns = socket(AF_INET, SOCK_DGRAM)\ns.settimeout(5)\ns.sendto(b"typed here", ("10.0.0.2", 7788))\ndata, addr = s.recvfrom(2048)\nprint("reply", data)\ns.close()\n');
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-testid="output"]', { timeout: 90_000 });
    expect(await page.textContent('[data-python="ready"]')).toContain('Python ready');
    const out = await page.textContent('[data-testid="output"]');
    expect(out).toContain("[client] reply b'typed here'");
    expect(out).toContain("[server] got b'typed here' from 10.0.0.1");
    // The player replays it: step by packet to the first frame and see it in the event log and stacks.
    await page.waitForSelector('[data-testid="sandbox-player"] [data-t]');
    const end = Number(await page.getAttribute('[data-testid="sandbox-player"] [data-t]', 'data-end'));
    expect(end).toBeGreaterThan(0);
    await page.locator('body').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForSelector('[data-testid="sandbox-player"] .frame[data-pkt]', { state: 'attached' });
    await page.click('[data-testid="sandbox-player"] [role="tab"]#view-log');
    const log = await page.textContent('[data-testid="sandbox-player"] [data-snapshot="log"]');
    expect(log).toMatch(/UDP/);
    // Saved as typed.
    const saved = await page.evaluate(() => localStorage.getItem('wirescope.sandbox'));
    expect(saved).toContain('typed here');
    const v = await axe(page);
    expect(v, describeViolations(v)).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);

  it('marks in the editor the line the run is executing at the player’s time, until the code is edited', async () => {
    errors.length = 0;
    const recv = 'data, addr = s.recvfrom(2048)';
    const marked = (): Promise<string[]> => page.$$eval('.cm-line.cm-executingLine', (els) => els.map((e) => e.textContent ?? ''));
    const codeViewLine = (): Promise<string | null> =>
      page.$eval('[data-testid="sandbox-player"] [data-snapshot="code"] section:has(h2 code:text-is("client.py")) li.current code', (el) => el.textContent).catch(() => null);
    // The run above is shown and client.py is open: step the player by line until the client waits in recvfrom().
    await page.click('[data-testid="sandbox-player"] [role="tab"]#view-code');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Home');
    expect(await marked()).toEqual([]);
    const before = { text: await editorText(), saved: await page.evaluate(() => localStorage.getItem('wirescope.sandbox')) };
    for (let i = 0; i < 40 && !(await marked()).includes(recv); i++) await page.keyboard.press('.');
    expect(await marked()).toEqual([recv]);
    // The same line as the player's Code view, with its number marked in the gutter.
    expect(await codeViewLine()).toBe(recv);
    expect(await page.$$eval('.cm-lineNumbers .cm-executingGutter', (els) => els.map((e) => e.textContent))).toEqual(['6']);
    // A decoration only: the text, the save, the focus are as they were.
    expect(await editorText()).toBe(before.text);
    expect(await page.evaluate(() => localStorage.getItem('wirescope.sandbox'))).toBe(before.saved);
    expect(await page.evaluate(() => document.activeElement?.closest('.cm-editor') ?? null)).toBeNull();
    expect(await page.$('[data-testid="editor-stale"]')).toBeNull();
    // Readable in both themes (axe checks the marked line's text colours).
    let v = await axe(page);
    expect(v, describeViolations(v)).toEqual([]);
    const theme = await page.inputValue('header select:has(option[value="dark"])');
    await page.selectOption('header select:has(option[value="dark"])', 'dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    v = await axe(page);
    expect(v, describeViolations(v)).toEqual([]);
    await page.selectOption('header select:has(option[value="dark"])', theme);
    // Edited after the run: the run's line numbers may no longer fit, so nothing is marked, and a note says why…
    await page.click('.cm-content');
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('#');
    await page.waitForSelector('[data-testid="editor-stale"]');
    expect(await marked()).toEqual([]);
    expect(await page.$$('.cm-executingGutter')).toEqual([]);
    expect(await codeViewLine()).toBe(recv);
    // …and undoing the edit brings the mark back.
    await page.keyboard.press('Control+z');
    await page.waitForSelector('[data-testid="editor-stale"]', { state: 'detached' });
    expect(await editorText()).toBe(before.text);
    expect(await marked()).toEqual([recv]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a syntax error with its traceback and marks the line', async () => {
    errors.length = 0;
    await setCode('from socket import *\n\nif True:\n    print("x"\n');
    await run();
    const alert = await page.textContent('[data-outcome="syntax"]');
    expect(alert).toContain('Syntax error in client.py on client, line 4');
    expect(alert).toContain("SyntaxError: '(' was never closed");
    await page.waitForSelector('.cm-lintRange-error');
    expect(await page.$eval('.cm-lintRange-error', (el) => el.closest('.cm-line')?.textContent)).toBe('    print("x"');
    // An exception at run time: its traceback, and "go to line" puts the cursor there.
    await setCode('import socket\n\ns = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\ns.connect(("10.0.0.2", 9))\n');
    await run();
    const exc = await page.textContent('[data-outcome="exception"]:has-text("client.py")');
    expect(exc).toContain('client.py on client raised an exception at line 4');
    expect(exc).toContain('ConnectionRefusedError: [Errno 111] Connection refused');
    await page.click('[data-outcome="exception"]:has-text("client.py") [data-action="goto-line"]');
    expect(await page.$eval('.cm-activeLine', (el) => el.textContent)).toBe('s.connect(("10.0.0.2", 9))');
    expect(errors).toEqual([]);
  }, 120_000);

  it('stops an endless loop with the step budget, and a loop in C code with Stop; the next run works', async () => {
    errors.length = 0;
    await setCode('n = 0\nwhile True:\n    n += 1\n');
    await run();
    const budget = await page.textContent('[data-outcome="budget"]');
    expect(budget).toContain('stopped at line');
    expect(budget).toContain('wirescope: client.py stopped after 10,000,000 statements (the step budget); does it loop forever?');
    await setCode('sum(iter(int, 1))\n');
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-phase="running"]');
    await page.waitForTimeout(500);
    // The tab stays responsive while the worker spins.
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await page.click('[data-action="stop"]');
    await page.waitForSelector('[data-outcome="crash"]');
    await setCode('print("back")\n');
    await run();
    expect(await page.textContent('[data-testid="output"]')).toContain('[client] back');
    expect(errors).toEqual([]);
  }, 180_000);

  it('round-trips a share link, and a cut link changes nothing', async () => {
    errors.length = 0;
    await setCode('print("shared ✓ 共享")\n');
    await page.click('[data-action="share"]');
    const url = await page.inputValue('#share-url');
    expect(url).toMatch(/#\/sandbox\?s=1\.[0-9a-f]{8}\./);
    // Someone else edits their own sandbox, then opens the link: they get it, their own is kept.
    await setCode('print("mine")\n');
    await page.waitForFunction(() => localStorage.getItem('wirescope.sandbox')?.includes('mine'));
    await page.goto(url);
    await page.waitForSelector('[data-sandbox="ready"]');
    await page.click('[data-program="client.py"]');
    expect(await editorText()).toBe('print("shared ✓ 共享")');
    expect(await page.textContent('[data-notice="replaced"]')).toContain('was kept');
    expect(await page.evaluate(() => localStorage.getItem('wirescope.sandbox.kept'))).toContain('mine');
    // A link cut short: a clear message, the link's text, and the sandbox as it was.
    const before = await page.evaluate(() => localStorage.getItem('wirescope.sandbox'));
    await openSandbox('#/sandbox?s=' + url.split('s=')[1]!.slice(0, -7));
    expect(await page.textContent('[data-notice="bad-share"]')).toContain('incomplete');
    await page.click('[data-program="client.py"]');
    expect(await editorText()).toBe('print("shared ✓ 共享")');
    expect(await page.evaluate(() => localStorage.getItem('wirescope.sandbox'))).toBe(before);
    await openSandbox('#/sandbox?s=garbage!!');
    expect(await page.textContent('[data-notice="bad-share"]')).toContain('not a wirescope share link');
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps and shows a corrupt saved sandbox, and does not write over it', async () => {
    errors.length = 0;
    const raw = '{"format":"wirescope-sandbox","version":1,"scenario":{"hosts":[{"name":"a","ip":"10.0.0.1","programs":[{"name":"a.py","code":"print(\'my work\')';
    await page.evaluate((r) => localStorage.setItem('wirescope.sandbox', r), raw);
    await openSandbox();
    expect(await page.textContent('[data-notice="unreadable-save"]')).toContain('not valid JSON');
    expect(await page.inputValue('[data-testid="unreadable-raw"]')).toBe(raw);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('wirescope.sandbox.unreadable')))!)[0].raw).toBe(raw);
    // Still there after a reload, until dismissed.
    await page.reload();
    await page.waitForSelector('[data-sandbox="ready"]');
    expect(await page.inputValue('[data-testid="unreadable-raw"]')).toBe(raw);
    await page.click('[data-notice="unreadable-save"] button:has-text("dismiss")');
    expect(await page.$('[data-notice="unreadable-save"]')).toBeNull();
    expect(await page.evaluate(() => localStorage.getItem('wirescope.sandbox.unreadable'))).toBeNull();
    // A save from a newer version is named as such.
    await page.evaluate(() => localStorage.setItem('wirescope.sandbox', '{"format":"wirescope-sandbox","version":9,"scenario":{}}'));
    await openSandbox();
    expect(await page.textContent('[data-notice="unreadable-save"]')).toContain('newer version');
    const v = await axe(page);
    expect(v, describeViolations(v)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('does not trap keyboard users in the editor: Tab passes through on arrival; after typing, Esc then Tab leaves', async () => {
    errors.length = 0;
    const inEditor = (): Promise<boolean> => page.evaluate(() => document.activeElement?.closest('.cm-editor') !== null);
    await page.focus('[data-action="remove-program"]');
    await page.keyboard.press('Tab');
    expect(await inEditor()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await inEditor()).toBe(false);
    // Typing makes Tab indent…
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('x');
    await page.keyboard.press('Tab');
    expect(await inEditor()).toBe(true);
    // …and Esc then Tab moves on.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await inEditor()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('shows the validator’s problems with their paths, and opens a lesson’s programs', async () => {
    errors.length = 0;
    await page.fill('[data-host="client"] [data-field="ip"]', '10.0.0.300');
    await page.waitForSelector('[data-host] [aria-invalid="true"]');
    await page.click('[data-action="run"]');
    const alert = await page.textContent('[data-outcome="invalid"]');
    expect(alert).toContain('hosts[');
    expect(alert).toContain('expected an IPv4 address');
    await openSandbox('#/sandbox?lesson=tcp-handshake');
    expect(await page.$$eval('[data-program]', (els) => els.map((e) => e.getAttribute('data-program')))).toEqual(['server.py', 'client.py']);
    expect(errors).toEqual([]);
  }, 60_000);

  it('has no accessibility violations in Chinese and the dark theme, the editor included', async () => {
    errors.length = 0;
    await openSandbox('#/sandbox?example=tcp-echo');
    expect(await setPrefs(page, 'zh', 'dark', '[data-sandbox="ready"] .cm-content')).toEqual(['zh', 'dark']);
    const v = await axe(page);
    expect(v, describeViolations(v)).toEqual([]);
    await setPrefs(page, 'en', 'light', '[data-sandbox="ready"]');
    expect(errors).toEqual([]);
  });
});
