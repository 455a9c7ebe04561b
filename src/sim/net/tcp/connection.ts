/**
 * One TCP connection: the transmission control block (RFC 9293 §3.3.1) and the processing of
 * user calls, arriving segments and timers (RFC 9293 §3.10), with Linux's choices where the RFCs
 * leave room. Pure: schedules on the kernel, draws ISNs and offsets from the seeded generator.
 *
 * The state chart is src/machines/tcpMachine.ts; this class classifies segments into its events
 * and performs its actions. What follows Linux (net/ipv4/tcp_*.c), beyond RFC 9293:
 * - SYN options MSS, SACK_PERM, TS, NOP, WS(7) (tcp_options_write); MSS 1460 on MTU 1500,
 *   1448 bytes of payload per segment once timestamps are on (RFC 7323).
 * - Initial window 10 segments (RFC 6928), slow start and congestion avoidance (RFC 5681),
 *   fast retransmit / NewReno recovery (RFC 6582). Linux's default is CUBIC, which differs from
 *   this only after a loss.
 * - RTO: 1 s initially (RFC 6298 §2), doubling per retry, at least 200 ms (TCP_RTO_MIN);
 *   6 SYN retries (tcp_syn_retries) and 15 data retries (tcp_retries2) before giving up.
 * - Nagle with Minshall's tweak (tcp_nagle_check); PSH on the last segment of a write.
 * - Delayed ACKs: quick-ACK mode for the first segments (tcp_incr_quickack), then ACK every
 *   second full segment or after the ATO (40 ms minimum, TCP_ATO_MIN); "ping-pong" mode when the
 *   application answers within the ATO; a FIN in ESTABLISHED enters ping-pong, so the ACK of a
 *   FIN waits for the application's own FIN when it comes quickly (the 3-segment close).
 * - close() with unread data sends RST instead of FIN (tcp_close, RFC 2525 §2.17); data arriving
 *   after close() is answered with RST.
 * - RST: a challenge ACK for an in-window RST or SYN that is not exact (RFC 5961 §3, §4).
 * Simplifications (documented in docs/tcp.md): SACK blocks are sent but the sender recovers with
 * NewReno; receive-window autotuning is replaced by a fixed receive buffer; no PAWS, no
 * keepalive, no urgent data.
 */
import type { Handle, Sim } from '../../kernel.ts';
import { MachineRunner } from '../../machine-runner.ts';
import { tcpEventKey, tcpEventLabel, tcpMachine, type TcpMachineEvent } from '../../../machines/tcpMachine.ts';
import type { LayerEvent, SockAddr, TcpEvent, TcpState } from '../../trace.ts';
import type { Socket } from '../../os/socket.ts';
import type { ErrnoName } from '../../os/errors.ts';
import { formatIPv4 } from '../addr.ts';
import { PROTO_TCP } from '../wire/ipv4.ts';
import {
  TCP_HEADER_LEN,
  TCP_MAX_OPTIONS_LEN,
  flagsToByte,
  linuxDataOptionsLength,
  linuxOptionsLength,
  writeLinuxDataOptions,
  writeLinuxOptions,
  writeTcpFixedHeader,
  type LinuxTcpOptionSet,
  type SynOptions,
  type TcpFlags,
  type TcpHeader,
} from '../wire/tcp.ts';
import { WireError } from '../bytes.ts';
import { TRANSPORT_HEADROOM } from '../headroom.ts';
import { OutPacket, type UnreachableListener } from '../packet.ts';
import { DEFAULT_TTL } from '../ipv4-layer.ts';
import { ByteQueue } from './byte-queue.ts';
import { seqAdd, seqDiff, seqGeq, seqGt, seqLeq, seqLt } from './seq.ts';
import type { TcpLayer } from './tcp-layer.ts';

/** Linux constants (include/net/tcp.h). */
export const TCP = {
  MSS_DEFAULT: 536,
  INIT_CWND: 10,
  RTO_INIT: 1_000_000,
  RTO_MIN: 200_000,
  RTO_MAX: 120_000_000,
  ATO_MIN: 40_000,
  DELACK_MAX: 200_000,
  MAX_QUICKACKS: 16,
  SYN_RETRIES: 6,
  SYNACK_RETRIES: 5,
  RETRIES2: 15,
  WSCALE: 10,
  TS_LEN: 12,
  /** tcp_rmem[1]: the receive buffer; about half of it is advertised as window. */
  RMEM: 131072,
  /** Payload the receive queue holds before the window closes. */
  RCV_CAPACITY: 65536 * 4,
  /** tcp_wmem[1]: send buffer. */
  WMEM: 16384 * 16,
  PINGPONG_THRESH: 1,
} as const;

const ACK_SCHED = 1;
const ACK_TIMER = 2;
const ACK_PUSHED = 4;
const ACK_PUSHED2 = 8;
const ACK_NOW = 16;

interface Segment {
  seq: number;
  ack: number;
  flags: TcpFlags;
  window: number;
  /**
   * The options of a handshake segment or a RST, in Linux's layout. Without them, the segment
   * carries Linux's options after the handshake: timestamps if on, and `sack` blocks if given.
   */
  linux?: LinuxTcpOptionSet;
  sack?: [number, number][];
}

export interface IncomingSegment {
  /** The header (readTcpSegment: its `options` are left empty; the stack reads `tsval` and `syn`). */
  h: TcpHeader;
  /** TSval of the segment's timestamps option, if any. */
  tsval: number | undefined;
  /** A SYN's handshake options. */
  syn: SynOptions | undefined;
  payload: Uint8Array;
  pkt: number;
}

const F = (s: string): TcpFlags => ({
  fin: s.includes('F'),
  syn: s.includes('S'),
  rst: s.includes('R'),
  psh: s.includes('P'),
  ack: s.includes('A'),
  urg: false,
  ece: false,
  cwr: false,
});
/** A RST's options: none. */

const FL = { S: F('S'), SA: F('SA'), A: F('A'), PA: F('PA'), FA: F('FA'), FPA: F('FPA'), RA: F('RA'), R: F('R') };

