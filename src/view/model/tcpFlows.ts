/**
 * What the dissector needs to show TCP the way Wireshark does: each direction's initial
 * sequence number (for relative Seq/Ack) and the window scale it negotiated, learned from the
 * SYNs of the trace's frames.
 *
 * Pure: reads frame bytes. May not touch the DOM, Svelte or a clock.
 */
import type { DissectOptions } from '../../sim/net/dissect.ts';
import { frameFacts } from './frameFacts.ts';
import type { TraceIndex } from './traceIndex.ts';

interface Direction {
  isn: number;
  wscale: number | null;
}

/** For every TCP packet: the dissect options of its first hop. */
export function tcpDissectOptions(index: TraceIndex): Map<number, DissectOptions> {
  const dirs = new Map<string, Direction>();
  const pending: { pkt: number; key: string; back: string }[] = [];
  for (const j of index.byStart) {
    const hop = j.hops[0];
    if (!hop) continue;
    const f = frameFacts(hop.bytes);
    if (!f.tcp || !f.ip) continue;
    const key = `${f.ip.src}:${f.tcp.sport}>${f.ip.dst}:${f.tcp.dport}`;
    const back = `${f.ip.dst}:${f.tcp.dport}>${f.ip.src}:${f.tcp.sport}`;
    if (f.tcp.flags.includes('SYN') && !dirs.has(key)) dirs.set(key, { isn: f.tcp.seq, wscale: f.tcp.wscale });
    pending.push({ pkt: j.pkt, key, back });
  }
  const out = new Map<number, DissectOptions>();
  for (const p of pending) {
    const mine = dirs.get(p.key);
    const theirs = dirs.get(p.back);
    if (!mine) continue;
    const opts: DissectOptions = { relativeSeq: theirs ? { isn: mine.isn, peerIsn: theirs.isn } : { isn: mine.isn } };
    // RFC 7323 §2.2: scaling is in effect only when both SYNs carried the option.
    if (theirs) opts.windowShift = mine.wscale !== null && theirs.wscale !== null ? mine.wscale : null;
    out.set(p.pkt, opts);
  }
  return out;
}
