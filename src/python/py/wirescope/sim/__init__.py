"""Python programs on the simulated network.

The modules here stand in for the parts of CPython that talk to an operating system, so that
real, unmodified programs run on wirescope's simulated kernel (src/sim/os/):

* ``_socket`` (``sock.py``): the C socket module; CPython's own ``socket.py`` runs on top of it.
* ``select`` (``select.py``): ``select.select``.
* ``errno`` (``errno_linux.py``): Linux's numbers (Pyodide's are Emscripten's).
* ``time`` and ``os`` functions that read clocks or remove socket files (``clock.py``, ``osfns.py``).
* ``print``/``sys.stdout``/``sys.stderr`` (``stdio.py``): output goes to the kernel's ``write``.

``process.py`` holds the per-program state (one simulated process per program, several
programs in one interpreter), ``install.py`` puts the modules in place and ``driver.py`` is
what the JavaScript adapter (src/python/program.ts) calls. See docs/python-runtime.md.
"""
