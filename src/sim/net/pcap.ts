/**
 * Classic libpcap capture files (the format of tcpdump -w; see pcap-savefile(5)): writing
 * little-endian microsecond files, reading either byte order and the nanosecond variant.
 * Pure: turns records into bytes and back; the caller does any file I/O. No clock.
 */
import { WireError } from './bytes.ts';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;

const FILE_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

export interface PcapRecord {
  /** Timestamp in integer microseconds (virtual time, or µs since the epoch for real captures). */
  t: number;
  bytes: Uint8Array;
}

/** One file: little-endian, magic 0xa1b2c3d4, version 2.4, snaplen 262144, zone 0. */
export function writePcap(records: readonly PcapRecord[], linkType = LINKTYPE_ETHERNET): Uint8Array {
  let size = FILE_HEADER_LEN;
  for (const r of records) size += RECORD_HEADER_LEN + r.bytes.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, PCAP_MAGIC_US, true);
  dv.setUint16(4, 2, true); // version_major
  dv.setUint16(6, 4, true); // version_minor
  dv.setInt32(8, 0, true); // thiszone
  dv.setUint32(12, 0, true); // sigfigs
  dv.setUint32(16, PCAP_SNAPLEN, true);
  dv.setUint32(20, linkType, true);
  let off = FILE_HEADER_LEN;
  for (const r of records) {
    if (!Number.isInteger(r.t) || r.t < 0) throw new RangeError(`pcap timestamp must be a non-negative integer of µs, got ${r.t}`);
    dv.setUint32(off, Math.floor(r.t / 1_000_000), true);
    dv.setUint32(off + 4, r.t % 1_000_000, true);
    dv.setUint32(off + 8, r.bytes.length, true); // incl_len
    dv.setUint32(off + 12, r.bytes.length, true); // orig_len
    out.set(r.bytes, off + RECORD_HEADER_LEN);
    off += RECORD_HEADER_LEN + r.bytes.length;
  }
  return out;
}

/**
 * Reads a classic pcap file in either byte order, with microsecond or nanosecond timestamps
 * (nanoseconds are truncated to µs). Record bytes are subarrays of `file` (no copy); `origLen`
 * is the length on the wire, which exceeds bytes.length when the capture was snapped.
 * Throws WireError on a bad magic (pcapng is refused by name) or a truncated file.
 */
export function readPcap(file: Uint8Array): {
  linkType: number;
  records: { t: number; bytes: Uint8Array; origLen: number }[];
} {
  if (file.length < FILE_HEADER_LEN) throw new WireError(`pcap file too short: ${file.length} bytes`);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magicBE = dv.getUint32(0, false);
  const magicLE = dv.getUint32(0, true);
  let le: boolean;
  let nano: boolean;
  if (magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS) {
    le = true;
    nano = magicLE === PCAP_MAGIC_NS;
  } else if (magicBE === PCAP_MAGIC_US || magicBE === PCAP_MAGIC_NS) {
    le = false;
    nano = magicBE === PCAP_MAGIC_NS;
  } else if (magicBE === 0x0a0d0d0a) {
    throw new WireError('this is a pcapng file; only classic pcap is supported (tcpdump -w writes it)');
  } else {
    throw new WireError(`not a pcap file (magic 0x${magicBE.toString(16).padStart(8, '0')})`);
  }
  const linkType = dv.getUint32(20, le) & 0x0fffffff; // high bits may carry FCS info
  const records: { t: number; bytes: Uint8Array; origLen: number }[] = [];
  let off = FILE_HEADER_LEN;
  while (off < file.length) {
    if (off + RECORD_HEADER_LEN > file.length) throw new WireError(`truncated pcap record header at offset ${off}`);
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    const start = off + RECORD_HEADER_LEN;
    if (start + incl > file.length) throw new WireError(`truncated pcap record at offset ${off}: ${incl} bytes announced`);
    records.push({
      t: sec * 1_000_000 + (nano ? Math.floor(frac / 1000) : frac),
      bytes: file.subarray(start, start + incl),
      origLen: orig,
    });
    off = start + incl;
  }
  return { linkType, records };
}
