/**
 * threading.local, as the trace's `tls` events record it: per (local object, thread) the
 * attributes each thread has set. At any moment the table has one row per thread that exists
 * (or used a local) and one column per object attribute; a cell is what that thread sees — its
 * own value, or nothing (a thread never sees another's values). A finished thread's values are
 * freed with it: its row stays, empty, marked as finished.
 *
 * Pure: a function of the trace and a time. May not touch the DOM, Svelte or a clock.
 */
import type { TlsEvent, Trace } from '../../sim/trace.ts';
import { threadId, type ThreadsModel } from './model.ts';

export interface LocalsModel {
  events: TlsEvent[];
  /** "obj.attr" columns in order of first use, with their object and attribute. */
  columns: { key: string; obj: string; attr: string }[];
  /** Threads (ids) that set any attribute, in order of first use. */
  threads: string[];
}

export function localsModel(trace: Trace): LocalsModel {
  const events: TlsEvent[] = [];
  const columns: LocalsModel['columns'] = [];
  const threads: string[] = [];
  for (const e of trace.events) {
    if (e.k !== 'tls') continue;
    events.push(e);
    const key = `${e.obj}.${e.attr}`;
    if (!columns.some((c) => c.key === key)) columns.push({ key, obj: e.obj, attr: e.attr });
    const id = threadId(e.host, e.pid, e.tid);
    if (!threads.includes(id)) threads.push(id);
  }
  return { events, columns, threads };
}

export interface LocalsRow {
  thread: string;
  /** The thread has finished: its values were freed with it. */
  freed: boolean;
  /** Column key → repr of the value this thread sees, or null (never set by this thread). */
  cells: Record<string, string | null>;
  /** Column keys set at exactly time t (the current step). */
  changed: string[];
}

/**
 * What each thread sees at time t: rows for the threads that exist then (in the model's order)
 * plus any thread that has set a value, values set up to t.
 */
export function localsAt(m: LocalsModel, threads: ThreadsModel, t: number): LocalsRow[] {
  const alive = [...threads.threads.values()].filter((l) => l.start <= t && (l.done === null || l.done >= t) && l.segs.length > 0).map((l) => l.id);
  const ids = [...m.threads.filter((id) => alive.includes(id) || m.events.some((e) => e.t <= t && threadId(e.host, e.pid, e.tid) === id))];
  // Threads alive now in the same process as a local's user, that have not touched it: they see nothing.
  for (const id of alive) {
    const [host, pid] = id.split('/');
    if (!ids.includes(id) && m.events.some((e) => e.host === host && String(e.pid) === pid)) ids.push(id);
  }
  const freed = (id: string): boolean => {
    const done = threads.threads.get(id)?.done;
    return done !== undefined && done !== null && done <= t;
  };
  const rows = new Map<string, LocalsRow>(ids.map((id) => [id, { thread: id, freed: freed(id), cells: Object.fromEntries(m.columns.map((c) => [c.key, null])), changed: [] }]));
  for (const e of m.events) {
    if (e.t > t) break;
    const row = rows.get(threadId(e.host, e.pid, e.tid));
    if (!row || row.freed) continue;
    const key = `${e.obj}.${e.attr}`;
    row.cells[key] = e.value;
    if (e.t === t) row.changed.push(key);
  }
  return [...rows.values()];
}
