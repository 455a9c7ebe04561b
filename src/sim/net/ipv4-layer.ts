/**
 * The IPv4 layer of one host (RFC 791, RFC 1122 §3.3): routing, output with fragmentation,
 * input with reassembly, loopback, and ICMP (RFC 792): echo, and destination-unreachable
 * errors delivered to the transport that caused them. Pure: schedules on the kernel.
 *
 * Linux behaviour followed: TTL 64 (ip_default_ttl); DF set when the datagram fits the path MTU
 * (IP_PMTUDISC_WANT, the default for TCP and UDP); a datagram larger than the MTU is fragmented
 * locally into 8-byte-aligned pieces without DF (ip_fragment). Hosts do not forward.
 * Identification (ip_select_ident_segs): a connected socket counts from a random start; an
 * unconnected DF datagram carries 0; anything else gets a hashed (here: seeded random) value.
 */
import type { Sim } from '../kernel.ts';
import type { DropEvent, LayerEvent } from '../trace.ts';
import { BROADCAST_MAC, formatIPv4, readIPv4 } from './addr.ts';
import { u16, WireError } from './bytes.ts';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETH_HEADER_LEN, ethernetFrameLength, writeEthernetHeader, writeEthernetHeaderBytes } from './wire/ethernet.ts';
import {
  IPV4_HEADER_LEN,
  IPV4_MAX_LEN,
  PROTO_ICMP,
  PROTO_TCP,
  PROTO_UDP,
  ipv4ChecksumOk,
  ipv4FlagsField,
  ipv4Problem,
  writeIpv4BasicHeader,
  writeIpv4Header,
} from './wire/ipv4.ts';
import { FrameMemory, TRANSPORT_HEADROOM, frameLength, pushHeader } from './headroom.ts';
import { InPacket, OutPacket, type UnreachableListener } from './packet.ts';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  decodeIcmp,
  echoRequest,
  echoId,
  echoSeq,
  echoReply,
  icmpErrorTos,
  writeIcmp,
  type IcmpMessage,
  ICMP_HEADER_LEN,
} from './wire/icmp.ts';
import type { Nic } from './nic.ts';
import type { NeighbourTable } from './neighbour.ts';
import type { Rng } from '../rng.ts';

export const DEFAULT_TTL = 64;
const LOOPBACK_MTU = 65536;
/** net.ipv4.ipfrag_time: 30 s to collect all fragments. */
const IPFRAG_TIME_US = 30_000_000;

export interface Route {
  /** 'local': the destination is this host (loopback path). */
  kind: 'local' | 'link';
  nic?: Nic;
  /** Preferred source address for this destination. */
  src: number;
  mtu: number;
}

export interface IpSendOptions {
  /** Identification; omitted = chosen as Linux does for an unconnected socket. */
  id?: number;
  ttl?: number;
  tos?: number;
  /** Allow fragmentation (false for TCP, which always fits the MSS). */
  allowFragment?: boolean;
  /** Called when the next hop cannot be resolved (ARP failed): "No route to host". */
  onUnreachable?: () => void;
}

/** What a transport protocol gets from the IP layer. */
export interface TransportHandler {
  input(src: number, dst: number, segment: Uint8Array, pkt: number, ipPacket: Uint8Array): void;
  /** An ICMP error quoting one of our packets (`inner` = the quoted IP packet). */
  icmpError(type: number, code: number, inner: Uint8Array): void;
}

interface Reassembly {
  parts: { offset: number; data: Uint8Array; last: boolean }[];
  timer: unknown;
  pkt: number;
}

export class Ipv4Layer {
  transports = new Map<number, TransportHandler>();
  /** Echo requests waiting for their reply, by ICMP identifier. */
  readonly pingers = new Map<number, (seq: number, from: number) => void>();
  private readonly reassembly = new Map<string, Reassembly>();
  /** The route out of each interface (routes are read-only, so one object serves every lookup). */
  private readonly nicRoutes: Route[];
  /** Where this host's frames are built (headroom.ts). */
  private readonly frames = new FrameMemory();

  constructor(
    private readonly sim: Sim,
    private readonly host: string,
    private readonly nics: readonly Nic[],
    private readonly neighbours: NeighbourTable,
    private readonly layerDelay: number,
    private readonly rng: Rng,
  ) {
    this.nicRoutes = nics.map((n) => Object.freeze({ kind: 'link' as const, nic: n, src: n.ipNum, mtu: n.mtu }));
  }