export class TcpConnection implements UnreachableListener {
  readonly machine: MachineRunner<TcpMachineEvent, TcpConnection>;
  // Send sequence space (RFC 9293 §3.3.1).
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  /** Highest sequence number sent (sndNxt can be rewound by a retransmission timeout). */
  sndMax = 0;
  sndWnd = 0;
  sndWl1 = 0;
  sndWl2 = 0;
  // Receive sequence space.
  irs = 0;
  rcvNxt = 0;
  /** rcv_nxt when we last sent a window (rcv_wup). */
  rcvWup = 0;
  /** Right edge of the window we last advertised, relative to rcvWup. */
  rcvWndAdvertised = 0;
  rcvSsthresh = 0;
  // Options.
  sndMss: number = TCP.MSS_DEFAULT;
  advMss = 1460;
  tsOk = false;
  tsRecent = 0;
  private readonly tsOffset: number;
  sackOk = false;
  sndWscale = 0;
  rcvWscale = 0;
  // Data.
  readonly sendQ = new ByteQueue();
  readonly recvQ = new ByteQueue();
  /** Out-of-order segments by sequence number; made when the first one arrives. */
  private ofo: Map<number, { data: Uint8Array; fin: boolean; pkt: number }> | undefined;
  /** The user asked to close/shutdown(SHUT_WR): FIN goes after the data. */
  finQueued = false;
  finSent = false;
  /** Sequence number of our FIN, once it has one. */
  finSeq = 0;
  finReceived = false;
  /** The program closed its socket: data arriving now is answered with RST. */
  orphan = false;
  /** Error to report to the socket's user when the connection dies. */
  error: ErrnoName | undefined;
  // Congestion control, RTT.
  cwnd = 0;
  ssthresh = 0x7fffffff;
  dupAcks = 0;
  inRecovery = false;
  recover = 0;
  srtt = 0;
  rttvar = 0;
  rto: number = TCP.RTO_INIT;
  retries = 0;
  private rtoTimer: Handle | undefined;
  private persistTimer: Handle | undefined;
  /**
   * Segments sent and not yet acknowledged, in sequence order, with when they were sent
   * (Karn's rule: a retransmitted segment gives no RTT sample). `sentHead` is the first live entry.
   */
  private sentLog: { seq: number; end: number; t: number; retransmitted: boolean }[] = [];
  private sentHead = 0;
  /** Set of small segments in flight (Minshall's Nagle check: the end seq of the last small one). */
  private sndSml = 0;
  /** Delayed-ACK engine (icsk_ack). */
  private readonly ackState = { pending: 0, quick: 0, pingpong: 0, ato: 0, lrcvtime: 0, rcvMss: TCP.MSS_DEFAULT as number, timer: undefined as Handle | undefined, lastSegSize: 0 };
  /** IP identification counter (inet_id): random start per connection. */
  private ipId: number;
  /** Child of a listener, waiting in its SYN queue or accept queue. */
  listener: Socket | undefined;
  private synAckRetries = 0;

  constructor(
    readonly layer: TcpLayer,
    readonly sock: Socket,
    readonly localIp: number,
    readonly localPort: number,
    readonly remoteIp: number,
    readonly remotePort: number,
  ) {
    const sim = layer.sim;
    this.tsOffset = layer.rng.int(0x100000000);
    this.ipId = layer.rng.int(0x10000);
    this.machine = new MachineRunner<TcpMachineEvent, TcpConnection>(tcpMachine, tcpEventKey, TcpConnection.actions, sim.clock, TcpConnection.recordTransition, this);
  }

  /** The chart's actions (tcpMachine), performed on the connection: one table for all connections. */
  private static readonly actions: Record<string, (e: TcpMachineEvent, c: TcpConnection) => void> = {
    sendSyn: (_e, c) => c.sendSyn(),
    sendSynAck: (_e, c) => c.sendSynAck(),
    sendFin: (_e, c) => c.queueFin(),
    sendRst: (_e, c) => c.sendActiveReset(),
    established: (_e, c) => c.onEstablished(),
    peerClosed: (_e, c) => c.onPeerClosed(),
    refused: (_e, c) => c.fail('ECONNREFUSED'),
    reset: (_e, c) => c.onReset(),
    timedOut: (_e, c) => c.fail('ETIMEDOUT'),
    enterTimeWait: (_e, c) => c.onTimeWait(),
    released: (_e, c) => c.onReleased(),
  };

  /** The `tcp` trace event of a state change. */
  private static recordTransition(from: string, to: string, event: TcpMachineEvent, c: TcpConnection): void {
    // A listener's child starts in LISTEN only to follow the RFC diagram; that step is not news.
    if (event.type === 'listen' && c.listener) return;
    const sim = c.layer.sim;
    const t = sim.now;
    const host = c.layer.host;
    const sid = c.sock.sid;
    const cause = tcpEventLabel(event);
    const local = c.traceLocal();
    sim.log<TcpEvent>(
      c.remotePort
        ? { t, k: 'tcp', host, sid, from: from as TcpState, to: to as TcpState, cause, local, remote: c.traceRemote() }
        : { t, k: 'tcp', host, sid, from: from as TcpState, to: to as TcpState, cause, local },
    );
  }

  get state(): TcpState {
    return this.machine.state as TcpState;
  }

  /** The connection's addresses as its `tcp` trace events show them: made once, shared by those events (the addresses never change). */
  private localAddr: SockAddr | undefined;
  private remoteAddr: SockAddr | undefined;

  private traceLocal(): SockAddr {
    return (this.localAddr ??= Object.freeze({ ip: formatIPv4(this.localIp), port: this.localPort }));
  }

  private traceRemote(): SockAddr {
    return (this.remoteAddr ??= Object.freeze({ ip: formatIPv4(this.remoteIp), port: this.remotePort }));
  }

  get sim(): Sim {
    return this.layer.sim;
  }

  /** Bytes the application has written that the peer has not acknowledged, plus unsent ones. */
  get sendQueued(): number {
    return this.sendQ.length;
  }

  private now(): number {
    return this.layer.sim.now;
  }

  private tsval(): number {
    return (Math.floor(this.now() / 1000) + this.tsOffset) >>> 0;
  }

  // ---------------------------------------------------------------- user calls

  /** Active open (connect()). */
  connect(): void {
    this.iss = this.layer.rng.int(0x100000000);
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.advMss = this.layer.mssFor(this.remoteIp);
    this.rcvWscale = TCP.WSCALE;
    this.machine.send({ type: 'connect' });
  }

  /** Passive open (listen()). */
  listen(): void {
    this.machine.send({ type: 'listen' });
  }

  /** A SYN reached our listener: this new child connection answers it. */
  acceptSyn(seg: IncomingSegment): void {
    const h = seg.h;
    this.irs = h.seq;
    this.rcvNxt = seqAdd(h.seq, 1);
    this.rcvWup = this.rcvNxt;
    this.iss = this.layer.rng.int(0x100000000);
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.advMss = this.layer.mssFor(this.remoteIp);
    this.takeSynOptions(seg);
    this.sndWnd = h.window; // never scaled in a SYN (RFC 7323 §2.2)
    this.sndWl1 = h.seq;
    this.sndWl2 = h.ack;
    this.machine.send({ type: 'listen' });
    this.machine.send({ type: 'rcvSyn' });
  }

  /**
   * send(): queue as much of `data` as the send buffer takes and push segments out.
   * Returns the number of bytes taken (0 when the buffer is full: the caller blocks), or an errno.
   */
  write(data: Uint8Array): number | ErrnoName {
    if (this.error) return this.takeError();
    const st = this.state;
    if (st === 'SYN_SENT' || st === 'SYN_RECV') return 0;
    if (this.finQueued || (st !== 'ESTABLISHED' && st !== 'CLOSE_WAIT')) return 'EPIPE';
    const room = TCP.WMEM - this.sendQ.length;
    if (room <= 0) return 0;
    const n = Math.min(room, data.length);
    const copy = this.layer.sendMemory.alloc(n);
    copy.set(n === data.length ? data : data.subarray(0, n));
    this.sendQ.push(copy);
    this.push(true);
    return n;
  }

