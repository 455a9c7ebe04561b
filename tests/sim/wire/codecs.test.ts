// Byte-exact unit tests of the wire encoders and decoders on hand-built vectors.
import { describe, expect, it } from 'vitest';
import { WireError, fromHex, internetChecksum, toHex, utf8 } from '../../../src/sim/net/bytes.ts';
import { decodeEthernet, encodeEthernet, ETHERTYPE_ARP } from '../../../src/sim/net/wire/ethernet.ts';
import { decodeArp, encodeArp } from '../../../src/sim/net/wire/arp.ts';
import { decodeIpv4, encodeIpv4, PROTO_UDP, type Ipv4Header } from '../../../src/sim/net/wire/ipv4.ts';
import {
  decodeIcmp,
  destUnreachable,
  echoId,
  echoReply,
  echoRequest,
  echoSeq,
  encodeIcmp,
  ICMP_QUOTE_MAX,
} from '../../../src/sim/net/wire/icmp.ts';
import { decodeUdp, encodeUdp } from '../../../src/sim/net/wire/udp.ts';
import {
  decodeTcp,
  encodeTcp,
  flags,
  flagsFromByte,
  flagsString,
  flagsToByte,
  linuxTcpOptions,
  NO_FLAGS,
  parseTcpOptions,
  type TcpHeader,
} from '../../../src/sim/net/wire/tcp.ts';

const ipHeader = (over: Partial<Ipv4Header> = {}): Ipv4Header => ({
  tos: 0,
  id: 0,
  df: true,
  mf: false,
  fragOffset: 0,
  ttl: 64,
  protocol: PROTO_UDP,
  src: '192.168.0.1',
  dst: '192.168.0.199',
  ...over,
});

