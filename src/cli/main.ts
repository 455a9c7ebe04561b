/**
 * `wirescope` command line (Node only): run a scenario headless, print what its programs print,
 * optionally write the pcap and the trace.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/builtin.ts';
import { runScenario } from '../sim/scenario.ts';
import { traceToJson, traceToPcap } from '../sim/trace-export.ts';
import { USAGE, parseArgs } from './args.ts';
import { exitStatus, programOutput } from './output.ts';
import { runPythonFile } from './python.ts';
import type { Trace } from '../sim/trace.ts';

export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      out(USAGE + '\n');
      return 0;
    case 'list':
      for (const s of BUILTIN_SCENARIOS) out(`${s.id}\n`);
      return 0;
    case 'error':
      err(`wirescope: ${args.message}\n\n${USAGE}\n`);
      return 2;
    case 'run': {
      let trace: Trace;
      const scenario = builtinScenario(args.scenario);
      if (scenario) {
        if (args.stepBudget !== undefined) {
          err('wirescope: --step-budget applies to Python scenario files, not built-in scenarios\n');
          return 2;
        }
        trace = runScenario(scenario, {
          ...(args.seed !== undefined ? { seed: args.seed } : {}),
          ...(args.until !== undefined ? { until: Math.round(args.until * 1e6) } : {}),
        }).trace;
      } else if (args.scenario.endsWith('.json') || args.scenario.includes('/') || args.scenario.includes('\\') || existsSync(args.scenario)) {
        let r: Awaited<ReturnType<typeof runPythonFile>>;
        try {
          r = await runPythonFile({ file: args.scenario, ...pick(args) }, err);
        } catch (e) {
          err(`wirescope: internal error while running ${args.scenario}: ${(e as Error).message}\n`);
          return 2;
        }
        if (r.code === 2) return 2;
        trace = r.result.trace;
      } else {
        err(`wirescope: no built-in scenario "${args.scenario}" (try \`wirescope list\`, or give a scenario .json file)\n`);
        return 2;
      }
      for (const line of programOutput(trace)) out(line + '\n');
      try {
        if (args.pcap) writeFileSync(args.pcap, traceToPcap(trace));
        if (args.trace) writeFileSync(args.trace, traceToJson(trace));
      } catch (e) {
        err(`wirescope: cannot write output: ${(e as Error).message}\n`);
        return 2;
      }
      return exitStatus(trace);
    }
  }
}

function pick(a: { seed?: number; until?: number; stepBudget?: number }): { seed?: number; until?: number; stepBudget?: number } {
  return {
    ...(a.seed !== undefined ? { seed: a.seed } : {}),
    ...(a.until !== undefined ? { until: a.until } : {}),
    ...(a.stepBudget !== undefined ? { stepBudget: a.stepBudget } : {}),
  };
}
