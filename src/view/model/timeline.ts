/**
 * The time mapping: virtual time (integer µs, from µs-apart layer steps to a 60 s TIME_WAIT)
 * to playback position (milliseconds of playback at 1× speed), and back.
 *
 * Every distinct event time (and each frame's txEnd, rxStart, rxEnd, and each Python line's
 * start) is a knot. The stretch between two knots Δ µs apart plays for
 *   BASE_MS + PER_DECADE_MS · log10(1 + Δ)   when Δ ≤ GAP_US (a busy stretch), or
 *   GAP_MS                                   when Δ > GAP_US (an idle gap, labelled "⋯ 59.8 s later ⋯").
 * Between knots the mapping is linear, so it is monotonic and exactly invertible, and anything
 * drawn as a function of virtual time (a frame at (t − send)/(recv − send) along its link) stays
 * exact while the playback speed follows how much is happening. See docs/player.md.
 *
 * While some CPU core runs a computing thread (a **busy** stretch: from the trace's `core`
 * events, less the time its thread spends inside kernel calls), the
 * threads' own events (`thread`, `gil`, `core`, `line`) are not knots: a CPU-bound loop records
 * them every few µs to ms, and a knot each would make a second of computing play for minutes.
 * There virtual time plays at least at CPU_MS_PER_US (1 ms → 100 ms, so a 5 ms switch interval
 * takes half a second) and is never an idle gap; other events there (a packet, a call) are still
 * knots with their usual stretch.
 *
 * Pure: numbers in, numbers out. May not touch the DOM, Svelte or a clock.
 */
import type { Trace } from '../../sim/trace.ts';

export const BASE_MS = 120;
export const PER_DECADE_MS = 300;
/** Stretches longer than this (5 ms of virtual time) are idle gaps. */
export const GAP_US = 5000;
export const GAP_MS = 1300;

export interface Gap {
  /** Virtual times of the knots either side. */
  from: number;
  to: number;
  /** Playback positions of those knots. */
  posFrom: number;
  posTo: number;
}

export interface Timeline {
  /** Knot times, ascending and distinct; the first is 0, the last the trace's end. */
  times: Float64Array;
  /** Playback position of each knot (ms at 1×). */
  pos: Float64Array;
  total: number;
  gaps: Gap[];
  end: number;
}

/** Playback duration of a stretch of Δ µs. */
export function stretchMs(delta: number): number {
  if (delta <= 0) return 0;
  if (delta > GAP_US) return GAP_MS;
  return BASE_MS + PER_DECADE_MS * Math.log10(1 + delta);
}

/** During a busy stretch (a CPU core runs a thread throughout), virtual µs → playback ms. */
export const CPU_MS_PER_US = 0.1;

/** Playback duration of a stretch of Δ µs during which a core is busy: as a busy interval, but never an idle gap, and at least CPU_MS_PER_US·Δ. */
export function busyStretchMs(delta: number): number {
  if (delta <= 0) return 0;
  return Math.max(CPU_MS_PER_US * delta, stretchMs(Math.min(delta, GAP_US)));
}

/** Busy stretches closer than this (a GIL hand-off: the next thread wakes ~25 µs later) are one. */
export const BUSY_JOIN_US = 200;

/**
 * The stretches during which some CPU core runs a thread that is computing — not inside a kernel
 * call (a thread waiting in accept() or join() computes nothing, whatever core it is on) — as
 * flattened [from, to, from, to…] (sorted, disjoint; joined across gaps under BUSY_JOIN_US).
 */
export function busySpans(trace: Trace): number[] {
  const coreThread = new Map<string, string>();
  const calls = new Map<string, number>();
  const callThread = new Map<number, string>();
  let busy = 0;
  const out: number[] = [];
  const computing = (thread: string | undefined): boolean => thread !== undefined && !(calls.get(thread)! > 0);
  const change = (t: number, delta: number): void => {
    const was = busy;
    busy += delta;
    if (was === 0 && busy > 0) {
      // Re-open a span that ended just before (one core went idle as another started, a GIL hand-off).
      if (out.length && t - out[out.length - 1]! < BUSY_JOIN_US) out.pop();
      else out.push(t);
    } else if (was > 0 && busy === 0) out.push(t);
  };
  /** Thread `th` enters (+1) or leaves (−1) a call: the cores running it stop or start counting. */
  const callEdge = (t: number, th: string, d: 1 | -1): void => {
    const before = computing(th);
    calls.set(th, (calls.get(th) ?? 0) + d);
    const after = computing(th);
    if (before === after) return;
    for (const v of coreThread.values()) if (v === th) change(t, after ? 1 : -1);
  };
  for (const e of trace.events) {
    if (e.k === 'core') {
      const key = `${e.host}/${e.core}`;
      const before = computing(coreThread.get(key));
      if (e.tid === null) coreThread.delete(key);
      else coreThread.set(key, `${e.host}/${e.pid}/${e.tid}`);
      const after = computing(coreThread.get(key));
      if (before !== after) change(e.t, after ? 1 : -1);
    } else if (e.k === 'call') {
      const th = `${e.host}/${e.pid}/${e.tid}`;
      callThread.set(e.id, th);
      callEdge(e.t, th, 1);
    } else if (e.k === 'ret') {
      const th = callThread.get(e.id);
      if (th === undefined) continue;
      callThread.delete(e.id);
      callEdge(e.t, th, -1);
    }
  }
  if (out.length % 2 === 1) out.push(trace.end);
  return out;
}

