import { describe, expect, it } from 'vitest';
import { spritesAt } from '../../src/view/anim/pduSprites.ts';
import { pointOnLink, stackGeometry } from '../../src/view/anim/stackGeometry.ts';
import { builtinTrace, index, lessonTrace } from './fixtures.ts';

describe('packet positions', () => {
  const trace = builtinTrace('tcp-echo');
  const ix = index(trace);
  const geo = stackGeometry(trace.meta);
  const syn = ix.packets.get(1)!;
  const hop = syn.hops[0]!;
  const link = geo.links[0]!;

  it('lays out one column per host with four rows, the client on the left', () => {
    expect(geo.nodes.map((n) => n.id)).toEqual(['client', 'server']);
    expect(Object.keys(geo.nodes[0]!.rows)).toEqual(['application', 'transport', 'internet', 'link']);
    expect(geo.nodes[0]!.x + geo.nodes[0]!.w).toBeLessThanOrEqual(geo.nodes[1]!.x);
  });

  it('draws a frame at (t − send)/(arrive − send) along its link', () => {
    const t = hop.t + (hop.rxStart - hop.t) / 2;
    const s = spritesAt(ix, geo, t, false).wire.find((w) => w.pkt === 1)!;
    const [x] = pointOnLink(link, 'client', 0.5);
    expect(s.front[0]).toBeCloseTo(x, 6);
    // The back has not left yet while the last bit is still being sent... then follows.
    const before = spritesAt(ix, geo, hop.txEnd - 1, false).wire.find((w) => w.pkt === 1)!;
    expect(before.back[0]).toBeCloseTo(pointOnLink(link, 'client', 0)[0], 6);
  });

  it('jumps instead of gliding with reduced motion', () => {
    const a = spritesAt(ix, geo, hop.t + 1, true).wire.find((w) => w.pkt === 1)!;
    const b = spritesAt(ix, geo, hop.rxEnd - 1, true).wire.find((w) => w.pkt === 1)!;
    expect(a.front).toEqual(b.front);
    expect(a.back).toEqual(b.back);
  });

  it('shows the header a layer adds, and the PDU in that layer’s row', () => {
    const ip = syn.stations.find((s) => s.layer === 'internet' && s.dir === 'down')!;
    const s = spritesAt(ix, geo, ip.t, true).stack.find((x) => x.pkt === 1)!;
    expect(s.host).toBe('client');
    expect(s.layer).toBe('internet');
    expect(s.cells.map((c) => c.proto)).toEqual(['ipv4', 'tcp']);
    expect(s.cells[0]!.change).toBe('added');
    const up = syn.stations.find((x) => x.layer === 'internet' && x.dir === 'up')!;
    const u = spritesAt(ix, geo, up.t, true).stack.find((x) => x.pkt === 1)!;
    expect(u.host).toBe('server');
    expect(u.cells[0]).toMatchObject({ proto: 'ipv4', change: 'removed' });
  });

  it('is a pure function of time: scrubbing backwards gives the same picture', () => {
    const times = [200_100, 200_200, 200_300, 200_400];
    const forward = times.map((t) => spritesAt(ix, geo, t, false));
    const backward = [...times].reverse().map((t) => spritesAt(ix, geo, t, false)).reverse();
    expect(backward).toEqual(forward);
  });

  it('keeps 300+ frames in flight on the load-test link', () => {
    const bench = lessonTrace('bench-flows');
    const bix = index(bench);
    const bgeo = stackGeometry(bench.meta);
    let best = 0;
    for (let t = 0; t < 60_000; t += 500) best = Math.max(best, spritesAt(bix, bgeo, t, false).wire.length);
    expect(best).toBeGreaterThanOrEqual(300);
  });
});
