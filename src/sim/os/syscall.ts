/**
 * The requests a simulated program makes of its kernel: one per Python `socket`-module call
 * (plus sleep, output and CPU time). Pure types. A program's thread yields these; the host
 * performs them (src/sim/os/syscalls.ts) and resumes the thread with a value or a Python error.
 */
import type { Micros } from '../time.ts';
import type { Family, LineEvent, PyError, SockType } from '../trace.ts';

/** A Python address: an AF_INET (host, port) pair, or an AF_UNIX path. */
export type Addr = readonly [host: string, port: number] | string;

/** Socket timeout as Python keeps it: null blocks, 0 is non-blocking, otherwise µs. */
export type Timeout = Micros | null;

export type Syscall =
  | { fn: 'socket'; family: Family; type: SockType }
  | { fn: 'bind'; fd: number; addr: Addr }
  | { fn: 'listen'; fd: number; backlog: number }
  | { fn: 'accept'; fd: number; timeout: Timeout }
  | { fn: 'connect'; fd: number; addr: Addr; timeout: Timeout }
  | { fn: 'send'; fd: number; data: Uint8Array; timeout: Timeout }
  | { fn: 'sendall'; fd: number; data: Uint8Array; timeout: Timeout }
  | { fn: 'sendto'; fd: number; data: Uint8Array; addr: Addr; timeout: Timeout }
  | { fn: 'recv'; fd: number; n: number; peek?: boolean; timeout: Timeout }
  | { fn: 'recvfrom'; fd: number; n: number; timeout: Timeout }
  | { fn: 'shutdown'; fd: number; how: number }
  | { fn: 'close'; fd: number }
  | { fn: 'getsockname'; fd: number }
  | { fn: 'getpeername'; fd: number }
  | { fn: 'setsockopt'; fd: number; level: number; opt: number; value: number }
  | { fn: 'getsockopt'; fd: number; level: number; opt: number }
  | { fn: 'select'; rlist: number[]; wlist: number[]; timeout: Timeout }
  | { fn: 'gethostbyname'; name: string }
  | { fn: 'gethostname' }
  /** One echo request and its reply, as one line of the `ping` command: resolves to the RTT in µs, or null after `timeout`. */
  | { fn: 'ping'; host: string; seq: number; timeout: Micros }
  /** os.unlink of an AF_UNIX socket path. */
  | { fn: 'unlink'; path: string }
  | { fn: 'sleep'; us: Micros }
  // Threads (threading / _thread), processes (multiprocessing), and what they share.
  /** Start a thread of this process running `body`; returns its id (threading.get_ident()). */
  | { fn: 'thread_start'; body: ThreadBody; name: string; daemon: boolean }
  /** Wait until thread `tid` has finished: true, or false after `timeout`. */
  | { fn: 'thread_join'; tid: number; timeout: Timeout }
  /** A new lock (_thread.allocate_lock); returns its id. */
  | { fn: 'lock_new' }
  /** Acquire lock `id`: true, or false when non-blocking/timed out (`timeout` 0 = non-blocking). */
  | { fn: 'lock_acquire'; id: number; timeout: Timeout }
  /** Release lock `id` (RuntimeError "release unlocked lock" if it is not locked). */
  | { fn: 'lock_release'; id: number }
  /** Start a child process (multiprocessing.Process.start()) running `body` as its main thread; returns its pid. */
  | { fn: 'process_start'; body: ThreadBody; cmd: string; name: string; method: 'fork' | 'forkserver' | 'spawn' }
  /** Wait for child `pid` to exit: its exit status, or null after `timeout`. */
  | { fn: 'process_join'; pid: number; timeout: Timeout }
  /**
   * Send signal `signal` to child `pid` (Process.terminate(): SIGTERM, kill(): SIGKILL): it ends
   * at once with status -signal (Popen.returncode's convention); false if it had already ended.
   */
  | { fn: 'process_kill'; pid: number; signal: number }
  /** A message queue shared by processes (multiprocessing.Queue); returns its id. */
  | { fn: 'mq_new' }
  | { fn: 'mq_put'; id: number; data: Uint8Array }
  /** The next message, or null after `timeout` (0: non-blocking). */
  | { fn: 'mq_get'; id: number; timeout: Timeout }
  /** How many messages queue `id` holds (multiprocessing.Queue.qsize()). */
  | { fn: 'mq_size'; id: number }
  /** socket.socketpair(): two connected AF_UNIX sockets; returns [fd, fd]. */
  | { fn: 'socketpair'; type: SockType }
  /** sys._is_gil_enabled(): false for a free-threaded build. */
  | { fn: 'gil_enabled' }
  /** sys.setswitchinterval (µs) / sys.getswitchinterval (us omitted); returns the interval in µs. */
  | { fn: 'switch_interval'; us?: Micros }
  /** Record what the trace should show: a threading.local attribute set, or an asyncio step. */
  | { fn: 'note'; note: Note }
  | { fn: 'write'; stream: 'stdout' | 'stderr'; text: string }
  | { fn: 'cpu'; us: Micros };

export type SyscallName = Syscall['fn'];

/** What a thread is resumed with: the call's value, or the exception it raises. */
export type Resume = { value: unknown } | { error: PyError };

/** Trace-only notes from the Python runtime (no effect on the simulation). */
export type Note =
  | { kind: 'tls'; obj: string; attr: string; value: string }
  | { kind: 'async'; op: 'pass' | 'run' | 'await' | 'done' | 'create'; task: string; ready?: number; detail?: string };

/** Executed lines a step reports; the host records them as `line` events at the step's start. */
export type StepLines = Omit<LineEvent, 't' | 'k' | 'host' | 'pid' | 'tid'>;

export type ThreadStep =
  /** The thread asks for `call`, after computing for `cpu` µs of virtual time. */
  | { kind: 'syscall'; call: Syscall; cpu?: Micros; lines?: StepLines[] }
  /** The thread ended; `traceback` is printed to stderr when it ended with an uncaught exception. */
  | { kind: 'exit'; status: number; cpu?: Micros; traceback?: string; lines?: StepLines[] }
  /**
   * The thread used up its CPU budget and stopped at a check point (a loop back-edge or a call,
   * where CPython may drop the GIL); it wants to go on running.
   */
  | { kind: 'check'; cpu: Micros; lines?: StepLines[] };

/** What a thread body may ask of its host while it runs. */
export interface ThreadContext {
  readonly host: string;
  readonly pid: number;
  readonly tid: number;
  /** Perform a call synchronously from inside the step (see Host.callNested). */
  callNested(call: Syscall): Resume;
  /**
   * Record lines the step has executed so far, starting now (before a nested call moves the
   * kernel's time on, so that they are not reported at its end).
   */
  recordLines(lines: StepLines[]): void;
  /** Virtual time now, µs. */
  now(): Micros;
  /** CPU time of one Python statement for this thread, µs (fractional). */
  statementCost(): number;
}

/** Anything the kernel can run as a thread: a TypeScript generator, or a Python green thread. */
export interface ThreadBody {
  /** Called once when the thread is created. */
  attach?(ctx: ThreadContext): void;
  /**
   * Run until the next request. The first call gets `undefined`. `budget` (µs of CPU), when
   * given, asks the body to stop at the first check point after using that much and return a
   * `check` step; bodies without check points (TypeScript programs) ignore it.
   */
  resume(input: Resume | undefined, budget?: Micros): ThreadStep;
}

/** Socket option constants (Linux asm-generic/socket.h). */
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_LINGER = 13;
export const SO_REUSEPORT = 15;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
