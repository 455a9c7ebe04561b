/**
 * What the sandbox's editor marks of the shown run: for the program open in it, the line(s) the
 * run is executing at the player's time — the same lines the player's Code view marks
 * (executingLines, src/view/model/programs.ts) — as long as the editor still holds the code that
 * ran.
 *
 * Pure: data in, data out. May not touch the DOM, Svelte, storage or a clock.
 */
import { executingLines, type Executing, type ProgramTrack } from '../../model/programs.ts';
import type { SandboxDoc } from './doc.ts';

export type RunLines =
  /** The run did not include this program (added since, or no run shown). */
  | { kind: 'none' }
  /** The program's code was edited after the run: its line numbers may no longer fit. */
  | { kind: 'stale' }
  | ({ kind: 'lines' } & Executing);

/** The shown run: the document as it was run (keys as in the edited document) and its programs tracked through the trace. */
export interface ShownRun {
  doc: SandboxDoc;
  tracks: readonly ProgramTrack[];
}

/**
 * The lines of program `programKey` on host `hostKey`, whose editor now holds `code`, that the
 * shown run executes at time t.
 *
 * Once the code differs from the code that ran, nothing is marked (`stale`) rather than the
 * run's line numbers: after an edit above it, line 7 of the run is line 8 of the editor, and a
 * student looking at the editor reads a mark as "this line of my code runs now", so a mark on
 * the wrong line teaches the wrong thing. The player's Code view still shows the code as it ran
 * with its line; running again brings the mark back, and so does undoing the edit.
 * The program is found by its keys, so renaming it (or its host) after the run keeps the mark.
 */
export function runLines(run: ShownRun | null, hostKey: number, programKey: number, code: string, t: number): RunLines {
  const host = run?.doc.hosts.find((h) => h.key === hostKey);
  const program = host?.programs.find((p) => p.key === programKey);
  if (!run || !host || !program) return { kind: 'none' };
  if (program.code !== code) return { kind: 'stale' };
  const lines = executingLines(run.tracks, host.name, program.name, t);
  return lines ? { kind: 'lines', ...lines } : { kind: 'none' };
}
