/**
 * The thread scheduler of one host: CPU cores shared by runnable threads (the OS), and one GIL
 * per Python interpreter (CPython), in the three variants of ../shared/docs/gil-facts.md.
 * Pure: everything happens on the simulation kernel's queue.
 *
 * Python threads run in chunks of CPU time. Before each chunk the scheduler works out how long
 * the thread may run before something could change its course — a waiter's switch interval
 * expiring (new GIL), 100 ticks (old GIL), the end of the OS time slice — and asks the thread
 * body to stop at the first check point after that budget (loop back-edges and calls, where
 * CPython looks at its GIL drop request). A chunk's statements execute when it starts; its CPU
 * time passes on its core; the decision is taken at the check point where it ends.
 *
 * New GIL (CPython 3.2+, Python/ceval_gil.c): a free GIL is taken at once; a waiter waits one
 * switch interval, and if the GIL has not changed hands meanwhile sets a drop request; the
 * holder drops it at its next check point, signals one waiter and waits until another thread
 * has taken it (FORCE_SWITCHING); a voluntary release (I/O, sleep, lock wait) signals one waiter.
 * Old GIL (≤ 3.1): every 100 ticks the holder releases, signals and immediately re-acquires; a
 * waiter woken on another core finds it taken again (a failed acquisition) and goes back to
 * sleep; on one core the OS only switches when it pre-empts the holder at the end of a slice.
 * GIL off (3.13t/3.14t): threads run in parallel on free cores, each statement a little slower.
 */
import type { Handle, Sim } from '../kernel.ts';
import { MachineRunner } from '../machine-runner.ts';
import { threadMachine, type ThreadMachineEvent, type ThreadState } from '../../machines/threadMachine.ts';
import type { CoreEvent, GilEvent, ThreadEvent } from '../trace.ts';
import type { Micros } from '../time.ts';
import type { Rng } from '../rng.ts';
import type { Resume, Syscall, ThreadStep } from '../os/syscall.ts';
import type { Thread } from '../os/process.ts';
import { DEFAULT_THREAD_COSTS, type CpuConfig, type GilConfig, type ThreadCosts } from './config.ts';

/** Calls made with the GIL held (CPython does not release it around them). */
const KEEPS_GIL = new Set(['write', 'note', 'gil_enabled', 'lock_new', 'lock_release', 'mq_new', 'mq_put', 'thread_start', 'process_start', 'switch_interval', 'socketpair', 'gethostname']);
/** Calls that first try without releasing the GIL and release it only if they must wait (acquire_timed in Modules/_threadmodule.c). */
const RELEASES_IF_BLOCKED = new Set(['lock_acquire', 'thread_join', 'process_join', 'mq_get']);

/**
 * Longest chunk a thread runs without a scheduling decision, µs: short while another thread of
 * its interpreter exists or threads queue for a core (a decision could come at any moment, and
 * comes at most this late), longer when it is alone (fewer steps, shorter traces).
 */
export const MAX_CHUNK: Micros = 50;
export const MAX_CHUNK_ALONE: Micros = 1000;

/** What the scheduler needs from its host. */
export interface SchedulerHost {
  readonly sim: Sim;
  readonly name: string;
  /** Perform a system call for `t`, which has released the GIL; the host calls `resumed` or `blocked`. */
  performCall(t: Thread, call: Syscall): void;
  /** The thread body returned `exit`. */
  endThread(t: Thread, status: number, traceback?: string): void;
  /** Record the statements a step executed (line events), at the current time. */
  recordLines(t: Thread, step: ThreadStep): void;
}

