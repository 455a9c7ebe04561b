import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_STREAM, SHUT_WR, b, type Gen, type Py, type PySocket } from '../../src/sim/api/pysocket.ts';
import { describe as pyErr, events, frames, printed, raised, run, tcpLines, tcpStates } from './harness.ts';

/** A server that accepts one connection and runs `body` on it. */
function server(body: (py: Py, conn: PySocket) => Gen<void>) {
  return {
    host: 'server',
    *program(py: Py) {
      const conn = yield* acceptOne(py);
      yield* body(py, conn);
    },
  };
}

function* acceptOne(py: Py): Gen<PySocket> {
  const s = yield* py.socket(AF_INET, SOCK_STREAM);
  yield* s.bind(['', 8080]);
  yield* s.listen(5);
  const [c] = yield* s.accept();
  yield* s.close();
  return c;
}

function client(body: (py: Py, s: PySocket) => Gen<void>, start = 100_000) {
  return {
    host: 'client',
    start,
    *program(py: Py) {
      const s = yield* py.socket(AF_INET, SOCK_STREAM);
      yield* s.connect(['10.0.0.2', 8080]);
      yield* body(py, s);
    },
  };
}

describe('TCP handshake', () => {
  it('waits for ARP, then SYN / SYN,ACK / ACK with Linux options, and both sides reach ESTABLISHED', () => {
    const { trace } = run([server(function* () {}), client(function* () {})]);
    const f = frames(trace);
    expect(f.slice(0, 2).map((x) => x.desc)).toEqual(['ARP who-has 10.0.0.2', 'ARP 10.0.0.2 is-at']);
    const syn = f[2]!;
    expect(syn.tcp!.flags).toBe('S');
    expect(syn.tcp!.options).toEqual(['mss 1460', 'sackOk', 'timestamps', 'nop', 'wscale 10']);
    expect(syn.ip).toMatchObject({ ttl: 64, df: true, checksumOk: true });
    expect(f[3]!.tcp!.flags).toBe('S.');
    expect(f[3]!.tcp!.ack).toBe(1);
    expect(f[3]!.ip!.id).toBe(0); // Linux: a SYN-ACK with DF carries IP ID 0
    expect(f[4]!.desc).toBe('. seq=1 ack=1 len=0');
    expect(tcpStates(trace, 'client').slice(0, 2)).toEqual(['SYN_SENT', 'ESTABLISHED']);
    // The listener stays in LISTEN; its child goes SYN_RECV → ESTABLISHED.
    const serverStates = events(trace, 'tcp').filter((e) => e.host === 'server');
    expect(serverStates.slice(0, 3).map((e) => `${e.sid}:${e.to}`)).toEqual(['1:LISTEN', '2:SYN_RECV', '2:ESTABLISHED']);
  });

  it('uses the MSS of a smaller MTU', () => {
    const { trace } = run([server(function* () {}), client(function* () {})], { link: { mtu: 576, latency: 50 } });
    expect(frames(trace)[2]!.tcp!.options[0]).toBe('mss 536');
  });

  it('lets accept() report the peer address and getpeername() agree', () => {
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.bind(['', 8080]);
          yield* s.listen(5);
          const [c, addr] = yield* s.accept();
          const peer = yield* c.getpeername();
          const me = yield* c.getsockname();
          yield* py.print(JSON.stringify(addr) === JSON.stringify(peer), me[0], me[1]);
        },
      },
      client(function* () {}),
    ]);
    expect(printed(trace, 'server')).toEqual(['True 10.0.0.2 8080']);
  });
});

