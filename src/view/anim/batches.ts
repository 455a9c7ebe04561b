/**
 * Drawing many packets cheaply: with hundreds of packets in flight, one SVG element per header
 * per packet costs more than a frame. Above BATCH_OVER packets the layer stacks draw one path
 * per protocol colour holding every packet's piece of that colour, and find the packet under
 * the pointer arithmetically instead of by hit-testing elements.
 *
 * Pure: strings and numbers from the sprites of src/view/anim/pduSprites.ts. May not touch the
 * DOM, Svelte or a clock.
 */
import { CELL_W, DATA_W, type StackSprite, type WireSprite } from './pduSprites.ts';
import { GEOM } from './stackGeometry.ts';

/** Above this many packets drawn at once, draw them batched. */
export const BATCH_OVER = 48;

const r1 = (v: number): number => Math.round(v * 10) / 10;

function along(w: WireSprite, f: number): [number, number] {
  return [w.front[0] + (w.back[0] - w.front[0]) * f, w.front[1] + (w.back[1] - w.front[1]) * f];
}

/** Per protocol, one path of every frame's piece of that protocol on the links. */
export function wireBatches(wire: readonly WireSprite[]): [string, string][] {
  const d = new Map<string, string[]>();
  for (const w of wire) {
    for (const p of w.parts) {
      const [ax, ay] = along(w, p.from);
      const [bx, by] = along(w, p.to);
      let list = d.get(p.proto);
      if (!list) d.set(p.proto, (list = []));
      list.push(`M${r1(ax)},${r1(ay)}L${r1(bx)},${r1(by)}`);
    }
  }
  return [...d.entries()].map(([proto, parts]) => [proto, parts.join('')]);
}

/** Per protocol, one path of rectangles: every PDU cell of that protocol in the layer rows. */
export function stackBatches(stack: readonly StackSprite[]): [string, string][] {
  const d = new Map<string, string[]>();
  for (const s of stack) {
    let x = s.x;
    for (const c of s.cells) {
      const w = (c.proto === 'data' ? DATA_W : CELL_W) * (c.change ? c.grow : 1);
      if (w > 0.5) {
        let list = d.get(c.proto);
        if (!list) d.set(c.proto, (list = []));
        list.push(`M${r1(x)},${r1(s.y)}h${r1(w)}v${GEOM.pduH}h${r1(-w)}z`);
      }
      x += w;
    }
  }
  return [...d.entries()].map(([proto, rects]) => [proto, rects.join('')]);
}

function distToSegment(px: number, py: number, a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len2));
  return Math.hypot(px - (a[0] + u * dx), py - (a[1] + u * dy));
}

/** The packet drawn nearest to (x, y), within `maxDist` user units, or null. Topmost (last drawn) wins ties. */
export function packetAt(stack: readonly StackSprite[], wire: readonly WireSprite[], x: number, y: number, maxDist = 10): number | null {
  let best: number | null = null;
  let bestD = maxDist;
  for (const w of wire) {
    const dist = distToSegment(x, y, w.back, w.front) - 6;
    if (dist <= bestD) {
      bestD = dist;
      best = w.pkt;
    }
  }
  for (const s of stack) {
    const dx = Math.max(s.x - x, 0, x - (s.x + s.w));
    const dy = Math.max(s.y - y, 0, y - (s.y + GEOM.pduH));
    const dist = Math.hypot(dx, dy);
    if (dist <= bestD) {
      bestD = dist;
      best = s.pkt;
    }
  }
  return best;
}
