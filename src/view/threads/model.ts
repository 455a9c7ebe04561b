/**
 * The threads view's model: from a trace's `thread`, `gil` and `core` events, one lane per
 * Python thread (its state over time, its failed GIL acquisitions, the drop requests it made,
 * its forced hand-offs), one lane per CPU core (which thread runs) and one lane per process's
 * GIL (which thread holds it). Built once per trace; everything the view draws at a time or
 * over a window is a query on it (columns.ts, counts.ts).
 *
 * Pure: a function of the trace. May not touch the DOM, Svelte or a clock.
 */
import type { ThreadEvent, Trace } from '../../sim/trace.ts';

export type ThreadState = ThreadEvent['state'];

/** A stretch of time [from, to) with a value. */
export interface Seg<V> {
  from: number;
  to: number;
  v: V;
}

export interface ThreadLane {
  /** "host/pid/tid" */
  id: string;
  host: string;
  pid: number;
  tid: number;
  /** threading's name: "MainThread", "Thread-1 (count)". */
  name: string;
  /** The program (from its process's command line). */
  file: string;
  /** 1, 2, 3… in order of appearance on its host: the thread's mark in the core and GIL lanes. */
  n: number;
  /** Its states while it exists (never `new` or `done`). */
  segs: Seg<ThreadState>[];
  /** Times it woke for the GIL and found it taken again (the old GIL's battle). */
  failed: number[];
  /** Times it, waiting, asked the holder to drop the GIL (new GIL, after a switch interval). */
  drops: number[];
  /** Times it was forced to hand the GIL over (a drop request honoured). */
  handoffs: number[];
  /** When it was started (its first state after `new`), and when it finished (null: still alive at the end). */
  start: number;
  done: number | null;
}

export interface CoreLane {
  /** "host/core" */
  id: string;
  host: string;
  core: number;
  /** Which thread (ThreadLane id) runs; idle stretches are left out. */
  segs: Seg<string>[];
}

export interface GilLane {
  /** "host/pid" */
  id: string;
  host: string;
  pid: number;
  file: string;
  /** Which thread holds the GIL; free stretches are left out. */
  segs: Seg<string>[];
  /** Times the GIL changed hands (a take by another thread than the last holder). */
  switches: number[];
  /** Failed acquisitions and drop requests on this GIL, by time. */
  failed: number[];
  drops: number[];
}

export interface HostThreads {
  host: string;
  threads: ThreadLane[];
  cores: CoreLane[];
  gils: GilLane[];
}

export interface ThreadsModel {
  hosts: HostThreads[];
  threads: Map<string, ThreadLane>;
  /** From the first thread event to the end of the last thread (or of the trace). */
  span: [number, number];
  end: number;
  /** Is there something to show: two or more threads on a host, or threading.local/asyncio events. */
  shown: boolean;
}

export const threadId = (host: string, pid: number, tid: number): string => `${host}/${pid}/${tid}`;

/** Program file from a ps command line: "python3 server.py --x" → "server.py". */
function fileOf(cmd: string): string {
  const parts = cmd.split(/\s+/);
  return parts[0]?.startsWith('python') ? (parts[1] ?? cmd) : (parts[0] ?? cmd);
}

/** Appends [from, to) with value v, merging with the previous segment when it has the same value and touches. */
function push<V>(segs: Seg<V>[], from: number, to: number, v: V): void {
  if (to <= from) return;
  const last = segs[segs.length - 1];
  if (last && last.v === v && last.to === from) last.to = to;
  else segs.push({ from, to, v });
}

const models = new WeakMap<Trace, ThreadsModel>();

/** The model of a trace, built once per trace (the view, the narration and the tab test share it). */
export function threadsModel(trace: Trace): ThreadsModel {
  let m = models.get(trace);
  if (!m) models.set(trace, (m = buildThreadsModel(trace)));
  return m;
}

