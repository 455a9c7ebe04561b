// Summarise a classic pcap capture into the significant fields of each frame (wire.json).
//
//   npx tsx tools/golden/summarize.ts capture.pcap scenario.json > wire.json
//
// Importable (no Node APIs at module level): summarize(), compareSummaries(), normalizeFrame().
// The format is described in docs/golden.md. Hosts are named by IP (IPv4) or MAC (ARP);
// ephemeral ports become "eph"; TCP seq/ack are relative to each direction's ISN;
// TCP timestamp values are dropped (only "TS" stays in the option list).

export const WIRE_FORMAT = 'wirescope-golden-wire/1';

/** Linux's default net.ipv4.ip_local_port_range: ports in it are shown as "eph". */
export const LINUX_EPHEMERAL_RANGE: [number, number] = [32768, 60999];

export interface HostInfo {
  name: string;
  ip: string;
  mac?: string;
}

export type Port = number | 'eph';

export interface QuotedPacket {
  from: string;
  to: string;
  proto: string | number;
  sport?: Port;
  dport?: Port;
  len?: number; // UDP payload length of the quoted datagram
}

/** One frame. Which fields are present depends on the frame's kind (see docs/golden.md). */
export interface FrameSummary {
  t_us: number;
  // ARP
  arp?: string; // "request" | "reply" | "op N"
  eth_dst?: string; // ARP only: "broadcast" or a host name
  who_has?: string;
  tell?: string;
  is_at?: string;
  // IPv4
  from?: string;
  to?: string;
  ttl?: number;
  df?: boolean;
  id?: number;
  proto?: string | number; // "tcp" | "udp" | "icmp" | protocol number
  frag?: { offset: number; mf: boolean };
  // TCP and UDP
  sport?: Port;
  dport?: Port;
  flags?: string;
  seq?: number;
  ack?: number;
  len?: number;
  win?: number;
  options?: string[];
  // ICMP
  type?: number;
  code?: number;
  quoted?: QuotedPacket;
  // anything else
  ethertype?: string;
}

export interface WireSummary {
  format: string;
  hosts: Record<string, string>;
  ephemeral_range: [number, number];
  frames: FrameSummary[];
}

export interface SummarizeOptions {
  ephemeralRange?: [number, number];
}

class Reader {
  constructor(
    readonly b: Uint8Array,
    readonly view = new DataView(b.buffer, b.byteOffset, b.byteLength),
  ) {}
  u8(o: number): number {
    return this.view.getUint8(o);
  }
  u16(o: number): number {
    return this.view.getUint16(o, false);
  }
  u32(o: number): number {
    return this.view.getUint32(o, false);
  }
}

interface RawFrame {
  tsUs: number;
  data: Uint8Array;
}

/** Parse a classic pcap file (either byte order, µs or ns timestamps). Ethernet only. */
export function parsePcap(file: Uint8Array): RawFrame[] {
  if (file.length < 24) throw new Error('pcap: file shorter than its 24-byte header');
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magicBE = v.getUint32(0, false);
  let le: boolean;
  let nanos: boolean;
  if (magicBE === 0xa1b2c3d4) [le, nanos] = [false, false];
  else if (magicBE === 0xd4c3b2a1) [le, nanos] = [true, false];
  else if (magicBE === 0xa1b23c4d) [le, nanos] = [false, true];
  else if (magicBE === 0x4d3cb2a1) [le, nanos] = [true, true];
  else throw new Error(`pcap: bad magic 0x${magicBE.toString(16)} (pcapng is not supported)`);
  const linktype = v.getUint32(20, le) & 0x0fffffff;
  if (linktype !== 1) throw new Error(`pcap: link type ${linktype} is not Ethernet (1)`);
  const frames: RawFrame[] = [];
  let o = 24;
  while (o + 16 <= file.length) {
    const sec = v.getUint32(o, le);
    const frac = v.getUint32(o + 4, le);
    const incl = v.getUint32(o + 8, le);
    o += 16;
    if (o + incl > file.length) break; // truncated last record
    frames.push({ tsUs: sec * 1_000_000 + (nanos ? Math.floor(frac / 1000) : frac), data: file.subarray(o, o + incl) });
    o += incl;
  }
  return frames;
}

