/**
 * The kernel's socket object (Linux `struct sock`): addresses, options, queues, the wait queue
 * of blocked callers, and the socket life-cycle machine. Pure: no clock of its own; wake-ups are
 * scheduled on the kernel.
 */
import { MachineRunner } from '../machine-runner.ts';
import { socketMachine, type SocketMachineEvent, type SocketState } from '../../machines/socketMachine.ts';
import type { Sim } from '../kernel.ts';
import type { Family, SockAddr, SockType, SocketEvent } from '../trace.ts';
import { formatIPv4 } from '../net/addr.ts';
import type { ErrnoName } from './errors.ts';
import type { TcpConnection } from '../net/tcp/connection.ts';
import type { PortHolder } from './ports.ts';
import type { Waiter } from './waitqueue.ts';

export interface Datagram {
  data: Uint8Array;
  /** Sender: IPv4 (ip, port) or an AF_UNIX path ('' when unbound). */
  from: SockAddr;
  pkt: number;
}

export interface ListenState {
  backlog: number;
  /** Children that completed the handshake, waiting for accept(). */
  acceptQueue: Socket[];
  /** Children in SYN_RECV. */
  synQueue: Set<Socket>;
}

export class Socket implements PortHolder {
  /** Who owns it now: the process and its fd (-1 once closed by the program but still alive in the kernel). */
  pid: number;
  fd: number;
  localIp = 0;
  localPort = 0;
  remoteIp = 0;
  remotePort = 0;
  /** Holds a port (explicitly bound or auto-bound). */
  hasPort = false;
  ephemeral = false;
  reuseAddr = false;
  reusePort = false;
  broadcast = false;
  /** TCP_NODELAY: Nagle off. */
  noDelay = false;
  /** shutdown(SHUT_RD) / FIN received. */
  rcvShutdown = false;
  /** shutdown(SHUT_WR) / close(). */
  sndShutdown = false;
  /** Pending asynchronous error (sk_err), reported once by the next call. */
  error: ErrnoName | undefined;
  /** UDP and AF_UNIX datagram receive queue. */
  readonly dgrams: Datagram[] = [];
  dgramBytes = 0;
  /** SO_RCVBUF as Linux reports it (net.core.rmem_default 212992). */
  rcvbuf = 212992;
  sndbuf = 212992;
  tcp: TcpConnection | undefined;
  listen: ListenState | undefined;
  /** The listener a not-yet-accepted child belongs to. */
  parent: Socket | undefined;
  /** AF_UNIX: bound path, peer socket, stream bytes waiting. */
  path = '';
  peer: Socket | undefined;
  readonly stream: { data: Uint8Array; pkt: number }[] = [];
  streamBytes = 0;
  /** AF_UNIX stream: the peer has closed (end of stream after the queued bytes). */
  peerClosed = false;
  /** IP identification counter of a connected socket (inet_id), from a random start. */
  ipId = 0;
  readonly machine: MachineRunner<SocketMachineEvent, Socket>;
  /** Blocked callers; made when the first one waits. */
  private waiters: Set<Waiter> | undefined;

  constructor(
    private readonly sim: Sim,
    readonly host: string,
    readonly sid: number,
    readonly family: Family,
    readonly type: SockType,
    pid: number,
    fd: number,
    readonly uid: number,
  ) {
    this.pid = pid;
    this.fd = fd;
    this.machine = new MachineRunner<SocketMachineEvent, Socket>(socketMachine, noKey, {}, sim.clock, Socket.onStateChange, this);
    this.recordState('created');
  }

  isListening(): boolean {
    return this.listen !== undefined && this.tcp?.state === 'LISTEN';
  }

  isTimeWait(): boolean {
    return this.tcp?.state === 'TIME_WAIT';
  }

  nextIpId(): number {
    const id = this.ipId;
    this.ipId = (this.ipId + 1) & 0xffff;
    return id;
  }

  get state(): SocketState {
    return this.machine.state as SocketState;
  }

  get proto(): 'tcp' | 'udp' {
    return this.type === 'SOCK_STREAM' ? 'tcp' : 'udp';
  }

  localAddr(): SockAddr {
    return this.family === 'AF_UNIX' ? { path: this.path } : inetAddr(this.localMemo, this.localIp, this.localPort);
  }

  remoteAddr(): SockAddr | undefined {
    if (this.family === 'AF_UNIX') return this.peer ? { path: this.peer.path } : undefined;
    return this.remotePort ? inetAddr(this.remoteMemo, this.remoteIp, this.remotePort) : undefined;
  }

  /** The last address objects made for the trace, reused while the address stays the same (trace events are read-only). */
  private readonly localMemo: AddrMemo = { ip: -1, port: -1, addr: undefined };
  private readonly remoteMemo: AddrMemo = { ip: -1, port: -1, addr: undefined };

  /** The socket machine's changes go to the trace (shared by every socket: no closure each). */
  private static onStateChange(_from: string, to: string, _e: SocketMachineEvent, s: Socket): void {
    s.recordState(to as SocketState);
  }

  /** Record the socket's current state again (e.g. when accept() gives it an fd). */
  announce(): void {
    this.recordState(this.state);
  }

  private recordState(state: SocketState): void {
    const t = this.sim.now;
    const { host, sid, pid, fd, family, type } = this;
    if (state === 'created') {
      this.sim.log<SocketEvent>({ t, k: 'sock', host, sid, pid, fd, family, type, state });
      return;
    }
    const local = this.localAddr();
    const remote = this.remoteAddr();
    this.sim.log<SocketEvent>(
      remote ? { t, k: 'sock', host, sid, pid, fd, family, type, state, local, remote } : { t, k: 'sock', host, sid, pid, fd, family, type, state, local },
    );
  }

  /** Register a blocked caller; it is poked (after the wake-up delay) whenever the socket changes. */
  addWaiter(w: Waiter): void {
    (this.waiters ??= new Set()).add(w);
  }

  removeWaiter(w: Waiter): void {
    this.waiters?.delete(w);
  }

  /** Something changed (data, connection, error, space): wake every waiter to retry. */
  notify(): void {
    if (this.waiters) for (const w of this.waiters) w.poke();
  }
}

/** The socket machine's guards read no event data. */
function noKey(): string {
  return '';
}

interface AddrMemo {
  ip: number;
  port: number;
  addr: SockAddr | undefined;
}

/** `{ ip, port }` for the trace, reusing the memo's object while the address is unchanged. */
function inetAddr(memo: AddrMemo, ip: number, port: number): SockAddr {
  if (memo.addr === undefined || memo.ip !== ip || memo.port !== port) {
    memo.ip = ip;
    memo.port = port;
    memo.addr = Object.freeze({ ip: formatIPv4(ip), port });
  }
  return memo.addr;
}

export type { Waiter } from './waitqueue.ts';
