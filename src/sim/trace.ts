/**
 * The trace: a typed, versioned record of everything a simulation did, in the order it did it.
 * Pure: the recorder only appends plain data; it never reads a clock. The view replays a trace
 * as a pure function of (trace, time), and the CLI writes it as JSON (see docs/trace.md).
 *
 * Every event has `t`, the virtual time in integer microseconds, and `k`, its kind. Events are
 * appended in (time, sequence) order, so `t` never decreases along the array.
 */
import type { Micros } from './time.ts';

export const TRACE_VERSION = 1;

/** An IPv4 socket address or an AF_UNIX path. */
export type SockAddr = { ip: string; port: number } | { path: string };

export type Layer = 'application' | 'transport' | 'internet' | 'link';
export type Family = 'AF_INET' | 'AF_UNIX';
export type SockType = 'SOCK_STREAM' | 'SOCK_DGRAM';
export type Proto = 'tcp' | 'udp';

/** RFC 9293 §3.3.2 connection states, named as Linux's netstat prints them. */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

/** A Python exception as CPython on Linux raises it. */
export interface PyError {
  /** Exception class name, e.g. "ConnectionRefusedError". */
  type: string;
  /** errno, when the exception is an OSError with one. */
  errno?: number;
  /** The message as `str(exc)` prints it, e.g. "[Errno 111] Connection refused". */
  message: string;
}

/**
 * Values that socket calls take and return. In memory, bytes are a Uint8Array; in the JSON form
 * of a trace they become `{ "bytes": "<hex>" }` (see docs/trace.md).
 */
export type Value = null | boolean | number | string | Uint8Array | Value[] | { [key: string]: Value };

interface Base {
  /** Virtual time in µs. */
  t: Micros;
}

/** A process starts or exits on a host. */
export interface ProcEvent extends Base {
  k: 'proc';
  op: 'start' | 'exit';
  host: string;
  pid: number;
  ppid: number;
  user: string;
  /** Command line as `ps` shows it, e.g. "python3 server.py". */
  cmd: string;
  /** Exit status, on exit. */
  status?: number;
}

/** A program enters a socket-module call. */
export interface CallEvent extends Base {
  k: 'call';
  /** Call id, unique in the trace; the matching `ret` carries it too. */
  id: number;
  host: string;
  pid: number;
  tid: number;
  /** Method or function name as in Python, e.g. "connect", "socket", "sendto". */
  fn: string;
  /** The socket the call is on (its file descriptor), when there is one. */
  fd?: number;
  args: Value[];
}

/** A socket-module call returns a value or raises. */
export interface ReturnEvent extends Base {
  k: 'ret';
  id: number;
  host: string;
  pid: number;
  tid: number;
  fn: string;
  fd?: number;
  value?: Value;
  error?: PyError;
}

/** Socket life cycle, as the socket machine sees it. */
export interface SocketEvent extends Base {
  k: 'sock';
  host: string;
  /** Socket id (like an inode number): unique per host for the whole run. */
  sid: number;
  pid: number;
  fd: number;
  family: Family;
  type: SockType;
  state: 'created' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';
  local?: SockAddr;
  remote?: SockAddr;
}

/** A TCP connection changes state (RFC 9293 state diagram). */
export interface TcpEvent extends Base {
  k: 'tcp';
  host: string;
  sid: number;
  from: TcpState;
  to: TcpState;
  /** The event that caused it: a user call ("connect", "close") or a segment ("rcv SYN,ACK"), or a timeout. */
  cause: string;
  local: SockAddr;
  remote?: SockAddr;
}

/** A local port is taken or given back. */
export interface PortEvent extends Base {
  k: 'port';
  host: string;
  op: 'alloc' | 'free';
  proto: Proto;
  ip: string;
  port: number;
  sid: number;
  /** Chosen by the kernel from ip_local_port_range, rather than bound explicitly. */
  ephemeral: boolean;
}

/** A PDU crosses a layer boundary inside a host: `down` on the way out, `up` on the way in. */
export interface LayerEvent extends Base {
  k: 'layer';
  host: string;
  /** Packet id: the same id follows one packet down the sender's stack, across links and up the receiver's. */
  pkt: number;
  dir: 'down' | 'up';
  /** The layer the PDU is at after this step (down) or is leaving (up). */
  layer: Layer;
  /** What the PDU is called here: "data", "segment", "datagram", "packet", "frame". */
  pdu: 'data' | 'segment' | 'datagram' | 'packet' | 'frame';
  /** Protocol at this layer: "tcp", "udp", "icmp", "arp", "ipv4", "ethernet", "loopback". */
  proto: string;
  /** PDU length in bytes at this layer. */
  len: number;
  /** Interface the frame goes out of or came in on (link layer only). */
  iface?: string;
}

/** A frame crosses one hop of a link (host–host, host–switch, switch–host). */
export interface WireEvent extends Base {
  k: 'wire';
  pkt: number;
  link: string;
  from: { node: string; iface: string };
  to: { node: string; iface: string };
  /** The frame as it is on the wire (no preamble or FCS, as pcap captures it). */
  bytes: Uint8Array;
  /** Last bit leaves the sender. */
  txEnd: Micros;
  /** First bit reaches the receiver. */
  rxStart: Micros;
  /** Last bit reaches the receiver: when the receiver can process the frame. */
  rxEnd: Micros;
  /** What the link did to it: delivered, lost, or delivered twice (this event is the copy). */
  fate: 'ok' | 'lost' | 'duplicate';
}

