import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readPcap } from '../../src/sim/net/pcap.ts';

const dir = mkdtempSync(join(tmpdir(), 'wirescope-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('wirescope run <built-in id>', () => {
  it('prints program output as [host] line in virtual-time order and exits 0', async () => {
    const r = await cli('run', 'tcp-echo');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      '[client] connected',
      '[server] connection from 10.0.0.1',
      '[server] echoed 5 bytes',
      "[client] received b'hello'",
      '[server] done',
    ]);
  });

  it('writes a pcap and a trace that agree', async () => {
    const pcap = join(dir, 'e.pcap');
    const trace = join(dir, 'e.json');
    const r = await cli('run', 'udp-no-receiver', '--pcap', pcap, '--trace', trace, '--seed', '5');
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(trace, 'utf8'));
    expect(t.meta).toMatchObject({ version: 1, scenario: 'udp-no-receiver', seed: 5 });
    const wire = t.events.filter((e: { k: string }) => e.k === 'wire');
    const records = readPcap(new Uint8Array(readFileSync(pcap))).records;
    expect(records.map((x) => x.t)).toEqual(wire.map((e: { t: number }) => e.t));
    expect(wire.map((e: { summary: string }) => e.summary.split(' ')[0])).toEqual(['ARP', 'ARP', 'UDP', 'ICMP']);
  });

  it('rejects bad input with a clear message and status 2', async () => {
    expect(await cli('run', 'no-such-scenario')).toMatchObject({ code: 2, err: expect.stringContaining('no built-in scenario "no-such-scenario"') });
    expect(await cli('run', 'tcp-echo', '--seed', '-3')).toMatchObject({ code: 2, err: expect.stringContaining('--seed needs an integer') });
    expect(await cli('run')).toMatchObject({ code: 2, err: expect.stringContaining('run needs a scenario') });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command') });
    expect(await cli('run', 'tcp-echo', '--pcap', join(dir, 'no/such/dir/x.pcap'))).toMatchObject({ code: 2, err: expect.stringContaining('cannot write') });
  });

  it('lists the built-in scenarios', async () => {
    const r = await cli('list');
    expect(r.out.split('\n').filter(Boolean)).toEqual(['tcp-echo', 'udp-echo', 'udp-no-receiver', 'tcp-refused', 'tcp-bulk', 'port-conflict']);
  });
});
