/**
 * Where a lesson's trace comes from. Today: run its TypeScript scenario in the browser (pure,
 * a few ms). Later the Python runtime will run the displayed Python itself; swapping the trace
 * source means changing this one function (it is already asynchronous for that).
 */
import { runScenario } from '../sim/scenario.ts';
import type { Trace } from '../sim/trace.ts';
import type { Lesson } from './lesson.ts';

export async function loadLessonTrace(lesson: Lesson): Promise<Trace> {
  return runScenario(lesson.scenario).trace;
}
