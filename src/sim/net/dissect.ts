/**
 * A Wireshark-like dissector for the "packet details" view: turns one Ethernet frame into a
 * tree of labelled fields, each with the byte range it covers (for highlighting in a hex dump),
 * plus Wireshark's Protocol and Info columns. Field names are Wireshark's display-filter names
 * ("tcp.srcport") and labels follow its wording (checked against tshark 4.0 in the tests).
 * It never throws: truncated, garbage or inconsistent input yields `problems`.
 * Covers Ethernet II, ARP, IPv4, ICMP (with the quoted datagram of errors), UDP, TCP and Data.
 * Pure: reads the bytes it is given; no DOM, no I/O, no clock.
 */
import { foldChecksum, sumRange, toHex } from './bytes.ts';
import { formatIPv4, formatMac, readIPv4 } from './addr.ts';

export interface Field {
  /** Stable key: Wireshark's field name, e.g. "tcp.srcport"; a layer uses its protocol's ("tcp"). */
  name: string;
  /** The line Wireshark shows, e.g. "Source Port: 40620". */
  label: string;
  /** Byte range within the frame. A length of 0 marks a value computed from others. */
  start: number;
  length: number;
  /** For bit fields: which bits of the big-endian bytes [start, start+length) this field is. */
  bitmask?: number;
  /** True for values Wireshark computes rather than reads (it shows them in [brackets]). */
  generated?: boolean;
  children?: Field[];
}

export interface Dissection {
  /** One per protocol: Ethernet II, then ARP or IPv4, then ICMP / TCP / UDP, then Data. */
  layers: Field[];
  /** Protocol column, e.g. "TCP". */
  protocol: string;
  /** Info column, e.g. "40620 → 8080 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128". */
  info: string;
  /** Malformed or truncated headers, bad checksums… Empty for a good frame. */
  problems: string[];
}

export interface DissectOptions {
  /**
   * Show TCP sequence numbers relative to the connection's initial ones, as Wireshark does:
   * `isn` is the ISN of this frame's sender, `peerIsn` that of its receiver (for Ack and SACK).
   */
  relativeSeq?: { isn: number; peerIsn?: number };
  /**
   * The window scale shift the connection negotiated for this frame's sender (RFC 7323 §2.3),
   * so the calculated window can be shown; null when the connection uses no scaling.
   */
  windowShift?: number | null;
}

// ---- helpers ---------------------------------------------------------------------------------

const u8 = (b: Uint8Array, o: number): number => b[o] ?? 0;
const u16 = (b: Uint8Array, o: number): number => (u8(b, o) << 8) | u8(b, o + 1);
const u32 = (b: Uint8Array, o: number): number =>
  ((u8(b, o) << 24) | (u8(b, o + 1) << 16) | (u8(b, o + 2) << 8) | u8(b, o + 3)) >>> 0;
const hex = (n: number, digits: number): string => '0x' + n.toString(16).padStart(digits, '0');
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function field(name: string, label: string, start: number, length: number, extra?: Partial<Field>): Field {
  return extra ? { name, label, start, length, ...extra } : { name, label, start, length };
}

function generated(name: string, label: string, start: number, length = 0): Field {
  return { name, label, start, length, generated: true };
}

/** Wireshark's bit picture of a field: "0100 ....", ".... ..1. .... ....", "...0 0000 0000 0000". */
export function bitPicture(value: number, mask: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    s += Math.floor(mask / bit) % 2 === 1 ? String(Math.floor(value / bit) % 2) : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s;
}

/** Bytes as Wireshark shows an FT_BYTES value: hex, cut after 36 bytes with an ellipsis. */
function shortHex(b: Uint8Array): string {
  return b.length > 36 ? toHex(b.subarray(0, 36)) + '…' : toHex(b);
}

function set(v: boolean): string {
  return v ? 'Set' : 'Not set';
}

function checksumLabel(prefix: string, value: number, computed: number | null, offloadHint: string): string {
  if (computed === null) return `${prefix}: ${hex(value, 4)} [unverified]`;
  if (computed === value) return `${prefix}: ${hex(value, 4)} [correct]`;
  return `${prefix}: ${hex(value, 4)} incorrect, should be ${hex(computed, 4)}${offloadHint}`;
}

/**
 * The value a checksum field should hold: the one's-complement sum of the region with the
 * field itself taken as zero (RFC 1071), from a sum over the region as received.
 */
function expectedChecksum(sumWithField: number, fieldValue: number): number {
  // Removing the field's word from the sum = adding its one's complement.
  return foldChecksum(sumWithField + (~fieldValue & 0xffff));
}

interface Ctx {
  frame: Uint8Array;
  opts: DissectOptions;
  layers: Field[];
  problems: string[];
  protocol: string;
  info: string;
}

// ---- Ethernet II (IEEE 802.3 §3.2.6) ------------------------------------------------------------

function macField(prefix: 'eth.dst' | 'eth.src', title: string, b: Uint8Array, off: number): Field {
  const first3 = (u8(b, off) << 16) | (u8(b, off + 1) << 8) | u8(b, off + 2);
  const lg = (first3 & 0x020000) !== 0;
  const ig = (first3 & 0x010000) !== 0;
  return field(prefix, `${title}: ${formatMac(b, off)}`, off, 6, {
    children: [
      field(
        `${prefix}.lg`,
        `${bitPicture(first3, 0x020000, 24)} = LG bit: ${lg ? 'Locally administered address (this is NOT the factory default)' : 'Globally unique address (factory default)'}`,
        off,
        3,
        { bitmask: 0x020000 },
      ),
      field(
        `${prefix}.ig`,
        `${bitPicture(first3, 0x010000, 24)} = IG bit: ${ig ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)'}`,
        off,
        3,
        { bitmask: 0x010000 },
      ),
    ],
  });
}

const ETHERTYPES: Record<number, string> = { 0x0800: 'IPv4', 0x0806: 'ARP', 0x86dd: 'IPv6', 0x8100: '802.1Q Virtual LAN' };