function buildThreadsModel(trace: Trace): ThreadsModel {
  const threads = new Map<string, ThreadLane>();
  const cores = new Map<string, CoreLane>();
  const gils = new Map<string, GilLane>();
  const files = new Map<string, string>();
  /** Open stretches: thread → [since, state]; core → [since, thread]; gil → [since, thread]. */
  const openThread = new Map<string, [number, ThreadState]>();
  const openCore = new Map<string, [number, string]>();
  const openGil = new Map<string, [number, string]>();
  const lastHolder = new Map<string, number>();
  const perHost = new Map<string, number>();
  /** Per thread, the stretches it spent inside kernel calls (call → ret). */
  const inCalls = new Map<string, [number, number][]>();
  const openCalls = new Map<number, [string, number]>();
  let first = Infinity;
  let tlsOrAsync = false;

  const gilLane = (host: string, pid: number): GilLane => {
    const id = `${host}/${pid}`;
    let g = gils.get(id);
    if (!g) gils.set(id, (g = { id, host, pid, file: files.get(id) ?? `pid ${pid}`, segs: [], switches: [], failed: [], drops: [] }));
    return g;
  };

  for (const e of trace.events) {
    switch (e.k) {
      case 'proc':
        if (e.op === 'start') files.set(`${e.host}/${e.pid}`, fileOf(e.cmd));
        break;
      case 'thread': {
        const id = threadId(e.host, e.pid, e.tid);
        let lane = threads.get(id);
        if (!lane) {
          const n = (perHost.get(e.host) ?? 0) + 1;
          perHost.set(e.host, n);
          lane = { id, host: e.host, pid: e.pid, tid: e.tid, name: e.name, file: files.get(`${e.host}/${e.pid}`) ?? '', n, segs: [], failed: [], drops: [], handoffs: [], start: e.t, done: null };
          threads.set(id, lane);
        }
        lane.name = e.name;
        if (!lane.file) lane.file = files.get(`${e.host}/${e.pid}`) ?? '';
        const open = openThread.get(id);
        if (open) push(lane.segs, open[0], e.t, open[1]);
        if (e.state === 'new') {
          openThread.delete(id);
          break;
        }
        if (lane.segs.length === 0 && !open) lane.start = e.t;
        first = Math.min(first, e.t);
        if (e.state === 'done') {
          lane.done = e.t;
          openThread.delete(id);
        } else {
          if (e.state === 'handoff' && open?.[1] !== 'handoff') lane.handoffs.push(e.t);
          openThread.set(id, [e.t, e.state]);
        }
        break;
      }
      case 'core': {
        const id = `${e.host}/${e.core}`;
        let lane = cores.get(id);
        if (!lane) cores.set(id, (lane = { id, host: e.host, core: e.core, segs: [] }));
        const open = openCore.get(id);
        if (open) push(lane.segs, open[0], e.t, open[1]);
        if (e.tid === null || e.pid === null) openCore.delete(id);
        else openCore.set(id, [e.t, threadId(e.host, e.pid, e.tid)]);
        break;
      }
      case 'gil': {
        const g = gilLane(e.host, e.pid);
        const holder = threadId(e.host, e.pid, e.tid);
        if (e.op === 'take') {
          const open = openGil.get(g.id);
          if (open) push(g.segs, open[0], e.t, open[1]);
          const prev = lastHolder.get(g.id);
          if (prev !== undefined && prev !== e.tid) g.switches.push(e.t);
          lastHolder.set(g.id, e.tid);
          openGil.set(g.id, [e.t, holder]);
        } else if (e.op === 'release') {
          const open = openGil.get(g.id);
          if (open) push(g.segs, open[0], e.t, open[1]);
          openGil.delete(g.id);
        } else if (e.op === 'failed') {
          g.failed.push(e.t);
          threads.get(holder)?.failed.push(e.t);
        } else if (e.op === 'drop-request') {
          g.drops.push(e.t);
          threads.get(holder)?.drops.push(e.t);
        }
        break;
      }
      case 'tls':
      case 'async':
        tlsOrAsync = true;
        break;
      case 'call':
        openCalls.set(e.id, [threadId(e.host, e.pid, e.tid), e.t]);
        break;
      case 'ret': {
        const c = openCalls.get(e.id);
        if (!c) break;
        openCalls.delete(e.id);
        if (e.t > c[1]) {
          let l = inCalls.get(c[0]);
          if (!l) inCalls.set(c[0], (l = []));
          l.push([c[1], e.t]);
        }
        break;
      }
      default:
        break;
    }
  }
  // Calls still waiting when the run ended (a server blocked in accept()).
  for (const [id, since] of openCalls.values()) {
    let l = inCalls.get(id);
    if (!l) inCalls.set(id, (l = []));
    l.push([since, trace.end]);
  }
  const end = trace.end;
  for (const [id, [since, state]] of openThread) push(threads.get(id)!.segs, since, end, state);
  for (const [id, [since, who]] of openCore) push(cores.get(id)!.segs, since, end, who);
  for (const [id, [since, who]] of openGil) push(gils.get(id)!.segs, since, end, who);
  // A thread waiting inside a kernel call runs no Python, whatever its state says (the free-threaded
  // model does not record blocked-io for a blocking call): draw it as blocked.
  for (const [id, calls] of inCalls) {
    const lane = threads.get(id);
    if (lane) lane.segs = blockDuring(lane.segs, calls.sort((a, b) => a[0] - b[0]));
  }
  // Files of GILs seen before their process's start event.
  for (const g of gils.values()) g.file = files.get(g.id) ?? g.file;

  const hostNames = trace.meta.hosts.map((h) => h.name);
  const hosts: HostThreads[] = [];
  for (const host of hostNames) {
    const ts = [...threads.values()].filter((t) => t.host === host && t.segs.length > 0);
    if (ts.length === 0) continue;
    hosts.push({
      host,
      threads: ts,
      cores: [...cores.values()].filter((c) => c.host === host).sort((a, b) => a.core - b.core),
      gils: [...gils.values()].filter((g) => g.host === host && g.segs.length > 0),
    });
  }
  let last = 0;
  for (const t of threads.values()) last = Math.max(last, t.done ?? end);
  const shown = tlsOrAsync || hosts.some((h) => h.threads.length >= 2);
  return { hosts, threads, span: [first === Infinity ? 0 : first, Math.max(last, first === Infinity ? 0 : first)], end, shown };
}