describe('Ethernet', () => {
  const h = { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:0a:00:00:01', etherType: ETHERTYPE_ARP };

  it('writes dst, src, type, payload and pads to 60 bytes', () => {
    const f = encodeEthernet(h, fromHex('abcd'));
    expect(f.length).toBe(60);
    expect(toHex(f.subarray(0, 16))).toBe('ffffffffffff02000a0000010806abcd');
    expect(f.subarray(16).every((b) => b === 0)).toBe(true);
    expect(encodeEthernet(h, fromHex('abcd'), { pad: false }).length).toBe(16);
    expect(encodeEthernet(h, new Uint8Array(46)).length).toBe(60);
    expect(encodeEthernet(h, new Uint8Array(47)).length).toBe(61);
  });

  it('decodes to a payload view that keeps the padding', () => {
    const f = encodeEthernet(h, fromHex('abcd'));
    const d = decodeEthernet(f);
    expect(d.header).toEqual(h);
    expect(d.payload.length).toBe(46);
    expect(d.payload.buffer).toBe(f.buffer); // a view, not a copy
  });

  it('rejects short frames and bad MACs', () => {
    expect(() => decodeEthernet(new Uint8Array(13))).toThrow(WireError);
    expect(() => encodeEthernet({ ...h, src: '02:00:0a:00:00' }, new Uint8Array(0))).toThrow(WireError);
  });
});

describe('ARP', () => {
  const req = { op: 1, senderMac: '02:00:0a:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' } as const;

  it('encodes RFC 826 field order', () => {
    expect(toHex(encodeArp(req))).toBe('0001080006040001' + '02000a000001' + '0a000001' + '000000000000' + '0a000002');
    expect(decodeArp(encodeArp(req))).toEqual(req);
  });

  it('rejects malformed packets', () => {
    const b = encodeArp(req);
    expect(() => decodeArp(b.subarray(0, 27))).toThrow(WireError);
    const bad = b.slice();
    bad[7] = 3;
    expect(() => decodeArp(bad)).toThrow(/opcode 3/);
    const ipx = b.slice();
    ipx[2] = 0x81;
    expect(() => decodeArp(ipx)).toThrow(WireError);
  });
});

describe('IPv4', () => {
  it('encodes the classic header with checksum 0xb861', () => {
    const p = encodeIpv4(ipHeader(), new Uint8Array(0x73 - 20));
    expect(toHex(p.subarray(0, 20))).toBe('45000073000040004011b861c0a80001c0a800c7');
  });

  it('encodes flags, fragment offset, TOS and id', () => {
    const p = encodeIpv4(ipHeader({ df: false, mf: true, fragOffset: 1480, tos: 0xb8, id: 0xbeef, ttl: 1 }), new Uint8Array(8));
    expect(toHex(p.subarray(0, 10))).toBe('45b8001cbeef20b90111');
    expect(internetChecksum(p.subarray(0, 20))).toBe(0);
    const d = decodeIpv4(p);
    expect(d.header).toMatchObject({ df: false, mf: true, fragOffset: 1480, tos: 0xb8, id: 0xbeef, ttl: 1, totalLength: 28 });
    expect(() => encodeIpv4(ipHeader({ fragOffset: 100 }), new Uint8Array(0))).toThrow(WireError);
    expect(() => encodeIpv4(ipHeader(), new Uint8Array(65516))).toThrow(WireError);
  });

  it('trims the payload to the total length and flags a bad checksum', () => {
    const p = encodeIpv4(ipHeader(), fromHex('01020304'));
    const padded = new Uint8Array(46);
    padded.set(p);
    const d = decodeIpv4(padded);
    expect(toHex(d.payload)).toBe('01020304');
    expect(d.checksumOk).toBe(true);
    padded[8] = 63; // TTL changed without fixing the checksum
    expect(decodeIpv4(padded).checksumOk).toBe(false);
  });

  it('carries options, padded to 4 bytes', () => {
    const p = encodeIpv4(ipHeader({ options: fromHex('9404') /* router alert, truncated */ }), fromHex('aa'));
    expect(p[0]).toBe(0x46);
    expect(p.length).toBe(25);
    const d = decodeIpv4(p);
    expect(toHex(d.header.options!)).toBe('94040000');
    expect(toHex(d.payload)).toBe('aa');
    expect(d.checksumOk).toBe(true);
  });

  it('rejects what is not a well-formed IPv4 datagram', () => {
    const p = encodeIpv4(ipHeader(), new Uint8Array(4));
    expect(() => decodeIpv4(p.subarray(0, 19))).toThrow(WireError);
    expect(() => decodeIpv4(p.subarray(0, 23))).toThrow(/total length 24/);
    const v6 = p.slice();
    v6[0] = 0x65;
    expect(() => decodeIpv4(v6)).toThrow(/version 6/);
    const ihl = p.slice();
    ihl[0] = 0x44;
    expect(() => decodeIpv4(ihl)).toThrow(WireError);
  });
});

describe('ICMP', () => {
  it('encodes an echo request with id<<16|seq and checksum', () => {
    const m = echoRequest(0x1b42, 1, utf8('abcd'));
    const b = encodeIcmp(m);
    expect(toHex(b)).toBe('0800' + toHex(b.subarray(2, 4)) + '1b420001' + '61626364');
    expect(internetChecksum(b)).toBe(0);
    const d = decodeIcmp(b);
    expect(d.checksumOk).toBe(true);
    expect(echoId(d.message)).toBe(0x1b42);
    expect(echoSeq(d.message)).toBe(1);
    const r = echoReply(d.message);
    expect(r).toMatchObject({ type: 0, code: 0, rest: 0x1b420001 });
    expect(echoRequest(0xffff, 0xffff, new Uint8Array(0)).rest).toBe(0xffffffff);
  });

  it('quotes at most 548 bytes of the original, trimmed to its total length', () => {
    const big = encodeIpv4(ipHeader(), new Uint8Array(1000).fill(7));
    const m = destUnreachable(3, big);
    expect(m).toMatchObject({ type: 3, code: 3, rest: 0 });
    expect(m.data.length).toBe(ICMP_QUOTE_MAX);
    expect(20 + encodeIcmp(m).length).toBe(576);
    const small = encodeIpv4(ipHeader(), new Uint8Array(5));
    const padded = new Uint8Array(46);
    padded.set(small);
    expect(destUnreachable(3, padded).data.length).toBe(25);
    expect(destUnreachable(4, small, 1400).rest).toBe(1400);
  });

  it('flags a bad checksum and rejects short messages', () => {
    const b = encodeIcmp(echoRequest(1, 2, new Uint8Array(3)));
    b[9] = b[9]! ^ 1;
    expect(decodeIcmp(b).checksumOk).toBe(false);
    expect(() => decodeIcmp(b.subarray(0, 7))).toThrow(WireError);
  });
});

describe('UDP', () => {
  it('computes the pseudo-header checksum', () => {
    const d = encodeUdp({ srcPort: 40000, dstPort: 9999 }, utf8('ping\n'), '10.0.0.1', '10.0.0.2');
    // The datagram of linux-sample.pcap frame 15.
    expect(toHex(d)).toBe('9c40270f000d3fb170696e670a');
    const r = decodeUdp(d, '10.0.0.1', '10.0.0.2');
    expect(r.checksumOk).toBe(true);
    expect(r.header).toEqual({ srcPort: 40000, dstPort: 9999, length: 13, checksum: 0x3fb1 });
    expect(decodeUdp(d, '10.0.0.1', '10.0.0.3').checksumOk).toBe(false);
  });

  it('sends a computed checksum of 0 as 0xffff, and accepts 0 as "no checksum"', () => {
    // Choose the last payload word so that the sum is 0xffff, i.e. the checksum computes to 0.
    const base = encodeUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(2), '10.0.0.1', '10.0.0.2');
    const sum = ~((base[6]! << 8) | base[7]!) & 0xffff; // folded sum without the last word
    const w = 0xffff - sum;
    const d = encodeUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array([w >> 8, w & 0xff]), '10.0.0.1', '10.0.0.2');
    expect(toHex(d.subarray(6, 8))).toBe('ffff');
    expect(decodeUdp(d, '10.0.0.1', '10.0.0.2').checksumOk).toBe(true);
    const none = d.slice();
    none[6] = 0;
    none[7] = 0;
    none[9] = none[9]! ^ 0xff;
    expect(decodeUdp(none, '10.0.0.1', '10.0.0.2').checksumOk).toBe(true);
  });

  it('trims to the UDP length and rejects bad lengths', () => {
    const d = encodeUdp({ srcPort: 1, dstPort: 2 }, fromHex('aabb'), '10.0.0.1', '10.0.0.2');
    const longer = new Uint8Array(14);
    longer.set(d);
    expect(toHex(decodeUdp(longer, '10.0.0.1', '10.0.0.2').payload)).toBe('aabb');
    expect(() => decodeUdp(d.subarray(0, 9), '10.0.0.1', '10.0.0.2')).toThrow(WireError);
    const bad = d.slice();
    bad[5] = 4;
    expect(() => decodeUdp(bad, '10.0.0.1', '10.0.0.2')).toThrow(/length 4/);
  });
});

