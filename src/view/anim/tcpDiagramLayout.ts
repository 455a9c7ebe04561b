/**
 * The geometry of RFC 9293's TCP connection state diagram (Figure 5): a box per state, a
 * path per transition with its "event / action" label, laid out as the RFC draws it (CLOSED on
 * top, the opens in the middle, the closes below, TIME-WAIT and a second CLOSED at the bottom).
 *
 * Pure data and lookups: may not touch the DOM, Svelte or a clock. Labels are i18n keys.
 */
import type { TcpState } from '../../sim/trace.ts';
import type { MsgKey } from '../i18n/messages.en.ts';

/** Diagram nodes: the trace's states, with CLOSED drawn twice as in the RFC. */
export type DiagramNode = Exclude<TcpState, 'CLOSED'> | 'CLOSED' | 'CLOSED_END';

export interface NodeBox {
  id: DiagramNode;
  /** Centre. */
  x: number;
  y: number;
  /** RFC name, e.g. "SYN-RECEIVED". */
  label: string;
}

export interface EdgePath {
  id: string;
  from: DiagramNode;
  to: DiagramNode;
  /** Polyline points. */
  points: [number, number][];
  /** Label anchor and alignment. */
  lx: number;
  ly: number;
  anchor: 'start' | 'middle' | 'end';
  event: MsgKey;
  action: MsgKey | null;
}

export const DIAGRAM = { width: 820, height: 800, boxW: 136, boxH: 44 } as const;

export const NODES: readonly NodeBox[] = [
  { id: 'CLOSED', x: 400, y: 40, label: 'CLOSED' },
  { id: 'LISTEN', x: 400, y: 160, label: 'LISTEN' },
  { id: 'SYN_RECV', x: 130, y: 290, label: 'SYN-RECEIVED' },
  { id: 'SYN_SENT', x: 670, y: 290, label: 'SYN-SENT' },
  { id: 'ESTABLISHED', x: 400, y: 410, label: 'ESTABLISHED' },
  { id: 'FIN_WAIT1', x: 130, y: 530, label: 'FIN-WAIT-1' },
  { id: 'CLOSE_WAIT', x: 670, y: 530, label: 'CLOSE-WAIT' },
  { id: 'FIN_WAIT2', x: 130, y: 650, label: 'FIN-WAIT-2' },
  { id: 'CLOSING', x: 400, y: 650, label: 'CLOSING' },
  { id: 'LAST_ACK', x: 670, y: 650, label: 'LAST-ACK' },
  { id: 'TIME_WAIT', x: 400, y: 760, label: 'TIME-WAIT' },
  { id: 'CLOSED_END', x: 670, y: 760, label: 'CLOSED' },
];