  /** Is `ip` one of this host's addresses (any interface, or 127.0.0.0/8)? */
  isLocal(ip: number): boolean {
    if (ip >>> 24 === 127) return true;
    for (const n of this.nics) if (n.ipNum === ip) return true;
    return false;
  }

  /** The route to `dst`, or null when there is none ("Network is unreachable"). */
  route(dst: number): Route | null {
    if (this.isLocal(dst)) {
      return { kind: 'local', src: dst >>> 24 === 127 ? dst : dst, mtu: LOOPBACK_MTU };
    }
    for (let i = 0; i < this.nics.length; i++) {
      const n = this.nics[i]!;
      if (((n.ipNum ^ dst) & n.maskNum) === 0 || dst === 0xffffffff) return this.nicRoutes[i]!;
    }
    return null;
  }

  /**
   * The memory of a frame for a transport PDU of `len` bytes (headroom.ts): a transport writes
   * its PDU at TRANSPORT_HEADROOM and hands an OutPacket with it to send().
   */
  allocFrame(len: number): Uint8Array {
    return this.frames.frame(len);
  }

  /** A zeroed transport PDU of `len` bytes with room for the IPv4 and Ethernet headers in front (headroom.ts), for output(). */
  allocTransport(len: number): Uint8Array {
    return this.frames.transport(len);
  }

  /** Randomised identification for datagrams that are neither connected nor DF (__ip_select_ident). */
  hashedId(): number {
    return this.rng.int(0x10000);
  }

  /**
   * Send `payload` (a transport PDU) from `src` to `dst`: send() for a PDU given on its own.
   * `payload` should come from allocTransport: the headers are then written in front of it, in
   * the same memory. Any other PDU must start at offset 0 of its own buffer; it is copied.
   */
  output(pkt: number, protocol: number, src: number, dst: number, payload: Uint8Array, opts: IpSendOptions = {}): void {
    const len = payload.length;
    const frame = pushHeader(payload, TRANSPORT_HEADROOM, frameLength(len)) ?? this.frames.frameWith(payload);
    const unreachable = opts.onUnreachable ? { onUnreachable: opts.onUnreachable } : undefined;
    this.send(new OutPacket(pkt, frame, len, protocol, src, dst, opts.id, opts.allowFragment !== false, opts.ttl ?? DEFAULT_TTL, opts.tos ?? 0, unreachable));
  }

  /**
   * A transport's packet (ip_queue_xmit): route it, write the IPv4 header in front of the
   * transport PDU, record the internet-layer step now and hand the packet to the link layer one
   * layer-delay later. Too big for the route's MTU, it is fragmented (unless it may not be).
   */
  readonly send = (p: OutPacket): void => {
    const route = this.route(p.dst);
    if (!route) return;
    const total = IPV4_HEADER_LEN + p.transportLength;
    const fits = total <= route.mtu;
    const df = fits; // IP_PMTUDISC_WANT: DF when it fits, fragment locally when it does not.
    const id = p.id ?? (df ? 0 : this.hashedId());
    if (fits || !p.allowFragment) {
      if (total > IPV4_MAX_LEN) throw new WireError(`IPv4 datagram too long: ${total} bytes`);
      writeIpv4BasicHeader(p.frame, ETH_HEADER_LEN, p.tos, id, ipv4FlagsField(df, false, 0), p.ttl, p.protocol, p.src, p.dst, p.transportLength);
      this.recordLayer(p.pkt, 'down', total);
      p.route = route;
      this.sim.after(this.layerDelay, this.linkOutputPacket, p);
      return;
    }
    // ip_fragment: pieces of (mtu - 20) rounded down to 8 bytes, all but the last with MF.
    const payload = p.frame.subarray(TRANSPORT_HEADROOM, TRANSPORT_HEADROOM + p.transportLength);
    const srcS = formatIPv4(p.src);
    const dstS = formatIPv4(p.dst);
    const { tos, ttl, protocol, dst } = p;
    const step = (route.mtu - IPV4_HEADER_LEN) & ~7;
    for (let off = 0; off < payload.length; off += step) {
      const chunk = payload.subarray(off, Math.min(payload.length, off + step));
      const last = off + step >= payload.length;
      const fragPkt = off === 0 ? p.pkt : this.sim.newPacketId();
      const packet = new Uint8Array(IPV4_HEADER_LEN + chunk.length);
      writeIpv4Header(packet, 0, { tos, id, df: false, mf: !last, fragOffset: off, ttl, protocol, src: srcS, dst: dstS }, chunk.length);
      packet.set(chunk, IPV4_HEADER_LEN);
      this.recordLayer(fragPkt, 'down', packet.length);
      this.sim.after(this.layerDelay, () => this.linkOutput(route, dst, packet, fragPkt, p.unreachable));
    }
  };

