// A Python program as kernel threads (ThreadBody): runs the program's main module on the
// simulated Python system and turns what its green threads ask for into kernel system calls
// (src/sim/os/syscall.ts), and the kernel's answers back into Python values or exceptions.
// Every threading.Thread is a kernel thread of its own (PythonThread) with the same program
// (budget, files, Python process); a multiprocessing child is a PythonProgram of its own.
//
// Virtual time: every record of the line buffer (an executed statement or function entry, in
// any transformed file) costs `nsPerStatement` ns (default 12). Sub-µs remainders are carried,
// so time stays an integer number of µs and nothing is lost. The CPU time since the last call
// is charged with the next system call (`cpu` of the step); a program computing without calls
// hands the CPU back (a `check` step) every `yieldMicros` of virtual time so its line events
// are timed correctly and the rest of the simulation keeps pace.
import type { Micros } from '../sim/time.ts';
import type { Note, Resume, Syscall, ThreadBody, ThreadContext, ThreadStep, Timeout } from '../sim/os/syscall.ts';
import type { Family, SockType } from '../sim/trace.ts';
import { LineRecorder } from './lines.ts';
import type { PyProgram, PyThread, SimPython } from './simulated.ts';

/** Default cost of one executed statement, ns (a first estimate; see docs/python-runtime.md). */
export const NS_PER_STATEMENT = 12;
/** Default step budget: statements a program may execute before it is stopped. */
export const DEFAULT_STEP_BUDGET = 50_000_000;
/** Records between check points (the adapter accounts lines and the budget at each). */
const CHECK_EVERY = 65_536;

export interface PythonProgramOptions {
  /** Display name, e.g. "server.py" (output prefixes, line events, messages). */
  name: string;
  /** Absolute path of the main module in the interpreter's file system. */
  path: string;
  /** The program's directory; files under it are the program's own (their lines are listed). */
  home: string;
  source: string;
  args?: string[];
  user: 'root' | 'student';
  stepBudget?: number;
  nsPerStatement?: number;
  /** Virtual µs of computing after which a program without system calls yields. Default 1000. */
  yieldMicros?: Micros;
  /** The host's CPU cores (os.cpu_count()). Default 2. */
  cores?: number;
  /** The Python version modelled (scenario "python"), e.g. "3.14". */
  version?: string;
  /** multiprocessing's default start method. */
  startMethod?: 'fork' | 'forkserver' | 'spawn';
}

/** What a program is doing, for the runner's report. */
export type ProgramState =
  | { kind: 'new' }
  | { kind: 'running' }
  /** Waiting in a kernel call; `timeout` null means it can only be woken by an event. */
  | { kind: 'waiting'; fn: string; timeout: Timeout }
  | { kind: 'exited'; status: number; budget: boolean };

/** The thread stepping now, if any (to tell nested calls of its own from a finaliser's). */
const stepping: { thread: PythonThread | undefined } = { thread: undefined };

const encoder = new TextEncoder();

function timeoutOf(v: unknown): Timeout {
  return v === undefined || v === null ? null : Number(v);
}

function addrOf(v: unknown): readonly [string, number] | string {
  if (typeof v === 'string') return v;
  const a = v as unknown[];
  return [String(a[0]), Number(a[1])];
}

function bytesOf(v: unknown): Uint8Array {
  return v instanceof Uint8Array ? v : typeof v === 'string' ? encoder.encode(v) : new Uint8Array(0);
}

const methods = new Set(['fork', 'forkserver', 'spawn']);

/**
 * The kernel call for a Python-side call `name(*args)` (see wirescope/sim/sock.py, thread.py,
 * mp.py). `program` is the calling program: new threads and child processes are its bodies.
 */
