/**
 * A simulated Linux machine: interfaces, the TCP/IP stack, AF_UNIX sockets, processes and their
 * threads, and the system calls that connect them. Pure: everything runs on the kernel's queue.
 *
 * Threads run as coroutines: the host resumes a thread, the thread computes (charging virtual
 * CPU time) and asks for a system call; the host performs it at once or blocks the thread on a
 * socket's wait queue until it can finish, then resumes it. Every call and return is recorded.
 */
import type { Sim } from '../kernel.ts';
import type { Micros } from '../time.ts';
import type { CallEvent, LineEvent, OutputEvent, PortEvent, ProcEvent, PyError, ReturnEvent, Value } from '../trace.ts';
import { requireIPv4, formatIPv4 } from '../net/addr.ts';
import { Nic } from '../net/nic.ts';
import { NeighbourTable } from '../net/neighbour.ts';
import { Ipv4Layer } from '../net/ipv4-layer.ts';
import { UdpLayer } from '../net/udp-layer.ts';
import { TcpLayer } from '../net/tcp/tcp-layer.ts';
import { PROTO_TCP, PROTO_UDP } from '../net/wire/ipv4.ts';
import { DEFAULT_COST, type CostModel } from './cost.ts';
import { PortTable } from './ports.ts';
import { Process, Thread, type User } from './process.ts';
import { Socket, type Waiter } from './socket.ts';
import { SysError, formatPyError } from './errors.ts';
import type { Resume, StepLines, Syscall, ThreadBody, ThreadStep } from './syscall.ts';
import { performSyscall, closeSocket, type Outcome } from './syscalls.ts';
import { UnixNamespace } from '../net/unix.ts';
import { LockTable, QueueTable } from './thread-calls.ts';
import { Interpreter, ThreadScheduler } from '../threads/scheduler.ts';
import { DEFAULT_CPU, DEFAULT_GIL, type CpuConfig, type GilConfig, type ThreadCosts } from '../threads/config.ts';

export interface InterfaceConfig {
  name: string;
  mac: string;
  ip: string;
  netmask: string;
  mtu: number;
}

export interface HostConfig {
  name: string;
  interfaces: InterfaceConfig[];
  /** net.ipv4.ip_local_port_range */
  portRange?: [number, number];
  cost?: CostModel;
  /** First PID handed out to programs. */
  firstPid?: number;
  /** Cores and OS time slice (default 2 cores, 4 ms). */
  cpu?: CpuConfig;
  threadCosts?: Partial<ThreadCosts>;
}

export interface SpawnOptions {
  user: User;
  /** Command line as `ps` shows it. */
  cmd: string;
  /** Short name for output prefixes. */
  name: string;
  /** When it starts (absolute virtual time). */
  at?: Micros;
  ppid?: number;
  /**
   * A Python interpreter: its threads run under the thread scheduler, on the host's cores and
   * under this GIL (default: CPython 3's new GIL).
   */
  python?: { gil?: Partial<GilConfig> };
}

export class Host {
  readonly name: string;
  readonly nics: Nic[] = [];
  readonly cost: CostModel;
  readonly neighbours: NeighbourTable;
  readonly ip: Ipv4Layer;
  readonly udp: UdpLayer;
  readonly tcp: TcpLayer;
  readonly unix: UnixNamespace;
  readonly ports: PortTable;
  readonly processes = new Map<number, Process>();
  /** Locks (threading) and message queues (multiprocessing) of this host's processes. */
  readonly locks = new LockTable();
  readonly queues = new QueueTable();
  /** The OS scheduler and the GILs of the Python processes on this host. */
  readonly sched: ThreadScheduler;
  private readonly interpreters = new Map<number, Interpreter>();
  /** Name → address (the network's /etc/hosts); set by the network. */
  resolver: (name: string) => string | undefined = () => undefined;
  private nextSid = 1;
  private nextPid: number;

