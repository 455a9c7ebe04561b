/**
 * Scenario files (docs/scenario.md): JSON text -> a validated Python scenario, with every
 * problem reported as "path: what was expected, what was found". Pure: the caller supplies
 * the program files (the CLI reads them from disk, the browser from its editor).
 */
import type { NetworkSpec } from '../sim/network.ts';
import type { Micros } from '../sim/time.ts';
import type { GilConfig, GilMode, StartMethod } from '../sim/threads/config.ts';
import { show, validateScenarioFile, type ScenarioFile } from './load-schema.ts';
import { parseJson } from './load-json.ts';

export { parseJson };

export interface ScenarioProgram {
  host: string;
  /** The file name it runs as (output prefixes, line events): the path's last part, or "inline-<i>.py". */
  file: string;
  /** Where the file is, relative to the scenario (its path in the host's directory). */
  path: string;
  /** Given as "code" in the scenario (its file exists only on its host). */
  inline: boolean;
  source: string;
  start: Micros;
  user: 'root' | 'student';
  args: string[];
}

export interface PythonScenario {
  id: string;
  seed: number;
  network: NetworkSpec;
  programs: ScenarioProgram[];
  /** Step budget per program (statements), when the file sets one. */
  stepBudget?: number;
  /** The thread model of the Python programs: GIL variant and multiprocessing start method. */
  python: { gil: Partial<GilConfig>; startMethod: StartMethod; version: string };
  /** The program files every host has in its directory: relative path -> text (inline programs are only on their own host). */
  files: Record<string, string>;
}

export type LoadResult = { ok: true; scenario: PythonScenario } | { ok: false; errors: string[] };

function isSafeRelative(p: string): boolean {
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) return false;
  return !p.split(/[/\\]/).some((s) => s === '..' || s === '');
}

/**
 * Validate a scenario. `readFile(path)` returns a program file's text, or undefined if it
 * cannot be read (then the error names the program's path).
 */
export function loadScenario(text: string, id: string, readFile: (path: string) => string | undefined): LoadResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  return loadScenarioData(parsed.value, id, readFile);
}

export function loadScenarioData(data: unknown, id: string, readFile: (path: string) => string | undefined): LoadResult {
  const checked = validateScenarioFile(data);
  // Problems across fields (and missing files) are found even when the schema has some too.
  const errors: string[] = checked.ok ? [] : [...checked.errors];
  errors.push(...crossChecks(data, readFile));
  if (!checked.ok) return { ok: false, errors: [...new Set(errors)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) };
  const f: ScenarioFile = checked.value;
  const programs: ScenarioProgram[] = [];
  const files: Record<string, string> = {};
  f.hosts.forEach((h, i) => {
    const inlineNames = new Set<string>();
    (h.programs ?? []).forEach((p, j) => {
      const at = `hosts[${i}].programs[${j}]`;
      if ((p.path === undefined) === (p.code === undefined)) return; // reported by crossChecks
      let path: string;
      let source: string;
      if (p.path !== undefined) {
        if (!isSafeRelative(p.path)) return;
        path = p.path.replace(/\\/g, '/');
        const text = readFile(path);
        if (text === undefined) return; // reported by crossChecks
        source = text;
        files[path] = text;
      } else {
        path = p.name ?? `inline-${j}.py`;
        source = p.code!;
        if (inlineNames.has(path)) {
          errors.push(`${at}.name: another program of this host is already named ${show(path)}`);
          return;
        }
        inlineNames.add(path);
      }
      programs.push({
        host: h.name,
        file: path.slice(path.lastIndexOf('/') + 1),
        path,
        inline: p.path === undefined,
        source,
        start: Math.round((p.start_ms ?? 0) * 1000),
        user: p.user ?? 'student',
        args: (p.args ?? []).map(String),
      });
    });
  });
  if (errors.length) return { ok: false, errors };
  const link = f.link ?? {};
  const network: NetworkSpec = {
    hosts: f.hosts.map((h) => ({
      name: h.name,
      ip: h.ip,
      ...(h.netmask ? { netmask: h.netmask } : {}),
      ...(h.mac ? { mac: h.mac } : {}),
      ...(h.cores ?? f.cores ? { cores: h.cores ?? f.cores } : {}),
    })),
    link: {
      ...(link.mtu !== undefined ? { mtu: link.mtu } : {}),
      ...(link.latency_ms !== undefined ? { latency: Math.round(link.latency_ms * 1000) } : {}),
      ...(link.bandwidth !== undefined ? { bandwidth: link.bandwidth } : {}),
      impairments: {
        ...(link.loss !== undefined ? { loss: link.loss } : {}),
        ...(link.duplicate !== undefined ? { duplicate: link.duplicate } : {}),
        ...(link.reorder !== undefined ? { reorder: link.reorder } : {}),
        ...(link.reorder_delay_ms !== undefined ? { reorderDelay: Math.round(link.reorder_delay_ms * 1000) } : {}),
        ...(link.jitter_ms !== undefined ? { jitter: Math.round(link.jitter_ms * 1000) } : {}),
      },
    },
  };
  return {
    ok: true,
    scenario: {
      id: f.name ?? id,
      seed: f.seed ?? 1,
      network,
      programs,
      ...(f.step_budget !== undefined ? { stepBudget: f.step_budget } : {}),
      python: pythonModel(f.python ?? '3.14', f.gil, f.start_method),
      files,
    },
  };
}