export function kernelCall(name: string, a: unknown[], program?: PythonProgram): Syscall | undefined {
  const fd = Number(a[0]);
  switch (name) {
    case 'thread_start':
      if (!program) return undefined;
      return { fn: 'thread_start', body: program.threadBody(Number(a[0])), name: String(a[1]), daemon: Boolean(a[2]) };
    case 'thread_join':
      return { fn: 'thread_join', tid: Number(a[0]), timeout: timeoutOf(a[1]) };
    case 'lock_new':
    case 'mq_new':
      return { fn: name };
    case 'lock_acquire':
      return { fn: 'lock_acquire', id: Number(a[0]), timeout: timeoutOf(a[1]) };
    case 'lock_release':
      return { fn: 'lock_release', id: Number(a[0]) };
    case 'process_start': {
      const method = String(a[3]);
      if (!program || !methods.has(method)) return undefined;
      const m = method as 'fork' | 'forkserver' | 'spawn';
      return { fn: 'process_start', body: program.childBody(Number(a[0]), String(a[2])), cmd: String(a[1]), name: String(a[2]), method: m };
    }
    case 'process_join':
      return { fn: 'process_join', pid: Number(a[0]), timeout: timeoutOf(a[1]) };
    case 'process_kill':
      program?.killed(Number(a[0]), Number(a[1]));
      return { fn: 'process_kill', pid: Number(a[0]), signal: Number(a[1]) };
    case 'mq_size':
      return { fn: 'mq_size', id: Number(a[0]) };
    case 'mq_put':
      return { fn: 'mq_put', id: Number(a[0]), data: bytesOf(a[1]) };
    case 'mq_get':
      return { fn: 'mq_get', id: Number(a[0]), timeout: timeoutOf(a[1]) };
    case 'socketpair':
      return { fn: 'socketpair', type: a[0] === 'SOCK_DGRAM' ? 'SOCK_DGRAM' : 'SOCK_STREAM' };
    case 'gil_enabled':
      return { fn: 'gil_enabled' };
    case 'switch_interval':
      return a.length && a[0] !== undefined && a[0] !== null ? { fn: 'switch_interval', us: Number(a[0]) } : { fn: 'switch_interval' };
    case 'socket':
      return { fn: 'socket', family: a[0] as Family, type: a[1] as SockType };
    case 'bind':
      return { fn: 'bind', fd, addr: addrOf(a[1]) };
    case 'listen':
      return { fn: 'listen', fd, backlog: Number(a[1]) };
    case 'accept':
      return { fn: 'accept', fd, timeout: timeoutOf(a[1]) };
    case 'connect':
      return { fn: 'connect', fd, addr: addrOf(a[1]), timeout: timeoutOf(a[2]) };
    case 'send':
    case 'sendall':
      return { fn: name, fd, data: bytesOf(a[1]), timeout: timeoutOf(a[2]) };
    case 'sendto':
      return { fn: 'sendto', fd, data: bytesOf(a[1]), addr: addrOf(a[2]), timeout: timeoutOf(a[3]) };
    case 'recv':
      return { fn: 'recv', fd, n: Number(a[1]), peek: Boolean(a[2]), timeout: timeoutOf(a[3]) };
    case 'recvfrom':
      return { fn: 'recvfrom', fd, n: Number(a[1]), timeout: timeoutOf(a[2]) };
    case 'shutdown':
      return { fn: 'shutdown', fd, how: Number(a[1]) };
    case 'close':
    case 'getsockname':
    case 'getpeername':
      return { fn: name, fd };
    case 'setsockopt':
      return { fn: 'setsockopt', fd, level: Number(a[1]), opt: Number(a[2]), value: Number(a[3]) };
    case 'getsockopt':
      return { fn: 'getsockopt', fd, level: Number(a[1]), opt: Number(a[2]) };
    case 'select':
      return { fn: 'select', rlist: (a[0] as number[]).map(Number), wlist: (a[1] as number[]).map(Number), timeout: timeoutOf(a[2]) };
    case 'gethostbyname':
      return { fn: 'gethostbyname', name: String(a[0]) };
    case 'gethostname':
      return { fn: 'gethostname' };
    case 'unlink':
      return { fn: 'unlink', path: String(a[0]) };
    case 'sleep':
      return { fn: 'sleep', us: Number(a[0]) };
    case 'write':
      return { fn: 'write', stream: a[0] === 'stderr' ? 'stderr' : 'stdout', text: String(a[1]) };
    default:
      return undefined;
  }
}


/** Waits that find nothing: the runner's idle detection (src/python/run.ts) counts these. */
export function timeoutOfCall(call: Syscall): Timeout | undefined {
  return 'timeout' in call ? call.timeout : call.fn === 'sleep' ? call.us : undefined;
}

/** How a child process (multiprocessing) is made: from its parent, by `process_start`. */
interface ChildOf {
  parent: PythonProgram;
  /** The parent's key for the child's start data (Python side: Program.pending_children). */
  key: number;
  /** multiprocessing's name for it, e.g. "Process-1". */
  name: string;
}

/**
 * A Python program: one simulated process (its Python side, step budget, CPU time, output) and
 * its threads. The program itself is the kernel body of its main thread; `threadBody` makes
 * the body of every other thread (threading.Thread.start()), `childBody` the program of a child
 * process (multiprocessing.Process.start()).
 */
