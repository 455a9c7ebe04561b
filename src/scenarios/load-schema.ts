/**
 * The schema of scenario files (docs/scenario.md), with valibot. Pure: validation only.
 *
 * Every message says what was expected and what was found, so that together with its path
 * ("hosts[1].programs[0].start_ms: expected a number ≥ 0, got "soon"") it needs no manual.
 */
import * as v from 'valibot';

/** What a value looks like in a message: JSON, shortened. */
export function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(x) ?? String(x);
  } catch {
    s = String(x);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

type Msg = (issue: v.BaseIssue<unknown>) => string;
const got = (what: string): Msg => (issue) => `expected ${what}, got ${show(issue.input)}`;

/** Python versions whose thread model a scenario can ask for (docs/threads.md). */
export const PYTHON_VERSIONS = ['2.7', '3.1', '3.2', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14', '3.13t', '3.14t'] as const;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function isNetmask(s: string): boolean {
  if (!IPV4.test(s)) return false;
  const n = s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const inv = 0xffffffff - n;
  return n !== 0 && (inv & (inv + 1)) === 0;
}

const num = (what: string) => v.number(got(what));
const nonNegative = (what = 'a number ≥ 0') => v.pipe(num(what), v.finite(got(what)), v.minValue(0, got(what)));
const probability = v.pipe(num('a probability from 0 to 1'), v.minValue(0, got('a probability from 0 to 1')), v.maxValue(1, got('a probability from 0 to 1')));
const integerIn = (lo: number, hi: number, what: string) =>
  v.pipe(num(what), v.integer(got(what)), v.minValue(lo, got(what)), v.maxValue(hi, got(what)));
const str = (what: string) => v.string(got(what));

export const ProgramSchema = v.strictObject(
  {
    path: v.optional(v.pipe(str('a file name (text)'), v.nonEmpty(got('a file name')))),
    code: v.optional(str('Python source code (text)')),
    name: v.optional(v.pipe(str('a file name such as "client.py"'), v.regex(/^[^/\\]+$/, got('a file name without a directory')))),
    start_ms: v.optional(nonNegative()),
    user: v.optional(v.picklist(['root', 'student'], got('"root" or "student"'))),
    args: v.optional(v.array(v.union([v.string(), v.number()], got('a string')), got('a list of strings'))),
  },
  got('a program: an object with "path" or "code"'),
);

export const HostSchema = v.strictObject(
  {
    name: v.pipe(str('a host name'), v.regex(HOSTNAME, got('a host name (letters, digits and "-")'))),
    ip: v.pipe(str('an IPv4 address such as "10.0.0.1"'), v.regex(IPV4, got('an IPv4 address such as "10.0.0.1"'))),
    netmask: v.optional(v.pipe(str('a netmask such as "255.255.255.0"'), v.check(isNetmask, got('a netmask such as "255.255.255.0"')))),
    mac: v.optional(v.pipe(str('a MAC address such as "02:00:0a:00:00:01"'), v.regex(MAC, got('a MAC address such as "02:00:0a:00:00:01"')))),
    cores: v.optional(integerIn(1, 64, 'a number of CPU cores from 1 to 64')),
    programs: v.optional(v.array(ProgramSchema, got('a list of programs'))),
  },
  got('a host: an object with "name" and "ip"'),
);

export const LinkSchema = v.strictObject(
  {
    mtu: v.optional(integerIn(68, 65535, 'an MTU from 68 to 65535')),
    latency_ms: v.optional(nonNegative()),
    bandwidth: v.optional(v.pipe(num('bits per second, > 0'), v.finite(got('bits per second, > 0')), v.gtValue(0, got('bits per second, > 0')))),
    loss: v.optional(probability),
    duplicate: v.optional(probability),
    reorder: v.optional(probability),
    reorder_delay_ms: v.optional(nonNegative()),
    jitter_ms: v.optional(nonNegative()),
  },
  got('a link: an object'),
);

export const ScenarioSchema = v.strictObject(
  {
    $schema: v.optional(v.string()),
    name: v.optional(str('a name (text)')),
    description: v.optional(str('a description (text)')),
    seed: v.optional(integerIn(0, 0xffffffff, 'an integer from 0 to 4294967295')),
    hosts: v.pipe(v.array(HostSchema, got('a list of hosts')), v.minLength(1, got('at least one host'))),
    link: v.optional(LinkSchema),
    step_budget: v.optional(integerIn(1, Number.MAX_SAFE_INTEGER, 'a whole number of statements ≥ 1')),
    cores: v.optional(integerIn(1, 64, 'a number of CPU cores from 1 to 64')),
    gil: v.optional(v.picklist(['new', 'old', 'off'], got('"new" (CPython 3.2+), "old" (CPython 2 / ≤ 3.1) or "off" (free-threaded 3.13t/3.14t)'))),
    python: v.optional(v.picklist(PYTHON_VERSIONS, got(`a Python version to model: ${PYTHON_VERSIONS.map((x) => `"${x}"`).join(', ')}`))),
    start_method: v.optional(v.picklist(['fork', 'forkserver', 'spawn'], got('"fork", "forkserver" or "spawn"'))),
  },
  got('a scenario: an object with "hosts"'),
);

export type ScenarioFile = v.InferOutput<typeof ScenarioSchema>;
export type ProgramEntry = v.InferOutput<typeof ProgramSchema>;

const FIELDS: Record<string, string[]> = {
  scenario: Object.keys(ScenarioSchema.entries),
  host: Object.keys(HostSchema.entries),
  program: Object.keys(ProgramSchema.entries),
  link: Object.keys(LinkSchema.entries),
};

/** "hosts[1].programs[0].start_ms" */
export function formatPath(path: readonly { key: unknown }[] | undefined): string {
  let s = '';
  for (const p of path ?? []) s += typeof p.key === 'number' ? `[${p.key}]` : s ? `.${String(p.key)}` : String(p.key);
  return s;
}

function closest(word: string, options: string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const dd = o.startsWith(word) || word.startsWith(o) ? 1 : dist(word.toLowerCase(), o.toLowerCase());
    if (dd < bestD) [best, bestD] = [o, dd];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function kindOf(path: string): keyof typeof FIELDS {
  if (/programs\[\d+\]$/.test(path)) return 'program';
  if (/^hosts\[\d+\]$/.test(path)) return 'host';
  if (path === 'link') return 'link';
  return 'scenario';
}

/** Validate parsed JSON; every problem, each as "path: message". */
export function validateScenarioFile(data: unknown): { ok: true; value: ScenarioFile } | { ok: false; errors: string[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [`expected a scenario: an object with "hosts", got ${show(data)}`] };
  }
  const r = v.safeParse(ScenarioSchema, data, { abortEarly: false });
  if (r.success) return { ok: true, value: r.output };
  const errors: string[] = [];
  for (const issue of r.issues) {
    const path = formatPath(issue.path);
    if (issue.kind === 'schema' && issue.input === undefined && issue.path?.length) {
      errors.push(`${path}: required, missing`);
    } else if (issue.type === 'strict_object' && issue.path?.length) {
      const key = String(issue.path[issue.path.length - 1]!.key);
      const parent = formatPath(issue.path.slice(0, -1));
      const guess = closest(key, FIELDS[kindOf(parent)]!);
      errors.push(`${path}: unknown field${guess ? ` (did you mean "${guess}"?)` : ''}`);
    } else {
      errors.push(path ? `${path}: ${issue.message}` : issue.message);
    }
  }
  return { ok: false, errors: [...new Set(errors)] };
}
