import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_BROADCAST, b } from '../../src/sim/api/pysocket.ts';
import { describe as pyErr, events, frames, printed, run } from './harness.ts';
import type { LayerEvent, WireEvent } from '../../src/sim/trace.ts';

describe('UDP', () => {
  it('sends with nobody listening: sendto succeeds, ICMP port unreachable comes back, the unconnected socket never hears of it', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* py.print('sent', yield* s.sendto(b('hello'), ['10.0.0.2', 9999]));
          s.settimeout(0.5);
          try {
            yield* s.recvfrom(100);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual(['sent 5', 'TimeoutError: timed out']);
    const f = frames(trace).filter((x) => x.kind !== 'arp');
    expect(f.map((x) => `${x.from} ${x.desc}`)).toEqual([expect.stringMatching(/^client UDP \d+ > 9999 len=5$/), 'server ICMP 3/3']);
    // Linux sends ICMP errors without DF (icmp_send uses IP_PMTUDISC_DONT); the datagram had DF.
    expect(f[0]!.ip!.df).toBe(true);
    expect(f[1]!.ip!.df).toBe(false);
  });

  it('reports the ICMP error to a connected socket on its next call, once (ECONNREFUSED)', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.connect(['10.0.0.2', 9999]);
          yield* py.print('send', yield* s.send(b('hello')));
          yield* py.sleep(0.2);
          for (let i = 0; i < 2; i++) {
            try {
              yield* py.print('send', yield* s.send(b('again')));
            } catch (e) {
              yield* py.print(pyErr(e));
            }
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual(['send 5', 'ConnectionRefusedError: [Errno 111] Connection refused', 'send 5']);
  });

  it('echoes, and recvfrom reports the sender; a datagram larger than the buffer is truncated', () => {
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.bind(['', 7788]);
          const [d, addr] = yield* s.recvfrom(4);
          yield* py.print(d, addr[0]);
          yield* s.sendto(d, addr);
        },
      },
      {
        host: 'client',
        start: 1000,
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.sendto(b('hello world'), ['server', 7788]);
          const [d, addr] = yield* s.recvfrom(100);
          yield* py.print(d, addr[0], addr[1]);
        },
      },
    ]);
    expect(printed(trace, 'server')).toEqual(["b'hell' 10.0.0.1"]);
    expect(printed(trace, 'client')).toEqual(["b'hell' 10.0.0.2 7788"]);
  });

  it('refuses a datagram over 65507 bytes with [Errno 90] Message too long', () => {
    const { trace } = run([
      {
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* py.print(yield* s.sendto(new Uint8Array(65507), ['10.0.0.1', 9]));
          try {
            yield* s.sendto(new Uint8Array(65508), ['10.0.0.1', 9]);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
        },
      },
    ]);
    expect(printed(trace)).toEqual(['65507', 'OSError: [Errno 90] Message too long']);
  });

  it('needs SO_BROADCAST to send to 255.255.255.255', () => {
    const { trace } = run([
      {
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          try {
            yield* s.sendto(b('hi'), ['<broadcast>', 9]);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
          yield* s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
          yield* py.print(yield* s.sendto(b('hi'), ['255.255.255.255', 9]));
        },
      },
    ]);
    expect(printed(trace)).toEqual(['PermissionError: [Errno 13] Permission denied', '2']);
    const bc = frames(trace).find((f) => f.kind === 'udp')!;
    expect(bc.to).toBe('client');
  });

  it('sends to the subnet’s broadcast address as an Ethernet broadcast, with no ARP, and needs SO_BROADCAST for it too', () => {
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.bind(['', 5000]);
          const [data, addr] = yield* s.recvfrom(100);
          yield* py.print(`${new TextDecoder().decode(data)} from ${addr[0]}`);
        },
      },
      {
        host: 'client',
        start: 100,
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          try {
            yield* s.sendto(b('hi'), ['10.0.0.255', 5000]);
          } catch (e) {
            yield* py.print(pyErr(e));
          }
          yield* s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
          yield* s.sendto(b('hi all'), ['10.0.0.255', 5000]);
        },
      },
    ]);
    expect(printed(trace)).toEqual(['PermissionError: [Errno 13] Permission denied', 'hi all from 10.0.0.1']);
    const fs = frames(trace);
    expect(fs.filter((f) => f.kind === 'arp')).toEqual([]);
    const udp = events(trace, 'wire').find((w) => w.bytes[23] === 17)!;
    expect([...udp.bytes.subarray(0, 6)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });

  it('loops a broadcast back to its own host (a socket there on the port gets it), and refuses TCP and unflagged UDP connect() to a broadcast address', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          for (const dst of ['10.0.0.255', '255.255.255.255']) {
            try {
              yield* (yield* py.socket(AF_INET, SOCK_STREAM)).connect([dst, 80]);
            } catch (e) {
              yield* py.print(`tcp ${dst}: ${pyErr(e)}`);
            }
            try {
              yield* (yield* py.socket(AF_INET, SOCK_DGRAM)).connect([dst, 80]);
            } catch (e) {
              yield* py.print(`udp ${dst}: ${pyErr(e)}`);
            }
          }
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
          yield* s.bind(['', 6000]);
          yield* s.sendto(b('me too'), ['<broadcast>', 6000]);
          const [data, addr] = yield* s.recvfrom(100);
          yield* py.print(`${new TextDecoder().decode(data)} from ${addr[0]}:${addr[1]}`);
        },
      },
    ]);
    expect(printed(trace)).toEqual([
      'tcp 10.0.0.255: OSError: [Errno 101] Network is unreachable',
      'udp 10.0.0.255: PermissionError: [Errno 13] Permission denied',
      'tcp 255.255.255.255: OSError: [Errno 101] Network is unreachable',
      'udp 255.255.255.255: PermissionError: [Errno 13] Permission denied',
      'me too from 10.0.0.1:6000',
    ]);
    // One frame on the wire (to everyone else); the copy went up the sender's own stack.
    expect(events(trace, 'wire').filter((w) => w.bytes[23] === 17)).toHaveLength(1);
    const up = events(trace, 'layer').filter((l) => l.host === 'client' && l.dir === 'up');
    expect(up.map((l) => l.layer)).toEqual(['link', 'internet', 'transport', 'application']);
    expect(up[0]).toMatchObject({ proto: 'loopback', iface: 'eth0' });
  });
});

