/**
 * ARP packets for Ethernet and IPv4 (RFC 826, "Packet format"): the 28-byte body of an Ethernet
 * frame of type 0x0806. Only hardware type 1 (Ethernet) with protocol type 0x0800 (IPv4) and
 * opcodes 1 (request) and 2 (reply) are accepted.
 * Pure: builds and reads Uint8Arrays only; no I/O, no clock.
 */
import { WireError, put16, u16 } from '../bytes.ts';
import { formatMac, formatIPv4, readIPv4, requireIPv4, writeIPv4, writeMac } from '../addr.ts';
import { ETHERTYPE_IPV4 } from './ethernet.ts';

export const ARP_LEN = 28;
export const ARP_HTYPE_ETHERNET = 1;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpPacket {
  op: 1 | 2;
  senderMac: string;
  senderIp: string;
  /** 00:00:00:00:00:00 in a Linux request (RFC 826 leaves it unspecified). */
  targetMac: string;
  targetIp: string;
}

/** Writes the 28-byte packet at `off`. */
export function writeArp(out: Uint8Array, off: number, p: ArpPacket): void {
  put16(out, off, ARP_HTYPE_ETHERNET); // ar$hrd
  put16(out, off + 2, ETHERTYPE_IPV4); // ar$pro
  out[off + 4] = 6; // ar$hln
  out[off + 5] = 4; // ar$pln
  put16(out, off + 6, p.op); // ar$op
  writeMac(out, off + 8, p.senderMac); // ar$sha
  writeIPv4(out, off + 14, requireIPv4(p.senderIp)); // ar$spa
  writeMac(out, off + 18, p.targetMac); // ar$tha
  writeIPv4(out, off + 24, requireIPv4(p.targetIp)); // ar$tpa
}

/** The 28-byte ARP packet (unpadded; encodeEthernet pads the frame). */
export function encodeArp(p: ArpPacket): Uint8Array {
  const out = new Uint8Array(ARP_LEN);
  writeArp(out, 0, p);
  return out;
}

/** Reads an ARP packet; bytes past the 28th (Ethernet padding) are ignored. Throws WireError. */
export function decodeArp(b: Uint8Array): ArpPacket {
  if (b.length < ARP_LEN) throw new WireError(`ARP packet too short: ${b.length} bytes`);
  const htype = u16(b, 0);
  const ptype = u16(b, 2);
  if (htype !== ARP_HTYPE_ETHERNET || ptype !== ETHERTYPE_IPV4 || b[4] !== 6 || b[5] !== 4)
    throw new WireError(`ARP for hardware type ${htype} / protocol 0x${ptype.toString(16)} is not Ethernet/IPv4`);
  const op = u16(b, 6);
  if (op !== ARP_REQUEST && op !== ARP_REPLY) throw new WireError(`unknown ARP opcode ${op}`);
  return {
    op,
    senderMac: formatMac(b, 8),
    senderIp: formatIPv4(readIPv4(b, 14)),
    targetMac: formatMac(b, 18),
    targetIp: formatIPv4(readIPv4(b, 24)),
  };
}
