/**
 * TCP segments: the header of RFC 9293 §3.1, its options (RFC 9293 §3.2 EOL/NOP/MSS,
 * RFC 7323 §2–3 window scale and timestamps, RFC 2018 SACK), the checksum over the IPv4
 * pseudo-header, tcpdump-style flag strings, and the option layouts Linux puts on the wire.
 * Pure: builds and reads Uint8Arrays only; no I/O, no clock.
 */
import { WireError, foldChecksum, put16, put32, sumRange, u16, u32 } from '../bytes.ts';
import { requireIPv4 } from '../addr.ts';
import { PROTO_TCP, pseudoHeaderSum } from './ipv4.ts';

export const TCP_HEADER_LEN = 20;
/** The Data Offset field is 4 bits of 32-bit words: at most 60 bytes, so 40 of options. */
export const TCP_MAX_OPTIONS_LEN = 40;

export interface TcpFlags {
  fin: boolean;
  syn: boolean;
  rst: boolean;
  psh: boolean;
  ack: boolean;
  urg: boolean;
  ece: boolean;
  cwr: boolean;
}

export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackOk' }
  | { kind: 'sack'; blocks: [number, number][] }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  | { kind: 'unknown'; code: number; data: Uint8Array };

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  /** Unsigned 32-bit. */
  seq: number;
  /** Unsigned 32-bit; sent whatever the ACK flag says (Linux sends 0 when ACK is off). */
  ack: number;
  flags: TcpFlags;
  window: number;
  urgent: number;
  options: TcpOption[];
}

/** Option kinds (RFC 9293 §3.2, RFC 7323, RFC 2018). */
export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WSCALE = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;

// ---- flags -----------------------------------------------------------------------------------

export const NO_FLAGS: TcpFlags = Object.freeze({
  fin: false,
  syn: false,
  rst: false,
  psh: false,
  ack: false,
  urg: false,
  ece: false,
  cwr: false,
});

/** The flags byte (header byte 13): CWR ECE URG ACK PSH RST SYN FIN, high bit first. */
export function flagsToByte(f: TcpFlags): number {
  return (
    (f.fin ? 0x01 : 0) |
    (f.syn ? 0x02 : 0) |
    (f.rst ? 0x04 : 0) |
    (f.psh ? 0x08 : 0) |
    (f.ack ? 0x10 : 0) |
    (f.urg ? 0x20 : 0) |
    (f.ece ? 0x40 : 0) |
    (f.cwr ? 0x80 : 0)
  );
}

export function flagsFromByte(b: number): TcpFlags {
  return {
    fin: (b & 0x01) !== 0,
    syn: (b & 0x02) !== 0,
    rst: (b & 0x04) !== 0,
    psh: (b & 0x08) !== 0,
    ack: (b & 0x10) !== 0,
    urg: (b & 0x20) !== 0,
    ece: (b & 0x40) !== 0,
    cwr: (b & 0x80) !== 0,
  };
}

/**
 * flagsFromByte of every byte value, built once and frozen: the stack's receive path shares
 * these instead of building a flags object per segment.
 */
const FLAGS_OF_BYTE: readonly TcpFlags[] = Array.from({ length: 256 }, (_, b) => Object.freeze(flagsFromByte(b)));

/** The shared, frozen flags object for a flags byte (see FLAGS_OF_BYTE). */
export function sharedFlags(b: number): TcpFlags {
  return FLAGS_OF_BYTE[b & 0xff]!;
}

/**
 * Flags from letters: S (SYN), A or . (ACK), F (FIN), P (PSH), R (RST), U (URG), E (ECE),
 * C or W (CWR), e.g. flags('SA'), flags('PA'), flags('FA'), flags('R'). Throws on other letters.
 */
export function flags(spec: string): TcpFlags {
  const f = { ...NO_FLAGS };
  for (const c of spec) {
    if (c === 'S') f.syn = true;
    else if (c === 'A' || c === '.') f.ack = true;
    else if (c === 'F') f.fin = true;
    else if (c === 'P') f.psh = true;
    else if (c === 'R') f.rst = true;
    else if (c === 'U') f.urg = true;
    else if (c === 'E') f.ece = true;
    else if (c === 'C' || c === 'W') f.cwr = true;
    else throw new Error(`unknown TCP flag letter ${JSON.stringify(c)} in ${JSON.stringify(spec)}`);
  }
  return f;
}

