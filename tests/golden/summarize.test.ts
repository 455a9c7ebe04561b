// Golden recordings of real Linux + CPython (tests/golden/recorded, made by tools/golden/record.sh).
// These tests only read committed files: no root, no namespaces.
//
// 1. The summariser reproduces each committed wire.json from its capture.pcap.
// 2. The recordings show the facts the simulator will be held to (segment sequences,
//    payload sizes, options, ICMP errors, printed output).
// 3. compareSummaries ignores exactly t_us and the IP id, and nothing else.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareSummaries,
  parsePcap,
  scenarioHosts,
  summarize,
  type FrameSummary,
  type WireSummary,
} from '../../tools/golden/summarize.ts';

const ROOT = join(import.meta.dirname, '.');
const CASES = join(ROOT, 'cases');
const RECORDED = join(ROOT, 'recorded');
const caseNames = readdirSync(CASES).filter((d) => existsSync(join(CASES, d, 'scenario.json')));

function wire(name: string): WireSummary {
  return JSON.parse(readFileSync(join(RECORDED, name, 'wire.json'), 'utf8')) as WireSummary;
}
function output(name: string): Record<string, string[]> {
  return JSON.parse(readFileSync(join(RECORDED, name, 'output.json'), 'utf8')) as Record<string, string[]>;
}
function frames(name: string): FrameSummary[] {
  return wire(name).frames;
}
function tcp(name: string): FrameSummary[] {
  return frames(name).filter((f) => f.proto === 'tcp');
}
/** "client>server S seq 0 ack 1 len 0": direction, flags, relative seq/ack, payload length. */
function seg(f: FrameSummary): string {
  return `${f.from}>${f.to} ${f.flags} seq ${f.seq} ack ${f.ack} len ${f.len}`;
}
/** Expected segments of a handshake started by the client. */
const HANDSHAKE = ['client>server S seq 0 ack 0 len 0', 'server>client S. seq 0 ack 1 len 0', 'client>server . seq 1 ack 1 len 0'];
/** The full SYN option list Linux sends (wscale depends on tcp_rmem[2]; 10 for 32 MB). */
const SYN_OPTIONS = /^mss 1460,sackOK,TS,nop,wscale \d+$/;
const MSS = 1460;
const TS_OPTION_BYTES = 12; // nop, nop, TS (10)

describe('recordings exist and the summariser reproduces wire.json', () => {
  it('every case has been recorded', () => {
    expect(caseNames.length).toBeGreaterThanOrEqual(12);
    for (const c of caseNames) {
      for (const f of ['wire.json', 'output.json', 'meta.json']) expect(existsSync(join(RECORDED, c, f)), `${c}/${f}`).toBe(true);
    }
  });

  for (const c of caseNames) {
    it(`${c}: capture.pcap summarises to the committed wire.json`, () => {
      const scenario = JSON.parse(readFileSync(join(CASES, c, 'scenario.json'), 'utf8')) as unknown;
      const pcapPath = join(RECORDED, c, 'capture.pcap');
      const committed = wire(c);
      if (!existsSync(pcapPath)) {
        expect(committed.frames).toEqual([]);
        return;
      }
      const summary = summarize(new Uint8Array(readFileSync(pcapPath)), scenarioHosts(scenario));
      expect(JSON.parse(JSON.stringify(summary))).toEqual(committed);
    });

    it(`${c}: every program exited normally, within the time limit`, () => {
      const meta = JSON.parse(readFileSync(join(RECORDED, c, 'meta.json'), 'utf8')) as {
        programs: { key: string; exit_code: number; timed_out: boolean }[];
      };
      for (const p of meta.programs) {
        expect(p.exit_code, p.key).toBe(0);
        expect(p.timed_out, p.key).toBe(false);
      }
      for (const [key, lines] of Object.entries(output(c))) {
        expect(lines.filter((l) => l.startsWith('stderr: ')), key).toEqual([]);
      }
    });
  }
});

