/**
 * TCP on one host: demultiplexing segments to connections and listeners, creating children for
 * incoming SYNs, answering segments for no socket with RST (RFC 9293 §3.10.7.1), and ICMP errors
 * for connections. Pure: schedules on the kernel.
 */
import type { Sim } from '../../kernel.ts';
import type { Rng } from '../../rng.ts';
import type { DropEvent, LayerEvent, TimerEvent } from '../../trace.ts';
import type { Socket } from '../../os/socket.ts';
import type { CostModel } from '../../os/cost.ts';
import { readIPv4 } from '../addr.ts';
import { readTcpSegment, writeTcpHeader, flags as tcpFlags, TCP_HEADER_LEN, type TcpHeader } from '../wire/tcp.ts';
import { PROTO_TCP } from '../wire/ipv4.ts';
import type { Ipv4Layer, TransportHandler } from '../ipv4-layer.ts';
import { TcpConnection } from './connection.ts';
import { ByteArena } from '../arena.ts';
import { seqAdd } from './seq.ts';

/** What TCP needs from its host. */
export interface TcpHostServices {
  /** A new kernel socket for a connection arriving on `listener` (no fd until accept()). */
  childSocket(listener: Socket): Socket;
  /** Give the socket's port back (idempotent). */
  releasePort(sock: Socket): void;
  /** Start holding `sock`'s local port (children share their listener's). */
  holdPort(sock: Socket): void;
}

/**
 * The 4-tuple as a Map key: six 16-bit halves as the UTF-16 code units of a 6-character string
 * (unique for every tuple, and much cheaper to build and hash than decimal text).
 */
function key(lip: number, lport: number, rip: number, rport: number): string {
  return String.fromCharCode(lip >>> 16, lip & 0xffff, lport, rip >>> 16, rip & 0xffff, rport);
}

export class TcpLayer implements TransportHandler {
  readonly connections = new Map<string, TcpConnection>();
  /** Listening sockets by port. */
  readonly listeners = new Map<number, Socket[]>();
  /**
   * Memory for the bytes TCP copies (arena.ts), in two arenas because they live differently:
   * what send() takes from programs lives until acknowledged; what recv() hands them lives on
   * in the trace as the calls' values.
   */
  readonly sendMemory = new ByteArena();
  readonly recvMemory = new ByteArena();

  constructor(
    readonly sim: Sim,
    readonly host: string,
    readonly ip: Ipv4Layer,
    readonly cost: CostModel,
    readonly rng: Rng,
    private readonly services: TcpHostServices,
  ) {}

  /** Our MSS toward `ip`: the route's MTU minus 40 bytes of IPv4 and TCP headers. */
  mssFor(ip: number): number {
    const r = this.ip.route(ip);
    return (r?.mtu ?? 1500) - 40;
  }

  hash(c: TcpConnection): void {
    this.connections.set(key(c.localIp, c.localPort, c.remoteIp, c.remotePort), c);
  }

  /** The connection is CLOSED: forget its 4-tuple; give the port back unless the program still owns an explicitly bound socket. */
  unhash(c: TcpConnection): void {
    const k = key(c.localIp, c.localPort, c.remoteIp, c.remotePort);
    if (this.connections.get(k) === c) this.connections.delete(k);
    if (c.listener) {
      c.listener.listen?.synQueue.delete(c.sock);
      const q = c.listener.listen?.acceptQueue;
      if (q) {
        const i = q.indexOf(c.sock);
        if (i >= 0 && c.orphan) q.splice(i, 1);
      }
    }
    const lq = this.listeners.get(c.localPort);
    if (lq && c.sock.listen) {
      const i = lq.indexOf(c.sock);
      if (i >= 0) lq.splice(i, 1);
      if (lq.length === 0) this.listeners.delete(c.localPort);
    }
    // inet_put_port on tcp_set_state(TCP_CLOSE): unless the port was bound explicitly (SOCK_BINDPORT_LOCK).
    if (c.orphan || c.sock.fd < 0 || c.sock.ephemeral) this.services.releasePort(c.sock);
  }

  startListening(sock: Socket): void {
    let l = this.listeners.get(sock.localPort);
    if (!l) {
      l = [];
      this.listeners.set(sock.localPort, l);
    }
    l.push(sock);
  }

  /** A child finished its handshake: it joins the accept queue, or a connect() completes. */
  onEstablished(c: TcpConnection): void {
    const l = c.listener;
    if (l?.listen) {
      l.listen.synQueue.delete(c.sock);
      l.listen.acceptQueue.push(c.sock);
      l.notify();
    }
    c.sock.machine.send({ type: 'connected' });
    c.sock.notify();
  }

  recordTimer(c: TcpConnection, kind: TimerEvent['kind'], op: TimerEvent['op'], at?: number): void {
    const t = this.sim.now;
    const sid = c.sock.sid;
    this.sim.log<TimerEvent>(at === undefined ? { t, k: 'timer', host: this.host, sid, kind, op } : { t, k: 'timer', host: this.host, sid, kind, op, at });
  }

