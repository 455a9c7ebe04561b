/**
 * What a run of the sandbox came to, in terms of its programs: the result of
 * runPythonScenario (src/python/sandbox.ts) with each problem placed on its program and line —
 * a syntax error, an uncaught exception's innermost frame in the program's own file, the line a
 * runaway loop was on when the step budget stopped it — and the validator's messages with
 * their paths.
 *
 * Pure: data in, data out. May not touch the DOM, Svelte, storage or a clock.
 */
import type { SandboxResult } from '../../../python/sandbox-protocol.ts';
import type { ProgramOutcome } from '../../../python/run.ts';
import type { Trace } from '../../../sim/trace.ts';
import { fileOfCmd } from '../../model/narration.ts';
import { splitProblem, type SandboxDoc } from './doc.ts';

export interface Diagnostic {
  /** The program, by its keys in the document (null when it could not be told). */
  hostKey: number | null;
  programKey: number | null;
  host: string;
  file: string;
  /** 1-based line in the program, when known. */
  line: number | null;
  /** 1-based column (syntax errors: where CPython's caret points). */
  col: number | null;
  kind: 'syntax' | 'exception' | 'budget';
  /** The last line of the traceback ("ZeroDivisionError: division by zero"), or the budget message. */
  summary: string;
  /** The whole text to show (traceback). */
  text: string;
}

export type Outcome =
  | { kind: 'ran'; trace: Trace; output: string[]; status: 0 | 1; programs: ProgramOutcome[]; diagnostics: Diagnostic[] }
  | { kind: 'syntax'; diagnostics: Diagnostic[] }
  | { kind: 'invalid'; problems: { path: string; text: string }[] }
  | { kind: 'timeout' | 'crash'; message: string };

/** The program called `file` on `host` (or, given only a file name, the one whose line `line` reads `quoted`). */
function findProgram(doc: SandboxDoc, file: string, host: string | null, line: number | null, quoted: string | null): { hostKey: number; programKey: number; host: string } | null {
  const hits: { hostKey: number; programKey: number; host: string; code: string }[] = [];
  for (const h of doc.hosts) {
    if (host !== null && h.name !== host) continue;
    for (const p of h.programs) if (p.name === file) hits.push({ hostKey: h.key, programKey: p.key, host: h.name, code: p.code });
  }
  if (hits.length > 1 && line !== null && quoted !== null) {
    const same = hits.filter((x) => (x.code.split('\n')[line - 1] ?? '').trim() === quoted.trim());
    if (same.length > 0) return same[0]!;
  }
  return hits[0] ?? null;
}

/** "client.py has a syntax error:\n  File "client.py", line 3\n    print("x"\n         ^\nSyntaxError: …" → a diagnostic. */
export function syntaxDiagnostic(message: string, doc: SandboxDoc): Diagnostic {
  const head = /^(.*?) has a syntax error:\n/.exec(message);
  const body = head ? message.slice(head[0].length) : message;
  const lines = body.split('\n');
  const where = /File "([^"]*)", line (\d+)/.exec(body);
  const file = where ? where[1]!.slice(where[1]!.lastIndexOf('/') + 1) : (head?.[1] ?? '');
  const line = where ? Number(where[2]) : null;
  const at = where ? lines.findIndex((l) => l.includes(where[0])) : -1;
  const quoted = at >= 0 ? (lines[at + 1] ?? null) : null;
  const caretLine = at >= 0 ? lines.slice(at + 2).find((l) => /^\s*\^+\s*$/.test(l)) : undefined;
  let col: number | null = null;
  if (quoted !== null && caretLine !== undefined) {
    // CPython prints the line with its indentation removed, then four spaces: the caret's offset counts from there.
    const indent = (doc.hosts.flatMap((h) => h.programs).find((p) => p.name === file)?.code.split('\n')[(line ?? 1) - 1] ?? '').match(/^\s*/)![0].length;
    col = caretLine.indexOf('^') - (quoted.length - quoted.trimStart().length) + indent + 1;
  }
  const found = findProgram(doc, file, null, line, quoted);
  return {
    hostKey: found?.hostKey ?? null,
    programKey: found?.programKey ?? null,
    host: found?.host ?? '',
    file,
    line,
    col: col !== null && col > 0 ? col : null,
    kind: 'syntax',
    summary: lines.filter((l) => l.trim()).at(-1) ?? message,
    text: body.trimEnd(),
  };
}

