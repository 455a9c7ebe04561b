"""Green threads over transformed (suspendable) Python code.

The driver (the JavaScript kernel) owns the schedule.  It creates threads with
``main_thread`` / ``GreenThread`` and advances them with ``step``; a thread runs
until it reaches ``syscall(...)`` (it then reports ``('syscall', name, args)``), a
check point after the line limit (``('check',)``), the end (``('done', value)``)
or an uncaught exception (``('raised', exc)``).

See docs/python-runtime.md for the contract, the line-buffer encoding and the
nested-wait fallback.
"""

from __future__ import annotations

import array
import builtins
import functools
import os
import sys
import traceback
import types

from . import transform
from .transform import compile_suspendable, file_table, install_import_hook, LINE_BITS

__all__ = [
    "syscall",
    "GreenThread",
    "main_thread",
    "step",
    "set_host",
    "take_lines",
    "lines_pending",
    "set_line_limit",
    "file_table",
    "format_exception",
    "hide_frames",
    "compile_suspendable",
    "install_import_hook",
    "is_suspendable",
    "suspendable_from_generator",
    "CHECK",
    "LINE_BITS",
]

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_BuiltinType = types.BuiltinFunctionType
_GeneratorType = types.GeneratorType
_partial = functools.partial
# Callables of these types are never transformed code: call sites skip __ws_G__ for them.
_NEVER = frozenset(
    {
        types.BuiltinFunctionType,
        types.MethodDescriptorType,
        types.WrapperDescriptorType,
        types.MethodWrapperType,
        types.ClassMethodDescriptorType,
    }
)

CHECK = ("check",)

# ---------------------------------------------------------------------------
# Line buffer
#
# Every statement executed by transformed code appends ``file_id << 20 | lineno``;
# every entry into a transformed function appends ``~(file_id << 20 | def_lineno)``
# (a negative number; the main module's entry uses line 0).

_lines: list[int] = []
_limit = 1 << 62


def _publish_buffer() -> None:
    builtins.__ws_buf__ = _lines


def take_lines() -> array.array:
    """Return the records made since the last call and start a new, empty buffer.

    The result is an ``array('i')`` (records are collected in a list, which is
    cheaper to append to, and converted here): JavaScript reads it zero-copy
    with ``proxy.getBuffer('i32')``.
    """
    global _lines
    taken = _lines
    _lines = []
    _publish_buffer()
    return array.array("i", taken)


def lines_pending() -> int:
    """Number of records in the buffer."""
    return len(_lines)


def set_line_limit(n: int | None) -> None:
    """Report ``('check',)`` at the first check point once ``n`` records are in the buffer.

    ``None`` (or a negative number) disables the limit.
    """
    global _limit
    _limit = (1 << 62) if n is None or n < 0 else int(n)
    builtins.__ws_lim__ = _limit


# ---------------------------------------------------------------------------
# Host (nested, synchronous waits)


class _NoHost:
    def block(self, name, args):
        raise RuntimeError(
            f"blocking call {name}{args!r} outside a suspendable context and no host is set"
        )


_host = _NoHost()


def set_host(host) -> None:
    """Set the object whose ``block(name, args)`` performs a syscall synchronously.

    It is used when ``syscall`` is reached from code that cannot suspend (a call
    made by C code: ``sorted(key=...)``, ``__str__``, a lambda, a comprehension,
    a user generator...).  It must return the syscall's result or raise.
    An optional ``check()`` method is called at check points reached there.
    """
    global _host
    _host = host if host is not None else _NoHost()


# ---------------------------------------------------------------------------
# Facades: plain functions in front of the generator functions


_FACADE_FILE = "<wirescope facade>"
_facade_codes: dict[tuple, types.CodeType] = {}
_GEN_CELL = 1  # index of __ws_gen__ in a facade's closure (co_freevars is sorted)


