"""``multiprocessing``, simulated: the part a course uses, on the kernel's processes.

Every child is a simulated process of its own (``process_start``): its own pid, GIL, memory and
output, started after the start method's cost (src/sim/threads/config.ts). The API and the
messages are those of CPython's ``Lib/multiprocessing`` (``process.py``, ``context.py``,
``queues.py``, ``pool.py``):

* ``spawn`` and ``forkserver`` (3.14's default on Linux): the child imports the parent's main
  module again as ``__mp_main__`` (so ``if __name__ == "__main__":`` guards matter, and a
  ``Process.start()`` while doing so raises CPython's "bootstrapping phase" RuntimeError), then
  unpickles the Process object (its target and arguments) and runs it.
* ``fork`` (the default up to 3.13): the child gets a copy of the parent's program modules and
  of the Process object as they are at ``start()`` (``forkcopy.py``).

``Queue``, ``SimpleQueue`` and ``Pipe`` carry pickled objects through the kernel's message
queues (``mq_*``); ``Lock`` is a kernel lock shared by the processes of a host; ``Value`` and
``Array`` are shared memory (one object that every process refers to); ``Pool`` runs tasks in
worker processes (``map``, ``starmap``, ``apply``, their ``_async`` forms, ``imap``).

Per-process state (current_process(), the children, the start method) lives in the simulated
process (``Program.mp``), so one module serves every program. Compiled with the suspendable
transform without line recording: like C code, it costs no virtual time; its waits suspend.
"""

import itertools as _itertools
import os as _os
import pickle as _pickle
import signal as _signal
import sys as _sys

from wirescope import runtime as _rt
from wirescope.runtime import syscall as _syscall
from wirescope.sim import process as _process

__all__ = [
    "Array", "AuthenticationError", "Barrier", "BoundedSemaphore", "BufferTooShort", "Condition",
    "Event", "JoinableQueue", "Lock", "Manager", "Pipe", "Pool", "Process", "ProcessError",
    "Queue", "RLock", "RawArray", "RawValue", "Semaphore", "SimpleQueue", "TimeoutError", "Value",
    "active_children", "allow_connection_pickling", "cpu_count", "current_process",
    "freeze_support", "get_all_start_methods", "get_context", "get_logger", "get_start_method",
    "log_to_stderr", "parent_process", "reducer", "set_executable", "set_forkserver_preload",
    "set_start_method",
]

__path__ = []  # a package: multiprocessing.pool etc. are this module too (install.py)

SUBMODULES = ("context", "process", "queues", "pool", "synchronize", "connection", "sharedctypes", "spawn", "util", "reduction")


# ---------------------------------------------------------------------------
# Exceptions (multiprocessing/context.py)


class ProcessError(Exception):
    pass


class BufferTooShort(ProcessError):
    pass


class TimeoutError(ProcessError):
    pass


class AuthenticationError(ProcessError):
    pass


for _c in (ProcessError, BufferTooShort, TimeoutError, AuthenticationError):
    _c.__module__ = "multiprocessing.context"

_METHODS = ("fork", "spawn", "forkserver")
_BOOTSTRAP_ERROR = """
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The "freeze_support()" line can be omitted if the program
        is not going to be frozen to produce an executable.

        To fix this issue, refer to the "Safe importing of main module"
        section in https://docs.python.org/3/library/multiprocessing.html
        """

_exitcode_to_name = {}
for _name, _signum in list(_signal.__dict__.items()):
    if _name[:3] == "SIG" and "_" not in _name and isinstance(_signum, int):
        _exitcode_to_name[-_signum] = f"-{_name}"


# ---------------------------------------------------------------------------
# Per-process state


class _State:
    def __init__(self, p):
        self.counter = _itertools.count(1)
        self.children = {}  # Process -> None, in start order (a dict: deterministic order)
        self.current = None
        self.parent = None
        self.forced_method = None
        self.inheriting = False  # a spawn child importing the main module again
        self.pending = {}  # key -> what a child starts from (driver.start_child)
        self.last_key = 0
        self.spawning = False  # pickling a Process for a spawn child
        self.is_main = True


def _program():
    p = _process.current
    if p is None:
        raise RuntimeError("multiprocessing is only simulated inside a simulated program")
    return p


def _state():
    p = _program()
    st = getattr(p, "mp", None)
    if st is None:
        st = p.mp = _State(p)
        st.current = _MainProcess()
    return st


def _default_method():
    st = _state()
    return st.forced_method or _program().start_method


def _cleanup():
    st = _state()
    for proc in list(st.children):
        popen = proc._popen
        if popen is not None and popen.poll() is not None:
            st.children.pop(proc, None)


def current_process():
    """Return process object representing the current process"""
    return _state().current


def active_children():
    """Return list of process objects corresponding to live child processes"""
    _cleanup()
    return list(_state().children)


def parent_process():
    """Return process object representing the parent process"""
    return _state().parent


def cpu_count():
    """Returns the number of CPUs in the system"""
    return _program().cores


def freeze_support():
    pass


def set_executable(executable):
    pass


def set_forkserver_preload(module_names):
    pass


def allow_connection_pickling():
    pass


