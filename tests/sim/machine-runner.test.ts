import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { Sim } from '../../src/sim/kernel.ts';
import { MachineRunner } from '../../src/sim/machine-runner.ts';
import { tcpEventKey, tcpMachine, type TcpMachineEvent } from '../../src/machines/tcpMachine.ts';

describe('MachineRunner', () => {
  it('fires delayed (after) transitions on the simulation clock, not the wall clock', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    const runner = new MachineRunner<TcpMachineEvent>(
      tcpMachine,
      tcpEventKey,
      new Proxy({}, { get: (_t, name: string) => () => log.push(`${sim.now}:${name}`) }),
      sim.clock,
      (from, to) => log.push(`${sim.now}:${from}>${to}`),
    );
    for (const e of ['connect', 'rcvSynAck', 'close'] as const) runner.send({ type: e });
    runner.send({ type: 'rcvAck', acksSyn: false, acksFin: true });
    sim.after(5, () => runner.send({ type: 'rcvFin' }));
    sim.run();
    expect(log).toEqual([
      '0:CLOSED>SYN_SENT',
      '0:sendSyn',
      '0:SYN_SENT>ESTABLISHED',
      '0:established',
      '0:ESTABLISHED>FIN_WAIT1',
      '0:sendFin',
      '0:FIN_WAIT1>FIN_WAIT2',
      '5:FIN_WAIT2>TIME_WAIT',
      '5:peerClosed',
      '5:enterTimeWait',
      '60000005:TIME_WAIT>CLOSED',
      '60000005:released',
    ]);
    expect(sim.now).toBe(60_000_005);
  });

  it('restarts the TIME_WAIT timer when a FIN is retransmitted (re-entering the state)', () => {
    const sim = new Sim(1);
    const runner = new MachineRunner<TcpMachineEvent>(tcpMachine, tcpEventKey, new Proxy({}, { get: () => () => {} }), sim.clock);
    for (const e of [{ type: 'connect' }, { type: 'rcvSynAck' }, { type: 'close' }, { type: 'rcvAck', acksSyn: false, acksFin: true }, { type: 'rcvFin' }] as TcpMachineEvent[]) runner.send(e);
    expect(runner.state).toBe('TIME_WAIT');
    sim.after(30_000_000, () => runner.send({ type: 'rcvFin' }));
    sim.run();
    expect(sim.now).toBe(90_000_000);
    expect(runner.state).toBe('CLOSED');
  });

  it('ignores events a state does not handle and honours guards', () => {
    const sim = new Sim(1);
    const runner = new MachineRunner<TcpMachineEvent>(tcpMachine, tcpEventKey, new Proxy({}, { get: () => () => {} }), sim.clock);
    expect(runner.send({ type: 'rcvFin' })).toBe(false);
    runner.send({ type: 'connect' });
    runner.send({ type: 'rcvSynAck' });
    runner.send({ type: 'close' });
    expect(runner.send({ type: 'rcvAck', acksSyn: false, acksFin: false })).toBe(false);
    expect(runner.state).toBe('FIN_WAIT1');
    expect(runner.send({ type: 'rcvAck', acksSyn: false, acksFin: true })).toBe(true);
    expect(runner.state).toBe('FIN_WAIT2');
  });

  it('runs any context-free machine: a delayed self-message with an explicit id', () => {
    const m = setup({ types: { events: {} as { type: 'go' } }, delays: { d: 2 } }).createMachine({
      initial: 'a',
      states: { a: { on: { go: 'b' } }, b: { after: { d: 'c' } }, c: {} },
    });
    const sim = new Sim(1);
    const r = new MachineRunner(m, () => '', {}, sim.clock);
    r.send({ type: 'go' });
    sim.run();
    expect([r.state, sim.now]).toEqual(['c', 2000]);
  });
});
