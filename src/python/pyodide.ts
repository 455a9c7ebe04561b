// Loads Pyodide from the project's own files (never a CDN) and wraps the wirescope Python
// runtime (src/python/py/wirescope) in a typed API for the kernel. The contract is described
// in docs/python-runtime.md.
import type { PyodideAPI } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import { loadPythonSources } from './sources.ts';

/** Where wirescope's package is written in Pyodide's filesystem (put on sys.path). */
export const PYTHON_LIB_DIR = '/wirescope-lib';

/** A green thread living in Python (a PyProxy of runtime.GreenThread). */
export type PyThread = PyProxy;

/** A Python exception instance (a PyProxy). */
export type PyException = PyProxy;

/** What the driver resumes a suspended thread with. */
export type Resume =
  | { value: unknown }
  /** A Python exception (PyProxy of an instance or class) or `{type: 'ConnectionRefusedError', args: [111, 'Connection refused']}`. */
  | { error: PyProxy | { type: string; args?: unknown[] } };

/** What `step` returns: why the thread stopped running. */
export type StepResult =
  | { kind: 'syscall'; name: string; args: unknown[] }
  | { kind: 'check' }
  | { kind: 'done'; value: unknown }
  /** `traceback` is formatted like CPython's, runtime frames removed. `error` must be destroyed by the caller when no longer needed. */
  | { kind: 'raised'; error: PyException; traceback: string };

/** The synchronous syscall hook used when a syscall is reached from code that cannot suspend. */
export type BlockHook = (name: string, args: unknown[]) => Resume;

export interface LoadOptions {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** PYTHONHASHSEED: a fixed seed makes str/bytes hashes (set and dict-of-str orders) reproducible. */
  hashSeed?: number;
  /**
   * Browser only: the absolute URL of the site's Pyodide files (default: <base>/pyodide/ of the
   * page). A Web Worker must be told: its own URL is not the page's.
   */
  indexURL?: string;
}

export interface PythonRuntime {
  readonly pyodide: PyodideAPI;
  /** A thread that runs `source` as a program's main module (top level is suspendable). */
  mainThread(source: string, filename: string, moduleName?: string): PyThread;
  /** A thread that runs a Python callable (e.g. a threading target). */
  thread(callable: PyProxy, args?: unknown[]): PyThread;
  step(thread: PyThread, resume?: Resume): StepResult;
  /** Records since the last call (see docs/python-runtime.md for the encoding). */
  takeLines(): Int32Array;
  /** Report `check` at the next check point once `n` records are buffered; null = never. */
  setLineLimit(n: number | null): void;
  setHost(block: BlockHook | null): void;
  /** File id -> filename for the ids used in line records. */
  fileTable(): Map<number, string>;
  /** Transform pure-Python modules whose full name passes `shouldTransform` when imported. */
  installImportHook(shouldTransform: (moduleName: string) => boolean): void;
  /** Run Python code (in __main__'s namespace) and return the result converted to JS. */
  run(code: string): unknown;
}

