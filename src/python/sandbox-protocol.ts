// Messages between the page (src/python/sandbox.ts) and the Python worker (src/python/worker.ts).
import type { ProgramOutcome } from './run.ts';
import type { Trace } from '../sim/trace.ts';

export interface SandboxRequest {
  /** The scenario: JSON text or the parsed object (docs/scenario.md). */
  scenario: string | object;
  /** The programs' files by path relative to the scenario ("server.py" -> source). */
  files?: Record<string, string>;
  /** Overrides. */
  seed?: number;
  stepBudget?: number;
  /** Stop at this virtual time, seconds. */
  untilSeconds?: number;
}

export type SandboxResult =
  /** The run happened (programs may still have failed: see `programs` and `status`). */
  | {
      ok: true;
      trace: Trace;
      programs: ProgramOutcome[];
      /** What `wirescope run` prints: "[host] line", in virtual-time order. */
      output: string[];
      /** 0 when every program ended normally, 1 otherwise (as the CLI's exit status). */
      status: 0 | 1;
    }
  /** Nothing ran: the scenario or a program is malformed, or the run was stopped. */
  | { ok: false; kind: 'invalid' | 'syntax' | 'timeout' | 'crash'; errors: string[] };

export type ToWorker = { id: number; request: SandboxRequest; indexURL: string };
export type FromWorker = { id: number; result: SandboxResult } | { id: number; ready: true };
