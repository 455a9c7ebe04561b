import { describe, expect, it } from 'vitest';
import { breakdown, breakdownWithMask, octets } from '../../src/view/model/ipv4Breakdown.ts';

describe('IPv4 breakdown', () => {
  it('splits the address by its prefix', () => {
    const b = breakdown('172.16.1.10', 16)!;
    expect(b.bits).toBe('10101100000100000000000100001010');
    expect(b.netmask).toBe('255.255.0.0');
    expect(b.network).toBe('172.16.0.0');
    expect(b.broadcast).toBe('172.16.255.255');
    expect(b.usable).toBe(65534);
    expect(octets(b).flatMap((o) => o.bits).filter((x) => x.network)).toHaveLength(16);
  });

  it('gives the historic class, the bits that decide it, and the kind', () => {
    const cases: [string, string, number, number | null, string][] = [
      ['10.0.0.1', 'A', 1, 8, 'private'],
      ['127.0.0.1', 'A', 1, 8, 'loopback'],
      ['172.16.1.10', 'B', 2, 16, 'private'],
      ['192.168.1.1', 'C', 3, 24, 'private'],
      ['8.8.8.8', 'A', 1, 8, 'public'],
      ['224.0.0.1', 'D', 4, null, 'multicast'],
      ['250.1.2.3', 'E', 4, null, 'reserved'],
    ];
    for (const [ip, cls, bits, prefix, kind] of cases) {
      const b = breakdown(ip, 24)!;
      expect([b.cls, b.classBits, b.classfulPrefix, b.kind], ip).toEqual([cls, bits, prefix, kind]);
    }
  });

  it('refuses what is not an address or a contiguous mask', () => {
    expect(breakdown('10.0.0.256', 8)).toBeNull();
    expect(breakdown('10.0.0.01', 8)).toBeNull();
    expect(breakdown('10.0.0.1', 33)).toBeNull();
    expect(breakdownWithMask('10.0.0.1', '255.0.255.0')).toBeNull();
    expect(breakdownWithMask('10.0.0.1', '255.255.255.0')!.prefix).toBe(24);
    expect(breakdown('10.0.0.1', 32)!.usable).toBe(1);
  });
});