/**
 * tcpdump's rendering of the flags, in its order F S R P . U E W: "S", "S.", ".", "P.", "F.",
 * "R.", "FP."; "none" when no flag is set.
 */
export function flagsString(f: TcpFlags): string {
  let s = '';
  if (f.fin) s += 'F';
  if (f.syn) s += 'S';
  if (f.rst) s += 'R';
  if (f.psh) s += 'P';
  if (f.ack) s += '.';
  if (f.urg) s += 'U';
  if (f.ece) s += 'E';
  if (f.cwr) s += 'W';
  return s === '' ? 'none' : s;
}

// ---- options ---------------------------------------------------------------------------------

function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sackOk':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
  }
}

/** Bytes the options take in the header: their sum rounded up to a multiple of 4. */
export function tcpOptionsLength(options: readonly TcpOption[]): number {
  let n = 0;
  for (const o of options) n += optionLength(o);
  return (n + 3) & ~3;
}

/** Length of the TCP header carrying `options`. */
export function tcpHeaderLength(options: readonly TcpOption[]): number {
  return TCP_HEADER_LEN + tcpOptionsLength(options);
}

/** Writes the options in order at `off`, then zeros (EOL) to a 4-byte boundary. Returns the length. */
export function writeTcpOptions(out: Uint8Array, off: number, options: readonly TcpOption[]): number {
  let p = off;
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        out[p++] = TCPOPT_EOL;
        break;
      case 'nop':
        out[p++] = TCPOPT_NOP;
        break;
      case 'mss': // RFC 9293 §3.2
        out[p] = TCPOPT_MSS;
        out[p + 1] = 4;
        put16(out, p + 2, o.value);
        p += 4;
        break;
      case 'wscale': // RFC 7323 §2.2
        out[p] = TCPOPT_WSCALE;
        out[p + 1] = 3;
        out[p + 2] = o.shift;
        p += 3;
        break;
      case 'sackOk': // RFC 2018 §2
        out[p] = TCPOPT_SACK_PERM;
        out[p + 1] = 2;
        p += 2;
        break;
      case 'sack': // RFC 2018 §3
        out[p] = TCPOPT_SACK;
        out[p + 1] = 2 + 8 * o.blocks.length;
        p += 2;
        for (const [left, right] of o.blocks) {
          put32(out, p, left);
          put32(out, p + 4, right);
          p += 8;
        }
        break;
      case 'timestamps': // RFC 7323 §3.2
        out[p] = TCPOPT_TIMESTAMP;
        out[p + 1] = 10;
        put32(out, p + 2, o.tsval);
        put32(out, p + 6, o.tsecr);
        p += 10;
        break;
      case 'unknown':
        out[p] = o.code;
        out[p + 1] = 2 + o.data.length;
        out.set(o.data, p + 2);
        p += 2 + o.data.length;
        break;
    }
  }
  const end = off + ((p - off + 3) & ~3);
  out.fill(0, p, end);
  return end - off;
}

/**
 * Parses the options region (RFC 9293 §3.2: a single byte for EOL and NOP, else kind, length,
 * data). Parsing stops at EOL (which is kept, so re-encoding gives the same bytes). An option
 * of a known kind with an unexpected length comes back as 'unknown'. Throws WireError when an
 * option's length byte is missing, below 2, or runs past the region.
 */
