"""A tiny fake driver for the runtime tests: round-robin green threads in virtual time.

Syscalls:
  ('sleep', secs)      resume after ``secs`` of virtual time
  ('now',)             the virtual time
  ('put', q, item)     append to queue ``q`` (wakes a getter)
  ('get', q)           pop from queue ``q``, waiting while it is empty
  ('spawn', fn, *args) start a new green thread, returns its name
  ('fail', exc)        raise ``exc`` at the call site
  ('echo', x)          returns x
Nested waits (syscalls reached from non-suspendable code) are served by ``block``,
which runs the scheduler recursively until that wait is satisfied.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import sys
import types
from collections import deque

from wirescope import runtime as rt


class _Nested:
    """A wait made through host.block (no generator to resume)."""

    def __init__(self, name):
        self.name = name
        self.done = False
        self.value = None
        self.error = None


class Kernel:
    def __init__(self, line_limit: int | None = None):
        self.now = 0
        self.seq = 0
        self.ready: deque = deque()  # (waiter, value, error)
        self.timers: list = []
        self.queues: dict = {}
        self.getters: dict = {}
        self.results: dict = {}
        self.threads: list = []
        self.nested_depth = 0
        self.max_nested_depth = 0
        self.checks = 0
        rt.set_line_limit(line_limit)
        rt.set_host(self)

    # -- scheduling ------------------------------------------------------------

    def spawn(self, thread):
        self.threads.append(thread)
        self.ready.append((thread, None, None))
        return thread

    def wake(self, waiter, value=None, error=None):
        self.ready.append((waiter, value, error))

    def _next(self):
        if not self.ready:
            if not self.timers:
                return None
            t, _, waiter = heapq.heappop(self.timers)
            self.now = max(self.now, t)
            self.ready.append((waiter, None, None))
        return self.ready.popleft()

    def run(self, until: _Nested | None = None, max_steps: int = 100000):
        for _ in range(max_steps):
            if until is not None and until.done:
                return
            item = self._next()
            if item is None:
                if until is not None:
                    raise RuntimeError(f"deadlock: nested wait {until.name} never satisfied")
                return
            waiter, value, error = item
            if isinstance(waiter, _Nested):
                waiter.done, waiter.value, waiter.error = True, value, error
                if waiter is not until:
                    raise RuntimeError("nested waits must be resumed last-in-first-out")
                continue
            r = rt.step(waiter, value, error)
            kind = r[0]
            if kind == "syscall":
                self.syscall(waiter, r[1], r[2])
            elif kind == "check":
                self.checks += 1
                rt.take_lines()
                self.ready.append((waiter, None, None))
            else:
                mod = waiter.module
                self.results[mod.__file__ if mod is not None else waiter.name] = r
        raise RuntimeError("too many steps")

    # -- syscalls ---------------------------------------------------------------

    def syscall(self, waiter, name, args):
        if name == "sleep":
            self.seq += 1
            heapq.heappush(self.timers, (self.now + args[0], self.seq, waiter))
        elif name == "now":
            self.ready.appendleft((waiter, self.now, None))
        elif name == "echo":
            self.ready.appendleft((waiter, args[0], None))
        elif name == "put":
            q, item = args
            getters = self.getters.get(q)
            if getters:
                self.wake(getters.popleft(), item)
            else:
                self.queues.setdefault(q, deque()).append(item)
            self.ready.appendleft((waiter, None, None))
        elif name == "get":
            (q,) = args
            items = self.queues.get(q)
            if items:
                self.ready.appendleft((waiter, items.popleft(), None))
            else:
                self.getters.setdefault(q, deque()).append(waiter)
        elif name == "spawn":
            fn, *fargs = args
            t = rt.GreenThread(fn, *fargs)
            self.spawn(t)
            self.ready.appendleft((waiter, t.name, None))
        elif name == "fail":
            self.ready.appendleft((waiter, None, args[0]))
        else:
            self.ready.appendleft((waiter, None, OSError(f"unknown syscall {name}")))

    # -- host (nested waits) ---------------------------------------------------

    def block(self, name, args):
        w = _Nested(name)
        self.nested_depth += 1
        self.max_nested_depth = max(self.max_nested_depth, self.nested_depth)
        try:
            self.syscall(w, name, args)
            self.run(until=w)
        finally:
            self.nested_depth -= 1
        if w.error is not None:
            raise w.error
        return w.value


def make_module(name: str, source: str, filename: str | None = None) -> types.ModuleType:
    """Create (and register) a module whose functions are suspendable."""
    mod = types.ModuleType(name)
    mod.__file__ = filename or f"<{name}>"
    code = rt.compile_suspendable(source, mod.__file__)
    sys.modules[name] = mod
    exec(code, mod.__dict__)
    return mod


# Simulated library functions the test programs use.
LIB = make_module(
    "simlib",
    '''
from wirescope.runtime import syscall

def sleep(secs):
    syscall("sleep", secs)

def now():
    return syscall("now")

def put(q, item):
    syscall("put", q, item)

def get(q):
    return syscall("get", q)

def spawn(fn, *args):
    return syscall("spawn", fn, *args)

def echo(x):
    return syscall("echo", x)
''',
    "simlib.py",
)


def run_programs(*programs, line_limit=None, setup=None):
    """Run (filename, source) programs together; return (stdout text, kernel)."""
    k = Kernel(line_limit)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for i, (filename, source) in enumerate(programs):
            k.spawn(rt.main_thread(source, filename, "__main__"))
        if setup:
            setup(k)
        k.run()
    rt.set_host(None)
    rt.set_line_limit(None)
    return out.getvalue(), k


def run(source, filename="prog.py", **kw):
    """Run one program; return its stdout, or stdout + the formatted traceback if it raised."""
    text, k = run_programs((filename, source), **kw)
    r = k.results.get(filename)
    if r and r[0] == "raised":
        text += rt.format_exception(r[1])
    return text
