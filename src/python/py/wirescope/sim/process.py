"""One simulated process per program: its streams, clocks, directory and modules.

Several programs share one interpreter. Before a program's green thread runs, ``activate``
makes the interpreter look like that program's process: ``sys.stdout``/``stderr``/``stdin``,
``sys.argv``, the working directory, ``sys.path[0]``, ``sys.modules['__main__']`` and the
program's own modules (files next to it) are swapped in. Everything else is shared (the
standard library's modules and their module-level state, ``os.environ``, the ``random``
generator): see docs/python-runtime.md.

Virtual time: the JavaScript adapter charges a fixed cost per executed record of the line
buffer (a statement or a function entry). At each step it passes ``base_ns`` (virtual time,
in ns, when the step starts, sub-µs remainder included); clocks read during the step add the
records made since.
"""

from __future__ import annotations

import os
import re
import sys

from wirescope import runtime as _rt

try:  # Pyodide only (the adapter); the module is importable elsewhere for reading.
    from pyodide.ffi import JsBuffer, JsProxy  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    JsBuffer = JsProxy = ()  # type: ignore[assignment,misc]

#: Virtual-time cost of one recorded statement or function entry, ns (see docs/python-runtime.md).
NS_PER_RECORD = 12

current: "Program | None" = None
#: The green thread running now (a SimThread of ``current``), or None outside a program.
current_thread: "SimThread | None" = None
_base_path: list[str] = [d for d in sys.path if d]
_saved: dict = {}


class BudgetExceeded(BaseException):
    """Thrown into a program that went over its step budget where it cannot simply be stopped."""


def ident_of(tid: int, main: bool) -> int:
    """threading.get_ident() of kernel thread ``tid``: like glibc's pthread_t, an address (the
    main thread's ends in 740, others' in 6c0), distinct from the kernel's thread id."""
    return 0x7F00_0000_0000 + (tid << 24) + (0x740 if main else 0x6C0)


class SimThread:
    """One green thread of a simulated process, run by one kernel thread."""

    __slots__ = (
        "program", "green", "key", "tid", "ident", "name", "os_name", "daemon", "handle", "context",
        "loop", "agen_hooks", "policy_loop", "started", "finished", "pending_exc", "local_impls", "is_main",
        "__weakref__",
    )

    def __init__(self, program, green, name, daemon, handle, is_main=False, context=None):
        import contextvars

        self.program = program
        self.green = green
        self.key = 0
        self.tid = 0
        self.ident = 0
        self.name = name
        self.os_name = name.encode("utf-8", "replace")[:15].decode("utf-8", "ignore")
        self.daemon = daemon
        self.handle = handle
        self.is_main = is_main
        # Each thread has its own contextvars context (empty for a new thread, as in CPython
        # 3.14 without -X thread_inherit_context); threading.Thread passes its own.
        self.context = context if isinstance(context, contextvars.Context) else contextvars.Context()
        self.loop = None  # asyncio's running loop in this thread
        self.agen_hooks = None  # and its async generator hooks (sys.set_asyncgen_hooks), while it runs
        self.policy_loop = None  # the thread's current loop (asyncio.set_event_loop)
        self.started = False
        self.finished = False
        self.pending_exc = None  # raised in the thread the next time it runs (_thread.interrupt_main)
        self.local_impls = []

    def bind(self, tid: int) -> None:
        if self.tid == tid:
            return
        self.tid = tid
        self.ident = ident_of(tid, self.is_main)
        self.started = True

    def __repr__(self):
        return f"<SimThread {self.name} tid={self.tid} of {self.program.name}>"


def new_thread(p, function, args, kwargs, name, daemon, handle):
    """A thread of ``p`` that will run ``function(*args, **kwargs)``; the kernel starts it."""
    green = _rt.GreenThread.from_generator(_thread_body(p, function, args, kwargs, handle), name)
    # threading.Thread.start() chose the thread's contextvars context (Thread._context).
    context = getattr(getattr(function, "__self__", None), "_context", None)
    th = SimThread(p, green, name, daemon, handle, context=context)
    p.last_key += 1
    th.key = p.last_key
    p.pending_threads[th.key] = th
    p.threads.append(th)
    return th


def _thread_body(p, function, args, kwargs, handle):
    """What a new thread runs: ``function`` (threading's ``Thread._bootstrap``), then it is done."""
    gen = _rt._gen_for(function)
    try:
        if gen is not None:
            yield from gen(*args, **kwargs)
        else:
            function(*args, **kwargs)
    except SystemExit:
        pass
    except BaseException as e:  # noqa: BLE001 - as CPython's thread_run reports it
        # PyErr_FormatUnraisable("Exception ignored in thread started by %R", func)
        text = "Exception ignored in thread started by: %r\n%s" % (function, _rt.format_exception(e))
        yield ("syscall", "write", ("stderr", text))


