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

_thread = None  # the simulated _thread module (install)
_ENDED = _rt.GreenThread(None, name="ended")

_CHECK = None
_programs: list = []
#: Threads that were stopped or still blocked when their run ended. They are kept alive on
#: purpose: a suspended generator that is garbage collected runs its ``finally`` blocks
#: (which may make system calls) at an arbitrary moment.
_parked: list = []


def _js(value):
    return to_js(value, create_pyproxies=False)


def install():
    global _CHECK, _thread
    _install.install()
    _thread = sys.modules["_thread"]
    _CHECK = _js(["c"])


def begin_run(seed: int) -> None:
    """Before a run: a deterministic start (garbage collected, ``random`` seeded, nothing left
    in the line buffer)."""
    _process.deactivate()
    # Statements run outside any program (install()'s own transformed modules, ~770 records)
    # would otherwise be charged to the first program's first step: the first run in a fresh
    # interpreter started every program 9 µs late. In place: builtins.__ws_buf__ is this list.
    _rt._lines.clear()
    _install.reset_stdlib_globals()
    gc.collect()
    random.seed(seed)
    # multiprocessing's shared values (mp.py; not loaded yet, it has none: read its __dict__,
    # an attribute read would load it)
    reset = getattr(sys.modules.get("multiprocessing"), "__dict__", {}).get("_reset_shared")
    if reset is not None:
        reset()


def new_program(name, path, home, argv, host, pid, ppid, uid, user, ns_per_record, js, cores=2, version="3.14", start_method="forkserver"):
    p = _process.Program(
        name=name, path=path, home=home, argv=list(argv), host=host, pid=pid, ppid=ppid,
        uid=uid, user=user, ns_per_record=ns_per_record, js=js,
    )
    p.cores = int(cores)
    v = str(version)
    p.version = tuple(int(x) for x in v.rstrip("t").split("."))
    p.fair_locks = p.version >= (3, 13)
    p.start_method = str(start_method)
    _programs.append(p)
    return p


def start(p, source: str):
    """Make the program's main thread (running its main module); returns it (a SimThread)."""
    t = _rt.main_thread(source, p.path)
    p.source = source
    p.module = t.module
    return main_thread(p, t.gen)


def main_thread(p, gen):
    """The main SimThread of ``p``, running the generator ``gen`` (its main module)."""
    green = _rt.GreenThread.from_generator(_main_body(p, gen), "MainThread")
    th = _process.SimThread(p, green, "MainThread", False, None, is_main=True)
    th.bind(p.pid)
    p.main = th
    p.threads.append(th)
    return th


def start_child(p, parent, key, name):
    """A child process's main thread (multiprocessing): what its parent prepared under ``key``."""
    mp = sys.modules["multiprocessing"]
    gen = mp.child_main(p, parent, key, name)
    return main_thread(p, gen)


def bind_thread(p, key, tid):
    """The SimThread a ``thread_start`` call asked for, now run by kernel thread ``tid``."""
    th = p.pending_threads.pop(int(key))
    th.bind(int(tid))
    return th


def _uses_threads(p) -> bool:
    return "threading" in p.modules or len(p.threads) > 1 or bool(getattr(p, "mp", None))


def _main_body(p, gen):
    """The main thread: the main module, then (as Py_RunMain does) the error report and
    threading._shutdown(), which waits for the non-daemon threads."""
    try:
        yield from gen
    except _process.BudgetExceeded:
        raise
    except BaseException as e:  # noqa: BLE001 - reported as CPython reports it
        if not _uses_threads(p):
            raise
        status, text = exit_status(e)
        if text:
            yield ("syscall", "write", ("stderr", text))
        yield from _finalize(p)
        raise SystemExit(status) from None
    if _uses_threads(p):
        yield from _finalize(p)


def _finalize(p):
    mod = p.modules.get("threading")
    if mod is not None:
        shutdown = _rt._gen_for(mod._shutdown)
        if shutdown is not None:
            yield from shutdown()
        else:  # pragma: no cover - threading is always compiled suspendable
            mod._shutdown()
    if getattr(p, "mp", None) is not None:
        exit_function = sys.modules["multiprocessing"]._exit_function
        yield from _rt._gen_for(exit_function)()


