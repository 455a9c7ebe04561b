/**
 * A Python thread as CPython and the OS see it (../shared/docs/gil-facts.md, "Thread states"):
 * new → wait-gil → running-py → (blocked-io | running-native) → wait-gil …; a forced GIL drop
 * goes through handoff; done at the end. Pure chart, no context: the host's thread scheduler
 * (src/sim/threads/scheduler.ts) runs it through MachineRunner and records each change.
 * A thread uses a CPU core only in running-py, running-native and handoff.
 */
import { setup } from 'xstate';

export type ThreadMachineEvent =
  /** Thread.start() (or the main thread of a new process). */
  | { type: 'start' }
  /** The GIL is taken (or there is none to take: free-threaded builds). */
  | { type: 'gilAcquired' }
  /** The GIL is busy: wait for it. */
  | { type: 'gilBusy' }
  /** Released the GIL for blocking I/O, sleep or a lock wait. */
  | { type: 'blockIo' }
  /** Released the GIL to run native code that does not need it. */
  | { type: 'native' }
  /** Dropped the GIL on request and waits until another thread has taken it (FORCE_SWITCHING). */
  | { type: 'forcedDrop' }
  /** The I/O or native call finished, or the hand-off completed: wants the GIL again. */
  | { type: 'wantGil' }
  | { type: 'exit' };

export type ThreadState = 'new' | 'wait-gil' | 'running-py' | 'blocked-io' | 'running-native' | 'handoff' | 'done';

export const threadMachine = setup({
  types: { events: {} as ThreadMachineEvent },
}).createMachine({
  id: 'thread',
  initial: 'new',
  states: {
    new: { on: { start: 'wait-gil' } },
    'wait-gil': { on: { gilAcquired: 'running-py', exit: 'done' } },
    'running-py': {
      on: {
        blockIo: 'blocked-io',
        native: 'running-native',
        forcedDrop: 'handoff',
        gilBusy: 'wait-gil',
        exit: 'done',
      },
    },
    'blocked-io': { on: { wantGil: 'wait-gil', exit: 'done' } },
    'running-native': { on: { wantGil: 'wait-gil', exit: 'done' } },
    handoff: { on: { wantGil: 'wait-gil', exit: 'done' } },
    done: { type: 'final' },
  },
});
