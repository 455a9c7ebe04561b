/**
 * Building a frame in one buffer, as Linux does with an sk_buff: the transport reserves room for
 * the headers below it (skb_reserve, MAX_TCP_HEADER) and writes its header and payload after
 * that room; IPv4 and then Ethernet write their headers in front of it (skb_push) in the same
 * buffer, so a packet is not copied into a bigger array at each layer on its way down.
 * Pure: typed-array views only.
 *
 * A PDU is a Uint8Array view of its frame's memory. A layer that finds no room in front of the
 * PDU it is given (a PDU built some other way) copies it, as skb_realloc_headroom does. The bytes
 * of a PDU handed down are never written again once the frame is on the wire: the trace keeps
 * the frame, and receivers read (never write) views of it.
 */
import { ETH_HEADER_LEN, ETH_MIN_FRAME } from './wire/ethernet.ts';
import { IPV4_HEADER_LEN } from './wire/ipv4.ts';
import { ByteArena } from './arena.ts';

/** Room for the Ethernet and IPv4 headers in front of a transport PDU. */
export const TRANSPORT_HEADROOM = ETH_HEADER_LEN + IPV4_HEADER_LEN;

/**
 * Frames start 2 bytes past an 8-byte boundary, as Linux drivers reserve NET_IP_ALIGN (2) bytes
 * before a received frame: after the 14-byte Ethernet header, the IPv4 header is then 8-byte
 * aligned and the transport header 4-byte aligned, so their checksums can be summed by words.
 */
const NET_IP_ALIGN = 2;

/** Memory for the frames one host builds: pieces of an arena's blocks (arena.ts). */
export class FrameMemory {
  private readonly arena = new ByteArena();

  /**
   * The memory of a frame that will carry a transport PDU of `len` bytes: zeroed, as long as the
   * Ethernet frame with its padding (at least 60 bytes); the PDU goes at TRANSPORT_HEADROOM.
   */
  frame(len: number): Uint8Array {
    return this.arena.alloc(frameLength(len), NET_IP_ALIGN);
  }

  /** A transport PDU of `len` zero bytes with TRANSPORT_HEADROOM in front: the PDU's part of frame(len). */
  transport(len: number): Uint8Array {
    const f = this.frame(len);
    return new Uint8Array(f.buffer, f.byteOffset + TRANSPORT_HEADROOM, len);
  }

  /** A frame with a copy of the transport PDU `pdu` in place (skb_realloc_headroom), for a PDU built without room. */
  frameWith(pdu: Uint8Array): Uint8Array {
    const f = this.frame(pdu.length);
    f.set(pdu, TRANSPORT_HEADROOM);
    return f;
  }
}

/** Length of the Ethernet frame around a transport PDU of `len` bytes (with IPv4, padded to 60). */
export function frameLength(len: number): number {
  return Math.max(ETH_MIN_FRAME, TRANSPORT_HEADROOM + len);
}

/**
 * The PDU grown by `n` bytes at the front and to `total` bytes in all (its length + n, or more
 * for padding), in the same memory; undefined when it has no room in front. Only for a PDU from
 * FrameMemory.transport, whose piece of memory has room for the headers and the padded frame
 * (other PDUs must start at offset 0 of their own buffer). The bytes gained at the front are the
 * caller's to write; those at the end are zeros.
 */
export function pushHeader(pdu: Uint8Array, n: number, total = pdu.length + n): Uint8Array | undefined {
  const start = pdu.byteOffset - n;
  if (start < 0 || start + total > pdu.buffer.byteLength) return undefined;
  return new Uint8Array(pdu.buffer, start, total);
}
