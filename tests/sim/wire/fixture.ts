// Loads the real Linux capture (tests/fixtures/wire/linux-sample.pcap, made by capture.sh).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readPcap } from '../../../src/sim/net/pcap.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/wire/', import.meta.url));

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES + name));
}

/** The frames of linux-sample.pcap; index i is tshark's frame number i + 1. */
export function linuxFrames(): Uint8Array[] {
  return readPcap(fixtureBytes('linux-sample.pcap')).records.map((r) => r.bytes);
}

/** Frame numbers (1-based, as tshark shows them) of the capture's notable frames. */
export const F = {
  arpRequest: 1,
  arpReply: 2,
  echoRequest: 3,
  echoReply: 4,
  syn: 5,
  synAck: 6,
  ack: 7,
  clientData: 8,
  serverAck: 9,
  serverData: 10,
  clientAck: 11,
  clientFin: 12,
  serverFin: 13,
  lastAck: 14,
  udpSmall: 15,
  icmpSmall: 16,
  udpBig: 17,
  icmpBig: 18,
  synClosed: 19,
  rst: 20,
} as const;
