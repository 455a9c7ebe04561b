/**
 * The few facts about a frame that narration, labels and the TCP flow table need (addresses,
 * ports, TCP flags and sequence numbers, ARP and ICMP kinds), read straight from its bytes.
 * The packet details view uses the full dissector (src/sim/net/dissect.ts) instead.
 *
 * Pure: reads the bytes it is given, never throws (short frames give fewer facts). May not
 * touch the DOM, Svelte or a clock.
 */
import { formatIPv4, formatMac, readIPv4 } from '../../sim/net/addr.ts';

export interface FrameFacts {
  ethDst: string;
  ethSrc: string;
  arp?: { op: 'request' | 'reply' | 'other'; senderIp: string; senderMac: string; targetIp: string };
  ip?: { src: string; dst: string; proto: number; payloadLen: number };
  tcp?: { sport: number; dport: number; seq: number; ack: number; flags: string[]; dataLen: number; wscale: number | null };
  udp?: { sport: number; dport: number; dataLen: number };
  icmp?: { type: number; code: number; quotedUdpPort?: number; quotedProto?: number };
}

const u16 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
const u32 = (b: Uint8Array, o: number): number => (u16(b, o) * 65536 + u16(b, o + 2)) >>> 0;

const FLAG_NAMES: [number, string][] = [
  [0x02, 'SYN'],
  [0x10, 'ACK'],
  [0x08, 'PSH'],
  [0x01, 'FIN'],
  [0x04, 'RST'],
  [0x20, 'URG'],
];

export function frameFacts(b: Uint8Array): FrameFacts {
  const f: FrameFacts = { ethDst: b.length >= 6 ? formatMac(b, 0) : '', ethSrc: b.length >= 12 ? formatMac(b, 6) : '' };
  if (b.length < 14) return f;
  const type = u16(b, 12);
  if (type === 0x0806 && b.length >= 42) {
    const op = u16(b, 20);
    f.arp = { op: op === 1 ? 'request' : op === 2 ? 'reply' : 'other', senderMac: formatMac(b, 22), senderIp: formatIPv4(readIPv4(b, 28)), targetIp: formatIPv4(readIPv4(b, 38)) };
    return f;
  }
  if (type !== 0x0800 || b.length < 34) return f;
  const ihl = (b[14]! & 0x0f) * 4;
  const total = u16(b, 16);
  const l4 = 14 + ihl;
  const proto = b[23]!;
  const end = Math.min(b.length, 14 + total);
  f.ip = { src: formatIPv4(readIPv4(b, 26)), dst: formatIPv4(readIPv4(b, 30)), proto, payloadLen: Math.max(0, end - l4) };
  if (proto === 6 && end >= l4 + 20) {
    const off = (b[l4 + 12]! >> 4) * 4;
    const fl = b[l4 + 13]!;
    let wscale: number | null = null;
    for (let o = l4 + 20; o < Math.min(end, l4 + off); ) {
      const kind = b[o]!;
      if (kind === 0) break;
      if (kind === 1) {
        o++;
        continue;
      }
      const len = b[o + 1] ?? 0;
      if (kind === 3 && len === 3) wscale = b[o + 2] ?? null;
      if (len < 2) break;
      o += len;
    }
    f.tcp = {
      sport: u16(b, l4),
      dport: u16(b, l4 + 2),
      seq: u32(b, l4 + 4),
      ack: u32(b, l4 + 8),
      flags: FLAG_NAMES.filter(([bit]) => (fl & bit) !== 0).map(([, n]) => n),
      dataLen: Math.max(0, end - l4 - off),
      wscale,
    };
  } else if (proto === 17 && end >= l4 + 8) {
    f.udp = { sport: u16(b, l4), dport: u16(b, l4 + 2), dataLen: Math.max(0, u16(b, l4 + 4) - 8) };
  } else if (proto === 1 && end >= l4 + 8) {
    f.icmp = { type: b[l4]!, code: b[l4 + 1]! };
    const inner = l4 + 8;
    if ((f.icmp.type === 3 || f.icmp.type === 11) && end >= inner + 20) {
      const innerIhl = (b[inner]! & 0x0f) * 4;
      f.icmp.quotedProto = b[inner + 9];
      if (end >= inner + innerIhl + 4) f.icmp.quotedUdpPort = u16(b, inner + innerIhl + 2);
    }
  }
  return f;
}

const ICMP_UNREACH: Record<number, string> = { 0: 'net unreachable', 1: 'host unreachable', 2: 'protocol unreachable', 3: 'port unreachable', 4: 'fragmentation needed' };

/** A short, language-neutral description: "TCP [SYN]", "TCP [PSH, ACK] len=5", "ARP request", "ICMP port unreachable". */
export function describeFrame(f: FrameFacts): string {
  if (f.arp) return `ARP ${f.arp.op}`;
  if (f.tcp) return `TCP [${f.tcp.flags.join(', ')}]${f.tcp.dataLen ? ` len=${f.tcp.dataLen}` : ''}`;
  if (f.udp) return `UDP ${f.udp.sport} → ${f.udp.dport} len=${f.udp.dataLen}`;
  if (f.icmp) {
    if (f.icmp.type === 3) return `ICMP ${ICMP_UNREACH[f.icmp.code] ?? `unreachable (code ${f.icmp.code})`}`;
    if (f.icmp.type === 8) return 'ICMP echo request';
    if (f.icmp.type === 0) return 'ICMP echo reply';
    return `ICMP type ${f.icmp.type}`;
  }
  if (f.ip) return `IPv4 proto ${f.ip.proto}`;
  return 'Ethernet';
}
