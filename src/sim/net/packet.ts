/**
 * A packet on its way through one host's layers: what a layer hands the next one across the
 * kernel queue (the part of Linux's sk_buff that says which packet this is and where its
 * headers are). Each layer step is a kernel event called with the packet as its argument, so a
 * packet costs one small object per direction instead of a closure per layer.
 * Pure: plain data.
 */
import type { Route } from './ipv4-layer.ts';

/** Told when the next hop of one of its packets cannot be resolved (ARP failed). */
export interface UnreachableListener {
  onUnreachable(): void;
}

/** A packet going down: built by a transport, sent by IPv4 and the link layer. */
export class OutPacket {
  /** The route IPv4 chose, for the link layer. */
  route: Route | undefined = undefined;

  constructor(
    /** The trace's packet id. */
    readonly pkt: number,
    /**
     * The whole frame's memory (FrameMemory.frame): the transport PDU at TRANSPORT_HEADROOM,
     * then the IPv4 header in front of it at 14 and the Ethernet header at 0; as long as the
     * Ethernet frame with its padding.
     */
    readonly frame: Uint8Array,
    /** Length of the transport PDU. */
    readonly transportLength: number,
    readonly protocol: number,
    readonly src: number,
    readonly dst: number,
    /** IPv4 identification; undefined: chosen as Linux does for an unconnected socket. */
    readonly id: number | undefined,
    /** May be fragmented when larger than the MTU (false for TCP, which always fits). */
    readonly allowFragment: boolean,
    readonly ttl: number,
    readonly tos: number,
    readonly unreachable: UnreachableListener | undefined,
  ) {}
}

/** A packet going up, once the link layer has taken it: IPv4 reads it, then hands it to a transport. */
export class InPacket {
  /** Filled by IPv4 for the transport. */
  protocol = 0;
  src = 0;
  dst = 0;
  /** The IPv4 packet, trimmed to its total length, and its payload. */
  packet: Uint8Array;
  payload: Uint8Array;

  constructor(
    readonly pkt: number,
    /** The IPv4 packet as it arrived (possibly followed by link padding). */
    readonly raw: Uint8Array,
  ) {
    this.packet = raw;
    this.payload = raw;
  }
}
