"""The ``_thread`` C module (Modules/_threadmodule.c), simulated: threads are green threads that
the kernel schedules (src/sim/threads/scheduler.ts), locks wait in the kernel.

CPython's own pure-Python ``Lib/threading.py`` runs on top of it (one instance per simulated
process: see ``process.py``), so ``threading.Thread``, ``Condition``, ``Event``, ``Semaphore``,
``Barrier``, ``Timer`` and ``queue.Queue`` are CPython's code.

Locks. An uncontended ``acquire``/``release`` is a flag in Python, as CPython's is a
compare-and-swap (no system call, the GIL is kept). A thread that must wait parks in the kernel
on a kernel lock used as a wake-up signal (``lock_acquire``, which releases the GIL only when it
has to wait); a ``release`` with waiters posts that signal (``lock_release``). A woken waiter
retries; a thread that is running meanwhile may take the lock first (barging), as on Linux. On
3.13 and later (``PyMutex``), a waiter that has waited 1 ms or more is handed the lock directly
by the next ``release`` (``TIME_TO_BE_FAIR_NS`` in Python/lock.c).

Outside a simulated program (Pyodide's own code) everything falls back to the real module.

Compiled with the suspendable transform without line recording: like C code, it costs no
virtual time, and a wait suspends the calling green thread.
"""

import operator as _operator
import sys as _sys

from wirescope import runtime as _rt
from wirescope.runtime import syscall as _syscall
from wirescope.sim import process as _process

_real = None  # the real _thread module, set by install()

error = RuntimeError
TIMEOUT_MAX = 9223372036.0
_FAIR_NS = 1_000_000  # PyMutex hands off to a waiter that has waited this long (Python/lock.c)


def _install_real(real):
    global _real
    _real = real


# ---------------------------------------------------------------------------
# Arguments as the C module parses them


_NS_MAX = 9223372036854775807


def _seconds(obj):
    """_PyTime_FromSecondsObject: an int or a float, else CPython's errors."""
    if isinstance(obj, float):
        if obj != obj:
            raise ValueError("Invalid value NaN (not a number)")
        if not -9.223372036854775808e18 <= obj * 1e9 < 9.223372036854775808e18:
            raise OverflowError("timestamp out of range for platform time_t")
        return obj
    try:
        n = _operator.index(obj)
    except TypeError:
        raise TypeError(f"'{type(obj).__name__}' object cannot be interpreted as an integer or float") from None
    if not -_NS_MAX - 1 <= n * 1_000_000_000 <= _NS_MAX:
        raise OverflowError("timestamp too large to convert to C PyTime_t")
    return n


def _micros(secs):
    """Seconds -> kernel µs, rounded up (_PyTime_ROUND_TIMEOUT: a positive timeout never becomes 0)."""
    us = secs * 1e6
    n = int(us)
    return n + 1 if us > n else n


def _acquire_args(blocking, timeout):
    """lock_acquire_parse_args: -> None (wait forever), 0 (do not wait) or µs."""
    blocking = bool(blocking)
    secs = _seconds(timeout)
    unset = secs == -1
    if not blocking and not unset:
        raise ValueError("can't specify a timeout for a non-blocking call")
    if secs < 0 and not unset:
        raise ValueError("timeout value must be a non-negative number")
    if not blocking:
        return 0
    if unset:
        return None
    if secs > TIMEOUT_MAX:
        raise OverflowError("timeout value is too large")
    return _micros(secs)


# ---------------------------------------------------------------------------
# Threads of the current simulated process


def _thread():
    """The running SimThread, or None outside a simulated program."""
    return _process.current_thread


def get_ident():
    """Return a non-zero integer that uniquely identifies the current thread amongst other threads that exist simultaneously."""
    th = _process.current_thread
    if th is None:
        return _real.get_ident()
    return th.ident


def get_native_id():
    """Return a non-negative integer identifying the thread as reported by the OS (kernel)."""
    th = _process.current_thread
    if th is None:
        return _real.get_ident()
    return th.tid


