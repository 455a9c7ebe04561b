/**
 * What a lesson is: metadata in both languages, the Python programs it displays and runs, the
 * scenario that runs them (a scenario file, docs/scenario.md), the views it puts first, and
 * remarks for the narration. Pure data; see docs/lessons.md for how to add one.
 *
 * The trace is not here: `npm run lessons` runs the scenario's Python with the real runtime
 * (src/python/run.ts) and stores the trace in src/lessons/traces/<id>.json, which the site
 * loads (src/lessons/traceSource.ts); tests/lessons/traces.test.ts checks the stored traces
 * are exactly what the programs do today.
 */
import type { ScenarioFile } from '../scenarios/load-schema.ts';
import type { TraceEvent } from '../sim/trace.ts';

/** The views of the player, by id. */
export type ViewId = 'stack' | 'packet' | 'sockets' | 'ports' | 'tcp' | 'ip' | 'code' | 'log' | 'threads';
export const VIEW_IDS: readonly ViewId[] = ['stack', 'code', 'packet', 'sockets', 'ports', 'tcp', 'ip', 'log', 'threads'];

/** Text in every UI language. */
export interface Text {
  en: string;
  zh: string;
}

export interface LessonSource {
  host: string;
  /** File name, as the scenario's program names it ("server.py"). */
  file: string;
  /** The Python program. */
  source: string;
}

/** A remark the narration adds at the step where an event matching `match` happens. */
export interface LessonNote {
  match: (e: TraceEvent) => boolean;
  text: Text;
}

/** A scenario file whose programs are all `path`s naming the lesson's `files`. */
export type LessonScenario = Omit<ScenarioFile, 'hosts'> & {
  hosts: (Omit<ScenarioFile['hosts'][number], 'programs'> & {
    programs?: { path: string; start_ms?: number; user?: 'root' | 'student'; args?: (string | number)[] }[];
  })[];
};

/** What a catalogue file writes. */
export interface LessonDef {
  /** URL id: lowercase letters, digits and dashes. */
  id: string;
  title: Text;
  /** One line for the lesson list. */
  summary: Text;
  /** A short introduction, shown above the player (paragraphs separated by blank lines). */
  intro: Text;
  /** The Python programs, by path (the order is the order the Code view shows them in). */
  files: Record<string, string>;
  /** Which hosts run which files, the link, cores and the GIL: a scenario file (docs/scenario.md). */
  scenario: LessonScenario;
  /**
   * The views this lesson emphasises, most important first (the first side view opens by
   * default). A lesson that puts 'threads' first shows the threads view where the layer stacks
   * would be.
   */
  views: ViewId[];
  notes?: LessonNote[];
  /** Not listed (benchmarks, tests); still reachable by URL. */
  hidden?: boolean;
}

export interface Lesson extends LessonDef {
  /** Each displayed program once per host that runs it, in the order of `files`. */
  sources: LessonSource[];
}

/** The programs a lesson displays: each file once per host that runs it. */
export function lessonSources(def: LessonDef): LessonSource[] {
  const out: LessonSource[] = [];
  for (const [path, source] of Object.entries(def.files)) {
    for (const h of def.scenario.hosts) {
      if ((h.programs ?? []).some((p) => p.path === path)) out.push({ host: h.name, file: path.slice(path.lastIndexOf('/') + 1), source });
    }
  }
  return out;
}

export function defineLesson(def: LessonDef): Lesson {
  return { ...def, sources: lessonSources(def) };
}

/** A short hash of what a lesson runs (its scenario and files): stored with its trace, to tell a stale trace at once. */
export function lessonInputsHash(def: Pick<LessonDef, 'scenario' | 'files'>): string {
  const text = JSON.stringify([def.scenario, Object.entries(def.files)]);
  // FNV-1a, 2 × 32 bits (two offsets), as 16 hex digits: not cryptographic, just a fingerprint.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
