/**
 * Builds a simulated network: hosts with one Ethernet interface each, joined by a direct link
 * (two hosts) or through a learning switch (more), plus a shared hosts table so programs can
 * connect to "server". Pure: everything runs on the simulation kernel it creates.
 */
import { Sim } from './kernel.ts';
import { Host } from './os/host.ts';
import { Link, NO_IMPAIRMENTS, type Impairments } from './net/link.ts';
import { Switch } from './net/switch.ts';
import { TRACE_VERSION, type Trace, type TraceMeta } from './trace.ts';
import { parseIPv4 } from './net/addr.ts';
import type { CostModel } from './os/cost.ts';
import { DEFAULT_CPU } from './threads/config.ts';
import type { Micros } from './time.ts';

export interface HostSpec {
  name: string;
  ip: string;
  /** Default 255.255.255.0. */
  netmask?: string;
  /** Default 02:00 followed by the IPv4 address (a locally administered MAC). */
  mac?: string;
  /** net.ipv4.ip_local_port_range, default [32768, 60999]. */
  portRange?: [number, number];
  /** CPU cores (default 2). */
  cores?: number;
}

export interface LinkSpec {
  /** Default 1500. */
  mtu?: number;
  /** One-way propagation delay, µs. Default 50. */
  latency?: Micros;
  /** Bits per second. Default 100 Mbit/s. */
  bandwidth?: number;
  impairments?: Partial<Impairments>;
}

export interface NetworkSpec {
  hosts: HostSpec[];
  link?: LinkSpec;
  cost?: CostModel;
}

export const DEFAULT_LINK = { mtu: 1500, latency: 50, bandwidth: 100_000_000 } as const;

export function macFor(ip: string): string {
  const n = parseIPv4(ip) ?? 0;
  const b = [2, 0, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export class Network {
  readonly sim: Sim;
  readonly hosts = new Map<string, Host>();
  readonly links: Link[] = [];
  readonly switches: Switch[] = [];

  constructor(
    readonly spec: NetworkSpec,
    readonly seed: number,
  ) {
    this.sim = new Sim(seed);
    const mtu = spec.link?.mtu ?? DEFAULT_LINK.mtu;
    const config = {
      mtu,
      latency: spec.link?.latency ?? DEFAULT_LINK.latency,
      bandwidth: spec.link?.bandwidth ?? DEFAULT_LINK.bandwidth,
      impairments: { ...NO_IMPAIRMENTS, ...spec.link?.impairments },
    };
    const names = new Set<string>();
    for (const h of spec.hosts) {
      if (names.has(h.name)) throw new Error(`two hosts are named "${h.name}"`);
      names.add(h.name);
      const host = new Host(this.sim, {
        name: h.name,
        interfaces: [{ name: 'eth0', mac: h.mac ?? macFor(h.ip), ip: h.ip, netmask: h.netmask ?? '255.255.255.0', mtu }],
        ...(h.portRange ? { portRange: h.portRange } : {}),
        ...(h.cores !== undefined ? { cpu: { ...DEFAULT_CPU, cores: h.cores } } : {}),
        ...(spec.cost ? { cost: spec.cost } : {}),
      });
      host.resolver = (name) => this.resolve(name);
      this.hosts.set(h.name, host);
    }
    const hosts = [...this.hosts.values()];
    if (hosts.length === 2) {
      const [a, b] = hosts as [Host, Host];
      const link = new Link(this.sim, `${a.name}-${b.name}`, a.nics[0]!, b.nics[0]!, config);
      a.nics[0]!.link = link;
      b.nics[0]!.link = link;
      this.links.push(link);
    } else if (hosts.length > 2) {
      const sw = new Switch(this.sim, 'switch');
      this.switches.push(sw);
      for (const h of hosts) {
        const port = sw.addPort();
        const link = new Link(this.sim, `${h.name}-switch`, h.nics[0]!, port, config);
        h.nics[0]!.link = link;
        port.link = link;
        this.links.push(link);
      }
    }
  }

  host(name: string): Host {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no host named "${name}"`);
    return h;
  }

  /** The shared hosts table: every host's name resolves to its address. */
  resolve(name: string): string | undefined {
    return this.hosts.get(name)?.nics[0]?.ip;
  }

  meta(scenario: string): TraceMeta {
    return {
      version: TRACE_VERSION,
      scenario,
      seed: this.seed,
      hosts: [...this.hosts.values()].map((h) => ({
        name: h.name,
        interfaces: h.nics.map((n) => ({ name: n.iface, mac: n.mac, ip: n.ip, netmask: n.netmask, mtu: n.mtu })),
      })),
      switches: this.switches.map((s) => s.name),
      links: this.links.map((l) => l.info()),
    };
  }

  /** Run until nothing is left to happen (or the limits), and return the trace. */
  run(scenario: string, opts: { until?: Micros; maxEvents?: number } = {}): Trace {
    this.sim.run(opts);
    return { meta: this.meta(scenario), events: this.sim.events, end: this.sim.now };
  }
}
