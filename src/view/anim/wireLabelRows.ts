/**
 * Rows for the labels of frames on the wire, so that two frames on one link (a data segment
 * and the ACK right behind it) do not print their names over each other: each label takes the
 * lowest row above its frame where it overlaps no label placed before it on the same link.
 * Labels are placed in packet order, so an older frame's label keeps its row while a newer one
 * moves past it.
 *
 * Pure: may not touch the DOM, Svelte or a clock.
 */

export interface WireLabel {
  pkt: number;
  link: string;
  /** Centre of the label (SVG units). */
  x: number;
  text: string;
}

/** Width of `text` in the wire labels' monospace font (12.5 px: 0.6 em a character, 1 em for CJK). */
export function monoTextWidth(text: string, fontSize = 12.5): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? fontSize : 0.6 * fontSize;
  return w;
}

/** Row (0 = just above the frame) of each label, by packet id. */
export function wireLabelRows(labels: readonly WireLabel[], gap = 8): Map<number, number> {
  const rows = new Map<number, number>();
  const placed = new Map<string, { row: number; from: number; to: number }[]>();
  for (const l of [...labels].sort((a, b) => a.pkt - b.pkt)) {
    const half = monoTextWidth(l.text) / 2 + gap / 2;
    const from = l.x - half;
    const to = l.x + half;
    let on = placed.get(l.link);
    if (!on) placed.set(l.link, (on = []));
    let row = 0;
    while (on.some((p) => p.row === row && p.from < to && from < p.to)) row++;
    on.push({ row, from, to });
    rows.set(l.pkt, row);
  }
  return rows;
}

/**
 * Where a label centred on `x` goes so that it stays between `lo` and `hi` (a straight link's
 * ends, the edges of the two hosts' boxes): a frame arriving at or leaving a host would
 * otherwise print half its label over that host's link-layer title. On a link too short for
 * the label, its middle.
 */
export function clampLabelX(x: number, text: string, lo: number, hi: number): number {
  const half = monoTextWidth(text) / 2;
  if (hi - lo < 2 * half) return (lo + hi) / 2;
  return Math.min(Math.max(x, lo + half), hi - half);
}

/**
 * The label text, centre and row of each frame that has a label (`textOf` returns undefined
 * for none). A frame with `span` (its straight link's ends) keeps its label within it.
 */
export function placeWireLabels(
  wires: readonly { pkt: number; link: string; x: number; span?: readonly [number, number] }[],
  textOf: (pkt: number) => string | undefined,
): Map<number, { text: string; row: number; x: number }> {
  const labels: WireLabel[] = [];
  for (const w of wires) {
    const text = textOf(w.pkt);
    if (text !== undefined) labels.push({ pkt: w.pkt, link: w.link, text, x: w.span ? clampLabelX(w.x, text, w.span[0], w.span[1]) : w.x });
  }
  const rows = wireLabelRows(labels);
  return new Map(labels.map((l) => [l.pkt, { text: l.text, row: rows.get(l.pkt) ?? 0, x: l.x }]));
}
