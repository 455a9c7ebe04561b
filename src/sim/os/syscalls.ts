/**
 * The system calls behind Python's socket module, with CPython's argument checks
 * (Modules/socketmodule.c) and Linux's errors (net/ipv4/af_inet.c, tcp.c, udp.c,
 * net/unix/af_unix.c). Pure: acts on the host's data structures and its kernel queue.
 *
 * Each call returns a value, raises (SysError or an `error` outcome), or asks to wait: it then
 * gives the sockets to wait on and an `attempt` that the host re-runs whenever one of them
 * changes, until it returns something other than 'again' or the deadline passes.
 */
import type { Micros } from '../time.ts';
import type { LayerEvent, PyError } from '../trace.ts';
import { formatIPv4, parseIPv4 } from '../net/addr.ts';
import { TcpConnection } from '../net/tcp/connection.ts';
import { UDP_MAX_PAYLOAD } from '../net/udp-layer.ts';
import { ERRNO, SysError, fail, gaiError, osError, pyException, timeoutError, type ErrnoName } from './errors.ts';
import type { Host } from './host.ts';
import type { Thread } from './process.ts';
import type { Socket } from './socket.ts';
import type { Waitable } from './waitqueue.ts';
import { performThreadCall } from './thread-calls.ts';
import {
  IPPROTO_TCP,
  SOL_SOCKET,
  SO_BROADCAST,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_TYPE,
  TCP_NODELAY,
  type Addr,
  type Syscall,
  type Timeout,
} from './syscall.ts';

export interface Wait {
  /** What the call waits on: it retries whenever one of them changes. */
  socks: Waitable[];
  attempt: () => Outcome | 'again';
  /** Absolute virtual time at which to give up. */
  deadline?: Micros;
  onTimeout: () => { value: unknown } | { error: PyError };
}

export type Outcome = { value: unknown } | { error: PyError } | { wait: Wait };

const ok = (value: unknown = null): Outcome => ({ value });
const err = (name: ErrnoName): Outcome => ({ error: osError(name) });

/** somaxconn on current Linux. */
const SOMAXCONN = 4096;
/** AF_UNIX sun_path holds 108 bytes including the terminating NUL. */
const UNIX_PATH_MAX = 108;

function sock(host: Host, t: Thread, fd: number): Socket {
  const s = t.process.fds.get(fd);
  if (!s) fail('EBADF');
  return s;
}

/** CPython setipaddr + getaddrinfo: "", "<broadcast>", a dotted quad, or a host name. */
export function resolveHost(host: Host, name: string): number {
  if (name === '') return 0;
  if (name === '<broadcast>' || name === '255.255.255.255') return 0xffffffff;
  const n = parseIPv4(name);
  if (n !== null) return n;
  if (name === 'localhost' || name === host.name) {
    if (name === 'localhost') return 0x7f000001;
  }
  const ip = host.resolver(name);
  const m = ip === undefined ? null : parseIPv4(ip);
  if (m === null) throw new SysError(gaiError(-2));
  return m;
}

/** getsockaddrarg for AF_INET: resolve the host, then check the port range (CPython's order). */
function inetAddr(host: Host, addr: Addr, caller: string): { ip: number; port: number } {
  if (typeof addr === 'string') throw new SysError(pyException('TypeError', 'AF_INET address must be tuple, not str'));
  const [name, port] = addr;
  const ip = resolveHost(host, name);
  if (!Number.isInteger(port)) throw new SysError(pyException('TypeError', `'${typeof port === 'number' ? 'float' : typeof port}' object cannot be interpreted as an integer`));
  if (port < 0 || port > 65535) throw new SysError(pyException('OverflowError', `${caller}(): port must be 0-65535.`));
  return { ip, port };
}

function unixPath(addr: Addr): string {
  if (typeof addr !== 'string') throw new SysError(pyException('TypeError', "a bytes-like object is required, not 'tuple'"));
  if (new TextEncoder().encode(addr).length >= UNIX_PATH_MAX) throw new SysError(pyException('OSError', 'AF_UNIX path too long'));
  return addr;
}

