/**
 * The event queue: a binary min-heap ordered by (time, seq). Pure data structure: no clock,
 * no timers. `seq` is a counter assigned at insertion, so events at the same virtual time run
 * in the order they were scheduled, which is what makes a run reproducible.
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

export class EventQueue<T> {
  private heap: Scheduled<T>[] = [];
  private nextSeq = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(time: Micros, item: T, arg?: unknown): Scheduled<T> {
    if (!Number.isInteger(time)) throw new RangeError(`event time must be an integer of µs, got ${time}`);
    const entry: Scheduled<T> = { time, seq: this.nextSeq++, item, arg, cancelled: false };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.time < time || (p.time === time && p.seq < entry.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
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
    this.dropCancelled();
    return this.heap[0]?.time;
  }

  pop(): Scheduled<T> | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    top.cancelled = true;
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const heap = this.heap;
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
}
