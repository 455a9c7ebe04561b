/**
 * Where every packet is drawn at virtual time t, and what it looks like: a PDU in a layer row
 * of a host (its headers as cells, the one being added or removed growing or shrinking), or a
 * frame on a link, drawn raftscope-style at (t − send)/(arrive − send) along it — its front
 * from the first bit sent to the first bit arrived, its back from the last bit sent to the last
 * bit arrived, so serialisation shows as the frame's length.
 *
 * Pure: a function of (trace index, geometry, t, reduced motion). With reduced motion packets
 * jump between places (no glide, no growing headers). May not touch the DOM, Svelte or a clock.
 */
import type { Layer } from '../../sim/trace.ts';
import { packetsAround, type Hop, type PacketJourney, type Station, type TraceIndex } from '../model/traceIndex.ts';
import { GEOM, pointOnLink, type LinkGeom, type StackGeometry } from './stackGeometry.ts';

/** Shortest drawn frame on a link (user units), so a frame just leaving is visible and clickable. */
export const MIN_FRAME = 10;

/** Back and front (fractions along the link) stretched to at least MIN_FRAME long. */
function minSpan(link: LinkGeom, back: number, front: number): [number, number] {
  const len = Math.hypot(link.p1[0] - link.p0[0], link.p1[1] - link.p0[1]) || 1;
  const min = MIN_FRAME / len;
  if (front - back >= min) return [back, front];
  const f = Math.min(1, back + min);
  return [Math.max(0, f - min), f];
}

/** How long (µs of virtual time) a packet stays visible after its last event. */
export const LINGER_US = 3;
/** Header cells' and the data cell's width. */
export const CELL_W = 40;
export const DATA_W = 44;

export interface Cell {
  /** "ethernet", "ipv4", "tcp", "udp", "icmp", "arp", "loopback", or "data". */
  proto: string;
  /** 0–1: how much of the cell is shown (a header being added grows, one being removed shrinks). */
  grow: number;
  change: 'added' | 'removed' | null;
}

export interface StackSprite {
  kind: 'stack';
  pkt: number;
  host: string;
  layer: Layer;
  x: number;
  y: number;
  w: number;
  cells: Cell[];
  /** Bytes of the PDU at this layer. */
  len: number;
  dropped: boolean;
}

export interface WireSprite {
  kind: 'wire';
  pkt: number;
  link: string;
  from: string;
  to: string;
  /** Back and front of the frame on the link. */
  back: [number, number];
  front: [number, number];
  /** The frame's parts as fractions of its length (for colouring by header). */
  parts: { proto: string; from: number; to: number }[];
  len: number;
  lost: boolean;
}

export interface Sprites {
  stack: StackSprite[];
  wire: WireSprite[];
}

type Place = { kind: 'station'; s: Station; t: number } | { kind: 'hop'; h: Hop; t: number };

/** Memo of `places` per journey (journeys are immutable). */
const PLACES = new WeakMap<PacketJourney, Place[]>();

function places(j: PacketJourney): Place[] {
  const memo = PLACES.get(j);
  if (memo) return memo;
  const out: Place[] = [...j.stations.map((s): Place => ({ kind: 'station', s, t: s.t })), ...j.hops.map((h): Place => ({ kind: 'hop', h, t: h.t }))];
  // Stable by time; at equal times a station (the link layer handing over) comes before the hop.
  out.sort((a, b) => a.t - b.t || (a.kind === b.kind ? 0 : a.kind === 'station' ? -1 : 1));
  PLACES.set(j, out);
  return out;
}

const ease = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x * x * (3 - 2 * x));
const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

const HEADER_BYTES: Record<string, number> = { ethernet: 14, loopback: 14, ipv4: 20, udp: 8, icmp: 8, arp: 28 };

/** How long (µs) a header takes to grow or shrink, and a PDU to move to the next row, at most. */
export const GROW_US = 1.2;
export const MOVE_US = 1;

