// A Python program as a kernel thread (ThreadBody): runs the program's main module on the
// simulated Python system and turns what its green thread asks for into kernel system calls
// (src/sim/os/syscall.ts), and the kernel's answers back into Python values or exceptions.
//
// Virtual time: every record of the line buffer (an executed statement or function entry, in
// any transformed file) costs `nsPerStatement` ns (default 12). Sub-µs remainders are carried,
// so time stays an integer number of µs and nothing is lost. The CPU time since the last call
// is charged with the next system call (`cpu` of the step); a program computing without calls
// hands the CPU back (a `check` step) every `yieldMicros` of virtual time so its line events
// are timed correctly and the rest of the simulation keeps pace.
import type { Micros } from '../sim/time.ts';
import type { Resume, Syscall, ThreadBody, ThreadContext, ThreadStep, Timeout } from '../sim/os/syscall.ts';
import type { Family, SockType } from '../sim/trace.ts';
import { LineRecorder } from './lines.ts';
import type { PyProgram, SimPython } from './simulated.ts';

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
}

/** What a program is doing, for the runner's report. */
export type ProgramState =
  | { kind: 'new' }
  | { kind: 'running' }
  /** Waiting in a kernel call; `timeout` null means it can only be woken by an event. */
  | { kind: 'waiting'; fn: string; timeout: Timeout }
  | { kind: 'exited'; status: number; budget: boolean };

/** The running program's body, if any (to tell nested calls of its own from a finaliser's). */
let running: PythonProgram | undefined;
function setRunning(p: PythonProgram | undefined): void {
  running = p;
}

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