export class PythonProgram implements ThreadBody {
  /** Statements (records) executed so far, by all threads. */
  statements = 0;
  /** CPU time of all threads, ns. */
  cpuNs = 0;
  proc: PyProgram | undefined;
  /** Cost of one statement, ns: the scenario's, else the thread model's (src/sim/threads/config.ts). */
  ns: number;
  readonly budget: number;
  readonly yieldNs: number;
  private readonly main: PythonThread;
  /** Every thread of the program (the main one first). */
  readonly threads: PythonThread[] = [];
  private readonly fileNames = new Map<number, string | null>();
  private readonly child: ChildOf | undefined;
  private readonly children: PythonProgram[] = [];
  /** A signal that ended this process before it ran (see killed()). */
  private killedBy: number | undefined;

  constructor(
    readonly py: SimPython,
    readonly opts: PythonProgramOptions,
    child?: ChildOf,
  ) {
    this.ns = opts.nsPerStatement ?? NS_PER_STATEMENT;
    this.budget = opts.stepBudget ?? DEFAULT_STEP_BUDGET;
    this.yieldNs = (opts.yieldMicros ?? 1000) * 1000;
    this.child = child;
    this.main = new PythonThread(this, undefined);
  }

  /** What the program's process is doing (its main thread: it waits for the others at exit). */
  get state(): ProgramState {
    return this.main.state;
  }

  /** The process id, once the kernel has created the process. */
  get pid(): number | undefined {
    return this.main.ctx?.pid;
  }

  attach(ctx: ThreadContext): void {
    this.main.attach(ctx);
  }

  resume(input: Resume | undefined, budget?: Micros): ThreadStep {
    return this.main.resume(input, budget);
  }

  /** The body of a new thread of this program (the Python side made it under `key`). */
  threadBody(key: number): ThreadBody {
    return new PythonThread(this, key);
  }

  /** Threads that have not ended (started or about to start). */
  liveThreads(): number {
    let n = 0;
    for (const t of this.threads) if (t.state.kind !== 'exited') n++;
    return n;
  }

  /** The program of a child process (multiprocessing): same files, its own process. */
  childBody(key: number, name: string): ThreadBody {
    const child = new PythonProgram(this.py, { ...this.opts, name: this.opts.name }, { parent: this, key, name });
    this.children.push(child);
    return child;
  }

  /**
   * Child `pid` is being sent `signal`. If it has not started yet, it must not: the kernel still
   * starts a process that ended before its start time (after the start method's cost).
   */
  killed(pid: number, signal: number): void {
    const child = this.children.find((c) => c.pid === pid);
    if (child && child.proc === undefined) child.killedBy = signal;
  }

  /** Ended by a signal before it ran. */
  get stillborn(): number | undefined {
    return this.killedBy;
  }

  /** Create the Python side of the process and its main thread (on the main thread's first step). */
  start(ctx: ThreadContext): PyThread {
    const o = this.opts;
    // Asked now, not at attach: the kernel registers the thread with its scheduler (which knows
    // the interpreter's per-statement cost) only after attaching it.
    if (o.nsPerStatement === undefined) this.ns = ctx.statementCost() * 1000;
    this.proc = this.py.newProgram(
      {
        name: o.name,
        path: o.path,
        home: o.home,
        argv: [o.name, ...(o.args ?? [])],
        host: ctx.host,
        pid: ctx.pid,
        ppid: this.child?.parent.pid ?? 1,
        uid: o.user === 'root' ? 0 : 1000,
        user: o.user,
        nsPerRecord: this.ns,
        cores: o.cores ?? 2,
        version: o.version ?? '3.14',
        startMethod: o.startMethod ?? 'forkserver',
      },
      {
        block: (name, args) => {
          const t = this.nested();
          if (t) return t.block(name, args);
          // Not from a step of ours (a finaliser closing a socket of ours): just do it.
          const call = kernelCall(name, args, this);
          return call ? encode(ctx.callNested(call)) : [1, 'RuntimeError', undefined, `wirescope: no system call named ${name}`];
        },
        check: () => this.nested()?.nestedCheck() ?? false,
        note: (kind, a, b, c, d) => this.note(kind, a, b, c, d),
      },
    );
    if (this.child) return this.py.startChild(this.proc, this.child.parent.proc!, this.child.key, this.child.name);
    return this.py.start(this.proc, o.source);
  }

  /** The thread of this program stepping now (a nested call of its own), if any. */
  private nested(): PythonThread | undefined {
    const t = stepping.thread;
    return t && t.program === this ? t : undefined;
  }

