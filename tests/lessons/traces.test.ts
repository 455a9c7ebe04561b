/**
 * The stored lesson traces (src/lessons/traces/*.json) are exactly what the lessons' Python does
 * today: every lesson is run again with the real runtime (Pyodide loaded once for the file) and
 * its trace must equal the committed file, byte for byte. When a lesson, the runtime or the
 * simulation changes what a lesson does, this fails until `npm run lessons` stores the new runs
 * (and the change is reviewed in the diff).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS } from '../../src/lessons/index.ts';
import { runLesson, runProblems } from '../../src/lessons/run.ts';
import { loadSimPython, type SimPython } from '../../src/python/simulated.ts';

let py: SimPython;

/** Where two texts first differ, line by line. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `line ${i + 1}: stored ${x[i] ?? '(none)'}, now ${y[i] ?? '(none)'}`;
  return 'no difference';
}

beforeAll(async () => {
  py = await loadSimPython();
});

describe.each(LESSONS.map((l) => [l.id, l] as const))('lesson %s', (id, lesson) => {
  it('runs its Python cleanly and gives exactly the stored trace', () => {
    const run = runLesson(py, lesson);
    expect(runProblems(run)).toEqual([]);
    const stored = readFileSync(new URL(`../../src/lessons/traces/${id}.json`, import.meta.url), 'utf8');
    expect(run.text === stored, `${id}: the stored trace is stale (run npm run lessons and review the diff): ${firstDifference(stored, run.text)}`).toBe(true);
  });
});