  constructor(
    readonly sim: Sim,
    config: HostConfig,
  ) {
    this.name = config.name;
    this.cost = config.cost ?? DEFAULT_COST;
    this.nextPid = config.firstPid ?? 1000 + sim.rng.derive(`pid:${config.name}`).int(3000);
    for (const i of config.interfaces) {
      this.nics.push(new Nic(this, config.name, i.name, i.mac, i.ip, i.netmask, requireIPv4(i.ip), requireIPv4(i.netmask), i.mtu));
    }
    const rng = sim.rng.derive(`host:${config.name}`);
    this.neighbours = new NeighbourTable(sim, this.name, this.cost.layer);
    this.ip = new Ipv4Layer(sim, this.name, this.nics, this.neighbours, this.cost.layer, rng.derive('ip'));
    this.ports = new PortTable(rng.derive('ports'), config.portRange);
    this.udp = new UdpLayer(sim, this.name, this.ip, this.cost);
    this.tcp = new TcpLayer(sim, this.name, this.ip, this.cost, rng.derive('tcp'), {
      childSocket: (l) => this.newSocket(l.family, l.type, l.pid, -1, l.uid, l.reuseAddr),
      releasePort: (s) => this.releasePort(s),
      holdPort: (s) => this.holdPort(s, false),
    });
    this.ip.transports.set(PROTO_TCP, this.tcp);
    this.ip.transports.set(PROTO_UDP, this.udp);
    this.unix = new UnixNamespace(sim, this.name, this.cost);
    this.sched = new ThreadScheduler(
      {
        sim,
        name: this.name,
        performCall: (t, call) => this.syscall(t, call),
        endThread: (t, status, tb) => this.exitThread(t, status, tb),
        recordLines: (t, step) => this.recordLines(t, step.lines),
      },
      config.cpu ?? DEFAULT_CPU,
      config.threadCosts,
    );
  }

  /** Frames from a NIC enter the stack here. */
  linkInput(nic: Nic, frame: Uint8Array, pkt: number): void {
    this.ip.linkInput(nic, frame, pkt);
  }

  newSocket(family: Socket['family'], type: Socket['type'], pid: number, fd: number, uid: number, reuseAddr = false): Socket {
    const s = new Socket(this.sim, this.name, this.nextSid++, family, type, pid, fd, uid);
    s.reuseAddr = reuseAddr;
    return s;
  }

  /** Start holding `s`'s port (after bind, auto-bind, or as a listener's child). */
  holdPort(s: Socket, ephemeral: boolean): void {
    if (s.hasPort) return;
    s.hasPort = true;
    s.ephemeral = ephemeral;
    this.ports.add(s.proto, s.localPort, s);
    this.sim.record<PortEvent>({ k: 'port', host: this.name, op: 'alloc', proto: s.proto, ip: formatIPv4(s.localIp), port: s.localPort, sid: s.sid, ephemeral });
  }

  releasePort(s: Socket): void {
    if (!s.hasPort) return;
    s.hasPort = false;
    this.ports.remove(s.proto, s.localPort, s);
    if (s.proto === 'udp') this.udp.unbind(s);
    this.sim.record<PortEvent>({ k: 'port', host: this.name, op: 'free', proto: s.proto, ip: formatIPv4(s.localIp), port: s.localPort, sid: s.sid, ephemeral: s.ephemeral });
  }

  // ------------------------------------------------------------------ processes and threads

  /** Start a program as a new process with one thread running `body`. */
  spawn(body: ThreadBody, opts: SpawnOptions): Process {
    const pid = this.nextPid++;
    const p = new Process(this.name, pid, opts.ppid ?? 1, opts.user, opts.cmd, opts.name);
    this.processes.set(pid, p);
    const t = new Thread(pid, p, body, 'MainThread');
    p.threads.push(t);
    if (opts.python) {
      const interp = new Interpreter(pid, { ...DEFAULT_GIL, ...opts.python.gil });
      this.interpreters.set(pid, interp);
      this.sched.register(t, interp, 'MainThread');
    }
    body.attach?.(this.threadContext(t));
    this.sim.at(opts.at ?? this.sim.now, () => {
      // Killed before it could start (Process.terminate() during a slow start method).
      if (p.exited) return;
      this.recordStart(p);
      if (this.sched.isScheduled(t)) this.sched.start(t);
      else this.run(t, undefined);
    });
    return p;
  }

