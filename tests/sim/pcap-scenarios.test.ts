/**
 * The pcap of whole simulated runs, read by Wireshark's tshark with checksum validation on:
 * no malformed frames and no bad checksums, including ARP, fragments, ICMP errors, RSTs,
 * retransmissions and duplicates.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/builtin.ts';
import { runScenario } from '../../src/sim/scenario.ts';
import { traceToPcap } from '../../src/sim/trace-export.ts';
import { readPcap } from '../../src/sim/net/pcap.ts';
import { problems, requireTshark, tsharkVerdicts } from './tshark-check.ts';
import { lossyMixed } from '../../bench/trace-hashes.ts';

describe('pcap of simulated runs, as tshark sees them', () => {
  it.each(BUILTIN_SCENARIOS.filter((s) => s.network.hosts.length > 1).map((s) => [s.id, s] as const))('%s has no malformed frame or bad checksum', (_id, s) => {
    requireTshark();
    const pcap = traceToPcap(runScenario(s).trace);
    const v = tsharkVerdicts(pcap);
    expect(v.length).toBe(readPcap(pcap).records.length);
    expect(v.length).toBeGreaterThan(2);
    expect(problems(v)).toEqual([]);
  });

  it('a lossy, duplicating run with fragments, pings and resets has no malformed frame or bad checksum', () => {
    requireTshark();
    // The same run whose trace hash bench/trace-hashes.json pins ('pcap.test:mixed(11)').
    const { trace } = runScenario(lossyMixed(11));
    const pcap = traceToPcap(trace);
    const v = tsharkVerdicts(pcap);
    expect(v.length).toBeGreaterThan(30);
    expect(problems(v)).toEqual([]);
  });
});
