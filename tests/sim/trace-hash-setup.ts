/**
 * Not a test: a vitest setup file that hashes the trace of every simulation the tests run, so
 * speed work on src/sim can check that no test's trace changed (see bench/trace-hashes.ts).
 *
 *   TRACE_HASH_OUT=/tmp/before.txt npx vitest run -c tests/sim/trace-hash.config.ts tests/sim tests/golden tests/cli
 *   (change the code, run again into /tmp/after.txt)   diff <(sort /tmp/before.txt) <(sort /tmp/after.txt)
 *
 * Each line: test file, test name, the run's index within that test, SHA-256 of traceToJson.
 */
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Network } from '../../src/sim/network.ts';
import { traceToJson } from '../../src/sim/trace-export.ts';

const out = process.env.TRACE_HASH_OUT;
if (out) {
  const run = Network.prototype.run;
  const seen = new Map<string, number>();
  Network.prototype.run = function (this: Network, ...args: Parameters<typeof run>) {
    const trace = run.apply(this, args);
    const st = expect.getState();
    const test = `${st.testPath?.replace(/.*\/tests\//, 'tests/') ?? '?'} :: ${st.currentTestName ?? '?'}`;
    const n = seen.get(test) ?? 0;
    seen.set(test, n + 1);
    let json: string;
    try {
      json = traceToJson(trace);
    } catch (e) {
      json = `unserialisable: ${(e as Error).message}`;
    }
    appendFileSync(out, `${test} #${n}\t${createHash('sha256').update(json).digest('hex')}\n`);
    return trace;
  };
}