const TCP_FLAGS: [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** TCP flags spelt as tcpdump prints them: "S", "S.", "P.", "F.", "R.", "FP."... */
export function tcpFlagString(flags: number): string {
  let s = '';
  for (const [bit, ch] of TCP_FLAGS) if (flags & bit) s += ch;
  return s === '' ? 'none' : s;
}

function tcpOptions(r: Reader, start: number, end: number): string[] {
  const out: string[] = [];
  let o = start;
  while (o < end) {
    const kind = r.u8(o);
    if (kind === 0) {
      out.push('eol');
      break;
    }
    if (kind === 1) {
      out.push('nop');
      o += 1;
      continue;
    }
    if (o + 1 >= end) {
      out.push(`bad-option ${kind}`);
      break;
    }
    const len = r.u8(o + 1);
    if (len < 2 || o + len > end) {
      out.push(`bad-option ${kind}`);
      break;
    }
    switch (kind) {
      case 2:
        out.push(`mss ${r.u16(o + 2)}`);
        break;
      case 3:
        out.push(`wscale ${r.u8(o + 2)}`);
        break;
      case 4:
        out.push('sackOK');
        break;
      case 5:
        out.push(`sack ${Math.floor((len - 2) / 8)}`);
        break;
      case 8:
        out.push('TS');
        break;
      case 30:
        out.push('mptcp');
        break;
      case 34:
        out.push('tfo');
        break;
      default:
        out.push(`opt-${kind}`);
    }
    o += len;
  }
  return out;
}

function ipString(r: Reader, o: number): string {
  return `${r.u8(o)}.${r.u8(o + 1)}.${r.u8(o + 2)}.${r.u8(o + 3)}`;
}

function macString(r: Reader, o: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(r.u8(o + i).toString(16).padStart(2, '0'));
  return parts.join(':');
}

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };

