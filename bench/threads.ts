/**
 * Thread switches per second of wall time (issue 4's benchmark: target ≥ 100,000).
 *
 * 1. The kernel's scheduler alone: CPU-bound threads that stop at every check point their
 *    budget asks for (like `while n > 0: n -= 1`, 25 ns per iteration), four in one process under
 *    the new GIL with a short switch interval, on 2 cores. Every GIL hand-over is a full switch:
 *    a waiter's timeout, the drop request, the forced release, the hand-off, cores re-assigned,
 *    all recorded in the trace.
 * 2. Real Python threads: the same loop in four threading.Threads of a program (Pyodide,
 *    transformed and recorded), with sys.setswitchinterval() short enough that switching, not
 *    counting, dominates.
 *
 * Run: npx tsx bench/threads.ts. benchThreads() returns the figures (printed as it goes).
 */
import { Network } from '../src/sim/network.ts';
import { STUDENT } from '../src/sim/os/process.ts';
import type { Resume, ThreadBody, ThreadStep } from '../src/sim/os/syscall.ts';
import { loadSimPython, type SimPython } from '../src/python/simulated.ts';
import { runPython } from '../src/python/run.ts';
import { loadScenarioData } from '../src/scenarios/load.ts';

export interface ThreadsBench {
  /** Kernel scheduler, synthetic CPU-bound threads: GIL hand-overs per second of wall time. */
  kernelSwitchesPerSecond: number;
  kernelSwitches: number;
  /** Trace events per switch (what a switch costs to record). */
  eventsPerSwitch: number;
  /** Real Python threads (Pyodide): GIL hand-overs per second of wall time, per switch interval (µs). */
  pythonSwitchesPerSecond: Record<number, number>;
}

/** `while n > 0: n -= 1` as the scheduler sees it: 25 ns per iteration, a check point per iteration. */
function cpuBound(totalMicros: number): ThreadBody {
  let left = totalMicros;
  const iteration = 0.025;
  return {
    resume(_input: Resume | undefined, budget?: number): ThreadStep {
      if (left <= 0) return { kind: 'exit', status: 0 };
      const b = budget ?? left;
      const chunk = Math.min(left, Math.max(iteration, Math.ceil(b / iteration) * iteration));
      left -= chunk;
      return left > 1e-9 ? { kind: 'check', cpu: chunk } : { kind: 'exit', status: 0, cpu: chunk };
    },
  };
}

function kernelRun(threads: number, cpuMicros: number, switchInterval: number): { switches: number; events: number; seconds: number } {
  const net = new Network({ hosts: [{ name: 'host', ip: '10.0.0.1', cores: 2 }] }, 1);
  const host = net.host('host');
  const t0 = performance.now();
  const p = host.spawn(cpuBound(cpuMicros), { user: STUDENT, cmd: 'python3 bench.py', name: 'bench.py', python: { gil: { mode: 'new', switchInterval } } });
  for (let i = 1; i < threads; i++) host.spawnThread(p, cpuBound(cpuMicros), `Thread-${i}`, false);
  const trace = net.run('threads-bench');
  const seconds = (performance.now() - t0) / 1000;
  return { switches: host.interpreter(p.pid)!.switches, events: trace.events.length, seconds };
}

const COUNT = (threads: number, n: number, interval: number) => `
import sys, threading
sys.setswitchinterval(${interval / 1e6})
def count(n):
    while n > 0:
        n -= 1
threads = [threading.Thread(target=count, args=(${n},)) for _ in range(${threads})]
for t in threads:
    t.start()
for t in threads:
    t.join()
`;

function pythonRun(py: SimPython, threads: number, n: number, interval: number): { switches: number; seconds: number } {
  const r = loadScenarioData({ hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ code: COUNT(threads, n, interval) }] }], step_budget: 1e9 }, 'bench', () => undefined);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const t0 = performance.now();
  const res = runPython(py, r.scenario);
  const seconds = (performance.now() - t0) / 1000;
  let switches = 0;
  for (const e of res.trace.events) if (e.k === 'gil' && e.op === 'take' && e.switches !== undefined) switches = Math.max(switches, e.switches);
  return { switches, seconds };
}

export async function benchThreads(log: (s: string) => void = console.log): Promise<ThreadsBench> {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  kernelRun(4, 20_000, 20); // warm up the JIT and the XState memo
  const k = kernelRun(4, 500_000, 20);
  const kernelSwitchesPerSecond = k.switches / k.seconds;
  log(
    `thread switches/s (kernel scheduler): ${f(kernelSwitchesPerSecond)}  (${f(k.switches)} GIL hand-overs between 4 CPU-bound threads, new GIL, 20 µs switch interval, 2 cores, 2 s of virtual time in ${k.seconds.toFixed(2)} s; ${(k.events / k.switches).toFixed(1)} trace events per switch)  target ≥ 100,000`,
  );
  const py = await loadSimPython();
  pythonRun(py, 2, 1000, 100);
  const pythonSwitchesPerSecond: Record<number, number> = {};
  for (const interval of [100, 5]) {
    const r = pythonRun(py, 4, 400_000, interval);
    pythonSwitchesPerSecond[interval] = r.switches / r.seconds;
    log(`thread switches/s (Python threads):   ${f(r.switches / r.seconds)}  (4 threads counting 400,000 each, sys.setswitchinterval(${interval / 1e6}): ${f(r.switches)} hand-overs in ${r.seconds.toFixed(2)} s)`);
  }
  return { kernelSwitchesPerSecond, kernelSwitches: k.switches, eventsPerSwitch: k.events / k.switches, pythonSwitchesPerSecond };
}

const isMain = typeof process !== 'undefined' && (process.argv[1] ?? '').endsWith('bench/threads.ts');
if (isMain) await benchThreads();
