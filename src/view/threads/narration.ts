/**
 * Sentences for the thread events of a step (`thread`, `gil`, `tls`, `async`), for the player's
 * narration (src/view/model/narration.ts asks for them): who takes the GIL, who waits, drop
 * requests and forced hand-offs, failed acquisitions, thread-local values, event-loop passes
 * and tasks, and at the first step the programs that will start later. Traces with one thread
 * per host (the networking lessons) get no GIL sentences: their GIL traffic around every call
 * is left unsaid.
 *
 * Pure: a function of the trace, the step's events and a translator. May not touch the DOM,
 * Svelte or a clock.
 */
import type { ThreadEvent, Trace, TraceEvent } from '../../sim/trace.ts';
import { formatDuration, type Translate } from '../i18n/translate.ts';
import { holderAt, threadId, threadsModel, type ThreadLane, type ThreadsModel } from './model.ts';
import { threadsTranslator } from './messages.ts';

interface Context {
  model: ThreadsModel;
  procStart: Map<string, { t: number; ppid: number; file: string }>;
  /** Per event-loop thread, the times of its passes (to number them). */
  passes: Map<string, number[]>;
}

const contexts = new WeakMap<Trace, Context>();

function context(trace: Trace): Context {
  let c = contexts.get(trace);
  if (!c) {
    const procStart = new Map<string, { t: number; ppid: number; file: string }>();
    const passes = new Map<string, number[]>();
    for (const e of trace.events) {
      if (e.k === 'proc' && e.op === 'start') {
        const parts = e.cmd.split(/\s+/);
        procStart.set(`${e.host}/${e.pid}`, { t: e.t, ppid: e.ppid, file: parts[0]?.startsWith('python') ? (parts[1] ?? e.cmd) : (parts[0] ?? e.cmd) });
      } else if (e.k === 'async' && e.op === 'pass') {
        const id = threadId(e.host, e.pid, e.tid);
        let l = passes.get(id);
        if (!l) passes.set(id, (l = []));
        l.push(e.t);
      }
    }
    c = { model: threadsModel(trace), procStart, passes };
    contexts.set(trace, c);
  }
  return c;
}

/** For the trace's first step: each of the scenario's programs that starts later ("Host client will start client.py at 200 ms."). */
export function scheduledSentences(trace: Trace, t: number, tr: Translate): [number, string][] {
  const tt = threadsTranslator(tr.lang);
  return [...context(trace).procStart.entries()]
    .filter(([, p]) => p.ppid === 1 && p.t > t)
    .map(([key, p]) => [3, tt('narr.scheduled', { host: tr.host(key.slice(0, key.lastIndexOf('/'))), file: p.file, time: formatDuration(p.t, tr) })]);
}

/** A thread's name, with its pid when another thread on its host has the same name. */
export function threadName(model: ThreadsModel, lane: ThreadLane | undefined, fallback = '?'): string {
  if (!lane) return fallback;
  const same = [...model.threads.values()].filter((l) => l.host === lane.host && l.name === lane.name).length;
  return same > 1 ? `${lane.name} (pid ${lane.pid})` : lane.name;
}

/** Sentences for event `e` of a step, each with a rank (lower is said first), in the reader's language. */
export function threadSentences(trace: Trace, e: TraceEvent, step: readonly TraceEvent[], tr: Translate): [number, string][] {
  if (e.k !== 'thread' && e.k !== 'gil' && e.k !== 'tls' && e.k !== 'async') return [];
  const c = context(trace);
  const tt = threadsTranslator(tr.lang);
  const lane = (host: string, pid: number, tid: number): ThreadLane | undefined => c.model.threads.get(threadId(host, pid, tid));
  /** A thread's name, with its host's when threads run on several hosts. */
  const named = (l: ThreadLane | undefined, fallback: string): string => {
    const n = threadName(c.model, l, fallback);
    return l && c.model.hosts.length > 1 ? `${n} (${tr.host(l.host)})` : n;
  };
  const name = (host: string, pid: number, tid: number): string => named(lane(host, pid, tid), `tid ${tid}`);

  if (e.k === 'thread' && e.state === 'new') {
    const proc = c.procStart.get(`${e.host}/${e.pid}`);
    if (e.tid === e.pid) return [];
    return c.model.shown ? [[2, tt('narr.threadStart', { file: proc?.file ?? `pid ${e.pid}`, name: e.name })]] : [];
  }
  if (e.k === 'tls') return [[2, tt('narr.tls', { name: name(e.host, e.pid, e.tid), obj: e.obj, attr: e.attr, value: e.value })]];
  if (e.k === 'async') {
    switch (e.op) {
      case 'pass': {
        const times = c.passes.get(threadId(e.host, e.pid, e.tid)) ?? [];
        return [[3, tt('narr.pass', { n: times.indexOf(e.t) + 1, ready: e.ready ?? 0 })]];
      }
      case 'run':
        return [[3, tt('narr.taskRun', { task: e.task })]];
      case 'await':
        return [[3, tt('narr.taskAwait', { task: e.task, on: e.detail ? tt('narr.taskAwaitOn', { on: e.detail }) : '' })]];
      case 'done':
        return [[3, tt('narr.taskDone', { task: e.task })]];
      default:
        return [[4, tt('narr.taskCreate', { task: e.task })]];
    }
  }
  if (!c.model.shown) return [];
  const gilOf = (host: string, pid: number) => c.model.hosts.find((h) => h.host === host)?.gils.find((g) => g.pid === pid);
  if (e.k === 'gil') {
    const holderName = (): string => {
      const g = gilOf(e.host, e.pid);
      const h = g ? holderAt(g.segs, e.t) : null;
      return named(h ? c.model.threads.get(h) : undefined, '?');
    };
    if (e.op === 'drop-request') return [[1, tt('narr.dropRequest', { name: name(e.host, e.pid, e.tid), holder: holderName() })]];
    if (e.op === 'failed') return [[2, tt('narr.failed', { name: name(e.host, e.pid, e.tid) })]];
    if (e.op === 'release' && e.forced) return [[1, tt('narr.forced', { name: name(e.host, e.pid, e.tid) })]];
    return [];
  }
  const te: ThreadEvent = e;
  const who = name(te.host, te.pid, te.tid);
  switch (te.state) {
    case 'running-py': {
      const take = step.find((x) => x.k === 'gil' && x.op === 'take' && x.host === te.host && x.pid === te.pid && x.tid === te.tid);
      if (!take) return [];
      const g = gilOf(te.host, te.pid);
      const switched = g?.switches.includes(take.t) ?? false;
      const core = te.core !== undefined ? tt('narr.onCore', { core: te.core }) : '';
      return [[switched ? 2 : 4, tt(switched ? 'narr.takeSwitch' : 'narr.take', { name: who, core })]];
    }
    case 'wait-gil': {
      if (te.core !== undefined) return [];
      const g = gilOf(te.host, te.pid);
      const h = g ? holderAt(g.segs, te.t) : null;
      if (!h || h === threadId(te.host, te.pid, te.tid)) return [];
      return [[3, tt('narr.waitGil', { name: who, holder: named(c.model.threads.get(h), '?') })]];
    }
    case 'blocked-io':
      return [[4, tt('narr.blocked', { name: who })]];
    case 'running-native':
      return [[3, tt('narr.native', { name: who })]];
    case 'done':
      return [[3, tt('narr.done', { name: who })]];
    default:
      return [];
  }
}
