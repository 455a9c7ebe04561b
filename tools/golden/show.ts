// Print a wire.json one frame per line (like tcpdump -nn, with hosts named and seq/ack relative).
//
//   npx tsx tools/golden/show.ts tests/golden/recorded/tcp-echo/wire.json
import { readFileSync } from 'node:fs';
import { describeFrame, type WireSummary } from './summarize.ts';

for (const path of process.argv.slice(2)) {
  const s = JSON.parse(readFileSync(path, 'utf8')) as WireSummary;
  for (const f of s.frames) process.stdout.write(`${String(f.t_us).padStart(9)} us  ${describeFrame(f)}\n`);
}