/** Summarise a pcap (Uint8Array of the whole file) for the given hosts. */
export function summarize(pcap: Uint8Array, hosts: HostInfo[], opts: SummarizeOptions = {}): WireSummary {
  const range = opts.ephemeralRange ?? LINUX_EPHEMERAL_RANGE;
  const byIp = new Map<string, string>();
  const byMac = new Map<string, string>();
  for (const h of hosts) {
    byIp.set(h.ip, h.name);
    if (h.mac) byMac.set(h.mac.toLowerCase(), h.name);
  }
  const ipName = (ip: string): string => byIp.get(ip) ?? ip;
  const macName = (mac: string): string =>
    mac === 'ff:ff:ff:ff:ff:ff' ? 'broadcast' : (byMac.get(mac) ?? mac);
  const learnMac = (mac: string, ip: string): void => {
    const name = byIp.get(ip);
    if (name && !byMac.has(mac) && mac !== '00:00:00:00:00:00') byMac.set(mac, name);
  };
  const port = (p: number): Port => (p >= range[0] && p <= range[1] ? 'eph' : p);

  // Relative sequence numbers: base per direction, reset by a SYN.
  const isn = new Map<string, number>();

  const raw = parsePcap(pcap);
  const t0 = raw[0]?.tsUs ?? 0;
  const frames: FrameSummary[] = [];
  for (const fr of raw) {
    const r = new Reader(fr.data);
    const f: FrameSummary = { t_us: fr.tsUs - t0 };
    frames.push(f);
    if (fr.data.length < 14) {
      f.ethertype = 'truncated';
      continue;
    }
    const ethSrc = macString(r, 6);
    const ethDst = macString(r, 0);
    let type = r.u16(12);
    let o = 14;
    if (type === 0x8100 && fr.data.length >= 18) {
      type = r.u16(16);
      o = 18;
    }
    if (type === 0x0806) {
      // ARP (Ethernet/IPv4 only)
      const op = r.u16(o + 6);
      const sha = macString(r, o + 8);
      const spa = ipString(r, o + 14);
      const tpa = ipString(r, o + 24);
      learnMac(sha, spa);
      if (op === 1) {
        f.arp = 'request';
        f.eth_dst = macName(ethDst);
        f.from = ipName(spa);
        f.who_has = ipName(tpa);
        f.tell = ipName(spa);
      } else if (op === 2) {
        f.arp = 'reply';
        f.eth_dst = macName(ethDst);
        f.from = ipName(spa);
        f.to = ipName(tpa);
        f.is_at = macName(sha);
      } else {
        f.arp = `op ${op}`;
        f.from = ipName(spa);
        f.to = ipName(tpa);
      }
      continue;
    }
    if (type !== 0x0800) {
      f.ethertype = `0x${type.toString(16).padStart(4, '0')}`;
      continue;
    }
    // IPv4
    const ihl = (r.u8(o) & 0x0f) * 4;
    const totalLen = r.u16(o + 2);
    const id = r.u16(o + 4);
    const fragField = r.u16(o + 6);
    const ttl = r.u8(o + 8);
    const protoNum = r.u8(o + 9);
    const src = ipString(r, o + 12);
    const dst = ipString(r, o + 16);
    learnMac(ethSrc, src);
    const df = (fragField & 0x4000) !== 0;
    const mf = (fragField & 0x2000) !== 0;
    const fragOffset = (fragField & 0x1fff) * 8;
    f.from = ipName(src);
    f.to = ipName(dst);
    f.ttl = ttl;
    f.df = df;
    f.id = id;
    f.proto = PROTO_NAMES[protoNum] ?? protoNum;
    if (mf || fragOffset > 0) f.frag = { offset: fragOffset, mf };
    const l4 = o + ihl;
    const l4End = Math.min(o + totalLen, fr.data.length);
    if (fragOffset > 0) {
      f.len = totalLen - ihl;
      continue;
    }
    if (protoNum === 6 && l4End - l4 >= 20) {
      const sp = r.u16(l4);
      const dp = r.u16(l4 + 2);
      const seq = r.u32(l4 + 4);
      const ack = r.u32(l4 + 8);
      const doff = (r.u8(l4 + 12) >> 4) * 4;
      const flags = r.u8(l4 + 13);
      const win = r.u16(l4 + 14);
      const key = `${src}:${sp}>${dst}:${dp}`;
      const rkey = `${dst}:${dp}>${src}:${sp}`;
      if (flags & 0x02 || !isn.has(key)) isn.set(key, seq);
      const base = isn.get(key) ?? seq;
      const rbase = isn.get(rkey);
      f.sport = port(sp);
      f.dport = port(dp);
      f.flags = tcpFlagString(flags);
      f.seq = (seq - base) >>> 0;
      f.ack = flags & 0x10 ? (rbase === undefined ? ack : (ack - rbase) >>> 0) : 0;
      f.len = totalLen - ihl - doff;
      f.win = win;
      f.options = tcpOptions(r, l4 + 20, Math.min(l4 + doff, l4End));
      continue;
    }
    if (protoNum === 17 && l4End - l4 >= 8) {
      f.sport = port(r.u16(l4));
      f.dport = port(r.u16(l4 + 2));
      f.len = r.u16(l4 + 4) - 8;
      continue;
    }
    if (protoNum === 1 && l4End - l4 >= 8) {
      const itype = r.u8(l4);
      f.type = itype;
      f.code = r.u8(l4 + 1);
      // Errors quote the offending IP header and the first 8 bytes of its payload.
      if ([3, 4, 5, 11, 12].includes(itype) && l4End - l4 >= 8 + 20) {
        const q = l4 + 8;
        const qihl = (r.u8(q) & 0x0f) * 4;
        const qproto = r.u8(q + 9);
        const quoted: QuotedPacket = {
          from: ipName(ipString(r, q + 12)),
          to: ipName(ipString(r, q + 16)),
          proto: PROTO_NAMES[qproto] ?? qproto,
        };
        if ((qproto === 6 || qproto === 17) && l4End - (q + qihl) >= 4) {
          quoted.sport = port(r.u16(q + qihl));
          quoted.dport = port(r.u16(q + qihl + 2));
        }
        if (qproto === 17 && l4End - (q + qihl) >= 6) quoted.len = r.u16(q + qihl + 4) - 8;
        f.quoted = quoted;
      }
      f.len = l4End - l4 - 8;
      continue;
    }
    f.len = totalLen - ihl;
  }
  const hostMap: Record<string, string> = {};
  for (const h of hosts) hostMap[h.name] = h.ip;
  return { format: WIRE_FORMAT, hosts: hostMap, ephemeral_range: range, frames };
}

/** Fields never compared: exact timing and the IP identification. */
export const UNCOMPARED_FIELDS = ['t_us', 'id'] as const;

/** A frame without its uncompared fields (and any extra `ignore` fields), keys sorted. */
export function normalizeFrame(f: FrameSummary, ignore: readonly string[] = []): Record<string, unknown> {
  const skip = new Set<string>([...UNCOMPARED_FIELDS, ...ignore]);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(f).sort()) {
    if (!skip.has(k)) out[k] = (f as unknown as Record<string, unknown>)[k];
  }
  return out;
}

export interface CompareResult {
  equal: boolean;
  diffs: string[];
}

