/**
 * The sandbox document: hosts, each with its Python programs, and the link — what the student
 * edits. Its serial form is a scenario file (docs/scenario.md) with every program inline
 * (`code` + `name`), so what is saved, shared or downloaded runs unchanged with
 * `wirescope run`, and the scenario validator (src/scenarios/load.ts) checks it.
 *
 * The editable form keeps whatever the student typed (an unfinished IP address, a duplicate
 * name): nothing is rejected here; the validator says what is wrong, with its path.
 *
 * Pure: plain data in and out. May not touch the DOM, storage, Svelte or a clock.
 */
import type { Lesson } from '../../../lessons/lesson.ts';
import { formatIPv4, maskToPrefix, parseIPv4, prefixToMask } from '../../../sim/net/addr.ts';

export type User = 'root' | 'student';
export type Gil = 'new' | 'old' | 'off';

export interface SandboxProgram {
  /** Stable identity while editing (keys lists and editors); not saved. */
  key: number;
  /** File name, e.g. "server.py". */
  name: string;
  code: string;
  user: User;
  /** Start delay, ms of virtual time; null = 0. */
  startMs: number | null;
}

export interface SandboxHost {
  key: number;
  name: string;
  /** The IPv4 address, optionally with a prefix length: "10.0.0.1" or "10.0.0.1/16" (splitCidr). */
  ip: string;
  /** CPU cores of this host; null = the scenario's. */
  cores: number | null;
  programs: SandboxProgram[];
}

export interface SandboxLink {
  /** One-way latency, ms; null = the default (0.05 ms). */
  latencyMs: number | null;
  /** Bits per second; null = the default (100 Mbit/s). */
  bandwidth: number | null;
  /** Probability that a frame is lost, 0…1; null = 0. */
  loss: number | null;
}

export interface SandboxDoc {
  /** A name for the sandbox (an example's or lesson's title); the scenario's "name". */
  name: string;
  hosts: SandboxHost[];
  link: SandboxLink;
  /** CPU cores of every host; null = the default. */
  cores: number | null;
  gil: Gil | null;
  seed: number | null;
  /** Fields of the scenario file the sandbox does not edit (mtu, jitter_ms, netmask…), kept as they were. */
  extra: { scenario: Record<string, unknown>; link: Record<string, unknown>; hosts: Record<string, unknown>[]; programs: Record<string, unknown>[][] };
}

let nextKey = 1;
/** A fresh key for a host or program. */
export function newKey(): number {
  return nextKey++;
}

export const DEFAULT_LINK: SandboxLink = { latencyMs: null, bandwidth: null, loss: null };

function emptyExtra(): SandboxDoc['extra'] {
  return { scenario: {}, link: {}, hosts: [], programs: [] };
}

/** A program with default settings. */
export function newProgram(name: string, code = '', user: User = 'student', startMs: number | null = null): SandboxProgram {
  return { key: newKey(), name, code, user, startMs };
}

/** A host with no programs. */
export function newHost(name: string, ip: string, programs: SandboxProgram[] = []): SandboxHost {
  return { key: newKey(), name, ip, cores: null, programs };
}

/** The smallest useful sandbox: one host with an empty program. */
export function emptyDoc(): SandboxDoc {
  return { name: 'sandbox', hosts: [newHost('host', '10.0.0.1', [newProgram('main.py', 'print("hello")\n')])], link: { ...DEFAULT_LINK }, cores: null, gil: null, seed: null, extra: emptyExtra() };
}