def get_logger():
    import logging

    return logging.getLogger("multiprocessing")


def log_to_stderr(level=None):
    import logging

    logger = get_logger()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(levelname)s/%(processName)s] %(message)s"))
    logger.addHandler(handler)
    if level:
        logger.setLevel(level)
    return logger


reducer = _pickle


def _assert_spawning(obj):
    if not _state().spawning:
        raise RuntimeError(
            "%s objects should only be shared between processes through inheritance" % type(obj).__name__
        )


# ---------------------------------------------------------------------------
# Processes (multiprocessing/process.py)


class BaseProcess:
    """Process objects represent activity that is run in a separate process

    The class is analogous to `threading.Thread`"""

    _start_method = None

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        assert group is None, "group argument must be None for now"
        st = _state()
        count = next(st.counter)
        cur = st.current
        self._identity = cur._identity + (count,)
        self._config = cur._config.copy()
        self._parent_pid = _os.getpid()
        self._parent_name = cur.name
        self._popen = None
        self._closed = False
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs) if kwargs else {}
        self._name = name or type(self).__name__ + "-" + ":".join(str(i) for i in self._identity)
        if daemon is not None:
            self.daemon = daemon

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    def run(self):
        """Method to be run in sub-process; can be overridden in sub-class"""
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        """Start child process"""
        self._check_closed()
        assert self._popen is None, "cannot start a process twice"
        assert self._parent_pid == _os.getpid(), "can only start a process object created by current process"
        st = _state()
        assert not st.current._config.get("daemon"), "daemonic processes are not allowed to have children"
        _cleanup()
        self._popen = _Popen(self, self._start_method or _default_method())
        self._sentinel = self._popen.sentinel
        del self._target, self._args, self._kwargs
        st.children[self] = None

    def interrupt(self):
        """Terminate process; sends SIGINT signal"""
        self._check_closed()
        self._popen.interrupt()

    def terminate(self):
        """Terminate process; sends SIGTERM signal"""
        self._check_closed()
        self._popen.terminate()

    def kill(self):
        """Terminate process; sends SIGKILL signal"""
        self._check_closed()
        self._popen.kill()

    def join(self, timeout=None):
        """Wait until child process terminates"""
        self._check_closed()
        assert self._parent_pid == _os.getpid(), "can only join a child process"
        assert self._popen is not None, "can only join a started process"
        res = self._popen.wait(timeout)
        if res is not None:
            _state().children.pop(self, None)

    def is_alive(self):
        """Return whether process is alive"""
        self._check_closed()
        st = _state()
        if self is st.current:
            return True
        assert self._parent_pid == _os.getpid(), "can only test a child process"
        if self._popen is None:
            return False
        returncode = self._popen.poll()
        if returncode is None:
            return True
        st.children.pop(self, None)
        return False

    def close(self):
        """Close the Process object."""
        if self._popen is not None:
            if self._popen.poll() is None:
                raise ValueError(
                    "Cannot close a process while it is still running. You should first call join() or terminate()."
                )
            self._popen = None
            del self._sentinel
            _state().children.pop(self, None)
        self._closed = True

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), "name must be a string"
        self._name = name

    @property
    def daemon(self):
        """Return whether process is a daemon"""
        return self._config.get("daemon", False)

    @daemon.setter
    def daemon(self, daemonic):
        """Set whether process is a daemon"""
        assert self._popen is None, "process has already started"
        self._config["daemon"] = daemonic

    @property
    def authkey(self):
        return self._config.get("authkey", b"")

    @authkey.setter
    def authkey(self, authkey):
        self._config["authkey"] = bytes(authkey)

    @property
    def exitcode(self):
        """Return exit code of process or `None` if it has yet to stop"""
        self._check_closed()
        if self._popen is None:
            return self._popen
        return self._popen.poll()

    @property
    def ident(self):
        """Return identifier (PID) of process or `None` if it has yet to start"""
        self._check_closed()
        if self is _state().current:
            return _os.getpid()
        return self._popen and self._popen.pid

    pid = ident

    @property
    def sentinel(self):
        """Return a file descriptor suitable for waiting for process termination."""
        self._check_closed()
        try:
            return self._sentinel
        except AttributeError:
            raise ValueError("process not started") from None

    def __repr__(self):
        exitcode = None
        st = _state()
        if self is st.current:
            status = "started"
        elif self._closed:
            status = "closed"
        elif self._parent_pid != _os.getpid():
            status = "unknown"
        elif self._popen is None:
            status = "initial"
        else:
            exitcode = self._popen.poll()
            status = "stopped" if exitcode is not None else "started"
        info = [type(self).__name__, "name=%r" % self._name]
        if self._popen is not None:
            info.append("pid=%s" % self._popen.pid)
        info.append("parent=%s" % self._parent_pid)
        info.append(status)
        if exitcode is not None:
            exitcode = _exitcode_to_name.get(exitcode, exitcode)
            info.append("exitcode=%s" % exitcode)
        if self.daemon:
            info.append("daemon")
        return "<%s>" % " ".join(info)

    def __getstate__(self):
        d = dict(self.__dict__)
        d["_popen"] = None
        return d

    def _bootstrap(self, parent_sentinel=None):
        """In the child: run() and return the exit code (as multiprocessing/process.py does)."""
        st = _state()
        try:
            if self._start_method is not None:
                st.forced_method = self._start_method
            st.counter = _itertools.count(1)
            st.children = {}
            st.current = self
            st.parent = _ParentProcess(self._parent_name, self._parent_pid, parent_sentinel)
            st.is_main = False
            self.run()
            exitcode = 0
        except SystemExit as e:
            if e.code is None:
                exitcode = 0
            elif isinstance(e.code, int):
                exitcode = e.code
            else:
                _sys.stderr.write(str(e.code) + "\n")
                exitcode = 1
        except BaseException as e:  # noqa: BLE001 - reported as CPython does
            exitcode = 1
            _sys.stderr.write("Process %s:\n" % self.name)
            _sys.stderr.write(_with_stdlib_frames(_rt.format_exception(e), type(self).run is BaseProcess.run))
        _sys.stdout.flush()
        _sys.stderr.flush()
        return exitcode