  /** A new thread in process `p` (threading.Thread.start()), running `body`; it starts after the thread-start cost. */
  spawnThread(p: Process, body: ThreadBody, name: string, daemon: boolean): Thread {
    const t = new Thread(this.nextTid++, p, body, name);
    t.daemon = daemon;
    p.threads.push(t);
    const interp = this.interpreters.get(p.pid);
    if (interp) this.sched.register(t, interp, name);
    body.attach?.(this.threadContext(t));
    if (interp) this.sched.start(t, this.sched.costs.threadStart);
    else this.sim.after(this.sched.costs.threadStart, () => this.run(t, undefined));
    return t;
  }

  /**
   * A child process of `parent` (multiprocessing.Process.start()): a new interpreter with its own
   * GIL and memory, running `body` as its main thread once the start method's cost has passed.
   */
  spawnChild(parent: Process, body: ThreadBody, cmd: string, name: string, method: 'fork' | 'forkserver' | 'spawn'): Process {
    const ip = this.interpreters.get(parent.pid);
    // fork copies the interpreter's state (sys.setswitchinterval included); spawn and forkserver start a fresh one.
    const gil = ip ? { ...ip.gil, ...(method === 'fork' ? {} : { switchInterval: DEFAULT_GIL.switchInterval }) } : undefined;
    return this.spawn(body, {
      user: parent.user,
      cmd,
      name,
      ppid: parent.pid,
      at: this.sim.now + this.sched.costs.processStart[method],
      ...(gil ? { python: { gil } } : {}),
    });
  }

  /** socket.socketpair(): two connected AF_UNIX sockets in process `p`. */
  socketPair(p: Process, _t: Thread, type: Socket['type']): [number, number] {
    const fa = p.allocFd();
    const a = this.newSocket('AF_UNIX', type, p.pid, fa, p.user.uid);
    p.fds.set(fa, a);
    const fb = p.allocFd();
    const b = this.newSocket('AF_UNIX', type, p.pid, fb, p.user.uid);
    p.fds.set(fb, b);
    a.peer = b;
    b.peer = a;
    a.machine.send({ type: 'connected' });
    b.machine.send({ type: 'connected' });
    return [fa, fb];
  }

  /** The interpreter (GIL) of a Python process. */
  interpreter(pid: number): Interpreter | undefined {
    return this.interpreters.get(pid);
  }

  private nextTid = 100_000;

  private threadContext(t: Thread) {
    return {
      host: this.name,
      pid: t.process.pid,
      tid: t.tid,
      callNested: (call: Syscall) => this.callNested(t, call),
      recordLines: (lines: StepLines[]) => this.recordLines(t, lines),
      now: () => this.sim.now,
      statementCost: () => (this.sched.isScheduled(t) ? this.sched.statementCost(t) : this.sched.costs.statementNs / 1000),
    };
  }

  /**
   * Record a step's lines. A run that continues the thread's previous run with nothing recorded
   * in between (a hot loop cut into chunks by the scheduler) extends it instead of adding an event.
   */
  private recordLines(t: Thread, lines: readonly StepLines[] | undefined): void {
    if (!lines) return;
    const events = this.sim.events;
    for (const l of lines) {
      const last = events[events.length - 1];
      if (l.run && last && last.k === 'line' && last.run && last.tid === t.tid && last.host === this.name && last.file === l.file && last.t + last.run.dur === this.sim.now) {
        const r = last.run;
        const set = new Set([...r.set, ...l.run.set]);
        // The top line of the larger part (the chunks of one loop share it).
        const top = l.run.count > r.count ? l.run.top : r.top;
        last.run = { count: r.count + l.run.count, dur: r.dur + l.run.dur, set: [...set].sort((a, b) => a - b), last: l.run.last, ...(top !== undefined ? { top } : {}) };
        continue;
      }
      this.sim.record<LineEvent>({ k: 'line', host: this.name, pid: t.process.pid, tid: t.tid, ...l });
    }
  }

