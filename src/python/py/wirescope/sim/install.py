"""Put the simulated system into the interpreter (once, after loadPython()).

* ``sys.modules``: ``_socket`` -> ``sock.py``, ``select`` -> ``select.py``, ``errno`` -> Linux's
  (``errno_linux.py``), ``datetime`` -> ``_pydatetime`` (so ``datetime.now()`` reads the
  virtual clock); modules already imported that hold the originals (``socket``, ``selectors``,
  ``subprocess``...) are dropped from ``sys.modules`` so the next import gets the simulated ones.
* ``time`` and ``os`` functions patched in place (``clock.py``, ``osfns.py``), ``builtins.print``.
* An import hook that compiles, on import, the standard-library modules that block
  (``STDLIB``) and the programs' own modules (files in the program's directory) with the
  suspendable transform. Standard-library modules run their top level without recording
  lines (an import costs no virtual time: it must not depend on whether an earlier program of
  the same interpreter imported the module first); their functions' statements are recorded
  (they cost virtual time) but not listed in the trace.
"""

from __future__ import annotations

import builtins
import functools
import importlib.abc
import importlib.machinery
import os
import sys
import types

from wirescope import runtime as _rt
from wirescope.transform import compile_suspendable
from wirescope.sim import process as _process

#: Pure-Python standard-library modules compiled suspendable when imported.
STDLIB = frozenset(
    {
        "socket",
        "selectors",
        "socketserver",
        "http.client",
        "http.server",
        "urllib.request",
        "_pyio",
        "shutil",
        "ftplib",
        "smtplib",
        "poplib",
        "imaplib",
        "xmlrpc.client",
        "xmlrpc.server",
        "wsgiref.simple_server",
        "wsgiref.handlers",
        "logging.handlers",
        "queue",
    }
)

#: Standard-library modules install() used to import, now left to their first use (a program's
#: import, or asyncio's first use of socket/selectors): they are found and executed as install()
#: would have (``_as_at_install``), whichever program imports them first.
DEFERRED = frozenset({"socket", "selectors", "_pyio"})

#: Source edits made to a standard-library module as it is imported (same line count).
PATCHES = {
    # socket.makefile() builds its buffered layers from ``io``: use the pure-Python ones,
    # whose reads can suspend (SocketIO then subclasses _pyio.RawIOBase, registered with io).
    "socket": [("\nimport io\n", "\nimport _pyio as io\n")],
    # The C SimpleQueue's get() would block the whole interpreter: use the pure-Python one
    # (threading.Semaphore, whose waits suspend the calling thread).
    "queue": [("\n    from _queue import SimpleQueue\n", "\n    raise ImportError\n")],
}

_HERE = os.path.dirname(os.path.abspath(__file__))
REAL: dict[str, types.ModuleType] = {}
_installed = False


def _sim_module(modname: str, filename: str, *, suspendable: bool, record: bool = False) -> types.ModuleType:
    path = os.path.join(_HERE, filename)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    mod = types.ModuleType(modname)
    mod.__file__ = path
    # wirescope's own sources compile: no syntax-check compile before the transform.
    code = compile_suspendable(source, path, record=record, check_syntax=False) if suspendable else compile(source, path, "exec")
    exec(code, mod.__dict__)
    return mod


class _LazyModule(types.ModuleType):
    """A module installed now whose code runs when it is first used: when an attribute it does
    not have yet is read (``import`` alone binds it; ``from m import x`` or ``m.x`` runs it).
    The subclass made by ``_lazy_module`` has the loader as ``ws_load(module)``; once loaded
    the module is a plain module."""

    ws_load = None

    def __getattr__(self, attr):
        cls = type(self)
        self.__class__ = types.ModuleType
        try:
            _as_at_install(cls.ws_load, self)
        except BaseException:
            self.__class__ = cls
            raise
        return getattr(self, attr)


def _lazy_module(name: str, load) -> types.ModuleType:
    cls = type(f"LazyModule[{name}]", (_LazyModule,), {"ws_load": staticmethod(load)})
    return cls(name)