/** One CPython interpreter (one process) and its GIL. */
export class Interpreter {
  holder: Thread | null = null;
  lastHolder: Thread | null = null;
  /** Times the GIL changed hands (CPython's switch_number). */
  switches = 0;
  dropRequest = false;
  /** Threads waiting for the GIL, in the order they began waiting. */
  readonly waiters: Thread[] = [];
  /** Threads that dropped the GIL on request and wait for another thread to take it. */
  readonly handoff = new Set<Thread>();
  /** Old GIL: a woken waiter that caught the GIL in the holder's release window; it takes over at the holder's next check point. */
  thief: Thread | null = null;
  readonly gil: GilConfig;
  constructor(
    readonly pid: number,
    gil: GilConfig,
  ) {
    this.gil = { ...gil };
  }
}

type Want = 'acquire' | 'py' | 'native';

interface Sched {
  interp: Interpreter;
  name: string;
  machine: MachineRunner<ThreadMachineEvent>;
  core: number | null;
  pending: Resume | undefined;
  /** End of the current OS time slice on its core. */
  sliceEnd: Micros;
  /** New GIL: this waiter's timed wait. */
  waitTimer: Handle | undefined;
  waitDeadline: Micros;
  waitSwitches: number;
  /** Old GIL: a woken waiter on its way to try the GIL. */
  woken: boolean;
  /** Native work left (µs) for a `cpu` call. */
  nativeLeft: Micros;
  /** Overheads (hand-off, contention) to add to the next chunk. */
  penalty: Micros;
  /** CPU time not yet turned into whole µs of virtual time (chunks can be shorter than 1 µs). */
  frac: number;
  /** The `cpu` call in progress, completed when native work is done. */
  nativeDone: (() => void) | undefined;
  /** In a nested wait: when it gets the GIL and a core back, it goes on inside its step instead of a new chunk. */
  nested: boolean;
  nestedReady: boolean;
}

export class ThreadScheduler {
  private readonly cores: (Thread | null)[];
  private readonly runQueue: { t: Thread; want: Want }[] = [];
  private readonly data = new WeakMap<Thread, Sched>();
  readonly costs: ThreadCosts;
  /** Count of failed acquisitions, for the benchmark and tests. */
  failedAcquisitions = 0;

  constructor(
    private readonly host: SchedulerHost,
    readonly cpu: CpuConfig,
    costs: Partial<ThreadCosts> = {},
    /** Seeded: which old-GIL waiter wins a race. */
    private readonly rng: Rng = host.sim.rng.derive(`sched:${host.name}`),
  ) {
    this.cores = new Array<Thread | null>(Math.max(1, cpu.cores)).fill(null);
    this.costs = { ...DEFAULT_THREAD_COSTS, ...costs };
  }

  private get sim(): Sim {
    return this.host.sim;
  }

  /** Put `t` under the scheduler as a thread of interpreter `interp`. */
  register(t: Thread, interp: Interpreter, name: string): void {
    const sim = this.sim;
    const s: Sched = {
      interp,
      name,
      core: null,
      pending: undefined,
      sliceEnd: 0,
      waitTimer: undefined,
      waitDeadline: 0,
      waitSwitches: 0,
      woken: false,
      nativeLeft: 0,
      penalty: 0,
      frac: 0,
      nativeDone: undefined,
      nested: false,
      nestedReady: false,
      machine: new MachineRunner(threadMachine, () => '', {}, sim.clock, (_from, to) => this.recordThread(t, to as ThreadState)),
    };
    this.data.set(t, s);
  }

  isScheduled(t: Thread): boolean {
    return this.data.has(t);
  }

  /** Start `t` `delay` µs from now (Thread.start() or the process starting): it begins by taking the GIL. */
  start(t: Thread, delay: Micros = 0): void {
    this.recordThread(t, 'new');
    this.sim.after(delay, () => {
      const s = this.s(t);
      s.machine.send({ type: 'start' });
      this.requestCore(t, 'acquire');
    });
  }

  /** Per-statement CPU time for `t` (free-threaded builds pay an overhead). */
  statementCost(t: Thread): number {
    const s = this.s(t);
    const f = s.interp.gil.mode === 'off' ? s.interp.gil.freeThreadingOverhead : 1;
    return (this.costs.statementNs * f) / 1000;
  }

  // ------------------------------------------------------------------------------- host calls

