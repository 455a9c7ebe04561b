/** Shared test fixtures: traces of the built-in scenarios (computed once) and lessons (as stored by npm run lessons). */
import { runScenario } from '../../src/sim/scenario.ts';
import { builtinScenario } from '../../src/scenarios/builtin.ts';
import type { Trace } from '../../src/sim/trace.ts';
import { readFileSync } from 'node:fs';
import { decodeTrace } from '../../src/lessons/traceFile.ts';
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
    t = decodeTrace(readFileSync(new URL(`../../src/lessons/traces/${id}.json`, import.meta.url), 'utf8')).trace;
    cache.set(`l/${id}`, t);
  }
  return t;
}

export function index(trace: Trace): TraceIndex {
  return buildIndex(trace);
}