def _facade_code(gcode: types.CodeType) -> types.CodeType:
    flags = gcode.co_flags
    has_var = bool(flags & 0x04)
    has_kw = bool(flags & 0x08)
    npos = gcode.co_argcount
    nkwo = gcode.co_kwonlyargcount
    nposonly = gcode.co_posonlyargcount
    n = npos + nkwo + has_var + has_kw
    names = gcode.co_varnames[:n]
    key = (names, npos, nposonly, nkwo, has_var, has_kw)
    code = _facade_codes.get(key)
    if code is not None:
        return code
    pos = list(names[:npos])
    kwo = list(names[npos : npos + nkwo])
    i = npos + nkwo
    var = names[i] if has_var else None
    i += has_var
    kw = names[i] if has_kw else None
    params: list[str] = []
    call: list[str] = []
    for j, p in enumerate(pos):
        params.append(p)
        call.append(p)
        if nposonly and j == nposonly - 1:
            params.append("/")
    if var:
        params.append("*" + var)
        call.append("*" + var)
    elif kwo:
        params.append("*")
    for p in kwo:
        params.append(p)
        call.append(f"{p}={p}")
    if kw:
        params.append("**" + kw)
        call.append("**" + kw)
    src = (
        "def __ws_outer__(__ws_gen__, __ws_drive__):\n"
        f"    def __ws_facade__({', '.join(params)}):\n"
        f"        return __ws_drive__(__ws_gen__({', '.join(call)}))\n"
        "    return __ws_facade__\n"
    )
    outer = compile(src, _FACADE_FILE, "exec", dont_inherit=True)
    ocode = next(c for c in outer.co_consts if isinstance(c, types.CodeType))
    code = next(c for c in ocode.co_consts if isinstance(c, types.CodeType))
    # The compiler sorts free variables, so the generator's cell index is fixed.
    assert code.co_freevars == ("__ws_drive__", "__ws_gen__"), code.co_freevars
    _facade_codes[key] = code
    return code


def _make_facade(gen_fn: types.FunctionType) -> types.FunctionType:
    """Wrap the generator function ``gen_fn`` in a plain function with the same signature."""
    code = _facade_code(gen_fn.__code__)
    cells = {"__ws_gen__": types.CellType(gen_fn), "__ws_drive__": types.CellType(_drive)}
    closure = tuple(cells[n] for n in code.co_freevars)
    f = _FunctionType(code, gen_fn.__globals__, gen_fn.__name__, gen_fn.__defaults__, closure)
    f.__kwdefaults__ = gen_fn.__kwdefaults__
    f.__qualname__ = gen_fn.__qualname__
    f.__doc__ = gen_fn.__doc__
    f.__module__ = gen_fn.__module__
    if sys.version_info >= (3, 14):
        f.__annotate__ = gen_fn.__annotate__
    else:
        f.__annotations__ = gen_fn.__annotations__
    if sys.version_info >= (3, 12):
        f.__type_params__ = gen_fn.__type_params__
    if gen_fn.__dict__:
        f.__dict__.update(gen_fn.__dict__)
    return f


def suspendable_from_generator(gen_fn):
    """Make a suspendable function out of a hand-written generator function.

    The generator yields the same requests transformed code yields (e.g.
    ``return (yield ('syscall', 'sleep', (secs,)))``).  Called from transformed
    code it is delegated to with ``yield from``; called from anywhere else it runs
    synchronously through the host.
    """
    return _make_facade(gen_fn)


def _is_facade(f) -> bool:
    return type(f) is _FunctionType and f.__code__.co_filename == _FACADE_FILE


def _gen_of_facade(f):
    return f.__closure__[_GEN_CELL].cell_contents


def is_suspendable(f) -> bool:
    """True if calling ``f`` from transformed code may suspend."""
    return _gen_for(f) is not None


# ---------------------------------------------------------------------------
# Resolving a callee to a generator factory (the call-site test)


_type_call = type.__call__


