/**
 * The threads view's pure models: lanes from thread/gil/core events, pixel columns, window
 * counts, threading.local and asyncio models, layout and ticks — on hand-written traces (exact
 * cases) and on the synthetic-thread harness's runs (the shapes of the GIL's known results).
 */
import { describe, expect, it } from 'vitest';
import type { Trace, TraceEvent } from '../../src/sim/trace.ts';
import { blockDuring, hasThreadsView, holderAt, segAt, stateAt, threadsModel, type Seg, type ThreadState } from '../../src/view/threads/model.ts';
import { linearAxis, rasterise, tickColumns } from '../../src/view/threads/columns.ts';
import { countBetween, coveredBetween, timeIn, windowCounts } from '../../src/view/threads/counts.ts';
import { localsAt, localsModel } from '../../src/view/threads/locals.ts';
import { eventLoops, loopAt } from '../../src/view/threads/asyncio.ts';
import { layout, tickLabel, timeTicks } from '../../src/view/threads/layout.ts';
import { cpuBound, runThreads } from '../sim/threads-harness.ts';
import { lessonTrace } from './fixtures.ts';

const meta: Trace['meta'] = { version: 1, scenario: 't', seed: 1, hosts: [{ name: 'h', interfaces: [] }], switches: [], links: [] };
const H = { host: 'h' };
const th = (t: number, tid: number, state: string, name = tid === 1 ? 'MainThread' : `T${tid}`, extra: object = {}): TraceEvent => ({ t, k: 'thread', ...H, pid: 1, tid, name, state, ...extra }) as TraceEvent;
const gil = (t: number, op: string, tid: number, extra: object = {}): TraceEvent => ({ t, k: 'gil', ...H, pid: 1, op, tid, ...extra }) as TraceEvent;
const core = (t: number, c: number, tid: number | null): TraceEvent => ({ t, k: 'core', ...H, core: c, pid: tid === null ? null : 1, tid });
const trace = (events: TraceEvent[], end: number): Trace => ({ meta, events, end });

/** Two threads handing the GIL over once after a drop request; the second fails once first. */
const small = trace(
  [
    { t: 0, k: 'proc', op: 'start', ...H, pid: 1, ppid: 0, user: 'student', cmd: 'python3 a.py' },
    th(0, 1, 'new'),
    th(0, 1, 'wait-gil'),
    core(0, 0, 1),
    gil(0, 'take', 1, { switches: 0 }),
    th(0, 1, 'running-py', undefined, { core: 0 }),
    th(10, 2, 'new'),
    th(10, 2, 'wait-gil'),
    gil(12, 'failed', 2),
    gil(15, 'drop-request', 2),
    gil(16, 'release', 1, { forced: true }),
    th(16, 1, 'handoff', undefined, { core: 0 }),
    core(16, 0, null),
    core(17, 1, 2),
    gil(17, 'take', 2, { switches: 1 }),
    th(17, 2, 'running-py', undefined, { core: 1 }),
    th(17, 1, 'wait-gil'),
    th(30, 2, 'blocked-io'),
    gil(30, 'release', 2),
    core(30, 1, null),
    th(30, 2, 'done'),
  ],
  40,
);