export function parseTcpOptions(b: Uint8Array, start: number, end: number): TcpOption[] {
  const out: TcpOption[] = [];
  let p = start;
  while (p < end) {
    const kind = b[p]!;
    if (kind === TCPOPT_EOL) {
      out.push({ kind: 'eol' });
      break;
    }
    if (kind === TCPOPT_NOP) {
      out.push({ kind: 'nop' });
      p++;
      continue;
    }
    if (p + 1 >= end) throw new WireError(`TCP option ${kind} at offset ${p - start} has no length byte`);
    const len = b[p + 1]!;
    if (len < 2 || p + len > end) throw new WireError(`TCP option ${kind} at offset ${p - start} has bad length ${len}`);
    if (kind === TCPOPT_MSS && len === 4) out.push({ kind: 'mss', value: u16(b, p + 2) });
    else if (kind === TCPOPT_WSCALE && len === 3) out.push({ kind: 'wscale', shift: b[p + 2]! });
    else if (kind === TCPOPT_SACK_PERM && len === 2) out.push({ kind: 'sackOk' });
    else if (kind === TCPOPT_SACK && len >= 10 && (len - 2) % 8 === 0) {
      const blocks: [number, number][] = [];
      for (let q = p + 2; q < p + len; q += 8) blocks.push([u32(b, q), u32(b, q + 4)]);
      out.push({ kind: 'sack', blocks });
    } else if (kind === TCPOPT_TIMESTAMP && len === 10)
      out.push({ kind: 'timestamps', tsval: u32(b, p + 2), tsecr: u32(b, p + 6) });
    else out.push({ kind: 'unknown', code: kind, data: b.slice(p + 2, p + len) });
    p += len;
  }
  return out;
}

// ---- segments --------------------------------------------------------------------------------

/**
 * Writes the header at `off` for the `payloadLength` bytes that already sit right after it
 * (at off + tcpHeaderLength(h.options)), with the checksum over the pseudo-header of src → dst
 * (RFC 9293 §3.1 "Checksum"). Returns the header length.
 */
export function writeTcpHeader(
  out: Uint8Array,
  off: number,
  h: TcpHeader,
  payloadLength: number,
  src: number,
  dst: number,
): number {
  const optLen = tcpOptionsLength(h.options);
  if (optLen > TCP_MAX_OPTIONS_LEN) throw new WireError(`TCP options take ${optLen} bytes, more than 40`);
  const hl = TCP_HEADER_LEN + optLen;
  writeTcpOptions(out, off + TCP_HEADER_LEN, h.options);
  writeTcpFixedHeader(out, off, h.srcPort, h.dstPort, h.seq, h.ack, flagsToByte(h.flags), h.window, h.urgent, hl, payloadLength, src, dst);
  return hl;
}

/**
 * The fixed 20 bytes of the header at `off`, for a segment whose `hl - 20` bytes of options and
 * `payloadLength` bytes of payload are already in place after them, then the checksum over the
 * pseudo-header of src → dst and the whole segment (RFC 9293 §3.1 "Checksum"). The core of
 * writeTcpHeader, with the flags as header byte 13 (flagsToByte).
 */
export function writeTcpFixedHeader(
  out: Uint8Array,
  off: number,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flagsByte: number,
  window: number,
  urgent: number,
  hl: number,
  payloadLength: number,
  src: number,
  dst: number,
): void {
  const len = hl + payloadLength;
  put16(out, off, srcPort);
  put16(out, off + 2, dstPort);
  put32(out, off + 4, seq >>> 0);
  put32(out, off + 8, ack >>> 0);
  out[off + 12] = (hl >> 2) << 4; // Data Offset in 32-bit words; reserved bits zero
  out[off + 13] = flagsByte;
  put16(out, off + 14, window);
  put16(out, off + 16, 0);
  put16(out, off + 18, urgent);
  put16(out, off + 16, foldChecksum(sumRange(out, off, off + len, pseudoHeaderSum(src, dst, PROTO_TCP, len))));
}

/** Header + options + payload in one new array, data offset and checksum computed. */
export function encodeTcp(h: TcpHeader, payload: Uint8Array, srcIp: string, dstIp: string): Uint8Array {
  const hl = tcpHeaderLength(h.options);
  const out = new Uint8Array(hl + payload.length);
  out.set(payload, hl);
  writeTcpHeader(out, 0, h, payload.length, requireIPv4(srcIp), requireIPv4(dstIp));
  return out;
}

/**
 * Reads a segment (the whole IP payload). `dataOffset` is the Data Offset field, in 32-bit
 * words; `headerLength` is the same in bytes. `payload` is a subarray (no copy). Throws
 * WireError on a bad data offset or malformed options; a wrong checksum only clears checksumOk.
 */
