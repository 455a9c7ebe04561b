/**
 * TCP connections at a moment: each connection's current state and the transition that
 * brought it there, replayed from `tcp` events.
 *
 * Pure: reads trace events up to an index. May not touch the DOM, Svelte or a clock.
 */
import type { SockAddr, TcpEvent, TcpState, TraceEvent } from '../../sim/trace.ts';

export interface Connection {
  /** "host/sid" */
  id: string;
  host: string;
  sid: number;
  state: TcpState;
  local: SockAddr;
  remote: SockAddr | undefined;
  /** The transition that brought it to `state`. */
  last: TcpEvent;
  /** Index of that event in the trace. */
  lastIndex: number;
}

/** Connections after the first `end` events, in order of first appearance. */
export function connectionsAt(events: readonly TraceEvent[], end: number): Connection[] {
  const byId = new Map<string, Connection>();
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.k !== 'tcp') continue;
    const id = `${e.host}/${e.sid}`;
    const c = byId.get(id);
    if (c) {
      c.state = e.to;
      c.local = e.local;
      if (e.remote) c.remote = e.remote;
      c.last = e;
      c.lastIndex = i;
    } else byId.set(id, { id, host: e.host, sid: e.sid, state: e.to, local: e.local, remote: e.remote, last: e, lastIndex: i });
  }
  return [...byId.values()];
}

export function formatSockAddr(a: SockAddr | undefined): string {
  if (!a) return '*';
  if ('path' in a) return a.path || '(unnamed)';
  return `${a.ip}:${a.port}`;
}
