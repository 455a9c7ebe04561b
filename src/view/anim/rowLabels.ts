/**
 * The label of a layer row ("Transport layer · segment"), fitted to the row: the PDU name is the
 * one the host really uses at that layer (a TCP-only host has segments, a UDP-only one
 * datagrams), and when the full label would overflow the row, shorter forms are tried — the
 * short layer name, then the layer name alone — so nothing is cut off ("segment/datagra").
 *
 * Pure: strings and numbers. Text width is estimated from character classes (generous, so the
 * estimate errs towards a shorter label), not measured, so it can be tested without a DOM.
 */
import type { Layer, TraceEvent } from '../../sim/trace.ts';

/** Estimated width of `text` at `px` pixels (SVG units), bold or not. */
export function textWidth(text: string, px: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x303f)) em += 1;
    else if (/[A-Z0-9mwMW@%]/.test(ch)) em += 0.72;
    else if (/[a-z]/.test(ch)) em += 0.6;
    else if (ch === ' ') em += 0.32;
    else em += 0.4;
  }
  return em * px * (bold ? 1.08 : 1);
}

export interface RowLabel {
  layer: string;
  /** The PDU name, or null when it does not fit. */
  pdu: string | null;
}

/**
 * The longest of: full layer name · PDU, short layer name · PDU, full layer name, short name —
 * that fits in `width` (the layer name in bold at `px`, " · PDU" in regular).
 */
export function fitRowLabel(full: string, short: string, pdu: string, width: number, px = 14): RowLabel {
  const sep = ' · ';
  const fits = (layer: string, p: string | null): boolean => textWidth(layer, px, true) + (p === null ? 0 : textWidth(sep + p, px)) <= width;
  const options: RowLabel[] = [
    { layer: full, pdu },
    { layer: short, pdu },
    { layer: full, pdu: null },
  ];
  return options.find((o) => fits(o.layer, o.pdu)) ?? { layer: short, pdu: null };
}

/** Per host, the transport PDUs it builds or receives: "segment", "datagram", or both. */
export function transportPdus(events: readonly TraceEvent[]): Map<string, Set<'segment' | 'datagram'>> {
  const out = new Map<string, Set<'segment' | 'datagram'>>();
  for (const e of events) {
    if (e.k !== 'layer' || e.layer !== 'transport' || (e.pdu !== 'segment' && e.pdu !== 'datagram')) continue;
    let s = out.get(e.host);
    if (!s) out.set(e.host, (s = new Set()));
    s.add(e.pdu);
  }
  return out;
}

/** The message key of a row's PDU name on a host. */
export function pduKeyFor(layer: Layer, transport: ReadonlySet<string> | undefined): 'pdu.data' | 'pdu.packet' | 'pdu.frame' | 'pdu.segment' | 'pdu.datagram' | 'pdu.segmentOrDatagram' {
  if (layer === 'application') return 'pdu.data';
  if (layer === 'internet') return 'pdu.packet';
  if (layer === 'link') return 'pdu.frame';
  if (transport?.size === 1) return transport.has('segment') ? 'pdu.segment' : 'pdu.datagram';
  return 'pdu.segmentOrDatagram';
}
