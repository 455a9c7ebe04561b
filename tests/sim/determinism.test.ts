import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/builtin.ts';
import { runScenario } from '../../src/sim/scenario.ts';
import { traceToJson, traceToPcap } from '../../src/sim/trace-export.ts';

describe('determinism', () => {
  it.each(BUILTIN_SCENARIOS.map((s) => [s.id, s] as const))('%s: the same seed gives a byte-identical trace and pcap', (_id, s) => {
    const a = runScenario(s).trace;
    const b = runScenario(s).trace;
    expect(traceToJson(a)).toBe(traceToJson(b));
    expect(traceToPcap(a)).toEqual(traceToPcap(b));
  });

  it('a different seed changes what is random (ISNs, ephemeral ports) but not what happens', () => {
    const s = BUILTIN_SCENARIOS.find((x) => x.id === 'tcp-echo')!;
    const a = runScenario(s, { seed: 1 }).trace;
    const b = runScenario(s, { seed: 2 }).trace;
    expect(traceToJson(a)).not.toBe(traceToJson(b));
    const kinds = (t: typeof a) => t.events.map((e) => e.k).join(',');
    expect(kinds(a)).toBe(kinds(b));
    const ports = (t: typeof a) => t.events.filter((e) => e.k === 'port' && e.ephemeral).map((e) => (e as { port: number }).port);
    expect(ports(a)).not.toEqual(ports(b));
  });

  it('keeps events in (time, sequence) order', () => {
    for (const s of BUILTIN_SCENARIOS) {
      const { events } = runScenario(s).trace;
      for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    }
  });
});
