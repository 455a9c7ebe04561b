// Compares our dissection of a frame with tshark's (rows from tshark-fields.py / PDML).
import type { Dissection, Field } from '../../../src/sim/net/dissect.ts';

/** [depth, name, pos, size, label] as tshark-fields.py writes them. */
export type TsharkRow = [number, string, number, number, string];

export interface TsharkFrame {
  protocol: string;
  info: string;
  fields: TsharkRow[];
}

export function flatten(fields: readonly Field[], out: Field[] = []): Field[] {
  for (const f of fields) {
    out.push(f);
    if (f.children) flatten(f.children, out);
  }
  return out;
}

/** Fields whose placement legitimately differs: Wireshark splits a ping's timestamp out of Data. */
const LOOSE = new Set(['data', 'data.data', 'data.len']);

/**
 * Every field we produce must be one tshark shows at the same offset, with the same length and
 * label; and every tshark field whose name we produce anywhere (`known`) must be produced here.
 * Returns human-readable differences (empty when they agree). `skip` lists "name@pos" to ignore.
 */
export function compareWithTshark(ours: Dissection, theirs: TsharkFrame, known: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): string[] {
  const diffs: string[] = [];
  const rows = theirs.fields.filter((r) => r[2] >= 0 || r[1] === 'data');
  const used = new Set<number>();
  const mine = flatten(ours.layers);
  for (const f of mine) {
    if (skip.has(`${f.name}@${f.start}`)) continue;
    const i = rows.findIndex((r, k) => !used.has(k) && r[1] === f.name && (r[2] === f.start || (r[2] < 0 && f.name === 'data')));
    if (i < 0) {
      if (!LOOSE.has(f.name)) diffs.push(`ours only: ${f.name} [${f.start}+${f.length}] ${f.label}`);
      continue;
    }
    used.add(i);
    const r = rows[i]!;
    if (r[2] < 0) continue; // tshark's "data" protocol node has no position
    if (r[3] !== f.length) diffs.push(`${f.name}@${f.start}: length ${f.length}, tshark ${r[3]}`);
    if (r[4] !== f.label && !(f.name === 'data' && r[4] === '')) diffs.push(`${f.name}@${f.start}: label\n    ours:   ${f.label}\n    tshark: ${r[4]}`);
  }
  rows.forEach((r, k) => {
    if (!used.has(k) && known.has(r[1]) && !LOOSE.has(r[1]) && !skip.has(`${r[1]}@${r[2]}`))
      diffs.push(`tshark only: ${r[1]} [${r[2]}+${r[3]}] ${r[4]}`);
  });
  return diffs;
}
