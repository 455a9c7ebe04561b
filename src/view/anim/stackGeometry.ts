/**
 * Where things are in the layer-stacks picture: one column per host with its four layer rows
 * (application on top, link at the bottom), a narrower column for a switch, and the links
 * between columns' link rows. Coordinates are in SVG user units of a fixed-width viewBox.
 *
 * Pure: a function of the trace's topology. May not touch the DOM, Svelte or a clock.
 */
import type { Layer, TraceMeta } from '../../sim/trace.ts';

export const LAYERS: readonly Layer[] = ['application', 'transport', 'internet', 'link'];

export interface Row {
  layer: Layer;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface NodeGeom {
  id: string;
  kind: 'host' | 'switch';
  x: number;
  w: number;
  /** Centre x. */
  cx: number;
  rows: Partial<Record<Layer, Row>>;
  /** y of the host's title. */
  titleY: number;
}

export interface LinkGeom {
  id: string;
  a: string;
  b: string;
  /** Straight between neighbouring columns, else a quadratic curve under the stacks. */
  p0: [number, number];
  p1: [number, number];
  control: [number, number] | null;
}

export interface StackGeometry {
  width: number;
  height: number;
  nodes: NodeGeom[];
  links: LinkGeom[];
  rowH: number;
}

export const GEOM = { width: 760, top: 58, rowH: 74, rowGap: 8, margin: 12, switchW: 120, pduH: 26, pduTop: 27 } as const;

/** Host columns in display order: a host named "client" first (data usually starts there), then the trace's order. */
export function columnOrder(meta: TraceMeta): string[] {
  const hosts = meta.hosts.map((h) => h.name);
  const ordered = [...hosts.filter((h) => h === 'client'), ...hosts.filter((h) => h !== 'client')];
  if (meta.switches.length === 0) return ordered;
  const mid = Math.ceil(ordered.length / 2);
  return [...ordered.slice(0, mid), ...meta.switches, ...ordered.slice(mid)];
}

/**
 * The picture's layout. `compact` is for phones: the picture is drawn narrower (a shorter link)
 * so that, scaled to a 390 px screen, its text stays legible.
 */
export function stackGeometry(meta: TraceMeta, compact = false): StackGeometry {
  const { top, rowH, rowGap, margin, switchW } = GEOM;
  const cols = columnOrder(meta);
  const width = cols.length === 1 ? (compact ? 300 : 360) + 2 * margin : compact ? 420 : GEOM.width;
  const isSwitch = new Set(meta.switches);
  const n = cols.length;
  const nSwitch = cols.filter((c) => isSwitch.has(c)).length;
  const linkGap = n <= 1 ? 0 : n === 2 ? (compact ? 60 : 250) : compact ? 24 : 48;
  const hostW = n === 1 ? width - 2 * margin : (width - 2 * margin - linkGap * (n - 1) - nSwitch * switchW) / (n - nSwitch);
  const totalW = (n - nSwitch) * hostW + nSwitch * switchW + linkGap * (n - 1);
  let x = (width - totalW) / 2;
  const nodes: NodeGeom[] = [];
  for (const id of cols) {
    const sw = isSwitch.has(id);
    const w = sw ? switchW : hostW;
    const rows: Partial<Record<Layer, Row>> = {};
    LAYERS.forEach((layer, i) => {
      if (sw && layer !== 'link') return;
      rows[layer] = { layer, x, y: top + i * (rowH + rowGap), w, h: rowH };
    });
    nodes.push({ id, kind: sw ? 'switch' : 'host', x, w, cx: x + w / 2, rows, titleY: sw ? top + 3 * (rowH + rowGap) - 8 : top - 12 });
    x += w + linkGap;
  }
  const byId = new Map(nodes.map((nd) => [nd.id, nd]));
  const links: LinkGeom[] = [];
  const linkY = top + 3 * (rowH + rowGap) + rowH / 2;
  for (const l of meta.links) {
    const a = byId.get(l.a.node);
    const b = byId.get(l.b.node);
    if (!a || !b) continue;
    const ia = nodes.indexOf(a);
    const ib = nodes.indexOf(b);
    const [left, right] = ia < ib ? [a, b] : [b, a];
    const adjacent = Math.abs(ia - ib) === 1;
    const p0: [number, number] = adjacent ? [left.x + left.w, linkY] : [left.cx, linkY + rowH / 2];
    const p1: [number, number] = adjacent ? [right.x, linkY] : [right.cx, linkY + rowH / 2];
    const control: [number, number] | null = adjacent ? null : [(p0[0] + p1[0]) / 2, linkY + rowH / 2 + 70];
    // Keep a→b as the trace names them, so fractions along the link follow the frame's direction.
    const forward = left === a;
    links.push({ id: l.id, a: l.a.node, b: l.b.node, p0: forward ? p0 : p1, p1: forward ? p1 : p0, control });
  }
  const curved = links.some((l) => l.control);
  // Room below the link row for the link's label (and under-curves between far columns).
  const height = top + 4 * rowH + 3 * rowGap + (curved ? 90 : 30);
  return { width, height, nodes, links, rowH };
}

/** The point a fraction f (0 at `from`) along a link, travelling from node `from`. */
export function pointOnLink(l: LinkGeom, from: string, f: number): [number, number] {
  const g = from === l.a ? f : 1 - f;
  const [x0, y0] = l.p0;
  const [x1, y1] = l.p1;
  if (!l.control) return [x0 + (x1 - x0) * g, y0 + (y1 - y0) * g];
  const [cx, cy] = l.control;
  const u = 1 - g;
  return [u * u * x0 + 2 * u * g * cx + g * g * x1, u * u * y0 + 2 * u * g * cy + g * g * y1];
}

/** SVG path data of a link. */
export function linkPath(l: LinkGeom): string {
  return l.control ? `M${l.p0[0]},${l.p0[1]} Q${l.control[0]},${l.control[1]} ${l.p1[0]},${l.p1[1]}` : `M${l.p0[0]},${l.p0[1]} L${l.p1[0]},${l.p1[1]}`;
}