/** `segs` with every `running-py` stretch inside one of the sorted `calls` intervals made `blocked-io`. */
export function blockDuring(segs: readonly Seg<ThreadState>[], calls: readonly [number, number][]): Seg<ThreadState>[] {
  const out: Seg<ThreadState>[] = [];
  let c = 0;
  for (const s of segs) {
    if (s.v !== 'running-py') {
      push(out, s.from, s.to, s.v);
      continue;
    }
    let at = s.from;
    while (c < calls.length && calls[c]![1] <= at) c++;
    for (let k = c; k < calls.length && calls[k]![0] < s.to; k++) {
      const [a, b] = calls[k]!;
      if (a > at) push(out, at, a, 'running-py');
      const from = Math.max(a, at);
      const to = Math.min(b, s.to);
      if (to > from) push(out, from, to, 'blocked-io');
      at = Math.max(at, to);
    }
    push(out, at, s.to, 'running-py');
  }
  return out;
}

/** Does this trace have anything for the threads view (and so a Threads tab)? */
export function hasThreadsView(trace: Trace): boolean {
  const count = new Map<string, Set<string>>();
  for (const e of trace.events) {
    if (e.k === 'tls' || e.k === 'async') return true;
    if (e.k !== 'thread' || e.state === 'new') continue;
    let s = count.get(e.host);
    if (!s) count.set(e.host, (s = new Set()));
    s.add(`${e.pid}/${e.tid}`);
    if (s.size >= 2) return true;
  }
  return false;
}

/** Index of the segment holding t (from ≤ t < to), or -1. Segments are sorted and disjoint. */
export function segAt<V>(segs: readonly Seg<V>[], t: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.to <= t) lo = mid + 1;
    else hi = mid;
  }
  const s = segs[lo];
  return s && s.from <= t ? lo : -1;
}

/** A thread's state at time t: its segment's, `new` before it started, `done` after it finished. */
export function stateAt(lane: ThreadLane, t: number): ThreadState {
  const i = segAt(lane.segs, t);
  if (i >= 0) return lane.segs[i]!.v;
  if (t < lane.start) return 'new';
  return 'done';
}

/** Which thread (id) a core runs, or the GIL's holder, at time t (null: idle / free). */
export function holderAt(segs: readonly Seg<string>[], t: number): string | null {
  const i = segAt(segs, t);
  return i >= 0 ? segs[i]!.v : null;
}