#: Where CPython's multiprocessing/process.py calls run() and the target (set by install.py),
#: for the frames its tracebacks show: [(path, line, function, source line, carets)].
STDLIB_FRAMES = {}


def _with_stdlib_frames(text, target):
    """Add the frames CPython's own process.py would show above the program's (its _bootstrap
    calling run(), and run() calling the target)."""
    head = "Traceback (most recent call last):\n"
    if not text.startswith(head) or "bootstrap" not in STDLIB_FRAMES:
        return text
    frames = [STDLIB_FRAMES["bootstrap"]] + ([STDLIB_FRAMES["run"]] if target else [])
    extra = "".join(f'  File "{path}", line {line}, in {fn}\n    {src}\n    {carets}\n' for path, line, fn, src, carets in frames)
    return head + extra + text[len(head):]


def _find_stdlib_frames(path, source):
    lines = source.splitlines()

    def find(fn, src):
        inside = False
        for i, line in enumerate(lines, 1):
            if line.lstrip().startswith(f"def {fn}("):
                inside = True
            elif inside and line.strip() == src:
                return i
        return None

    run_src = "self._target(*self._args, **self._kwargs)"
    b = find("_bootstrap", "self.run()")
    r = find("run", run_src)
    if b and r:
        STDLIB_FRAMES["bootstrap"] = (path, b, "_bootstrap", "self.run()", "~~~~~~~~^^")
        STDLIB_FRAMES["run"] = (path, r, "run", run_src, "~~~~~~~~~~~~^" + "^" * (len(run_src) - 13))


class _MainProcess(BaseProcess):
    def __init__(self):
        self._identity = ()
        self._name = "MainProcess"
        self._parent_pid = None
        self._popen = None
        self._closed = False
        self._config = {"authkey": b"\0" * 32, "semprefix": "/mp"}

    def close(self):
        pass


class _ParentProcess(BaseProcess):
    def __init__(self, name, pid, sentinel):
        self._identity = ()
        self._name = name
        self._pid = pid
        self._parent_pid = None
        self._popen = None
        self._closed = False
        self._sentinel = sentinel
        self._config = {}

    def is_alive(self):
        return _syscall("process_join", self._pid, 0) is None

    @property
    def ident(self):
        return self._pid

    def join(self, timeout=None):
        pass

    pid = ident


class Process(BaseProcess):
    _start_method = None


class ForkProcess(BaseProcess):
    _start_method = "fork"


class SpawnProcess(BaseProcess):
    _start_method = "spawn"


class ForkServerProcess(BaseProcess):
    _start_method = "forkserver"


for _c in (BaseProcess, _MainProcess, _ParentProcess):
    _c.__module__ = "multiprocessing.process"
for _c in (Process, ForkProcess, SpawnProcess, ForkServerProcess):
    _c.__module__ = "multiprocessing.context"


def _micros(timeout):
    if timeout is None:
        return None
    us = max(0.0, float(timeout)) * 1e6
    n = int(us)
    return n + 1 if us > n else n


class _Popen:
    """A started child (popen_fork / popen_spawn_posix / popen_forkserver)."""

    def __init__(self, process_obj, method):
        if method not in _METHODS:
            raise ValueError("cannot find context for %r" % method)
        p = _program()
        st = _state()
        self.method = method
        self.returncode = None
        if method == "fork":
            spec = ("fork", _fork_spec(p, process_obj))
        else:
            if st.inheriting:
                raise RuntimeError(_BOOTSTRAP_ERROR)
            st.spawning = True
            try:
                data = _pickle.dumps(process_obj, protocol=_pickle.DEFAULT_PROTOCOL)
            finally:
                st.spawning = False
            spec = (method, data)
        st.last_key += 1
        key = st.last_key
        st.pending[key] = spec
        # As `ps` would show it for fork; spawn and forkserver children really run
        # "python3 -c 'from multiprocessing.spawn import spawn_main; ...' --multiprocessing-fork":
        # the program's name keeps their output attributed to it.
        cmd = " ".join(["python3", p.name] + [str(a) for a in p.argv[1:]])
        try:
            self.pid = _syscall("process_start", key, cmd, process_obj.name, method)
        except BaseException:
            st.pending.pop(key, None)
            raise
        self.sentinel = 1000 + self.pid % 1000

    def poll(self, flag=None):
        if self.returncode is None:
            status = _syscall("process_join", self.pid, 0)
            if status is not None:
                self.returncode = status
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            status = _syscall("process_join", self.pid, _micros(timeout))
            if status is not None:
                self.returncode = status
        return self.returncode

    def _send_signal(self, sig):
        if self.returncode is None:
            _syscall("process_kill", self.pid, sig)

    def interrupt(self):
        self._send_signal(_signal.SIGINT)

    def terminate(self):
        self._send_signal(_signal.SIGTERM)

    def kill(self):
        self._send_signal(_signal.SIGKILL)

    def close(self):
        pass