/** A host name not used yet: "host2", "host3"… */
export function freeHostName(doc: SandboxDoc, base = 'host'): string {
  const taken = new Set(doc.hosts.map((h) => h.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/**
 * A host's address field: an IPv4 address, optionally with its prefix length (`10.0.0.1/16`),
 * the notation the course writes the network part in. In the scenario file that is `ip` plus
 * `netmask`; a prefix that is not 0–32 is passed on as the netmask for the validator to reject
 * (with the path hosts[i].netmask).
 */
export function splitCidr(field: string): { ip: string; netmask?: string } {
  const slash = field.indexOf('/');
  if (slash < 0) return { ip: field };
  const ip = field.slice(0, slash).trim();
  const prefix = field.slice(slash + 1).trim();
  const n = /^\d{1,2}$/.test(prefix) ? Number(prefix) : NaN;
  return { ip, netmask: n >= 0 && n <= 32 ? formatIPv4(prefixToMask(n)) : `/${prefix}` };
}

/** `ip/prefix` for a scenario host's netmask, or undefined when it has none usable (not contiguous, not an address). */
function joinCidr(ip: string, netmask: unknown): string | undefined {
  if (typeof netmask !== 'string' || ip.includes('/')) return undefined;
  const mask = parseIPv4(netmask);
  const prefix = mask === null ? null : maskToPrefix(mask);
  return prefix === null ? undefined : `${ip}/${prefix}`;
}

/** An address on 10.0.0.0/24 not used yet (with the first host's prefix length, if it gives one). */
export function freeIp(doc: SandboxDoc): string {
  const taken = new Set(doc.hosts.map((h) => splitCidr(h.ip).ip));
  const first = doc.hosts[0]?.ip ?? '';
  const suffix = first.includes('/') ? first.slice(first.indexOf('/')) : '';
  for (let i = 1; i < 255; i++) if (!taken.has(`10.0.0.${i}`)) return `10.0.0.${i}${suffix}`;
  return `10.0.1.1${suffix}`;
}

/** A file name not used on this host: "program.py", "program2.py"… */
export function freeProgramName(host: SandboxHost, base = 'program'): string {
  const taken = new Set(host.programs.map((p) => p.name));
  if (!taken.has(`${base}.py`)) return `${base}.py`;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}.py`)) return `${base}${i}.py`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown, fallback = ''): string => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : fallback);
function rest(o: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k)) out[k] = v;
  return out;
}

const SCENARIO_KEYS = ['hosts', 'link', 'name', 'cores', 'gil', 'seed'] as const;
const HOST_KEYS = ['name', 'ip', 'cores', 'programs'] as const;
const PROGRAM_KEYS = ['name', 'code', 'user', 'start_ms'] as const;
const LINK_KEYS = ['latency_ms', 'bandwidth', 'loss'] as const;

/**
 * The scenario file of a sandbox: programs inline, empty settings left out (their defaults
 * apply). Fields the sandbox does not edit come back as they were read.
 */
export function docToScenario(doc: SandboxDoc): Record<string, unknown> {
  const link: Record<string, unknown> = { ...doc.extra.link };
  if (doc.link.latencyMs !== null) link.latency_ms = doc.link.latencyMs;
  if (doc.link.bandwidth !== null) link.bandwidth = doc.link.bandwidth;
  if (doc.link.loss !== null) link.loss = doc.link.loss;
  const out: Record<string, unknown> = { ...doc.extra.scenario };
  if (doc.name) out.name = doc.name;
  if (doc.seed !== null) out.seed = doc.seed;
  if (doc.cores !== null) out.cores = doc.cores;
  if (doc.gil !== null) out.gil = doc.gil;
  out.hosts = doc.hosts.map((h, i) => {
    const { ip, netmask } = splitCidr(h.ip);
    const host: Record<string, unknown> = { name: h.name, ip, ...(doc.extra.hosts[i] ?? {}) };
    if (netmask !== undefined) host.netmask = netmask;
    if (h.cores !== null) host.cores = h.cores;
    host.programs = h.programs.map((p, j) => {
      const prog: Record<string, unknown> = { name: p.name, code: p.code, ...(doc.extra.programs[i]?.[j] ?? {}) };
      if (p.user !== 'student') prog.user = p.user;
      if (p.startMs !== null && p.startMs !== 0) prog.start_ms = p.startMs;
      return prog;
    });
    return host;
  });
  if (Object.keys(link).length) out.link = link;
  return out;
}

export type FromScenario = { ok: true; doc: SandboxDoc } | { ok: false; problem: string };

/**
 * A sandbox from a scenario file's data (a save, a share link, a downloaded file). Lenient
 * about values — the validator will report them — but the shape must be a scenario with a list
 * of hosts, and programs must be inline (a sandbox has no files beside it).
 */
export function scenarioToDoc(data: unknown): FromScenario {
  if (!isObject(data)) return { ok: false, problem: 'not a scenario (expected an object with "hosts")' };
  if (!Array.isArray(data.hosts)) return { ok: false, problem: 'the scenario has no list of hosts' };
  const extra = emptyExtra();
  extra.scenario = rest(data, SCENARIO_KEYS);
  const hosts: SandboxHost[] = [];
  for (const [i, h] of data.hosts.entries()) {
    if (!isObject(h)) return { ok: false, problem: `hosts[${i}] is not a host` };
    const programs: SandboxProgram[] = [];
    const progs = h.programs === undefined ? [] : h.programs;
    if (!Array.isArray(progs)) return { ok: false, problem: `hosts[${i}].programs is not a list` };
    extra.hosts.push(rest(h, HOST_KEYS));
    extra.programs.push([]);
    for (const [j, p] of progs.entries()) {
      if (!isObject(p)) return { ok: false, problem: `hosts[${i}].programs[${j}] is not a program` };
      if (typeof p.code !== 'string') return { ok: false, problem: `hosts[${i}].programs[${j}] has no inline code` };
      extra.programs[i]!.push(rest(p, PROGRAM_KEYS));
      programs.push({ key: newKey(), name: str(p.name, `inline-${j}.py`), code: p.code, user: p.user === 'root' ? 'root' : 'student', startMs: num(p.start_ms) });
    }
    // A usable netmask is shown in the address field as a prefix length (10.0.0.1/16); any
    // other stays as it was read, for the validator.
    const cidr = typeof h.ip === 'string' ? joinCidr(h.ip, h.netmask) : undefined;
    if (cidr !== undefined) delete extra.hosts[i]!.netmask;
    hosts.push({ key: newKey(), name: str(h.name), ip: cidr ?? str(h.ip), cores: num(h.cores), programs });
  }
  const link = isObject(data.link) ? data.link : {};
  extra.link = rest(link, LINK_KEYS);
  const gil = data.gil === 'new' || data.gil === 'old' || data.gil === 'off' ? data.gil : null;
  if (data.gil !== undefined && gil === null) extra.scenario.gil = data.gil;
  return {
    ok: true,
    doc: {
      name: str(data.name, 'sandbox'),
      hosts,
      link: { latencyMs: num(link.latency_ms), bandwidth: num(link.bandwidth), loss: num(link.loss) },
      cores: num(data.cores),
      gil,
      seed: num(data.seed),
      extra,
    },
  };
}

/**
 * A lesson's Python programs on the lesson's network: its scenario file (hosts, addresses, link,
 * cores, GIL) with each program's file put inline.
 */
export function lessonToDoc(lesson: Pick<Lesson, 'id' | 'scenario' | 'files'>): SandboxDoc {
  const inline = {
    name: lesson.id,
    ...lesson.scenario,
    hosts: lesson.scenario.hosts.map((h) => {
      // A file run several times on one host becomes client.py, client-2.py… (inline programs of a host need distinct names).
      const seen = new Map<string, number>();
      return {
        ...h,
        programs: (h.programs ?? []).map(({ path, ...rest }) => {
          const base = path.slice(path.lastIndexOf('/') + 1);
          const n = (seen.get(base) ?? 0) + 1;
          seen.set(base, n);
          return { name: n === 1 ? base : base.replace(/(\.py)?$/, `-${n}$1`), code: lesson.files[path] ?? '', ...rest };
        }),
      };
    }),
  };
  const r = scenarioToDoc(inline);
  return r.ok ? r.doc : emptyDoc();
}

/** A deep copy with fresh keys (a duplicate to edit without touching the original). */
export function cloneDoc(doc: SandboxDoc): SandboxDoc {
  const r = scenarioToDoc(JSON.parse(JSON.stringify(docToScenario(doc))));
  if (!r.ok) throw new Error(r.problem);
  return r.doc;
}

/** Where a validator path points in the document: "hosts[1].programs[0].start_ms" → host 1, program 0, field start_ms. */
export interface DocPlace {
  host: number | null;
  program: number | null;
  /** The scenario field (last part of the path), or null for the whole host/program/scenario. */
  field: string | null;
  /** "link" for link fields. */
  section: 'scenario' | 'link' | 'host' | 'program';
}

export function placeOf(path: string): DocPlace {
  const m = /^hosts\[(\d+)\](?:\.programs\[(\d+)\])?(?:\.(\w+))?/.exec(path);
  if (m) {
    const host = Number(m[1]);
    const program = m[2] !== undefined ? Number(m[2]) : null;
    return { host, program, field: m[3] ?? null, section: program !== null ? 'program' : 'host' };
  }
  const l = /^link(?:\.(\w+))?/.exec(path);
  if (l) return { host: null, program: null, field: l[1] ?? null, section: 'link' };
  const s = /^(\w+)/.exec(path);
  return { host: null, program: null, field: s ? s[1]! : null, section: 'scenario' };
}

/** A validator message "path: text" split in two (messages without a path have path ""). */
export function splitProblem(message: string): { path: string; text: string } {
  const m = /^((?:hosts\[\d+\](?:\.programs\[\d+\])?(?:\.\w+)?|link(?:\.\w+)?|[a-z_$]+)): (.*)$/s.exec(message);
  return m ? { path: m[1]!, text: m[2]! } : { path: '', text: message };
}
