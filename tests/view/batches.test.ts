import { describe, expect, it } from 'vitest';
import { BATCH_OVER, packetAt, stackBatches, wireBatches } from '../../src/view/anim/batches.ts';
import { spritesAt } from '../../src/view/anim/pduSprites.ts';
import { stackGeometry } from '../../src/view/anim/stackGeometry.ts';
import { builtinTrace, index, lessonTrace } from './fixtures.ts';

describe('batched drawing', () => {
  it('draws hundreds of frames as one path per protocol', () => {
    const trace = lessonTrace('bench-flows');
    const ix = index(trace);
    const geo = stackGeometry(trace.meta);
    let s = spritesAt(ix, geo, 0, false);
    for (let t = 20_000; t < 40_000 && s.wire.length < 300; t += 500) s = spritesAt(ix, geo, t, false);
    expect(s.wire.length).toBeGreaterThan(BATCH_OVER);
    const batches = wireBatches(s.wire);
    expect(batches.map(([p]) => p).sort()).toEqual(['data', 'ethernet', 'ipv4', 'tcp']);
    const subpaths = batches.reduce((n, [, d]) => n + (d.match(/M/g)?.length ?? 0), 0);
    expect(subpaths).toBe(s.wire.reduce((n, w) => n + w.parts.length, 0));
  });

  it('draws each PDU cell as a rectangle of its protocol', () => {
    const trace = builtinTrace('tcp-echo');
    const ix = index(trace);
    const geo = stackGeometry(trace.meta);
    const ip = ix.packets.get(1)!.stations.find((x) => x.layer === 'internet')!;
    const s = spritesAt(ix, geo, ip.t + 2, true);
    const rects = stackBatches(s.stack);
    expect(rects.map(([p]) => p).sort()).toEqual(['ipv4', 'tcp']);
    expect(rects[0]![1]).toMatch(/^M[\d.]+,[\d.]+h[\d.]+v26h-[\d.]+z$/);
  });

  it('finds the packet under the pointer, and nothing far from any', () => {
    const trace = builtinTrace('tcp-echo');
    const ix = index(trace);
    const geo = stackGeometry(trace.meta);
    const hop = ix.packets.get(1)!.hops[0]!;
    const s = spritesAt(ix, geo, (hop.t + hop.rxStart) / 2, false);
    const w = s.wire.find((x) => x.pkt === 1)!;
    const mid = [(w.front[0] + w.back[0]) / 2, (w.front[1] + w.back[1]) / 2] as const;
    expect(packetAt(s.stack, s.wire, mid[0], mid[1] + 4)).toBe(1);
    expect(packetAt(s.stack, s.wire, mid[0], mid[1] - 200)).toBeNull();
  });
});
