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

/** The label text and row of each frame that has a label (`textOf` returns undefined for none). */
export function placeWireLabels(
  wires: readonly { pkt: number; link: string; x: number }[],
  textOf: (pkt: number) => string | undefined,
): Map<number, { text: string; row: number }> {
  const labels: WireLabel[] = [];
  for (const w of wires) {
    const text = textOf(w.pkt);
    if (text !== undefined) labels.push({ ...w, text });
  }
  const rows = wireLabelRows(labels);
  return new Map(labels.map((l) => [l.pkt, { text: l.text, row: rows.get(l.pkt) ?? 0 }]));
}