/** Adds padding (zeros up to the 60-byte minimum) and any trailer past `used` to the Ethernet layer. */
function ethernetTail(ctx: Ctx, eth: Field, used: number): void {
  const b = ctx.frame;
  if (used >= b.length) return;
  const padEnd = Math.min(b.length, Math.max(used, 60));
  if (padEnd > used) {
    const pad = b.subarray(used, padEnd);
    const zeros = pad.every((x) => x === 0);
    eth.children!.push(
      zeros
        ? field('eth.padding', `Padding: ${shortHex(pad)}`, used, pad.length)
        : field('eth.trailer', `Trailer: ${shortHex(pad)}`, used, pad.length),
    );
  }
  if (b.length > padEnd) eth.children!.push(field('eth.trailer', `Trailer: ${shortHex(b.subarray(padEnd))}`, padEnd, b.length - padEnd));
}

// ---- ARP (RFC 826) ---------------------------------------------------------------------------

function dissectArp(ctx: Ctx, off: number): number {
  const b = ctx.frame;
  const avail = b.length - off;
  ctx.protocol = 'ARP';
  const htype = u16(b, off);
  const ptype = u16(b, off + 2);
  const hlen = u8(b, off + 4);
  const plen = u8(b, off + 5);
  const op = u16(b, off + 6);
  const opName = op === 1 ? 'request' : op === 2 ? 'reply' : 'unknown';
  if (avail < 8) {
    ctx.layers.push(field('arp', 'Address Resolution Protocol', off, Math.max(avail, 0)));
    ctx.problems.push(`ARP packet truncated: ${avail} bytes, at least 8 needed`);
    ctx.info = 'Malformed ARP packet';
    return b.length;
  }
  const len = 8 + 2 * hlen + 2 * plen;
  const ethIpv4 = htype === 1 && ptype === 0x0800 && hlen === 6 && plen === 4;
  const children: Field[] = [
    field('arp.hw.type', `Hardware type: ${htype === 1 ? 'Ethernet' : 'Unknown'} (${htype})`, off, 2),
    field('arp.proto.type', `Protocol type: ${ptype === 0x0800 ? 'IPv4' : 'Unknown'} (${hex(ptype, 4)})`, off + 2, 2),
    field('arp.hw.size', `Hardware size: ${hlen}`, off + 4, 1),
    field('arp.proto.size', `Protocol size: ${plen}`, off + 5, 1),
    field('arp.opcode', `Opcode: ${opName} (${op})`, off + 6, 2),
  ];
  let title = `Address Resolution Protocol (${opName})`;
  if (!ethIpv4) {
    ctx.problems.push(`ARP for hardware type ${htype}, protocol ${hex(ptype, 4)} is not Ethernet/IPv4`);
    ctx.info = `ARP opcode ${op}`;
  } else if (avail < 28) {
    ctx.problems.push(`ARP packet truncated: ${avail} of 28 bytes`);
    ctx.info = 'Malformed ARP packet';
  } else {
    const sha = formatMac(b, off + 8);
    const spa = formatIPv4(readIPv4(b, off + 14));
    const tha = formatMac(b, off + 18);
    const tpa = formatIPv4(readIPv4(b, off + 24));
    children.push(
      field('arp.src.hw_mac', `Sender MAC address: ${sha}`, off + 8, 6),
      field('arp.src.proto_ipv4', `Sender IP address: ${spa}`, off + 14, 4),
      field('arp.dst.hw_mac', `Target MAC address: ${tha}`, off + 18, 6),
      field('arp.dst.proto_ipv4', `Target IP address: ${tpa}`, off + 24, 4),
    );
    if (op === 1 && spa === '0.0.0.0') {
      title = 'Address Resolution Protocol (ARP Probe)';
      ctx.info = `Who has ${tpa}? (ARP Probe)`;
    } else if (op === 1 && spa === tpa && tha === '00:00:00:00:00:00') {
      title = 'Address Resolution Protocol (ARP Announcement)';
      ctx.info = `ARP Announcement for ${spa}`;
    } else if (spa === tpa) {
      title = `Address Resolution Protocol (${opName}/gratuitous ARP)`;
      ctx.info = `Gratuitous ARP for ${spa} (${op === 1 ? 'Request' : 'Reply'})`;
    } else if (op === 1) {
      ctx.info = `Who has ${tpa}? Tell ${spa}`;
    } else if (op === 2) {
      ctx.info = `${spa} is at ${sha}`;
    } else {
      ctx.problems.push(`unknown ARP opcode ${op}`);
      ctx.info = `Unknown ARP opcode ${hex(op, 4)}`;
    }
  }
  ctx.layers.push(field('arp', title, off, Math.min(len, avail), { children }));
  return off + Math.min(len, avail);
}

// ---- IPv4 (RFC 791 §3.1) -----------------------------------------------------------------------

const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43',
  40: 'CS5', 44: 'VOICE-ADMIT', 46: 'EF PHB', 48: 'CS6', 56: 'CS7', 1: 'LE',
};
const DSCP_LONG: Record<number, string> = {
  0: 'Default', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice-Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7', 1: 'Lower Effort',
};
const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];
const ECN_LONG = [
  'Not ECN-Capable Transport',
  "ECN-Capable Transport codepoint '01'",
  "ECN-Capable Transport codepoint '10'",
  'Congestion Experienced',
];
const IP_PROTOCOLS: Record<number, string> = {
  1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 89: 'OSPF', 132: 'SCTP',
};

interface IpInfo {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  /** Where the IP payload starts and ends within the frame (end clipped to what was captured). */
  payloadStart: number;
  payloadEnd: number;
  /** The IP payload length the header announces (may exceed what was captured). */
  payloadLength: number;
  /** Frame offset just past the datagram as the header announces it (for Ethernet padding). */
  end: number;
  fragment: boolean;
  fragOffset: number;
  id: number;
}

