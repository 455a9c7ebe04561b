/**
 * What each networking lesson's introduction says, checked against its stored trace (the run of
 * its real Python): if a change to the runtime or the simulation makes a lesson stop showing
 * what it teaches, this fails and names the sentence. (The threads lessons check theirs in
 * tests/lessons/threads-claims.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { netstat } from '../../src/sim/views/netstat.ts';
import type { TraceEvent, WireEvent } from '../../src/sim/trace.ts';
import { dissect } from '../../src/sim/net/dissect.ts';
import { lessonTrace } from '../view/fixtures.ts';

const events = (id: string): TraceEvent[] => lessonTrace(id).events;
const of = <K extends TraceEvent['k']>(id: string, k: K): Extract<TraceEvent, { k: K }>[] => events(id).filter((e): e is Extract<TraceEvent, { k: K }> => e.k === k);
const summary = (w: WireEvent): string => {
  const d = dissect(w.bytes);
  return `${d.protocol} ${d.info}`;
};

describe('what the lessons teach holds in their traces', () => {
  it('encapsulation: data → UDP datagram → IP packet → Ethernet frame down the client, one frame on the link, and up the server to recvfrom()', () => {
    const udp = of('encapsulation', 'layer').find((e) => e.proto === 'udp')!;
    const journey = of('encapsulation', 'layer').filter((e) => e.pkt === udp.pkt);
    expect(journey.map((e) => `${e.host} ${e.dir} ${e.layer} ${e.pdu}`)).toEqual([
      'client down transport datagram',
      'client down internet packet',
      'client down link frame',
      'server up link frame',
      'server up internet packet',
      'server up transport datagram',
      'server up application data',
    ]);
    expect(journey.at(-1)!.len).toBe(5);
    expect(of('encapsulation', 'wire').filter((w) => w.pkt === udp.pkt)).toHaveLength(1);
    expect(of('encapsulation', 'out').map((e) => e.text)).toEqual([expect.stringMatching(/^got b'hello' from \('10\.0\.0\.1', \d+\)$/)]);
  });

  it('ip-addresses: two /16 hosts on network 172.16 talk directly after ARP', () => {
    const hosts = lessonTrace('ip-addresses').meta.hosts.map((h) => h.interfaces[0]!);
    expect(hosts.map((i) => `${i.ip}/${i.netmask}`).sort()).toEqual(['172.16.1.10/255.255.0.0', '172.16.200.5/255.255.0.0']);
    const wire = of('ip-addresses', 'wire').map(summary);
    expect(wire[0]).toMatch(/^ARP Who has 172\.16\.200\.5\?/);
    expect(wire.some((s) => s.startsWith('UDP'))).toBe(true);
  });

  it('ports: the server (root) binds 80; each client socket gets an ephemeral port from 32768–60999; netstat shows one LISTEN and two ESTABLISHED on port 80', () => {
    const ports = of('ports', 'port');
    expect(ports.find((p) => p.host === 'server' && p.op === 'alloc')).toMatchObject({ port: 80, ephemeral: false });
    const eph = ports.filter((p) => p.host === 'client' && p.op === 'alloc');
    expect(eph).toHaveLength(2);
    for (const p of eph) {
      expect(p.ephemeral).toBe(true);
      expect(p.port).toBeGreaterThanOrEqual(32768);
      expect(p.port).toBeLessThanOrEqual(60999);
    }
    const sleep = of('ports', 'call').find((c) => c.fn === 'sleep')!;
    const rows = netstat(lessonTrace('ports'), sleep.t + 500_000, 'server').filter((r) => r.proto === 'tcp');
    expect(rows.map((r) => `${r.local} ${r.state}`).sort()).toEqual(['0.0.0.0:80 LISTEN', '10.0.0.2:80 ESTABLISHED', '10.0.0.2:80 ESTABLISHED']);
  });

  it('creating-sockets: descriptors 3–6; TCP and UDP share port 8080; the AF_UNIX datagram never reaches a layer or the link', () => {
    expect(of('creating-sockets', 'out')[0]!.text).toBe('fds: 3 4 5 6');
    const ports = of('creating-sockets', 'port').filter((p) => p.op === 'alloc');
    expect(ports.map((p) => `${p.proto} ${p.port}`).sort()).toEqual(['tcp 8080', 'udp 8080']);
    expect(of('creating-sockets', 'ipc')).toHaveLength(1);
    // recv() taking the bytes is the only layer step: the application's.
    expect(of('creating-sockets', 'layer').map((e) => e.layer)).toEqual(['application']);
    expect(of('creating-sockets', 'wire')).toEqual([]);
  });

  it('udp-echo: the client never binds (sendto picks an ephemeral port), ARP comes first, then one datagram each way and no TCP', () => {
    expect(of('udp-echo', 'call').filter((c) => c.host === 'client' && c.fn === 'bind')).toEqual([]);
    expect(of('udp-echo', 'port').find((p) => p.host === 'client')).toMatchObject({ op: 'alloc', ephemeral: true });
    const wire = of('udp-echo', 'wire').map(summary);
    expect(wire.slice(0, 2).every((s) => s.startsWith('ARP'))).toBe(true);
    expect(wire.filter((s) => s.startsWith('UDP'))).toHaveLength(2);
    expect(of('udp-echo', 'tcp')).toEqual([]);
  });

  it('udp-no-receiver: sendto() returns 5 before the datagram leaves; ICMP port unreachable comes back; the program never hears of it', () => {
    const ret = of('udp-no-receiver', 'ret').find((r) => r.fn === 'sendto')!;
    expect(ret.value).toBe(5);
    const udp = of('udp-no-receiver', 'wire').find((w) => summary(w).startsWith('UDP'))!;
    expect(ret.t).toBeLessThan(udp.t);
    expect(of('udp-no-receiver', 'wire').some((w) => /ICMP.*port unreachable/i.test(summary(w)))).toBe(true);
    expect(of('udp-no-receiver', 'out').map((e) => e.text)).toEqual(['sendto returned 5', 'done']);
    expect(of('udp-no-receiver', 'ret').filter((r) => r.error)).toEqual([]);
  });

  it('bind-errors: errno 98, errno 13, OverflowError, and port 0 gives an ephemeral port', () => {
    const errs = of('bind-errors', 'ret').filter((r) => r.fn === 'bind' && r.error).map((r) => `${r.error!.type} ${r.error!.errno ?? '-'}`);
    expect(errs).toEqual(['OSError 98', 'PermissionError 13', 'OverflowError -']);
    expect(of('bind-errors', 'port').filter((p) => p.op === 'alloc').at(-1)!.ephemeral).toBe(true);
  });

  it('tcp-handshake: SYN, SYN,ACK, ACK; both ESTABLISHED; FIN and ACK each way; the client ends in TIME_WAIT for 60 s', () => {
    const tcp = of('tcp-handshake', 'tcp');
    expect(tcp.filter((e) => e.to === 'ESTABLISHED').map((e) => e.host).sort()).toEqual(['client', 'server']);
    const wire = of('tcp-handshake', 'wire').map(summary).filter((s) => s.startsWith('TCP'));
    expect(wire.slice(0, 3).map((s) => s.match(/\[([A-Z, ]+)\]/)?.[1])).toEqual(['SYN', 'SYN, ACK', 'ACK']);
    expect(wire.filter((s) => /\[FIN, ACK\]/.test(s))).toHaveLength(2);
    const tw = tcp.find((e) => e.to === 'TIME_WAIT')!;
    expect(tw.host).toBe('client');
    expect(tcp.find((e) => e.from === 'TIME_WAIT')!.t - tw.t).toBe(60_000_000);
  });

  it('tcp-refused: RST,ACK answers the SYN; SYN_SENT → CLOSED; the port is released; ConnectionRefusedError (111)', () => {
    expect(of('tcp-refused', 'wire').map(summary).some((s) => /\[RST, ACK\]/.test(s))).toBe(true);
    expect(of('tcp-refused', 'tcp').map((e) => `${e.from}>${e.to}`)).toEqual(['CLOSED>SYN_SENT', 'SYN_SENT>CLOSED']);
    expect(of('tcp-refused', 'port').map((p) => p.op)).toEqual(['alloc', 'free']);
    expect(of('tcp-refused', 'ret').find((r) => r.error)!.error).toMatchObject({ type: 'ConnectionRefusedError', errno: 111 });
  });

  it('time-wait: the server closes first (FIN_WAIT1, FIN_WAIT2, TIME_WAIT for 60 s); meanwhile bind() fails with 98; afterwards it works', () => {
    const server = of('time-wait', 'tcp').filter((e) => e.host === 'server' && e.from !== 'CLOSED' && e.from !== 'LISTEN' && e.to !== 'CLOSED');
    expect(server.map((e) => e.to)).toEqual(['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT']);
    const tw = server.at(-1)!;
    const end = of('time-wait', 'tcp').find((e) => e.from === 'TIME_WAIT')!;
    expect(end.t - tw.t).toBe(60_000_000);
    const binds = of('time-wait', 'ret').filter((r) => r.fn === 'bind' && r.host === 'server');
    expect(binds.map((b) => b.error?.errno ?? 'ok')).toEqual(['ok', 98, 'ok']);
    expect(binds[1]!.t).toBeLessThan(end.t);
    expect(binds[2]!.t).toBeGreaterThan(end.t);
  });
});
