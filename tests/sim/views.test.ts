import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenarios/builtin.ts';
import { runScenario } from '../../src/sim/scenario.ts';
import { netstat, ps } from '../../src/sim/views/netstat.ts';
import { events } from './harness.ts';

describe('netstat -ano and ps aux from a trace', () => {
  const { trace } = runScenario(builtinScenario('tcp-echo')!);
  const established = events(trace, 'tcp').find((e) => e.host === 'client' && e.to === 'ESTABLISHED')!.t;
  const timeWait = events(trace, 'tcp').find((e) => e.to === 'TIME_WAIT')!.t;

  it('shows the listener before the client starts', () => {
    expect(netstat(trace, 100_000, 'server').map((r) => [r.proto, r.local, r.foreign, r.state])).toEqual([['tcp', '0.0.0.0:8080', '0.0.0.0:*', 'LISTEN']]);
    expect(netstat(trace, 100_000, 'client')).toEqual([]);
  });

  it('shows both ends of the connection with their PIDs once established', () => {
    const rows = netstat(trace, established + 100);
    const client = rows.find((r) => r.host === 'client')!;
    expect(client.state).toBe('ESTABLISHED');
    expect(client.local).toMatch(/^10\.0\.0\.1:\d+$/);
    expect(client.foreign).toBe('10.0.0.2:8080');
    const pids = ps(trace, established + 100);
    expect(client.pid).toBe(pids.find((p) => p.host === 'client')!.pid);
  });

  it('keeps TIME_WAIT with no PID after the programs have exited', () => {
    const rows = netstat(trace, timeWait + 1000);
    expect(rows.map((r) => [r.host, r.state, r.pid])).toEqual([['client', 'TIME_WAIT', undefined]]);
    expect(ps(trace, timeWait + 1000)).toEqual([]);
    expect(netstat(trace, trace.end)).toEqual([]);
  });

  it('shows a process sleeping in accept()', () => {
    const p = ps(trace, 100_000);
    expect(p.map((r) => [r.host, r.stat, r.wchan, r.command])).toEqual([['server', 'S', 'accept', 'python3 server.py']]);
  });
});
