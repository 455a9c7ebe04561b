/**
 * A host's Ethernet interface (eth0…): its addresses and its end of a link. Pure: it only hands
 * frames to the link and received frames to its host's stack.
 */
import type { Link, LinkEnd } from './link.ts';
import { parseMac } from './addr.ts';

export interface NicReceiver {
  linkInput(nic: Nic, frame: Uint8Array, pkt: number): void;
}

export class Nic implements LinkEnd {
  link: Link | undefined;
  /** IPv4 address and netmask as 32-bit numbers, for fast routing decisions. */
  readonly ipNum: number;
  readonly maskNum: number;
  readonly macBytes: Uint8Array;

  constructor(
    readonly stack: NicReceiver,
    readonly node: string,
    readonly iface: string,
    readonly mac: string,
    readonly ip: string,
    readonly netmask: string,
    ipNum: number,
    maskNum: number,
    readonly mtu: number,
  ) {
    this.ipNum = ipNum >>> 0;
    this.maskNum = maskNum >>> 0;
    const b = parseMac(mac);
    if (!b) throw new Error(`bad MAC address ${mac} for ${node}/${iface}`);
    this.macBytes = b;
  }

  receive(frame: Uint8Array, pkt: number): void {
    this.stack.linkInput(this, frame, pkt);
  }

  transmit(frame: Uint8Array, pkt: number): void {
    this.link?.transmit(this, frame, pkt);
  }
}
