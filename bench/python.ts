// Python runtime speed: Pyodide cold start, statements/second of a tight loop run as a
// transformed, line-recorded green thread (bare, and as a simulated program through the
// kernel), versus plain (untransformed) CPython in Pyodide.
// Run: npx tsx bench/python.ts. For `npm run bench`: `await benchPython()` returns the figures,
// `printPythonBench(figures)` prints them.
import { loadPython, type PythonRuntime } from '../src/python/pyodide.ts';
import { loadSimPython } from '../src/python/simulated.ts';
import { runPython } from '../src/python/run.ts';
import { loadScenarioData } from '../src/scenarios/load.ts';

export interface PythonBench {
  /** loadPython(): Pyodide start + the wirescope package imported. */
  coldStartMs: number;
  /** Recorded statements per second of wall time, driven through step() with a line limit. */
  statementsPerSecond: number;
  /** The same loop untransformed (2 statements per iteration: the test and the body). */
  plainStatementsPerSecond: number;
  /** A call to a transformed function from transformed code, and a builtin call, in µs. */
  userCallMicros: number;
  builtinCallMicros: number;
  /** loadSimPython(): Pyodide + the simulated system installed (a fresh interpreter). */
  simColdStartMs: number;
  /** The loop as a program on a simulated host, through the kernel (checks, line events, budget). */
  kernelStatementsPerSecond: number;
  /** Line events the kernel run recorded for it (compaction: a handful, not millions). */
  kernelLineEvents: number;
}

const LOOP = (n: number) => `n = ${n}\nwhile n > 0:\n    n -= 1\n`;

function runThread(rt: PythonRuntime, source: string, filename: string): { ms: number; records: number } {
  const th = rt.mainThread(source, filename);
  rt.takeLines();
  let records = 0;
  const t0 = performance.now();
  for (;;) {
    const r = rt.step(th);
    records += rt.takeLines().length; // the kernel takes the buffer at every stop
    if (r.kind !== 'check') {
      if (r.kind !== 'done') throw new Error(`bench program failed: ${JSON.stringify(r)}`);
      break;
    }
  }
  const ms = performance.now() - t0;
  th.destroy();
  return { ms, records };
}

export async function benchPython(iterations = 2_000_000): Promise<PythonBench> {
  const t0 = performance.now();
  const rt = await loadPython();
  const coldStartMs = performance.now() - t0;

  rt.setLineLimit(100_000); // a check (and a buffer take) every ~100k statements, as a kernel would
  runThread(rt, LOOP(10_000), 'warmup.py');
  const { ms, records } = runThread(rt, LOOP(iterations), 'bench_loop.py');
  const statementsPerSecond = records / (ms / 1000);

  const plainSeconds = rt.run(
    `import time\ndef _plain(n):\n    while n > 0:\n        n -= 1\n_t = time.perf_counter(); _plain(${iterations}); time.perf_counter() - _t`,
  ) as number;
  const plainStatementsPerSecond = (2 * iterations) / plainSeconds;

  const calls = 200_000;
  const callSrc = (body: string) =>
    `import time\ndef g(x):\n    return x\ndef loop(n):\n    for i in range(n):\n        ${body}\nt = time.perf_counter()\nloop(${calls})\nelapsed = time.perf_counter() - t\n`;
  const measure = (body: string): number => {
    const th = rt.mainThread(callSrc(body), 'bench_calls.py');
    for (;;) {
      const r = rt.step(th);
      rt.takeLines();
      if (r.kind !== 'check') break;
    }
    const mod = (th as unknown as { module: { elapsed: number } }).module;
    const s = mod.elapsed;
    th.destroy();
    return (s / calls) * 1e6;
  };
  // Per-call cost = loop with the call minus the same loop with `pass` (both statements are recorded).
  const loopOnly = measure('pass');
  const userCallMicros = measure('g(i)') - loopOnly;
  const builtinCallMicros = measure('len("a")') - loopOnly;
  rt.setLineLimit(null);

  const s0 = performance.now();
  const sim = await loadSimPython();
  const simColdStartMs = performance.now() - s0;
  const scenario = (n: number) => {
    const r = loadScenarioData({ hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ code: LOOP(n) }] }], step_budget: 1e9 }, 'bench', () => undefined);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.scenario;
  };
  runPython(sim, scenario(10_000));
  const k0 = performance.now();
  const res = runPython(sim, scenario(iterations));
  const kernelMs = performance.now() - k0;
  const kernelStatementsPerSecond = res.programs[0]!.statements / (kernelMs / 1000);
  const kernelLineEvents = res.trace.events.filter((e) => e.k === 'line').length;
  return { coldStartMs, statementsPerSecond, plainStatementsPerSecond, userCallMicros, builtinCallMicros, simColdStartMs, kernelStatementsPerSecond, kernelLineEvents };
}

export function printPythonBench(r: PythonBench, log: (s: string) => void = console.log): void {
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  log(`pyodide cold start (loadPython):              ${f(r.coldStartMs)} ms   (target < 3,000 ms)`);
  log(`cold start with the simulated system:         ${f(r.simColdStartMs)} ms`);
  log(`tight loop, transformed + recorded (bare):    ${f(r.statementsPerSecond)} statements/s`);
  log(`tight loop, simulated program via the kernel: ${f(r.kernelStatementsPerSecond)} statements/s   (target ≥ 1,000,000/s; ${f(r.kernelLineEvents)} line events)`);
  log(`tight loop, plain Pyodide:                    ${f(r.plainStatementsPerSecond)} statements/s`);
  log(`call overhead, user function:                 ${r.userCallMicros.toFixed(3)} µs/call`);
  log(`call overhead, builtin function:              ${r.builtinCallMicros.toFixed(3)} µs/call`);
}

const isMain = typeof process !== 'undefined' && (process.argv[1] ?? '').endsWith('bench/python.ts');
if (isMain) printPythonBench(await benchPython());
