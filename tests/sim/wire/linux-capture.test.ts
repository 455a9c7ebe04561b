// Real frames: every frame of a Linux capture decodes, checksums verify, and re-encoding the
// decoded headers gives the captured bytes back exactly. That proves the encoders are Linux-exact.
import { describe, expect, it } from 'vitest';
import { decodeEthernet, encodeEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../../src/sim/net/wire/ethernet.ts';
import { decodeArp, encodeArp } from '../../../src/sim/net/wire/arp.ts';
import { decodeIpv4, encodeIpv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../../src/sim/net/wire/ipv4.ts';
import { decodeIcmp, destUnreachable, encodeIcmp, icmpErrorTos, ICMP_QUOTE_MAX } from '../../../src/sim/net/wire/icmp.ts';
import { decodeUdp, encodeUdp } from '../../../src/sim/net/wire/udp.ts';
import {
  decodeTcp,
  encodeTcp,
  flagsString,
  linuxDataOptions,
  linuxSynAckOptions,
  linuxSynOptions,
} from '../../../src/sim/net/wire/tcp.ts';
import { toHex } from '../../../src/sim/net/bytes.ts';
import { F, linuxFrames } from './fixture.ts';

const frames = linuxFrames();
const frame = (n: number): Uint8Array => frames[n - 1]!;

/** Decodes a whole frame and re-encodes it layer by layer; asserts every checksum on the way. */
function reencode(bytes: Uint8Array): Uint8Array {
  const eth = decodeEthernet(bytes);
  let inner: Uint8Array;
  if (eth.header.etherType === ETHERTYPE_ARP) {
    inner = encodeArp(decodeArp(eth.payload));
  } else {
    expect(eth.header.etherType).toBe(ETHERTYPE_IPV4);
    const ip = decodeIpv4(eth.payload);
    expect(ip.checksumOk).toBe(true);
    const { src, dst, protocol } = ip.header;
    let transport: Uint8Array;
    if (protocol === PROTO_TCP) {
      const tcp = decodeTcp(ip.payload, src, dst);
      expect(tcp.checksumOk).toBe(true);
      transport = encodeTcp(tcp.header, tcp.payload, src, dst);
    } else if (protocol === PROTO_UDP) {
      const udp = decodeUdp(ip.payload, src, dst);
      expect(udp.checksumOk).toBe(true);
      expect(udp.header.checksum).not.toBe(0);
      transport = encodeUdp(udp.header, udp.payload, src, dst);
    } else {
      expect(protocol).toBe(PROTO_ICMP);
      const icmp = decodeIcmp(ip.payload);
      expect(icmp.checksumOk).toBe(true);
      transport = encodeIcmp(icmp.message);
    }
    inner = encodeIpv4(ip.header, transport);
  }
  // The capture is of a veth pair, which never pads, so rebuild without padding.
  return encodeEthernet(eth.header, inner, { pad: false });
}

function tcpOf(n: number) {
  const ip = decodeIpv4(decodeEthernet(frame(n)).payload);
  return { ip: ip.header, ...decodeTcp(ip.payload, ip.header.src, ip.header.dst) };
}

describe('a real Linux capture (linux-sample.pcap)', () => {
  it('has the 20 frames capture.sh makes', () => {
    expect(frames).toHaveLength(20);
  });

  it.each(frames.map((b, i) => [i + 1, b] as const))('frame %i decodes and re-encodes byte for byte', (_n, bytes) => {
    expect(toHex(reencode(bytes))).toBe(toHex(bytes));
  });

  it('shows no Ethernet padding on a veth pair; a NIC-style encode pads with zeros to 60', () => {
    const arp = frame(F.arpRequest);
    expect(arp.length).toBe(42);
    expect(frame(F.rst).length).toBe(54);
    expect(frame(F.udpSmall).length).toBe(47);
    const eth = decodeEthernet(arp);
    const padded = encodeEthernet(eth.header, eth.payload);
    expect(padded.length).toBe(60);
    expect(toHex(padded)).toBe(toHex(arp) + '00'.repeat(18));
    // Decoders accept the padded form: ARP ignores the excess, IP trims by total length.
    expect(decodeArp(decodeEthernet(padded).payload)).toEqual(decodeArp(eth.payload));
    const rst = decodeEthernet(frame(F.rst));
    const rstPadded = encodeEthernet(rst.header, rst.payload);
    expect(decodeIpv4(decodeEthernet(rstPadded).payload).payload.length).toBe(20);
  });

  it('ARP: a Linux request is broadcast with an all-zero target MAC', () => {
    const eth = decodeEthernet(frame(F.arpRequest));
    expect(eth.header.dst).toBe('ff:ff:ff:ff:ff:ff');
    expect(decodeArp(eth.payload)).toEqual({
      op: 1,
      senderMac: '02:00:0a:00:00:01',
      senderIp: '10.0.0.1',
      targetMac: '00:00:00:00:00:00',
      targetIp: '10.0.0.2',
    });
    expect(decodeArp(decodeEthernet(frame(F.arpReply)).payload)).toMatchObject({ op: 2, targetMac: '02:00:0a:00:00:01' });
  });

  it('TCP: Linux SYN options are MSS, SACK_PERM, TS, NOP, WS, as linuxSynOptions builds them', () => {
    const syn = tcpOf(F.syn);
    expect(flagsString(syn.header.flags)).toBe('S');
    const ts = syn.header.options.find((o) => o.kind === 'timestamps');
    if (ts?.kind !== 'timestamps') throw new Error('SYN has no timestamps');
    expect(syn.header.options).toEqual(linuxSynOptions(1460, ts.tsval, 10));
    expect(syn.header.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'timestamps', 'nop', 'wscale']);
    expect(syn.header.ack).toBe(0);
    expect(syn.header.window).toBe(64240);
    // Same bytes on the wire when the SYN is built from scratch.
    const built = encodeTcp(
      { ...syn.header, options: linuxSynOptions(1460, ts.tsval, 10) },
      new Uint8Array(0),
      '10.0.0.1',
      '10.0.0.2',
    );
    expect(toHex(built)).toBe(toHex(decodeIpv4(decodeEthernet(frame(F.syn)).payload).payload));
    expect(tcpOf(F.synClosed).header.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'timestamps', 'nop', 'wscale']);
  });

  it('TCP: the SYN-ACK echoes the layout with TSecr = the SYN TSval; later segments carry NOP, NOP, TS', () => {
    const syn = tcpOf(F.syn);
    const synAck = tcpOf(F.synAck);
    const synTs = syn.header.options[2];
    const ts = synAck.header.options[2];
    if (synTs?.kind !== 'timestamps' || ts?.kind !== 'timestamps') throw new Error('no timestamps');
    expect(flagsString(synAck.header.flags)).toBe('S.');
    expect(synAck.header.options).toEqual(linuxSynAckOptions(1460, ts.tsval, synTs.tsval, 10));
    expect(synAck.header.ack).toBe((syn.header.seq + 1) >>> 0);
    expect(synAck.header.window).toBe(65160);
    for (const n of [F.ack, F.clientData, F.serverAck, F.serverData, F.clientAck, F.clientFin, F.serverFin, F.lastAck]) {
      const seg = tcpOf(n);
      const o = seg.header.options[2];
      if (o?.kind !== 'timestamps') throw new Error(`frame ${n} has no timestamps`);
      expect(seg.header.options).toEqual(linuxDataOptions(o.tsval, o.tsecr));
    }
    expect(['.', 'P.', '.', 'P.', '.', 'F.', 'F.', '.']).toEqual(
      [F.ack, F.clientData, F.serverAck, F.serverData, F.clientAck, F.clientFin, F.serverFin, F.lastAck].map((n) =>
        flagsString(tcpOf(n).header.flags),
      ),
    );
    expect(new TextDecoder().decode(tcpOf(F.clientData).payload)).toBe('hello\n');
  });

  it('IP ID: a connected TCP socket counts up from a random start; SYN-ACK and RST carry ID 0 with DF', () => {
    const client = [F.syn, F.ack, F.clientData, F.clientAck, F.clientFin, F.lastAck].map((n) => tcpOf(n).ip);
    for (const h of client) expect(h.df).toBe(true);
    const ids = client.map((h) => h.id);
    expect(ids.slice(1)).toEqual(ids.slice(0, -1).map((id) => (id + 1) & 0xffff));
    const server = [F.serverAck, F.serverData, F.serverFin].map((n) => tcpOf(n).ip.id);
    expect(server.slice(1)).toEqual([(server[0]! + 1) & 0xffff, (server[0]! + 2) & 0xffff]);
    for (const n of [F.synAck, F.rst]) {
      expect(tcpOf(n).ip).toMatchObject({ id: 0, df: true, ttl: 64, tos: 0 });
    }
    const rst = tcpOf(F.rst);
    expect(flagsString(rst.header.flags)).toBe('R.');
    expect(rst.header).toMatchObject({ seq: 0, window: 0, options: [] });
    expect(rst.header.ack).toBe((tcpOf(F.synClosed).header.seq + 1) >>> 0);
  });

  it('UDP is sent with DF set; ICMP errors and echo replies without DF, errors with TOS 0xc0', () => {
    const ip = (n: number) => decodeIpv4(decodeEthernet(frame(n)).payload);
    expect(ip(F.udpSmall).header).toMatchObject({ df: true, tos: 0, ttl: 64 });
    expect(ip(F.udpBig).header.df).toBe(true);
    expect(ip(F.udpSmall).header.id).not.toBe(0);
    expect(ip(F.echoRequest).header.df).toBe(true);
    expect(ip(F.echoReply).header).toMatchObject({ df: false, tos: 0 });
    for (const n of [F.icmpSmall, F.icmpBig]) expect(ip(n).header).toMatchObject({ df: false, tos: icmpErrorTos(0), ttl: 64 });
  });

  it('ICMP port unreachable quotes the whole datagram up to 576 bytes total, as destUnreachable does', () => {
    for (const [udp, icmp, quoted] of [
      [F.udpSmall, F.icmpSmall, 33],
      [F.udpBig, F.icmpBig, ICMP_QUOTE_MAX],
    ] as const) {
      const original = decodeEthernet(frame(udp)).payload;
      const error = decodeIpv4(decodeEthernet(frame(icmp)).payload);
      const msg = destUnreachable(3, original);
      expect(msg.data.length).toBe(quoted);
      expect(toHex(encodeIcmp(msg))).toBe(toHex(error.payload));
    }
    expect(decodeIpv4(decodeEthernet(frame(F.icmpBig)).payload).header.totalLength).toBe(576);
  });

  it('ping: the echo reply carries the request identifier, sequence and data', () => {
    const req = decodeIcmp(decodeIpv4(decodeEthernet(frame(F.echoRequest)).payload).payload).message;
    const rep = decodeIcmp(decodeIpv4(decodeEthernet(frame(F.echoReply)).payload).payload).message;
    expect(req).toMatchObject({ type: 8, code: 0 });
    expect(rep).toMatchObject({ type: 0, code: 0, rest: req.rest });
    expect(req.rest & 0xffff).toBe(1);
    expect(toHex(rep.data)).toBe(toHex(req.data));
    expect(req.data.length).toBe(56);
  });
});