  private run(t: Thread, input: Resume | undefined): void {
    if (t.state === 'done') return;
    if (this.sched.isScheduled(t)) {
      // A Python thread: it needs the GIL and a core before it runs on.
      if (input) this.sched.resumed(t, input);
      return;
    }
    t.state = 'running';
    let step: ThreadStep;
    try {
      step = t.body.resume(input);
    } catch (e) {
      // A bug in a TypeScript program (not a Python exception): report it like a crash.
      const msg = e instanceof SysError ? formatPyError(e.py) : `RuntimeError: ${(e as Error).message}`;
      step = { kind: 'exit', status: 1, traceback: `Traceback (most recent call last):\n${msg}\n` };
    }
    const cpu = Math.max(0, Math.round(step.cpu ?? 0));
    this.recordLines(t, step.lines);
    if (step.kind === 'exit') {
      if (cpu === 0) this.exitThread(t, step.status, step.traceback);
      else this.sim.after(cpu, () => this.exitThread(t, step.status, step.traceback));
      return;
    }
    if (step.kind === 'check') {
      this.sim.after(cpu, () => this.run(t, undefined));
      return;
    }
    const call = step.call;
    // No computing time: the call starts at once, in this same event.
    if (cpu === 0) this.syscall(t, call);
    else this.sim.after(cpu, () => this.syscall(t, call));
  }

  private exitThread(t: Thread, status: number, traceback?: string): void {
    t.state = 'done';
    t.done.notify();
    const p = t.process;
    if (traceback) this.output(p, 'stderr', traceback);
    if (t === p.threads[0]) p.mainStatus = status;
    // As at CPython's shutdown (threading._shutdown): the process ends once the main thread and
    // every non-daemon thread have finished; daemon threads die with it. Its exit status is the
    // main thread's.
    if (p.mainStatus !== undefined && p.threads.every((x) => x.state === 'done' || x.daemon)) {
      for (const x of p.threads) if (x.state !== 'done') this.killThread(x);
      this.exitProcess(p, p.mainStatus);
    }
  }

  private killThread(t: Thread): void {
    t.state = 'done';
    this.sched.kill(t);
    t.done.notify();
  }

  private recordStart(p: Process): void {
    p.started = true;
    this.sim.record<ProcEvent>({ k: 'proc', op: 'start', host: this.name, pid: p.pid, ppid: p.ppid, user: p.user.name, cmd: p.cmd });
  }