/**
 * Dissects an IPv4 header at `off`. `quoted` is for the copy inside an ICMP error, which is
 * expected to be truncated. Returns the Field and what the next layer needs, or null when the
 * header is unusable (problems recorded).
 */
function dissectIpv4Header(ctx: Ctx, off: number, quoted: boolean): { layer: Field; ip: IpInfo | null } {
  const b = ctx.frame;
  const avail = b.length - off;
  const where = quoted ? 'IPv4 (in ICMP error)' : 'IPv4';
  if (avail < 20) {
    ctx.problems.push(`${where} header truncated: ${avail} of 20 bytes`);
    return { layer: field('ip', 'Internet Protocol Version 4', off, avail, { children: [] }), ip: null };
  }
  const v = u8(b, off) >> 4;
  const ihl = u8(b, off) & 0x0f;
  const hl = ihl * 4;
  const tos = u8(b, off + 1);
  const total = u16(b, off + 2);
  const id = u16(b, off + 4);
  const fl = u16(b, off + 6);
  const ttl = u8(b, off + 8);
  const proto = u8(b, off + 9);
  const cks = u16(b, off + 10);
  const src = readIPv4(b, off + 12);
  const dst = readIPv4(b, off + 16);
  const dscp = tos >> 2;
  const ecn = tos & 3;
  const flagBits = fl >> 13;
  const flagNames = [flagBits & 4 ? 'Reserved bit' : '', flagBits & 2 ? "Don't fragment" : '', flagBits & 1 ? 'More fragments' : '']
    .filter((x) => x !== '')
    .map((x) => ', ' + x)
    .join('');
  const fragOffset = (fl & 0x1fff) * 8;
  const protoName = IP_PROTOCOLS[proto] ?? 'Unknown';
  const title = `Internet Protocol Version 4, Src: ${formatIPv4(src)}, Dst: ${formatIPv4(dst)}`;
  const headerOk = v === 4 && hl >= 20;
  let computed: number | null = null;
  if (headerOk && hl <= avail) computed = expectedChecksum(sumRange(b, off, off + hl), cks);
  const children: Field[] = [
    field('ip.version', `${bitPicture(u8(b, off), 0xf0, 8)} = Version: ${v}`, off, 1, { bitmask: 0xf0 }),
    field('ip.hdr_len', `${bitPicture(u8(b, off), 0x0f, 8)} = Header Length: ${hl} bytes (${ihl})`, off, 1, { bitmask: 0x0f }),
    field('ip.dsfield', `Differentiated Services Field: ${hex(tos, 2)} (DSCP: ${DSCP_SHORT[dscp] ?? `Unknown (${dscp})`}, ECN: ${ECN_SHORT[ecn]})`, off + 1, 1, {
      children: [
        field('ip.dsfield.dscp', `${bitPicture(tos, 0xfc, 8)} = Differentiated Services Codepoint: ${DSCP_LONG[dscp] ?? 'Unknown'} (${dscp})`, off + 1, 1, { bitmask: 0xfc }),
        field('ip.dsfield.ecn', `${bitPicture(tos, 0x03, 8)} = Explicit Congestion Notification: ${ECN_LONG[ecn]} (${ecn})`, off + 1, 1, { bitmask: 0x03 }),
      ],
    }),
    field('ip.len', `Total Length: ${total}`, off + 2, 2),
    field('ip.id', `Identification: ${hex(id, 4)} (${id})`, off + 4, 2),
    field('ip.flags', `${bitPicture(u8(b, off + 6), 0xe0, 8)} = Flags: ${hex(flagBits, 1)}${flagNames}`, off + 6, 1, {
      bitmask: 0xe0,
      children: [
        field('ip.flags.rb', `${bitPicture(u8(b, off + 6), 0x80, 8)} = Reserved bit: ${set((flagBits & 4) !== 0)}`, off + 6, 1, { bitmask: 0x80 }),
        field('ip.flags.df', `${bitPicture(u8(b, off + 6), 0x40, 8)} = Don't fragment: ${set((flagBits & 2) !== 0)}`, off + 6, 1, { bitmask: 0x40 }),
        field('ip.flags.mf', `${bitPicture(u8(b, off + 6), 0x20, 8)} = More fragments: ${set((flagBits & 1) !== 0)}`, off + 6, 1, { bitmask: 0x20 }),
      ],
    }),
    field('ip.frag_offset', `${bitPicture(fl, 0x1fff, 16)} = Fragment Offset: ${fragOffset}`, off + 6, 2, { bitmask: 0x1fff }),
    field('ip.ttl', `Time to Live: ${ttl}`, off + 8, 1),
    field('ip.proto', `Protocol: ${protoName} (${proto})`, off + 9, 1),
    field('ip.checksum', checksumLabel('Header Checksum', cks, computed, '(may be caused by "IP checksum offload"?)'), off + 10, 2),
    generated('ip.checksum.status', `Header checksum status: ${computed === null ? 'Unverified' : computed === cks ? 'Good' : 'Bad'}`, off + 10),
  ];
  if (computed !== null) children.push(generated('ip.checksum_calculated', `Calculated Checksum: ${hex(computed, 4)}`, off + 10, 2));
  children.push(
    field('ip.src', `Source Address: ${formatIPv4(src)}`, off + 12, 4),
    field('ip.dst', `Destination Address: ${formatIPv4(dst)}`, off + 16, 4),
  );
  if (hl > 20 && hl <= avail) children.push(field('ip.options', `Options: (${hl - 20} bytes)`, off + 20, hl - 20));
  const layer = field('ip', title, off, Math.min(Math.max(hl, 20), avail), { children });

  if (v !== 4) {
    ctx.problems.push(`${where}: version ${v}, not 4`);
    return { layer, ip: null };
  }
  if (hl < 20) {
    ctx.problems.push(`${where}: bogus header length ${hl}, must be at least 20`);
    return { layer, ip: null };
  }
  if (hl > avail) {
    ctx.problems.push(`${where}: header length ${hl} exceeds the ${avail} bytes captured`);
    return { layer, ip: null };
  }
  if (total < hl) {
    ctx.problems.push(`${where}: bogus total length ${total}, less than the header length ${hl}`);
    return { layer, ip: null };
  }
  if (!quoted && total > avail) ctx.problems.push(`IPv4 total length ${total} exceeds the ${avail} bytes captured`);
  if (computed !== null && computed !== cks)
    ctx.problems.push(`${where} header checksum incorrect: ${hex(cks, 4)}, should be ${hex(computed, 4)}`);
  const payloadStart = off + hl;
  return {
    layer,
    ip: {
      src,
      dst,
      protocol: proto,
      ttl,
      payloadStart,
      payloadEnd: Math.min(off + total, b.length),
      payloadLength: total - hl,
      end: off + total,
      fragment: (flagBits & 1) !== 0 || fragOffset !== 0,
      fragOffset,
      id,
    },
  };
}