class Program:
    """The process a program runs as: its threads, streams, clocks, directory and modules."""

    def __init__(self, *, name, path, home, argv, host, pid, ppid, uid, user, ns_per_record, js):
        from wirescope.sim import stdio

        self.name = name  # as shown in output prefixes and line events, e.g. "server.py"
        self.path = path  # absolute, e.g. "/sim/server/server.py"
        self.home = home  # the program's directory (sys.path[0]); its modules are its own
        self.cwd = home
        self.argv = list(argv)
        self.host = host
        self.pid = pid
        self.ppid = ppid
        self.uid = uid
        self.user = user
        self.ns_per_record = ns_per_record
        self.js = js  # JS object: block(name, args) -> [0, value] | [1, type, errno, message] | [2]
        self.stdout = stdio.SimOutput(self, "stdout")
        self.stderr = stdio.SimOutput(self, "stderr")
        self.stdin = stdio.SimInput(self)
        self.default_timeout = None  # socket.setdefaulttimeout, per process
        self.user_modules: dict = {}
        self.module = None
        self.thread = None
        self.alive = True
        self.base_ns = 0
        self.cpu_base_ns = 0
        self.thread_cpu_base_ns = 0
        self.step_records = 0
        self.pending_call = None  # the kernel call the thread is suspended in, and its args
        self.pending_args = ()
        # Threads (sim/thread.py): the main thread, all threads, those not yet bound to a kernel thread.
        self.main: SimThread | None = None
        self.threads: list[SimThread] = []
        self.pending_threads: dict[int, SimThread] = {}
        self.last_key = 0
        self.thread_number = 0
        self.nondaemon_handles: list = []
        self.main_handles: list = []
        self.fair_locks = True  # PyMutex hand-off (3.13+); False when modelling older versions
        self.modules: dict = {}  # per-process instances of standard-library modules (threading...)
        self.local_number = 0  # labels of threading.local objects in tls notes
        self.task_number = 0  # asyncio's "Task-N" names (a counter per process, as in CPython)
        self.cores = 2
        self.version = (3, 14)
        self.start_method = "forkserver"
        self.source = ""

    def __repr__(self):
        return f"<Program {self.name} on {self.host} pid {self.pid}>"

    def next_thread_number(self) -> int:
        self.thread_number += 1
        return self.thread_number

    # -- clocks --------------------------------------------------------------

    def elapsed_records(self) -> int:
        return self.step_records + len(_rt._lines)

    def now_ns(self) -> int:
        """Virtual time now, ns since the run started (whole ns: statements may cost 12.5 ns)."""
        return int(self.base_ns + self.elapsed_records() * self.ns_per_record)

    def cpu_ns(self) -> int:
        """CPU time this process used, whole ns (what time.process_time() reports)."""
        return int(self.cpu_base_ns + self.elapsed_records() * self.ns_per_record)

    def thread_cpu_ns(self) -> int:
        """CPU time the running thread used, whole ns (time.thread_time())."""
        return int(self.thread_cpu_base_ns + self.elapsed_records() * self.ns_per_record)

    # -- kernel calls from code that cannot suspend ----------------------------

    def block(self, name, args):
        """Perform a system call synchronously (the nested-wait fallback)."""
        if not self.alive:
            raise RuntimeError(f"{name}() after the simulation of {self.name} ended")
        from pyodide.ffi import to_js  # type: ignore[import-not-found]

        r = self.js.block(name, to_js(list(args), create_pyproxies=False))
        kind = r[0]
        if kind == 0:
            return to_python(r[1])
        if kind == 1:
            raise make_error(r[1], r[2], r[3], name, args)
        raise BudgetExceeded()


class _Host:
    """The runtime's host: syscalls reached from non-suspendable code, and check points there."""

    def block(self, name, args):
        if current is None:
            raise RuntimeError(f"blocking call {name}() outside a simulated program")
        return current.block(name, args)

    def check(self):
        if current is not None and current.alive:
            if current.js.check():
                raise BudgetExceeded()


HOST = _Host()


# ---------------------------------------------------------------------------
# Trace notes (no effect on the simulation; recorded at the current step's time)


