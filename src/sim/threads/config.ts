/**
 * Settings of the thread model: the machine's cores and OS scheduler, the GIL variant, and the
 * costs. Pure constants with sources; docs/threads.md explains the model. The figures follow
 * ../shared/docs/gil-facts.md.
 */
import type { Micros } from '../time.ts';

export type GilMode = 'new' | 'old' | 'off';
export type StartMethod = 'fork' | 'forkserver' | 'spawn';

export interface CpuConfig {
  /** Cores of the machine (scenario "cores"). */
  cores: number;
  /** OS scheduler time slice when more threads want a core than there are cores (Linux ≈ 4 ms, measured). */
  quantum: Micros;
}

export interface GilConfig {
  mode: GilMode;
  /** New GIL (3.2+): sys.getswitchinterval(), 5 ms (Python/ceval_gil.c DEFAULT_INTERVAL). */
  switchInterval: Micros;
  /** Old GIL (≤ 3.1): release every 100 ticks (sys.getcheckinterval()). */
  checkInterval: number;
  /** Free-threaded builds run single-threaded code slower: ×1.4 on 3.13t, about ×1.05 on 3.14t (PEP 703). */
  freeThreadingOverhead: number;
}

export interface ThreadCosts {
  /** Python: one simple statement (`n -= 1`), ns. Calibrated so `while n > 0: n -= 1` takes ≈ 25 ns per iteration. */
  statementNs: number;
  /** Old GIL ticks (bytecodes) per statement. */
  ticksPerStatement: number;
  /** OS: a woken thread runs this long after the wake-up. */
  wakeup: Micros;
  /** A thread signalled on the GIL's condition variable runs this long after the signal (futex wake, another core leaving idle). */
  gilWakeup: Micros;
  /** A GIL hand-off to another thread: the new holder's cold caches. */
  gilSwitch: Micros;
  /**
   * Old GIL: what signalling a sleeping waiter costs the holder — the futex wake, then the
   * contention on the GIL's mutex and cache line while the waiter, woken on another core, tries
   * and fails. (On one core the waiter cannot run, stays awake in the run queue, and further
   * signals are free.) Calibrated so two CPU-bound threads on two cores take about twice as long
   * as running them one after the other (measured on 2.7: 1.9–3.2×; Beazley 2009: 1.85×).
   */
  gilBattle: Micros;
  /**
   * Old GIL: chance that a woken waiter reaching the GIL gets in between the holder's release
   * and re-acquire and wins it. Measured on 2.7, 2 cores: ~5,700 hand-offs/s beside thousands of
   * failed acquisitions (gil-facts.md, result 3).
   */
  oldGilWin: number;
  /** threading.Thread.start() until the new thread runs (PEP 703: ≈ 0.1 ms). */
  threadStart: Micros;
  /** multiprocessing start cost until the child runs. */
  processStart: Record<StartMethod, Micros>;
}

export const DEFAULT_CPU: CpuConfig = { cores: 2, quantum: 4000 };

export const DEFAULT_GIL: GilConfig = { mode: 'new', switchInterval: 5000, checkInterval: 100, freeThreadingOverhead: 1.05 };

export const DEFAULT_THREAD_COSTS: ThreadCosts = {
  statementNs: 12.5,
  ticksPerStatement: 3,
  wakeup: 5,
  gilWakeup: 25,
  gilSwitch: 20,
  gilBattle: 16,
  oldGilWin: 0.15,
  threadStart: 100,
  processStart: { fork: 15_000, forkserver: 45_000, spawn: 100_000 },
};