// ---- transport checksum ----------------------------------------------------------------------

/** Expected TCP/UDP checksum over pseudo-header + segment, or null when the segment is incomplete. */
function transportChecksum(ctx: Ctx, ip: IpInfo, start: number, length: number, fieldValue: number): number | null {
  if (start + length > ctx.frame.length) return null;
  const pseudo = (ip.src >>> 16) + (ip.src & 0xffff) + (ip.dst >>> 16) + (ip.dst & 0xffff) + ip.protocol + length;
  return expectedChecksum(sumRange(ctx.frame, start, start + length, pseudo), fieldValue);
}

function dataLayer(ctx: Ctx, start: number, end: number): void {
  const n = end - start;
  if (n <= 0) return;
  ctx.layers.push(
    field('data', `Data (${plural(n, 'byte', 'bytes')})`, start, n, {
      children: [
        field('data.data', `Data: ${shortHex(ctx.frame.subarray(start, end))}`, start, n),
        generated('data.len', `Length: ${n}`, start),
      ],
    }),
  );
}

// ---- UDP (RFC 768) ---------------------------------------------------------------------------

function dissectUdp(ctx: Ctx, ip: IpInfo, quoted: boolean): Field | null {
  const b = ctx.frame;
  const off = ip.payloadStart;
  const avail = ip.payloadEnd - off;
  const where = quoted ? 'UDP (in ICMP error)' : 'UDP';
  if (avail < 8) {
    if (!quoted || avail < 4) ctx.problems.push(`${where} header truncated: ${avail} of 8 bytes`);
    if (avail < 4) return null;
  }
  const sp = u16(b, off);
  const dp = u16(b, off + 2);
  const children: Field[] = [field('udp.srcport', `Source Port: ${sp}`, off, 2), field('udp.dstport', `Destination Port: ${dp}`, off + 2, 2)];
  const layer = field('udp', `User Datagram Protocol, Src Port: ${sp}, Dst Port: ${dp}`, off, Math.min(8, avail), { children });
  if (avail < 8) return layer;
  const len = u16(b, off + 4);
  const cks = u16(b, off + 6);
  children.push(field('udp.length', `Length: ${len}`, off + 4, 2));
  let lengthOk = len >= 8 && len <= ip.payloadLength;
  if (!lengthOk && !quoted)
    ctx.problems.push(
      len < 8 ? `UDP: bogus length ${len}, less than 8` : `UDP: length ${len} exceeds the IP payload length ${ip.payloadLength}`,
    );
  if (quoted) lengthOk = len >= 8;
  if (cks === 0) {
    children.push(
      field('udp.checksum', `Checksum: ${hex(0, 4)} [zero-value ignored]`, off + 6, 2, {
        children: [field('udp.checksum.status', 'Checksum Status: Not present', off + 6, 2, { generated: true })],
      }),
    );
  } else {
    const computed = lengthOk ? transportChecksum(ctx, ip, off, len, cks) : null;
    const ck = field('udp.checksum', checksumLabel('Checksum', cks, computed, ' (maybe caused by "UDP checksum offload"?)'), off + 6, 2);
    if (computed !== null) ck.children = [generated('udp.checksum_calculated', `Calculated Checksum: ${hex(computed, 4)}`, off + 6, 2)];
    children.push(ck, generated('udp.checksum.status', `Checksum Status: ${computed === null ? 'Unverified' : computed === cks ? 'Good' : 'Bad'}`, off + 6));
    if (computed !== null && computed !== cks) ctx.problems.push(`UDP checksum incorrect: ${hex(cks, 4)}, should be ${hex(computed, 4)}`);
  }
  const payloadEnd = Math.min(off + (lengthOk ? len : ip.payloadLength), ip.payloadEnd);
  const payloadLen = payloadEnd - (off + 8);
  if (payloadLen > 0) children.push(field('udp.payload', `UDP payload (${plural(payloadLen, 'byte', 'bytes')})`, off + 8, payloadLen));
  if (!quoted) {
    ctx.protocol = 'UDP';
    ctx.info = `${sp} → ${dp} Len=${lengthOk ? len - 8 : payloadLen}`;
  }
  return layer;
}

// ---- TCP (RFC 9293 §3.1, options per RFC 9293 §3.2, RFC 7323, RFC 2018) ----------------------

/** The 12 bits after the data offset, high to low: mask, filter name suffix, label. */
const FLAG_BITS: [number, string, string][] = [
  [0xe00, 'res', 'Reserved'], // RFC 9293 §3.1: 3 reserved bits…
  [0x100, 'ae', 'Accurate ECN'], // …and the 4th, now AE (RFC 9768)
  [0x080, 'cwr', 'Congestion Window Reduced'], // RFC 3168 §6.1
  [0x040, 'ece', 'ECN-Echo'],
  [0x020, 'urg', 'Urgent'],
  [0x010, 'ack', 'Acknowledgment'],
  [0x008, 'push', 'Push'],
  [0x004, 'reset', 'Reset'],
  [0x002, 'syn', 'Syn'],
  [0x001, 'fin', 'Fin'],
];
/** Wireshark's order for the flag names in the summary (FIN first) and its flag-picture letters. */
const FLAG_SUMMARY_ORDER: [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE'],
  [0xe00, 'Reserved'],
];
const FLAG_LETTERS = 'RRRACEUAPRSF';

