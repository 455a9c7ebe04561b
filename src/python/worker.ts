// The Web Worker that runs Python scenarios for the page (see src/python/sandbox.ts). Pyodide
// is loaded once, from the site's own files, and kept for later runs.
import { loadScenario, loadScenarioData } from '../scenarios/load.ts';
import { exitStatus, programOutput } from '../cli/output.ts';
import { runPython } from './run.ts';
import { loadSimPython, type SimPython } from './simulated.ts';
import type { FromWorker, SandboxRequest, SandboxResult, ToWorker } from './sandbox-protocol.ts';

let python: Promise<SimPython> | undefined;

async function run(request: SandboxRequest, indexURL: string): Promise<SandboxResult> {
  const files = request.files ?? {};
  const read = (p: string): string | undefined => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined);
  const loaded = typeof request.scenario === 'string' ? loadScenario(request.scenario, 'sandbox', read) : loadScenarioData(request.scenario, 'sandbox', read);
  if (!loaded.ok) return { ok: false, kind: 'invalid', errors: loaded.errors };
  const py = await (python ??= loadSimPython({ indexURL }));
  const syntax: string[] = [];
  for (const p of loaded.scenario.programs) {
    const e = py.checkSyntax(p.source, p.path);
    if (e) syntax.push(`${p.path} has a syntax error:\n${e.trimEnd()}`);
  }
  if (syntax.length) return { ok: false, kind: 'syntax', errors: syntax };
  const result = runPython(py, loaded.scenario, {
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.stepBudget !== undefined ? { stepBudget: request.stepBudget } : {}),
    ...(request.untilSeconds !== undefined ? { until: Math.round(request.untilSeconds * 1e6) } : {}),
  });
  return { ok: true, trace: result.trace, programs: result.programs, output: programOutput(result.trace), status: exitStatus(result.trace) === 0 ? 0 : 1 };
}

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<ToWorker>) => void) | null; postMessage(m: FromWorker): void };
scope.onmessage = (e) => {
  const { id, request, indexURL } = e.data;
  run(request, indexURL).then(
    (result) => scope.postMessage({ id, result }),
    (err: unknown) => scope.postMessage({ id, result: { ok: false, kind: 'crash', errors: [err instanceof Error ? err.message : String(err)] } }),
  );
};