def _count():
    """Return the number of currently running Python threads, excluding the main thread."""
    p = _process.current
    if p is None:
        return _real._count()
    return sum(1 for t in p.threads if t is not p.main and t.started and not t.finished)


def daemon_threads_allowed():
    """Return True if daemon threads are allowed in the current interpreter."""
    return True


def _is_main_interpreter():
    return True


_stack_size = 0


def stack_size(size=0, /):
    """Return the thread stack size used when creating new threads; set it if size is given."""
    global _stack_size
    size = _operator.index(size)
    if size < 0:
        raise ValueError("size must be 0 or a positive value")
    if size != 0 and size < 32768:
        raise ValueError("size not valid: %d bytes" % size)
    old, _stack_size = _stack_size, size
    return old


def _get_main_thread_ident():
    p = _process.current
    if p is None:
        return _real._get_main_thread_ident()
    return p.main.ident


def set_name(name):
    """Set the name of the current thread (pthread_setname_np: 15 bytes on Linux)."""
    if not isinstance(name, str):
        raise TypeError(f"set_name() argument 'name' must be str, not {type(name).__name__}")
    th = _process.current_thread
    if th is not None:
        th.os_name = name.encode("utf-8", "replace")[:15].decode("utf-8", "ignore")


def _get_name():
    th = _process.current_thread
    if th is None:
        return None
    return th.os_name


def exit():
    """Raise SystemExit: ends the current thread quietly."""
    raise SystemExit


exit_thread = exit


def interrupt_main(signum=2, /):
    """Simulate the arrival of SIGINT in the main thread: KeyboardInterrupt is raised there the next time it runs."""
    p = _process.current
    if p is None:
        return _real.interrupt_main(signum)
    if signum != 2:
        raise ValueError("signal number out of range") if not 0 < signum < 65 else OSError(22, "Invalid argument")
    p.main.pending_exc = KeyboardInterrupt()


# ---------------------------------------------------------------------------
# Thread handles and starting threads


class _ThreadHandle:
    """The OS thread behind a threading.Thread: its ident, and whether it has finished."""

    __slots__ = ("_ident", "_thread", "_done", "_started", "__weakref__")

    def __init__(self):
        self._ident = 0
        self._thread = None
        self._done = False
        self._started = False

    @property
    def ident(self):
        return self._ident

    def is_done(self):
        return self._done

    def _set_done(self):
        self._done = True

    def join(self, timeout=None):
        if not self._started:
            raise RuntimeError("thread not started")
        if timeout is None:
            us = None
        else:
            secs = _seconds(timeout)
            us = 0 if secs <= 0 else _micros(secs)
        th = self._thread
        cur = _process.current_thread
        if th is not None and th is cur:
            raise RuntimeError("Cannot join current thread")
        if self._done:
            return
        if th is None:
            # The main thread (threading._MainThread): done once it has finished.
            return
        if us == 0:
            return
        if _syscall("thread_join", th.tid, us):
            self._done = True

    def __repr__(self):
        return f"<_thread._ThreadHandle object: ident={self._ident}>"


_ThreadHandle.__module__ = "_thread"


def _make_thread_handle(ident):
    h = _ThreadHandle()
    h._ident = ident
    h._started = True
    p = _process.current
    if p is not None and ident == p.main.ident:
        p.main_handles.append(h)
    return h


def _thread_name(function, p):
    owner = getattr(function, "__self__", None)
    name = getattr(owner, "_name", None)
    if isinstance(name, str):
        return name
    return f"Thread-{p.next_thread_number()}" if p is not None else "Thread"


def _start(function, args, kwargs, handle, daemon, name):
    p = _process.current
    if p is None:
        raise RuntimeError("threads can only be started inside a simulated program")
    th = _process.new_thread(p, function, args, kwargs, name, daemon, handle)
    tid = _syscall("thread_start", th.key, th.name, bool(daemon))
    th.bind(tid)
    if handle is not None:
        handle._ident = th.ident
        handle._thread = th
        handle._started = True
        if not daemon:
            p.nondaemon_handles.append(handle)
    owner = getattr(function, "__self__", None)
    if _rt.driving() and hasattr(owner, "_started"):
        # Thread.start() waits until the new thread has set its ident; called from code that
        # cannot suspend (a coroutine's run_in_executor), it could not let the new thread run:
        # the ident is known already, so do what the new thread would do first.
        owner._ident = th.ident
        if hasattr(owner, "_native_id"):
            owner._native_id = th.tid
        owner._started.set()
    return th


