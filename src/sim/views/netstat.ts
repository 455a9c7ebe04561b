/**
 * `netstat -ano` and `ps aux` at any moment, computed from a trace. Pure functions of
 * (trace, time): they replay the trace's socket, TCP, port and process events up to `t`.
 */
import { formatIPv4 } from '../net/addr.ts';
import type { SockAddr, TcpState, Trace, TraceEvent } from '../trace.ts';

export interface NetstatRow {
  host: string;
  proto: 'tcp' | 'udp' | 'unix';
  local: string;
  foreign: string;
  /** TCP state as netstat prints it (LISTEN, ESTABLISHED…); '' for UDP; unix: the socket type. */
  state: string;
  /** PID of the owning process, or undefined once the program has closed it ("-"). */
  pid: number | undefined;
  sid: number;
}

export interface PsRow {
  host: string;
  user: string;
  pid: number;
  ppid: number;
  /** R running, S sleeping (blocked in a call), Z exited. */
  stat: 'R' | 'S' | 'Z';
  command: string;
  /** The call the process is blocked in, e.g. "accept" (shown as WCHAN). */
  wchan: string;
}

function addr(a: SockAddr | undefined, proto: 'tcp' | 'udp' | 'unix'): string {
  if (!a) return proto === 'unix' ? '' : '0.0.0.0:*';
  if ('path' in a) return a.path;
  return `${a.ip}:${a.port}`;
}

interface SockInfo {
  host: string;
  sid: number;
  proto: 'tcp' | 'udp' | 'unix';
  type: string;
  local?: SockAddr;
  remote?: SockAddr;
  tcp?: TcpState;
  pid: number | undefined;
  closedByProgram: boolean;
  hasPort: boolean;
  listening: boolean;
}

/** Index of the first event with time > t (events are in time order). */
export function eventsUntil(trace: Trace, t: number): number {
  let lo = 0;
  let hi = trace.events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trace.events[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function replaySockets(events: readonly TraceEvent[], end: number): Map<string, SockInfo> {
  const socks = new Map<string, SockInfo>();
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.k === 'sock') {
      const key = `${e.host}/${e.sid}`;
      let s = socks.get(key);
      if (!s) {
        s = {
          host: e.host,
          sid: e.sid,
          proto: e.family === 'AF_UNIX' ? 'unix' : e.type === 'SOCK_STREAM' ? 'tcp' : 'udp',
          type: e.type === 'SOCK_STREAM' ? 'STREAM' : 'DGRAM',
          pid: e.fd >= 0 ? e.pid : undefined,
          closedByProgram: false,
          hasPort: false,
          listening: false,
        };
        socks.set(key, s);
      }
      if (e.local) s.local = e.local;
      if (e.remote) s.remote = e.remote;
      if (e.state === 'closed') {
        s.closedByProgram = true;
        s.pid = undefined;
      } else if (e.fd >= 0) s.pid = e.pid;
      if (e.state === 'listening') s.listening = true;
      if (s.proto === 'unix' && e.state === 'closed') socks.delete(key);
    } else if (e.k === 'tcp') {
      const s = socks.get(`${e.host}/${e.sid}`);
      if (s) {
        s.tcp = e.to;
        s.local = e.local;
        if (e.remote) s.remote = e.remote;
      }
    } else if (e.k === 'port') {
      const s = socks.get(`${e.host}/${e.sid}`);
      if (s) {
        s.hasPort = e.op === 'alloc';
        if (e.op === 'alloc') s.local = { ip: e.ip, port: e.port };
      }
    }
  }
  return socks;
}

/** The sockets of `host` (or all hosts) at time `t`, as `netstat -ano` lists them. */
export function netstat(trace: Trace, t: number, host?: string): NetstatRow[] {
  const socks = replaySockets(trace.events, eventsUntil(trace, t));
  const rows: NetstatRow[] = [];
  for (const s of socks.values()) {
    if (host !== undefined && s.host !== host) continue;
    let state = '';
    if (s.proto === 'tcp') {
      if (!s.tcp || s.tcp === 'CLOSED') {
        // A bound but unconnected TCP socket is not listed by netstat; one that is still open is.
        if (!s.hasPort || s.closedByProgram) continue;
        state = 'CLOSE';
      } else state = s.tcp === 'SYN_RECV' ? 'SYN_RECV' : s.tcp;
    } else if (s.proto === 'udp') {
      if (!s.hasPort) continue;
    } else {
      state = s.listening ? 'LISTENING' : s.remote ? 'CONNECTED' : '';
    }
    rows.push({
      host: s.host,
      proto: s.proto,
      local: s.proto === 'tcp' && !s.local ? '0.0.0.0:0' : addr(s.local, s.proto),
      foreign: s.proto === 'unix' ? addr(s.remote, 'unix') : s.remote && 'port' in s.remote && s.remote.port ? addr(s.remote, s.proto) : '0.0.0.0:*',
      state,
      pid: s.pid,
      sid: s.sid,
    });
  }
  return rows;
}

/** The processes of `host` (or all hosts) at time `t`, as `ps aux` lists them. */
export function ps(trace: Trace, t: number, host?: string): PsRow[] {
  const end = eventsUntil(trace, t);
  const procs = new Map<string, PsRow>();
  const openCalls = new Map<string, string>();
  for (let i = 0; i < end; i++) {
    const e = trace.events[i]!;
    if (e.k === 'proc') {
      const key = `${e.host}/${e.pid}`;
      if (e.op === 'start') procs.set(key, { host: e.host, user: e.user, pid: e.pid, ppid: e.ppid, stat: 'R', command: e.cmd, wchan: '' });
      else {
        const p = procs.get(key);
        if (p) {
          p.stat = 'Z';
          p.wchan = '';
        }
      }
    } else if (e.k === 'call') {
      openCalls.set(`${e.host}/${e.pid}`, e.fn);
      const p = procs.get(`${e.host}/${e.pid}`);
      if (p && p.stat !== 'Z') {
        p.stat = 'S';
        p.wchan = e.fn;
      }
    } else if (e.k === 'ret') {
      const p = procs.get(`${e.host}/${e.pid}`);
      if (p && p.stat !== 'Z') {
        p.stat = 'R';
        p.wchan = '';
      }
    }
  }
  return [...procs.values()].filter((p) => p.stat !== 'Z' && (host === undefined || p.host === host)).sort((a, b) => a.pid - b.pid);
}

/** "10.0.0.2:8080" for an (ip number, port) pair. */
export function formatEndpoint(ip: number, port: number): string {
  return `${formatIPv4(ip)}:${port}`;
}