export function decodeTcp(
  segment: Uint8Array,
  srcIp: string,
  dstIp: string,
): {
  header: TcpHeader & { dataOffset: number; headerLength: number; checksum: number };
  payload: Uint8Array;
  checksumOk: boolean;
} {
  const hl = tcpHeaderLengthOf(segment);
  const src = requireIPv4(srcIp);
  const dst = requireIPv4(dstIp);
  return {
    header: {
      srcPort: u16(segment, 0),
      dstPort: u16(segment, 2),
      seq: u32(segment, 4),
      ack: u32(segment, 8),
      flags: flagsFromByte(segment[13]!),
      window: u16(segment, 14),
      urgent: u16(segment, 18),
      options: parseTcpOptions(segment, TCP_HEADER_LEN, hl),
      dataOffset: hl >> 2,
      headerLength: hl,
      checksum: u16(segment, 16),
    },
    payload: segment.subarray(hl),
    checksumOk: tcpChecksumOk(segment, src, dst),
  };
}

/** The header length from the Data Offset field, checked against the segment; throws WireError. */
function tcpHeaderLengthOf(segment: Uint8Array): number {
  if (segment.length < TCP_HEADER_LEN) throw new WireError(`TCP segment too short: ${segment.length} bytes`);
  const dataOffset = segment[12]! >> 4;
  const hl = dataOffset * 4;
  if (hl < TCP_HEADER_LEN) throw new WireError(`TCP data offset ${dataOffset} < 5`);
  if (hl > segment.length) throw new WireError(`TCP header length ${hl} exceeds the ${segment.length} bytes present`);
  return hl;
}

/** Whether the checksum over the pseudo-header of src → dst and the whole segment is right. */
export function tcpChecksumOk(segment: Uint8Array, src: number, dst: number): boolean {
  return foldChecksum(sumRange(segment, 0, segment.length, pseudoHeaderSum(src, dst, PROTO_TCP, segment.length))) === 0;
}

/** The options of a SYN that the stack reads (RFC 9293 §3.2 MSS, RFC 7323 window scale and timestamps, RFC 2018 SACK-permitted). */
export interface SynOptions {
  mss: number | undefined;
  wscale: number | undefined;
  sackOk: boolean;
}

/** An arriving segment as the stack reads it (readTcpSegment). */
export interface TcpSegmentIn {
  /** The header, with `flags` a shared frozen object (sharedFlags) and `options` left empty: the stack reads `tsval` and `syn`. */
  header: TcpHeader;
  /** TSval of the segment's (last well-formed) timestamps option, if it has one. */
  tsval: number | undefined;
  /** On a SYN: its options. */
  syn: SynOptions | undefined;
  payload: Uint8Array;
  checksumOk: boolean;
}

const NO_OPTIONS: TcpOption[] = Object.freeze([]) as unknown as TcpOption[];

/**
 * decodeTcp for the stack's receive path: the addresses as numbers, no copies of anything that
 * does not change, no option objects. The options are checked as parseTcpOptions checks them
 * (the same WireErrors), and the values the stack uses are read as parseTcpOptions would read
 * them: the last option of each kind wins, and a known kind with an unexpected length is ignored.
 */
export function readTcpSegment(segment: Uint8Array, src: number, dst: number): TcpSegmentIn {
  const hl = tcpHeaderLengthOf(segment);
  const flagsByte = segment[13]!;
  const syn: SynOptions | undefined = flagsByte & 0x02 ? { mss: undefined, wscale: undefined, sackOk: false } : undefined;
  const tsval = hl > TCP_HEADER_LEN ? scanOptions(segment, TCP_HEADER_LEN, hl, syn) : undefined;
  return {
    header: {
      srcPort: u16(segment, 0),
      dstPort: u16(segment, 2),
      seq: u32(segment, 4),
      ack: u32(segment, 8),
      flags: sharedFlags(flagsByte),
      window: u16(segment, 14),
      urgent: u16(segment, 18),
      options: NO_OPTIONS,
    },
    tsval,
    syn,
    payload: segment.subarray(hl),
    checksumOk: tcpChecksumOk(segment, src, dst),
  };
}

