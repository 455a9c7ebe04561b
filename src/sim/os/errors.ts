/**
 * Python exceptions as CPython on Linux raises them from the socket module. Pure data: no I/O.
 *
 * CPython maps errno to an OSError subclass (PEP 3151, Objects/exceptions.c `errnomap`), and
 * `str(exc)` is "[Errno N] strerror" with glibc's strerror text. This table is the reference
 * for every error the simulation can raise.
 */
import type { PyError } from '../trace.ts';

/** Linux errno values (asm-generic/errno-base.h, errno.h) with glibc's strerror text. */
export const ERRNO = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EINTR: [4, 'Interrupted system call'],
  EBADF: [9, 'Bad file descriptor'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  EACCES: [13, 'Permission denied'],
  EINVAL: [22, 'Invalid argument'],
  EMFILE: [24, 'Too many open files'],
  EPIPE: [32, 'Broken pipe'],
  ENOTSOCK: [88, 'Socket operation on non-socket'],
  EDESTADDRREQ: [89, 'Destination address required'],
  EMSGSIZE: [90, 'Message too long'],
  EPROTOTYPE: [91, 'Protocol wrong type for socket'],
  ENOPROTOOPT: [92, 'Protocol not available'],
  EOPNOTSUPP: [95, 'Operation not supported'],
  EAFNOSUPPORT: [97, 'Address family not supported by protocol'],
  EADDRINUSE: [98, 'Address already in use'],
  EADDRNOTAVAIL: [99, 'Cannot assign requested address'],
  ENETUNREACH: [101, 'Network is unreachable'],
  ECONNABORTED: [103, 'Software caused connection abort'],
  ECONNRESET: [104, 'Connection reset by peer'],
  ENOBUFS: [105, 'No buffer space available'],
  EISCONN: [106, 'Transport endpoint is already connected'],
  ENOTCONN: [107, 'Transport endpoint is not connected'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTUNREACH: [113, 'No route to host'],
  EALREADY: [114, 'Operation already in progress'],
  EINPROGRESS: [115, 'Operation now in progress'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrnoName = keyof typeof ERRNO;

/** CPython's errno → OSError subclass map (Objects/exceptions.c). */
const SUBCLASS: Partial<Record<ErrnoName, string>> = {
  EAGAIN: 'BlockingIOError',
  EALREADY: 'BlockingIOError',
  EINPROGRESS: 'BlockingIOError',
  EPIPE: 'BrokenPipeError',
  ECONNABORTED: 'ConnectionAbortedError',
  ECONNREFUSED: 'ConnectionRefusedError',
  ECONNRESET: 'ConnectionResetError',
  ENOENT: 'FileNotFoundError',
  EINTR: 'InterruptedError',
  EACCES: 'PermissionError',
  EPERM: 'PermissionError',
  ETIMEDOUT: 'TimeoutError',
};

/** The OSError (or subclass) CPython raises for a failed syscall. */
export function osError(name: ErrnoName): PyError {
  const [errno, text] = ERRNO[name];
  return { type: SUBCLASS[name] ?? 'OSError', errno, message: `[Errno ${errno}] ${text}` };
}

/** `socket.timeout` / TimeoutError raised by a socket with a timeout (Modules/socketmodule.c: "timed out"). */
export function timeoutError(): PyError {
  return { type: 'TimeoutError', message: 'timed out' };
}

/** socket.gaierror from getaddrinfo (glibc gai_strerror). */
export function gaiError(code: -2 | -3 | -5 | -8 | -9): PyError {
  const text: Record<number, string> = {
    [-2]: 'Name or service not known',
    [-3]: 'Temporary failure in name resolution',
    [-5]: 'No address associated with hostname',
    [-8]: 'Servname not supported for ai_socktype',
    [-9]: 'Address family for hostname not supported',
  };
  return { type: 'gaierror', errno: code, message: `[Errno ${code}] ${text[code]}` };
}

/** A Python exception with no errno (TypeError, ValueError, OverflowError…). */
export function pyException(type: string, message: string): PyError {
  return { type, message };
}

/** The line CPython prints last in a traceback: "ConnectionRefusedError: [Errno 111] Connection refused". */
export function formatPyError(e: PyError): string {
  const qual = e.type === 'gaierror' || e.type === 'herror' ? `socket.${e.type}` : e.type;
  return e.message === '' ? qual : `${qual}: ${e.message}`;
}

/** Thrown inside the simulation to unwind a syscall with a Python error. */
export class SysError extends Error {
  constructor(readonly py: PyError) {
    super(formatPyError(py));
    this.name = 'SysError';
  }
}

export function fail(name: ErrnoName): never {
  throw new SysError(osError(name));
}