describe('TCP', () => {
  const syn: TcpHeader = {
    srcPort: 40620,
    dstPort: 8080,
    seq: 2304299046,
    ack: 0,
    flags: flags('S'),
    window: 64240,
    urgent: 0,
    options: linuxTcpOptions({ mss: 1460, sackOk: true, ts: { tsval: 2302219726, tsecr: 0 }, wscale: 10 }),
  };

  it('encodes the SYN of linux-sample.pcap frame 5 byte for byte', () => {
    expect(toHex(encodeTcp(syn, new Uint8Array(0), '10.0.0.1', '10.0.0.2'))).toBe(
      '9eac1f908958d026' + '00000000' + 'a002' + 'faf0' + '8246' + '0000' + '020405b4' + '0402080a893915ce00000000' + '0103030a',
    );
  });

  it('decodes data offset, flags, options, payload', () => {
    const seg = encodeTcp({ ...syn, flags: flags('PA'), ack: 0xfffffffe, seq: -1 }, utf8('hi'), '10.0.0.1', '10.0.0.2');
    const d = decodeTcp(seg, '10.0.0.1', '10.0.0.2');
    expect(d.checksumOk).toBe(true);
    expect(d.header).toMatchObject({ seq: 0xffffffff, ack: 0xfffffffe, dataOffset: 10, headerLength: 40, window: 64240 });
    expect(flagsString(d.header.flags)).toBe('P.');
    expect(d.header.options).toEqual(syn.options);
    expect(new TextDecoder().decode(d.payload)).toBe('hi');
    seg[seg.length - 1] = seg[seg.length - 1]! ^ 1;
    expect(decodeTcp(seg, '10.0.0.1', '10.0.0.2').checksumOk).toBe(false);
  });

  it('pads options with zeros to 4 bytes and round-trips SACK, EOL and unknown options', () => {
    // 2 + 18 + 4 + 3 + 1 = 28 bytes: already aligned.
    const h: TcpHeader = {
      ...syn,
      flags: flags('A'),
      options: [
        { kind: 'nop' },
        { kind: 'nop' },
        { kind: 'sack', blocks: [[1000, 2000], [0xfffffff0, 16]] },
        { kind: 'unknown', code: 30, data: fromHex('0102') },
        { kind: 'wscale', shift: 7 },
        { kind: 'eol' },
      ],
    };
    const seg = encodeTcp(h, new Uint8Array(0), '10.0.0.1', '10.0.0.2');
    expect(seg.length).toBe(20 + 28);
    expect(toHex(seg.subarray(20))).toBe('0101' + '0512' + '000003e8000007d0' + 'fffffff000000010' + '1e040102' + '030307' + '00');
    const d = decodeTcp(seg, '10.0.0.1', '10.0.0.2');
    expect(d.header.options).toEqual(h.options);
    expect(toHex(encodeTcp(d.header, d.payload, '10.0.0.1', '10.0.0.2'))).toBe(toHex(seg));
    expect(toHex(encodeTcp({ ...syn, options: [{ kind: 'mss', value: 536 }, { kind: 'wscale', shift: 0 }] }, new Uint8Array(0), '1.1.1.1', '2.2.2.2').subarray(20))).toBe('020402180303' + '0000');
  });

  it('turns known kinds with odd lengths into unknown, and throws on broken option lengths', () => {
    expect(parseTcpOptions(fromHex('020300'), 0, 3)).toEqual([{ kind: 'unknown', code: 2, data: fromHex('00') }]);
    expect(() => parseTcpOptions(fromHex('02'), 0, 1)).toThrow(WireError);
    expect(() => parseTcpOptions(fromHex('0201'), 0, 2)).toThrow(WireError);
    expect(() => parseTcpOptions(fromHex('080a0000'), 0, 4)).toThrow(WireError);
    expect(parseTcpOptions(fromHex('0100ffff'), 0, 4)).toEqual([{ kind: 'nop' }, { kind: 'eol' }]);
  });

  it('refuses more than 40 bytes of options and a data offset below 5', () => {
    const tooMany = Array.from({ length: 5 }, () => ({ kind: 'timestamps', tsval: 0, tsecr: 0 }) as const);
    expect(() => encodeTcp({ ...syn, options: tooMany }, new Uint8Array(0), '1.1.1.1', '2.2.2.2')).toThrow(WireError);
    const seg = encodeTcp({ ...syn, options: [] }, new Uint8Array(0), '1.1.1.1', '2.2.2.2');
    seg[12] = 0x40;
    expect(() => decodeTcp(seg, '1.1.1.1', '2.2.2.2')).toThrow(WireError);
    seg[12] = 0x60;
    expect(() => decodeTcp(seg, '1.1.1.1', '2.2.2.2')).toThrow(WireError);
  });

  it('renders flags like tcpdump and parses flag letters', () => {
    const cases: [string, string][] = [
      ['S', 'S'],
      ['SA', 'S.'],
      ['A', '.'],
      ['PA', 'P.'],
      ['FA', 'F.'],
      ['RA', 'R.'],
      ['R', 'R'],
      ['FPA', 'FP.'],
      ['SEC', 'SEW'],
      ['UA', '.U'],
      ['', 'none'],
    ];
    for (const [spec, s] of cases) expect(flagsString(flags(spec))).toBe(s);
    expect(flagsToByte(flags('SA'))).toBe(0x12);
    expect(flagsToByte(flags('FSRPAUEC'))).toBe(0xff);
    expect(flagsFromByte(0x18)).toEqual(flags('PA'));
    expect(NO_FLAGS).toEqual(flags(''));
    expect(Object.isFrozen(NO_FLAGS)).toBe(true);
    expect(() => flags('X')).toThrow();
  });

  it('lays out options the way Linux does for every combination', () => {
    const kinds = (o: Parameters<typeof linuxTcpOptions>[0]) => linuxTcpOptions(o).map((x) => x.kind).join(',');
    expect(kinds({ mss: 1460, sackOk: true, ts: { tsval: 1, tsecr: 0 }, wscale: 7 })).toBe('mss,sackOk,timestamps,nop,wscale');
    expect(kinds({ mss: 1460, sackOk: true, wscale: 7 })).toBe('mss,nop,nop,sackOk,nop,wscale');
    expect(kinds({ mss: 1460, ts: { tsval: 1, tsecr: 0 }, wscale: 7 })).toBe('mss,nop,nop,timestamps,nop,wscale');
    expect(kinds({ mss: 1460 })).toBe('mss');
    expect(kinds({ ts: { tsval: 1, tsecr: 2 }, sack: [[1, 2]] })).toBe('nop,nop,timestamps,nop,nop,sack');
    expect(kinds({})).toBe('');
  });
});