def _short(value) -> str:
    try:
        text = repr(value)
    except Exception as e:  # noqa: BLE001 - a repr that fails is shown as such
        text = f"<repr failed: {type(e).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def note_tls(local, attr, value) -> None:
    """A threading.local attribute was set in the running thread."""
    p = current
    if p is None or not p.alive:
        return
    impl = object.__getattribute__(local, "_local__impl")
    if impl.label is None:
        p.local_number += 1
        cls = type(local)
        name = "local" if cls.__module__ == "_thread" and cls.__name__ == "_local" else cls.__name__
        impl.label = f"{name}#{p.local_number}"
    p.js.note("tls", impl.label, str(attr), _short(value), None)


def note_async(op, task, ready=None, detail=None) -> None:
    """An asyncio event-loop step (pass / create / run / await / done)."""
    p = current
    if p is None or not p.alive:
        return
    p.js.note("async", op, task, ready, detail)


# ---------------------------------------------------------------------------
# Switching programs


def activate(p: Program) -> None:
    """Make the interpreter look like program ``p``'s process."""
    global current
    if current is p:
        return
    if current is None:
        _saved.update(
            stdout=sys.stdout, stderr=sys.stderr, stdin=sys.stdin, argv=sys.argv,
            cwd=os.getcwd(), main=sys.modules.get("__main__"), path=list(sys.path),
        )
    else:
        _leave(current)
    current = p
    sys.stdout, sys.stderr, sys.stdin = p.stdout, p.stderr, p.stdin
    sys.argv = p.argv
    sys.path[:] = [p.home] + _base_path
    try:
        os.chdir(p.cwd)
    except OSError:
        pass
    if p.module is not None:
        sys.modules["__main__"] = p.module
    sys.modules.update(p.user_modules)


def _leave(p: Program) -> None:
    try:
        p.cwd = os.getcwd()
    except OSError:
        pass
    for name, mod in p.user_modules.items():
        if sys.modules.get(name) is mod:
            del sys.modules[name]


def deactivate() -> None:
    """Give the interpreter back (after a run, or before other Python code runs)."""
    global current, current_thread
    current_thread = None
    if current is None:
        return
    _leave(current)
    current = None
    sys.stdout, sys.stderr, sys.stdin = _saved["stdout"], _saved["stderr"], _saved["stdin"]
    sys.argv = _saved["argv"]
    sys.path[:] = _saved["path"]
    try:
        os.chdir(_saved["cwd"])
    except OSError:
        pass
    if _saved["main"] is not None:
        sys.modules["__main__"] = _saved["main"]


# ---------------------------------------------------------------------------
# Values and errors from the kernel


def to_python(v):
    """A kernel result as Python: Uint8Array -> bytes, arrays -> tuples, null -> None."""
    if isinstance(v, JsProxy):
        if type(v).__name__ == "JsNull":
            return None
        if isinstance(v, JsBuffer):
            return v.to_bytes()
        if v.typeof == "object" and hasattr(v, "length"):
            return tuple(to_python(x) for x in v)
        return v.to_py()
    return v


_ERRNO_TEXT = re.compile(r"^\[Errno (-?\d+)\] (.*)$", re.S)


def oserror(cls, errno_: int, strerror: str, filename=None) -> OSError:
    """``cls(errno, strerror[, filename])`` without CPython's errno -> subclass remapping.

    ``OSError(111, ...)`` would pick its subclass from the platform's errno table, which in
    Pyodide is Emscripten's (there 2 is EACCES, so ``OSError(2, ...)`` is a PermissionError).
    The kernel names the class itself, so build exactly that class.
    """
    args = (errno_, strerror) if filename is None else (errno_, strerror, filename)
    if cls is not OSError:
        return cls(*args)
    e = OSError.__new__(OSError)
    e.args = (errno_, strerror)
    e.errno = errno_
    e.strerror = strerror
    if filename is not None:
        e.filename = filename
    return e


def make_error(type_, errno_, message, call=None, args=()):
    """The exception for a kernel error ``{type, errno?, message}`` (src/sim/os/errors.ts)."""
    import builtins

    if type_ in ("gaierror", "herror"):
        sock = sys.modules.get("_socket")
        cls = getattr(sock, type_, OSError)
    else:
        cls = getattr(builtins, type_, None)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            cls = RuntimeError
    if type(errno_).__name__ == "JsNull":
        errno_ = None
    if errno_ is not None and issubclass(cls, OSError):
        m = _ERRNO_TEXT.match(message or "")
        strerror = m.group(2) if m else message
        filename = None
        if call == "unlink" and args:
            suffix = f": {args[0]!r}"
            if strerror.endswith(suffix):
                strerror = strerror[: -len(suffix)]
                filename = args[0]
        return oserror(cls, int(errno_), strerror, filename)
    return cls(message) if message else cls()