describe('threads model', () => {
  const m = threadsModel(small);
  const main = m.threads.get('h/1/1')!;
  const t2 = m.threads.get('h/1/2')!;

  it('gives each thread its states over time, merging repeats, from its start to its end', () => {
    expect(main.segs).toEqual([
      { from: 0, to: 16, v: 'running-py' },
      { from: 16, to: 17, v: 'handoff' },
      { from: 17, to: 40, v: 'wait-gil' },
    ]);
    expect(t2.segs).toEqual([
      { from: 10, to: 17, v: 'wait-gil' },
      { from: 17, to: 30, v: 'running-py' },
    ]);
    expect([main.n, t2.n]).toEqual([1, 2]);
    expect([t2.start, t2.done, main.done]).toEqual([10, 30, null]);
    expect(main.file).toBe('a.py');
  });

  it('puts failed acquisitions and drop requests on the waiter, hand-offs on the holder', () => {
    expect(t2.failed).toEqual([12]);
    expect(t2.drops).toEqual([15]);
    expect(main.handoffs).toEqual([16]);
    expect(main.failed).toEqual([]);
  });

  it('has a lane per core and per GIL, with the switches', () => {
    const h = m.hosts[0]!;
    expect(h.cores.map((c) => c.segs)).toEqual([[{ from: 0, to: 16, v: 'h/1/1' }], [{ from: 17, to: 30, v: 'h/1/2' }]]);
    expect(h.gils[0]!.segs).toEqual([
      { from: 0, to: 16, v: 'h/1/1' },
      { from: 17, to: 30, v: 'h/1/2' },
    ]);
    expect(h.gils[0]!.switches).toEqual([17]);
    expect(h.gils[0]!.file).toBe('a.py');
    expect(m.span).toEqual([0, 40]);
  });

  it('answers state, holder and segment queries at any time', () => {
    expect(stateAt(t2, 5)).toBe('new');
    expect(stateAt(t2, 12)).toBe('wait-gil');
    expect(stateAt(t2, 35)).toBe('done');
    expect(stateAt(main, 16)).toBe('handoff');
    expect(holderAt(m.hosts[0]!.gils[0]!.segs, 16.5)).toBeNull();
    expect(holderAt(m.hosts[0]!.gils[0]!.segs, 20)).toBe('h/1/2');
    expect(segAt(main.segs, 40)).toBe(-1);
  });

  it('draws a thread waiting inside a kernel call as blocked, whatever its state says', () => {
    const segs: Seg<ThreadState>[] = [
      { from: 0, to: 10, v: 'running-py' },
      { from: 10, to: 20, v: 'wait-gil' },
      { from: 20, to: 30, v: 'running-py' },
    ];
    expect(blockDuring(segs, [[2, 5], [8, 22], [29, 40]])).toEqual([
      { from: 0, to: 2, v: 'running-py' },
      { from: 2, to: 5, v: 'blocked-io' },
      { from: 5, to: 8, v: 'running-py' },
      { from: 8, to: 10, v: 'blocked-io' },
      { from: 10, to: 20, v: 'wait-gil' },
      { from: 20, to: 22, v: 'blocked-io' },
      { from: 22, to: 29, v: 'running-py' },
      { from: 29, to: 30, v: 'blocked-io' },
    ]);
    // The free-threaded model keeps a joining thread "running": the view shows it blocked.
    const ft = lessonTrace('free-threading');
    const join = ft.events.find((e) => e.k === 'call' && e.fn === 'thread_join')!;
    const main = [...threadsModel(ft).threads.values()].find((l) => l.name === 'MainThread')!;
    expect(stateAt(main, join.t + 1000)).toBe('blocked-io');
  });

  it('is shown when a host runs two threads or the trace has threading.local/asyncio events, not for one thread per host', () => {
    expect(m.shown).toBe(true);
    expect(hasThreadsView(small)).toBe(true);
    const one = trace(small.events.filter((e) => !('tid' in e) || e.tid !== 2), 40);
    expect(hasThreadsView(one)).toBe(false);
    expect(threadsModel(one).shown).toBe(false);
    const tls = trace([...one.events, { t: 5, k: 'tls', ...H, pid: 1, tid: 1, obj: 'l', attr: 'a', value: '1' }], 40);
    expect(hasThreadsView(tls)).toBe(true);
  });
});

describe('pixel columns', () => {
  const segs: Seg<string>[] = [
    { from: 0, to: 10, v: 'a' },
    { from: 10, to: 10.2, v: 'b' },
    { from: 10.2, to: 20, v: 'a' },
    { from: 25, to: 40, v: 'c' },
  ];

  it('ends runs where the segments do when zoomed in (to the pixel)', () => {
    const axis = linearAxis(0, 40, 0, 400); // 10 px per µs
    expect(rasterise(segs, axis, 0, 400)).toEqual([
      { x0: 0, x1: 100, v: 'a' },
      { x0: 100, x1: 102, v: 'b' },
      { x0: 102, x1: 200, v: 'a' },
      { x0: 250, x1: 400, v: 'c' },
    ]);
  });

  it('shows the value covering most of each column when zoomed out, and nothing where gaps dominate', () => {
    const axis = linearAxis(0, 40, 0, 4); // 10 µs per px
    expect(rasterise(segs, axis, 0, 4)).toEqual([
      { x0: 0, x1: 2, v: 'a' },
      { x0: 3, x1: 4, v: 'c' },
    ]);
  });

  it('never draws more runs than pixels, however many segments', () => {
    const many: Seg<string>[] = Array.from({ length: 100_000 }, (_, i) => ({ from: i, to: i + 1, v: i % 3 === 0 ? 'x' : 'y' }));
    const runs = rasterise(many, linearAxis(0, 100_000, 0, 500), 0, 500);
    expect(runs.length).toBeLessThanOrEqual(500);
    expect(runs.every((r) => r.v === 'y')).toBe(true);
  });

  it('draws only the visible window', () => {
    const axis = linearAxis(12, 30, 100, 280); // 10 px per µs, starting at 12 µs
    expect(rasterise(segs, axis, 100, 280)).toEqual([
      { x0: 100, x1: 180, v: 'a' },
      { x0: 230, x1: 280, v: 'c' },
    ]);
  });

  it('counts ticks per column', () => {
    const axis = linearAxis(0, 100, 0, 10);
    expect(tickColumns([1, 2, 15, 19.9, 50, 150], axis, 0, 10)).toEqual([
      { x: 0, n: 2, t: 1 },
      { x: 1, n: 2, t: 15 },
      { x: 5, n: 1, t: 50 },
    ]);
  });
});

