/**
 * Ports at a moment: which local ports each host's sockets hold, which changed at the current
 * step, the port ranges the port map shows, and why a bind failed (and who holds the port).
 *
 * Pure: replays trace events up to an index. May not touch the DOM, Svelte or a clock.
 */
import type { CallEvent, Proto, ReturnEvent, TcpState, TraceEvent } from '../../sim/trace.ts';

export interface PortRange {
  id: 'well-known' | 'registered' | 'dynamic' | 'course-dynamic' | 'linux-ephemeral';
  from: number;
  to: number;
  /** Which row of the port map it belongs to. */
  row: 'iana' | 'course' | 'linux';
}

/** IANA (RFC 6335 §6), the course's simpler split, and Linux's default ip_local_port_range. */
export const PORT_RANGES: readonly PortRange[] = [
  { id: 'well-known', from: 0, to: 1023, row: 'iana' },
  { id: 'registered', from: 1024, to: 49151, row: 'iana' },
  { id: 'dynamic', from: 49152, to: 65535, row: 'iana' },
  { id: 'well-known', from: 0, to: 1023, row: 'course' },
  { id: 'course-dynamic', from: 1024, to: 65535, row: 'course' },
  { id: 'linux-ephemeral', from: 32768, to: 60999, row: 'linux' },
];

export function ianaRange(port: number): 'well-known' | 'registered' | 'dynamic' | 'invalid' {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'invalid';
  if (port <= 1023) return 'well-known';
  if (port <= 49151) return 'registered';
  return 'dynamic';
}

export interface HeldPort {
  host: string;
  proto: Proto;
  ip: string;
  port: number;
  sid: number;
  ephemeral: boolean;
  /** When it was taken. */
  since: number;
}

export interface PortChange {
  host: string;
  proto: Proto;
  port: number;
  sid: number;
  op: 'alloc' | 'free';
}

const key = (host: string, sid: number): string => `${host}/${sid}`;

/** Ports held after the first `end` events, in allocation order. */
export function heldPorts(events: readonly TraceEvent[], end: number): HeldPort[] {
  const held = new Map<string, HeldPort>();
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.k !== 'port') continue;
    const k = `${e.host}/${e.proto}/${e.port}/${e.sid}`;
    if (e.op === 'alloc') held.set(k, { host: e.host, proto: e.proto, ip: e.ip, port: e.port, sid: e.sid, ephemeral: e.ephemeral, since: e.t });
    else held.delete(k);
  }
  return [...held.values()];
}

/** Port events among events [from, to): what lit up or went dark at this step. */
export function portChanges(events: readonly TraceEvent[], from: number, to: number): PortChange[] {
  const out: PortChange[] = [];
  for (let i = from; i < to; i++) {
    const e = events[i]!;
    if (e.k === 'port') out.push({ host: e.host, proto: e.proto, port: e.port, sid: e.sid, op: e.op });
  }
  return out;
}

/** What the socket holding a port is doing, for "held by …" explanations. */
export interface PortHolder {
  host: string;
  sid: number;
  ip: string;
  /** The owning process, or null once the program has closed the socket (the kernel keeps it). */
  pid: number | null;
  fd: number | null;
  tcp: TcpState | null;
}

export interface BindFailure {
  /** Index of the `ret` event. */
  i: number;
  t: number;
  host: string;
  pid: number;
  fd: number | undefined;
  /** The address passed to bind(), as Python shows it. */
  addr: string;
  port: number | null;
  proto: Proto | null;
  errno: number | undefined;
  type: string;
  message: string;
  /** For EADDRINUSE: the sockets that held the port at that moment. */
  holders: PortHolder[];
}

function pyAddr(v: unknown): { text: string; port: number | null } {
  if (Array.isArray(v) && v.length === 2) {
    const [h, p] = v as [unknown, unknown];
    const host = typeof h === 'string' ? `'${h}'` : String(h);
    const port = typeof p === 'number' ? p : typeof p === 'string' ? `'${p}'` : String(p);
    return { text: `(${host}, ${port})`, port: typeof p === 'number' ? p : null };
  }
  if (typeof v === 'string') return { text: `'${v}'`, port: null };
  return { text: String(v), port: null };
}

/**
 * Every bind() that raised, up to event index `end`, with the holders of the port for
 * "Address already in use" (errno 98).
 */
export function bindFailures(events: readonly TraceEvent[], end: number): BindFailure[] {
  const calls = new Map<number, CallEvent>();
  const sockOf = new Map<string, { sid: number; type: string }>(); // host/pid/fd → socket
  const sockInfo = new Map<string, { pid: number | null; fd: number | null; tcp: TcpState | null }>();
  const held = new Map<string, { ip: string; sid: number }[]>(); // host/proto/port
  const out: BindFailure[] = [];
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.k === 'call' && e.fn === 'bind') calls.set(e.id, e);
    else if (e.k === 'sock') {
      if (e.fd >= 0) sockOf.set(`${e.host}/${e.pid}/${e.fd}`, { sid: e.sid, type: e.type });
      const info = sockInfo.get(key(e.host, e.sid)) ?? { pid: null, fd: null, tcp: null };
      if (e.state === 'closed') {
        info.pid = null;
        info.fd = null;
      } else if (e.fd >= 0) {
        info.pid = e.pid;
        info.fd = e.fd;
      }
      sockInfo.set(key(e.host, e.sid), info);
    } else if (e.k === 'tcp') {
      const info = sockInfo.get(key(e.host, e.sid)) ?? { pid: null, fd: null, tcp: null };
      info.tcp = e.to;
      sockInfo.set(key(e.host, e.sid), info);
    } else if (e.k === 'port') {
      const k = `${e.host}/${e.proto}/${e.port}`;
      const list = held.get(k) ?? [];
      if (e.op === 'alloc') list.push({ ip: e.ip, sid: e.sid });
      else {
        const at = list.findIndex((x) => x.sid === e.sid);
        if (at >= 0) list.splice(at, 1);
      }
      held.set(k, list);
    } else if (e.k === 'ret' && e.fn === 'bind' && e.error) {
      const call = calls.get(e.id);
      const { text, port } = pyAddr(call?.args[0]);
      const sock = e.fd !== undefined ? sockOf.get(`${e.host}/${e.pid}/${e.fd}`) : undefined;
      const proto: Proto | null = sock ? (sock.type === 'SOCK_STREAM' ? 'tcp' : 'udp') : null;
      const holders: PortHolder[] = [];
      if (e.error.errno === 98 && port !== null && proto) {
        for (const h of held.get(`${e.host}/${proto}/${port}`) ?? []) {
          const info = sockInfo.get(key(e.host, h.sid));
          holders.push({ host: e.host, sid: h.sid, ip: h.ip, pid: info?.pid ?? null, fd: info?.fd ?? null, tcp: info?.tcp ?? null });
        }
      }
      out.push(failure(i, e, text, port, proto, holders));
    }
  }
  return out;
}

function failure(i: number, e: ReturnEvent, addr: string, port: number | null, proto: Proto | null, holders: PortHolder[]): BindFailure {
  return {
    i,
    t: e.t,
    host: e.host,
    pid: e.pid,
    fd: e.fd,
    addr,
    port,
    proto,
    errno: e.error?.errno,
    type: e.error?.type ?? '',
    message: e.error?.message ?? '',
    holders,
  };
}