describe('TCP data', () => {
  it('cuts a large write into 1448-byte segments (MSS 1460 minus timestamps) with PSH on the last, all acknowledged cumulatively', () => {
    const { trace } = run([
      server(function* (py, c) {
        let total = 0;
        for (;;) {
          const d = yield* c.recv(100000);
          if (d.length === 0) break;
          total += d.length;
        }
        yield* py.print('got', total);
      }),
      client(function* (_py, s) {
        yield* s.sendall(new Uint8Array(20000).fill(7));
        yield* s.close();
      }),
    ], { link: { mtu: 1500, latency: 5000 } });
    expect(printed(trace, 'server')).toEqual(['got 20000']);
    const data = frames(trace).filter((f) => f.from === 'client' && f.tcp && f.tcp.len > 0);
    expect(data.map((f) => f.tcp!.len)).toEqual([...Array(13).fill(1448), 20000 - 13 * 1448]);
    // close() came while the tail was still unsent (window-limited), so the FIN rides on it (tcp_send_fin).
    expect(data.map((f) => f.tcp!.flags).filter((x) => x.includes('P'))).toEqual(['FP.']);
    expect(data.at(-1)!.tcp!.flags).toBe('FP.');
    // The initial window is 10 segments: the 11th waits for an ACK.
    const acks = frames(trace).filter((f) => f.from === 'server' && f.tcp && f.tcp.len === 0 && f.tcp.flags === '.');
    const firstAck = acks.find((a) => a.tcp!.ack > 1)!;
    expect(data.slice(0, 10).every((d) => d.t < firstAck.t)).toBe(true);
    expect(data[10]!.t).toBeGreaterThan(firstAck.t);
    // Cumulative: the server's last segment acknowledges every byte plus the FIN.
    expect(frames(trace).filter((f) => f.from === 'server' && f.tcp).at(-1)!.tcp!.ack).toBe(20002);
  });

  it("holds a small segment while an earlier small one is unacknowledged (Nagle, Minshall's variant)", () => {
    const { trace } = run([
      server(function* (_py, c) {
        yield* c.recv(100);
        yield* c.recv(100);
      }),
      client(function* (py, s) {
        yield* s.send(b('a'));
        yield* s.send(b('b'));
        yield* s.send(b('c'));
        // Keep the socket open: close() would push held data out with the FIN at once.
        yield* py.sleep(1);
      }),
    ]);
    const data = frames(trace).filter((f) => f.from === 'client' && f.tcp && f.tcp.len > 0);
    expect(data[0]!.tcp!.len).toBe(1);
    // "b" and "c" were written while "a" was in flight: they leave together, after its ACK.
    expect(data[1]!.tcp!.len).toBe(2);
    const ackOfA = frames(trace).find((f) => f.from === 'server' && f.tcp?.ack === 2)!;
    expect(data[1]!.t).toBeGreaterThan(ackOfA.t);
  });

  it('closes the receive window when the application does not read, and reopens it when it does', () => {
    const { trace } = run([
      server(function* (py, c) {
        yield* py.sleep(2);
        let total = 0;
        for (;;) {
          const d = yield* c.recv(1 << 20);
          if (d.length === 0) break;
          total += d.length;
        }
        yield* py.print('got', total);
      }),
      client(function* (py, s) {
        yield* s.sendall(new Uint8Array(400_000).fill(1));
        yield* s.close();
        yield* py.print('sent');
      }),
    ]);
    expect(printed(trace, 'server')).toEqual(['got 400000']);
    const wins = frames(trace).filter((f) => f.from === 'server' && f.tcp);
    expect(wins.some((f) => f.tcp!.win === 0)).toBe(true);
    const zero = wins.find((f) => f.tcp!.win === 0)!;
    expect(zero.t).toBeLessThan(2_100_000);
    // After a zero window the sender probes (persist timer) until the window opens.
    const after = frames(trace).filter((f) => f.from === 'client' && f.tcp && f.t > zero.t);
    expect(after.length).toBeGreaterThan(0);
  });

  it('delivers every byte in order over a link that loses, duplicates and reorders frames', () => {
    const payload = new Uint8Array(60_000).map((_, i) => (i * 31 + 7) & 255);
    const { trace } = run(
      [
        server(function* (py, c) {
          const parts: Uint8Array[] = [];
          for (;;) {
            const d = yield* c.recv(65536);
            if (d.length === 0) break;
            parts.push(d);
          }
          const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let o = 0;
          for (const p of parts) {
            all.set(p, o);
            o += p.length;
          }
          let ok = all.length === payload.length;
          for (let i = 0; ok && i < all.length; i++) ok = all[i] === payload[i];
          yield* py.print('intact', ok, all.length);
        }),
        client(function* (_py, s) {
          yield* s.sendall(payload);
          yield* s.close();
        }),
      ],
      { link: { mtu: 1500, latency: 200, impairments: { loss: 0.05, duplicate: 0.05, reorder: 0.1, reorderDelay: 2000 } }, seed: 7 },
    );
    expect(printed(trace, 'server')).toEqual(['intact True 60000']);
    const f = frames(trace);
    expect(f.some((x) => x.fate === 'lost')).toBe(true);
    expect(f.some((x) => x.fate === 'duplicate')).toBe(true);
    // Lost data was sent again: some sequence number appears twice from the client.
    const seqs = f.filter((x) => x.from === 'client' && x.tcp && x.tcp.len > 0).map((x) => x.tcp!.seq);
    expect(new Set(seqs).size).toBeLessThan(seqs.length);
  });
});

