/**
 * The stored form of a lesson's trace (src/lessons/traces/<id>.json): compact, deterministic
 * JSON that decodes to exactly the trace the run produced.
 *
 * - Events of one kind with the same keys share a **shape** (`["call","id","host",…]`); an event
 *   is `[shape, Δt, …values]`, values in the shape's key order, Δt the time since the previous
 *   event. One event per line, so a diff shows what changed.
 * - Bytes (`Uint8Array`, e.g. a frame on the wire or a `sendto` argument) are `{"$b": base64}` of
 *   a small run-length code (runs of 4+ equal bytes: a bulk transfer's payload of "aaaa…" costs
 *   a few bytes per frame).
 * - An array or object value that occurs more than once (a hot loop's `lines` and `at`, an
 *   address) is stored once in `values` and written `{"$v": index}`; decoded events share it
 *   (traces are read-only).
 *
 * Pure: strings and arrays. No DOM, no Node.
 */
import type { Trace, TraceEvent, TraceMeta } from '../sim/trace.ts';

export const TRACE_FILE_FORMAT = 'wirescope-lesson-trace';
export const TRACE_FILE_VERSION = 1;

export interface TraceFileHeader {
  format: typeof TRACE_FILE_FORMAT;
  version: typeof TRACE_FILE_VERSION;
  lesson: string;
  /** lessonInputsHash of the lesson when the trace was made. */
  inputs: string;
}

// ---- bytes -----------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return s;
}

export function fromBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const c = (k: number): number => (i + k < clean.length ? B64_INDEX[clean.charCodeAt(i + k)]! : 0);
    const n = (c(0) << 18) | (c(1) << 12) | (c(2) << 6) | c(3);
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function pushVarint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** Run-length code: varint h; h even → h/2 literal bytes follow; h odd → a run of (h >> 1) + 4 copies of the next byte. */
export function packRuns(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let lit = 0; // start of pending literals
  let i = 0;
  const flush = (to: number): void => {
    if (to > lit) {
      pushVarint(out, (to - lit) * 2);
      for (let k = lit; k < to; k++) out.push(bytes[k]!);
    }
  };
  while (i < bytes.length) {
    let j = i + 1;
    while (j < bytes.length && bytes[j] === bytes[i]) j++;
    if (j - i >= 4) {
      flush(i);
      pushVarint(out, ((j - i - 4) << 1) | 1);
      out.push(bytes[i]!);
      lit = j;
    }
    i = j;
  }
  flush(bytes.length);
  return Uint8Array.from(out);
}

export function unpackRuns(packed: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < packed.length) {
    let h = 0;
    let mul = 1;
    for (;;) {
      const b = packed[i++]!;
      h += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) break;
    }
    if (h % 2 === 0) {
      for (let k = 0; k < h / 2; k++) out.push(packed[i++]!);
    } else {
      const n = (h - 1) / 2 + 4;
      const v = packed[i++]!;
      for (let k = 0; k < n; k++) out.push(v);
    }
  }
  return Uint8Array.from(out);
}

// ---- values ----------------------------------------------------------------------------------

function encodeValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $b: toBase64(packRuns(v)) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = encodeValue(x);
    return o;
  }
  return v;
}

function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$b === 'string' && Object.keys(o).length === 1) return unpackRuns(fromBase64(o.$b));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x);
    return out;
  }
  return v;
}

// ---- traces ----------------------------------------------------------------------------------

/** Values worth a table entry: arrays and objects whose JSON is longer than a reference to them. */
const MIN_SHARED = 12;

/** The stored text of a lesson's trace. Deterministic: the same trace always gives the same text. */
export function encodeTrace(trace: Trace, header: Omit<TraceFileHeader, 'format' | 'version'>): string {
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const fieldsOf = (e: TraceEvent): string[] => Object.keys(e).filter((k) => k !== 't' && k !== 'k' && (e as unknown as Record<string, unknown>)[k] !== undefined);
  // First pass: which top-level array/object values repeat.
  const seen = new Map<string, number>();
  for (const e of trace.events) {
    const rec = e as unknown as Record<string, unknown>;
    for (const k of fieldsOf(e)) {
      const v = rec[k];
      if (v === null || typeof v !== 'object') continue;
      const json = JSON.stringify(encodeValue(v));
      if (json.length >= MIN_SHARED) seen.set(json, (seen.get(json) ?? 0) + 1);
    }
  }
  const values: string[] = [];
  const valueIds = new Map<string, number>();
  const rows: string[] = [];
  let last = 0;
  for (const e of trace.events) {
    const keys = fieldsOf(e);
    const sig = `${e.k}|${keys.join(',')}`;
    let id = shapeIds.get(sig);
    if (id === undefined) {
      id = shapes.length;
      shapes.push([e.k, ...keys]);
      shapeIds.set(sig, id);
    }
    const rec = e as unknown as Record<string, unknown>;
    const cells = keys.map((k) => {
      const v = rec[k];
      const enc = encodeValue(v);
      if (v === null || typeof v !== 'object') return JSON.stringify(enc);
      const json = JSON.stringify(enc);
      if ((seen.get(json) ?? 0) < 2) return json;
      let n = valueIds.get(json);
      if (n === undefined) {
        n = values.length;
        values.push(json);
        valueIds.set(json, n);
      }
      return `{"$v":${n}}`;
    });
    rows.push(`[${[id, e.t - last, ...cells].join(',')}]`);
    last = e.t;
  }
  const head: TraceFileHeader = { format: TRACE_FILE_FORMAT, version: TRACE_FILE_VERSION, ...header };
  return (
    `{"header":${JSON.stringify(head)},\n"meta":${JSON.stringify(trace.meta)},\n"end":${trace.end},\n` +
    `"shapes":[\n${shapes.map((s) => JSON.stringify(s)).join(',\n')}\n],\n` +
    `"values":[\n${values.join(',\n')}\n],\n` +
    `"events":[\n${rows.join(',\n')}\n]}\n`
  );
}

export interface StoredTrace {
  header: TraceFileHeader;
  trace: Trace;
}

/** Reads a stored trace; throws with a clear message when the text is not one. */
export function decodeTrace(text: string): StoredTrace {
  const raw = JSON.parse(text) as { header?: TraceFileHeader; meta: TraceMeta; end: number; shapes: string[][]; values?: unknown[]; events: unknown[][] };
  if (raw.header?.format !== TRACE_FILE_FORMAT) throw new Error('not a wirescope lesson trace');
  if (raw.header.version !== TRACE_FILE_VERSION) throw new Error(`lesson trace version ${raw.header.version}, expected ${TRACE_FILE_VERSION}: run npm run lessons`);
  const values = (raw.values ?? []).map(decodeValue);
  const events: TraceEvent[] = new Array(raw.events.length);
  let t = 0;
  for (let i = 0; i < raw.events.length; i++) {
    const row = raw.events[i]!;
    const shape = raw.shapes[row[0] as number]!;
    t += row[1] as number;
    const e: Record<string, unknown> = { t, k: shape[0] };
    for (let j = 1; j < shape.length; j++) {
      const cell = row[j + 1];
      const ref = cell !== null && typeof cell === 'object' && !Array.isArray(cell) ? (cell as { $v?: number }).$v : undefined;
      e[shape[j]!] = typeof ref === 'number' && Object.keys(cell as object).length === 1 ? values[ref] : decodeValue(cell);
    }
    events[i] = e as unknown as TraceEvent;
  }
  return { header: raw.header, trace: { meta: raw.meta, end: raw.end, events } };
}
