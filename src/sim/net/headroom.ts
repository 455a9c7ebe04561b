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

/** Room for the Ethernet and IPv4 headers in front of a transport PDU. */
export const TRANSPORT_HEADROOM = ETH_HEADER_LEN + IPV4_HEADER_LEN;

/** Bytes per block of frame memory. */
const BLOCK = 64 * 1024;
/** Frames larger than this get memory of their own rather than a piece of a block. */
const LARGE = BLOCK / 4;

/**
 * Memory for frames, carved out of 64 KiB blocks as Linux's page_frag allocator carves sk_buff
 * data out of pages (page_frag_alloc, net/core/skbuff.c): one allocation serves dozens of
 * frames, where a buffer per frame costs an allocation (and its bookkeeping by the garbage
 * collector) per packet. Every piece is zeroed (fresh memory) and 8-byte aligned. A frame keeps
 * its block alive; a trace keeps all its frames anyway.
 */
export class FrameMemory {
  private block = new ArrayBuffer(0);
  private used = 0;

  /**
   * The memory of a frame that will carry a transport PDU of `len` bytes: zeroed, as long as the
   * Ethernet frame with its padding (at least 60 bytes); the PDU goes at TRANSPORT_HEADROOM.
   */
  frame(len: number): Uint8Array {
    const size = frameLength(len);
    if (size > LARGE) return new Uint8Array(size);
    if (this.used + size > this.block.byteLength) {
      this.block = new ArrayBuffer(BLOCK);
      this.used = 0;
    }
    const start = this.used;
    this.used = (start + size + 7) & ~7;
    return new Uint8Array(this.block, start, size);
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
