/**
 * Label placement without overlaps, for the scrub bar's gap labels.
 *
 * Pure: numbers in, indices out. May not touch the DOM, Svelte or a clock.
 */

/**
 * Which labels fit: each item has a centre x and a text width; items are considered in
 * priority order and kept when their box (plus `pad`) overlaps no kept one and stays in [lo, hi].
 * Returns the indices kept.
 */
export function fitLabels(items: readonly { x: number; width: number; priority: number }[], lo: number, hi: number, pad = 6): Set<number> {
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.priority - items[a]!.priority);
  const kept: [number, number][] = [];
  const out = new Set<number>();
  for (const i of order) {
    const it = items[i]!;
    const a = it.x - it.width / 2 - pad;
    const b = it.x + it.width / 2 + pad;
    if (a < lo || b > hi) continue;
    if (kept.some(([c, d]) => a < d && c < b)) continue;
    kept.push([a, b]);
    out.add(i);
  }
  return out;
}