  /** A system call of `t` finished with `input`: it wants the GIL again. */
  resumed(t: Thread, input: Resume): void {
    const s = this.s(t);
    s.pending = input;
    if (s.machine.state === 'blocked-io' || s.machine.state === 'running-native') s.machine.send({ type: 'wantGil' });
    if (s.interp.holder === t && s.core !== null) {
      // A call made with the GIL held returned: go on running.
      this.runChunk(t);
      return;
    }
    if (s.core !== null) this.attemptAcquire(t);
    else this.requestCore(t, 'acquire');
  }

  /**
   * `t` must wait for a call made where it cannot suspend (Python code called from C): the host
   * runs the kernel nested. Meanwhile `t` holds neither the GIL nor a core, so the process's
   * other threads can run — the call may be waiting for one of them.
   */
  nestedWait(t: Thread): void {
    const s = this.s(t);
    s.nested = true;
    if (s.interp.holder === t) this.release(t, false);
    if (s.machine.state === 'running-py') s.machine.send({ type: 'blockIo' });
    if (s.core !== null) this.releaseCore(t);
  }

  /** The nested wait of `t` is over: it asks for a core and the GIL again; `nestedReady` says when it has them. */
  nestedResume(t: Thread): void {
    const s = this.s(t);
    s.nestedReady = false;
    if (s.machine.state === 'blocked-io' || s.machine.state === 'running-native') s.machine.send({ type: 'wantGil' });
    this.requestCore(t, 'acquire');
  }

  nestedReady(t: Thread): boolean {
    return this.s(t).nestedReady;
  }

  /** The system call of `t` has to wait: it leaves its core (and the GIL, if it still holds it). */
  blocked(t: Thread): void {
    const s = this.s(t);
    if (s.interp.holder === t) this.release(t, false);
    if (s.machine.state === 'running-py') s.machine.send({ type: 'blockIo' });
    if (s.core !== null) this.releaseCore(t);
  }

  /** `t` runs native code for `us` µs without the GIL (a `cpu` call), then calls `done`. */
  native(t: Thread, us: Micros, done: () => void): void {
    const s = this.s(t);
    s.nativeLeft = us;
    s.nativeDone = done;
    if (s.core !== null) this.runNative(t);
    else this.requestCore(t, 'native');
  }

  /** The thread was ended from outside (its process exited): free what it holds. */
  kill(t: Thread): void {
    const s = this.data.get(t);
    if (!s || s.machine.state === 'done') return;
    this.sim.cancel(s.waitTimer);
    const i = s.interp.waiters.indexOf(t);
    if (i >= 0) s.interp.waiters.splice(i, 1);
    s.interp.handoff.delete(t);
    if (s.interp.thief === t) s.interp.thief = null;
    const q = this.runQueue.findIndex((x) => x.t === t);
    if (q >= 0) this.runQueue.splice(q, 1);
    if (s.interp.holder === t) this.release(t, false);
    s.machine.send({ type: 'exit' });
    if (s.core !== null) this.releaseCore(t);
  }

  // ------------------------------------------------------------------------------------ cores

  private requestCore(t: Thread, want: Want): void {
    const free = this.cores.indexOf(null);
    if (free >= 0) {
      this.assign(free, t);
      this.proceed(t, want);
    } else this.runQueue.push({ t, want });
  }

  private assign(core: number, t: Thread): void {
    const s = this.s(t);
    this.cores[core] = t;
    s.core = core;
    s.sliceEnd = this.sim.now + this.cpu.quantum;
    this.sim.record<CoreEvent>({ k: 'core', host: this.host.name, core, pid: t.process.pid, tid: t.tid });
    this.recordThread(t, s.machine.state as ThreadState);
  }

  private releaseCore(t: Thread): void {
    const s = this.s(t);
    const core = s.core;
    if (core === null) return;
    this.cores[core] = null;
    s.core = null;
    const next = this.runQueue.shift();
    if (next) {
      this.assign(core, next.t);
      this.proceed(next.t, next.want);
    } else this.sim.record<CoreEvent>({ k: 'core', host: this.host.name, core, pid: null, tid: null });
  }

