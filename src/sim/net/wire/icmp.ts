/**
 * ICMP messages (RFC 792): type, code, checksum, the 4 "rest of header" bytes and the data;
 * echo helpers, and error messages that quote the offending datagram the way Linux's
 * icmp_send does (RFC 1812 §4.3.2.3: as much as fits in a 576-byte datagram).
 * Pure: builds and reads Uint8Arrays only; no I/O, no clock.
 */
import { WireError, foldChecksum, put16, put32, sumRange, u16, u32 } from '../bytes.ts';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** Destination Unreachable codes (RFC 792, RFC 1812 §5.2.7.1). */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;

export const ICMP_HEADER_LEN = 8;
/** RFC 1812 §4.3.2.3: an ICMP error datagram is at most 576 bytes (Linux caps at this too). */
export const ICMP_ERROR_MAX_DATAGRAM = 576;
/** Bytes of the original datagram an error quotes at most: 576 − 20 (IP) − 8 (ICMP). */
export const ICMP_QUOTE_MAX = ICMP_ERROR_MAX_DATAGRAM - 20 - ICMP_HEADER_LEN;

export interface IcmpMessage {
  type: number;
  code: number;
  /**
   * The 4 bytes after the checksum as an unsigned 32-bit number: id<<16|seq for echo,
   * 0 for most errors, the next-hop MTU (low 16 bits) for "fragmentation needed" (RFC 1191).
   */
  rest: number;
  data: Uint8Array;
}

/** Writes the message at `off`, checksum computed over the whole message (RFC 792). */
export function writeIcmp(out: Uint8Array, off: number, m: IcmpMessage): number {
  const len = ICMP_HEADER_LEN + m.data.length;
  out[off] = m.type & 0xff;
  out[off + 1] = m.code & 0xff;
  out[off + 2] = 0;
  out[off + 3] = 0;
  put32(out, off + 4, m.rest);
  out.set(m.data, off + ICMP_HEADER_LEN);
  put16(out, off + 2, foldChecksum(sumRange(out, off, off + len)));
  return len;
}

/** The message in one new array, checksum computed. */
export function encodeIcmp(m: IcmpMessage): Uint8Array {
  const out = new Uint8Array(ICMP_HEADER_LEN + m.data.length);
  writeIcmp(out, 0, m);
  return out;
}

/** Reads a message (`data` is a subarray, no copy). Throws WireError if shorter than 8 bytes. */
export function decodeIcmp(b: Uint8Array): { message: IcmpMessage & { checksum: number }; checksumOk: boolean } {
  if (b.length < ICMP_HEADER_LEN) throw new WireError(`ICMP message too short: ${b.length} bytes`);
  return {
    message: { type: b[0]!, code: b[1]!, checksum: u16(b, 2), rest: u32(b, 4), data: b.subarray(ICMP_HEADER_LEN) },
    checksumOk: foldChecksum(sumRange(b, 0, b.length)) === 0,
  };
}

/** Echo request (type 8) with identifier and sequence number (RFC 792 "Echo or Echo Reply"). */
export function echoRequest(id: number, seq: number, data: Uint8Array): IcmpMessage {
  return { type: ICMP_ECHO, code: 0, rest: (((id & 0xffff) << 16) | (seq & 0xffff)) >>> 0, data };
}

/** The echo reply to a request: same identifier, sequence number and data, type 0. */
export function echoReply(request: IcmpMessage): IcmpMessage {
  return { type: ICMP_ECHO_REPLY, code: 0, rest: request.rest, data: request.data };
}

export function echoId(m: IcmpMessage): number {
  return m.rest >>> 16;
}

export function echoSeq(m: IcmpMessage): number {
  return m.rest & 0xffff;
}

/**
 * The part of `originalIpPacket` an ICMP error quotes. RFC 792 asks for the IP header plus the
 * first 8 data bytes; Linux (icmp_send in net/ipv4/icmp.c) quotes as much of the original as
 * fits in a 576-byte error datagram, i.e. up to ICMP_QUOTE_MAX = 548 bytes, which RFC 1812
 * §4.3.2.3 allows. The original is first trimmed to its IP total length (link padding is not
 * quoted). A subarray: no copy.
 */
export function icmpQuote(originalIpPacket: Uint8Array): Uint8Array {
  let len = originalIpPacket.length;
  if (len >= 4) {
    const total = u16(originalIpPacket, 2);
    if (total <= len) len = total;
  }
  return originalIpPacket.subarray(0, Math.min(len, ICMP_QUOTE_MAX));
}

/** An ICMP error message of any type quoting `originalIpPacket` as Linux does (see icmpQuote). */
export function icmpError(type: number, code: number, originalIpPacket: Uint8Array, rest = 0): IcmpMessage {
  return { type, code, rest: rest >>> 0, data: icmpQuote(originalIpPacket) };
}

/**
 * Destination Unreachable (type 3) quoting `originalIpPacket` as Linux does. For code 4
 * (fragmentation needed and DF set) pass the next-hop MTU (RFC 1191 §4).
 */
export function destUnreachable(code: number, originalIpPacket: Uint8Array, nextHopMtu = 0): IcmpMessage {
  return icmpError(ICMP_DEST_UNREACH, code, originalIpPacket, nextHopMtu & 0xffff);
}

/** Time Exceeded (type 11; code 0 TTL exceeded in transit, 1 reassembly) quoting as Linux does. */
export function timeExceeded(code: number, originalIpPacket: Uint8Array): IcmpMessage {
  return icmpError(ICMP_TIME_EXCEEDED, code, originalIpPacket);
}

/**
 * TOS byte Linux puts on an ICMP error: the original's TOS bits with precedence "internetwork
 * control" (icmp_send: (tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL), so 0xc0 for an
 * original with TOS 0. Linux sends errors and echo replies without DF.
 */
export function icmpErrorTos(originalTos: number): number {
  return (originalTos & 0x1e) | 0xc0;
}