  private note(kind: string, a: unknown, b: unknown, c: unknown, d: unknown): void {
    const t = this.nested() ?? this.main;
    const ctx = t.ctx;
    if (!ctx) return;
    const note: Note =
      kind === 'tls'
        ? { kind: 'tls', obj: String(a), attr: String(b), value: String(c) }
        : {
            kind: 'async',
            op: a as 'pass' | 'run' | 'await' | 'done' | 'create',
            task: String(b),
            ...(c !== undefined && c !== null ? { ready: Number(c) } : {}),
            ...(d !== undefined && d !== null ? { detail: String(d) } : {}),
          };
    ctx.callNested({ fn: 'note', note });
  }

  ownFile(id: number): string | undefined {
    let name = this.fileNames.get(id);
    if (name === undefined) {
      for (const [fid, path] of this.py.runtime.fileTable()) {
        if (!this.fileNames.has(fid)) {
          this.fileNames.set(fid, path.startsWith(this.opts.home + '/') ? path.slice(this.opts.home.length + 1) : null);
        }
      }
      name = this.fileNames.get(id) ?? null;
      this.fileNames.set(id, name);
    }
    return name ?? undefined;
  }
}

/** A Python thread of a program: the kernel body that steps its green thread. */
class PythonThread implements ThreadBody {
  state: ProgramState = { kind: 'new' };
  ctx: ThreadContext | undefined;
  private thread: PyThread | undefined;
  private recorder: LineRecorder;
  /** Virtual time computed but not yet charged to the kernel, ns. */
  private pendingNs = 0;
  /** CPU time of this thread, ns (time.thread_time()). */
  private threadCpuNs = 0;
  /** µs at which the current step started (the kernel's clock when it resumed us). */
  private stepStart = 0;
  /** Steps still to take before exiting: writes of buffered output, then the exit. */
  private exitQueue: ThreadStep[] = [];
  /** This step's CPU budget, ns (undefined: run until a call, yielding every `yieldMicros`). */
  private budgetNs: number | undefined;
  /** CPU time used in this step so far, ns. */
  private stepNs = 0;

  constructor(
    readonly program: PythonProgram,
    /** undefined: the main thread; else the Python side's key for this thread. */
    private readonly key: number | undefined,
  ) {
    this.recorder = new LineRecorder(program.ns, (id) => program.ownFile(id));
    program.threads.push(this);
  }

  attach(ctx: ThreadContext): void {
    this.ctx = ctx;
    this.recorder = new LineRecorder(this.program.ns, (id) => this.program.ownFile(id));
    if (this.key !== undefined) this.thread = this.program.py.bindThread(this.program.proc!, this.key, ctx.tid);
  }

  /**
   * Run until the next system call or exit. With a `budget` (µs of CPU, from the thread
   * scheduler), stop at the first check point after using it and return a `check` step.
   */
  resume(input: Resume | undefined, budget?: Micros): ThreadStep {
    const ctx = this.ctx;
    if (!ctx) throw new Error('PythonProgram.resume before attach');
    if (this.exitQueue.length) return this.exitQueue.shift()!;
    const stillborn = this.key === undefined && !this.thread ? this.program.stillborn : undefined;
    if (stillborn !== undefined) {
      this.state = { kind: 'exited', status: -stillborn, budget: false };
      return { kind: 'exit', status: -stillborn };
    }
    const previous = stepping.thread;
    stepping.thread = this;
    this.budgetNs = budget === undefined ? undefined : budget * 1000;
    try {
      return this.run(ctx, input);
    } finally {
      stepping.thread = previous;
    }
  }

  /** Statements the runtime may execute before its next check point yields. */
  private lineLimit(): number {
    if (this.budgetNs === undefined) return CHECK_EVERY;
    return Math.max(1, Math.min(CHECK_EVERY, Math.ceil((this.budgetNs - this.stepNs) / this.program.ns)));
  }

