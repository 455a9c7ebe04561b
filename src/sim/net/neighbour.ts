/**
 * ARP (RFC 826) and the neighbour cache, as Linux runs them. Pure: schedules on the kernel.
 *
 * Linux behaviour followed (net/ipv4/arp.c, net/core/neighbour.c):
 * - The first IP packet to a new neighbour waits in the entry's queue (state INCOMPLETE) while
 *   an ARP request is broadcast; the reply flushes the queue.
 * - Requests are retried every `retrans_time` (1 s) up to `mcast_solicit` (3) times; then the
 *   entry FAILS, queued packets are dropped and their senders get "No route to host".
 * - A request addressed to us also creates or updates the sender's entry (arp_process →
 *   neigh_event_ns), so the answering host does not have to ARP back.
 * Simplification: entries do not age (runs are shorter than base_reachable_time, 30 s).
 */
import type { Sim, Handle } from '../kernel.ts';
import type { ArpEvent, LayerEvent } from '../trace.ts';
import { formatIPv4, requireIPv4 } from './addr.ts';
import { ARP_LEN, ARP_REPLY, ARP_REQUEST, decodeArp, writeArp } from './wire/arp.ts';
import { ETHERTYPE_ARP, ethernetFrameLength, writeEthernetHeader } from './wire/ethernet.ts';
import type { Nic } from './nic.ts';
import { BROADCAST_MAC, ZERO_MAC, parseMac } from './addr.ts';

/** A MAC string as bytes (undefined if it does not parse: frames then take the string path, which reports it). */
function macBytes(mac: string): Uint8Array | undefined {
  return parseMac(mac) ?? undefined;
}

/** neigh/default/retrans_time_ms */
export const ARP_RETRANS_US = 1_000_000;
/** neigh/default/mcast_solicit */
export const ARP_MCAST_SOLICIT = 3;

interface Pending {
  /** Build and send the frame once the MAC is known. */
  send: (mac: string) => void;
  /** The neighbour could not be resolved. */
  fail: () => void;
}

interface Entry {
  ip: number;
  mac?: string;
  /** `mac` as bytes, for building frames. */
  macBytes?: Uint8Array;
  state: 'INCOMPLETE' | 'REACHABLE' | 'FAILED';
  queue: Pending[];
  probes: number;
  timer?: Handle;
  nic: Nic;
}

export class NeighbourTable {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly sim: Sim,
    private readonly host: string,
    private readonly layerDelay: number,
  ) {}

  /** The cached MAC for `ip`, if resolved. */
  lookup(ip: number): string | undefined {
    const e = this.entries.get(ip);
    return e?.state === 'REACHABLE' ? e.mac : undefined;
  }

  /** The cached MAC for `ip` as bytes, if resolved: what resolve() would hand over at once. */
  resolvedMac(ip: number): Uint8Array | undefined {
    const e = this.entries.get(ip);
    return e?.state === 'REACHABLE' && e.mac ? e.macBytes : undefined;
  }

  /** All resolved entries, for `arp -n` views. */
  table(): { ip: string; mac: string; iface: string }[] {
    const out: { ip: string; mac: string; iface: string }[] = [];
    for (const e of this.entries.values()) if (e.mac) out.push({ ip: formatIPv4(e.ip), mac: e.mac, iface: e.nic.iface });
    return out;
  }

  /** Resolve `ip` on `nic`, then call `p.send(mac)`; or `p.fail()` if nobody answers. */
  resolve(nic: Nic, ip: number, p: Pending): void {
    let e = this.entries.get(ip);
    if (e?.state === 'REACHABLE' && e.mac) {
      p.send(e.mac);
      return;
    }
    if (!e || e.state === 'FAILED') {
      e = { ip, state: 'INCOMPLETE', queue: [], probes: 0, nic };
      this.entries.set(ip, e);
      e.queue.push(p);
      this.probe(e);
      return;
    }
    e.queue.push(p);
  }

  private probe(e: Entry): void {
    if (e.probes >= ARP_MCAST_SOLICIT) {
      e.state = 'FAILED';
      const q = e.queue;
      e.queue = [];
      for (const p of q) p.fail();
      return;
    }
    e.probes++;
    this.sendArp(e.nic, ARP_REQUEST, BROADCAST_MAC, ZERO_MAC, e.ip);
    e.timer = this.sim.after(ARP_RETRANS_US, () => this.probe(e));
  }

  private sendArp(nic: Nic, op: 1 | 2, dstMac: string, targetMac: string, targetIp: number): void {
    const pkt = this.sim.newPacketId();
    const frame = new Uint8Array(ethernetFrameLength(ARP_LEN));
    writeEthernetHeader(frame, 0, { dst: dstMac, src: nic.mac, etherType: ETHERTYPE_ARP });
    writeArp(frame, 14, { op, senderMac: nic.mac, senderIp: nic.ip, targetMac, targetIp: formatIPv4(targetIp) });
    this.sim.record<LayerEvent>({
      t: this.sim.now,
      k: 'layer',
      host: this.host,
      pkt,
      dir: 'down',
      layer: 'link',
      pdu: 'frame',
      proto: 'arp',
      len: frame.length,
      iface: nic.iface,
    });
    nic.transmit(frame, pkt);
  }

  private learn(nic: Nic, ip: number, mac: string): void {
    let e = this.entries.get(ip);
    if (!e) {
      e = { ip, state: 'REACHABLE', mac, macBytes: macBytes(mac), queue: [], probes: 0, nic };
      this.entries.set(ip, e);
      this.sim.record<ArpEvent>({ t: this.sim.now, k: 'arp', host: this.host, op: 'add', ip: formatIPv4(ip), mac });
      return;
    }
    const changed = e.mac !== mac || e.state !== 'REACHABLE';
    if (e.mac !== mac) e.macBytes = macBytes(mac);
    e.mac = mac;
    e.state = 'REACHABLE';
    e.probes = 0;
    this.sim.cancel(e.timer);
    e.timer = undefined;
    if (changed) this.sim.record<ArpEvent>({ t: this.sim.now, k: 'arp', host: this.host, op: 'update', ip: formatIPv4(ip), mac });
    const q = e.queue;
    e.queue = [];
    for (const p of q) p.send(mac);
  }

  /** An ARP frame arrived on `nic` (payload after the Ethernet header). */
  input(nic: Nic, payload: Uint8Array, pkt: number): void {
    let arp;
    try {
      arp = decodeArp(payload);
    } catch {
      return;
    }
    const forUs = arp.targetIp === nic.ip;
    this.sim.record<LayerEvent>({
      t: this.sim.now,
      k: 'layer',
      host: this.host,
      pkt,
      dir: 'up',
      layer: 'link',
      pdu: 'frame',
      proto: 'arp',
      len: payload.length + 14,
      iface: nic.iface,
    });
    const senderIp = requireIPv4(arp.senderIp);
    if (arp.op === ARP_REQUEST) {
      if (!forUs) return;
      // arp_process: answer, and note the sender (neigh_event_ns).
      this.learn(nic, senderIp, arp.senderMac);
      this.sim.after(this.layerDelay, () => this.sendArp(nic, ARP_REPLY, arp.senderMac, arp.senderMac, senderIp));
    } else if (arp.op === ARP_REPLY) {
      // Linux accepts a reply only for an entry it is resolving or already has.
      if (this.entries.has(senderIp)) this.learn(nic, senderIp, arp.senderMac);
    }
  }
}
