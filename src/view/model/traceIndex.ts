/**
 * An index over one trace, for fast queries at any time t: which events have happened
 * (binary search), and each packet's journey — down the sender's layers, over each hop of a
 * link, up the receiver's layers — with the times of every step precomputed.
 *
 * Pure: reads the trace it is given and returns plain data. May not touch the DOM, Svelte, a
 * clock or the simulation's internals (only its trace types).
 */
import type { Layer, LayerEvent, Trace, WireEvent } from '../../sim/trace.ts';

/** A packet at one layer of one host: a `layer` event. */
export interface Station {
  t: number;
  host: string;
  dir: 'down' | 'up';
  layer: Layer;
  pdu: LayerEvent['pdu'];
  proto: string;
  len: number;
  /** Index of the event in trace.events. */
  i: number;
}

/** A packet crossing one hop of a link: a `wire` event. */
export interface Hop {
  t: number;
  txEnd: number;
  rxStart: number;
  rxEnd: number;
  link: string;
  from: string;
  to: string;
  fate: WireEvent['fate'];
  bytes: Uint8Array;
  i: number;
}

export interface PacketJourney {
  pkt: number;
  /** Layer events in time order (both hosts). */
  stations: Station[];
  hops: Hop[];
  drop?: { t: number; host: string; reason: string; i: number };
  /** Time of the packet's first and last event. */
  start: number;
  last: number;
  /** The host it was built on (first station's or hop's host). */
  origin: string;
  /** Protocols from the outermost header in: e.g. ["ethernet", "ipv4", "tcp"]. */
  headers: string[];
  /** Application bytes it carries (the transport payload), 0 when none. */
  dataLen: number;
}

export interface TraceIndex {
  trace: Trace;
  /** Event times, for binary search. */
  times: Float64Array;
  packets: Map<number, PacketJourney>;
  /** Packets sorted by start time. */
  byStart: PacketJourney[];
  /** Longest (last − start) of any packet: bounds the backward scan of `packetsAround`. */
  maxSpan: number;
  hosts: string[];
  /** For each event index, the packet it concerns (layer, wire, drop), else −1. */
  eventPkt: Int32Array;
}

/**
 * The headers of a packet, outermost first, from the order its sender added them (or, when the
 * trace does not show them added — no sender, or a copy made at the link layer such as the
 * broadcast Linux loops back to its own host — the order its first receiver removed them). An
 * ARP frame is Ethernet + ARP.
 */
