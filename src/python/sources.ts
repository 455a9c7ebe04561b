// The wirescope Python package (src/python/py/wirescope/**/*.py) as strings, so it can be
// written into Pyodide's filesystem. Under Vite (dev server, build, Vitest) the files are
// bundled with import.meta.glob; under plain Node (the CLI runs with tsx, which knows no
// import.meta.glob) they are read from disk next to this module.

import type * as FsPromises from 'node:fs/promises';

export type PythonSources = Record<string, string>; // 'wirescope/runtime.py' -> source

export async function loadPythonSources(): Promise<PythonSources> {
  if (import.meta.env) {
    const files = import.meta.glob('./py/wirescope/**/*.py', {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    return rename(files);
  }
  return readFromDisk();
}

function rename(files: Record<string, string>): PythonSources {
  const out: PythonSources = {};
  for (const [path, text] of Object.entries(files)) {
    out[path.replace(/^\.\/py\//, '')] = text;
  }
  return out;
}

async function readFromDisk(): Promise<PythonSources> {
  // Hidden from bundlers: this branch only runs in Node.
  const fsName = 'node:fs/promises';
  const { readdir, readFile } = (await import(/* @vite-ignore */ fsName)) as typeof FsPromises;
  const root = new URL(/* @vite-ignore */ './py/', import.meta.url);
  const out: PythonSources = {};
  const walk = async (rel: string): Promise<void> => {
    for (const entry of (await readdir(new URL(rel, root), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) await walk(`${rel}${entry.name}/`);
      else if (entry.name.endsWith('.py')) out[`${rel}${entry.name}`] = await readFile(new URL(`${rel}${entry.name}`, root), 'utf8');
    }
  };
  await walk('wirescope/');
  return out;
}
