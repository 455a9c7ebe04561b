/**
 * Narration of threads (src/view/threads/narration.ts) and the time mapping's busy stretches
 * (src/view/model/timeline.ts): every step of every threads lesson gets a filled-in sentence in
 * both languages; a CPU-bound run plays at a steady rate instead of a knot per chunk, and the
 * networking lessons' timelines do not change.
 */
import { describe, expect, it } from 'vitest';
import { LISTED_LESSONS } from '../../src/lessons/index.ts';
import { threadSentences } from '../../src/view/threads/narration.ts';
import { threadsTranslator, threadsEn, threadsZh } from '../../src/view/threads/messages.ts';
import { translator } from '../../src/view/i18n/translate.ts';
import { eventsAtStep } from '../../src/view/model/traceIndex.ts';
import { narrationContext, narrate } from '../../src/view/model/narration.ts';
import { buildTimeline, busySpans, busyStretchMs, CPU_MS_PER_US, GAP_MS, posOf, stretchMs, timelineForTrace, timeOf, traceKnots } from '../../src/view/model/timeline.ts';
import { index, lessonTrace } from './fixtures.ts';

const THREADS = LISTED_LESSONS.filter((l) => l.views[0] === 'threads').map((l) => l.id);
const params = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('threads narration', () => {
  it('has every string in both languages, with the same parameters', () => {
    expect(Object.keys(threadsZh).sort()).toEqual(Object.keys(threadsEn).sort());
    for (const k of Object.keys(threadsEn) as (keyof typeof threadsEn)[]) expect(params(threadsZh[k]), k).toEqual(params(threadsEn[k]));
    expect(threadsTranslator('zh')('core.label', { core: 1 })).toBe('核心 1');
  });

  it('says what the GIL does at the steps that matter', () => {
    const trace = lessonTrace('gil-threads');
    const en = translator('en');
    const say = (pred: (e: (typeof trace.events)[number]) => boolean): string[] => {
      const e = trace.events.find(pred)!;
      return threadSentences(trace, e, trace.events.filter((x) => x.t === e.t), en).map(([, s]) => s);
    };
    expect(say((e) => e.k === 'gil' && e.op === 'drop-request')[0]).toMatch(/^(MainThread|Thread-\d \(count\)).* has waited a whole switch interval: it asks .+ to drop the GIL\.$/);
    expect(say((e) => e.k === 'gil' && e.op === 'release' && e.forced === true)[0]).toMatch(/releases the GIL and waits until another thread has taken it/);
    expect(say((e) => e.k === 'thread' && e.state === 'new' && e.tid !== e.pid)[0]).toMatch(/^count\.py starts a new thread: Thread-1 \(count\)\.$/);
    const old = lessonTrace('old-gil');
    const failed = old.events.find((e) => e.k === 'gil' && e.op === 'failed')!;
    expect(threadSentences(old, failed, [failed], en)[0]![1]).toMatch(/found it taken again: a failed acquisition/);
    const tl = lessonTrace('thread-local');
    const tls = tl.events.find((e) => e.k === 'tls' && e.value === "'alice'")!;
    const obj = tls.k === 'tls' ? tls.obj : '';
    expect(threadSentences(tl, tls, [tls], translator('zh'))[0]![1]).toBe(`Thread-1 (handle) 设置 ${obj}.user = 'alice':只有 Thread-1 (handle) 能看到这个值。`);
    const aio = lessonTrace('asyncio-tasks');
    const pass = aio.events.find((e) => e.k === 'async' && e.op === 'pass')!;
    expect(threadSentences(aio, pass, [pass], en)[0]![1]).toMatch(/^Event-loop pass 1: \d+ callbacks? were ready; the pass runs exactly those\.$/);
  });

  it('stays quiet about the GIL in one-thread-per-host traces; the first step says which program starts later', () => {
    const trace = lessonTrace('tcp-handshake');
    const en = translator('en');
    const said = trace.events.flatMap((e) => threadSentences(trace, e, [e], en).map(([, s]) => s));
    expect(said).toEqual([]);
    const ix = index(trace);
    const ctx = narrationContext(ix);
    const firstStep = ix.times.lastIndexOf(ix.times[0]!) + 1;
    const first = narrate(ctx, 0, firstStep, en);
    expect(first).toContain('Host client will start client.py at 200 ms.');
    expect(narrate(ctx, 0, firstStep, translator('zh')).join(' ')).toMatch(/client\.py/);
    // Only at the first step.
    expect(narrate(ctx, firstStep, firstStep + 1, en).join(' ')).not.toMatch(/will start/);
  });

  it('has a sentence, fully filled in, for every step of every threads lesson, in both languages', () => {
    for (const id of THREADS) {
      const ix = index(lessonTrace(id));
      const ctx = narrationContext(ix);
      const times = [...new Set(ix.trace.events.map((e) => e.t))];
      // The old GIL's lesson has thousands of steps: a sample is enough.
      const sample = times.length > 3000 ? times.filter((_, i) => i % 7 === 0) : times;
      for (const tr of [translator('en'), translator('zh')]) {
        for (const t of sample) {
          const { from, to } = eventsAtStep(ix, t);
          for (const x of narrate(ctx, from, to, tr)) expect(x, `${id} @${t}`).not.toMatch(/\{\w+\}|undefined|NaN/);
        }
      }
    }
  });
});

