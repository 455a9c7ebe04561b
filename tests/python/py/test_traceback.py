"""Uncaught exceptions print like CPython, with the runtime's own frames removed."""

import sys
from textwrap import dedent

from fakekernel import run

# The caret rules checked here are 3.13+ (Pyodide is 3.14): CPython prints no carets for
# `return f(x)` / `x = f(y)` with a plain-name callee, and neither do we.
CARETS = sys.version_info >= (3, 13)


def test_traceback_through_suspended_calls():
    out = run(
        dedent(
            """
            from simlib import sleep
            class Handler:
                def handle(self, data):
                    sleep(1)
                    return self.parse(data)
                def parse(self, data):
                    return int(data)
            def main():
                h = Handler()
                h.handle('x')
            main()
            """
        ),
        filename="server.py",
    )
    expected = dedent(
        """\
        Traceback (most recent call last):
          File "server.py", line 12, in <module>
            main()
            ~~~~^^
          File "server.py", line 11, in main
            h.handle('x')
            ~~~~~~~~^^^^^
          File "server.py", line 6, in handle
            return self.parse(data)
                   ~~~~~~~~~~^^^^^^
          File "server.py", line 8, in parse
            return int(data)
        ValueError: invalid literal for int() with base 10: 'x'
        """
    )
    if not CARETS:
        strip = lambda t: "\n".join(l for l in t.split("\n") if not l.strip().startswith(("~", "^")))
        out, expected = strip(out), strip(expected)
    assert out == expected, out


def test_exception_thrown_in_at_syscall_and_chained():
    out = run(
        dedent(
            """
            from wirescope.runtime import syscall
            def connect():
                syscall('fail', ConnectionRefusedError(111, 'Connection refused'))
            try:
                connect()
            except OSError as e:
                raise RuntimeError('could not connect') from e
            """
        ),
        filename="client.py",
    )
    assert "wirescope" not in out and "runtime.py" not in out, out
    assert out.startswith("Traceback (most recent call last):\n  File \"client.py\", line 6, in <module>\n    connect()\n"), out
    assert "  File \"client.py\", line 4, in connect\n" in out, out
    assert "ConnectionRefusedError: [Errno 111] Connection refused\n\nThe above exception was the direct cause" in out, out
    assert out.endswith("RuntimeError: could not connect\n"), out


def test_syntax_error_reported_like_cpython():
    out = run("x = 1\nif x\n    print(x)\n", filename="bad.py")
    assert out.startswith('  File "bad.py", line 2\n    if x\n        ^\nSyntaxError: '), out


def test_error_in_nested_sync_call_has_user_frames():
    out = run(
        dedent(
            """
            def key(v):
                return 1 / v
            sorted([1, 0], key=key)
            """
        ),
        filename="k.py",
    )
    assert 'File "k.py", line 4, in <module>' in out and 'File "k.py", line 3, in key' in out, out
    assert "facade" not in out and "runtime.py" not in out, out
    assert out.endswith("ZeroDivisionError: division by zero\n"), out
