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
_base_path: list[str] = [d for d in sys.path if d]
_saved: dict = {}


class BudgetExceeded(BaseException):
    """Thrown into a program that went over its step budget where it cannot simply be stopped."""


class Program:
    """The process a program runs as (one green thread for now)."""

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
        self.step_records = 0
        self.pending_call = None  # the kernel call the thread is suspended in, and its args
        self.pending_args = ()

    def __repr__(self):
        return f"<Program {self.name} on {self.host} pid {self.pid}>"

    # -- clocks --------------------------------------------------------------

    def elapsed_records(self) -> int:
        return self.step_records + len(_rt._lines)

    def now_ns(self) -> int:
        """Virtual time now, ns since the run started (whole ns: statements may cost 12.5 ns)."""
        return int(self.base_ns + self.elapsed_records() * self.ns_per_record)

    def cpu_ns(self) -> int:
        """CPU time this process used, whole ns (what time.process_time() reports)."""
        return int(self.cpu_base_ns + self.elapsed_records() * self.ns_per_record)

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
    global current
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
