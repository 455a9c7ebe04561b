"""``time`` functions in virtual time, patched into the real ``time`` module.

Inside a simulated program, clocks read the simulation's virtual time (statements cost
``process.NS_PER_RECORD`` ns each, system calls and waits what the kernel charges) and
``sleep`` suspends the program in virtual time. Outside a program (the test harness,
Pyodide itself) the original functions are used.

* ``time()``/``time_ns()``: ``EPOCH`` (2025-01-01 00:00:00 UTC) + virtual time.
* ``monotonic()``/``perf_counter()`` (and ``_ns``): ``UPTIME`` + virtual time (every host
  booted ``UPTIME`` seconds before the run started).
* ``process_time()``: the program's own CPU time (the statements of all its threads);
  ``thread_time()``: the running thread's.
* ``gmtime``/``localtime``/``ctime``/``asctime``/``strftime`` with no time argument use
  ``time()`` (the time zone is UTC).
"""

import operator as _operator
import time as _real

from wirescope import runtime as _rt
from wirescope.sim import process as _process

EPOCH_NS = 1_735_689_600 * 1_000_000_000
UPTIME_NS = 1_000 * 1_000_000_000

_NAMES = (
        "sleep", "time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns",
        "process_time", "process_time_ns", "thread_time", "thread_time_ns", "gmtime", "localtime",
        "ctime", "asctime", "strftime",
)
# (Emscripten's time module has no thread_time: the fallback is process_time.)
_orig = {name: getattr(_real, name, getattr(_real, name.replace("thread", "process"), None)) for name in _NAMES}


def _sleep(secs, /):
    p = _process.current
    if p is None:
        return _orig["sleep"](secs)
    if isinstance(secs, float):
        s = secs
    else:
        try:
            s = _operator.index(secs)
        except TypeError:
            raise TypeError(f"'{type(secs).__name__}' object cannot be interpreted as an integer or float") from None
    if s != s:
        raise ValueError("Invalid value NaN (not a number)")
    if s < 0:
        raise ValueError("sleep length must be non-negative")
    us = s * 1e6
    n = int(us)
    return (yield ("syscall", "sleep", (n + 1 if us > n else n,)))


# A suspendable function (a plain function to everything else): time.sleep() in a program
# suspends its green thread until the kernel wakes it.
sleep = _rt.suspendable_from_generator(_sleep)
sleep.__name__ = sleep.__qualname__ = "sleep"
sleep.__module__ = "time"
sleep.__doc__ = _orig["sleep"].__doc__


def time_ns():
    p = _process.current
    return _orig["time_ns"]() if p is None else EPOCH_NS + p.now_ns()


def time():
    p = _process.current
    return _orig["time"]() if p is None else (EPOCH_NS + p.now_ns()) / 1e9


def monotonic_ns():
    p = _process.current
    return _orig["monotonic_ns"]() if p is None else UPTIME_NS + p.now_ns()


def monotonic():
    p = _process.current
    return _orig["monotonic"]() if p is None else (UPTIME_NS + p.now_ns()) / 1e9


def perf_counter_ns():
    p = _process.current
    return _orig["perf_counter_ns"]() if p is None else UPTIME_NS + p.now_ns()


def perf_counter():
    p = _process.current
    return _orig["perf_counter"]() if p is None else (UPTIME_NS + p.now_ns()) / 1e9


def process_time_ns():
    p = _process.current
    return _orig["process_time_ns"]() if p is None else p.cpu_ns()


def process_time():
    p = _process.current
    return _orig["process_time"]() if p is None else p.cpu_ns() / 1e9


def thread_time_ns():
    p = _process.current
    return _orig["thread_time_ns"]() if p is None else p.thread_cpu_ns()


def thread_time():
    p = _process.current
    return _orig["thread_time"]() if p is None else p.thread_cpu_ns() / 1e9


def gmtime(seconds=None, /):
    if seconds is None and _process.current is not None:
        seconds = time()
    return _orig["gmtime"](seconds)


def localtime(seconds=None, /):
    if seconds is None and _process.current is not None:
        seconds = time()
    return _orig["localtime"](seconds)


def ctime(seconds=None, /):
    if seconds is None and _process.current is not None:
        seconds = time()
    return _orig["ctime"](seconds)


def asctime(t=None, /):
    if t is None and _process.current is not None:
        t = localtime()
    return _orig["asctime"]() if t is None else _orig["asctime"](t)


def strftime(format, t=None, /):
    if t is None and _process.current is not None:
        t = localtime()
    return _orig["strftime"](format) if t is None else _orig["strftime"](format, t)


def install():
    """Put the virtual clocks into the real ``time`` module (``from time import x`` after
    this gets them too)."""
    from wirescope.sim.cfunction import CFunction

    for name in _NAMES:
        setattr(_real, name, CFunction(globals()[name], name, "time"))
