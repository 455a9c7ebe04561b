// The dissector: field names, byte ranges and labels as tshark 4.0 shows them (on the real Linux
// capture and on frames our encoders built), relative sequence numbers, and robustness.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dissect, type DissectOptions, type Dissection, type Field } from '../../../src/sim/net/dissect.ts';
import { readPcap } from '../../../src/sim/net/pcap.ts';
import { decodeEthernet } from '../../../src/sim/net/wire/ethernet.ts';
import { decodeIpv4, PROTO_TCP } from '../../../src/sim/net/wire/ipv4.ts';
import { decodeTcp } from '../../../src/sim/net/wire/tcp.ts';
import { createRng } from '../../../src/sim/rng.ts';
import { F, FIXTURES, fixtureBytes, linuxFrames } from './fixture.ts';
import { compareWithTshark, flatten, type TsharkFrame } from './tshark-compare.ts';

function tsharkFixture(name: string): TsharkFrame[] {
  return (JSON.parse(readFileSync(FIXTURES + name, 'utf8')) as { frames: TsharkFrame[] }).frames;
}

/**
 * The options Wireshark's conversation tracking would give each frame: sequence numbers relative
 * to the sender's SYN (or to the first seen segment − 1 when its SYN was not captured), and the
 * window scale once both SYNs have been seen.
 */
function wiresharkOptions(frames: Uint8Array[]): DissectOptions[] {
  const base = new Map<string, number>();
  const wscale = new Map<string, number | null>();
  return frames.map((frame) => {
    try {
      const eth = decodeEthernet(frame);
      const ip = decodeIpv4(eth.payload);
      if (ip.header.protocol !== PROTO_TCP || ip.header.fragOffset !== 0 || ip.header.mf) return {};
      const { header: h } = decodeTcp(ip.payload, ip.header.src, ip.header.dst);
      const dir = `${ip.header.src}:${h.srcPort}>${ip.header.dst}:${h.dstPort}`;
      const rev = `${ip.header.dst}:${h.dstPort}>${ip.header.src}:${h.srcPort}`;
      if (!base.has(dir)) base.set(dir, h.flags.syn ? h.seq : (h.seq - 1) >>> 0);
      if (h.flags.ack && !base.has(rev)) base.set(rev, (h.ack - 1) >>> 0);
      if (h.flags.syn) {
        const ws = h.options.find((o) => o.kind === 'wscale');
        wscale.set(dir, ws?.kind === 'wscale' ? ws.shift : null);
      }
      const mine = wscale.get(dir);
      const theirs = wscale.get(rev);
      const windowShift =
        mine === undefined || theirs === undefined ? undefined : mine === null || theirs === null ? null : mine;
      return { relativeSeq: { isn: base.get(dir)!, peerIsn: base.get(rev) }, windowShift };
    } catch {
      return {};
    }
  });
}

/** Wireshark's Info column with its analysis notes ("[TCP Retransmission] ", "(request in 3)") removed. */
function comparableInfo(ours: string, theirs: string): boolean {
  const stripped = theirs.replace(/^(\[[^\]]*\] )+/, '');
  return stripped === ours || stripped.startsWith(ours + ' ');
}

function compareAll(frames: Uint8Array[], expected: TsharkFrame[], skip: (n: number) => Set<string> = () => new Set()): string[] {
  const opts = wiresharkOptions(frames);
  const ds = frames.map((f, i) => dissect(f, opts[i]));
  const known = new Set(ds.flatMap((d) => flatten(d.layers).map((f) => f.name)));
  const out: string[] = [];
  ds.forEach((d, i) => {
    const t = expected[i]!;
    const diffs = compareWithTshark(d, t, known, skip(i + 1));
    if (d.protocol !== t.protocol) diffs.push(`protocol ${d.protocol}, tshark ${t.protocol}`);
    if (!comparableInfo(d.info, t.info)) diffs.push(`info\n    ours:   ${d.info}\n    tshark: ${t.info}`);
    if (diffs.length) out.push(`frame ${i + 1}:\n  ${diffs.join('\n  ')}`);
  });
  return out;
}

function find(d: Dissection, name: string, nth = 0): Field {
  const f = flatten(d.layers).filter((x) => x.name === name)[nth];
  if (!f) throw new Error(`no field ${name} (#${nth}) in ${d.layers.map((l) => l.name).join('/')}`);
  return f;
}

const linux = linuxFrames();
const frame = (n: number) => linux[n - 1]!;