  private proceed(t: Thread, want: Want): void {
    if (want === 'acquire') this.attemptAcquire(t);
    else if (want === 'native') this.runNative(t);
    else this.runChunk(t);
  }

  /** Others are waiting for a core and this slice is over: the OS pre-empts. */
  private sliceOver(t: Thread): boolean {
    return this.runQueue.length > 0 && this.sim.now >= this.s(t).sliceEnd;
  }

  // -------------------------------------------------------------------------------------- GIL

  /** `t` is on a core and wants to run Python. */
  private attemptAcquire(t: Thread): void {
    const s = this.s(t);
    const ip = s.interp;
    if (ip.gil.mode === 'off') {
      if (s.machine.state === 'wait-gil') s.machine.send({ type: 'gilAcquired' });
      this.runChunk(t);
      return;
    }
    if (ip.holder === null || ip.holder === t) {
      this.take(t);
      this.runChunk(t);
      return;
    }
    // Busy. A woken old-GIL waiter arrives while the holder releases and re-acquires every 100
    // ticks: now and then it gets in between and wins; usually it finds the GIL taken again.
    if (s.woken && ip.gil.mode === 'old') {
      if (ip.thief === null && this.rng.chance(this.costs.oldGilWin)) {
        ip.thief = t;
        return; // stays on its core; takes over at the holder's next check point
      }
      this.failedAcquisitions++;
      this.sim.record<GilEvent>({ k: 'gil', host: this.host.name, pid: ip.pid, op: 'failed', tid: t.tid });
    }
    s.woken = false;
    if (s.machine.state !== 'wait-gil') s.machine.send({ type: 'gilBusy' });
    if (!ip.waiters.includes(t)) ip.waiters.push(t);
    this.armWait(t);
    this.releaseCore(t);
  }

  private take(t: Thread): void {
    const s = this.s(t);
    const ip = s.interp;
    const i = ip.waiters.indexOf(t);
    if (i >= 0) ip.waiters.splice(i, 1);
    this.sim.cancel(s.waitTimer);
    s.waitTimer = undefined;
    s.woken = false;
    const changedHands = ip.lastHolder !== null && ip.lastHolder !== t;
    ip.holder = t;
    if (changedHands || ip.lastHolder === null) {
      if (changedHands) {
        ip.switches++;
        s.penalty += this.costs.gilSwitch;
      }
      ip.dropRequest = false;
    }
    ip.lastHolder = t;
    this.sim.record<GilEvent>({ k: 'gil', host: this.host.name, pid: ip.pid, op: 'take', tid: t.tid, switches: ip.switches });
    if (s.machine.state === 'wait-gil') s.machine.send({ type: 'gilAcquired' });
    // Threads that dropped the GIL on request were waiting for exactly this: now they queue for it.
    if (changedHands && ip.handoff.size > 0) {
      for (const h of [...ip.handoff]) {
        if (h === t) continue;
        ip.handoff.delete(h);
        const hs = this.s(h);
        hs.machine.send({ type: 'wantGil' });
        if (!ip.waiters.includes(h)) ip.waiters.push(h);
        this.armWait(h);
      }
    }
  }

  /** Release the GIL held by `t` and signal one waiter (the OS wakes the longest-waiting one). */
  private release(t: Thread, forced: boolean): void {
    const ip = this.s(t).interp;
    if (ip.holder !== t) return;
    ip.holder = null;
    const ev: Omit<GilEvent, 't'> = { k: 'gil', host: this.host.name, pid: ip.pid, op: 'release', tid: t.tid };
    if (forced) ev.forced = true;
    this.sim.record<GilEvent>(ev);
    if (ip.thief && ip.thief !== t) {
      // A waiter already on a core, spinning for it, takes it at once.
      const w = ip.thief;
      ip.thief = null;
      this.sim.after(0, () => {
        if (ip.holder === null && this.s(w).core !== null) {
          this.take(w);
          this.runChunk(w);
        } else this.attemptAcquire(w);
      });
      return;
    }
    const w = ip.waiters.find((x) => x !== t && !this.s(x).woken);
    if (w) this.wake(w);
  }

