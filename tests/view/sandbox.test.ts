import { describe, expect, it } from 'vitest';
import { docToScenario, freeIp, lessonToDoc, placeOf, scenarioToDoc, splitCidr, splitProblem, emptyDoc, type SandboxDoc } from '../../src/view/sandbox/model/doc.ts';
import { decodeKept, decodeSave, encodeSave, keep, SAVE_FORMAT, type Kept } from '../../src/view/sandbox/model/save.ts';
import { crc32, decodeShare, encodeShare, fromBase64Url, toBase64Url } from '../../src/view/sandbox/model/share.ts';
import { EXAMPLES } from '../../src/view/sandbox/model/examples.ts';
import { outcomeOf, parseTraceback, syntaxDiagnostic } from '../../src/view/sandbox/model/outcome.ts';
import { runLines } from '../../src/view/sandbox/model/runLines.ts';
import { trackPrograms } from '../../src/view/model/programs.ts';
import { loadScenarioData } from '../../src/scenarios/load.ts';
import { lessonTrace } from './fixtures.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import type { Trace } from '../../src/sim/trace.ts';

const example = (id: string): SandboxDoc => {
  const r = scenarioToDoc(EXAMPLES.find((e) => e.id === id)!.scenario);
  if (!r.ok) throw new Error(r.problem);
  return r.doc;
};
const NOW = new Date('2026-11-28T12:00:00Z');

describe('the sandbox document', () => {
  it('is a scenario file with inline programs that the validator accepts, for every example and lesson', () => {
    for (const e of EXAMPLES) expect(loadScenarioData(docToScenario(example(e.id)), e.id, () => undefined), e.id).toMatchObject({ ok: true });
    for (const l of LESSONS) {
      const doc = lessonToDoc(l);
      expect(doc.hosts.flatMap((h) => h.programs).length, l.id).toBe(l.scenario.hosts.flatMap((h) => h.programs ?? []).length);
      expect(doc.hosts.flatMap((h) => h.programs.map((p) => p.code)), l.id).toEqual(l.scenario.hosts.flatMap((h) => (h.programs ?? []).map((p) => l.files[p.path])));
      expect(loadScenarioData(docToScenario(doc), l.id, () => undefined), l.id).toMatchObject({ ok: true });
    }
  });

  it('keeps the fields it does not edit, and leaves empty settings out', () => {
    const data = { name: 'x', seed: 7, python: '3.12', hosts: [{ name: 'a', ip: '10.0.0.1', netmask: '255.255.0.0', programs: [{ name: 'a.py', code: 'pass\n', args: ['1'] }] }], link: { mtu: 9000, latency_ms: 2 } };
    const r = scenarioToDoc(data);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(docToScenario(r.doc)).toEqual(data);
    r.doc.link.latencyMs = null;
    expect(docToScenario(r.doc).link).toEqual({ mtu: 9000 });
  });

  it('edits a host’s netmask as a prefix length in its address field (10.0.0.1/16)', () => {
    const r = scenarioToDoc({ hosts: [{ name: 'a', ip: '172.16.5.10', netmask: '255.255.240.0' }, { name: 'b', ip: '172.16.9.1' }, { name: 'c', ip: '10.0.0.3', netmask: '255.0.255.0' }] });
    if (!r.ok) throw new Error(r.problem);
    expect(r.doc.hosts.map((h) => h.ip)).toEqual(['172.16.5.10/20', '172.16.9.1', '10.0.0.3']);
    // A netmask that is not a prefix stays as it was, for the validator to report.
    expect(docToScenario(r.doc).hosts).toEqual([
      { name: 'a', ip: '172.16.5.10', netmask: '255.255.240.0', programs: [] },
      { name: 'b', ip: '172.16.9.1', programs: [] },
      { name: 'c', ip: '10.0.0.3', netmask: '255.0.255.0', programs: [] },
    ]);
    expect(splitCidr('10.0.0.1/8')).toEqual({ ip: '10.0.0.1', netmask: '255.0.0.0' });
    expect(splitCidr('10.0.0.1/0')).toEqual({ ip: '10.0.0.1', netmask: '0.0.0.0' });
    // A prefix out of range is passed on for the validator: the sandbox shows its message on the address.
    expect(splitCidr('10.0.0.1/33')).toEqual({ ip: '10.0.0.1', netmask: '/33' });
    r.doc.hosts[1]!.ip = '172.16.9.1/33';
    const checked = loadScenarioData(docToScenario(r.doc), 'x', () => undefined);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors.some((e) => e.startsWith('hosts[1].netmask: '))).toBe(true);
    // A new host takes a free address with the first host's prefix length.
    r.doc.hosts[1]!.ip = '10.0.0.1';
    expect(freeIp(r.doc)).toBe('10.0.0.2/20');
  });

  it('refuses shapes that are not a sandbox, but not bad values (the validator reports those)', () => {
    expect(scenarioToDoc(null)).toMatchObject({ ok: false });
    expect(scenarioToDoc({ hosts: 3 })).toMatchObject({ ok: false });
    expect(scenarioToDoc({ hosts: [{ name: 'a', ip: 'x', programs: [{ path: 'a.py' }] }] })).toMatchObject({ ok: false, problem: 'hosts[0].programs[0] has no inline code' });
    expect(scenarioToDoc({ hosts: [{ name: 'bad name!', ip: '300.1.1.1' }] })).toMatchObject({ ok: true });
  });

  it('places validator messages on hosts, programs and the link', () => {
    expect(splitProblem('hosts[1].programs[0].start_ms: expected a number ≥ 0, got -1')).toEqual({ path: 'hosts[1].programs[0].start_ms', text: 'expected a number ≥ 0, got -1' });
    expect(splitProblem('not valid JSON: expected a value')).toEqual({ path: '', text: 'not valid JSON: expected a value' });
    expect(placeOf('hosts[1].programs[0].start_ms')).toEqual({ host: 1, program: 0, field: 'start_ms', section: 'program' });
    expect(placeOf('hosts[2].ip')).toEqual({ host: 2, program: null, field: 'ip', section: 'host' });
    expect(placeOf('link.loss')).toEqual({ host: null, program: null, field: 'loss', section: 'link' });
    expect(placeOf('seed')).toEqual({ host: null, program: null, field: 'seed', section: 'scenario' });
  });
});

