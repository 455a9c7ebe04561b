"""What the JavaScript adapter (src/python/program.ts) calls: one function per crossing.

``step`` runs a program's green thread until it makes a kernel call, reaches a check point
or ends, and returns a JS array:

* ``['s', name, args]``: a kernel call (args as a JS array: bytes -> Uint8Array, tuples -> arrays);
* ``['c']``: a check point (the line buffer is full: the adapter takes it);
* ``['x', status, stdout_rest, stderr_rest, text, killed]``: the program ended. ``text``
  goes to stderr (a traceback, or ``sys.exit``'s message); ``*_rest`` is output still
  buffered (a last line without newline); ``killed`` is true when the step budget stopped it
  where it could not simply be abandoned (inside a nested wait).
"""

from __future__ import annotations

import gc
import random
import sys

from pyodide.ffi import to_js  # type: ignore[import-not-found]

from wirescope import runtime as _rt
from wirescope.sim import install as _install
from wirescope.sim import process as _process

_CHECK = None
_programs: list = []
#: Threads that were stopped or still blocked when their run ended. They are kept alive on
#: purpose: a suspended generator that is garbage collected runs its ``finally`` blocks
#: (which may make system calls) at an arbitrary moment.
_parked: list = []


def _js(value):
    return to_js(value, create_pyproxies=False)


def install():
    global _CHECK
    _install.install()
    _CHECK = _js(["c"])


def begin_run(seed: int) -> None:
    """Before a run: a deterministic start (garbage collected, ``random`` seeded)."""
    _process.deactivate()
    gc.collect()
    random.seed(seed)


def new_program(name, path, home, argv, host, pid, ppid, uid, user, ns_per_record, js):
    p = _process.Program(
        name=name, path=path, home=home, argv=list(argv), host=host, pid=pid, ppid=ppid,
        uid=uid, user=user, ns_per_record=ns_per_record, js=js,
    )
    _programs.append(p)
    return p


def start(p, source: str) -> None:
    t = _rt.main_thread(source, p.path)
    p.thread = t
    p.module = t.module


def check_syntax(source: str, filename: str) -> str:
    """'' if ``source`` compiles, else the error as CPython prints it."""
    import traceback

    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as e:
        e.__traceback__ = None
        return "".join(traceback.format_exception_only(e))
    return ""


def take_lines(p):
    """The line buffer (array('i')), charged to ``p``'s current step."""
    p.step_records += len(_rt._lines)
    return _rt.take_lines()


def set_base(p, base_ns, cpu_ns) -> None:
    p.base_ns = base_ns
    p.cpu_base_ns = cpu_ns
    p.step_records = 0


def step(p, mode, a, b, c, base_ns, cpu_ns):
    """Resume ``p``: mode 0 = start / after a check, 1 = with value ``a``, 2 = with the error
    ``{type: a, errno: b, message: c}``."""
    _process.activate(p)
    p.base_ns = base_ns
    p.cpu_base_ns = cpu_ns
    p.step_records = 0
    t = p.thread
    if mode == 1:
        r = _rt.step(t, _process.to_python(a))
    elif mode == 2:
        r = _rt.step(t, None, _process.make_error(a, b, c, p.pending_call, p.pending_args))
    else:
        r = _rt.step(t)
    kind = r[0]
    if kind == "syscall":
        p.pending_call = r[1]
        p.pending_args = r[2]
        return _js(["s", r[1], list(r[2])])
    if kind == "check":
        return _CHECK
    out = p.stdout.take_pending()
    err = p.stderr.take_pending()
    if kind == "done":
        return _js(["x", 0, out, err, "", False])
    exc = r[1]
    if isinstance(exc, _process.BudgetExceeded):
        return _js(["x", 1, out, err, "", True])
    if isinstance(exc, SystemExit):
        code = exc.code
        if code is None:
            return _js(["x", 0, out, err, "", False])
        if isinstance(code, int) and not isinstance(code, bool):
            return _js(["x", code & 0xFF, out, err, "", False])
        if code is True or code is False:
            return _js(["x", int(code), out, err, "", False])
        return _js(["x", 1, out, err, f"{code}\n", False])
    text = _rt.format_exception(exc)
    t.exception = None  # the traceback keeps frames alive
    return _js(["x", 1, out, err, text, False])


def end_run() -> None:
    """After a run: programs can make no more calls; the interpreter is given back."""
    for p in _programs:
        p.alive = False
        t = p.thread
        if t is not None and not t.finished:
            _parked.append(t)
        p.thread = None
    _programs.clear()
    _process.deactivate()
    gc.collect()


def real_module(name: str):
    """The original module ``name`` (e.g. '_socket'), for tests comparing messages."""
    return _install.REAL.get(name)


#: Where the programs' directories are (one per host: /sim/<host>/).
ROOT = "/sim"


def prepare_files(files) -> None:
    """Empty ``ROOT`` and write ``files`` ({absolute path: text}) into it."""
    import os
    import shutil

    files = files.to_py() if hasattr(files, "to_py") else dict(files)
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    for path, text in files.items():
        if not path.startswith(ROOT + "/"):
            raise ValueError(f"{path} is not under {ROOT}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
