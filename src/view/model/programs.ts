/**
 * The programs of a lesson at a moment: each one's process, its output so far, and the line it
 * is executing — from the trace's `line` events when it has them, else inferred from its
 * socket calls and prints (good for straight-line code and simple loops, marked as inferred).
 *
 * Pure: a function of the trace and the displayed sources. May not touch the DOM, Svelte or a clock.
 */
import type { Trace, TraceEvent } from '../../sim/trace.ts';
import { fileOfCmd } from './narration.ts';

export interface ProgramSource {
  host: string;
  file: string;
  source: string;
}

/** One entry of a program's line history: from time t it executes `line`; `hot` lists a compacted run's lines. */
export interface LineMark {
  t: number;
  line: number;
  hot?: number[];
}

export interface ProgramTrack {
  host: string;
  file: string;
  lines: string[];
  pid: number | null;
  start: number | null;
  exit: { t: number; status: number } | null;
  /** Indices of the program's `out` events. */
  output: number[];
  marks: LineMark[];
  /** True when the line marks were inferred from calls (no `line` events). */
  inferred: boolean;
}

export interface ProgramState {
  track: ProgramTrack;
  status: 'pending' | 'running' | 'exited';
  exitStatus: number | null;
  /** Output lines so far. */
  output: { stream: 'stdout' | 'stderr'; text: string }[];
  line: number | null;
  hot: number[];
}

