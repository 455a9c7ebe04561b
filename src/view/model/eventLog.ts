/**
 * The event log: every trace event classified by host, layer and protocol (for the filters),
 * and described in one line of the reader's language.
 *
 * Pure: a function of the trace index and a translator. May not touch the DOM, Svelte or a clock.
 */
import type { Layer, TraceEvent } from '../../sim/trace.ts';
import type { Translate } from '../i18n/translate.ts';
import { describeFrame } from './frameFacts.ts';
import { packetFacts, pyArgs, pyValue, protoName, type NarrationContext } from './narration.ts';
import { formatSockAddr } from './tcpConnections.ts';
import { tcpStateName } from './vocab.ts';

export type LogProto = 'tcp' | 'udp' | 'icmp' | 'arp' | 'ipv4' | 'ethernet' | 'unix' | 'none';

export interface LogClass {
  /** Hosts the event concerns (a wire event concerns both ends). */
  hosts: string[];
  layer: Layer;
  proto: LogProto;
}

export interface LogFilter {
  host: string | null;
  layer: Layer | null;
  proto: LogProto | null;
}

export const NO_FILTER: LogFilter = { host: null, layer: null, proto: null };

/** Which host, layer and protocol an event belongs to. */
export function classify(ctx: NarrationContext, e: TraceEvent): LogClass {
  switch (e.k) {
    case 'layer':
      return { hosts: [e.host], layer: e.layer, proto: e.layer === 'application' ? 'none' : (e.proto === 'loopback' ? 'ethernet' : (e.proto as LogProto)) };
    case 'wire': {
      const f = packetFacts(ctx, e.pkt);
      const proto: LogProto = f?.arp ? 'arp' : f?.tcp ? 'tcp' : f?.udp ? 'udp' : f?.icmp ? 'icmp' : f?.ip ? 'ipv4' : 'ethernet';
      return { hosts: [e.from.node, e.to.node], layer: 'link', proto };
    }
    case 'tcp':
    case 'timer':
      return { hosts: [e.host], layer: 'transport', proto: 'tcp' };
    case 'port':
      return { hosts: [e.host], layer: 'transport', proto: e.proto };
    case 'sock':
      return { hosts: [e.host], layer: 'transport', proto: e.family === 'AF_UNIX' ? 'unix' : e.type === 'SOCK_STREAM' ? 'tcp' : 'udp' };
    case 'arp':
      return { hosts: [e.host], layer: 'link', proto: 'arp' };
    case 'ipc':
      return { hosts: [e.host], layer: 'transport', proto: 'unix' };
    case 'drop':
      return { hosts: [e.host], layer: 'internet', proto: 'ipv4' };
    default:
      return { hosts: [e.host], layer: 'application', proto: 'none' };
  }
}

export function classifyAll(ctx: NarrationContext): LogClass[] {
  return ctx.index.trace.events.map((e) => classify(ctx, e));
}

export function matches(c: LogClass, f: LogFilter): boolean {
  return (f.host === null || c.hosts.includes(f.host)) && (f.layer === null || c.layer === f.layer) && (f.proto === null || c.proto === f.proto);
}

/** Indices of the events that pass the filter. */
export function filtered(classes: readonly LogClass[], f: LogFilter): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < classes.length; i++) if (matches(classes[i]!, f)) out.push(i);
  return Int32Array.from(out);
}

function layerName(tr: Translate, l: Layer): string {
  return tr(`layer.${l}`);
}

/** One line describing an event. */
export function describeEvent(ctx: NarrationContext, e: TraceEvent, tr: Translate): string {
  const H = (h: string): string => tr.host(h);
  switch (e.k) {
    case 'proc':
      return e.op === 'start' ? tr('ev.proc.start', { host: H(e.host), cmd: e.cmd, pid: e.pid, user: e.user }) : tr('ev.proc.exit', { host: H(e.host), cmd: e.cmd, status: e.status ?? 0 });
    case 'call':
      return tr('ev.call', { host: H(e.host), pid: e.pid, fn: e.fn, args: pyArgs(e.args) });
    case 'ret':
      return e.error
        ? tr('ev.ret.error', { host: H(e.host), pid: e.pid, fn: e.fn, type: e.error.type, message: e.error.message })
        : tr('ev.ret.value', { host: H(e.host), pid: e.pid, fn: e.fn, value: pyValue(e.value) });
    case 'sock':
      return tr('ev.sock', { host: H(e.host), sid: e.sid, fd: e.fd, state: e.state, addr: e.local ? formatSockAddr(e.local) + (e.remote ? ' ↔ ' + formatSockAddr(e.remote) : '') : '' });
    case 'tcp':
      return tr('ev.tcp', { host: H(e.host), sid: e.sid, from: tcpStateName(e.from, tr.lang), to: tcpStateName(e.to, tr.lang), cause: e.cause });
    case 'port':
      return e.op === 'alloc'
        ? tr('ev.port.alloc', { host: H(e.host), proto: e.proto.toUpperCase(), port: e.port, sid: e.sid, eph: e.ephemeral ? tr('ev.port.eph') : '' })
        : tr('ev.port.free', { host: H(e.host), proto: e.proto.toUpperCase(), port: e.port, sid: e.sid });
    case 'layer':
      return tr(e.dir === 'down' ? 'ev.layer.down' : 'ev.layer.up', { host: H(e.host), layer: layerName(tr, e.layer), proto: protoName(e.proto), pdu: tr(`pdu.${e.pdu}`), len: e.len, pkt: e.pkt });
    case 'wire': {
      const f = packetFacts(ctx, e.pkt);
      const fate = e.fate === 'lost' ? tr('ev.wire.lost') : e.fate === 'duplicate' ? tr('ev.wire.dup') : '';
      return tr('ev.wire', { from: H(e.from.node), to: H(e.to.node), summary: (f ? describeFrame(f) : '') + ` (${e.bytes.length} B)` }) + fate;
    }
    case 'arp':
      return tr('ev.arp', { host: H(e.host), ip: e.ip, mac: e.mac });
    case 'ipc':
      return tr('ev.ipc', { host: H(e.host), len: e.len, from: e.from, to: e.to, path: e.path || '(unnamed)' });
    case 'out':
      return tr('ev.out', { host: H(e.host), pid: e.pid, text: e.text });
    case 'timer':
      return tr('ev.timer', { host: H(e.host), sid: e.sid, kind: e.kind, op: e.op });
    case 'drop':
      return tr('ev.drop', { host: H(e.host), pkt: e.pkt, reason: e.reason });
    case 'line': {
      const line = e.lines?.[e.lines.length - 1] ?? e.run?.last ?? 0;
      return tr('ev.line', { host: H(e.host), pid: e.pid, file: e.file, line });
    }
    case 'thread':
      return tr('ev.thread', { host: H(e.host), pid: e.pid, name: e.name, state: e.state });
    case 'gil':
      return tr('ev.gil', { host: H(e.host), pid: e.pid, tid: e.tid, op: e.op });
    case 'core':
      return tr('ev.core', { host: H(e.host), core: e.core, pid: e.pid ?? '-', tid: e.tid ?? '-' });
    case 'tls':
      return tr('ev.tls', { host: H(e.host), pid: e.pid, tid: e.tid, obj: e.obj, attr: e.attr, value: e.value });
    case 'async':
      return tr('ev.async', { host: H(e.host), pid: e.pid, op: e.op, task: e.task, detail: [e.ready !== undefined ? `ready=${e.ready}` : '', e.detail ?? ''].filter(Boolean).map((x) => ` (${x})`).join('') });
    default:
      return tr('ev.other', { kind: (e as { k: string }).k });
  }
}