  /** The process ends: flush its output and close its descriptors as the kernel does at exit. */
  exitProcess(p: Process, status: number): void {
    if (p.exited) return;
    // Killed while its start method was still starting it: it existed (fork() had returned), so
    // the trace shows it start and end at this moment.
    if (!p.started) this.recordStart(p);
    p.exited = true;
    p.status = status;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (p.pending[stream]) {
        this.recordOutput(p, stream, p.pending[stream]);
        p.pending[stream] = '';
      }
    }
    for (const [fd, s] of [...p.fds]) {
      p.fds.delete(fd);
      closeSocket(this, s);
    }
    for (const t of p.threads) if (t.state !== 'done') this.killThread(t);
    this.sim.record<ProcEvent>({ k: 'proc', op: 'exit', host: this.name, pid: p.pid, ppid: p.ppid, user: p.user.name, cmd: p.cmd, status });
    p.exit.notify();
  }

  /** Append program output; complete lines are recorded as they are written. */
  output(p: Process, stream: 'stdout' | 'stderr', text: string): void {
    let buf = p.pending[stream] + text;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      this.recordOutput(p, stream, buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
    p.pending[stream] = buf;
  }

  private recordOutput(p: Process, stream: 'stdout' | 'stderr', text: string): void {
    this.sim.record<OutputEvent>({ k: 'out', host: this.name, pid: p.pid, stream, text });
  }

  // ------------------------------------------------------------------ system calls

  /**
   * Perform `call` for thread `t` synchronously, from inside the thread's own step: used when a
   * blocking call is made where the thread cannot suspend (Python code called from C). A call
   * that must wait runs the kernel nested until it completes. Nested waits finish last-in,
   * first-out; the thread must not be resumed by the kernel meanwhile (it is not scheduled).
   */
  callNested(t: Thread, call: Syscall): Resume {
    const p = t.process;
    const traced = call.fn !== 'write' && call.fn !== 'cpu' && call.fn !== 'note';
    const id = traced ? this.sim.newCallId() : 0;
    if (traced) this.sim.log<CallEvent>(callEvent(this.sim.now, id, this.name, p.pid, t.tid, call));
    let out: Outcome;
    try {
      out = performSyscall(this, t, call);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      out = { error: e.py };
    }
    let result: { value: unknown } | { error: PyError } | undefined;
    if ('wait' in out) {
      const w = out.wait;
      let timer: ReturnType<Sim['at']> | undefined;
      const waiter: Waiter = {
        poke: () => {
          if (result) return;
          let r: Outcome | 'again';
          try {
            r = w.attempt();
          } catch (e) {
            if (!(e instanceof SysError)) throw e;
            r = { error: e.py };
          }
          if (r !== 'again' && !('wait' in r)) result = r;
        },
      };
      for (const s of w.socks) s.addWaiter(waiter);
      if (w.deadline !== undefined) {
        timer = this.sim.at(Math.max(this.sim.now, w.deadline), () => {
          if (!result) result = w.onTimeout();
        });
      }
      // Waiting (not computing): the thread lets go of the GIL and its core meanwhile.
      const scheduled = this.sched.isScheduled(t) && call.fn !== 'cpu';
      if (scheduled) this.sched.nestedWait(t);
      const finished = this.sim.runUntil(() => result !== undefined);
      for (const s of w.socks) s.removeWaiter(waiter);
      this.sim.cancel(timer);
      // Nothing else can happen: the call would block forever (a deadlock in the programs).
      if (!finished) result = { error: { type: 'RuntimeError', message: `${call.fn}() would block forever: nothing else can happen in the simulation` } };
      if (scheduled) {
        this.sched.nestedResume(t);
        if (!this.sim.runUntil(() => this.sched.nestedReady(t))) throw new Error('a thread back from a nested wait never got the GIL again');
      }
    } else result = out;
    if (id) this.sim.log<ReturnEvent>(returnEvent(this.sim.now, id, this.name, p.pid, t.tid, call, result!));
    return result!;
  }

  private syscall(t: Thread, call: Syscall): void {
    const p = t.process;
    const traced = call.fn !== 'write' && call.fn !== 'cpu' && call.fn !== 'note';
    const id = traced ? this.sim.newCallId() : 0;
    if (traced) this.sim.log<CallEvent>(callEvent(this.sim.now, id, this.name, p.pid, t.tid, call));
    if (call.fn === 'cpu' && this.sched.isScheduled(t)) {
      // Native code on a core, without the GIL.
      this.sched.native(t, Math.max(0, Math.round(call.us)), () => this.finish(t, call, id, { value: null }, 0));
      return;
    }
    let out: Outcome;
    try {
      out = performSyscall(this, t, call);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      out = { error: e.py };
    }
    if ('wait' in out) {
      this.block(t, call, id, out.wait);
      if (this.sched.isScheduled(t)) this.sched.blocked(t);
      return;
    }
    this.finish(t, call, id, out, this.cost.syscall);
  }

  private finish(t: Thread, call: Syscall, id: number, out: { value: unknown } | { error: PyError }, delay: Micros): void {
    this.sim.after(delay, () => {
      if (id) this.sim.log<ReturnEvent>(returnEvent(this.sim.now, id, this.name, t.process.pid, t.tid, call, out));
      if (t.process.exited) return;
      this.run(t, out);
    });
  }

  private block(t: Thread, call: Syscall, id: number, w: NonNullable<Extract<Outcome, { wait: unknown }>['wait']>): void {
    t.state = 'blocked';
    const sim = this.sim;
    let done = false;
    let scheduled = false;
    let timer: ReturnType<Sim['at']> | undefined;
    const complete = (out: { value: unknown } | { error: PyError }): void => {
      done = true;
      for (const s of w.socks) s.removeWaiter(waiter);
      sim.cancel(timer);
      this.finish(t, call, id, out, this.cost.wakeup);
    };
    const waiter: Waiter = {
      poke: () => {
        if (done || scheduled) return;
        scheduled = true;
        sim.after(0, () => {
          scheduled = false;
          if (done || t.process.exited) return;
          let r: Outcome | 'again';
          try {
            r = w.attempt();
          } catch (e) {
            if (!(e instanceof SysError)) throw e;
            r = { error: e.py };
          }
          if (r !== 'again') {
            if ('wait' in r) throw new Error('a retried system call cannot block again');
            complete(r);
          }
        });
      },
    };
    for (const s of w.socks) s.addWaiter(waiter);
    if (w.deadline !== undefined) {
      timer = sim.at(Math.max(sim.now, w.deadline), () => {
        if (!done) complete(w.onTimeout());
      });
    }
  }
}