describe('busy stretches in the time mapping', () => {
  it('plays a busy stretch at least at CPU_MS_PER_US and never as an idle gap', () => {
    expect(busyStretchMs(0)).toBe(0);
    expect(busyStretchMs(2)).toBe(stretchMs(2));
    expect(busyStretchMs(100_000)).toBe(100_000 * CPU_MS_PER_US);
    for (const d of [1, 10, 1000, 5000, 5001, 20_000, 1e6]) expect(busyStretchMs(d + 1)).toBeGreaterThanOrEqual(busyStretchMs(d));
    const tl = buildTimeline([10, 60_000], 100_000, [0, 100_000]);
    expect(tl.gaps).toEqual([]);
    expect(tl.total).toBeCloseTo(busyStretchMs(10) + busyStretchMs(59_990) + busyStretchMs(40_000), 6);
    const idle = buildTimeline([10, 60_000], 100_000);
    expect(idle.gaps).toHaveLength(2);
    expect(idle.total).toBeCloseTo(stretchMs(10) + 2 * GAP_MS, 6);
  });

  it('finds where some core runs a thread', () => {
    const trace = lessonTrace('gil-threads');
    const busy = busySpans(trace);
    expect(busy.length % 2).toBe(0);
    for (let i = 1; i < busy.length; i++) expect(busy[i]!).toBeGreaterThan(busy[i - 1]!);
    // The computation is busy throughout but for the calls that start and join threads and the 15 ms spent forking the processes.
    const total = busy.reduce((sum, x, i) => sum + (i % 2 ? x - busy[i - 1]! : 0), 0);
    expect(total).toBeGreaterThan(240_000);
    expect(total).toBeLessThan(266_000);
  });

  it('plays a CPU-bound lesson at a steady rate: its 266 ms of computing in well under a minute', () => {
    const tl = timelineForTrace(lessonTrace('gil-threads'));
    expect(tl.total).toBeLessThan(40_000);
    expect(tl.total).toBeGreaterThan(20_000);
    // Still monotonic and invertible.
    let prev = -1;
    for (let t = 0; t <= tl.end; t += 997) {
      const p = posOf(tl, t);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
      expect(timeOf(tl, p)).toBeCloseTo(t, 3);
    }
  });

  it('leaves the networking lessons’ timelines as they were', () => {
    for (const l of LISTED_LESSONS.filter((x) => !THREADS.includes(x.id))) {
      const trace = lessonTrace(l.id);
      const plain = buildTimeline(traceKnots(trace), trace.end);
      expect(timelineForTrace(trace).total / plain.total, l.id).toBeGreaterThan(0.95);
      expect(timelineForTrace(trace).total / plain.total, l.id).toBeLessThanOrEqual(1);
    }
  });
});