describe('IPv4', () => {
  it('sends with TTL 64, DF and a correct header checksum', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.sendto(b('x'), ['10.0.0.2', 9]);
        },
      },
    ]);
    const ip = frames(trace).filter((f) => f.ip);
    expect(ip.length).toBe(2);
    for (const f of ip) expect(f.ip!.checksumOk).toBe(true);
    expect(ip[0]!.ip).toMatchObject({ ttl: 64, df: true });
  });

  it('fragments a datagram larger than the MTU into 1480-byte pieces and reassembles it', () => {
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.bind(['', 9000]);
          const [d] = yield* s.recvfrom(10000);
          let ok = d.length === 4000;
          for (let i = 0; ok && i < d.length; i++) ok = d[i] === (i & 255);
          yield* py.print('got', d.length, ok);
        },
      },
      {
        host: 'client',
        start: 1000,
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.sendto(new Uint8Array(4000).map((_, i) => i & 255), ['10.0.0.2', 9000]);
        },
      },
    ]);
    expect(printed(trace, 'server')).toEqual(['got 4000 True']);
    const pieces = frames(trace).filter((f) => f.ip && f.from === 'client');
    // 4008 bytes of UDP: 1480 + 1480 + 1048, offsets in bytes, MF on all but the last, no DF, one ID.
    expect(pieces.map((f) => [f.ip!.len - 20, f.ip!.fragOffset, f.ip!.mf, f.ip!.df])).toEqual([
      [1480, 0, true, false],
      [1480, 1480, true, false],
      [1048, 2960, false, false],
    ]);
    expect(new Set(pieces.map((f) => f.ip!.id)).size).toBe(1);
  });

  it('answers pings (ICMP echo request/reply)', () => {
    const { trace } = run([
      {
        host: 'client',
        *program(py) {
          const rtt = yield* py.ping('10.0.0.2');
          yield* py.print('rtt', rtt !== null && rtt > 0 && rtt < 0.001);
          yield* py.print('nobody', yield* py.ping('10.0.0.77', 1, 0.5));
          const self = yield* py.ping('127.0.0.1');
          yield* py.print('loopback', self !== null);
        },
      },
    ]);
    expect(printed(trace)).toEqual(['rtt True', 'nobody None', 'loopback True']);
    const icmp = frames(trace).filter((f) => f.kind === 'icmp');
    expect(icmp.map((f) => `${f.from} ${f.desc}`)).toEqual(['client ICMP 8/0', 'server ICMP 0/0']);
  });

  it('keeps loopback traffic off the wire but records its way down and up the stack', () => {
    const { trace } = run([
      {
        *program(py) {
          const a = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* a.bind(['127.0.0.1', 5000]);
          const c = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* c.sendto(b('self'), ['127.0.0.1', 5000]);
          const [d] = yield* a.recvfrom(10);
          yield* py.print(d);
        },
      },
    ]);
    expect(printed(trace)).toEqual(["b'self'"]);
    expect(frames(trace)).toEqual([]);
    const layers = events(trace, 'layer').map((e) => `${e.dir} ${e.layer} ${e.proto}`);
    expect(layers).toEqual([
      'down transport udp',
      'down internet ipv4',
      'down link loopback',
      'up link loopback',
      'up internet ipv4',
      'up transport udp',
      'up application data',
    ]);
  });
});

describe('encapsulation trace', () => {
  it('follows one packet down the sender, across the wire and up the receiver, in time order', () => {
    const { trace } = run([
      {
        host: 'server',
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* s.bind(['', 9000]);
          yield* s.recvfrom(100);
        },
      },
      {
        host: 'client',
        start: 1000,
        *program(py) {
          const s = yield* py.socket(AF_INET, SOCK_DGRAM);
          yield* py.sleep(0.01); // let ARP be done first: see one datagram alone
          yield* s.sendto(b('hi'), ['10.0.0.2', 9000]);
        },
      },
    ]);
    const udpPkt = events(trace, 'layer').find((e) => e.proto === 'udp')!.pkt;
    const path = trace.events.filter((e): e is LayerEvent | WireEvent => (e.k === 'layer' || e.k === 'wire') && e.pkt === udpPkt);
    expect(path.map((e) => (e.k === 'wire' ? `wire ${e.from.node}>${e.to.node}` : `${e.host} ${e.dir} ${e.layer} ${e.pdu}`))).toEqual([
      'client down transport datagram',
      'client down internet packet',
      'client down link frame',
      'wire client>server',
      'server up link frame',
      'server up internet packet',
      'server up transport datagram',
      'server up application data',
    ]);
    const wire = path[3]! as WireEvent;
    // 100 Mbit/s: 60 bytes + 24 of preamble, FCS and gap take 7 µs; 50 µs of latency.
    expect(wire.txEnd - wire.t).toBe(Math.ceil(((wire.bytes.length + 24) * 8) / 100));
    expect(wire.rxStart - wire.t).toBe(50);
    expect(path[4]!.t).toBe(wire.rxEnd);
  });
});
