/**
 * Byte helpers shared by the wire codecs: the Internet checksum (RFC 1071), hex and UTF-8
 * conversion, concatenation, and WireError, the one error type the decoders throw.
 * Pure: works only on the Uint8Arrays it is given; no Node Buffer, no I/O, no clock.
 */

/** Malformed bytes: a decoder was handed something that is not a valid PDU of its kind. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** Byte order of this machine's typed arrays (the checksum fast path reads native 16-bit words). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The last buffer summed by words, and a view of it as native 32-bit words (frames of one arena block follow each other). */
let wordsBuffer: ArrayBufferLike | undefined;
let wordsView: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * Adds `data[start..end)` as big-endian 16-bit words to the one's-complement accumulator `acc`
 * (RFC 1071 §4.1). An odd final byte counts as the high byte of a word whose low byte is zero,
 * so only the last chunk of a chained sum may have odd length. The result is unfolded: pass it
 * on to the next chunk, or to foldChecksum. It stays below 2^32 however much data is summed.
 */
export function sumRange(data: Uint8Array, start: number, end: number, acc = 0): number {
  let sum = acc;
  let i = start;
  const even = end - ((end - start) & 1);
  // Fast path for long, 2-byte-aligned runs: sum native 32-bit words, fold, then fix the byte
  // order. A 32-bit word is its two 16-bit halves modulo 0xffff (2^16 = 1 in one's complement
  // arithmetic), and the one's-complement sum is byte-order independent up to a final swap
  // (RFC 1071 §2(B), (C)).
  const base = data.byteOffset;
  if (even - i >= 64 && ((base + i) & 1) === 0) {
    if (((base + i) & 2) !== 0) {
      sum += (data[i]! << 8) | data[i + 1]!;
      i += 2;
    }
    const buffer = data.buffer;
    if (buffer !== wordsBuffer) {
      wordsView = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
      wordsBuffer = buffer;
    }
    const words = wordsView;
    let w = (base + i) >>> 2;
    const stop = w + ((even - i) >>> 2);
    let s = 0;
    while (w < stop) {
      // At most 2^20 words between folds keeps s below 2^53.
      const runEnd = Math.min(stop, w + 0x100000);
      for (; w + 4 <= runEnd; w += 4) s += words[w]! + words[w + 1]! + words[w + 2]! + words[w + 3]!;
      for (; w < runEnd; w++) s += words[w]!;
      s = (s % 0x10000) + Math.floor(s / 0x10000);
    }
    while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
    sum += LITTLE_ENDIAN ? ((s & 0xff) << 8) | (s >>> 8) : s;
    i = (w << 2) - base;
  }
  // Sum up to 2^15 words per inner run so `sum` cannot exceed 2^53; fold between runs.
  while (i < even) {
    const stop = Math.min(even, i + 65536);
    for (; i < stop; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
    if (sum > 0xffffffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  }
  if (even < end) sum += data[even]! << 8;
  while (sum > 0xffffffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** RFC 1071 sum of all of `data`, added to `acc` (unfolded). See sumRange. */
export function sumWords(data: Uint8Array, acc = 0): number {
  return sumRange(data, 0, data.length, acc);
}

/** Folds the carries of an accumulator into 16 bits and complements it: the checksum to transmit. */
export function foldChecksum(acc: number): number {
  let s = acc;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/**
 * RFC 1071 Internet checksum of `data`: the one's complement of the one's-complement sum of its
 * 16-bit words. `initial` is an unfolded sum to fold in first (e.g. a pseudo-header's). A region
 * that already contains its correct checksum sums to 0xffff, so this returns 0 for it.
 */
export function internetChecksum(data: Uint8Array, initial = 0): number {
  return foldChecksum(sumRange(data, 0, data.length, initial));
}

const HEX = '0123456789abcdef';

/** Lowercase hex, two digits a byte, no separators. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const v = b[i]!;
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** Parses hex (either case, no separators, even length); throws WireError on anything else. */
export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0) throw new WireError(`hex string has odd length ${s.length}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(s.charCodeAt(2 * i));
    const lo = hexDigit(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new WireError(`bad hex digit at offset ${hi < 0 ? 2 * i : 2 * i + 1}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** One new array holding all the parts in order. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Big-endian 16-bit read; the caller has checked the bounds. */
export function u16(b: Uint8Array, off: number): number {
  return (b[off]! << 8) | b[off + 1]!;
}

/** Big-endian unsigned 32-bit read; the caller has checked the bounds. */
export function u32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Big-endian 16-bit write. */
export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

/** Big-endian 32-bit write (of the value's low 32 bits). */
export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}