  /** A signalled waiter runs again after the wake-up latency, on a core if it gets one. */
  private wake(w: Thread): void {
    const s = this.s(w);
    s.woken = true;
    this.sim.cancel(s.waitTimer);
    s.waitTimer = undefined;
    this.sim.after(this.costs.gilWakeup, () => {
      if (!s.woken || s.machine.state !== 'wait-gil') return;
      if (s.core === null && !this.runQueue.some((x) => x.t === w)) this.requestCore(w, 'acquire');
    });
  }

  /** New GIL: wait one switch interval; on timeout, if nobody switched meanwhile, request a drop. */
  private armWait(t: Thread): void {
    const s = this.s(t);
    const ip = s.interp;
    if (ip.gil.mode !== 'new') return;
    this.sim.cancel(s.waitTimer);
    s.waitSwitches = ip.switches;
    s.waitDeadline = this.sim.now + ip.gil.switchInterval;
    s.waitTimer = this.sim.at(s.waitDeadline, () => {
      s.waitTimer = undefined;
      if (s.machine.state !== 'wait-gil' || s.woken) return;
      if (ip.holder === null) {
        // Free but nobody signalled us: go and take it.
        s.woken = true;
        this.requestCore(t, 'acquire');
        return;
      }
      if (ip.switches === s.waitSwitches && !ip.dropRequest) {
        ip.dropRequest = true;
        this.sim.record<GilEvent>({ k: 'gil', host: this.host.name, pid: ip.pid, op: 'drop-request', tid: t.tid });
      }
      this.armWait(t);
    });
  }

  // ----------------------------------------------------------------------------------- running

  /** How long `t` may run before a decision is due. */
  private budget(t: Thread): Micros {
    const s = this.s(t);
    const ip = s.interp;
    let b = this.alone(t) ? MAX_CHUNK_ALONE : MAX_CHUNK;
    if (ip.gil.mode === 'new' && ip.holder === t) {
      if (ip.dropRequest) return 0;
      for (const w of ip.waiters) {
        const ws = this.s(w);
        if (ws.waitTimer) b = Math.min(b, Math.max(0, ws.waitDeadline - this.sim.now));
      }
    } else if (ip.gil.mode === 'old' && ip.waiters.length > 0) {
      b = Math.min(b, (ip.gil.checkInterval / this.costs.ticksPerStatement) * this.statementCost(t));
    }
    if (this.runQueue.length > 0) b = Math.min(b, Math.max(0, s.sliceEnd - this.sim.now));
    return b;
  }

  /** No other live thread in its process, and nobody waiting for a core. */
  private alone(t: Thread): boolean {
    if (this.runQueue.length > 0) return false;
    for (const x of t.process.threads) if (x !== t && x.state !== 'done') return false;
    return true;
  }

  private runChunk(t: Thread): void {
    const s = this.s(t);
    if (s.nested) {
      // Back from a nested wait: the thread's step is still running; it carries on there.
      s.nested = false;
      s.nestedReady = true;
      return;
    }
    const input = s.pending;
    s.pending = undefined;
    const step = t.body.resume(input, this.budget(t));
    this.host.recordLines(t, step);
    const cpu = Math.max(0, (step.cpu ?? 0) + s.penalty) + s.frac;
    s.penalty = 0;
    const whole = Math.floor(cpu);
    s.frac = cpu - whole;
    this.sim.after(whole, () => this.chunkEnded(t, step));
  }

