// Scenario files: every problem reported with its path and what was found; well-formed files
// become the kernel's network and program specs. Pure (no Pyodide).
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenarios/load.ts';
import { jsonError } from '../../src/scenarios/load-json.ts';

const files: Record<string, string> = { 'server.py': 'print(1)\n', 'lib/client.py': 'print(2)\n' };
const read = (p: string) => files[p];
const load = (x: unknown) => loadScenario(typeof x === 'string' ? x : JSON.stringify(x), 'case', read);

describe('scenario validation', () => {
  it('reports every problem, each with its path', () => {
    const r = load({
      seed: -1,
      hosts: [
        { name: 'server', ip: '10.0.0.2', programs: [{ path: 'server.py', start_ms: 'soon', user: 'admin' }, { path: 'missing.py' }, {}] },
        { name: 'server', ip: '10.0.0.256', netmask: '255.0.255.0', progams: [] },
        { name: 'c', ip: '10.0.0.2', programs: [{ path: '../x.py' }, { path: 'server.py', code: 'x' }] },
      ],
      link: { mtu: 10, latency_ms: -1, loss: 2, speed: 1 },
      extra: true,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'extra: unknown field',
      'hosts[0].programs[0].start_ms: expected a number ≥ 0, got "soon"',
      'hosts[0].programs[0].user: expected "root" or "student", got "admin"',
      'hosts[0].programs[1].path: cannot read "missing.py" (no such file next to the scenario)',
      'hosts[0].programs[2]: needs "path" (a .py file next to the scenario) or "code" (the program itself)',
      'hosts[1].ip: expected an IPv4 address such as "10.0.0.1", got "10.0.0.256"',
      'hosts[1].name: "server" is already the name of hosts[0]',
      'hosts[1].netmask: expected a netmask such as "255.255.255.0", got "255.0.255.0"',
      'hosts[1].progams: unknown field (did you mean "programs"?)',
      'hosts[2].ip: 10.0.0.2 is already the address of hosts[0]',
      'hosts[2].programs[0].path: expected a path relative to the scenario file, inside its folder, got "../x.py"',
      'hosts[2].programs[1]: give either "path" or "code", not both',
      'link.latency_ms: expected a number ≥ 0, got -1',
      'link.loss: expected a probability from 0 to 1, got 2',
      'link.mtu: expected an MTU from 68 to 65535, got 10',
      'link.speed: unknown field',
      'seed: expected an integer from 0 to 4294967295, got -1',
    ]);
  });

  it('says where malformed JSON goes wrong', () => {
    expect(load('{"hosts": [}')).toEqual({ ok: false, errors: ['not valid JSON: expected a value at line 1, column 12, found "}"'] });
    expect(load('{\n  "hosts": [\n')).toEqual({ ok: false, errors: ['not valid JSON: expected a value at line 3, column 1, found the end of the file'] });
    expect(jsonError('{"a": 1,}')).toBe('expected a "name" in quotes at line 1, column 9, found "}"');
    expect(load('[]')).toEqual({ ok: false, errors: ['expected a scenario: an object with "hosts", got []'] });
    expect(load({})).toEqual({ ok: false, errors: ['hosts: required, missing'] });
  });

  it('turns a valid file into the network and the programs', () => {
    const r = load({
      seed: 7,
      step_budget: 1000,
      hosts: [
        { name: 'server', ip: '10.0.0.2', netmask: '255.255.0.0', programs: [{ path: 'server.py', user: 'root' }] },
        { name: 'client', ip: '10.0.0.1', programs: [{ path: 'lib/client.py', start_ms: 1.5, args: ['a', 2] }, { code: 'pass' }] },
      ],
      link: { mtu: 9000, latency_ms: 0.05, bandwidth: 1e9, loss: 0.1, duplicate: 0.01, reorder: 0.2, reorder_delay_ms: 1, jitter_ms: 0.01 },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario).toMatchObject({
      id: 'case',
      seed: 7,
      stepBudget: 1000,
      files: { 'server.py': 'print(1)\n', 'lib/client.py': 'print(2)\n' },
      network: {
        hosts: [{ name: 'server', ip: '10.0.0.2', netmask: '255.255.0.0' }, { name: 'client', ip: '10.0.0.1' }],
        link: { mtu: 9000, latency: 50, bandwidth: 1e9, impairments: { loss: 0.1, duplicate: 0.01, reorder: 0.2, reorderDelay: 1000, jitter: 10 } },
      },
    });
    expect(r.scenario.programs).toEqual([
      { host: 'server', file: 'server.py', path: 'server.py', inline: false, source: 'print(1)\n', start: 0, user: 'root', args: [] },
      { host: 'client', file: 'client.py', path: 'lib/client.py', inline: false, source: 'print(2)\n', start: 1500, user: 'student', args: ['a', '2'] },
      { host: 'client', file: 'inline-1.py', path: 'inline-1.py', inline: true, source: 'pass', start: 0, user: 'student', args: [] },
    ]);
  });
});