  private listenerFor(ip: number, port: number): Socket | undefined {
    const l = this.listeners.get(port);
    if (!l) return undefined;
    let wildcard: Socket | undefined;
    for (const s of l) {
      if (s.localIp === ip) return s;
      if (s.localIp === 0) wildcard = s;
    }
    return wildcard;
  }

  input(src: number, dst: number, segment: Uint8Array, pkt: number): void {
    let d;
    try {
      d = readTcpSegment(segment, src, dst);
    } catch {
      this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'malformed TCP header' });
      return;
    }
    if (!d.checksumOk) {
      this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'bad TCP checksum' });
      return;
    }
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'up', layer: 'transport', pdu: 'segment', proto: 'tcp', len: segment.length });
    const h = d.header;
    const seg = { h, payload: d.payload, pkt, tsval: d.tsval, syn: d.syn };
    const conn = this.connections.get(key(dst, h.dstPort, src, h.srcPort));
    if (conn) {
      conn.input(seg);
      return;
    }
    const listener = this.listenerFor(dst, h.dstPort);
    if (listener?.listen) {
      const f = h.flags;
      if (f.rst) return;
      if (f.ack) {
        // An ACK for no pending connection (RFC 9293 §3.10.7.2): RST.
        this.sendReset(dst, src, h, d.payload.length);
        return;
      }
      if (!f.syn) return;
      const ls = listener.listen;
      // tcp_conn_request: a full accept queue drops the SYN (the client will retransmit it).
      if (ls.acceptQueue.length > ls.backlog) {
        this.sim.log<DropEvent>({ t: this.sim.now, k: 'drop', host: this.host, pkt, reason: 'listen queue full (SYN dropped)' });
        return;
      }
      const child = this.services.childSocket(listener);
      child.localIp = dst;
      child.localPort = h.dstPort;
      child.remoteIp = src;
      child.remotePort = h.srcPort;
      child.parent = listener;
      this.services.holdPort(child);
      const c = new TcpConnection(this, child, dst, h.dstPort, src, h.srcPort);
      child.tcp = c;
      c.listener = listener;
      ls.synQueue.add(child);
      this.hash(c);
      c.acceptSyn(seg);
      return;
    }
    if (!h.flags.rst) this.sendReset(dst, src, h, d.payload.length);
  }

  /** tcp_v4_send_reset: RST for a segment no socket wants (RFC 9293 §3.10.7.1). */
  sendReset(localIp: number, remoteIp: number, h: TcpHeader, payloadLen: number): void {
    const rst: TcpHeader = h.flags.ack
      ? { srcPort: h.dstPort, dstPort: h.srcPort, seq: h.ack, ack: 0, flags: tcpFlags('R'), window: 0, urgent: 0, options: [] }
      : {
          srcPort: h.dstPort,
          dstPort: h.srcPort,
          seq: 0,
          ack: seqAdd(h.seq, payloadLen + (h.flags.syn ? 1 : 0) + (h.flags.fin ? 1 : 0)),
          flags: tcpFlags('RA'),
          window: 0,
          urgent: 0,
          options: [],
        };
    const bytes = this.ip.allocTransport(TCP_HEADER_LEN);
    writeTcpHeader(bytes, 0, rst, 0, localIp, remoteIp);
    const pkt = this.sim.newPacketId();
    this.sim.log<LayerEvent>({ t: this.sim.now, k: 'layer', host: this.host, pkt, dir: 'down', layer: 'transport', pdu: 'segment', proto: 'tcp', len: bytes.length });
    this.sim.after(this.cost.layer, () => this.ip.output(pkt, PROTO_TCP, localIp, remoteIp, bytes, { id: 0, allowFragment: false }));
  }

  /** An ICMP error quoting one of our segments (tcp_v4_err). */
  icmpError(type: number, code: number, inner: Uint8Array): void {
    const ihl = (inner[0]! & 0x0f) * 4;
    if (inner.length < ihl + 8) return;
    const lip = readIPv4(inner, 12);
    const rip = readIPv4(inner, 16);
    const lport = (inner[ihl]! << 8) | inner[ihl + 1]!;
    const rport = (inner[ihl + 2]! << 8) | inner[ihl + 3]!;
    const c = this.connections.get(key(lip, lport, rip, rport));
    if (!c || type !== 3) return;
    // icmp_err_convert: port unreachable is a hard error; others are soft, fatal only while connecting.
    const err = code === 3 ? 'ECONNREFUSED' : code === 1 ? 'EHOSTUNREACH' : code === 0 ? 'ENETUNREACH' : 'EHOSTUNREACH';
    if (c.state === 'SYN_SENT' || c.state === 'SYN_RECV') {
      c.error = err;
      c.machine.send({ type: 'giveUp' });
      c.error = err;
      c.sock.notify();
    }
  }
}
