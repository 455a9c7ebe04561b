/**
 * The TCP connection state machine of RFC 9293 §3.3.2 (Figure 5), all eleven states.
 * Pure: this file only describes the chart. It keeps no context and touches no clock: the
 * connection that owns it (src/sim/net/tcp/connection.ts) classifies each segment or user call
 * into an event, runs the machine through MachineRunner on the simulation clock, and performs
 * the named actions (send a SYN, wake the caller, release the port…).
 *
 * State names are Linux's (`netstat` prints SYN_RECV, FIN_WAIT1…). As in Linux and BSD, a
 * listening socket stays in LISTEN: each incoming SYN creates a child connection whose machine
 * starts in LISTEN and takes the LISTEN → SYN_RECV transition.
 */
import { setup } from 'xstate';

export type TcpMachineEvent =
  /** User: connect() — active OPEN. */
  | { type: 'connect' }
  /** User: listen() — passive OPEN. */
  | { type: 'listen' }
  /** User: close() or shutdown(SHUT_WR) — CLOSE: send FIN after queued data. */
  | { type: 'close' }
  /** User: close() with unread data, or SO_LINGER 0 — ABORT: send RST (Linux tcp_close, RFC 2525 §2.17). */
  | { type: 'abort' }
  /** Segment with SYN (and no ACK). */
  | { type: 'rcvSyn' }
  /** Segment with SYN and an acceptable ACK, in SYN_SENT. */
  | { type: 'rcvSynAck' }
  /** Acceptable ACK; `acksSyn` / `acksFin`: it acknowledges our SYN / our FIN. */
  | { type: 'rcvAck'; acksSyn: boolean; acksFin: boolean }
  /** In-sequence FIN (processed after the segment's ACK, RFC 9293 §3.10.7.4 eighth step). */
  | { type: 'rcvFin' }
  /** Acceptable RST. */
  | { type: 'rcvRst' }
  /** Retransmissions exhausted (tcp_syn_retries / tcp_retries2). */
  | { type: 'giveUp' };

/** Linux holds TIME_WAIT for TCP_TIMEWAIT_LEN = 60 s (include/net/tcp.h), i.e. 2·MSL with MSL = 30 s. */
export const TIME_WAIT_MS = 60_000;

