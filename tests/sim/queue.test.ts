import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/queue.ts';
import { createRng } from '../../src/sim/rng.ts';

describe('EventQueue', () => {
  it('pops events by time, then by insertion order at equal times', () => {
    const q = new EventQueue<string>();
    q.push(30, 'c');
    q.push(10, 'a1');
    q.push(20, 'b');
    q.push(10, 'a2');
    q.push(10, 'a3');
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
    expect(out).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
  });

  it('skips cancelled entries and counts only live ones', () => {
    const q = new EventQueue<number>();
    const a = q.push(5, 1);
    q.push(6, 2);
    q.cancel(a);
    q.cancel(a);
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(6);
    expect(q.pop()?.item).toBe(2);
    expect(q.pop()).toBeUndefined();
  });

  it('rejects non-integer times', () => {
    expect(() => new EventQueue<number>().push(1.5, 0)).toThrow(RangeError);
  });

  it('keeps (time, seq) order over many random insertions', () => {
    const rng = createRng(7);
    const q = new EventQueue<number>();
    const items: { time: number; n: number }[] = [];
    for (let n = 0; n < 5000; n++) {
      const time = rng.int(100);
      items.push({ time, n });
      q.push(time, n);
    }
    const expected = [...items].sort((x, y) => x.time - y.time || x.n - y.n).map((x) => x.n);
    const got: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) got.push(e.item);
    expect(got).toEqual(expected);
  });
});

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 8 }, () => a.next());
    const sb = Array.from({ length: 8 }, () => b.next());
    const sc = Array.from({ length: 8 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('derives independent, reproducible streams by label', () => {
    const r = createRng(1);
    const x1 = r.derive('link:a').next();
    const x2 = createRng(1).derive('link:a').next();
    const y = createRng(1).derive('link:b').next();
    expect(x1).toBe(x2);
    expect(x1).not.toBe(y);
  });

  it('draws integers uniformly enough to cover every bucket', () => {
    const r = createRng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});
