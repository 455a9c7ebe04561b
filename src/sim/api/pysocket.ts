/**
 * Python's socket module for TypeScript programs, call for call. Pure: each method is a
 * generator that yields a system call to the simulated kernel and returns its result, so a
 * program reads like the Python it mirrors:
 *
 *   function* client(py: Py) {
 *     const s = yield* py.socket(AF_INET, SOCK_STREAM);
 *     yield* s.connect(['10.0.0.2', 8080]);
 *     yield* s.sendall(b('hello'));
 *     yield* py.print(yield* s.recv(1024));
 *   }
 *
 * Errors arrive as PyException with CPython's class, errno and message.
 */
import type { Family, PyError, SockType } from '../trace.ts';
import { formatPyError } from '../os/errors.ts';
import type { Addr, Resume, Syscall, ThreadBody, ThreadStep, Timeout } from '../os/syscall.ts';

export const AF_INET = 'AF_INET' as const;
export const AF_UNIX = 'AF_UNIX' as const;
export const SOCK_STREAM = 'SOCK_STREAM' as const;
export const SOCK_DGRAM = 'SOCK_DGRAM' as const;
export { SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT, SO_BROADCAST, SO_RCVBUF, SO_SNDBUF, SO_ERROR, SO_TYPE, IPPROTO_TCP, TCP_NODELAY, SHUT_RD, SHUT_WR, SHUT_RDWR } from '../os/syscall.ts';

/** A Python exception raised into a TypeScript program. */
export class PyException extends Error {
  constructor(readonly py: PyError) {
    super(formatPyError(py));
    this.name = py.type;
  }
  get errno(): number | undefined {
    return this.py.errno;
  }
  /** `str(exc)`: "[Errno 111] Connection refused". */
  get str(): string {
    return this.py.message;
  }
}

export type Gen<T> = Generator<Syscall, T, unknown>;