def _fork_spec(p, process_obj):
    """What a forked child starts from: copies of the program's modules and of the Process."""
    from wirescope.sim import forkcopy

    modules = {"__main__": p.module}
    modules.update((n, m) for n, m in p.user_modules.items() if n != "__mp_main__")
    new_modules, (proc,) = forkcopy.fork_copy(modules, (process_obj,))
    return new_modules, proc


def _exit_function():
    """At the main process's exit (multiprocessing.util._exit_function): terminate the daemonic
    children, join the others."""
    p = _process.current
    st = getattr(p, "mp", None)
    if st is None or not st.is_main:
        return
    for proc in active_children():
        if proc.daemon:
            proc._popen.terminate()
    for proc in active_children():
        proc.join()


# ---------------------------------------------------------------------------
# The child's side (driver.start_child calls child_main)


def child_main(p, parent, key, name):
    """The generator a child's main thread runs."""
    pst = parent.mp
    method, spec = pst.pending.pop(int(key))
    st = p.mp = _State(p)
    st.current = _MainProcess()
    st.forced_method = pst.forced_method
    p.start_method = parent.start_method
    p.source = parent.source
    p.argv = list(parent.argv)
    if method == "fork":
        return _fork_child(p, parent, spec)
    return _spawn_child(p, spec)


def _fork_child(p, parent, spec):
    from wirescope.sim import permodule

    modules, proc = spec
    p.module = modules.pop("__main__")
    p.user_modules.update(modules)
    _sys.modules["__main__"] = p.module
    _sys.modules.update(modules)
    # Names bound to the parent's own instances of per-process modules (``from threading import
    # Thread``) now name the child's.
    theirs = {id(v): (m, k) for m, mod in parent.modules.items() for k, v in mod.__dict__.items()}
    for mod in [p.module, *modules.values()]:
        g = mod.__dict__
        for k, v in list(g.items()):
            where = theirs.get(id(v))
            if where is not None:
                g[k] = getattr(permodule.module_for(where[0]), where[1])
    code = yield from _rt._gen_for(proc._bootstrap)()
    raise SystemExit(code)


def _spawn_child(p, data):
    st = p.mp
    t = _rt.main_thread(p.source, p.path, module_name="__mp_main__")
    mod = t.module
    p.module = mod
    p.user_modules["__mp_main__"] = mod
    _sys.modules["__main__"] = mod
    _sys.modules["__mp_main__"] = mod
    st.inheriting = True
    try:
        yield from t.gen
    finally:
        st.inheriting = False
    proc = _pickle.loads(data)
    code = yield from _rt._gen_for(proc._bootstrap)()
    raise SystemExit(code)


# ---------------------------------------------------------------------------
# Start methods and contexts (multiprocessing/context.py)


def get_start_method(allow_none=False):
    st = _state()
    if st.forced_method is None and allow_none:
        return None
    if st.forced_method is None:
        st.forced_method = _program().start_method
    return st.forced_method


def set_start_method(method, force=False):
    st = _state()
    if st.forced_method is not None and not force:
        raise RuntimeError("context has already been set")
    if method is None and force:
        st.forced_method = None
        return
    if method not in _METHODS:
        raise ValueError("cannot find context for %r" % method)
    st.forced_method = method


def get_all_start_methods():
    """Returns a list of the supported start methods, default first."""
    default = _program().start_method
    return [default] + [m for m in _METHODS if m != default]


class BaseContext:
    ProcessError = ProcessError
    BufferTooShort = BufferTooShort
    TimeoutError = TimeoutError
    AuthenticationError = AuthenticationError
    _name = None

    def __init__(self, method=None):
        self._name = method
        self.Process = {None: Process, "fork": ForkProcess, "spawn": SpawnProcess, "forkserver": ForkServerProcess}[method]

    def get_start_method(self, allow_none=False):
        return self._name if self._name is not None else get_start_method(allow_none)

    def get_context(self, method=None):
        return get_context(method) if method is not None or self._name is None else self

    def __repr__(self):
        return f"<multiprocessing.context.{type(self).__name__} object at {hex(id(self))}>"


def _ctx_method(name):
    def method(self, *args, **kwargs):
        return globals()[name](*args, **kwargs) if name not in _NEEDS_CTX else globals()[name](*args, ctx=self, **kwargs)

    method.__name__ = name
    return method