describe('the saved form', () => {
  it('round-trips a sandbox', () => {
    const doc = example('bind-errors');
    const text = encodeSave(doc, NOW);
    expect(JSON.parse(text)).toMatchObject({ format: SAVE_FORMAT, version: 1, saved: '2026-11-28T12:00:00.000Z' });
    const r = decodeSave(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(docToScenario(r.doc)).toEqual(docToScenario(doc));
      expect(r.saved).toBe('2026-11-28T12:00:00.000Z');
    }
  });

  it.each([
    ['{"format":"wirescope-sandbox","version":1,"scen', 'corrupt'],
    ['', 'corrupt'],
    ['[1,2,3]', 'foreign'],
    ['{"todo":["milk"]}', 'foreign'],
    ['{"format":"wirescope-sandbox","version":2,"scenario":{}}', 'newer'],
    ['{"format":"wirescope-sandbox","version":"1","scenario":{"hosts":[]}}', 'damaged'],
    ['{"format":"wirescope-sandbox","version":1,"scenario":{"hosts":{}}}', 'damaged'],
  ])('says why %j cannot be read, and gives the raw text back', (raw, kind) => {
    const r = decodeSave(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.kind).toBe(kind);
      expect(r.raw).toBe(raw);
    }
  });

  it('keeps earlier sandboxes newest first, without repeating one, at most eight', () => {
    const entry = (name: string, at: string): Kept => ({ saved: at, name, text: encodeSave({ ...emptyDoc(), name }, new Date(at)) });
    let list: Kept[] = [];
    for (let i = 0; i < 10; i++) list = keep(list, entry(`s${i}`, `2026-01-0${(i % 9) + 1}T00:00:00Z`));
    expect(list.map((k) => k.name)).toEqual(['s9', 's8', 's7', 's6', 's5', 's4', 's3', 's2']);
    expect(keep(list, entry('s9', '2027-01-01T00:00:00Z'))).toHaveLength(8);
    expect(keep(list, entry('s5', '2027-01-01T00:00:00Z')).map((k) => k.name).slice(0, 3)).toEqual(['s5', 's9', 's8']);
    expect(decodeKept(JSON.stringify(list))).toEqual(list);
    expect(decodeKept('nonsense')).toEqual([]);
  });
});

