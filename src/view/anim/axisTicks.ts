/**
 * Axis ticks that do not collide: the wanted values inside the scale's domain, dropping any
 * closer than `minGap` pixels to one already kept (earlier values win); when fewer than two
 * remain (zoomed in between them), the scale's own nice ticks.
 *
 * Pure: may not touch the DOM, Svelte or a clock.
 */
export interface Scale {
  (v: number): number;
  domain(): number[];
  ticks(n: number): number[];
}

export function axisTicks(x: Scale, wanted: readonly number[], minGap: number): number[] {
  const [d0, d1] = x.domain() as [number, number];
  const pick = (values: readonly number[]): number[] => {
    const kept: number[] = [];
    for (const v of values) {
      if (v < d0 || v > d1) continue;
      if (kept.every((k) => Math.abs(x(k) - x(v)) >= minGap)) kept.push(v);
    }
    return kept;
  };
  // Keep the ends first, then the rest in order.
  const byImportance = [wanted[0]!, wanted[wanted.length - 1]!, ...wanted.slice(1, -1)];
  const fixed = pick(byImportance).sort((a, b) => a - b);
  if (fixed.length >= 2) return fixed;
  return pick(x.ticks(5).map((v) => Math.round(v))).sort((a, b) => a - b);
}