_NEEDS_CTX = ("Pool",)
for _n in (
    "current_process", "parent_process", "active_children", "cpu_count", "Queue", "SimpleQueue",
    "JoinableQueue", "Pipe", "Lock", "RLock", "Value", "Array", "RawValue", "RawArray", "Pool",
    "freeze_support", "get_logger", "log_to_stderr", "set_executable", "set_forkserver_preload",
    "allow_connection_pickling", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier",
    "Manager",
):
    setattr(BaseContext, _n, _ctx_method(_n))


class DefaultContext(BaseContext):
    def set_start_method(self, method, force=False):
        set_start_method(method, force)

    def get_all_start_methods(self):
        return get_all_start_methods()


class ForkContext(BaseContext):
    pass


class SpawnContext(BaseContext):
    pass


class ForkServerContext(BaseContext):
    pass


for _c in (BaseContext, DefaultContext, ForkContext, SpawnContext, ForkServerContext):
    _c.__module__ = "multiprocessing.context"

_CONTEXTS = {}


def get_context(method=None):
    if method is None:
        method = get_start_method()
    if method not in _METHODS:
        raise ValueError("cannot find context for %r" % method)
    ctx = _CONTEXTS.get(method)
    if ctx is None:
        cls = {"fork": ForkContext, "spawn": SpawnContext, "forkserver": ForkServerContext}[method]
        ctx = _CONTEXTS[method] = cls(method)
    return ctx


# ---------------------------------------------------------------------------
# Queues (multiprocessing/queues.py) on the kernel's message queues


def _queue_exceptions():
    import queue

    return queue.Empty, queue.Full