/** Line-record decoding: statement records are >= 0, function entries are negative (~code). */
export const LINE_BITS = 20;
export function decodeLine(record: number): { fileId: number; line: number; entry: boolean } {
  const entry = record < 0;
  const v = entry ? ~record : record;
  return { fileId: v >>> LINE_BITS, line: v & ((1 << LINE_BITS) - 1), entry };
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

type LoadPyodide = (options?: Record<string, unknown>) => Promise<PyodideAPI>;

async function importPyodide(indexURL?: string): Promise<LoadPyodide> {
  if (isNode()) {
    // node_modules/pyodide; pyodide.mjs finds its .wasm and stdlib next to itself.
    const spec = 'pyodide';
    const mod = (await import(/* @vite-ignore */ spec)) as { loadPyodide: LoadPyodide };
    return mod.loadPyodide;
  }
  // The browser: the site's own copy (vite-plugin-pyodide.ts puts it in <base>/pyodide/).
  const base = new URL(indexURL ?? `${import.meta.env.BASE_URL}pyodide/`, globalThis.location.href);
  const mod = (await import(/* @vite-ignore */ new URL('pyodide.mjs', base).href)) as { loadPyodide: LoadPyodide };
  return (options) => mod.loadPyodide({ indexURL: base.href, ...options });
}

export async function loadPython(options: LoadOptions = {}): Promise<PythonRuntime> {
  const [loadPyodide, sources] = await Promise.all([importPyodide(options.indexURL), loadPythonSources()]);
  const py = await loadPyodide({
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stderr ? { stderr: options.stderr } : {}),
    ...(options.hashSeed !== undefined ? { env: { PYTHONHASHSEED: String(options.hashSeed) } } : {}),
  });
  for (const [path, text] of Object.entries(sources)) {
    const full = `${PYTHON_LIB_DIR}/${path}`;
    py.FS.mkdirTree(full.slice(0, full.lastIndexOf('/')));
    py.FS.writeFile(full, text);
  }
  py.runPython(`import sys\nif ${JSON.stringify(PYTHON_LIB_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(PYTHON_LIB_DIR)})`);
  const bridge = py.pyimport('wirescope.bridge') as PyProxy & Record<string, (...a: unknown[]) => unknown>;
  const runtime = py.pyimport('wirescope.runtime') as PyProxy & Record<string, (...a: unknown[]) => unknown>;
  return new Runtime(py, bridge, runtime);
}

type PyCallable = (...args: unknown[]) => unknown;

class Runtime implements PythonRuntime {
  private readonly pyStep: PyCallable;
  private readonly pyTake: PyCallable;
  private readonly pySetLimit: PyCallable;
  private readonly pyMain: PyCallable;
  private readonly pyThread: PyCallable;

  constructor(
    readonly pyodide: PyodideAPI,
    private readonly bridge: Record<string, PyCallable>,
    private readonly runtime: Record<string, PyCallable>,
  ) {
    this.pyStep = bridge.step!;
    this.pyTake = bridge.take_lines!;
    this.pySetLimit = runtime.set_line_limit!;
    this.pyMain = runtime.main_thread!;
    this.pyThread = runtime.GreenThread!;
  }

  mainThread(source: string, filename: string, moduleName = '__main__'): PyThread {
    return this.pyMain(source, filename, moduleName) as PyThread;
  }

  thread(callable: PyProxy, args: unknown[] = []): PyThread {
    return this.pyThread(callable, ...args) as PyThread;
  }

  step(thread: PyThread, resume?: Resume): StepResult {
    const hasError = resume !== undefined && 'error' in resume;
    const payload = resume === undefined ? undefined : hasError ? (resume as { error: unknown }).error : (resume as { value: unknown }).value;
    const r = this.pyStep(thread, hasError, payload) as unknown[];
    switch (r[0]) {
      case 'syscall':
        return { kind: 'syscall', name: r[1] as string, args: r[2] as unknown[] };
      case 'check':
        return { kind: 'check' };
      case 'done':
        return { kind: 'done', value: r[1] };
      default:
        return { kind: 'raised', error: r[1] as PyException, traceback: r[2] as string };
    }
  }

  takeLines(): Int32Array {
    const arr = this.pyTake() as PyProxy & { getBuffer(type: string): { data: Int32Array; release(): void } };
    const buf = arr.getBuffer('i32');
    try {
      return buf.data.slice();
    } finally {
      buf.release();
      arr.destroy();
    }
  }

  setLineLimit(n: number | null): void {
    this.pySetLimit(n ?? undefined);
  }

  setHost(block: BlockHook | null): void {
    this.bridge.set_host!(block);
  }

  fileTable(): Map<number, string> {
    const t = this.bridge.file_table!() as Record<string, string>;
    return new Map(Object.entries(t).map(([k, v]) => [Number(k), v]));
  }

  installImportHook(shouldTransform: (moduleName: string) => boolean): void {
    this.bridge.install_import_hook!(shouldTransform);
  }

  run(code: string): unknown {
    const r = this.pyodide.runPython(code) as unknown;
    if (r && typeof r === 'object' && 'toJs' in r) {
      const p = r as PyProxy & { toJs(o?: object): unknown };
      const js = p.toJs({ dict_converter: Object.fromEntries });
      p.destroy();
      return js;
    }
    return r;
  }
}
