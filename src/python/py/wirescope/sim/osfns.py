"""``os`` functions that must see the simulated process, patched into the real ``os`` module.

* ``unlink``/``remove``: a file in the program's (in-memory) directory is removed as usual;
  any other path is an AF_UNIX socket file in the simulated host's namespace, removed by the
  kernel (``FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x.sock'``).
* ``getpid``/``getppid``/``getuid``/``geteuid``/``getgid``/``getegid``: the simulated process's.

Outside a simulated program the original functions are used.
"""

import os as _os

from wirescope import runtime as _rt
from wirescope.sim import process as _process

_NAMES = ("unlink", "remove", "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid")
# Emscripten's os lacks some of these (geteuid...): their fallback is getuid.
_orig = {name: getattr(_os, name, getattr(_os, "getuid", None)) for name in _NAMES}


def _make_unlink(name):
    real = _orig[name]

    def gen(path, *, dir_fd=None):
        if _process.current is None or dir_fd is not None:
            return real(path, dir_fd=dir_fd)
        p = _os.fspath(path)
        if isinstance(p, bytes):
            p = _os.fsdecode(p)
        if not isinstance(p, str):
            raise TypeError(f"{name}: path should be string, bytes or os.PathLike, not {type(path).__name__}")
        if _os.path.lexists(p):
            return real(p)
        return (yield ("syscall", "unlink", (p,)))

    f = _rt.suspendable_from_generator(gen)
    f.__name__ = f.__qualname__ = name
    f.__module__ = "posix"
    f.__doc__ = real.__doc__
    return f


unlink = _make_unlink("unlink")
remove = _make_unlink("remove")


def getpid():
    p = _process.current
    return _orig["getpid"]() if p is None else p.pid


def getppid():
    p = _process.current
    return _orig["getppid"]() if p is None else p.ppid


def getuid():
    p = _process.current
    return _orig["getuid"]() if p is None else p.uid


geteuid = getgid = getegid = getuid


def cpu_count():
    """Return the number of logical CPUs in the system (the simulated host's cores)."""
    p = _process.current
    return _orig_cpu_count() if p is None else p.cores


process_cpu_count = cpu_count
_orig_cpu_count = _os.cpu_count


# sys.setswitchinterval / sys.getswitchinterval: the GIL of the simulated process (the kernel's
# thread scheduler). CPython keeps whole µs (truncated); a waiter waits at least 1 µs.


def _float_arg(x, what):
    if isinstance(x, float):
        return x
    f = getattr(type(x), "__float__", None)
    if f is not None:
        return f(x)
    try:
        return float(_operator_index(x))
    except TypeError:
        raise TypeError(f"must be real number, not {type(x).__name__}") from None


def _operator_index(x):
    import operator

    return operator.index(x)


_sys_orig = {}


def _setswitchinterval(interval, /):
    p = _process.current
    if p is None:
        return _sys_orig["setswitchinterval"](interval)
    x = _float_arg(interval, "interval")
    if not x > 0.0:
        raise ValueError("switch interval must be strictly positive")
    us = int(1e6 * x) if x < 1e12 else 10**18
    p.switch_interval_us = us
    yield ("syscall", "switch_interval", (max(us, 1),))


def _getswitchinterval():
    p = _process.current
    if p is None:
        return _sys_orig["getswitchinterval"]()
    us = yield ("syscall", "switch_interval", ())
    if getattr(p, "switch_interval_us", None) == 0:
        return 0.0
    return 1e-6 * us


def _is_gil_enabled():
    p = _process.current
    if p is None:
        return _sys_orig["_is_gil_enabled"]()
    # False in a free-threaded build ("python": "3.13t"/"3.14t" or "gil": "off").
    return (yield ("syscall", "gil_enabled", ()))


def _sys_function(gen, name, doc):
    f = _rt.suspendable_from_generator(gen)
    f.__name__ = f.__qualname__ = name
    f.__module__ = "sys"
    f.__doc__ = doc
    return f


def install():
    import sys

    from wirescope.sim.cfunction import CFunction

    for name in _NAMES:
        setattr(_os, name, CFunction(globals()[name], name, "posix"))
    for name in ("cpu_count", "process_cpu_count"):
        if hasattr(_os, name):
            setattr(_os, name, CFunction(globals()[name], name, "posix"))
    for name in ("setswitchinterval", "getswitchinterval", "_is_gil_enabled"):
        if not hasattr(sys, name):
            continue
        orig = getattr(sys, name)
        _sys_orig[name] = orig
        impl = globals()[name if name.startswith("_") else "_" + name]
        setattr(sys, name, CFunction(_sys_function(impl, name, orig.__doc__), name, "sys"))
