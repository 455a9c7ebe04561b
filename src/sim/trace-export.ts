/**
 * Exports of a trace: the frames on the wire as a classic pcap file, and the whole trace as
 * deterministic JSON (docs/trace.md). Pure: builds bytes and strings only.
 */
import type { Trace, TraceEvent, WireEvent } from './trace.ts';
import { writePcap, LINKTYPE_ETHERNET } from './net/pcap.ts';
import { toHex } from './net/bytes.ts';
import { dissect } from './net/dissect.ts';

/**
 * The frames of a trace as Wireshark would capture them on the links: every frame at the moment
 * it starts onto a link, including frames the link then loses (they did leave the sender) and
 * the copies a link duplicates. A frame that crosses a switch appears once per hop.
 */
export function traceToPcap(trace: Trace): Uint8Array {
  const records: { t: number; bytes: Uint8Array }[] = [];
  for (const e of trace.events) if (e.k === 'wire') records.push({ t: e.t, bytes: e.bytes });
  return writePcap(records, LINKTYPE_ETHERNET);
}

/** Frames only, for tests and tools. */
export function wireEvents(trace: Trace): WireEvent[] {
  return trace.events.filter((e): e is WireEvent => e.k === 'wire');
}

function jsonEvent(e: TraceEvent): unknown {
  // Time and kind first, so each line reads "t, k, …".
  const { t, k, ...rest } = e;
  if (e.k === 'wire') {
    const d = dissect(e.bytes);
    return { t, k, ...rest, bytes: toHex(e.bytes), summary: `${d.protocol} ${d.info}` };
  }
  return { t, k, ...rest };
}

/** The trace as JSON: one event per line, keys in a fixed order, bytes as hex. */
export function traceToJson(trace: Trace): string {
  const replacer = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? { bytes: toHex(v) } : v);
  const lines = trace.events.map((e) => '    ' + JSON.stringify(jsonEvent(e), replacer));
  return `{\n  "meta": ${JSON.stringify(trace.meta)},\n  "end": ${trace.end},\n  "events": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