/**
 * The thread model of a Python version (../shared/docs/gil-facts.md): the new GIL from 3.2, the
 * old one before; free-threaded builds ("t") without it, 40% slower per thread on 3.13t and
 * about 5% on 3.14t; multiprocessing starts with fork up to 3.13 and forkserver from 3.14 on
 * Linux. An explicit "gil" or "start_method" wins.
 */
export function pythonModel(version: string, gil?: GilMode, startMethod?: StartMethod): PythonScenario['python'] {
  const [major, minor] = version.replace('t', '').split('.').map(Number) as [number, number];
  const free = version.endsWith('t');
  const mode: GilMode = gil ?? (free ? 'off' : major < 3 || (major === 3 && minor < 2) ? 'old' : 'new');
  const method: StartMethod = startMethod ?? (major === 3 && minor >= 14 ? 'forkserver' : 'fork');
  return { version, gil: { mode, ...(free ? { freeThreadingOverhead: minor >= 14 ? 1.05 : 1.4 } : {}) }, startMethod: method };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks that involve several fields or the files, on whatever parts of `data` are well-formed. */
function crossChecks(data: unknown, readFile: (path: string) => string | undefined): string[] {
  const errors: string[] = [];
  if (!isObject(data) || !Array.isArray(data.hosts)) return errors;
  const names = new Map<string, number>();
  const ips = new Map<string, number>();
  data.hosts.forEach((h: unknown, i: number) => {
    if (!isObject(h)) return;
    if (typeof h.name === 'string') {
      const n = names.get(h.name);
      if (n !== undefined) errors.push(`hosts[${i}].name: "${h.name}" is already the name of hosts[${n}]`);
      else names.set(h.name, i);
    }
    if (typeof h.ip === 'string') {
      const k = ips.get(h.ip);
      if (k !== undefined) errors.push(`hosts[${i}].ip: ${h.ip} is already the address of hosts[${k}]`);
      else ips.set(h.ip, i);
    }
    if (!Array.isArray(h.programs)) return;
    h.programs.forEach((p: unknown, j: number) => {
      if (!isObject(p)) return;
      const at = `hosts[${i}].programs[${j}]`;
      const hasPath = p.path !== undefined;
      const hasCode = p.code !== undefined;
      if (hasPath && hasCode) errors.push(`${at}: give either "path" or "code", not both`);
      else if (!hasPath && !hasCode) errors.push(`${at}: needs "path" (a .py file next to the scenario) or "code" (the program itself)`);
      else if (hasPath && typeof p.path === 'string' && p.path !== '') {
        if (!isSafeRelative(p.path)) errors.push(`${at}.path: expected a path relative to the scenario file, inside its folder, got ${show(p.path)}`);
        else if (readFile(p.path.replace(/\\/g, '/')) === undefined) errors.push(`${at}.path: cannot read ${show(p.path)} (no such file next to the scenario)`);
      }
    });
  });
  return errors;
}