def _construct(cls, init_gen, *args, **kwargs):
    # type.__call__ with a suspendable __init__
    obj = cls.__new__(cls, *args, **kwargs)
    if isinstance(obj, cls):
        r = yield from init_gen(obj, *args, **kwargs)
        if r is not None:
            raise TypeError(f"__init__() should return None, not '{type(r).__name__}'")
    return obj


def _gen_for(c):
    """Return a callable producing a suspendable generator for calling ``c``, or None.

    None means: call ``c`` normally (it is not transformed code).
    """
    t = type(c)
    if t is _MethodType:
        f = c.__func__
        if type(f) is _FunctionType and f.__code__.co_filename == _FACADE_FILE:
            return _MethodType(f.__closure__[_GEN_CELL].cell_contents, c.__self__)
        return None
    if t is _FunctionType:
        if c.__code__.co_filename == _FACADE_FILE:
            return c.__closure__[_GEN_CELL].cell_contents
        return None
    if t in _NEVER:
        return None
    if isinstance(c, type):
        if type(c).__call__ is not _type_call:
            return None
        init = c.__init__
        if type(init) is _FunctionType and init.__code__.co_filename == _FACADE_FILE:
            return _partial(_construct, c, _gen_of_facade(init))
        return None
    if t is _partial:
        g = _gen_for(c.func)
        if g is None:
            return None
        return _partial(g, *c.args, **c.keywords)
    call = getattr(t, "__call__", None)
    if type(call) is _FunctionType and call.__code__.co_filename == _FACADE_FILE:
        return _MethodType(_gen_of_facade(call), c)
    return None


# ---------------------------------------------------------------------------
# Synchronous driving (the nested-wait fallback)


def _is_pep479(e: BaseException) -> bool:
    return (
        type(e) is RuntimeError
        and isinstance(e.__cause__, StopIteration)
        and e.args[:1] == ("generator raised StopIteration",)
    )


#: How many synchronous drives (_drive) the running green thread is inside: when > 0, a
#: blocking call cannot suspend it and is served by the host (a nested wait). The driver
#: saves and resets it around each step of a green thread (``driving``/``set_driving``).
_driving = 0


def driving() -> int:
    """> 0 while the running code cannot suspend (it runs inside a synchronous drive)."""
    return _driving


def set_driving(n: int) -> int:
    global _driving
    old, _driving = _driving, n
    return old


def _drive(gen):
    """Run a suspendable generator to completion, serving syscalls through the host."""
    global _driving
    _driving += 1
    try:
        return _drive_inner(gen)
    finally:
        _driving -= 1


def _drive_inner(gen):
    send = gen.send
    value = None
    error = None
    while True:
        try:
            if error is None:
                req = send(value)
            else:
                e, error = error, None
                req = gen.throw(e)
        except StopIteration as stop:
            return stop.value
        except RuntimeError as e:
            if _is_pep479(e):
                raise e.__cause__.with_traceback(e.__cause__.__traceback__) from None
            raise
        value = None
        if req is CHECK:
            check = getattr(_host, "check", None)
            if check is not None:
                try:
                    check()
                except BaseException as e:  # noqa: BLE001 - thrown into the code
                    error = e
            continue
        try:
            value = _host.block(req[1], req[2])
        except BaseException as e:  # noqa: BLE001 - thrown into the code
            error = e


# ---------------------------------------------------------------------------
# syscall: the suspension primitive


def _syscall_gen(name, *args):
    return (yield ("syscall", name, args))


syscall = _make_facade(_syscall_gen)
syscall.__name__ = syscall.__qualname__ = "syscall"
syscall.__module__ = __name__
syscall.__doc__ = """syscall(name, *args) -> result

Suspend the calling green thread and hand ``('syscall', name, args)`` to the
driver; return what the driver resumes it with, or raise what it throws in.
Outside suspendable code, performs the call synchronously via ``host.block``."""


# ---------------------------------------------------------------------------
# Loops over suspendable iterators (for-statement adapter)