def _as_at_install(fn, *args):
    """Run ``fn`` (a part of install() done when first needed) as install() would have run it:
    outside any program (its directory out of ``sys.path``, its own modules out of
    ``sys.modules``), no line recorded, no check point."""
    p = _process.current
    path = sys.path[:]
    hidden = {}
    if p is not None:
        for name, mod in p.user_modules.items():
            if sys.modules.get(name) is mod:
                hidden[name] = sys.modules.pop(name)
        sys.path[:] = [d for d in sys.path if d != p.home]
        _process.current = None
    saved = builtins.__ws_buf__
    recording = saved is _rt._lines
    builtins.__ws_buf__ = []
    builtins.__ws_lim__ = 1 << 62
    try:
        return fn(*args)
    finally:
        builtins.__ws_buf__ = _rt._lines if recording else saved
        builtins.__ws_lim__ = _rt._limit
        _process.current = p
        sys.path[:] = path
        sys.modules.update(hidden)


def import_simulated(name: str) -> types.ModuleType:
    """``import name`` as install() would have imported it (``_as_at_install``): for the
    standard-library modules install() leaves to their first use (``socket``, ``selectors``)."""
    mod = sys.modules.get(name)
    if mod is None:
        import importlib

        mod = _as_at_install(importlib.import_module, name)
    return mod


class _ImportOnUse(types.ModuleType):
    """Stands for module ``__name__`` in the asyncio modules' namespaces until an attribute is
    read from it: the simulated module is imported then (``import_simulated``) and replaces it
    there."""

    def __getattr__(self, attr):
        mod = import_simulated(self.__name__)
        for name, m in list(sys.modules.items()):
            d = getattr(m, "__dict__", None) if name.startswith("asyncio") else None
            if d:
                for k, v in list(d.items()):
                    if v is self:
                        d[k] = mod
        return getattr(mod, attr)


class _Loader(importlib.abc.Loader):
    def __init__(self, original, origin: str, kind: str):
        self.original = original
        self.origin = origin
        self.kind = kind  # 'stdlib' | 'user'

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__
        source = self.original.get_source(name)
        if source is None:
            raise ImportError(f"no source for {name}", name=name)
        for old, new in PATCHES.get(name, ()):
            if old not in source:
                raise ImportError(f"wirescope cannot adapt {name}: its source changed", name=name)
            source = source.replace(old, new, 1)
        if self.kind == "user":
            code = compile_suspendable(source, self.origin)
            prog = _process.current
            if prog is not None:
                prog.user_modules[name] = module
            exec(code, module.__dict__)
            return
        code = compile_suspendable(source, self.origin, check_syntax=False)
        if name in DEFERRED and _process.current is not None:
            _as_at_install(exec, code, module.__dict__)
            _AS_IMPORTED[name] = (module, dict(module.__dict__))
            return
        saved = builtins.__ws_buf__
        recording = saved is _rt._lines
        builtins.__ws_buf__ = []
        builtins.__ws_lim__ = 1 << 62
        try:
            exec(code, module.__dict__)
        finally:
            builtins.__ws_buf__ = _rt._lines if recording else saved
            builtins.__ws_lim__ = _rt._limit
        _AS_IMPORTED[name] = (module, dict(module.__dict__))

    def get_source(self, fullname):
        return self.original.get_source(fullname)

    def __getattr__(self, name):
        return getattr(self.original, name)


#: name -> (module, its globals right after its top level ran), for the ``STDLIB`` modules.
_AS_IMPORTED: dict[str, tuple[types.ModuleType, dict]] = {}


