/**
 * What each threads lesson's introduction says, checked against its stored trace (the run of its
 * real Python), with the threads view's own models: who held the GIL, which cores were busy,
 * the printed timings (the shapes of ../shared/docs/gil-facts.md's known results).
 */
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/sim/trace.ts';
import { threadsModel, type Seg } from '../../src/view/threads/model.ts';
import { countBetween, windowCounts } from '../../src/view/threads/counts.ts';
import { localsAt, localsModel } from '../../src/view/threads/locals.ts';
import { eventLoops } from '../../src/view/threads/asyncio.ts';
import { lessonTrace } from '../view/fixtures.ts';

/** The ms a program printed after `label` ("two threads:   50.6 ms" → 50.6), per host. */
function printed(trace: Trace, label: string, host?: string): number {
  const e = trace.events.find((x) => x.k === 'out' && x.text.startsWith(label) && (!host || x.host === host));
  if (!e || e.k !== 'out') throw new Error(`nothing printed as “${label}”`);
  return Number(/([\d.]+) ms/.exec(e.text)![1]);
}

/** Time during [a, b) when two or more of the given lanes' segments overlap. */
function overlap(lanes: Seg<string>[][], a: number, b: number, keep: (v: string) => boolean = () => true): number {
  const edges: [number, number][] = [];
  for (const segs of lanes) for (const s of segs) if (keep(s.v) && s.to > a && s.from < b) edges.push([Math.max(a, s.from), 1], [Math.min(b, s.to), -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let n = 0;
  let since = 0;
  let total = 0;
  for (const [t, d] of edges) {
    if (n >= 2) total += t - since;
    n += d;
    since = t;
  }
  return total;
}

/** When the program's phases start: the calls that start threads, then processes. */
function phases(trace: Trace): { threads: number; processes: number; end: number } {
  const first = (fn: string) => trace.events.find((e) => e.k === 'call' && e.fn === fn)!.t;
  const out = trace.events.filter((e) => e.k === 'out');
  return { threads: first('thread_start'), processes: first('process_start'), end: out[out.length - 1]!.t };
}

describe('the threads lessons teach what their traces show', () => {
  it('gil-threads: two threads take as long as one after the other, one core busy at a time, ~200 GIL switches a second; two processes use both cores', () => {
    const trace = lessonTrace('gil-threads');
    const seq = printed(trace, 'one after the other');
    const thr = printed(trace, 'two threads');
    const proc = printed(trace, 'two processes');
    expect(thr / seq).toBeGreaterThanOrEqual(0.95);
    expect(thr / seq).toBeLessThanOrEqual(1.3);
    expect(proc).toBeLessThan(seq * 0.75);
    expect(proc).toBeGreaterThan(seq * 0.5);

    const m = threadsModel(trace);
    const host = m.hosts[0]!;
    const p = phases(trace);
    const main = host.threads[0]!.pid;
    const ofMain = (v: string) => v.startsWith(`host/${main}/`);
    // While the threads run, at most one core runs the program's threads at any moment.
    expect(overlap(host.cores.map((c) => c.segs), p.threads, p.processes, ofMain)).toBeLessThan(0.01 * (p.processes - p.threads));
    const gil = windowCounts(m, p.threads, p.processes).gils.find((g) => g.gil.pid === main)!;
    const perSecond = (gil.switches / (p.processes - p.threads)) * 1e6;
    expect(perSecond).toBeGreaterThan(150);
    expect(perSecond).toBeLessThan(250);
    expect(gil.drops).toBeGreaterThan(5);
    // Each process has its own GIL, and the two children keep both cores busy together.
    expect(host.gils).toHaveLength(3);
    const children = host.gils.filter((g) => g.pid !== main);
    const [c0, c1] = children.map((g) => g.segs);
    const from = Math.max(c0![0]!.from, c1![0]!.from);
    const to = Math.min(c0!.at(-1)!.to, c1!.at(-1)!.to);
    expect(overlap(host.cores.map((c) => c.segs), from, to)).toBeGreaterThan(0.9 * (to - from));
  });

  it('free-threading: no GIL; both cores run the two threads at once; about half the time; beats the processes', () => {
    const trace = lessonTrace('free-threading');
    const seq = printed(trace, 'one after the other');
    const thr = printed(trace, 'two threads');
    expect(thr / seq).toBeGreaterThan(0.45);
    expect(thr / seq).toBeLessThan(0.6);
    expect(thr).toBeLessThan(printed(trace, 'two processes'));
    // About 5% slower per thread than the default build (100 ms there).
    expect(seq / printed(lessonTrace('gil-threads'), 'one after the other')).toBeCloseTo(1.05, 2);
    expect(trace.events.filter((e) => e.k === 'gil')).toEqual([]);
    const m = threadsModel(trace);
    const p = phases(trace);
    const host = m.hosts[0]!;
    expect(overlap(host.cores.map((c) => c.segs), p.threads + 200, p.threads + 0.9 * thr * 1000)).toBeGreaterThan(0.95 * (0.9 * thr * 1000 - 200));
  });

  it('old-gil: on two cores thousands of failed acquisitions a second and much slower than one after the other; on one core neither', () => {
    const trace = lessonTrace('old-gil');
    const dual = printed(trace, 'two threads', 'dual') / printed(trace, 'one after the other', 'dual');
    const single = printed(trace, 'two threads', 'single') / printed(trace, 'one after the other', 'single');
    expect(dual).toBeGreaterThanOrEqual(1.5);
    expect(single).toBeGreaterThanOrEqual(0.95);
    expect(single).toBeLessThanOrEqual(1.1);
    const m = threadsModel(trace);
    const gilOf = (host: string) => m.hosts.find((h) => h.host === host)!.gils[0]!;
    const d = gilOf('dual');
    const threadsRun = printed(trace, 'two threads', 'dual') * 1000;
    expect((d.failed.length / threadsRun) * 1e6).toBeGreaterThan(1000);
    expect(gilOf('single').failed).toEqual([]);
    // The waiter wins only now and then: several failed acquisitions for every hand-over.
    const handOvers = trace.events.filter((e) => e.k === 'gil' && e.host === 'dual' && e.op === 'take').length;
    expect(handOvers).toBeGreaterThan(0);
    expect(d.failed.length).toBeGreaterThanOrEqual(3 * handOvers);
    // No switch interval, no drop requests in the old GIL.
    expect(trace.events.some((e) => e.k === 'gil' && e.op === 'drop-request')).toBe(false);
  });

  it('convoy-effect: each reply waits about one switch interval (5 ms), about 1 ms after setswitchinterval(0.001)', () => {
    const trace = lessonTrace('convoy-effect');
    const replies = trace.events.flatMap((e) => (e.k === 'out' && e.host === 'client' ? [Number(/([\d.]+) ms/.exec(e.text)![1])] : []));
    expect(replies).toHaveLength(12);
    for (const r of replies.slice(0, 6)) {
      expect(r).toBeGreaterThan(4.5);
      expect(r).toBeLessThan(6);
    }
    for (const r of replies.slice(6)) {
      expect(r).toBeGreaterThan(0.8);
      expect(r).toBeLessThan(1.5);
    }
    // The I/O thread (the server's main thread) asks for the GIL with a drop request before each reply.
    const m = threadsModel(trace);
    const io = m.hosts.find((h) => h.host === 'server')!.threads.find((t) => t.name === 'MainThread')!;
    expect(io.drops.length).toBeGreaterThanOrEqual(12);
    // The network itself is fast: a datagram crosses in well under a millisecond.
    const wire = trace.events.find((e) => e.k === 'wire');
    expect(wire && wire.k === 'wire' ? wire.rxEnd - wire.t : Infinity).toBeLessThan(200);
    expect(countBetween(io.drops, 0, trace.end)).toBe(io.drops.length);
  });

  it('asyncio-tasks: all tasks on one thread tick on time, taking turns; a task that never awaits holds up the others until it returns', () => {
    const trace = lessonTrace('asyncio-tasks');
    const out = trace.events.flatMap((e) => (e.k === 'out' ? [e.text.trim()] : []));
    expect(out.slice(0, 9)).toEqual(['5.0 ms a tick 1', '5.0 ms b tick 1', '5.0 ms c tick 1', '10.0 ms a tick 2', '10.0 ms b tick 2', '10.0 ms c tick 2', '15.0 ms a tick 3', '15.0 ms b tick 3', '15.0 ms c tick 3']);
    const hog = out.findIndex((x) => x.endsWith('hog done'));
    expect(Number(/^([\d.]+) ms/.exec(out[hog]!)![1])).toBeGreaterThanOrEqual(39);
    // The tickers, due at 20 ms, tick only when hog is done.
    expect(out.slice(hog + 1, hog + 3).map((x) => x.replace(/^[\d.]+ ms /, ''))).toEqual(['a tick 1', 'b tick 1']);
    expect(out[hog + 1]!.startsWith(out[hog]!.split(' ms')[0]!)).toBe(true);
    // One thread runs every task: no other thread, no GIL changing hands.
    const m = threadsModel(trace);
    expect(m.hosts[0]!.threads).toHaveLength(1);
    expect(new Set(trace.events.filter((e) => e.k === 'async').map((e) => (e.k === 'async' ? e.tid : 0))).size).toBe(1);
    expect(m.hosts[0]!.gils[0]!.switches).toEqual([]);
    // A pass runs at most the callbacks that were ready when it began, and none while hog computes.
    const [loop] = eventLoops(trace);
    for (const p of loop!.passes) expect(p.ran.length).toBeLessThanOrEqual(p.ready);
    const hogRun = loop!.runs.find((r) => r.v === 'hog')!;
    expect(hogRun.to - hogRun.from).toBeGreaterThan(20_000);
    expect(loop!.passes.filter((p) => p.t > hogRun.from && p.t < hogRun.to)).toEqual([]);
  });

  it('thread-local: each thread sees only its own values; the main thread keeps "admin" and never gets requests', () => {
    const trace = lessonTrace('thread-local');
    expect(trace.events.flatMap((e) => (e.k === 'out' ? [e.text] : []))).toEqual(['Thread-1 (handle) sees alice 3', 'Thread-2 (handle) sees bob 3', 'MainThread sees admin False']);
    const m = threadsModel(trace);
    const locals = localsModel(trace);
    // A moment when both workers are alive and have set their values.
    const bob = trace.events.find((e) => e.k === 'tls' && e.value === "'bob'")!;
    const rows = localsAt(locals, m, bob.t);
    const see = (name: string) => rows.find((r) => m.threads.get(r.thread)?.name.startsWith(name))!.cells;
    const user = `${locals.columns[0]!.obj}.user`;
    expect(see('MainThread')[user]).toBe("'admin'");
    expect(see('Thread-1')[user]).toBe("'alice'");
    expect(see('Thread-2')[user]).toBe("'bob'");
    const last = trace.events.find((e) => e.k === 'out' && e.text.startsWith('MainThread sees'))!;
    const end = localsAt(locals, m, last.t);
    expect(Object.values(end.find((r) => m.threads.get(r.thread)?.name === 'MainThread')!.cells).filter((v) => v !== null)).toEqual(["'admin'"]);
    // The workers have ended: their values went with them.
    for (const r of end.filter((x) => m.threads.get(x.thread)?.name !== 'MainThread')) expect(r).toMatchObject({ freed: true, cells: { [user]: null } });
  });
});
