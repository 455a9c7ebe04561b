// Runs small Python programs on the simulated network for the tests (one interpreter per file).
import { loadScenarioData } from '../../src/scenarios/load.ts';
import { runPython, type PythonRunResult, type RunPythonOptions } from '../../src/python/run.ts';
import type { SimPython } from '../../src/python/simulated.ts';
import { programOutput } from '../../src/cli/output.ts';

export interface HostDef {
  name: string;
  ip?: string;
  programs: { code: string; name?: string; start_ms?: number; user?: 'root' | 'student'; args?: string[] }[];
}

export interface Ran extends PythonRunResult {
  /** What `wirescope run` prints: "[host] line" (stdout and stderr). */
  lines: string[];
}

export function runHosts(py: SimPython, hosts: HostDef[], opts: RunPythonOptions & { step_budget?: number; link?: Record<string, number> } = {}): Ran {
  const data = {
    seed: 1,
    hosts: hosts.map((h, i) => ({ name: h.name, ip: h.ip ?? `10.0.0.${i + 1}`, programs: h.programs })),
    ...(opts.link ? { link: opts.link } : {}),
    ...(opts.step_budget ? { step_budget: opts.step_budget } : {}),
  };
  const r = loadScenarioData(data, 'test', () => undefined);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const res = runPython(py, r.scenario, opts);
  return { ...res, lines: programOutput(res.trace) };
}

/** One program alone on a host named "host"; returns its printed lines without the prefix. */
export function runOne(py: SimPython, code: string, opts: RunPythonOptions = {}): Ran & { out: string[] } {
  const r = runHosts(py, [{ name: 'host', programs: [{ code }] }], opts);
  return { ...r, out: r.lines.map((l) => l.replace(/^\[host\] /, '')) };
}

export const dedent = (s: string): string => {
  const lines = s.replace(/^\n/, '').split('\n');
  const n = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(n)).join('\n');
};