  private recordLayer(pkt: number, dir: 'down' | 'up', len: number): void {
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir, layer: 'internet', pdu: 'packet', proto: 'ipv4', len });
  }

  /** The link layer's step for a packet from send(): its frame goes out at once to a resolved neighbour. */
  private readonly linkOutputPacket = (p: OutPacket): void => {
    const route = p.route!;
    if (route.kind === 'link' && p.dst !== 0xffffffff) {
      // A resolved neighbour: what resolve() in linkOutput would do, without parsing MAC strings.
      const mac = this.neighbours.resolvedMac(p.dst);
      if (mac) {
        writeEthernetHeaderBytes(p.frame, 0, mac, route.nic!.macBytes, ETHERTYPE_IPV4);
        this.transmit(route.nic!, p.frame, p.pkt);
        return;
      }
    }
    const packet = p.frame.subarray(ETH_HEADER_LEN, TRANSPORT_HEADROOM + p.transportLength);
    this.linkOutput(route, p.dst, packet, p.pkt, p.unreachable);
  };

  private linkOutput(route: Route, dst: number, packet: Uint8Array, pkt: number, unreachable?: UnreachableListener): void {
    if (route.kind === 'local') {
      // The loopback device: no wire, no ARP; Linux's lo carries the packet straight back up.
      this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'down', layer: 'link', pdu: 'frame', proto: 'loopback', len: packet.length + 14, iface: 'lo' });
      this.sim.after(this.layerDelay, () => {
        this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'up', layer: 'link', pdu: 'frame', proto: 'loopback', len: packet.length + 14, iface: 'lo' });
        this.sim.after(this.layerDelay, this.receive, new InPacket(pkt, packet));
      });
      return;
    }
    const nic = route.nic!;
    const send = (mac: string): void => {
      const frame = this.frameAround(packet);
      writeEthernetHeader(frame, 0, { dst: mac, src: nic.mac, etherType: ETHERTYPE_IPV4 });
      this.transmit(nic, frame, pkt);
    };
    // Linux's local table has a broadcast route for 255.255.255.255 and for each subnet's
    // directed broadcast address (ip route show table local): the frame goes to the Ethernet
    // broadcast address, with no ARP.
    if (this.isBroadcast(dst)) {
      this.loopBackBroadcast(nic, packet);
      send(BROADCAST_MAC);
      return;
    }
    this.neighbours.resolve(nic, dst, {
      send,
      fail: () => {
        this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'neighbour unreachable (ARP failed)' });
        unreachable?.onUnreachable();
      },
    });
  }

  /**
   * ip_mc_output: a clone of every broadcast is looped back to this host (dev_loopback_xmit),
   * so a socket here bound to the port receives its own host's broadcast too. The copy is a
   * packet of its own, down and up this host's link layer, never on the wire.
   */
  private loopBackBroadcast(nic: Nic, packet: Uint8Array): void {
    const copy = packet.slice();
    const pkt = this.sim.newPacketId();
    const len = copy.length + ETH_HEADER_LEN;
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'down', layer: 'link', pdu: 'frame', proto: 'loopback', len, iface: nic.iface });
    this.sim.after(this.layerDelay, () => {
      this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'up', layer: 'link', pdu: 'frame', proto: 'loopback', len, iface: nic.iface });
      this.sim.after(this.layerDelay, this.receive, new InPacket(pkt, copy));
    });
  }

  /** The Ethernet frame (padded to 60 bytes) around `packet`: in the packet's own memory when there is room in front, else a copy. */
  private frameAround(packet: Uint8Array): Uint8Array {
    const len = ethernetFrameLength(packet.length);
    const frame = pushHeader(packet, ETH_HEADER_LEN, len);
    if (frame) return frame;
    const copy = new Uint8Array(len);
    copy.set(packet, ETH_HEADER_LEN);
    return copy;
  }

  private transmit(nic: Nic, frame: Uint8Array, pkt: number): void {
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'down', layer: 'link', pdu: 'frame', proto: 'ethernet', len: frame.length, iface: nic.iface });
    nic.transmit(frame, pkt);
  }

  /** A frame arrived on `nic` (the link layer's input). */
  linkInput(nic: Nic, frame: Uint8Array, pkt: number): void {
    if (frame.length < 14) return;
    const broadcast = frame[0] === 0xff && frame[1] === 0xff && frame[2] === 0xff && frame[3] === 0xff && frame[4] === 0xff && frame[5] === 0xff;
    if (!broadcast && !macEquals(frame, nic.macBytes)) return; // not for us: the NIC filters it out
    const etherType = (frame[12]! << 8) | frame[13]!;
    if (etherType === ETHERTYPE_ARP) {
      this.neighbours.input(nic, frame.subarray(14), pkt);
      return;
    }
    if (etherType !== ETHERTYPE_IPV4) return;
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'up', layer: 'link', pdu: 'frame', proto: 'ethernet', len: frame.length, iface: nic.iface });
    this.sim.after(this.layerDelay, this.receive, new InPacket(pkt, frame.subarray(14)));
  }

  /** ip_rcv: an IPv4 packet (possibly with link padding) arrived. */
  input(raw: Uint8Array, pkt: number): void {
    this.receive(new InPacket(pkt, raw));
  }

  private readonly receive = (p: InPacket): void => {
    const { raw, pkt } = p;
    if (ipv4Problem(raw) !== undefined) {
      this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'malformed IPv4 header' });
      return;
    }
    if (!ipv4ChecksumOk(raw)) {
      this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'bad IPv4 header checksum' });
      return;
    }
    const dst = readIPv4(raw, 16);
    const src = readIPv4(raw, 12);
    if (!this.isLocal(dst) && !this.isBroadcast(dst)) {
      this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'not addressed to this host (hosts do not forward)' });
      return;
    }
    const hl = (raw[0]! & 0x0f) * 4;
    const totalLength = u16(raw, 2);
    const packet = totalLength === raw.length ? raw : raw.subarray(0, totalLength);
    const payload = packet.subarray(hl);
    const protocol = raw[9]!;
    this.recordLayer(pkt, 'up', packet.length);
    const frag = u16(raw, 6);
    const mf = (frag & 0x2000) !== 0;
    const fragOffset = (frag & 0x1fff) * 8;
    if (mf || fragOffset > 0) {
      this.reassemble(src, dst, protocol, u16(raw, 4), fragOffset, !mf, payload, packet, pkt);
      return;
    }
    p.protocol = protocol;
    p.src = src;
    p.dst = dst;
    p.packet = packet;
    p.payload = payload;
    this.sim.after(this.layerDelay, this.deliverPacket, p);
  };

  private readonly deliverPacket = (p: InPacket): void => {
    this.deliver(p.protocol, p.src, p.dst, p.payload, p.pkt, p.packet);
  };

  /**
   * Does `ip` have a broadcast route here (RTN_BROADCAST in Linux's local table): 255.255.255.255
   * or the directed broadcast address of one of this host's subnets (host bits all one)?
   */
  isBroadcast(ip: number): boolean {
    return ip === 0xffffffff || this.isSubnetBroadcast(ip);
  }

  private isSubnetBroadcast(ip: number): boolean {
    for (const n of this.nics) if ((ip | n.maskNum) >>> 0 === 0xffffffff && ((ip ^ n.ipNum) & n.maskNum) === 0) return true;
    return false;
  }

  private reassemble(src: number, dst: number, proto: number, id: number, offset: number, last: boolean, data: Uint8Array, packet: Uint8Array, pkt: number): void {
    const key = `${src}/${dst}/${proto}/${id}`;
    let r = this.reassembly.get(key);
    if (!r) {
      r = {
        parts: [],
        pkt,
        timer: this.sim.after(IPFRAG_TIME_US, () => {
          this.reassembly.delete(key);
          this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'fragment reassembly timed out' });
        }),
      };
      this.reassembly.set(key, r);
    }
    if (offset === 0) r.pkt = pkt;
    if (!r.parts.some((p) => p.offset === offset)) r.parts.push({ offset, data: data.slice(), last });
    const parts = [...r.parts].sort((a, b) => a.offset - b.offset);
    let next = 0;
    for (const p of parts) {
      if (p.offset !== next) return;
      next += p.data.length;
      if (p.last) {
        this.sim.cancel(r.timer as never);
        this.reassembly.delete(key);
        const whole = new Uint8Array(next);
        for (const q of parts) whole.set(q.data, q.offset);
        const headerCopy = new Uint8Array(IPV4_HEADER_LEN + whole.length);
        headerCopy.set(packet.subarray(0, IPV4_HEADER_LEN));
        headerCopy.set(whole, IPV4_HEADER_LEN);
        const firstPkt = r.pkt;
        this.sim.after(this.layerDelay, () => this.deliver(proto, src, dst, whole, firstPkt, headerCopy));
        return;
      }
    }
  }

  private deliver(proto: number, src: number, dst: number, payload: Uint8Array, pkt: number, packet: Uint8Array): void {
    if (proto === PROTO_ICMP) {
      this.icmpInput(src, dst, payload, pkt, packet);
      return;
    }
    const t = this.transports.get(proto);
    if (t) {
      t.input(src, dst, payload, pkt, packet);
      return;
    }
    // RFC 1122 §3.2.2.1: protocol unreachable.
    this.sendIcmp(dst, src, { type: ICMP_DEST_UNREACH, code: 2, rest: 0, data: packet.subarray(0, Math.min(packet.length, 548)) }, true);
  }

  private icmpInput(src: number, dst: number, payload: Uint8Array, pkt: number, _packet: Uint8Array): void {
    let m;
    try {
      m = decodeIcmp(payload);
    } catch {
      return;
    }
    if (!m.checksumOk) {
      this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'bad ICMP checksum' });
      return;
    }
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'up', layer: 'internet', pdu: 'packet', proto: 'icmp', len: payload.length });
    const msg = m.message;
    if (msg.type === ICMP_ECHO) {
      // icmp_echo: answer from the address that was pinged.
      this.sendIcmp(dst, src, echoReply(msg), false);
      return;
    }
    if (msg.type === ICMP_ECHO_REPLY) {
      this.pingers.get(echoId(msg))?.(echoSeq(msg), src);
      return;
    }
    if (msg.type === ICMP_DEST_UNREACH || msg.type === 11 || msg.type === 4) {
      const inner = msg.data;
      if (inner.length < IPV4_HEADER_LEN + 8) return;
      const innerProto = inner[9]!;
      this.transports.get(innerProto)?.icmpError(msg.type, msg.code, inner);
    }
  }

  /** Send an ICMP echo request, as the `ping` command does (56 data bytes, DF set like iputils ping). */
  ping(dst: number, id: number, seq: number): boolean {
    const route = this.route(dst);
    if (!route) return false;
    const data = new Uint8Array(56);
    for (let i = 0; i < data.length; i++) data[i] = (i + 8) & 255;
    this.sendIcmp(route.src, dst, echoRequest(id, seq, data), false);
    return true;
  }

  /** Send an ICMP message (errors and echo replies go without DF, TOS 0xc0 for errors). */
  sendIcmp(src: number, dst: number, msg: IcmpMessage, isError: boolean): void {
    const pkt = this.sim.newPacketId();
    const body = new Uint8Array(ICMP_HEADER_LEN + msg.data.length);
    writeIcmp(body, 0, msg);
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'down', layer: 'internet', pdu: 'packet', proto: 'icmp', len: body.length });
    const route = this.route(dst);
    const tos = isError ? icmpErrorTos(0) : 0;
    this.sim.after(this.layerDelay, () => {
      if (!route) return;
      const packet = new Uint8Array(IPV4_HEADER_LEN + body.length);
      writeIpv4BasicHeader(packet, 0, tos, this.hashedId(), ipv4FlagsField(false, false, 0), DEFAULT_TTL, PROTO_ICMP, src, dst, body.length);
      packet.set(body, IPV4_HEADER_LEN);
      this.recordLayer(pkt, 'down', packet.length);
      this.sim.after(this.layerDelay, () => this.linkOutput(route, dst, packet, pkt));
    });
  }
}

function macEquals(frame: Uint8Array, mac: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (frame[i] !== mac[i]) return false;
  return true;
}

export { PROTO_TCP, PROTO_UDP };
