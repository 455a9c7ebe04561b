/**
 * IPv4 datagrams (RFC 791 §3.1): header encode/decode with the header checksum, and the
 * pseudo-header sum that TCP and UDP checksums cover (RFC 9293 §3.1, RFC 768).
 * Pure: builds and reads Uint8Arrays only; no I/O, no clock.
 */
import { WireError, foldChecksum, put16, sumRange, u16 } from '../bytes.ts';
import { formatIPv4, readIPv4, requireIPv4, writeIPv4 } from '../addr.ts';

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_LEN = 65535;

export interface Ipv4Header {
  /** The whole second byte: DSCP (6 bits) and ECN (2 bits), RFC 2474 / RFC 3168. */
  tos: number;
  id: number;
  /** Don't Fragment. */
  df: boolean;
  /** More Fragments. */
  mf: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset: number;
  ttl: number;
  protocol: number;
  src: string;
  dst: string;
  /** Filled on decode; ignored on encode (computed from the payload). */
  totalLength?: number;
  /** Filled on decode; ignored on encode (computed). */
  checksum?: number;
  /** Header options, raw (decode fills it only when present; encode pads it with zeros to 4 bytes). */
  options?: Uint8Array;
}

/** Header length in bytes for `h`: 20, plus its options rounded up to a multiple of 4. */
export function ipv4HeaderLength(h: Pick<Ipv4Header, 'options'>): number {
  const opt = h.options?.length ?? 0;
  return IPV4_HEADER_LEN + ((opt + 3) & ~3);
}

/**
 * Unfolded one's-complement sum of the TCP/UDP pseudo-header: source, destination, zero,
 * protocol, and the transport length (RFC 9293 §3.1, RFC 768). Fold it in with sumRange.
 */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

/**
 * Writes the header at `off` for a payload of `payloadLength` bytes, checksum included
 * (RFC 791 §3.1 "Header Checksum"). Returns the header length. Throws WireError on fields that
 * do not fit.
 */
export function writeIpv4Header(out: Uint8Array, off: number, h: Ipv4Header, payloadLength: number): number {
  const hl = ipv4HeaderLength(h);
  const total = hl + payloadLength;
  if (total > IPV4_MAX_LEN) throw new WireError(`IPv4 datagram too long: ${total} bytes`);
  if (h.fragOffset % 8 !== 0 || h.fragOffset < 0 || h.fragOffset > 0xfff8)
    throw new WireError(`fragment offset ${h.fragOffset} is not a multiple of 8 in 0..65528`);
  if (hl > 60) throw new WireError(`IPv4 options too long: ${hl - IPV4_HEADER_LEN} bytes`);
  writeIpv4Fields(out, off, hl, total, h.tos, h.id, ipv4FlagsField(h.df, h.mf, h.fragOffset), h.ttl, h.protocol, requireIPv4(h.src), requireIPv4(h.dst));
  if (h.options) {
    out.set(h.options, off + IPV4_HEADER_LEN);
    out.fill(0, off + IPV4_HEADER_LEN + h.options.length, off + hl);
  }
  put16(out, off + 10, foldChecksum(sumRange(out, off, off + hl)));
  return hl;
}

