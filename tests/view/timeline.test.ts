import { describe, expect, it } from 'vitest';
import { advance, buildTimeline, gapAt, GAP_MS, GAP_US, nextSpeed, posOf, speedOf, stretchMs, timelineForTrace, timeOf } from '../../src/view/model/timeline.ts';
import { builtinTrace } from './fixtures.ts';

describe('the time mapping', () => {
  it('gives a longer stretch to a longer busy interval, and a fixed length to an idle gap', () => {
    const ds = [1, 2, 8, 50, 1000, GAP_US];
    const ms = ds.map(stretchMs);
    for (let i = 1; i < ms.length; i++) expect(ms[i]!).toBeGreaterThan(ms[i - 1]!);
    expect(stretchMs(GAP_US + 1)).toBe(GAP_MS);
    expect(stretchMs(60_000_000)).toBe(GAP_MS);
    expect(stretchMs(0)).toBe(0);
  });

  it('makes knots distinct and sorted, from 0 to the end', () => {
    const tl = buildTimeline([5, 3, 3, 9, 100], 120);
    expect([...tl.times]).toEqual([0, 3, 5, 9, 100, 120]);
    expect(tl.pos[0]).toBe(0);
    expect(tl.total).toBe(tl.pos[tl.pos.length - 1]);
  });

  it('is monotonic and invertible between knots', () => {
    const tl = timelineForTrace(builtinTrace('tcp-echo'));
    let prev = -1;
    for (let t = 0; t <= tl.end; t += 9973) {
      const p = posOf(tl, t);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
      expect(timeOf(tl, p)).toBeCloseTo(t, 3);
    }
    expect(posOf(tl, -5)).toBe(0);
    expect(posOf(tl, tl.end + 1e9)).toBe(tl.total);
  });

  it('compresses the 60 s TIME_WAIT into one labelled gap', () => {
    const trace = builtinTrace('tcp-echo');
    const tl = timelineForTrace(trace);
    const long = tl.gaps.find((g) => g.to - g.from > 59_000_000);
    expect(long).toBeDefined();
    expect(long!.posTo - long!.posFrom).toBe(GAP_MS);
    expect(gapAt(tl, (long!.from + long!.to) / 2)).toBe(long);
    expect(gapAt(tl, long!.from)).toBeUndefined();
    // Playing the whole 60 s run at 1× takes well under a minute.
    expect(tl.total).toBeLessThan(60_000);
  });

  it('advances by wall time × speed and stops at the end', () => {
    const tl = buildTimeline([10, 20], 30);
    const a = advance(tl, 0, 100, 1);
    const b = advance(tl, 0, 10, 10);
    expect(a.t).toBeCloseTo(b.t, 6);
    expect(advance(tl, 0, 1e9, 1)).toEqual({ t: 30, done: true });
  });

  it('maps the speed slider logarithmically and steps speeds with +/−', () => {
    expect(speedOf(-1)).toBeCloseTo(0.1);
    expect(speedOf(0)).toBe(1);
    expect(speedOf(1)).toBe(10);
    expect(speedOf(5)).toBe(10);
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(1, -1)).toBe(0.5);
    expect(nextSpeed(10, 1)).toBe(10);
    expect(nextSpeed(0.1, -1)).toBe(0.1);
    expect(nextSpeed(1.3, 1)).toBe(2);
  });
});