describe('facts of the real Linux recordings', () => {
  it('two-host cases start with a broadcast ARP request and its reply, and show no other link noise', () => {
    for (const c of caseNames) {
      const fs = frames(c);
      if (fs.length === 0) continue;
      expect(fs[0]).toMatchObject({ arp: 'request', eth_dst: 'broadcast', who_has: 'server', tell: 'client' });
      expect(fs[1]).toMatchObject({ arp: 'reply', eth_dst: 'client', from: 'server', is_at: 'server' });
      // No more ARP, no IPv6, nothing but IPv4 after that.
      for (const f of fs.slice(2)) {
        expect(f.arp, c).toBeUndefined();
        expect(f.ethertype, c).toBeUndefined();
        expect(f.ttl, c).toBe(64);
      }
    }
  });

  it('every TCP segment has DF; SYNs carry mss/sackOK/TS/nop/wscale, later segments nop,nop,TS (RST to a SYN: none)', () => {
    for (const c of caseNames) {
      for (const f of tcp(c)) {
        expect(f.df).toBe(true);
        const opts = (f.options ?? []).join(',');
        if (f.flags === 'S' || f.flags === 'S.') expect(opts).toMatch(SYN_OPTIONS);
        else if (c === 'tcp-refused') expect(opts).toBe('');
        else expect(opts).toBe('nop,nop,TS');
      }
    }
  });

  it('SYN windows: 64240 from the client, 65160 from the server; equal wscale on both', () => {
    for (const c of caseNames) {
      for (const f of tcp(c)) {
        if (f.flags === 'S') expect(f.win).toBe(64240);
        if (f.flags === 'S.') expect(f.win).toBe(65160);
      }
    }
    const [syn, synack] = tcp('tcp-echo');
    expect(syn?.options?.at(-1)).toBe(synack?.options?.at(-1));
  });

  it('tcp-echo: handshake, hello each way with an immediate ACK, then a 3-segment close', () => {
    expect(tcp('tcp-echo').map(seg)).toEqual([
      ...HANDSHAKE,
      'client>server P. seq 1 ack 1 len 5',
      'server>client . seq 1 ack 6 len 0',
      'server>client P. seq 1 ack 6 len 5',
      'client>server . seq 6 ack 6 len 0',
      'client>server F. seq 6 ack 6 len 0',
      'server>client F. seq 6 ack 7 len 0',
      'client>server . seq 7 ack 7 len 0',
    ]);
    const syn = tcp('tcp-echo')[0];
    expect(syn).toMatchObject({ sport: 'eph', dport: 8080 });
    expect(output('tcp-echo')).toEqual({
      server: ['connection from 10.0.0.1', 'echoed 5 bytes', 'done'],
      client: ['connected', "received b'hello'"],
    });
  });

  it('tcp-refused: SYN answered by R. with seq 0, ack 1, win 0 and no options', () => {
    expect(frames('tcp-refused').slice(2).map(seg)).toEqual([
      'client>server S seq 0 ack 0 len 0',
      'server>client R. seq 0 ack 1 len 0',
    ]);
    expect(tcp('tcp-refused')[1]).toMatchObject({ sport: 8081, dport: 'eph', win: 0, options: [] });
    expect(output('tcp-refused')).toEqual({ client: ['ConnectionRefusedError: [Errno 111] Connection refused'] });
  });

  it('tcp-bulk: 5000 bytes in MSS-minus-options segments, PSH only on the last, each ACKed', () => {
    const segs = tcp('tcp-bulk');
    const data = segs.filter((f) => f.from === 'client' && (f.len ?? 0) > 0);
    expect(data.reduce((n, f) => n + (f.len ?? 0), 0)).toBe(5000);
    for (const f of data) expect(f.len).toBeLessThanOrEqual(MSS - TS_OPTION_BYTES);
    expect(data.map((f) => f.len)).toEqual([1448, 1448, 1448, 656]);
    expect(data.map((f) => f.flags)).toEqual(['.', '.', '.', 'P.']);
    expect(segs.map(seg)).toEqual([
      ...HANDSHAKE,
      'client>server . seq 1 ack 1 len 1448',
      'server>client . seq 1 ack 1449 len 0',
      'client>server . seq 1449 ack 1 len 1448',
      'server>client . seq 1 ack 2897 len 0',
      'client>server . seq 2897 ack 1 len 1448',
      'server>client . seq 1 ack 4345 len 0',
      'client>server P. seq 4345 ack 1 len 656',
      'server>client . seq 1 ack 5001 len 0',
      'client>server F. seq 5001 ack 1 len 0',
      'server>client F. seq 1 ack 5002 len 0',
      'client>server . seq 5002 ack 2 len 0',
    ]);
    expect(output('tcp-bulk')).toEqual({ server: ['received 5000 bytes'], client: ['sent 5000 bytes'] });
  });

  it('reset-by-peer: closing with unread data sends R. (with ACK and TS), never a FIN', () => {
    const segs = tcp('reset-by-peer');
    expect(segs.map(seg)).toEqual([
      ...HANDSHAKE,
      'client>server P. seq 1 ack 1 len 5',
      'server>client . seq 1 ack 6 len 0',
      'server>client R. seq 1 ack 6 len 0',
    ]);
    expect(segs.at(-1)?.options).toEqual(['nop', 'nop', 'TS']);
    // The failing send after the reset puts nothing on the wire.
    expect(output('reset-by-peer').client).toEqual([
      'sent hello',
      'recv: ConnectionResetError: [Errno 104] Connection reset by peer',
      'send: BrokenPipeError: [Errno 32] Broken pipe',
    ]);
  });

  it('time-wait-rebind: the server closes first (F. from the server), and only "both set SO_REUSEADDR" can rebind', () => {
    const segs = tcp('time-wait-rebind');
    const ports = [8080, 8081, 8082, 8083];
    expect(segs).toHaveLength(6 * ports.length);
    ports.forEach((p, i) => {
      const conn = segs.slice(6 * i, 6 * i + 6);
      for (const f of conn) expect(f.from === 'server' ? f.sport : f.dport).toBe(p);
      expect(conn.map(seg)).toEqual([
        ...HANDSHAKE,
        'server>client F. seq 1 ack 1 len 0',
        'client>server F. seq 1 ack 2 len 0',
        'server>client . seq 2 ack 2 len 0',
      ]);
    });
    expect(output('time-wait-rebind').server).toEqual([
      'neither: bind OSError: [Errno 98] Address already in use',
      'new only: bind OSError: [Errno 98] Address already in use',
      'old only: bind OSError: [Errno 98] Address already in use',
      'both: bind ok',
      'both: listen ok',
    ]);
  });

  it('udp-echo: one datagram each way, the server answering from port 7788', () => {
    expect(frames('udp-echo').slice(2)).toMatchObject([
      { from: 'client', to: 'server', proto: 'udp', sport: 'eph', dport: 7788, len: 5, df: true },
      { from: 'server', to: 'client', proto: 'udp', sport: 7788, dport: 'eph', len: 5, df: true },
    ]);
    expect(output('udp-echo')).toEqual({
      server: ["got b'hello' from 10.0.0.1"],
      client: ["reply b'hello' from 10.0.0.2 7788"],
    });
  });

  it('udp-no-receiver: ICMP port unreachable (3/3, no DF) quoting the UDP datagram to 9999; sendto still returned 5', () => {
    const fs = frames('udp-no-receiver').slice(2);
    expect(fs).toHaveLength(2);
    expect(fs[0]).toMatchObject({ proto: 'udp', from: 'client', to: 'server', sport: 'eph', dport: 9999, len: 5 });
    expect(fs[1]).toMatchObject({
      proto: 'icmp',
      from: 'server',
      to: 'client',
      type: 3,
      code: 3,
      df: false,
      quoted: { from: 'client', to: 'server', proto: 'udp', sport: 'eph', dport: 9999, len: 5 },
      len: 20 + 8 + 5, // the whole offending datagram is quoted
    });
    expect(output('udp-no-receiver')).toEqual({ client: ['sendto returned 5', 'done'] });
  });

  it('udp-connected-icmp: the ICMP error surfaces once on the next call; a failing send puts nothing on the wire', () => {
    const fs = frames('udp-connected-icmp').slice(2);
    expect(fs.map((f) => (f.proto === 'icmp' ? `icmp ${f.type}/${f.code} ${f.quoted?.dport}` : `udp ${f.dport} ${f.len}`))).toEqual([
      'udp 9999 5',
      'icmp 3/3 9999',
      'udp 9999 5',
      'icmp 3/3 9999',
    ]);
    expect(output('udp-connected-icmp')).toEqual({
      client: [
        'send returned 5',
        'recv: ConnectionRefusedError: [Errno 111] Connection refused',
        'send returned 5',
        'send: ConnectionRefusedError: [Errno 111] Connection refused',
      ],
    });
  });

  it('http-get: one request segment, the response in two writes (headers, body), the server closes first', () => {
    const segs = tcp('http-get');
    expect(segs.slice(0, 3).map(seg)).toEqual(HANDSHAKE);
    expect(segs[0]).toMatchObject({ dport: 80 });
    const request = segs.filter((f) => f.from === 'client' && (f.len ?? 0) > 0);
    expect(request).toHaveLength(1);
    const response = segs.filter((f) => f.from === 'server' && (f.len ?? 0) > 0);
    expect(response.map((f) => f.flags)).toEqual(['P.', 'P.']);
    expect(response[1]?.len).toBe('<h1>Hello from wirescope</h1>\n'.length);
    const fins = segs.filter((f) => f.flags?.includes('F'));
    expect(fins.map((f) => f.from)).toEqual(['server', 'client']);
    expect(segs.at(-1)).toMatchObject({ from: 'server', flags: '.' });
    expect(output('http-get')).toEqual({
      server: ['serving on port 80', 'served one request'],
      client: ['200 OK', 'text/html', '<h1>Hello from wirescope</h1>'],
    });
  });

  it('single-host cases put nothing on the wire', () => {
    for (const c of ['port-conflict', 'bind-errors', 'unix-echo']) expect(frames(c), c).toEqual([]);
  });

  it('port-conflict: a second bind to a used port fails with EADDRINUSE for TCP and UDP; TCP and UDP 8080 coexist', () => {
    expect(output('port-conflict')).toEqual({
      host: [
        'tcp a bound to 8080',
        'tcp b: OSError: [Errno 98] Address already in use',
        'tcp c: OSError: [Errno 98] Address already in use',
        'udp u1 bound to 9000',
        'udp u2: OSError: [Errno 98] Address already in use',
        'udp u3 bound to 8080 while tcp a listens on 8080',
      ],
    });
  });

  it('bind-errors: the exact exception class and message for each bad bind', () => {
    expect(output('bind-errors')).toEqual({
      'host/user.py': [
        'port 80: PermissionError: [Errno 13] Permission denied',
        'port 70000: OverflowError: bind(): port must be 0-65535.',
        'port -1: OverflowError: bind(): port must be 0-65535.',
        'address 10.0.0.99: OSError: [Errno 99] Cannot assign requested address',
        "port '8080': TypeError: 'str' object cannot be interpreted as an integer",
        "host 'no-such-host': gaierror: [Errno -2] Name or service not known",
        'port 8080: bound',
        'second bind: OSError: [Errno 22] Invalid argument',
      ],
      'host/root.py': ['root port 80: bound'],
    });
  });

  it('unix-echo: echo over AF_UNIX, EADDRINUSE on a bound path, ENOENT for a missing one', () => {
    expect(output('unix-echo')).toEqual({
      'host/server.py': [
        'listening on /tmp/echo.sock',
        'second bind: OSError: [Errno 98] Address already in use',
        "accepted, peer address ''",
        'done',
      ],
      'host/client.py': [
        'missing: FileNotFoundError: [Errno 2] No such file or directory',
        'connected',
        "received b'hello'",
      ],
    });
  });
});

