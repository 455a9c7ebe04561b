/**
 * A scenario: a network, the programs each host runs, and a seed. Running one builds the
 * network, starts the programs at their times and runs the kernel until nothing is left to do.
 * Pure: the same scenario and seed give the same trace, byte for byte.
 */
import { Network, type NetworkSpec } from './network.ts';
import { ROOT, STUDENT } from './os/process.ts';
import type { ThreadBody } from './os/syscall.ts';
import type { Micros } from './time.ts';
import type { GilConfig } from './threads/config.ts';
import type { Trace } from './trace.ts';
import { programBody, type Program } from './api/pysocket.ts';

export interface ProgramSpec {
  host: string;
  /** File name shown in `ps` and output prefixes, e.g. "server.py". */
  file: string;
  /** Start time, µs after the scenario starts. */
  start?: Micros;
  /** Default: an unprivileged user ("student", uid 1000). */
  user?: 'root' | 'student';
  /** A TypeScript program, or any thread body (the Python runtime supplies its own). */
  program: Program | (() => ThreadBody);
  /** When `program` is a factory of thread bodies rather than a TS program. */
  kind?: 'ts' | 'body';
  args?: string[];
  /** A Python program: it runs under the host's thread scheduler and this GIL. */
  python?: { gil?: Partial<GilConfig> };
}

export interface Scenario {
  id: string;
  seed: number;
  network: NetworkSpec;
  programs: ProgramSpec[];
}

export interface RunOptions {
  seed?: number;
  /** Stop at this virtual time even if events remain. */
  until?: Micros;
  /** Stop after this many kernel events. */
  maxEvents?: number;
}

export interface RunResult {
  trace: Trace;
  network: Network;
}

/** Build the scenario's network and start its programs, without running. */
export function setUp(s: Scenario, seed = s.seed): Network {
  const net = new Network(s.network, seed);
  for (const p of s.programs) {
    const host = net.host(p.host);
    const body = p.kind === 'body' ? (p.program as () => ThreadBody)() : programBody(p.program as Program, p.file);
    const cmd = ['python3', p.file, ...(p.args ?? [])].join(' ');
    host.spawn(body, { user: p.user === 'root' ? ROOT : STUDENT, cmd, name: p.file, at: p.start ?? 0, ...(p.python ? { python: p.python } : {}) });
  }
  return net;
}

export function runScenario(s: Scenario, opts: RunOptions = {}): RunResult {
  const net = setUp(s, opts.seed ?? s.seed);
  const runOpts: { until?: Micros; maxEvents?: number } = {};
  if (opts.until !== undefined) runOpts.until = opts.until;
  if (opts.maxEvents !== undefined) runOpts.maxEvents = opts.maxEvents;
  return { trace: net.run(s.id, runOpts), network: net };
}
