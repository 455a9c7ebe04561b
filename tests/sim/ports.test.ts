import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, b, type Py } from '../../src/sim/api/pysocket.ts';
import { describe as pyErr, events, printed, run } from './harness.ts';

function* tryBind(py: Py, type: 'SOCK_STREAM' | 'SOCK_DGRAM', addr: [string, number], label: string) {
  const s = yield* py.socket(AF_INET, type);
  try {
    yield* s.bind(addr);
    yield* py.print(`${label}: ok`);
  } catch (e) {
    yield* py.print(`${label}: ${pyErr(e)}`);
  }
  return s;
}

describe('bind', () => {
  it('checks the port range 0–65535 before anything else, as CPython does', () => {
    const { trace } = run([
      {
        *program(py) {
          yield* tryBind(py, SOCK_STREAM, ['', 65536], 'big');
          yield* tryBind(py, SOCK_STREAM, ['', -1], 'negative');
          yield* tryBind(py, SOCK_DGRAM, ['', 70000], 'udp');
          yield* tryBind(py, SOCK_STREAM, ['', 65535], 'max');
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'big: OverflowError: bind(): port must be 0-65535.',
      'negative: OverflowError: bind(): port must be 0-65535.',
      'udp: OverflowError: bind(): port must be 0-65535.',
      'max: ok',
    ]);
  });

  it('needs root for ports below 1024', () => {
    const body = function* (py: Py) {
      yield* tryBind(py, SOCK_STREAM, ['', 80], '80');
      yield* tryBind(py, SOCK_DGRAM, ['', 1023], '1023');
      yield* tryBind(py, SOCK_STREAM, ['', 1024], '1024');
    };
    const student = run([{ user: 'student', program: body }]).trace;
    const root = run([{ user: 'root', program: body }]).trace;
    expect(printed(student)).toEqual(['80: PermissionError: [Errno 13] Permission denied', '1023: PermissionError: [Errno 13] Permission denied', '1024: ok']);
    expect(printed(root)).toEqual(['80: ok', '1023: ok', '1024: ok']);
  });

  it('refuses an address that is not on the host, and a socket bound twice', () => {
    const { trace } = run([
      {
        *program(py) {
          yield* tryBind(py, SOCK_STREAM, ['10.0.0.99', 9000], 'foreign');
          yield* tryBind(py, SOCK_STREAM, ['127.0.0.1', 9000], 'loopback');
          const s = yield* tryBind(py, SOCK_STREAM, ['10.0.0.2', 9001], 'own');
          try {
            yield* s.bind(['', 9002]);
          } catch (e) {
            yield* py.print(`twice: ${pyErr(e)}`);
          }
          yield* tryBind(py, SOCK_STREAM, ['no-such-host', 9003], 'name');
          yield* tryBind(py, SOCK_STREAM, ['client', 9004], 'other host');
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'foreign: OSError: [Errno 99] Cannot assign requested address',
      'loopback: ok',
      'own: ok',
      'twice: OSError: [Errno 22] Invalid argument',
      'name: gaierror: [Errno -2] Name or service not known',
      'other host: OSError: [Errno 99] Cannot assign requested address',
    ]);
  });

  it('keeps TCP and UDP port spaces apart and reports a taken port as EADDRINUSE', () => {
    const { trace } = run([
      {
        *program(py) {
          yield* tryBind(py, SOCK_STREAM, ['', 8080], 'tcp');
          yield* tryBind(py, SOCK_DGRAM, ['', 8080], 'udp');
          yield* tryBind(py, SOCK_STREAM, ['10.0.0.2', 8080], 'tcp specific');
          yield* tryBind(py, SOCK_DGRAM, ['127.0.0.1', 8080], 'udp loopback');
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'tcp: ok',
      'udp: ok',
      'tcp specific: OSError: [Errno 98] Address already in use',
      'udp loopback: OSError: [Errno 98] Address already in use',
    ]);
  });

  it('allows two SO_REUSEADDR sockets to bind one port until one of them listens (Linux inet_bind_conflict)', () => {
    const { trace } = run([
      {
        *program(py) {
          const a = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* a.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
          const c = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* c.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
          yield* a.bind(['', 8080]);
          yield* c.bind(['', 8080]);
          yield* py.print('both bound');
          yield* a.listen(5);
          try {
            yield* c.listen(5);
          } catch (e) {
            yield* py.print(`second listen: ${pyErr(e)}`);
          }
          const d = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* d.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
          try {
            yield* d.bind(['', 8080]);
          } catch (e) {
            yield* py.print(`bind beside a listener: ${pyErr(e)}`);
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'both bound',
      'second listen: OSError: [Errno 98] Address already in use',
      'bind beside a listener: OSError: [Errno 98] Address already in use',
    ]);
  });

  function timeWaitRebind(oldReuse: boolean, newReuse: boolean): string[] {
    // The server closes first, so its side of the connection sits in TIME_WAIT holding port 8080.
    return printed(
      run([
        {
          *program(py) {
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            if (oldReuse) yield* s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
            yield* s.bind(['', 8080]);
            yield* s.listen(1);
            const [c] = yield* s.accept();
            yield* c.close();
            yield* s.close();
            yield* py.sleep(0.3);
            const n = yield* py.socket(AF_INET, SOCK_STREAM);
            if (newReuse) yield* n.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
            try {
              yield* n.bind(['', 8080]);
              yield* py.print('rebind ok');
            } catch (e) {
              yield* py.print(`rebind: ${pyErr(e)}`);
            }
          },
        },
        {
          host: 'client',
          start: 100_000,
          *program(py) {
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            yield* s.connect(['10.0.0.2', 8080]);
            yield* py.sleep(0.1);
            yield* s.recv(10);
            yield* s.close();
          },
        },
      ]).trace,
      'server',
    );
  }

  it('keeps a TIME_WAIT port taken unless both the old and the new socket set SO_REUSEADDR', () => {
    expect(timeWaitRebind(false, false)).toEqual(['rebind: OSError: [Errno 98] Address already in use']);
    expect(timeWaitRebind(false, true)).toEqual(['rebind: OSError: [Errno 98] Address already in use']);
    expect(timeWaitRebind(true, false)).toEqual(['rebind: OSError: [Errno 98] Address already in use']);
    expect(timeWaitRebind(true, true)).toEqual(['rebind ok']);
  });

  it('frees a TIME_WAIT port after 60 s', () => {
    const { trace } = run([
      {
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.bind(['', 8080]);
          yield* s.listen(1);
          const [c] = yield* s.accept();
          yield* c.close();
          yield* s.close();
          yield* py.sleep(59);
          yield* tryBind(py, SOCK_STREAM, ['', 8080], 'after 59 s');
          yield* py.sleep(1.5);
          yield* tryBind(py, SOCK_STREAM, ['', 8080], 'after 60.5 s');
        },
      },
      {
        host: 'client',
        start: 100_000,
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.connect(['10.0.0.2', 8080]);
          yield* s.recv(10);
          yield* s.close();
        },
      },
    ]);
    expect(printed(trace, 'server')).toEqual(['after 59 s: OSError: [Errno 98] Address already in use', 'after 60.5 s: ok']);
    const tw = events(trace, 'tcp').filter((e) => e.host === 'server' && (e.to === 'TIME_WAIT' || e.from === 'TIME_WAIT'));
    expect(tw.map((e) => e.to)).toEqual(['TIME_WAIT', 'CLOSED']);
    expect(tw[1]!.t - tw[0]!.t).toBe(60_000_000);
  });
});

describe('ephemeral ports', () => {
  it('come from 32768–60999: even for connect(), odd for bind(0), any for UDP', () => {
    const { trace } = run([
      {
        *program(py) {
          for (let i = 0; i < 5; i++) {
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            yield* s.bind(['', 0]);
            yield* py.print('bind0', (yield* s.getsockname())[1]);
            const u = yield* py.socket(AF_INET, SOCK_DGRAM);
            yield* u.sendto(b('x'), ['10.0.0.1', 9]);
            yield* py.print('udp', (yield* u.getsockname())[1]);
          }
        },
      },
      {
        host: 'client',
        *program(py) {
          const l = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* l.bind(['', 7000]);
          yield* l.listen(10);
          for (let i = 0; i < 5; i++) yield* l.accept();
        },
      },
      ...Array.from({ length: 5 }, (_, i) => ({
        start: 1000 + i * 1000,
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.connect(['10.0.0.1', 7000]);
          yield* py.print('connect', (yield* s.getsockname())[1]);
        },
      })),
    ]);
    const lines = printed(trace, 'server').map((l) => l.split(' ') as [string, string]);
    expect(lines.length).toBe(15);
    for (const [kind, p] of lines) {
      const port = Number(p);
      expect(port).toBeGreaterThanOrEqual(32768);
      expect(port).toBeLessThanOrEqual(60999);
      if (kind === 'connect') expect(port % 2).toBe(0);
      if (kind === 'bind0') expect(port % 2).toBe(1);
    }
    const connects = lines.filter(([k]) => k === 'connect').map(([, p]) => Number(p));
    expect(new Set(connects).size).toBe(5);
  });

  it('follow a configured ip_local_port_range', () => {
    const { trace } = run(
      [
        {
          *program(py) {
            // Odd ports first (bind(0)), then the other parity, then nothing is left.
            for (let i = 0; i < 6; i++) {
              const s = yield* py.socket(AF_INET, SOCK_STREAM);
              yield* s.bind(['', 0]);
              yield* py.print(String((yield* s.getsockname())[1]));
            }
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            try {
              yield* s.bind(['', 0]);
            } catch (e) {
              yield* py.print(pyErr(e));
            }
          },
        },
      ],
      { hosts: [{ name: 'server', ip: '10.0.0.2', portRange: [40000, 40005] }] },
    );
    const out = printed(trace);
    expect(out.slice(0, 3).map(Number).sort()).toEqual([40001, 40003, 40005]);
    expect(out.slice(3, 6).map(Number).sort()).toEqual([40000, 40002, 40004]);
    expect(out[6]).toBe('OSError: [Errno 98] Address already in use');
  });

  it('are recorded as allocated and released', () => {
    const { trace } = run([
      {
        *program(py) {
          const u = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* u.sendto(b('x'), ['10.0.0.2', 9]);
          yield* u.close();
        },
      },
    ]);
    const p = events(trace, 'port');
    expect(p.map((e) => [e.op, e.proto, e.ephemeral])).toEqual([
      ['alloc', 'udp', true],
      ['free', 'udp', true],
    ]);
    expect(p[0]!.port).toBe(p[1]!.port);
  });
});
