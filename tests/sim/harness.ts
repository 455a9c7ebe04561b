/**
 * Test harness: build a small network with inline TypeScript programs, run it, and ask the
 * trace questions. Tiny factories, as tldraw's kernel tests do.
 */
import { runScenario, type ProgramSpec } from '../../src/sim/scenario.ts';
import type { LinkSpec, HostSpec } from '../../src/sim/network.ts';
import type { Program } from '../../src/sim/api/pysocket.ts';
import type { Trace, TraceEvent, WireEvent, PyError } from '../../src/sim/trace.ts';
import { decodeEthernet } from '../../src/sim/net/wire/ethernet.ts';
import { decodeIpv4 } from '../../src/sim/net/wire/ipv4.ts';
import { decodeTcp, flagsString } from '../../src/sim/net/wire/tcp.ts';
import { decodeUdp } from '../../src/sim/net/wire/udp.ts';
import { decodeIcmp } from '../../src/sim/net/wire/icmp.ts';
import { decodeArp } from '../../src/sim/net/wire/arp.ts';
import type { Network } from '../../src/sim/network.ts';

export const SERVER = '10.0.0.2';
export const CLIENT = '10.0.0.1';

export interface Prog {
  host?: string;
  file?: string;
  start?: number;
  user?: 'root' | 'student';
  program: Program;
}

export interface RunOpts {
  hosts?: HostSpec[];
  link?: LinkSpec;
  seed?: number;
  until?: number;
}

export function run(programs: Prog[], opts: RunOpts = {}): { trace: Trace; net: Network } {
  const hosts = opts.hosts ?? [
    { name: 'server', ip: SERVER },
    { name: 'client', ip: CLIENT },
  ];
  const specs: ProgramSpec[] = programs.map((p, i) => ({
    host: p.host ?? hosts[0]!.name,
    file: p.file ?? `p${i}.py`,
    start: p.start ?? 0,
    user: p.user ?? 'student',
    program: p.program,
  }));
  const r = runScenario(
    { id: 'test', seed: opts.seed ?? 1, network: { hosts, link: opts.link ?? { mtu: 1500, latency: 50 } }, programs: specs },
    opts.until !== undefined ? { until: opts.until } : {},
  );
  return { trace: r.trace, net: r.network };
}

/** Lines printed by programs on `host` (stdout and stderr), in order. */
export function printed(trace: Trace, host?: string): string[] {
  return trace.events.filter((e) => e.k === 'out' && (host === undefined || e.host === host)).map((e) => (e as { text: string }).text);
}

export function events<K extends TraceEvent['k']>(trace: Trace, k: K): Extract<TraceEvent, { k: K }>[] {
  return trace.events.filter((e): e is Extract<TraceEvent, { k: K }> => e.k === k);
}

export interface Frame {
  t: number;
  from: string;
  to: string;
  fate: WireEvent['fate'];
  kind: 'arp' | 'tcp' | 'udp' | 'icmp' | 'other';
  /** tcpdump-like one-liner, e.g. "S seq=0 ack=0 len=0" (relative sequence numbers per direction). */
  desc: string;
  tcp?: { flags: string; seq: number; ack: number; len: number; win: number; sport: number; dport: number; options: string[] };
  ip?: { ttl: number; df: boolean; mf: boolean; fragOffset: number; id: number; checksumOk: boolean; proto: number; len: number };
  udp?: { sport: number; dport: number; len: number };
  icmp?: { type: number; code: number };
  arp?: { op: number; senderIp: string; targetIp: string };
  bytes: Uint8Array;
}