  /** Pending error, reported once (sock_error). */
  takeError(): ErrnoName {
    const e = this.error!;
    this.error = undefined;
    return e;
  }

  /**
   * recv(): take up to n bytes. Returns the bytes (empty = end of stream), 'again' when the
   * caller must wait, or an errno.
   */
  read(n: number, peek = false): { data: Uint8Array; parts: { pkt: number; len: number }[] } | 'again' | ErrnoName {
    if (this.recvQ.length > 0) {
      if (peek) return { data: this.recvQ.copy(0, Math.min(n, this.recvQ.length)), parts: [] };
      const before = this.recvWindow();
      const out = this.recvQ.take(n, this.layer.recvMemory);
      this.cleanupRbuf(out.data.length, before);
      return out;
    }
    if (this.error) return this.takeError();
    if (this.finReceived || this.sock.rcvShutdown) return { data: new Uint8Array(0), parts: [] };
    const st = this.state;
    if (st === 'CLOSED' || st === 'LISTEN') return 'ENOTCONN';
    return 'again';
  }

  /** close() or shutdown(SHUT_WR). */
  close(how: 'close' | 'shutdown'): void {
    if (how === 'close') this.orphan = true;
    const st = this.state;
    if (how === 'close' && this.recvQ.length > 0 && st !== 'LISTEN') {
      // tcp_close: unread data → RST, not FIN.
      this.machine.send({ type: 'abort' });
      return;
    }
    if (this.finQueued) return; // already shut down for writing
    this.machine.send({ type: 'close' });
  }

  /** Abort: RST now (SO_LINGER 0, or a listener's unaccepted children when it closes). */
  abort(): void {
    this.orphan = true;
    this.machine.send({ type: 'abort' });
  }

  // ---------------------------------------------------------------- actions

  private sendSyn(): void {
    this.sndNxt = seqAdd(this.iss, 1);
    this.sndMax = this.sndNxt;
    const opts: LinuxTcpOptionSet = { mss: this.advMss, sackOk: true, ts: { tsval: this.tsval(), tsecr: 0 }, wscale: TCP.WSCALE };
    // tcp_select_initial_window: 64 KiB of buffer rounded down to whole MSS (64240 for 1460).
    const wnd = Math.floor(65535 / this.advMss) * this.advMss;
    this.rcvSsthresh = wnd;
    this.rcvWndAdvertised = wnd;
    this.output({ seq: this.iss, ack: 0, flags: FL.S, window: Math.min(wnd, 65535), linux: opts }, 0, 0, this.ipId++);
    this.noteSent(this.iss, this.sndNxt, this.retries > 0);
    this.armRto();
  }

  private sendSynAck(): void {
    this.sndNxt = seqAdd(this.iss, 1);
    this.sndMax = this.sndNxt;
    const mss = this.advMss;
    const opts: LinuxTcpOptionSet = {
      mss,
      sackOk: this.sackOk,
      ts: this.tsOk ? { tsval: this.tsval(), tsecr: this.tsRecent } : undefined,
      wscale: this.rcvWscale || this.sndWscaleSeen ? TCP.WSCALE : undefined,
    };
    // tcp_openreq_init_rwin: whole segments of the payload MSS (65160 = 45 × 1448).
    const payMss = mss - (this.tsOk ? TCP.TS_LEN : 0);
    const wnd = Math.floor(65535 / payMss) * payMss;
    this.rcvSsthresh = wnd;
    this.rcvWndAdvertised = wnd;
    // ip_build_and_send_pkt: a SYN-ACK with DF carries IP ID 0.
    this.output({ seq: this.iss, ack: this.rcvNxt, flags: FL.SA, window: Math.min(wnd, 65535), linux: opts }, 0, 0, 0);
    this.noteSent(this.iss, this.sndNxt, this.synAckRetries > 0);
    this.armRto();
  }

  private sndWscaleSeen = false;

  private takeSynOptions(seg: IncomingSegment): void {
    const o = seg.syn;
    const mss = o?.mss ?? TCP.MSS_DEFAULT;
    const ws = o?.wscale === undefined ? undefined : Math.min(o.wscale, 14);
    this.sackOk = o?.sackOk ?? false;
    this.tsOk = seg.tsval !== undefined;
    if (seg.tsval !== undefined) this.tsRecent = seg.tsval;
    if (ws !== undefined) {
      this.sndWscale = ws;
      this.rcvWscale = TCP.WSCALE;
      this.sndWscaleSeen = true;
    } else {
      this.sndWscale = 0;
      this.rcvWscale = 0;
    }
    // Effective send MSS: the peer's MSS, bounded by our route, minus the timestamp option.
    this.sndMss = Math.min(mss, this.advMss) - (this.tsOk ? TCP.TS_LEN : 0);
    this.cwnd = TCP.INIT_CWND * this.sndMss;
  }

  private onEstablished(): void {
    this.retries = 0;
    this.layer.onEstablished(this);
  }

  private onPeerClosed(): void {
    this.finReceived = true;
    this.sock.rcvShutdown = true;
    this.sock.notify();
  }

  private onReset(): void {
    // tcp_reset: ECONNREFUSED in SYN_SENT (handled by 'refused'), EPIPE in CLOSE_WAIT, else ECONNRESET.
    this.fail(this.stateBeforeReset === 'CLOSE_WAIT' ? 'EPIPE' : 'ECONNRESET');
  }

  private stateBeforeReset: TcpState = 'CLOSED';

  private fail(err: ErrnoName): void {
    this.error = err;
    this.sock.notify();
  }

  private onTimeWait(): void {
    this.stopTimers();
    this.layer.recordTimer(this, 'time-wait', 'set', this.now() + 60_000_000);
  }

  private onReleased(): void {
    this.stopTimers();
    this.layer.unhash(this);
    this.sock.notify();
  }

  private stopTimers(): void {
    const sim = this.layer.sim;
    if (this.rtoTimer) {
      sim.cancel(this.rtoTimer);
      this.rtoTimer = undefined;
    }
    this.rtoDeadline = 0;
    if (this.persistTimer) {
      sim.cancel(this.persistTimer);
      this.persistTimer = undefined;
    }
    if (this.ackState.timer) {
      sim.cancel(this.ackState.timer);
      this.ackState.timer = undefined;
    }
  }

  // ---------------------------------------------------------------- output

