"""Pure-Python stdlib modules transformed on import (socketserver, _pyio) block and
suspend properly through a fake ``socket`` module implemented on ``syscall``."""

import sys
from textwrap import dedent

from fakekernel import make_module, run_programs
from wirescope import runtime as rt

# A toy in-memory TCP: each direction of a connection is a queue of the fake kernel.
FAKE_SOCKET = '''
import io
from wirescope.runtime import syscall

AF_INET = 2
SOCK_STREAM = 1
SOCK_DGRAM = 2
AF_UNIX = 1
SOL_SOCKET = 1
SO_REUSEADDR = 2
SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2
_next = [0]
_listening = {}
error = OSError
timeout = TimeoutError

def _qname(kind):
    _next[0] += 1
    return f"{kind}{_next[0]}"

def getfqdn(name=""):
    return name or "localhost"

class socket:
    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None):
        self.family, self.type, self.proto = family, type, proto
        self._addr = None
        self._in = self._out = None
        self._pending = b""
        self._eof = False
        self._closed = False

    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.close()

    def setsockopt(self, *args): pass
    def settimeout(self, t): pass
    def gettimeout(self): return None
    def fileno(self): return 3
    def bind(self, addr): self._addr = addr
    def getsockname(self): return self._addr
    def getpeername(self): return ("127.0.0.1", 5000)
    def listen(self, backlog=5):
        _listening[self._addr] = _qname("accept")
    def accept(self):
        inq, outq, peer = syscall("get", _listening[self._addr])
        conn = socket()
        conn._in, conn._out, conn._addr = inq, outq, self._addr
        return conn, peer
    def connect(self, addr):
        self._in, self._out = _qname("s2c"), _qname("c2s")
        syscall("put", _listening[addr], (self._out, self._in, ("127.0.0.1", 40000 + _next[0])))
    def recv(self, n):
        if not self._pending and not self._eof:
            self._pending = syscall("get", self._in)
            self._eof = not self._pending
        data, self._pending = self._pending[:n], self._pending[n:]
        return data
    def recv_into(self, buf, n=0):
        data = self.recv(n or len(buf))
        buf[: len(data)] = data
        return len(data)
    def sendall(self, data):
        syscall("put", self._out, bytes(data))
    def send(self, data):
        self.sendall(data)
        return len(data)
    def shutdown(self, how):
        if how in (SHUT_WR, SHUT_RDWR) and self._out:
            syscall("put", self._out, b"")
    def close(self):
        self._closed = True
    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        # as socket.socket.makefile, but over _pyio: its buffered classes can suspend
        import _pyio
        reading, writing = "r" in mode, "w" in mode
        raw = _RawSock(self, reading, writing)
        if buffering is None or buffering < 0:
            buffering = _pyio.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            return raw
        if reading and writing:
            buf = _pyio.BufferedRWPair(raw, raw, buffering)
        elif reading:
            buf = _pyio.BufferedReader(raw, buffering)
        else:
            buf = _pyio.BufferedWriter(raw, buffering)
        if "b" in mode:
            return buf
        text = _pyio.TextIOWrapper(buf, encoding, errors, newline)
        text.mode = mode
        return text

import _pyio

class _RawSock(_pyio.RawIOBase):
    def __init__(self, sock, reading, writing):
        self._sock, self._reading, self._writing = sock, reading, writing
    def readable(self): return self._reading
    def writable(self): return self._writing
    def readinto(self, b):
        return self._sock.recv_into(b)
    def write(self, b):
        self._sock.sendall(b)
        return len(b)
'''


def _with_fake_socket(fn):
    saved = {k: sys.modules.get(k) for k in ("socket", "socketserver", "_pyio")}
    try:
        for k in ("socketserver", "_pyio"):
            sys.modules.pop(k, None)
        rt.install_import_hook(lambda name: name in ("socketserver", "_pyio"))
        make_module("socket", FAKE_SOCKET, "fakesocket.py")
        return fn()
    finally:
        rt.install_import_hook(lambda name: False)
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def test_socketserver_stream_handler_suspends():
    server = dedent(
        """
        import socketserver
        from simlib import now
        class Echo(socketserver.StreamRequestHandler):
            def handle(self):
                for line in self.rfile:          # _pyio readline: suspends in recv
                    print('server got', line, 'at', now())
                    self.wfile.write(line.upper())
        srv = socketserver.TCPServer(('127.0.0.1', 9000), Echo)
        print('listening', srv.server_address)
        srv._handle_request_noblock()   # accept -> handler -> finish (no selectors here)
        print('served one client at', now())
        """
    )
    client = dedent(
        """
        import socket
        from simlib import sleep, now
        sleep(1)
        s = socket.socket()
        s.connect(('127.0.0.1', 9000))
        for word in (b'hello\\n', b'world\\n'):
            s.sendall(word)
            print('client got', s.recv(100), 'at', now())
            sleep(1)
        s.shutdown(socket.SHUT_WR)
        """
    )

    def go():
        out, k = run_programs(("server.py", server), ("client.py", client))
        for name, r in k.results.items():
            assert r[0] == "done", out + rt.format_exception(r[1])
        return out

    out = _with_fake_socket(go)
    assert sys.modules["socketserver"] if "socketserver" in sys.modules else True
    assert out == dedent(
        """\
        listening ('127.0.0.1', 9000)
        server got b'hello\\n' at 1
        client got b'HELLO\\n' at 1
        server got b'world\\n' at 2
        client got b'WORLD\\n' at 2
        served one client at 3
        """
    ), out


def test_pyio_buffered_reader_over_blocking_raw():
    def go():
        import _pyio

        assert rt.is_suspendable(_pyio.BufferedReader.readline), "_pyio was not transformed"
        make_module(
            "rawpipe",
            dedent(
                """
                import _pyio
                from wirescope.runtime import syscall
                class Raw(_pyio.RawIOBase):
                    def readable(self):
                        return True
                    def readinto(self, b):
                        chunk = syscall('get', 'pipe')
                        b[:len(chunk)] = chunk
                        return len(chunk)
                """
            ),
            "rawpipe.py",
        )
        reader = dedent(
            """
            import _pyio, rawpipe
            from simlib import now
            f = _pyio.BufferedReader(rawpipe.Raw(), 8)
            print('line1', f.readline(), now())
            for line in _pyio.TextIOWrapper(f, encoding='utf-8'):
                print('text', repr(line), now())
            """
        )
        writer = dedent(
            """
            from simlib import sleep, put
            for chunk in (b'ab', b'c\\nde', b'f\\n', b'g\\n', b''):
                sleep(1)
                put('pipe', chunk)
            """
        )
        out, k = run_programs(("reader.py", reader), ("writer.py", writer))
        for r in k.results.values():
            assert r[0] == "done", rt.format_exception(r[1])
        assert k.max_nested_depth == 0, "reads should suspend, not nest"
        return out

    out = _with_fake_socket(go)
    assert out == dedent(
        """\
        line1 b'abc\\n' 2
        text 'def\\n' 3
        text 'g\\n' 4
        """
    ), out
