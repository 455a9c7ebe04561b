/**
 * The eight known results of issue 4 (../shared/docs/gil-facts.md), reproduced by real Python
 * programs — the student's own kind of code, timed with time.perf_counter() inside the program
 * and printed — running on the simulated kernel's thread model (Pyodide loaded once for the
 * file). Loop counts give tens of ms of virtual time. The figures measured here are in
 * docs/threads.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSimPython, type SimPython } from '../../src/python/simulated.ts';
import { dedent, events, numbers, runModel, runProgram, type Model, type Ran } from './threads-helper.ts';

let py: SimPython;
beforeAll(async () => {
  py = await loadSimPython();
});

/** The classic: count down in two threads, or twice in one. */
const COUNT = dedent(`
  import sys, threading, time

  N = int(sys.argv[1])

  def count(n):
      while n > 0:
          n -= 1

  start = time.perf_counter()
  count(N)
  count(N)
  sequential = time.perf_counter() - start

  start = time.perf_counter()
  t1 = threading.Thread(target=count, args=(N,))
  t2 = threading.Thread(target=count, args=(N,))
  t1.start(); t2.start()
  t1.join(); t2.join()
  threaded = time.perf_counter() - start

  print(f"sequential {sequential * 1000:.1f} ms")
  print(f"two threads {threaded * 1000:.1f} ms")
  print(f"ratio {threaded / sequential:.2f}")
`);

interface CountRun {
  sequential: number;
  threaded: number;
  ratio: number;
  run: Ran;
  /** When the two threads ran (µs): from the first one's start to the last one's end. */
  window: [number, number];
}

function count(model: Model, n: number): CountRun {
  const run = runProgram(py, COUNT, model, [String(n)]);
  expect(run.programs[0]!.status).toBe(0);
  const [sequential] = numbers(run.out, 'sequential');
  const [threaded] = numbers(run.out, 'two threads');
  const [ratio] = numbers(run.out, 'ratio');
  const workers = events(run, 'thread').filter((e) => e.name.startsWith('Thread-'));
  const window: [number, number] = [Math.min(...workers.map((e) => e.t)), Math.max(...workers.map((e) => e.t))];
  return { sequential: sequential!, threaded: threaded!, ratio: ratio!, run, window };
}

/** Per second of the threads' window: GIL hand-overs and failed acquisitions. */
function rates(c: CountRun): { switches: number; failed: number } {
  const [from, to] = c.window;
  const gil = events(c.run, 'gil').filter((e) => e.t >= from && e.t <= to);
  const takes = gil.filter((e) => e.op === 'take');
  const switches = takes.at(-1)!.switches! - takes[0]!.switches!;
  const failed = gil.filter((e) => e.op === 'failed').length;
  const seconds = (to - from) / 1e6;
  return { switches: switches / seconds, failed: failed / seconds };
}

const N = 400_000; // 10 ms of CPU per count(N) at 25 ns per iteration

