// Runs the Python-level test cases (tests/python/py/test_*.py) inside Pyodide (CPython 3.14),
// one Vitest case per Python test function. Pyodide is loaded once for the file.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPython, type PythonRuntime } from '../../src/python/pyodide.ts';

const dir = new URL('./py/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.py'));
const modules = files.filter((f) => f.startsWith('test_')).map((f) => f.slice(0, -3));
const casesOf = (mod: string): string[] =>
  [...readFileSync(new URL(`${mod}.py`, dir), 'utf8').matchAll(/^def (test_\w+)\(/gm)].map((m) => m[1]!);

let rt: PythonRuntime;

beforeAll(async () => {
  rt = await loadPython();
  rt.pyodide.FS.mkdirTree('/tests');
  for (const f of files) rt.pyodide.FS.writeFile(`/tests/${f}`, readFileSync(new URL(f, dir), 'utf8'));
  rt.run("import sys\nsys.path.insert(0, '/tests')\nimport harness");
});

for (const mod of modules) {
  describe(mod, () => {
    for (const name of casesOf(mod)) {
      it(name, () => {
        const failure = rt.run(`harness.run_case(${JSON.stringify(mod)}, ${JSON.stringify(name)})`);
        expect(failure).toBe('');
      });
    }
  });
}