def reset_stdlib_globals() -> None:
    """Before a run: give the ``STDLIB`` modules their globals as they were right after their
    import. They stay imported from one run to the next, and some set globals on first use
    (urllib.request's ``_opener``, built by the first ``urlopen``; ``_localhost``; shutil's
    ``_USE_CP_SENDFILE``): the first run in an interpreter paid for that and later runs did not,
    so the same scenario gave different traces. A program is a new process, whose modules are
    fresh. (Objects changed in place, e.g. a list global appended to, are not undone.)"""
    for module, fresh in _AS_IMPORTED.values():
        d = module.__dict__
        for k in [k for k in d if k not in fresh]:
            del d[k]
        d.update(fresh)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        prog = _process.current
        if prog is not None and fullname in DEFERRED:
            # Found (and executed, _Loader) as install() would have: not a program's own file.
            return _as_at_install(self.find_spec, fullname, path, target)
        if fullname not in STDLIB and prog is None:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is None:
                continue
            origin = spec.origin or ""
            loader = spec.loader
            if not origin.endswith(".py") or loader is None or not hasattr(loader, "get_source"):
                return spec
            if fullname in STDLIB:
                kind = "stdlib"
            elif prog is not None and origin.startswith(prog.home + "/"):
                kind = "user"
            else:
                return spec
            spec.loader = _Loader(loader, origin, kind)
            spec.cached = None
            return spec
        return None


#: threading.py as it is executed in each process: a thread's run() is called directly (its
#: green thread already runs in the Thread's contextvars context; Context.run, a C call, could
#: not suspend). Same length, so positions and traceback carets are those of the original line.
THREADING_PATCHES = [
    ("self._context.run(self.run)", "self.run(" + " " * 17 + ")"),
    # threading._shutdown() calls the exit hooks (concurrent.futures joins its workers there):
    # a partial, unlike a lambda, is called suspendably.
    ("lambda: func(*arg, **kwargs)", "_ws_p(func, *arg, **kwargs) "),
]


class InsertionOrderedSet(dict):
    """A set (as far as ThreadPoolExecutor uses one: ``add``, ``len``, iteration) that iterates
    in insertion order. A set of Thread objects iterates in the order of their ``id()``s, i.e.
    their memory addresses, which depend on everything the interpreter did before: shutdown()
    joined the workers in a different order from one run to the next in the same interpreter,
    and the same scenario gave a different trace."""

    __slots__ = ()

    def add(self, item) -> None:
        self[item] = None

    def discard(self, item) -> None:
        self.pop(item, None)


#: concurrent.futures.thread: the executor's workers in start order (see InsertionOrderedSet).
EXECUTOR_PATCHES = [("self._threads = set()", "self._threads = _OS()")]


def _install_threads() -> None:
    """``_thread`` simulated (sim/thread.py); ``threading`` one per process (permodule.py)."""
    import _thread as real_thread
    import threading as real_threading

    from wirescope.sim import permodule

    REAL["_thread"] = real_thread
    REAL["threading"] = real_threading
    thread_mod = _sim_module("_thread", "thread.py", suspendable=True)
    thread_mod._install_real(real_thread)
    sys.modules["_thread"] = thread_mod
    spec = real_threading.__spec__
    permodule.register(
        "threading", spec.loader.get_source("threading"), spec, real_threading, THREADING_PATCHES, {"_ws_p": functools.partial}
    )
    # multiprocessing: ours (sim/mp.py), also under its submodules' names (for pickling and for
    # `from multiprocessing.pool import Pool`). Compiled and executed when first used.
    for name in [n for n in sys.modules if n == "multiprocessing" or n.startswith("multiprocessing.")]:
        del sys.modules[name]
    import pickle  # noqa: F401 - what mp.py imports, imported here (outside any program)
    import signal  # noqa: F401

    mp = _lazy_module("multiprocessing", _load_mp)
    mp.__file__ = os.path.join(_HERE, "mp.py")
    sys.modules["multiprocessing"] = mp
    for sub in MP_SUBMODULES:
        sys.modules[f"multiprocessing.{sub}"] = mp


#: mp.SUBMODULES (the names multiprocessing's submodules are, as the one module mp.py)
MP_SUBMODULES = ("context", "process", "queues", "pool", "synchronize", "connection", "sharedctypes", "spawn", "util", "reduction")