export const EDGES: readonly EdgePath[] = [
  { id: 'passive-open', from: 'CLOSED', to: 'LISTEN', points: [[375, 62], [375, 138]], lx: 367, ly: 96, anchor: 'end', event: 'tcp.ev.passiveOpen', action: 'tcp.act.createTcb' },
  { id: 'listen-close', from: 'LISTEN', to: 'CLOSED', points: [[425, 138], [425, 62]], lx: 433, ly: 96, anchor: 'start', event: 'tcp.ev.close', action: 'tcp.act.deleteTcb' },
  { id: 'active-open', from: 'CLOSED', to: 'SYN_SENT', points: [[468, 40], [650, 40], [650, 268]], lx: 660, ly: 120, anchor: 'start', event: 'tcp.ev.activeOpen', action: 'tcp.act.sndSyn' },
  { id: 'syn-sent-close', from: 'SYN_SENT', to: 'CLOSED', points: [[738, 282], [790, 282], [790, 26], [468, 26]], lx: 782, ly: 210, anchor: 'end', event: 'tcp.ev.close', action: 'tcp.act.deleteTcb' },
  { id: 'rcv-syn', from: 'LISTEN', to: 'SYN_RECV', points: [[340, 182], [150, 268]], lx: 238, ly: 214, anchor: 'end', event: 'tcp.ev.rcvSyn', action: 'tcp.act.sndSynAck' },
  { id: 'send', from: 'LISTEN', to: 'SYN_SENT', points: [[460, 182], [690, 268]], lx: 565, ly: 212, anchor: 'start', event: 'tcp.ev.send', action: 'tcp.act.sndSyn' },
  { id: 'simultaneous', from: 'SYN_SENT', to: 'SYN_RECV', points: [[602, 290], [198, 290]], lx: 400, ly: 282, anchor: 'middle', event: 'tcp.ev.rcvSyn', action: 'tcp.act.sndSynAck' },
  { id: 'rcv-rst', from: 'SYN_RECV', to: 'LISTEN', points: [[90, 268], [90, 160], [332, 160]], lx: 98, ly: 150, anchor: 'start', event: 'tcp.ev.rcvRst', action: null },
  { id: 'rcv-ack-of-syn', from: 'SYN_RECV', to: 'ESTABLISHED', points: [[170, 312], [340, 388]], lx: 262, ly: 366, anchor: 'end', event: 'tcp.ev.rcvAckOfSyn', action: null },
  { id: 'syn-rcvd-close', from: 'SYN_RECV', to: 'FIN_WAIT1', points: [[110, 312], [110, 508]], lx: 102, ly: 420, anchor: 'end', event: 'tcp.ev.close', action: 'tcp.act.sndFin' },
  { id: 'rcv-syn-ack', from: 'SYN_SENT', to: 'ESTABLISHED', points: [[630, 312], [460, 388]], lx: 548, ly: 366, anchor: 'start', event: 'tcp.ev.rcvSynAck', action: 'tcp.act.sndAck' },
  { id: 'estab-close', from: 'ESTABLISHED', to: 'FIN_WAIT1', points: [[340, 432], [170, 508]], lx: 262, ly: 488, anchor: 'end', event: 'tcp.ev.close', action: 'tcp.act.sndFin' },
  { id: 'rcv-fin', from: 'ESTABLISHED', to: 'CLOSE_WAIT', points: [[460, 432], [630, 508]], lx: 548, ly: 488, anchor: 'start', event: 'tcp.ev.rcvFin', action: 'tcp.act.sndAck' },
  { id: 'fw1-ack', from: 'FIN_WAIT1', to: 'FIN_WAIT2', points: [[110, 552], [110, 628]], lx: 102, ly: 594, anchor: 'end', event: 'tcp.ev.rcvAckOfFin', action: null },
  { id: 'fw1-fin', from: 'FIN_WAIT1', to: 'CLOSING', points: [[198, 545], [340, 628]], lx: 276, ly: 574, anchor: 'start', event: 'tcp.ev.rcvFin', action: 'tcp.act.sndAck' },
  { id: 'cw-close', from: 'CLOSE_WAIT', to: 'LAST_ACK', points: [[690, 552], [690, 628]], lx: 698, ly: 594, anchor: 'start', event: 'tcp.ev.close', action: 'tcp.act.sndFin' },
  { id: 'fw2-fin', from: 'FIN_WAIT2', to: 'TIME_WAIT', points: [[110, 672], [110, 760], [332, 760]], lx: 120, ly: 706, anchor: 'start', event: 'tcp.ev.rcvFin', action: 'tcp.act.sndAck' },
  { id: 'closing-ack', from: 'CLOSING', to: 'TIME_WAIT', points: [[400, 672], [400, 738]], lx: 408, ly: 700, anchor: 'start', event: 'tcp.ev.rcvAckOfFin', action: null },
  { id: 'last-ack', from: 'LAST_ACK', to: 'CLOSED_END', points: [[690, 672], [690, 738]], lx: 698, ly: 700, anchor: 'start', event: 'tcp.ev.rcvAckOfFin', action: null },
  { id: 'time-wait', from: 'TIME_WAIT', to: 'CLOSED_END', points: [[468, 760], [602, 760]], lx: 535, ly: 782, anchor: 'middle', event: 'tcp.ev.timeout', action: 'tcp.act.deleteTcb' },
];

/** The diagram node a trace state is drawn at, given where it came from. */
export function nodeFor(state: TcpState, from?: TcpState): DiagramNode {
  if (state === 'CLOSED' && (from === 'TIME_WAIT' || from === 'LAST_ACK')) return 'CLOSED_END';
  return state;
}

/** The RFC edge for a transition, or undefined when the figure has none (e.g. a reset). */
export function edgeFor(from: TcpState, to: TcpState): EdgePath | undefined {
  const a = nodeFor(from);
  const b = nodeFor(to, from);
  return EDGES.find((e) => e.from === a && e.to === b);
}

export function nodeBox(id: DiagramNode): NodeBox {
  return NODES.find((n) => n.id === id)!;
}

/** SVG path data of a polyline. */
export function polyline(points: readonly [number, number][]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x},${y}`).join(' ');
}

/** A curved path from one box to another, for transitions the figure does not draw. */
export function extraEdge(from: DiagramNode, to: DiagramNode): string {
  const a = nodeBox(from);
  const b = nodeBox(to);
  const mx = (a.x + b.x) / 2 + (b.y - a.y) * 0.25;
  const my = (a.y + b.y) / 2 - (b.x - a.x) * 0.25;
  return `M${a.x},${a.y} Q${mx},${my} ${b.x},${b.y}`;
}

export interface Placed<C> {
  c: C;
  edge: EdgePath | undefined;
  now: boolean;
  node: DiagramNode;
}

/** Edges some connection last took, mapped to whether one took it at this very step. */
export function hotEdges<C>(placed: readonly Placed<C>[]): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const r of placed) if (r.edge) m.set(r.edge.id, (m.get(r.edge.id) ?? false) || r.now);
  return m;
}

/** Connections grouped by the node they are drawn at. */
export function byNode<C>(placed: readonly Placed<C>[]): Map<DiagramNode, Placed<C>[]> {
  const m = new Map<DiagramNode, Placed<C>[]>();
  for (const r of placed) {
    const list = m.get(r.node) ?? [];
    list.push(r);
    m.set(r.node, list);
  }
  return m;
}