/** A Python (ip, port) tuple, or the path of an AF_UNIX socket. */
function pyAddr(s: Socket, which: 'local' | 'remote'): unknown {
  if (s.family === 'AF_UNIX') {
    if (which === 'local') return s.path;
    return s.peer?.path ?? '';
  }
  return which === 'local' ? [formatIPv4(s.localIp), s.localPort] : [formatIPv4(s.remoteIp), s.remotePort];
}

function deadlineOf(host: Host, timeout: Timeout): Micros | undefined {
  return timeout === null ? undefined : host.sim.now + timeout;
}

/** Run `attempt` now; if it must wait, block (or raise EAGAIN/timeout as the socket's timeout says). */
function blocking(host: Host, socks: Waitable[], timeout: Timeout, attempt: () => Outcome | 'again', wouldBlock: ErrnoName = 'EAGAIN'): Outcome {
  const first = attempt();
  if (first !== 'again') return first;
  if (timeout === 0) return err(wouldBlock);
  return { wait: { socks, attempt, deadline: deadlineOf(host, timeout), onTimeout: () => ({ error: timeoutError() }) } };
}

/** Auto-bind an ephemeral port (inet_autobind / inet_hash_connect). */
function autobind(host: Host, s: Socket, forConnect: boolean, srcIp = 0): ErrnoName | undefined {
  if (s.hasPort) return undefined;
  const port = host.ports.ephemeral(s.proto, s, srcIp, forConnect);
  if (port === undefined) return 'EADDRNOTAVAIL';
  s.localPort = port;
  host.holdPort(s, true);
  if (s.proto === 'udp') host.udp.bind(s);
  if (s.state === 'created') s.machine.send({ type: 'bind' });
  return undefined;
}

function recordAppUp(host: Host, parts: { pkt: number; len: number }[]): void {
  for (const p of parts) {
    if (p.pkt) host.sim.log<LayerEvent>({ t: host.sim.now, k: 'layer', host: host.name, pkt: p.pkt, dir: 'up', layer: 'application', pdu: 'data', proto: 'data', len: p.len });
  }
}

/** Close a socket as close() or process exit does. */
export function closeSocket(host: Host, s: Socket): void {
  if (s.state === 'closed') return;
  s.fd = -1;
  if (s.family === 'AF_UNIX') {
    host.unix.closed(s);
    if (s.peer) host.unix.hangup(s.peer);
    for (const child of s.listen?.acceptQueue ?? []) if (child.peer) host.unix.hangup(child.peer, true);
    s.machine.send({ type: 'close' });
    s.notify();
    return;
  }
  if (s.proto === 'udp') {
    host.releasePort(s);
    s.machine.send({ type: 'close' });
    s.notify();
    return;
  }
  const c = s.tcp;
  if (s.listen) {
    // inet_csk_listen_stop: connections nobody accepted are reset.
    for (const child of [...s.listen.acceptQueue, ...s.listen.synQueue]) child.tcp?.abort();
    s.listen.acceptQueue.length = 0;
    s.listen.synQueue.clear();
  }
  s.machine.send({ type: 'close' });
  if (c) {
    c.close('close');
    if (c.state === 'CLOSED') host.releasePort(s);
  } else host.releasePort(s);
  s.notify();
}