/** Header cells present at a station, the one this station adds (down) or removes (up) marked; `g` is 0–1 through the change. */
export function cellsAt(j: PacketJourney, s: Station, g0: number, reduced: boolean): Cell[] {
  const data: Cell[] = j.dataLen > 0 ? [{ proto: 'data', grow: 1, change: null }] : [];
  if (s.layer === 'application') return data.length ? data : [{ proto: 'data', grow: 1, change: null }];
  const key = s.proto === 'arp' ? 'ethernet' : s.proto;
  let idx = j.headers.indexOf(key);
  if (idx < 0) idx = 0;
  const hs = j.headers.slice(idx);
  const g = reduced ? 1 : clamp01(g0);
  const cells: Cell[] = hs.map((proto, i) => {
    if (i !== 0) return { proto, grow: 1, change: null };
    if (s.dir === 'down') return { proto, grow: g, change: 'added' };
    return { proto, grow: reduced ? 1 : 1 - g, change: 'removed' };
  });
  return [...cells, ...data];
}

const ROW_Y = new WeakMap<StackGeometry, Map<string, number>>();

function rowCentreY(geo: StackGeometry, host: string, layer: Layer): number | null {
  let ys = ROW_Y.get(geo);
  if (!ys) {
    ys = new Map();
    for (const n of geo.nodes) for (const [l, row] of Object.entries(n.rows)) if (row) ys.set(`${n.id}/${l}`, row.y + GEOM.pduTop);
    ROW_Y.set(geo, ys);
  }
  return ys.get(`${host}/${layer}`) ?? null;
}

interface Pending {
  pkt: number;
  host: string;
  layer: Layer;
  y: number;
  cells: Cell[];
  len: number;
  dropped: boolean;
}

function frameParts(j: PacketJourney, len: number): WireSprite['parts'] {
  const parts: WireSprite['parts'] = [];
  let at = 0;
  const tcpHeader = Math.max(20, len - 14 - 20 - j.dataLen);
  for (const p of j.headers) {
    const bytes = p === 'tcp' ? tcpHeader : (HEADER_BYTES[p] ?? 8);
    parts.push({ proto: p, from: at / len, to: Math.min(1, (at + bytes) / len) });
    at += bytes;
  }
  if (j.dataLen > 0 && at < len) parts.push({ proto: 'data', from: at / len, to: Math.min(1, (at + j.dataLen) / len) });
  return parts;
}

