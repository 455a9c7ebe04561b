/**
 * AF_UNIX sockets on one host: the filesystem names they bind to, connecting, and moving bytes
 * between them (local IPC: no link, no IP). Pure: schedules on the kernel.
 *
 * Linux behaviour followed (net/unix/af_unix.c): bind() creates a socket file; binding an
 * existing path fails with EADDRINUSE, and the file outlives close() until it is unlinked;
 * connect() to a missing path is ENOENT, to a path with no listening socket ECONNREFUSED, to a
 * socket of the other type EPROTOTYPE. A stream connect() completes at once — the server side
 * waits in the listener's backlog until accept().
 */
import type { Sim } from '../kernel.ts';
import type { IpcEvent } from '../trace.ts';
import type { Socket } from '../os/socket.ts';
import type { CostModel } from '../os/cost.ts';
import type { ErrnoName } from '../os/errors.ts';

export class UnixNamespace {
  /** Socket files: path → the bound socket, or null once that socket is closed (a stale file). */
  readonly files = new Map<string, Socket | null>();

  constructor(
    private readonly sim: Sim,
    private readonly host: string,
    private readonly cost: CostModel,
  ) {}

  bind(sock: Socket, path: string): ErrnoName | undefined {
    if (sock.path !== '') return 'EINVAL';
    if (this.files.has(path)) return 'EADDRINUSE';
    this.files.set(path, sock);
    sock.path = path;
    return undefined;
  }

  unlink(path: string): ErrnoName | undefined {
    if (!this.files.has(path)) return 'ENOENT';
    this.files.delete(path);
    return undefined;
  }

  /** The socket is closing: its file stays, stale. */
  closed(sock: Socket): void {
    if (sock.path && this.files.get(sock.path) === sock) this.files.set(sock.path, null);
  }

  /** Look up a path for connect()/sendto(). */
  target(path: string, type: Socket['type'], needListening: boolean): Socket | ErrnoName {
    if (!this.files.has(path)) return 'ENOENT';
    const s = this.files.get(path);
    if (!s) return 'ECONNREFUSED';
    if (s.type !== type) return 'EPROTOTYPE';
    if (needListening && !s.listen) return 'ECONNREFUSED';
    return s;
  }

  /**
   * The other end hung up (close or shutdown): `to` sees end-of-stream after any bytes already on
   * their way, since both travel with the same IPC delay. `reset`: the connection was never
   * accepted, so reads fail with ECONNRESET.
   */
  hangup(to: Socket, reset = false): void {
    this.sim.after(this.cost.ipc, () => {
      to.peerClosed = true;
      if (reset) to.error = 'ECONNRESET';
      to.notify();
    });
  }

  /** Move bytes to `to` (stream or datagram), arriving after the IPC cost. */
  deliver(from: Socket, to: Socket, data: Uint8Array, dgram: boolean): void {
    const pkt = this.sim.newPacketId();
    this.sim.record<IpcEvent>({ t: this.sim.now, k: 'ipc', host: this.host, from: from.sid, to: to.sid, path: to.path || from.path, len: data.length, type: from.type });
    const copy = data.slice();
    this.sim.after(this.cost.ipc, () => {
      if (dgram) {
        to.dgrams.push({ data: copy, from: { path: from.path }, pkt });
        to.dgramBytes += copy.length;
      } else {
        to.stream.push({ data: copy, pkt });
        to.streamBytes += copy.length;
      }
      to.notify();
    });
  }
}