class Queue:
    """A process-safe FIFO of picklable objects."""

    def __init__(self, maxsize=0, *, ctx=None):
        if maxsize <= 0:
            maxsize = 2147483647
        self._maxsize = maxsize
        self._id = _syscall("mq_new")
        self._closed = False
        self._ahead = []  # items taken from the kernel queue by empty() but not yet by get()

    def __getstate__(self):
        _assert_spawning(self)
        return (self._maxsize, self._id)

    def __setstate__(self, state):
        self._maxsize, self._id = state
        self._closed = False
        self._ahead = []

    def _fork_copy(self):
        # A forked child inherits the queue (the same kernel queue).
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._ahead = list(self._ahead)
        return new

    def _check_closed(self):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block=True, timeout=None):
        self._check_closed()
        _syscall("mq_put", self._id, _pickle.dumps(obj, protocol=_pickle.DEFAULT_PROTOCOL))

    def get(self, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        if self._ahead:
            return self._ahead.pop(0)
        if not block:
            us = 0
        elif timeout is None:
            us = None
        else:
            us = _micros(timeout)
        data = _syscall("mq_get", self._id, us)
        if data is None:
            raise _queue_exceptions()[0]
        return _pickle.loads(data)

    def qsize(self):
        return _syscall("mq_size", self._id) + len(self._ahead)

    def empty(self):
        if self._ahead:
            return False
        data = _syscall("mq_get", self._id, 0)
        if data is None:
            return True
        self._ahead.append(_pickle.loads(data))
        return False

    def full(self):
        return self.qsize() >= self._maxsize

    def get_nowait(self):
        return self.get(False)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def close(self):
        self._closed = True

    def join_thread(self):
        assert self._closed, "Queue {0!r} not closed".format(self)

    def cancel_join_thread(self):
        pass

    def __repr__(self):
        return f"<multiprocessing.queues.{type(self).__name__} object at {hex(id(self))}>"


class JoinableQueue(Queue):
    """A Queue with task_done() and join() (unfinished tasks are counted per process copy)."""

    def __init__(self, maxsize=0, *, ctx=None):
        super().__init__(maxsize)
        self._done_id = _syscall("mq_new")
        self._unfinished = 0

    def __getstate__(self):
        _assert_spawning(self)
        return (self._maxsize, self._id, self._done_id)

    def __setstate__(self, state):
        self._maxsize, self._id, self._done_id = state
        self._closed = False
        self._ahead = []
        self._unfinished = 0

    def _fork_copy(self):
        new = super()._fork_copy()
        new._unfinished = 0
        return new

    def put(self, obj, block=True, timeout=None):
        super().put(obj, block, timeout)
        self._unfinished += 1

    def task_done(self):
        _syscall("mq_put", self._done_id, b"")

    def join(self):
        while self._unfinished > 0:
            _syscall("mq_get", self._done_id, None)
            self._unfinished -= 1


class SimpleQueue(Queue):
    def __init__(self, *, ctx=None):
        super().__init__()


for _c in (Queue, JoinableQueue, SimpleQueue):
    _c.__module__ = "multiprocessing.queues"


# ---------------------------------------------------------------------------
# Pipe (multiprocessing/connection.py): two message queues


class Connection:
    """One end of a Pipe()."""

    def __init__(self, recv_id, send_id, readable=True, writable=True):
        self._recv = recv_id
        self._send = send_id
        self._readable = readable
        self._writable = writable
        self._closed = False
        self._ahead = []

    def __getstate__(self):
        return (self._recv, self._send, self._readable, self._writable)

    def __setstate__(self, state):
        self._recv, self._send, self._readable, self._writable = state
        self._closed = False
        self._ahead = []

    def _fork_copy(self):
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._ahead = list(self._ahead)
        return new

    def _check(self, want):
        if self._closed:
            raise OSError("handle is closed")
        if want == "r" and not self._readable:
            raise OSError("connection is write-only")
        if want == "w" and not self._writable:
            raise OSError("connection is read-only")

    def send(self, obj):
        """Send a (picklable) object"""
        self._check("w")
        _syscall("mq_put", self._send, _pickle.dumps(obj, protocol=_pickle.DEFAULT_PROTOCOL))

    def send_bytes(self, buf, offset=0, size=None):
        self._check("w")
        data = bytes(memoryview(buf))
        end = len(data) if size is None else offset + size
        _syscall("mq_put", self._send, b"B" + data[offset:end])

    def recv(self):
        """Receive a (picklable) object"""
        self._check("r")
        data = self._ahead.pop(0) if self._ahead else _syscall("mq_get", self._recv, None)
        return _pickle.loads(data)

    def recv_bytes(self, maxlength=None):
        self._check("r")
        data = self._ahead.pop(0) if self._ahead else _syscall("mq_get", self._recv, None)
        return bytes(data[1:]) if data[:1] == b"B" else bytes(data)

    def poll(self, timeout=0.0):
        """Whether there is any input available to be read"""
        self._check("r")
        if self._ahead:
            return True
        data = _syscall("mq_get", self._recv, _micros(timeout) if timeout is not None else None)
        if data is None:
            return False
        self._ahead.append(data)
        return True

    def close(self):
        self._closed = True

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def fileno(self):
        return self._recv

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


Connection.__module__ = "multiprocessing.connection"


def Pipe(duplex=True):
    """Returns two connection objects connected by a pipe"""
    a = _syscall("mq_new")
    if duplex:
        b = _syscall("mq_new")
        return Connection(a, b), Connection(b, a)
    return Connection(a, 0, True, False), Connection(0, a, False, True)


# ---------------------------------------------------------------------------
# Synchronization between processes (multiprocessing/synchronize.py): kernel locks


class Lock:
    """A lock shared by processes (a POSIX semaphore in CPython)."""

    def __init__(self, *, ctx=None):
        self._id = _syscall("lock_new")
        self._owner = None

    def __getstate__(self):
        _assert_spawning(self)
        return self._id

    def __setstate__(self, state):
        self._id = state
        self._owner = None

    def _fork_copy(self):
        new = object.__new__(type(self))
        new._id = self._id
        new._owner = self._owner
        return new

    def acquire(self, block=True, timeout=None):
        if not block:
            us = 0
        else:
            us = _micros(timeout)
        ok = _syscall("lock_acquire", self._id, us)
        if ok:
            self._owner = (_os.getpid(), _process.current_thread.name if _process.current_thread else "")
        return ok

    def release(self):
        try:
            _syscall("lock_release", self._id)
        except RuntimeError:
            raise ValueError("semaphore or lock released too many times") from None
        self._owner = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()

    def __repr__(self):
        return "<Lock(owner=%s)>" % ("None" if self._owner is None else self._owner[1])


Lock.__module__ = "multiprocessing.synchronize"


def _unsupported(name):
    def f(*args, **kwargs):
        raise NotImplementedError(
            f"multiprocessing.{name} is not simulated by wirescope (Process, Queue, SimpleQueue, "
            "JoinableQueue, Pipe, Lock, Value, Array and Pool are)"
        )

    f.__name__ = f.__qualname__ = name
    return f


RLock = _unsupported("RLock")
Semaphore = _unsupported("Semaphore")
BoundedSemaphore = _unsupported("BoundedSemaphore")
Event = _unsupported("Event")
Condition = _unsupported("Condition")
Barrier = _unsupported("Barrier")
Manager = _unsupported("Manager")


# ---------------------------------------------------------------------------
# Shared memory (multiprocessing/sharedctypes.py): one object every process refers to

_TYPECODES = {
    "c": ("c_char", None), "b": ("c_byte", 8), "B": ("c_ubyte", -8), "h": ("c_short", 16),
    "H": ("c_ushort", -16), "i": ("c_int", 32), "I": ("c_uint", -32), "l": ("c_long", 64),
    "L": ("c_ulong", -64), "q": ("c_longlong", 64), "Q": ("c_ulonglong", -64), "f": ("c_float", 0),
    "d": ("c_double", 0), "u": ("c_wchar", None),
}
_shared = {}  # id -> list (the shared memory); reset with each run (driver.begin_run)
_shared_ids = _itertools.count(1)


def _reset_shared():
    global _shared_ids
    _shared.clear()
    _shared_ids = _itertools.count(1)


def _convert(code, v):
    name, bits = _TYPECODES[code]
    if bits == 0:
        return float(v)
    if bits is None:
        return v
    v = int(v) if not isinstance(v, int) else v
    if isinstance(v, float):
        raise TypeError("int expected instead of float")
    n = abs(bits)
    v &= (1 << n) - 1
    if bits > 0 and v >= 1 << (n - 1):
        v -= 1 << n
    return v


def _typecode(typecode_or_type):
    if isinstance(typecode_or_type, str) and typecode_or_type in _TYPECODES:
        return typecode_or_type
    name = getattr(typecode_or_type, "__name__", None)
    for code, (cname, _) in _TYPECODES.items():
        if cname == name:
            return code
    raise TypeError(f"unsupported type {typecode_or_type!r}")


class _SharedValue:
    def __init__(self, code, sid, lock):
        self._code = code
        self._sid = sid
        self._lock = lock

    def __getstate__(self):
        return (self._code, self._sid, self._lock)

    def __setstate__(self, state):
        self._code, self._sid, self._lock = state

    def _fork_copy(self):
        # Shared memory stays shared.
        return self

    @property
    def value(self):
        return _shared[self._sid][0]

    @value.setter
    def value(self, v):
        _shared[self._sid][0] = _convert(self._code, v)

    def get_lock(self):
        if self._lock is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'get_lock'")
        return self._lock

    def get_obj(self):
        return self

    def acquire(self, *args):
        return self.get_lock().acquire(*args)

    def release(self):
        return self.get_lock().release()

    def __enter__(self):
        return self.get_lock().__enter__()

    def __exit__(self, *args):
        return self.get_lock().__exit__(*args)

    def __repr__(self):
        return f"<Synchronized wrapper for {_TYPECODES[self._code][0]}({self.value!r})>"


class _SharedArray(_SharedValue):
    def __len__(self):
        return len(_shared[self._sid])

    def __getitem__(self, i):
        return _shared[self._sid][i]

    def __setitem__(self, i, v):
        mem = _shared[self._sid]
        if isinstance(i, slice):
            vals = [_convert(self._code, x) for x in v]
            if len(range(*i.indices(len(mem)))) != len(vals):
                raise ValueError("Can only assign sequence of same size")
            mem[i] = vals
        else:
            mem[i] = _convert(self._code, v)

    def __iter__(self):
        return iter(list(_shared[self._sid]))

    def __repr__(self):
        return f"<SynchronizedArray wrapper for {list(_shared[self._sid])!r}>"

    @property
    def value(self):
        raise AttributeError("'SynchronizedArray' object has no attribute 'value'")


def Value(typecode_or_type, *args, lock=True, ctx=None):
    """Return a synchronization wrapper for a Value"""
    code = _typecode(typecode_or_type)
    sid = next(_shared_ids)
    init = args[0] if args else (0.0 if _TYPECODES[code][1] == 0 else 0)
    _shared[sid] = [_convert(code, init)]
    if lock is True:
        lock = Lock()
    return _SharedValue(code, sid, lock or None)


def RawValue(typecode_or_type, *args):
    return Value(typecode_or_type, *args, lock=False)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    """Return a synchronization wrapper for a RawArray"""
    code = _typecode(typecode_or_type)
    if isinstance(size_or_initializer, int):
        init = [0.0 if _TYPECODES[code][1] == 0 else 0] * size_or_initializer
    else:
        init = [_convert(code, x) for x in size_or_initializer]
    sid = next(_shared_ids)
    _shared[sid] = init
    if lock is True:
        lock = Lock()
    return _SharedArray(code, sid, lock or None)


def RawArray(typecode_or_type, size_or_initializer):
    return Array(typecode_or_type, size_or_initializer, lock=False)


# ---------------------------------------------------------------------------
# Pool (multiprocessing/pool.py)

_RUN, _CLOSE, _TERMINATE = 0, 1, 2


class RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class _ExceptionWithTraceback:
    def __init__(self, exc, text):
        self.exc = exc
        self.tb = '\n"""\n%s"""' % text

    def __reduce__(self):
        return _rebuild_exc, (self.exc, self.tb)


def _rebuild_exc(exc, tb):
    exc.__cause__ = RemoteTraceback(tb)
    return exc


class MaybeEncodingError(Exception):
    pass


def _mapstar(args):
    return list(map(*args))


def _starmapstar(args):
    return list(_itertools.starmap(args[0], args[1]))


def _worker(inqueue, outqueue, initializer=None, initargs=(), maxtasks=None):
    """A pool worker: run tasks until the None sentinel (multiprocessing/pool.py worker())."""
    if initializer is not None:
        initializer(*initargs)
    completed = 0
    while maxtasks is None or completed < maxtasks:
        task = inqueue.get()
        if task is None:
            break
        job, i, func, args, kwds = task
        try:
            result = (True, func(*args, **kwds))
        except Exception as e:  # noqa: BLE001 - sent to the parent
            result = (False, _ExceptionWithTraceback(e, _rt.format_exception(e)))
        outqueue.put((job, i, result))
        completed += 1


class ApplyResult:
    def __init__(self, pool, callback=None, error_callback=None, chunks=1):
        self._pool = pool
        self._job = next(pool._job_counter)
        self._callback = callback
        self._error_callback = error_callback
        self._chunks = chunks
        self._values = {}
        self._value = None
        self._success = True
        self._ready = False
        pool._cache[self._job] = self
        if chunks == 0:
            self._finish()

    def ready(self):
        return self._ready

    def successful(self):
        if not self._ready:
            raise ValueError("{0!r} not ready".format(self))
        return self._success

    def wait(self, timeout=None):
        self._pool._collect(self, timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self._ready:
            raise TimeoutError
        if self._success:
            return self._value
        raise self._value

    def _set(self, i, obj):
        success, value = obj
        if not success and self._success:
            self._success = False
            self._value = value
        elif success:
            self._values[i] = value
        if len(self._values) + (0 if self._success else 1) >= self._chunks or not self._success:
            self._finish()

    def _finish(self):
        self._ready = True
        self._pool._cache.pop(self._job, None)
        if self._success:
            self._value = self._assemble()
            if self._callback is not None:
                self._callback(self._value)
        elif self._error_callback is not None:
            self._error_callback(self._value)

    def _assemble(self):
        return self._values.get(0)


class MapResult(ApplyResult):
    def _assemble(self):
        out = []
        for i in range(self._chunks):
            out.extend(self._values[i])
        return out


AsyncResult = ApplyResult


class Pool:
    """Class which supports an async version of applying functions to arguments."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None, ctx=None):
        self._state = _RUN
        self._ctx = context or ctx or get_context()
        if processes is None:
            processes = cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None:
            if not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0:
                raise ValueError("maxtasksperchild must be a positive int or None")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._processes = processes
        self._inqueue = SimpleQueue()
        self._outqueue = SimpleQueue()
        self._job_counter = _itertools.count()
        self._cache = {}
        self._pool = []
        for _ in range(processes):
            w = self._ctx.Process(
                target=_worker, args=(self._inqueue, self._outqueue, initializer, initargs, maxtasksperchild)
            )
            w.name = w.name.replace("Process", "PoolWorker")
            w.daemon = True
            w.start()
            self._pool.append(w)

    def _check_running(self):
        if self._state != _RUN:
            raise ValueError("Pool not running")

    def _put(self, job, i, func, args, kwds=None):
        self._inqueue.put((job, i, func, args, kwds or {}))

    def _collect(self, result, timeout=None):
        """Read results until ``result`` is ready (or ``timeout`` passes)."""
        us = _micros(timeout)
        while not result._ready:
            try:
                job, i, obj = self._outqueue.get(timeout=None if us is None else us / 1e6)
            except BaseException as e:
                if type(e).__name__ == "Empty":
                    return
                raise
            r = self._cache.get(job)
            if r is not None:
                r._set(i, obj)

    def apply(self, func, args=(), kwds={}):
        """Equivalent of `func(*args, **kwds)`."""
        return self.apply_async(func, args, kwds).get()

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        result = ApplyResult(self, callback, error_callback)
        self._put(result._job, 0, func, args, kwds)
        return result

    def _map_async(self, func, iterable, mapper, chunksize=None, callback=None, error_callback=None):
        self._check_running()
        if not hasattr(iterable, "__len__"):
            iterable = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(iterable), len(self._pool) * 4)
            if extra:
                chunksize += 1
        if len(iterable) == 0:
            chunksize = 0
        items = list(iterable)
        chunks = [tuple(items[i : i + chunksize]) for i in range(0, len(items), chunksize)] if chunksize else []
        result = MapResult(self, callback, error_callback, len(chunks))
        for i, chunk in enumerate(chunks):
            self._put(result._job, i, mapper, ((func, chunk),))
        return result

    def map(self, func, iterable, chunksize=None):
        """Apply `func` to each element in `iterable`, collecting the results in a list that is returned."""
        return self._map_async(func, iterable, _mapstar, chunksize).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, _mapstar, chunksize, callback, error_callback)

    def starmap(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, _starmapstar, chunksize).get()

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, _starmapstar, chunksize, callback, error_callback)

    def imap(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable, chunksize))

    def imap_unordered(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable, chunksize))

    def close(self):
        if self._state == _RUN:
            self._state = _CLOSE

    def terminate(self):
        self._state = _TERMINATE
        for w in self._pool:
            if w.exitcode is None:
                w.terminate()

    def join(self):
        if self._state == _RUN:
            raise ValueError("Pool is still running")
        if self._state not in (_CLOSE, _TERMINATE):
            raise ValueError("In unknown state")
        if self._state == _CLOSE:
            for r in list(self._cache.values()):
                self._collect(r)
            for _ in self._pool:
                self._inqueue.put(None)
        for w in self._pool:
            w.join()

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()

    def __repr__(self):
        state = {_RUN: "RUN", _CLOSE: "CLOSE", _TERMINATE: "TERMINATE"}[self._state]
        return f"<multiprocessing.pool.Pool state={state} pool_size={len(self._pool)}>"


for _c in (Pool, ApplyResult, MapResult, RemoteTraceback, MaybeEncodingError):
    _c.__module__ = "multiprocessing.pool"
for _f in (_worker, _mapstar, _starmapstar, _rebuild_exc):
    _f.__module__ = "multiprocessing.pool"
_ExceptionWithTraceback.__module__ = "multiprocessing.pool"
for _f in (Value, RawValue, Array, RawArray):
    _f.__module__ = "multiprocessing.sharedctypes"
_SharedValue.__module__ = _SharedArray.__module__ = "multiprocessing.sharedctypes"
