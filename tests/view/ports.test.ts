import { describe, expect, it } from 'vitest';
import { bindFailures, heldPorts, ianaRange, portChanges, PORT_RANGES } from '../../src/view/model/ports.ts';
import { upto } from '../../src/view/model/traceIndex.ts';
import { builtinTrace, index, lessonTrace } from './fixtures.ts';

describe('ports', () => {
  it('classifies ports by the IANA ranges', () => {
    const cases: [number, string][] = [
      [0, 'well-known'],
      [80, 'well-known'],
      [1023, 'well-known'],
      [1024, 'registered'],
      [8080, 'registered'],
      [49151, 'registered'],
      [49152, 'dynamic'],
      [65535, 'dynamic'],
      [65536, 'invalid'],
      [-1, 'invalid'],
    ];
    for (const [p, r] of cases) expect(ianaRange(p)).toBe(r);
    expect(PORT_RANGES.find((r) => r.id === 'linux-ephemeral')).toMatchObject({ from: 32768, to: 60999 });
    expect(PORT_RANGES.find((r) => r.id === 'course-dynamic')).toMatchObject({ from: 1024, to: 65535 });
  });

  it('knows which ports are held at each moment, and which just changed', () => {
    const trace = builtinTrace('tcp-echo');
    const ix = index(trace);
    const during = heldPorts(trace.events, upto(ix, 200_300));
    expect(during.map((p) => `${p.host}/${p.proto}/${p.port}`).sort()).toEqual(['client/tcp/42096', 'server/tcp/8080', 'server/tcp/8080']);
    expect(heldPorts(trace.events, trace.events.length)).toEqual([]);
    const i = trace.events.findIndex((e) => e.k === 'port' && e.ephemeral);
    expect(portChanges(trace.events, i, i + 1)).toEqual([{ host: 'client', proto: 'tcp', port: 42096, sid: 1, op: 'alloc' }]);
  });

  it('says which socket holds the port when bind() fails with errno 98', () => {
    const trace = builtinTrace('port-conflict');
    const fails = bindFailures(trace.events, trace.events.length);
    expect(fails.map((f) => `${f.errno} ${f.proto} ${f.port}`)).toEqual(['98 tcp 8080', '98 tcp 8080', '98 udp 9000']);
    expect(fails[0]!.holders).toEqual([{ host: 'host', sid: 1, ip: '0.0.0.0', pid: fails[0]!.pid, fd: 3, tcp: null }]);
    expect(fails[1]!.holders[0]).toMatchObject({ sid: 1, tcp: 'LISTEN' });
    expect(fails[0]!.addr).toBe("('', 8080)");
  });

  it('shows the TIME_WAIT connection, owned by no program, as the holder', () => {
    const trace = lessonTrace('time-wait');
    const f = bindFailures(trace.events, trace.events.length);
    expect(f).toHaveLength(1);
    expect(f[0]!.holders).toHaveLength(1);
    expect(f[0]!.holders[0]).toMatchObject({ tcp: 'TIME_WAIT', pid: null });
  });

  it('reports privileged and out-of-range ports too', () => {
    const trace = lessonTrace('bind-errors');
    const f = bindFailures(trace.events, trace.events.length);
    expect(f.map((x) => `${x.type} ${x.errno ?? '-'} ${x.addr}`)).toEqual(["OSError 98 ('', 8080)", "PermissionError 13 ('', 80)", "OverflowError - ('', 70000)"]);
  });
});