/** bytes from text (UTF-8), like b"hello". */
export function b(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Python's repr of bytes, as print() shows them: b'hello'. */
export function bytesRepr(data: Uint8Array): string {
  let s = '';
  let hasSingle = false;
  let hasDouble = false;
  for (const c of data) {
    if (c === 39) hasSingle = true;
    if (c === 34) hasDouble = true;
  }
  const q = hasSingle && !hasDouble ? '"' : "'";
  for (const c of data) {
    if (c === 92) s += '\\\\';
    else if (c === 9) s += '\\t';
    else if (c === 10) s += '\\n';
    else if (c === 13) s += '\\r';
    else if (c === 39 && q === "'") s += "\\'";
    else if (c >= 32 && c < 127) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return `b${q}${s}${q}`;
}

/** How print() shows a value. */
export function pyStr(v: unknown): string {
  if (v instanceof Uint8Array) return bytesRepr(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map(pyRepr).join(', ')}${v.length === 1 ? ',' : ''})`;
  return String(v);
}

function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  return pyStr(v);
}

// Each method below yields its system call itself and casts what the kernel resumes it with: a
// shared `yield* sys(call)` helper would cost one more generator per call.

export class PySocket {
  /** None = blocking, 0 = non-blocking, else µs. */
  private timeoutUs: Timeout = null;
  private closed = false;

  constructor(
    readonly fd: number,
    readonly family: Family,
    readonly type: SockType,
  ) {}

  fileno(): number {
    return this.closed ? -1 : this.fd;
  }

  /** socket.settimeout(seconds | null). */
  settimeout(seconds: number | null): void {
    if (seconds !== null && seconds < 0) throw new PyException({ type: 'ValueError', message: 'Timeout value out of range' });
    this.timeoutUs = seconds === null ? null : Math.round(seconds * 1e6);
  }

  gettimeout(): number | null {
    return this.timeoutUs === null ? null : this.timeoutUs / 1e6;
  }

  setblocking(flag: boolean): void {
    this.timeoutUs = flag ? null : 0;
  }

  *bind(addr: Addr): Gen<void> {
    yield { fn: 'bind', fd: this.fd, addr };
  }

  *listen(backlog = 128): Gen<void> {
    yield { fn: 'listen', fd: this.fd, backlog };
  }

  *accept(): Gen<[PySocket, Addr]> {
    const [fd, addr] = (yield { fn: 'accept', fd: this.fd, timeout: this.timeoutUs }) as [number, Addr];
    const s = new PySocket(fd, this.family, this.type);
    // Like CPython: the new socket is blocking unless a default timeout is set.
    return [s, addr];
  }

  *connect(addr: Addr): Gen<void> {
    yield { fn: 'connect', fd: this.fd, addr, timeout: this.timeoutUs };
  }

  *send(data: Uint8Array): Gen<number> {
    return (yield { fn: 'send', fd: this.fd, data, timeout: this.timeoutUs }) as number;
  }

  *sendall(data: Uint8Array): Gen<void> {
    yield { fn: 'sendall', fd: this.fd, data, timeout: this.timeoutUs };
  }

  *sendto(data: Uint8Array, addr: Addr): Gen<number> {
    return (yield { fn: 'sendto', fd: this.fd, data, addr, timeout: this.timeoutUs }) as number;
  }

  *recv(n: number): Gen<Uint8Array> {
    return (yield { fn: 'recv', fd: this.fd, n, timeout: this.timeoutUs }) as Uint8Array;
  }

  *recvfrom(n: number): Gen<[Uint8Array, Addr]> {
    return (yield { fn: 'recvfrom', fd: this.fd, n, timeout: this.timeoutUs }) as [Uint8Array, Addr];
  }

  *shutdown(how: number): Gen<void> {
    yield { fn: 'shutdown', fd: this.fd, how };
  }

  /** Closing twice is harmless, as in Python. */
  *close(): Gen<void> {
    if (this.closed) return;
    this.closed = true;
    yield { fn: 'close', fd: this.fd };
  }

  *getsockname(): Gen<Addr> {
    return (yield { fn: 'getsockname', fd: this.fd }) as Addr;
  }

  *getpeername(): Gen<Addr> {
    return (yield { fn: 'getpeername', fd: this.fd }) as Addr;
  }

  *setsockopt(level: number, opt: number, value: number | boolean): Gen<void> {
    yield { fn: 'setsockopt', fd: this.fd, level, opt, value: Number(value) };
  }

  *getsockopt(level: number, opt: number): Gen<number> {
    return (yield { fn: 'getsockopt', fd: this.fd, level, opt }) as number;
  }
}

/** What a program sees: the socket module, print() and time.sleep(). */
export class Py {
  *socket(family: Family = AF_INET, type: SockType = SOCK_STREAM): Gen<PySocket> {
    const fd = (yield { fn: 'socket', family, type }) as number;
    return new PySocket(fd, family, type);
  }

  /** print(*values): values joined by spaces, as Python shows them. */
  *print(...values: unknown[]): Gen<void> {
    yield { fn: 'write', stream: 'stdout', text: values.map(pyStr).join(' ') + '\n' };
  }

  *sleep(seconds: number): Gen<void> {
    yield { fn: 'sleep', us: Math.round(seconds * 1e6) };
  }

  *gethostbyname(name: string): Gen<string> {
    return (yield { fn: 'gethostbyname', name }) as string;
  }

  *gethostname(): Gen<string> {
    return (yield { fn: 'gethostname' }) as string;
  }

  /** os.unlink, for AF_UNIX socket files. */
  *unlink(path: string): Gen<void> {
    yield { fn: 'unlink', path };
  }

  /** One line of `ping HOST`: an ICMP echo request; the round-trip time in seconds, or null after `timeout` s. */
  *ping(host: string, seq = 1, timeout = 1): Gen<number | null> {
    const us = (yield { fn: 'ping', host, seq, timeout: Math.round(timeout * 1e6) }) as number | null;
    return us === null ? null : us / 1e6;
  }

  /** Spend CPU time (the program computes for `us` µs). */
  *compute(us: number): Gen<void> {
    yield { fn: 'cpu', us };
  }
}

export type Program = (py: Py) => Gen<void>;

/**
 * Adapt a TypeScript program to a kernel thread. An exception the program does not catch ends
 * it with status 1 and a Python-style traceback on stderr.
 */
export function programBody(program: Program, file: string): ThreadBody {
  let gen: Gen<void> | undefined;
  return {
    resume(input: Resume | undefined): ThreadStep {
      let r: IteratorResult<Syscall, void>;
      try {
        if (!gen) {
          gen = program(new Py());
          r = gen.next();
        } else if (input && 'error' in input) r = gen.throw(new PyException(input.error));
        else r = gen.next(input?.value);
      } catch (e) {
        if (e instanceof PyException) {
          return { kind: 'exit', status: 1, traceback: `Traceback (most recent call last):\n  File "${file}", in <module>\n${e.message}\n` };
        }
        throw e;
      }
      if (r.done) return { kind: 'exit', status: 0 };
      return { kind: 'syscall', call: r.value };
    },
  };
}