describe('share links', () => {
  it('round-trip a sandbox, compressed', async () => {
    const doc = example('http');
    const code = await encodeShare(doc);
    expect(code).toMatch(/^1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(code.length).toBeLessThan(JSON.stringify(docToScenario(doc)).length);
    const r = await decodeShare(code);
    expect(r.ok).toBe(true);
    if (r.ok) expect(docToScenario(r.doc)).toEqual(docToScenario(doc));
  });

  it('survive non-ASCII code and names', async () => {
    const doc = example('tcp-echo');
    doc.hosts[0]!.programs[0]!.code = 'print("你好, wirescope ✓")\n';
    const r = await decodeShare(await encodeShare(doc));
    expect(r.ok && r.doc.hosts[0]!.programs[0]!.code).toBe('print("你好, wirescope ✓")\n');
  });

  it('say a link cut short anywhere is incomplete, never open part of it', async () => {
    const code = await encodeShare(example('tcp-echo'));
    for (let cut = 1; cut < code.length; cut += Math.max(1, Math.floor(code.length / 40))) {
      const r = await decodeShare(code.slice(0, cut));
      expect(r.ok, `cut at ${cut}`).toBe(false);
      if (!r.ok) expect(['truncated', 'malformed'], `cut at ${cut}: ${r.problem.kind}`).toContain(r.problem.kind);
    }
    // Cut after the checksum or inside the data: always "truncated".
    for (const cut of [code.indexOf('.', 2) + 1, code.length - 1, code.length - 5, Math.floor(code.length / 2)]) {
      expect((await decodeShare(code.slice(0, cut))).ok ? 'ok' : (await decodeShare(code.slice(0, cut))).ok === false && 'failed').toBe('failed');
      const r = await decodeShare(code.slice(0, cut));
      if (!r.ok) expect(r.problem.kind, `cut at ${cut}`).toBe('truncated');
    }
  });

  it('refuse garbage, altered data, other versions and non-sandboxes with a reason', async () => {
    const code = await encodeShare(example('udp-echo'));
    const flip = code.slice(0, -3) + (code.at(-3) === 'A' ? 'B' : 'A') + code.slice(-2);
    const cases: [string, string][] = [
      ['', 'empty'],
      ['hello', 'malformed'],
      ['1.zzzzzzzz.abc', 'malformed'],
      ['1.0000000.abcd', 'truncated'],
      ['1.00000000.ab$d', 'malformed'],
      ['1.00000000.abcd.x', 'malformed'],
      ['2.00000000.abcd', 'version'],
      [flip, 'truncated'],
      [code.replace(/^1\.[0-9a-f]{8}/, '1.00000000'), 'truncated'],
    ];
    for (const [c, kind] of cases) {
      const r = await decodeShare(c);
      expect(r.ok, c).toBe(false);
      if (!r.ok) expect(r.problem.kind, c).toBe(kind);
    }
    // Valid compression of something that is not a sandbox.
    const json = new TextEncoder().encode('{"hosts":"no"}');
    const packed = new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const r = await decodeShare(`1.${crc32(json).toString(16).padStart(8, '0')}.${toBase64Url(packed)}`);
    expect(r).toMatchObject({ ok: false, problem: { kind: 'not-sandbox' } });
  });

  it('encode base64url and CRC-32 as their standards say', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(toBase64Url(bytes)).toBe('AAEC-vv8_f7_');
    expect(fromBase64Url('AAEC-vv8_f7_')).toEqual(bytes);
    expect(fromBase64Url('a')).toBeNull();
    expect(fromBase64Url('ab+c')).toBeNull();
  });
});