/** "SYN, ACK" as Wireshark lists the flags set in a 12-bit flags value; "<None>" when none. */
function flagNames(f: number): string {
  const names = FLAG_SUMMARY_ORDER.filter(([bit]) => (f & bit) !== 0).map(([, n]) => n);
  return names.length === 0 ? '<None>' : names.join(', ');
}

interface TcpOptsOut {
  fields: Field[];
  summary: string[];
  info: string[];
}

function tcpOptions(ctx: Ctx, start: number, end: number, seqBase: number | null): TcpOptsOut {
  const b = ctx.frame;
  const out: TcpOptsOut = { fields: [], summary: [], info: [] };
  const kindField = (p: number, name: string, code: number) => field('tcp.option_kind', `Kind: ${name} (${code})`, p, 1);
  const lenField = (p: number, len: number) => field('tcp.option_len', `Length: ${len}`, p + 1, 1);
  let p = start;
  while (p < end) {
    const kind = u8(b, p);
    if (kind === 0) {
      // RFC 9293 §3.2: End of Option List; Wireshark shows each remaining zero as another EOL.
      out.fields.push(field('tcp.options.eol', 'TCP Option - End of Option List (EOL)', p, 1, { children: [kindField(p, 'End of Option List', 0)] }));
      out.summary.push('End of Option List (EOL)');
      p++;
      continue;
    }
    if (kind === 1) {
      out.fields.push(field('tcp.options.nop', 'TCP Option - No-Operation (NOP)', p, 1, { children: [kindField(p, 'No-Operation', 1)] }));
      out.summary.push('No-Operation (NOP)');
      p++;
      continue;
    }
    if (p + 1 >= end) {
      ctx.problems.push(`TCP option ${kind} at byte ${p} has no length byte`);
      break;
    }
    const len = u8(b, p + 1);
    if (len < 2 || p + len > end) {
      ctx.problems.push(`TCP option ${kind} at byte ${p} has bad length ${len}`);
      break;
    }
    if (kind === 2 && len === 4) {
      const mss = u16(b, p + 2);
      out.fields.push(
        field('tcp.options.mss', `TCP Option - Maximum segment size: ${mss} bytes`, p, 4, {
          children: [kindField(p, 'Maximum Segment Size', 2), lenField(p, len), field('tcp.options.mss_val', `MSS Value: ${mss}`, p + 2, 2)],
        }),
      );
      out.summary.push('Maximum segment size');
      out.info.push(`MSS=${mss}`);
    } else if (kind === 3 && len === 3) {
      const shift = u8(b, p + 2);
      const mult = 2 ** Math.min(shift, 14);
      out.fields.push(
        field('tcp.options.wscale', `TCP Option - Window scale: ${shift} (multiply by ${mult})`, p, 3, {
          children: [
            kindField(p, 'Window Scale', 3),
            lenField(p, len),
            field('tcp.options.wscale.shift', `Shift count: ${shift}`, p + 2, 1),
            generated('tcp.options.wscale.multiplier', `Multiplier: ${mult}`, p + 2, 1),
          ],
        }),
      );
      out.summary.push('Window scale');
      out.info.push(`WS=${mult}`);
    } else if (kind === 4 && len === 2) {
      out.fields.push(field('tcp.options.sack_perm', 'TCP Option - SACK permitted', p, 2, { children: [kindField(p, 'SACK Permitted', 4), lenField(p, len)] }));
      out.summary.push('SACK permitted');
      out.info.push('SACK_PERM');
    } else if (kind === 8 && len === 10) {
      const tsval = u32(b, p + 2);
      const tsecr = u32(b, p + 6);
      out.fields.push(
        field('tcp.options.timestamp', `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`, p, 10, {
          children: [
            kindField(p, 'Time Stamp Option', 8),
            lenField(p, len),
            field('tcp.options.timestamp.tsval', `Timestamp value: ${tsval}`, p + 2, 4),
            field('tcp.options.timestamp.tsecr', `Timestamp echo reply: ${tsecr}`, p + 6, 4),
          ],
        }),
      );
      out.summary.push('Timestamps');
      out.info.push(`TSval=${tsval}`, `TSecr=${tsecr}`);
    } else if (kind === 5 && len >= 10 && (len - 2) % 8 === 0) {
      const children: Field[] = [kindField(p, 'SACK', 5), lenField(p, len)];
      const edges: string[] = [];
      const rel = seqBase === null ? '' : ' (relative)';
      for (let q = p + 2; q < p + len; q += 8) {
        const le = seqBase === null ? u32(b, q) : (u32(b, q) - seqBase) >>> 0;
        const re = seqBase === null ? u32(b, q + 4) : (u32(b, q + 4) - seqBase) >>> 0;
        children.push(
          field('tcp.options.sack_le', `left edge = ${le}${rel}`, q, 4),
          field('tcp.options.sack_re', `right edge = ${re}${rel}`, q + 4, 4),
        );
        edges.push(`${le}-${re}`);
        out.info.push(`SLE=${le}`, `SRE=${re}`);
      }
      children.push(generated('tcp.options.sack.count', `TCP SACK Count: ${(len - 2) / 8}`, p));
      out.fields.push(field('tcp.options.sack', `TCP Option - SACK ${edges.join(' ')}`, p, len, { children }));
      out.summary.push('SACK');
    } else {
      out.fields.push(
        field('tcp.options.unknown', 'TCP Option - Unknown', p, len, {
          children: [kindField(p, 'Unknown', kind), lenField(p, len), field('tcp.options.unknown.payload', `Payload: ${shortHex(b.subarray(p + 2, p + len))}`, p + 2, len - 2)],
        }),
      );
      out.summary.push(`Unknown (${hex(kind, 2)})`);
    }
    p += len;
  }
  return out;
}

