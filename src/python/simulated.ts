// The Python runtime with the simulated system installed (src/python/py/wirescope/sim/):
// `_socket`, `select`, `errno`, virtual `time`, `os.unlink`, print -> the kernel. One per
// interpreter; programs of any number of runs share it (see docs/python-runtime.md).
import type { PyProxy } from 'pyodide/ffi';
import { loadPython, type LoadOptions, type PythonRuntime } from './pyodide.ts';

/** A simulated process in Python (PyProxy of wirescope.sim.process.Program). */
export type PyProgram = PyProxy;
/** One of its threads (PyProxy of wirescope.sim.process.SimThread). */
export type PyThread = PyProxy;

/** What driver.step returns (see src/python/py/wirescope/sim/driver.py). */
export type DriverStep =
  | ['s', string, unknown[]]
  | ['c']
  | ['x', number, string, string, string, boolean];

/** The JS callbacks a program gives Python for calls made where it cannot suspend. */
export interface ProgramCallbacks {
  /** -> [0, value] | [1, type, errno, message] | [2] (stop: the step budget is spent) */
  block(name: string, args: unknown[]): unknown[];
  /** A check point inside a nested wait; true stops the program (step budget). */
  check(): boolean;
  /** A trace note: ('tls', obj, attr, value) or ('async', op, task, ready?, detail?). */
  note(kind: string, a: unknown, b: unknown, c: unknown, d: unknown): void;
}

export interface NewProgram {
  /** As shown in output and line events, e.g. "server.py". */
  name: string;
  /** Absolute path in the interpreter's file system, e.g. "/sim/server/server.py". */
  path: string;
  /** The program's directory (sys.path[0], its own modules). */
  home: string;
  argv: string[];
  host: string;
  pid: number;
  ppid: number;
  uid: number;
  user: string;
  nsPerRecord: number;
  /** The host's cores (os.cpu_count()). */
  cores: number;
  /** The Python version modelled, e.g. "3.14" (lock fairness). */
  version: string;
  /** multiprocessing's default start method. */
  startMethod: string;
}

type Fn = (...args: unknown[]) => unknown;

export interface SimPython {
  readonly runtime: PythonRuntime;
  /** Where the programs' directories are: ROOT/<host>/. */
  readonly root: string;
  newProgram(p: NewProgram, callbacks: ProgramCallbacks): PyProgram;
  /** The program's main thread, running `source` as its main module. */
  start(program: PyProgram, source: string): PyThread;
  /** A child process's main thread (multiprocessing), from what its parent prepared under `key`. */
  startChild(program: PyProgram, parent: PyProgram, key: number, name: string): PyThread;
  /** The thread a `thread_start` call asked for (under `key`), now kernel thread `tid`. */
  bindThread(program: PyProgram, key: number, tid: number): PyThread;
  step(thread: PyThread, mode: 0 | 1 | 2, a: unknown, b: unknown, c: unknown, baseNs: number, cpuNs: number, threadCpuNs: number): DriverStep;
  takeLines(program: PyProgram): Int32Array;
  setBase(program: PyProgram, baseNs: number, cpuNs: number, threadCpuNs: number): void;
  /** '' when `source` compiles, else the SyntaxError as CPython prints it. */
  checkSyntax(source: string, filename: string): string;
  /** Replace ROOT's contents with `files` (absolute path -> text). */
  prepareFiles(files: Record<string, string>): void;
  beginRun(seed: number): void;
  endRun(): void;
}

export async function loadSimPython(options: Omit<LoadOptions, 'hashSeed'> = {}): Promise<SimPython> {
  const runtime = await loadPython({ ...options, hashSeed: 0 });
  const d = runtime.pyodide.pyimport('wirescope.sim.driver') as PyProxy & Record<string, Fn>;
  d.install!();
  const root = String(d.ROOT);
  const take = d.take_lines!;
  const step = d.step!;
  return {
    runtime,
    root,
    newProgram(p, cb) {
      return d.new_program!(p.name, p.path, p.home, p.argv, p.host, p.pid, p.ppid, p.uid, p.user, p.nsPerRecord, cb, p.cores, p.version, p.startMethod) as PyProgram;
    },
    start(program, source) {
      return d.start!(program, source) as PyThread;
    },
    startChild(program, parent, key, name) {
      return d.start_child!(program, parent, key, name) as PyThread;
    },
    bindThread(program, key, tid) {
      return d.bind_thread!(program, key, tid) as PyThread;
    },
    step(thread, mode, a, b, c, baseNs, cpuNs, threadCpuNs) {
      return step(thread, mode, a, b, c, baseNs, cpuNs, threadCpuNs) as DriverStep;
    },
    takeLines(program) {
      const arr = take(program) as PyProxy & { getBuffer(type: string): { data: Int32Array; release(): void } };
      const buf = arr.getBuffer('i32');
      try {
        return buf.data.slice();
      } finally {
        buf.release();
        arr.destroy();
      }
    },
    setBase(program, baseNs, cpuNs, threadCpuNs) {
      d.set_base!(program, baseNs, cpuNs, threadCpuNs);
    },
    checkSyntax(source, filename) {
      return String(d.check_syntax!(source, filename));
    },
    prepareFiles(files) {
      d.prepare_files!(files);
    },
    beginRun(seed) {
      d.begin_run!(seed);
    },
    endRun() {
      d.end_run!();
    },
  };
}