describe('pcap parsing and comparison', () => {
  const pcap = new Uint8Array(readFileSync(join(RECORDED, 'tcp-echo', 'capture.pcap')));
  const hosts = [
    { name: 'server', ip: '10.0.0.2' },
    { name: 'client', ip: '10.0.0.1' },
  ];

  /** The same capture in the other byte order (and optionally with nanosecond timestamps). */
  function reencode(src: Uint8Array, opts: { bigEndian: boolean; nanos: boolean }): Uint8Array {
    const inV = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const inLE = inV.getUint32(0, true) === 0xa1b2c3d4;
    const out = new Uint8Array(src.length);
    out.set(src);
    const v = new DataView(out.buffer);
    const le = !opts.bigEndian;
    v.setUint32(0, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
    v.setUint16(4, inV.getUint16(4, inLE), le);
    v.setUint16(6, inV.getUint16(6, inLE), le);
    for (const o of [8, 12, 16, 20]) v.setUint32(o, inV.getUint32(o, inLE), le);
    let o = 24;
    while (o + 16 <= src.length) {
      const incl = inV.getUint32(o + 8, inLE);
      v.setUint32(o, inV.getUint32(o, inLE), le);
      const frac = inV.getUint32(o + 4, inLE);
      v.setUint32(o + 4, opts.nanos ? frac * 1000 : frac, le);
      v.setUint32(o + 8, incl, le);
      v.setUint32(o + 12, inV.getUint32(o + 12, inLE), le);
      o += 16 + incl;
    }
    return out;
  }

  it('reads both byte orders and nanosecond pcaps identically', () => {
    const base = summarize(pcap, hosts);
    expect(summarize(reencode(pcap, { bigEndian: true, nanos: false }), hosts)).toEqual(base);
    expect(summarize(reencode(pcap, { bigEndian: false, nanos: true }), hosts)).toEqual(base);
    expect(parsePcap(pcap)).toHaveLength(base.frames.length);
  });

  it('compareSummaries ignores t_us and the IP id, and reports any other difference', () => {
    const a = wire('tcp-echo');
    expect(compareSummaries(a, a).equal).toBe(true);
    const shifted: WireSummary = { ...a, frames: a.frames.map((f, i) => ({ ...f, t_us: f.t_us * 3 + i, id: 7 })) };
    expect(compareSummaries(a, shifted)).toEqual({ equal: true, diffs: [] });

    const b: WireSummary = { ...a, frames: a.frames.map((f) => ({ ...f })) };
    (b.frames[2] as FrameSummary).win = 1000;
    const r = compareSummaries(a, b);
    expect(r.equal).toBe(false);
    expect(r.diffs[0]).toMatch(/^frame 2:/);
    expect(compareSummaries(a, b, { ignore: ['win'] }).equal).toBe(true);

    const fewer: WireSummary = { ...a, frames: a.frames.slice(0, -1) };
    expect(compareSummaries(a, fewer).diffs.at(-1)).toBe(`frame count: expected ${a.frames.length}, actual ${a.frames.length - 1}`);
  });
});
