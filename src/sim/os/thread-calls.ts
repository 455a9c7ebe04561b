/**
 * The system calls behind Python's threading, _thread and multiprocessing: starting and joining
 * threads and processes, locks, message queues, socket pairs, the GIL's switch interval, and
 * trace notes. Pure: acts on the host's structures and its kernel queue.
 *
 * Locks follow CPython's _thread.lock (a POSIX semaphore on Linux): acquire with an optional
 * timeout, release from any thread, "release unlocked lock" as a RuntimeError. A release wakes
 * the waiters, which race to take it again, as on Linux.
 */
import type { AsyncEvent, PyError, TlsEvent } from '../trace.ts';
import { osError, pyException } from './errors.ts';
import type { Host } from './host.ts';
import type { Thread } from './process.ts';
import type { Syscall } from './syscall.ts';
import type { Outcome } from './syscalls.ts';
import { WaitQueue } from './waitqueue.ts';

const ok = (value: unknown = null): Outcome => ({ value });

function timed(host: Host, timeout: number | null, onTimeout: () => { value: unknown } | { error: PyError }) {
  return { deadline: timeout === null ? undefined : host.sim.now + timeout, onTimeout };
}

export function performThreadCall(host: Host, t: Thread, call: Syscall): Outcome {
  const p = t.process;
  switch (call.fn) {
    case 'thread_start': {
      const child = host.spawnThread(p, call.body, call.name, call.daemon);
      return ok(child.tid);
    }

    case 'thread_join': {
      const target = p.threads.find((x) => x.tid === call.tid);
      if (!target) return ok(true);
      if (target === t) return { error: pyException('RuntimeError', 'cannot join current thread') };
      const attempt = (): Outcome | 'again' => (target.state === 'done' ? ok(true) : 'again');
      const first = attempt();
      if (first !== 'again') return first;
      if (call.timeout === 0) return ok(false);
      return { wait: { socks: [target.done], attempt, ...timed(host, call.timeout, () => ({ value: false })) } };
    }

    case 'lock_new':
      return ok(host.locks.create());

    case 'lock_acquire': {
      const lock = host.locks.get(call.id);
      if (!lock) return { error: osError('EINVAL') };
      const attempt = (): Outcome | 'again' => {
        if (lock.locked) return 'again';
        lock.locked = true;
        return ok(true);
      };
      const first = attempt();
      if (first !== 'again') return first;
      if (call.timeout === 0) return ok(false);
      return { wait: { socks: [lock.queue], attempt, ...timed(host, call.timeout, () => ({ value: false })) } };
    }

    case 'lock_release': {
      const lock = host.locks.get(call.id);
      if (!lock) return { error: osError('EINVAL') };
      if (!lock.locked) return { error: pyException('RuntimeError', 'release unlocked lock') };
      lock.locked = false;
      lock.queue.notify();
      return ok();
    }

    case 'process_start': {
      const child = host.spawnChild(p, call.body, call.cmd, call.name, call.method);
      return ok(child.pid);
    }

    case 'process_join': {
      const child = host.processes.get(call.pid);
      if (!child) return ok(null);
      const attempt = (): Outcome | 'again' => (child.exited ? ok(child.status ?? 0) : 'again');
      const first = attempt();
      if (first !== 'again') return first;
      if (call.timeout === 0) return ok(null);
      return { wait: { socks: [child.exit], attempt, ...timed(host, call.timeout, () => ({ value: null })) } };
    }

    case 'process_kill': {
      const child = host.processes.get(call.pid);
      if (!child || child.exited || child.ppid !== p.pid) return ok(false);
      host.exitProcess(child, -call.signal);
      return ok(true);
    }

    case 'mq_new':
      return ok(host.queues.create());

    case 'mq_put': {
      const q = host.queues.get(call.id);
      if (!q) return { error: osError('EBADF') };
      q.items.push(call.data.slice());
      q.queue.notify();
      return ok();
    }

    case 'mq_get': {
      const q = host.queues.get(call.id);
      if (!q) return { error: osError('EBADF') };
      const attempt = (): Outcome | 'again' => (q.items.length ? ok(q.items.shift()!) : 'again');
      const first = attempt();
      if (first !== 'again') return first;
      if (call.timeout === 0) return ok(null);
      return { wait: { socks: [q.queue], attempt, ...timed(host, call.timeout, () => ({ value: null })) } };
    }

    case 'mq_size': {
      const q = host.queues.get(call.id);
      if (!q) return { error: osError('EBADF') };
      return ok(q.items.length);
    }

    case 'socketpair': {
      const [a, b] = host.socketPair(p, t, call.type);
      return ok([a, b]);
    }

    case 'gil_enabled':
      return ok((host.interpreter(p.pid)?.gil.mode ?? 'new') !== 'off');

    case 'switch_interval': {
      const ip = host.interpreter(p.pid);
      if (!ip) return ok(5000);
      if (call.us !== undefined) {
        if (!(call.us > 0)) return { error: pyException('ValueError', 'switch interval must be strictly positive') };
        ip.gil.switchInterval = Math.max(1, Math.round(call.us));
      }
      return ok(ip.gil.switchInterval);
    }

    case 'note': {
      const n = call.note;
      if (n.kind === 'tls') host.sim.record<TlsEvent>({ k: 'tls', host: host.name, pid: p.pid, tid: t.tid, obj: n.obj, attr: n.attr, value: n.value });
      else {
        const ev: Omit<AsyncEvent, 't'> = { k: 'async', host: host.name, pid: p.pid, tid: t.tid, op: n.op, task: n.task };
        if (n.ready !== undefined) ev.ready = n.ready;
        if (n.detail !== undefined) ev.detail = n.detail;
        host.sim.record<AsyncEvent>(ev);
      }
      return ok();
    }

    default:
      throw new Error(`no system call named ${call.fn}`);
  }
}

/** Locks of one host (ids are host-wide; each belongs to the process that made it). */
export class LockTable {
  private readonly locks = new Map<number, { locked: boolean; queue: WaitQueue }>();
  private next = 1;

  create(): number {
    const id = this.next++;
    this.locks.set(id, { locked: false, queue: new WaitQueue() });
    return id;
  }

  get(id: number) {
    return this.locks.get(id);
  }
}

/** Message queues of one host, shared between its processes (multiprocessing.Queue). */
export class QueueTable {
  private readonly queues = new Map<number, { items: Uint8Array[]; queue: WaitQueue }>();
  private next = 1;

  create(): number {
    const id = this.next++;
    this.queues.set(id, { items: [], queue: new WaitQueue() });
    return id;
  }

  get(id: number) {
    return this.queues.get(id);
  }
}
