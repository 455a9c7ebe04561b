/**
 * Screenshots of the sandbox at 1280×720 and 390×844, English and Chinese, light and dark:
 * after a run of the TCP echo example (player at its first data segment), and with a syntax
 * error. Writes PNGs to screenshots/ (gitignored). Run: npx tsx tests/e2e/sandbox-screenshots.ts
 * [--only=wide|narrow] [--lang=en|zh] [--theme=light|dark]
 * Chinese text needs a CJK font (fonts-noto-cjk or fonts-wqy-microhei).
 */
import { shootAll } from './screenshot-session.ts';

await shootAll(async ({ page, url, size, file }) => {
  await page.addInitScript(() => {
    localStorage.removeItem('wirescope.sandbox');
    localStorage.removeItem('wirescope.sandbox.kept');
  });
  await page.goto(`${url}#/sandbox?example=tcp-echo`);
  await page.waitForSelector('[data-sandbox="ready"]');
  const shot = async (name: string, fullPage = size.name === 'narrow'): Promise<void> => {
    await page.screenshot({ path: file(`sandbox-${name}`), fullPage });
  };
  await shot('start', false);
  await page.click('[data-action="run"]');
  await page.waitForSelector('[data-testid="sandbox-player"] [data-t]', { timeout: 120_000 });
  // The moment the client's data segment is on the link.
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
});