describe('TCP close', () => {
  it('closes in three segments when the peer answers a FIN at once, leaving the active closer in TIME_WAIT', () => {
    const { trace } = run([
      server(function* (_py, c) {
        yield* c.recv(10);
        yield* c.close();
      }),
      client(function* (_py, s) {
        yield* s.close();
      }),
    ]);
    expect(tcpLines(trace).slice(-3)).toEqual(['client>server F. seq=1 ack=1 len=0', 'server>client F. seq=1 ack=2 len=0', 'client>server . seq=2 ack=2 len=0']);
    expect(tcpStates(trace, 'client')).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSED']);
    expect(tcpStates(trace, 'server', 2)).toEqual(['SYN_RECV', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('acknowledges a FIN on its own after the delayed-ACK time when the application is slow to close (four segments)', () => {
    const { trace } = run([
      server(function* (py, c) {
        yield* c.recv(10);
        yield* py.sleep(0.5);
        yield* c.close();
      }),
      client(function* (_py, s) {
        yield* s.close();
      }),
    ]);
    const last = frames(trace).filter((f) => f.tcp).slice(-4);
    expect(last.map((f) => `${f.from}>${f.to} ${f.desc}`)).toEqual([
      'client>server F. seq=1 ack=1 len=0',
      'server>client . seq=1 ack=2 len=0',
      'server>client F. seq=1 ack=2 len=0',
      'client>server . seq=2 ack=2 len=0',
    ]);
    // The lone ACK waited for the delayed-ACK timer (40 ms, TCP_ATO_MIN).
    expect(last[1]!.t - last[0]!.t).toBeGreaterThanOrEqual(40_000);
    expect(last[1]!.t - last[0]!.t).toBeLessThan(41_000);
  });

  it('goes through CLOSING when both sides close at the same moment (simultaneous close), both ending in TIME_WAIT', () => {
    // With 50 ms of latency, FINs sent 20 ms apart cross on the wire.
    const { trace } = run(
      [
        server(function* (py, c) {
          yield* py.sleep(1);
          yield* c.close();
        }),
        client(function* (py, s) {
          // accept() returns one one-way delay after connect() does: close 30 ms later than that minus 50 ms.
          yield* py.sleep(1.03);
          yield* s.close();
        }),
      ],
      { link: { mtu: 1500, latency: 50_000 } },
    );
    const serverConn = tcpStates(trace, 'server', 2);
    const clientConn = tcpStates(trace, 'client');
    expect(clientConn).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT1', 'CLOSING', 'TIME_WAIT', 'CLOSED']);
    expect(serverConn).toEqual(['SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'CLOSING', 'TIME_WAIT', 'CLOSED']);
    const fins = tcpLines(trace).filter((l) => l.includes('F.'));
    expect(fins).toEqual(['client>server F. seq=1 ack=1 len=0', 'server>client F. seq=1 ack=1 len=0']);
  });

  it('sends RST|ACK for a SYN to a port nobody listens on, and connect() raises ConnectionRefusedError', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          try {
            yield* s.connect(['10.0.0.2', 9]);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual(['ConnectionRefusedError: [Errno 111] Connection refused']);
    const rst = frames(trace).find((f) => f.tcp?.flags === 'R.')!;
    expect(rst.tcp).toMatchObject({ seq: 0, ack: 1, win: 0, options: [] });
    expect(tcpStates(trace, 'client')).toEqual(['SYN_SENT', 'CLOSED']);
  });

  it('resets instead of closing when the application closes with unread data; the peer sees ConnectionResetError, then BrokenPipeError', () => {
    const { trace } = run([
      server(function* (py, c) {
        yield* py.sleep(0.3);
        yield* c.close();
      }),
      client(function* (py, s) {
        yield* s.send(b('hello'));
        yield* py.sleep(0.6);
        for (const op of ['recv', 'send'] as const) {
          try {
            if (op === 'recv') yield* s.recv(10);
            else yield* s.send(b('again'));
            yield* py.print(op, 'ok');
          } catch (e) {
            yield* py.print(op, pyErr(e));
          }
        }
      }),
    ]);
    expect(printed(trace, 'client')).toEqual(['recv ConnectionResetError: [Errno 104] Connection reset by peer', 'send BrokenPipeError: [Errno 32] Broken pipe']);
    const lines = tcpLines(trace);
    expect(lines.some((l) => l.includes('F.'))).toBe(false);
    expect(lines.at(-1)).toBe('server>client R. seq=1 ack=6 len=0');
  });

  it('half-closes with shutdown(SHUT_WR): the peer reads EOF and can still answer', () => {
    const { trace } = run([
      server(function* (_py, c) {
        const d = yield* c.recv(10);
        const eof = yield* c.recv(10);
        yield* c.sendall(new Uint8Array([...d, eof.length]));
        yield* c.close();
      }),
      client(function* (py, s) {
        yield* s.send(b('hi'));
        yield* s.shutdown(SHUT_WR);
        yield* py.print(yield* s.recv(10));
        yield* s.close();
      }),
    ]);
    expect(printed(trace, 'client')).toEqual(["b'hi\\x00'"]);
  });
});

describe('TCP retransmission', () => {
  it('retransmits lost SYNs with exponential backoff from 1 s (RFC 6298) and succeeds when one gets through', () => {
    const { trace } = run([server(function* () {}), client(function* (py) { yield* py.print('connected'); })], {
      link: { mtu: 1500, latency: 50, impairments: { loss: 0.5 } },
      seed: 3,
    });
    const syns = frames(trace).filter((f) => f.tcp?.flags === 'S');
    expect(printed(trace, 'client')).toEqual(['connected']);
    expect(syns.length).toBeGreaterThan(1);
    // The timer started at connect(), before ARP resolved, so the first SYN went out a little late.
    const gaps = syns.slice(1).map((s, i) => s.t - syns[i]!.t);
    expect(gaps[0]).toBeGreaterThan(999_800);
    expect(gaps[0]).toBeLessThanOrEqual(1_000_000);
    const timers = events(trace, 'timer').filter((e) => e.host === 'client' && e.kind === 'retransmit' && e.op === 'set');
    const delays = timers.slice(0, syns.length).map((e) => e.at! - e.t);
    expect(delays).toEqual(syns.map((_, i) => 1_000_000 * 2 ** i));
  });

  it('gives up after 6 SYN retries (tcp_syn_retries): TimeoutError [Errno 110] after 127 s', () => {
    // The listener's accept queue is full (backlog 0, nobody accepts), so Linux drops further SYNs.
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* s.bind(['', 8080]);
          yield* s.listen(0);
          yield* py.sleep(300);
        },
      },
      client(function* (py) {
        yield* py.print('first connected');
      }),
      {
        host: 'client',
        start: 200_000,
        *program(py: Py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          try {
            yield* s.connect(['10.0.0.2', 8080]);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
        },
      },
    ]);
    expect(printed(trace, 'client')).toEqual(['first connected', 'TimeoutError: [Errno 110] Connection timed out']);
    const port = (f: ReturnType<typeof frames>[number]) => f.tcp!.sport;
    const all = frames(trace).filter((f) => f.tcp?.flags === 'S');
    const second = all.filter((f) => port(f) === port(all.at(-1)!));
    expect(second.map((f) => Math.round((f.t - second[0]!.t) / 1e6))).toEqual([0, 1, 3, 7, 15, 31, 63]);
    const fail = events(trace, 'ret').find((e) => e.error?.errno === 110)!;
    expect(Math.round((fail.t - second[0]!.t) / 1e6)).toBe(127);
    expect(events(trace, 'drop').filter((d) => d.reason.startsWith('listen queue full')).length).toBe(7);
  });

  it('fails with "No route to host" when nobody answers ARP: three requests, one second apart', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_STREAM);
          try {
            yield* s.connect(['10.0.0.9', 8080]);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual(['OSError: [Errno 113] No route to host']);
    const arps = frames(trace).filter((f) => f.kind === 'arp');
    expect(arps.slice(0, 3).map((f) => Math.round((f.t - arps[0]!.t) / 1e6))).toEqual([0, 1, 2]);
    const fail = events(trace, 'ret').find((e) => e.error)!;
    expect(Math.round((fail.t - arps[0]!.t) / 1e6)).toBe(3);
    expect(frames(trace).some((f) => f.kind === 'tcp')).toBe(false);
  });
});

describe('errors of the socket calls', () => {
  it('raise what CPython raises on Linux', () => {
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const attempts: [string, (s: PySocket) => Gen<unknown>][] = [
            ['send unconnected', (s) => s.send(b('x'))],
            ['recv unconnected', (s) => s.recv(10)],
            ['accept unlistened', (s) => s.accept()],
            ['getpeername unconnected', (s) => s.getpeername()],
            ['shutdown unconnected', (s) => s.shutdown(2)],
            ['recv negative', (s) => s.recv(-1)],
          ];
          for (const [label, f] of attempts) {
            const s = yield* py.socket(AF_INET, SOCK_STREAM);
            try {
              yield* f(s);
              yield* py.print(label, 'ok');
            } catch (e) {
              yield* py.print(`${label}: ${pyErr(e)}`);
            }
          }
          const u = yield* py.socket(AF_INET, 'SOCK_DGRAM');
          try {
            yield* u.listen(1);
          } catch (e) {
            yield* py.print(`listen udp: ${pyErr(e)}`);
          }
          try {
            yield* u.send(b('x'));
          } catch (e) {
            yield* py.print(`send unconnected udp: ${pyErr(e)}`);
          }
          const l = yield* py.socket(AF_INET, SOCK_STREAM);
          yield* l.bind(['', 7000]);
          yield* l.listen(1);
          l.setblocking(false);
          try {
            yield* l.accept();
          } catch (e) {
            yield* py.print(`accept non-blocking: ${pyErr(e)}`);
          }
          l.settimeout(0.25);
          try {
            yield* l.accept();
          } catch (e) {
            yield* py.print(`accept timeout: ${pyErr(e)}`);
          }
          try {
            yield* py.gethostbyname('nowhere.invalid');
          } catch (e) {
            yield* py.print(`gethostbyname: ${pyErr(e)}`);
          }
          yield* py.print('resolve', yield* py.gethostbyname('client'), yield* py.gethostbyname('localhost'));
          const c = yield* py.socket(AF_INET, SOCK_STREAM);
          c.setblocking(false);
          try {
            yield* c.connect(['10.0.0.1', 7001]);
          } catch (e) {
            yield* py.print(`connect non-blocking: ${pyErr(e)}`);
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'send unconnected: BrokenPipeError: [Errno 32] Broken pipe',
      'recv unconnected: OSError: [Errno 107] Transport endpoint is not connected',
      'accept unlistened: OSError: [Errno 22] Invalid argument',
      'getpeername unconnected: OSError: [Errno 107] Transport endpoint is not connected',
      'shutdown unconnected: OSError: [Errno 107] Transport endpoint is not connected',
      'recv negative: ValueError: negative buffersize in recv',
      'listen udp: OSError: [Errno 95] Operation not supported',
      'send unconnected udp: OSError: [Errno 89] Destination address required',
      'accept non-blocking: BlockingIOError: [Errno 11] Resource temporarily unavailable',
      'accept timeout: TimeoutError: timed out',
      'gethostbyname: gaierror: [Errno -2] Name or service not known',
      'resolve 10.0.0.1 127.0.0.1',
      'connect non-blocking: BlockingIOError: [Errno 115] Operation now in progress',
    ]);
    expect(raised(trace).length).toBe(12);
  });

  it('connects twice: EISCONN', () => {
    const { trace } = run([
      server(function* () {}),
      client(function* (py, s) {
        try {
          yield* s.connect(['10.0.0.2', 8080]);
        } catch (e) {
          yield* py.print(pyErr(e));
        }
      }),
    ]);
    expect(printed(trace, 'client')).toEqual(['OSError: [Errno 106] Transport endpoint is already connected']);
  });
});
