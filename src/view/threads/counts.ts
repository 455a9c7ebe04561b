/**
 * What happened in a window of time [a, b): how often each GIL changed hands, how many
 * acquisitions failed, how many drop requests were made, and gil_load — the fraction of the
 * window the GIL was held — plus each thread's time per state. Queries are O(log n) (binary
 * searches over sorted times and prefix sums), so they can follow zooming and playback.
 *
 * Pure: numbers in, numbers out. May not touch the DOM, Svelte or a clock.
 */
import type { GilLane, Seg, ThreadLane, ThreadState, ThreadsModel } from './model.ts';

/** How many of the sorted times fall in [a, b). */
export function countBetween(times: readonly number[], a: number, b: number): number {
  return lowerBound(times, b) - lowerBound(times, a);
}

function lowerBound(times: readonly number[], x: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const prefixes = new WeakMap<readonly Seg<unknown>[], Float64Array>();

/** Prefix sums of segment lengths: p[i] = total length of segs[0..i). */
function prefix(segs: readonly Seg<unknown>[]): Float64Array {
  let p = prefixes.get(segs);
  if (!p) {
    p = new Float64Array(segs.length + 1);
    for (let i = 0; i < segs.length; i++) p[i + 1] = p[i]! + (segs[i]!.to - segs[i]!.from);
    prefixes.set(segs, p);
  }
  return p;
}

/** Covered time of [0, x): all segments before x, in full or in part. */
function coveredBefore(segs: readonly Seg<unknown>[], x: number): number {
  const p = prefix(segs);
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.to <= x) lo = mid + 1;
    else hi = mid;
  }
  const s = segs[lo];
  return p[lo]! + (s && s.from < x ? x - s.from : 0);
}

/** How much of [a, b) the segments cover. */
export function coveredBetween(segs: readonly Seg<unknown>[], a: number, b: number): number {
  if (b <= a) return 0;
  return coveredBefore(segs, b) - coveredBefore(segs, a);
}

const byState = new WeakMap<ThreadLane, Map<ThreadState, Seg<ThreadState>[]>>();

/** Time a thread spent in `state` during [a, b). */
export function timeIn(lane: ThreadLane, state: ThreadState, a: number, b: number): number {
  let m = byState.get(lane);
  if (!m) {
    m = new Map();
    for (const s of lane.segs) {
      let l = m.get(s.v);
      if (!l) m.set(s.v, (l = []));
      l.push(s);
    }
    byState.set(lane, m);
  }
  return coveredBetween(m.get(state) ?? [], a, b);
}

export interface GilCounts {
  gil: GilLane;
  switches: number;
  failed: number;
  drops: number;
  /** Fraction of the window the GIL was held (0–1). */
  load: number;
}

export interface ThreadCounts {
  lane: ThreadLane;
  /** µs in each state during the window. */
  time: Record<'running-py' | 'wait-gil' | 'blocked-io' | 'running-native' | 'handoff', number>;
}

export interface WindowCounts {
  from: number;
  to: number;
  switches: number;
  failed: number;
  drops: number;
  gils: GilCounts[];
  threads: ThreadCounts[];
}

const STATES = ['running-py', 'wait-gil', 'blocked-io', 'running-native', 'handoff'] as const;

/** Everything counted over [a, b) (an empty window counts nothing). */
export function windowCounts(model: ThreadsModel, a: number, b: number): WindowCounts {
  const to = Math.max(a, b);
  const span = to - a;
  const gils: GilCounts[] = [];
  const threads: ThreadCounts[] = [];
  for (const h of model.hosts) {
    for (const g of h.gils) {
      gils.push({
        gil: g,
        switches: countBetween(g.switches, a, to),
        failed: countBetween(g.failed, a, to),
        drops: countBetween(g.drops, a, to),
        load: span > 0 ? coveredBetween(g.segs, a, to) / span : 0,
      });
    }
    for (const lane of h.threads) {
      const time = {} as ThreadCounts['time'];
      for (const s of STATES) time[s] = timeIn(lane, s, a, to);
      threads.push({ lane, time });
    }
  }
  return {
    from: a,
    to,
    switches: gils.reduce((n, g) => n + g.switches, 0),
    failed: gils.reduce((n, g) => n + g.failed, 0),
    drops: gils.reduce((n, g) => n + g.drops, 0),
    gils,
    threads,
  };
}
