import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/queue.ts';
import { createRng } from '../../src/sim/rng.ts';

describe('EventQueue order with near and far events', () => {
  it('takes events out in (time, seq) order while pushing, popping and cancelling at times near and far', () => {
    const rng = createRng(11);
    const q = new EventQueue<number>();
    // Reference: a plain list of live entries, sorted on demand.
    const live: { time: number; n: number; h: ReturnType<EventQueue<number>['push']> }[] = [];
    let now = 0;
    let n = 0;
    const got: number[] = [];
    const want: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const r = rng.next();
      if (r < 0.5) {
        // Near (µs), middling (ms) and far (s) delays, with ties.
        const span = [5, 20_000, 60_000_000][rng.int(3)]!;
        const time = now + rng.int(span);
        const h = q.push(time, n);
        live.push({ time, n, h });
        n++;
      } else if (r < 0.6 && live.length > 0) {
        const i = rng.int(live.length);
        q.cancel(live[i]!.h);
        live.splice(i, 1);
      } else if (live.length > 0) {
        live.sort((a, b) => a.time - b.time || a.n - b.n);
        const first = live.shift()!;
        want.push(first.n);
        expect(q.peekTime()).toBe(first.time);
        const e = q.pop()!;
        got.push(e.item);
        now = e.time;
      }
      expect(q.size).toBe(live.length);
    }
    expect(got).toEqual(want);
  });
});