describe('the known results, with real programs', () => {
  let newGil: CountRun;

  it('calibration: count(n) costs 25 ns per iteration, as CPython 3 on a current x86-64', () => {
    newGil = count({}, N);
    expect(newGil.sequential).toBeCloseTo((2 * N * 25) / 1e6, 1);
  });

  it('1. new GIL, 2 cores: two CPU-bound threads take about as long as the sequential work (ratio 0.95–1.3), never close to half', () => {
    expect(newGil.ratio).toBeGreaterThanOrEqual(0.95);
    expect(newGil.ratio).toBeLessThanOrEqual(1.3);
  });

  it('2. old GIL: clearly slower than sequential on 2 cores (ratio ≥ 1.5); about equal pinned to 1 core', () => {
    const two = count({ python: '2.7' }, N / 2);
    expect(two.ratio).toBeGreaterThanOrEqual(1.5);
    const one = count({ python: '2.7', cores: 1 }, N / 2);
    expect(one.ratio).toBeGreaterThanOrEqual(0.95);
    expect(one.ratio).toBeLessThanOrEqual(1.1);
    // 6. old GIL on 2 cores: thousands of failed acquisitions per second ("the GIL battle").
    expect(rates(two).failed).toBeGreaterThan(1000);
    expect(rates(one).failed).toBeLessThan(rates(two).failed / 10);
  });

  it('3. two processes on 2 cores take about half the sequential time plus the start cost; four are no faster than two', () => {
    const code = dedent(`
      import multiprocessing as mp, sys, time

      N = int(sys.argv[1])

      def count(n):
          while n > 0:
              n -= 1

      def in_processes(k):
          start = time.perf_counter()
          ps = [mp.Process(target=count, args=(2 * N // k,)) for _ in range(k)]
          for p in ps:
              p.start()
          for p in ps:
              p.join()
          return time.perf_counter() - start

      if __name__ == "__main__":
          start = time.perf_counter()
          count(2 * N)
          sequential = time.perf_counter() - start
          two, four = in_processes(2), in_processes(4)
          print(f"{mp.get_start_method()}: sequential {sequential*1000:.1f} ms, two processes {two*1000:.1f} ms, four {four*1000:.1f} ms")
    `);
    for (const [method, start] of [
      ['fork', 15],
      ['forkserver', 45],
    ] as const) {
      const run = runProgram(py, code, method === 'fork' ? { start_method: 'fork' } : {}, [String(N)]);
      const [seq, two, four] = numbers(run.out, `${method}: sequential`);
      expect(two! - start).toBeGreaterThan(seq! * 0.45);
      expect(two! - start).toBeLessThan(seq! * 0.6);
      expect(four!).toBeGreaterThanOrEqual(two! * 0.98);
    }
  });

  it('4. GIL off (3.14t): two CPU-bound threads on 2 cores take about half, each statement a little slower', () => {
    const off = count({ python: '3.14t' }, N);
    expect(off.ratio).toBeGreaterThan(0.45);
    expect(off.ratio).toBeLessThan(0.6);
    expect(off.sequential / newGil.sequential).toBeCloseTo(1.05, 2);
  });

  it('5. convoy effect: an echo server thread beside a CPU-bound thread answers after about one switch interval (≈1 ms after sys.setswitchinterval(0.001)); about double with two', () => {
    const server = dedent(`
      import socket, sys, threading

      cpu_threads = int(sys.argv[1])
      if len(sys.argv) > 2:
          sys.setswitchinterval(float(sys.argv[2]))

      def count(n):
          while n > 0:
              n -= 1

      srv = socket.socket()
      srv.bind(("0.0.0.0", 9000))
      srv.listen()
      for _ in range(cpu_threads):
          threading.Thread(target=count, args=(10**9,), daemon=True).start()
      conn, _ = srv.accept()
      while data := conn.recv(100):
          conn.sendall(data)
    `);
    const client = dedent(`
      import socket, statistics, time

      s = socket.create_connection(("h1", 9000))
      rtts = []
      for i in range(8):
          start = time.perf_counter()
          s.sendall(b"ping")
          s.recv(100)
          rtts.append((time.perf_counter() - start) * 1000)
      print(f"median round trip {statistics.median(rtts):.2f} ms")
      s.close()
    `);
    const rtt = (args: string[]): number => {
      const run = runModel(py, [[{ code: server, name: 'server.py', args }], [{ code: client, name: 'client.py', start_ms: 5 }]]);
      return numbers(run.lines, '[h2] median round trip')[0]!;
    };
    const alone = rtt(['0']);
    const one = rtt(['1']);
    const fast = rtt(['1', '0.001']);
    const two = rtt(['2']);
    expect(alone).toBeLessThan(0.5);
    expect(one).toBeGreaterThan(4.5);
    expect(one).toBeLessThan(6);
    expect(fast).toBeGreaterThan(0.8);
    expect(fast).toBeLessThan(1.6);
    expect(two / one).toBeGreaterThan(1.6);
    expect(two / one).toBeLessThan(2.6);
  });

  it('6. new GIL, two CPU-bound threads: about 200 switches per second, each after a drop request', () => {
    // 50 ms of counting each; measured while both threads are alive.
    const run = runProgram(
      py,
      dedent(`
        import threading

        def count(n):
            while n > 0:
                n -= 1

        threads = [threading.Thread(target=count, args=(2_000_000,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
      `),
    );
    const workers = events(run, 'thread').filter((e) => e.name.startsWith('Thread-'));
    const tids = new Set(workers.map((e) => e.tid));
    const from = Math.max(...[...tids].map((tid) => workers.find((e) => e.tid === tid && e.state === 'running-py')!.t));
    const to = Math.min(...workers.filter((e) => e.state === 'done').map((e) => e.t));
    const gil = events(run, 'gil').filter((e) => e.t > from && e.t < to);
    const handovers = gil.filter((e) => e.op === 'take' && tids.has(e.tid)).length;
    const perSecond = handovers / ((to - from) / 1e6);
    expect(to - from).toBeGreaterThan(40_000);
    expect(perSecond).toBeGreaterThan(150);
    expect(perSecond).toBeLessThan(250);
    // Every hand-over between them is forced: a waiter timed out and asked for it.
    expect(gil.filter((e) => e.op === 'release' && e.forced).length).toBe(handovers);
    expect(gil.filter((e) => e.op === 'drop-request').length).toBe(handovers);
  });

  it('7. threading.local: each thread sees only its own attributes; all asyncio tasks of a thread share one', () => {
    const run = runProgram(
      py,
      dedent(`
        import asyncio, threading

        data = threading.local()

        def worker(name):
            data.name = name
            data.items = [name] * 2
            print(f"{name} sees {data.name} {data.items}")

        data.name = "main"
        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("main sees", data.name, hasattr(data, "items"))

        async def task(name):
            data.name = name
            await asyncio.sleep(0)
            return data.name

        async def main():
            return await asyncio.gather(task("a"), task("b"), task("c"))

        print("tasks see", asyncio.run(main()))
      `),
    );
    expect(run.out).toEqual(["w0 sees w0 ['w0', 'w0']", "w1 sees w1 ['w1', 'w1']", 'main sees main False', "tasks see ['c', 'c', 'c']"]);
    const tls = events(run, 'tls');
    expect(new Set(tls.map((e) => e.obj))).toEqual(new Set(['local#1']));
    const byThread = new Map<number, string[]>();
    for (const e of tls) byThread.set(e.tid, [...(byThread.get(e.tid) ?? []), `${e.attr}=${e.value}`]);
    const pid = run.programs[0]!.pid!;
    expect(byThread.get(pid)).toEqual(['name=\'main\'', "name='a'", "name='b'", "name='c'"]);
    expect([...byThread.entries()].filter(([tid]) => tid !== pid).map(([, sets]) => sets)).toEqual([
      ["name='w0'", "items=['w0', 'w0']"],
      ["name='w1'", "items=['w1', 'w1']"],
    ]);
  });

  it('8. a CPU-bound loop with no await blocks every other asyncio task', () => {
    const run = runProgram(
      py,
      dedent(`
        import asyncio, time

        start = time.perf_counter()
        ticks = []

        def now():
            return (time.perf_counter() - start) * 1000

        async def ticker():
            for _ in range(6):
                ticks.append(now())
                await asyncio.sleep(0.005)

        async def crunch():
            await asyncio.sleep(0.012)
            began = now()
            n = 1_200_000
            while n > 0:
                n -= 1
            print(f"crunch {now() - began:.1f} ms")

        async def main():
            await asyncio.gather(ticker(), crunch())

        asyncio.run(main())
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        print("gaps", " ".join(f"{g:.1f}" for g in gaps))
      `),
    );
    const [crunch] = numbers(run.out, 'crunch');
    const gaps = numbers(run.out, 'gaps');
    expect(crunch).toBeCloseTo(30, 0);
    // The ticker wants to run every 5 ms; while crunch() runs it cannot.
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(crunch! - 1);
    expect(gaps.filter((g) => g < 6).length).toBe(gaps.length - 1);
  });

  it('a coroutine that computes without awaiting shows its lines while it computes, not at its end', () => {
    // The loop runs inside the event loop's C call into the task: its print() is a nested call,
    // which used to report the whole loop at the print's time with no duration.
    const run = runProgram(
      py,
      dedent(`
        import asyncio
        async def hog():
            n = 300000
            while n > 0:
                n -= 1
            print("hog done")
        asyncio.run(hog())
      `),
    );
    expect(run.out).toEqual(['hog done']);
    const loop = run.trace.events.find((e) => e.k === 'line' && e.run?.set.includes(4));
    const done = run.trace.events.find((e) => e.k === 'out' && e.text === 'hog done');
    expect(done).toBeDefined();
    expect(loop && loop.k === 'line' && loop.run).toBeTruthy();
    if (loop?.k !== 'line' || !loop.run || !done) throw new Error('unreachable');
    // 600,000 statements: the run starts with the loop and lasts until the print.
    expect(loop.run.count).toBeGreaterThan(600_000);
    expect([4, 5]).toContain(loop.run.top);
    expect(loop.run.dur).toBeGreaterThan(1000);
    expect(loop.t + loop.run.dur).toBeGreaterThanOrEqual(done.t - 2);
    expect(loop.t).toBeLessThan(done.t - 1000);
  });

  it('asyncio.run cancels the tasks left at the end in the order they were created, run after run', () => {
    // CPython iterates a set of tasks (by address) here; the simulation must give one trace.
    const code = dedent(`
      import asyncio
      async def forever(n):
          try:
              await asyncio.sleep(100)
          finally:
              print("cancelled", n)
      async def main():
          for i in range(5):
              asyncio.create_task(forever(i))
          await asyncio.sleep(0.01)
      asyncio.run(main())
    `);
    const runs = [1, 2, 3, 4].map(() => runProgram(py, code));
    for (const r of runs) expect(r.out).toEqual([0, 1, 2, 3, 4].map((i) => `cancelled ${i}`));
    const json = (r: Ran) => JSON.stringify(r.trace.events, (_k, v) => (v instanceof Uint8Array ? [...v] : v));
    for (const r of runs) expect(json(r)).toBe(json(runs[0]!));
  });
});

