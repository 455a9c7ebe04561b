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
}

export function eventLoops(trace: Trace): EventLoop[] {
  const loops = new Map<string, EventLoop>();
  const open = new Map<string, [number, string]>();
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
    if (!loop) loops.set(id, (loop = { thread: id, host: e.host, pid: e.pid, tid: e.tid, passes: [], tasks: [], runs: [], events: [] }));
    loop.events.push(e);
    const task = (): LoopTask => {
      let tk = loop!.tasks.find((x) => x.name === e.task);
      if (!tk) loop!.tasks.push((tk = { name: e.task, created: e.t, done: null }));
      return tk;
    };
    switch (e.op) {
      case 'pass':
        close(loop, e.t);
        loop.passes.push({ t: e.t, n: loop.passes.length + 1, ready: e.ready ?? 0, ran: [] });
        break;
      case 'create':
        task();
        break;
      case 'run':
        close(loop, e.t);
        task();
        loop.passes[loop.passes.length - 1]?.ran.push(e.task);
        open.set(id, [e.t, e.task]);
        break;
      case 'await':
        close(loop, e.t);
        break;
      case 'done':
        close(loop, e.t);
        task().done = e.t;
        break;
    }
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
  const states = new Map<string, TaskState>();
  let running: string | null = null;
  for (const e of loop.events) {
    if (e.t > t) break;
    if (e.op === 'create') states.set(e.task, { kind: 'waiting', on: null });
    else if (e.op === 'run') {
      states.set(e.task, { kind: 'running' });
      running = e.task;
    } else if (e.op === 'await') {
      states.set(e.task, { kind: 'waiting', on: e.detail ?? null });
      if (running === e.task) running = null;
    } else if (e.op === 'done') {
      states.set(e.task, { kind: 'done' });
      if (running === e.task) running = null;
    } else if (e.op === 'pass') running = null;
  }
  return {
    loop,
    pass,
    running,
    tasks: loop.tasks.filter((tk) => tk.created <= t).map((task) => ({ task, state: states.get(task.name) ?? { kind: 'pending' } })),
  };
}
