/**
 * UDP datagrams (RFC 768): 8-byte header and the checksum over the IPv4 pseudo-header.
 * Pure: builds and reads Uint8Arrays only; no I/O, no clock.
 */
import { WireError, foldChecksum, put16, sumRange, u16 } from '../bytes.ts';
import { requireIPv4 } from '../addr.ts';
import { PROTO_UDP, pseudoHeaderSum } from './ipv4.ts';

export const UDP_HEADER_LEN = 8;

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
}

/**
 * Writes the header at `off` for the `payloadLength` bytes that already sit at `off + 8`,
 * and the checksum over pseudo-header, header and payload. A computed checksum of 0 is sent
 * as 0xffff, since 0 means "no checksum" (RFC 768 "Fields").
 */
export function writeUdpHeader(
  out: Uint8Array,
  off: number,
  h: UdpHeader,
  payloadLength: number,
  src: number,
  dst: number,
): number {
  const len = UDP_HEADER_LEN + payloadLength;
  if (len > 0xffff) throw new WireError(`UDP datagram too long: ${len} bytes`);
  put16(out, off, h.srcPort);
  put16(out, off + 2, h.dstPort);
  put16(out, off + 4, len);
  put16(out, off + 6, 0);
  const c = foldChecksum(sumRange(out, off, off + len, pseudoHeaderSum(src, dst, PROTO_UDP, len)));
  put16(out, off + 6, c === 0 ? 0xffff : c);
  return len;
}

/** Header + payload in one new array, checksum over the pseudo-header of srcIp → dstIp. */
export function encodeUdp(h: UdpHeader, payload: Uint8Array, srcIp: string, dstIp: string): Uint8Array {
  const out = new Uint8Array(UDP_HEADER_LEN + payload.length);
  out.set(payload, UDP_HEADER_LEN);
  writeUdpHeader(out, 0, h, payload.length, requireIPv4(srcIp), requireIPv4(dstIp));
  return out;
}

/**
 * Reads a datagram (payload is a subarray trimmed to the UDP length). A zero checksum means
 * the sender computed none, which counts as ok (RFC 768). Throws WireError on bad lengths.
 */
export function decodeUdp(
  datagram: Uint8Array,
  srcIp: string,
  dstIp: string,
): { header: UdpHeader & { length: number; checksum: number }; payload: Uint8Array; checksumOk: boolean } {
  if (datagram.length < UDP_HEADER_LEN) throw new WireError(`UDP datagram too short: ${datagram.length} bytes`);
  const length = u16(datagram, 4);
  if (length < UDP_HEADER_LEN) throw new WireError(`UDP length ${length} < 8`);
  if (length > datagram.length) throw new WireError(`UDP length ${length} exceeds the ${datagram.length} bytes present`);
  const checksum = u16(datagram, 6);
  const ok =
    checksum === 0 ||
    foldChecksum(sumRange(datagram, 0, length, pseudoHeaderSum(requireIPv4(srcIp), requireIPv4(dstIp), PROTO_UDP, length))) === 0;
  return {
    header: { srcPort: u16(datagram, 0), dstPort: u16(datagram, 2), length, checksum },
    payload: datagram.subarray(UDP_HEADER_LEN, length),
    checksumOk: ok,
  };
}
