/**
 * What a lesson is: metadata in both languages, a scenario (TypeScript programs that mirror the
 * Python they display, statement for statement), the Python sources shown beside them, and the
 * views it puts first. Pure data; see docs/lessons.md for how to add one.
 */
import type { Scenario } from '../sim/scenario.ts';
import type { TraceEvent } from '../sim/trace.ts';

/** The views of the player, by id. */
export type ViewId = 'stack' | 'packet' | 'sockets' | 'ports' | 'tcp' | 'ip' | 'code' | 'log';
export const VIEW_IDS: readonly ViewId[] = ['stack', 'code', 'packet', 'sockets', 'ports', 'tcp', 'ip', 'log'];

/** Text in every UI language. */
export interface Text {
  en: string;
  zh: string;
}

export interface LessonSource {
  host: string;
  /** File name, as the scenario's program spec names it ("server.py"). */
  file: string;
  /** The Python program the TypeScript one mirrors. */
  source: string;
}

/** A remark the narration adds at the step where an event matching `match` happens. */
export interface LessonNote {
  match: (e: TraceEvent) => boolean;
  text: Text;
}

export interface Lesson {
  /** URL id: lowercase letters, digits and dashes. */
  id: string;
  title: Text;
  /** One line for the lesson list. */
  summary: Text;
  /** A short introduction, shown above the player (paragraphs separated by blank lines). */
  intro: Text;
  scenario: Scenario;
  sources: LessonSource[];
  /** The views this lesson emphasises, most important first (the first side view opens by default). */
  views: ViewId[];
  notes?: LessonNote[];
  /** Not listed (benchmarks, tests); still reachable by URL. */
  hidden?: boolean;
}
