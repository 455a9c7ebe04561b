/**
 * Simulation-core benchmarks (prints figures, asserts nothing):
 * - simulated events per second of wall time (a bulk transfer),
 * - complete TCP connections per second of wall time (handshake, 1 KB each way, close),
 * - memory per trace event, measured at several trace lengths to show it grows linearly.
 * Targets (issue 2): ≥ 1,000,000 events/s and ≥ 20,000 connections/s on one core.
 */
import { AF_INET, SOCK_STREAM, type Py } from '../src/sim/api/pysocket.ts';
import { runScenario, type Scenario } from '../src/sim/scenario.ts';

const hosts = [
  { name: 'server', ip: '10.0.0.2' },
  { name: 'client', ip: '10.0.0.1' },
];

export function bulk(bytes: number): Scenario {
  return {
    id: 'bench-bulk',
    seed: 1,
    network: { hosts, link: { mtu: 1500, latency: 50, bandwidth: 10_000_000_000 } },
    programs: [
      {
        host: 'server',
        file: 'server.py',
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.bind(['', 8080]);
          yield* s.listen(5);
          const [c] = yield* s.accept();
          for (;;) if ((yield* c.recv(1 << 20)).length === 0) break;
          yield* c.close();
        },
      },
      {
        host: 'client',
        file: 'client.py',
        start: 1000,
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.connect(['10.0.0.2', 8080]);
          const chunk = new Uint8Array(65536);
          for (let sent = 0; sent < bytes; sent += chunk.length) yield* s.sendall(chunk);
          yield* s.close();
        },
      },
    ],
  };
}

export function connections(n: number): Scenario {
  const kb = new Uint8Array(1024).fill(42);
  return {
    id: 'bench-connections',
    seed: 1,
    network: { hosts, link: { mtu: 1500, latency: 50, bandwidth: 1_000_000_000 } },
    programs: [
      {
        host: 'server',
        file: 'server.py',
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.bind(['', 8080]);
          yield* s.listen(128);
          for (let i = 0; i < n; i++) {
            const [c] = yield* s.accept();
            let got = 0;
            while (got < 1024) got += (yield* c.recv(4096)).length;
            yield* c.sendall(kb);
            yield* c.recv(4096);
            yield* c.close();
          }
        },
      },
      {
        host: 'client',
        file: 'client.py',
        start: 1000,
        *program(py: Py) {
          for (let i = 0; i < n; i++) {
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            yield* s.connect(['10.0.0.2', 8080]);
            yield* s.sendall(kb);
            let got = 0;
            while (got < 1024) got += (yield* s.recv(4096)).length;
            yield* s.close();
          }
        },
      },
    ],
  };
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

/** JS heap and ArrayBuffer bytes (frames, received data) in use after a full collection. */
function memoryAfterGc(): { heap: number; buffers: number } {
  // Twice: what the first collection's weak callbacks and finalisers let go is freed by the second.
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

/**
 * What a run of `k` connections keeps. In a function of its own so that nothing of the run is
 * reachable once it returns (a local left in the caller's frame would still hold the previous
 * run's trace when the next one is measured, halving the figures).
 */
function retained(k: number): { events: number; heap: number; buffers: number } {
  const before = memoryAfterGc();
  const r = runScenario(connections(k));
  const after = memoryAfterGc();
  return { events: r.trace.events.length, heap: after.heap - before.heap, buffers: after.buffers - before.buffers };
}

export interface SimFigures {
  eventsPerSecond: number;
  connectionsPerSecond: number;
  bytesPerTraceEvent: number[];
}

export function benchSim(log: (s: string) => void = console.log): SimFigures {
  // Warm up the JIT and the XState memo.
  runScenario(bulk(1 << 20));
  runScenario(connections(200));

  const [bulkRun, bulkSecs] = time(() => runScenario(bulk(64 << 20)));
  const events = bulkRun.network.sim.processed;
  const eventsPerSecond = events / bulkSecs;
  log(`events/s:      ${Math.round(eventsPerSecond).toLocaleString('en')} (${events.toLocaleString('en')} kernel events, ${bulkRun.trace.events.length.toLocaleString('en')} trace events, 64 MiB transfer in ${bulkSecs.toFixed(2)} s)  target ≥ 1,000,000`);

  const n = 10_000;
  const [connRun, connSecs] = time(() => runScenario(connections(n)));
  const done = connRun.trace.events.filter((e) => e.k === 'proc' && e.op === 'exit' && e.status === 0).length;
  if (done !== 2) throw new Error(`connection benchmark did not complete (${done} programs exited cleanly)`);
  const connectionsPerSecond = n / connSecs;
  log(`connections/s: ${Math.round(connectionsPerSecond).toLocaleString('en')} (${n.toLocaleString('en')} connections: handshake, 1 KB each way, close, in ${connSecs.toFixed(2)} s)  target ≥ 20,000`);

  const bytesPerTraceEvent: number[] = [];
  const sizes = [1000, 2000, 4000];
  const points: string[] = [];
  for (const k of sizes) {
    const m = retained(k);
    const per = m.heap / m.events;
    bytesPerTraceEvent.push(per);
    points.push(`${m.events.toLocaleString('en')} events → ${(m.heap / 1048576).toFixed(1)} MiB (${Math.round(per)} B/event, + ${Math.round(m.buffers / m.events)} B/event of frames and data)`);
  }
  log(`memory:        ${points.join('; ')}${(globalThis as { gc?: unknown }).gc ? '' : '  (run node with --expose-gc for steadier figures)'}`);
  return { eventsPerSecond, connectionsPerSecond, bytesPerTraceEvent };
}

if (import.meta.url === `file://${process.argv[1]}`) benchSim();
