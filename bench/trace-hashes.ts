/**
 * The invariant for speed work on src/sim: the trace of every scenario below, as JSON
 * (traceToJson), hashed with SHA-256. An optimisation must leave every hash unchanged: same
 * events, same order, same times, same bytes.
 *
 *   node --import tsx bench/trace-hashes.ts           compare with bench/trace-hashes.json
 *   node --import tsx bench/trace-hashes.ts --write   record bench/trace-hashes.json
 *
 * Covered: every built-in scenario, the two benchmark scenarios at small sizes, and runs with
 * loss, duplication, reordering and jitter (retransmissions, out-of-order queue, SACK blocks,
 * fragments, pings, ICMP errors, RSTs), loopback, a switch, a zero window and AF_UNIX.
 * For wider coverage, tests/sim/trace-hash-setup.ts hashes the trace of every test run.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { AF_INET, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, b, type Py } from '../src/sim/api/pysocket.ts';
import { BUILTIN_SCENARIOS } from '../src/scenarios/builtin.ts';
import { runScenario, type Scenario } from '../src/sim/scenario.ts';
import { traceToJson } from '../src/sim/trace-export.ts';
import type { LinkSpec } from '../src/sim/network.ts';
import { bulk, connections } from './sim.ts';

const FILE = new URL('./trace-hashes.json', import.meta.url);

const two = [
  { name: 'server', ip: '10.0.0.2' },
  { name: 'client', ip: '10.0.0.1' },
];

function scenario(id: string, seed: number, link: LinkSpec, programs: Scenario['programs'], hosts = two): Scenario {
  return { id, seed, network: { hosts, link }, programs };
}

const pattern = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);

/** tests/sim/tcp.test.ts "delivers every byte in order over a link that loses, duplicates and reorders frames". */
function lossyTcp(seed: number, loss: number, bytes: number): Scenario {
  const payload = pattern(bytes);
  return scenario(`lossy-tcp-${seed}-${loss}`, seed, { mtu: 1500, latency: 200, impairments: { loss, duplicate: 0.05, reorder: 0.1, reorderDelay: 2000 } }, [
    {
      host: 'server',
      file: 'server.py',
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.bind(['', 8080]);
        yield* s.listen(5);
        const [c] = yield* s.accept();
        let n = 0;
        for (;;) {
          const d = yield* c.recv(65536);
          if (d.length === 0) break;
          n += d.length;
        }
        yield* py.print('got', n);
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
        yield* s.sendall(payload);
        yield* s.close();
      },
    },
  ]);
}

/** A lossy, duplicating run with fragments, pings and resets (tests/sim/pcap-scenarios.test.ts reads its pcap with tshark). */
export function lossyMixed(seed: number): Scenario {
  return scenario(`lossy-mixed-${seed}`, seed, { mtu: 1500, latency: 300, impairments: { loss: 0.05, duplicate: 0.05, reorder: 0.05, reorderDelay: 1000 } }, [
    {
      host: 'server',
      file: 'server.py',
      *program(py: Py) {
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
      file: 'client.py',
      start: 1000,
      *program(py: Py) {
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
  ]);
}

/** A slow reader: the receive window closes (zero-window probes) and reopens; then an RST on close with unread data. */
function slowReader(): Scenario {
  return scenario('slow-reader', 3, { mtu: 1500, latency: 100, impairments: { jitter: 30 } }, [
    {
      host: 'server',
      file: 'server.py',
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.bind(['', 8080]);
        yield* s.listen(1);
        const [c] = yield* s.accept();
        yield* py.sleep(2);
        let n = 0;
        for (let i = 0; i < 40; i++) {
          n += (yield* c.recv(8192)).length;
          yield* py.sleep(0.01);
        }
        yield* py.print('read', n);
        yield* c.close();
      },
    },
    {
      host: 'client',
      file: 'client.py',
      start: 500,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.connect(['server', 8080]);
        try {
          yield* s.sendall(pattern(600_000));
        } catch (e) {
          yield* py.print('client', String(e));
        }
        yield* s.close();
      },
    },
  ]);
}

/** Loopback TCP and UDP on one host, plus AF_UNIX stream and datagram IPC. */
function oneHost(): Scenario {
  return {
    id: 'one-host',
    seed: 5,
    network: { hosts: [{ name: 'box', ip: '10.0.0.9' }] },
    programs: [
      {
        host: 'box',
        file: 'server.py',
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.bind(['127.0.0.1', 7000]);
          yield* s.listen(5);
          const u = yield* py.socket(AF_UNIX, SOCK_STREAM);
          yield* u.bind('/tmp/x.sock');
          yield* u.listen(1);
          const [c] = yield* s.accept();
          const d = yield* c.recv(100_000);
          yield* c.sendall(d);
          yield* c.close();
          const [uc] = yield* u.accept();
          yield* uc.sendall(yield* uc.recv(100));
          yield* uc.close();
          const g = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* g.bind(['', 9999]);
          const [m, from] = yield* g.recvfrom(100);
          yield* g.sendto(m, from);
        },
      },
      {
        host: 'box',
        file: 'client.py',
        start: 100,
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.connect(['127.0.0.1', 7000]);
          yield* s.sendall(pattern(5000));
          yield* py.print((yield* s.recv(100_000)).length);
          yield* s.close();
          const u = yield* py.socket(AF_UNIX, SOCK_STREAM);
          yield* u.connect('/tmp/x.sock');
          yield* u.sendall(b('ipc'));
          yield* py.print(yield* u.recv(100));
          yield* u.close();
          yield* py.sleep(0.01);
          const g = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* g.sendto(pattern(70), ['10.0.0.9', 9999]);
          yield* py.print((yield* g.recv(100)).length);
        },
      },
    ],
  };
}