/** Where a packet is at t, or null when it is not visible. */
function placeAt(j: PacketJourney, geo: StackGeometry, links: Map<string, LinkGeom>, t: number, reduced: boolean): Pending | WireSprite | null {
  if (t < j.start || t > j.last + LINGER_US) return null;
  const ps = places(j);
  let lo = 0;
  let hi = ps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ps[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  if (k < 0) return null;
  const cur = ps[k]!;
  const next = ps[k + 1];
  if (cur.kind === 'hop') {
    const h = cur.h;
    const link = links.get(h.link);
    if (t < h.rxEnd && link) {
      const len = h.bytes.length;
      if (reduced) {
        const mid = pointOnLink(link, h.from, 0.5);
        const a = pointOnLink(link, h.from, 0.42);
        return { kind: 'wire', pkt: j.pkt, link: h.link, from: h.from, to: h.to, back: a, front: h.fate === 'lost' ? mid : pointOnLink(link, h.from, 0.58), parts: frameParts(j, len), len, lost: h.fate === 'lost' };
      }
      let front = clamp01((t - h.t) / Math.max(1, h.rxStart - h.t));
      let back = clamp01((t - h.txEnd) / Math.max(1, h.rxEnd - h.txEnd));
      if (h.fate === 'lost') {
        front = Math.min(front, 0.5);
        back = Math.min(back, 0.5);
      }
      [back, front] = minSpan(link, back, front);
      return { kind: 'wire', pkt: j.pkt, link: h.link, from: h.from, to: h.to, back: pointOnLink(link, h.from, back), front: pointOnLink(link, h.from, front), parts: frameParts(j, len), len, lost: h.fate === 'lost' };
    }
    if (h.fate === 'lost') return null;
    // Arrived at a switch (hosts record a link station at rxEnd).
    const y = rowCentreY(geo, h.to, 'link');
    if (y === null) return null;
    return { pkt: j.pkt, host: h.to, layer: 'link', y, cells: j.headers.map((proto) => ({ proto, grow: 1, change: null })), len: h.bytes.length, dropped: false };
  }
  const s = cur.s;
  const y0 = rowCentreY(geo, s.host, s.layer);
  if (y0 === null) return null;
  const end = next ? next.t : j.last + LINGER_US;
  const span = Math.max(0, end - cur.t);
  const since = t - cur.t;
  // The header change takes the first GROW_US (or 40 % of a shorter stay); the move to the next row the last MOVE_US (or 45 %).
  const growDur = Math.min(GROW_US, 0.4 * span);
  const moveDur = Math.min(MOVE_US, 0.45 * span);
  const grow = growDur > 0 ? clamp01(since / growDur) : 1;
  const move = moveDur > 0 ? clamp01((since - (span - moveDur)) / moveDur) : 0;
  const enter = growDur > 0 ? clamp01(since / Math.min(0.3 * span, MOVE_US)) : 1;
  let y = y0;
  const first = k === 0 || ps[k - 1]!.kind === 'hop' || (ps[k - 1]!.kind === 'station' && (ps[k - 1] as { s: Station }).s.host !== s.host);
  if (!reduced) {
    // Entering the first row of a host on the way down: glide in from the row above.
    if (first && s.dir === 'down' && s.layer !== 'link' && s.layer !== 'application') {
      const above = rowCentreY(geo, s.host, s.layer === 'transport' ? 'application' : 'transport');
      if (above !== null && enter < 1) y = above + (y0 - above) * ease(enter);
    }
    // Moving on to the next row of the same host.
    if (next && next.kind === 'station' && next.s.host === s.host && next.s.layer !== s.layer && move > 0) {
      const y1 = rowCentreY(geo, s.host, next.s.layer);
      if (y1 !== null) y = y0 + (y1 - y0) * ease(move);
    }
  }
  const dropped = j.drop !== undefined && j.drop.t <= t && j.drop.host === s.host;
  return { pkt: j.pkt, host: s.host, layer: s.layer, y, cells: cellsAt(j, s, grow, reduced), len: s.len, dropped };
}

/** Everything to draw at time t. */
export function spritesAt(index: TraceIndex, geo: StackGeometry, t: number, reduced: boolean): Sprites {
  const links = new Map(geo.links.map((l) => [l.id, l]));
  const stack: Pending[] = [];
  const wire: WireSprite[] = [];
  for (const j of packetsAround(index, t, LINGER_US)) {
    const p = placeAt(j, geo, links, t, reduced);
    if (!p) continue;
    if ('kind' in p) wire.push(p);
    else stack.push(p);
  }
  // Lay out side by side within each row, overlapping evenly when they do not fit.
  const groups = new Map<string, Pending[]>();
  for (const p of stack) {
    const key = `${p.host}/${p.layer}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const out: StackSprite[] = [];
  for (const [, g] of groups) {
    g.sort((a, b) => a.pkt - b.pkt);
    const first = g[0]!;
    const row = geo.nodes.find((n) => n.id === first.host)?.rows[first.layer];
    if (!row) continue;
    const widths = g.map((p) => p.cells.reduce((w, c) => w + (c.proto === 'data' ? DATA_W : CELL_W) * (c.change ? Math.max(c.grow, 0) : 1), 0));
    const pad = 10;
    const avail = row.w - 2 * pad;
    const total = widths.reduce((a, b) => a + b + 6, -6);
    let x = row.x + pad;
    const step = total <= avail || g.length < 2 ? null : (avail - widths[widths.length - 1]!) / (g.length - 1);
    g.forEach((p, i) => {
      out.push({ kind: 'stack', pkt: p.pkt, host: p.host, layer: p.layer, x, y: p.y, w: widths[i]!, cells: p.cells, len: p.len, dropped: p.dropped });
      x += step === null ? widths[i]! + 6 : step;
    });
  }
  out.sort((a, b) => a.pkt - b.pkt);
  wire.sort((a, b) => a.pkt - b.pkt);
  return { stack: out, wire };
}