/**
 * The `call` event of a system call, built whole (t first, fd after the arguments as the JSON
 * form has it): V8 then allocates it once with its final shape (see Sim.record).
 */
function callEvent(t: Micros, id: number, host: string, pid: number, tid: number, call: Syscall): CallEvent {
  const fn = call.fn;
  const args = callArgs(call);
  return 'fd' in call ? { t, k: 'call', id, host, pid, tid, fn, args, fd: call.fd } : { t, k: 'call', id, host, pid, tid, fn, args };
}

/** The `ret` event of a system call, built whole like callEvent's. */
function returnEvent(t: Micros, id: number, host: string, pid: number, tid: number, call: Syscall, out: Resume): ReturnEvent {
  const fn = call.fn;
  if ('error' in out) {
    const error = out.error;
    return 'fd' in call ? { t, k: 'ret', id, host, pid, tid, fn, fd: call.fd, error } : { t, k: 'ret', id, host, pid, tid, fn, error };
  }
  const value = toValue(out.value);
  return 'fd' in call ? { t, k: 'ret', id, host, pid, tid, fn, fd: call.fd, value } : { t, k: 'ret', id, host, pid, tid, fn, value };
}

/** Arguments worth showing in the trace for a call (data as bytes, addresses as tuples). */
function callArgs(c: Syscall): Value[] {
  switch (c.fn) {
    case 'socket':
      return [c.family, c.type];
    case 'bind':
    case 'connect':
      return [toValue(c.addr)];
    case 'listen':
      return [c.backlog];
    case 'send':
    case 'sendall':
      return [c.data];
    case 'sendto':
      return [c.data, toValue(c.addr)];
    case 'recv':
    case 'recvfrom':
      return [c.n];
    case 'shutdown':
      return [c.how];
    case 'setsockopt':
      return [c.level, c.opt, c.value];
    case 'getsockopt':
      return [c.level, c.opt];
    case 'select':
      return [c.rlist, c.wlist, c.timeout];
    case 'gethostbyname':
      return [c.name];
    case 'sleep':
      return [c.us / 1e6];
    case 'unlink':
      return [c.path];
    case 'ping':
      return [c.host, c.seq];
    default:
      return [];
  }
}

export function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    const o: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toValue(x);
    return o;
  }
  return String(v);
}