class _Pending:
    """Yielded by the loop adapter: the loop body runs ``yield from item.gen``."""

    __slots__ = ("gen", "value")


_STOP = object()


def _pending_next(nextgen, box):
    try:
        box.value = yield from nextgen()
    except StopIteration:
        box.value = _STOP
    except RuntimeError as e:
        if not _is_pep479(e):
            raise
        box.value = _STOP


def _loop_adapter(it, nextgen):
    box = _Pending()
    while True:
        box.gen = _pending_next(nextgen, box)
        yield box
        v = box.value
        box.value = box.gen = None
        if v is _STOP:
            return
        yield v


def _iter(x):
    it = iter(x)
    nx = getattr(type(it), "__next__", None)
    if type(nx) is _FunctionType and nx.__code__.co_filename == _FACADE_FILE:
        return _loop_adapter(it, _MethodType(_gen_of_facade(nx), it))
    return it


# ---------------------------------------------------------------------------
# with-statement helper


def _ctx(mgr):
    t = type(mgr)
    enter = getattr(t, "__enter__", None)
    if enter is None:
        raise TypeError(f"'{t.__name__}' object does not support the context manager protocol")
    exit = getattr(t, "__exit__", None)
    if exit is None:
        raise TypeError(
            f"'{t.__name__}' object does not support the context manager protocol (missed __exit__ method)"
        )
    return _bind(exit, mgr, t), _bind(enter, mgr, t)


def _bind(attr, obj, t):
    get = getattr(type(attr), "__get__", None)
    return attr if get is None else get(attr, obj, t)


# ---------------------------------------------------------------------------
# from m import *  at the (function-wrapped) top level


def _import_star(name, level, globs):
    if level:
        mod = __import__(name, globs, None, ["*"], level)
        if not name:
            pass
    else:
        mod = __import__(name, globs, None, ["*"], 0)
    names = getattr(mod, "__all__", None)
    d = mod.__dict__
    if names is None:
        names = [k for k in d if not k.startswith("_")]
    for k in names:
        globs[k] = getattr(mod, k)


# ---------------------------------------------------------------------------
# Builtins used by the generated code

_SENTINEL = object()


def _install_builtins() -> None:
    b = builtins
    _publish_buffer()
    b.__ws_lim__ = _limit
    b.__ws_len__ = len
    b.__ws_CHECK__ = CHECK
    b.__ws_S__ = _SENTINEL
    b.__ws_G__ = _gen_for
    b.__ws_NEVER__ = _NEVER
    b.__ws_facade__ = _make_facade
    b.__ws_iter__ = _iter
    b.__ws_Pending__ = _Pending
    b.__ws_ctx__ = _ctx
    b.__ws_exc_info__ = sys.exc_info
    b.__ws_import_star__ = _import_star


_install_builtins()


# ---------------------------------------------------------------------------
# Green threads


def _call_plain(func, args, kwargs):
    return func(*args, **kwargs)
    yield  # pragma: no cover - makes this a generator


class GreenThread:
    """A green thread: a stack of suspendable generators driven by ``step``.

    ``GreenThread(func, *args, **kwargs)`` runs ``func(*args, **kwargs)``; if
    ``func`` is not suspendable it runs as one uninterruptible step.
    Attributes: ``name``, ``gen`` (the outermost generator), ``module`` (for main
    threads), ``result`` / ``exception`` once finished, ``finished``.
    """

    __slots__ = ("gen", "name", "module", "result", "exception", "finished", "__weakref__")

    def __init__(self, func=None, *args, name: str | None = None, **kwargs):
        self.module = None
        self.result = None
        self.exception = None
        self.finished = False
        self.name = name or getattr(func, "__qualname__", None) or repr(func)
        if func is None:
            self.gen = None
            return
        g = _gen_for(func)
        self.gen = g(*args, **kwargs) if g is not None else _call_plain(func, args, kwargs)

    @classmethod
    def from_generator(cls, gen, name: str = "thread") -> "GreenThread":
        t = cls(None, name=name)
        t.gen = gen
        return t

    def __repr__(self):
        state = "finished" if self.finished else "alive"
        return f"<GreenThread {self.name} {state}>"


