/**
 * UDP on one host (RFC 768): sending datagrams, delivering them to bound sockets, ICMP port
 * unreachable for closed ports (RFC 1122 §4.1.3.1), and ICMP errors for connected sockets.
 * Pure: schedules on the kernel.
 *
 * Linux behaviour followed (net/ipv4/udp.c): a datagram to a port nobody listens on is answered
 * with ICMP type 3 code 3; the sender's sendto() has already succeeded. Only a *connected* UDP
 * socket learns of that error: its next call fails with ECONNREFUSED (unconnected sockets
 * ignore ICMP errors unless IP_RECVERR is set). A datagram that does not fit the receive buffer
 * is dropped.
 */
import type { Sim } from '../kernel.ts';
import type { DropEvent, LayerEvent } from '../trace.ts';
import type { Socket } from '../os/socket.ts';
import type { CostModel } from '../os/cost.ts';
import { formatIPv4, readIPv4 } from './addr.ts';
import { PROTO_UDP } from './wire/ipv4.ts';
import { UDP_HEADER_LEN, decodeUdp, writeUdpHeader } from './wire/udp.ts';
import { destUnreachable } from './wire/icmp.ts';
import type { Ipv4Layer, TransportHandler } from './ipv4-layer.ts';

/** Largest UDP payload over IPv4: 65535 − 20 − 8. */
export const UDP_MAX_PAYLOAD = 65507;

export class UdpLayer implements TransportHandler {
  /** Sockets bound to each port. */
  readonly bound = new Map<number, Socket[]>();

  constructor(
    private readonly sim: Sim,
    private readonly host: string,
    private readonly ip: Ipv4Layer,
    private readonly cost: CostModel,
  ) {}

  bind(sock: Socket): void {
    let l = this.bound.get(sock.localPort);
    if (!l) {
      l = [];
      this.bound.set(sock.localPort, l);
    }
    if (!l.includes(sock)) l.push(sock);
  }

  unbind(sock: Socket): void {
    const l = this.bound.get(sock.localPort);
    if (!l) return;
    const i = l.indexOf(sock);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) this.bound.delete(sock.localPort);
  }

  /** Send one datagram; the caller has checked the size and chosen the source address. */
  send(sock: Socket, src: number, dst: number, dport: number, data: Uint8Array): number {
    const pkt = this.sim.newPacketId();
    const bytes = this.ip.allocTransport(UDP_HEADER_LEN + data.length);
    bytes.set(data, UDP_HEADER_LEN);
    writeUdpHeader(bytes, 0, { srcPort: sock.localPort, dstPort: dport }, data.length, src, dst);
    this.sim.record<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'down', layer: 'transport', pdu: 'datagram', proto: 'udp', len: bytes.length });
    // A connected socket numbers its datagrams from a random start (ip_select_ident_segs).
    const id = sock.remotePort ? sock.nextIpId() : undefined;
    this.sim.after(this.cost.layer, () => this.ip.output(pkt, PROTO_UDP, src, dst, bytes, id === undefined ? {} : { id }));
    return pkt;
  }

  private lookup(dst: number, dport: number, src: number, sport: number): Socket | undefined {
    const l = this.bound.get(dport);
    if (!l) return undefined;
    // The most specific match wins (udp4_lib_lookup scoring): connected, then bound address, then wildcard.
    let best: Socket | undefined;
    let bestScore = -1;
    for (const s of l) {
      if (s.localIp !== 0 && s.localIp !== dst) continue;
      if (s.remotePort && (s.remoteIp !== src || s.remotePort !== sport)) continue;
      const score = (s.localIp ? 2 : 0) + (s.remotePort ? 4 : 0);
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }

  input(src: number, dst: number, datagram: Uint8Array, pkt: number, ipPacket: Uint8Array): void {
    let d;
    try {
      d = decodeUdp(datagram, formatIPv4(src), formatIPv4(dst));
    } catch {
      this.sim.record<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'malformed UDP header' });
      return;
    }
    if (!d.checksumOk) {
      this.sim.record<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'bad UDP checksum' });
      return;
    }
    this.sim.record<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'up', layer: 'transport', pdu: 'datagram', proto: 'udp', len: datagram.length });
    const sock = this.lookup(dst, d.header.dstPort, src, d.header.srcPort);
    if (!sock) {
      // __udp4_lib_rcv: no socket → ICMP port unreachable (not for broadcasts).
      if (this.ip.isLocal(dst)) this.ip.sendIcmp(dst, src, destUnreachable(3, ipPacket), true);
      else this.sim.record<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'no socket on this port' });
      return;
    }
    if (sock.dgramBytes + d.payload.length > sock.rcvbuf) {
      this.sim.record<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'receive buffer full' });
      return;
    }
    sock.dgrams.push({ data: d.payload.slice(), from: { ip: formatIPv4(src), port: d.header.srcPort }, pkt });
    sock.dgramBytes += d.payload.length;
    sock.notify();
  }

  icmpError(type: number, code: number, inner: Uint8Array): void {
    const ihl = (inner[0]! & 0x0f) * 4;
    if (inner.length < ihl + 8 || type !== 3) return;
    const lip = readIPv4(inner, 12);
    const rip = readIPv4(inner, 16);
    const lport = (inner[ihl]! << 8) | inner[ihl + 1]!;
    const rport = (inner[ihl + 2]! << 8) | inner[ihl + 3]!;
    const l = this.bound.get(lport);
    if (!l) return;
    for (const s of l) {
      // __udp4_lib_err: only a connected socket (or one with IP_RECVERR) records the error.
      if (s.remotePort === rport && s.remoteIp === rip && (s.localIp === 0 || s.localIp === lip)) {
        s.error = code === 3 ? 'ECONNREFUSED' : code === 1 ? 'EHOSTUNREACH' : code === 0 ? 'ENETUNREACH' : 'EHOSTUNREACH';
        s.notify();
      }
    }
  }
}
