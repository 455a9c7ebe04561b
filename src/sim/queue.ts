/**
 * The event queue: events ordered by (time, seq). Pure data structure: no clock, no timers.
 * `seq` is a counter assigned at insertion, so events at the same virtual time run in the order
 * they were scheduled, which is what makes a run reproducible.
 *
 * Two binary min-heaps hold the entries: `near` the ones due within NEAR µs of the last event
 * taken out (a packet's next layer, a frame's arrival), `far` the rest (delayed ACKs,
 * retransmission and TIME_WAIT timers). The next event is the smaller of the two tops, so which
 * heap an entry went to never changes the order; it only keeps the heap that nearly every push
 * and pop works on small. A run with thousands of connections in TIME_WAIT would otherwise sift
 * every packet's steps through a heap of thousands of 60-second timers.
 */
import type { Micros } from './time.ts';

export interface Scheduled<T> {
  readonly time: Micros;
  readonly seq: number;
  readonly item: T;
  /** Whatever the owner stored beside the item (the kernel: the argument its callback is called with). */
  readonly arg: unknown;
  /** Set by cancel(); a cancelled entry is skipped when it reaches the top. */
  cancelled: boolean;
}

/** Entries due this close to the last time taken out go to the near heap (µs). */
const NEAR = 2000;

/** Whether a comes before b in (time, seq) order. */
function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function siftUp<T>(heap: Scheduled<T>[], entry: Scheduled<T>): void {
  heap.push(entry);
  let i = heap.length - 1;
  const time = entry.time;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent]!;
    if (p.time < time || (p.time === time && p.seq < entry.seq)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = entry;
}

function removeTop<T>(heap: Scheduled<T>[]): void {
  const last = heap.pop()!;
  const n = heap.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    let c = l;
    const lc = heap[l]!;
    if (r < n) {
      const rc = heap[r]!;
      if (rc.time < lc.time || (rc.time === lc.time && rc.seq < lc.seq)) c = r;
    }
    const child = heap[c]!;
    if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
    heap[i] = child;
    i = c;
  }
  heap[i] = last;
}

/** The heap's first live entry (cancelled ones at the top are dropped), or undefined. */
function liveTop<T>(heap: Scheduled<T>[]): Scheduled<T> | undefined {
  while (heap.length > 0) {
    const top = heap[0]!;
    if (!top.cancelled) return top;
    removeTop(heap);
  }
  return undefined;
}

export class EventQueue<T> {
  private readonly near: Scheduled<T>[] = [];
  private readonly far: Scheduled<T>[] = [];
  private nextSeq = 0;
  private live = 0;
  /** Time of the last entry taken out: the reference for near and far. */
  private last: Micros = 0;

  get size(): number {
    return this.live;
  }

  push(time: Micros, item: T, arg?: unknown): Scheduled<T> {
    if (!Number.isInteger(time)) throw new RangeError(`event time must be an integer of µs, got ${time}`);
    const entry: Scheduled<T> = { time, seq: this.nextSeq++, item, arg, cancelled: false };
    siftUp(time - this.last < NEAR ? this.near : this.far, entry);
    this.live++;
    return entry;
  }

  cancel(entry: Scheduled<T>): void {
    if (!entry.cancelled) {
      entry.cancelled = true;
      this.live--;
    }
  }

  /** Time of the earliest live entry, or undefined when empty. */
  peekTime(): Micros | undefined {
    const a = liveTop(this.near);
    const b = liveTop(this.far);
    if (a === undefined) return b?.time;
    if (b === undefined || a.time <= b.time) return a.time;
    return b.time;
  }

  pop(): Scheduled<T> | undefined {
    const a = liveTop(this.near);
    const b = liveTop(this.far);
    let top: Scheduled<T>;
    if (a !== undefined && (b === undefined || before(a, b))) {
      top = a;
      removeTop(this.near);
    } else if (b !== undefined) {
      top = b;
      removeTop(this.far);
    } else return undefined;
    this.live--;
    top.cancelled = true;
    this.last = top.time;
    return top;
  }
}
