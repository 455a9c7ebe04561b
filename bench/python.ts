// Python runtime speed: Pyodide cold start, and statements/second of a tight loop run as a
// transformed, line-recorded green thread versus plain (untransformed) CPython in Pyodide.
// Run: npx tsx bench/python.ts
import { loadPython, type PythonRuntime } from '../src/python/pyodide.ts';

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
  return { coldStartMs, statementsPerSecond, plainStatementsPerSecond, userCallMicros, builtinCallMicros };
}

const isMain = typeof process !== 'undefined' && (process.argv[1] ?? '').endsWith('bench/python.ts');
if (isMain) {
  const r = await benchPython();
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`pyodide cold start (loadPython):      ${f(r.coldStartMs)} ms`);
  console.log(`tight loop, transformed + recorded:   ${f(r.statementsPerSecond)} statements/s`);
  console.log(`tight loop, plain Pyodide:            ${f(r.plainStatementsPerSecond)} statements/s`);
  console.log(`call overhead, user function:         ${r.userCallMicros.toFixed(3)} µs/call`);
  console.log(`call overhead, builtin function:      ${r.builtinCallMicros.toFixed(3)} µs/call`);
}
