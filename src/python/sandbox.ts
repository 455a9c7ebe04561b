// The page's API for running Python scenarios: each run happens in a Web Worker (Pyodide loaded
// once from the site's own files, never a CDN), so the tab stays responsive; a run that takes
// too long in real time (a loop in C code that no step budget can interrupt) is stopped by
// terminating the worker. Documented in docs/python-runtime.md ("The browser API").
import type { FromWorker, SandboxRequest, SandboxResult, ToWorker } from './sandbox-protocol.ts';

export type { SandboxRequest, SandboxResult } from './sandbox-protocol.ts';

export interface SandboxOptions {
  /** Real-time limit for one run, ms (default 60 000). The worker is then terminated. */
  timeoutMs?: number;
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, (r: SandboxResult) => void>();

/**
 * Where the site's Pyodide files are (src/python/vite-plugin-pyodide.ts): <base>/pyodide/. In a
 * build the base may be relative ('./'), so it is found from this bundle's own URL (chunks are
 * in <base>/assets/), which works whatever page of the site uses the API.
 */
function pyodideURL(): string {
  if (import.meta.env.DEV) return new URL(`${import.meta.env.BASE_URL.replace(/^\.\//, '/')}pyodide/`, location.href).href;
  const up = '../pyodide/'; // not a literal in new URL(): Vite must not treat it as an asset
  return new URL(up, import.meta.url).href;
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<FromWorker>) => {
    if (!('result' in e.data)) return;
    const done = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    done?.(e.data.result);
  };
  w.onerror = (e) => {
    e.preventDefault();
    stop({ ok: false, kind: 'crash', errors: [`the Python worker failed: ${e.message || 'unknown error'}`] });
  };
  worker = w;
  return w;
}

/** Terminate the worker and answer every pending run with `result`. */
function stop(result: SandboxResult): void {
  worker?.terminate();
  worker = undefined;
  for (const done of waiting.values()) done(result);
  waiting.clear();
}

/**
 * Run a Python scenario (docs/scenario.md) and get its trace. Never rejects: a malformed
 * scenario or program, a run that exceeds `timeoutMs`, or a crash resolve with `ok: false`.
 */
export function runPythonScenario(request: SandboxRequest, options: SandboxOptions = {}): Promise<SandboxResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      if (!waiting.has(id)) return;
      waiting.delete(id);
      resolve({ ok: false, kind: 'timeout', errors: [`the run took longer than ${Math.round(timeoutMs / 1000)} s of real time and was stopped (a loop that never ends?)`] });
      stop({ ok: false, kind: 'crash', errors: ['the Python worker was restarted while this run waited'] });
    }, timeoutMs);
    waiting.set(id, (r) => {
      clearTimeout(timer);
      resolve(r);
    });
    const msg: ToWorker = { id, request, indexURL: pyodideURL() };
    getWorker().postMessage(msg);
  });
}

/** Stop the worker (and its interpreter); the next run starts a new one. */
export function disposePythonWorker(): void {
  stop({ ok: false, kind: 'crash', errors: ['the Python worker was stopped'] });
}
