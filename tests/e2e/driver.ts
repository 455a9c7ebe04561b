/**
 * A small driver for the player in a browser page: open a lesson, read the current time,
 * play to the end, step, take a stable snapshot of what the views show, run axe-core.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export async function openLesson(page: Page, base: string, id: string, query = ''): Promise<void> {
  await page.goto(`${base}#/lesson/${id}${query}`);
  await page.waitForSelector(`[data-lesson="${id}"] [data-t]`);
}

export async function time(page: Page): Promise<{ t: number; end: number; playing: boolean }> {
  return page.$eval('[data-t]', (el) => {
    const d = (el as HTMLElement).dataset;
    return { t: Number(d.t), end: Number(d.end), playing: d.playing === 'true' };
  });
}

/** Plays at top speed until the end (the player stops by itself there). */
export async function playToEnd(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('input[type="range"][min="-1"]').fill('1');
  await page.click('[data-action="play"]');
  await page.waitForFunction(
    () => {
      const d = (document.querySelector('[data-t]') as HTMLElement).dataset;
      return d.playing === 'false' && d.t === d.end;
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
}

/** Steps back with ← until the start (fails if that takes more than `max` steps). */
export async function stepBackToStart(page: Page, max = 2000): Promise<number> {
  await page.locator('[data-action="back"]').focus();
  await page.locator('body').focus();
  for (let n = 0; n < max; n++) {
    if ((await time(page)).t === 0) return n;
    await page.keyboard.press('ArrowLeft');
  }
  throw new Error(`still not at the start after ${max} steps`);
}

/**
 * What the views show, stably: the visible time, the narration, and the markup of every view
 * that is a function of (trace, time) — numbers rounded, the event log (its scroll position is
 * the reader's) left out.
 */
export async function snapshot(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const round = (s: string): string => s.replace(/-?\d+\.\d+/g, (m) => Number(m).toFixed(1));
    /** Markup with attributes sorted (the DOM keeps them in the order they were first set). */
    const serial = (n: Node): string => {
      if (n.nodeType === Node.TEXT_NODE) return (n.textContent ?? '').replace(/\s+/g, ' ');
      if (n.nodeType !== Node.ELEMENT_NODE) return '';
      const el = n as Element;
      const attrs = [...el.attributes].map((a) => `${a.name}="${round(a.value)}"`).sort().join(' ');
      return `<${el.localName} ${attrs}>${[...el.childNodes].map(serial).join('')}</${el.localName}>`;
    };
    const out: Record<string, string> = {};
    const ctrl = document.querySelector('[data-t]') as HTMLElement;
    out.time = `${ctrl.dataset.t}/${ctrl.dataset.end}`;
    out.narration = (document.querySelector('[data-testid="narration"]') as HTMLElement).innerText;
    document.querySelectorAll<HTMLElement>('[data-snapshot]').forEach((el, i) => {
      const name = el.dataset.snapshot!;
      if (name === 'log') return;
      out[`${name}#${i}`] = serial(el);
    });
    return out;
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's violations for the page as it is now. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const has = await page.evaluate(() => 'axe' in window);
  if (!has) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

/** A readable summary of violations for assertion messages. */
export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}