def start_joinable_thread(function, handle=None, daemon=True):
    """*For internal use only*: start a new thread running function(); return its handle."""
    if not callable(function):
        raise TypeError("thread function must be callable")
    if handle is None:
        handle = _ThreadHandle()
    elif type(handle) is not _ThreadHandle:
        raise TypeError(f"'handle' must be a _ThreadHandle, not {type(handle).__name__}")
    elif handle._started:
        raise RuntimeError("thread already started")
    _start(function, (), {}, handle, daemon, _thread_name(function, _process.current))
    return handle


def start_new_thread(function, args, kwargs=None, /):
    """Start a new (daemon) thread running function(*args, **kwargs); return its identifier."""
    if not callable(function):
        raise TypeError("first arg must be callable")
    if not isinstance(args, tuple):
        raise TypeError("2nd arg must be a tuple")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError("optional 3rd arg must be a dictionary")
    th = _start(function, args, kwargs or {}, None, True, _thread_name(None, _process.current))
    return th.ident


start_new = start_new_thread


def _shutdown():
    """Wait for every non-daemon thread of this process to finish (threading._shutdown)."""
    p = _process.current
    if p is None:
        return
    cur = _process.current_thread
    while True:
        pending = [h for h in p.nondaemon_handles if not h._done and h._thread is not cur]
        if not pending:
            p.nondaemon_handles[:] = [h for h in p.nondaemon_handles if not h._done]
            return
        for h in pending:
            h.join()


# ---------------------------------------------------------------------------
# Locks


