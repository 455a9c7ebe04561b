/**
 * An Ethernet link between two ports (a host's interface or a switch port). Pure: it schedules
 * on the simulation kernel and draws impairments from a seeded generator derived for this link.
 *
 * Each direction is a FIFO: a frame starts when the previous one has left (serialisation at the
 * link's bandwidth), its first bit arrives `latency` later and the receiver takes it when the
 * last bit is in. On-wire time counts preamble+SFD (8 bytes), FCS (4) and the inter-frame gap
 * (12) around the bytes pcap shows (IEEE 802.3 §4.4.2). Loss, duplication and reordering
 * (an extra random delay) are decided per frame when it is sent.
 */
import type { Sim } from '../kernel.ts';
import type { Rng } from '../rng.ts';
import type { Micros } from '../time.ts';
import type { LinkInfo, WireEvent } from '../trace.ts';

/** Something a link can deliver a frame to. */
export interface LinkEnd {
  readonly node: string;
  readonly iface: string;
  /** Called when the last bit of `frame` has arrived. */
  receive(frame: Uint8Array, pkt: number, link: Link): void;
}

export interface Impairments {
  /** Probability a frame is lost. */
  loss: number;
  /** Probability a frame is delivered twice. */
  duplicate: number;
  /** Probability a frame is held back by an extra random delay (so later frames overtake it). */
  reorder: number;
  /** Maximum extra delay of a reordered frame, µs. */
  reorderDelay: Micros;
  /** Uniform random extra latency per frame, µs (jitter). */
  jitter: Micros;
}

export const NO_IMPAIRMENTS: Impairments = { loss: 0, duplicate: 0, reorder: 0, reorderDelay: 0, jitter: 0 };

export interface LinkConfig {
  mtu: number;
  latency: Micros;
  /** Bits per second. */
  bandwidth: number;
  impairments: Impairments;
}

/** Bytes a frame occupies on the wire beyond what pcap shows: preamble+SFD, FCS, inter-frame gap. */
const WIRE_OVERHEAD = 8 + 4 + 12;

export class Link {
  private busyUntil: [Micros, Micros] = [0, 0];
  private readonly rng: Rng;
  /** Frames currently in flight or queued, for tests and the view. */
  sent = 0;

  /** The two ends as wire events name them: made once and shared by every event (trace events are read-only). */
  private readonly endA: { node: string; iface: string };
  private readonly endB: { node: string; iface: string };

  constructor(
    private readonly sim: Sim,
    readonly id: string,
    readonly a: LinkEnd,
    readonly b: LinkEnd,
    readonly config: LinkConfig,
  ) {
    this.rng = sim.rng.derive(`link:${id}`);
    this.endA = Object.freeze({ node: a.node, iface: a.iface });
    this.endB = Object.freeze({ node: b.node, iface: b.iface });
  }

  info(): LinkInfo {
    return {
      id: this.id,
      a: { node: this.a.node, iface: this.a.iface },
      b: { node: this.b.node, iface: this.b.iface },
      mtu: this.config.mtu,
      latency: this.config.latency,
      bandwidth: this.config.bandwidth,
    };
  }

  /** Serialisation time of a frame of `len` bytes (pcap length). */
  txTime(len: number): Micros {
    return Math.max(1, Math.ceil(((len + WIRE_OVERHEAD) * 8 * 1_000_000) / this.config.bandwidth));
  }

  /** Send `frame` from end `from`; it is queued behind frames already going that way. */
  transmit(from: LinkEnd, frame: Uint8Array, pkt: number): void {
    const dir = from === this.a ? 0 : 1;
    const to = dir === 0 ? this.b : this.a;
    const sim = this.sim;
    const start = Math.max(sim.now, this.busyUntil[dir]);
    const txEnd = start + this.txTime(frame.length);
    this.busyUntil[dir] = txEnd;
    this.sent++;
    const imp = this.config.impairments;
    const lost = imp.loss > 0 && this.rng.chance(imp.loss);
    let extra = imp.jitter > 0 ? this.rng.int(imp.jitter + 1) : 0;
    if (!lost && imp.reorder > 0 && this.rng.chance(imp.reorder)) extra += 1 + this.rng.int(Math.max(1, imp.reorderDelay));
    const dup = !lost && imp.duplicate > 0 && this.rng.chance(imp.duplicate);
    const latency = this.config.latency + extra;
    const ev = this.wireEvent(start, from, to, frame, pkt, txEnd, start + latency, txEnd + latency, lost ? 'lost' : 'ok');
    const emit = dup
      ? (): void => {
          this.emit(ev);
          // The copy follows right behind the original on the wire.
          const gap = this.txTime(frame.length);
          sim.at(txEnd, this.emit, this.wireEvent(txEnd, from, to, frame, pkt, txEnd + gap, txEnd + latency, txEnd + gap + latency, 'duplicate'));
        }
      : undefined;
    if (start === sim.now) {
      if (emit) emit();
      else this.emit(ev);
    } else if (emit) sim.at(start, emit);
    else sim.at(start, this.emit, ev);
  }

  /**
   * The frame (or a duplicate's copy) starts onto the wire now: its wire event is recorded, and
   * unless the link loses it, the receiver gets it when its last bit is in. The event is also the
   * arrival's argument: it names the frame, its packet and the end it goes to.
   */
  private readonly emit = (ev: WireEvent): void => {
    this.sim.log<WireEvent>(ev); // stamped with its start (a copy: txEnd), which is now
    if (ev.fate !== 'lost') this.sim.at(ev.rxEnd, this.arrive, ev);
  };

  private readonly arrive = (ev: WireEvent): void => {
    (ev.to === this.endA ? this.a : this.b).receive(ev.bytes, ev.pkt, this);
  };

  /** A wire event, to be recorded at `t`. */
  private wireEvent(
    t: Micros,
    from: LinkEnd,
    to: LinkEnd,
    bytes: Uint8Array,
    pkt: number,
    txEnd: Micros,
    rxStart: Micros,
    rxEnd: Micros,
    fate: WireEvent['fate'],
  ): WireEvent {
    return {
      t,
      k: 'wire',
      pkt,
      link: this.id,
      from: from === this.a ? this.endA : this.endB,
      to: to === this.a ? this.endA : this.endB,
      bytes,
      txEnd,
      rxStart,
      rxEnd,
      fate,
    };
  }
}