/**
 * Walks the options region as parseTcpOptions does (same stops, same WireErrors) without
 * building option objects: returns the TSval of the last timestamps option, and fills `syn`
 * (when given) with the handshake options.
 */
function scanOptions(b: Uint8Array, start: number, end: number, syn: SynOptions | undefined): number | undefined {
  let tsval: number | undefined;
  let p = start;
  while (p < end) {
    const kind = b[p]!;
    if (kind === TCPOPT_EOL) break;
    if (kind === TCPOPT_NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end) throw new WireError(`TCP option ${kind} at offset ${p - start} has no length byte`);
    const len = b[p + 1]!;
    if (len < 2 || p + len > end) throw new WireError(`TCP option ${kind} at offset ${p - start} has bad length ${len}`);
    if (kind === TCPOPT_TIMESTAMP && len === 10) tsval = u32(b, p + 2);
    else if (syn) {
      if (kind === TCPOPT_MSS && len === 4) syn.mss = u16(b, p + 2);
      else if (kind === TCPOPT_WSCALE && len === 3) syn.wscale = b[p + 2]!;
      else if (kind === TCPOPT_SACK_PERM && len === 2) syn.sackOk = true;
    }
    p += len;
  }
  return tsval;
}

// ---- Linux's option layouts ------------------------------------------------------------------

/** Which options a Linux segment carries (each omitted one is left out of the layout). */
export interface LinuxTcpOptionSet {
  mss?: number;
  sackOk?: boolean;
  ts?: { tsval: number; tsecr: number };
  wscale?: number;
  sack?: [number, number][];
}

/**
 * The option bytes exactly as Linux's tcp_options_write (net/ipv4/tcp_output.c) lays them out:
 * MSS; then, with timestamps, SACK_PERM+TS packed together or NOP,NOP,TS; SACK_PERM alone as
 * NOP,NOP,SACK_PERM; window scale as NOP,WS; SACK blocks as NOP,NOP,SACK. Every option lands
 * 4-byte aligned, so no trailing padding is ever needed.
 */
export function linuxTcpOptions(o: LinuxTcpOptionSet): TcpOption[] {
  const out: TcpOption[] = [];
  if (o.mss !== undefined) out.push({ kind: 'mss', value: o.mss });
  if (o.ts) {
    if (o.sackOk) out.push({ kind: 'sackOk' });
    else out.push({ kind: 'nop' }, { kind: 'nop' });
    out.push({ kind: 'timestamps', tsval: o.ts.tsval >>> 0, tsecr: o.ts.tsecr >>> 0 });
  } else if (o.sackOk) {
    out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sackOk' });
  }
  if (o.wscale !== undefined) out.push({ kind: 'nop' }, { kind: 'wscale', shift: o.wscale });
  if (o.sack && o.sack.length > 0) out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: o.sack });
  return out;
}

/** Length of the option block writeLinuxDataOptions writes. */
export function linuxDataOptionsLength(ts: boolean, sackBlocks: number): number {
  return (ts ? 12 : 0) + (sackBlocks > 0 ? 4 + 8 * sackBlocks : 0);
}

/**
 * Linux's options on a segment after the handshake, written straight into `out` at `off`: with
 * timestamps NOP,NOP,TS; with SACK blocks NOP,NOP,SACK. The same bytes as
 * writeTcpOptions(out, off, linuxTcpOptions({ ts, sack })), without building the option list
 * for every segment. Returns the length (always a multiple of 4).
 */
export function writeLinuxDataOptions(
  out: Uint8Array,
  off: number,
  ts: boolean,
  tsval: number,
  tsecr: number,
  sack: readonly (readonly [number, number])[] | undefined,
): number {
  let p = off;
  if (ts) p = putTimestamps(out, p, TCPOPT_NOP, TCPOPT_NOP, tsval, tsecr);
  if (sack && sack.length > 0) p = putSack(out, p, sack);
  return p - off;
}

