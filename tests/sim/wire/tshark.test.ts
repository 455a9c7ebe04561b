// Wireshark's opinion of our encoders: one frame of each kind, written with writePcap, read by
// tshark with checksum validation on. No malformed packets, no bad checksums, no errors.
import { describe, expect, it } from 'vitest';
import { writePcap } from '../../../src/sim/net/pcap.ts';
import { sampleFrames } from './sample-frames.ts';
import { problems, requireTshark, tsharkVerdicts } from '../tshark-check.ts';

/** Runs tshark over the frames; returns one verdict per frame. */
function tshark(frames: Uint8Array[]) {
  return tsharkVerdicts(writePcap(frames.map((bytes, i) => ({ t: 1_000_000 + i * 1000, bytes }))));
}

describe('tshark reads our frames', () => {
  const samples = sampleFrames();

  it('finds no malformed packet, bad checksum or error in any frame', () => {
    requireTshark();
    const verdicts = tshark(samples.map((s) => s.bytes));
    expect(verdicts.map((v) => v.frame)).toEqual(samples.map((_, i) => i + 1));
    expect(problems(verdicts, (n) => samples[n - 1]!.name)).toEqual([]);
  });

  it('does flag a frame whose checksums we break (so the check above can fail)', () => {
    requireTshark();
    const broken = samples
      .filter((s) => ['echo-request', 'syn', 'udp'].includes(s.name))
      .map((s) => {
        const b = s.bytes.slice();
        const ipEnd = 14 + ((b[16]! << 8) | b[17]!); // frames may be padded: stay inside the IP datagram
        b[ipEnd - 1] = b[ipEnd - 1]! ^ 0x01; // covered by the ICMP/TCP/UDP checksum
        return b;
      });
    const ipBroken = samples.find((s) => s.name === 'data')!.bytes.slice();
    ipBroken[22] = ipBroken[22]! ^ 0x01; // TTL, covered by the IP header checksum only
    const verdicts = tshark([...broken, ipBroken]);
    expect(verdicts).toHaveLength(4);
    for (const v of verdicts) expect(v.messages.join('; ')).toMatch(/Bad checksum/);
  });
});
