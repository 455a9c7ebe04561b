import { describe, expect, it } from 'vitest';
import { eventsAtStep, headerStack, packetsAround, stepTime, upto, type Station } from '../../src/view/model/traceIndex.ts';
import { builtinTrace, index } from './fixtures.ts';

describe('the trace index', () => {
  it('counts the events that have happened at t by binary search', () => {
    const trace = builtinTrace('tcp-echo');
    const ix = index(trace);
    for (const t of [-1, 0, 3, 200_000, 200_121, 200_500, trace.end, trace.end + 1]) {
      expect(upto(ix, t)).toBe(trace.events.filter((e) => e.t <= t).length);
    }
    expect(stepTime(ix, -1)).toBeNull();
    expect(stepTime(ix, 200_122)).toBe(200_121);
    const { from, to } = eventsAtStep(ix, 200_121);
    expect(trace.events.slice(from, to).every((e) => e.t === 200_121)).toBe(true);
    expect(trace.events[from - 1]!.t).toBeLessThan(200_121);
  });

  it('follows each packet down, across and up, with its headers outermost first', () => {
    const ix = index(builtinTrace('tcp-echo'));
    const syn = ix.packets.get(1)!;
    expect(syn.headers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(syn.stations.map((s) => `${s.host}:${s.dir}:${s.layer}`)).toEqual([
      'client:down:transport',
      'client:down:internet',
      'client:down:link',
      'server:up:link',
      'server:up:internet',
      'server:up:transport',
    ]);
    expect(syn.hops).toHaveLength(1);
    expect(syn.dataLen).toBe(0);
    const arp = ix.packets.get(2)!;
    expect(arp.headers).toEqual(['ethernet', 'arp']);
    const hello = ix.packets.get(6)!;
    expect(hello.dataLen).toBe(5);
    expect(hello.stations.at(-1)!.layer).toBe('application');
  });

  it('puts ICMP inside IPv4', () => {
    const ix = index(builtinTrace('udp-no-receiver'));
    const icmp = [...ix.packets.values()].find((j) => j.stations.some((s) => s.proto === 'icmp'))!;
    expect(icmp.headers).toEqual(['ethernet', 'ipv4', 'icmp']);
    expect(headerStack(icmp.stations.filter((s) => s.dir === 'up'))).toEqual(['ethernet', 'ipv4', 'icmp']);
  });

  it('names the headers of a broadcast’s looped-back copy from what its host removed', () => {
    // The copy appears at the sender's link layer (no transport or IP step down is recorded for
    // it): its headers come from its way up.
    const stations = (host: string, dir: 'down' | 'up', steps: [Station['layer'], string][]): Station[] =>
      steps.map(([layer, proto], i) => ({ t: i, host, dir, layer, pdu: 'frame', proto, len: 40, i }));
    const copy = [...stations('client', 'down', [['link', 'loopback']]), ...stations('client', 'up', [['link', 'loopback'], ['internet', 'ipv4'], ['transport', 'udp'], ['application', 'data']])];
    expect(headerStack(copy)).toEqual(['loopback', 'ipv4', 'udp']);
    // A broadcast received by two hosts: its headers once, not once per receiver.
    const flooded = [...stations('a', 'up', [['link', 'ethernet'], ['internet', 'ipv4'], ['transport', 'udp']]), ...stations('b', 'up', [['link', 'ethernet'], ['internet', 'ipv4'], ['transport', 'udp']])];
    expect(headerStack(flooded)).toEqual(['ethernet', 'ipv4', 'udp']);
  });

  it('finds the packets around t', () => {
    const ix = index(builtinTrace('tcp-echo'));
    const around = packetsAround(ix, 200_150, 0).map((j) => j.pkt);
    expect(around).toContain(1);
    for (const j of ix.packets.values()) {
      const visible = j.start <= 200_150 && j.last >= 200_150;
      expect(around.includes(j.pkt)).toBe(visible);
    }
  });
});