function callPattern(fn: string): RegExp {
  if (fn === 'socket') return /\bsocket\s*\(/g;
  if (fn === 'sleep') return /\bsleep\s*\(/g;
  if (fn === 'unlink') return /\bunlink\s*\(/g;
  if (fn === 'gethostbyname' || fn === 'gethostname') return new RegExp(`\\b${fn}\\s*\\(`, 'g');
  return new RegExp(`\\.${fn}\\s*\\(`, 'g');
}

function code(line: string): string {
  // Strip a trailing comment (naively: not inside quotes).
  let q: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

type Action = { t: number; kind: 'call'; fn: string } | { t: number; kind: 'out' } | { t: number; kind: 'raise' };

/**
 * Infers the executing line from a program's calls, prints and exceptions: each action matches
 * the next source line (after the previous match, wrapping round for loops) that contains it;
 * an exception moves on to the next `except`.
 */
export function inferLines(lines: readonly string[], actions: readonly Action[]): LineMark[] {
  const src = lines.map(code);
  const marks: LineMark[] = [];
  let cur = -1;
  let col = 0;
  const find = (re: RegExp, wholeCurrentLine: boolean): boolean => {
    const n = src.length;
    for (let k = 0; k <= n; k++) {
      const li = k === 0 ? cur : (cur + k) % n;
      if (li < 0) continue;
      const text = src[li]!;
      re.lastIndex = k === 0 && !wholeCurrentLine ? col : 0;
      const m = re.exec(text);
      if (m) {
        cur = li;
        col = m.index + m[0].length;
        return true;
      }
    }
    return false;
  };
  for (const a of actions) {
    if (a.kind === 'raise') {
      for (let li = Math.max(cur, 0) + 1; li < src.length; li++) {
        if (/^\s*except\b/.test(src[li]!)) {
          cur = li;
          col = 0;
          marks.push({ t: a.t, line: li + 1 });
          break;
        }
      }
      continue;
    }
    const ok = a.kind === 'out' ? find(/\bprint\s*\(/g, true) : find(callPattern(a.fn), false);
    if (ok) marks.push({ t: a.t, line: cur + 1 });
  }
  return marks;
}

/**
 * Line marks from `line` events: the process's statements in its own file (lines it runs in a
 * module it imports from the host's directory are in another file, and numbered there).
 */
function lineEventMarks(events: readonly TraceEvent[], host: string, pid: number, file: string): LineMark[] {
  const marks: LineMark[] = [];
  for (const e of events) {
    if (e.k !== 'line' || e.host !== host || e.pid !== pid || e.file !== file) continue;
    if (e.lines) {
      // Of the lines started at one µs only the last is ever shown (programAt takes the last mark ≤ t):
      // keep one mark per time (a hot loop's step lists hundreds at the same µs).
      for (let i = 0; i < e.lines.length; i++) {
        const t = e.t + (e.at?.[i] ?? 0);
        const prev = marks[marks.length - 1];
        if (prev && prev.t === t && !prev.hot) prev.line = e.lines[i]!;
        else marks.push({ t, line: e.lines[i]! });
      }
    }
    if (e.run) {
      // During the run: the line it executes most (a loop's body), among the hot ones.
      marks.push({ t: e.t, line: e.run.top ?? e.run.set[0] ?? e.run.last, hot: e.run.set });
      marks.push({ t: e.t + e.run.dur, line: e.run.last });
    }
  }
  return marks.sort((a, b) => a.t - b.t);
}

/** Tracks each displayed program through the trace (matched by host and file name). */
export function trackPrograms(trace: Trace, sources: readonly ProgramSource[]): ProgramTrack[] {
  return sources.map((s) => {
    const track: ProgramTrack = { host: s.host, file: s.file, lines: s.source.replace(/\n$/, '').split('\n'), pid: null, start: null, exit: null, output: [], marks: [], inferred: false };
    const actions: Action[] = [];
    let hasLineEvents = false;
    trace.events.forEach((e, i) => {
      if (e.k === 'proc' && e.host === s.host && fileOfCmd(e.cmd) === s.file) {
        if (e.op === 'start' && track.pid === null) {
          track.pid = e.pid;
          track.start = e.t;
        } else if (e.op === 'exit' && e.pid === track.pid) track.exit = { t: e.t, status: e.status ?? 0 };
        return;
      }
      if (track.pid === null || !('host' in e) || e.host !== s.host || !('pid' in e) || e.pid !== track.pid) return;
      if (e.k === 'out') {
        track.output.push(i);
        actions.push({ t: e.t, kind: 'out' });
      } else if (e.k === 'call') actions.push({ t: e.t, kind: 'call', fn: e.fn });
      else if (e.k === 'ret' && e.error) actions.push({ t: e.t, kind: 'raise' });
      else if (e.k === 'line') hasLineEvents = true;
    });
    if (track.pid !== null) {
      if (hasLineEvents) track.marks = lineEventMarks(trace.events, s.host, track.pid, s.file);
      else {
        track.marks = inferLines(track.lines, actions);
        track.inferred = true;
      }
    }
    return track;
  });
}

/** The line a program is executing: what the Code view and the sandbox's editor mark. */
export interface Executing {
  /** The line being executed, or null before the program's first line and after it exits. */
  line: number | null;
  /** During a compacted run (a hot loop), every line the run visits; else empty. */
  hot: number[];
}

/** The line a tracked program is executing at time t: its latest line mark ≤ t, none once it has exited. */
export function lineAt(track: ProgramTrack, t: number): Executing {
  let lo = 0;
  let hi = track.marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (track.marks[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  const m = track.marks[lo - 1];
  const exited = track.exit !== null && track.exit.t <= t;
  return m && !exited ? { line: m.line, hot: m.hot ?? [] } : { line: null, hot: [] };
}

/**
 * The lines executing at time t in the program `file` on `host` (as tracked by trackPrograms),
 * or null when the trace has no such program.
 */
export function executingLines(tracks: readonly ProgramTrack[], host: string, file: string, t: number): Executing | null {
  const track = tracks.find((tr) => tr.host === host && tr.file === file);
  return track ? lineAt(track, t) : null;
}

/** A tracked program's state after the first `end` events, at time t. */
export function programAt(trace: Trace, track: ProgramTrack, t: number): ProgramState {
  const output: ProgramState['output'] = [];
  for (const i of track.output) {
    const e = trace.events[i]!;
    if (e.t > t) break;
    if (e.k === 'out') output.push({ stream: e.stream, text: e.text });
  }
  const { line, hot } = lineAt(track, t);
  const exited = track.exit !== null && track.exit.t <= t;
  const status = track.start === null || track.start > t ? 'pending' : exited ? 'exited' : 'running';
  return { track, status, exitStatus: exited ? track.exit!.status : null, output, line, hot };
}

/** Times at which any tracked program's line changes: the "by line" step marks. */
export function programLineMarks(tracks: readonly ProgramTrack[]): Float64Array {
  const ts = tracks.flatMap((tr) => tr.marks.map((m) => m.t)).sort((a, b) => a - b);
  return Float64Array.from(ts.filter((x, i) => i === 0 || x !== ts[i - 1]));
}
