/**
 * 32-bit sequence-number arithmetic (RFC 9293 §3.4: comparisons are modulo 2^32). Pure.
 */
export const seqAdd = (a: number, n: number): number => (a + n) >>> 0;
export const seqDiff = (a: number, b: number): number => (a - b) | 0;
export const seqLt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
export const seqLeq = (a: number, b: number): boolean => ((a - b) | 0) <= 0;
export const seqGt = (a: number, b: number): boolean => ((a - b) | 0) > 0;
export const seqGeq = (a: number, b: number): boolean => ((a - b) | 0) >= 0;
