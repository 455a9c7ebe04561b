/**
 * `wirescope run SCENARIO.json`: read a scenario file and its programs from disk, run the
 * programs on the simulated network (Pyodide, loaded from node_modules), print what they
 * printed. Bad input (a missing file, malformed JSON, schema errors, a syntax error in a
 * program) gets a clear message and status 2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadScenario, type PythonScenario } from '../scenarios/load.ts';
import { runPython, type PythonRunResult } from '../python/run.ts';
import { loadSimPython, type SimPython } from '../python/simulated.ts';

export interface PythonRunArgs {
  file: string;
  seed?: number;
  until?: number;
  stepBudget?: number;
}

export type Loaded = { ok: true; scenario: PythonScenario } | { ok: false; message: string };

/** Read and validate a scenario file (no Python needed). */
export function readScenarioFile(file: string): Loaded {
  const path = resolve(file);
  if (!existsSync(path)) return { ok: false, message: `${file}: no such file` };
  if (statSync(path).isDirectory()) return { ok: false, message: `${file}: is a directory, not a scenario file` };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, message: `${file}: cannot read it (${(e as Error).message})` };
  }
  const dir = dirname(path);
  const r = loadScenario(text, basename(file).replace(/\.json$/, ''), (rel) => {
    const p = join(dir, rel);
    try {
      return statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  });
  if (!r.ok) {
    const n = r.errors.length;
    return { ok: false, message: `${file}: ${n === 1 ? 'a problem' : `${n} problems`}:\n${r.errors.map((e) => `  ${e}`).join('\n')}` };
  }
  return { ok: true, scenario: r.scenario };
}

/** Syntax errors of the scenario's programs, as CPython prints them. */
export function syntaxErrors(py: SimPython, s: PythonScenario): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of s.programs) {
    if (seen.has(p.path)) continue;
    seen.add(p.path);
    const err = py.checkSyntax(p.source, p.path);
    if (err) out.push(`${p.path} has a syntax error:\n${err.trimEnd()}`);
  }
  return out;
}

let shared: Promise<SimPython> | undefined;

/** One interpreter per CLI process (tests call main() many times). */
export function simPython(): Promise<SimPython> {
  return (shared ??= loadSimPython());
}

export async function runPythonFile(args: PythonRunArgs, err: (s: string) => void): Promise<{ code: 2 } | { code: 0; result: PythonRunResult }> {
  const loaded = readScenarioFile(args.file);
  if (!loaded.ok) {
    err(`wirescope: ${loaded.message}\n`);
    return { code: 2 };
  }
  const py = await simPython();
  const bad = syntaxErrors(py, loaded.scenario);
  if (bad.length) {
    err(bad.map((b) => `wirescope: ${b}\n`).join(''));
    return { code: 2 };
  }
  const result = runPython(py, loaded.scenario, {
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.until !== undefined ? { until: Math.round(args.until * 1e6) } : {}),
    ...(args.stepBudget !== undefined ? { stepBudget: args.stepBudget } : {}),
  });
  for (const p of result.programs) {
    const who = `${p.file} on ${p.host}`;
    if (p.state === 'blocked') err(`wirescope: ${who} was still waiting in ${p.waitingIn}() when the run ended (nothing else could happen)\n`);
    else if (p.state === 'not-started') err(`wirescope: ${who} had not started when the run ended\n`);
    else if (p.state === 'running') err(`wirescope: ${who} was still running when the run ended\n`);
  }
  return { code: 0, result };
}
