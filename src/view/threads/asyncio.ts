/**
 * asyncio event loops, as the trace's `async` events record them: per loop (one thread) its
 * passes — each with the number of callbacks that were ready when it began, exactly those it
 * runs — and its tasks, with the stretches in which each one ran (from `run` to its `await` or
 * `done`). At a moment: the current pass, the ready-queue size, the running task and every
 * task's state.
 *
 * Pure: a function of the trace and a time. May not touch the DOM, Svelte or a clock.
 */
import type { AsyncEvent, Trace } from '../../sim/trace.ts';
import { threadId, type Seg } from './model.ts';

export interface LoopPass {
  t: number;
  /** 1, 2, 3… */
  n: number;
  ready: number;
  /** Tasks run in this pass, in order. */
  ran: string[];
}

export interface LoopTask {
  /** The task's name; a later task reusing a name is shown as "a #2". */
  name: string;
  created: number;
  done: number | null;
}

export interface EventLoop {
  /** The thread (ThreadLane id) running the loop. */
  thread: string;
  host: string;
  pid: number;
  tid: number;
  passes: LoopPass[];
  tasks: LoopTask[];
  /** Which task runs, over time. */
  runs: Seg<string>[];
  events: AsyncEvent[];
  /** The task each event is about (parallel to `events`; null for a pass). */
  taskOf: (LoopTask | null)[];
}

export function eventLoops(trace: Trace): EventLoop[] {
  const loops = new Map<string, EventLoop>();
  const open = new Map<string, [number, string]>();
  /** Per loop, the latest task of each name (names can be reused once a task is done). */
  const current = new Map<string, Map<string, LoopTask>>();
  const close = (loop: EventLoop, t: number): void => {
    const o = open.get(loop.thread);
    if (o) {
      if (t > o[0]) loop.runs.push({ from: o[0], to: t, v: o[1] });
      open.delete(loop.thread);
    }
  };
  for (const e of trace.events) {
    if (e.k !== 'async') continue;
    const id = threadId(e.host, e.pid, e.tid);
    let loop = loops.get(id);
    if (!loop) {
      loops.set(id, (loop = { thread: id, host: e.host, pid: e.pid, tid: e.tid, passes: [], tasks: [], runs: [], events: [], taskOf: [] }));
      current.set(id, new Map());
    }
    const named = current.get(id)!;
    const task = (fresh: boolean): LoopTask => {
      let tk = named.get(e.task);
      if (!tk || (fresh && tk.done !== null)) {
        const same = loop!.tasks.filter((x) => x.name === e.task || x.name.startsWith(`${e.task} #`)).length;
        tk = { name: same ? `${e.task} #${same + 1}` : e.task, created: e.t, done: null };
        loop!.tasks.push(tk);
        named.set(e.task, tk);
      }
      return tk;
    };
    let about: LoopTask | null = null;
    switch (e.op) {
      case 'pass':
        close(loop, e.t);
        loop.passes.push({ t: e.t, n: loop.passes.length + 1, ready: e.ready ?? 0, ran: [] });
        break;
      case 'create':
        about = task(true);
        break;
      case 'run':
        close(loop, e.t);
        about = task(false);
        loop.passes[loop.passes.length - 1]?.ran.push(about.name);
        open.set(id, [e.t, about.name]);
        break;
      case 'await':
        close(loop, e.t);
        about = task(false);
        break;
      case 'done':
        close(loop, e.t);
        about = task(false);
        about.done = e.t;
        break;
    }
    loop.events.push(e);
    loop.taskOf.push(about);
  }
  for (const loop of loops.values()) close(loop, trace.end);
  return [...loops.values()];
}

export type TaskState = { kind: 'pending' } | { kind: 'running' } | { kind: 'waiting'; on: string | null } | { kind: 'done' };

export interface LoopAt {
  loop: EventLoop;
  pass: LoopPass | null;
  running: string | null;
  tasks: { task: LoopTask; state: TaskState }[];
}

/** A loop at time t: its latest pass, the task running now, and each task's state. */
export function loopAt(loop: EventLoop, t: number): LoopAt {
  let pass: LoopPass | null = null;
  for (const p of loop.passes) if (p.t <= t) pass = p;
  const states = new Map<LoopTask, TaskState>();
  let running: LoopTask | null = null;
  for (let i = 0; i < loop.events.length; i++) {
    const e = loop.events[i]!;
    if (e.t > t) break;
    const tk = loop.taskOf[i];
    if (e.op === 'pass' || !tk) {
      running = null;
      continue;
    }
    if (e.op === 'create') states.set(tk, { kind: 'pending' });
    else if (e.op === 'run') {
      states.set(tk, { kind: 'running' });
      running = tk;
    } else if (e.op === 'await') {
      states.set(tk, { kind: 'waiting', on: e.detail ?? null });
      if (running === tk) running = null;
    } else if (e.op === 'done') {
      states.set(tk, { kind: 'done' });
      if (running === tk) running = null;
    }
  }
  return {
    loop,
    pass,
    running: running?.name ?? null,
    tasks: loop.tasks.filter((tk) => tk.created <= t).map((task) => ({ task, state: states.get(task) ?? { kind: 'pending' } })),
  };
}
