/**
 * Running a lesson: its scenario file and Python files through the scenario loader and the real
 * Python runtime (src/python/run.ts), exactly as `wirescope run` would run them. Used at build
 * time by `npm run lessons` (tools/lessons.ts) and by tests/lessons/traces.test.ts; never by
 * the site, which loads the stored traces.
 */
import { loadScenarioData, type PythonScenario } from '../scenarios/load.ts';
import { runPython, type PythonRunResult } from '../python/run.ts';
import type { SimPython } from '../python/simulated.ts';
import { lessonInputsHash, type LessonDef } from './lesson.ts';
import { encodeTrace } from './traceFile.ts';

/** The lesson's scenario, validated as a scenario file; throws with every problem. */
export function lessonScenario(lesson: LessonDef): PythonScenario {
  const r = loadScenarioData(lesson.scenario, lesson.id, (p) => lesson.files[p]);
  if (!r.ok) throw new Error(`lesson ${lesson.id}: ${r.errors.join('; ')}`);
  return r.scenario;
}

export interface LessonRun extends PythonRunResult {
  /** The trace as stored in src/lessons/traces/<id>.json. */
  text: string;
}

export function runLesson(py: SimPython, lesson: LessonDef): LessonRun {
  const r = runPython(py, lessonScenario(lesson));
  return { ...r, text: encodeTrace(r.trace, { lesson: lesson.id, inputs: lessonInputsHash(lesson) }) };
}

/** Why a run is not fit to be a lesson: a program failed, was stopped, or never ran. Empty when it is. */
export function runProblems(run: PythonRunResult): string[] {
  const out: string[] = [];
  for (const p of run.programs) {
    const who = `${p.host}/${p.file}`;
    if (p.state === 'exited' && p.status !== 0) out.push(`${who} exited with status ${p.status}${p.budget ? ' (step budget)' : ''}`);
    else if (p.state === 'not-started') out.push(`${who} never started`);
    else if (p.state === 'running') out.push(`${who} was still running`);
  }
  for (const e of run.trace.events) if (e.k === 'out' && e.stream === 'stderr') out.push(`${e.host}: ${e.text}`);
  return out;
}
