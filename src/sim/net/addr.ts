/**
 * IPv4 and MAC addresses: strict parsing and formatting, netmask arithmetic, and classification
 * of IPv4 addresses by the special-purpose ranges of RFC 6890 (and RFC 1918, 3927, 6598).
 * IPv4 addresses are unsigned 32-bit numbers (0..2^32-1); MACs are 6-byte Uint8Arrays.
 * Pure: string and number arithmetic only; no I/O, no clock.
 */
import { WireError } from './bytes.ts';

/**
 * Strict dotted quad to an unsigned 32-bit number: exactly four decimal parts, each 0–255,
 * digits only (no sign, no spaces) and no leading zeros ("01" is refused, as inet_pton and
 * Python's ipaddress refuse it, since some parsers read it as octal). Null when invalid.
 */
export function parseIPv4(s: string): number | null {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return null;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null; // leading zero
      part = part * 10 + (c - 48);
      if (part > 255) return null;
      digits++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return n * 256 + part;
}

/** parseIPv4 that throws a WireError instead of returning null (for encoders given strings). */
export function requireIPv4(s: string): number {
  const n = parseIPv4(s);
  if (n === null) throw new WireError(`not an IPv4 address: ${JSON.stringify(s)}`);
  return n;
}

/** Dotted quad of an unsigned 32-bit number. */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The 4 network-order bytes of an address. */
export function ipv4Bytes(n: number): Uint8Array {
  const b = new Uint8Array(4);
  writeIPv4(b, 0, n);
  return b;
}

/** Writes an address in network order at `off`. */
export function writeIPv4(b: Uint8Array, off: number, n: number): void {
  b[off] = n >>> 24;
  b[off + 1] = (n >>> 16) & 255;
  b[off + 2] = (n >>> 8) & 255;
  b[off + 3] = n & 255;
}

/** Reads a network-order address at `off` (the caller has checked the bounds). */
export function readIPv4(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses "02:00:0a:00:00:01" (or with '-', either case) into `out` at `off`; false if invalid. */
function macInto(s: string, out: Uint8Array, off: number): boolean {
  if (s.length !== 17) return false;
  const sep = s.charCodeAt(2);
  if (sep !== 58 /* : */ && sep !== 45 /* - */) return false;
  for (let i = 0; i < 6; i++) {
    const hi = hexNibble(s.charCodeAt(3 * i));
    const lo = hexNibble(s.charCodeAt(3 * i + 1));
    if (hi < 0 || lo < 0) return false;
    if (i < 5 && s.charCodeAt(3 * i + 2) !== sep) return false;
    out[off + i] = (hi << 4) | lo;
  }
  return true;
}

/** "02:00:0a:00:00:01" (':' or '-' separators, either case) to 6 bytes; null when invalid. */
export function parseMac(s: string): Uint8Array | null {
  const b = new Uint8Array(6);
  return macInto(s, b, 0) ? b : null;
}

/** Writes a MAC given as a string at `off` without allocating; throws WireError when invalid. */
export function writeMac(out: Uint8Array, off: number, s: string): void {
  if (!macInto(s, out, off)) throw new WireError(`not a MAC address: ${JSON.stringify(s)}`);
}

const HEX = '0123456789abcdef';

/** The 6 bytes at `offset` as "02:00:0a:00:00:01" (lowercase, colon-separated). */
export function formatMac(b: Uint8Array, offset = 0): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = b[offset + i] ?? 0;
    if (i > 0) s += ':';
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

/** Prefix length of a netmask (255.255.255.0 → 24); null when its one bits are not contiguous. */
export function maskToPrefix(mask: number): number | null {
  const host = ~mask >>> 0;
  if ((host & (host + 1)) !== 0) return null; // host part must be 0…01…1
  let p = 32;
  for (let h = host; h !== 0; h >>>= 1) p--;
  return p;
}

/** Netmask of a prefix length 0–32 (24 → 255.255.255.0). */
export function prefixToMask(p: number): number {
  if (!Number.isInteger(p) || p < 0 || p > 32) throw new RangeError(`prefix length must be 0..32, got ${p}`);
  return p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
}

/** Whether two addresses are on the same subnet under `mask`. */
export function sameSubnet(a: number, b: number, mask: number): boolean {
  return ((a ^ b) & mask) === 0;
}

/** The subnet's network address (host bits zero). */
export function networkAddress(ip: number, mask: number): number {
  return (ip & mask) >>> 0;
}

/** The subnet's directed broadcast address (host bits one). */
export function broadcastAddress(ip: number, mask: number): number {
  return (ip | ~mask) >>> 0;
}

/** Classful address class, from the leading bits (RFC 791 §3.2; classes D and E per RFC 1112 §4). */
export function ipv4Class(n: number): 'A' | 'B' | 'C' | 'D' | 'E' {
  const top = n >>> 24;
  if (top < 128) return 'A';
  if (top < 192) return 'B';
  if (top < 224) return 'C';
  if (top < 240) return 'D';
  return 'E';
}

export type Ipv4Kind =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'unspecified'
  | 'shared'
  | 'reserved'
  | 'public';

function inNet(n: number, net: number, prefix: number): boolean {
  return networkAddress(n, prefixToMask(prefix)) === net;
}

/**
 * What kind of address this is, by the special-purpose registry (RFC 6890 §2.2.2):
 * 0.0.0.0 unspecified (other 0/8 "this network" reserved), 127/8 loopback (RFC 1122),
 * 10/8, 172.16/12, 192.168/16 private (RFC 1918), 169.254/16 link-local (RFC 3927),
 * 100.64/10 shared address space (RFC 6598), 224/4 multicast (RFC 5771),
 * 255.255.255.255 limited broadcast (RFC 919), and reserved: 240/4 (RFC 1112),
 * 192.0.0/24 (IETF protocol assignments), 192.0.2/24, 198.51.100/24, 203.0.113/24
 * (documentation, RFC 5737), 198.18/15 (benchmarking, RFC 2544). Everything else is public.
 */
export function ipv4Kind(n: number): Ipv4Kind {
  const a = n >>> 0;
  if (a === 0) return 'unspecified';
  if (a === 0xffffffff) return 'broadcast';
  const top = a >>> 24;
  if (top === 0) return 'reserved';
  if (top === 127) return 'loopback';
  if (top === 10 || inNet(a, 0xac100000, 12) || inNet(a, 0xc0a80000, 16)) return 'private';
  if (inNet(a, 0xa9fe0000, 16)) return 'link-local';
  if (inNet(a, 0x64400000, 10)) return 'shared';
  if (top >= 224 && top < 240) return 'multicast';
  if (top >= 240) return 'reserved';
  if (
    inNet(a, 0xc0000000, 24) ||
    inNet(a, 0xc0000200, 24) ||
    inNet(a, 0xc6336400, 24) ||
    inNet(a, 0xcb007100, 24) ||
    inNet(a, 0xc6120000, 15)
  )
    return 'reserved';
  return 'public';
}
