"""The ``_socket`` module (CPython's Modules/socketmodule.c) on the simulated kernel.

CPython's own ``socket.py`` (the ``socket`` module programs import) runs unchanged on top
of this, as it does on the C module: ``socket.socket`` subclasses ``_socket.socket``,
``accept()``, ``makefile()``, ``create_connection()``, ``getfqdn()``... are CPython's code.

This module does what only Python can know -- argument types and conversions, with the C
module's exact messages -- and leaves to the kernel (src/sim/os/syscalls.ts) what the
kernel knows: name resolution, port ranges, errno. It is compiled with the suspendable
transform (without line recording: it stands for C code), so a blocking call suspends the
program's green thread in ``syscall``.
"""

import operator as _operator
import sys as _sys

from wirescope.runtime import syscall as _sys_call
from wirescope.sim import process as _process

# ---------------------------------------------------------------------------
# Constants (Linux x86-64, as CPython 3 on Linux has them)

AF_UNSPEC = 0
AF_UNIX = 1
AF_INET = 2
AF_INET6 = 10
AF_NETLINK = 16
AF_PACKET = 17
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
SOCK_RDM = 4
SOCK_SEQPACKET = 5
SOCK_NONBLOCK = 2048
SOCK_CLOEXEC = 524288
SOL_SOCKET = 1
SOL_IP = 0
SOL_TCP = 6
SOL_UDP = 17
SO_DEBUG = 1
SO_REUSEADDR = 2
SO_TYPE = 3
SO_ERROR = 4
SO_DONTROUTE = 5
SO_BROADCAST = 6
SO_SNDBUF = 7
SO_RCVBUF = 8
SO_KEEPALIVE = 9
SO_OOBINLINE = 10
SO_PRIORITY = 12
SO_LINGER = 13
SO_REUSEPORT = 15
SO_PASSCRED = 16
SO_PEERCRED = 17
SO_RCVLOWAT = 18
SO_SNDLOWAT = 19
SO_RCVTIMEO = 20
SO_SNDTIMEO = 21
SO_BINDTODEVICE = 25
SO_ACCEPTCONN = 30
SO_MARK = 36
SO_PROTOCOL = 38
SO_DOMAIN = 39
IPPROTO_IP = 0
IPPROTO_ICMP = 1
IPPROTO_IPIP = 4
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_IPV6 = 41
IPPROTO_ICMPV6 = 58
IPPROTO_RAW = 255
IP_TOS = 1
IP_TTL = 2
IP_HDRINCL = 3
IP_OPTIONS = 4
IP_MULTICAST_IF = 32
IP_MULTICAST_TTL = 33
IP_MULTICAST_LOOP = 34
IP_ADD_MEMBERSHIP = 35
IP_DROP_MEMBERSHIP = 36
IPV6_V6ONLY = 26
TCP_NODELAY = 1
TCP_MAXSEG = 2
TCP_CORK = 3
TCP_KEEPIDLE = 4
TCP_KEEPINTVL = 5
TCP_KEEPCNT = 6
TCP_SYNCNT = 7
TCP_LINGER2 = 8
TCP_DEFER_ACCEPT = 9
TCP_WINDOW_CLAMP = 10
TCP_INFO = 11
TCP_QUICKACK = 12
TCP_CONGESTION = 13
TCP_USER_TIMEOUT = 18
TCP_FASTOPEN = 23
TCP_NOTSENT_LOWAT = 25
MSG_OOB = 1
MSG_PEEK = 2
MSG_DONTROUTE = 4
MSG_CTRUNC = 8
MSG_TRUNC = 32
MSG_DONTWAIT = 64
MSG_EOR = 128
MSG_WAITALL = 256
MSG_CONFIRM = 2048
MSG_ERRQUEUE = 8192
MSG_NOSIGNAL = 16384
MSG_MORE = 32768
SHUT_RD = 0
SHUT_WR = 1
SHUT_RDWR = 2
SOMAXCONN = 4096
INADDR_ANY = 0
INADDR_BROADCAST = 0xFFFFFFFF
INADDR_LOOPBACK = 0x7F000001
INADDR_NONE = 0xFFFFFFFF
INADDR_UNSPEC_GROUP = 0xE0000000
INADDR_ALLHOSTS_GROUP = 0xE0000001
INADDR_MAX_LOCAL_GROUP = 0xE00000FF
AI_PASSIVE = 1
AI_CANONNAME = 2
AI_NUMERICHOST = 4
AI_V4MAPPED = 8
AI_ALL = 16
AI_ADDRCONFIG = 32
AI_NUMERICSERV = 1024
NI_NUMERICHOST = 1
NI_NUMERICSERV = 2
NI_NOFQDN = 4
NI_NAMEREQD = 8
NI_DGRAM = 16
NI_MAXHOST = 1025
NI_MAXSERV = 32
EAI_BADFLAGS = -1
EAI_NONAME = -2
EAI_AGAIN = -3
EAI_FAIL = -4
EAI_NODATA = -5
EAI_FAMILY = -6
EAI_SOCKTYPE = -7
EAI_SERVICE = -8
EAI_ADDRFAMILY = -9
EAI_MEMORY = -10
EAI_SYSTEM = -11
EAI_OVERFLOW = -12