/** Three hosts on a switch: ARP floods, learning, two TCP clients to one server. */
function switched(): Scenario {
  const hosts = [
    { name: 'server', ip: '10.0.0.2' },
    { name: 'a', ip: '10.0.0.3' },
    { name: 'b', ip: '10.0.0.4' },
  ];
  const client = (host: string, start: number) => ({
    host,
    file: 'client.py',
    start,
    *program(py: Py) {
      const s = yield* py.socket(AF_INET, SOCK_STREAM);
      yield* s.connect(['server', 8080]);
      yield* s.sendall(pattern(4000));
      yield* py.print((yield* s.recv(10)).length);
      yield* s.close();
    },
  });
  return scenario(
    'switched',
    9,
    { mtu: 1500, latency: 40, bandwidth: 10_000_000 },
    [
      {
        host: 'server',
        file: 'server.py',
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.setsockopt(1, 2, 1);
          yield* s.bind(['', 8080]);
          yield* s.listen(5);
          for (let i = 0; i < 2; i++) {
            const [c] = yield* s.accept();
            let n = 0;
            while (n < 4000) n += (yield* c.recv(65536)).length;
            yield* c.sendall(b('ok'));
            yield* c.close();
          }
        },
      },
      client('a', 1000),
      client('b', 1300),
    ],
    hosts,
  );
}

/** Nobody answers ARP (no such host): three requests, then "No route to host". */
function noRoute(): Scenario {
  return scenario('no-route', 2, { mtu: 1500, latency: 50 }, [
    {
      host: 'client',
      file: 'client.py',
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        try {
          yield* s.connect(['10.0.0.77', 80]);
        } catch (e) {
          yield* py.print(String(e));
        }
      },
    },
  ]);
}

export function hashScenarios(): [string, Scenario][] {
  const list: [string, Scenario][] = BUILTIN_SCENARIOS.map((s) => [`builtin:${s.id}`, s]);
  list.push(['bench:connections(50)', connections(50)]);
  list.push(['bench:bulk(2 MiB)', bulk(2 << 20)]);
  list.push(['tcp.test:lossy(7)', lossyTcp(7, 0.05, 60_000)]);
  list.push(['lossy(8, 15%)', lossyTcp(8, 0.15, 200_000)]);
  list.push(['lossy(21, 2%)', lossyTcp(21, 0.02, 400_000)]);
  list.push(['pcap.test:mixed(11)', lossyMixed(11)]);
  list.push(['mixed(12)', lossyMixed(12)]);
  list.push(['slow-reader', slowReader()]);
  list.push(['one-host', oneHost()]);
  list.push(['switched', switched()]);
  list.push(['no-route', noRoute()]);
  return list;
}

export function traceHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, s] of hashScenarios()) {
    const json = traceToJson(runScenario(s).trace);
    out[name] = `${createHash('sha256').update(json).digest('hex')} ${json.length}`;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const now = traceHashes();
  if (process.argv.includes('--write')) {
    writeFileSync(FILE, JSON.stringify(now, null, 2) + '\n');
    console.log(`wrote ${Object.keys(now).length} hashes to bench/trace-hashes.json`);
  } else {
    const want = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>;
    let bad = 0;
    for (const k of new Set([...Object.keys(want), ...Object.keys(now)])) {
      if (want[k] !== now[k]) {
        bad++;
        console.log(`DIFFERENT ${k}: ${want[k] ?? '(none)'} → ${now[k] ?? '(none)'}`);
      }
    }
    console.log(bad === 0 ? `all ${Object.keys(now).length} trace hashes unchanged` : `${bad} trace hashes differ`);
    process.exitCode = bad === 0 ? 0 : 1;
  }
}
