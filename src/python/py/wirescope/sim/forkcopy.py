"""What ``fork()`` gives a child: a copy of the parent's memory as it is now.

All simulated processes live in one interpreter, so a forked child gets *copies* of the
parent's program modules (its ``__main__`` and the modules of its own directory): every value
reachable from their globals is deep-copied, and functions and classes defined in them are
re-created over the copied globals, so a child that changes a global changes its own copy
(the classic demo: a counter incremented in children stays 0 in the parent). The objects to
hand to the child (the Process object with its target and arguments) are copied with the same
memo, so they refer to the copies.

Not copied (shared with the parent, as if they lived in shared memory): the standard library's
modules and their state, objects that cannot be copied (sockets, whose descriptors a forked
child would share with its parent anyway), classes with a metaclass other than ``type``.
Locks are copied in their current state (a lock held by another thread stays locked in the
child, as after a real fork).
"""

from __future__ import annotations

import copy
import types

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_ModuleType = types.ModuleType


def fork_copy(modules: dict[str, types.ModuleType], objects: tuple, extra_memo: dict | None = None):
    """Copy ``modules`` ({name: module}) and ``objects``; returns (new modules, new objects)."""
    memo: dict = {} if extra_memo is None else dict(extra_memo)
    new_modules: dict[str, types.ModuleType] = {}
    copied = {}
    for name, mod in modules.items():
        new = _ModuleType(mod.__name__)
        memo[id(mod)] = new
        memo[id(mod.__dict__)] = new.__dict__
        new_modules[name] = new
        copied[mod.__name__] = mod
    names = frozenset(copied)
    dispatch = copy._deepcopy_dispatch
    saved = {t: dispatch.get(t) for t in (_FunctionType, type, _ModuleType, _MethodType)}

    def copy_function(f, memo, deepcopy=copy.deepcopy):
        g = memo.get(id(f.__globals__))
        if g is None:
            return f
        cells = None
        if f.__closure__:
            cells = []
            for c in f.__closure__:
                nc = memo.get(id(c))
                if nc is None:
                    nc = memo[id(c)] = types.CellType()
                    memo.setdefault("__cells__", []).append((c, nc))
                cells.append(nc)
            cells = tuple(cells)
        new = _FunctionType(f.__code__, g, f.__name__, None, cells)
        memo[id(f)] = new
        new.__defaults__ = deepcopy(f.__defaults__, memo)
        new.__kwdefaults__ = deepcopy(f.__kwdefaults__, memo)
        new.__qualname__ = f.__qualname__
        new.__doc__ = f.__doc__
        new.__module__ = f.__module__
        try:
            new.__annotate__ = f.__annotate__
        except AttributeError:  # pragma: no cover - before 3.14
            pass
        if f.__dict__:
            new.__dict__.update(deepcopy(f.__dict__, memo))
        return new

    def copy_class(cls, memo, deepcopy=copy.deepcopy):
        if cls.__module__ not in names or type(cls) is not type:
            return cls
        d = cls.__dict__
        ns = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        slots = d.get("__slots__")
        if slots is not None:
            ns["__slots__"] = slots
        try:
            bases = tuple(deepcopy(b, memo) for b in cls.__bases__)
            new = type(cls.__name__, bases, ns)
        except Exception:  # noqa: BLE001 - keep sharing what cannot be re-created
            return cls
        memo[id(cls)] = new
        for k, v in d.items():
            if k in ("__dict__", "__weakref__", "__module__", "__qualname__", "__slots__"):
                continue
            if slots is not None and isinstance(v, types.MemberDescriptorType):
                continue
            try:
                setattr(new, k, deepcopy(v, memo))
            except Exception:  # noqa: BLE001
                setattr(new, k, v)
        return new

    def copy_module(m, memo, deepcopy=None):
        return m

    def copy_method(m, memo, deepcopy=copy.deepcopy):
        return _MethodType(deepcopy(m.__func__, memo), deepcopy(m.__self__, memo))

    def value(v):
        try:
            return copy.deepcopy(v, memo)
        except Exception:  # noqa: BLE001 - cannot be copied: shared
            return v

    lock_types = _lock_types()

    def copy_lock(lk, memo, deepcopy=None):
        new = type(lk)()
        if hasattr(lk, "_count"):  # RLock
            new._block._locked = lk._block._locked
            new._owner, new._count = lk._owner, lk._count
        else:
            new._locked = lk._locked
        memo[id(lk)] = new
        return new

    # 3.14's deepcopy returns functions and classes as they are before consulting the memo.
    atomic = getattr(copy, "_atomic_types", None)
    removed = set()
    if isinstance(atomic, set):
        removed = {t for t in (_FunctionType, type) if t in atomic}
        atomic -= removed
    dispatch[_FunctionType] = copy_function
    dispatch[type] = copy_class
    dispatch[_ModuleType] = copy_module
    dispatch[_MethodType] = copy_method
    for t in lock_types:
        dispatch[t] = copy_lock
    try:
        for name, mod in modules.items():
            new = new_modules[name]
            for k, v in mod.__dict__.items():
                new.__dict__[k] = value(v)
        out = tuple(value(o) for o in objects)
        for old_cell, new_cell in memo.get("__cells__", ()):
            try:
                new_cell.cell_contents = value(old_cell.cell_contents)
            except ValueError:  # an empty cell
                pass
    finally:
        if removed:
            atomic |= removed
        for t, f in saved.items():
            if f is None:
                dispatch.pop(t, None)
            else:
                dispatch[t] = f
        for t in lock_types:
            dispatch.pop(t, None)
    return new_modules, out


def _lock_types():
    import sys

    m = sys.modules.get("_thread")
    return tuple(t for t in (getattr(m, "lock", None), getattr(m, "RLock", None)) if isinstance(t, type))
