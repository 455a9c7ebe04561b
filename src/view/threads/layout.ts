/**
 * Where the threads view's lanes go: per host (a heading row when several hosts have threads),
 * a lane per thread (its event loop's lane, if it runs one, just below), then a lane per CPU
 * core and a GIL-owner lane per process; and the time axis's ticks and their labels.
 *
 * Pure: numbers and strings. May not touch the DOM, Svelte or a clock.
 */
import type { EventLoop } from './asyncio.ts';
import type { CoreLane, GilLane, ThreadLane, ThreadsModel } from './model.ts';

export type Row =
  | { kind: 'host'; key: string; host: string; y: number; h: number }
  | { kind: 'thread'; key: string; lane: ThreadLane; y: number; h: number }
  | { kind: 'loop'; key: string; loop: EventLoop; y: number; h: number }
  | { kind: 'core'; key: string; lane: CoreLane; y: number; h: number }
  | { kind: 'gil'; key: string; lane: GilLane; y: number; h: number };

export interface Layout {
  rows: Row[];
  /** Where the lanes start (after a top margin) and end. */
  top: number;
  bottom: number;
  /** The axis line's y; ticks and labels go below it. */
  axisY: number;
  height: number;
}

export const LANE_H = 20;
export const GAP = 4;
/** Extra space between the thread lanes and the core lanes, and between hosts. */
const SECTION = 8;

export function layout(model: ThreadsModel, loops: readonly EventLoop[], compact = false): Layout {
  const h = compact ? 18 : LANE_H;
  const rows: Row[] = [];
  let y = 6;
  const several = model.hosts.length > 1;
  for (const host of model.hosts) {
    if (several) {
      rows.push({ kind: 'host', key: `h/${host.host}`, host: host.host, y, h: 16 });
      y += 16 + GAP;
    }
    for (const lane of host.threads) {
      rows.push({ kind: 'thread', key: `t/${lane.id}`, lane, y, h });
      y += h + GAP;
      for (const loop of loops.filter((l) => l.thread === lane.id)) {
        rows.push({ kind: 'loop', key: `l/${loop.thread}`, loop, y, h });
        y += h + GAP;
      }
    }
    y += SECTION;
    for (const lane of host.cores) {
      rows.push({ kind: 'core', key: `c/${lane.id}`, lane, y, h: h - 4 });
      y += h - 4 + GAP;
    }
    for (const lane of host.gils) {
      rows.push({ kind: 'gil', key: `g/${lane.id}`, lane, y, h: h - 4 });
      y += h - 4 + GAP;
    }
    y += SECTION;
  }
  const bottom = y - SECTION - GAP;
  const axisY = bottom + 6;
  return { rows, top: 6, bottom, axisY, height: axisY + 22 };
}

/** Nice tick times for [t0, t1] (about `n` of them) and the number of decimals their labels need in ms. */
export function timeTicks(t0: number, t1: number, n: number): { ticks: number[]; decimals: number } {
  const span = Math.max(1, t1 - t0);
  const raw = span / Math.max(1, n);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let v = Math.ceil(t0 / step) * step; v <= t1 + 1e-9; v += step) ticks.push(Math.round(v * 1000) / 1000);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / 1000) - 1e-9));
  return { ticks, decimals: Math.min(3, decimals) };
}

/** A tick's label: virtual time in ms with the decimals the step needs ("12.5 ms" → "12.5"). */
export function tickLabel(t: number, decimals: number): string {
  return (t / 1000).toFixed(decimals);
}

/** About how wide `text` is at `fontPx` (sans-serif): CJK characters a full em, the rest a little over half. */
export function textWidth(text: string, fontPx: number): number {
  let em = 0;
  for (const ch of text) em += ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.58;
  return em * fontPx;
}

/** `text`, cut with an ellipsis to fit `maxPx` at `fontPx`. */
export function fitText(text: string, maxPx: number, fontPx: number): string {
  if (textWidth(text, fontPx) <= maxPx) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontPx) > maxPx) chars.pop();
  return `${chars.join('')}…`;
}

/** The lane names' column: as wide as the longest name needs, between 80 px and 38% of the width. */
export function gutterWidth(labels: readonly string[], width: number, fontPx: number): number {
  const need = Math.max(0, ...labels.map((l) => textWidth(l, fontPx))) + 12;
  return Math.round(Math.min(Math.max(80, need), Math.max(80, width * 0.38)));
}