describe('window counts', () => {
  it('counts times in [a, b) and covered time, partial segments included', () => {
    expect(countBetween([1, 2, 3, 5, 8], 2, 5)).toBe(2);
    const segs: Seg<string>[] = [
      { from: 0, to: 10, v: 'a' },
      { from: 20, to: 30, v: 'a' },
    ];
    expect(coveredBetween(segs, 5, 25)).toBe(10);
    expect(coveredBetween(segs, 10, 20)).toBe(0);
    expect(coveredBetween(segs, 30, 10)).toBe(0);
  });

  it('gives gil_load, switches, failed acquisitions, drop requests and time per state', () => {
    const m = threadsModel(small);
    const c = windowCounts(m, 0, 40);
    expect([c.switches, c.failed, c.drops]).toEqual([1, 1, 1]);
    expect(c.gils[0]!.load).toBeCloseTo(29 / 40, 9);
    const t2 = c.threads.find((x) => x.lane.tid === 2)!;
    expect(t2.time).toEqual({ 'running-py': 13, 'wait-gil': 7, 'blocked-io': 0, 'running-native': 0, handoff: 0 });
    expect(windowCounts(m, 18, 40).switches).toBe(0);
    expect(timeIn(m.threads.get('h/1/1')!, 'wait-gil', 0, 20)).toBe(3);
  });

  it('on the synthetic threads: about 200 GIL switches a second under the new GIL, the GIL held almost all the time', () => {
    const run = runThreads([{ name: 'p', threads: [{ name: 'MainThread', body: cpuBound(100_000) }, { name: 'T1', body: cpuBound(100_000) }] }], { gil: { mode: 'new' }, cpu: { cores: 2 } });
    const m = threadsModel(run.trace);
    const c = windowCounts(m, 0, run.end);
    expect((c.switches / run.end) * 1e6).toBeGreaterThan(150);
    expect((c.switches / run.end) * 1e6).toBeLessThan(250);
    expect(c.drops).toBeGreaterThan(10);
    expect(c.gils[0]!.load).toBeGreaterThan(0.95);
    expect(m.hosts[0]!.threads).toHaveLength(2);
    expect(m.hosts[0]!.cores).toHaveLength(2);
  });

  it('on the synthetic threads: thousands of failed acquisitions a second under the old GIL on two cores', () => {
    const run = runThreads([{ name: 'p', threads: [{ name: 'MainThread', body: cpuBound(20_000) }, { name: 'T1', body: cpuBound(20_000) }] }], { gil: { mode: 'old' }, cpu: { cores: 2 } });
    const c = windowCounts(threadsModel(run.trace), 0, run.end);
    expect((c.failed / run.end) * 1e6).toBeGreaterThan(1000);
  });
});

describe('threading.local', () => {
  const ev = (t: number, tid: number, attr: string, value: string): TraceEvent => ({ t, k: 'tls', ...H, pid: 1, tid, obj: 'local#1', attr, value });
  const tr = trace([th(0, 1, 'running-py'), ev(1, 1, 'user', "'admin'"), th(2, 2, 'running-py'), ev(3, 2, 'user', "'alice'"), ev(4, 2, 'n', '1'), th(9, 2, 'done')], 10);
  const lm = localsModel(tr);
  const m = threadsModel(tr);

  it('has a column per object attribute, in order of first use', () => {
    expect(lm.columns.map((c) => c.key)).toEqual(['local#1.user', 'local#1.n']);
  });

  it('shows each thread only its own values, marks what changed now, and empties a finished thread', () => {
    const at4 = localsAt(lm, m, 4);
    expect(at4.map((r) => [r.thread, r.cells, r.changed, r.freed])).toEqual([
      ['h/1/1', { 'local#1.user': "'admin'", 'local#1.n': null }, [], false],
      ['h/1/2', { 'local#1.user': "'alice'", 'local#1.n': '1' }, ['local#1.n'], false],
    ]);
    const at9 = localsAt(lm, m, 9);
    expect(at9[1]).toMatchObject({ freed: true, cells: { 'local#1.user': null, 'local#1.n': null } });
    // A thread alive in the process that never touched the local sees nothing.
    expect(localsAt(lm, m, 2.5).map((r) => r.thread)).toEqual(['h/1/1', 'h/1/2']);
    expect(localsAt(lm, m, 2.5)[1]!.cells['local#1.user']).toBeNull();
  });
});

