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
child would share with its parent anyway, generators...), classes with a metaclass other than
``type``. Locks are copied in their current state (a lock held by another thread stays locked
in the child, as after a real fork). Objects with a ``_fork_copy()`` method (multiprocessing's
queues, locks, pipes, shared values: kernel objects a forked child inherits) give their own copy.
"""

from __future__ import annotations

import copy
import types

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_ModuleType = types.ModuleType
_CellType = types.CellType
_ATOMIC = frozenset(
    {
        type(None), type(Ellipsis), type(NotImplemented), int, float, bool, complex, bytes, str,
        range, types.CodeType, types.BuiltinFunctionType, types.BuiltinMethodType,
        types.MethodDescriptorType, types.WrapperDescriptorType, types.GetSetDescriptorType,
        types.MemberDescriptorType, property,
    }
)
_NIL = object()


class _Copier:
    def __init__(self, names, memo, special):
        self.names = names  # __name__ of the modules being copied
        self.memo = memo
        self.special = special  # type -> its copier (locks)
        self.keep = []  # originals, alive while their ids are memo keys

    def __call__(self, x, memo=None):
        cls = type(x)
        if cls in _ATOMIC:
            return x
        memo = self.memo
        y = memo.get(id(x), _NIL)
        if y is not _NIL:
            return y
        self.keep.append(x)
        if cls is list:
            y = memo[id(x)] = []
            y.extend(self(a) for a in x)
            return y
        if cls is dict:
            y = memo[id(x)] = {}
            for k, v in x.items():
                y[self(k)] = self(v)
            return y
        if cls is tuple:
            items = [self(a) for a in x]
            y = memo.get(id(x), _NIL)  # a cycle through the tuple
            if y is not _NIL:
                return y
            y = x if all(a is b for a, b in zip(items, x)) else tuple(items)
        elif cls is set:
            y = memo[id(x)] = set()
            y.update(self(a) for a in x)
            return y
        elif cls is frozenset:
            y = frozenset(self(a) for a in x)
        elif cls is _FunctionType:
            return self.function(x)
        elif cls is _MethodType:
            y = _MethodType(self(x.__func__), self(x.__self__))
        elif cls is _ModuleType:
            y = x
        elif isinstance(x, type):
            return self.klass(x)
        else:
            y = self.other(x)
        memo[id(x)] = y
        return y

    def other(self, x):
        fork_copy = self.special.get(type(x)) or getattr(type(x), "_fork_copy", None)
        try:
            if fork_copy is not None:
                return fork_copy(x)
            deep = getattr(x, "__deepcopy__", None)
            if deep is not None:
                return deep(self.memo)
            reductor = getattr(x, "__reduce_ex__", None)
            rv = reductor(4) if reductor is not None else x.__reduce__()
            if isinstance(rv, str):
                return x
            return copy._reconstruct(x, self.memo, *rv, deepcopy=self)
        except Exception:  # noqa: BLE001 - cannot be copied: shared
            return x

    def function(self, f):
        memo = self.memo
        g = memo.get(id(f.__globals__))
        if g is None:
            return f
        cells = None
        if f.__closure__:
            cells = []
            fill = []
            for c in f.__closure__:
                nc = memo.get(id(c))
                if nc is None:
                    nc = memo[id(c)] = _CellType()
                    self.keep.append(c)
                    fill.append((c, nc))
                cells.append(nc)
            cells = tuple(cells)
        else:
            fill = []
        new = _FunctionType(f.__code__, g, f.__name__, None, cells)
        memo[id(f)] = new
        for c, nc in fill:
            try:
                nc.cell_contents = self(c.cell_contents)
            except ValueError:  # an empty cell
                pass
        new.__defaults__ = self(f.__defaults__)
        new.__kwdefaults__ = self(f.__kwdefaults__)
        new.__qualname__ = f.__qualname__
        new.__doc__ = f.__doc__
        new.__module__ = f.__module__
        if hasattr(f, "__annotate__"):
            new.__annotate__ = f.__annotate__
        if f.__dict__:
            new.__dict__.update(self(f.__dict__))
        return new

    def klass(self, cls):
        memo = self.memo
        if cls.__module__ not in self.names or type(cls) is not type:
            memo[id(cls)] = cls
            return cls
        d = cls.__dict__
        ns = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        slots = d.get("__slots__")
        if slots is not None:
            ns["__slots__"] = slots
        try:
            new = type(cls.__name__, tuple(self(b) for b in cls.__bases__), ns)
        except Exception:  # noqa: BLE001 - keep sharing what cannot be re-created
            memo[id(cls)] = cls
            return cls
        memo[id(cls)] = new
        for k, v in d.items():
            if k in ("__dict__", "__weakref__", "__module__", "__qualname__", "__slots__"):
                continue
            if slots is not None and isinstance(v, types.MemberDescriptorType):
                continue
            try:
                setattr(new, k, self(v))
            except Exception:  # noqa: BLE001
                pass
        return new


def _copy_lock(lk):
    new = type(lk)()
    if hasattr(lk, "_count"):  # RLock
        new._block._locked = lk._block._locked
        new._owner, new._count = lk._owner, lk._count
    else:
        new._locked = lk._locked
    return new


def fork_copy(modules: dict[str, types.ModuleType], objects: tuple, extra_memo: dict | None = None):
    """Copy ``modules`` ({name: module}) and ``objects``; returns (new modules, new objects)."""
    import sys

    memo: dict = {} if extra_memo is None else dict(extra_memo)
    new_modules: dict[str, types.ModuleType] = {}
    names = set()
    for name, mod in modules.items():
        new = _ModuleType(mod.__name__)
        memo[id(mod)] = new
        memo[id(mod.__dict__)] = new.__dict__
        new_modules[name] = new
        names.add(mod.__name__)
    thread = sys.modules.get("_thread")
    special = {t: _copy_lock for t in (getattr(thread, "lock", None), getattr(thread, "RLock", None)) if isinstance(t, type)}
    copier = _Copier(frozenset(names), memo, special)
    for name, mod in modules.items():
        d = new_modules[name].__dict__
        for k, v in mod.__dict__.items():
            d[k] = copier(v)
    out = tuple(copier(o) for o in objects)
    return new_modules, out
