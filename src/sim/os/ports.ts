/**
 * Local port bookkeeping for one host, with Linux's rules. Pure data and arithmetic: the
 * ephemeral-port choice draws from the seeded generator passed in.
 *
 * - TCP and UDP have separate port spaces.
 * - Bind conflicts follow inet_bind_conflict() (net/ipv4/inet_connection_sock.c) for TCP and
 *   udp_lib_lport_inuse() (net/ipv4/udp.c) for UDP: two sockets on one port conflict when their
 *   addresses overlap (equal, or either is 0.0.0.0) unless both set SO_REUSEADDR and, for TCP,
 *   the other is not listening — a TIME_WAIT socket keeps the SO_REUSEADDR of the socket it came
 *   from — or both set SO_REUSEPORT under the same user.
 * - bind(port 0) takes an odd port and connect() an even one from ip_local_port_range
 *   (inet_csk_find_open_port / __inet_hash_connect, Linux ≥ 4.6), starting from a random offset.
 * - Privileged ports (< net.ipv4.ip_unprivileged_port_start = 1024) need root (checked by the caller).
 */
import type { Rng } from '../rng.ts';

export interface PortHolder {
  readonly sid: number;
  localIp: number;
  reuseAddr: boolean;
  reusePort: boolean;
  readonly uid: number;
  /** True while the holder is a TCP listener. */
  isListening(): boolean;
  /** True when the holder is a TIME_WAIT remnant. */
  isTimeWait(): boolean;
}

export type Proto = 'tcp' | 'udp';

export class PortTable {
  private readonly used: Record<Proto, Map<number, Set<PortHolder>>> = { tcp: new Map(), udp: new Map() };
  private readonly rng: Rng;
  /** Offset of the next connect() search (Linux's table_perturb advances by 2 per connect). */
  private connectOffset: number;

  constructor(
    rng: Rng,
    /** net.ipv4.ip_local_port_range */
    readonly range: [number, number] = [32768, 60999],
  ) {
    this.rng = rng;
    this.connectOffset = rng.int(range[1] - range[0] + 1) & ~1;
  }

  holders(proto: Proto, port: number): readonly PortHolder[] {
    return [...(this.used[proto].get(port) ?? [])];
  }

  /** Every (proto, port, holder) in use, for netstat-like views and tests. */
  entries(): { proto: Proto; port: number; holder: PortHolder }[] {
    const out: { proto: Proto; port: number; holder: PortHolder }[] = [];
    for (const proto of ['tcp', 'udp'] as const)
      for (const [port, set] of this.used[proto]) for (const holder of set) out.push({ proto, port, holder });
    return out;
  }

  /** The holder that stops `s` from binding (ip, port), or undefined when it may. */
  conflict(proto: Proto, s: PortHolder, ip: number, port: number): PortHolder | undefined {
    const set = this.used[proto].get(port);
    if (!set) return undefined;
    for (const o of set) {
      if (o === s) continue;
      if (!(ip === 0 || o.localIp === 0 || ip === o.localIp)) continue;
      if (proto === 'tcp') {
        // relax = true, as bind() and listen() call it through inet_csk_get_port().
        if (s.reuseAddr && o.reuseAddr && !o.isListening()) continue;
        if (s.reusePort && o.reusePort && (o.isTimeWait() || o.uid === s.uid)) continue;
        return o;
      }
      if (s.reuseAddr && o.reuseAddr) continue;
      if (s.reusePort && o.reusePort && o.uid === s.uid) continue;
      return o;
    }
    return undefined;
  }

  add(proto: Proto, port: number, h: PortHolder): void {
    let set = this.used[proto].get(port);
    if (!set) {
      set = new Set();
      this.used[proto].set(port, set);
    }
    set.add(h);
  }

  remove(proto: Proto, port: number, h: PortHolder): void {
    const set = this.used[proto].get(port);
    if (!set) return;
    set.delete(h);
    if (set.size === 0) this.used[proto].delete(port);
  }

  /** A free ephemeral port for `s` or undefined when the range is exhausted ("Address already in use"). */
  ephemeral(proto: Proto, s: PortHolder, ip: number, forConnect: boolean): number | undefined {
    const [low, high] = this.range;
    const n = high - low + 1;
    if (proto === 'udp') {
      const start = this.rng.int(n);
      for (let i = 0; i < n; i++) {
        const port = low + ((start + i) % n);
        if (!this.used.udp.has(port)) return port;
      }
      return undefined;
    }
    // TCP: connect() scans even offsets first, bind(0) odd ones; then the other parity.
    let offset = forConnect ? this.connectOffset : this.rng.int(n) | 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i += 2) {
        const port = low + ((offset + i) % n);
        if (!this.used.tcp.has(port) && !this.conflict('tcp', s, ip, port)) {
          if (forConnect) this.connectOffset = (offset + i + 2) % n;
          return port;
        }
      }
      offset ^= 1;
    }
    return undefined;
  }
}