  /**
   * Build the segment around `dataLen` bytes of the send queue from `dataOffset` (bytes past
   * snd_una), with room for the IPv4 and Ethernet headers in front (headroom.ts); record the
   * transport step and hand it to IP one layer-delay later.
   */
  private output(seg: Segment, dataOffset: number, dataLen: number, ipId: number): void {
    const layer = this.layer;
    const sack = seg.sack !== undefined && this.sackOk ? seg.sack : undefined;
    const optLen = seg.linux ? linuxOptionsLength(seg.linux) : linuxDataOptionsLength(this.tsOk, sack ? sack.length : 0);
    if (optLen > TCP_MAX_OPTIONS_LEN) throw new WireError(`TCP options take ${optLen} bytes, more than 40`);
    const hl = TCP_HEADER_LEN + optLen;
    const len = hl + dataLen;
    const frame = layer.ip.allocFrame(len);
    const at = TRANSPORT_HEADROOM;
    if (dataLen > 0) this.sendQ.copyTo(frame, at + hl, dataOffset, dataLen);
    if (seg.linux) writeLinuxOptions(frame, at + TCP_HEADER_LEN, seg.linux);
    else writeLinuxDataOptions(frame, at + TCP_HEADER_LEN, this.tsOk, this.tsval(), this.tsRecent, sack);
    writeTcpFixedHeader(frame, at, this.localPort, this.remotePort, seg.seq, seg.ack, flagsToByte(seg.flags), seg.window, 0, hl, dataLen, this.localIp, this.remoteIp);
    const sim = layer.sim;
    const pkt = sim.newPacketId();
    sim.log<LayerEvent>({ t: sim.now, k: 'layer', host: layer.host, pkt, dir: 'down', layer: 'transport', pdu: 'segment', proto: 'tcp', len });
    if (seg.flags.ack) this.ackSent();
    sim.after(layer.cost.layer, layer.ip.send, new OutPacket(pkt, frame, len, PROTO_TCP, this.localIp, this.remoteIp, ipId & 0xffff, false, DEFAULT_TTL, 0, this));
  }

  /** Called by IPv4 for our packets (UnreachableListener). */
  onUnreachable(): void {
    // The neighbour never answered ARP: connect() fails with "No route to host" (tcp_v4_err in
    // SYN_SENT treats the locally generated host-unreachable as fatal).
    if (this.state === 'SYN_SENT') {
      this.error = 'EHOSTUNREACH';
      this.machine.send({ type: 'giveUp' });
      this.error = 'EHOSTUNREACH';
      this.sock.notify();
    }
  }

  /** The window to advertise now, in bytes (before scaling). */
  private recvWindow(): number {
    const free = Math.max(0, TCP.RCV_CAPACITY - this.recvQ.length);
    let w = Math.min(this.rcvSsthresh, free);
    // Never shrink the right edge already offered (RFC 9293 §3.8.6.2.2).
    const offeredRight = this.rcvWndAdvertised - seqDiff(this.rcvNxt, this.rcvWup);
    if (w < offeredRight) w = Math.max(0, offeredRight);
    return w;
  }

  private windowField(): number {
    const w = this.recvWindow();
    const scaled = this.rcvWscale ? Math.ceil(w / (1 << this.rcvWscale)) : w;
    return Math.min(scaled, 65535);
  }

  /** A pure ACK now (tcp_send_ack). */
  sendAck(sack?: [number, number][]): void {
    const st = this.state;
    if (st === 'CLOSED' || st === 'LISTEN' || st === 'SYN_SENT') return;
    const wnd = this.windowField();
    this.noteWindowSent(wnd);
    this.output(sack ? { seq: this.sndNxt, ack: this.rcvNxt, flags: FL.A, window: wnd, sack } : { seq: this.sndNxt, ack: this.rcvNxt, flags: FL.A, window: wnd }, 0, 0, this.ipId++);
  }

  private noteWindowSent(field: number): void {
    this.rcvWup = this.rcvNxt;
    this.rcvWndAdvertised = field << this.rcvWscale;
  }

  /** Bookkeeping when any segment carrying ACK goes out (tcp_event_ack_sent). */
  private ackSent(): void {
    const a = this.ackState;
    if (a.quick) {
      const pkts = a.pending & ACK_SCHED ? 1 : 0;
      if (pkts >= a.quick) {
        a.quick = 0;
        a.ato = TCP.ATO_MIN;
      } else a.quick -= pkts;
    }
    if (a.timer) {
      this.layer.sim.cancel(a.timer);
      a.timer = undefined;
      this.layer.recordTimer(this, 'delayed-ack', 'cancel');
    }
    a.pending = 0;
  }

  /** RST|ACK with seq = snd_nxt (tcp_send_active_reset). */
  private sendActiveReset(): void {
    // tcp_send_active_reset builds it like any segment of the connection (tcp_transmit_skb):
    // the current window and the timestamp option, unlike the RST for a port nobody listens on.
    const ack = this.rcvNxt;
    this.output({ seq: this.sndNxt, ack, flags: FL.RA, window: this.windowField() }, 0, 0, this.ipId++);
  }

  private queueFin(): void {
    this.finQueued = true;
    this.sock.sndShutdown = true;
    // tcp_send_fin: the FIN rides on unsent data if there is some, else goes alone; Nagle off.
    this.push(false, true);
  }

  /**
   * tcp_write_xmit: send what the windows and Nagle allow. `fromWrite`: called at the end of a
   * send() (tcp_push); `nagleOff`: push everything (close, or a timer).
   */
  push(fromWrite = false, nagleOff = false): void {
    const st = this.state;
    if (st !== 'ESTABLISHED' && st !== 'CLOSE_WAIT' && st !== 'FIN_WAIT1' && st !== 'CLOSING' && st !== 'LAST_ACK') return;
    for (;;) {
      const finBelow = this.finSent && seqLt(this.finSeq, this.sndNxt);
      const sentData = seqDiff(this.sndNxt, this.sndUna) - (finBelow ? 1 : 0);
      const unsent = this.sendQ.length - Math.max(0, sentData);
      const wantFin = this.finQueued && !finBelow;
      if (unsent <= 0 && !wantFin) break;
      const inFlight = seqDiff(this.sndNxt, this.sndUna);
      const wnd = Math.min(this.cwnd, this.sndWnd);
      let len = Math.max(0, Math.min(this.sndMss, unsent));
      if (len > 0 && inFlight + len > wnd) {
        // Window-limited. A zero window with nothing in flight needs the persist timer.
        const room = wnd - inFlight;
        if (room <= 0 || (room < len && room < this.sndMss && inFlight > 0)) {
          if (this.sndWnd === 0 && inFlight === 0) this.armPersist();
          break;
        }
        len = room;
      }
      const last = len === unsent;
      if (len > 0 && len < this.sndMss && last && !nagleOff && !this.finQueued) {
        // tcp_nagle_check with Minshall: hold a small segment while another small one is unacknowledged.
        if (inFlight > 0 && seqGt(this.sndSml, this.sndUna)) break;
      }
      const fin = wantFin && last;
      if (len === 0 && !fin) break;
      const offset = seqDiff(this.sndNxt, this.sndUna);
      const flagsNow = fin ? (len > 0 ? FL.FPA : FL.FA) : last ? FL.PA : FL.A;
      this.transmitData(this.sndNxt, offset, len, flagsNow, fin);
      if (len < this.sndMss && len > 0) this.sndSml = seqAdd(this.sndNxt, 0);
      if (fin) break;
    }
    void fromWrite;
  }