# The simulated network is IPv4 only (AF_INET6 sockets fail with EAFNOSUPPORT).
has_ipv6 = False

_FAMILY = {AF_INET: "AF_INET", AF_UNIX: "AF_UNIX"}
_TYPE = {SOCK_STREAM: "SOCK_STREAM", SOCK_DGRAM: "SOCK_DGRAM"}
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1

# ---------------------------------------------------------------------------
# Exceptions

error = OSError
timeout = TimeoutError


class herror(OSError):
    pass


class gaierror(OSError):
    pass


herror.__module__ = gaierror.__module__ = "socket"

# ---------------------------------------------------------------------------
# Helpers


def _k(name, *args):
    """A kernel call (suspends the program's thread; see src/python/program.ts)."""
    return _sys_call(name, *args)


def _program():
    p = _process.current
    if p is None:
        raise RuntimeError("the simulated socket module is used outside a simulated program")
    return p


def _oserror(errno_, text):
    return _process.oserror(OSError, errno_, text)


def _index(v):
    """PyArg "i"/"n": an integer, or TypeError with CPython's message."""
    try:
        return _operator.index(v)
    except TypeError:
        raise TypeError(f"'{type(v).__name__}' object cannot be interpreted as an integer") from None


def _c_int(v, overflow=None):
    n = _index(v)
    if not _INT_MIN <= n <= _INT_MAX:
        if overflow:
            raise OverflowError(overflow)
        raise OverflowError("Python int too large to convert to C int" if n > 0 else "Python int too small to convert to C int")
    return n


def _bytes_like(data):
    """PyArg "y*": bytes, bytearray, memoryview... (not str)."""
    if isinstance(data, bytes):
        return data
    try:
        return memoryview(data).tobytes()
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'") from None


def _timeout_value(value):
    """socket_parse_timeout: None, or non-negative seconds (CPython's messages)."""
    if value is None:
        return None
    if isinstance(value, float):
        secs = value
    else:
        try:
            secs = _operator.index(value)
        except TypeError:
            raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer or float") from None
    if secs != secs:
        raise ValueError("Invalid value NaN (not a number)")
    if secs < 0:
        raise ValueError("Timeout value out of range")
    if secs > 9.2e9:
        raise OverflowError("timestamp too large to convert to C PyTime_t")
    return float(secs)


def _micros(secs):
    """Seconds -> the kernel's µs (rounded up, as CPython rounds timeouts: never 0 for > 0)."""
    if secs is None:
        return None
    us = secs * 1e6
    n = int(us)
    return n + 1 if us > n else n


def _host_arg(host):
    """idna_converter: str, bytes or bytearray."""
    if isinstance(host, str):
        return host
    if isinstance(host, (bytes, bytearray)):
        return bytes(host).decode("ascii", "replace")
    raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")


# ---------------------------------------------------------------------------
# The socket type