export const tcpMachine = setup({
  types: { events: {} as TcpMachineEvent },
  guards: {
    acksSyn: ({ event }) => event.type === 'rcvAck' && event.acksSyn,
    acksFin: ({ event }) => event.type === 'rcvAck' && event.acksFin,
  },
  // The connection performs these; XState only names them (MachineRunner dispatches by name).
  actions: {
    sendSyn: () => {},
    sendSynAck: () => {},
    sendFin: () => {},
    sendRst: () => {},
    established: () => {},
    peerClosed: () => {},
    refused: () => {},
    reset: () => {},
    timedOut: () => {},
    enterTimeWait: () => {},
    released: () => {},
  },
  delays: { timeWait: TIME_WAIT_MS },
}).createMachine({
  id: 'tcp',
  initial: 'CLOSED',
  states: {
    CLOSED: {
      on: {
        connect: { target: 'SYN_SENT', actions: 'sendSyn' },
        listen: { target: 'LISTEN' },
      },
    },
    LISTEN: {
      on: {
        rcvSyn: { target: 'SYN_RECV', actions: 'sendSynAck' },
        close: { target: 'CLOSED', actions: 'released' },
        abort: { target: 'CLOSED', actions: 'released' },
      },
    },
    SYN_SENT: {
      on: {
        rcvSynAck: { target: 'ESTABLISHED', actions: 'established' },
        // Simultaneous open (RFC 9293 §3.5, Figure 7).
        rcvSyn: { target: 'SYN_RECV', actions: 'sendSynAck' },
        rcvRst: { target: 'CLOSED', actions: ['refused', 'released'] },
        close: { target: 'CLOSED', actions: 'released' },
        abort: { target: 'CLOSED', actions: 'released' },
        giveUp: { target: 'CLOSED', actions: ['timedOut', 'released'] },
      },
    },
    SYN_RECV: {
      on: {
        rcvAck: { guard: 'acksSyn', target: 'ESTABLISHED', actions: 'established' },
        close: { target: 'FIN_WAIT1', actions: 'sendFin' },
        abort: { target: 'CLOSED', actions: ['sendRst', 'released'] },
        rcvRst: { target: 'CLOSED', actions: ['reset', 'released'] },
        giveUp: { target: 'CLOSED', actions: ['timedOut', 'released'] },
      },
    },
    ESTABLISHED: {
      on: {
        close: { target: 'FIN_WAIT1', actions: 'sendFin' },
        rcvFin: { target: 'CLOSE_WAIT', actions: 'peerClosed' },
        abort: { target: 'CLOSED', actions: ['sendRst', 'released'] },
        rcvRst: { target: 'CLOSED', actions: ['reset', 'released'] },
        giveUp: { target: 'CLOSED', actions: ['timedOut', 'released'] },
      },
    },
    FIN_WAIT1: {
      on: {
        rcvAck: { guard: 'acksFin', target: 'FIN_WAIT2' },
        // Simultaneous close (RFC 9293 Figure 13).
        rcvFin: { target: 'CLOSING', actions: 'peerClosed' },
        abort: { target: 'CLOSED', actions: ['sendRst', 'released'] },
        rcvRst: { target: 'CLOSED', actions: ['reset', 'released'] },
        giveUp: { target: 'CLOSED', actions: ['timedOut', 'released'] },
      },
    },
    FIN_WAIT2: {
      on: {
        rcvFin: { target: 'TIME_WAIT', actions: 'peerClosed' },
        abort: { target: 'CLOSED', actions: ['sendRst', 'released'] },
        rcvRst: { target: 'CLOSED', actions: ['reset', 'released'] },
        giveUp: { target: 'CLOSED', actions: 'released' },
      },
    },
    CLOSE_WAIT: {
      on: {
        close: { target: 'LAST_ACK', actions: 'sendFin' },
        abort: { target: 'CLOSED', actions: ['sendRst', 'released'] },
        rcvRst: { target: 'CLOSED', actions: ['reset', 'released'] },
        giveUp: { target: 'CLOSED', actions: ['timedOut', 'released'] },
      },
    },
    CLOSING: {
      on: {
        rcvAck: { guard: 'acksFin', target: 'TIME_WAIT' },
        rcvRst: { target: 'CLOSED', actions: 'released' },
        giveUp: { target: 'CLOSED', actions: 'released' },
      },
    },
    LAST_ACK: {
      on: {
        rcvAck: { guard: 'acksFin', target: 'CLOSED', actions: 'released' },
        rcvRst: { target: 'CLOSED', actions: 'released' },
        giveUp: { target: 'CLOSED', actions: 'released' },
      },
    },
    TIME_WAIT: {
      entry: 'enterTimeWait',
      after: { timeWait: { target: 'CLOSED', actions: 'released' } },
      on: {
        // A retransmitted FIN restarts the 2·MSL timer (RFC 9293 §3.10.7.4, TIME-WAIT).
        rcvFin: { target: 'TIME_WAIT', reenter: true },
        rcvRst: { target: 'CLOSED', actions: 'released' },
      },
    },
  },
});

/** Key for MachineRunner's memo: the only event data the guards read. */
export function tcpEventKey(e: TcpMachineEvent): string {
  return e.type === 'rcvAck' ? `${e.acksSyn ? 1 : 0}${e.acksFin ? 1 : 0}` : '';
}

/** A human label for the cause of a transition, as the trace records it. */
export function tcpEventLabel(e: TcpMachineEvent | { type: string }): string {
  switch (e.type) {
    case 'connect':
      return 'connect()';
    case 'listen':
      return 'listen()';
    case 'close':
      return 'close()';
    case 'abort':
      return 'close() with unread data';
    case 'rcvSyn':
      return 'rcv SYN';
    case 'rcvSynAck':
      return 'rcv SYN,ACK';
    case 'rcvAck':
      return 'rcv ACK';
    case 'rcvFin':
      return 'rcv FIN';
    case 'rcvRst':
      return 'rcv RST';
    case 'giveUp':
      return 'retransmission timeout';
    default:
      return e.type.startsWith('xstate.after') ? 'TIME_WAIT timer (60 s)' : e.type;
  }
}
