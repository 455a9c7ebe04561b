"""The ``select`` module (Modules/selectmodule.c) on the simulated kernel: ``select.select``.

``poll``/``epoll`` are not provided, so ``selectors.DefaultSelector`` and ``socketserver``
use ``select()``. Argument checks give CPython's messages; readiness is the kernel's.
"""

import operator as _operator

from wirescope.runtime import syscall as _syscall
from wirescope.sim.cfunction import CFunction as _CFunction

error = OSError
PIPE_BUF = 4096


def _fileno(obj):
    if isinstance(obj, int):
        fd = obj
    else:
        meth = getattr(obj, "fileno", None)
        if meth is None:
            raise TypeError("argument must be an int, or have a fileno() method.")
        fd = meth()
        if not isinstance(fd, int):
            raise TypeError("fileno() returned a non-integer")
    if fd < 0:
        raise ValueError(f"file descriptor cannot be a negative integer ({fd})")
    return fd


def _seq(arg):
    try:
        items = list(arg)
    except TypeError:
        raise TypeError("arguments 1-3 must be sequences") from None
    return [(o, _fileno(o)) for o in items]


def _select(rlist, wlist, xlist, timeout=None, /):
    """Wait until one or more file descriptors are ready for some kind of I/O."""
    if timeout is None:
        us = None
    else:
        if isinstance(timeout, float):
            secs = timeout
        else:
            try:
                secs = _operator.index(timeout)
            except TypeError:
                raise TypeError("timeout must be a float or None") from None
        if secs != secs:
            raise ValueError("Invalid value NaN (not a number)")
        if secs < 0:
            raise ValueError("timeout must be non-negative")
        us = secs * 1e6
        n = int(us)
        us = n + 1 if us > n else n
    r = _seq(rlist)
    w = _seq(wlist)
    _seq(xlist)
    ready_r, ready_w, _ = _syscall("select", [fd for _, fd in r], [fd for _, fd in w], us)
    rs = set(ready_r)
    ws = set(ready_w)
    return [o for o, fd in r if fd in rs], [o for o, fd in w if fd in ws], []


select = _CFunction(_select, "select", "select")