describe('asyncio', () => {
  const a = (t: number, op: string, task: string, extra: object = {}): TraceEvent => ({ t, k: 'async', ...H, pid: 1, tid: 1, op, task, ...extra }) as TraceEvent;
  const tr = trace(
    [a(0, 'create', 'main'), a(1, 'pass', '', { ready: 1 }), a(1, 'run', 'main'), a(2, 'create', 'a'), a(2, 'create', 'b'), a(3, 'await', 'main', { detail: 'gather' }), a(4, 'pass', '', { ready: 2 }), a(4, 'run', 'a'), a(5, 'await', 'a', { detail: 'sleep(0.001)' }), a(5, 'run', 'b'), a(7, 'done', 'b'), a(9, 'pass', '', { ready: 0 })],
    10,
  );
  const [loop] = eventLoops(tr);

  it('records passes with their ready counts and the tasks each ran, and when each task ran', () => {
    expect(loop!.passes).toEqual([
      { t: 1, n: 1, ready: 1, ran: ['main'] },
      { t: 4, n: 2, ready: 2, ran: ['a', 'b'] },
      { t: 9, n: 3, ready: 0, ran: [] },
    ]);
    expect(loop!.runs).toEqual([
      { from: 1, to: 3, v: 'main' },
      { from: 4, to: 5, v: 'a' },
      { from: 5, to: 7, v: 'b' },
    ]);
    expect(loop!.tasks.map((t) => [t.name, t.done])).toEqual([
      ['main', null],
      ['a', null],
      ['b', 7],
    ]);
  });

  it('tells apart a later task that reuses a finished task’s name', () => {
    const again = trace([a(0, 'create', 'x'), a(1, 'run', 'x'), a(2, 'done', 'x'), a(3, 'create', 'x'), a(4, 'run', 'x'), a(5, 'await', 'x', { detail: 'sleep' })], 6);
    const [l] = eventLoops(again);
    expect(l!.tasks.map((x) => [x.name, x.created, x.done])).toEqual([
      ['x', 0, 2],
      ['x #2', 3, null],
    ]);
    expect(l!.runs.map((r) => r.v)).toEqual(['x', 'x #2']);
    expect(loopAt(l!, 5).tasks.map((x) => x.state.kind)).toEqual(['done', 'waiting']);
  });

  it('says at any time which pass it is in, what runs and what each task waits for', () => {
    const at = loopAt(loop!, 6);
    expect(at.pass!.n).toBe(2);
    expect(at.running).toBe('b');
    expect(at.tasks.map((x) => [x.task.name, x.state])).toEqual([
      ['main', { kind: 'waiting', on: 'gather' }],
      ['a', { kind: 'waiting', on: 'sleep(0.001)' }],
      ['b', { kind: 'running' }],
    ]);
    expect(loopAt(loop!, 0.5).pass).toBeNull();
  });
});

describe('layout and ticks', () => {
  it('puts thread lanes first, then cores and GILs, without overlap', () => {
    const g = layout(threadsModel(small), []);
    expect(g.rows.map((r) => r.kind)).toEqual(['thread', 'thread', 'core', 'core', 'gil']);
    for (let i = 1; i < g.rows.length; i++) expect(g.rows[i]!.y).toBeGreaterThanOrEqual(g.rows[i - 1]!.y + g.rows[i - 1]!.h);
    expect(g.axisY).toBeGreaterThan(g.rows.at(-1)!.y + g.rows.at(-1)!.h);
    expect(g.height).toBeGreaterThan(g.axisY);
  });

  it('picks round tick steps and as many decimals as they need', () => {
    expect(timeTicks(0, 100_000, 5)).toEqual({ ticks: [0, 20_000, 40_000, 60_000, 80_000, 100_000], decimals: 0 });
    const fine = timeTicks(12_300, 12_400, 5);
    expect(fine.ticks).toEqual([12_300, 12_320, 12_340, 12_360, 12_380, 12_400]);
    expect(fine.decimals).toBe(2);
    expect(tickLabel(12_340, 2)).toBe('12.34');
    expect(timeTicks(0, 10, 4).decimals).toBe(3);
  });
});