/** One line per frame, e.g. "client > server tcp eph > 8080 S seq 0 ack 0 len 0 win 64240 [mss 1460,...]". */
export function describeFrame(f: FrameSummary): string {
  if (f.arp === 'request') return `ARP request who-has ${f.who_has} tell ${f.tell} (to ${f.eth_dst})`;
  if (f.arp === 'reply') return `ARP reply ${f.from} is-at ${f.is_at} (to ${f.eth_dst})`;
  if (f.arp) return `ARP ${f.arp} ${f.from} > ${f.to}`;
  if (f.ethertype) return `ethertype ${f.ethertype}`;
  const ip = `${f.from} > ${f.to} ttl ${f.ttl}${f.df ? ' DF' : ''}${f.frag ? ` frag ${f.frag.offset}${f.frag.mf ? '+' : ''}` : ''}`;
  if (f.proto === 'tcp' && f.flags !== undefined)
    return `${ip} tcp ${f.sport} > ${f.dport} [${f.flags}] seq ${f.seq} ack ${f.ack} win ${f.win} len ${f.len} [${(f.options ?? []).join(',')}]`;
  if (f.proto === 'udp' && f.sport !== undefined) return `${ip} udp ${f.sport} > ${f.dport} len ${f.len}`;
  if (f.proto === 'icmp' && f.type !== undefined) {
    const q = f.quoted ? ` quoting ${f.quoted.proto} ${f.quoted.from}:${f.quoted.sport} > ${f.quoted.to}:${f.quoted.dport}` : '';
    return `${ip} icmp type ${f.type} code ${f.code}${q}`;
  }
  return `${ip} proto ${f.proto} len ${f.len}`;
}

/**
 * Compare two summaries (e.g. a recording and the simulator's output) on the significant
 * fields: same number of frames, in the same order, with equal fields except t_us and the
 * IP identification (plus any fields in `ignore`).
 */
export function compareSummaries(
  expected: WireSummary | FrameSummary[],
  actual: WireSummary | FrameSummary[],
  opts: { ignore?: readonly string[]; maxDiffs?: number } = {},
): CompareResult {
  const ef = Array.isArray(expected) ? expected : expected.frames;
  const af = Array.isArray(actual) ? actual : actual.frames;
  const ignore = opts.ignore ?? [];
  const maxDiffs = opts.maxDiffs ?? 20;
  const diffs: string[] = [];
  const n = Math.max(ef.length, af.length);
  for (let i = 0; i < n && diffs.length < maxDiffs; i++) {
    const e = ef[i];
    const a = af[i];
    if (!e || !a) {
      diffs.push(
        `frame ${i}: ${e ? `expected ${describeFrame(e)}, actual has no frame` : `unexpected ${describeFrame(a as FrameSummary)}`}`,
      );
      continue;
    }
    const ne = JSON.stringify(normalizeFrame(e, ignore));
    const na = JSON.stringify(normalizeFrame(a, ignore));
    if (ne !== na) diffs.push(`frame ${i}: expected ${describeFrame(e)}\n          actual   ${describeFrame(a)}`);
  }
  if (ef.length !== af.length) diffs.push(`frame count: expected ${ef.length}, actual ${af.length}`);
  return { equal: diffs.length === 0, diffs };
}

/** Hosts of a scenario.json object. */
export function scenarioHosts(scenario: unknown): HostInfo[] {
  const hosts = (scenario as { hosts?: { name: string; ip: string; mac?: string }[] }).hosts ?? [];
  return hosts.map((h) => (h.mac ? { name: h.name, ip: h.ip, mac: h.mac } : { name: h.name, ip: h.ip }));
}

/** Serialise a summary as wire.json: one frame per line, so diffs stay readable. */
export function formatWireJson(s: WireSummary): string {
  const head = JSON.stringify({ format: s.format, hosts: s.hosts, ephemeral_range: s.ephemeral_range });
  const frames = s.frames.map((f) => '    ' + JSON.stringify(f)).join(',\n');
  return `${head.slice(0, -1)},\n  "frames": [${frames ? `\n${frames}\n  ` : ''}]\n}\n`;
}

async function main(argv: string[]): Promise<number> {
  const fs = await import('node:fs');
  const [pcapPath, scenarioPath] = argv;
  if (!pcapPath || !scenarioPath) {
    process.stderr.write('usage: npx tsx tools/golden/summarize.ts capture.pcap scenario.json > wire.json\n');
    return 2;
  }
  const hosts = scenarioHosts(JSON.parse(fs.readFileSync(scenarioPath, 'utf8')));
  const pcap = fs.existsSync(pcapPath) ? new Uint8Array(fs.readFileSync(pcapPath)) : null;
  const summary: WireSummary = pcap
    ? summarize(pcap, hosts)
    : {
        format: WIRE_FORMAT,
        hosts: Object.fromEntries(hosts.map((h) => [h.name, h.ip])),
        ephemeral_range: LINUX_EPHEMERAL_RANGE,
        frames: [],
      };
  process.stdout.write(formatWireJson(summary));
  return 0;
}

const invoked = typeof process !== 'undefined' && process.argv[1] !== undefined;
if (invoked && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1] as string).href) {
  process.exitCode = await main(process.argv.slice(2));
}