def _load_sock(sock: types.ModuleType) -> None:
    path = sock.__file__
    with open(path, encoding="utf-8") as f:
        source = f.read()
    exec(compile_suspendable(source, path, record=False, check_syntax=False), sock.__dict__)
    sock._install_real(REAL["_socket"])


def _load_mp(mp: types.ModuleType) -> None:
    path = mp.__file__
    with open(path, encoding="utf-8") as f:
        source = f.read()
    exec(compile_suspendable(source, path, record=False, check_syntax=False), mp.__dict__)
    if mp.SUBMODULES != MP_SUBMODULES:  # pragma: no cover - kept in step with mp.py
        raise ImportError("install.MP_SUBMODULES differs from mp.SUBMODULES", name="multiprocessing")
    # Read (not import: it imports socket...) CPython's multiprocessing/process.py, for the
    # frames its tracebacks show.
    spec = REAL["threading"].__spec__
    origin = os.path.join(os.path.dirname(spec.origin), "multiprocessing", "process.py")
    try:
        loader = spec.loader
        if hasattr(loader, "get_data"):
            source = loader.get_data(origin).decode("utf-8")
        else:  # pragma: no cover - a stdlib on disk
            with open(origin, encoding="utf-8") as f:
                source = f.read()
    except Exception:  # noqa: BLE001 - only the traceback frames are missing then
        source = None
    if source:
        mp._find_stdlib_frames(origin, source)
    for sub in mp.SUBMODULES:
        setattr(mp, sub, mp)


def _install_concurrent_futures() -> None:
    """concurrent.futures compiled suspendable over the simulated threading: ``_base`` (Future,
    wait, as_completed) again in its own module object (asyncio refers to it), ``thread``
    (ThreadPoolExecutor: module state and exit hook per process) one per process."""
    import concurrent.futures as package
    import concurrent.futures._base as base
    import importlib.util

    from wirescope.sim import permodule

    old = dict(base.__dict__)
    code = compile_suspendable(base.__spec__.loader.get_source(base.__name__), base.__spec__.origin, check_syntax=False)
    iterators = os.path.join(_HERE, "cf_iterators.py")
    with open(iterators, encoding="utf-8") as f:
        iterators_code = compile_suspendable(f.read(), iterators, check_syntax=False)
    saved = builtins.__ws_buf__
    builtins.__ws_buf__ = []
    try:
        exec(code, base.__dict__)
        # Executor.map's result iterator and as_completed as iterators that can suspend.
        exec(iterators_code, base.__dict__)
    finally:
        builtins.__ws_buf__ = saved
    for name, value in list(package.__dict__.items()):
        if name in old and old[name] is value and name in base.__dict__:
            setattr(package, name, base.__dict__[name])
    for name in ("ThreadPoolExecutor", "ProcessPoolExecutor", "InterpreterPoolExecutor", "thread", "process"):
        package.__dict__.pop(name, None)
    for name in [n for n in sys.modules if n.startswith("concurrent.futures.") and n != "concurrent.futures._base"]:
        del sys.modules[name]
    spec = importlib.util.find_spec("concurrent.futures.thread")
    permodule.register(
        "concurrent.futures.thread", spec.loader.get_source(spec.name), spec, None, EXECUTOR_PATCHES, {"_OS": InsertionOrderedSet}
    )

    def __getattr__(name):
        if name == "ThreadPoolExecutor":
            return sys.modules["concurrent.futures.thread"].ThreadPoolExecutor
        if name in ("ProcessPoolExecutor", "InterpreterPoolExecutor"):
            raise NotImplementedError(
                f"concurrent.futures.{name} is not simulated by wirescope "
                "(ThreadPoolExecutor and multiprocessing.Pool are)"
            )
        raise AttributeError(f"module 'concurrent.futures' has no attribute {name!r}")

    package.__getattr__ = __getattr__


