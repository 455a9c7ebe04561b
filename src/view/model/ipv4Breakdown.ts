/**
 * An IPv4 address taken apart for the IP view: its 32 bits, the network and host parts its
 * netmask splits it into, its historic class (with the leading bits that decide it), and what
 * kind of address it is. Built on src/sim/net/addr.ts.
 *
 * Pure: numbers and strings. May not touch the DOM, Svelte or a clock.
 */
import { broadcastAddress, formatIPv4, ipv4Class, ipv4Kind, maskToPrefix, networkAddress, parseIPv4, prefixToMask, type Ipv4Kind } from '../../sim/net/addr.ts';

export interface Ipv4Breakdown {
  address: string;
  prefix: number;
  netmask: string;
  /** 32 characters of 0/1, most significant first. */
  bits: string;
  maskBits: string;
  cls: 'A' | 'B' | 'C' | 'D' | 'E';
  /** How many leading bits decide the class (A: 1, B: 2, C: 3, D and E: 4). */
  classBits: number;
  /** The class's default prefix (A /8, B /16, C /24), null for D and E. */
  classfulPrefix: number | null;
  kind: Ipv4Kind;
  network: string;
  broadcast: string;
  /** Addresses usable by hosts: 2^(32−prefix) − 2 (all of them for /31 and /32). */
  usable: number;
}

const CLASS_BITS = { A: 1, B: 2, C: 3, D: 4, E: 4 } as const;
const CLASSFUL = { A: 8, B: 16, C: 24, D: null, E: null } as const;

function bits32(n: number): string {
  return (n >>> 0).toString(2).padStart(32, '0');
}

/** Breaks an address down under a prefix length (0–32). Null when the address is not valid. */
export function breakdown(address: string, prefix: number): Ipv4Breakdown | null {
  const ip = parseIPv4(address.trim());
  if (ip === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const mask = prefixToMask(prefix);
  const cls = ipv4Class(ip);
  return {
    address: formatIPv4(ip),
    prefix,
    netmask: formatIPv4(mask),
    bits: bits32(ip),
    maskBits: bits32(mask),
    cls,
    classBits: CLASS_BITS[cls],
    classfulPrefix: CLASSFUL[cls],
    kind: ipv4Kind(ip),
    network: formatIPv4(networkAddress(ip, mask)),
    broadcast: formatIPv4(broadcastAddress(ip, mask)),
    usable: prefix >= 31 ? 2 ** (32 - prefix) : 2 ** (32 - prefix) - 2,
  };
}

/** Breaks an address down under a dotted netmask; null when either is invalid or the mask is not contiguous. */
export function breakdownWithMask(address: string, netmask: string): Ipv4Breakdown | null {
  const m = parseIPv4(netmask);
  const p = m === null ? null : maskToPrefix(m);
  return p === null ? null : breakdown(address, p);
}

/** The 32 bits in octets, each bit tagged network or host: for drawing. */
export function octets(b: Ipv4Breakdown): { octet: number; value: number; bits: { bit: string; index: number; network: boolean; classBit: boolean }[] }[] {
  const out = [];
  for (let o = 0; o < 4; o++) {
    const bits = [];
    for (let k = 0; k < 8; k++) {
      const index = o * 8 + k;
      bits.push({ bit: b.bits[index]!, index, network: index < b.prefix, classBit: index < b.classBits });
    }
    out.push({ octet: o, value: parseInt(b.bits.slice(o * 8, o * 8 + 8), 2), bits });
  }
  return out;
}
