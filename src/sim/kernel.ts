/**
 * The simulation kernel: virtual clock, event queue and trace log. Pure and deterministic: no
 * wall clock, no timers, no Math.random; everything that happens is a callback on the queue at
 * an integer µs time, taken in (time, seq) order, and randomness comes from the seeded `rng`.
 */
import { EventQueue, type Scheduled } from './queue.ts';
import { createRng, type Rng } from './rng.ts';
import type { Micros } from './time.ts';
import type { SimClock } from './machine-runner.ts';
import type { TraceEvent } from './trace.ts';

/** A scheduled callback and the argument it is called with. */
type Callback = (arg: never) => void;

export type Handle = Scheduled<Callback>;

export type RunOutcome =
  /** Nothing left to do. */
  | 'idle'
  /** Stopped at the time limit with events still pending. */
  | 'until'
  /** Stopped after the event budget with events still pending. */
  | 'budget'
  /** A `stop()` call ended the run. */
  | 'stopped';

export class Sim {
  now: Micros = 0;
  readonly rng: Rng;
  readonly events: TraceEvent[] = [];
  /** Number of queue events processed so far (the benchmark's "events"). */
  processed = 0;
  private readonly queue = new EventQueue<Callback>();
  private stopRequested = false;
  private nextId = { pkt: 1, call: 1 };

  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  /**
   * Run `fn` at absolute virtual time `time` (not before now). With `arg`, `fn(arg)` runs: a
   * method shared by many objects plus the object it is for, so a frequent event needs no
   * closure of its own.
   */
  at(time: Micros, fn: () => void): Handle;
  at<A>(time: Micros, fn: (arg: A) => void, arg: A): Handle;
  at(time: Micros, fn: Callback, arg?: unknown): Handle {
    if (time < this.now) throw new RangeError(`cannot schedule in the past: ${time} < ${this.now}`);
    return this.queue.push(time, fn, arg);
  }

  /** Run `fn` (or `fn(arg)`) after `delay` µs (0: later at this same time, after what is already queued). */
  after(delay: Micros, fn: () => void): Handle;
  after<A>(delay: Micros, fn: (arg: A) => void, arg: A): Handle;
  after(delay: Micros, fn: Callback, arg?: unknown): Handle {
    return this.queue.push(this.now + Math.max(0, Math.round(delay)), fn, arg);
  }

  cancel(h: Handle | undefined): void {
    if (h) this.queue.cancel(h);
  }

  /**
   * Append a trace event stamped with the current time. An event may already carry `t: now` as
   * its first field: V8 then allocates it with all its fields at once, where a field added
   * afterwards costs a second allocation per event (a third more memory for a typical event).
   */
  record<E extends TraceEvent>(ev: Omit<E, 't'> & { t?: Micros }): void {
    (ev as E).t = this.now;
    this.events.push(ev as E);
  }

  /**
   * Append a trace event built with `t: now` as its first field, as it is: record() without
   * the store into it, which costs more than the append (the events come in many shapes).
   */
  log<E extends TraceEvent>(ev: E): void {
    this.events.push(ev);
  }

  newPacketId(): number {
    return this.nextId.pkt++;
  }

  newCallId(): number {
    return this.nextId.call++;
  }

  /** Time of the next pending event, if any. */
  nextTime(): Micros | undefined {
    return this.queue.peekTime();
  }

  get pending(): number {
    return this.queue.size;
  }

  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Process events in (time, seq) order until the queue is empty, virtual time would pass
   * `until`, or `maxEvents` have run.
   */
  run(opts: { until?: Micros; maxEvents?: number } = {}): RunOutcome {
    const until = opts.until ?? Number.POSITIVE_INFINITY;
    let budget = opts.maxEvents ?? Number.POSITIVE_INFINITY;
    this.stopRequested = false;
    for (;;) {
      if (this.stopRequested) return 'stopped';
      const t = this.queue.peekTime();
      if (t === undefined) return 'idle';
      if (t > until) {
        this.now = until;
        return 'until';
      }
      if (budget-- <= 0) return 'budget';
      const e = this.queue.pop()!;
      this.now = e.time;
      this.processed++;
      e.item(e.arg as never);
    }
  }

  /**
   * Process events until `done()` holds or nothing is left (re-entrant: a handler may call it to
   * wait for something "inside" its own event). Returns whether `done()` became true.
   */
  runUntil(done: () => boolean): boolean {
    while (!done()) {
      const e = this.queue.pop();
      if (!e) return false;
      this.now = e.time;
      this.processed++;
      e.item(e.arg as never);
    }
    return true;
  }

  /** A clock for MachineRunner: XState delays are in ms, the simulation counts µs. */
  readonly clock: SimClock = {
    schedule: (delayMs, fn) => this.after(Math.round(delayMs * 1000), fn),
    cancel: (h) => this.cancel(h as Handle),
  };
}
