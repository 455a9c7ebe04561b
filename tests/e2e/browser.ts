/**
 * Debian's Chromium through playwright-core, for the browser tests, screenshots and the UI
 * benchmark. Fails loudly (never skips) when Chromium is not installed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Chrome {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile. Throws when Chromium is missing. */
export async function launch(extraArgs: string[] = [], viewport = { width: 1280, height: 720 }): Promise<Chrome> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run .ci/run (it installs the "chromium" package) or apt-get install chromium`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'wirescope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  return {
    browser: context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that fails the test on any uncaught page error or console error. */
export async function newPage(chrome: Chrome, errors: string[]): Promise<Page> {
  const page = await chrome.browser.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}

export type { Browser, Page };