export function performSyscall(host: Host, t: Thread, call: Syscall): Outcome {
  const p = t.process;
  switch (call.fn) {
    case 'socket': {
      const fd = p.allocFd();
      const s = host.newSocket(call.family, call.type, p.pid, fd, p.user.uid);
      p.fds.set(fd, s);
      return ok(fd);
    }

    case 'bind': {
      const s = sock(host, t, call.fd);
      if (s.family === 'AF_UNIX') {
        const path = unixPath(call.addr);
        const e = host.unix.bind(s, path);
        if (e) return err(e);
        s.machine.send({ type: 'bind' });
        return ok();
      }
      const { ip, port } = inetAddr(host, call.addr, 'bind');
      // __inet_bind: address, then privilege, then "already bound", then the port itself.
      if (ip !== 0 && !host.ip.isLocal(ip)) return err('EADDRNOTAVAIL');
      if (port !== 0 && port < 1024 && p.user.uid !== 0) return err('EACCES');
      if (s.hasPort || (s.tcp && s.tcp.state !== 'CLOSED')) return err('EINVAL');
      s.localIp = ip;
      if (port === 0) {
        const e = autobind(host, s, false, ip);
        if (e) return err('EADDRINUSE');
        return ok();
      }
      if (host.ports.conflict(s.proto, s, ip, port)) return err('EADDRINUSE');
      s.localPort = port;
      host.holdPort(s, false);
      if (s.proto === 'udp') host.udp.bind(s);
      s.machine.send({ type: 'bind' });
      return ok();
    }

    case 'listen': {
      const s = sock(host, t, call.fd);
      if (s.type !== 'SOCK_STREAM') return err('EOPNOTSUPP');
      const backlog = Math.max(0, Math.min(call.backlog, SOMAXCONN));
      if (s.family === 'AF_UNIX') {
        if (s.peer) return err('EINVAL');
        if (!s.listen) s.listen = { backlog, acceptQueue: [], synQueue: new Set() };
        else s.listen.backlog = backlog;
        s.machine.send({ type: 'listen' });
        return ok();
      }
      if (s.listen) {
        s.listen.backlog = backlog;
        return ok();
      }
      if (s.tcp && s.tcp.state !== 'CLOSED') return err('EINVAL');
      if (!s.hasPort) {
        const e = autobind(host, s, false);
        if (e) return err('EADDRINUSE');
      } else if (host.ports.conflict('tcp', s, s.localIp, s.localPort)) {
        // inet_csk_listen_start re-checks the port now that this socket listens.
        return err('EADDRINUSE');
      }
      const c = new TcpConnection(host.tcp, s, s.localIp, s.localPort, 0, 0);
      s.tcp = c;
      s.listen = { backlog, acceptQueue: [], synQueue: new Set() };
      c.listen();
      host.tcp.startListening(s);
      s.machine.send({ type: 'listen' });
      return ok();
    }

    case 'accept': {
      const s = sock(host, t, call.fd);
      if (s.type !== 'SOCK_STREAM') return err('EOPNOTSUPP');
      if (!s.listen) return err('EINVAL');
      return blocking(host, [s], call.timeout, () => {
        if (!s.listen) return err('EINVAL');
        const child = s.listen.acceptQueue.shift();
        if (!child) return 'again';
        const fd = p.allocFd();
        child.fd = fd;
        child.pid = p.pid;
        child.parent = undefined;
        if (child.tcp) child.tcp.listener = undefined;
        p.fds.set(fd, child);
        if (child.state !== 'connected') child.machine.send({ type: 'connected' });
        child.announce();
        return ok([fd, pyAddr(child, 'remote')]);
      });
    }

    case 'connect':
      return connect(host, t, call.fd, call.addr, call.timeout);

    case 'send':
    case 'sendall':
      return send(host, t, call.fd, call.data, call.timeout, call.fn === 'sendall');

    case 'sendto': {
      const s = sock(host, t, call.fd);
      if (s.type === 'SOCK_STREAM') return send(host, t, call.fd, call.data, call.timeout, false);
      if (s.family === 'AF_UNIX') {
        const target = host.unix.target(unixPath(call.addr), s.type, false);
        if (typeof target === 'string') return err(target);
        host.unix.deliver(s, target, call.data, true);
        return ok(call.data.length);
      }
      const { ip, port } = inetAddr(host, call.addr, 'sendto');
      return udpSend(host, s, ip, port, call.data);
    }

    case 'recv':
    case 'recvfrom': {
      const s = sock(host, t, call.fd);
      if (call.n < 0) throw new SysError(pyException('ValueError', `negative buffersize in ${call.fn}`));
      const from = call.fn === 'recvfrom';
      return blocking(host, [s], call.timeout, () => {
        const r = receive(host, s, call.n, call.fn === 'recv' ? (call.peek ?? false) : false);
        if (r === 'again' || 'error' in r) return r;
        return ok(from ? [r.data, r.from ?? null] : r.data);
      });
    }

    case 'shutdown': {
      const s = sock(host, t, call.fd);
      if (call.how < 0 || call.how > 2) return err('EINVAL');
      if (s.family === 'AF_UNIX') {
        if (!s.peer) return err('ENOTCONN');
        if (call.how !== 1) s.rcvShutdown = true;
        if (call.how !== 0) {
          s.sndShutdown = true;
          host.unix.hangup(s.peer);
        }
        return ok();
      }
      if (s.proto === 'udp') {
        if (!s.remotePort) return err('ENOTCONN');
        if (call.how !== 1) s.rcvShutdown = true;
        if (call.how !== 0) s.sndShutdown = true;
        s.notify();
        return ok();
      }
      const c = s.tcp;
      if (!c || c.state === 'CLOSED' || c.state === 'SYN_SENT' || s.listen) {
        if (s.listen && call.how !== 1) {
          // shutdown(SHUT_RD) of a listener stops it (tcp_disconnect); kept simple: refuse as Linux does for SHUT_WR.
          return err('ENOTCONN');
        }
        return err('ENOTCONN');
      }
      if (call.how !== 1) {
        s.rcvShutdown = true;
        s.notify();
      }
      if (call.how !== 0) c.close('shutdown');
      return ok();
    }

    case 'close': {
      const s = sock(host, t, call.fd);
      p.fds.delete(call.fd);
      closeSocket(host, s);
      return ok();
    }

    case 'getsockname': {
      const s = sock(host, t, call.fd);
      return ok(pyAddr(s, 'local'));
    }

    case 'getpeername': {
      const s = sock(host, t, call.fd);
      if (s.family === 'AF_UNIX') return s.peer ? ok(s.peer.path) : err('ENOTCONN');
      const connected = s.proto === 'udp' ? s.remotePort !== 0 : s.tcp !== undefined && s.tcp.state !== 'CLOSED' && s.tcp.state !== 'LISTEN' && s.tcp.state !== 'SYN_SENT';
      if (!connected) return err('ENOTCONN');
      return ok(pyAddr(s, 'remote'));
    }

    case 'setsockopt': {
      const s = sock(host, t, call.fd);
      if (call.level === SOL_SOCKET) {
        switch (call.opt) {
          case SO_REUSEADDR:
            s.reuseAddr = call.value !== 0;
            return ok();
          case SO_REUSEPORT:
            s.reusePort = call.value !== 0;
            return ok();
          case SO_BROADCAST:
            s.broadcast = call.value !== 0;
            return ok();
          case SO_KEEPALIVE:
            return ok();
          case SO_RCVBUF:
            // sock_setsockopt doubles the value to leave room for bookkeeping (socket(7)).
            s.rcvbuf = Math.max(2304, call.value * 2);
            return ok();
          case SO_SNDBUF:
            s.sndbuf = Math.max(4608, call.value * 2);
            return ok();
          default:
            return err('ENOPROTOOPT');
        }
      }
      if (call.level === IPPROTO_TCP && call.opt === TCP_NODELAY) {
        if (s.type !== 'SOCK_STREAM' || s.family !== 'AF_INET') return err('EOPNOTSUPP');
        s.noDelay = call.value !== 0;
        return ok();
      }
      return err('ENOPROTOOPT');
    }

    case 'getsockopt': {
      const s = sock(host, t, call.fd);
      if (call.level === SOL_SOCKET) {
        switch (call.opt) {
          case SO_REUSEADDR:
            return ok(s.reuseAddr ? 1 : 0);
          case SO_REUSEPORT:
            return ok(s.reusePort ? 1 : 0);
          case SO_BROADCAST:
            return ok(s.broadcast ? 1 : 0);
          case SO_TYPE:
            return ok(s.type === 'SOCK_STREAM' ? 1 : 2);
          case SO_ERROR: {
            const e = s.error ?? s.tcp?.error;
            s.error = undefined;
            if (s.tcp) s.tcp.error = undefined;
            return ok(e ? ERRNO[e][0] : 0);
          }
          case SO_RCVBUF:
            return ok(s.rcvbuf);
          case SO_SNDBUF:
            return ok(s.sndbuf);
          default:
            return err('ENOPROTOOPT');
        }
      }
      if (call.level === IPPROTO_TCP && call.opt === TCP_NODELAY) return ok(s.noDelay ? 1 : 0);
      return err('ENOPROTOOPT');
    }

    case 'select': {
      const socks = new Set<Socket>();
      for (const fd of [...call.rlist, ...call.wlist]) socks.add(sock(host, t, fd));
      const attempt = (): Outcome | 'again' => {
        const r = call.rlist.filter((fd) => readable(p.fds.get(fd)));
        const w = call.wlist.filter((fd) => writable(p.fds.get(fd)));
        if (r.length || w.length) return ok([r, w, []]);
        return 'again';
      };
      const first = attempt();
      if (first !== 'again') return first;
      if (call.timeout === 0) return ok([[], [], []]);
      return { wait: { socks: [...socks], attempt, deadline: deadlineOf(host, call.timeout), onTimeout: () => ({ value: [[], [], []] }) } };
    }

    case 'gethostbyname': {
      if (call.name === '') return ok('0.0.0.0');
      return ok(formatIPv4(resolveHost(host, call.name)));
    }

    case 'gethostname':
      return ok(host.name);

    case 'ping': {
      const dst = resolveHost(host, call.host);
      const id = p.pid & 0xffff;
      if (!host.ip.ping(dst === 0 ? 0x7f000001 : dst, id, call.seq)) return err('ENETUNREACH');
      const sent = host.sim.now;
      let rtt: number | undefined;
      const box = host.newSocket('AF_INET', 'SOCK_DGRAM', p.pid, -1, p.user.uid);
      host.ip.pingers.set(id, (seq) => {
        if (seq === call.seq && rtt === undefined) {
          rtt = host.sim.now - sent;
          box.notify();
        }
      });
      const done = (): void => {
        host.ip.pingers.delete(id);
      };
      return {
        wait: {
          socks: [box],
          attempt: () => {
            if (rtt === undefined) return 'again';
            done();
            return ok(rtt);
          },
          deadline: host.sim.now + call.timeout,
          onTimeout: () => {
            done();
            return { value: null };
          },
        },
      };
    }

    case 'unlink': {
      const e = host.unix.unlink(call.path);
      if (e) throw new SysError({ ...osError(e), message: `${osError(e).message}: '${call.path}'` });
      return ok();
    }

    case 'sleep':
    case 'cpu': {
      const us = Math.max(0, Math.round(call.us));
      if (us === 0) return ok();
      return { wait: { socks: [], attempt: () => 'again', deadline: host.sim.now + us, onTimeout: () => ({ value: null }) } };
    }

    case 'write':
      host.output(p, call.stream, call.text);
      return ok(call.text.length);

    default:
      return performThreadCall(host, t, call);
  }
}