  private run(ctx: ThreadContext, input: Resume | undefined): ThreadStep {
    const program = this.program;
    const py = program.py;
    this.stepNs = 0;
    this.stepStart = ctx.now();
    if (!this.thread) {
      this.thread = program.start(ctx);
      this.recorder = new LineRecorder(program.ns, (id) => program.ownFile(id));
    }
    this.recorder.begin(Math.max(0, this.pendingNs));
    let mode: 0 | 1 | 2 = 0;
    let a: unknown;
    let b: unknown;
    let c: unknown;
    if (input && 'error' in input) {
      mode = 2;
      a = input.error.type;
      b = input.error.errno;
      c = input.error.message;
    } else if (input) {
      mode = 1;
      a = input.value === null ? undefined : input.value;
    }
    this.state = { kind: 'running' };
    for (;;) {
      py.runtime.setLineLimit(this.lineLimit());
      const r = py.step(this.thread, mode, a, b, c, this.stepStart * 1000 + this.pendingNs, program.cpuNs, this.threadCpuNs);
      mode = 0;
      a = b = c = undefined;
      this.account();
      if (program.statements > program.budget) return this.kill();
      switch (r[0]) {
        case 's': {
          const call = kernelCall(r[1], r[2], program);
          if (!call) {
            mode = 2;
            a = 'RuntimeError';
            c = `wirescope: no system call named ${r[1]}`;
            continue;
          }
          const t = timeoutOfCall(call);
          this.state = t === undefined ? { kind: 'running' } : { kind: 'waiting', fn: call.fn, timeout: t };
          return { kind: 'syscall', call, cpu: this.charge(), lines: this.recorder.finish() };
        }
        case 'c':
          if (this.budgetNs !== undefined ? this.stepNs >= this.budgetNs : this.pendingNs >= program.yieldNs) return { kind: 'check', cpu: this.charge(), lines: this.recorder.finish() };
          continue;
        case 'x': {
          const [, status, out, err, text, killed] = r;
          if (killed) return this.kill();
          this.state = { kind: 'exited', status, budget: false };
          this.thread.destroy();
          const cpu = this.charge();
          const lines = this.recorder.finish();
          const exit: ThreadStep = { kind: 'exit', status, ...(text ? { traceback: text } : {}) };
          const writes: ThreadStep[] = [];
          if (out) writes.push({ kind: 'syscall', call: { fn: 'write', stream: 'stdout', text: out } });
          if (err) writes.push({ kind: 'syscall', call: { fn: 'write', stream: 'stderr', text: err } });
          const first = writes.shift() ?? exit;
          if (first !== exit) this.exitQueue = [...writes, exit];
          return { ...first, cpu, lines } as ThreadStep;
        }
      }
    }
  }

  /** Take the line buffer and charge its records to this thread and its program. */
  private account(): void {
    const program = this.program;
    const records = program.py.takeLines(program.proc!);
    const n = this.recorder.add(records);
    const ns = n * program.ns;
    program.statements += n;
    program.cpuNs += ns;
    this.pendingNs += ns;
    this.threadCpuNs += ns;
    this.stepNs += ns;
  }

  /** Whole µs of pending CPU time, to charge now (the remainder is carried). */
  private charge(): Micros {
    if (this.pendingNs <= 0) return 0;
    const us = Math.floor(this.pendingNs / 1000);
    this.pendingNs -= us * 1000;
    return us;
  }

  private kill(): ThreadStep {
    const program = this.program;
    this.state = { kind: 'exited', status: 1, budget: true };
    const n = program.budget.toLocaleString('en-US');
    return {
      kind: 'exit',
      status: 1,
      cpu: this.charge(),
      lines: this.recorder.finish(),
      traceback: `wirescope: ${program.opts.name} stopped after ${n} statements (the step budget); does it loop forever?\n`,
    };
  }

  /** A call made where the thread cannot suspend: performed synchronously by the kernel. */
  block(name: string, args: unknown[]): unknown[] {
    const ctx = this.ctx!;
    const program = this.program;
    const call = kernelCall(name, args, program);
    if (!call) return [1, 'RuntimeError', undefined, `wirescope: no system call named ${name}`];
    this.account();
    if (program.statements > program.budget) return [2];
    // What the step ran so far started at the step's start, which is the kernel's time until
    // the nested call below moves it on: record it now. (Recorded after the wait, a coroutine's
    // 25 ms loop before its print() appeared at the print, as a moment with no duration.)
    const ran = this.recorder.finish();
    if (ran.length) ctx.recordLines(ran);
    const cpu = this.charge();
    if (cpu > 0) ctx.callNested({ fn: 'cpu', us: cpu });
    const prevState = this.state;
    const t = timeoutOfCall(call);
    if (t !== undefined) this.state = { kind: 'waiting', fn: call.fn, timeout: t };
    const result = ctx.callNested(call);
    this.state = prevState;
    // The kernel ran meanwhile: this step now starts at the new time.
    this.stepStart = ctx.now();
    this.recorder.begin(Math.max(0, this.pendingNs));
    program.py.setBase(program.proc!, this.stepStart * 1000 + this.pendingNs, program.cpuNs, this.threadCpuNs);
    return encode(result);
  }

  nestedCheck(): boolean {
    this.account();
    return this.program.statements > this.program.budget;
  }
}

function encode(r: Resume): unknown[] {
  if ('error' in r) return [1, r.error.type, r.error.errno, r.error.message];
  return [0, r.value === null ? undefined : r.value];
}