export function headerStack(stations: readonly Station[]): string[] {
  const down = stations.filter((s) => s.dir === 'down' && s.layer !== 'application');
  const protos: string[] = [];
  if (down.some((s) => s.layer !== 'link' || s.proto === 'arp')) {
    for (const s of down) protos.unshift(s.proto === 'arp' ? 'arp' : s.proto);
  } else {
    const receiver = stations.find((s) => s.dir === 'up')?.host;
    for (const s of stations) if (s.dir === 'up' && s.host === receiver && s.layer !== 'application') protos.push(s.proto);
  }
  const out: string[] = [];
  for (const p of protos) {
    if (p === 'arp') {
      if (out[out.length - 1] !== 'ethernet' && !out.includes('ethernet')) out.push('ethernet');
      out.push('arp');
    } else if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

/** Transport header length in bytes from a layer event's PDU and the frame, best effort. */
function payloadOf(j: PacketJourney): number {
  const t = j.stations.find((s) => s.layer === 'transport');
  if (!t) {
    const app = j.stations.find((s) => s.layer === 'application');
    return app ? app.len : 0;
  }
  const hop = j.hops[0];
  if (hop && hop.bytes.length >= 34) {
    const b = hop.bytes;
    const ihl = (b[14]! & 0x0f) * 4;
    const l4 = 14 + ihl;
    if (t.proto === 'tcp' && b.length >= l4 + 13) return Math.max(0, t.len - (b[l4 + 12]! >> 4) * 4);
    if (t.proto === 'udp') return Math.max(0, t.len - 8);
  }
  if (t.proto === 'udp') return Math.max(0, t.len - 8);
  if (t.proto === 'tcp') return Math.max(0, t.len - 20);
  return 0;
}

export function buildIndex(trace: Trace): TraceIndex {
  const n = trace.events.length;
  const times = new Float64Array(n);
  const eventPkt = new Int32Array(n).fill(-1);
  const packets = new Map<number, PacketJourney>();
  const journey = (pkt: number, t: number, host: string): PacketJourney => {
    let j = packets.get(pkt);
    if (!j) {
      j = { pkt, stations: [], hops: [], start: t, last: t, origin: host, headers: [], dataLen: 0 };
      packets.set(pkt, j);
    }
    j.last = Math.max(j.last, t);
    return j;
  };
  for (let i = 0; i < n; i++) {
    const e = trace.events[i]!;
    times[i] = e.t;
    if (e.k === 'layer') {
      const j = journey(e.pkt, e.t, e.host);
      j.stations.push({ t: e.t, host: e.host, dir: e.dir, layer: e.layer, pdu: e.pdu, proto: e.proto, len: e.len, i });
      eventPkt[i] = e.pkt;
    } else if (e.k === 'wire') {
      const j = journey(e.pkt, e.t, e.from.node);
      j.hops.push({ t: e.t, txEnd: e.txEnd, rxStart: e.rxStart, rxEnd: e.rxEnd, link: e.link, from: e.from.node, to: e.to.node, fate: e.fate, bytes: e.bytes, i });
      // A lost frame ends on the wire; a delivered one is accounted for by the receiver's events.
      j.last = Math.max(j.last, e.rxEnd);
      eventPkt[i] = e.pkt;
    } else if (e.k === 'drop') {
      const j = journey(e.pkt, e.t, e.host);
      j.drop = { t: e.t, host: e.host, reason: e.reason, i };
      eventPkt[i] = e.pkt;
    }
  }
  let maxSpan = 0;
  for (const j of packets.values()) {
    j.headers = headerStack(j.stations);
    j.dataLen = payloadOf(j);
    maxSpan = Math.max(maxSpan, j.last - j.start);
  }
  const byStart = [...packets.values()].sort((a, b) => a.start - b.start || a.pkt - b.pkt);
  return { trace, times, packets, byStart, maxSpan, hosts: trace.meta.hosts.map((h) => h.name), eventPkt };
}

/** Number of events with time ≤ t: the events that have happened at time t. */
export function upto(index: TraceIndex, t: number): number {
  const a = index.times;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first event with time ≥ t. */
export function firstAtOrAfter(index: TraceIndex, t: number): number {
  const a = index.times;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The time of the latest event at or before t (the step the player is on), or null before the first. */
export function stepTime(index: TraceIndex, t: number): number | null {
  const k = upto(index, t);
  return k === 0 ? null : index.times[k - 1]!;
}

/** The events that happened exactly at the step time ≤ t (all events sharing that time). */
export function eventsAtStep(index: TraceIndex, t: number): { from: number; to: number } {
  const to = upto(index, t);
  if (to === 0) return { from: 0, to: 0 };
  const st = index.times[to - 1]!;
  let from = to - 1;
  while (from > 0 && index.times[from - 1] === st) from--;
  return { from, to };
}

/**
 * Packets that may be visible at time t: started at or before t, last event no earlier than
 * t − slack. Scans back from the last packet started by t for at most maxSpan + slack.
 */
export function packetsAround(index: TraceIndex, t: number, slack: number): PacketJourney[] {
  const arr = index.byStart;
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]!.start <= t) lo = mid + 1;
    else hi = mid;
  }
  const out: PacketJourney[] = [];
  const earliest = t - index.maxSpan - slack;
  for (let i = lo - 1; i >= 0; i--) {
    const j = arr[i]!;
    if (j.start < earliest) break;
    if (j.last + slack >= t) out.push(j);
  }
  return out.reverse();
}

/** The wire event of a packet's first hop, if it reached a wire. */
export function firstHop(index: TraceIndex, pkt: number): Hop | undefined {
  return index.packets.get(pkt)?.hops[0];
}

/** "host/s<sid>" and "host/p<pid>" of the sockets and processes with an event at the step time st. */
export function touchedAt(index: TraceIndex, st: number | null): Set<string> {
  const out = new Set<string>();
  if (st === null) return out;
  const { from, to } = eventsAtStep(index, st);
  for (let i = from; i < to; i++) {
    const e = index.trace.events[i]!;
    if ('sid' in e && 'host' in e) out.add(`${e.host}/s${e.sid}`);
    if ('pid' in e && 'host' in e) out.add(`${e.host}/p${e.pid}`);
  }
  return out;
}