describe('dissect agrees with tshark 4.0', () => {
  it('on every frame of the real Linux capture: names, byte ranges, labels, Protocol and Info', () => {
    const expected = tsharkFixture('linux-sample.tshark.json');
    expect(expected).toHaveLength(linux.length);
    expect(compareAll(linux, expected)).toEqual([]);
  });

  it('on frames built by our encoders and hand-made edge cases (dissect-samples.pcap)', () => {
    const frames = readPcap(fixtureBytes('dissect-samples.pcap')).records.map((r) => r.bytes);
    const expected = tsharkFixture('dissect-samples.tshark.json');
    expect(expected).toHaveLength(frames.length);
    // Frame 18 quotes a TCP segment of the live connection; tshark matches it to that
    // conversation (relative ack, window scale), which a one-frame dissector cannot know.
    const skip = (n: number) => new Set(n === 18 ? ['tcp.ack@70', 'tcp.window_size_scalefactor@76'] : []);
    expect(compareAll(frames, expected, skip)).toEqual([]);
  });

  it('the comparison itself catches a wrong label or range', () => {
    const expected = tsharkFixture('linux-sample.tshark.json');
    const d = dissect(frame(F.udpSmall));
    find(d, 'udp.srcport').label = 'Source Port: 1';
    find(d, 'udp.dstport').start = 35;
    const diffs = compareWithTshark(d, expected[F.udpSmall - 1]!, new Set(['udp.srcport', 'udp.dstport'])).join('\n');
    expect(diffs).toMatch(/udp.srcport@34: label/);
    expect(diffs).toMatch(/ours only: udp.dstport \[35/);
    expect(diffs).toMatch(/tshark only: udp.dstport \[36/);
  });
});

describe('dissect', () => {
  it('gives one layer per protocol with Wireshark titles', () => {
    const d = dissect(frame(F.clientData));
    expect(d.layers.map((l) => l.name)).toEqual(['eth', 'ip', 'tcp', 'data']);
    expect(d.layers.map((l) => l.label)).toEqual([
      'Ethernet II, Src: 02:00:0a:00:00:01, Dst: 02:00:0a:00:00:02',
      'Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2',
      'Transmission Control Protocol, Src Port: 40620, Dst Port: 8080, Seq: 2304299047, Ack: 3525507088, Len: 6',
      'Data (6 bytes)',
    ]);
    expect(d.problems).toEqual([]);
    expect(dissect(frame(F.arpRequest)).layers.map((l) => l.name)).toEqual(['eth', 'arp']);
    expect(dissect(frame(F.udpSmall)).layers.map((l) => l.name)).toEqual(['eth', 'ip', 'udp', 'data']);
    expect(dissect(frame(F.icmpSmall)).layers.map((l) => l.name)).toEqual(['eth', 'ip', 'icmp', 'data']);
    expect(dissect(frame(F.echoRequest)).layers.map((l) => l.name)).toEqual(['eth', 'ip', 'icmp', 'data']);
  });

  it('places each field on its bytes: TCP source port is bytes 34–35 of Ethernet/IPv4/TCP', () => {
    const d = dissect(frame(F.syn));
    const range = (name: string) => {
      const f = find(d, name);
      return [f.start, f.length];
    };
    expect(range('tcp.srcport')).toEqual([34, 2]);
    expect(range('tcp.dstport')).toEqual([36, 2]);
    expect(range('tcp.seq')).toEqual([38, 4]);
    expect(range('tcp.options.mss')).toEqual([54, 4]);
    expect(range('tcp.options.wscale')).toEqual([71, 3]);
    expect(range('ip.ttl')).toEqual([22, 1]);
    expect(range('ip.src')).toEqual([26, 4]);
    expect(range('eth.type')).toEqual([12, 2]);
    expect(find(d, 'tcp.flags.syn')).toMatchObject({ start: 47, length: 1, bitmask: 0x02, label: '.... .... ..1. = Syn: Set' });
    expect(find(d, 'ip.flags.df')).toMatchObject({ start: 20, bitmask: 0x40, label: ".1.. .... = Don't fragment: Set" });
    expect(find(d, 'tcp.len')).toMatchObject({ length: 0, generated: true });
    const arp = dissect(frame(F.arpReply));
    expect(find(arp, 'arp.src.proto_ipv4')).toMatchObject({ start: 28, length: 4, label: 'Sender IP address: 10.0.0.2' });
  });

  it('shows sequence numbers relative to the ISNs when asked, absolute otherwise', () => {
    const isn = 2304299046;
    const peerIsn = 3525507087;
    const rel = dissect(frame(F.clientData), { relativeSeq: { isn, peerIsn }, windowShift: 10 });
    expect(rel.info).toBe('40620 → 8080 [PSH, ACK] Seq=1 Ack=1 Win=64512 Len=6 TSval=2302219727 TSecr=2051176962');
    expect(find(rel, 'tcp.seq').label).toBe('Sequence Number: 1    (relative sequence number)');
    expect(find(rel, 'tcp.seq_raw').label).toBe('Sequence Number (raw): 2304299047');
    expect(find(rel, 'tcp.ack').label).toBe('Acknowledgment Number: 1    (relative ack number)');
    expect(find(rel, 'tcp.nxtseq').label).toBe('Next Sequence Number: 7    (relative sequence number)');
    expect(find(rel, 'tcp.window_size').label).toBe('Calculated window size: 64512');
    const syn = dissect(frame(F.syn), { relativeSeq: { isn } });
    expect(syn.info).toBe('40620 → 8080 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=2302219726 TSecr=0 WS=1024');
    expect(syn.layers[2]!.label).toBe('Transmission Control Protocol, Src Port: 40620, Dst Port: 8080, Seq: 0, Len: 0');
    const abs = dissect(frame(F.clientData));
    expect(abs.info).toBe('40620 → 8080 [PSH, ACK] Seq=2304299047 Ack=3525507088 Win=63 Len=6 TSval=2302219727 TSecr=2051176962');
    expect(find(abs, 'tcp.seq').label).toBe('Sequence Number: 2304299047');
    expect(flatten(abs.layers).some((f) => f.name === 'tcp.seq_raw')).toBe(false);
    expect(find(abs, 'tcp.window_size_scalefactor').label).toBe('Window size scaling factor: -1 (unknown)');
    // Relative numbers wrap modulo 2^32 like the sequence space.
    expect(dissect(frame(F.clientData), { relativeSeq: { isn: isn + 10 } }).info).toMatch(/ Seq=4294967287 /);
  });

  it('reports bad checksums with Wireshark wording and as problems', () => {
    const bad = frame(F.clientData).slice();
    bad[50] = bad[50]! ^ 0xff; // TCP checksum
    bad[24] = bad[24]! ^ 0x01; // IP header checksum
    const d = dissect(bad);
    expect(find(d, 'ip.checksum').label).toBe('Header Checksum: 0x15a2 incorrect, should be 0x14a2(may be caused by "IP checksum offload"?)');
    expect(find(d, 'ip.checksum.status').label).toBe('Header checksum status: Bad');
    expect(find(d, 'tcp.checksum').label).toBe('Checksum: 0x5653 incorrect, should be 0xa953(maybe caused by "TCP checksum offload"?)');
    expect(find(d, 'tcp.checksum_calculated').label).toBe('Calculated Checksum: 0xa953');
    expect(d.problems).toEqual([
      'IPv4 header checksum incorrect: 0x15a2, should be 0x14a2',
      'TCP checksum incorrect: 0x5653, should be 0xa953',
    ]);
    expect(find(dissect(frame(F.clientData)), 'ip.checksum').label).toBe('Header Checksum: 0x14a2 [correct]');
  });

  it('shows Ethernet padding and the quoted datagram of ICMP errors', () => {
    const padded = new Uint8Array(60);
    padded.set(frame(F.rst));
    const d = dissect(padded);
    expect(find(d, 'eth.padding')).toMatchObject({ start: 54, length: 6, label: 'Padding: 000000000000' });
    expect(d.problems).toEqual([]);
    const icmp = dissect(frame(F.icmpBig));
    expect(icmp.info).toBe('Destination unreachable (Port unreachable)');
    expect(find(icmp, 'ip', 1)).toMatchObject({ start: 42, length: 20, label: 'Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2' });
    expect(find(icmp, 'udp.length').label).toBe('Length: 1008');
    expect(find(icmp, 'udp.checksum').label).toBe('Checksum: 0xdffb [unverified]'); // only 520 of its 1000 bytes are quoted
    expect(icmp.problems).toEqual([]);
  });

  it('never throws on truncated, corrupted or random input, and keeps every field inside the frame', () => {
    const rng = createRng(1071);
    const inputs: Uint8Array[] = [new Uint8Array(0)];
    for (const f of linux) {
      for (let n = 0; n <= f.length; n += n < 80 ? 1 : 97) inputs.push(f.subarray(0, n));
      for (let k = 0; k < 40; k++) {
        const g = f.slice();
        g[rng.int(g.length)] = rng.int(256);
        inputs.push(g);
      }
    }
    for (let k = 0; k < 300; k++) {
      const g = Uint8Array.from({ length: rng.int(120) }, () => rng.int(256));
      if (g.length >= 15 && k % 2 === 0) {
        g[12] = 0x08; // half claim IPv4 (a third of those ARP), most with a plausible first byte
        g[13] = k % 3 === 0 ? 0x06 : 0x00;
        if (k % 4 === 0) g[14] = 0x45;
      }
      inputs.push(g);
    }
    let withProblems = 0;
    const bad: string[] = [];
    for (const input of inputs) {
      const d = dissect(input, { relativeSeq: { isn: 5, peerIsn: 7 }, windowShift: 7 });
      for (const p of d.problems) if (p.startsWith('dissector error')) bad.push(`${p} on ${input.length} bytes`);
      for (const f of flatten(d.layers))
        if (f.start < 0 || f.length < 0 || f.start + f.length > input.length)
          bad.push(`${f.name} [${f.start}+${f.length}] outside a ${input.length}-byte frame`);
      if (d.problems.length > 0) withProblems++;
    }
    expect(bad).toEqual([]);
    expect(withProblems).toBeGreaterThan(inputs.length / 3);
    expect(dissect(new Uint8Array(5))).toMatchObject({ protocol: 'Ethernet', problems: ['frame too short for an Ethernet header: 5 of 14 bytes'] });
    const cut = dissect(frame(F.syn).subarray(0, 40));
    expect(cut.problems).toEqual(['IPv4 total length 60 exceeds the 26 bytes captured', 'TCP header truncated: 6 of 20 bytes']);
    expect(find(cut, 'tcp.srcport').start).toBe(34);
  });
});
