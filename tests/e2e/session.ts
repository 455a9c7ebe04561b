/**
 * What every end-to-end test file sets up: one headless Chromium, the built site on a local
 * server and a page whose reader is English unless a test chooses otherwise; and how a test
 * chooses the reader's language and theme.
 */
import type { Page } from 'playwright-core';
import { launch, newPage, type Chrome } from './browser.ts';
import { buildSite, serve, type Site } from './site.ts';

export interface E2e {
  chrome: Chrome;
  site: Site;
  page: Page;
}

/** Starts Chromium and the site; page errors and console errors are pushed to `errors`. */
export async function startE2e(errors: string[]): Promise<E2e> {
  const chrome = await launch();
  const site = await serve(await buildSite());
  const page = await newPage(chrome, errors);
  await page.addInitScript(() => {
    if (!localStorage.getItem('wirescope.lang')) localStorage.setItem('wirescope.lang', 'en');
  });
  return { chrome, site, page };
}

export async function stopE2e(chrome: Chrome | undefined, site: Site | undefined): Promise<void> {
  await chrome?.close();
  await site?.close();
}

/**
 * Stores the reader's language and theme and reloads the page, so that the app reads them (a
 * change of the URL's hash alone keeps the page as it was); resolves once `ready` is shown, with
 * the language (two letters) and theme the page then has.
 */
export async function setPrefs(page: Page, lang: 'en' | 'zh', theme: 'light' | 'dark', ready: string): Promise<[string, string | undefined]> {
  await page.evaluate(([l, th]) => (localStorage.setItem('wirescope.lang', l), localStorage.setItem('wirescope.theme', th)), [lang, theme] as const);
  await page.reload();
  await page.waitForSelector(ready);
  return page.evaluate(() => [document.documentElement.lang.slice(0, 2), document.documentElement.dataset.theme] as [string, string | undefined]);
}
