// One frame of each kind, built with our encoders only (for the tshark and dissector tests).
import { utf8 } from '../../../src/sim/net/bytes.ts';
import { encodeEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../../src/sim/net/wire/ethernet.ts';
import { encodeArp } from '../../../src/sim/net/wire/arp.ts';
import { encodeIpv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP, type Ipv4Header } from '../../../src/sim/net/wire/ipv4.ts';
import {
  destUnreachable,
  echoReply,
  echoRequest,
  encodeIcmp,
  icmpErrorTos,
  timeExceeded,
  ICMP_FRAG_NEEDED,
  ICMP_PORT_UNREACH,
} from '../../../src/sim/net/wire/icmp.ts';
import { encodeUdp } from '../../../src/sim/net/wire/udp.ts';
import {
  encodeTcp,
  flags,
  linuxDataOptions,
  linuxSynAckOptions,
  linuxSynOptions,
  type TcpHeader,
} from '../../../src/sim/net/wire/tcp.ts';

export const A = { mac: '02:00:0a:00:00:01', ip: '10.0.0.1' };
export const B = { mac: '02:00:0a:00:00:02', ip: '10.0.0.2' };
export const ROUTER = { mac: '02:00:0a:00:00:fe', ip: '10.0.0.254' };
export const ISN_A = 0xfffffff0; // wraps during the exchange, on purpose
export const ISN_B = 3525507087;

function ip(src: typeof A, dst: typeof A, protocol: number, payload: Uint8Array, over: Partial<Ipv4Header> = {}): Uint8Array {
  const h: Ipv4Header = { tos: 0, id: 0x1218, df: true, mf: false, fragOffset: 0, ttl: 64, protocol, src: src.ip, dst: dst.ip, ...over };
  return encodeIpv4(h, payload);
}

function eth(src: typeof A, dst: typeof A, packet: Uint8Array, etherType = ETHERTYPE_IPV4): Uint8Array {
  return encodeEthernet({ dst: dst.mac, src: src.mac, etherType }, packet);
}

function tcp(src: typeof A, dst: typeof A, h: Partial<TcpHeader> & Pick<TcpHeader, 'seq' | 'ack' | 'flags'>, payload: Uint8Array = new Uint8Array(0), id = 0x1218): Uint8Array {
  const full: TcpHeader = {
    srcPort: src === A ? 40620 : 8080,
    dstPort: src === A ? 8080 : 40620,
    window: 502,
    urgent: 0,
    options: [],
    ...h,
  };
  return ip(src, dst, PROTO_TCP, encodeTcp(full, payload, src.ip, dst.ip), { id });
}

export interface Sample {
  name: string;
  bytes: Uint8Array;
}

/** Frames in conversation order: ARP, ping, a TCP exchange with SACK, UDP and its ICMP error… */
export function sampleFrames(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, bytes: Uint8Array) => out.push({ name, bytes });

  add('arp-request', eth(A, { mac: 'ff:ff:ff:ff:ff:ff', ip: '' }, encodeArp({ op: 1, senderMac: A.mac, senderIp: A.ip, targetMac: '00:00:00:00:00:00', targetIp: B.ip }), ETHERTYPE_ARP));
  add('arp-reply', eth(B, A, encodeArp({ op: 2, senderMac: B.mac, senderIp: B.ip, targetMac: A.mac, targetIp: A.ip }), ETHERTYPE_ARP));

  const pingData = Uint8Array.from({ length: 56 }, (_, i) => (i + 0x10) & 0xff);
  const req = echoRequest(0x1b42, 1, pingData);
  add('echo-request', eth(A, B, ip(A, B, PROTO_ICMP, encodeIcmp(req), { id: 27594 })));
  add('echo-reply', eth(B, A, ip(B, A, PROTO_ICMP, encodeIcmp(echoReply(req)), { id: 6533, df: false })));

  const a = ISN_A;
  const b = ISN_B;
  add('syn', eth(A, B, tcp(A, B, { seq: a, ack: 0, flags: flags('S'), window: 64240, options: linuxSynOptions(1460, 1000, 7) })));
  add('syn-ack', eth(B, A, tcp(B, A, { seq: b, ack: (a + 1) >>> 0, flags: flags('SA'), window: 65160, options: linuxSynAckOptions(1460, 2000, 1000, 7) }, undefined, 0)));
  add('ack', eth(A, B, tcp(A, B, { seq: (a + 1) >>> 0, ack: (b + 1) >>> 0, flags: flags('A'), options: linuxDataOptions(1001, 2000) }, undefined, 0x1219)));
  add('data', eth(A, B, tcp(A, B, { seq: (a + 1) >>> 0, ack: (b + 1) >>> 0, flags: flags('PA'), options: linuxDataOptions(1001, 2000) }, utf8('hello\n'), 0x121a)));
  add('data-ack', eth(B, A, tcp(B, A, { seq: (b + 1) >>> 0, ack: (a + 7) >>> 0, flags: flags('A'), window: 509, options: linuxDataOptions(2001, 1001) }, undefined, 0x5000)));
  add('sack', eth(B, A, tcp(B, A, { seq: (b + 1) >>> 0, ack: (a + 7) >>> 0, flags: flags('A'), window: 509, options: linuxDataOptions(2002, 1001, [[(a + 17) >>> 0, (a + 27) >>> 0]]) }, undefined, 0x5001)));
  add('urgent-ecn', eth(A, B, tcp(A, B, { seq: (a + 7) >>> 0, ack: (b + 1) >>> 0, flags: flags('PAUEC'), urgent: 1, options: linuxDataOptions(1002, 2002) }, utf8('!'), 0x121b)));
  add('fin', eth(A, B, tcp(A, B, { seq: (a + 8) >>> 0, ack: (b + 1) >>> 0, flags: flags('FA'), options: linuxDataOptions(1003, 2002) }, undefined, 0x121c)));
  add('fin-ack', eth(B, A, tcp(B, A, { seq: (b + 1) >>> 0, ack: (a + 9) >>> 0, flags: flags('FA'), window: 509, options: linuxDataOptions(2003, 1003) }, undefined, 0x5002)));
  add('rst', eth(B, A, tcp(B, A, { srcPort: 8081, dstPort: 40621, seq: 0, ack: 876665552, flags: flags('RA'), window: 0 }, undefined, 0)));

  const udp = ip(A, B, PROTO_UDP, encodeUdp({ srcPort: 40000, dstPort: 9999 }, utf8('ping\n'), A.ip, B.ip), { id: 33768 });
  add('udp', eth(A, B, udp));
  add('port-unreachable', eth(B, A, ip(B, A, PROTO_ICMP, encodeIcmp(destUnreachable(ICMP_PORT_UNREACH, udp)), { id: 6581, df: false, tos: icmpErrorTos(0) })));
  const bigUdp = ip(A, B, PROTO_UDP, encodeUdp({ srcPort: 40001, dstPort: 9999 }, new Uint8Array(1000).fill(0x41), A.ip, B.ip), { id: 33811 });
  add('udp-big', eth(A, B, bigUdp));
  // Small enough to be quoted whole: tshark verifies a quoted TCP checksum even when the quote
  // is truncated (and then calls it bad), unlike a quoted UDP one.
  const bigTcp = tcp(A, B, { seq: (a + 9) >>> 0, ack: (b + 2) >>> 0, flags: flags('PA'), options: linuxDataOptions(1004, 2003) }, new Uint8Array(400).fill(0x42), 0x121d);
  add('frag-needed', eth(ROUTER, A, ip(ROUTER, A, PROTO_ICMP, encodeIcmp(destUnreachable(ICMP_FRAG_NEEDED, bigTcp, 296)), { id: 77, df: false, tos: icmpErrorTos(0) })));
  add('time-exceeded', eth(ROUTER, A, ip(ROUTER, A, PROTO_ICMP, encodeIcmp(timeExceeded(0, udp)), { id: 78, df: false, tos: icmpErrorTos(0) })));
  return out;
}