function connect(host: Host, t: Thread, fd: number, addr: Addr, timeout: Timeout): Outcome {
  const s = sock(host, t, fd);
  if (s.family === 'AF_UNIX') {
    const path = unixPath(addr);
    if (s.type === 'SOCK_DGRAM') {
      const target = host.unix.target(path, s.type, false);
      if (typeof target === 'string') return err(target);
      s.peer = target;
      s.machine.send({ type: 'associate' });
      return ok();
    }
    if (s.peer) return err('EISCONN');
    if (s.listen) return err('EINVAL');
    return blocking(host, [], timeout, () => {
      const target = host.unix.target(path, s.type, true);
      if (typeof target === 'string') return err(target);
      const l = target.listen!;
      if (l.acceptQueue.length > l.backlog) return 'again';
      // unix_stream_connect: the server side is created now and waits for accept().
      const child = host.newSocket('AF_UNIX', 'SOCK_STREAM', target.pid, -1, target.uid);
      child.path = target.path;
      child.peer = s;
      s.peer = child;
      s.machine.send({ type: 'connect' });
      s.machine.send({ type: 'connected' });
      child.machine.send({ type: 'connected' });
      l.acceptQueue.push(child);
      target.notify();
      return ok();
    });
  }

  const { ip, port } = inetAddr(host, addr, 'connect');
  if (s.proto === 'udp') {
    const route = host.ip.route(ip === 0 ? 0x7f000001 : ip);
    if (!route) return err('ENETUNREACH');
    // ip4_datagram_connect: a broadcast route without SO_BROADCAST is EACCES.
    if (host.ip.isBroadcast(ip) && !s.broadcast) return err('EACCES');
    const e = autobind(host, s, false);
    if (e) return err(e);
    if (s.localIp === 0 && ip !== 0xffffffff) s.localIp = route.src;
    s.remoteIp = ip === 0 ? 0x7f000001 : ip;
    s.remotePort = port;
    s.ipId = host.sim.rng.derive(`ipid:${host.name}:${s.sid}`).int(0x10000);
    s.error = undefined;
    s.machine.send({ type: 'associate' });
    host.udp.bind(s);
    return ok();
  }

  const existing = s.tcp;
  if (s.listen) return err('EISCONN');
  if (existing && existing.state !== 'CLOSED') {
    if (existing.state === 'SYN_SENT' || existing.state === 'SYN_RECV') {
      if (timeout === 0) return err('EALREADY');
      return waitConnected(host, s, timeout);
    }
    return err('EISCONN');
  }
  // Connecting to 0.0.0.0 means this host (Linux turns INADDR_ANY into loopback).
  const dst = ip === 0 ? 0x7f000001 : ip;
  const route = host.ip.route(dst);
  if (!route) return err('ENETUNREACH');
  // tcp_v4_connect: TCP cannot go to a broadcast route (RTCF_BROADCAST) -> ENETUNREACH.
  if (host.ip.isBroadcast(dst)) return err('ENETUNREACH');
  if (s.localIp === 0) s.localIp = route.src;
  if (!s.hasPort) {
    const e = autobind(host, s, true, s.localIp);
    if (e) return err(e);
  }
  s.remoteIp = dst;
  s.remotePort = port;
  s.error = undefined;
  const c = new TcpConnection(host.tcp, s, s.localIp, s.localPort, dst, port);
  s.tcp = c;
  host.tcp.hash(c);
  s.machine.send({ type: 'connect' });
  c.connect();
  if (timeout === 0) return err('EINPROGRESS');
  return waitConnected(host, s, timeout);
}

