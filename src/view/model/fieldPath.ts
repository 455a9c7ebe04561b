/**
 * Finding fields of a dissection: by path (indices from the layer list down), and the deepest
 * field covering a byte — so selecting a field highlights its bytes and selecting a byte finds
 * its field.
 *
 * Pure: reads the dissection tree. May not touch the DOM, Svelte or a clock.
 */
import type { Field } from '../../sim/net/dissect.ts';

/** Path of a field: indices into layers, then children. */
export type FieldPath = readonly number[];

export function fieldAt(layers: readonly Field[], path: FieldPath): Field | undefined {
  let list: readonly Field[] | undefined = layers;
  let f: Field | undefined;
  for (const i of path) {
    f = list?.[i];
    if (!f) return undefined;
    list = f.children;
  }
  return f;
}

/** The path of the deepest field (with a byte range) that covers byte `offset`, or null. */
export function fieldForByte(layers: readonly Field[], offset: number): FieldPath | null {
  let best: number[] | null = null;
  let bestLen = Infinity;
  const walk = (list: readonly Field[], prefix: number[]): void => {
    list.forEach((f, i) => {
      const p = [...prefix, i];
      if (f.length > 0 && offset >= f.start && offset < f.start + f.length) {
        // Deeper or narrower wins; bit fields share bytes, so prefer the first at equal size.
        if (f.length < bestLen || (f.length === bestLen && best !== null && p.length > best.length)) {
          best = p;
          bestLen = f.length;
        }
      }
      if (f.children) walk(f.children, p);
    });
  };
  walk(layers, []);
  return best;
}

export function samePath(a: FieldPath | null, b: FieldPath | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether `a` is `b` or one of its ancestors. */
export function isPrefix(a: FieldPath, b: FieldPath): boolean {
  return a.length <= b.length && a.every((x, i) => x === b[i]);
}