/** The flags and fragment offset field (bytes 6–7): DF, MF, and the offset in 8-byte units. */
export function ipv4FlagsField(df: boolean, mf: boolean, fragOffset: number): number {
  return (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | (fragOffset >> 3);
}

/**
 * The 20-byte header of an option-less datagram at `off`, checksum included: writeIpv4Header
 * for the stack's own packets, with the addresses as numbers and the checks left to the caller
 * (total ≤ 65535, `flags` from ipv4FlagsField).
 */
export function writeIpv4BasicHeader(
  out: Uint8Array,
  off: number,
  tos: number,
  id: number,
  flags: number,
  ttl: number,
  protocol: number,
  src: number,
  dst: number,
  payloadLength: number,
): void {
  writeIpv4Fields(out, off, IPV4_HEADER_LEN, IPV4_HEADER_LEN + payloadLength, tos, id, flags, ttl, protocol, src, dst);
  put16(out, off + 10, foldChecksum(sumRange(out, off, off + IPV4_HEADER_LEN)));
}

/** Every field of the first 20 bytes, with the checksum field zero. */
function writeIpv4Fields(
  out: Uint8Array,
  off: number,
  hl: number,
  total: number,
  tos: number,
  id: number,
  flags: number,
  ttl: number,
  protocol: number,
  src: number,
  dst: number,
): void {
  out[off] = 0x40 | (hl >> 2); // version 4, IHL in 32-bit words
  out[off + 1] = tos & 0xff;
  put16(out, off + 2, total);
  put16(out, off + 4, id & 0xffff);
  put16(out, off + 6, flags);
  out[off + 8] = ttl & 0xff;
  out[off + 9] = protocol & 0xff;
  out[off + 10] = 0;
  out[off + 11] = 0;
  writeIPv4(out, off + 12, src);
  writeIPv4(out, off + 16, dst);
}

/** Header + payload in one new array, total length and header checksum computed. */
export function encodeIpv4(h: Ipv4Header, payload: Uint8Array): Uint8Array {
  const hl = ipv4HeaderLength(h);
  const out = new Uint8Array(hl + payload.length);
  writeIpv4Header(out, 0, h, payload.length);
  out.set(payload, hl);
  return out;
}

/**
 * What is wrong with `packet` as an IPv4 datagram (not IPv4, or inconsistent lengths), or
 * undefined when its header can be read. Its header checksum is not checked here.
 */
export function ipv4Problem(packet: Uint8Array): string | undefined {
  if (packet.length < IPV4_HEADER_LEN) return `IPv4 packet too short: ${packet.length} bytes`;
  const v = packet[0]! >> 4;
  if (v !== 4) return `IP version ${v}, not 4`;
  const hl = (packet[0]! & 0x0f) * 4;
  if (hl < IPV4_HEADER_LEN) return `IPv4 header length ${hl} < 20`;
  if (hl > packet.length) return `IPv4 header length ${hl} exceeds the ${packet.length} bytes present`;
  const total = u16(packet, 2);
  if (total < hl) return `IPv4 total length ${total} < header length ${hl}`;
  if (total > packet.length) return `IPv4 total length ${total} exceeds the ${packet.length} bytes present`;
  return undefined;
}

/** Whether the header checksum of a datagram that passed ipv4Problem is right. */
export function ipv4ChecksumOk(packet: Uint8Array): boolean {
  return foldChecksum(sumRange(packet, 0, (packet[0]! & 0x0f) * 4)) === 0;
}

/**
 * Reads a datagram. `payload` is a subarray (no copy) trimmed to the total length, so link
 * padding is dropped. Throws WireError when it is not IPv4 or the lengths are inconsistent;
 * a wrong header checksum only clears `checksumOk`.
 */
export function decodeIpv4(packet: Uint8Array): { header: Ipv4Header; payload: Uint8Array; checksumOk: boolean } {
  const problem = ipv4Problem(packet);
  if (problem !== undefined) throw new WireError(problem);
  const hl = (packet[0]! & 0x0f) * 4;
  const total = u16(packet, 2);
  const frag = u16(packet, 6);
  const header: Ipv4Header = {
    tos: packet[1]!,
    id: u16(packet, 4),
    df: (frag & 0x4000) !== 0,
    mf: (frag & 0x2000) !== 0,
    fragOffset: (frag & 0x1fff) * 8,
    ttl: packet[8]!,
    protocol: packet[9]!,
    src: formatIPv4(readIPv4(packet, 12)),
    dst: formatIPv4(readIPv4(packet, 16)),
    totalLength: total,
    checksum: u16(packet, 10),
  };
  if (hl > IPV4_HEADER_LEN) header.options = packet.subarray(IPV4_HEADER_LEN, hl);
  return {
    header,
    payload: packet.subarray(hl, total),
    checksumOk: ipv4ChecksumOk(packet),
  };
}