/** Each program's stderr lines, by "host/pid", and its file. */
function stderrByProgram(trace: Trace): Map<string, { host: string; file: string; lines: string[] }> {
  const out = new Map<string, { host: string; file: string; lines: string[] }>();
  for (const e of trace.events) {
    if (e.k === 'proc' && e.op === 'start') out.set(`${e.host}/${e.pid}`, { host: e.host, file: fileOfCmd(e.cmd), lines: [] });
    else if (e.k === 'out' && e.stream === 'stderr') out.get(`${e.host}/${e.pid}`)?.lines.push(e.text);
  }
  return out;
}

/**
 * The last traceback in a program's stderr: its text, last line, and the innermost frame in the
 * program's own file (`/sim/<host>/<file>`), which is the line to highlight.
 */
export function parseTraceback(lines: readonly string[], host: string, file: string): { text: string; summary: string; line: number | null } | null {
  const start = lines.findLastIndex((l) => l.startsWith('Traceback (most recent call last):'));
  if (start < 0) return null;
  let end = lines.length;
  // The traceback ends at its exception line: the first unindented line after the frames.
  for (let i = start + 1; i < lines.length; i++) {
    if (!/^\s/.test(lines[i]!) && !lines[i]!.startsWith('During handling') && !lines[i]!.startsWith('The above exception') && lines[i] !== '') {
      end = i + 1;
      break;
    }
  }
  const tb = lines.slice(start, end);
  let line: number | null = null;
  const own = new RegExp(`File "(?:/sim/${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/)?${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}", line (\\d+)`);
  for (const l of tb) {
    const m = own.exec(l);
    if (m) line = Number(m[1]);
  }
  return { text: tb.join('\n'), summary: tb.at(-1) ?? '', line };
}

/** The line a program was executing last (its last `line` event), for a program stopped by the step budget. */
export function lastLine(trace: Trace, host: string, pid: number): number | null {
  for (let i = trace.events.length - 1; i >= 0; i--) {
    const e = trace.events[i]!;
    if (e.k === 'line' && e.host === host && e.pid === pid) return e.run ? e.run.last : (e.lines?.at(-1) ?? null);
  }
  return null;
}

/** The outcome of a run, its problems placed on the document's programs. */
export function outcomeOf(result: SandboxResult, doc: SandboxDoc): Outcome {
  if (!result.ok) {
    if (result.kind === 'syntax') return { kind: 'syntax', diagnostics: result.errors.map((m) => syntaxDiagnostic(m, doc)) };
    if (result.kind === 'invalid') return { kind: 'invalid', problems: result.errors.map(splitProblem) };
    return { kind: result.kind, message: result.errors.join('\n') };
  }
  const diagnostics: Diagnostic[] = [];
  const stderr = stderrByProgram(result.trace);
  for (const p of result.programs) {
    if (p.pid === undefined) continue;
    const found = findProgram(doc, p.file, p.host, null, null);
    const base = { hostKey: found?.hostKey ?? null, programKey: found?.programKey ?? null, host: p.host, file: p.file, col: null };
    const err = stderr.get(`${p.host}/${p.pid}`)?.lines ?? [];
    if (p.budget) {
      const msg = err.findLast((l) => l.startsWith('wirescope: ')) ?? '';
      diagnostics.push({ ...base, line: lastLine(result.trace, p.host, p.pid), kind: 'budget', summary: msg, text: msg });
      continue;
    }
    if (p.state === 'exited' && p.status !== 0) {
      const tb = parseTraceback(err, p.host, p.file);
      if (tb) diagnostics.push({ ...base, line: tb.line, kind: 'exception', summary: tb.summary, text: tb.text });
    }
  }
  return { kind: 'ran', trace: result.trace, output: result.output, status: result.status, programs: result.programs, diagnostics };
}