/** Length of the option block writeLinuxOptions writes. */
export function linuxOptionsLength(o: LinuxTcpOptionSet): number {
  return (o.mss !== undefined ? 4 : 0) + (o.ts ? 12 : o.sackOk ? 4 : 0) + (o.wscale !== undefined ? 4 : 0) + (o.sack && o.sack.length > 0 ? 4 + 8 * o.sack.length : 0);
}

/**
 * Any of Linux's layouts (linuxTcpOptions), written straight into `out` at `off`: the same bytes
 * as writeTcpOptions(out, off, linuxTcpOptions(o)) without the option objects. Returns the length.
 */
export function writeLinuxOptions(out: Uint8Array, off: number, o: LinuxTcpOptionSet): number {
  let p = off;
  if (o.mss !== undefined) {
    out[p] = TCPOPT_MSS;
    out[p + 1] = 4;
    put16(out, p + 2, o.mss);
    p += 4;
  }
  if (o.ts) {
    // SACK_PERM packed in front of the timestamps, or two NOPs.
    p = o.sackOk ? putTimestamps(out, p, TCPOPT_SACK_PERM, 2, o.ts.tsval, o.ts.tsecr) : putTimestamps(out, p, TCPOPT_NOP, TCPOPT_NOP, o.ts.tsval, o.ts.tsecr);
  } else if (o.sackOk) {
    out[p] = TCPOPT_NOP;
    out[p + 1] = TCPOPT_NOP;
    out[p + 2] = TCPOPT_SACK_PERM;
    out[p + 3] = 2;
    p += 4;
  }
  if (o.wscale !== undefined) {
    out[p] = TCPOPT_NOP;
    out[p + 1] = TCPOPT_WSCALE;
    out[p + 2] = 3;
    out[p + 3] = o.wscale;
    p += 4;
  }
  if (o.sack && o.sack.length > 0) p = putSack(out, p, o.sack);
  return p - off;
}

/** Two lead bytes (NOP,NOP or SACK_PERM), then the timestamps option; returns the offset after it. */
function putTimestamps(out: Uint8Array, p: number, lead0: number, lead1: number, tsval: number, tsecr: number): number {
  out[p] = lead0;
  out[p + 1] = lead1;
  out[p + 2] = TCPOPT_TIMESTAMP;
  out[p + 3] = 10;
  put32(out, p + 4, tsval >>> 0);
  put32(out, p + 8, tsecr >>> 0);
  return p + 12;
}

/** NOP,NOP,SACK with its blocks; returns the offset after them. */
function putSack(out: Uint8Array, p: number, sack: readonly (readonly [number, number])[]): number {
  out[p] = TCPOPT_NOP;
  out[p + 1] = TCPOPT_NOP;
  out[p + 2] = TCPOPT_SACK;
  out[p + 3] = 2 + 8 * sack.length;
  p += 4;
  for (const [left, right] of sack) {
    put32(out, p, left);
    put32(out, p + 4, right);
    p += 8;
  }
  return p;
}

/**
 * Linux's SYN options: MSS, SACK_PERM, TS (tsecr 0), NOP, WS — 20 bytes, as captured from
 * Linux 6.18 (tests/fixtures/wire/linux-sample.pcap, frame 5).
 */
export function linuxSynOptions(mss: number, tsval: number, wscale: number): TcpOption[] {
  return linuxTcpOptions({ mss, sackOk: true, ts: { tsval, tsecr: 0 }, wscale });
}

/** Linux's SYN-ACK options when the SYN offered all of them: MSS, SACK_PERM, TS, NOP, WS (frame 6). */
export function linuxSynAckOptions(mss: number, tsval: number, tsecr: number, wscale: number): TcpOption[] {
  return linuxTcpOptions({ mss, sackOk: true, ts: { tsval, tsecr }, wscale });
}

/** Options on Linux's segments after the handshake with timestamps on: NOP, NOP, TS (+ NOP, NOP, SACK). */
export function linuxDataOptions(tsval: number, tsecr: number, sack?: [number, number][]): TcpOption[] {
  return linuxTcpOptions(sack ? { ts: { tsval, tsecr }, sack } : { ts: { tsval, tsecr } });
}