class socket:
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) -> socket object"""

    __slots__ = ("_fd", "_family", "_type", "_proto", "_timeout", "_prog")

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        prog = _program()
        self._prog = prog
        self._fd = -1
        family = AF_INET if family == -1 else _c_int(family)
        type = SOCK_STREAM if type == -1 else _c_int(type)
        proto = 0 if proto == -1 else _c_int(proto)
        timeout = prog.default_timeout
        if type & SOCK_NONBLOCK:
            timeout = 0.0
        type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC)
        if fileno is not None:
            fd = _index(fileno)
            if fd < 0:
                raise ValueError("negative file descriptor")
            self._fd = fd
            if family == -1 or type == -1:
                name = _k("getsockname", fd)
                family = AF_UNIX if isinstance(name, str) else AF_INET
                type = _k("getsockopt", fd, SOL_SOCKET, SO_TYPE)
        else:
            if family not in _FAMILY:
                raise _oserror(97, "Address family not supported by protocol")
            if type not in _TYPE:
                raise _oserror(94 if type != SOCK_RAW else 93, "Socket type not supported" if type != SOCK_RAW else "Protocol not supported")
            allowed = (0,) if family == AF_UNIX else (0, IPPROTO_TCP if type == SOCK_STREAM else IPPROTO_UDP)
            if proto not in allowed:
                raise _oserror(93, "Protocol not supported")
            if proto == 0 and family == AF_INET:
                proto = 0
            self._fd = _k("socket", _FAMILY[family], _TYPE[type])
        self._family = family
        self._type = type
        self._proto = proto
        self._timeout = timeout

    def __del__(self):
        # sock_finalize: a socket object that is garbage closes its descriptor.
        fd = self._fd
        if fd == -1:
            return
        self._fd = -1
        prog = self._prog
        if prog.alive:
            try:
                prog.block("close", (fd,))
            except BaseException:  # noqa: BLE001 - a finaliser must not raise
                pass

    def __repr__(self):
        return f"<socket object, fd={self._fd}, family={self._family}, type={self._type}, proto={self._proto}>"

    def __getstate__(self):
        raise TypeError(f"cannot pickle '{type(self).__name__}' object")

    # -- attributes -----------------------------------------------------------

    @property
    def family(self):
        """the socket family"""
        return self._family

    @property
    def type(self):
        """the socket type"""
        return self._type

    @property
    def proto(self):
        """the socket protocol"""
        return self._proto

    @property
    def timeout(self):
        """the socket timeout"""
        return self._timeout

    def fileno(self):
        return self._fd

    def detach(self):
        fd, self._fd = self._fd, -1
        return fd

    def _tus(self, flags=0):
        return 0 if flags & MSG_DONTWAIT else _micros(self._timeout)

    def _addr(self, address, caller):
        """getsockaddrarg: the address as the kernel takes it."""
        if self._family == AF_UNIX:
            if isinstance(address, str):
                return address
            try:
                return memoryview(address).tobytes().decode("utf-8", "surrogateescape")
            except TypeError:
                raise TypeError(f"a bytes-like object is required, not '{type(address).__name__}'") from None
        if not isinstance(address, tuple):
            raise TypeError(f"{caller}(): AF_INET address must be tuple, not {type(address).__name__}")
        if len(address) != 2:
            raise TypeError("AF_INET address must be a pair (host, port)")
        host = _host_arg(address[0])
        port = _c_int(address[1], f"{caller}(): port must be 0-65535.")
        return (host, port)

    # -- timeouts ---------------------------------------------------------------

    def settimeout(self, value, /):
        self._timeout = _timeout_value(value)

    def gettimeout(self):
        return self._timeout

    def setblocking(self, flag, /):
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0.0

    # -- calls --------------------------------------------------------------------

    def bind(self, address, /):
        _k("bind", self._fd, self._addr(address, "bind"))

    def listen(self, backlog=min(SOMAXCONN, 128), /):
        _k("listen", self._fd, max(0, _c_int(backlog)))

    def _accept(self):
        fd, addr = _k("accept", self._fd, self._tus())
        return fd, addr

    def connect(self, address, /):
        _k("connect", self._fd, self._addr(address, "connect"), self._tus())

    def connect_ex(self, address, /):
        addr = self._addr(address, "connect_ex")
        try:
            _k("connect", self._fd, addr, self._tus())
        except gaierror:
            raise
        except TimeoutError as e:
            if e.errno is None:
                return 11  # EWOULDBLOCK: connect_ex reports a timeout as an errno
            return e.errno
        except OSError as e:
            if e.errno is None:
                raise
            return e.errno
        return 0

    def send(self, data, flags=0, /):
        data = _bytes_like(data)
        flags = _c_int(flags)
        return _k("send", self._fd, data, self._tus(flags))

    def sendall(self, data, flags=0, /):
        data = _bytes_like(data)
        flags = _c_int(flags)
        _k("sendall", self._fd, data, self._tus(flags))

    def sendto(self, *args):
        if len(args) == 2:
            data, address = args
            flags = 0
        elif len(args) == 3:
            data, flags, address = args
        else:
            raise TypeError(f"sendto() takes 2 or 3 arguments ({len(args)} given)")
        data = _bytes_like(data)
        flags = _c_int(flags)
        return _k("sendto", self._fd, data, self._addr(address, "sendto"), self._tus(flags))

    def recv(self, bufsize, flags=0, /):
        n = _index(bufsize)
        flags = _c_int(flags)
        return _k("recv", self._fd, n, bool(flags & MSG_PEEK), self._tus(flags))

    def recvfrom(self, bufsize, flags=0, /):
        n = _index(bufsize)
        flags = _c_int(flags)
        data, addr = _k("recvfrom", self._fd, n, self._tus(flags))
        return data, addr

    def recv_into(self, buffer, nbytes=0, flags=0):
        view = _writable(buffer, "recv_into")
        n = _index(nbytes)
        flags = _c_int(flags)
        if n < 0:
            raise ValueError("negative buffersize in recv_into")
        if n == 0:
            n = view.nbytes
        elif n > view.nbytes:
            raise ValueError("buffer too small for requested bytes")
        data = _k("recv", self._fd, n, bool(flags & MSG_PEEK), self._tus(flags))
        view[: len(data)] = data
        return len(data)

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        view = _writable(buffer, "recvfrom_into")
        n = _index(nbytes)
        flags = _c_int(flags)
        if n < 0:
            raise ValueError("negative buffersize in recvfrom_into")
        if n == 0:
            n = view.nbytes
        elif n > view.nbytes:
            raise ValueError("nbytes is greater than the length of the buffer")
        data, addr = _k("recvfrom", self._fd, n, self._tus(flags))
        view[: len(data)] = data
        return len(data), addr

    def shutdown(self, how, /):
        _k("shutdown", self._fd, _c_int(how))

    def close(self):
        fd = self._fd
        if fd != -1:
            self._fd = -1
            try:
                _k("close", fd)
            except ConnectionResetError:
                pass

    def getsockname(self):
        return _k("getsockname", self._fd)

    def getpeername(self):
        return _k("getpeername", self._fd)

    def setsockopt(self, level, optname, value, optlen=None, /):
        level = _c_int(level)
        optname = _c_int(optname)
        if optlen is not None:
            if value is not None:
                raise TypeError("setsockopt() takes exactly 3 arguments (4 given)")
            number = 0
        elif isinstance(value, int) or hasattr(type(value), "__index__"):
            number = _c_int(value)
        else:
            raw = _bytes_like(value)
            number = int.from_bytes(raw[:4].ljust(4, b"\0"), "little", signed=True)
        _k("setsockopt", self._fd, level, optname, number)

    def getsockopt(self, level, optname, buflen=0, /):
        level = _c_int(level)
        optname = _c_int(optname)
        buflen = _c_int(buflen)
        if buflen and not 0 < buflen <= 1024:
            raise _oserror_text("getsockopt buflen out of range")
        value = _k("getsockopt", self._fd, level, optname)
        if not buflen:
            return value
        return int(value).to_bytes(4, "little", signed=True)[:buflen]

    def dup(self):
        raise _oserror(95, "Operation not supported")


def _oserror_text(text):
    return OSError(text)


def _writable(buffer, caller):
    try:
        view = memoryview(buffer)
    except TypeError:
        view = None
    if view is None or view.readonly:
        raise TypeError(f"{caller}() argument 1 must be read-write bytes-like object, not {type(buffer).__name__}")
    return view.cast("B") if view.format != "B" or view.ndim != 1 else view


SocketType = socket

# ---------------------------------------------------------------------------
# Module functions


def close(fd, /):
    _k("close", _index(fd))


def dup(fd, /):
    raise _oserror(95, "Operation not supported")


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0, /):
    """socketpair([family[, type [, proto]]]) -> (socket object, socket object)

    Create a pair of socket objects from the sockets returned by the platform
    socketpair() function (AF_UNIX only, as on Linux)."""
    family = _c_int(family)
    type = _c_int(type)
    proto = _c_int(proto)
    if family != AF_UNIX:
        raise _oserror(95 if family == AF_INET else 97, "Operation not supported" if family == AF_INET else "Address family not supported by protocol")
    base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)
    if base not in _TYPE:
        raise _oserror(94, "Socket type not supported")
    if proto != 0:
        raise _oserror(93, "Protocol not supported")
    a, b = _k("socketpair", _TYPE[base])
    return socket(family, type, proto, a), socket(family, type, proto, b)


def getdefaulttimeout():
    return _program().default_timeout


def setdefaulttimeout(timeout, /):
    _program().default_timeout = _timeout_value(timeout)


def gethostname():
    return _k("gethostname")


def sethostname(name, /):
    raise _process.oserror(PermissionError, 1, "Operation not permitted")


def gethostbyname(hostname, /):
    if not isinstance(hostname, (str, bytes, bytearray)):
        raise TypeError(f"gethostbyname() argument 1 must be str, bytes or bytearray, not {type(hostname).__name__}")
    return _k("gethostbyname", _host_arg(hostname))


def gethostbyname_ex(hostname, /):
    if not isinstance(hostname, (str, bytes, bytearray)):
        raise TypeError(f"gethostbyname_ex() argument 1 must be str, bytes or bytearray, not {type(hostname).__name__}")
    name = _host_arg(hostname)
    ip = _k("gethostbyname", name)
    if name == "localhost" or ip == "127.0.0.1":
        return ("localhost", [], ["127.0.0.1"])
    return (name, [], [ip])


def gethostbyaddr(ip_address, /):
    """Reverse lookup in the network's hosts table: this host's own name and localhost are
    known; other hosts' addresses are known by name only (see docs/python-runtime.md)."""
    name = _host_arg(ip_address)
    try:
        ip = _k("gethostbyname", name)
    except gaierror:
        raise herror(1, "Unknown host") from None
    if ip.startswith("127."):
        return ("localhost", [], [ip])
    if ip != name:
        return (name, [], [ip])
    own = _k("gethostname")
    if _k("gethostbyname", own) == ip:
        return (own, [], [ip])
    raise herror(1, "Unknown host")


