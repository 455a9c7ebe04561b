/**
 * Ethernet II frames (DIX / IEEE 802.3 §3.2.6 type field) as pcap sees them: 14-byte header,
 * payload, optional zero padding to the 60-byte minimum; no preamble and no FCS.
 * Pure: builds and reads Uint8Arrays only; no I/O, no clock.
 */
import { WireError, put16, u16 } from '../bytes.ts';
import { formatMac, writeMac } from '../addr.ts';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export const ETH_HEADER_LEN = 14;
/** IEEE 802.3 §4.2.3.3: minFrameSize is 64 bytes with the 4-byte FCS, so 60 without it. */
export const ETH_MIN_FRAME = 60;

export interface EthernetHeader {
  /** "02:00:0a:00:00:02" */
  dst: string;
  src: string;
  etherType: number;
}

export interface EthernetEncodeOptions {
  /**
   * Pad short frames with zeros to 60 bytes, as a NIC does before transmitting (default true).
   * Linux itself never pads: a real NIC (or its driver) does, so a capture on the receiving end
   * of a physical link shows the padding, while the sender's own capture, and both ends of a
   * veth pair or loopback, show the unpadded frame. Pass false to build those.
   */
  pad?: boolean;
}

/** Length of the frame that carries `payloadLength` bytes. */
export function ethernetFrameLength(payloadLength: number, pad = true): number {
  const n = ETH_HEADER_LEN + payloadLength;
  return pad && n < ETH_MIN_FRAME ? ETH_MIN_FRAME : n;
}

/** Writes the 14-byte header at `off` (for building a whole frame in one buffer). */
export function writeEthernetHeader(out: Uint8Array, off: number, h: EthernetHeader): void {
  writeMac(out, off, h.dst);
  writeMac(out, off + 6, h.src);
  put16(out, off + 12, h.etherType);
}

/** writeEthernetHeader with the addresses as 6-byte arrays (the stack's own frames: no parsing per frame). */
export function writeEthernetHeaderBytes(out: Uint8Array, off: number, dst: Uint8Array, src: Uint8Array, etherType: number): void {
  for (let i = 0; i < 6; i++) {
    out[off + i] = dst[i]!;
    out[off + 6 + i] = src[i]!;
  }
  put16(out, off + 12, etherType);
}

/** Header + payload (+ zero padding to 60 bytes unless `opts.pad` is false), in one new array. */
export function encodeEthernet(h: EthernetHeader, payload: Uint8Array, opts?: EthernetEncodeOptions): Uint8Array {
  const out = new Uint8Array(ethernetFrameLength(payload.length, opts?.pad ?? true));
  writeEthernetHeader(out, 0, h);
  out.set(payload, ETH_HEADER_LEN);
  return out;
}

/**
 * Splits a frame. `payload` is a subarray (no copy) running to the end of the frame, so it
 * includes any padding: the IP layer trims it by its total length, ARP ignores the excess.
 */
export function decodeEthernet(frame: Uint8Array): { header: EthernetHeader; payload: Uint8Array } {
  if (frame.length < ETH_HEADER_LEN) throw new WireError(`Ethernet frame too short: ${frame.length} bytes`);
  return {
    header: { dst: formatMac(frame, 0), src: formatMac(frame, 6), etherType: u16(frame, 12) },
    payload: frame.subarray(ETH_HEADER_LEN),
  };
}
