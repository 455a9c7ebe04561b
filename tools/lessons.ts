/**
 * `npm run lessons [id…]`: run every lesson's Python (or the named ones) with the real runtime and
 * write its trace to src/lessons/traces/<id>.json, which the site loads. Prints what each
 * program printed and fails (status 1) when a program failed, so a broken lesson is never
 * stored. tests/lessons/traces.test.ts checks the stored files are up to date.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { LESSONS } from '../src/lessons/index.ts';
import { runLesson, runProblems } from '../src/lessons/run.ts';
import { loadSimPython } from '../src/python/simulated.ts';
import { programOutput } from '../src/cli/output.ts';

const DIR = new URL('../src/lessons/traces/', import.meta.url);
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = only.filter((id) => !LESSONS.some((l) => l.id === id));
if (unknown.length) {
  console.error(`no lesson called ${unknown.join(', ')}; lessons: ${LESSONS.map((l) => l.id).join(' ')}`);
  process.exit(2);
}
const quiet = process.argv.includes('--quiet');

const t0 = performance.now();
const py = await loadSimPython();
console.log(`Python loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
let failed = 0;
for (const lesson of LESSONS) {
  if (only.length && !only.includes(lesson.id)) continue;
  const t1 = performance.now();
  const run = runLesson(py, lesson);
  const problems = runProblems(run);
  const file = new URL(`${lesson.id}.json`, DIR);
  let old = '';
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    // new lesson
  }
  const secs = ((performance.now() - t1) / 1000).toFixed(1);
  console.log(`${lesson.id}: ${run.trace.events.length} events, ${(run.trace.end / 1000).toFixed(3)} ms virtual, ${(run.text.length / 1024).toFixed(0)} KiB, ${secs} s${old === run.text ? ' (unchanged)' : ''}`);
  if (!quiet) for (const line of programOutput(run.trace)) console.log(`    ${line}`);
  if (problems.length) {
    failed++;
    console.error(`  ✗ not stored:\n${problems.map((p) => `    ${p}`).join('\n')}`);
    continue;
  }
  if (old !== run.text) writeFileSync(file, run.text);
}
// Traces of lessons that no longer exist.
if (!only.length) {
  for (const f of readdirSync(DIR)) if (f.endsWith('.json') && !LESSONS.some((l) => `${l.id}.json` === f)) rmSync(new URL(f, DIR));
}
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
