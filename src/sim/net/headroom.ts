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

  /** A transport PDU of `len` zero bytes with TRANSPORT_HEADROOM in front, and room for the whole Ethernet frame with its padding. */
  transport(len: number): Uint8Array {
    const frame = Math.max(ETH_MIN_FRAME, TRANSPORT_HEADROOM + len);
    if (frame > LARGE) return new Uint8Array(new ArrayBuffer(frame), TRANSPORT_HEADROOM, len);
    if (this.used + frame > this.block.byteLength) {
      this.block = new ArrayBuffer(BLOCK);
      this.used = 0;
    }
    const start = this.used;
    this.used = (start + frame + 7) & ~7;
    return new Uint8Array(this.block, start + TRANSPORT_HEADROOM, len);
  }

  /** A copy of `pdu` with TRANSPORT_HEADROOM in front (skb_realloc_headroom), for a PDU built without room. */
  copyWithHeadroom(pdu: Uint8Array): Uint8Array {
    const out = this.transport(pdu.length);
    out.set(pdu);
    return out;
  }
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