describe('run outcomes placed on the programs', () => {
  it('puts a syntax error on its program, line and column', () => {
    const doc = example('tcp-echo');
    doc.hosts[1]!.programs[0]!.code = 'from socket import *\n\nif True:\n    print("x"\n';
    const d = syntaxDiagnostic('client.py has a syntax error:\n  File "client.py", line 4\n    print("x"\n         ^\nSyntaxError: \'(\' was never closed', doc);
    expect(d).toMatchObject({ host: 'client', file: 'client.py', line: 4, col: 10, kind: 'syntax', summary: "SyntaxError: '(' was never closed", programKey: doc.hosts[1]!.programs[0]!.key });
  });

  it('tells two programs of the same name apart by the line the error quotes', () => {
    const doc = example('tcp-echo');
    doc.hosts[0]!.programs[0]!.name = 'main.py';
    doc.hosts[1]!.programs[0]!.name = 'main.py';
    doc.hosts[1]!.programs[0]!.code = 'x = (\n';
    const d = syntaxDiagnostic('main.py has a syntax error:\n  File "main.py", line 1\n    x = (\n        ^\nSyntaxError: \'(\' was never closed', doc);
    expect(d.programKey).toBe(doc.hosts[1]!.programs[0]!.key);
  });

  it("finds an exception's innermost frame in the program's own file", () => {
    const tb = [
      'Traceback (most recent call last):',
      '  File "/sim/client/client.py", line 9, in <module>',
      '    main()',
      '  File "/sim/client/client.py", line 5, in main',
      '    s.connect(("10.0.0.2", 9))',
      '  File "/lib/python314.zip/socket.py", line 1, in connect',
      'ConnectionRefusedError: [Errno 111] Connection refused',
    ];
    expect(parseTraceback(['before', ...tb], 'client', 'client.py')).toEqual({ text: tb.join('\n'), summary: 'ConnectionRefusedError: [Errno 111] Connection refused', line: 5 });
    expect(parseTraceback(['no traceback'], 'client', 'client.py')).toBeNull();
  });

  it('turns worker results into outcomes: invalid, timeout, and a run with an exception and a budget stop', () => {
    const doc = example('tcp-echo');
    expect(outcomeOf({ ok: false, kind: 'invalid', errors: ['hosts[0].ip: expected an IPv4 address such as "10.0.0.1", got "10.0.0"'] }, doc)).toEqual({
      kind: 'invalid',
      problems: [{ path: 'hosts[0].ip', text: 'expected an IPv4 address such as "10.0.0.1", got "10.0.0"' }],
    });
    expect(outcomeOf({ ok: false, kind: 'timeout', errors: ['took too long'] }, doc)).toEqual({ kind: 'timeout', message: 'took too long' });
    const trace: Trace = {
      meta: { version: 1, scenario: 'x', seed: 1, hosts: [], switches: [], links: [] },
      end: 10,
      events: [
        { t: 0, k: 'proc', op: 'start', host: 'server', pid: 100, ppid: 1, user: 'student', cmd: 'python3 server.py' },
        { t: 0, k: 'proc', op: 'start', host: 'client', pid: 200, ppid: 1, user: 'student', cmd: 'python3 client.py' },
        { t: 1, k: 'line', host: 'server', pid: 100, tid: 100, file: 'server.py', run: { count: 65536, dur: 800, set: [10, 11], last: 11 } },
        { t: 2, k: 'out', host: 'server', pid: 100, stream: 'stderr', text: 'wirescope: server.py stopped after 100 statements (the step budget); does it loop forever?' },
        { t: 3, k: 'out', host: 'client', pid: 200, stream: 'stderr', text: 'Traceback (most recent call last):' },
        { t: 3, k: 'out', host: 'client', pid: 200, stream: 'stderr', text: '  File "/sim/client/client.py", line 7, in <module>' },
        { t: 3, k: 'out', host: 'client', pid: 200, stream: 'stderr', text: '    1 / 0' },
        { t: 3, k: 'out', host: 'client', pid: 200, stream: 'stderr', text: 'ZeroDivisionError: division by zero' },
      ],
    };
    const o = outcomeOf(
      {
        ok: true,
        trace,
        output: [],
        status: 1,
        programs: [
          { host: 'server', file: 'server.py', pid: 100, state: 'exited', status: 1, budget: true, statements: 100 },
          { host: 'client', file: 'client.py', pid: 200, state: 'exited', status: 1, statements: 9 },
        ],
      },
      doc,
    );
    expect(o.kind === 'ran' && o.diagnostics.map((d) => [d.file, d.kind, d.line, d.summary])).toEqual([
      ['server.py', 'budget', 11, 'wirescope: server.py stopped after 100 statements (the step budget); does it loop forever?'],
      ['client.py', 'exception', 7, 'ZeroDivisionError: division by zero'],
    ]);
  });
});