/** Index of the busy span holding [a, b] entirely, or -1. */
function busyHolding(busy: readonly number[], a: number, b: number): number {
  let lo = 0;
  let hi = busy.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (busy[2 * mid + 1]! < b) lo = mid + 1;
    else hi = mid;
  }
  return lo < busy.length / 2 && busy[2 * lo]! <= a ? lo : -1;
}

/** Builds the mapping from knot times (any order, duplicates allowed), the end of the run and its busy spans. */
export function buildTimeline(knots: Iterable<number>, end: number, busy: readonly number[] = []): Timeline {
  const all = [0, end];
  for (const k of knots) if (k >= 0 && k <= end) all.push(k);
  all.sort((a, b) => a - b);
  const times: number[] = [];
  for (const k of all) if (times.length === 0 || k !== times[times.length - 1]) times.push(k);
  const pos = new Float64Array(times.length);
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const delta = times[i]! - times[i - 1]!;
    const inBusy = busy.length > 0 && busyHolding(busy, times[i - 1]!, times[i]!) >= 0;
    pos[i] = pos[i - 1]! + (inBusy ? busyStretchMs(delta) : stretchMs(delta));
    if (delta > GAP_US && !inBusy) gaps.push({ from: times[i - 1]!, to: times[i]!, posFrom: pos[i - 1]!, posTo: pos[i]! });
  }
  return { times: Float64Array.from(times), pos, total: pos[pos.length - 1] ?? 0, gaps, end };
}

/** The knots of a trace: every event time, each frame's transmission times, each line's start (threads' own events only outside busy spans). */
export function traceKnots(trace: Trace, busy: readonly number[] = []): number[] {
  const out: number[] = [];
  let b = 0;
  for (const e of trace.events) {
    while (b < busy.length && busy[b + 1]! <= e.t) b += 2;
    if ((e.k === 'thread' || e.k === 'gil' || e.k === 'core' || e.k === 'line') && b < busy.length && busy[b]! < e.t) continue;
    out.push(e.t);
    if (e.k === 'wire') out.push(e.txEnd, e.rxStart, e.rxEnd);
    else if (e.k === 'line' && e.at) for (const a of e.at) out.push(e.t + a);
    else if (e.k === 'line' && e.run) out.push(e.t + e.run.dur);
  }
  return out;
}

export function timelineForTrace(trace: Trace): Timeline {
  const busy = busySpans(trace);
  return buildTimeline(traceKnots(trace, busy), trace.end, busy);
}

/** Index i of the segment [times[i], times[i+1]] holding x, searched in `arr`. */
function segment(arr: Float64Array, x: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  if (hi <= 0) return 0;
  if (x <= arr[0]!) return 0;
  if (x >= arr[hi]!) return hi - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Playback position (ms at 1×) of virtual time t, clamped to [0, total]. */
export function posOf(tl: Timeline, t: number): number {
  if (tl.times.length < 2) return 0;
  const i = segment(tl.times, t);
  const t0 = tl.times[i]!;
  const t1 = tl.times[i + 1]!;
  const f = Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
  return tl.pos[i]! + f * (tl.pos[i + 1]! - tl.pos[i]!);
}

/** Virtual time at playback position p, clamped to [0, end]. */
export function timeOf(tl: Timeline, p: number): number {
  if (tl.times.length < 2) return 0;
  const i = segment(tl.pos, p);
  const p0 = tl.pos[i]!;
  const p1 = tl.pos[i + 1]!;
  const f = p1 > p0 ? Math.min(1, Math.max(0, (p - p0) / (p1 - p0))) : 0;
  return tl.times[i]! + f * (tl.times[i + 1]! - tl.times[i]!);
}

/** The idle gap t lies strictly inside, if any. */
export function gapAt(tl: Timeline, t: number): Gap | undefined {
  let lo = 0;
  let hi = tl.gaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tl.gaps[mid]!.to <= t) lo = mid + 1;
    else hi = mid;
  }
  const g = tl.gaps[lo];
  return g && g.from < t && t < g.to ? g : undefined;
}

/** Speed from a slider position on a log scale: −1 → 0.1×, 0 → 1×, 1 → 10×. */
export function speedOf(logSpeed: number): number {
  return 10 ** Math.min(1, Math.max(-1, logSpeed));
}

/** The speeds the +/− keys step through. */
export const SPEED_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10] as const;

/** The next speed step up (dir 1) or down (dir −1) from `speed`. */
export function nextSpeed(speed: number, dir: 1 | -1): number {
  if (dir > 0) return SPEED_STEPS.find((s) => s > speed * 1.0001) ?? SPEED_STEPS[SPEED_STEPS.length - 1]!;
  return [...SPEED_STEPS].reverse().find((s) => s < speed / 1.0001) ?? SPEED_STEPS[0]!;
}

/**
 * One animation frame: advance from virtual time t by `wallMs` of wall time at `speed`.
 * Returns the new time and whether playback reached the end.
 */
export function advance(tl: Timeline, t: number, wallMs: number, speed: number): { t: number; done: boolean } {
  const p = posOf(tl, t) + Math.max(0, wallMs) * speed;
  if (p >= tl.total) return { t: tl.end, done: true };
  return { t: timeOf(tl, p), done: false };
}

/**
 * Scrub-bar ticks, at most one per pixel column: for each mark set (in priority order), the
 * x of every mark; a column keeps the highest priority that falls in it. Returns [x, priority].
 */
export function tickColumns(tl: Timeline, x: (pos: number) => number, markSets: readonly Float64Array[]): [number, number][] {
  const cols = new Map<number, number>();
  markSets.forEach((marks, k) => {
    for (const m of marks) {
      const px = Math.round(x(posOf(tl, m)));
      if ((cols.get(px) ?? -1) < k) cols.set(px, k);
    }
  });
  return [...cols.entries()];
}
