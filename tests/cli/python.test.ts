// `wirescope run SCENARIO.json`: output format, exit statuses, bad input. Pyodide is loaded once
// (the CLI keeps one interpreter per process).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'wirescope-py-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

function scenario(name: string, data: unknown, files: Record<string, string> = {}): string {
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
}

describe('wirescope run SCENARIO.json', () => {
  it('runs the golden tcp-echo programs: [host] lines in virtual-time order, status 0', async () => {
    const r = await cli('run', 'tests/golden/cases/tcp-echo/scenario.json');
    expect(r).toEqual({
      code: 0,
      err: '',
      out: "[client] connected\n[server] connection from 10.0.0.1\n[server] echoed 5 bytes\n[client] received b'hello'\n[server] done\n",
    });
  });

  it('prefixes [host/program] when a host runs several; a traceback is printed the same way; status 1', async () => {
    const p = scenario('two.json', {
      hosts: [{ name: 'h', ip: '10.0.0.1', programs: [{ code: 'print("hi")' }, { code: 'print("a")\n1/0\n', start_ms: 1 }] }],
    });
    const r = await cli('run', p);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      '[h/inline-0.py] hi',
      '[h/inline-1.py] a',
      '[h/inline-1.py] Traceback (most recent call last):',
      '[h/inline-1.py]   File "/sim/h/inline-1.py", line 2, in <module>',
      '[h/inline-1.py]     1/0',
      '[h/inline-1.py]     ~^~',
      '[h/inline-1.py] ZeroDivisionError: division by zero',
      '',
    ]);
  });

  it('stops a runaway loop at --step-budget (status 1) and reports a still-blocked server on stderr (status 0)', async () => {
    const loop = scenario('loop.json', { hosts: [{ name: 'h', ip: '10.0.0.1', programs: [{ code: 'while True:\n    pass\n' }] }] });
    const r = await cli('run', loop, '--step-budget', '100_000');
    expect(r).toMatchObject({ code: 1, out: '[h] wirescope: inline-0.py stopped after 100,000 statements (the step budget); does it loop forever?\n' });
    const wait = scenario('wait.json', { hosts: [{ name: 'h', ip: '10.0.0.1', programs: [{ path: 'srv.py' }] }] }, { 'srv.py': 'import socket\ns = socket.create_server(("", 5000))\ns.accept()\n' });
    expect(await cli('run', wait)).toEqual({
      code: 0,
      out: '',
      err: 'wirescope: srv.py on h was still waiting in accept() when the run ended (nothing else could happen)\n',
    });
  });

  it('rejects bad input with a clear message and status 2, never a stack trace', async () => {
    const missing = await cli('run', join(dir, 'nope.json'));
    expect(missing).toMatchObject({ code: 2, err: expect.stringMatching(/nope\.json: no such file\n$/) });
    const bad = await cli('run', scenario('bad.json', '{"hosts": ['));
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('not valid JSON: expected a value at line 1, column 12, found the end of the file') });
    const schema = await cli('run', scenario('schema.json', { hosts: [{ name: 'h', ip: 'x', programs: [{ path: 'gone.py', start_ms: 'soon' }] }] }));
    expect(schema.code).toBe(2);
    expect(schema.err).toBe(
      `wirescope: ${join(dir, 'schema.json')}: 3 problems:\n` +
        '  hosts[0].ip: expected an IPv4 address such as "10.0.0.1", got "x"\n' +
        '  hosts[0].programs[0].path: cannot read "gone.py" (no such file next to the scenario)\n' +
        '  hosts[0].programs[0].start_ms: expected a number ≥ 0, got "soon"\n',
    );
    const syntax = await cli('run', scenario('syntax.json', { hosts: [{ name: 'h', ip: '10.0.0.1', programs: [{ path: 'broken.py' }] }] }, { 'broken.py': 'def f(:\n' }));
    expect(syntax).toEqual({
      code: 2,
      out: '',
      err: 'wirescope: broken.py has a syntax error:\n  File "broken.py", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax\n',
    });
    for (const r of [missing, bad, schema, syntax]) expect(r.err).not.toMatch(/\n\s+at /);
    expect(await cli('run', 'tests/golden/cases/tcp-echo/scenario.json', '--step-budget', 'lots')).toMatchObject({ code: 2, err: expect.stringContaining('--step-budget needs a whole number') });
  });
});
