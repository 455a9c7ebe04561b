import { describe, expect, it } from 'vitest';
import { WireError, fromHex, toHex } from '../../../src/sim/net/bytes.ts';
import { readPcap, writePcap } from '../../../src/sim/net/pcap.ts';
import { fixtureBytes } from './fixture.ts';

describe('pcap', () => {
  it('writes the classic little-endian µs header and records', () => {
    const f = writePcap([
      { t: 1_500_000, bytes: fromHex('aabb') },
      { t: 2_000_001, bytes: fromHex('cc') },
    ]);
    expect(toHex(f.subarray(0, 24))).toBe('d4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000');
    expect(toHex(f.subarray(24))).toBe(
      '01000000' + '20a10700' + '02000000' + '02000000' + 'aabb' + '02000000' + '01000000' + '01000000' + '01000000' + 'cc',
    );
    const r = readPcap(f);
    expect(r.linkType).toBe(1);
    expect(r.records.map((x) => [x.t, toHex(x.bytes), x.origLen])).toEqual([
      [1_500_000, 'aabb', 2],
      [2_000_001, 'cc', 1],
    ]);
    expect(() => writePcap([{ t: 1.5, bytes: new Uint8Array(0) }])).toThrow(RangeError);
  });

  it('reproduces the file tcpdump wrote, byte for byte', () => {
    const file = fixtureBytes('linux-sample.pcap');
    const r = readPcap(file);
    expect(r.records).toHaveLength(20);
    expect(toHex(writePcap(r.records, r.linkType))).toBe(toHex(file));
  });

  it('reads big-endian files and nanosecond timestamps', () => {
    const be = fromHex(
      'a1b2c3d4' + '0002' + '0004' + '00000000' + '00000000' + '0000ffff' + '00000001' +
        '00000003' + '00000007' + '00000002' + '0000003c' + 'beef',
    );
    expect(readPcap(be)).toEqual({ linkType: 1, records: [{ t: 3_000_007, bytes: fromHex('beef'), origLen: 60 }] });
    const ns = fromHex(
      '4d3cb2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000' +
        '05000000' + 'e7030000' + '01000000' + '01000000' + '00',
    );
    expect(readPcap(ns).records[0]!.t).toBe(5_000_000 + 0);
    const ns2 = ns.slice();
    ns2.set(fromHex('40420f00'), 28); // 1_000_000 ns
    expect(readPcap(ns2).records[0]!.t).toBe(5_001_000);
    const bens = fromHex('a1b23c4d' + '0002' + '0004' + '00'.repeat(8) + '00040000' + '00000001');
    expect(readPcap(bens).records).toEqual([]);
  });

  it('refuses pcapng, unknown magics and truncated files', () => {
    expect(() => readPcap(fromHex('0a0d0d0a' + '00'.repeat(24)))).toThrow(/pcapng/);
    expect(() => readPcap(fromHex('00'.repeat(24)))).toThrow(WireError);
    expect(() => readPcap(new Uint8Array(10))).toThrow(WireError);
    const f = writePcap([{ t: 0, bytes: fromHex('aabbcc') }]);
    expect(() => readPcap(f.subarray(0, f.length - 1))).toThrow(/truncated/);
    expect(() => readPcap(f.subarray(0, 30))).toThrow(/truncated/);
  });
});
