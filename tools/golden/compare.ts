// Compare two wire.json files on their significant fields (see compareSummaries).
//
//   npx tsx tools/golden/compare.ts expected/wire.json actual/wire.json [--ignore win,options]
//
// Exits 0 when they match, 1 (printing the differences) when they do not.
import { readFileSync } from 'node:fs';
import { compareSummaries, type WireSummary } from './summarize.ts';

const args = process.argv.slice(2);
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--ignore');
const ignoreAt = args.indexOf('--ignore');
const ignore = ignoreAt >= 0 ? (args[ignoreAt + 1] ?? '').split(',').filter(Boolean) : [];
if (files.length !== 2) {
  process.stderr.write('usage: npx tsx tools/golden/compare.ts expected.json actual.json [--ignore f1,f2]\n');
  process.exit(2);
}
const load = (p: string): WireSummary => JSON.parse(readFileSync(p, 'utf8')) as WireSummary;
const result = compareSummaries(load(files[0] as string), load(files[1] as string), { ignore });
if (!result.equal) {
  process.stdout.write(result.diffs.join('\n') + '\n');
  process.exit(1);
}