function dissectTcp(ctx: Ctx, ip: IpInfo, quoted: boolean): Field | null {
  const b = ctx.frame;
  const off = ip.payloadStart;
  const avail = ip.payloadEnd - off;
  const where = quoted ? 'TCP (in ICMP error)' : 'TCP';
  if (avail < 4) {
    ctx.problems.push(`${where} header truncated: ${avail} bytes`);
    return null;
  }
  const sp = u16(b, off);
  const dp = u16(b, off + 2);
  const children: Field[] = [field('tcp.srcport', `Source Port: ${sp}`, off, 2), field('tcp.dstport', `Destination Port: ${dp}`, off + 2, 2)];
  const layer = field('tcp', `Transmission Control Protocol, Src Port: ${sp}, Dst Port: ${dp}`, off, Math.min(20, avail), { children });
  if (avail < 20) {
    if (!quoted || avail < 8) ctx.problems.push(`${where} header truncated: ${avail} of 20 bytes`);
    if (avail >= 8) children.push(field('tcp.seq', `Sequence Number: ${u32(b, off + 4)}`, off + 4, 4));
    return layer;
  }
  const seq = u32(b, off + 4);
  const ack = u32(b, off + 8);
  const thl = (u8(b, off + 12) >> 4) * 4;
  const fl = u16(b, off + 12) & 0x0fff;
  const win = u16(b, off + 14);
  const cks = u16(b, off + 16);
  const urg = u16(b, off + 18);
  const isSyn = (fl & 0x002) !== 0;
  const isFin = (fl & 0x001) !== 0;
  const hasAck = (fl & 0x010) !== 0;
  const hlOk = thl >= 20 && thl <= avail;
  const segLen = hlOk ? ip.payloadLength - thl : 0;
  const rel = quoted ? undefined : ctx.opts.relativeSeq;
  const seqShown = rel ? (seq - rel.isn) >>> 0 : seq;
  const ackRel = rel?.peerIsn !== undefined && hasAck;
  const ackShown = ackRel ? (ack - rel!.peerIsn!) >>> 0 : ack;
  const relNote = '    (relative sequence number)';

  if (!quoted) children.push(generated('tcp.len', `TCP Segment Len: ${segLen}`, off));
  children.push(field('tcp.seq', `Sequence Number: ${seqShown}${rel ? relNote : ''}`, off + 4, 4));
  if (rel) children.push(field('tcp.seq_raw', `Sequence Number (raw): ${seq}`, off + 4, 4));
  if (!quoted) {
    const nxt = (seqShown + segLen + (isSyn ? 1 : 0) + (isFin ? 1 : 0)) >>> 0;
    children.push(generated('tcp.nxtseq', `Next Sequence Number: ${nxt}${rel ? relNote : ''}`, off));
  }
  children.push(
    field('tcp.ack', `Acknowledgment Number: ${ackShown}${ackRel ? '    (relative ack number)' : ''}`, off + 8, 4),
    field('tcp.ack_raw', `Acknowledgment number (raw): ${ack}`, off + 8, 4),
    field('tcp.hdr_len', `${bitPicture(u8(b, off + 12), 0xf0, 8)} = Header Length: ${thl} bytes (${thl / 4})`, off + 12, 1, { bitmask: 0xf0 }),
  );
  const flagChildren: Field[] = FLAG_BITS.map(([bit, key, label]) => {
    const isHigh = bit > 0x0ff;
    const byteMask = isHigh ? bit >> 8 : bit;
    return field(`tcp.flags.${key}`, `${bitPicture(fl, bit, 12)} = ${label}: ${set((fl & bit) !== 0)}`, isHigh ? off + 12 : off + 13, 1, {
      bitmask: byteMask,
    });
  });
  let str = '';
  for (let i = 0; i < 12; i++) str += (fl >> (11 - i)) & 1 ? FLAG_LETTERS[i]! : '·';
  flagChildren.push(generated('tcp.flags.str', `TCP Flags: ${str}`, off + 12, 2));
  children.push(field('tcp.flags', `Flags: ${hex(fl, 3)} (${flagNames(fl)})`, off + 12, 2, { bitmask: 0x0fff, children: flagChildren }));

  const shift = quoted ? undefined : ctx.opts.windowShift;
  let calcWin = win;
  children.push(field('tcp.window_size_value', `Window: ${win}`, off + 14, 2));
  if (isSyn) {
    children.push(generated('tcp.window_size', `Calculated window size: ${win}`, off + 14, 2));
  } else if (typeof shift === 'number') {
    calcWin = win * 2 ** shift;
    children.push(
      generated('tcp.window_size', `Calculated window size: ${calcWin}`, off + 14, 2),
      generated('tcp.window_size_scalefactor', `Window size scaling factor: ${2 ** shift}`, off + 14, 2),
    );
  } else {
    children.push(
      generated('tcp.window_size', `Calculated window size: ${win}`, off + 14, 2),
      generated('tcp.window_size_scalefactor', `Window size scaling factor: ${shift === null ? '-2 (no window scaling used)' : '-1 (unknown)'}`, off + 14, 2),
    );
  }

  const complete = hlOk && ip.payloadStart + ip.payloadLength <= b.length;
  const computed = complete ? transportChecksum(ctx, ip, off, ip.payloadLength, cks) : null;
  children.push(
    field('tcp.checksum', checksumLabel('Checksum', cks, computed, '(maybe caused by "TCP checksum offload"?)'), off + 16, 2),
    generated('tcp.checksum.status', `Checksum Status: ${computed === null ? 'Unverified' : computed === cks ? 'Good' : 'Bad'}`, off + 16),
  );
  if (computed !== null) children.push(generated('tcp.checksum_calculated', `Calculated Checksum: ${hex(computed, 4)}`, off + 16, 2));
  if (computed !== null && computed !== cks) ctx.problems.push(`${where} checksum incorrect: ${hex(cks, 4)}, should be ${hex(computed, 4)}`);
  children.push(field('tcp.urgent_pointer', `Urgent Pointer: ${urg}`, off + 18, 2));

  let optInfo: string[] = [];
  if (!hlOk) {
    ctx.problems.push(
      thl < 20 ? `${where}: bogus header length ${thl}, must be at least 20` : `${where}: header length ${thl} exceeds the ${avail} bytes captured`,
    );
  } else {
    layer.length = thl;
    if (thl > 20) {
      const seqBase = rel?.peerIsn ?? null;
      const o = tcpOptions(ctx, off + 20, off + thl, quoted ? null : seqBase);
      children.push(field('tcp.options', `Options: (${thl - 20} bytes), ${o.summary.join(', ')}`, off + 20, thl - 20, { children: o.fields }));
      optInfo = o.info;
    }
    const payloadLen = ip.payloadEnd - (off + thl);
    if (payloadLen > 0) children.push(field('tcp.payload', `TCP payload (${plural(payloadLen, 'byte', 'bytes')})`, off + thl, payloadLen));
  }

  layer.label =
    `Transmission Control Protocol, Src Port: ${sp}, Dst Port: ${dp}, Seq: ${seqShown}` +
    (hasAck ? `, Ack: ${ackShown}` : '') +
    (quoted ? '' : `, Len: ${segLen}`);
  if (!quoted) {
    ctx.protocol = 'TCP';
    ctx.info =
      `${sp} → ${dp} [${flagNames(fl)}] Seq=${seqShown}` +
      (hasAck ? ` Ack=${ackShown}` : '') +
      ` Win=${calcWin}` +
      ((fl & 0x020) !== 0 ? ` Urg=${urg}` : '') +
      ` Len=${segLen}` +
      optInfo.map((s) => ' ' + s).join('');
  }
  return layer;
}

