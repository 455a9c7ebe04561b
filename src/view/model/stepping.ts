/**
 * Stepping: the times the player stops at when stepping forward or back by event, by packet or
 * by line. A step unit is any set of marks (sorted virtual times); `marksWhere` builds one from
 * any event filter, so new units (threads, the GIL…) need no change here.
 *
 * Pure: reads trace events, returns numbers. May not touch the DOM, Svelte or a clock.
 */
import type { TraceEvent } from '../../sim/trace.ts';

export type EventFilter = (e: TraceEvent) => boolean;

/** Sorted distinct times of the events that pass `filter`. */
export function marksWhere(events: readonly TraceEvent[], filter: EventFilter): Float64Array {
  const out: number[] = [];
  for (const e of events) if (filter(e) && (out.length === 0 || out[out.length - 1] !== e.t)) out.push(e.t);
  return Float64Array.from(out);
}

/** Every event. */
export const anyEvent: EventFilter = () => true;
/** A frame put on a wire: one step per packet hop. */
export const packetEvent: EventFilter = (e) => e.k === 'wire';
/** A socket-module call or its return, or printed output: what a line of the program does. */
export const callEvent: EventFilter = (e) => e.k === 'call' || e.k === 'ret' || e.k === 'out';

/**
 * The start time of every executed Python line (`line` events list lines with µs offsets; a
 * compacted run counts as one step at its start and one at its end).
 */
export function lineMarks(events: readonly TraceEvent[]): Float64Array {
  const out: number[] = [];
  for (const e of events) {
    if (e.k !== 'line') continue;
    if (e.lines) {
      for (let i = 0; i < e.lines.length; i++) {
        const t = e.t + (e.at?.[i] ?? 0);
        if (out[out.length - 1] !== t) out.push(t); // many lines start at the same µs
      }
    }
    if (e.run) out.push(e.t, e.t + e.run.dur);
  }
  out.sort((a, b) => a - b);
  return Float64Array.from(out.filter((x, i) => i === 0 || x !== out[i - 1]));
}

/** The first mark strictly after t, or null. */
export function nextMark(marks: Float64Array, t: number): number | null {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo < marks.length ? marks[lo]! : null;
}

/** The last mark strictly before t, or null. */
export function prevMark(marks: Float64Array, t: number): number | null {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? marks[lo - 1]! : null;
}