/** A neighbour (ARP cache) entry is created or updated. */
export interface ArpEvent extends Base {
  k: 'arp';
  host: string;
  op: 'add' | 'update';
  ip: string;
  mac: string;
}

/** Bytes move between AF_UNIX sockets: local IPC, no link involved. */
export interface IpcEvent extends Base {
  k: 'ipc';
  host: string;
  from: number;
  to: number;
  path: string;
  len: number;
  type: SockType;
}

/** A program writes a line (or part of one) to stdout or stderr. */
export interface OutputEvent extends Base {
  k: 'out';
  host: string;
  pid: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** A protocol timer is armed, fires or is cancelled. */
export interface TimerEvent extends Base {
  k: 'timer';
  host: string;
  sid: number;
  kind: 'retransmit' | 'time-wait' | 'delayed-ack' | 'keepalive' | 'arp';
  op: 'set' | 'fire' | 'cancel';
  /** When a `set` timer will fire. */
  at?: Micros;
}

/** A packet is dropped inside a host, with the reason Linux would count it under. */
export interface DropEvent extends Base {
  k: 'drop';
  host: string;
  pkt: number;
  reason: string;
}

/**
 * Python statements a thread executed, from `t` on. Programs' own files only (the standard
 * library's lines cost time but are not listed). Short stretches list every line with its
 * start offset; a long stretch (a hot loop) is compacted into a run.
 */
export interface LineEvent extends Base {
  k: 'line';
  host: string;
  pid: number;
  tid: number;
  /** The program file, e.g. "server.py". */
  file: string;
  /** Lines in execution order, with `at[i]` the µs offset from `t` at which lines[i] starts. */
  lines?: number[];
  at?: number[];
  /**
   * A compacted stretch: `count` statements over `dur` µs visiting the lines in `set` (sorted),
   * ending on `last`; `top` is the line executed most often (where a loop spends its time;
   * absent in traces recorded before it was added).
   */
  run?: { count: number; dur: Micros; set: number[]; last: number; top?: number };
}

/** A thread changes state (src/machines/threadMachine.ts); `core` while it runs on one. */
export interface ThreadEvent extends Base {
  k: 'thread';
  host: string;
  pid: number;
  tid: number;
  /** threading.Thread name, e.g. "MainThread", "Thread-1 (worker)". */
  name: string;
  state: 'new' | 'wait-gil' | 'running-py' | 'blocked-io' | 'running-native' | 'handoff' | 'done';
  core?: number;
}

/**
 * The GIL of one interpreter (process): taken (`take`, with the switch count when it changes
 * hands), released, a drop request set on the holder by a waiter that timed out (new GIL), or
 * a failed acquisition (a woken waiter found it taken again: the old GIL's "battle").
 */
export interface GilEvent extends Base {
  k: 'gil';
  host: string;
  pid: number;
  op: 'take' | 'release' | 'drop-request' | 'failed';
  tid: number;
  /** take: number of times the GIL has changed hands in this interpreter so far. */
  switches?: number;
  /** release: forced by a drop request (FORCE_SWITCHING hand-off). */
  forced?: boolean;
}

/** Which thread a CPU core runs from now on (null: idle). */
export interface CoreEvent extends Base {
  k: 'core';
  host: string;
  core: number;
  pid: number | null;
  tid: number | null;
}

/** A thread sets an attribute of a threading.local object: only that thread will see it. */
export interface TlsEvent extends Base {
  k: 'tls';
  host: string;
  pid: number;
  tid: number;
  /** Which local object (e.g. "local#1"). */
  obj: string;
  attr: string;
  /** repr() of the value. */
  value: string;
}

/**
 * An asyncio event loop step in one thread: a pass of the loop (`pass`, with the number of
 * callbacks that were ready when it began — exactly those run in it), a task running (`run`),
 * awaiting something unfinished (`await`), finishing (`done`) or being created (`create`).
 */
export interface AsyncEvent extends Base {
  k: 'async';
  host: string;
  pid: number;
  tid: number;
  op: 'pass' | 'run' | 'await' | 'done' | 'create';
  task: string;
  ready?: number;
  detail?: string;
}

export type TraceEvent =
  | ProcEvent
  | CallEvent
  | ReturnEvent
  | SocketEvent
  | TcpEvent
  | PortEvent
  | LayerEvent
  | WireEvent
  | ArpEvent
  | IpcEvent
  | OutputEvent
  | TimerEvent
  | DropEvent
  | LineEvent
  | ThreadEvent
  | GilEvent
  | CoreEvent
  | TlsEvent
  | AsyncEvent;

export type TraceKind = TraceEvent['k'];

export interface HostInfo {
  name: string;
  interfaces: { name: string; mac: string; ip: string; netmask: string; mtu: number }[];
}

export interface LinkInfo {
  id: string;
  a: { node: string; iface: string };
  b: { node: string; iface: string };
  mtu: number;
  latency: Micros;
  /** Bits per second. */
  bandwidth: number;
}

export interface TraceMeta {
  version: typeof TRACE_VERSION;
  scenario: string;
  seed: number;
  hosts: HostInfo[];
  switches: string[];
  links: LinkInfo[];
}

export interface Trace {
  meta: TraceMeta;
  events: TraceEvent[];
  /** Virtual time at which the run ended. */
  end: Micros;
}
