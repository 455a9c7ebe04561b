// Serves Pyodide's runtime files from node_modules/pyodide at <base>/pyodide/ on the dev
// server and copies them into the build output, so the site loads Python from its own
// files (offline, any static host; never a CDN). Used by src/python/pyodide.ts.
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** The files loadPyodide needs (no packages are loaded, so no wheels). */
export const PYODIDE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.js',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
};

export function pyodideDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('pyodide/package.json'));
}

export function pyodidePlugin(): Plugin {
  const dir = pyodideDir();
  const present = new Set(readdirSync(dir));
  const files = PYODIDE_FILES.filter((f) => present.has(f));
  let base = '/';
  return {
    name: 'wirescope-pyodide',
    config() {
      // pyodide is loaded at run time from the copied files, never pre-bundled.
      return { optimizeDeps: { exclude: ['pyodide'] } };
    },
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0] ?? '';
        const prefix = (base.startsWith('/') ? base : '/') + 'pyodide/';
        const name = url.startsWith(prefix) ? url.slice(prefix.length) : url.startsWith('/pyodide/') ? url.slice(9) : null;
        if (name === null || !files.includes(name)) return next();
        const path = join(dir, name);
        const ext = name.slice(name.lastIndexOf('.'));
        res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(path).size));
        createReadStream(path).pipe(res);
      });
    },
    generateBundle() {
      for (const name of files) {
        this.emitFile({ type: 'asset', fileName: `pyodide/${name}`, source: readFileSync(join(dir, name)) });
      }
    },
  };
}

export default pyodidePlugin;
