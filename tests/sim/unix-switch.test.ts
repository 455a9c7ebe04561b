import { describe, expect, it } from 'vitest';
import { AF_INET, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, b } from '../../src/sim/api/pysocket.ts';
import { describe as pyErr, events, frames, printed, run } from './harness.ts';

describe('AF_UNIX', () => {
  it('echoes over a stream socket addressed by path, as local IPC with no frame on any link', () => {
    const { trace } = run([
      {
        file: 'server.py',
        *program(py) {
          const s = yield* py.socket(AF_UNIX, SOCK_STREAM);
          yield* s.bind('/tmp/echo.sock');
          yield* s.listen(1);
          const [c, addr] = yield* s.accept();
          yield* py.print('peer', JSON.stringify(addr));
          const d = yield* c.recv(100);
          yield* c.sendall(d);
          yield* c.close();
        },
      },
      {
        file: 'client.py',
        start: 100,
        *program(py) {
          const s = yield* py.socket(AF_UNIX, SOCK_STREAM);
          yield* s.connect('/tmp/echo.sock');
          yield* s.sendall(b('over the kernel'));
          yield* py.print(yield* s.recv(100));
          yield* py.print('eof', (yield* s.recv(100)).length);
        },
      },
    ]);
    expect(printed(trace)).toEqual(['peer ""', "b'over the kernel'", 'eof 0']);
    expect(frames(trace)).toEqual([]);
    const ipc = events(trace, 'ipc');
    expect(ipc.map((e) => [e.path, e.len])).toEqual([
      ['/tmp/echo.sock', 15],
      ['/tmp/echo.sock', 15],
    ]);
  });

  it("gives Linux's errors: a bound path is in use (even after close), a missing path does not exist, a stale one refuses", () => {
    const { trace } = run([
      {
        *program(py) {
          const a = yield* py.socket(AF_UNIX, SOCK_STREAM);
          yield* a.bind('/tmp/x.sock');
          const c = yield* py.socket(AF_UNIX, SOCK_STREAM);
          try {
            yield* c.bind('/tmp/x.sock');
          } catch (e) {
            yield* py.print('bind again:', pyErr(e));
          }
          try {
            yield* c.connect('/tmp/missing.sock');
          } catch (e) {
            yield* py.print('missing:', pyErr(e));
          }
          try {
            yield* c.connect('/tmp/x.sock');
          } catch (e) {
            yield* py.print('not listening:', pyErr(e));
          }
          yield* a.close();
          const d = yield* py.socket(AF_UNIX, SOCK_STREAM);
          try {
            yield* d.bind('/tmp/x.sock');
          } catch (e) {
            yield* py.print('after close:', pyErr(e));
          }
          yield* py.unlink('/tmp/x.sock');
          yield* d.bind('/tmp/x.sock');
          yield* py.print('after unlink: ok');
          try {
            yield* py.unlink('/tmp/x.sock.gone');
          } catch (e) {
            yield* py.print('unlink missing:', pyErr(e));
          }
          const g = yield* py.socket(AF_UNIX, SOCK_DGRAM);
          try {
            yield* g.connect('/tmp/x.sock');
          } catch (e) {
            yield* py.print('wrong type:', pyErr(e));
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'bind again: OSError: [Errno 98] Address already in use',
      'missing: FileNotFoundError: [Errno 2] No such file or directory',
      'not listening: ConnectionRefusedError: [Errno 111] Connection refused',
      'after close: OSError: [Errno 98] Address already in use',
      'after unlink: ok',
      "unlink missing: FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x.sock.gone'",
      'wrong type: OSError: [Errno 91] Protocol wrong type for socket',
    ]);
  });

  it('carries datagrams between bound paths and reports the sender path', () => {
    const { trace } = run([
      {
        *program(py) {
          const a = yield* py.socket(AF_UNIX, SOCK_DGRAM);
          yield* a.bind('/tmp/a');
          const bb = yield* py.socket(AF_UNIX, SOCK_DGRAM);
          yield* bb.bind('/tmp/b');
          yield* bb.sendto(b('ping'), '/tmp/a');
          const [d, from] = yield* a.recvfrom(10);
          yield* py.print(d, from);
        },
      },
    ]);
    expect(printed(trace)).toEqual(["b'ping' /tmp/b"]);
  });
});

describe('switch', () => {
  const hosts = [
    { name: 'a', ip: '10.0.0.1' },
    { name: 'b', ip: '10.0.0.2' },
    { name: 'c', ip: '10.0.0.3' },
  ];

  it('joins more than two hosts, floods broadcasts and unknown destinations, then forwards by learned MAC', () => {
    const { trace } = run(
      [
        {
          host: 'b',
          *program(py) {
            const s = yield* py.socket(AF_INET, SOCK_DGRAM);
            yield* s.bind(['', 9000]);
            const [d, addr] = yield* s.recvfrom(100);
            yield* s.sendto(d, addr);
          },
        },
        {
          host: 'a',
          start: 1000,
          *program(py) {
            const s = yield* py.socket(AF_INET, SOCK_DGRAM);
            yield* s.sendto(b('hi'), ['b', 9000]);
            yield* py.print(...(yield* s.recvfrom(100)));
          },
        },
      ],
      { hosts },
    );
    expect(printed(trace, 'a')).toEqual(["b'hi' ('10.0.0.2', 9000)"]);
    const wire = events(trace, 'wire');
    const hops = (pkt: number) => wire.filter((w) => w.pkt === pkt).map((w) => `${w.from.node}>${w.to.node}`);
    // The ARP request is broadcast: out of every port but the one it came in on.
    expect(hops(wire[0]!.pkt)).toEqual(['a>switch', 'switch>b', 'switch>c']);
    // By the time the reply comes, the switch knows where a is: no flooding to c.
    const udp = frames(trace).filter((f) => f.kind === 'udp');
    const udpPkts = [...new Set(wire.filter((w) => udp.some((u) => u.t === w.t && u.from === w.from.node)).map((w) => w.pkt))];
    for (const p of udpPkts) expect(hops(p).some((h) => h.endsWith('>c'))).toBe(false);
    expect(frames(trace).filter((f) => f.to === 'c').length).toBe(1);
  });
});