  /** Send (or resend) one data/FIN segment starting at `seq`, carrying `len` bytes of the send queue from `offset`. */
  private transmitData(seq: number, offset: number, len: number, flags: TcpFlags, fin: boolean): void {
    const end = seqAdd(seq, len + (fin ? 1 : 0));
    const isRetransmit = seqLt(seq, this.sndMax);
    const wnd = this.windowField();
    this.noteWindowSent(wnd);
    const a = this.ackState;
    // tcp_event_data_sent: answering within the ATO of the last receive means interactive traffic.
    if (len > 0 && this.now() - a.lrcvtime < a.ato && a.pingpong < 255) a.pingpong++;
    this.output({ seq, ack: this.rcvNxt, flags, window: wnd }, offset, len, this.ipId++);
    if (fin) {
      this.finSent = true;
      this.finSeq = seqAdd(seq, len);
    }
    this.noteSent(seq, end, isRetransmit);
    this.sndNxt = end;
    if (seqGt(end, this.sndMax)) this.sndMax = end;
    if (this.rtoDeadline === 0) this.armRto();
  }

  /** Note a (re)transmission of [seq, end) for RTT sampling. */
  private noteSent(seq: number, end: number, retransmitted: boolean): void {
    const log = this.sentLog;
    const last = log[log.length - 1];
    if (!retransmitted && (!last || seqGeq(seq, last.end))) {
      log.push({ seq, end, t: this.now(), retransmitted: false });
      return;
    }
    // A retransmission: mark every entry it overlaps, and keep the log in order.
    for (let i = this.sentHead; i < log.length; i++) {
      const e = log[i]!;
      if (seqLt(e.seq, end) && seqGt(e.end, seq)) e.retransmitted = true;
    }
    if (!last || seqGeq(seq, last.end)) log.push({ seq, end, t: this.now(), retransmitted: true });
  }

  // ---------------------------------------------------------------- timers

  /**
   * (Re)start the retransmission timer for one RTO from now (RFC 6298 §5.3). The queue keeps a
   * single entry per connection: restarting only moves the deadline, and an entry that fires
   * early re-queues itself. The trace records the timer when it starts from idle, stops and fires.
   */
  private armRto(): void {
    const sim = this.layer.sim;
    const wasIdle = this.rtoDeadline === 0;
    this.rtoDeadline = sim.now + this.rto;
    if (this.rtoTimer && this.rtoTimer.time > this.rtoDeadline) {
      sim.cancel(this.rtoTimer);
      this.rtoTimer = undefined;
    }
    if (!this.rtoTimer) this.rtoTimer = sim.at(this.rtoDeadline, TcpConnection.rtoFire, this);
    if (wasIdle) this.layer.recordTimer(this, 'retransmit', 'set', this.rtoDeadline);
  }

  private rtoDeadline = 0;

  /** The retransmission timer's queue entry fired (static, with the connection as its argument: no closure per connection). */
  private static rtoFire(c: TcpConnection): void {
    const sim = c.layer.sim;
    c.rtoTimer = undefined;
    if (c.rtoDeadline === 0) return;
    if (sim.now < c.rtoDeadline) {
      c.rtoTimer = sim.at(c.rtoDeadline, TcpConnection.rtoFire, c);
      return;
    }
    c.rtoDeadline = 0;
    c.layer.recordTimer(c, 'retransmit', 'fire');
    c.onRto();
  }

  private stopRto(): void {
    if (this.rtoDeadline === 0) return;
    this.rtoDeadline = 0;
    if (this.rtoTimer) {
      this.layer.sim.cancel(this.rtoTimer);
      this.rtoTimer = undefined;
    }
    this.layer.recordTimer(this, 'retransmit', 'cancel');
  }

  private onRto(): void {
    const st = this.state;
    this.retries++;
    this.rto = Math.min(this.rto * 2, TCP.RTO_MAX);
    if (st === 'SYN_SENT') {
      if (this.retries > TCP.SYN_RETRIES) {
        this.machine.send({ type: 'giveUp' });
        return;
      }
      this.sendSyn();
      return;
    }
    if (st === 'SYN_RECV') {
      this.synAckRetries++;
      if (this.synAckRetries > TCP.SYNACK_RETRIES) {
        this.machine.send({ type: 'giveUp' });
        return;
      }
      this.sendSynAck();
      return;
    }
    if (seqGeq(this.sndUna, this.sndMax)) return; // nothing outstanding
    if (this.retries > TCP.RETRIES2) {
      this.error = 'ETIMEDOUT';
      this.machine.send({ type: 'giveUp' });
      return;
    }
    // RFC 5681 §3.1 (7.3): ssthresh = max(FlightSize/2, 2·SMSS); cwnd = 1 segment; go back N.
    const flight = seqDiff(this.sndMax, this.sndUna);
    this.ssthresh = Math.max(Math.floor(flight / 2), 2 * this.sndMss);
    this.cwnd = this.sndMss;
    this.inRecovery = false;
    this.dupAcks = 0;
    this.sndNxt = this.sndUna;
    this.finSent = this.finSent && seqLt(this.finSeq, this.sndNxt);
    this.push(false, true);
    if (this.rtoDeadline === 0) this.armRto();
  }

  private armPersist(): void {
    if (this.persistTimer) return;
    const sim = this.layer.sim;
    const delay = Math.max(this.rto, TCP.RTO_MIN);
    this.persistTimer = sim.after(delay, () => {
      this.persistTimer = undefined;
      if (this.sndWnd === 0 && this.sendQ.length > seqDiff(this.sndNxt, this.sndUna)) {
        // tcp_xmit_probe_skb: a zero-length segment with an old sequence number draws an ACK.
        const wnd = this.windowField();
        this.output({ seq: seqAdd(this.sndUna, -1), ack: this.rcvNxt, flags: FL.A, window: wnd }, 0, 0, this.ipId++);
        this.rto = Math.min(this.rto * 2, TCP.RTO_MAX);
        this.armPersist();
      }
    });
  }

  // ---------------------------------------------------------------- input

