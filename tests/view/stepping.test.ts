import { describe, expect, it } from 'vitest';
import { anyEvent, lineMarks, marksWhere, nextMark, packetEvent, prevMark } from '../../src/view/model/stepping.ts';
import type { TraceEvent } from '../../src/sim/trace.ts';
import { builtinTrace, lessonTrace } from './fixtures.ts';

describe('stepping', () => {
  it('stops once per distinct event time', () => {
    const trace = builtinTrace('tcp-echo');
    const marks = marksWhere(trace.events, anyEvent);
    const distinct = new Set(trace.events.map((e) => e.t));
    expect(marks.length).toBe(distinct.size);
  });

  it('finds the next and previous mark strictly after and before t', () => {
    const m = Float64Array.from([0, 5, 9]);
    const cases: [number, number | null, number | null][] = [
      [-1, 0, null],
      [0, 5, null],
      [3, 5, 0],
      [5, 9, 0],
      [9, null, 5],
      [20, null, 9],
    ];
    for (const [t, next, prev] of cases) {
      expect(nextMark(m, t)).toBe(next);
      expect(prevMark(m, t)).toBe(prev);
    }
  });

  it('takes any event filter, e.g. one step per frame on a wire', () => {
    const trace = builtinTrace('tcp-echo');
    const marks = marksWhere(trace.events, packetEvent);
    expect(marks.length).toBe(trace.events.filter((e) => e.k === 'wire').length);
  });

  it('expands line events into one mark per executed line', () => {
    const events = [
      { t: 10, k: 'line', host: 'h', pid: 1, tid: 1, file: 'a.py', lines: [1, 2, 3], at: [0, 1, 2] },
      { t: 20, k: 'line', host: 'h', pid: 1, tid: 1, file: 'a.py', run: { count: 1000, dur: 50, set: [4, 5], last: 5 } },
    ] as TraceEvent[];
    expect([...lineMarks(events)]).toEqual([10, 11, 12, 20, 70]);
  });

  it('gets real line marks from the annotated lessons', () => {
    const trace = lessonTrace('encapsulation');
    expect(lineMarks(trace.events).length).toBeGreaterThan(5);
  });

  it('steps back from the end to the start', () => {
    const trace = builtinTrace('udp-echo');
    const marks = marksWhere(trace.events, anyEvent);
    let t: number | null = trace.end;
    let n = 0;
    while (t !== null) {
      t = prevMark(marks, t);
      n++;
    }
    expect(n).toBe(marks.length);
  });
});
