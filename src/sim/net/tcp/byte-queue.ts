/**
 * A FIFO of byte chunks: append at the tail, read or drop at the head, copy out any range.
 * Pure data structure used for TCP's send and receive buffers. Chunks can carry the id of the
 * packet that brought them, so the trace can say which segment's bytes an application read.
 */
import type { ByteArena } from '../arena.ts';
export interface Chunk {
  data: Uint8Array;
  pkt: number;
}

export class ByteQueue {
  private chunks: Chunk[] = [];
  private head = 0;
  /** Offset into chunks[head]. */
  private skip = 0;
  length = 0;

  push(data: Uint8Array, pkt = 0): void {
    if (data.length === 0) return;
    this.chunks.push({ data, pkt });
    this.length += data.length;
  }

  /** Copy `len` bytes starting `offset` bytes from the head (without removing them). */
  copy(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.copyTo(out, 0, offset, len);
    return out;
  }

  /** Copy `len` bytes starting `offset` bytes from the head into `out` at `at` (e.g. straight into a segment being built). */
  copyTo(out: Uint8Array, at: number, offset: number, len: number): void {
    let pos = 0;
    let skip = this.skip + offset;
    for (let i = this.head; i < this.chunks.length && pos < len; i++) {
      const c = this.chunks[i]!.data;
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      const n = Math.min(c.length - skip, len - pos);
      out.set(c.subarray(skip, skip + n), at + pos);
      pos += n;
      skip = 0;
    }
  }

  /** Remove `len` bytes from the head; returns them (in `arena`'s memory, if given) and the (pkt, bytes) pieces removed, in order. */
  take(len: number, arena?: ByteArena): { data: Uint8Array; parts: { pkt: number; len: number }[] } {
    const n = Math.min(len, this.length);
    const out = arena ? arena.alloc(n) : new Uint8Array(n);
    const parts: { pkt: number; len: number }[] = [];
    let pos = 0;
    while (pos < n) {
      const c = this.chunks[this.head]!;
      const avail = c.data.length - this.skip;
      const k = Math.min(avail, n - pos);
      out.set(c.data.subarray(this.skip, this.skip + k), pos);
      parts.push({ pkt: c.pkt, len: k });
      pos += k;
      this.advance(k);
    }
    return { data: out, parts };
  }

  /** Drop `len` bytes from the head. */
  drop(len: number): void {
    let left = Math.min(len, this.length);
    while (left > 0) {
      const c = this.chunks[this.head]!;
      const k = Math.min(c.data.length - this.skip, left);
      this.advance(k);
      left -= k;
    }
  }

  private advance(k: number): void {
    const c = this.chunks[this.head]!;
    this.skip += k;
    this.length -= k;
    if (this.skip >= c.data.length) {
      this.head++;
      this.skip = 0;
      if (this.length === 0) {
        // Empty: let go of the chunks already read (a closed connection's queues may live on).
        this.chunks = [];
        this.head = 0;
      } else if (this.head > 64 && this.head * 2 > this.chunks.length) {
        this.chunks = this.chunks.slice(this.head);
        this.head = 0;
      }
    }
  }
}