  /** A segment for this connection arrived (after the transport layer's demultiplexing). */
  input(seg: IncomingSegment): void {
    const st = this.state;
    if (st === 'SYN_SENT') {
      this.synSentInput(seg);
      return;
    }
    if (st === 'CLOSED' || st === 'LISTEN') return;
    const { h, payload } = seg;
    const f = h.flags;
    const segLen = payload.length + (f.syn ? 1 : 0) + (f.fin ? 1 : 0);
    // RFC 9293 §3.10.7.4 first: sequence number check.
    const wnd = this.rcvWndAdvertised - seqDiff(this.rcvNxt, this.rcvWup);
    const acceptable =
      segLen === 0
        ? wnd <= 0
          ? h.seq === this.rcvNxt
          : seqLeq(this.rcvNxt, h.seq) && seqLt(h.seq, seqAdd(this.rcvNxt, Math.max(wnd, 1)))
        : wnd <= 0
          ? false
          : (seqLeq(this.rcvNxt, h.seq) && seqLt(h.seq, seqAdd(this.rcvNxt, wnd))) ||
            (seqLeq(this.rcvNxt, seqAdd(h.seq, segLen - 1)) && seqLt(seqAdd(h.seq, segLen - 1), seqAdd(this.rcvNxt, wnd)));
    if (!acceptable) {
      // An old duplicate or a window probe: ACK it (unless it is an RST) and drop it.
      if (!f.rst) {
        if (st === 'TIME_WAIT' && f.fin) this.machine.send({ type: 'rcvFin' });
        this.sendAck();
      }
      return;
    }
    // Second: RST (RFC 5961 §3.2: exact match resets, otherwise a challenge ACK).
    if (f.rst) {
      if (h.seq === this.rcvNxt) {
        this.stateBeforeReset = st;
        this.machine.send({ type: 'rcvRst' });
      } else this.sendAck();
      return;
    }
    // Fourth: a SYN in a synchronized state draws a challenge ACK (RFC 5961 §4).
    if (f.syn) {
      if (st === 'SYN_RECV' && h.seq === this.irs) {
        this.sendSynAck(); // a retransmitted SYN: our SYN-ACK was lost
        return;
      }
      this.sendAck();
      return;
    }
    // Fifth: the ACK field.
    if (!f.ack) return;
    this.takeTimestamp(seg);
    if (st === 'SYN_RECV') {
      if (seqGt(h.ack, this.sndUna) && seqLeq(h.ack, this.sndNxt)) {
        this.sndWnd = h.window << this.sndWscale;
        this.sndWl1 = h.seq;
        this.sndWl2 = h.ack;
        this.ackData(h.ack);
        this.machine.send({ type: 'rcvAck', acksSyn: true, acksFin: false });
      } else {
        this.layer.sendReset(this.localIp, this.remoteIp, h, 0);
        return;
      }
    } else {
      if (seqGt(h.ack, this.sndMax)) {
        this.sendAck(); // acknowledges something not yet sent
        return;
      }
      const acksFin = this.processAck(h, payload.length);
      if (acksFin || this.state === 'FIN_WAIT1' || this.state === 'CLOSING' || this.state === 'LAST_ACK') {
        this.machine.send({ type: 'rcvAck', acksSyn: false, acksFin });
      }
      if (this.state === 'CLOSED') return;
    }
    // Seventh: segment text.
    const now = this.state;
    if (payload.length > 0) {
      if ((now === 'FIN_WAIT1' || now === 'FIN_WAIT2') && this.orphan && seqGt(seqAdd(h.seq, payload.length), this.rcvNxt)) {
        // The program has closed: new data cannot be delivered (tcp_rcv_state_process → tcp_reset).
        this.sendActiveReset();
        this.stateBeforeReset = now;
        this.machine.send({ type: 'abort' });
        return;
      }
      if (now === 'ESTABLISHED' || now === 'FIN_WAIT1' || now === 'FIN_WAIT2') this.dataInput(h, payload, seg.pkt);
    }
    // Eighth: FIN.
    if (f.fin) this.finInput(h, payload.length, seg.pkt);
    this.ackSndCheck();
    if (this.sendQ.length > 0 || this.finQueued) this.push();
  }

  private takeTimestamp(seg: IncomingSegment): void {
    if (!this.tsOk) return;
    // RFC 7323 §4.3: remember TSval of a segment covering the last ACK we sent.
    if (seg.tsval !== undefined && seqLeq(seg.h.seq, this.rcvWup)) this.tsRecent = seg.tsval;
  }

  /** SYN_SENT: expect SYN,ACK (RFC 9293 §3.10.7.3). */
  private synSentInput(seg: IncomingSegment): void {
    const { h } = seg;
    const f = h.flags;
    if (f.ack && (seqLeq(h.ack, this.iss) || seqGt(h.ack, this.sndNxt))) {
      if (!f.rst) this.layer.sendReset(this.localIp, this.remoteIp, h, 0);
      return;
    }
    if (f.rst) {
      if (f.ack) {
        this.stateBeforeReset = 'SYN_SENT';
        this.machine.send({ type: 'rcvRst' });
      }
      return;
    }
    if (!f.syn) return;
    this.irs = h.seq;
    this.rcvNxt = seqAdd(h.seq, 1);
    this.rcvWup = this.rcvNxt;
    this.takeSynOptions(seg);
    if (f.ack) {
      this.ackData(h.ack);
      this.sndWnd = h.window << this.sndWscale;
      this.sndWl1 = h.seq;
      this.sndWl2 = h.ack;
      this.ackState.lrcvtime = this.now();
      // The connection's receive window, now that the options are known.
      this.machine.send({ type: 'rcvSynAck' });
      this.sendAck(); // tcp_rcv_synsent_state_process: ACK at once (no pending writes)
      this.push();
    } else {
      // Simultaneous open.
      this.sndWnd = h.window;
      this.machine.send({ type: 'rcvSyn' });
    }
  }

  /** Acknowledged bytes leave the retransmission queue; RTT is sampled (RFC 6298). */
  private ackData(ack: number): void {
    const acked = seqDiff(ack, this.sndUna);
    if (acked <= 0) return;
    // RTT sample from the oldest segment this ACK covers, unless it was retransmitted (Karn).
    let sample: number | undefined;
    const log = this.sentLog;
    while (this.sentHead < log.length && seqLeq(log[this.sentHead]!.end, ack)) {
      const info = log[this.sentHead++]!;
      if (!info.retransmitted && sample === undefined) sample = this.now() - info.t;
    }
    if (this.sentHead > 64 && this.sentHead * 2 > log.length) {
      this.sentLog = log.slice(this.sentHead);
      this.sentHead = 0;
    }
    if (sample !== undefined) this.rttSample(sample);
    // Data bytes acknowledged (SYN and FIN occupy sequence space but not the send queue).
    let dataAcked = acked;
    if (seqLeq(this.sndUna, this.iss) && seqGt(ack, this.iss)) dataAcked--;
    if (this.finSent && seqGt(ack, this.finSeq)) dataAcked--;
    if (dataAcked > 0) this.sendQ.drop(dataAcked);
    this.sndUna = ack;
    if (seqLt(this.sndNxt, this.sndUna)) this.sndNxt = this.sndUna;
    this.retries = 0;
    this.synAckRetries = 0;
    if (seqGeq(this.sndUna, this.sndMax)) this.stopRto();
    else this.armRto();
    if (dataAcked > 0) this.sock.notify();
  }