def _install_asyncio() -> None:
    """asyncio's SelectorEventLoop on the simulated select/socket (sim/aio.py)."""
    aio = _sim_module("wirescope.sim.aio", "aio.py", suspendable=True, record=True)
    sys.modules["wirescope.sim.aio"] = aio
    sys.modules["wirescope.sim"].aio = aio
    # socket, selectors (and _pyio, which socket imports) are imported when a program (or
    # asyncio) first uses them.
    aio.install(import_simulated, {name: _ImportOnUse(name) for name in ("socket", "selectors")})


def _zip_get_filename_without_compiling() -> None:
    """Pyodide's standard library is a zip of sources (no .pyc). CPython's
    ``zipimporter.get_filename``, which ``find_spec`` calls for every module, compiles the
    module to learn its path, and ``exec_module`` then compiles it again: every import from the
    zip paid two compiles (and the modules install.py transforms a useless one). For a source
    file the path is the archive entry's: return it without compiling (bytecode, or a name not
    in the archive: CPython's own)."""
    import zipimport

    original = zipimport.zipimporter.get_filename
    if getattr(original, "ws_fast", False):
        return
    module_path = getattr(zipimport, "_get_module_path", None)
    order = getattr(zipimport, "_zip_searchorder", None)
    if module_path is None or order is None or not hasattr(zipimport.zipimporter, "_get_files"):
        return  # pragma: no cover - another zipimport: keep it as it is

    def get_filename(self, fullname):
        path = module_path(self, fullname)
        files = self._get_files()
        for suffix, isbytecode, _ispackage in order:
            entry = files.get(path + suffix)
            if entry is not None:
                if isbytecode:
                    break
                return entry[0]
        return original(self, fullname)

    get_filename.ws_fast = True
    zipimport.zipimporter.get_filename = get_filename


def install() -> None:
    """Install the simulated modules (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    _zip_get_filename_without_compiling()
    for name in ("_socket", "select", "errno", "socket", "selectors", "datetime"):
        if name in sys.modules:
            REAL[name] = sys.modules[name]
    import _socket as real_socket  # noqa: F401 - the C module, for its pure functions

    REAL["_socket"] = real_socket

    cfunction = _sim_module("wirescope.sim.cfunction", "cfunction.py", suspendable=True)
    sys.modules["wirescope.sim.cfunction"] = cfunction
    sys.modules["wirescope.sim"].cfunction = cfunction
    errno_mod = _sim_module("errno", "errno_linux.py", suspendable=False)
    # The simulated _socket: only socket.py imports it; compiled and executed when first used.
    sock = _lazy_module("_socket", _load_sock)
    sock.__file__ = os.path.join(_HERE, "sock.py")
    select = _sim_module("select", "select.py", suspendable=True)

    # Modules holding the originals are imported again (errno's dependents are not: they deal
    # with the file system, whose errors keep Emscripten's numbers).
    old = {id(m) for name, m in REAL.items() if name != "errno"}
    for name, mod in list(sys.modules.items()):
        if name.startswith(("wirescope", "pyodide", "_pyodide", "js", "asyncio")):
            continue
        if name in STDLIB or name in REAL:
            del sys.modules[name]
            continue
        d = getattr(mod, "__dict__", None)
        if d and any(type(v) is types.ModuleType and id(v) in old for v in d.values()):
            del sys.modules[name]

    sys.modules["errno"] = errno_mod
    sys.modules["_socket"] = sock
    sys.modules["select"] = select
    try:
        import _pydatetime

        sys.modules["datetime"] = _pydatetime
    except ImportError:  # pragma: no cover - CPython < 3.12
        pass

    from wirescope.sim import clock, osfns

    clock.install()
    osfns.install()
    stdio = _sim_module("wirescope.sim.stdio", "stdio.py", suspendable=True)
    sys.modules["wirescope.sim.stdio"] = stdio
    sys.modules["wirescope.sim"].stdio = stdio
    builtins.print = stdio.print
    _rt.set_host(_process.HOST)
    sys.meta_path.insert(0, _Finder())
    _rt.hide_frames(_HERE)
    _install_threads()
    _install_concurrent_futures()
    _install_asyncio()