def exit_status(exc):
    """(status, text for stderr) of a program ending with ``exc`` (CPython's handle_system_exit)."""
    if isinstance(exc, SystemExit):
        code = exc.code
        if code is None:
            return 0, ""
        if code is True or code is False:
            return int(code), ""
        if isinstance(code, int):
            return code & 0xFF, ""
        return 1, f"{code}\n"
    text = _rt.format_exception(exc)
    return 1, text


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


def set_base(p, base_ns, cpu_ns, thread_cpu_ns) -> None:
    p.base_ns = base_ns
    p.cpu_base_ns = cpu_ns
    p.thread_cpu_base_ns = thread_cpu_ns
    p.step_records = 0


try:
    from _asyncio import _get_running_loop as _get_loop, _set_running_loop as _set_loop
except ImportError:  # pragma: no cover
    from asyncio.events import _get_running_loop as _get_loop, _set_running_loop as _set_loop


_get_hooks = sys.get_asyncgen_hooks
_set_hooks = sys.set_asyncgen_hooks


def step(th, mode, a, b, c, base_ns, cpu_ns, thread_cpu_ns):
    """Resume thread ``th``: mode 0 = start / after a check, 1 = with value ``a``, 2 = with the
    error ``{type: a, errno: b, message: c}``. It runs in its own contextvars context, with its
    own asyncio running loop."""
    p = th.program
    # A step can run inside another thread's nested wait (a blocking call made from C code):
    # whose process and thread are current is put back afterwards.
    prev_program = _process.current
    prev_thread = _process.current_thread
    _process.activate(p)
    _process.current_thread = th
    try:
        return _step(th, p, mode, a, b, c, base_ns, cpu_ns, thread_cpu_ns)
    finally:
        if prev_program is not None:
            _process.activate(prev_program)
            _process.current_thread = prev_thread


def _step(th, p, mode, a, b, c, base_ns, cpu_ns, thread_cpu_ns):
    p.base_ns = base_ns
    p.cpu_base_ns = cpu_ns
    p.thread_cpu_base_ns = thread_cpu_ns
    p.step_records = 0
    value = error = None
    if mode == 1:
        value = _process.to_python(a)
    elif mode == 2:
        error = _process.make_error(a, b, c, p.pending_call, p.pending_args)
    if th.pending_exc is not None and th.started:
        error, th.pending_exc = th.pending_exc, None
    # asyncio's running loop and async generator hooks are per OS thread in CPython; here every
    # green thread has its own.
    outer = _get_loop()
    hooks = _get_hooks()
    if outer is not th.loop:
        _set_loop(th.loop)
    if th.agen_hooks is not None:
        _set_hooks(*th.agen_hooks)
    drives = _rt.set_driving(0)
    try:
        r = th.context.run(_rt.step, th.green, value, error)
    finally:
        _rt.set_driving(drives)
        th.loop = _get_loop()
        if th.loop is not outer:
            _set_loop(outer)
        mine = _get_hooks()
        if th.loop is not None or th.agen_hooks is not None:
            th.agen_hooks = mine if th.loop is not None else None
        if mine != hooks:
            _set_hooks(*hooks)
    kind = r[0]
    if kind == "syscall":
        p.pending_call = r[1]
        p.pending_args = r[2]
        return _js(["s", r[1], list(r[2])])
    if kind == "check":
        return _CHECK
    # The thread has ended.
    th.finished = True
    if th.handle is not None:
        th.handle._set_done()
    _thread._forget_thread(th)
    th.green = _ENDED
    exc = r[1] if kind == "raised" else None
    if isinstance(exc, _process.BudgetExceeded):
        return _js(["x", 1, p.stdout.take_pending(), p.stderr.take_pending(), "", True])
    if not th.is_main:
        return _js(["x", 0, "", "", "", False])
    for h in p.main_handles:
        h._set_done()
    out = p.stdout.take_pending()
    err = p.stderr.take_pending()
    if exc is None:
        return _js(["x", 0, out, err, "", False])
    status, text = exit_status(exc)
    exc.__traceback__ = None  # the traceback keeps frames alive
    return _js(["x", status, out, err, text, False])


def end_run() -> None:
    """After a run: programs can make no more calls; the interpreter is given back."""
    for p in _programs:
        p.alive = False
        for th in p.threads:
            if not th.finished:
                _parked.append(th.green)
        p.threads = []
        p.pending_threads.clear()
        p.main = None
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
