// The typed JS wrapper over the Python runtime: step results, resuming with values and
// errors, the line buffer, the host hook and the file table. Pyodide is loaded once.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLine, loadPython, type PythonRuntime } from '../../src/python/pyodide.ts';

let rt: PythonRuntime;
const out: string[] = [];

beforeAll(async () => {
  rt = await loadPython({ stdout: (line) => out.push(line) });
  rt.run('import builtins\nfrom wirescope.runtime import syscall\nbuiltins.syscall = syscall');
});

describe('PythonRuntime', () => {
  it('steps a main thread through syscalls, values and errors', () => {
    const th = rt.mainThread(
      [
        'data = syscall("recv", 3, b"x")',
        'print("got", data)',
        'try:',
        '    syscall("connect", ("127.0.0.1", 80))',
        'except ConnectionRefusedError as e:',
        '    print("refused", e.errno)',
        'result = 42',
      ].join('\n'),
      'client.py',
    );
    const first = rt.step(th);
    expect(first.kind).toBe('syscall');
    if (first.kind !== 'syscall') return;
    expect(first.name).toBe('recv');
    expect(first.args[0]).toBe(3);
    expect(Array.from(first.args[1] as Uint8Array)).toEqual([120]);
    const second = rt.step(th, { value: new TextEncoder().encode('abc') });
    expect(second).toMatchObject({ kind: 'syscall', name: 'connect' });
    const third = rt.step(th, { error: { type: 'ConnectionRefusedError', args: [111, 'Connection refused'] } });
    expect(third).toEqual({ kind: 'done', value: undefined });
    expect(out.slice(-2)).toEqual(["got b'abc'", 'refused 111']);
  });

  it('reports uncaught exceptions with a CPython-style traceback', () => {
    const th = rt.mainThread('def f():\n    return {}["k"]\nf()\n', 'boom.py');
    const r = rt.step(th);
    expect(r.kind).toBe('raised');
    if (r.kind !== 'raised') return;
    expect(r.traceback).toBe(
      [
        'Traceback (most recent call last):',
        '  File "boom.py", line 3, in <module>',
        '    f()',
        '    ~^^',
        '  File "boom.py", line 2, in f',
        '    return {}["k"]',
        '           ~~^^^^^',
        "KeyError: 'k'",
        '',
      ].join('\n'),
    );
    r.error.destroy();
  });

  it('records executed lines and yields check points at the line limit', () => {
    rt.takeLines();
    rt.setLineLimit(100);
    const th = rt.mainThread('n = 0\nwhile n < 1000:\n    n += 1\n', 'loop.py');
    let checks = 0;
    let total = 0;
    for (;;) {
      const r = rt.step(th);
      total += rt.takeLines().length;
      if (r.kind !== 'check') {
        expect(r.kind).toBe('done');
        break;
      }
      checks++;
    }
    rt.setLineLimit(null);
    expect(checks).toBeGreaterThanOrEqual(15);
    expect(total).toBe(1 + 1 + 1001 + 1000); // entry, `n = 0`, 1001 loop tests, 1000 bodies
    const fid = [...rt.fileTable()].find(([, name]) => name === 'loop.py')?.[0];
    expect(fid).toBeGreaterThan(0);
    expect(decodeLine((fid! << 20) | 3)).toEqual({ fileId: fid, line: 3, entry: false });
    expect(decodeLine(~((fid! << 20) | 7))).toEqual({ fileId: fid, line: 7, entry: true });
  });

  it('serves syscalls from non-suspendable code through the host hook', () => {
    const calls: string[] = [];
    rt.setHost((name, args) => {
      calls.push(`${name}(${args.join(',')})`);
      return name === 'fail' ? { error: { type: 'TimeoutError', args: ['timed out'] } } : { value: Number(args[0]) * 10 };
    });
    const th = rt.mainThread(
      'print(sorted([1, 2, 3], key=lambda v: -syscall("key", v)))\ntry:\n    [syscall("fail") for _ in "x"]\nexcept TimeoutError as e:\n    print("timeout", e)\n',
      'host.py',
    );
    expect(rt.step(th).kind).toBe('done');
    rt.setHost(null);
    expect(calls).toEqual(['key(1)', 'key(2)', 'key(3)', 'fail()']);
    expect(out.slice(-2)).toEqual(['[3, 2, 1]', 'timeout timed out']);
  });
});