class lock:
    """A lock object is a synchronization primitive (threading.Lock)."""

    __slots__ = ("_locked", "_waiters", "_kid", "_khost", "_signal", "_handoff", "__weakref__")

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError("lock() takes no arguments")
        self._locked = False
        self._waiters = []  # virtual ns each waiter started waiting at
        self._kid = 0
        self._khost = None
        self._signal = False  # a wake-up posted and not yet taken
        self._handoff = False  # the lock was handed to the next waiter to wake

    def acquire(self, blocking=True, timeout=-1):
        """Lock the lock; with a timeout, give up after it (return False)."""
        us = _acquire_args(blocking, timeout)
        if not self._locked:
            self._locked = True
            return True
        if us == 0:
            return False
        return self._wait(us)

    acquire_lock = acquire

    def __enter__(self):
        return self.acquire()

    def _kernel_lock(self, p):
        # Every system call here is a point where, without a GIL ("gil": "off"), another thread
        # may run and use this lock: the kernel lock is drained before it is published, and a
        # lock published meanwhile by another thread wins.
        if self._kid == 0 or self._khost != p.host:
            kid = _syscall("lock_new")
            _syscall("lock_acquire", kid, 0)  # no wake-up pending
            if self._kid == 0 or self._khost != p.host:
                self._khost = p.host
                self._kid = kid
                self._signal = False
        return self._kid

    def _wait(self, us):
        p = _process.current
        if p is None:
            raise RuntimeError("lock.acquire() would block outside a simulated program")
        start = p.now_ns()
        entry = [start]
        # Registered before the first system call, so a release() made while this thread is in
        # one (another thread running meanwhile) posts a wake-up instead of going unseen.
        self._waiters.append(entry)
        deadline = None if us is None else start + us * 1000
        try:
            kid = self._kernel_lock(p)
            while True:
                if not self._locked:
                    self._locked = True
                    return True
                if us is None:
                    left = None
                else:
                    left = max(0, (deadline - p.now_ns() + 999) // 1000)
                if left == 0:
                    return False
                if _syscall("lock_acquire", kid, left):
                    self._signal = False
                    if self._handoff:
                        self._handoff = False
                        return True
        finally:
            self._waiters.remove(entry)
            if self._waiters and not self._locked and not self._signal:
                # A wake-up we consumed without taking the lock: pass it on.
                self._post(p)

    def _post(self, p):
        if not self._signal:
            self._signal = True
            _syscall("lock_release", self._kernel_lock(p))

    def release(self):
        """Release the lock, allowing another thread that is blocked waiting for it to acquire it."""
        if not self._locked:
            raise RuntimeError("release unlocked lock")
        if self._waiters:
            p = _process.current
            if p is not None:
                if p.fair_locks and not self._handoff and p.now_ns() - self._waiters[0][0] >= _FAIR_NS:
                    # PyMutex fairness: hand the lock over, still locked.
                    self._handoff = True
                    self._post(p)
                    return
                self._locked = False
                self._post(p)
                return
        self._locked = False

    release_lock = release

    def __exit__(self, *args):
        self.release()

    def locked(self):
        """Test whether the lock is currently locked."""
        return self._locked

    locked_lock = locked

    def _at_fork_reinit(self):
        self._locked = False
        self._waiters = []
        self._kid = 0
        self._khost = None
        self._signal = False
        self._handoff = False

    def __repr__(self):
        return f"<{'locked' if self._locked else 'unlocked'} _thread.lock object at {hex(id(self))}>"

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle '_thread.lock' object")


lock.__module__ = "_thread"
LockType = lock


def allocate_lock():
    """Create a new lock object (threading.Lock())."""
    return lock()


allocate = allocate_lock


class RLock:
    """A reentrant lock: the thread that holds it may acquire it again."""

    __slots__ = ("_block", "_owner", "_count", "__weakref__")

    def __init__(self, *args, **kwargs):
        self._block = lock()
        self._owner = 0
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        """Lock the lock; the owner may acquire it again (each acquire needs a release)."""
        me = get_ident()
        if self._count and self._owner == me:
            _acquire_args(blocking, timeout)
            self._count += 1
            return True
        if not self._block.acquire(blocking, timeout):
            return False
        self._owner = me
        self._count = 1
        return True

    def __enter__(self):
        return self.acquire()

    def release(self):
        """Release the lock (the owner must release it as many times as it acquired it)."""
        if not self._count or self._owner != get_ident():
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if self._count == 0:
            self._owner = 0
            self._block.release()

    def __exit__(self, *args):
        self.release()

    def locked(self):
        """Return whether this object is locked."""
        return self._count > 0

    def _is_owned(self):
        return self._count > 0 and self._owner == get_ident()

    def _recursion_count(self):
        return self._count if self._is_owned() else 0

    def _release_save(self):
        if self._count == 0:
            raise RuntimeError("cannot release un-acquired lock")
        state = (self._count, self._owner)
        self._count = 0
        self._owner = 0
        self._block.release()
        return state

    def _acquire_restore(self, state):
        self._block.acquire()
        self._count, self._owner = state

    def _at_fork_reinit(self):
        self._block._at_fork_reinit()
        self._owner = 0
        self._count = 0

    def __repr__(self):
        return "<%s %s.%s object owner=%d count=%d at %s>" % (
            "locked" if self._count else "unlocked",
            type(self).__module__,
            type(self).__qualname__,
            self._owner,
            self._count,
            hex(id(self)),
        )

    def __reduce_ex__(self, protocol):
        raise TypeError(f"cannot pickle '{type(self).__module__}.{type(self).__qualname__}' object")


RLock.__module__ = "_thread"


# ---------------------------------------------------------------------------
# Uncaught exceptions in threads


class _ExceptHookArgs(tuple):
    """ExceptHookArgs: exc_type, exc_value, exc_traceback, thread."""

    __slots__ = ()
    n_fields = n_sequence_fields = 4
    n_unnamed_fields = 0

    def __new__(cls, sequence):
        t = tuple(sequence)
        if len(t) != 4:
            raise TypeError(f"_thread._ExceptHookArgs() takes a 4-sequence ({len(t)}-sequence given)")
        return tuple.__new__(cls, t)

    exc_type = property(lambda self: self[0])
    exc_value = property(lambda self: self[1])
    exc_traceback = property(lambda self: self[2])
    thread = property(lambda self: self[3])

    def __repr__(self):
        return "_thread._ExceptHookArgs(exc_type=%r, exc_value=%r, exc_traceback=%r, thread=%r)" % tuple(self)


_ExceptHookArgs.__module__ = "_thread"


def _excepthook(args, /):
    """Handle uncaught Thread.run() exception: print 'Exception in thread NAME:' and the traceback."""
    if type(args) is not _ExceptHookArgs:
        raise TypeError("_thread._excepthook argument type must be ExceptHookArgs")
    exc_type, exc_value, exc_tb, thread = args
    if exc_type is SystemExit:
        return
    stderr = _sys.stderr
    if stderr is None:
        if thread is None:
            return
        stderr = getattr(thread, "_stderr", None)
        if stderr is None:
            return
    name = getattr(thread, "name", None) if thread is not None else None
    if name is None:
        name = get_ident()
    from wirescope import runtime as _rt

    if exc_value is not None and exc_tb is not None:
        exc_value = exc_value.with_traceback(exc_tb)
    text = _rt.format_exception(exc_value) if exc_value is not None else f"{exc_type.__name__}\n"
    stderr.write(f"Exception in thread {name}:\n")
    stderr.write(text)
    stderr.flush()


# ---------------------------------------------------------------------------
# Thread-local data (Lib/_threading_local.py's semantics)


class _localimpl:
    __slots__ = ("dicts", "localargs", "label", "__weakref__")

    def __init__(self):
        self.dicts = {}  # id(SimThread) -> (SimThread, dict)
        self.label = None


_OUTSIDE = object()  # the "thread" of code running outside a simulated program


def _local_dict(self):
    """This thread's dict of local object ``self``, created (and __init__ re-run) on first use."""
    impl = object.__getattribute__(self, "_local__impl")
    th = _process.current_thread
    key = id(th) if th is not None else id(_OUTSIDE)
    entry = impl.dicts.get(key)
    if entry is not None:
        return entry[1], False
    d = {}
    impl.dicts[key] = (th, d)
    if th is not None:
        th.local_impls.append(impl)
    return d, True


class _local:
    """Thread-local data: each thread sees only the attributes it set itself."""

    __slots__ = ("_local__impl", "__dict__")

    def __new__(cls, /, *args, **kw):
        if (args or kw) and (cls.__init__ is object.__init__):
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        impl = _localimpl()
        impl.localargs = (args, kw)
        object.__setattr__(self, "_local__impl", impl)
        d, _ = _local_dict(self)
        object.__setattr__(self, "__dict__", d)
        return self

    def __getattribute__(self, name):
        _enter(self)
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if name == "__dict__":
            raise AttributeError("%r object attribute '__dict__' is read-only" % self.__class__.__name__)
        _enter(self)
        object.__setattr__(self, name, value)
        _process.note_tls(self, name, value)

    def __delattr__(self, name):
        if name == "__dict__":
            raise AttributeError("%r object attribute '__dict__' is read-only" % self.__class__.__name__)
        _enter(self)
        return object.__delattr__(self, name)


_local.__module__ = "_thread"
_local.__name__ = _local.__qualname__ = "_local"


def _enter(self):
    """Point ``self.__dict__`` at this thread's dict (running __init__ again in a new thread)."""
    d, new = _local_dict(self)
    object.__setattr__(self, "__dict__", d)
    if new:
        impl = object.__getattribute__(self, "_local__impl")
        args, kw = impl.localargs
        cls = type(self)
        if cls.__init__ is not object.__init__:
            cls.__init__(self, *args, **kw)


def _forget_thread(th):
    """A thread ended: its thread-local values go (as _threading_local's weakref callbacks do)."""
    for impl in th.local_impls:
        impl.dicts.pop(id(th), None)
    th.local_impls.clear()