function waitConnected(host: Host, s: Socket, timeout: Timeout): Outcome {
  return {
    wait: {
      socks: [s],
      attempt: () => {
        const c = s.tcp;
        if (!c) return err('ECONNABORTED');
        if (c.error && c.state === 'CLOSED') {
          const e = c.takeError();
          s.machine.send({ type: 'connectFailed' });
          s.remotePort = 0;
          return err(e);
        }
        if (c.state === 'ESTABLISHED' || c.state === 'CLOSE_WAIT' || c.state === 'FIN_WAIT1' || c.state === 'FIN_WAIT2') return ok();
        if (c.state === 'CLOSED') {
          s.machine.send({ type: 'connectFailed' });
          return err('ECONNREFUSED');
        }
        return 'again';
      },
      deadline: deadlineOf(host, timeout),
      onTimeout: () => ({ error: timeoutError() }),
    },
  };
}

function send(host: Host, t: Thread, fd: number, data: Uint8Array, timeout: Timeout, all: boolean): Outcome {
  const s = sock(host, t, fd);
  if (s.family === 'AF_UNIX') {
    if (s.type === 'SOCK_DGRAM') {
      if (!s.peer) return err('ENOTCONN');
      host.unix.deliver(s, s.peer, data, true);
      return ok(all ? null : data.length);
    }
    if (!s.peer) return err('ENOTCONN');
    if (s.sndShutdown || s.peer.state === 'closed') return err('EPIPE');
    host.unix.deliver(s, s.peer, data, false);
    return ok(all ? null : data.length);
  }
  if (s.proto === 'udp') {
    if (!s.remotePort) return err('EDESTADDRREQ');
    return udpSend(host, s, s.remoteIp, s.remotePort, data, all);
  }
  const c = s.tcp;
  if (!c || s.listen) return err('EPIPE');
  if (data.length === 0) return ok(all ? null : 0);
  let offset = 0;
  const attempt = (): Outcome | 'again' => {
    for (;;) {
      const r = c.write(data.subarray(offset));
      if (typeof r === 'string') {
        if (offset > 0 && !all) return ok(offset);
        return err(r);
      }
      if (r === 0) return offset > 0 && !all ? ok(offset) : 'again';
      offset += r;
      if (!all) return ok(offset);
      if (offset >= data.length) return ok(null);
    }
  };
  return blocking(host, [s], timeout, attempt);
}

