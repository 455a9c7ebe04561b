/**
 * The pcap of whole simulated runs, read by Wireshark's tshark with checksum validation on:
 * no malformed frames and no bad checksums, including ARP, fragments, ICMP errors, RSTs,
 * retransmissions and duplicates.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM, b } from '../../src/sim/api/pysocket.ts';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/builtin.ts';
import { runScenario } from '../../src/sim/scenario.ts';
import { traceToPcap } from '../../src/sim/trace-export.ts';
import { readPcap } from '../../src/sim/net/pcap.ts';
import { problems, requireTshark, tsharkVerdicts } from './tshark-check.ts';
import { run } from './harness.ts';

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
    const { trace } = run(
      [
        {
          host: 'server',
          *program(py) {
            const u = yield* py.socket(AF_INET, SOCK_DGRAM);
            yield* u.bind(['', 9000]);
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            yield* s.bind(['', 8080]);
            yield* s.listen(5);
            const [c] = yield* s.accept();
            let n = 0;
            for (;;) {
              const d = yield* c.recv(65536);
              if (!d.length) break;
              n += d.length;
            }
            yield* py.print(n);
            yield* c.close();
          },
        },
        {
          host: 'client',
          start: 1000,
          *program(py) {
            yield* py.ping('server');
            const u = yield* py.socket(AF_INET, SOCK_DGRAM);
            yield* u.sendto(new Uint8Array(3000), ['server', 9000]);
            yield* u.sendto(b('x'), ['server', 9001]);
            const r = yield* py.socket(AF_INET, SOCK_STREAM);
            try {
              yield* r.connect(['server', 9]);
            } catch {
              /* refused */
            }
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            yield* s.connect(['server', 8080]);
            yield* s.sendall(new Uint8Array(30000).fill(65));
            yield* s.close();
          },
        },
      ],
      { link: { mtu: 1500, latency: 300, impairments: { loss: 0.05, duplicate: 0.05, reorder: 0.05, reorderDelay: 1000 } }, seed: 11 },
    );
    const pcap = traceToPcap(trace);
    const v = tsharkVerdicts(pcap);
    expect(v.length).toBeGreaterThan(30);
    expect(problems(v)).toEqual([]);
  });
});
