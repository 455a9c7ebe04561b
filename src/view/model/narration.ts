/**
 * Narration: a plain sentence (or two) for each step of the player, generated from the events
 * that happen at that step, in the reader's language ("The client’s kernel picks ephemeral
 * port 40620 and sends a SYN to 10.0.0.2:8080.").
 *
 * Pure: a function of (trace index, the step's events, a translator). May not touch the DOM,
 * Svelte or a clock. The translator is passed in, so tests can run every sentence in both
 * languages.
 */
import type { CallEvent, TraceEvent, Value } from '../../sim/trace.ts';
import { bytesRepr, pyStr } from '../../sim/api/pysocket.ts';
import type { Translate } from '../i18n/translate.ts';
import { formatDuration } from '../i18n/translate.ts';
import { frameFacts, describeFrame, type FrameFacts } from './frameFacts.ts';
import { upto, type TraceIndex } from './traceIndex.ts';
import { formatSockAddr } from './tcpConnections.ts';
import { tcpStateName } from './vocab.ts';
import { scheduledSentences, threadSentences } from '../threads/narration.ts';

export interface NarrationContext {
  index: TraceIndex;
  /** "host/pid" → program file ("server.py"). */
  files: Map<string, string>;
  calls: Map<number, CallEvent>;
  facts: Map<number, FrameFacts>;
}

/** Program file from a ps command line: "python3 server.py --x" → "server.py". */
export function fileOfCmd(cmd: string): string {
  const parts = cmd.split(/\s+/);
  return parts[0]?.startsWith('python') ? (parts[1] ?? cmd) : (parts[0] ?? cmd);
}

export function narrationContext(index: TraceIndex): NarrationContext {
  const files = new Map<string, string>();
  const calls = new Map<number, CallEvent>();
  for (const e of index.trace.events) {
    if (e.k === 'proc' && e.op === 'start') files.set(`${e.host}/${e.pid}`, fileOfCmd(e.cmd));
    else if (e.k === 'call') calls.set(e.id, e);
  }
  return { index, files, calls, facts: new Map() };
}

/** Facts of a packet's first frame on a wire (memoised), if it has one. */
export function packetFacts(ctx: NarrationContext, pkt: number): FrameFacts | undefined {
  const cached = ctx.facts.get(pkt);
  if (cached) return cached;
  const hop = ctx.index.packets.get(pkt)?.hops[0];
  if (!hop) return undefined;
  const f = frameFacts(hop.bytes);
  ctx.facts.set(pkt, f);
  return f;
}

