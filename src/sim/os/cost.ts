/**
 * The cost model: how much virtual time the operating system's work takes. Pure constants and
 * arithmetic; documented in docs/cost-model.md. Chosen so that the stack's internal steps are
 * visible when animated but small next to link latency, and so runs are reproducible.
 */
import type { Micros } from '../time.ts';

export interface CostModel {
  /** Entering and leaving the kernel for a socket call (Linux: ~0.1–1 µs). */
  syscall: Micros;
  /** From a wake-up (data arrived, timer fired) until the blocked program runs again. */
  wakeup: Micros;
  /** One protocol layer's processing of a packet on the way down or up. */
  layer: Micros;
  /** AF_UNIX: copying bytes to the peer socket. */
  ipc: Micros;
}

export const DEFAULT_COST: CostModel = {
  syscall: 1,
  wakeup: 5,
  layer: 2,
  ipc: 3,
};
