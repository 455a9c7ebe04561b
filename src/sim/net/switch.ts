/**
 * A learning Ethernet switch (IEEE 802.1D transparent bridging, without spanning tree).
 * Pure: schedules on the kernel only. Store-and-forward: a frame is forwarded once it has fully
 * arrived, after a fixed processing delay. It learns source MACs per port, forwards known
 * unicast out of one port, floods broadcast and unknown destinations, and never sends a frame
 * back out of the port it came in on.
 */
import type { Sim } from '../kernel.ts';
import type { Micros } from '../time.ts';
import type { Link, LinkEnd } from './link.ts';

export class SwitchPort implements LinkEnd {
  link: Link | undefined;
  constructor(
    readonly owner: Switch,
    readonly node: string,
    readonly iface: string,
  ) {}

  receive(frame: Uint8Array, pkt: number): void {
    this.owner.input(this, frame, pkt);
  }
}

function macKey(frame: Uint8Array, offset: number): number {
  // 48-bit MAC as a JS number (exact below 2^53).
  return (
    frame[offset]! * 0x10000000000 +
    frame[offset + 1]! * 0x100000000 +
    ((frame[offset + 2]! << 24) >>> 0) +
    (frame[offset + 3]! << 16) +
    (frame[offset + 4]! << 8) +
    frame[offset + 5]!
  );
}

export class Switch {
  readonly ports: SwitchPort[] = [];
  private readonly table = new Map<number, SwitchPort>();

  constructor(
    private readonly sim: Sim,
    readonly name: string,
    /** Forwarding decision time, µs. */
    readonly processingDelay: Micros = 2,
  ) {}

  addPort(): SwitchPort {
    const p = new SwitchPort(this, this.name, `port${this.ports.length + 1}`);
    this.ports.push(p);
    return p;
  }

  input(from: SwitchPort, frame: Uint8Array, pkt: number): void {
    if (frame.length < 14) return;
    const src = macKey(frame, 6);
    if ((frame[6]! & 1) === 0) this.table.set(src, from);
    const dstIsGroup = (frame[0]! & 1) === 1;
    const known = dstIsGroup ? undefined : this.table.get(macKey(frame, 0));
    this.sim.after(this.processingDelay, () => {
      if (known) {
        if (known !== from) known.link?.transmit(known, frame, pkt);
        return;
      }
      for (const p of this.ports) if (p !== from) p.link?.transmit(p, frame, pkt);
    });
  }
}
