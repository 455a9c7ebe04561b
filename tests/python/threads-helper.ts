// Runs Python programs with the thread model's scenario fields (cores, gil, python,
// start_method) through the scenario loader, for tests/python/threads*.test.ts.
import { loadScenarioData } from '../../src/scenarios/load.ts';
import { runPython, type PythonRunResult } from '../../src/python/run.ts';
import type { SimPython } from '../../src/python/simulated.ts';
import { programOutput } from '../../src/cli/output.ts';
import type { TraceEvent } from '../../src/sim/trace.ts';

export interface Program {
  code: string;
  name?: string;
  args?: string[];
  start_ms?: number;
}

export interface Model {
  cores?: number;
  gil?: 'new' | 'old' | 'off';
  python?: string;
  start_method?: 'fork' | 'forkserver' | 'spawn';
  seed?: number;
}

export interface Ran extends PythonRunResult {
  /** What `wirescope run` prints: "[host] line" or "[host/program] line". */
  lines: string[];
}

/** Programs on hosts named h1, h2... (several programs of one host share it). */
export function runModel(py: SimPython, hosts: Program[][], model: Model = {}): Ran {
  const data = {
    seed: model.seed ?? 1,
    ...(model.cores !== undefined ? { cores: model.cores } : {}),
    ...(model.gil ? { gil: model.gil } : {}),
    ...(model.python ? { python: model.python } : {}),
    ...(model.start_method ? { start_method: model.start_method } : {}),
    hosts: hosts.map((programs, i) => ({ name: i === 0 && hosts.length === 1 ? 'host' : `h${i + 1}`, ip: `10.0.0.${i + 1}`, programs })),
  };
  const r = loadScenarioData(data, 'test', () => undefined);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const res = runPython(py, r.scenario);
  return { ...res, lines: programOutput(res.trace) };
}

/** One program alone on host "host"; its printed lines without the prefix. */
export function runProgram(py: SimPython, code: string, model: Model = {}, args: string[] = []): Ran & { out: string[] } {
  const r = runModel(py, [[{ code, name: 'main.py', args }]], model);
  return { ...r, out: r.lines.map((l) => l.replace(/^\[host(\/[^\]]*)?\] /, '')) };
}

/** The numbers a program printed on a line starting with `label`. */
export function numbers(lines: string[], label: string): number[] {
  const line = lines.find((l) => l.startsWith(label));
  if (!line) throw new Error(`no line starting with ${JSON.stringify(label)} in:\n${lines.join('\n')}`);
  return [...line.slice(label.length).matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));
}

export function events<K extends TraceEvent['k']>(r: PythonRunResult, k: K): Extract<TraceEvent, { k: K }>[] {
  return r.trace.events.filter((e): e is Extract<TraceEvent, { k: K }> => e.k === k);
}

export const dedent = (s: string): string => {
  const lines = s.replace(/^\n/, '').split('\n');
  const n = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(n)).join('\n');
};