function udpSend(host: Host, s: Socket, ip: number, port: number, data: Uint8Array, all = false): Outcome {
  if (s.error && s.remotePort) {
    // A connected UDP socket reports an earlier ICMP error on its next call.
    const e = s.error;
    s.error = undefined;
    return err(e);
  }
  if (s.sndShutdown) return err('EPIPE');
  if (data.length > UDP_MAX_PAYLOAD) return err('EMSGSIZE');
  const dst = ip === 0 ? 0x7f000001 : ip;
  // ip_route_output_flow: a broadcast route (255.255.255.255 or the subnet's directed
  // broadcast) without SO_BROADCAST is EACCES.
  if (host.ip.isBroadcast(dst) && !s.broadcast) return err('EACCES');
  const route = host.ip.route(dst);
  if (!route) return err('ENETUNREACH');
  const e = autobind(host, s, false);
  if (e) return err(e);
  const src = s.localIp !== 0 ? s.localIp : route.src;
  host.udp.send(s, src, dst, port, data);
  return ok(all ? null : data.length);
}

function receive(host: Host, s: Socket, n: number, peek: boolean): { data: Uint8Array; from?: unknown } | 'again' | { error: PyError } {
  if (s.family === 'AF_UNIX' && s.type === 'SOCK_STREAM') {
    if (s.listen) return { error: osError('EINVAL') };
    if (n === 0) return { data: new Uint8Array(0) };
    if (s.stream.length > 0) {
      const out = new Uint8Array(Math.min(n, s.streamBytes));
      let pos = 0;
      while (pos < out.length) {
        const head = s.stream[0]!;
        const k = Math.min(head.data.length, out.length - pos);
        out.set(head.data.subarray(0, k), pos);
        pos += k;
        if (!peek) {
          if (k === head.data.length) s.stream.shift();
          else head.data = head.data.subarray(k);
          s.streamBytes -= k;
        }
        if (peek) break;
      }
      return { data: out, from: s.peer?.path ?? '' };
    }
    if (s.error) {
      const e = s.error;
      s.error = undefined;
      return { error: osError(e) };
    }
    if (s.peerClosed || s.rcvShutdown || !s.peer) return { data: new Uint8Array(0), from: null };
    return 'again';
  }
  if (s.type === 'SOCK_DGRAM') {
    if (s.error && s.remotePort) {
      const e = s.error;
      s.error = undefined;
      return { error: osError(e) };
    }
    const d = s.dgrams[0];
    if (!d) {
      if (s.rcvShutdown) return { data: new Uint8Array(0), from: null };
      return 'again';
    }
    if (!peek) {
      s.dgrams.shift();
      s.dgramBytes -= d.data.length;
      recordAppUp(host, [{ pkt: d.pkt, len: d.data.length }]);
    }
    // A datagram is read whole or truncated; the rest is discarded (udp_recvmsg, MSG_TRUNC).
    const data = d.data.length > n ? d.data.slice(0, n) : d.data;
    const from = 'ip' in d.from ? [d.from.ip, d.from.port] : d.from.path;
    return { data, from };
  }
  const c = s.tcp;
  if (!c || s.listen) return { error: osError('ENOTCONN') };
  if (n === 0) return { data: new Uint8Array(0), from: null };
  const r = c.read(n, peek);
  if (r === 'again') return 'again';
  if (typeof r === 'string') return { error: osError(r) };
  if (!peek) recordAppUp(host, r.parts);
  return { data: r.data, from: null };
}

function readable(s: Socket | undefined): boolean {
  if (!s) return false;
  if (s.listen) return s.listen.acceptQueue.length > 0;
  if (s.error) return true;
  if (s.type === 'SOCK_DGRAM') return s.dgrams.length > 0 || s.rcvShutdown;
  if (s.family === 'AF_UNIX') return s.stream.length > 0 || s.peerClosed || s.rcvShutdown;
  const c = s.tcp;
  if (!c) return false;
  return c.recvQ.length > 0 || c.finReceived || c.error !== undefined || c.state === 'CLOSED' || s.rcvShutdown;
}

function writable(s: Socket | undefined): boolean {
  if (!s) return false;
  if (s.type === 'SOCK_DGRAM') return true;
  if (s.family === 'AF_UNIX') return s.peer !== undefined;
  const c = s.tcp;
  if (!c) return false;
  if (c.state === 'ESTABLISHED' || c.state === 'CLOSE_WAIT') return c.sendQueued < 65536;
  return c.state === 'CLOSED' || c.error !== undefined;
}
