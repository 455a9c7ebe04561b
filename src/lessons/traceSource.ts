/**
 * Where a lesson's trace comes from: the stored run of its Python (src/lessons/traces/<id>.json,
 * written by `npm run lessons`). Under Vite (the site, Vitest) each trace is its own lazily
 * loaded chunk, so opening a lesson fetches and parses one small file and never starts Python;
 * under plain Node (tsx scripts: screenshots, benchmarks) the file is read from disk.
 */
import type * as FsPromises from 'node:fs/promises';
import type { Trace } from '../sim/trace.ts';
import type { Lesson } from './lesson.ts';
import { decodeTrace, type StoredTrace } from './traceFile.ts';

type Loader = () => Promise<string>;

function viteLoaders(): Record<string, Loader> | null {
  if (!import.meta.env) return null;
  const files = import.meta.glob<string>('./traces/*.json', { query: '?raw', import: 'default' });
  const out: Record<string, Loader> = {};
  for (const [path, load] of Object.entries(files)) out[path.replace(/^\.\/traces\//, '').replace(/\.json$/, '')] = load;
  return out;
}

const loaders = viteLoaders();

/** The stored trace text of lesson `id`, or undefined when there is none. */
export async function storedTraceText(id: string): Promise<string | undefined> {
  if (loaders) return loaders[id]?.();
  // Hidden from bundlers: this branch only runs in Node.
  const fsName = 'node:fs/promises';
  const { readFile } = (await import(/* @vite-ignore */ fsName)) as typeof FsPromises;
  try {
    return await readFile(new URL(/* @vite-ignore */ `./traces/${id}.json`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

export async function loadStoredTrace(id: string): Promise<StoredTrace> {
  const text = await storedTraceText(id);
  if (text === undefined) throw new Error(`no stored trace for lesson “${id}” (run npm run lessons)`);
  return decodeTrace(text);
}

export async function loadLessonTrace(lesson: Lesson): Promise<Trace> {
  return (await loadStoredTrace(lesson.id)).trace;
}
