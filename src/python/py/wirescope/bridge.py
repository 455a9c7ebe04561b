"""JavaScript-facing helpers used by src/python/pyodide.ts (Pyodide only).

They convert between the runtime's Python tuples and plain JS values so that a
step costs one call across the boundary.
"""

from __future__ import annotations

import builtins

from pyodide.ffi import JsBuffer, JsProxy, to_js

from . import runtime


def _py(value):
    """A JS value handed to Python code: typed arrays become bytes, the rest to_py()."""
    if isinstance(value, JsBuffer):
        return value.to_bytes()
    if isinstance(value, JsProxy):
        return value.to_py()
    return value


def make_error(spec) -> BaseException:
    """An exception to throw into Python from ``{error: ...}``.

    ``spec`` is a Python exception instance or class (passed from JS as a
    PyProxy), or a JS object ``{type: 'ConnectionRefusedError', args: [111, 'Connection refused']}``
    naming a builtin exception.
    """
    if isinstance(spec, BaseException):
        return spec
    if isinstance(spec, type) and issubclass(spec, BaseException):
        return spec()
    d = _py(spec)
    if isinstance(d, dict):
        cls = getattr(builtins, str(d.get("type", "RuntimeError")), None)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            cls = RuntimeError
        return cls(*[_py(a) for a in (d.get("args") or [])])
    return RuntimeError(str(d))


def _js(value):
    return to_js(value, dict_converter=_object_from_entries, create_pyproxies=True)


def _object_from_entries(entries):
    from js import Object  # type: ignore[import-not-found]

    return Object.fromEntries(entries)


def step(thread, has_error: bool, payload):
    """``runtime.step`` for JS: returns a JS array ``[kind, a, b]``.

    syscall -> ['syscall', name, args (JS array)]; check -> ['check'];
    done -> ['done', value]; raised -> ['raised', exception (PyProxy), formatted traceback].
    """
    if has_error:
        r = runtime.step(thread, None, make_error(payload))
    else:
        r = runtime.step(thread, _py(payload))
    kind = r[0]
    if kind == "syscall":
        return _js([kind, r[1], list(r[2])])
    if kind == "check":
        return _js(["check"])
    if kind == "done":
        return _js(["done", r[1]])
    exc = r[1]
    return to_js(["raised", exc, runtime.format_exception(exc)], create_pyproxies=True)


class JsHost:
    """Host whose ``block`` calls a JS function returning ``{value}`` or ``{error}``."""

    def __init__(self, block):
        self._block = block

    def block(self, name, args):
        result = self._block(name, _js(list(args)))
        if isinstance(result, JsProxy):
            if hasattr(result, "error"):
                raise make_error(result.error)
            if hasattr(result, "value"):
                return _py(result.value)
            return None
        return result


def set_host(block) -> None:
    runtime.set_host(None if block is None else JsHost(block))


def take_lines():
    """The line buffer as an ``array('i')`` (read with getBuffer('i32'))."""
    return runtime.take_lines()


def file_table():
    return _js(runtime.file_table())


def install_import_hook(should_transform) -> None:
    runtime.install_import_hook(lambda name: bool(should_transform(name)))
