/**
 * Synthetic Python-like threads for the thread-model tests: CPU-bound loops that stop at check
 * points when their budget runs out, and I/O threads that wait and then compute a little.
 */
import { Network } from '../../src/sim/network.ts';
import { STUDENT } from '../../src/sim/os/process.ts';
import type { ThreadBody, ThreadStep, Resume, Syscall } from '../../src/sim/os/syscall.ts';
import type { GilConfig, CpuConfig } from '../../src/sim/threads/config.ts';
import type { Trace } from '../../src/sim/trace.ts';

/** A check point every loop iteration: `while n > 0: n -= 1` is 2 statements, 25 ns. */
const ITERATION = 0.025;

/** A thread that computes for `total` µs of CPU, stopping at check points as its budget asks. */
export function cpuBound(total: number): ThreadBody {
  let left = total;
  return {
    resume(_input: Resume | undefined, budget?: number): ThreadStep {
      if (left <= 0) return { kind: 'exit', status: 0 };
      const b = budget ?? left;
      // Run whole iterations until the budget is used (at least one: the check point is at the loop top).
      const chunk = Math.min(left, Math.max(ITERATION, Math.ceil(b / ITERATION) * ITERATION));
      left -= chunk;
      return left > 1e-9 ? { kind: 'check', cpu: chunk } : { kind: 'exit', status: 0, cpu: chunk };
    },
  };
}

/** A thread that `n` times waits `wait` µs (blocked, like recv) and then computes `work` µs. */
export function ioBound(n: number, wait: number, work: number): ThreadBody {
  let i = 0;
  let phase: 'wait' | 'work' = 'wait';
  let left = 0;
  return {
    resume(_input: Resume | undefined, budget?: number): ThreadStep {
      if (phase === 'wait') {
        if (i >= n) return { kind: 'exit', status: 0 };
        i++;
        phase = 'work';
        left = work;
        const call: Syscall = { fn: 'sleep', us: wait };
        return { kind: 'syscall', call };
      }
      const b = budget ?? left;
      const chunk = Math.min(left, Math.max(ITERATION, b));
      left -= chunk;
      if (left > 1e-9) return { kind: 'check', cpu: chunk };
      phase = 'wait';
      return { kind: 'check', cpu: chunk };
    },
  };
}

export interface ThreadRun {
  trace: Trace;
  /** µs at which each named thread finished. */
  done: Record<string, number>;
  end: number;
}

/**
 * Run one process per entry of `processes`; each is a list of thread bodies (the first is the
 * main thread; it finishes last by construction of the workloads).
 */
export function runThreads(processes: { name: string; threads: { name: string; body: ThreadBody }[] }[], opts: { gil?: Partial<GilConfig>; cpu?: Partial<CpuConfig>; startAt?: number[] } = {}): ThreadRun {
  const net = new Network({ hosts: [{ name: 'host', ip: '10.0.0.1', cores: opts.cpu?.cores ?? 2 }] }, 1);
  const host = net.host('host');
  processes.forEach((proc, i) => {
    const [main, ...rest] = proc.threads;
    const p = host.spawn(main!.body, { user: STUDENT, cmd: `python3 ${proc.name}`, name: proc.name, python: { gil: opts.gil ?? {} }, at: opts.startAt?.[i] ?? 0 });
    for (const t of rest) net.sim.at(opts.startAt?.[i] ?? 0, () => host.spawnThread(p, t.body, t.name, false));
  });
  const trace = net.run('threads');
  const done: Record<string, number> = {};
  for (const e of trace.events) if (e.k === 'thread' && e.state === 'done') done[`${e.pid}/${e.name}`] = e.t;
  for (const e of trace.events) if (e.k === 'thread' && e.state === 'done') done[e.name] = Math.max(done[e.name] ?? 0, e.t);
  return { trace, done, end: Math.max(...Object.values(done)) };
}
