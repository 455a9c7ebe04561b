"""Standard-library modules with one instance per simulated process.

Several programs share one interpreter, and with them every module's state. For most modules
that does not matter (docs/python-runtime.md), but some keep state that belongs to a process:
``threading`` has its main thread, its table of running threads and its "Thread-N" counter;
``concurrent.futures.thread`` its exit hook and workers. For those, ``sys.modules[name]`` is a
*proxy*: any attribute read or written on it goes to the running program's own instance of the
module, created on first use by executing the module's source (compiled with the suspendable
transform when the first instance is made, top level not recorded: an import costs no virtual
time). Outside a program it is the interpreter's original module.

``import threading`` and ``from threading import Thread`` therefore give each program its own
threading, whichever program imported a module that imports threading first.
"""

from __future__ import annotations

import builtins
import sys
import types

from wirescope import runtime as _rt
from wirescope.transform import _remember_source, compile_suspendable
from wirescope.sim import process as _process

#: name -> (code, spec, names to add before executing it); the code is None until the first
#: instance is made (compiled then: most programs never make one)
_SPECS: dict[str, tuple[types.CodeType | None, object, dict]] = {}
#: name -> (the source as executed, the original source); until it is compiled
_SOURCES: dict[str, tuple[str, str]] = {}
#: name -> the module used outside programs (the original), or None (import it when needed)
_OUTSIDE: dict[str, types.ModuleType | None] = {}


class ProcessModule(types.ModuleType):
    """``sys.modules[name]``: forwards to the running program's instance of module ``name``."""

    ws_name = ""

    def __getattribute__(self, attr):
        return getattr(module_for(type(self).ws_name), attr)

    def __setattr__(self, attr, value):
        setattr(module_for(type(self).ws_name), attr, value)

    def __delattr__(self, attr):
        delattr(module_for(type(self).ws_name), attr)

    def __dir__(self):
        return dir(module_for(type(self).ws_name))


def register(name: str, source: str, spec, outside, patches=(), inject=None) -> None:
    """Give every program its own instance of module ``name`` (whose ``spec`` the import system
    found). ``patches``: (old, new) source edits of the same length, so that positions (and
    traceback carets) stay those of the original line, which tracebacks show. ``inject``:
    names the patched source uses, put in each instance before it runs."""
    patched = source
    for old, new in patches:
        if len(old) != len(new):
            raise ValueError(f"a patch of {name} must keep the length: {old!r} -> {new!r}")
        if old not in patched:
            raise ImportError(f"wirescope cannot adapt {name}: its source changed", name=name)
        patched = patched.replace(old, new)
    _SOURCES[name] = (patched, source)
    _SPECS[name] = (None, spec, dict(inject or {}))
    _OUTSIDE[name] = outside
    proxy_type = type(f"ProcessModule[{name}]", (ProcessModule,), {"ws_name": name})
    sys.modules[name] = proxy_type(name)


def module_for(name: str) -> types.ModuleType:
    """The instance of ``name`` for the running program (the original outside programs)."""
    p = _process.current
    if p is None:
        mod = _OUTSIDE.get(name)
        if mod is None:
            mod = _OUTSIDE[name] = _instantiate(name, None)
        return mod
    mod = p.modules.get(name)
    if mod is None:
        mod = _instantiate(name, p)
    return mod


def instance(p, name: str):
    """Program ``p``'s instance of ``name`` if it has made one, else None."""
    return p.modules.get(name)


def _instantiate(name: str, p) -> types.ModuleType:
    code, spec, inject = _SPECS[name]
    if code is None:
        patched, source = _SOURCES.pop(name)
        code = compile_suspendable(patched, spec.origin, check_syntax=False)
        _remember_source(spec.origin, source)  # tracebacks show the original lines
        _SPECS[name] = (code, spec, inject)
    mod = types.ModuleType(name)
    mod.__dict__.update(inject)
    mod.__spec__ = spec
    mod.__loader__ = spec.loader
    mod.__file__ = spec.origin
    mod.__cached__ = None
    if spec.submodule_search_locations is not None:
        mod.__path__ = list(spec.submodule_search_locations)
        mod.__package__ = name
    else:
        mod.__package__ = name.rpartition(".")[0]
    if p is not None:
        p.modules[name] = mod
    # The top level runs without recording (as install._Loader does for the standard library).
    saved = builtins.__ws_buf__
    recording = saved is _rt._lines
    builtins.__ws_buf__ = []
    builtins.__ws_lim__ = 1 << 62
    try:
        exec(code, mod.__dict__)
    except BaseException:
        if p is not None:
            p.modules.pop(name, None)
        raise
    finally:
        builtins.__ws_buf__ = _rt._lines if recording else saved
        builtins.__ws_lim__ = _rt._limit
    return mod
