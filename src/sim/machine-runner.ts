/**
 * Runs an XState machine on the simulation clock. Pure: no timers, no wall clock; delays are
 * scheduled through the `SimClock` passed in, so a machine's `after` transitions fire in virtual
 * time and a run is reproducible.
 *
 * The runner uses XState's pure `transition()` and executes the returned actions itself, by name,
 * through the handlers the owner supplies. Machines run this way must keep no context (their
 * data lives in the owner) and their guards may read only the event fields named by `keyOf`;
 * then a transition depends only on (state, key), and the runner memoises it per machine. That
 * keeps XState the single definition of the state chart while a simulation can take hundreds of
 * thousands of transitions per second.
 */
import { initialTransition, transition, type AnyStateMachine, type AnyMachineSnapshot } from 'xstate';

export interface SimClock {
  /** Run `fn` after `delayMs` milliseconds of virtual time; returns a handle for cancel(). */
  schedule(delayMs: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

interface PlannedAction {
  type: string;
  /** For xstate.raise with a delay: the delayed event, its id and delay (ms). */
  delayed?: { id: string; delay: number; event: { type: string } };
  /** For xstate.cancel: the id of the delayed event to cancel. */
  cancelId?: string;
}

interface Step {
  next: AnyMachineSnapshot;
  value: string;
  actions: PlannedAction[];
  changed: boolean;
}

const memo = new WeakMap<AnyStateMachine, { initial: Step; steps: Map<string, Map<string, Map<string, Step>>> }>();

function plan(actions: readonly { type: string; params?: unknown }[]): PlannedAction[] {
  return actions.map((a) => {
    const params = (a.params ?? {}) as { delay?: number; id?: string; event?: { type: string }; sendId?: string };
    if (a.type === 'xstate.raise' && params.delay !== undefined && params.event && params.id) {
      return { type: a.type, delayed: { id: params.id, delay: params.delay, event: params.event } };
    }
    if (a.type === 'xstate.cancel' && params.sendId) return { type: a.type, cancelId: params.sendId };
    return { type: a.type };
  });
}

function machineMemo(machine: AnyStateMachine) {
  let m = memo.get(machine);
  if (!m) {
    const [snap, actions] = initialTransition(machine);
    m = {
      initial: { next: snap, value: String(snap.value), actions: plan(actions), changed: true },
      steps: new Map(),
    };
    memo.set(machine, m);
  }
  return m;
}

/**
 * An action's handler. `owner` is the object the runner was made for: handlers written once for
 * every owner (a table of functions) rather than as closures per owner save allocating a set of
 * functions for each connection or socket.
 */
export type ActionHandler<E, O> = (event: E, owner: O) => void;

export class MachineRunner<E extends { type: string }, O = undefined> {
  private snapshot: AnyMachineSnapshot;
  /** Pending delayed events by id; made on first use (most machines never delay anything). */
  private timers: Map<string, unknown> | undefined;
  /** state → event type → guard key → step. */
  private readonly table: Map<string, Map<string, Map<string, Step>>>;
  /** Current state name. */
  state: string;

  constructor(
    private readonly machine: AnyStateMachine,
    private readonly keyOf: (event: E) => string,
    private readonly handlers: Record<string, ActionHandler<E, O>>,
    private readonly clock: SimClock,
    /** Called after every event that changed the state. */
    private readonly onChange?: (from: string, to: string, event: E, owner: O) => void,
    /** Passed to the handlers and to onChange. */
    private readonly owner: O = undefined as O,
  ) {
    const m = machineMemo(machine);
    this.table = m.steps;
    this.snapshot = m.initial.next;
    this.state = m.initial.value;
    this.run(m.initial.actions, undefined as unknown as E);
  }

  /** Deliver an event; returns true when it caused a transition or actions. */
  send(event: E): boolean {
    const step = this.lookup(event);
    const from = this.state;
    this.snapshot = step.next;
    this.state = step.value;
    if (step.changed && this.onChange) this.onChange(from, step.value, event, this.owner);
    this.run(step.actions, event);
    return step.changed || step.actions.length > 0;
  }

  /** Whether `event` would be handled in the current state, without sending it. */
  can(event: E): boolean {
    const step = this.lookup(event);
    return step.changed || step.actions.length > 0;
  }

  /** Cancel every pending delayed event (the owner is being destroyed). */
  stop(): void {
    if (!this.timers) return;
    for (const h of this.timers.values()) this.clock.cancel(h);
    this.timers.clear();
  }

  private lookup(event: E): Step {
    let byType = this.table.get(this.state);
    if (!byType) {
      byType = new Map();
      this.table.set(this.state, byType);
    }
    let byKey = byType.get(event.type);
    if (!byKey) {
      byKey = new Map();
      byType.set(event.type, byKey);
    }
    const key = event.type.startsWith('xstate.') ? '' : this.keyOf(event);
    let step = byKey.get(key);
    if (!step) {
      const [next, actions] = transition(this.machine, this.snapshot, event as never);
      const value = String(next.value);
      step = { next, value, actions: plan(actions), changed: value !== this.state };
      byKey.set(key, step);
    }
    return step;
  }

  private run(actions: PlannedAction[], event: E): void {
    for (const a of actions) {
      if (a.delayed) {
        const { id, delay, event: delayedEvent } = a.delayed;
        const timers = (this.timers ??= new Map());
        const prev = timers.get(id);
        if (prev !== undefined) this.clock.cancel(prev);
        timers.set(
          id,
          this.clock.schedule(delay, () => {
            timers.delete(id);
            this.send(delayedEvent as E);
          }),
        );
      } else if (a.cancelId !== undefined) {
        const h = this.timers?.get(a.cancelId);
        if (h !== undefined) {
          this.clock.cancel(h);
          this.timers!.delete(a.cancelId);
        }
      } else if (a.type.startsWith('xstate.')) {
        // Other built-in actions (logging, raise without delay) are not used by wirescope's machines.
        throw new Error(`MachineRunner: unsupported built-in action ${a.type}`);
      } else {
        const h = this.handlers[a.type];
        if (!h) throw new Error(`MachineRunner: no handler for action "${a.type}"`);
        h(event, this.owner);
      }
    }
  }
}
