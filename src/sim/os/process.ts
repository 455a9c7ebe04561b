/**
 * Processes and their threads, as `ps` shows them. Pure bookkeeping: the host schedules them.
 */
import type { Socket } from './socket.ts';
import type { ThreadBody } from './syscall.ts';
import { WaitQueue } from './waitqueue.ts';

export interface User {
  name: string;
  uid: number;
}

export const ROOT: User = { name: 'root', uid: 0 };
export const STUDENT: User = { name: 'student', uid: 1000 };

export class Thread {
  state: 'new' | 'running' | 'blocked' | 'done' = 'new';
  /** A daemon thread dies with its process instead of keeping it alive. */
  daemon = false;
  /** Woken when the thread finishes (join). */
  readonly done = new WaitQueue();
  constructor(
    readonly tid: number,
    readonly process: Process,
    readonly body: ThreadBody,
    /** threading.Thread's name ("MainThread" for the first). */
    readonly name: string = 'MainThread',
  ) {}
}

export class Process {
  readonly fds = new Map<number, Socket>();
  readonly threads: Thread[] = [];
  /** Its `proc start` is recorded (it began to run, or was killed first). */
  started = false;
  exited = false;
  status: number | undefined;
  /** The main thread's exit status, once it has finished. */
  mainStatus: number | undefined;
  /** Woken when the process exits (waitpid, Process.join). */
  readonly exit = new WaitQueue();
  /** Partial output line per stream, flushed at newline or exit. */
  readonly pending = { stdout: '', stderr: '' };

  constructor(
    readonly host: string,
    readonly pid: number,
    readonly ppid: number,
    readonly user: User,
    readonly cmd: string,
    /** Short label for output prefixes, e.g. "server.py". */
    readonly name: string,
  ) {}

  /** The lowest free descriptor, as POSIX requires (0–2 are stdio). */
  allocFd(): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    return fd;
  }
}
