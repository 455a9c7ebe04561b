/** Shared test fixtures: traces of the built-in scenarios and lessons, computed once. */
import { runScenario } from '../../src/sim/scenario.ts';
import { builtinScenario } from '../../src/scenarios/builtin.ts';
import type { Trace } from '../../src/sim/trace.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { buildIndex, type TraceIndex } from '../../src/view/model/traceIndex.ts';

const cache = new Map<string, Trace>();

export function builtinTrace(id: string): Trace {
  let t = cache.get(`b/${id}`);
  if (!t) {
    t = runScenario(builtinScenario(id)!).trace;
    cache.set(`b/${id}`, t);
  }
  return t;
}

export function lessonTrace(id: string): Trace {
  let t = cache.get(`l/${id}`);
  if (!t) {
    const lesson = LESSONS.find((l) => l.id === id)!;
    t = runScenario(lesson.scenario).trace;
    cache.set(`l/${id}`, t);
  }
  return t;
}

export function index(trace: Trace): TraceIndex {
  return buildIndex(trace);
}
