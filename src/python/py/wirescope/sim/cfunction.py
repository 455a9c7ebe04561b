"""Functions that behave like C functions: stored as a class attribute, they do not bind.

``selectors`` does ``_select = select.select`` in a class body and calls ``self._select(r, w,
x, timeout)``; with a plain Python function that would pass ``self`` too. Compiled with the
suspendable transform, so calling one from a program still suspends.
"""


class CFunction:
    def __init__(self, f, name, module):
        self._f = f
        self.__name__ = self.__qualname__ = name
        self.__module__ = module
        self.__doc__ = f.__doc__

    def __call__(self, *args, **kwargs):
        return self._f(*args, **kwargs)

    def __repr__(self):
        return f"<built-in function {self.__name__}>"

    def __reduce__(self):
        return self.__qualname__
