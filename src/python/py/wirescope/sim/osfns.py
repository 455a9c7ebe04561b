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


def install():
    from wirescope.sim.cfunction import CFunction

    for name in _NAMES:
        setattr(_os, name, CFunction(globals()[name], name, "posix"))
