"""A program's standard streams and ``print``, going to the kernel's ``write`` call.

Compiled with the suspendable transform (no line recording: like C code), so ``print(...)``
in a program suspends at the ``write`` system call instead of waiting synchronously.
Output is line-buffered, as CPython's is on a terminal: one ``write`` per completed line
(``flush()`` and program exit write what is left).
"""

import io
import sys

from wirescope.runtime import syscall


class SimOutput(io.TextIOBase):
    """sys.stdout / sys.stderr of a simulated program."""

    def __init__(self, program, stream):
        self._program = program
        self._stream = stream
        self._pending = ""
        self._closed = False
        self.buffer = _BinaryOutput(self)

    # IOBase's finaliser calls close(), which would flush: never write from the garbage
    # collector (it runs at arbitrary moments). The adapter writes what is left at exit.
    def close(self):
        self._closed = True

    @property
    def closed(self):
        return self._closed

    @property
    def name(self):
        return "<" + self._stream + ">"

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    @property
    def line_buffering(self):
        return True

    @property
    def mode(self):
        return "w"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return 1 if self._stream == "stdout" else 2

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not " + type(s).__name__)
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        nl = s.rfind("\n")
        if nl < 0:
            self._pending += s
            return len(s)
        text = self._pending + s[: nl + 1]
        self._pending = s[nl + 1 :]
        syscall("write", self._stream, text)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._pending:
            text, self._pending = self._pending, ""
            syscall("write", self._stream, text)

    def take_pending(self):
        """What is still buffered (written by the adapter when the program ends)."""
        text, self._pending = self._pending, ""
        return text


class _BinaryOutput(io.RawIOBase):
    """sys.stdout.buffer: bytes written are decoded as UTF-8 and written as text."""

    def __init__(self, text):
        self._text = text

    def close(self):
        pass

    def writable(self):
        return True

    def write(self, b):
        data = bytes(memoryview(b))
        self._text.write(data.decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        self._text.flush()


class SimInput(io.TextIOBase):
    """sys.stdin of a simulated program: empty (input() raises EOFError)."""

    def __init__(self, program):
        self._program = program

    @property
    def name(self):
        return "<stdin>"

    @property
    def encoding(self):
        return "utf-8"

    def readable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return 0

    def read(self, size=-1):
        return ""

    def readline(self, size=-1):
        return ""


def print(*args, sep=" ", end="\n", file=None, flush=False):
    # builtins.print (Python/bltinmodule.c), with the same checks and messages.
    if sep is None:
        sep = " "
    elif not isinstance(sep, str):
        raise TypeError("sep must be None or a string, not " + type(sep).__name__)
    if end is None:
        end = "\n"
    elif not isinstance(end, str):
        raise TypeError("end must be None or a string, not " + type(end).__name__)
    if file is None:
        file = sys.stdout
        if file is None:
            return
    if type(file) is SimOutput:
        file.write(sep.join([str(a) for a in args]) + end)
    else:
        write = file.write
        first = True
        for a in args:
            if not first:
                write(sep)
            first = False
            write(str(a))
        write(end)
    if flush:
        file.flush()
