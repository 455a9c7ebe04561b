// Run a Python scenario (src/scenarios/load.ts) on the simulation: every program becomes a
// PythonProgram thread on its host, the programs' files are put in their hosts' directories
// (/sim/<host>/), and the kernel runs until nothing can happen any more.
//
// When does a run end? When the kernel has nothing left to do (every program finished or is
// blocked with no way to be woken), or -- with programs still alive -- when for `idleMicros`
// of virtual time (default 60 s) nothing happened but waits that found nothing: sleeps,
// select/accept/recv timeouts, non-blocking calls that would block (a polling loop such as
// socketserver's serve_forever). Programs still waiting then are reported as blocked, not
// as failures.
import { setUp, type ProgramSpec, type Scenario } from '../sim/scenario.ts';
import type { Micros } from '../sim/time.ts';
import type { Trace, TraceEvent } from '../sim/trace.ts';
import { DEFAULT_CPU } from '../sim/threads/config.ts';
import type { PythonScenario } from '../scenarios/load.ts';
import { PythonProgram, type ProgramState } from './program.ts';
import type { SimPython } from './simulated.ts';

export interface RunPythonOptions {
  seed?: number;
  /** Statements per program before it is stopped (default: the scenario's, else 50 million). */
  stepBudget?: number;
  /** Virtual cost of a statement, ns (default 12). */
  nsPerStatement?: number;
  /** Stop at this virtual time, µs. */
  until?: Micros;
  /** End a run whose live programs only poll after this long without activity, µs (default 60 s). */
  idleMicros?: Micros;
}

export interface ProgramOutcome {
  host: string;
  file: string;
  pid: number | undefined;
  /** exited: ended (status); blocked: still waiting when the run ended; not-started; running: stopped by `until`. */
  state: 'exited' | 'blocked' | 'not-started' | 'running';
  status?: number;
  /** Stopped by the step budget. */
  budget?: boolean;
  /** The call it was waiting in, when blocked. */
  waitingIn?: string;
  statements: number;
}

export interface PythonRunResult {
  trace: Trace;
  programs: ProgramOutcome[];
}

export const DEFAULT_IDLE: Micros = 60_000_000;
const SLICE: Micros = 1_000_000;

/** Waits that can end finding nothing: a false or null result is a timeout. */
const TIMED_WAITS = new Set(['lock_acquire', 'thread_join', 'process_join', 'mq_get']);

/** Does this event show the simulation doing something (not just a program polling)? */
export function isActivity(e: TraceEvent): boolean {
  // A thread waking up, taking the GIL and a core, or an event loop's pass is what a polling
  // program does too: only what it achieves counts.
  switch (e.k) {
    case 'line':
    case 'timer':
    case 'call':
    case 'thread':
    case 'gil':
    case 'core':
    case 'async':
    case 'tls':
      return false;
    case 'ret': {
      if (e.fn === 'sleep' || e.fn === 'note' || e.fn === 'switch_interval') return false;
      if (TIMED_WAITS.has(e.fn) && !e.error && (e.value === false || e.value === null)) return false;
      if (e.error) return !((e.error.type === 'TimeoutError' && e.error.errno === undefined) || e.error.errno === 11);
      if (e.fn === 'select') return (e.value as unknown[][]).some((l) => l.length > 0);
      return true;
    }
    default:
      return true;
  }
}

/** The absolute path of a scenario file in a host's directory. */
export function hostPath(py: SimPython, host: string, rel: string): string {
  return `${py.root}/${host}/${rel}`;
}

export function runPython(py: SimPython, s: PythonScenario, opts: RunPythonOptions = {}): PythonRunResult {
  const seed = opts.seed ?? s.seed;
  const files: Record<string, string> = {};
  const hosts = [...new Set(s.network.hosts.map((h) => h.name))];
  for (const h of hosts) for (const [rel, text] of Object.entries(s.files)) files[hostPath(py, h, rel)] = text;
  for (const p of s.programs) if (p.inline) files[hostPath(py, p.host, p.path)] = p.source;
  const bodies: (PythonProgram | undefined)[] = s.programs.map(() => undefined);
  const specs: ProgramSpec[] = s.programs.map((p, i) => {
    const path = hostPath(py, p.host, p.path);
    return {
      host: p.host,
      file: p.file,
      start: p.start,
      user: p.user,
      args: p.args,
      kind: 'body',
      python: { gil: s.python.gil },
      program: () =>
        (bodies[i] = new PythonProgram(py, {
          name: p.file,
          path,
          home: path.slice(0, path.lastIndexOf('/')),
          source: p.source,
          args: p.args,
          user: p.user,
          cores: s.network.hosts.find((h) => h.name === p.host)?.cores ?? DEFAULT_CPU.cores,
          version: s.python.version,
          startMethod: s.python.startMethod,
          ...(opts.stepBudget ?? s.stepBudget ? { stepBudget: opts.stepBudget ?? s.stepBudget } : {}),
          ...(opts.nsPerStatement !== undefined ? { nsPerStatement: opts.nsPerStatement } : {}),
        })),
    };
  });
  const scenario: Scenario = { id: s.id, seed, network: s.network, programs: specs };
  py.prepareFiles(files);
  // Last before the simulation starts: it empties the statement buffer, so nothing run outside the
  // programs (prepareFiles' shutil.rmtree of the previous run's files) is charged to them.
  py.beginRun(seed);
  const net = setUp(scenario, seed);
  const sim = net.sim;
  const idle = opts.idleMicros ?? DEFAULT_IDLE;
  const limit = opts.until ?? Number.POSITIVE_INFINITY;
  let scanned = 0;
  let lastActivity = 0;
  try {
    for (;;) {
      const outcome = sim.run({ until: Math.min(sim.now + SLICE, limit) });
      const events = sim.events;
      for (; scanned < events.length; scanned++) if (isActivity(events[scanned]!)) lastActivity = events[scanned]!.t;
      if (outcome === 'idle' || sim.now >= limit) break;
      const alive = bodies.some((b) => !b || b.state.kind !== 'exited');
      const pendingStart = s.programs.some((p, i) => p.start > sim.now && (!bodies[i] || bodies[i]!.state.kind === 'new'));
      if (alive && !pendingStart && sim.now - lastActivity >= idle) break;
    }
  } finally {
    py.endRun();
  }
  const trace: Trace = { meta: net.meta(s.id), events: sim.events, end: sim.now };
  const programs: ProgramOutcome[] = s.programs.map((p, i) => {
    const b = bodies[i];
    const st: ProgramState = b?.state ?? { kind: 'new' };
    const pid = b?.pid;
    const base = { host: p.host, file: p.file, pid, statements: b?.statements ?? 0 };
    switch (st.kind) {
      case 'exited':
        return { ...base, state: 'exited', status: st.status, ...(st.budget ? { budget: true } : {}) };
      case 'waiting':
        return { ...base, state: 'blocked', waitingIn: st.fn };
      case 'new':
        return { ...base, state: 'not-started' };
      default:
        return { ...base, state: 'running' };
    }
  });
  return { trace, programs };
}
