/**
 * The built-in scenarios (TypeScript programs mirroring tests/golden/cases/*.py) against what real
 * Linux and CPython did with the same programs (tests/golden/recorded/). The simulator must put
 * the same significant segments on the wire and print the same lines.
 */
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/builtin.ts';
import { runScenario } from '../../src/sim/scenario.ts';
import { traceToPcap } from '../../src/sim/trace-export.ts';
import { compareSummaries, summarize, type FrameSummary, type WireSummary } from '../../tools/golden/summarize.ts';
import type { Trace } from '../../src/sim/trace.ts';

const recorded = (id: string, file: string) => new URL(`./recorded/${id}/${file}`, import.meta.url);

/**
 * Cases whose cross-direction interleaving comes from the veth delivering each frame
 * synchronously (the receiver ACKs a segment before the sender's next one leaves), which no
 * link with latency reproduces: there each direction's sequence must match, in order.
 */
const PER_DIRECTION: Record<string, string> = {
  'tcp-bulk': 'four segments leave in one burst; on veth each is ACKed before the next is sent',
};

function ours(trace: Trace): WireSummary {
  const hosts = trace.meta.hosts.map((h) => ({ name: h.name, ip: h.interfaces[0]!.ip, mac: h.interfaces[0]!.mac }));
  return summarize(traceToPcap(trace), hosts);
}

function byDirection(frames: FrameSummary[]): Map<string, FrameSummary[]> {
  const m = new Map<string, FrameSummary[]>();
  for (const f of frames) {
    const k = String(f.from);
    m.set(k, [...(m.get(k) ?? []), f]);
  }
  return m;
}

function printed(trace: Trace): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of trace.events) if (e.k === 'out' && e.stream === 'stdout') (out[e.host] ??= []).push(e.text);
  return out;
}

describe.each(BUILTIN_SCENARIOS.map((s) => [s.id, s] as const))('built-in scenario %s matches real Linux', (id, scenario) => {
  const { trace } = runScenario(scenario);

  it('prints what the Python programs printed', () => {
    const expected = JSON.parse(readFileSync(recorded(id, 'output.json'), 'utf8')) as Record<string, string[]>;
    expect(printed(trace)).toEqual(expected);
  });

  it('puts the same significant frames on the wire', () => {
    const file = recorded(id, 'wire.json');
    expect(existsSync(file)).toBe(true);
    const expected = JSON.parse(readFileSync(file, 'utf8')) as WireSummary;
    const actual = ours(trace);
    if (PER_DIRECTION[id]) {
      const e = byDirection(expected.frames);
      const a = byDirection(actual.frames);
      expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
      for (const [dir, frames] of e) {
        const r = compareSummaries(frames, a.get(dir) ?? []);
        expect(r.diffs, `direction from ${dir}`).toEqual([]);
      }
    } else {
      const r = compareSummaries(expected, actual);
      expect(r.diffs).toEqual([]);
    }
  });
});
