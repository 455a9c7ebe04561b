/**
 * The life cycle of a socket as a program sees it: created → bound → listening, or
 * (bound →) connecting → connected, and closed. Pure chart, no context; the kernel's socket
 * (src/sim/os/socket.ts) runs it through MachineRunner and records each change in the trace.
 * A TCP connection's own states are in tcpMachine; this is the coarser view a `netstat`
 * newcomer needs. Calls that are invalid in a state (accept() before listen()) are refused by the
 * syscalls with Linux's errno before they reach the machine.
 */
import { setup } from 'xstate';

export type SocketMachineEvent =
  | { type: 'bind' }
  | { type: 'listen' }
  | { type: 'connect' }
  | { type: 'connected' }
  /** connect() failed: back to where it was, per Linux (the socket may be connected again). */
  | { type: 'connectFailed' }
  /** A UDP socket's connect(): no handshake, it is connected at once. */
  | { type: 'associate' }
  | { type: 'close' };

export const socketMachine = setup({
  types: { events: {} as SocketMachineEvent },
}).createMachine({
  id: 'socket',
  initial: 'created',
  states: {
    created: {
      on: {
        bind: 'bound',
        // A child made by a listener for an incoming connection (and AF_UNIX accept side).
        connected: 'connected',
        listen: 'listening',
        connect: 'connecting',
        associate: 'connected',
        close: 'closed',
      },
    },
    bound: {
      on: {
        listen: 'listening',
        connect: 'connecting',
        associate: 'connected',
        close: 'closed',
      },
    },
    listening: { on: { close: 'closed' } },
    connecting: {
      on: {
        connected: 'connected',
        connectFailed: 'bound',
        close: 'closed',
      },
    },
    connected: {
      on: {
        associate: 'connected',
        close: 'closed',
      },
    },
    closed: { type: 'final' },
  },
});

export type SocketState = 'created' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';
