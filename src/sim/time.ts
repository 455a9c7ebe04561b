/**
 * Virtual time. Pure: no wall clock. Time is an integer number of microseconds since the
 * simulation started; these helpers convert the units people write into it.
 */
export type Micros = number;

export const US = 1;
export const MS = 1000;
export const SEC = 1_000_000;

/** Milliseconds (possibly fractional, e.g. 0.05) to integer microseconds. */
export function ms(x: number): Micros {
  return Math.round(x * MS);
}

/** Seconds (possibly fractional) to integer microseconds. */
export function sec(x: number): Micros {
  return Math.round(x * SEC);
}

/** "12.345 ms" style label for a time, for narration and logs. */
export function formatMicros(t: Micros): string {
  if (t < MS) return `${t} µs`;
  if (t < SEC) return `${(t / MS).toFixed(3)} ms`;
  return `${(t / SEC).toFixed(6)} s`;
}