/** Every frame put on a link, decoded; TCP seq/ack relative to each direction's ISN. */
export function frames(trace: Trace): Frame[] {
  const isn = new Map<string, number>();
  const out: Frame[] = [];
  for (const e of events(trace, 'wire')) {
    const f: Frame = { t: e.t, from: e.from.node, to: e.to.node, fate: e.fate, kind: 'other', desc: '', bytes: e.bytes };
    const eth = decodeEthernet(e.bytes);
    if (eth.header.etherType === 0x0806) {
      const a = decodeArp(eth.payload);
      f.kind = 'arp';
      f.arp = { op: a.op, senderIp: a.senderIp, targetIp: a.targetIp };
      f.desc = a.op === 1 ? `ARP who-has ${a.targetIp}` : `ARP ${a.senderIp} is-at`;
    } else if (eth.header.etherType === 0x0800) {
      const ip = decodeIpv4(eth.payload);
      const h = ip.header;
      f.ip = { ttl: h.ttl, df: h.df, mf: h.mf, fragOffset: h.fragOffset, id: h.id, checksumOk: ip.checksumOk, proto: h.protocol, len: h.totalLength ?? 0 };
      if (h.protocol === 6 && h.fragOffset === 0) {
        const t = decodeTcp(ip.payload, h.src, h.dst);
        const key = `${h.src}:${t.header.srcPort}>${h.dst}:${t.header.dstPort}`;
        const rkey = `${h.dst}:${t.header.dstPort}>${h.src}:${t.header.srcPort}`;
        if (t.header.flags.syn && !isn.has(key)) isn.set(key, t.header.seq);
        const base = isn.get(key) ?? t.header.seq;
        const peer = isn.get(rkey);
        const seq = (t.header.seq - base) >>> 0;
        const ack = t.header.flags.ack && peer !== undefined ? (t.header.ack - peer) >>> 0 : t.header.ack;
        const flags = flagsString(t.header.flags);
        f.kind = 'tcp';
        f.tcp = { flags, seq, ack, len: t.payload.length, win: t.header.window, sport: t.header.srcPort, dport: t.header.dstPort, options: t.header.options.map((o) => o.kind === 'mss' ? `mss ${o.value}` : o.kind === 'wscale' ? `wscale ${o.shift}` : o.kind) };
        f.desc = `${flags} seq=${seq} ack=${ack} len=${t.payload.length}`;
      } else if (h.protocol === 17 && h.fragOffset === 0 && !h.mf) {
        const u = decodeUdp(ip.payload, h.src, h.dst);
        f.kind = 'udp';
        f.udp = { sport: u.header.srcPort, dport: u.header.dstPort, len: u.payload.length };
        f.desc = `UDP ${u.header.srcPort} > ${u.header.dstPort} len=${u.payload.length}`;
      } else if (h.protocol === 1) {
        const m = decodeIcmp(ip.payload);
        f.kind = 'icmp';
        f.icmp = { type: m.message.type, code: m.message.code };
        f.desc = `ICMP ${m.message.type}/${m.message.code}`;
      } else {
        f.desc = `IP frag off=${h.fragOffset}${h.mf ? ' MF' : ''}`;
      }
    }
    out.push(f);
  }
  return out;
}

/** "from>to desc" lines of the TCP frames, for compact assertions. */
export function tcpLines(trace: Trace): string[] {
  return frames(trace)
    .filter((f) => f.kind === 'tcp')
    .map((f) => `${f.from}>${f.to} ${f.desc}`);
}

/** The states a host's TCP socket `sid` went through. */
export function tcpStates(trace: Trace, host: string, sid?: number): string[] {
  const out: string[] = [];
  for (const e of events(trace, 'tcp')) if (e.host === host && (sid === undefined || e.sid === sid)) out.push(e.to);
  return out;
}

/** Errors raised by calls, formatted as Python prints them. */
export function raised(trace: Trace, host?: string): string[] {
  return events(trace, 'ret')
    .filter((e) => e.error && (host === undefined || e.host === host))
    .map((e) => fmt(e.error!));
}

export function fmt(e: PyError): string {
  return `${e.type}: ${e.message}`;
}

/** Catch a Python exception in a TS program and describe it as Python's `type(e).__name__: e`. */
export function describe(e: unknown): string {
  const x = e as { py?: PyError };
  if (!x.py) throw e;
  return fmt(x.py);
}
