/**
 * The stack's fast paths in the wire codecs give exactly what the general codecs give: Linux's
 * option layouts written directly, segments read without option objects, IPv4 headers from
 * numbers, and the transport headroom in frame memory.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/sim/rng.ts';
import {
  decodeTcp,
  encodeTcp,
  flags,
  linuxDataOptionsLength,
  linuxOptionsLength,
  linuxTcpOptions,
  readTcpSegment,
  tcpOptionsLength,
  writeLinuxDataOptions,
  writeLinuxOptions,
  writeTcpOptions,
  type LinuxTcpOptionSet,
  type TcpOption,
} from '../../src/sim/net/wire/tcp.ts';
import { decodeIpv4, ipv4FlagsField, writeIpv4BasicHeader, writeIpv4Header } from '../../src/sim/net/wire/ipv4.ts';
import { FrameMemory, TRANSPORT_HEADROOM, pushHeader } from '../../src/sim/net/headroom.ts';
import { WireError } from '../../src/sim/net/bytes.ts';

const general = (o: LinuxTcpOptionSet): Uint8Array => {
  const opts = linuxTcpOptions(o);
  const out = new Uint8Array(tcpOptionsLength(opts));
  writeTcpOptions(out, 0, opts);
  return out;
};

describe('Linux option layouts written directly', () => {
  const sacks: ([number, number][] | undefined)[] = [undefined, [], [[1, 2]], [[0xfffffff0, 5], [7, 9], [100, 200]]];
  const sets: LinuxTcpOptionSet[] = [];
  for (const mss of [undefined, 1460])
    for (const sackOk of [undefined, false, true])
      for (const ts of [undefined, { tsval: 0xdeadbeef, tsecr: 0 }, { tsval: 1, tsecr: 0xffffffff }])
        for (const wscale of [undefined, 0, 7, 14]) for (const sack of sacks) sets.push({ mss, sackOk, ts, wscale, sack });

  it.each(sets.map((o, i) => [i, o] as const))('layout %i is byte for byte what linuxTcpOptions gives', (_i, o) => {
    const want = general(o);
    expect(linuxOptionsLength(o)).toBe(want.length);
    const out = new Uint8Array(want.length + 8).fill(0xaa);
    expect(writeLinuxOptions(out, 4, o)).toBe(want.length);
    expect(out.subarray(4, 4 + want.length)).toEqual(want);
    if (o.mss === undefined && !o.sackOk && o.wscale === undefined) {
      // The data layout: timestamps and SACK blocks only.
      const d = new Uint8Array(want.length + 8).fill(0xaa);
      expect(linuxDataOptionsLength(o.ts !== undefined, o.sack?.length ?? 0)).toBe(want.length);
      expect(writeLinuxDataOptions(d, 4, o.ts !== undefined, o.ts?.tsval ?? 0, o.ts?.tsecr ?? 0, o.sack)).toBe(want.length);
      expect(d.subarray(4, 4 + want.length)).toEqual(want);
    }
  });
});

describe('readTcpSegment', () => {
  const header = (options: TcpOption[], f = 'A') => ({ srcPort: 1234, dstPort: 80, seq: 0xfffffff0, ack: 77, flags: flags(f), window: 502, urgent: 0, options });

  it('reads what decodeTcp reads: fields, payload, checksum, the last timestamps and a SYN’s options', () => {
    const rng = createRng(3);
    const cases: TcpOption[][] = [
      [],
      linuxTcpOptions({ ts: { tsval: 5, tsecr: 6 } }),
      linuxTcpOptions({ mss: 1460, sackOk: true, ts: { tsval: 9, tsecr: 0 }, wscale: 7 }),
      linuxTcpOptions({ mss: 536, wscale: 20 }),
      [{ kind: 'timestamps', tsval: 1, tsecr: 2 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 3, tsecr: 4 }],
      [{ kind: 'unknown', code: 8, data: new Uint8Array(6) }, { kind: 'mss', value: 1000 }, { kind: 'eol' }],
      [{ kind: 'eol' }, { kind: 'timestamps', tsval: 1, tsecr: 2 }],
    ];
    for (const options of cases)
      for (const f of ['A', 'S', 'SA', 'PA']) {
        const payload = new Uint8Array(rng.int(40)).map(() => rng.int(256));
        const seg = encodeTcp(header(options, f), payload, '10.0.0.1', '10.0.0.2');
        const d = decodeTcp(seg, '10.0.0.1', '10.0.0.2');
        const r = readTcpSegment(seg, 0x0a000001, 0x0a000002);
        const { options: _o, dataOffset: _d, headerLength: _h, checksum: _c, ...fields } = d.header;
        expect({ ...r.header, options: undefined }).toEqual({ ...fields, options: undefined });
        expect(r.payload).toEqual(d.payload);
        expect(r.checksumOk).toBe(d.checksumOk);
        let tsval: number | undefined;
        let mss: number | undefined;
        let wscale: number | undefined;
        let sackOk = false;
        for (const o of d.header.options) {
          if (o.kind === 'timestamps') tsval = o.tsval;
          if (o.kind === 'mss') mss = o.value;
          if (o.kind === 'wscale') wscale = o.shift;
          if (o.kind === 'sackOk') sackOk = true;
        }
        expect(r.tsval).toBe(tsval);
        expect(r.syn).toEqual(f.includes('S') ? { mss, wscale, sackOk } : undefined);
      }
  });

  it('refuses what decodeTcp refuses', () => {
    const seg = encodeTcp(header([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }]), new Uint8Array(0), '10.0.0.1', '10.0.0.2');
    seg[21] = 8; // timestamps kind…
    seg[22] = 40; // …with a length running past the options
    expect(() => decodeTcp(seg, '10.0.0.1', '10.0.0.2')).toThrow(WireError);
    expect(() => readTcpSegment(seg, 0x0a000001, 0x0a000002)).toThrow(WireError);
    expect(() => readTcpSegment(seg.subarray(0, 10), 1, 2)).toThrow(WireError);
  });
});

describe('IPv4 headers from numbers', () => {
  it('writes what writeIpv4Header writes', () => {
    for (const [df, mf, off] of [
      [true, false, 0],
      [false, true, 1480],
      [false, false, 2960],
    ] as const) {
      const a = new Uint8Array(20);
      const b = new Uint8Array(20);
      writeIpv4Header(a, 0, { tos: 0xc0, id: 0xbeef, df, mf, fragOffset: off, ttl: 64, protocol: 6, src: '10.0.0.1', dst: '192.168.255.254' }, 1000);
      writeIpv4BasicHeader(b, 0, 0xc0, 0xbeef, ipv4FlagsField(df, mf, off), 64, 6, 0x0a000001, 0xc0a8fffe, 1000);
      expect(b).toEqual(a);
      expect(decodeIpv4(new Uint8Array([...a, ...new Uint8Array(1000)])).checksumOk).toBe(true);
    }
  });
});

describe('frame memory', () => {
  it('gives zeroed frames, padded to 60 bytes, with room for the headers in front of the transport PDU', () => {
    const m = new FrameMemory();
    for (const len of [0, 20, 26, 27, 1480, 20_000]) {
      const f = m.frame(len);
      expect(f.length).toBe(Math.max(60, TRANSPORT_HEADROOM + len));
      expect(f.every((b) => b === 0)).toBe(true);
      f.fill(0xee);
      const pdu = m.transport(len);
      expect(pdu.length).toBe(len);
      const packet = pushHeader(pdu, 20)!;
      expect(packet.length).toBe(len + 20);
      const frame = pushHeader(packet, 14, Math.max(60, len + 34))!;
      expect(frame.byteOffset + TRANSPORT_HEADROOM).toBe(pdu.byteOffset);
      expect(frame.every((b) => b === 0)).toBe(true);
    }
    // A PDU that owns its buffer from offset 0 has no room: it must be copied.
    expect(pushHeader(new Uint8Array(40), 20)).toBeUndefined();
  });
});
