/**
 * Lanes in pixels. A lane may hold thousands of segments (the old GIL changes hands every few
 * microseconds), more than there are pixels, so what is drawn is computed per pixel column:
 * each column shows the value that fills most of its time (ticks are counted per column), and
 * neighbouring columns with the same value become one run. The element count is then bounded
 * by the width, whatever the zoom; zoomed in far enough, runs end exactly (to the pixel) where
 * the segments do.
 *
 * Pure: numbers in, numbers out. May not touch the DOM, Svelte or a clock.
 */
import type { Seg } from './model.ts';

/** A linear map between time and pixels (what a d3 scale provides). */
export interface Axis {
  /** Time → x. */
  x(t: number): number;
  /** x → time. */
  t(x: number): number;
}

export interface Run<V> {
  x0: number;
  x1: number;
  v: V;
}

/** First index whose segment ends after t. */
function firstEndingAfter<V>(segs: readonly Seg<V>[], t: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.to <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The runs to draw for sorted, disjoint segments between pixels `left` and `right`. A column
 * shows the value covering most of it (null when gaps cover more than any value), so a value
 * shorter than half a column disappears when zoomed out (its events stay countable as ticks).
 */
export function rasterise<V>(segs: readonly Seg<V>[], axis: Axis, left: number, right: number): Run<V>[] {
  const out: Run<V>[] = [];
  const c0 = Math.floor(left);
  const c1 = Math.ceil(right);
  if (c1 <= c0 || segs.length === 0) return out;
  let i = firstEndingAfter(segs, axis.t(c0));
  const share = new Map<V, number>();
  for (let c = c0; c < c1; c++) {
    const a = axis.t(c);
    const b = axis.t(c + 1);
    // A segment covering the whole column (and more): skip ahead to its end in one go.
    const s = segs[i];
    if (s && s.from <= a && s.to >= b) {
      const xEnd = Math.min(c1, Math.max(c + 1, Math.floor(axis.x(s.to))));
      extend(out, c, xEnd, s.v);
      c = xEnd - 1;
      if (s.to <= axis.t(xEnd)) i++;
      continue;
    }
    share.clear();
    let gap = b - a;
    let k = i;
    for (; k < segs.length && segs[k]!.from < b; k++) {
      const seg = segs[k]!;
      const d = Math.min(b, seg.to) - Math.max(a, seg.from);
      if (d <= 0) continue;
      share.set(seg.v, (share.get(seg.v) ?? 0) + d);
      gap -= d;
    }
    while (i < segs.length && segs[i]!.to <= b) i++;
    let best: V | null = null;
    let bestD = gap;
    for (const [v, d] of share) {
      if (d > bestD) {
        best = v;
        bestD = d;
      }
    }
    if (best !== null) extend(out, c, c + 1, best);
  }
  return out;
}

function extend<V>(out: Run<V>[], x0: number, x1: number, v: V): void {
  const last = out[out.length - 1];
  if (last && last.v === v && last.x1 === x0) last.x1 = x1;
  else out.push({ x0, x1, v });
}

export interface Tick {
  /** Column's left pixel. */
  x: number;
  /** How many times fall in it. */
  n: number;
  /** The first of them (for a label or a link). */
  t: number;
}

/** Sorted times between pixels `left` and `right`, counted per pixel column. */
export function tickColumns(times: readonly number[], axis: Axis, left: number, right: number): Tick[] {
  const out: Tick[] = [];
  const a = axis.t(left);
  const b = axis.t(right);
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < a) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < times.length && times[i]! <= b; i++) {
    const x = Math.floor(axis.x(times[i]!));
    const last = out[out.length - 1];
    if (last && last.x === x) last.n++;
    else out.push({ x, n: 1, t: times[i]! });
  }
  return out;
}

/** The axis of a linear scale from [t0, t1] to [x0, x1]. */
export function linearAxis(t0: number, t1: number, x0: number, x1: number): Axis {
  const k = (x1 - x0) / Math.max(1e-9, t1 - t0);
  return { x: (t) => x0 + (t - t0) * k, t: (x) => t0 + (x - x0) / k };
}