describe('the trace shows threads, cores, the GIL, thread-locals and the event loop', () => {
  let newGil: CountRun;
  beforeAll(() => {
    newGil = count({}, N);
  });

  it('thread states, both cores, a GIL with one owner at a time taken after drop requests', () => {
    const run = newGil.run;
    const states = new Set(events(run, 'thread').map((e) => e.state));
    expect([...states].sort()).toEqual(['blocked-io', 'done', 'handoff', 'new', 'running-py', 'wait-gil']);
    const names = new Set(events(run, 'thread').map((e) => e.name));
    expect([...names].sort()).toEqual(['MainThread', 'Thread-1 (count)', 'Thread-2 (count)']);
    expect(new Set(events(run, 'core').map((e) => e.core))).toEqual(new Set([0, 1]));
    const gil = events(run, 'gil').filter((e) => e.op === 'take' || e.op === 'release');
    for (let i = 1; i < gil.length; i++) expect(gil[i]!.op).not.toBe(gil[i - 1]!.op);
    expect(events(run, 'gil').some((e) => e.op === 'release' && e.forced)).toBe(true);
    // Line events carry the thread that ran them.
    const lineTids = new Set(events(run, 'line').map((e) => e.tid));
    expect(lineTids.size).toBe(3);
  });

  it('asyncio: every pass with the number of callbacks ready when it began; tasks created, run, awaiting, done', () => {
    const run = runProgram(
      py,
      dedent(`
        import asyncio

        async def sleeper(d):
            await asyncio.sleep(d)

        async def main():
            await asyncio.gather(sleeper(0.001), sleeper(0.002))

        asyncio.run(main())
      `),
    );
    const notes = events(run, 'async');
    // main, the two gathered, then asyncio.run's closing steps (shutdown_asyncgens, shutdown_default_executor).
    expect(notes.filter((e) => e.op === 'create').map((e) => e.task)).toEqual(['Task-1', 'Task-2', 'Task-3', 'Task-4', 'Task-5']);
    const passes = notes.filter((e) => e.op === 'pass');
    expect(passes[0]!.ready).toBe(1); // main's first step
    expect(passes[1]!.ready).toBe(2); // the two tasks gather made
    const steps = notes.filter((e) => e.op !== 'pass' && e.op !== 'create').map((e) => `${e.op} ${e.task}${e.detail ? ` ${e.detail}` : ''}`);
    expect(steps.slice(0, 6)).toEqual(['run Task-1', 'await Task-1 gather (line 7)', 'run Task-2', 'await Task-2 sleep (line 4)', 'run Task-3', 'await Task-3 sleep (line 4)']);
    expect(steps.filter((s) => s.startsWith('done'))).toEqual(['done Task-2', 'done Task-3', 'done Task-1', 'done Task-4', 'done Task-5']);
  });

  it('is deterministic: the same scenario and seed give the same trace', () => {
    const a = count({}, N / 8).run.trace;
    const b = count({}, N / 8).run.trace;
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });
});
