import { describe, expect, it } from 'vitest';
import {
  WireError,
  concatBytes,
  foldChecksum,
  fromHex,
  internetChecksum,
  sumRange,
  sumWords,
  toHex,
  utf8,
} from '../../../src/sim/net/bytes.ts';

/** A slow reference: fold after every word. */
function slowChecksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) {
    s += (b[i]! << 8) | (b[i + 1] ?? 0);
    s = (s & 0xffff) + (s >>> 16);
  }
  return ~s & 0xffff;
}

describe('internetChecksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    const b = fromHex('0001f203f4f5f6f7');
    expect(sumWords(b)).toBe(0x2ddf0); // unfolded
    expect(foldChecksum(sumWords(b))).toBe(~0xddf2 & 0xffff);
    expect(internetChecksum(b)).toBe(0x220d);
  });

  it('gives the well-known IPv4 header checksum 0xb861', () => {
    const hdr = fromHex('450000730000400040110000c0a80001c0a800c7');
    expect(internetChecksum(hdr)).toBe(0xb861);
    hdr[10] = 0xb8;
    hdr[11] = 0x61;
    expect(internetChecksum(hdr)).toBe(0); // a region with its checksum in place verifies to 0
  });

  it('pads an odd last byte with a zero low byte', () => {
    expect(internetChecksum(new Uint8Array([0x01]))).toBe(0xfeff);
    expect(internetChecksum(fromHex('0001f203f4f5f6'))).toBe(slowChecksum(fromHex('0001f203f4f5f6')));
    expect(internetChecksum(new Uint8Array(0))).toBe(0xffff);
  });

  it('chains: a pseudo-header sum folds in through `initial`, subranges sum without copying', () => {
    const a = fromHex('0a0000010a000002');
    const b = fromHex('0006001c9eac1f90');
    expect(internetChecksum(b, sumWords(a))).toBe(internetChecksum(concatBytes(a, b)));
    const all = concatBytes(a, b);
    expect(sumRange(all, 8, 16, sumRange(all, 0, 8))).toBe(sumWords(all));
    expect(sumWords(b.subarray(2, 6))).toBe(sumRange(b, 2, 6));
  });

  it('gives the same sum on the fast (aligned, long) and byte-by-byte paths, at any offset', () => {
    let x = 12345;
    const data = Uint8Array.from({ length: 3000 }, () => (x = (x * 1103515245 + 12345) % 2147483648) & 0xff);
    for (const [start, end] of [[0, 3000], [1, 3000], [2, 2999], [3, 70], [4, 67], [14, 1514], [15, 1515], [0, 63], [0, 64]] as const) {
      const view = data.subarray(start, end);
      expect(internetChecksum(view)).toBe(slowChecksum(view));
      expect(foldChecksum(sumRange(data, start, end))).toBe(slowChecksum(view));
      expect(internetChecksum(view.slice())).toBe(slowChecksum(view)); // a fresh, aligned copy
    }
  });

  it('stays exact on large inputs (the accumulator never leaves 32 bits)', () => {
    const big = new Uint8Array(300_001).fill(0xff);
    big[12345] = 0x12;
    const acc = sumWords(big);
    expect(acc).toBeLessThanOrEqual(0xffffffff);
    expect(internetChecksum(big)).toBe(slowChecksum(big));
    expect(internetChecksum(big, 0xfffffff0)).toBe(foldChecksum(sumWords(big, 0xfffffff0)));
  });
});

describe('hex and bytes', () => {
  it('round-trips hex, lowercase without separators', () => {
    const b = new Uint8Array([0, 1, 0xab, 0xff, 0x10]);
    expect(toHex(b)).toBe('0001abff10');
    expect(fromHex('0001ABff10')).toEqual(b);
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('rejects bad hex', () => {
    expect(() => fromHex('abc')).toThrow(WireError);
    expect(() => fromHex('zz')).toThrow(WireError);
    expect(() => fromHex('0g')).toThrow(/offset 1/);
    expect(() => fromHex(' 0')).toThrow(WireError);
  });

  it('concatenates and encodes UTF-8', () => {
    expect(toHex(concatBytes(fromHex('01'), new Uint8Array(0), fromHex('0203')))).toBe('010203');
    expect(toHex(utf8('hé€'))).toBe('68c3a9e282ac');
  });
});