def _raise_gen(exc):
    raise exc
    yield  # pragma: no cover


def main_thread(source: str, filename: str, module_name: str = "__main__", *, register: bool = False) -> GreenThread:
    """A green thread that runs ``source`` as a program's main module.

    Top-level code is suspendable; module-level names are real globals of a new
    module object (``thread.module``).  With ``register=True`` the module is also
    put in ``sys.modules[module_name]``.  A SyntaxError is reported by the first
    ``step`` as ``('raised', SyntaxError)``, as CPython would report it.
    """
    mod = types.ModuleType(module_name)
    mod.__file__ = filename
    mod.__builtins__ = builtins
    mod.__dict__.setdefault("__cached__", None)
    if register:
        sys.modules[module_name] = mod
    t = GreenThread(None, name=module_name)
    t.module = mod
    try:
        code = compile_suspendable(source, filename, toplevel=True)
    except SyntaxError as e:
        e.__traceback__ = None
        t.gen = _raise_gen(e)
        return t
    fn = _FunctionType(code, mod.__dict__, "<module>")
    t.gen = fn()
    return t


def step(thread: GreenThread, value=None, error: BaseException | None = None) -> tuple:
    """Run ``thread`` until it suspends.

    Returns ``('syscall', name, args)``, ``('check',)``, ``('done', value)`` or
    ``('raised', exc)``.  ``value`` is the result of the pending syscall (None for
    the first step and after a check); ``error`` is thrown in instead.
    """
    gen = thread.gen
    try:
        if error is None:
            return gen.send(value)
        return gen.throw(error)
    except StopIteration as stop:
        thread.finished = True
        thread.result = stop.value
        return ("done", stop.value)
    except BaseException as e:  # noqa: BLE001 - reported to the driver
        if _is_pep479(e):
            e = e.__cause__
        thread.finished = True
        thread.exception = e
        return ("raised", e)


# ---------------------------------------------------------------------------
# Tracebacks

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_hidden_files: set[str] = {_FACADE_FILE}
_hidden_dirs: set[str] = {_PACKAGE_DIR}


def hide_frames(path: str) -> None:
    """Leave frames of the file (or of every file under the directory) ``path`` out of
    tracebacks, as CPython shows no frames for its C modules (use it for simulated
    ``socket``/``time`` modules written in Python)."""
    if os.path.isdir(path):
        _hidden_dirs.add(os.path.abspath(path))
    else:
        _hidden_files.add(path)


def _internal(tb) -> bool:
    fn = tb.tb_frame.f_code.co_filename
    if fn in _hidden_files or fn.startswith("<frozen importlib"):
        return True
    d = os.path.dirname(os.path.abspath(fn)) if fn[:1] in ("/", ".") or os.sep in fn else ""
    while d and d not in _hidden_dirs:
        parent = os.path.dirname(d)
        if parent == d:
            return False
        d = parent
    return bool(d)


def _filter_tb(tb):
    frames = []
    while tb is not None:
        if not _internal(tb):
            frames.append(tb)
        tb = tb.tb_next
    new = None
    for t in reversed(frames):
        new = types.TracebackType(new, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return new


def _clean(exc, seen):
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    exc.__traceback__ = _filter_tb(exc.__traceback__)
    _clean(exc.__cause__, seen)
    _clean(exc.__context__, seen)
    for sub in getattr(exc, "exceptions", ()) or ():
        if isinstance(sub, BaseException):
            _clean(sub, seen)


def format_exception(exc: BaseException) -> str:
    """Format ``exc`` as CPython prints an uncaught exception, without runtime frames."""
    _clean(exc, set())
    return "".join(traceback.format_exception(exc))