describe('the executing line in the editor', () => {
  // The time-wait lesson's programs as the sandbox runs them, and its recorded trace.
  const ran = lessonToDoc(LESSONS.find((l) => l.id === 'time-wait')!);
  const trace = lessonTrace('time-wait');
  const tracks = trackPrograms(trace, ran.hosts.flatMap((h) => h.programs.map((p) => ({ host: h.name, file: p.name, source: p.code }))));
  const run = { doc: ran, tracks };
  const server = ran.hosts.find((h) => h.name === 'server')!;
  const serverPy = server.programs[0]!;
  /** When the server calls accept(), on its line 7. */
  const accept = trace.events.find((e) => e.k === 'call' && e.fn === 'accept')!.t;

  it('marks the line the run executes at the player’s time while the editor holds the code that ran', () => {
    const failedBind = trace.events.find((e) => e.k === 'ret' && e.error)!.t;
    expect(runLines(run, server.key, serverPy.key, serverPy.code, accept)).toEqual({ kind: 'lines', line: 7, hot: [] });
    // The except clause's print (line 17) runs in the step that starts when the second bind() fails.
    expect(runLines(run, server.key, serverPy.key, serverPy.code, failedBind)).toEqual({ kind: 'lines', line: 17, hot: [] });
    // Not started yet / exited: a run, but no line.
    const client = ran.hosts.find((h) => h.name === 'client')!;
    expect(runLines(run, client.key, client.programs[0]!.key, client.programs[0]!.code, 0)).toEqual({ kind: 'lines', line: null, hot: [] });
  });

  it('marks nothing once the code was edited after the run, and again after the edit is undone', () => {
    const edited = '# a comment above everything\n' + serverPy.code;
    expect(runLines(run, server.key, serverPy.key, edited, accept)).toEqual({ kind: 'stale' });
    expect(runLines(run, server.key, serverPy.key, serverPy.code.replace('8080', '8081'), accept)).toEqual({ kind: 'stale' });
    expect(runLines(run, server.key, serverPy.key, serverPy.code, accept)).toMatchObject({ kind: 'lines', line: 7 });
  });

  it('marks nothing without a run, or for a program the run did not have', () => {
    expect(runLines(null, server.key, serverPy.key, serverPy.code, 3)).toEqual({ kind: 'none' });
    expect(runLines(run, server.key, -1, serverPy.code, 3)).toEqual({ kind: 'none' });
    expect(runLines(run, -1, serverPy.key, serverPy.code, 3)).toEqual({ kind: 'none' });
  });
});