/** A Python value as Python would show it (bytes as b'…', tuples in parentheses). */
export function pyValue(v: Value | undefined): string {
  if (v === undefined || v === null) return 'None';
  if (v instanceof Uint8Array) return bytesRepr(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `(${v.map((x) => pyValue(x)).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'object') return pyStr(JSON.stringify(v));
  return pyStr(v);
}

/** Call arguments as Python shows them: "('10.0.0.2', 8080)". */
export function pyArgs(args: readonly Value[]): string {
  return args.map((a) => pyValue(a)).join(', ');
}

function pdu(tr: Translate, p: string): string {
  switch (p) {
    case 'segment':
      return tr('pdu.segment');
    case 'datagram':
      return tr('pdu.datagram');
    case 'packet':
      return tr('pdu.packet');
    case 'frame':
      return tr('pdu.frame');
    default:
      return tr('pdu.data');
  }
}

const PROTO_NAME: Record<string, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', arp: 'ARP', ipv4: 'IPv4', ethernet: 'Ethernet', loopback: 'loopback' };
export const protoName = (p: string): string => PROTO_NAME[p] ?? p;

/**
 * The sentences for the events [from, to) of the trace (the events of one step), most
 * important first. Empty when nothing in them is worth a sentence.
 */
export function narrate(ctx: NarrationContext, from: number, to: number, tr: Translate): string[] {
  const events = ctx.index.trace.events;
  const out: { rank: number; text: string }[] = [];
  const say = (rank: number, text: string): void => {
    if (!out.some((o) => o.text === text)) out.push({ rank, text });
  };
  const step = events.slice(from, to);
  const file = (host: string, pid: number): string => ctx.files.get(`${host}/${pid}`) ?? `pid ${pid}`;
  const H = (h: string): string => tr.host(h);

  // A connect() that picks an ephemeral port and sends a SYN in the same step: one sentence.
  const covered = new Set<TraceEvent>();
  for (const e of step) {
    if (e.k !== 'tcp' || e.from !== 'CLOSED' || e.to !== 'SYN_SENT') continue;
    const port = step.find((p) => p.k === 'port' && p.op === 'alloc' && p.ephemeral && p.host === e.host && p.sid === e.sid);
    if (port && port.k === 'port') {
      say(1, tr('narr.connectSyn', { host: H(e.host), port: port.port, peer: formatSockAddr(e.remote) }));
      covered.add(e);
      covered.add(port);
    }
  }

  for (const e of step) {
    if (covered.has(e)) continue;
    switch (e.k) {
      case 'ret': {
        if (e.error) {
          say(0, tr('narr.error', { fn: e.fn, type: e.error.type, message: e.error.message }));
          break;
        }
        const call = ctx.calls.get(e.id);
        if (e.fn === 'socket') say(4, tr('narr.socketRet', { fd: pyValue(e.value) }));
        else if (e.fn === 'accept' && Array.isArray(e.value)) say(3, tr('narr.acceptRet', { fd: pyValue(e.value[0]), peer: pyValue(e.value[1]) }));
        else if (e.fn === 'connect') say(3, tr('narr.connectOk'));
        else if (e.fn === 'send' || e.fn === 'sendto') say(4, tr('narr.sendRet', { fn: e.fn, value: pyValue(e.value) }));
        else if (e.fn === 'recv' || e.fn === 'recvfrom') {
          const data = Array.isArray(e.value) ? e.value[0] : e.value;
          if (data instanceof Uint8Array && data.length === 0) say(3, tr('narr.recvEof', { fn: e.fn }));
          else say(3, tr('narr.recvRet', { fn: e.fn, value: pyValue(e.value) }));
        } else if (call && e.fn === 'bind') {
          // The port event says it better.
        }
        break;
      }
      case 'call': {
        const f = file(e.host, e.pid);
        const a = e.args;
        if (e.fn === 'socket') say(3, tr('narr.socket', { file: f, family: String(a[0] ?? 'AF_INET'), type: String(a[1] ?? 'SOCK_STREAM') }));
        else if (e.fn === 'bind') say(3, tr('narr.bind', { file: f, addr: pyValue(a[0]) }));
        else if (e.fn === 'listen') {
          const tcp = step.find((x) => x.k === 'tcp' && x.host === e.host && x.to === 'LISTEN');
          const port = tcp && tcp.k === 'tcp' && 'port' in tcp.local ? tcp.local.port : '?';
          say(2, tr('narr.listen', { file: f, port }));
          if (tcp) covered.add(tcp);
        } else if (e.fn === 'accept') say(3, tr('narr.accept', { file: f }));
        else if (e.fn === 'connect') say(3, tr('narr.connect', { file: f, addr: pyValue(a[0]) }));
        else if (e.fn === 'send' || e.fn === 'sendall' || e.fn === 'sendto') {
          const data = a[0];
          say(3, tr('narr.send', { file: f, fn: e.fn, n: data instanceof Uint8Array ? data.length : '?' }));
        } else if (e.fn === 'recv' || e.fn === 'recvfrom') say(3, tr('narr.recv', { file: f, fn: e.fn, n: pyValue(a[0]) }));
        else if (e.fn === 'close') say(3, tr('narr.close', { file: f, fd: e.fd ?? '?' }));
        else if (e.fn === 'sleep') say(3, tr('narr.sleep', { file: f, seconds: pyValue(a[0]) }));
        else say(5, tr('narr.callOther', { file: f, fn: e.fn }));
        break;
      }
      case 'tcp': {
        if (covered.has(e)) break;
        const local = formatSockAddr(e.local);
        if (e.from === 'LISTEN' && e.to === 'SYN_RECV') say(1, tr('narr.tcpSynRecv', { host: H(e.host), port: 'port' in e.local ? e.local.port : '?' }));
        else if (e.to === 'ESTABLISHED') say(1, tr('narr.tcpEstablished', { host: H(e.host), local, remote: formatSockAddr(e.remote) }));
        else if (e.to === 'TIME_WAIT') say(1, tr('narr.tcpTimeWait', { host: H(e.host) }));
        else if (e.from === 'TIME_WAIT' && e.to === 'CLOSED') say(1, tr('narr.tcpTimeWaitEnd', { host: H(e.host), port: 'port' in e.local ? e.local.port : '?' }));
        else if (e.from === 'SYN_SENT' && e.to === 'CLOSED' && /RST/.test(e.cause)) say(1, tr('narr.tcpRefused', { host: H(e.host) }));
        else say(2, tr('narr.tcp', { host: H(e.host), local, from: tcpStateName(e.from, tr.lang), to: tcpStateName(e.to, tr.lang), cause: e.cause }));
        break;
      }
      case 'port': {
        if (e.op === 'alloc') {
          if (e.ephemeral) say(2, tr('narr.sendtoEph', { host: H(e.host), port: e.port }));
          else if (!step.some((x) => x.k === 'tcp' && x.host === e.host && x.to === 'SYN_RECV')) say(2, tr('narr.bindOk', { proto: e.proto.toUpperCase(), port: e.port }));
        } else if (!step.some((x) => x.k === 'tcp' && x.host === e.host && x.sid === e.sid && x.from === 'TIME_WAIT')) {
          say(4, tr('narr.portFree', { host: H(e.host), proto: e.proto.toUpperCase(), port: e.port }));
        }
        break;
      }
      case 'out':
        say(3, tr('narr.out', { file: file(e.host, e.pid), text: e.text }));
        break;
      case 'layer': {
        const facts = packetFacts(ctx, e.pkt);
        const j = ctx.index.packets.get(e.pkt);
        if (e.dir === 'down') {
          if (e.layer === 'transport') {
            const dataLen = j?.dataLen ?? 0;
            if (dataLen > 0) say(3, tr('narr.down.transport', { host: H(e.host), proto: protoName(e.proto), len: e.len, pdu: pdu(tr, e.pdu) }));
            else say(3, tr('narr.down.transportEmpty', { host: H(e.host), proto: protoName(e.proto), len: e.len, pdu: pdu(tr, e.pdu), flags: facts?.tcp?.flags.join(',') || tr('flags.none') }));
          } else if (e.layer === 'internet') {
            if (e.proto === 'icmp') {
              if (facts?.icmp?.type === 3 && facts.icmp.code === 3 && facts.icmp.quotedUdpPort !== undefined) say(1, tr('narr.udpNoSocket', { host: H(e.host), port: facts.icmp.quotedUdpPort }));
              else say(2, tr('narr.down.icmp', { host: H(e.host), what: facts ? describeFrame(facts) : 'ICMP' }));
            } else if (facts?.ip) say(4, tr('narr.down.internet', { len: e.len, src: facts.ip.src, dst: facts.ip.dst }));
            else say(4, tr('narr.down.internetAny', { len: e.len }));
          } else if (e.layer === 'link') {
            // A frame that never reaches a wire (so the trace has no bytes of it): the loopback
            // device, or the copy of a broadcast Linux loops back to its own host.
            if (e.proto === 'loopback') say(4, tr(e.iface === 'lo' ? 'narr.down.loopback' : 'narr.down.broadcastCopy', { host: H(e.host) }));
            else if (e.proto === 'arp' && facts?.arp) {
              if (facts.arp.op === 'request') say(2, tr('narr.down.arp', { host: H(e.host), ip: facts.arp.targetIp }));
              else say(2, tr('narr.down.arpReply', { host: H(e.host), ip: facts.arp.senderIp, mac: facts.arp.senderMac }));
            } else say(4, tr('narr.down.link', { len: e.len, mac: facts?.ethDst ?? '?' }));
          }
        } else {
          // Which frame: at one step a host may receive one frame while sending another (an ARP reply arriving as the SYN leaves).
          if (e.layer === 'link') say(4, e.proto === 'loopback' ? tr('narr.up.loopback', { host: H(e.host) }) : facts ? tr('narr.up.linkWhat', { host: H(e.host), what: frameName(facts, tr) }) : tr('narr.up.link', { host: H(e.host) }));
          else if (e.layer === 'internet') say(4, facts?.ip ? tr('narr.up.internet', { host: H(e.host), dst: facts.ip.dst }) : tr('narr.up.internetAny', { host: H(e.host) }));
          else if (e.layer === 'transport') {
            const port = facts?.tcp?.dport ?? facts?.udp?.dport;
            say(4, port !== undefined ? tr('narr.up.transport', { host: H(e.host), proto: protoName(e.proto), port }) : tr('narr.up.transportAny', { host: H(e.host), proto: protoName(e.proto) }));
          }
          else say(3, tr('narr.up.application', { file: recvFile(ctx, step, e.host) ?? H(e.host), len: e.len }));
        }
        break;
      }
      case 'wire': {
        const facts = packetFacts(ctx, e.pkt);
        if (e.fate === 'lost') say(1, tr('narr.wireLost', { from: H(e.from.node), to: H(e.to.node) }));
        else say(3, tr('narr.wire', { from: H(e.from.node), to: H(e.to.node), what: facts ? describeFrame(facts) : '' }));
        break;
      }
      case 'arp':
        say(5, tr('narr.arp', { host: H(e.host), ip: e.ip, mac: e.mac }));
        break;
      case 'proc':
        if (e.op === 'start') {
          say(3, tr('narr.procStart', { host: H(e.host), file: fileOfCmd(e.cmd), pid: e.pid }));
          // The first programs to start: which ones will start later.
          if (from === 0) for (const [rank, text] of scheduledSentences(ctx.index.trace, e.t, tr)) say(rank, text);
        } else say(3, tr('narr.procExit', { host: H(e.host), file: fileOfCmd(e.cmd), status: e.status ?? 0 }));
        break;
      case 'drop':
        say(1, tr('narr.drop', { host: H(e.host), reason: e.reason }));
        break;
      case 'ipc':
        say(3, tr('narr.ipc', { len: e.len, path: e.path || '(unnamed)' }));
        break;
      case 'line': {
        const f = file(e.host, e.pid);
        if (e.run) say(9, tr('narr.lineRun', { file: f, count: e.run.count.toLocaleString(tr.lang === 'zh' ? 'zh-CN' : 'en'), lines: lineRanges(e.run.set) }));
        else if (e.lines?.length) {
          const ls = [...new Set(e.lines)].sort((a, b) => a - b);
          say(9, ls.length === 1 ? tr('narr.line', { file: f, line: ls[0]! }) : tr('narr.lines', { file: f, lines: lineRanges(ls) }));
        }
        break;
      }
      case 'core':
        // Only where threads compete for cores; a lone thread per host moves on and off its core at every call.
        if (threaded(ctx.index.trace)) {
          if (e.tid === null || e.pid === null) say(8, tr('narr.coreIdle', { host: H(e.host), core: e.core }));
          else say(8, tr('narr.core', { host: H(e.host), core: e.core, tid: e.tid, file: file(e.host, e.pid) }));
        }
        break;
      default:
        // Threads, the GIL, threading.local and asyncio: src/view/threads/narration.ts.
        for (const [rank, text] of threadSentences(ctx.index.trace, e, step, tr)) say(rank, text);
        break;
    }
  }
  return out.sort((a, b) => a.rank - b.rank).map((o) => o.text);
}

/** Which frame, in a few words: "ARP reply", "TCP [SYN, ACK]", "UDP 40000 → 7788 len=5". */
export function frameName(f: FrameFacts, tr: Translate): string {
  if (f.arp) return tr(f.arp.op === 'request' ? 'frame.arpRequest' : 'frame.arpReply');
  return describeFrame(f);
}

/** Sorted line numbers as ranges: [3, 4, 5, 9] → "3–5, 9". */
export function lineRanges(lines: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(j > i ? `${lines[i]}–${lines[j]}` : String(lines[i]));
    i = j;
  }
  return out.join(', ');
}

const threadedTraces = new WeakMap<object, boolean>();
/** Does some process of the trace run more than one thread? */
function threaded(trace: TraceIndex['trace']): boolean {
  let v = threadedTraces.get(trace);
  if (v === undefined) {
    const seen = new Map<string, number>();
    v = trace.events.some((e) => {
      if (e.k !== 'thread') return false;
      const k = `${e.host}/${e.pid}`;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, e.tid);
      return first !== undefined && first !== e.tid;
    });
    threadedTraces.set(trace, v);
  }
  return v;
}

/** The program whose recv consumed data on `host` in this step, if the step shows it. */
function recvFile(ctx: NarrationContext, step: readonly TraceEvent[], host: string): string | undefined {
  const r = step.find((x) => (x.k === 'call' || x.k === 'ret') && x.host === host && (x.fn === 'recv' || x.fn === 'recvfrom'));
  if (r && (r.k === 'call' || r.k === 'ret')) return ctx.files.get(`${host}/${r.pid}`);
  // The application step happens inside a recv() call made earlier: find the latest open one.
  for (const c of [...ctx.calls.values()].reverse()) {
    if (c.host === host && (c.fn === 'recv' || c.fn === 'recvfrom') && c.t <= (step[0]?.t ?? 0)) return ctx.files.get(`${host}/${c.pid}`);
  }
  return undefined;
}

/**
 * What the narration says at time t: the sentences of the latest step at or before t that has
 * any (a step of only, say, timer events keeps the previous sentence), with that step's time.
 */
export function narrateAt(ctx: NarrationContext, t: number, tr: Translate, maxBack = 64): { t: number; sentences: string[] } | null {
  const times = ctx.index.times;
  let to = upto(ctx.index, t);
  for (let k = 0; k < maxBack && to > 0; k++) {
    const st = times[to - 1]!;
    let from = to - 1;
    while (from > 0 && times[from - 1] === st) from--;
    const s = narrate(ctx, from, to, tr);
    if (s.length > 0) return { t: st, sentences: s };
    to = from;
  }
  return null;
}

/** The sentence for an idle gap the player is inside. */
export function narrateGap(durationUs: number, tr: Translate): string {
  return tr('narr.idle', { duration: formatDuration(durationUs, tr) });
}