  private chunkEnded(t: Thread, step: ThreadStep): void {
    const s = this.s(t);
    if (s.machine.state === 'done') return;
    const ip = s.interp;
    if (step.kind === 'exit') {
      this.release(t, false);
      s.machine.send({ type: 'exit' });
      this.releaseCore(t);
      this.host.endThread(t, step.status, step.traceback);
      return;
    }
    if (step.kind === 'syscall') {
      const fn = step.call.fn;
      if (!KEEPS_GIL.has(fn) && !RELEASES_IF_BLOCKED.has(fn)) {
        // Py_BEGIN_ALLOW_THREADS around the socket call, sleep or native code.
        this.release(t, false);
        s.machine.send({ type: fn === 'cpu' ? 'native' : 'blockIo' });
      }
      this.host.performCall(t, step.call);
      return;
    }
    // A check point.
    if (ip.gil.mode === 'new' && ip.holder === t && ip.dropRequest) {
      this.release(t, true);
      s.machine.send({ type: 'forcedDrop' });
      ip.handoff.add(t);
      this.releaseCore(t);
      return;
    }
    if (ip.gil.mode === 'old' && ip.holder === t && ip.thief && ip.thief !== t) {
      // The waiter that got in between takes over here; the holder's re-acquire fails.
      const w = ip.thief;
      ip.thief = null;
      ip.holder = null;
      this.sim.record<GilEvent>({ k: 'gil', host: this.host.name, pid: ip.pid, op: 'release', tid: t.tid });
      s.machine.send({ type: 'gilBusy' });
      if (!ip.waiters.includes(t)) ip.waiters.push(t);
      this.take(w);
      this.releaseCore(t);
      this.runChunk(w);
      return;
    }
    if (ip.gil.mode === 'old' && ip.holder === t && ip.waiters.length > 0) {
      if (this.sliceOver(t)) {
        // The OS pre-empts us right after this release: the waiter gets the core and the GIL.
        this.release(t, false);
        s.machine.send({ type: 'gilBusy' });
        this.runQueue.push({ t, want: 'acquire' });
        this.releaseCore(t);
        return;
      }
      // Release, signal one sleeping waiter, and take the GIL straight back (not recorded: the
      // GIL has not changed hands; the waiter's failed attempt is, when it comes).
      const w = ip.waiters.find((x) => !this.s(x).woken);
      if (w) {
        this.wake(w);
        // Waking a sleeping waiter costs the holder a futex wake, then contention while it tries.
        s.penalty += this.costs.gilBattle;
      }
    }
    if (this.sliceOver(t)) {
      // Pre-empted by the OS, keeping the GIL if it holds it; it queues behind the others.
      this.runQueue.push({ t, want: 'py' });
      this.releaseCore(t);
      return;
    }
    this.runChunk(t);
  }

  private runNative(t: Thread): void {
    const s = this.s(t);
    const slice = this.runQueue.length > 0 ? Math.max(1, s.sliceEnd - this.sim.now) : s.nativeLeft;
    const d = Math.min(s.nativeLeft, slice);
    this.sim.after(d, () => {
      s.nativeLeft -= d;
      if (s.nativeLeft <= 0) {
        const done = s.nativeDone;
        s.nativeDone = undefined;
        done?.();
        return;
      }
      if (this.sliceOver(t)) {
        this.runQueue.push({ t, want: 'native' });
        this.releaseCore(t);
      } else this.runNative(t);
    });
  }

  // ------------------------------------------------------------------------------------ trace

  private s(t: Thread): Sched {
    const s = this.data.get(t);
    if (!s) throw new Error(`thread ${t.tid} is not scheduled`);
    return s;
  }

  private recordThread(t: Thread, state: ThreadState): void {
    const s = this.data.get(t);
    const ev: Omit<ThreadEvent, 't'> = { k: 'thread', host: this.host.name, pid: t.process.pid, tid: t.tid, name: s?.name ?? String(t.tid), state };
    if (s && s.core !== null && (state === 'running-py' || state === 'running-native' || state === 'handoff' || state === 'wait-gil')) ev.core = s.core;
    this.sim.record<ThreadEvent>(ev);
  }
}