// ---- ICMP (RFC 792) --------------------------------------------------------------------------

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
};
const UNREACH_CODES = [
  'Network unreachable',
  'Host unreachable',
  'Protocol unreachable',
  'Port unreachable',
  'Fragmentation needed',
  'Source route failed',
  'Destination network unknown',
  'Destination host unknown',
  'Source host isolated',
  'Network administratively prohibited',
  'Host administratively prohibited',
  'Network unreachable for TOS',
  'Host unreachable for TOS',
  'Communication administratively filtered',
  'Host precedence violation',
  'Precedence cutoff in effect',
];
const ICMP_CODES: Record<number, readonly string[]> = {
  3: UNREACH_CODES,
  5: ['Redirect for network', 'Redirect for host', 'Redirect for TOS and network', 'Redirect for TOS and host'],
  11: ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'],
  12: ['Pointer indicates the error', 'Required option missing', 'Bad length'],
};
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

function dissectIcmp(ctx: Ctx, ip: IpInfo): void {
  const b = ctx.frame;
  const off = ip.payloadStart;
  const end = ip.payloadEnd;
  const avail = end - off;
  ctx.protocol = 'ICMP';
  if (avail < 4) {
    ctx.problems.push(`ICMP message truncated: ${avail} bytes`);
    ctx.layers.push(field('icmp', 'Internet Control Message Protocol', off, Math.max(avail, 0)));
    ctx.info = 'Malformed ICMP message';
    return;
  }
  const type = u8(b, off);
  const code = u8(b, off + 1);
  const cks = u16(b, off + 2);
  const typeName = ICMP_TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const codeName = ICMP_CODES[type]?.[code];
  const complete = ip.payloadStart + ip.payloadLength <= b.length;
  const computed = complete ? expectedChecksum(sumRange(b, off, off + ip.payloadLength), cks) : null;
  const children: Field[] = [
    field('icmp.type', `Type: ${type} (${typeName})`, off, 1),
    field('icmp.code', `Code: ${code}${codeName ? ` (${codeName})` : ''}`, off + 1, 1),
    field('icmp.checksum', checksumLabel('Checksum', cks, computed, ''), off + 2, 2),
    generated('icmp.checksum.status', `Checksum Status: ${computed === null ? 'Unverified' : computed === cks ? 'Good' : 'Bad'}`, off + 2),
  ];
  if (computed !== null && computed !== cks) ctx.problems.push(`ICMP checksum incorrect: ${hex(cks, 4)}, should be ${hex(computed, 4)}`);
  const layer = field('icmp', 'Internet Control Message Protocol', off, avail, { children });
  ctx.layers.push(layer);
  ctx.info = codeName && ICMP_ERRORS.has(type) ? `${typeName} (${codeName})` : typeName;
  if (avail < 8) {
    ctx.problems.push(`ICMP message truncated: ${avail} of 8 bytes`);
    return;
  }
  if (type === 0 || type === 8) {
    const id = u16(b, off + 4);
    const seq = u16(b, off + 6);
    const le = (v: number) => ((v & 0xff) << 8) | (v >> 8);
    children.push(
      field('icmp.ident', `Identifier (BE): ${id} (${hex(id, 4)})`, off + 4, 2),
      field('icmp.ident_le', `Identifier (LE): ${le(id)} (${hex(le(id), 4)})`, off + 4, 2),
      field('icmp.seq', `Sequence Number (BE): ${seq} (${hex(seq, 4)})`, off + 6, 2),
      field('icmp.seq_le', `Sequence Number (LE): ${le(seq)} (${hex(le(seq), 4)})`, off + 6, 2),
    );
    ctx.info = `${typeName.padEnd(20)} id=${hex(id, 4)}, seq=${seq}/${le(seq)}, ttl=${ip.ttl}`;
    dataLayer(ctx, off + 8, end);
    return;
  }
  if (!ICMP_ERRORS.has(type)) {
    dataLayer(ctx, off + 8, end);
    return;
  }
  if (type === 3 && code === 4) {
    children.push(field('icmp.unused', `Unused: ${toHex(b.subarray(off + 4, off + 6))}`, off + 4, 2));
    children.push(field('icmp.mtu', `MTU of next hop: ${u16(b, off + 6)}`, off + 6, 2));
  } else if (type === 5) {
    children.push(field('icmp.redir_gw', `Gateway Address: ${formatIPv4(readIPv4(b, off + 4))}`, off + 4, 4));
  } else if (type === 12) {
    children.push(field('icmp.pointer', `Pointer: ${u8(b, off + 4)}`, off + 4, 1));
    children.push(field('icmp.unused', `Unused: ${toHex(b.subarray(off + 5, off + 8))}`, off + 5, 3));
  } else {
    children.push(field('icmp.unused', `Unused: ${toHex(b.subarray(off + 4, off + 8))}`, off + 4, 4));
  }
  // RFC 792: the data is the original datagram's IP header and (at least) 8 bytes of its data.
  const quote = off + 8;
  if (end - quote <= 0) return;
  const sub: Ctx = { ...ctx, frame: b.subarray(0, end) };
  const inner = dissectIpv4Header(sub, quote, true);
  children.push(inner.layer);
  const qip = inner.ip;
  if (!qip || qip.fragOffset !== 0) {
    dataLayer(ctx, quote + inner.layer.length, end);
    return;
  }
  if (qip.protocol === 17) {
    const udp = dissectUdp(sub, qip, true);
    if (udp) children.push(udp);
    dataLayer(ctx, qip.payloadStart + 8, qip.payloadEnd);
  } else if (qip.protocol === 6) {
    const tcp = dissectTcp(sub, qip, true);
    if (tcp) children.push(tcp);
  } else {
    dataLayer(ctx, qip.payloadStart, qip.payloadEnd);
  }
}

