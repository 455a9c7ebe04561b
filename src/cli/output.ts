/**
 * What `wirescope run` prints: every line the programs printed, prefixed with its host (and
 * program, when a host runs several), in virtual-time order. Pure: trace in, lines out.
 */
import type { Trace } from '../sim/trace.ts';

export function programOutput(trace: Trace): string[] {
  const procs = new Map<string, { host: string; cmd: string }>();
  const perHost = new Map<string, Set<string>>();
  for (const e of trace.events) {
    if (e.k === 'proc' && e.op === 'start') {
      procs.set(`${e.host}/${e.pid}`, { host: e.host, cmd: e.cmd });
      let s = perHost.get(e.host);
      if (!s) perHost.set(e.host, (s = new Set()));
      s.add(e.cmd);
    }
  }
  const lines: string[] = [];
  for (const e of trace.events) {
    if (e.k !== 'out') continue;
    const p = procs.get(`${e.host}/${e.pid}`);
    const several = (perHost.get(e.host)?.size ?? 0) > 1 || [...procs.values()].filter((x) => x.host === e.host).length > 1;
    const program = p ? p.cmd.split(' ').slice(1).find((w) => !w.startsWith('-')) ?? p.cmd : String(e.pid);
    const prefix = several ? `[${e.host}/${program}]` : `[${e.host}]`;
    lines.push(`${prefix} ${e.text}`);
  }
  return lines;
}

/**
 * Exit status: 1 when any of the scenario's programs ended with a non-zero status (an uncaught
 * exception). Their child processes do not count: a multiprocessing.Pool ends its workers with
 * SIGTERM (-15) and the program still exits 0, as with CPython.
 */
export function exitStatus(trace: Trace): number {
  for (const e of trace.events) if (e.k === 'proc' && e.op === 'exit' && e.ppid === 1 && e.status !== 0) return 1;
  return 0;
}