  private rttSample(r: number): void {
    if (this.srtt === 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    // Linux __tcp_set_rto: srtt + max(4·rttvar, TCP_RTO_MIN).
    this.rto = Math.min(TCP.RTO_MAX, Math.round(this.srtt + Math.max(4 * this.rttvar, TCP.RTO_MIN)));
  }

  /** ACK processing in a synchronized state (RFC 9293 §3.10.7.4 fifth, RFC 5681, RFC 6582). Returns whether our FIN is now acknowledged. */
  private processAck(h: TcpHeader, payloadLen: number): boolean {
    const ack = h.ack;
    const wasFinAcked = this.finSent && seqGt(this.sndUna, this.finSeq);
    if (seqLt(ack, this.sndUna)) return false; // old
    const wndField = h.window << this.sndWscale;
    if (ack === this.sndUna) {
      const outstanding = seqGt(this.sndMax, this.sndUna);
      if (outstanding && payloadLen === 0 && !h.flags.fin && wndField === this.sndWnd) {
        this.dupAcks++;
        if (this.dupAcks === 3 && !this.inRecovery) this.fastRetransmit();
        else if (this.inRecovery) {
          this.cwnd += this.sndMss;
          this.push();
        }
      }
    } else {
      const acked = seqDiff(ack, this.sndUna);
      this.dupAcks = 0;
      if (this.inRecovery) {
        if (seqGeq(ack, this.recover)) {
          this.inRecovery = false;
          this.cwnd = this.ssthresh;
        } else {
          // NewReno partial ACK: retransmit the next hole, deflate.
          this.ackData(ack);
          this.retransmitHead();
          this.cwnd = Math.max(this.sndMss, this.cwnd - acked + this.sndMss);
        }
      } else if (this.cwnd < this.ssthresh) {
        this.cwnd += Math.min(acked, this.sndMss); // slow start (RFC 5681 §3.1, ABC L=1)
      } else {
        this.cwnd += Math.max(1, Math.floor((this.sndMss * this.sndMss) / this.cwnd));
      }
      this.ackData(ack);
    }
    // Window update (RFC 9293 §3.10.7.4: SND.WL1/WL2 rule).
    if (seqLt(this.sndWl1, h.seq) || (this.sndWl1 === h.seq && seqLeq(this.sndWl2, ack))) {
      const opened = this.sndWnd === 0 && wndField > 0;
      this.sndWnd = wndField;
      this.sndWl1 = h.seq;
      this.sndWl2 = ack;
      if (opened && this.persistTimer) {
        this.layer.sim.cancel(this.persistTimer);
        this.persistTimer = undefined;
      }
    }
    return !wasFinAcked && this.finSent && seqGt(this.sndUna, this.finSeq);
  }

  private fastRetransmit(): void {
    const flight = seqDiff(this.sndMax, this.sndUna);
    this.ssthresh = Math.max(Math.floor(flight / 2), 2 * this.sndMss);
    this.recover = this.sndMax;
    this.inRecovery = true;
    this.retransmitHead();
    this.cwnd = this.ssthresh + 3 * this.sndMss;
  }

  private retransmitHead(): void {
    const outstandingData = Math.min(this.sendQ.length, seqDiff(this.sndMax, this.sndUna));
    const len = Math.min(this.sndMss, outstandingData);
    const finHere = this.finSent && seqDiff(this.finSeq, this.sndUna) === len;
    const saveNxt = this.sndNxt;
    this.transmitData(this.sndUna, 0, len, finHere ? (len > 0 ? FL.FPA : FL.FA) : FL.PA, finHere);
    if (seqGt(saveNxt, this.sndNxt)) this.sndNxt = saveNxt;
    this.armRto();
  }

  /** In-order data goes to the receive queue; out-of-order data waits (RFC 9293 §3.10.7.4 seventh). */
  private dataInput(h: TcpHeader, payload: Uint8Array, pkt: number): void {
    let seq = h.seq;
    let data = payload;
    if (seqLt(seq, this.rcvNxt)) {
      const skip = seqDiff(this.rcvNxt, seq);
      if (skip >= data.length) {
        // Entirely old data: D-SACK it at once (tcp_data_queue → tcp_send_dupack).
        this.ackState.pending |= ACK_SCHED | ACK_NOW;
        return;
      }
      data = data.subarray(skip);
      seq = this.rcvNxt;
    }
    const wndRight = seqAdd(this.rcvWup, this.rcvWndAdvertised);
    if (seqGt(seqAdd(seq, data.length), wndRight)) data = data.subarray(0, Math.max(0, seqDiff(wndRight, seq)));
    if (data.length === 0) return;
    this.measureRcvMss(payload.length, h.flags);
    // The queues keep views of the arrived frame rather than copies: frames are never written
    // once sent (headroom.ts), and recv() copies out of the queue (ByteQueue.take).
    if (seq !== this.rcvNxt) {
      const ofo = (this.ofo ??= new Map());
      if (!ofo.has(seq)) ofo.set(seq, { data, fin: false, pkt });
      // Out of order: ACK now, with SACK blocks (RFC 2018 §4), and re-enter quick-ACK mode.
      this.ackState.pending |= ACK_SCHED | ACK_NOW;
      this.incrQuickack();
      return;
    }
    this.recvQ.push(data, pkt);
    this.rcvNxt = seqAdd(this.rcvNxt, data.length);
    this.dataRecvEvent();
    this.growWindow(data.length);
    // Pull in any out-of-order data that is now contiguous.
    let filled = false;
    for (;;) {
      const next = this.findOfo();
      if (!next) break;
      filled = true;
      const [oseq, o] = next;
      this.ofo!.delete(oseq);
      const skip = seqDiff(this.rcvNxt, oseq);
      if (skip < o.data.length) {
        this.recvQ.push(o.data.subarray(skip), o.pkt);
        this.rcvNxt = seqAdd(this.rcvNxt, o.data.length - skip);
      }
    }
    if (filled) this.ackState.pending |= ACK_NOW;
    this.sock.notify();
  }

  private findOfo(): [number, { data: Uint8Array; fin: boolean; pkt: number }] | undefined {
    const ofo = this.ofo;
    if (!ofo || ofo.size === 0) return undefined;
    for (const [seq, o] of ofo) {
      if (seqLeq(seq, this.rcvNxt) && seqGt(seqAdd(seq, o.data.length), this.rcvNxt)) return [seq, o];
      if (seqLeq(seqAdd(seq, o.data.length), this.rcvNxt)) {
        ofo.delete(seq);
        return this.findOfo();
      }
    }
    return undefined;
  }

  private sackBlocks(): [number, number][] | undefined {
    if (!this.ofo || this.ofo.size === 0) return undefined;
    const blocks = [...this.ofo.entries()]
      .map(([s, o]) => [s, seqAdd(s, o.data.length)] as [number, number])
      .sort((a, b) => seqDiff(a[0], b[0]));
    const merged: [number, number][] = [];
    for (const b of blocks) {
      const last = merged[merged.length - 1];
      if (last && seqLeq(b[0], last[1])) {
        if (seqGt(b[1], last[1])) last[1] = b[1];
      } else merged.push([b[0], b[1]]);
    }
    return merged.slice(0, 3);
  }

  /** tcp_measure_rcv_mss: learn the peer's segment size; note small pushed segments. */
  private measureRcvMss(len: number, f: TcpFlags): void {
    const a = this.ackState;
    if (len >= a.rcvMss) {
      a.rcvMss = Math.min(len, this.advMss);
      return;
    }
    const withHeader = len + TCP_HEADER_LEN + (this.tsOk ? TCP.TS_LEN : 0);
    const remnant = f.fin || f.syn || f.psh || f.urg;
    if (withHeader >= TCP.MSS_DEFAULT + TCP_HEADER_LEN || (withHeader >= 88 + TCP_HEADER_LEN && !remnant)) {
      if (withHeader === a.lastSegSize) {
        a.rcvMss = withHeader;
        return;
      }
      a.lastSegSize = withHeader;
    }
    if (a.pending & ACK_PUSHED) a.pending |= ACK_PUSHED2;
    a.pending |= ACK_PUSHED;
  }

  private incrQuickack(): void {
    const a = this.ackState;
    let q = Math.floor(this.rcvWndAdvertised / (2 * a.rcvMss));
    if (q === 0) q = 2;
    q = Math.min(q, TCP.MAX_QUICKACKS);
    if (q > a.quick) a.quick = q;
  }

  /** tcp_event_data_recv: the delayed-ACK engine learns the arrival pattern. */
  private dataRecvEvent(): void {
    const a = this.ackState;
    const now = this.now();
    a.pending |= ACK_SCHED;
    if (!a.ato) {
      this.incrQuickack();
      a.ato = TCP.ATO_MIN;
    } else {
      const m = now - a.lrcvtime;
      if (m <= TCP.ATO_MIN / 2) a.ato = (a.ato >> 1) + TCP.ATO_MIN / 2;
      else if (m < a.ato) a.ato = Math.min((a.ato >> 1) + m, this.rto);
      else if (m > this.rto) this.incrQuickack();
    }
    a.lrcvtime = now;
  }

  /**
   * tcp_grow_window, simplified: each in-order segment of 128 bytes or more lets the window grow
   * by two segments (2 × rcv_mss), up to the receive buffer; tiny segments do not (as measured
   * on Linux 6.18, docs/golden.md).
   */
  private growWindow(len: number): void {
    if (len >= 128 && this.rcvSsthresh < TCP.RCV_CAPACITY) {
      this.rcvSsthresh = Math.min(TCP.RCV_CAPACITY, this.rcvSsthresh + 2 * this.ackState.rcvMss);
    }
  }

  /** tcp_fin (net/ipv4/tcp_input.c). */
  private finInput(h: TcpHeader, payloadLen: number, _pkt: number): void {
    const finSeq = seqAdd(h.seq, payloadLen);
    if (finSeq !== this.rcvNxt) {
      if (seqGt(finSeq, this.rcvNxt)) this.ackState.pending |= ACK_SCHED | ACK_NOW; // FIN beyond a hole
      return;
    }
    const st = this.state;
    if (st === 'CLOSE_WAIT' || st === 'CLOSING' || st === 'LAST_ACK' || st === 'TIME_WAIT') {
      if (st === 'TIME_WAIT') this.machine.send({ type: 'rcvFin' });
      this.ackState.pending |= ACK_SCHED | ACK_NOW;
      return;
    }
    this.rcvNxt = seqAdd(this.rcvNxt, 1);
    this.ackState.pending |= ACK_SCHED;
    if (st === 'ESTABLISHED' || st === 'SYN_RECV') {
      // Move to CLOSE_WAIT and enter ping-pong mode: the ACK waits for our own FIN (tcp_fin).
      this.ackState.pingpong = TCP.PINGPONG_THRESH;
      this.machine.send({ type: 'rcvFin' });
    } else if (st === 'FIN_WAIT1') {
      this.sendAck();
      this.machine.send({ type: 'rcvFin' });
    } else if (st === 'FIN_WAIT2') {
      this.sendAck();
      this.machine.send({ type: 'rcvFin' });
    }
  }

  private inQuickackMode(): boolean {
    const a = this.ackState;
    return a.quick > 0 && a.pingpong < TCP.PINGPONG_THRESH;
  }

  /** __tcp_ack_snd_check: ACK now, or arm the delayed-ACK timer. */
  private ackSndCheck(): void {
    const a = this.ackState;
    if (!(a.pending & ACK_SCHED)) return;
    const st = this.state;
    if (st === 'CLOSED' || st === 'TIME_WAIT') return;
    const moreThanOneFull = seqDiff(this.rcvNxt, this.rcvWup) > a.rcvMss && this.recvWindow() >= this.rcvWndAdvertised - seqDiff(this.rcvNxt, this.rcvWup);
    if (moreThanOneFull || this.inQuickackMode() || a.pending & ACK_NOW) {
      this.sendAck(this.sackBlocks());
      return;
    }
    this.sendDelayedAck();
  }

  /** tcp_send_delayed_ack. */
  private sendDelayedAck(): void {
    const a = this.ackState;
    let ato = a.ato || TCP.ATO_MIN;
    if (ato > TCP.ATO_MIN) {
      const maxAto = a.pingpong >= TCP.PINGPONG_THRESH || a.pending & ACK_PUSHED ? TCP.DELACK_MAX : 500_000;
      ato = Math.min(ato, maxAto);
    }
    if (a.timer) return; // already armed: keep the earlier deadline
    a.pending |= ACK_TIMER;
    const sim = this.layer.sim;
    this.layer.recordTimer(this, 'delayed-ack', 'set', sim.now + ato);
    a.timer = sim.after(ato, TcpConnection.delackFire, this);
  }

  /** tcp_delack_timer_handler (static, with the connection as its argument: no closure per timer). */
  private static delackFire(c: TcpConnection): void {
    const a = c.ackState;
    a.timer = undefined;
    c.layer.recordTimer(c, 'delayed-ack', 'fire');
    if (!(a.pending & ACK_SCHED)) return;
    // A missed delayed ACK leaves ping-pong mode or inflates the ATO.
    if (a.pingpong < TCP.PINGPONG_THRESH) a.ato = Math.min(a.ato << 1, c.rto);
    else {
      a.pingpong = 0;
      a.ato = TCP.ATO_MIN;
    }
    c.sendAck();
  }

  /** tcp_cleanup_rbuf: after the application read `copied` bytes, maybe ACK or update the window. */
  private cleanupRbuf(copied: number, windowBefore: number): void {
    const a = this.ackState;
    let timeToAck = false;
    if (a.pending & ACK_SCHED) {
      if (
        seqDiff(this.rcvNxt, this.rcvWup) > a.rcvMss ||
        (copied > 0 && (a.pending & ACK_PUSHED2 || (a.pending & ACK_PUSHED && a.pingpong < TCP.PINGPONG_THRESH)) && this.recvQ.length === 0)
      )
        timeToAck = true;
    }
    if (copied > 0 && !timeToAck && !this.sock.rcvShutdown) {
      const now = windowBefore;
      const newWin = this.recvWindow();
      if (2 * now <= TCP.RCV_CAPACITY && newWin > 0 && newWin >= 2 * now) timeToAck = true;
    }
    const st = this.state;
    if (timeToAck && (st === 'ESTABLISHED' || st === 'FIN_WAIT1' || st === 'FIN_WAIT2')) this.sendAck();
  }
}
