/**
 * Small byte arrays carved out of 64 KiB blocks, as Linux's page_frag allocator carves sk_buff
 * data out of pages (page_frag_alloc, net/core/skbuff.c). A JavaScript engine gives every new
 * Uint8Array over 64 bytes memory of its own, with bookkeeping for the garbage collector that
 * costs more than copying a packet's bytes; one block serves dozens of frames or reads.
 * Pure: typed arrays only.
 *
 * Every piece is a zeroed view of its block, 8-byte aligned, and keeps the whole block alive: use
 * it for bytes that live about as long as their neighbours (a trace keeps every frame and every
 * value a call returned). Large pieces get memory of their own.
 */

/** Bytes per block. */
const BLOCK = 64 * 1024;
/** Pieces larger than this get memory of their own. */
const LARGE = BLOCK / 4;

export class ByteArena {
  private block = new ArrayBuffer(0);
  private used = 0;

  /** `len` zero bytes, starting `skew` bytes past an 8-byte boundary (0–7). */
  alloc(len: number, skew = 0): Uint8Array {
    if (len + skew > LARGE) return new Uint8Array(len);
    if (this.used + skew + len > this.block.byteLength) {
      this.block = new ArrayBuffer(BLOCK);
      this.used = 0;
    }
    const start = this.used + skew;
    this.used = (start + len + 7) & ~7;
    return new Uint8Array(this.block, start, len);
  }
}