// ---- the frame -------------------------------------------------------------------------------

function dissectFrame(ctx: Ctx): void {
  const b = ctx.frame;
  if (b.length < 14) {
    ctx.layers.push(field('eth', 'Ethernet II', 0, b.length, { children: [] }));
    ctx.problems.push(`frame too short for an Ethernet header: ${b.length} of 14 bytes`);
    ctx.protocol = 'Ethernet';
    ctx.info = 'Malformed frame';
    return;
  }
  const type = u16(b, 12);
  const eth = field('eth', `Ethernet II, Src: ${formatMac(b, 6)}, Dst: ${formatMac(b, 0)}`, 0, 14, {
    children: [
      macField('eth.dst', 'Destination', b, 0),
      macField('eth.src', 'Source', b, 6),
      field('eth.type', `Type: ${ETHERTYPES[type] ?? 'Unknown'} (${hex(type, 4)})`, 12, 2),
    ],
  });
  ctx.layers.push(eth);
  ctx.protocol = 'Ethernet';
  if (type === 0x0806) {
    const used = dissectArp(ctx, 14);
    ethernetTail(ctx, eth, Math.min(used, 14 + 28));
    return;
  }
  if (type !== 0x0800) {
    if (type < 0x0600) ctx.problems.push(`IEEE 802.3 length field ${type}, not an Ethernet II type`);
    ctx.info = `Ethernet II, type ${hex(type, 4)}`;
    dataLayer(ctx, 14, b.length);
    return;
  }
  ctx.protocol = 'IPv4';
  const { layer, ip } = dissectIpv4Header(ctx, 14, false);
  ctx.layers.push(layer);
  if (!ip) {
    ctx.info = 'Malformed IPv4 packet';
    return;
  }
  ethernetTail(ctx, eth, ip.end);
  const protoName = IP_PROTOCOLS[ip.protocol] ?? 'Unknown';
  if (ip.fragment) {
    ctx.info = `Fragmented IP protocol (proto=${protoName} ${ip.protocol}, off=${ip.fragOffset}, ID=${ip.id.toString(16).padStart(4, '0')})`;
    dataLayer(ctx, ip.payloadStart, ip.payloadEnd);
    return;
  }
  ctx.info = `IPv4 protocol ${protoName} (${ip.protocol})`;
  if (ip.protocol === 1) {
    dissectIcmp(ctx, ip);
  } else if (ip.protocol === 6) {
    const tcp = dissectTcp(ctx, ip, false);
    if (tcp) {
      ctx.layers.push(tcp);
      dataLayer(ctx, tcp.start + tcp.length, ip.payloadEnd);
    }
  } else if (ip.protocol === 17) {
    const udp = dissectUdp(ctx, ip, false);
    if (udp) {
      ctx.layers.push(udp);
      if (udp.length === 8) {
        const len = u16(b, ip.payloadStart + 4);
        const end = len >= 8 && len <= ip.payloadLength ? Math.min(ip.payloadStart + len, ip.payloadEnd) : ip.payloadEnd;
        dataLayer(ctx, ip.payloadStart + 8, end);
      }
    }
  } else {
    dataLayer(ctx, ip.payloadStart, ip.payloadEnd);
  }
}

/**
 * Dissects one Ethernet frame (as on the wire / in pcap: no preamble, no FCS). Never throws.
 * Without `opts.relativeSeq`, TCP sequence numbers are shown as on the wire.
 */
export function dissect(frame: Uint8Array, opts: DissectOptions = {}): Dissection {
  const ctx: Ctx = { frame, opts, layers: [], problems: [], protocol: 'Ethernet', info: '' };
  try {
    dissectFrame(ctx);
  } catch (e) {
    // Defensive: every read above is bounds-checked, so this is a dissector bug, not bad input.
    ctx.problems.push(`dissector error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { layers: ctx.layers, protocol: ctx.protocol, info: ctx.info, problems: ctx.problems };
}