_SERVICES = {
    "echo": 7, "discard": 9, "daytime": 13, "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23,
    "smtp": 25, "time": 37, "domain": 53, "gopher": 70, "finger": 79, "http": 80, "pop3": 110,
    "sunrpc": 111, "auth": 113, "ntp": 123, "imap2": 143, "snmp": 161, "ldap": 389, "https": 443,
    "submission": 587, "ldaps": 636, "imaps": 993, "pop3s": 995, "mysql": 3306, "postgresql": 5432,
    "http-alt": 8080,
}
_UDP_ONLY = {"ntp", "snmp"}
_TCP_ONLY = {"ftp-data", "ftp", "ssh", "telnet", "smtp", "gopher", "finger", "pop3", "auth", "imap2", "https", "submission", "ldaps", "imaps", "pop3s", "mysql", "postgresql", "http", "http-alt"}
_PROTOCOLS = {"ip": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6": 41, "raw": 255}


def getservbyname(servicename, protocolname=None, /):
    port = _SERVICES.get(servicename)
    if port is None or (protocolname == "udp" and servicename in _TCP_ONLY - {"http", "https", "domain"}) or (
        protocolname == "tcp" and servicename in _UDP_ONLY
    ):
        raise OSError("service/proto not found")
    return port


def getservbyport(port, protocolname=None, /):
    port = _index(port)
    if not 0 <= port <= 65535:
        raise OverflowError("getservbyport: port must be 0-65535.")
    for name, p in _SERVICES.items():
        if p == port:
            return name
    raise OSError("port/proto not found")


def getprotobyname(protocolname, /):
    n = _PROTOCOLS.get(protocolname)
    if n is None:
        raise OSError("protocol not found")
    return n


def _service_port(port, socktype):
    if port is None:
        return 0
    if isinstance(port, int):
        return port & 0xFFFF if port >= 0 else None
    if isinstance(port, (bytes, bytearray)):
        port = bytes(port).decode("ascii", "replace")
    if isinstance(port, str):
        if port.isdigit():
            return int(port) & 0xFFFF
        n = _SERVICES.get(port)
        return n
    raise OSError("Int or String expected")


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """IPv4 only, resolved through the network's hosts table (no DNS)."""
    family = _c_int(family)
    type = _c_int(type)
    proto = _c_int(proto)
    flags = _c_int(flags)
    if host is not None and not isinstance(host, (str, bytes, bytearray)):
        raise TypeError("getaddrinfo() argument 1 must be string or None")
    p = _service_port(port, type)
    if family not in (AF_UNSPEC, AF_INET):
        if family == AF_INET6:
            raise gaierror(EAI_ADDRFAMILY, "Address family for hostname not supported")
        raise gaierror(EAI_FAMILY, "ai_family not supported")
    if host is None and port is None:
        raise gaierror(EAI_NONAME, "Name or service not known")
    if p is None:
        raise gaierror(EAI_SERVICE, "Servname not supported for ai_socktype")
    if host is None:
        ip = "0.0.0.0" if flags & AI_PASSIVE else "127.0.0.1"
        canon = ""
    else:
        name = _host_arg(host)
        if name == "":
            raise gaierror(EAI_NONAME, "Name or service not known")
        if flags & AI_NUMERICHOST and not _is_dotted_quad(name):
            raise gaierror(EAI_NONAME, "Name or service not known")
        ip = _k("gethostbyname", name)
        canon = name if flags & AI_CANONNAME else ""
    kinds = [(SOCK_STREAM, IPPROTO_TCP), (SOCK_DGRAM, IPPROTO_UDP), (SOCK_RAW, 0)]
    if type:
        kinds = [k for k in kinds if k[0] == type]
        if not kinds:
            raise gaierror(EAI_SOCKTYPE, "ai_socktype not supported")
    if proto:
        kinds = [k for k in kinds if k[1] == proto or k[0] == SOCK_RAW]
    out = []
    for i, (t, pr) in enumerate(kinds):
        out.append((AF_INET, t, pr, canon if i == 0 else "", (ip, p)))
    return out


def getnameinfo(sockaddr, flags, /):
    if not isinstance(sockaddr, tuple) or len(sockaddr) not in (2, 4):
        raise TypeError("getnameinfo() argument 1 must be a tuple")
    host = _host_arg(sockaddr[0])
    port = _index(sockaddr[1])
    flags = _c_int(flags)
    ip = _k("gethostbyname", host)
    name = ip
    if not flags & NI_NUMERICHOST:
        try:
            name = gethostbyaddr(ip)[0]
        except herror:
            if flags & NI_NAMEREQD:
                raise gaierror(EAI_NONAME, "Name or service not known") from None
    serv = str(port)
    if not flags & NI_NUMERICSERV:
        for n, pn in _SERVICES.items():
            if pn == port:
                serv = n
                break
    return (name, serv)


def _is_dotted_quad(s):
    parts = s.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


def inet_aton(ip_string, /):
    """glibc inet_aton: a, a.b, a.b.c, a.b.c.d in decimal, octal (0...) or hex (0x...)."""
    if not isinstance(ip_string, str):
        raise TypeError(f"inet_aton() argument 1 must be str, not {type(ip_string).__name__}")
    s = ip_string
    for i, ch in enumerate(s):
        if ch in " \t\n\v\f\r":
            s = s[:i]
            break
    parts = s.split(".")
    vals = []
    try:
        if not 1 <= len(parts) <= 4:
            raise ValueError
        for part in parts:
            if part[:2] in ("0x", "0X"):
                v = int(part[2:] or "0", 16)
            elif len(part) > 1 and part[0] == "0":
                v = int(part, 8)
            else:
                if not part.isdigit():
                    raise ValueError
                v = int(part)
            vals.append(v)
    except ValueError:
        raise OSError("illegal IP address string passed to inet_aton") from None
    last = vals[-1]
    head = vals[:-1]
    if any(v > 255 for v in head) or last >= 1 << (8 * (4 - len(head))):
        raise OSError("illegal IP address string passed to inet_aton")
    n = 0
    for v in head:
        n = n << 8 | v
    n = n << (8 * (4 - len(head))) | last
    return n.to_bytes(4, "big")


def _install_real(real):
    """Byte-order and formatting functions are taken from the real C module: pure, exact."""
    g = globals()
    for name in ("htons", "ntohs", "htonl", "ntohl", "inet_ntoa", "inet_ntop", "inet_pton"):
        g[name] = getattr(real, name)
