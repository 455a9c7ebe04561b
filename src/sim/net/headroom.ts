/**
 * Building a frame in one buffer, as Linux does with an sk_buff: the transport reserves room for
 * the headers below it (skb_reserve, MAX_TCP_HEADER) and writes its header and payload after
 * that room; IPv4 and then Ethernet write their headers in front of it (skb_push) in the same
 * buffer, so a packet is not copied into a bigger array at each layer on its way down.
 * Pure: typed-array views only.
 *
 * A PDU is a Uint8Array view into its buffer. A layer that finds no room in front of the PDU it
 * is given (a PDU built some other way) copies it into a new buffer, as skb_realloc_headroom does.
 * The bytes of a PDU handed down are never written again once the frame is on the wire: the
 * trace keeps the frame, and receivers read (never write) views of it.
 */
import { ETH_HEADER_LEN, ETH_MIN_FRAME } from './wire/ethernet.ts';
import { IPV4_HEADER_LEN } from './wire/ipv4.ts';

/** Room for the Ethernet and IPv4 headers in front of a transport PDU. */
export const TRANSPORT_HEADROOM = ETH_HEADER_LEN + IPV4_HEADER_LEN;

/**
 * A zeroed transport PDU of `len` bytes with TRANSPORT_HEADROOM bytes in front, in a buffer long
 * enough for the whole Ethernet frame including its padding to the 60-byte minimum.
 */
export function allocTransport(len: number): Uint8Array {
  const buf = new ArrayBuffer(Math.max(ETH_MIN_FRAME, TRANSPORT_HEADROOM + len));
  return new Uint8Array(buf, TRANSPORT_HEADROOM, len);
}

/**
 * The PDU grown by `n` bytes at the front and to `total` bytes in all (at least its length + n;
 * more for padding), in the same buffer; undefined when the buffer has no room for that.
 * The bytes gained at the front are the caller's to write; those at the end are zeros.
 */
export function pushHeader(pdu: Uint8Array, n: number, total = pdu.length + n): Uint8Array | undefined {
  const start = pdu.byteOffset - n;
  if (start < 0 || start + total > pdu.buffer.byteLength) return undefined;
  return new Uint8Array(pdu.buffer, start, total);
}

/** A copy of `pdu` with TRANSPORT_HEADROOM in front (skb_realloc_headroom), for a PDU built without room. */
export function copyWithHeadroom(pdu: Uint8Array): Uint8Array {
  const out = allocTransport(pdu.length);
  out.set(pdu);
  return out;
}