/** The kernel call for a Python-side call `name(*args)` (see wirescope/sim/sock.py). */
export function kernelCall(name: string, a: unknown[]): Syscall | undefined {
  const fd = Number(a[0]);
  switch (name) {
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

export class PythonProgram implements ThreadBody {
  state: ProgramState = { kind: 'new' };
  /** Statements (records) executed so far. */
  statements = 0;
  private ctx: ThreadContext | undefined;
  private proc: PyProgram | undefined;
  private recorder: LineRecorder;
  /** Cost of one statement, ns: the scenario's, else the thread model's (src/sim/threads/config.ts). */
  private ns: number;
  private readonly budget: number;
  private readonly yieldNs: number;
  /** Virtual time computed but not yet charged to the kernel, ns. */
  private pendingNs = 0;
  private cpuNs = 0;
  /** µs at which the current step started (the kernel's clock when it resumed us). */
  private stepStart = 0;
  /** Steps still to take before exiting: writes of buffered output, then the exit. */
  private exitQueue: ThreadStep[] = [];
  private readonly fileNames = new Map<number, string | null>();

  constructor(
    private readonly py: SimPython,
    private readonly opts: PythonProgramOptions,
  ) {
    this.ns = opts.nsPerStatement ?? NS_PER_STATEMENT;
    this.budget = opts.stepBudget ?? DEFAULT_STEP_BUDGET;
    this.yieldNs = (opts.yieldMicros ?? 1000) * 1000;
    this.recorder = new LineRecorder(this.ns, (id) => this.ownFile(id));
  }

  attach(ctx: ThreadContext): void {
    this.ctx = ctx;
    if (this.opts.nsPerStatement === undefined) {
      this.ns = ctx.statementCost() * 1000;
      this.recorder = new LineRecorder(this.ns, (id) => this.ownFile(id));
    }
  }

  /** The process id, once the kernel has created the process. */
  get pid(): number | undefined {
    return this.ctx?.pid;
  }

  private ownFile(id: number): string | undefined {
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

  /**
   * Run until the next system call or exit. With a `budget` (µs of CPU, from the thread
   * scheduler), stop at the first check point after using it and return a `check` step.
   */
  resume(input: Resume | undefined, budget?: Micros): ThreadStep {
    const ctx = this.ctx;
    if (!ctx) throw new Error('PythonProgram.resume before attach');
    if (this.exitQueue.length) return this.exitQueue.shift()!;
    const previous = running;
    setRunning(this);
    this.budgetNs = budget === undefined ? undefined : budget * 1000;
    try {
      return this.run(ctx, input);
    } finally {
      setRunning(previous);
    }
  }

  /** This step's CPU budget, ns (undefined: run until a call, yielding every `yieldMicros`). */
  private budgetNs: number | undefined;

  /** Statements the runtime may execute before its next check point yields. */
  private lineLimit(): number {
    if (this.budgetNs === undefined) return CHECK_EVERY;
    return Math.max(1, Math.min(CHECK_EVERY, Math.ceil((this.budgetNs - this.stepNs) / this.ns)));
  }

  /** CPU time used in this step so far, ns. */
  private stepNs = 0;

  private run(ctx: ThreadContext, input: Resume | undefined): ThreadStep {
    this.stepNs = 0;
    this.stepStart = ctx.now();
    this.recorder.begin(Math.max(0, this.pendingNs));
    let mode: 0 | 1 | 2 = 0;
    let a: unknown;
    let b: unknown;
    let c: unknown;
    if (!this.proc) {
      this.proc = this.py.newProgram(
        {
          name: this.opts.name,
          path: this.opts.path,
          home: this.opts.home,
          argv: [this.opts.name, ...(this.opts.args ?? [])],
          host: ctx.host,
          pid: ctx.pid,
          ppid: 1,
          uid: this.opts.user === 'root' ? 0 : 1000,
          user: this.opts.user,
          nsPerRecord: this.ns,
        },
        { block: (name, args) => this.block(name, args), check: () => this.nestedCheck() },
      );
      this.py.start(this.proc, this.opts.source);
    } else if (input && 'error' in input) {
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
      this.py.runtime.setLineLimit(this.lineLimit());
      const r = this.py.step(this.proc, mode, a, b, c, this.stepStart * 1000 + this.pendingNs, this.cpuNs);
      mode = 0;
      a = b = c = undefined;
      this.account();
      if (this.statements > this.budget) return this.kill();
      switch (r[0]) {
        case 's': {
          const call = kernelCall(r[1], r[2]);
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
          if (this.budgetNs !== undefined ? this.stepNs >= this.budgetNs : this.pendingNs >= this.yieldNs) return { kind: 'check', cpu: this.charge(), lines: this.recorder.finish() };
          continue;
        case 'x': {
          const [, status, out, err, text, killed] = r;
          if (killed) return this.kill();
          this.state = { kind: 'exited', status, budget: false };
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

  /** Take the line buffer and charge its records to this program. */
  private account(): void {
    const records = this.py.takeLines(this.proc!);
    const n = this.recorder.add(records);
    this.statements += n;
    this.pendingNs += n * this.ns;
    this.cpuNs += n * this.ns;
    this.stepNs += n * this.ns;
  }

  /** Whole µs of pending CPU time, to charge now (the remainder is carried). */
  private charge(): Micros {
    if (this.pendingNs <= 0) return 0;
    const us = Math.floor(this.pendingNs / 1000);
    this.pendingNs -= us * 1000;
    return us;
  }

  private kill(): ThreadStep {
    this.state = { kind: 'exited', status: 1, budget: true };
    const n = this.budget.toLocaleString('en-US');
    return {
      kind: 'exit',
      status: 1,
      cpu: this.charge(),
      lines: this.recorder.finish(),
      traceback: `wirescope: ${this.opts.name} stopped after ${n} statements (the step budget); does it loop forever?\n`,
    };
  }

  /** A call made where the program cannot suspend: performed synchronously by the kernel. */
  private block(name: string, args: unknown[]): unknown[] {
    const ctx = this.ctx!;
    const call = kernelCall(name, args);
    if (!call) return [1, 'RuntimeError', undefined, `wirescope: no system call named ${name}`];
    if (running !== this) {
      // Not from our own step (e.g. a finaliser closing a socket of ours): just do it.
      return encode(ctx.callNested(call));
    }
    this.account();
    if (this.statements > this.budget) return [2];
    const cpu = this.charge();
    if (cpu > 0) ctx.callNested({ fn: 'cpu', us: cpu });
    const prevState = this.state;
    const t = timeoutOfCall(call);
    if (t !== undefined) this.state = { kind: 'waiting', fn: call.fn, timeout: t };
    const result = ctx.callNested(call);
    this.state = prevState;
    // The kernel ran meanwhile: this step now starts at the new time.
    this.stepStart = ctx.now();
    this.recorder.rebase(Math.max(0, this.pendingNs));
    this.py.setBase(this.proc!, this.stepStart * 1000 + this.pendingNs, this.cpuNs);
    return encode(result);
  }

  private nestedCheck(): boolean {
    if (running !== this) return false;
    this.account();
    return this.statements > this.budget;
  }
}

function encode(r: Resume): unknown[] {
  if ('error' in r) return [1, r.error.type, r.error.errno, r.error.message];
  return [0, r.value === null ? undefined : r.value];
}

/** A factory of thread bodies for ProgramSpec (kind 'body'). */
export function pythonProgram(py: SimPython, opts: PythonProgramOptions): { body: () => PythonProgram; latest: () => PythonProgram | undefined } {
  let last: PythonProgram | undefined;
  return {
    body: () => (last = new PythonProgram(py, opts)),
    latest: () => last,
  };
}
